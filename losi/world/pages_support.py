"""Support, housing, money and business pages of the fourth part (issue 5): places where people
get personal help with online services (#225b), guides to using them (#241), help for homeless
people (#297), lost and found (#298), affordable housing (#299), and four of the 2023 workshop's
proposals, bound in `losi-2024-workshop`: budget transparency (WS2), local data protection
(WS3), information for businesses and investors (WS6) and public-transport tickets sold online
(WS7).

Each is a single page of its own, linked from the home page and the menus like the information
sections of `extras.INFO_SECTIONS`, titled as a portal in that language titles it, two ways per
language (a portal picks one): England's 'Council spending over £500' and 'rough sleeping',
Spain's 'Ejecución presupuestaria' and 'billetes', France's 'Maison France Services' and
'Objets trouvés', Portugal's 'Espaço Cidadão', 'Execução orçamental' and 'sem-abrigo', Germany's
'Fundbüro', 'Wohnungslosenhilfe' and 'Wohnberechtigungsschein', Russia's МФЦ and inflected
titles ('Помощь людям без определённого места жительства'), China's '政务服务大厅' and '失物招领'.
The wording is not copied from the detectors' lexicons: where a natural title is missed, that is
a finding about the lexicon.

Requirements: budget transparency (WS2) goes beyond the budget document (#219), and its titles
('Ejecución presupuestaria', 'Исполнение бюджета', '预决算公开') are budget titles to #219 too, so
only a portal with a budget page has it; tickets (WS7) are for the public transport the portal
describes (#282), and 'Fares and tickets' is a transport title to #282; local data protection
(WS3) goes beyond the privacy statement (#234): a data-protection officer and people's rights
over their data are what a portal adds to its privacy statement, and a page titled 'Data
protection' is, to #234's assessors, a privacy statement as well, so a portal that had one
without the other would make #234's detector right to say present. The other way round is the
one measured: a privacy statement ('Datenschutzerklärung' at /datenschutz/) is not local data
protection, and a budget page is not budget transparency.

Content: what an assessor looks for on such a page. Budget transparency shows spending in detail
(the quarter's payments by date, amount in the currency written the language's way, payee and
purpose); data protection names its officer, with the address to write to as text (an e-mail
link is, to #214, a sign of the portal's contact details, which many portals here lack) and
lists people's rights; the tickets page lists fares and links to the operator's online shop (on
another site, one hop away, unreachable like every site the world does not serve); lost and
found lists the items handed in, by date; the other pages are paragraphs and dated notices.

Decoys: notices that use a feature's words for something else: tickets for a festival (en, fr;
a box office sells no transport tickets).
"""

from __future__ import annotations

import random
from typing import Any

# feature -> (section key, LOSI code, the feature it requires or None)
PAGES: dict[str, tuple[str, str, str | None]] = {
    "assisted-access": ("assisted", "225b", None),
    "guidance-tutorials": ("guides", "241", None),
    "homeless-services": ("homeless", "297", None),
    "lost-and-found": ("lostfound", "298", None),
    "affordable-housing": ("housing", "299", None),
    "budget-transparency": ("spending", "WS2", "budget"),
    "data-protection": ("dataprotection", "WS3", "privacy-policy"),
    "commercial-information": ("business", "WS6", None),
    "transport-tickets": ("tickets", "WS7", "public-transport"),
}

LABELS: dict[str, dict[str, tuple[tuple[str, str], tuple[str, str]]]] = {
    "en": {
        "assisted": (("digital-inclusion", "Get online: free computer sessions near you"),
                     ("digital-support", "Digital support at your local library")),
        "guides": (("how-to-guides", "How-to guides for our online services"),
                   ("video-guides", "Video guides: using your online account")),
        "homeless": (("homelessness", "Homelessness and rough sleeping"),
                     ("rough-sleeping", "Worried about someone sleeping rough?")),
        "lostfound": (("lost-property", "Lost property"),
                      ("lost-and-found", "Lost and found items")),
        "housing": (("housing-register", "Apply for council housing"),
                    ("affordable-homes", "Affordable homes to rent or buy")),
        "spending": (("council-spending", "Council spending over £500"),
                     ("payments-to-suppliers", "Payments to suppliers")),
        "dataprotection": (("data-protection", "Data protection and your rights"),
                           ("data-protection-officer", "Our Data Protection Officer")),
        "business": (("business", "Business and investment"),
                     ("economic-development", "Economic development")),
        "tickets": (("fares-and-tickets", "Fares and tickets"),
                    ("bus-passes", "Buy a bus pass")),
    },
    "es": {
        "assisted": (("inclusion-digital", "Puntos de inclusión digital"),
                     ("atencion-presencial", "Oficinas de asistencia en materia de registros")),
        "guides": (("guias", "Guías de uso de la sede electrónica"),
                   ("videotutoriales", "Videotutoriales: cómo hacer tus trámites")),
        "homeless": (("personas-sin-hogar", "Atención a personas sin hogar"),
                     ("albergue", "Albergue municipal y comedor social")),
        "lostfound": (("objetos-perdidos", "Oficina de objetos perdidos"),
                      ("objetos-perdidos", "Objetos perdidos: consulta y recogida")),
        "housing": (("vivienda", "Vivienda protegida"),
                    ("alquiler-asequible", "Bolsa de alquiler asequible")),
        "spending": (("ejecucion-presupuestaria", "Ejecución presupuestaria"),
                     ("informacion-economica", "Información económica y presupuestaria")),
        "dataprotection": (("proteccion-de-datos", "Protección de datos personales"),
                           ("delegado-de-proteccion-de-datos", "Delegado de Protección de Datos")),
        "business": (("empresas", "Empresas y emprendedores"),
                     ("promocion-economica", "Promoción económica")),
        "tickets": (("billetes", "Billetes y abonos de autobús"),
                    ("tarjeta-transporte", "Recarga tu tarjeta de transporte")),
    },
    "fr": {
        "assisted": (("france-services", "Maison France Services"),
                     ("conseiller-numerique",
                      "Conseiller numérique : accompagnement aux démarches")),
        "guides": (("tutoriels", "Tutoriels : vos démarches en ligne"),
                   ("guide-teleservices", "Guide des téléservices")),
        "homeless": (("sans-abri", "Sans-abri : hébergement et accueil de jour"),
                     ("veille-sociale", "Veille sociale et hébergement d'urgence")),
        "lostfound": (("objets-trouves", "Objets trouvés"),
                      ("objets-perdus", "Objets perdus, objets trouvés")),
        "housing": (("logement-social", "Demande de logement social"),
                    ("se-loger", "Se loger : l'offre de logements aidés")),
        "spending": (("execution-budgetaire", "Exécution budgétaire"),
                     ("comptes", "Les comptes de la ville en détail")),
        "dataprotection": (("protection-des-donnees", "Protection des données personnelles"),
                           ("dpo", "Délégué à la protection des données (DPO)")),
        "business": (("entreprendre", "Entreprendre et investir"),
                     ("economie", "Économie et commerce")),
        "tickets": (("titres-de-transport", "Tickets et abonnements"),
                    ("billettique", "Acheter ses titres de transport en ligne")),
    },
    "pt": {
        "assisted": (("espaco-cidadao", "Espaço Cidadão"),
                     ("atendimento-digital-assistido", "Atendimento digital assistido")),
        "guides": (("guias", "Guias dos serviços online"),
                   ("tutoriais", "Tutoriais em vídeo")),
        "homeless": (("sem-abrigo", "Apoio às pessoas em situação de sem-abrigo"),
                     ("npisa", "Núcleo de Planeamento e Intervenção Sem-Abrigo")),
        "lostfound": (("perdidos-e-achados", "Perdidos e achados"),
                      ("objetos-achados", "Objetos encontrados na via pública")),
        "housing": (("habitacao", "Habitação municipal"),
                    ("arrendamento-acessivel", "Programa de Arrendamento Acessível")),
        "spending": (("execucao-orcamental", "Execução orçamental"),
                     ("prestacao-de-contas", "Prestação de contas")),
        "dataprotection": (("protecao-de-dados", "Proteção de dados pessoais"),
                           ("epd", "Encarregado de Proteção de Dados")),
        "business": (("investir", "Investir no concelho"),
                     ("empresas", "Apoio às empresas")),
        "tickets": (("bilhetes", "Bilhetes e passes"),
                    ("carregar-passe", "Carregar o passe online")),
    },
    "de": {
        "assisted": (("digitale-sprechstunde", "Digitale Sprechstunde in der Stadtbibliothek"),
                     ("digitallotsen", "Digitallotsen unterstützen bei Online-Anträgen")),
        "guides": (("anleitungen", "Anleitungen zu den Online-Diensten"),
                   ("erklaervideos", "Erklärvideos zum Serviceportal")),
        "homeless": (("wohnungslosenhilfe", "Wohnungslosenhilfe"),
                     ("obdachlosigkeit", "Hilfe bei Obdachlosigkeit")),
        "lostfound": (("fundbuero", "Fundbüro"),
                      ("fundsachen", "Online-Fundbüro: Fundsachen suchen")),
        "housing": (("wohnberechtigungsschein", "Wohnberechtigungsschein und Sozialwohnungen"),
                    ("gefoerderter-wohnraum", "Geförderter Wohnraum")),
        "spending": (("haushaltsvollzug", "Haushaltsvollzug"),
                     ("offener-haushalt", "Offener Haushalt: Einnahmen und Ausgaben")),
        "dataprotection": (("datenschutzbeauftragter", "Behördlicher Datenschutzbeauftragter"),
                           ("ihre-rechte", "Ihre Rechte nach der DSGVO")),
        "business": (("wirtschaftsfoerderung", "Wirtschaftsförderung"),
                     ("wirtschaft", "Wirtschaft und Standort")),
        "tickets": (("tickets", "Tickets und Abos"),
                    ("fahrkarten", "Fahrkarten online kaufen")),
    },
    "ru": {
        "assisted": (("mfc", "Многофункциональный центр (МФЦ)"),
                     ("cod", "Центры общественного доступа к госуслугам")),
        "guides": (("instrukcii", "Инструкции по получению услуг в электронном виде"),
                   ("kak-podat-zayavlenie", "Как подать заявление через портал")),
        "homeless": (("bomzh", "Помощь людям без определённого места жительства"),
                     ("socgostinica", "Социальная гостиница для бездомных")),
        "lostfound": (("byuro-nahodok", "Бюро находок"),
                      ("poteryannye-veshchi", "Потерянные и найденные вещи")),
        "housing": (("zhilishchnye-programmy", "Жилищные программы"),
                    ("socialnyj-naem", "Предоставление жилья по договору социального найма")),
        "spending": (("byudzhet-dlya-grazhdan", "Бюджет для граждан"),
                     ("ispolnenie-byudzheta", "Исполнение бюджета")),
        "dataprotection": (("zashchita-dannyh", "Защита персональных данных"),
                           ("otvetstvennyj", "Ответственный за обработку персональных данных")),
        "business": (("investoram", "Инвестиционная деятельность"),
                     ("msp", "Поддержка малого и среднего предпринимательства")),
        "tickets": (("bilety", "Проездные билеты онлайн"),
                    ("transportnaya-karta", "Пополнение транспортной карты")),
    },
    "ar": {
        "assisted": (("service-centers", "مراكز خدمة المواطنين"),
                     ("digital-assistance", "المساعدة في استخدام الخدمات الإلكترونية")),
        "guides": (("guides", "أدلة استخدام الخدمات الإلكترونية"),
                   ("tutorials", "فيديوهات توضيحية لخطوات تقديم الطلبات")),
        "homeless": (("shelter", "إيواء المشردين"),
                     ("homeless-care", "رعاية الأشخاص بلا مأوى")),
        "lostfound": (("lost-found", "المفقودات والموجودات"),
                      ("lost-items", "خدمة المفقودات")),
        "housing": (("housing", "الإسكان الاجتماعي"),
                    ("housing-programs", "برامج السكن الميسر")),
        "spending": (("budget-execution", "تقارير تنفيذ الموازنة"),
                     ("public-spending", "بيانات الإنفاق العام")),
        "dataprotection": (("data-protection", "حماية البيانات الشخصية"),
                           ("dpo", "مسؤول حماية البيانات")),
        "business": (("investment", "فرص الاستثمار"),
                     ("investor-guide", "دليل المستثمر")),
        "tickets": (("tickets", "شراء تذاكر الحافلات"),
                    ("bus-card", "شحن بطاقة الحافلة")),
    },
    "zh": {
        "assisted": (("zwfwdt", "政务服务大厅"), ("bbdb", "帮办代办服务")),
        "guides": (("czzn", "网上办事操作指南"), ("spjc", "视频教程：手把手教你网上办")),
        "homeless": (("lljz", "流浪乞讨人员救助"), ("hdjz", "寒冬送温暖：流浪人员临时救助")),
        "lostfound": (("swzl", "失物招领"), ("yswp", "遗失物品查询")),
        "housing": (("bzxzf", "保障性住房"), ("gzf", "公租房申请")),
        "spending": (("yjsgk", "预决算公开"), ("czzc", "财政支出明细")),
        "dataprotection": (("grxxbh", "个人信息保护"), ("grxxfzr", "个人信息保护负责人")),
        "business": (("tzcs", "投资城市"), ("yshj", "优化营商环境")),
        "tickets": (("gjgp", "公交电子购票"), ("jtkcz", "交通卡在线充值")),
    },
}

# The words of the pages' content, per language.
# spending: (caption, date, amount, payee, purpose; the amount as written: {n} and the currency)
_SPENDING: dict[str, tuple[str, str, str, str, str, str]] = {
    "en": ("Payments made this quarter", "Date", "Amount", "Supplier", "Purpose", "£{n}"),
    "es": ("Pagos realizados este trimestre", "Fecha", "Importe", "Proveedor", "Concepto",
           "{n} €"),
    "fr": ("Mandats payés ce trimestre", "Date", "Montant", "Fournisseur", "Objet", "{n} €"),
    "pt": ("Pagamentos efetuados neste trimestre", "Data", "Montante", "Fornecedor",
           "Finalidade", "{n} €"),
    "de": ("Auszahlungen im laufenden Quartal", "Datum", "Betrag", "Empfänger", "Zweck",
           "{n} €"),
    "ru": ("Кассовые расходы за квартал", "Дата", "Сумма", "Получатель", "Назначение",
           "{n} ₽"),
    "ar": ("المدفوعات خلال هذا الربع", "التاريخ", "المبلغ", "المورد", "الغرض", "{n} درهم"),
    "zh": ("本季度支出明细", "日期", "金额（元）", "收款单位", "用途", "{n}"),
}
# thousands and decimal separators of the amounts
_SEPARATORS: dict[str, tuple[str, str]] = {
    "en": (",", "."), "es": (".", ","), "fr": ("\u202f", ","), "pt": ("\u00a0", ","),
    "de": (".", ","), "ru": ("\u00a0", ","), "ar": (",", "."), "zh": (",", "."),
}
# data protection: (the officer's title, "write to", the rights listed)
_DATA_PROTECTION: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "en": ("Data Protection Officer", "Write to", (
        "Right of access to your personal data", "Right to rectification",
        "Right to erasure", "Right to object to processing")),
    "es": ("Delegado de Protección de Datos", "Escríbanos a", (
        "Derecho de acceso", "Derecho de rectificación", "Derecho de supresión",
        "Derecho de oposición")),
    "fr": ("Délégué à la protection des données", "Écrire à", (
        "Droit d'accès", "Droit de rectification", "Droit à l'effacement",
        "Droit d'opposition")),
    "pt": ("Encarregado de Proteção de Dados", "Contacto", (
        "Direito de acesso", "Direito de retificação", "Direito ao apagamento",
        "Direito de oposição")),
    "de": ("Datenschutzbeauftragter der Stadtverwaltung", "E-Mail", (
        "Recht auf Auskunft", "Recht auf Berichtigung", "Recht auf Löschung",
        "Widerspruchsrecht")),
    "ru": ("Ответственный за организацию обработки персональных данных", "Электронная почта", (
        "Право на доступ к персональным данным", "Право на уточнение данных",
        "Право на уничтожение данных", "Право на отзыв согласия")),
    "ar": ("مسؤول حماية البيانات", "البريد الإلكتروني", (
        "حق الاطلاع على البيانات", "حق التصحيح", "حق المحو", "حق الاعتراض على المعالجة")),
    "zh": ("个人信息保护负责人", "电子邮箱", (
        "查阅、复制个人信息", "更正、补充个人信息", "删除个人信息", "撤回同意")),
}
# tickets: (fares caption, ticket kinds, the operator's online shop's link label)
_TICKETS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "en": ("Fares", ("Single journey", "Day ticket", "Monthly pass"),
           "Buy online from the operator"),
    "es": ("Tarifas", ("Billete sencillo", "Bono de 10 viajes", "Abono mensual"),
           "Compra online en la web del operador"),
    "fr": ("Tarifs", ("Ticket unitaire", "Pass journée", "Abonnement mensuel"),
           "Acheter sur la boutique en ligne du réseau"),
    "pt": ("Tarifário", ("Bilhete de bordo", "Bilhete diário", "Passe mensal"),
           "Comprar na loja online do operador"),
    "de": ("Tarife", ("Einzelfahrschein", "Tageskarte", "Monatskarte"),
           "Im Onlineshop der Verkehrsbetriebe kaufen"),
    "ru": ("Тарифы", ("Разовая поездка", "Билет на сутки", "Проездной на месяц"),
           "Купить в интернет-магазине перевозчика"),
    "ar": ("التعرفة", ("رحلة واحدة", "تذكرة يومية", "اشتراك شهري"),
           "الشراء من المتجر الإلكتروني للمشغل"),
    "zh": ("票价", ("单程票", "一日票", "月票"), "在运营公司网上商城购买"),
}


def _content_spending(portal: Any, ctx: Any, rng: random.Random, host: str) -> str:
    """Spending in detail: the payments of the quarter, by date, payee, purpose and amount."""
    from losi.world.generate import _esc, _portal_date, _sentence

    caption, *heads, money = _SPENDING[portal._lang_code]
    thousands, decimal = _SEPARATORS[portal._lang_code]
    head = "".join(f"<th>{_esc(h)}</th>" for h in heads)
    rows = []
    for i in range(12):
        n = f"{rng.randint(500, 250_000):,}".replace(",", thousands)
        amount = money.format(n=f"{n}{decimal}{rng.randint(0, 99):02d}")
        rows.append(f"<tr><td>{_portal_date(portal, 3 * i + 2)}</td><td>{_esc(amount)}</td>"
                    f"<td>{_esc(_sentence(rng, portal._lang, 2, 4))}</td>"
                    f"<td>{_esc(_sentence(rng, portal._lang, 2, 5))}</td></tr>")
    return (f'<table class="figures spending"><caption>{_esc(caption)}</caption>'
            f"<tr>{head}</tr>{''.join(rows)}</table>\n")


def _content_data_protection(portal: Any, ctx: Any, rng: random.Random, host: str) -> str:
    """The data-protection officer, an address to write to, and people's rights."""
    from losi.world.generate import _esc

    officer, write, rights = _DATA_PROTECTION[portal._lang_code]
    items = "".join(f"<li>{_esc(r)}</li>" for r in rights)
    # the address as text, as many portals write it: an e-mail link is, to #214, a weak sign of
    # the portal's contact details, which a portal without them must not show
    return (f'<section class="dpo"><h2>{_esc(officer)}</h2><p>{_esc(write)}: '
            f'dpo@{host}.example</p></section>\n'
            f'<ul class="rights">{items}</ul>\n')


def _content_tickets(portal: Any, ctx: Any, rng: random.Random, host: str) -> str:
    """Fares, and the operator's online shop (another site, one hop away) to buy them."""
    from losi.world.generate import _esc

    caption, kinds, buy = _TICKETS[portal._lang_code]
    rows = "".join(f"<tr><td>{_esc(k)}</td><td>{p:.2f}</td></tr>"
                   for k, p in zip(kinds, (1.5 + rng.randint(0, 10) / 10,
                                          5 + rng.randint(0, 20) / 10, 35 + rng.randint(0, 30))))
    shop = portal._links([(f"https://shop.{host}-transit.example/tickets", buy)], ctx,
                         "ticket-shop")
    return (f'<table class="fares"><caption>{_esc(caption)}</caption>{rows}</table>\n{shop}')


def _content_lost_found(portal: Any, ctx: Any, rng: random.Random, host: str) -> str:
    """The items handed in, by date (a register people search)."""
    from losi.world.generate import _dated_list

    return _dated_list(portal, rng, 8)


CONTENT: dict[str, Any] = {
    "spending": _content_spending,
    "dataprotection": _content_data_protection,
    "tickets": _content_tickets,
    "lostfound": _content_lost_found,
}

DECOYS: dict[str, list[str]] = {
    "en": ["Tickets for the summer festival are on sale"],
    "fr": ["Billetterie du festival d'été"],
}
