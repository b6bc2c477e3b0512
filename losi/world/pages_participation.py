"""Single pages of the fourth part (issue 5): participation, rights and alerts, per language.

Nine features, each a page of its own on the portals that have it (see `extras.PAGES` for how a
module registers them):

- `emergency-alerts` (#218): a sign-up for warnings by text message or e-mail (floods, storms,
  heatwaves); it lives in the emergency section, which it requires.
- `civil-society-collaboration` (#223): volunteering and the city's work with associations.
- `access-to-information` (#224): the right to ask for the administration's information or
  documents (freedom of information), with a request form.
- `open-data-policy` (#235): the city's open-data policy, charter or strategy; it requires the
  open-data page, which it links to.
- `discrimination-reporting` (#267): a form to report discrimination (its grounds, what
  happened).
- `online-deliberation` (#272): a discussion platform: threads of residents' proposals with
  their replies, and a form to reply. Announcing consultations is #277 (`e-participation`),
  not a place to deliberate.
- `land-use-participation` (#276): the revision of the land-use or master plan, with the dates
  until which the draft can be commented on and the public meetings.
- `e-voting` (#279): an online ballot on a local decision (the design of a square, the name of a
  park): the options and the button that casts the vote.
- `satisfaction-results` (#294): the results of the residents' satisfaction survey, the share of
  satisfied users per half-year. The survey may have been held by post or telephone, so the
  page does not require the portal's own survey (#293), and its titles name the results, not a
  survey to take.

A feature requires another only where it lives inside it (the alerts in the emergency section,
the policy next to the data), and never a feature that itself requires one: each feature must
still reach about a third of the portals.

As in `extras.py`, the titles are what a portal in that language would write (pt is Portugal's,
ru uses the usual official titles, zh the mainland's), not copied from the detectors'
lexicons: where a natural title is missed, that is a finding about the lexicon. Titles also
keep clear of the words of other features a portal may lack (a complaint is #271's word, a
report of a problem #274's, announcements of consultations #277's), as real portals' titles of
these pages do.

The decoys name an election's polling station: information about voting, not an e-vote.
"""

from __future__ import annotations

import random
from typing import Any

# feature -> (section key, LOSI code, the feature it requires or None)
PAGES: dict[str, tuple[str, str, str | None]] = {
    "emergency-alerts": ("alert-signup", "218", "emergency-section"),
    "civil-society-collaboration": ("civil-society", "223", None),
    "access-to-information": ("foi", "224", None),
    "open-data-policy": ("open-data-policy", "235", "open-data"),
    "discrimination-reporting": ("discrimination", "267", None),
    "online-deliberation": ("deliberation", "272", None),
    "land-use-participation": ("land-use-plan", "276", None),
    "e-voting": ("e-vote", "279", None),
    "satisfaction-results": ("satisfaction-results", "294", None),
}

LABELS: dict[str, dict[str, tuple[tuple[str, str], tuple[str, str]]]] = {
    "en": {
        "alert-signup": (("emergency-alerts", "Sign up for emergency alerts"),
                         ("text-alerts", "Get warnings by text and email")),
        "civil-society": (("volunteering", "Volunteering in the city"),
                          ("community-partners", "Working with community and voluntary groups")),
        "foi": (("freedom-of-information", "Freedom of Information requests"),
                ("public-records", "Request public records")),
        "open-data-policy": (("open-data-policy", "Open data policy"),
                             ("open-data-charter", "Our open data charter")),
        "discrimination": (("report-discrimination", "Report discrimination or a hate incident"),
                           ("equality", "Equality and non-discrimination")),
        "deliberation": (("forum", "Community discussion forum"),
                         ("ideas", "Ideas for the city: propose and discuss")),
        "land-use-plan": (("local-plan", "Local Plan update"),
                          ("city-plan-2040", "City Plan 2040: comment on the draft")),
        "e-vote": (("vote", "Vote online: the new Market Square design"),
                   ("online-ballot", "Online ballot: name the new bridge")),
        "satisfaction-results": (("satisfaction-results", "Resident satisfaction results"),
                                 ("community-survey-results", "Community survey results")),
    },
    "es": {
        "alert-signup": (("alertas", "Alertas por SMS y correo electrónico"),
                         ("avisos", "Recibe los avisos de emergencia en tu móvil")),
        "civil-society": (("voluntariado", "Voluntariado municipal"),
                          ("asociaciones", "Asociaciones y entidades ciudadanas")),
        "foi": (("transparencia", "Transparencia y acceso a la información pública"),
                ("derecho-de-acceso", "Derecho de acceso a la información")),
        "open-data-policy": (("politica-datos-abiertos", "Política de datos abiertos"),
                             ("estrategia-datos", "Estrategia municipal de datos abiertos")),
        "discrimination": (("discriminacion", "Denuncia una situación de discriminación"),
                           ("oficina-igualdad", "Oficina de atención a víctimas de discriminación")),
        "deliberation": (("foro", "Foro ciudadano"),
                         ("propuestas", "Propuestas ciudadanas: debate y apoya ideas")),
        "land-use-plan": (("revision-plan-general", "Revisión del Plan General de Ordenación Urbana"),
                          ("avance-plan-general", "Avance del nuevo Plan General Municipal")),
        "e-vote": (("votacion", "Votación ciudadana: diseño de la nueva plaza"),
                   ("vota", "Vota online el nombre del nuevo parque")),
        "satisfaction-results": (("resultados-satisfaccion", "Resultados de satisfacción de los usuarios"),
                                 ("nivel-satisfaccion", "Nivel de satisfacción con los servicios municipales")),
    },
    "fr": {
        "alert-signup": (("alertes", "Inscription au système d'alerte"),
                         ("alerte-sms", "Recevez les alertes météo et risques par SMS")),
        "civil-society": (("vie-associative", "Vie associative"),
                          ("benevolat", "Devenir bénévole")),
        "foi": (("acces-aux-documents", "Accès aux documents administratifs"),
                ("demande-de-documents", "Demander la communication d'un document administratif")),
        "open-data-policy": (("politique-open-data", "Notre politique d'ouverture des données"),
                             ("charte-open-data", "Charte de la donnée ouverte")),
        "discrimination": (("discriminations", "Signaler une discrimination"),
                           ("egalite", "Égalité et lutte contre les discriminations")),
        "deliberation": (("forum", "Forum citoyen"),
                         ("plateforme-participative", "Plateforme participative : proposez et débattez")),
        "land-use-plan": (("plu", "Révision du plan local d'urbanisme"),
                          ("plui", "PLUi : enquête publique")),
        "e-vote": (("vote", "Vote en ligne : l'aménagement de la place"),
                   ("votez", "Votez pour le nom du nouveau parc")),
        "satisfaction-results": (("taux-de-satisfaction", "Taux de satisfaction des usagers"),
                                 ("barometre", "Baromètre de satisfaction des usagers")),
    },
    "pt": {
        "alert-signup": (("alertas", "Alertas de proteção civil por SMS"),
                         ("avisos", "Receba avisos à população no telemóvel")),
        "civil-society": (("voluntariado", "Banco local de voluntariado"),
                          ("associativismo", "Associativismo e parcerias com a comunidade")),
        "foi": (("acesso-a-documentos", "Acesso aos documentos administrativos"),
                ("transparencia", "Transparência e acesso à informação")),
        "open-data-policy": (("politica-dados-abertos", "Política de dados abertos"),
                             ("estrategia-dados", "Estratégia municipal de dados abertos")),
        "discrimination": (("discriminacao", "Denunciar uma situação de discriminação"),
                           ("igualdade", "Igualdade e não discriminação")),
        "deliberation": (("forum", "Fórum de participação"),
                         ("ideias", "Ideias para a cidade: proponha e comente")),
        "land-use-plan": (("pdm", "Revisão do Plano Diretor Municipal"),
                          ("plano-diretor", "PDM em revisão: participação preventiva")),
        "e-vote": (("votacao", "Votação online: requalificação da praça"),
                   ("votacao-parque", "Votação: escolha o nome do novo parque")),
        "satisfaction-results": (("indice-satisfacao", "Índice de satisfação dos munícipes"),
                                 ("resultados-satisfacao", "Resultados de satisfação dos munícipes")),
    },
    "de": {
        "alert-signup": (("warnungen", "Warnmeldungen per SMS und E-Mail abonnieren"),
                         ("unwetterwarnungen", "Unwetter- und Katastrophenwarnungen erhalten")),
        "civil-society": (("ehrenamt", "Ehrenamt und Engagement"),
                          ("vereine", "Vereine und Initiativen")),
        "foi": (("informationsfreiheit", "Informationsfreiheit"),
                ("informationszugang", "Antrag auf Informationszugang")),
        "open-data-policy": (("open-data-strategie", "Open-Data-Strategie"),
                             ("open-data-leitlinien", "Leitlinien für offene Daten")),
        "discrimination": (("antidiskriminierung", "Antidiskriminierungsstelle"),
                           ("diskriminierung-melden", "Diskriminierung erlebt? Jetzt melden")),
        "deliberation": (("forum", "Bürgerforum online"),
                         ("ideenplattform", "Ideenplattform: Vorschläge machen und diskutieren")),
        "land-use-plan": (("flaechennutzungsplan", "Neuaufstellung des Flächennutzungsplans"),
                          ("bauleitplanung", "Bauleitplanung: Pläne in der Offenlage")),
        "e-vote": (("abstimmung", "Online-Abstimmung zur Gestaltung des Marktplatzes"),
                   ("abstimmen", "Jetzt abstimmen: ein Name für den neuen Park")),
        "satisfaction-results": (("servicequalitaet", "Zufriedenheitsquote im Bürgerservice"),
                                 ("buergerbefragung", "Ergebnisse der Bürgerbefragung")),
    },
    "ru": {
        "alert-signup": (("opoveshchenie", "Оповещение населения: подписка на SMS"),
                         ("preduprezhdeniya", "Экстренные предупреждения на ваш телефон")),
        "civil-society": (("volonterstvo", "Волонтёрство"),
                          ("nko", "Социально ориентированные НКО")),
        "foi": (("dostup-k-informacii", "Доступ к информации о деятельности администрации"),
                ("zapros-informacii", "Запрос информации о деятельности органов МСУ")),
        "open-data-policy": (("politika-otkrytyh-dannyh", "Политика в области открытых данных"),
                             ("koncepciya", "Концепция открытых данных города")),
        "discrimination": (("diskriminaciya", "Сообщить о случае дискриминации"),
                           ("prava-cheloveka", "Защита прав человека и противодействие дискриминации")),
        "deliberation": (("forum", "Форум горожан"),
                         ("iniciativy", "Обсуждение инициатив жителей")),
        "land-use-plan": (("genplan", "Проект изменений генерального плана"),
                          ("pzz", "Внесение изменений в правила землепользования и застройки")),
        "e-vote": (("golosovanie", "Онлайн-голосование по благоустройству площади"),
                   ("vybor-nazvaniya", "Выберите название нового парка: голосование")),
        "satisfaction-results": (("udovletvorennost", "Уровень удовлетворённости жителей услугами"),
                                 ("ocenka-kachestva", "Итоги независимой оценки качества услуг")),
    },
    "ar": {
        "alert-signup": (("alerts", "اشترك في تنبيهات الطوارئ"),
                         ("sms-alerts", "التنبيهات والإنذارات عبر الرسائل النصية")),
        "civil-society": (("volunteering", "انضم إلى فريق المتطوعين"),
                          ("civil-society", "مؤسسات المجتمع المدني")),
        "foi": (("access-to-information", "الحق في الحصول على المعلومات"),
                ("information-request", "تقديم طلب للحصول على معلومات")),
        "open-data-policy": (("open-data-policy", "سياسة البيانات المفتوحة"),
                             ("open-data-strategy", "سياسة نشر البيانات الحكومية المفتوحة")),
        "discrimination": (("anti-discrimination", "مكافحة التمييز"),
                           ("discrimination", "هل تعرضت للتمييز؟ أبلغنا")),
        "deliberation": (("forum", "منتدى الحوار المجتمعي"),
                         ("ideas", "منصة الأفكار والنقاش العام")),
        "land-use-plan": (("master-plan", "تحديث المخطط العمراني الشامل"),
                          ("land-use", "المخطط التنظيمي الجديد للمدينة")),
        "e-vote": (("e-voting", "التصويت الإلكتروني على تصميم الساحة"),
                   ("vote", "صوّت لاختيار اسم الحديقة الجديدة")),
        "satisfaction-results": (("satisfaction-index", "مؤشر رضا المتعاملين: النتائج"),
                                 ("satisfaction-rate", "نسبة رضا المتعاملين عن الخدمات")),
    },
    "zh": {
        "alert-signup": (("yjxx", "预警信息发布"), ("dyyj", "订阅突发事件预警短信")),
        "civil-society": (("zyfw", "志愿服务"), ("shzz", "社会组织")),
        "foi": (("zfxxgk", "政府信息公开"), ("ysqgk", "依申请公开")),
        "open-data-policy": (("sjkfgl", "公共数据开放管理办法"), ("sjkfzc", "数据开放政策解读")),
        "discrimination": (("fqs", "反歧视举报"), ("qsjb", "遭受歧视在线举报")),
        "deliberation": (("wsyst", "网上议事厅"), ("msyslt", "民生议事论坛")),
        "land-use-plan": (("gtkjgh", "国土空间总体规划"), ("ghgs", "规划草案公示")),
        "e-vote": (("wstp", "网上投票"), ("gymmtp", "新建公园命名投票")),
        "satisfaction-results": (("mydcp", "群众满意度测评结果"), ("myl", "政务服务满意率")),
    },
}

# What the pages say and ask, per language: the sign-up, request, report, reply and ballot
# forms, the results' lead and columns, the plan's call for comments.
WORDS: dict[str, dict[str, Any]] = {
    "en": {
        "alert_intro": "Get free warnings about floods, storms, heatwaves and road closures by "
                       "text message or e-mail.",
        "phone": "Mobile number", "kinds": ["Floods", "Storms", "Heatwaves", "Air quality"],
        "subscribe": "Subscribe",
        "foi_intro": "You have the right to ask for information held by the council. We reply "
                     "within 20 working days.",
        "foi_request": "Information requested", "foi_send": "Send request",
        "disc_intro": "If you have been treated unfairly because of your origin, age, sex, "
                      "disability, religion or sexual orientation, you can report it here, "
                      "anonymously if you wish.",
        "grounds_label": "Grounds",
        "grounds": ["Ethnic origin", "Age", "Sex or gender", "Disability", "Religion or belief",
                    "Sexual orientation"],
        "what": "What happened", "disc_send": "Send report",
        "forum_intro": "Propose an idea, read what others think and join the discussion.",
        "replies": "{n} replies", "reply": "Your reply", "post": "Post",
        "vote_intro": "Choose the option you prefer. Voting closes on {date}.",
        "vote_button": "Cast your vote",
        "sat_lead": "In the last survey, {p}% of respondents were satisfied or very satisfied "
                    "with our services.",
        "sat_cols": ("Period", "Responses", "Satisfied"),
        "plan_lead": "The draft plan can be commented on until {date}. Public meetings and "
                     "exhibition:",
    },
    "es": {
        "alert_intro": "Recibe gratis en tu móvil o por correo los avisos por inundaciones, "
                       "temporales, olas de calor y cortes de tráfico.",
        "phone": "Teléfono móvil",
        "kinds": ["Inundaciones", "Temporales", "Olas de calor", "Calidad del aire"],
        "subscribe": "Suscribirme",
        "foi_intro": "Cualquier persona puede solicitar la información pública en poder del "
                     "Ayuntamiento. El plazo de respuesta es de un mes.",
        "foi_request": "Información que solicita", "foi_send": "Enviar solicitud",
        "disc_intro": "Si has sufrido un trato discriminatorio por tu origen, edad, sexo, "
                      "discapacidad, religión u orientación sexual, puedes comunicarlo aquí, "
                      "también de forma anónima.",
        "grounds_label": "Motivo",
        "grounds": ["Origen racial o étnico", "Edad", "Sexo o género", "Discapacidad",
                    "Religión o creencias", "Orientación sexual"],
        "what": "Qué ocurrió", "disc_send": "Enviar",
        "forum_intro": "Presenta tu idea, lee las de tus vecinos y participa en el debate.",
        "replies": "{n} respuestas", "reply": "Tu respuesta", "post": "Publicar",
        "vote_intro": "Elige la opción que prefieras. La votación termina el {date}.",
        "vote_button": "Votar",
        "sat_lead": "En la última encuesta, el {p} % de las personas encuestadas se mostró "
                    "satisfecha o muy satisfecha con la atención recibida.",
        "sat_cols": ("Periodo", "Respuestas", "Satisfechos"),
        "plan_lead": "Puede presentar sugerencias al avance del Plan hasta el {date}. "
                     "Sesiones informativas:",
    },
    "fr": {
        "alert_intro": "Recevez gratuitement par SMS ou courriel les alertes inondation, "
                       "tempête, canicule et les fermetures de routes.",
        "phone": "Téléphone portable",
        "kinds": ["Inondations", "Tempêtes", "Canicule", "Qualité de l'air"],
        "subscribe": "Je m'inscris",
        "foi_intro": "Toute personne peut demander la communication des documents "
                     "administratifs détenus par la commune. Réponse sous un mois.",
        "foi_request": "Document demandé", "foi_send": "Envoyer la demande",
        "disc_intro": "Vous avez été victime ou témoin d'une discrimination liée à l'origine, "
                      "l'âge, le sexe, le handicap, la religion ou l'orientation sexuelle ? "
                      "Décrivez les faits ici.",
        "grounds_label": "Critère",
        "grounds": ["Origine", "Âge", "Sexe", "Handicap", "Religion", "Orientation sexuelle"],
        "what": "Description des faits", "disc_send": "Envoyer",
        "forum_intro": "Proposez une idée, lisez celles des autres habitants et participez au "
                       "débat.",
        "replies": "{n} réponses", "reply": "Votre réponse", "post": "Publier",
        "vote_intro": "Choisissez l'option que vous préférez. Le vote est ouvert jusqu'au {date}.",
        "vote_button": "Voter",
        "sat_lead": "Lors de la dernière enquête, {p} % des usagers se déclaraient satisfaits "
                    "ou très satisfaits de l'accueil.",
        "sat_cols": ("Période", "Réponses", "Satisfaits"),
        "plan_lead": "Le projet est soumis à enquête publique jusqu'au {date} : vos "
                     "observations sont reçues en ligne et en mairie. Réunions publiques :",
    },
    "pt": {
        "alert_intro": "Receba gratuitamente por SMS ou e-mail os avisos de cheias, tempestades, "
                       "ondas de calor e cortes de estrada.",
        "phone": "Telemóvel",
        "kinds": ["Cheias", "Tempestades", "Ondas de calor", "Qualidade do ar"],
        "subscribe": "Subscrever",
        "foi_intro": "Qualquer pessoa pode pedir acesso aos documentos administrativos do "
                     "município. Resposta no prazo de 10 dias úteis.",
        "foi_request": "Documentos pedidos", "foi_send": "Enviar pedido",
        "disc_intro": "Foi vítima ou testemunha de discriminação em razão da origem, idade, "
                      "sexo, deficiência, religião ou orientação sexual? Comunique-o aqui.",
        "grounds_label": "Motivo",
        "grounds": ["Origem racial ou étnica", "Idade", "Sexo", "Deficiência", "Religião",
                    "Orientação sexual"],
        "what": "O que aconteceu", "disc_send": "Enviar",
        "forum_intro": "Proponha uma ideia, leia as dos outros munícipes e participe no debate.",
        "replies": "{n} respostas", "reply": "A sua resposta", "post": "Publicar",
        "vote_intro": "Escolha a opção que prefere. A votação termina a {date}.",
        "vote_button": "Votar",
        "sat_lead": "No último inquérito, {p}% dos inquiridos declararam-se satisfeitos ou muito "
                    "satisfeitos com o atendimento.",
        "sat_cols": ("Período", "Respostas", "Satisfeitos"),
        "plan_lead": "O período de participação pública decorre até {date}. Sessões públicas:",
    },
    "de": {
        "alert_intro": "Erhalten Sie kostenlos Warnungen vor Hochwasser, Unwetter, Hitze und "
                       "Straßensperrungen per SMS oder E-Mail.",
        "phone": "Mobilnummer", "kinds": ["Hochwasser", "Unwetter", "Hitze", "Luftqualität"],
        "subscribe": "Abonnieren",
        "foi_intro": "Jede Person hat Anspruch auf Zugang zu amtlichen Informationen der "
                     "Stadtverwaltung. Wir antworten innerhalb eines Monats.",
        "foi_request": "Gewünschte Informationen", "foi_send": "Antrag senden",
        "disc_intro": "Sie wurden wegen Ihrer Herkunft, Ihres Alters, Geschlechts, einer "
                      "Behinderung, Religion oder sexuellen Identität benachteiligt? Melden Sie "
                      "es hier, auf Wunsch anonym.",
        "grounds_label": "Merkmal",
        "grounds": ["Ethnische Herkunft", "Alter", "Geschlecht", "Behinderung",
                    "Religion oder Weltanschauung", "Sexuelle Identität"],
        "what": "Was ist passiert?", "disc_send": "Absenden",
        "forum_intro": "Bringen Sie Ihre Idee ein, lesen Sie die Vorschläge anderer und "
                       "diskutieren Sie mit.",
        "replies": "{n} Antworten", "reply": "Ihre Antwort", "post": "Veröffentlichen",
        "vote_intro": "Wählen Sie die Variante, die Ihnen am besten gefällt. Die Abstimmung läuft bis zum {date}.",
        "vote_button": "Stimme abgeben",
        "sat_lead": "Bei der letzten Befragung waren {p} % der Befragten zufrieden oder sehr "
                    "zufrieden mit unserem Service.",
        "sat_cols": ("Zeitraum", "Antworten", "Zufrieden"),
        "plan_lead": "Der Planentwurf liegt bis zum {date} öffentlich aus; bis dahin können "
                     "Sie Stellungnahmen abgeben. Termine:",
    },
    "ru": {
        "alert_intro": "Получайте бесплатно по SMS или электронной почте предупреждения о "
                       "паводках, штормах, аномальной жаре и перекрытиях дорог.",
        "phone": "Мобильный телефон",
        "kinds": ["Паводки", "Штормовой ветер", "Аномальная жара", "Качество воздуха"],
        "subscribe": "Подписаться",
        "foi_intro": "Пользователь вправе запросить информацию о деятельности органов местного "
                     "самоуправления. Ответ направляется в течение 30 дней.",
        "foi_request": "Запрашиваемая информация", "foi_send": "Отправить запрос",
        "disc_intro": "Если вы столкнулись с дискриминацией по признаку национальности, "
                      "возраста, пола, инвалидности или религии, сообщите об этом здесь.",
        "grounds_label": "Признак",
        "grounds": ["Национальность", "Возраст", "Пол", "Инвалидность", "Религия", "Иное"],
        "what": "Что произошло", "disc_send": "Отправить",
        "forum_intro": "Предложите идею, прочитайте мнения соседей и примите участие в "
                       "обсуждении.",
        "replies": "Ответов: {n}", "reply": "Ваш ответ", "post": "Опубликовать",
        "vote_intro": "Выберите понравившийся вариант. Голосование продлится до {date}.",
        "vote_button": "Проголосовать",
        "sat_lead": "По итогам последнего опроса {p}% жителей удовлетворены качеством "
                    "предоставления услуг.",
        "sat_cols": ("Период", "Ответов", "Удовлетворены"),
        "plan_lead": "Предложения и замечания по проекту принимаются до {date}. Собрания "
                     "участников:",
    },
    "ar": {
        "alert_intro": "احصل مجانًا على تنبيهات الفيضانات والعواصف وموجات الحر وإغلاق الطرق "
                       "عبر الرسائل النصية أو البريد الإلكتروني.",
        "phone": "رقم الهاتف المحمول",
        "kinds": ["الفيضانات", "العواصف", "موجات الحر", "جودة الهواء"],
        "subscribe": "اشترك",
        "foi_intro": "يحق لكل شخص طلب الحصول على المعلومات التي تحتفظ بها البلدية، ويتم الرد "
                     "خلال ثلاثين يومًا.",
        "foi_request": "المعلومات المطلوبة", "foi_send": "إرسال الطلب",
        "disc_intro": "إذا تعرضت لمعاملة تمييزية بسبب الأصل أو العمر أو الجنس أو الإعاقة أو "
                      "الدين، يمكنك إخبارنا بذلك هنا.",
        "grounds_label": "سبب التمييز",
        "grounds": ["الأصل", "العمر", "الجنس", "الإعاقة", "الدين", "أخرى"],
        "what": "ماذا حدث", "disc_send": "إرسال",
        "forum_intro": "اقترح فكرة، واطلع على آراء الآخرين، وشارك في النقاش.",
        "replies": "{n} ردود", "reply": "ردك", "post": "نشر",
        "vote_intro": "اختر الخيار الذي تفضله. يستمر التصويت حتى {date}.",
        "vote_button": "صوّت",
        "sat_lead": "بلغت نسبة رضا المتعاملين عن الخدمات {p}% في آخر استبيان.",
        "sat_cols": ("الفترة", "عدد الردود", "نسبة الرضا"),
        "plan_lead": "يمكن تقديم الملاحظات على مشروع المخطط حتى {date}. الجلسات العامة:",
    },
    "zh": {
        "alert_intro": "免费通过短信或电子邮件接收暴雨、台风、高温和道路封闭等预警信息。",
        "phone": "手机号码", "kinds": ["暴雨", "台风", "高温", "空气质量"],
        "subscribe": "订阅",
        "foi_intro": "公民、法人或者其他组织可以向本机关申请获取政府信息，本机关在20个工作日内予以答复。",
        "foi_request": "所需信息内容描述", "foi_send": "提交申请",
        "disc_intro": "如您因民族、年龄、性别、残疾或宗教信仰等原因受到歧视，可在此在线举报。",
        "grounds_label": "歧视类型",
        "grounds": ["民族", "年龄", "性别", "残疾", "宗教信仰", "其他"],
        "what": "事情经过", "disc_send": "提交",
        "forum_intro": "提出您的想法，查看其他市民的观点并参与讨论。",
        "replies": "{n}条回复", "reply": "回复内容", "post": "发表",
        "vote_intro": "请选择您支持的方案，投票截止日期为{date}。",
        "vote_button": "投票",
        "sat_lead": "最近一次测评显示，{p}%的受访群众对政务服务表示满意或非常满意。",
        "sat_cols": ("时间", "样本数", "满意率"),
        "plan_lead": "规划草案公示期至{date}，欢迎社会各界参与。公众座谈会安排：",
    },
}


def _w(portal: Any) -> dict[str, Any]:
    return WORDS[portal._lang_code]


def _deadline(portal: Any, days: int) -> str:
    """A date `days` after the portal's newest items (its notices count back from the same day),
    for the end of a comment period or of a vote."""
    from losi.world.generate import _portal_date

    return _portal_date(portal, -(days // 3))


def _field(kind: str, name: str, label: str) -> str:
    from losi.world.generate import _esc

    if kind == "textarea":
        return (f'<label for="p-{name}">{_esc(label)}</label>'
                f'<textarea id="p-{name}" name="{name}" rows="6"></textarea>')
    return (f'<label for="p-{name}">{_esc(label)}</label>'
            f'<input id="p-{name}" type="{kind}" name="{name}">')


def _post_form(portal: Any, key: str, rows: list[str], button: str, cls: str) -> str:
    from losi.world.generate import _esc

    return (f'<form method="post" action="{_esc(portal.section_path(key))}" class="{cls}">'
            f'{"".join(rows)}<button type="submit">{_esc(button)}</button></form>\n')


def _content_alerts(portal: Any, ctx: Any, rng: random.Random, host: str) -> str:
    """The sign-up for warnings: a mobile number or an e-mail address, and which warnings."""
    from losi.world.generate import _esc

    w, form = _w(portal), portal._lang["form"]
    kinds = "".join(f'<label><input type="checkbox" name="kind" value="{i}" checked> '
                    f"{_esc(k)}</label>" for i, k in enumerate(w["kinds"]))
    rows = [_field("tel", "mobile", w["phone"]), _field("email", "email", form["email"]),
            f"<fieldset>{kinds}</fieldset>"]
    return (f'<p class="lead">{_esc(w["alert_intro"])}</p>\n'
            + _post_form(portal, "alert-signup", rows, w["subscribe"], "alert-signup"))


def _content_foi(portal: Any, ctx: Any, rng: random.Random, host: str) -> str:
    """The right to information and a request form: who asks, what they ask for."""
    from losi.world.generate import _esc

    w, form = _w(portal), portal._lang["form"]
    rows = [_field("text", "applicant", form["name"]), _field("email", "email", form["email"]),
            _field("textarea", "requested", w["foi_request"])]
    return (f'<p class="lead">{_esc(w["foi_intro"])}</p>\n'
            + _post_form(portal, "foi", rows, w["foi_send"], "information-request"))


def _content_policy(portal: Any, ctx: Any, rng: random.Random, host: str) -> str:
    """The policy's sections (paragraphs above), its revisions, and a link to the data."""
    from losi.world.generate import _dated_list, _see_also

    return _dated_list(portal, rng, 3) + _see_also(portal, ctx, "opendata")


def _content_discrimination(portal: Any, ctx: Any, rng: random.Random, host: str) -> str:
    """The report form: on what grounds, what happened, an address to answer (optional)."""
    from losi.world.generate import _esc

    w, form = _w(portal), portal._lang["form"]
    options = "".join(f'<option value="{i}">{_esc(g)}</option>'
                      for i, g in enumerate(w["grounds"]))
    rows = [f'<label for="p-grounds">{_esc(w["grounds_label"])}</label>'
            f'<select id="p-grounds" name="grounds">{options}</select>',
            _field("textarea", "account", w["what"]), _field("email", "email", form["email"])]
    return (f'<p class="lead">{_esc(w["disc_intro"])}</p>\n'
            + _post_form(portal, "discrimination", rows, w["disc_send"], "discrimination-report"))


def _content_deliberation(portal: Any, ctx: Any, rng: random.Random, host: str) -> str:
    """The discussion: residents' proposals with the number of replies, and a reply form."""
    from losi.world.generate import _esc, _portal_date, _sentence

    w = _w(portal)
    threads = "".join(
        f'<li class="thread"><strong>{_esc(_sentence(rng, portal._lang, 4, 9))}</strong> '
        f'<time datetime="{_portal_date(portal, i * 5 + 2)}">{_portal_date(portal, i * 5 + 2)}'
        f'</time> '
        f'<span class="replies">{_esc(w["replies"].format(n=rng.randint(3, 140)))}</span></li>'
        for i in range(6))
    rows = [_field("textarea", "reply", w["reply"])]
    return (f'<p class="lead">{_esc(w["forum_intro"])}</p>\n<ul class="threads">{threads}</ul>\n'
            + _post_form(portal, "deliberation", rows, w["post"], "reply"))


def _content_plan(portal: Any, ctx: Any, rng: random.Random, host: str) -> str:
    """The plan under revision: until when the draft can be commented on, the public
    meetings."""
    from losi.world.generate import _dated_list, _esc

    w = _w(portal)
    return (f'<p class="lead">{_esc(w["plan_lead"].format(date=_deadline(portal, 60)))}</p>\n'
            + _dated_list(portal, rng, 4))


def _content_vote(portal: Any, ctx: Any, rng: random.Random, host: str) -> str:
    """The ballot: the options to choose from and the button that casts the vote."""
    from losi.world.generate import _esc, _sentence

    w = _w(portal)
    options = "".join(f'<label><input type="radio" name="option" value="{i + 1}"> '
                      f"{_esc(_sentence(rng, portal._lang, 3, 7))}</label>" for i in range(4))
    return (f'<p class="lead">{_esc(w["vote_intro"].format(date=_deadline(portal, 21)))}</p>\n'
            + _post_form(portal, "e-vote", [f"<fieldset>{options}</fieldset>"],
                         w["vote_button"], "ballot"))


def _content_results(portal: Any, ctx: Any, rng: random.Random, host: str) -> str:
    """The survey's results: the share of satisfied users, per half-year."""
    from losi.world.generate import _esc

    w = _w(portal)
    shares = [rng.randint(72, 94) for _ in range(4)]
    period, answers, satisfied = w["sat_cols"]
    rows = "".join(f"<tr><td>{2025 - i // 2}-{'H2' if i % 2 == 0 else 'H1'}</td>"
                   f"<td>{rng.randint(300, 2_400)}</td><td>{p}%</td></tr>"
                   for i, p in enumerate(shares))
    return (f'<p class="lead">{_esc(w["sat_lead"].format(p=shares[0]))}</p>\n'
            f'<table class="figures"><tr><th>{_esc(period)}</th><th>{_esc(answers)}</th>'
            f"<th>{_esc(satisfied)}</th></tr>{rows}</table>\n")


CONTENT: dict[str, Any] = {
    "alert-signup": _content_alerts,
    "foi": _content_foi,
    "open-data-policy": _content_policy,
    "discrimination": _content_discrimination,
    "deliberation": _content_deliberation,
    "land-use-plan": _content_plan,
    "e-vote": _content_vote,
    "satisfaction-results": _content_results,
    # civil-society: paragraphs and dated notices (calls for volunteers, partners' news)
}

# Information about an election (where to vote) is not an e-vote.
DECOYS: dict[str, list[str]] = {
    "en": ["Elections: find your polling station"],
    "es": ["Elecciones: dónde votar y colegios electorales"],
    "fr": ["Élections : trouver son bureau de vote"],
    "pt": ["Eleições: onde votar"],
    "de": ["Wahlen: Wo ist mein Wahllokal?"],
    "ru": ["Выборы: найти свой избирательный участок"],
}
