"""sitemap: a site map people can open (a link to it), or at least an XML sitemap for robots."""

from __future__ import annotations

from typing import Any

from detectors.pattern import PatternDetector, Scan, validate
from detectors.site import ParsedPage, Site
from losi.types import DetectorMeta, Evidence, Finding, Outcome

# The links people follow to a site map, as a pattern (the engine records every match). An XML
# sitemap linked from a page is for search engines: alone it is only needs_review.
_XML = "\\.xml(\\.gz)?(\\?|$)"
LINKS: dict[str, Any] = {
    "id": "sitemap",
    "version": 2,
    "title": "Site map link",
    "description": "Links to a site map page for people: a label naming a site map, or an "
                   "address naming one (not the XML sitemap made for search engines).",
    "requires": ["home"],
    "any": [
        {"id": "sitemap-label",
         "link_text": {"lexicon": "sitemap", "max_words": 5, "unless_url": _XML},
         "confidence": 0.9, "why": "a link labelled as the site map"},
        {"id": "sitemap-path",
         "link_url": {"part": "path", "unless": _XML,
                      "pattern": "[/_.-](site-?map|plan-?du-?site|mapa-?(del|do|de)-?(sitio|site|portal)|"
                                 "mapa-?web|mappa-?(del-?)?sito|seitenuebersicht|"
                                 "seiten-?uebersicht|karta-?saita)(/|\\.|-|_|\\?|$)"},
         "where": {"links": "same-site"},
         "confidence": 0.75, "why": "a link whose address names a site map page"},
        {"id": "sitemap-xml-link",
         "link_url": {"part": "path", "pattern": "sitemap[^/]*" + _XML},
         "confidence": 0.3,
         "why": "a link to the XML sitemap: made for search engines, not a page for people"},
    ],
    "absent_when_seen": ["home"],
}


def _xml_sitemaps(site: Site) -> tuple[list[str], list[Evidence], dict[str, Any]]:
    """What the probes say of XML sitemaps: (reachable sitemap URLs, evidence, details)."""
    robots = site.probe("robots")
    probe = site.probe("sitemap")
    listed = [str(u) for u in (robots or {}).get("sitemaps") or []]
    read = [str(u) for u in (probe or {}).get("sitemaps") or []]
    found = bool((probe or {}).get("found"))
    entries = int((probe or {}).get("entries") or 0)
    rows = []
    if found and read:
        rows.append(Evidence(
            page_url=read[0], text=" ".join(read[:5]),
            explanation=f"XML sitemap read by the crawler: {len(read)} file(s), {entries} entries "
                        f"(made for search engines, not a page people browse)"))
    if listed:
        rows.append(Evidence(
            page_url=str((robots or {}).get("url", "")), text=" ".join(listed[:5]),
            explanation=f"robots.txt lists {len(listed)} sitemap(s)"
                        + ("" if found else " (the crawler could not read them)")))
    details = {"robots_probe": robots is not None, "sitemap_probe": probe is not None,
               "xml_sitemaps": read, "xml_entries": entries, "robots_sitemaps": listed,
               "xml_errors": list((probe or {}).get("errors") or [])[:5]}
    return (read if found else []) or listed, rows, details


class _SitemapScan:
    def __init__(self, detector: Sitemap, site: Site) -> None:
        self.detector = detector
        self.site = site
        self.links: Scan = detector.links.begin(site)

    @property
    def done(self) -> bool:
        return self.links.done

    @done.setter
    def done(self, value: bool) -> None:
        self.links.done = value

    def feed(self, page: ParsedPage) -> bool:
        return self.links.feed(page)

    def finish(self) -> Finding:
        return self.detector.decide(self.site, self.links.finish())


class Sitemap:
    meta = DetectorMeta(
        id="sitemap",
        title="Site map",
        description=(
            "LOSI #205 (navigability) asks for 'a sitemap or index page listing the site's pages, "
            "typically hierarchical'. Present when the portal links a site map page for people "
            "(a label or an address naming it, in nine languages). An XML sitemap alone (read "
            "by the crawler, or listed in robots.txt) serves search engines, not people "
            "navigating: it is needs_review, with its address, for a person to judge."
        ),
        requires=("home",),
        version=2,
    )

    def __init__(self) -> None:
        validate(LINKS, "sitemap (built-in link rules)")
        self.links = PatternDetector(LINKS, "detectors/builtin/sitemap.py")

    def begin(self, site: Site) -> _SitemapScan:
        return _SitemapScan(self, site)

    def detect(self, site: Site) -> Finding:
        scan = self.begin(site)
        for page in site.html_pages():
            if scan.feed(page):
                break
        return scan.finish()

    def decide(self, site: Site, links: Finding) -> Finding:
        xml, xml_rows, xml_details = _xml_sitemaps(site)
        details = {**links.details, **xml_details}
        if links.outcome is Outcome.PRESENT:
            return Finding(Outcome.PRESENT, links.confidence, links.evidence + tuple(xml_rows),
                           details={**details, "kind": "page for people"
                                    + (" and XML sitemap" if xml else "")})
        if xml:
            return Finding(
                Outcome.NEEDS_REVIEW, 0.4, tuple(xml_rows) + links.evidence,
                reason="only an XML sitemap for search engines (" + ", ".join(xml[:3])
                       + "): LOSI asks for navigability for people; check whether the portal "
                         "offers a site map or index page",
                details={**details, "kind": "XML sitemap only"})
        if links.outcome is Outcome.ABSENT:
            probes = ("" if xml_details["robots_probe"] or xml_details["sitemap_probe"] else
                      "; the robots and sitemap probes were not run")
            return Finding(Outcome.ABSENT, links.confidence, links.evidence,
                           reason=f"no link to a site map on {links.details.get('pages_examined', 0)} "
                                  f"page(s) seen, and no XML sitemap{probes}",
                           details={**details, "kind": "none"})
        return Finding(links.outcome, links.confidence, links.evidence, reason=links.reason,
                       details=details)
