"""Information sections of the fourth part (issue 5): what a portal tells its residents about
leisure, culture and sports (#230), vulnerable groups (#231), justice matters (#232), labour and
employment (#233), waste and recycling (#284), roads (#285), its air-pollution policy (#291) and
measurements (#292), its smart-city programme (#238), its use of emerging technologies (#239)
and its reporting on the Sustainable Development Goals (#243).

Each is a single page of its own, linked from the home page and the menus like the information
sections of `extras.INFO_SECTIONS`, and titled as a portal in that language titles it, two ways
per language (a portal picks one): Portugal's 'Julgado de Paz' and 'ecopontos', Germany's
'Schiedsamt' and 'Umweltzone', Russia's inflected titles ('Обращение с отходами'), China's
'人民调解' and '蓝天保卫战'. The wording is not copied from the detectors' lexicons: where a natural
title is missed, that is a finding about the lexicon.

Two features require another, whose signs their titles carry. Air-quality measurements (#292)
require the air-quality policy (#291): a page of readings is titled with the words of air quality
('Air quality now'), which are also the policy's words. Labour and employment information (#233)
requires job vacancies (#266): its titles are the words portals also give their vacancies
('Empleo y formación', 'Emploi et insertion', 'Employment and skills'), and such a section
commonly lists them; the other way round, a portal with vacancies and no employment section
('Offres d'emploi', 'Empleo público', 'Вакансии') tests that #233 does not take them for one.

The measurements page shows readings: a table of PM2.5, PM10 and NO2 values by monitoring
station. The SDG page (#243) shows figures too (indicators by goal, two years), as a Voluntary
Local Review does; the other pages are paragraphs and dated notices.

Decoys: notices that use a section's words for something else (an appeal for volunteers, the
road to recovery of the city's finances, the work of the council).
"""

from __future__ import annotations

import random
from typing import Any

# feature -> (section key, LOSI code, the feature it requires or None)
PAGES: dict[str, tuple[str, str, str | None]] = {
    "leisure-culture-sports": ("leisure", "230", None),
    "vulnerable-groups": ("vulnerable", "231", None),
    "justice-information": ("justice", "232", None),
    "employment-information": ("employment", "233", "job-vacancies"),
    "recycling-information": ("recycling", "284", None),
    "road-information": ("roads", "285", None),
    "air-quality-policy": ("airpolicy", "291", None),
    "air-quality-data": ("airdata", "292", "air-quality-policy"),
    "smart-city": ("smartcity", "238", None),
    "emerging-technologies": ("emergingtech", "239", None),
    "sdg-reporting": ("sdg", "243", None),
}

LABELS: dict[str, dict[str, tuple[tuple[str, str], tuple[str, str]]]] = {
    "en": {
        "leisure": (("arts-and-culture", "Arts and culture"),
                    ("sports-and-recreation", "Sports and recreation")),
        "vulnerable": (("older-residents", "Older residents and carers"),
                       ("disability-support", "Support for people with disabilities")),
        "justice": (("municipal-court", "Municipal Court"),
                    ("community-mediation", "Community mediation service")),
        "employment": (("employment-and-skills", "Employment and skills"),
                       ("back-to-work", "Back to work: training and careers advice")),
        "recycling": (("bins-and-recycling", "Bins and recycling"),
                      ("rubbish-and-recycling", "Rubbish, recycling and reuse")),
        "roads": (("roadworks", "Roadworks and closures"),
                  ("road-safety", "Roads and road safety")),
        "airpolicy": (("clean-air", "Clean air plan"),
                      ("low-emission-zone", "Low emission zone")),
        "airdata": (("air-quality-now", "Air quality now"),
                    ("air-monitoring", "Air quality monitoring results")),
        "smartcity": (("smart-city", "Smart city"),
                      ("connected-city", "Smart and connected city")),
        "emergingtech": (("artificial-intelligence", "How we use artificial intelligence"),
                         ("innovation-lab", "Innovation lab: sensors, data and AI")),
        "sdg": (("sdgs", "Sustainable Development Goals"),
                ("voluntary-local-review", "Voluntary Local Review")),
    },
    "es": {
        "leisure": (("cultura-y-ocio", "Cultura y ocio"),
                    ("deportes", "Deportes e instalaciones deportivas")),
        "vulnerable": (("mayores", "Personas mayores"),
                       ("discapacidad", "Atención a la discapacidad")),
        "justice": (("mediacion", "Servicio de mediación vecinal"),
                    ("recurrir-multas", "Cómo recurrir una multa")),
        "employment": (("empleo-y-formacion", "Empleo y formación"),
                       ("orientacion-laboral", "Orientación laboral y búsqueda de empleo")),
        "recycling": (("residuos", "Recogida de residuos y reciclaje"),
                      ("punto-limpio", "Punto limpio")),
        "roads": (("obras-en-la-via-publica", "Obras en la vía pública"),
                  ("trafico", "Tráfico y cortes de calles")),
        "airpolicy": (("calidad-del-aire", "Plan de calidad del aire"),
                      ("zona-de-bajas-emisiones", "Zona de Bajas Emisiones")),
        "airdata": (("calidad-del-aire-hoy", "Calidad del aire hoy"),
                    ("datos-calidad-aire", "Datos de calidad del aire en tiempo real")),
        "smartcity": (("ciudad-inteligente", "Ciudad inteligente"),
                      ("smart-city", "Smart City: la ciudad conectada")),
        "emergingtech": (("inteligencia-artificial", "Inteligencia artificial en el Ayuntamiento"),
                         ("innovacion", "Innovación: sensores y gemelo digital")),
        "sdg": (("ods", "Objetivos de Desarrollo Sostenible: informe de seguimiento"),
                ("ods-en-la-ciudad", "Los ODS en nuestra ciudad")),
    },
    "fr": {
        "leisure": (("culture-et-loisirs", "Culture et loisirs"),
                    ("sports", "Sports et équipements sportifs")),
        "vulnerable": (("seniors", "Seniors et retraités"),
                       ("handicap", "Personnes en situation de handicap")),
        "justice": (("acces-au-droit", "Accès au droit et médiation"),
                    ("conciliateur", "Conciliateur de justice")),
        "employment": (("emploi-et-insertion", "Emploi et insertion"),
                       ("maison-de-l-emploi", "Maison de l'emploi")),
        "recycling": (("dechets", "Collecte des déchets et tri"),
                      ("reduire-ses-dechets", "Tri et réduction des déchets")),
        "roads": (("travaux-et-voirie", "Travaux et voirie"),
                  ("circulation", "Circulation et stationnement")),
        "airpolicy": (("qualite-de-l-air", "Qualité de l'air : le plan d'action"),
                      ("zfe", "Zone à faibles émissions (ZFE-m)")),
        "airdata": (("qualite-de-l-air-aujourd-hui", "Qualité de l'air aujourd'hui"),
                    ("mesures-pollution", "Mesures de la pollution de l'air")),
        "smartcity": (("ville-intelligente", "Ville intelligente"),
                      ("territoire-connecte", "Territoire connecté et innovant")),
        "emergingtech": (("intelligence-artificielle",
                          "L'intelligence artificielle au service des usagers"),
                         ("jumeau-numerique", "Capteurs connectés et jumeau numérique")),
        "sdg": (("odd", "Rapport de suivi des ODD"),
                ("revue-locale-volontaire", "Revue locale volontaire")),
    },
    "pt": {
        "leisure": (("cultura-e-lazer", "Cultura e lazer"),
                    ("desporto", "Desporto e equipamentos desportivos")),
        "vulnerable": (("seniores", "Envelhecimento ativo e seniores"),
                       ("deficiencia", "Pessoas com deficiência")),
        "justice": (("julgado-de-paz", "Julgado de Paz"),
                    ("mediacao", "Mediação de conflitos e apoio jurídico")),
        "employment": (("emprego", "Emprego e formação profissional"),
                       ("empreendedorismo", "Emprego e empreendedorismo")),
        "recycling": (("residuos", "Resíduos e reciclagem"),
                      ("ecopontos", "Ecopontos e recolha de monos")),
        "roads": (("condicionamentos", "Trânsito e condicionamentos"),
                  ("obras-na-via-publica", "Obras na via pública")),
        "airpolicy": (("qualidade-do-ar", "Plano de melhoria da qualidade do ar"),
                      ("zer", "Zona de Emissões Reduzidas")),
        "airdata": (("qualidade-do-ar-agora", "Qualidade do ar em tempo real"),
                    ("medicoes", "Medições da qualidade do ar")),
        "smartcity": (("cidade-inteligente", "Cidade inteligente"),
                      ("smart-city", "Smart City: cidade conectada")),
        "emergingtech": (("inteligencia-artificial",
                          "Inteligência artificial nos serviços municipais"),
                         ("inovacao", "Inovação: sensores e gémeo digital")),
        "sdg": (("ods", "Objetivos de Desenvolvimento Sustentável"),
                ("agenda-2030", "Agenda 2030: relatório local voluntário")),
    },
    "de": {
        "leisure": (("kultur-und-freizeit", "Kultur und Freizeit"),
                    ("sport-und-baeder", "Sport und Bäder")),
        "vulnerable": (("senioren", "Seniorinnen und Senioren"),
                       ("inklusion", "Menschen mit Behinderungen")),
        "justice": (("schiedsamt", "Schiedsamt"),
                    ("streitschlichtung", "Schiedspersonen und Streitschlichtung")),
        "employment": (("arbeit-und-beschaeftigung", "Arbeit und Beschäftigung"),
                       ("arbeitsfoerderung", "Jobcenter und Arbeitsförderung")),
        "recycling": (("abfallwirtschaft", "Abfallwirtschaft"),
                      ("muell-und-wertstoffe", "Müllabfuhr und Wertstoffe")),
        "roads": (("baustellen", "Baustellen und Straßensperrungen"),
                  ("verkehrssicherheit", "Straßenverkehr und Verkehrssicherheit")),
        "airpolicy": (("luftreinhalteplan", "Luftreinhalteplan"),
                      ("luftreinhaltung", "Luftreinhaltung und Umweltzone")),
        "airdata": (("luftmesswerte", "Aktuelle Luftmesswerte"),
                    ("messstationen", "Luftqualität: Messstationen und Werte")),
        "smartcity": (("smart-city", "Smart City"), ("digitale-stadt", "Digitale Stadt")),
        "emergingtech": (("kuenstliche-intelligenz", "Künstliche Intelligenz in der Verwaltung"),
                         ("digitaler-zwilling", "Digitaler Zwilling der Stadt")),
        "sdg": (("nachhaltigkeitsziele", "Nachhaltigkeitsziele der Agenda 2030"),
                ("nachhaltigkeitsbericht", "Nachhaltigkeitsbericht")),
    },
    "ru": {
        "leisure": (("kultura", "Культура"), ("sport", "Физическая культура и спорт")),
        "vulnerable": (("starshee-pokolenie", "Старшее поколение"),
                       ("invalidy", "Поддержка людей с инвалидностью")),
        "justice": (("mirovye-sudi", "Мировые судьи"),
                    ("yuridicheskaya-pomoshch", "Бесплатная юридическая помощь")),
        "employment": (("zanyatost", "Занятость населения"),
                       ("rynok-truda", "Рынок труда и трудоустройство")),
        "recycling": (("otkhody", "Обращение с отходами"),
                      ("razdelnyj-sbor", "Раздельный сбор мусора")),
        "roads": (("dorogi", "Дорожное хозяйство"),
                  ("perekrytiya", "Перекрытия движения и ремонт дорог")),
        "airpolicy": (("chistyj-vozdukh", "Чистый воздух"),
                      ("okhrana-vozdukha", "Охрана атмосферного воздуха")),
        "airdata": (("monitoring-vozdukha", "Мониторинг качества воздуха"),
                    ("dannye-monitoringa", "Данные мониторинга атмосферного воздуха")),
        "smartcity": (("umnyj-gorod", "Умный город"),
                      ("cifrovizaciya", "Цифровизация городского хозяйства")),
        "emergingtech": (("iskusstvennyj-intellekt",
                          "Искусственный интеллект в городском хозяйстве"),
                         ("cifrovoj-dvojnik", "Цифровой двойник города")),
        "sdg": (("cur", "Цели устойчивого развития"),
                ("pokazateli-cur", "Достижение ЦУР: показатели города")),
    },
    "ar": {
        "leisure": (("culture-sports", "الثقافة والرياضة"), ("parks", "الحدائق والمتنزهات")),
        "vulnerable": (("elderly", "رعاية كبار السن"),
                       ("disability", "خدمات الأشخاص ذوي الإعاقة")),
        "justice": (("mediation", "الوساطة وتسوية النزاعات"),
                    ("grievances", "التظلمات والاعتراضات")),
        "employment": (("employment", "التوظيف والتدريب المهني"),
                       ("job-seekers", "دعم الباحثين عن عمل")),
        "recycling": (("waste", "إدارة النفايات وإعادة التدوير"),
                      ("sorting", "فرز النفايات من المصدر")),
        "roads": (("roads", "الطرق والمرور"), ("road-safety", "السلامة المرورية")),
        "airpolicy": (("air-quality", "خطة تحسين جودة الهواء"),
                      ("air-pollution", "مكافحة تلوث الهواء")),
        "airdata": (("air-quality-index", "مؤشر جودة الهواء"),
                    ("air-monitoring", "قراءات محطات رصد الهواء")),
        "smartcity": (("smart-city", "المدينة الذكية"),
                      ("smart-city-strategy", "استراتيجية المدينة الذكية")),
        "emergingtech": (("ai", "الذكاء الاصطناعي في الخدمات البلدية"),
                         ("digital-twin", "التوأم الرقمي للمدينة")),
        "sdg": (("sdgs", "أهداف التنمية المستدامة"), ("vlr", "الاستعراض المحلي الطوعي")),
    },
    "zh": {
        "leisure": (("whty", "文化体育"), ("wlxx", "文旅休闲")),
        "vulnerable": (("ylfw", "养老服务"), ("cjrfw", "残疾人服务")),
        "justice": (("ggflfw", "公共法律服务"), ("rmtj", "人民调解")),
        "employment": (("jycy", "就业创业"), ("jyfw", "就业服务")),
        "recycling": (("ljfl", "垃圾分类"), ("zshs", "再生资源回收")),
        "roads": (("dlsg", "道路施工公告"), ("jtgz", "交通管制信息")),
        "airpolicy": (("dqwrfz", "大气污染防治"), ("ltbwz", "蓝天保卫战")),
        "airdata": (("kqzl", "空气质量实时发布"), ("aqi", "空气质量指数")),
        "smartcity": (("zhcs", "智慧城市"), ("zhcsjs", "智慧城市建设")),
        "emergingtech": (("rgzn", "人工智能应用"), ("szls", "数字孪生城市")),
        "sdg": (("kcxfz", "可持续发展目标"), ("dfzysc", "可持续发展地方自愿陈述")),
    },
}

# The measurements table's words: (caption, station, unit note) per language.
_AIR_WORDS: dict[str, tuple[str, str, str]] = {
    "en": ("Latest hourly readings", "Monitoring station", "µg/m³, hourly average"),
    "es": ("Últimos datos horarios", "Estación", "µg/m³, media horaria"),
    "fr": ("Dernières mesures horaires", "Station", "µg/m³, moyenne horaire"),
    "pt": ("Últimas medições horárias", "Estação", "µg/m³, média horária"),
    "de": ("Aktuelle Stundenwerte", "Messstation", "µg/m³, Stundenmittel"),
    "ru": ("Последние часовые значения", "Пост наблюдения", "мкг/м³, среднечасовое значение"),
    "ar": ("آخر القراءات كل ساعة", "محطة الرصد", "ميكروغرام/م³، متوسط الساعة"),
    "zh": ("最新小时监测数据", "监测站点", "微克/立方米，小时均值"),
}

# The SDG page's words: (caption, goal prefix, indicator column) per language.
_SDG_WORDS: dict[str, tuple[str, str, str]] = {
    "en": ("Progress on the goals", "SDG", "Indicator"),
    "es": ("Seguimiento de los objetivos", "ODS", "Indicador"),
    "fr": ("Suivi des objectifs", "ODD", "Indicateur"),
    "pt": ("Acompanhamento dos objetivos", "ODS", "Indicador"),
    "de": ("Stand der Ziele", "SDG", "Indikator"),
    "ru": ("Мониторинг достижения целей", "ЦУР", "Показатель"),
    "ar": ("متابعة تحقيق الأهداف", "الهدف", "المؤشر"),
    "zh": ("目标进展情况", "目标", "指标"),
}


def _content_airdata(portal: Any, ctx: Any, rng: random.Random, host: str) -> str:
    """Readings by monitoring station: PM2.5, PM10 and NO2, with the date and the unit."""
    from losi.world.generate import _esc, _portal_date, _sentence

    caption, station, unit = _AIR_WORDS[portal._lang_code]
    head = (f"<tr><th>{_esc(station)}</th><th>PM2.5</th><th>PM10</th><th>NO2</th></tr>")
    rows = "".join(
        f"<tr><td>{_esc(_sentence(rng, portal._lang, 1, 3))}</td><td>{rng.randint(4, 38)}</td>"
        f"<td>{rng.randint(10, 60)}</td><td>{rng.randint(8, 70)}</td></tr>" for _ in range(5))
    return (f'<table class="air-readings"><caption>{_esc(caption)} ({_portal_date(portal, 0)})</caption>'
            f"{head}{rows}</table>\n<p class=\"note\">{_esc(unit)}</p>\n")


def _content_sdg(portal: Any, ctx: Any, rng: random.Random, host: str) -> str:
    """Figures by goal for two years, as a Voluntary Local Review reports them."""
    from losi.world.generate import _dated_list, _esc, _sentence

    caption, goal, indicator = _SDG_WORDS[portal._lang_code]
    goals = sorted(rng.sample(range(1, 18), 6))
    rows = "".join(
        f"<tr><td>{_esc(goal)} {g}</td><td>{_esc(_sentence(rng, portal._lang, 2, 5))}</td>"
        f"<td>{rng.randint(10, 90)}.{rng.randint(0, 9)}</td>"
        f"<td>{rng.randint(10, 90)}.{rng.randint(0, 9)}</td></tr>" for g in goals)
    return (f'<table class="figures"><caption>{_esc(caption)}</caption><tr><th></th>'
            f"<th>{_esc(indicator)}</th><th>2019</th><th>2024</th></tr>{rows}</table>\n"
            + _dated_list(portal, rng, 3))


CONTENT: dict[str, Any] = {"airdata": _content_airdata, "sdg": _content_sdg}

# Notices that use a section's words for something else.
DECOYS: dict[str, list[str]] = {
    "en": ["Road to recovery: the city's finances",
           "Appeal for volunteers at the winter shelter"],
    "fr": ["Les travaux du conseil municipal"],
    "de": ["Aus der Arbeit des Gemeinderats"],
}
