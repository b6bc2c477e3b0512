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
_COPYRIGHT = re.compile(
    r"©|\(c\)|copyright|版权所有|著作权|جميع الحقوق محفوظة|حقوق النشر|все права защищены|"
    r"todos los derechos reservados|tous droits reserves|alle rechte vorbehalten|"
    r"tutti i diritti riservati|todos os direitos reservados|derechos reservados")
# The holder a government copyright names ('City of X', 'Stadt X', 'Comune di X' ...).
_GOVERNMENT_HOLDER = re.compile(
    r"\b(?:city|town|county|borough|municipality|council|government|ville|mairie|commune|"
    r"stadt|gemeinde|landeshauptstadt|comune|citta|ayuntamiento|municipalidad|municipio|"
    r"alcaldia|gobierno|prefeitura|camara municipal|gemeente|администрация|правительство|"
    r"мэрия)\b|人民政府|政府|市|بلدية|أمانة|حكومة|امارة")


def _squash(text: str) -> str:
    return re.sub(r"[^0-9a-z\u00c0-\uffff]", "", normalise_text(text))


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
            "city government."
        ),
        requires=("home",),
        version=1,
    )

    def detect(self, site: Site) -> Finding:
        assert site.home is not None
        page = site.parse(site.home)
        url = page.url
        host = (urlsplit(url).hostname or "").lower()
        labels = host.split(".")
        domain = registrable_domain(url)
        city = _squash(site.city_name)
        gov = sorted(set(labels) & _GOV_LABELS)
        names_city = bool(city) and city in _squash(host)
        municipal = _MUNICIPAL_HOST.search(host)
        # Without the city's name (a saved page), the domain's own name must be the place the
        # home page's title names: 'berlin.de' and 'Berlin.de – Das offizielle Hauptstadtportal'.
        stem = domain.split(".")[0] if domain else ""
        title_names_domain = len(stem) >= 4 and stem in _squash(page.title)
        copyright_line, holder_ok, where = self._copyright(page, city, stem)
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
                                         else " that does not name the city")))
            if holder_ok:
                signals.append("copyright")
        details = {"host": host, "government_labels": gov, "city_in_host": names_city,
                   "title_names_domain": title_names_domain,
                   "copyright": copyright_line, "copyright_names_city": holder_ok,
                   "city": site.city_name}
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
        if signals or title_names_domain:
            if title_names_domain and not signals:
                evidence.append(Evidence(page_url=url, record_id=page.record_id,
                                         text=page.title,
                                         explanation="the home page's title names the domain"))
            missing = [w for w, ok in (("a government domain naming the city", "domain" in
                                        signals), ("a copyright naming the city", holder_ok))
                       if not ok]
            return Finding(Outcome.NEEDS_REVIEW, 0.5, tuple(evidence),
                           reason="only part of LOSI's two marks: missing " + " and ".join(missing),
                           details={**details, "leaning": "present"})
        return Finding(
            Outcome.NEEDS_REVIEW, 0.2,
            (Evidence(page_url=url, record_id=page.record_id, text=host,
                      explanation="neither a government domain nor a copyright naming the city"),),
            reason="neither mark of an official portal: check that this is the city "
                   "government's own site and not a third party's",
            details={**details, "leaning": "absent"})

    @staticmethod
    def _copyright(page: ParsedPage, city: str, stem: str) -> tuple[str, bool, str]:
        """The copyright line nearest the end of the page (the footer's), whether its holder is
        the city or a city government, and its locator."""
        index = page.text_index
        text = index.text
        found = list(_COPYRIGHT.finditer(text))
        if not found:
            return "", False, ""
        m = found[-1]
        line = text[max(0, m.start() - 60): m.end() + 120]
        squashed = _squash(line)
        holder = bool(_GOVERNMENT_HOLDER.search(line)) or (bool(city) and city in squashed) or (
            len(stem) >= 4 and stem in squashed)
        located = page.locate(m.start(), m.end())
        return located.text or line, holder, located.locator
