"""The words and markup of the test world's newer features, per language (issue 5, second part):
sign-in with a national e-ID, live chat, AI chatbot, helpdesk line, satisfaction survey, search
page and advanced search, site map, heads of departments, emergency section, participatory
budgeting, free Wi-Fi, open-data metadata, and four services offered on the portal or on a
national portal one hop away, plus the decoys that name a feature without offering it; then
(third part) the information sections (health, environment, education, social welfare, public
transport, organisational chart), contracts awarded, usage statistics, open consultations and
their outcomes.

As in `lang.py`, the wording is what a portal in that language would write, not copied from the
detectors' lexicons: the agreement measure compares the detectors with this ground truth, and
where a natural wording is missed by a lexicon, that is a finding about the lexicon.

Each single page has two labels: a portal picks one (seeded), so one language is read in more
than one way. Sites other than the portals ("elsewhere": national portals, open-data
catalogues) are reached through the world's proxy (`server.py`), as `http://` addresses with
host names under `.example`; every other host (social networks, app stores, e-ID providers)
is unreachable there, as on a machine without network.
"""

from __future__ import annotations

from typing import Any

# Single pages of the newer features: key -> ((slug, label), (slug, other label)) per language.
SECTIONS: dict[str, dict[str, tuple[tuple[str, str], tuple[str, str]]]] = {
    "en": {
        "search": (("search", "Search the site"), ("search", "Site search")),
        "sitemap": (("sitemap", "Site map"), ("site-index", "Site index")),
        "heads": (("whos-who", "Who's who at City Hall"),
                  ("department-directors", "Department directors and contacts")),
        "emergency": (("emergency-preparedness", "Emergencies and disaster preparedness"),
                      ("be-prepared", "Be prepared: floods, storms and heatwaves")),
        "pb": (("participatory-budgeting", "Participatory budgeting"),
               ("community-budget", "Community budget: ideas for local projects")),
        "wifi": (("free-wifi", "Free public Wi-Fi"),
                 ("wifi-hotspots", "Wi-Fi hotspots in parks and libraries")),
        "map": (("interactive-map", "Interactive map"), ("maps", "City maps and GIS")),
    },
    "es": {
        "search": (("buscador", "Buscador"), ("buscador", "Buscar en la web")),
        "sitemap": (("mapa-web", "Mapa web"), ("mapa-del-sitio", "Mapa del sitio")),
        "heads": (("directorio-de-funcionarios", "Directorio de funcionarios"),
                  ("titulares", "Titulares de las áreas municipales")),
        "emergency": (("proteccion-civil", "Protección Civil"),
                      ("emergencias", "Emergencias y prevención de riesgos")),
        "pb": (("presupuestos-participativos", "Presupuestos participativos"),
               ("presupuesto-participativo", "Presupuesto participativo: propón tus proyectos")),
        "wifi": (("wifi", "Wifi gratis en espacios públicos"),
                 ("zonas-wifi", "Zonas WiFi municipales")),
        "map": (("mapa-interactivo", "Mapa interactivo de la ciudad"),
                ("visor-cartografico", "Visor cartográfico municipal")),
    },
    "fr": {
        "search": (("recherche", "Recherche"), ("recherche", "Rechercher sur le site")),
        "sitemap": (("plan-du-site", "Plan du site"), ("plan-du-portail", "Plan du portail")),
        "heads": (("chefs-de-service", "Directions et chefs de service"),
                  ("annuaire-des-services", "Annuaire des services municipaux")),
        "emergency": (("risques-majeurs", "Risques majeurs et sécurité civile"),
                      ("plan-communal-de-sauvegarde", "Plan communal de sauvegarde")),
        "pb": (("budget-participatif", "Budget participatif"),
               ("budget-participatif", "Budget participatif : proposez vos projets")),
        "wifi": (("wifi", "Wi-Fi gratuit"), ("wifi-public", "Accès Wi-Fi gratuit dans la ville")),
        "map": (("carte-interactive", "Carte interactive"),
                ("geoportail", "Géoportail de la ville")),
    },
    "pt": {
        "search": (("pesquisa", "Pesquisa no site"), ("pesquisa", "Pesquisar")),
        "sitemap": (("mapa-do-site", "Mapa do site"), ("mapa-do-portal", "Mapa do portal")),
        "heads": (("dirigentes", "Dirigentes municipais"), ("quem-e-quem", "Quem é quem")),
        "emergency": (("protecao-civil", "Proteção Civil"),
                      ("emergencias", "Proteção civil e emergências")),
        "pb": (("orcamento-participativo", "Orçamento participativo"),
               ("op", "OP – Orçamento Participativo")),
        "wifi": (("wifi", "Wi-Fi grátis nos espaços públicos"),
                 ("internet-gratuita", "Internet gratuita nas praças e jardins")),
        "map": (("mapa-interativo", "Mapa interativo"),
                ("sig", "SIG municipal – informação geográfica")),
    },
    "de": {
        "search": (("suche", "Suche"), ("suche", "Website durchsuchen")),
        "sitemap": (("sitemap", "Sitemap"), ("inhaltsuebersicht", "Inhaltsübersicht")),
        "heads": (("amtsleitungen", "Ämter und Amtsleitungen"),
                  ("verwaltungsspitze", "Verwaltungsspitze und Dezernate")),
        "emergency": (("bevoelkerungsschutz", "Bevölkerungsschutz"),
                      ("katastrophenschutz", "Katastrophenschutz und Notfallvorsorge")),
        "pb": (("buergerhaushalt", "Bürgerhaushalt"), ("buergerbudget", "Bürgerbudget")),
        "wifi": (("wlan", "Kostenloses WLAN"), ("freies-wlan", "Freies WLAN in der Innenstadt")),
        "map": (("stadtplan", "Interaktiver Stadtplan"), ("geoportal", "Geoportal")),
    },
    "ru": {
        "search": (("poisk", "Поиск по сайту"), ("poisk", "Поиск")),
        "sitemap": (("karta-saita", "Карта сайта"), ("karta-portala", "Карта портала")),
        "heads": (("rukovodstvo", "Руководство администрации"),
                  ("rukovoditeli", "Руководители структурных подразделений")),
        "emergency": (("go-i-chs", "Гражданская оборона и чрезвычайные ситуации"),
                      ("bezopasnost", "Безопасность населения и ЧС")),
        "pb": (("iniciativnoe-byudzhetirovanie", "Инициативное бюджетирование"),
               ("narodnyj-byudzhet", "Народный бюджет")),
        "wifi": (("wi-fi", "Бесплатный Wi-Fi в парках"), ("wi-fi", "Точки бесплатного Wi-Fi")),
        "map": (("interaktivnaya-karta", "Интерактивная карта города"), ("geoportal", "Геопортал")),
    },
    "ar": {
        "search": (("search", "البحث في الموقع"), ("search", "ابحث في البوابة")),
        "sitemap": (("sitemap", "خريطة الموقع"), ("site-map", "خارطة الموقع")),
        "heads": (("officials", "دليل المسؤولين"), ("department-heads", "رؤساء الأقسام والإدارات")),
        "emergency": (("emergency", "إدارة الطوارئ والأزمات"), ("civil-defence", "الدفاع المدني")),
        "pb": (("participatory-budget", "الموازنة التشاركية"),
               ("participatory-budget", "الميزانية التشاركية للأحياء")),
        "wifi": (("wifi", "واي فاي مجاني في الساحات العامة"),
                 ("free-internet", "إنترنت مجاني في الحدائق")),
        "map": (("map", "الخريطة التفاعلية للمدينة"), ("gis", "نظم المعلومات الجغرافية")),
    },
    "zh": {
        "search": (("search", "站内搜索"), ("search", "全文检索")),
        "sitemap": (("wzdt", "网站地图"), ("wzdh", "网站导航")),
        "heads": (("ldzc", "领导之窗"), ("bmfzr", "部门负责人")),
        "emergency": (("yjgl", "应急管理"), ("tfsj", "突发事件应对")),
        "pb": (("cyys", "参与式预算"), ("cyys", "参与式预算项目征集")),
        "wifi": (("wifi", "免费WiFi"), ("wxcs", "免费无线网络热点")),
        "map": (("dtfw", "地图服务"), ("dzdt", "电子地图")),
    },
}

# The national portal of each language's country (a host under .example, served by the proxy).
NATIONAL: dict[str, str] = {
    "en": "www.govservices.example", "es": "sede.administracion.example",
    "fr": "www.service-public.example", "pt": "www.portaldocidadao.example",
    "de": "www.verwaltungsportal.example", "ru": "www.gosuslugi.example",
    "ar": "www.bawaba.example", "zh": "www.zwfw.example",
}

NATIONAL_NAMES: dict[str, str] = {
    "en": "National Services Portal", "es": "Punto de Acceso General", "fr": "Service-Public",
    "pt": "Portal do Cidadão", "de": "Verwaltungsportal des Bundes",
    "ru": "Портал государственных услуг", "ar": "البوابة الوطنية للخدمات الحكومية",
    "zh": "国家政务服务平台",
}

SERVICES: tuple[str, ...] = ("building-permit", "business-licence", "birth-certificate",
                             "police-report")

# service -> (link label on the portal, title of its page, slug); the page names the service in
# its title and main heading, as service pages do.
SERVICE_WORDS: dict[str, dict[str, tuple[str, str, str]]] = {
    "en": {
        "building-permit": ("Apply for a building permit", "Building permit application",
                            "building-permit"),
        "business-licence": ("Get a business licence", "Business licence application",
                             "business-licence"),
        "birth-certificate": ("Order a birth certificate", "Birth certificates: order a copy",
                              "birth-certificate"),
        "police-report": ("Report a theft to the police", "Online police report",
                          "police-report"),
    },
    "es": {
        "building-permit": ("Solicitar licencia de obra", "Licencia de obra: solicitud",
                            "licencia-de-obra"),
        "business-licence": ("Licencia de actividad para tu negocio",
                             "Licencia de apertura de actividad", "licencia-de-actividad"),
        "birth-certificate": ("Certificado de nacimiento",
                              "Solicitud de certificado de nacimiento", "certificado-nacimiento"),
        "police-report": ("Denuncia de robo o hurto", "Denuncia en línea ante la Policía",
                          "denuncia"),
    },
    "fr": {
        "building-permit": ("Déposer un permis de construire", "Demande de permis de construire",
                            "permis-de-construire"),
        "business-licence": ("Licence de débit de boissons",
                             "Licence de débit de boissons : déclaration", "licence-debit"),
        "birth-certificate": ("Demander un acte de naissance", "Demande d'acte de naissance",
                              "acte-de-naissance"),
        "police-report": ("Pré-plainte en ligne", "Pré-plainte en ligne", "pre-plainte"),
    },
    "pt": {
        "building-permit": ("Licenciamento de obras particulares",
                            "Licenciamento de obras: pedido", "licenciamento-obras"),
        "business-licence": ("Licenciamento de atividade económica",
                             "Licenciamento de atividade", "licenciamento-atividade"),
        "birth-certificate": ("Certidão de nascimento online",
                              "Pedido de certidão de nascimento", "certidao-nascimento"),
        "police-report": ("Queixa eletrónica às forças de segurança",
                          "Queixa eletrónica: apresentar queixa", "queixa-eletronica"),
    },
    "de": {
        "building-permit": ("Bauantrag online stellen", "Bauantrag (Baugenehmigung)",
                            "bauantrag"),
        "business-licence": ("Gewerbe anmelden", "Gewerbeanmeldung", "gewerbeanmeldung"),
        "birth-certificate": ("Geburtsurkunde beantragen", "Geburtsurkunde", "geburtsurkunde"),
        "police-report": ("Onlinewache der Polizei", "Onlinewache: Anzeige erstatten",
                          "onlinewache"),
    },
    "ru": {
        "building-permit": ("Получить разрешение на строительство",
                            "Выдача разрешения на строительство", "razreshenie-na-stroitelstvo"),
        "business-licence": ("Разрешение на торговлю на ярмарке",
                             "Выдача разрешения на торговлю", "razreshenie-na-torgovlyu"),
        "birth-certificate": ("Свидетельство о рождении", "Государственная регистрация рождения",
                              "registraciya-rozhdeniya"),
        "police-report": ("Сообщить о преступлении", "Сообщить о преступлении онлайн",
                          "soobshchit-o-prestuplenii"),
    },
    "ar": {
        "building-permit": ("طلب رخصة بناء", "إصدار رخصة البناء", "building-permit"),
        "business-licence": ("إصدار رخصة تجارية", "الرخصة التجارية للمحلات", "trade-licence"),
        "birth-certificate": ("استخراج شهادة ميلاد", "طلب شهادة الميلاد", "birth-certificate"),
        "police-report": ("الإبلاغ عن جريمة", "بلاغ للشرطة عبر الإنترنت", "police-report"),
    },
    "zh": {
        "building-permit": ("建筑工程施工许可申请", "建筑工程施工许可证核发", "sgxk"),
        "business-licence": ("企业开办一网通办", "企业开办", "qykb"),
        "birth-certificate": ("出生医学证明办理", "出生登记", "csdj"),
        "police-report": ("网上报警", "网上报警平台", "wsbj"),
    },
}

# Everything else a portal says about the newer features, per language.
PHRASES: dict[str, dict[str, Any]] = {
    "en": {
        "map_link": ("https://maps.google.com/?q={q}", "Find us on Google Maps"),
        "services_heading": "Popular online services",
        "start": "Apply online", "upload": "Supporting documents (PDF)",
        "applicant": "Full name", "idnum": "National insurance number", "place": "Address",
        "submit": "Submit application",
        "intro": "You can do this entirely online. It takes about 15 minutes.",
        "eid_provider": ("https://secure.login.gov/openid_connect/authorize?client_id={id}",
                         ["Sign in with Login.gov", "My account"]),
        "eid_label": ["Log in with your digital ID", "Sign in with GOV.UK One Login"],
        "login_form": ("Resident account", "Username", "Password", "Sign in"),
        "staff_login": "Staff login",
        "chat_label": ["Live chat with City Hall", "Chat with us"],
        "chat_button": ["Chat with an adviser", "Live chat"],
        "messaging": ("https://wa.me/15550100{n:03d}", "Text us on WhatsApp"),
        "bot_label": ["Ask Sam, our virtual assistant", "Digital assistant"],
        "bot_button": "Ask our virtual assistant",
        "helpdesk": ["Need help with an online form? Call our helpline",
                     "Digital services support line"],
        "helpdesk_number": "0800 555 {n:04d}",
        "survey": ["Take our customer satisfaction survey",
                   "How are we doing? A two-minute survey"],
        "adv_link": "Advanced search",
        "refine": ("Content type", ["All", "Pages", "News", "Documents"]),
        "dates": ("From", "To"),
        "search_hint": "Type one or more words and press the button.",
        "decoys": ["Get ready for the summer reading challenge"],
        "service_mention": "The civil registry will close early on Friday; birth certificates "
                           "ordered this week can be collected on Monday.",
        "heads_titles": ["Director of Finance", "Director of Public Works",
                         "Head of Social Services", "Chief Planning Officer"],
        "people": ["Alex Morgan", "Priya Shah", "Daniel Okafor", "Helen Wright"],
        "metadata": ("Licence", "Publisher", "Last updated", "Format"),
        "dataset_names": ["Street trees", "Public toilets", "Library loans", "Parking spaces"],
        "download": "Download",
    },
    "es": {
        "map_link": ("https://maps.google.com/?q={q}", "Ver en Google Maps"),
        "services_heading": "Trámites más solicitados",
        "start": "Iniciar trámite", "upload": "Documentación (PDF)",
        "applicant": "Nombre y apellidos", "idnum": "DNI/NIE", "place": "Dirección",
        "submit": "Enviar solicitud",
        "intro": "Puede realizar este trámite por internet, sin desplazarse.",
        "eid_provider": ("https://pasarela.clave.gob.es/Proxy2/ServiceProvider?sp={id}",
                         ["Acceso con Cl@ve", "Mi carpeta"]),
        "eid_label": ["Entrar con certificado digital o DNI electrónico",
                      "Identificarse con Cl@ve PIN"],
        "login_form": ("Carpeta ciudadana", "Usuario", "Contraseña", "Entrar"),
        "staff_login": "Acceso empleados",
        "chat_label": ["Chat de atención ciudadana", "Chat en línea con el Ayuntamiento"],
        "chat_button": ["Chatea con nosotros", "Chat en directo"],
        "messaging": ("https://wa.me/3460010{n:04d}", "WhatsApp de atención ciudadana"),
        "bot_label": ["Pregunta a Lola, la asistente virtual", "Asistente virtual"],
        "bot_button": "Asistente virtual",
        "helpdesk": ["Soporte técnico de la sede electrónica",
                     "Atención telefónica para trámites en línea"],
        "helpdesk_number": "900 10 {n:02d} {m:02d}",
        "survey": ["Encuesta de satisfacción de la atención ciudadana",
                   "¿Cómo lo hacemos? Valora nuestros servicios"],
        "adv_link": "Búsqueda avanzada",
        "refine": ("Tipo de contenido", ["Todo", "Páginas", "Noticias", "Documentos"]),
        "dates": ("Fecha desde", "Fecha hasta"),
        "search_hint": "Escriba una o varias palabras y pulse el botón.",
        "decoys": [],
        "service_mention": "El registro civil cerrará el viernes a mediodía; los certificados de "
                           "nacimiento pedidos esta semana podrán recogerse el lunes.",
        "heads_titles": ["Directora de Hacienda", "Director de Obras", "Jefa de Servicios Sociales",
                         "Director de Urbanismo"],
        "people": ["Lucía Martín", "Javier Ortega", "Carmen Ruiz", "Andrés Molina"],
        "metadata": ("Licencia", "Publicador", "Última actualización", "Formato"),
        "dataset_names": ["Arbolado urbano", "Aseos públicos", "Préstamos de bibliotecas",
                          "Plazas de aparcamiento"],
        "download": "Descargar",
    },
    "fr": {
        "map_link": ("https://maps.google.com/?q={q}", "Voir sur Google Maps"),
        "services_heading": "Démarches les plus demandées",
        "start": "Faire la démarche en ligne", "upload": "Pièces justificatives (PDF)",
        "applicant": "Nom et prénom", "idnum": "Numéro fiscal", "place": "Adresse",
        "submit": "Envoyer la demande",
        "intro": "Cette démarche se fait entièrement en ligne, sans vous déplacer.",
        "eid_provider": ("https://app.franceconnect.gouv.fr/api/v1/authorize?client_id={id}",
                         ["S'identifier avec FranceConnect", "Mon espace"]),
        "eid_label": ["Se connecter avec son identité numérique",
                      "Connexion via FranceConnect"],
        "login_form": ("Espace citoyen", "Identifiant", "Mot de passe", "Connexion"),
        "staff_login": "Connexion agents",
        "chat_label": ["Tchat en direct avec la mairie", "Discuter en ligne avec un conseiller"],
        "chat_button": ["Tchat avec un conseiller", "Ouvrir le tchat"],
        "messaging": ("https://wa.me/3360010{n:04d}", "Écrivez-nous sur WhatsApp"),
        "bot_label": ["Posez votre question à notre agent conversationnel",
                      "Assistant virtuel"],
        "bot_button": "Assistant virtuel",
        "helpdesk": ["Assistance téléphonique pour les démarches en ligne",
                     "Numéro vert du guichet numérique"],
        "helpdesk_number": "0 800 10 {n:02d} {m:02d}",
        "survey": ["Enquête de satisfaction des usagers", "Donnez votre avis sur nos services"],
        "adv_link": "Recherche avancée",
        "refine": ("Type de contenu", ["Tout", "Pages", "Actualités", "Documents"]),
        "dates": ("Date de début", "Date de fin"),
        "search_hint": "Saisissez un ou plusieurs mots puis validez.",
        "decoys": [],
        "service_mention": "L'état civil fermera à midi vendredi ; les actes de naissance "
                           "demandés cette semaine seront disponibles lundi.",
        "heads_titles": ["Directrice générale des services", "Directeur des services techniques",
                         "Responsable de l'action sociale", "Directeur de l'urbanisme"],
        "people": ["Claire Dubois", "Mathieu Lefèvre", "Nadia Benali", "Julien Moreau"],
        "metadata": ("Licence", "Producteur", "Dernière mise à jour", "Format"),
        "dataset_names": ["Arbres d'alignement", "Toilettes publiques", "Prêts des bibliothèques",
                          "Places de stationnement"],
        "download": "Télécharger",
    },
    "pt": {
        "map_link": ("https://maps.google.com/?q={q}", "Ver no Google Maps"),
        "services_heading": "Serviços mais procurados",
        "start": "Iniciar pedido", "upload": "Documentos (PDF)",
        "applicant": "Nome completo", "idnum": "NIF", "place": "Morada",
        "submit": "Submeter pedido",
        "intro": "Pode tratar deste assunto online, sem se deslocar aos serviços.",
        "eid_provider": ("https://autenticacao.gov.pt/fa/?c={id}",
                         ["Autenticação.gov", "Área do munícipe"]),
        "eid_label": ["Entrar com Chave Móvel Digital", "Entrar com Cartão de Cidadão"],
        "login_form": ("Área do munícipe", "Utilizador", "Palavra-passe", "Entrar"),
        "staff_login": "Área reservada (trabalhadores)",
        "chat_label": ["Atendimento por chat", "Chat online com o município"],
        "chat_button": ["Chat ao vivo", "Iniciar chat"],
        "messaging": ("https://wa.me/35191010{n:04d}", "WhatsApp do munícipe"),
        "bot_label": ["Fale com a Sofia, a assistente virtual", "Assistente virtual"],
        "bot_button": "Assistente virtual",
        "helpdesk": ["Linha de apoio aos serviços online", "Apoio técnico aos serviços online"],
        "helpdesk_number": "808 20 {n:02d} {m:02d}",
        "survey": ["Inquérito de satisfação", "Avalie os nossos serviços"],
        "adv_link": "Pesquisa avançada",
        "refine": ("Tipo de conteúdo", ["Tudo", "Páginas", "Notícias", "Documentos"]),
        "dates": ("Data de início", "Data de fim"),
        "search_hint": "Escreva uma ou mais palavras e carregue no botão.",
        "decoys": [],
        "service_mention": "A conservatória fecha mais cedo na sexta-feira; as certidões de "
                           "nascimento pedidas esta semana podem ser levantadas na segunda.",
        "heads_titles": ["Diretora do Departamento Financeiro", "Diretor de Obras Municipais",
                         "Chefe da Divisão de Ação Social", "Diretor de Urbanismo"],
        "people": ["Ana Ferreira", "Rui Almeida", "Marta Sousa", "João Carvalho"],
        "metadata": ("Licença", "Entidade publicadora", "Última atualização", "Formato"),
        "dataset_names": ["Arvoredo urbano", "Instalações sanitárias públicas",
                          "Empréstimos das bibliotecas", "Lugares de estacionamento"],
        "download": "Descarregar",
    },
    "de": {
        "map_link": ("https://maps.google.com/?q={q}", "In Google Maps öffnen"),
        "services_heading": "Häufig genutzte Online-Dienste",
        "start": "Jetzt online beantragen", "upload": "Unterlagen (PDF)",
        "applicant": "Vor- und Nachname", "idnum": "Steuer-ID", "place": "Anschrift",
        "submit": "Antrag absenden",
        "intro": "Sie können dieses Anliegen vollständig online erledigen.",
        "eid_provider": ("https://id.bund.de/de/login?sp={id}",
                         ["Mit BundID anmelden", "Mein Bürgerkonto"]),
        "eid_label": ["Anmelden mit Online-Ausweis", "Login mit der AusweisApp"],
        "login_form": ("Bürgerkonto", "Benutzername", "Passwort", "Anmelden"),
        "staff_login": "Mitarbeiter-Login",
        "chat_label": ["Live-Chat mit dem Bürgerbüro", "Online-Chat"],
        "chat_button": ["Mit dem Bürgerbüro chatten", "Live-Chat starten"],
        "messaging": ("https://wa.me/4915110{n:04d}", "Per WhatsApp schreiben"),
        "bot_label": ["Fragen Sie unseren Chatbot", "Digitaler Assistent"],
        "bot_button": "Chatbot fragen",
        "helpdesk": ["Servicetelefon für Online-Anträge", "Hotline für digitale Verwaltungsleistungen"],
        "helpdesk_number": "0800 330 {n:04d}",
        "survey": ["Zufriedenheitsumfrage 2025",
                   "Umfrage: Wie zufrieden sind Sie mit unserem Service?"],
        "adv_link": "Erweiterte Suche",
        "refine": ("Inhaltstyp", ["Alle", "Seiten", "Meldungen", "Dokumente"]),
        "dates": ("Datum von", "Datum bis"),
        "search_hint": "Geben Sie einen oder mehrere Begriffe ein.",
        "decoys": [],
        "service_mention": "Das Standesamt schließt am Freitag früher; in dieser Woche bestellte "
                           "Geburtsurkunden liegen ab Montag zur Abholung bereit.",
        "heads_titles": ["Leiterin der Kämmerei", "Leiter des Bauamts", "Leiterin des Sozialamts",
                         "Leiter des Stadtplanungsamts"],
        "people": ["Julia Becker", "Thomas Wagner", "Sabine Krüger", "Michael Schulz"],
        "metadata": ("Lizenz", "Herausgeber", "Zuletzt aktualisiert", "Format"),
        "dataset_names": ["Baumkataster", "Öffentliche Toiletten", "Bibliotheksausleihen", "Parkplätze"],
        "download": "Herunterladen",
    },
    "ru": {
        "map_link": ("https://yandex.ru/maps/?text={q}", "Открыть в Яндекс Картах"),
        "services_heading": "Популярные электронные услуги",
        "start": "Подать заявление", "upload": "Документы (PDF)",
        "applicant": "ФИО", "idnum": "СНИЛС", "place": "Адрес",
        "submit": "Отправить заявление",
        "intro": "Услугу можно получить в электронном виде, без посещения администрации.",
        "eid_provider": ("https://esia.gosuslugi.ru/login/?client_id={id}",
                         ["Войти через Госуслуги", "Личный кабинет"]),
        "eid_label": ["Вход через ЕСИА", "Войти с помощью электронной подписи"],
        "login_form": ("Личный кабинет", "Логин", "Пароль", "Войти"),
        "staff_login": "Вход для сотрудников",
        "chat_label": ["Задать вопрос в чате", "Онлайн-чат с администрацией"],
        "chat_button": ["Онлайн-чат с оператором", "Чат с оператором"],
        "messaging": ("https://wa.me/7915010{n:04d}", "Напишите нам в WhatsApp"),
        "bot_label": ["Чат-бот «Городской помощник»", "Виртуальный помощник"],
        "bot_button": "Виртуальный помощник",
        "helpdesk": ["Горячая линия по электронным услугам", "Справочная служба портала"],
        "helpdesk_number": "8 800 100-{n:02d}-{m:02d}",
        "survey": ["Оцените качество услуг", "Опрос об удовлетворённости качеством услуг"],
        "adv_link": "Расширенный поиск",
        "refine": ("Раздел", ["Все", "Страницы", "Новости", "Документы"]),
        "dates": ("Дата с", "Дата по"),
        "search_hint": "Введите одно или несколько слов и нажмите кнопку.",
        "decoys": [],
        "service_mention": "Отдел ЗАГС в пятницу работает до 14:00; свидетельства о рождении, "
                           "заказанные на этой неделе, можно получить в понедельник.",
        "heads_titles": ["Начальник финансового управления", "Начальник управления строительства",
                         "Начальник управления социальной защиты", "Главный архитектор"],
        "people": ["Ирина Смирнова", "Алексей Кузнецов", "Ольга Попова", "Сергей Васильев"],
        "metadata": ("Лицензия", "Публикатор", "Дата обновления", "Формат"),
        "dataset_names": ["Зелёные насаждения", "Общественные туалеты", "Выдача книг в библиотеках",
                          "Парковочные места"],
        "download": "Скачать",
    },
    "ar": {
        "map_link": ("https://maps.google.com/?q={q}", "عرض الموقع على خرائط Google"),
        "services_heading": "الخدمات الأكثر طلباً",
        "start": "ابدأ الخدمة", "upload": "المستندات المطلوبة (PDF)",
        "applicant": "الاسم الكامل", "idnum": "رقم الهوية", "place": "العنوان",
        "submit": "إرسال الطلب",
        "intro": "يمكنك إنجاز هذه الخدمة إلكترونياً دون زيارة مراكز الخدمة.",
        "eid_provider": ("https://id.uaepass.ae/idshub/authorize?client_id={id}",
                         ["الدخول عبر الهوية الرقمية", "حسابي"]),
        "eid_label": ["تسجيل الدخول بالهوية الرقمية", "الدخول الموحد"],
        "login_form": ("حسابي", "اسم المستخدم", "كلمة المرور", "دخول"),
        "staff_login": "دخول الموظفين",
        "chat_label": ["الدردشة المباشرة مع خدمة العملاء", "تحدث معنا الآن"],
        "chat_button": ["محادثة مباشرة مع موظف", "ابدأ الدردشة"],
        "messaging": ("https://wa.me/97150010{n:04d}", "راسلنا على واتساب"),
        "bot_label": ["اسأل المساعد الذكي", "المساعد الافتراضي"],
        "bot_button": "المساعد الافتراضي",
        "helpdesk": ["الخط الساخن للخدمات الإلكترونية", "مركز الاتصال الموحد"],
        "helpdesk_number": "800 {n:04d}",
        "survey": ["استبيان رضا المتعاملين", "قيّم تجربتك مع خدماتنا"],
        "adv_link": "البحث المتقدم",
        "refine": ("نوع المحتوى", ["الكل", "الصفحات", "الأخبار", "الوثائق"]),
        "dates": ("من تاريخ", "إلى تاريخ"),
        "search_hint": "اكتب كلمة أو أكثر ثم اضغط الزر.",
        "decoys": [],
        "service_mention": "يغلق قسم الأحوال المدنية مبكراً يوم الخميس، ويمكن استلام شهادات "
                           "الميلاد المطلوبة هذا الأسبوع يوم الأحد.",
        "heads_titles": ["مدير إدارة الشؤون المالية", "مدير إدارة الأشغال العامة",
                         "مديرة إدارة الخدمات الاجتماعية", "مدير إدارة التخطيط العمراني"],
        "people": ["خالد المنصوري", "سارة الهاشمي", "يوسف الأحمد", "مريم الكعبي"],
        "metadata": ("الترخيص", "الجهة الناشرة", "آخر تحديث", "الصيغة"),
        "dataset_names": ["الأشجار في الشوارع", "دورات المياه العامة", "إعارات المكتبات", "مواقف السيارات"],
        "download": "تنزيل",
    },
    "zh": {
        "map_link": ("https://map.baidu.com/search/{q}", "在百度地图中查看"),
        "services_heading": "热门办事服务",
        "start": "在线办理", "upload": "申请材料（PDF）",
        "applicant": "申请人姓名", "idnum": "身份证号码", "place": "地址",
        "submit": "提交申请",
        "intro": "本事项可全程网上办理，无需到现场。",
        "eid_provider": ("https://tyrz.zwfw.gov.cn/pscp/sso/login?client_id={id}",
                         ["统一身份认证登录", "个人中心"]),
        "eid_label": ["电子身份认证登录", "实名认证登录"],
        "login_form": ("个人中心", "用户名", "密码", "登录"),
        "staff_login": "OA系统登录",
        "chat_label": ["在线咨询", "人工在线客服"],
        "chat_button": ["在线客服", "在线咨询"],
        "messaging": ("http://wpa.qq.com/msgrd?v=3&uin=8000{n:05d}&site=qq&menu=yes", "QQ在线客服"),
        "bot_label": ["智能客服", "政务智能助手"],
        "bot_button": "智能客服",
        "helpdesk": ["12345政务服务便民热线", "网上办事技术支持电话"],
        "helpdesk_number": "0{n:02d}1-8888{m:04d}",
        "survey": ["满意度调查", "办事满意度评价"],
        "adv_link": "高级检索",
        "refine": ("栏目", ["全部", "网页", "新闻", "文件"]),
        "dates": ("开始日期", "结束日期"),
        "search_hint": "请输入关键词后点击按钮。",
        "decoys": [],
        "service_mention": "婚姻登记处周五下午暂停办公，本周申请的出生医学证明可于下周一领取。",
        "heads_titles": ["财政局局长", "住房和城乡建设局局长", "民政局局长", "自然资源和规划局局长"],
        "people": ["王建国", "李红梅", "张伟", "刘芳"],
        "metadata": ("许可协议", "发布单位", "更新时间", "数据格式"),
        "dataset_names": ["行道树信息", "公共厕所", "图书馆借阅", "停车泊位"],
        "download": "下载",
    },
}

# Scripts and elements of chat and chatbot vendors, as their install guides give them.
CHAT_VENDORS: tuple[str, ...] = (
    '<script async src="https://embed.tawk.to/6{id:07d}a1b2c3/default" charset="UTF-8"></script>',
    '<script async src="https://cdn.livechatinc.com/tracking.js"></script>',
    '<script id="ze-snippet" src="https://static.zdassets.com/ekr/snippet.js?key=c{id:07d}"></script>',
    '<script src="https://client.crisp.chat/l.js" async></script>',
    '<script async src="https://code.jivo.ru/widget/Jv{id:07d}"></script>',
)
BOT_VENDORS: tuple[str, ...] = (
    ('<script src="https://www.gstatic.com/dialogflow-console/fast/messenger/bootstrap.js?v=1">'
    '</script>\n<df-messenger intent="WELCOME" chat-title="{title}" agent-id="{id:08d}-aaaa-bbbb'
    '-cccc-dddddddddddd" language-code="{lang}"></df-messenger>'),
    ('<script src="https://cdn.botpress.cloud/webchat/v2.2/inject.js"></script>\n'
    '<script src="https://files.bpcontent.cloud/2025/01/01/{id:08d}.js" defer></script>'),
    ('<script src="https://web-chat.global.assistant.watson.appdomain.cloud/versions/latest/'
    'WatsonAssistantChatEntry.js"></script>'),
)
# An advertising tag some portals carry (Google Publisher Tag): not a chatbot.
AD_TAG = '<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>'

# ---------------------------------------------------------------------------------------------
# Information sections (issue 5, third part): health (#226), environment (#227), education
# (#228), social welfare (#229), public transport (#282) and the organisational chart (#215).
# Single pages, two labels each as above, worded as a portal in that language titles the section
# (pt is Portugal's: 'autocarros', 'apoios sociais'; ru uses the usual inflected titles).
INFO_SECTIONS: dict[str, dict[str, tuple[tuple[str, str], tuple[str, str]]]] = {
    "en": {
        "health": (("health", "Health and wellbeing"), ("public-health", "Public health services")),
        "environment": (("environment", "Environment"),
                        ("climate-action", "Climate action and sustainability")),
        "education": (("education", "Schools and education"),
                      ("early-years", "Early years and childcare")),
        "welfare": (("social-services", "Social services"),
                    ("benefits", "Benefits and welfare")),
        "transport": (("public-transport", "Public transport"),
                      ("buses", "Bus routes and timetables")),
        "orgchart": (("org-chart", "City organization chart"),
                     ("how-we-are-organised", "Our organisational structure")),
    },
    "es": {
        "health": (("salud", "Salud"), ("salud-publica", "Salud pública y consumo")),
        "environment": (("medio-ambiente", "Medio ambiente"),
                        ("sostenibilidad", "Sostenibilidad y cambio climático")),
        "education": (("educacion", "Educación"),
                      ("escuelas-infantiles", "Escuelas infantiles y colegios")),
        "welfare": (("servicios-sociales", "Servicios sociales"),
                    ("bienestar-social", "Bienestar social y ayudas")),
        "transport": (("transporte-publico", "Transporte público"),
                      ("autobuses", "Líneas y horarios de autobuses")),
        "orgchart": (("organigrama", "Organigrama"),
                     ("estructura-organica", "Estructura orgánica del Ayuntamiento")),
    },
    "fr": {
        "health": (("sante", "Santé"), ("prevention", "Santé publique et prévention")),
        "environment": (("environnement", "Environnement"),
                        ("transition-ecologique", "Transition écologique")),
        "education": (("education", "Éducation et enfance"),
                      ("ecoles", "Écoles et accueil périscolaire")),
        "welfare": (("action-sociale", "Action sociale (CCAS)"),
                    ("solidarite", "Solidarité et aides sociales")),
        "transport": (("transports", "Transports en commun"),
                      ("bus-et-tram", "Bus et tramway : lignes et horaires")),
        "orgchart": (("organigramme", "Organigramme des services"),
                     ("organisation", "Organisation des services municipaux")),
    },
    "pt": {
        "health": (("saude", "Saúde"), ("saude-publica", "Saúde pública e centros de saúde")),
        "environment": (("ambiente", "Ambiente e sustentabilidade"),
                        ("acao-climatica", "Ação climática")),
        "education": (("educacao", "Educação"), ("escolas", "Escolas e jardins de infância")),
        "welfare": (("acao-social", "Ação social"), ("apoios", "Apoios sociais às famílias")),
        "transport": (("transportes", "Transportes públicos"),
                      ("autocarros", "Horários dos autocarros")),
        "orgchart": (("organograma", "Organograma"),
                     ("estrutura-organica", "Estrutura orgânica dos serviços")),
    },
    "de": {
        "health": (("gesundheit", "Gesundheit"),
                   ("gesundheitsamt", "Gesundheitsamt und Prävention")),
        "environment": (("umwelt", "Umwelt und Klima"), ("klimaschutz", "Klimaschutz")),
        "education": (("bildung", "Bildung und Schulen"),
                      ("kinderbetreuung", "Kitas und Kindertagespflege")),
        "welfare": (("soziales", "Soziales"), ("hilfen", "Sozialleistungen und Hilfen")),
        "transport": (("bus-und-bahn", "Bus und Bahn"),
                      ("nahverkehr", "Öffentlicher Nahverkehr (ÖPNV)")),
        "orgchart": (("organigramm", "Organigramm der Stadtverwaltung"),
                     ("verwaltungsgliederung", "Verwaltungsgliederung")),
    },
    "ru": {
        "health": (("zdravoohranenie", "Здравоохранение"), ("zdorove", "Здоровье горожан")),
        "environment": (("ekologiya", "Экология"),
                        ("okruzhayushchaya-sreda", "Охрана окружающей среды")),
        "education": (("obrazovanie", "Образование"), ("shkoly", "Школы и детские сады")),
        "welfare": (("soczashchita", "Социальная защита населения"),
                    ("podderzhka", "Меры социальной поддержки")),
        "transport": (("transport", "Общественный транспорт"),
                      ("raspisanie", "Расписание автобусов")),
        "orgchart": (("struktura", "Структура администрации"),
                     ("orgstruktura", "Организационная структура")),
    },
    "ar": {
        "health": (("health", "الصحة العامة"), ("health-services", "الخدمات الصحية في المدينة")),
        "environment": (("environment", "البيئة"),
                        ("sustainability", "الاستدامة وحماية البيئة")),
        "education": (("education", "التعليم"), ("schools", "المدارس ورياض الأطفال")),
        "welfare": (("social-affairs", "الشؤون الاجتماعية"), ("social-care", "الرعاية الاجتماعية")),
        "transport": (("transport", "النقل العام"), ("buses", "خطوط الحافلات ومواعيدها")),
        "orgchart": (("org-structure", "الهيكل التنظيمي للبلدية"), ("structure", "الهيكل الإداري")),
    },
    "zh": {
        "health": (("wsjk", "卫生健康"), ("ylws", "医疗卫生服务")),
        "environment": (("sthj", "生态环境"), ("hjbh", "环境保护")),
        "education": (("jyxx", "教育信息"), ("xqjy", "学前教育与入学")),
        "welfare": (("mzfw", "民政服务"), ("shbz", "社会保障")),
        "transport": (("ggjt", "公共交通"), ("gjxl", "公交线路查询")),
        "orgchart": (("jgsz", "机构设置"), ("zzjg", "组织机构")),
    },
}
for _code, _more in INFO_SECTIONS.items():
    SECTIONS[_code].update(_more)

# Decoys of the information sections: notices that name a section's word without offering it
# (a portal's financial health, staff training, the staff's working environment, employee
# benefits), in the languages where portals commonly word them so.
INFO_DECOYS: dict[str, list[str]] = {
    "en": ["Financial health: the auditor's report",
           "Continuing education for city employees",
           "A safe working environment: our staff charter",
           "Employee benefits and pensions"],
    "es": ["Salud financiera del Ayuntamiento"],
    "fr": ["Santé financière de la commune",
           "Environnement de travail : la charte des agents"],
    "pt": [], "de": [], "ru": [], "ar": [], "zh": [],
}

# Results of procurement (#221: contracts awarded, on a page of their own next to the tenders,
# which it requires) and the portal's usage statistics (#289: a page of its own, linked from
# the footer, or a visit counter in the footer of every page).
RESULT_SECTIONS: dict[str, dict[str, tuple[tuple[str, str], tuple[str, str]]]] = {
    "en": {"awards": (("contracts-awarded", "Contracts awarded"),
                      ("award-notices", "Contract award notices")),
           "usage": (("website-statistics", "Website statistics"),
                     ("visitor-statistics", "Visitor statistics"))},
    "es": {"awards": (("contratos-adjudicados", "Contratos adjudicados"),
                      ("adjudicaciones", "Adjudicaciones")),
           "usage": (("estadisticas-del-portal", "Estadísticas del portal"),
                     ("estadisticas-de-visitas", "Estadísticas de visitas a la web"))},
    "fr": {"awards": (("marches-attribues", "Marchés attribués"),
                      ("avis-d-attribution", "Avis d'attribution des marchés")),
           "usage": (("statistiques-du-site", "Statistiques de fréquentation du site"),
                     ("frequentation", "Fréquentation du site"))},
    "pt": {"awards": (("adjudicacoes", "Adjudicações"),
                      ("contratos-adjudicados", "Contratos adjudicados")),
           "usage": (("estatisticas", "Estatísticas de acesso ao portal"),
                     ("estatisticas-do-portal", "Estatísticas do portal"))},
    "de": {"awards": (("vergebene-auftraege", "Vergebene Aufträge"),
                      ("auftragsvergaben", "Auftragsvergaben")),
           "usage": (("zugriffsstatistik", "Zugriffsstatistik"),
                     ("besucherstatistik", "Besucherstatistik der Website"))},
    "ru": {"awards": (("itogi-zakupok", "Итоги закупок"),
                      ("rezultaty-torgov", "Результаты торгов")),
           "usage": (("statistika", "Статистика посещений сайта"),
                     ("poseshchaemost", "Посещаемость портала"))},
    "ar": {"awards": (("tender-results", "نتائج المناقصات"),
                      ("awarded-contracts", "العقود المرساة")),
           "usage": (("site-statistics", "إحصائيات الموقع"),
                     ("visitors", "عدد الزوار"))},
    "zh": {"awards": (("zbgg", "中标公告"), ("cgjg", "采购结果公告")),
           "usage": (("fwtj", "网站访问统计"), ("fwl", "网站访问量"))},
}
for _code, _more in RESULT_SECTIONS.items():
    SECTIONS[_code].update(_more)

# The visit counter in the footer, as portals word it ({n}: the count, written the language's way).
VISIT_COUNTER: dict[str, str] = {
    "en": "Visits: {n}", "es": "Visitas: {n}", "fr": "Visites : {n}", "pt": "Acessos: {n}",
    "de": "Besucher: {n}", "ru": "Всего посещений: {n}", "ar": "عدد الزيارات: {n}",
    "zh": "访问量：{n}",
}
# Decoy: the city's statistics office (population, census), which is not the portal's usage.
STATISTICS_DECOYS: dict[str, str] = {
    "en": "City statistics and census", "es": "Estadística municipal",
    "fr": "Statistiques et études", "pt": "Estatísticas do município",
    "de": "Statistik und Wahlen", "ru": "Статистика города", "ar": "الإحصاءات السكانية",
    "zh": "统计信息",
}

# E-participation: announcements of open consultations (#277) and, on portals that hold them,
# what came out of past ones (#278, which requires the first).
PARTICIPATION_SECTIONS: dict[str, dict[str, tuple[tuple[str, str], tuple[str, str]]]] = {
    "en": {"consultations": (("consultations", "Open consultations"),
                             ("have-your-say", "Have your say: current consultations")),
           "outcomes": (("what-we-heard", "What we heard"),
                        ("consultation-results", "Consultation results"))},
    "es": {"consultations": (("consultas-abiertas", "Consultas abiertas"),
                             ("participa", "Participa: consultas en curso")),
           "outcomes": (("resultados-participacion", "Resultados de la participación"),
                        ("conclusiones", "Conclusiones de la consulta"))},
    "fr": {"consultations": (("concertations", "Concertations en cours"),
                             ("participez", "Consultation ouverte sur le plan vélo")),
           "outcomes": (("bilan", "Bilan de la concertation"),
                        ("resultats", "Résultats de la consultation"))},
    "pt": {"consultations": (("consultas-abertas", "Consultas abertas"),
                             ("participar", "Consultas públicas em curso")),
           "outcomes": (("resultados-participacao", "Resultados da participação"),
                        ("relatorios", "Relatório da consulta pública"))},
    "de": {"consultations": (("beteiligung", "Aktuelle Beteiligungen"),
                             ("buergerbeteiligung", "Bürgerbeteiligung: laufende Verfahren")),
           "outcomes": (("ergebnisse", "Ergebnisse der Beteiligung"),
                        ("dokumentation", "Dokumentation der Beteiligung"))},
    "ru": {"consultations": (("obsuzhdeniya", "Открытые обсуждения"),
                             ("tekushchie", "Текущие обсуждения проектов")),
           "outcomes": (("itogi", "Итоги обсуждения"),
                        ("zaklyucheniya", "Заключение о результатах публичных слушаний"))},
    "ar": {"consultations": (("consultations", "المشاورات الحالية"),
                             ("participate", "الاستشارات المفتوحة للعموم")),
           "outcomes": (("results", "نتائج الاستشارة"), ("summary", "ملخص المشاورات"))},
    "zh": {"consultations": (("yjzj", "意见征集"), ("zzzj", "正在征集的意见")),
           "outcomes": (("yjcn", "意见采纳情况"), ("zjjg", "意见征集结果"))},
}
for _code, _more in PARTICIPATION_SECTIONS.items():
    SECTIONS[_code].update(_more)

# Single pages of the fourth part (issue 5): each module below registers its own features, so
# the generator and the agreement measure take them without a line of their own.
#   PAGES:   feature -> (section key, LOSI code, the feature it requires or None)
#   LABELS:  language -> section key -> ((slug, label), (slug, other label)), as SECTIONS
#   CONTENT: section key -> function(portal, ctx, rng, host) -> HTML of the page's main part
#            (optional; the default is paragraphs and a list of dated notices)
#   DECOYS:  language -> notices that name a feature's words without offering it (optional)
PAGES: dict[str, tuple[str, str, str | None]] = {}
PAGE_CONTENT: dict[str, Any] = {}


def _register(module: Any) -> None:
    clash = set(module.PAGES) & set(PAGES)
    if clash:
        raise ValueError(f"{module.__name__}: features registered twice: {sorted(clash)}")
    PAGES.update(module.PAGES)
    keys = {key for key, _, _ in module.PAGES.values()}
    for lang in SECTIONS:
        labels = module.LABELS[lang]
        if set(labels) != keys:
            raise ValueError(f"{module.__name__}: the {lang} labels are for {sorted(labels)}, "
                             f"the pages are {sorted(keys)}")
        SECTIONS[lang].update(labels)
    PAGE_CONTENT.update(getattr(module, "CONTENT", {}))
    for lang, notices in getattr(module, "DECOYS", {}).items():
        INFO_DECOYS[lang].extend(notices)


def _register_all() -> None:
    import importlib

    for name in PAGE_MODULES:
        _register(importlib.import_module(f"losi.world.{name}"))


PAGE_MODULES: tuple[str, ...] = ("pages_content", "pages_participation", "pages_support")
_register_all()
