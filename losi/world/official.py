"""The official-portal feature (LOSI #281): a portal's host name and its footer's copyright line.

LOSI #281 asks for "an official city-government website, identifiable by (i) a domain name with a
government abbreviation (gov, gob, etc.) and the city or country, and (ii) a footer copyright
naming the city". Every portal has a host name under the reserved `.test` top-level domain
(RFC 6761: nothing resolves it, here or on the internet), served through the world's proxy when
the world is served with host names (`WorldSpec.host_names`, `server.py`):

- A portal with the feature is the city government's own site: a host of the country's style,
  most under a government label (`www.ashford.gov.test`, `villaalta.gob.test`,
  `www.porto-verde.sp.gov.test`, `www.gruenberg.gv.test`, `gov.novogorsk.test`,
  `amanat-ainalbahr.gov.test`, `www.qingshan.gov.test`), some with the city's name and a municipal
  word or the name alone, as many European cities' are (`www.cityofashford.test`,
  `www.ayto-villaalta.test`, `mairie-beaulieu.test`, `www.stadt-gruenberg.test`,
  `www.cm-sao-nova.test`, `www.saint-aubin-sur-mer.test`); and its footer's last line is the
  city government's copyright in the portal's language ('© 2025 City of Ashford', '© 2025
  Ayuntamiento de Villa Alta', '© Câmara Municipal de São Nova 2025', '© 2025 Администрация
  города Новогорск', '© 2025 بلدية مدينة النور', '版权所有 © 2025 青山市人民政府').
- A portal without it is a third party's site about the city, run by a company: a commercial
  host that names neither a government nor the city (`www.localpulse.test`,
  `www.guialocal.test`, `www.lokalnachrichten.test`, `www.novosti-regiona.test` ...), a line
  saying an independent company runs it, and the company's copyright ('© 2025 Local Pulse Media
  Ltd.', '© 2025 Guía Local Ediciones S.L.', '© 2025 ООО «Новости региона»', '版权所有 © 2025
  本地生活信息服务有限公司').

Not in the world: a third party's site under the city's own name (`visitashford.test`,
`ashford-news.test`). The detector leaves such a host with a company's copyright to a person
(`needs_review`), as it must: some cities' own portals are run by a company under the city's
name (hamburg.de, berlin.de). The line about the company stands between the city's street
address (the contact feature's) and the copyright, so the copyright's own words are the ones
its holder is read from.

How a portal shows it is drawn from a stream of its own (seed, "official", index), so these
draws shift nothing else.
"""

from __future__ import annotations

import itertools
import random
import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from losi.world.generate import Portal

# Latin transliterations of the name parts of the languages that are not written in Latin
# letters (lang.py's "names"), longest first where one part contains another.
_ROMAN: dict[str, dict[str, str]] = {
    "ru": {"Ново": "novo", "Старо": "staro", "Бело": "belo", "Красно": "krasno",
           "Верхне": "verkhne", "Озёр": "ozer", "Лесо": "leso", "Светло": "svetlo",
           "горск": "gorsk", "дольск": "dolsk", "мирск": "mirsk", "речье": "rechye",
           "поле": "pole", "град": "grad", "ярск": "yarsk", "озёрск": "ozersk"},
    "ar": {"مدينة ": "madinat-", "واحة ": "wahat-", "جبل ": "jabal-", "وادي ": "wadi-",
           "عين ": "ain-", "بئر ": "bir-", "رأس ": "ras-", "باب ": "bab-",
           "النور": "alnoor", "السلام": "alsalam", "الزيتون": "alzaytoun", "الرمال": "alrimal",
           "النخيل": "alnakheel", "الأمل": "alamal", "الجديدة": "aljadida", "البحر": "albahr"},
    "zh": {"山市": "shan", "河市": "he", "阳市": "yang", "州市": "zhou", "江市": "jiang",
           "城市": "cheng", "宁市": "ning", "海市": "hai",
           "青": "qing", "白": "bai", "东": "dong", "南": "nan", "西": "xi", "北": "bei",
           "长": "chang", "新": "xin", "平": "ping", "安": "an"},
}
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})

# The city government's host, by language: {j} is the name joined ('villaalta'), {h} hyphenated
# ('saint-aubin-sur-mer'). Real patterns: boston.gov, cityofboston.gov; cdmx.gob.mx, ayto-*.es;
# mairie-*.fr, ville-*.fr, paris.fr; prefeitura.sp.gov.br, *.sp.gov.br, cm-lisboa.pt;
# stadt-koeln.de, muenchen.de, wien.gv.at; gov.spb.ru; dubai.gov.ae, alriyadh.gov.sa;
# bj.gov.cn, sh.gov.cn.
OFFICIAL_HOSTS: dict[str, tuple[str, ...]] = {
    "en": ("www.{j}.gov.test", "{j}.gov.test", "www.cityof{j}.test"),
    "es": ("www.{j}.gob.test", "{j}.gob.test", "www.ayto-{j}.test"),
    "fr": ("www.ville-{h}.test", "mairie-{h}.test", "www.{h}.test"),
    "pt": ("www.{h}.sp.gov.test", "www.cm-{h}.test", "prefeitura.{j}.test"),
    "de": ("www.stadt-{j}.test", "www.{j}.test", "www.{j}.gv.test"),
    "ru": ("www.{j}.gov.test", "gov.{j}.test"),
    "ar": ("www.{j}.gov.test", "amanat-{j}.gov.test"),
    "zh": ("www.{j}.gov.test", "{j}.gov.test"),
}
# The city government's copyright, the footer's last line ({n}: the city's name).
OFFICIAL_COPYRIGHT: dict[str, tuple[str, ...]] = {
    "en": ("© 2025 City of {n}", "Copyright © 2025 {n} City Council", "© {n} Borough Council 2025"),
    "es": ("© 2025 Ayuntamiento de {n}", "© Municipalidad de {n} 2025",
           "© 2025 Alcaldía de {n}. Todos los derechos reservados"),
    "fr": ("© 2025 Ville de {n}", "© Mairie de {n} – tous droits réservés",
           "© 2025 Commune de {n}"),
    "pt": ("© 2025 Prefeitura Municipal de {n}", "© Câmara Municipal de {n} 2025",
           "© 2025 Município de {n}. Todos os direitos reservados"),
    "de": ("© 2025 Stadt {n}", "© Gemeinde {n}, alle Rechte vorbehalten",
           "© Stadtverwaltung {n} 2025"),
    "ru": ("© 2025 Администрация города {n}", "© Администрация городского округа {n}, 2025",
           "© 2025 Мэрия города {n}"),
    "ar": ("© 2025 بلدية {n}. جميع الحقوق محفوظة", "جميع الحقوق محفوظة © أمانة {n} 2025"),
    "zh": ("版权所有 © 2025 {n}人民政府", "主办：{n}人民政府办公室 版权所有"),
}
# A third party's site about the city: (host, company, brand). The hosts name neither a
# government nor the city, nor a municipal word ('city', 'cidade', 'ciudad' ...).
THIRD_PARTY: dict[str, tuple[tuple[str, str, str], ...]] = {
    "en": (("www.localpulse.test", "Local Pulse Media Ltd", "Local Pulse"),
           ("www.townlife-online.test", "Townlife Publishing Inc.", "Townlife"),
           ("www.neighbourhood-guide.test", "Neighbourhood Guide LLC", "Neighbourhood Guide")),
    "es": (("www.guialocal.test", "Guía Local Ediciones S.L.", "Guía Local"),
           ("www.noticiasdelaregion.test", "Noticias de la Región S.A.", "Noticias de la Región"),
           ("www.agendaurbana.test", "Agenda Urbana Medios S.L.", "Agenda Urbana")),
    "fr": (("www.annuaire-local.test", "Annuaire Local SARL", "Annuaire Local"),
           ("www.sortir-et-vivre.test", "Sortir et Vivre SAS", "Sortir et Vivre"),
           ("www.infos-region.test", "Infos Région Médias SAS", "Infos Région")),
    "pt": (("www.portalregional.test", "Portal Regional Comunicação Lda.", "Portal Regional"),
           ("www.guialocal-online.test", "Guia Local Online Ltda.", "Guia Local Online"),
           ("www.noticiasdaregiao.test", "Notícias da Região Editora Ltda.", "Notícias da Região")),
    "de": (("www.lokalnachrichten.test", "Lokalnachrichten Verlag GmbH", "Lokalnachrichten"),
           ("www.region-aktuell.test", "Region Aktuell Medien GmbH & Co. KG", "Region Aktuell"),
           ("www.ortsfuehrer.test", "Ortsführer Online UG (haftungsbeschränkt)", "Ortsführer")),
    "ru": (("www.novosti-regiona.test", "ООО «Новости региона»", "«Новости региона»"),
           ("www.gorodskoy-gid.test", "ООО «Городской гид»", "«Городской гид»"),
           ("www.afisha-online.test", "АО «Афиша Онлайн»", "«Афиша Онлайн»")),
    "ar": (("www.dalil-almudun.test", "شركة دليل المدن للإعلام ذ.م.م", "دليل المدن"),
           ("www.akhbar-almintaqa.test", "شركة أخبار المنطقة للنشر", "أخبار المنطقة"),
           ("www.bawabat-alkhadamat.test", "شركة البوابة الرقمية ذ.م.م", "البوابة الرقمية")),
    "zh": (("www.chengshi-zixun.test", "城市资讯网络科技有限公司", "城市资讯网"),
           ("www.bendi-shenghuo.test", "本地生活信息服务有限公司", "本地生活网"),
           ("www.quyu-xinwen.test", "区域新闻传媒股份有限公司", "区域新闻网")),
}
# The line before the copyright on a third party's site ({b}: the brand): who runs it.
THIRD_PARTY_LINE: dict[str, str] = {
    "en": "{b} is an independent website run by a private company.",
    "es": "{b} es un sitio web independiente gestionado por una empresa privada.",
    "fr": "{b} est un site indépendant édité par une société privée.",
    "pt": "{b} é um site independente mantido por uma empresa privada.",
    "de": "{b} ist ein unabhängiges Angebot eines privaten Unternehmens.",
    "ru": "{b} — независимый сайт, его ведёт частная компания.",
    "ar": "{b} موقع مستقل تديره شركة خاصة.",
    "zh": "{b}是由民营企业运营的独立网站。",
}
THIRD_PARTY_COPYRIGHT: dict[str, str] = {
    "en": "© 2025 {c}{dot} All rights reserved.",
    "es": "© 2025 {c}{dot} Todos los derechos reservados.",
    "fr": "© 2025 {c}{dot} Tous droits réservés.",
    "pt": "© 2025 {c}{dot} Todos os direitos reservados.",
    "de": "© 2025 {c}{dot} Alle Rechte vorbehalten.",
    "ru": "© 2025 {c}{dot} Все права защищены.",
    "ar": "© 2025 {c}{dot} جميع الحقوق محفوظة.",
    "zh": "版权所有 © 2025 {c}",
}


def romanise(name: str, language: str) -> list[str]:
    """The city's name as the words of a host: 'Villa Alta' -> ['villa', 'alta'], 'Grünberg' ->
    ['gruenberg'] (the German way), 'Новогорск' -> ['novogorsk'], '青山市' -> ['qingshan']."""
    table = _ROMAN.get(language)
    if table:
        for part in sorted(table, key=len, reverse=True):
            name = name.replace(part, table[part])
    if language == "de":
        name = name.lower().translate(_GERMAN)
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", folded)


def _draws(seed: int, index: int, language: str) -> tuple[int, int, int]:
    rng = random.Random(f"{seed}:official:{index}")
    return (rng.randrange(len(OFFICIAL_HOSTS[language])),
            rng.randrange(len(OFFICIAL_COPYRIGHT[language])),
            rng.randrange(len(THIRD_PARTY[language])))


def host_candidates(seed: int, index: int, language: str, name: str,
                    official: bool) -> Iterator[str]:
    """A portal's host names, the one drawn first: the others serve when another portal of the
    world has it already (two cities of one name, two cities' sites of one company): a city
    government's other patterns, then numbered ones ('ashford2.gov.test', 'www.localpulse2.test')
    that never repeat."""
    first_host, _, first_third = _draws(seed, index, language)
    if official:
        words = romanise(name, language) or [f"city{index}"]
        patterns = OFFICIAL_HOSTS[language]
        order = [patterns[(first_host + k) % len(patterns)] for k in range(len(patterns))]
        for pattern in order:
            yield pattern.format(j="".join(words), h="-".join(words))
        for number in itertools.count(2):
            numbered = [*words[:-1], f"{words[-1]}{number}"]
            yield order[0].format(j="".join(numbered), h="-".join(numbered))
    # a third party's: the company's site for another city is numbered (its copyright stays)
    host = THIRD_PARTY[language][first_third][0]
    yield host
    for number in itertools.count(2):
        labels = host.split(".")
        labels[1] += str(number)  # www.BRAND.test
        yield ".".join(labels)


def choose(seed: int, index: int, language: str, name: str,
           official: bool) -> tuple[str, str, str]:
    """(host name, the line before the copyright or "", the copyright line) of a portal."""
    _, line, third = _draws(seed, index, language)
    host = next(host_candidates(seed, index, language, name, official))
    if official:
        return host, "", OFFICIAL_COPYRIGHT[language][line].format(n=name)
    _, company, brand = THIRD_PARTY[language][third]
    # 'Townlife Publishing Inc. All rights reserved.', not 'Inc.. All'
    dot = "" if company.endswith(".") else "."
    return (host, THIRD_PARTY_LINE[language].format(b=brand),
            THIRD_PARTY_COPYRIGHT[language].format(c=company, dot=dot))


def unique_hosts(portals: Sequence[Portal]) -> None:
    """Give every portal of a world a host name no other portal has (in portal order)."""
    taken: set[str] = set()
    for portal in portals:
        if portal.host_name in taken:
            candidates = host_candidates(portal._world.spec.seed, portal.index, portal._lang_code,
                                         portal.name, portal._has["official-portal"])
            portal.host_name = next(h for h in candidates if h not in taken)
        taken.add(portal.host_name)
