"""The e-procurement platforms the world's tenders pages link to (#265), per language.

A portal with the "e-procurement" feature (which requires "procurement": the platform is where
its tenders are answered) links from its tenders page to the country's real platform, with the
words a buyer's profile page uses there. The platforms are on the internet, so the world's proxy
refuses them (as on a machine without network): the link itself is the evidence, as it is for an
assessor who sees that the city publishes its calls on the national platform. A portal without
the feature lists its tenders only as notices ("documents at the City Hall"), the decoy.
"""

from __future__ import annotations

# language -> (address, with {host} the city's own name and {n} a number; anchor text)
PLATFORMS: dict[str, tuple[str, str]] = {
    "en": ("https://www.find-tender.service.gov.uk/Search/Results?buyer={host}",
           "Find a Tender: the council's open opportunities"),
    "es": ("https://contrataciondelestado.es/wps/portal/perfilContratante?organo={host}",
           "Perfil del contratante en la Plataforma de Contratación del Sector Público"),
    "fr": ("https://www.marches-publics.gouv.fr/entreprise/recherche?acheteur={host}",
           "Nos consultations sur PLACE, la plateforme des achats de l'État"),
    "pt": ("https://www.acingov.pt/acingovprod/2/index.php/entidade/{host}",
           "Procedimentos na plataforma eletrónica acinGov"),
    "de": ("https://www.evergabe-online.de/search.html?vergabestelle={host}",
           "Aktuelle Ausschreibungen auf evergabe-online.de"),
    "ru": ("https://zakupki.gov.ru/epz/organization/view/info.html?organizationCode={n}",
           "Закупки администрации в ЕИС «Закупки»"),
    "ar": ("https://portal.etimad.sa/ar-sa/tenders?agency={host}",
           "المنافسات والمشتريات عبر منصة اعتماد"),
    "zh": ("http://www.ccgp.gov.cn/cggg/dfgg/?city={host}", "中国政府采购网：本市采购公告"),
}

# The decoy on a tenders page without a platform: the documents are collected in person.
PAPER_TENDERS: dict[str, str] = {
    "en": "Tender documents can be collected from the Procurement Office, City Hall.",
    "es": "Los pliegos pueden recogerse en el Registro General del Ayuntamiento.",
    "fr": "Les dossiers de consultation sont à retirer au service de la commande publique.",
    "pt": "As peças do procedimento podem ser levantadas no Balcão Único da Câmara.",
    "de": "Die Vergabeunterlagen können im Rathaus, Zentrale Vergabestelle, abgeholt werden.",
    "ru": "Документацию можно получить в отделе муниципального заказа администрации.",
    "ar": "يمكن الحصول على وثائق المناقصة من إدارة المشتريات في مبنى البلدية.",
    "zh": "招标文件请到市政府采购中心窗口领取。",
}
