"""The words of the test world, per language: section slugs and labels, UI and form words,
filler vocabulary, city-name parts, and the language's own name (for other portals' language
switchers).

The labels are written as a portal in that language would put them, independently of the
detectors' lexicons (the agreement test compares the detectors with this ground truth, so words
copied from the lexicons would make it circular).

The filler vocabulary is deliberately neutral: no word of it names a feature the ground truth
tracks (privacy, contact, news, events, search, social media, data...), so a portal without a
feature really has no sign of it.
"""

from __future__ import annotations

from typing import Any


def _words(text: str) -> list[str]:
    return text.split()

# section key -> (URL slug, label). `news`/`events` are list sections that exist only with their
# feature; `services`/`council` always exist; the rest are single pages, each with its feature
# (generate.STATIC_FEATURES) except `about`, always there, and `documents` (a hostile case).
_EN: dict[str, Any] = {
    "dir": "ltr",
    "own_name": "English",  # what a language switcher elsewhere calls this language
    "sections": {
        "budget": ("budget", "Budget and finances"),
        "meetings": ("council-meetings", "Council meetings"),
        "payment": ("pay-online", "Pay online"),
        "feedback": ("feedback", "Comments and complaints"),
        "report": ("report-a-problem", "Report a problem"),
        "jobs": ("jobs", "Jobs at the city"),
        "tenders": ("tenders", "Tenders and contracts"),
        "faq": ("faq", "Frequently asked questions"),
        "app": ("app", "Our mobile app"),
        "news": ("news", "News"), "events": ("events", "Events"),
        "services": ("services", "Services"), "council": ("council", "City Council"),
        "about": ("about", "About the city"), "contact": ("contact", "Contact us"),
        "privacy": ("privacy-policy", "Privacy policy"),
        "accessibility": ("accessibility", "Accessibility statement"),
        "eservices": ("online-services", "Online services"), "opendata": ("open-data", "Open data"),
        "documents": ("documents", "Documents"),
    },
    "archive": "archive", "calendar": "calendar",
    "form": {"name": "Your name", "email": "E-mail", "message": "Your message", "where": "Location", "photo": "Photo", "send": "Send"},
    "ui": {"home": "Home", "search": "Search", "next": "Next", "previous": "Previous",
           "more": "More", "latest": "Latest", "not_found": "Page not found", "older": "Older"},
    "words": _words("city street park river bridge library lane market square water road district "
             "neighbourhood garden museum centre residents community project plan works "
             "transport bus station housing culture sport youth heritage tree light safety waste "
             "recycling energy building tax hill care children family week season summer "
             "winter morning new local municipal improved bright historic annual quiet central the "
             "a of and in for with to on near will be is are"),
    "sep": " ",
    "names": (["Ash", "Bright", "Clear", "Elm", "Fair", "Green", "High", "Lake", "Maple", "North",
               "Oak", "Red", "River", "Stone", "West"],
              ["ford", "field", "wood", "ton", "bury", "port", "vale", "bridge", "haven", "brook"]),
}

_ES: dict[str, Any] = {
    "dir": "ltr",
    "own_name": "Español",  # what a language switcher elsewhere calls this language
    "sections": {
        "budget": ("presupuestos", "Presupuestos municipales"),
        "meetings": ("plenos", "Sesiones del Pleno"),
        "payment": ("pago-en-linea", "Pago en línea de tributos"),
        "feedback": ("quejas-y-sugerencias", "Quejas y sugerencias"),
        "report": ("avisos-e-incidencias", "Avisos e incidencias en la vía pública"),
        "jobs": ("empleo-publico", "Empleo público"),
        "tenders": ("perfil-del-contratante", "Perfil del contratante"),
        "faq": ("preguntas-frecuentes", "Preguntas frecuentes"),
        "app": ("app-movil", "App móvil municipal"),
        "news": ("noticias", "Noticias"), "events": ("agenda", "Agenda"),
        "services": ("tramites", "Trámites"), "council": ("ayuntamiento", "Ayuntamiento"),
        "about": ("la-ciudad", "La ciudad"), "contact": ("contacto", "Contacto"),
        "privacy": ("politica-de-privacidad", "Política de privacidad"),
        "accessibility": ("accesibilidad", "Declaración de accesibilidad"),
        "eservices": ("sede-electronica", "Sede electrónica"),
        "opendata": ("datos-abiertos", "Datos abiertos"), "documents": ("documentos", "Documentos"),
    },
    "archive": "archivo", "calendar": "calendario",
    "form": {"name": "Nombre", "email": "Correo electrónico", "message": "Mensaje", "where": "Ubicación", "photo": "Foto", "send": "Enviar"},
    "ui": {"home": "Inicio", "search": "Buscar", "next": "Siguiente", "previous": "Anterior",
           "more": "Más", "latest": "Lo último", "not_found": "Página no encontrada",
           "older": "Anteriores"},
    "words": _words("ciudad calle parque río puente biblioteca escuela mercado plaza agua camino barrio "
             "jardín museo centro vecinos comunidad proyecto plan obras avenida "
             "autobús estación vivienda cultura deporte juventud patrimonio árbol luz seguridad "
             "residuos reciclaje energía edificio impuesto colina niños familia semana "
             "verano invierno mañana nuevo público local municipal verde histórico anual central "
             "el la de y en para con los las será es"),
    "sep": " ",
    "names": (["Villa", "San", "Santa", "Puerto", "Valle", "Monte", "Río", "Torre"],
              ["verde", " Alta", " Clara", " del Sol", "real", " Hermosa", " Nueva", " Mayor"]),
}

_FR: dict[str, Any] = {
    "dir": "ltr",
    "own_name": "Français",  # what a language switcher elsewhere calls this language
    "sections": {
        "budget": ("budget", "Budget de la ville"),
        "meetings": ("seances-du-conseil", "Séances du conseil municipal"),
        "payment": ("paiement-en-ligne", "Paiement en ligne"),
        "feedback": ("reclamations", "Réclamations et suggestions"),
        "report": ("signaler", "Signaler un problème"),
        "jobs": ("offres-d-emploi", "Offres d'emploi"),
        "tenders": ("marches-publics", "Marchés publics"),
        "faq": ("questions-frequentes", "Questions fréquentes"),
        "app": ("application-mobile", "Application mobile"),
        "news": ("actualites", "Actualités"), "events": ("agenda", "Agenda"),
        "services": ("demarches", "Démarches"), "council": ("conseil-municipal", "Conseil municipal"),
        "about": ("la-ville", "La ville"), "contact": ("contact", "Nous contacter"),
        "privacy": ("politique-de-confidentialite", "Politique de confidentialité"),
        "accessibility": ("accessibilite", "Déclaration d'accessibilité"),
        "eservices": ("services-en-ligne", "Services en ligne"),
        "opendata": ("donnees-ouvertes", "Données ouvertes"), "documents": ("documents", "Documents"),
    },
    "archive": "archives", "calendar": "calendrier",
    "form": {"name": "Nom", "email": "Courriel", "message": "Votre message", "where": "Lieu", "photo": "Photo", "send": "Envoyer"},
    "ui": {"home": "Accueil", "search": "Rechercher", "next": "Suivant", "previous": "Précédent",
           "more": "Plus", "latest": "À la une", "not_found": "Page introuvable",
           "older": "Plus anciens"},
    "words": _words("ville rue parc rivière pont médiathèque école marché place eau chemin quartier "
             "jardin musée centre habitants communauté projet plan travaux avenue bus "
             "gare logement culture sport jeunesse patrimoine arbre lumière sécurité déchets "
             "recyclage énergie bâtiment taxe colline enfants famille semaine été hiver matin "
             "nouveau public local municipal vert historique annuel central le la de et en pour "
             "avec les des sera est"),
    "sep": " ",
    "names": (["Saint-Aubin", "Mont", "Beau", "Ville", "Fontaine", "Bois", "Roche", "Val"],
              ["-sur-Mer", "lieu", "mont", "fort", "neuve", "-le-Haut", "rive", "champ"]),
}

_PT: dict[str, Any] = {
    "dir": "ltr",
    "own_name": "Português",  # what a language switcher elsewhere calls this language
    "sections": {
        "budget": ("orcamento", "Orçamento municipal"),
        "meetings": ("reunioes-de-camara", "Reuniões de Câmara"),
        "payment": ("pagamentos-online", "Pagamentos online"),
        "feedback": ("sugestoes-e-reclamacoes", "Sugestões e reclamações"),
        "report": ("reportar-ocorrencia", "Reportar uma ocorrência"),
        "jobs": ("recrutamento", "Recrutamento"),
        "tenders": ("contratacao-publica", "Contratação pública"),
        "faq": ("perguntas-frequentes", "Perguntas frequentes"),
        "app": ("aplicacao-movel", "Aplicação móvel"),
        "news": ("noticias", "Notícias"), "events": ("eventos", "Eventos"),
        "services": ("servicos", "Serviços"), "council": ("camara-municipal", "Câmara Municipal"),
        "about": ("o-municipio", "O município"), "contact": ("contactos", "Contactos"),
        "privacy": ("politica-de-privacidade", "Política de privacidade"),
        "accessibility": ("acessibilidade", "Declaração de acessibilidade"),
        "eservices": ("servicos-online", "Serviços online"),
        "opendata": ("dados-abertos", "Dados abertos"), "documents": ("documentos", "Documentos"),
    },
    "archive": "arquivo", "calendar": "calendario",
    "form": {"name": "Nome", "email": "Correio eletrónico", "message": "Mensagem", "where": "Local", "photo": "Fotografia", "send": "Enviar"},
    "ui": {"home": "Início", "search": "Pesquisar", "next": "Seguinte", "previous": "Anterior",
           "more": "Mais", "latest": "Destaques", "not_found": "Página não encontrada",
           "older": "Anteriores"},
    "words": _words("cidade rua parque rio ponte biblioteca avenida mercado praça água estrada bairro "
             "jardim museu centro moradores comunidade projeto plano obras esquina "
             "autocarro estação habitação cultura desporto juventude património árvore luz "
             "segurança resíduos reciclagem energia edifício imposto colina crianças "
             "família semana verão inverno manhã novo público local municipal verde histórico "
             "anual central o a de e em para com os as será é"),
    "sep": " ",
    "names": (["Vila", "Porto", "São", "Santa", "Monte", "Rio", "Serra", "Campo"],
              [" Nova", " Alegre", " Verde", " Grande", " do Sul", " Bela", " Real", " Branco"]),
}

_DE: dict[str, Any] = {
    "dir": "ltr",
    "own_name": "Deutsch",  # what a language switcher elsewhere calls this language
    "sections": {
        "budget": ("haushalt", "Haushaltsplan"),
        "meetings": ("sitzungen", "Sitzungen des Gemeinderats"),
        "payment": ("online-bezahlen", "Gebühren online bezahlen"),
        "feedback": ("lob-und-kritik", "Lob und Kritik"),
        "report": ("maengelmelder", "Mängelmelder"),
        "jobs": ("stellenangebote", "Stellenangebote"),
        "tenders": ("ausschreibungen", "Ausschreibungen"),
        "faq": ("haeufige-fragen", "Häufige Fragen"),
        "app": ("stadt-app", "Unsere Stadt-App"),
        "news": ("aktuelles", "Aktuelles"), "events": ("veranstaltungen", "Veranstaltungen"),
        "services": ("buergerservice", "Bürgerservice"), "council": ("gemeinderat", "Gemeinderat"),
        "about": ("stadtportraet", "Stadtporträt"), "contact": ("kontakt", "Kontakt"),
        "privacy": ("datenschutz", "Datenschutzerklärung"),
        "accessibility": ("barrierefreiheit", "Erklärung zur Barrierefreiheit"),
        "eservices": ("online-dienste", "Online-Dienste"),
        "opendata": ("offene-daten", "Offene Daten"), "documents": ("dokumente", "Dokumente"),
    },
    "archive": "archiv", "calendar": "kalender",
    "form": {"name": "Name", "email": "E-Mail", "message": "Ihre Nachricht", "where": "Ort", "photo": "Foto", "send": "Absenden"},
    "ui": {"home": "Startseite", "search": "Suche", "next": "Weiter", "previous": "Zurück",
           "more": "Mehr", "latest": "Aktuell", "not_found": "Seite nicht gefunden",
           "older": "Ältere"},
    "words": _words("Stadt Straße Park Fluss Brücke Bibliothek Allee Markt Platz Wasser Weg Viertel "
             "Garten Museum Zentrum Einwohner Gemeinschaft Projekt Plan Bauarbeiten "
             "Verkehr Bus Bahnhof Wohnen Kultur Sport Jugend Erbe Baum Licht Sicherheit Abfall "
             "Recycling Energie Gebäude Steuer Hügel Kinder Familie Woche Sommer "
             "Winter Morgen neu öffentlich lokal städtisch grün historisch jährlich zentral der "
             "die das und in für mit wird ist"),
    "sep": " ",
    "names": (["Ober", "Nieder", "Alt", "Neu", "Bad ", "Rot", "Grün", "Wald"],
              ["heim", "bach", "berg", "dorf", "feld", "hausen", "stadt", "burg"]),
}

_RU: dict[str, Any] = {
    "dir": "ltr",
    "own_name": "Русский",  # what a language switcher elsewhere calls this language
    "sections": {
        "budget": ("byudzhet", "Бюджет города"),
        "meetings": ("zasedaniya", "Заседания городского совета"),
        "payment": ("oplata-onlain", "Оплата услуг онлайн"),
        "feedback": ("obrashcheniya", "Обращения граждан"),
        "report": ("soobshchit-o-probleme", "Сообщить о проблеме"),
        "jobs": ("vakansii", "Вакансии"),
        "tenders": ("zakupki", "Муниципальные закупки"),
        "faq": ("voprosy-i-otvety", "Вопросы и ответы"),
        "app": ("mobilnoe-prilozhenie", "Мобильное приложение"),
        "news": ("novosti", "Новости"), "events": ("sobytiya", "События"),
        "services": ("uslugi", "Услуги"), "council": ("sovet", "Городской совет"),
        "about": ("o-gorode", "О городе"), "contact": ("kontakty", "Контакты"),
        "privacy": ("politika-konfidentsialnosti", "Политика конфиденциальности"),
        "accessibility": ("dostupnost", "Заявление о доступности"),
        "eservices": ("elektronnye-uslugi", "Электронные услуги"),
        "opendata": ("otkrytye-dannye", "Открытые данные"), "documents": ("dokumenty", "Документы"),
    },
    "archive": "arkhiv", "calendar": "kalendar",
    "form": {"name": "Имя", "email": "Электронная почта", "message": "Текст", "where": "Адрес места", "photo": "Фото", "send": "Отправить"},
    "ui": {"home": "Главная", "search": "Поиск", "next": "Далее", "previous": "Назад",
           "more": "Ещё", "latest": "Главное", "not_found": "Страница не найдена",
           "older": "Ранее"},
    "words": _words("город улица парк река мост библиотека школа рынок площадь вода дорога район сад "
             "музей центр жители сообщество проект план работы аллея автобус вокзал "
             "жильё культура спорт молодёжь наследие дерево свет безопасность отходы переработка "
             "энергия здание налог холм дети семья неделя лето зима утро новый "
             "общественный местный муниципальный зелёный исторический ежегодный центральный и в "
             "для с на будет"),
    "sep": " ",
    "names": (["Ново", "Старо", "Бело", "Красно", "Верхне", "Озёр", "Лесо", "Светло"],
              ["горск", "дольск", "мирск", "речье", "поле", "град", "ярск", "озёрск"]),
}

_AR: dict[str, Any] = {
    "dir": "rtl",
    "own_name": "العربية",  # what a language switcher elsewhere calls this language
    "sections": {
        "budget": ("budget", "الميزانية العامة للبلدية"),
        "meetings": ("council-sessions", "جلسات المجلس البلدي"),
        "payment": ("e-payment", "الدفع الإلكتروني"),
        "feedback": ("complaints", "الشكاوى والمقترحات"),
        "report": ("report", "الإبلاغ عن مشكلة"),
        "jobs": ("jobs", "الوظائف الشاغرة"),
        "tenders": ("tenders", "المناقصات والعطاءات"),
        "faq": ("faq", "الأسئلة الشائعة"),
        "app": ("app", "تطبيق البلدية للهواتف الذكية"),
        "news": ("news", "الأخبار"), "events": ("events", "الفعاليات"),
        "services": ("services", "الخدمات"), "council": ("council", "المجلس البلدي"),
        "about": ("about", "عن المدينة"), "contact": ("contact", "اتصل بنا"),
        "privacy": ("privacy", "سياسة الخصوصية"),
        "accessibility": ("accessibility", "بيان إمكانية الوصول"),
        "eservices": ("e-services", "الخدمات الإلكترونية"),
        "opendata": ("open-data", "البيانات المفتوحة"), "documents": ("documents", "الوثائق"),
    },
    "archive": "archive", "calendar": "calendar",
    "form": {"name": "الاسم", "email": "البريد الإلكتروني", "message": "نص الرسالة", "where": "الموقع", "photo": "صورة", "send": "إرسال"},
    "ui": {"home": "الرئيسية", "search": "بحث", "next": "التالي", "previous": "السابق",
           "more": "المزيد", "latest": "الأحدث", "not_found": "الصفحة غير موجودة",
           "older": "الأقدم"},
    "words": _words("مدينة شارع حديقة نهر جسر مكتبة مدرسة سوق ساحة مياه طريق حي متحف مركز السكان "
             "المجتمع مشروع خطة أشغال النقل حافلة محطة السكن الثقافة الرياضة الشباب "
             "التراث شجرة إنارة السلامة النفايات التدوير الطاقة مبنى ضريبة الهضبة الأطفال "
             "الأسرة أسبوع الصيف الشتاء صباح جديد عام محلي بلدي أخضر تاريخي سنوي في من على مع "
             "إلى و"),
    "sep": " ",
    "names": (["مدينة ", "واحة ", "جبل ", "وادي ", "عين ", "بئر ", "رأس ", "باب "],
              ["النور", "السلام", "الزيتون", "الرمال", "النخيل", "الأمل", "الجديدة", "البحر"]),
}

_ZH: dict[str, Any] = {
    "dir": "ltr",
    "own_name": "中文",  # what a language switcher elsewhere calls this language
    "sections": {
        "budget": ("czyjs", "财政预决算"),
        "meetings": ("cwhy", "政府常务会议"),
        "payment": ("zxjf", "在线缴费"),
        "feedback": ("tsjy", "投诉建议"),
        "report": ("wtsb", "城市问题上报"),
        "jobs": ("zpxx", "招聘信息"),
        "tenders": ("zfcg", "政府采购"),
        "faq": ("cjwt", "常见问题"),
        "app": ("app", "移动客户端"),
        "news": ("xwzx", "新闻中心"), "events": ("hdap", "活动安排"),
        "services": ("bsfw", "办事服务"), "council": ("zwgk", "政务公开"),
        "about": ("zjcs", "走进城市"), "contact": ("lxwm", "联系我们"),
        "privacy": ("yszc", "隐私政策"), "accessibility": ("wza", "无障碍声明"),
        "eservices": ("wsbs", "网上办事"), "opendata": ("sjkf", "数据开放"),
        "documents": ("wjxz", "文件下载"),
    },
    "archive": "gd", "calendar": "rl",
    "form": {"name": "姓名", "email": "电子邮箱", "message": "内容", "where": "地点", "photo": "照片", "send": "提交"},
    "ui": {"home": "首页", "search": "搜索", "next": "下一页", "previous": "上一页",
           "more": "更多", "latest": "要闻", "not_found": "页面不存在", "older": "往期"},
    "words": _words("城市 街道 公园 河流 桥梁 图书馆 街角 市场 广场 供水 道路 社区 花园 博物馆 中心 居民 "
             "项目 规划 工程 长廊 湖泊 车站 住房 文化 体育 青年 遗产 树木 照明 安全 垃圾 回收 "
             "能源 建筑 税收 山丘 儿童 家庭 本周 夏季 冬季 上午 新 公共 本地 市政 绿色 历史 "
             "年度 中央 的 和 在 将 为"),
    "sep": "",
    "names": (["青", "白", "东", "南", "西", "北", "长", "新", "平", "安"],
              ["山市", "河市", "阳市", "州市", "江市", "城市", "宁市", "海市"]),
}

LANGUAGES: dict[str, dict[str, Any]] = {
    "en": _EN, "es": _ES, "fr": _FR, "pt": _PT, "ar": _AR, "zh": _ZH, "ru": _RU, "de": _DE,
}
