"""official-portal: LOSI #281, the portal is the city government's own official website."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from detectors.site import ParsedPage, Site, normalise_text, registrable_domain
from losi.types import DetectorMeta, Evidence, Finding, Outcome

# Second-level labels that only governments may register under (gov.uk, gob.mx, gouv.fr,
# go.jp, gv.at, gub.uy, govt.nz, ...) and the ones some registries keep for municipalities.
_GOV_LABELS = frozenset({"gov", "gob", "gouv", "govt", "gv", "go", "gub", "admin", "gc", "govern",
                         "municipal", "muni", "kommune", "gemeente"})
# Words naming a city government in a host ('cityofboston.gov', 'comune.roma.it',
# 'prefeitura.sp.gov.br', 'stadt-koeln.de', 'ayto-madrid.es').
_MUNICIPAL_HOST = re.compile(
    r"city|ville|stadt|comune|prefeitura|municipio|municipalidad|municipality|ayuntamiento|ayto|"
    r"mairie|alcaldia|concello|ajuntament|gemeente|kommune|council|borough|township|county|"
    r"gemeinde|magistrat|citta|cidade|ciudad")
# Page text is matched normalised (`normalise_text`): Arabic 'ة' folds to 'ه', so the Arabic
# words are written through the same normalisation (written plain, they never matched).
_COPYRIGHT = re.compile(
    r"©|\(c\)|copyright|版权所有|著作权|" + normalise_text("جميع الحقوق محفوظة") + "|"
    + normalise_text("حقوق النشر") + r"|все права защищены|"
    r"todos los derechos reservados|tous droits reserves|alle rechte vorbehalten|"
    r"tutti i diritti riservati|todos os direitos reservados|derechos reservados")
# The holder a government copyright names ('City of X', 'Stadt X', 'Comune di X' ...).
_GOVERNMENT_HOLDER = re.compile(
    r"\b(?:city|town|county|borough|municipality|council|government|ville|mairie|commune|"
    r"stadt|gemeinde|landeshauptstadt|comune|citta|ayuntamiento|municipalidad|municipio|"
    r"alcaldia|gobierno|prefeitura|camara municipal|gemeente|администрация|правительство|"
    r"мэрия)\b|人民政府|政府|" + "|".join(normalise_text(w) for w in (
        "بلدية", "أمانة", "حكومة", "امارة")))
# A Chinese city's name ends in 市 ('青山市'): the city named, as its name in Latin letters is,
# which a company registered there carries too ('青山市文化传媒有限公司').
_CITY_SUFFIX = re.compile(r"市")
# A company's legal form: a copyright holder that is a company, not a government ('Example News
# Inc.', 'Guía Local S.L.', 'Lokalnachrichten Verlag GmbH', 'ООО «Новости»', '...有限公司').
_COMPANY = re.compile(
    r"\b(?:ltd|limited|inc|llc|llp|plc|corp|gmbh|ag|co\.? kg|haftungsbeschrankt|sarl|sas|eurl|"
    r"lda|ltda|s\.a|s\.l|s\.l\.u|s\.a\.s|s\.r\.l|s\.p\.a|b\.v|n\.v|ооо|оао|зао|пао|ао)\b|"
    r"有限公司|股份公司|有限责任公司|" + normalise_text("شركة") + "|" + re.escape(normalise_text("ذ.م.م")))
_GERMAN_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss",
                              "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def _squash(text: str) -> str:
    return re.sub(r"[^0-9a-z\u00c0-\uffff]", "", normalise_text(text))


def _city_forms(name: str) -> tuple[str, ...]:
    """The city's name as a host may write it: 'Grünberg' is 'grunberg' or 'gruenberg' (the
    German way: muenchen.de, koeln.de)."""
    return tuple(f for f in dict.fromkeys((_squash(name), _squash(name.translate(_GERMAN_FOLD))))
                 if f)


class OfficialPortal:
    meta = DetectorMeta(
        id="official-portal",
        title="Official city government portal",
        description=(
            "LOSI #281: 'an official city-government website, identifiable by (i) a domain name "
            "with government abbreviation (gov, gob, etc.) and the city or country, and (ii) a "
            "footer copyright naming the city'. Reads the home page's final address (a "
            "government label such as gov, gob, gouv, go, gv; the city's name or a municipal "
            "word in the host) and its visible text for a copyright line naming the city or a "
            "city government. Absent only for a third party's site: neither mark, and a "
            "copyright held by a company (a legal form: Ltd, Inc., S.L., SARL, GmbH, ООО, "
            "有限公司 ...) on a host that names neither a government nor the city."
        ),
        requires=("home",),
        version=2,
    )

    def detect(self, site: Site) -> Finding:
        assert site.home is not None
        page = site.parse(site.home)
        url = page.url
        host = (urlsplit(url).hostname or "").lower()
        labels = host.split(".")
        domain = registrable_domain(url)
        cities = _city_forms(site.city_name)
        gov = sorted(set(labels) & _GOV_LABELS)
        names_city = any(city in _squash(host) for city in cities)
        municipal = _MUNICIPAL_HOST.search(host)
        # Without the city's name (a saved page), the domain's own name must be the place the
        # home page's title names: 'berlin.de' and 'Berlin.de – Das offizielle Hauptstadtportal'.
        stem = domain.split(".")[0] if domain else ""
        title_names_domain = len(stem) >= 4 and stem in _squash(page.title)
        copyright_line, holder_ok, company, where = self._copyright(page, cities, stem)
        evidence: list[Evidence] = []
        signals: list[str] = []
        domain_signal = ""
        if gov:
            domain_signal = f"a government label in the domain ({', '.join(gov)})"
        if names_city:
            domain_signal += (" and " if domain_signal else "") + "the city's name in the host"
        elif municipal and not gov:
            domain_signal = f"a municipal word in the host ({municipal.group(0)!r})"
        if domain_signal:
            signals.append("domain")
            evidence.append(Evidence(page_url=url, record_id=page.record_id, text=host,
                                     explanation=f"the portal's address shows {domain_signal}"))
        if copyright_line:
            evidence.append(Evidence(page_url=url, record_id=page.record_id, locator=where,
                                     text=copyright_line,
                                     explanation="a copyright line" + (
                                         " naming the city or its government" if holder_ok
                                         else f" held by a company ({company!r})" if company
                                         else " that does not name the city")))
            if holder_ok:
                signals.append("copyright")
        details = {"host": host, "government_labels": gov, "city_in_host": names_city,
                   "title_names_domain": title_names_domain,
                   "copyright": copyright_line, "copyright_names_city": holder_ok,
                   "copyright_company": company, "city": site.city_name}
        # A government label under a country's domain names the country ('gob.mx', 'gov.br');
        # .gov itself is the United States'.
        country = labels[-1] if len(labels[-1]) == 2 or labels[-1] in ("gov", "mil") else ""
        details["country_domain"] = country
        if gov and (names_city or municipal or holder_ok):
            return Finding(Outcome.PRESENT, 0.9, tuple(evidence), details=details)
        if gov and country:
            return Finding(Outcome.PRESENT, 0.8, tuple(evidence), details=details)
        if holder_ok and (names_city or title_names_domain or municipal):
            return Finding(Outcome.PRESENT, 0.8, tuple(evidence), details=details)
        # A third party's site (a news or tourism site about the city, a directory): no
        # government label, neither the city nor a municipal word in the host, and a company
        # holds the copyright. What an assessor marks 'no'. Not when the host names the city:
        # some cities' own portals are run by a company under the city's name (hamburg.de,
        # berlin.de), which a person tells apart. Without the city's name (a saved page), a
        # title naming the domain stands for it, as above.
        if company and not signals and not (title_names_domain and not cities):
            host_evidence = Evidence(page_url=url, record_id=page.record_id, text=host,
                                     explanation="the portal's address: no government label, "
                                                 "neither the city's name nor a municipal word")
            return Finding(
                Outcome.ABSENT, 0.6, (host_evidence, *evidence),
                reason=f"a third party's site: {host} has no government label and does not "
                       f"name the city, and a company holds the copyright ({company!r})",
                details={**details, "leaning": "absent"})
        if signals or title_names_domain:
            if title_names_domain and not signals:
                evidence.append(Evidence(page_url=url, record_id=page.record_id,
                                         text=page.title,
                                         explanation="the home page's title names the domain"))
            missing = [w for w, ok in (("a government domain naming the city", "domain" in
                                        signals), ("a copyright naming the city", holder_ok))
                       if not ok]
            held = f" (the copyright names a company, {company!r})" if company else ""
            return Finding(Outcome.NEEDS_REVIEW, 0.5, tuple(evidence),
                           reason="only part of LOSI's two marks: missing " + " and ".join(missing)
                                  + held,
                           details={**details, "leaning": "absent" if company else "present"})
        return Finding(
            Outcome.NEEDS_REVIEW, 0.2,
            (Evidence(page_url=url, record_id=page.record_id, text=host,
                      explanation="neither a government domain nor a copyright naming the city"),
             *evidence),
            reason="neither mark of an official portal: check that this is the city "
                   "government's own site and not a third party's",
            details={**details, "leaning": "absent"})

    @staticmethod
    def _copyright(page: ParsedPage, cities: tuple[str, ...],
                   stem: str) -> tuple[str, bool, str, str]:
        """The copyright line nearest the end of the page (the footer's), whether its holder is
        the city or a city government, the company it names when a company holds it and no
        government is named (its legal form), and its locator."""
        index = page.text_index
        text = index.text
        found = list(_COPYRIGHT.finditer(text))
        if not found:
            return "", False, "", ""
        m = found[-1]
        line = text[max(0, m.start() - 60): m.end() + 120]
        squashed = _squash(line)
        government = bool(_GOVERNMENT_HOLDER.search(line))
        company_match = None if government else _COMPANY.search(line)
        # the city's name (or the domain's, or a Chinese city's 市) names the city, unless it is
        # part of a company's name ('Ashford Media Ltd', '青山市文化传媒有限公司')
        names = any(city in squashed for city in cities) or (len(stem) >= 4 and stem in squashed) \
            or bool(_CITY_SUFFIX.search(line))
        holder = government or (names and company_match is None)
        located = page.locate(m.start(), m.end())
        return (located.text or line, holder, company_match.group(0) if company_match else "",
                located.locator)
