"""Links to other government agencies (LOSI #242): a page of its own that lists the websites of
the country's government, parliament, official gazette or archives and the association of
municipalities, as a portal in that language titles it, two ways per language (a portal picks
one): England's 'Useful links', Spain's 'Otras administraciones', Portugal's 'Entidades
públicas', Germany's 'Behörden und Ämter', Russia's 'Органы власти', China's '政府网站'. The
wording is not copied from the detector's lexicon: where a natural title is missed, that is a
finding about the lexicon.

The sites are the real ones of the country whose language the portal speaks (GOV.UK, La
Moncloa, Légifrance, Diário da República, the Bundestag, government.ru, u.ae, www.gov.cn); they
sit on other hosts, one hop away, and the world's proxy leaves them unreachable. Agencies whose
names are other indicators' words (the tax office, the health service, the police, transport)
are left out on purpose: a link to them would be a service or an information section to other
detectors, and #242 asks for the section, not for those.

No decoy page: every portal with sign-in already links a government site, its national e-ID
(FranceConnect at franceconnect.gouv.fr, Cl@ve at clave.gob.es ...), in its header, and such a
single link is not a section of links to other agencies.
"""

from __future__ import annotations

import random
from typing import Any

# feature -> (section key, LOSI code, the feature it requires or None)
PAGES: dict[str, tuple[str, str, str | None]] = {
    "government-links": ("govlinks", "242", None),
}

LABELS: dict[str, dict[str, tuple[tuple[str, str], tuple[str, str]]]] = {
    "en": {"govlinks": (("useful-links", "Useful links"),
                        ("government-and-parliament", "Government departments and agencies"))},
    "es": {"govlinks": (("enlaces-de-interes", "Enlaces de interés"),
                        ("otras-administraciones", "Otras administraciones"))},
    "fr": {"govlinks": (("liens-utiles", "Liens utiles"),
                        ("sites-institutionnels", "Sites institutionnels"))},
    "pt": {"govlinks": (("links-uteis", "Links úteis"),
                        ("entidades-publicas", "Entidades públicas"))},
    "de": {"govlinks": (("links", "Nützliche Links"),
                        ("behoerden", "Behörden und Ämter"))},
    "ru": {"govlinks": (("poleznye-ssylki", "Полезные ссылки"),
                        ("organy-vlasti", "Органы государственной власти"))},
    "ar": {"govlinks": (("useful-links", "روابط مفيدة"),
                        ("government-entities", "الجهات الحكومية الاتحادية"))},
    "zh": {"govlinks": (("xglj", "相关链接"), ("zfwz", "政府网站"))},
}

# The country's agencies: (name, address), five per language.
AGENCIES: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (("GOV.UK", "https://www.gov.uk/"),
           ("Prime Minister's Office, 10 Downing Street",
            "https://www.gov.uk/government/organisations/prime-ministers-office-10-downing-street"),
           ("UK Parliament", "https://www.parliament.uk/"),
           ("The National Archives", "https://www.nationalarchives.gov.uk/"),
           ("Local Government Association", "https://www.local.gov.uk/")),
    "es": (("La Moncloa. Presidencia del Gobierno", "https://www.lamoncloa.gob.es/"),
           ("Punto de Acceso General", "https://administracion.gob.es/"),
           ("Congreso de los Diputados", "https://www.congreso.es/"),
           ("Boletín Oficial del Estado", "https://www.boe.es/"),
           ("Federación Española de Municipios y Provincias", "https://www.femp.es/")),
    "fr": (("Gouvernement", "https://www.gouvernement.fr/"),
           ("Présidence de la République", "https://www.elysee.fr/"),
           ("Assemblée nationale", "https://www.assemblee-nationale.fr/"),
           ("Légifrance", "https://www.legifrance.gouv.fr/"),
           ("Association des maires de France", "https://www.amf.asso.fr/")),
    "pt": (("Governo da República Portuguesa", "https://www.portugal.gov.pt/"),
           ("Presidência da República", "https://www.presidencia.pt/"),
           ("Assembleia da República", "https://www.parlamento.pt/"),
           ("Diário da República", "https://diariodarepublica.pt/"),
           ("Associação Nacional de Municípios Portugueses", "https://www.anmp.pt/")),
    "de": (("Die Bundesregierung", "https://www.bundesregierung.de/"),
           ("Der Bundespräsident", "https://www.bundespraesident.de/"),
           ("Deutscher Bundestag", "https://www.bundestag.de/"),
           ("Bundesrat", "https://www.bundesrat.de/"),
           ("Deutscher Städtetag", "https://www.staedtetag.de/")),
    "ru": (("Правительство России", "http://government.ru/"),
           ("Президент России", "http://kremlin.ru/"),
           ("Государственная Дума", "http://duma.gov.ru/"),
           ("Совет Федерации", "http://council.gov.ru/"),
           ("Официальный интернет-портал правовой информации", "http://pravo.gov.ru/")),
    "ar": (("البوابة الرسمية لحكومة دولة الإمارات", "https://u.ae/"),
           ("مجلس الوزراء", "https://uaecabinet.ae/"),
           ("المجلس الوطني الاتحادي", "https://www.almajles.gov.ae/"),
           ("وزارة الخارجية", "https://www.mofa.gov.ae/"),
           ("الأرشيف والمكتبة الوطنية", "https://www.na.ae/")),
    "zh": (("中国政府网", "https://www.gov.cn/"),
           ("全国人民代表大会", "http://www.npc.gov.cn/"),
           ("省人民政府门户网站", "https://www.zj.gov.cn/"),
           ("外交部", "https://www.mfa.gov.cn/"),
           ("国家档案局", "https://www.saac.gov.cn/")),
}

# One sentence above the list, per language.
_INTRO: dict[str, str] = {
    "en": "Websites of the national government and other public bodies.",
    "es": "Sedes web del Gobierno de la nación y de otras instituciones públicas.",
    "fr": "Les sites de l'État et des autres institutions publiques.",
    "pt": "Sítios do Governo e de outras instituições públicas.",
    "de": "Die Internetseiten des Bundes und anderer öffentlicher Stellen.",
    "ru": "Официальные сайты федеральных органов власти.",
    "ar": "المواقع الرسمية للحكومة الاتحادية والجهات العامة الأخرى.",
    "zh": "国家机关和其他政府部门网站。",
}


def _content_govlinks(portal: Any, ctx: Any, rng: random.Random, host: str) -> str:
    """The agencies' sites as a list of links (four or five of them, in the portal's order)."""
    from losi.world.generate import _esc

    agencies = list(AGENCIES[portal._lang_code])
    keep = sorted(rng.sample(range(len(agencies)), rng.randint(4, len(agencies))))
    return (f"<p>{_esc(_INTRO[portal._lang_code])}</p>\n"
            + portal._links([(agencies[i][1], agencies[i][0]) for i in keep], ctx, "agencies"))


CONTENT: dict[str, Any] = {"govlinks": _content_govlinks}
