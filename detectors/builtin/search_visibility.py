"""search-engine-visibility: LOSI #202, the assist for 'ease of finding the portal'."""

from __future__ import annotations

import re

from detectors.site import Site
from losi.types import DetectorMeta, Evidence, Finding, Outcome

_DISALLOW_ALL = re.compile(r"(?im)^user-agent:\s*\*\s*$(?:\n(?!user-agent:).*)*?\n\s*disallow:\s*/\s*$")


class SearchEngineVisibility:
    """A search on the country's three most used engines is the assessor's to make (no network
    in detectors, and results differ by country and day); the crawl shows what can keep a
    portal out of the results, and gives the assessor the queries to type."""

    meta = DetectorMeta(
        id="search-engine-visibility",
        title="Ease of finding the portal (assist)",
        description=(
            "LOSI #202: 'the municipal portal appears on the first results page of the three "
            "most popular search engines used in the country (gs.statcounter.com)'. An assist: "
            "always needs_review, with the queries to type and what the crawl saw that decides "
            "how engines list the portal: its title and description, a noindex in a robots "
            "meta tag or X-Robots-Tag header, a robots.txt that shuts every crawler out, a "
            "canonical address elsewhere."
        ),
        requires=("home",),
        version=1,
    )

    def detect(self, site: Site) -> Finding:
        assert site.home is not None
        page = site.parse(site.home)
        url, rid = page.url, page.record_id
        description = next((m.content for m in page.metas if m.key in ("description",
                                                                      "og:description")), "")
        robots_meta = " ".join(m.content for m in page.metas if m.key in ("robots", "googlebot"))
        header = page.header("x-robots-tag")
        canonical = ""
        for el in page.tree.iter("link"):
            if (el.get("rel") or "").lower() == "canonical":
                canonical = (el.get("href") or "").strip()
        robots = site.probe("robots") or {}
        shut_out = bool(_DISALLOW_ALL.search(str(robots.get("text") or "")))
        problems: list[Evidence] = []
        if "noindex" in robots_meta.lower():
            problems.append(Evidence(page_url=url, record_id=rid, text=robots_meta,
                                     explanation="a robots meta tag asks engines not to index "
                                                 "the home page"))
        if "noindex" in header.lower():
            problems.append(Evidence(page_url=url, record_id=rid, text=header,
                                     explanation="the X-Robots-Tag header asks engines not to "
                                                 "index the home page"))
        if shut_out:
            problems.append(Evidence(page_url=str(robots.get("url", "")),
                                     text="User-agent: * / Disallow: /",
                                     explanation="robots.txt shuts every crawler out"))
        if canonical and canonical.rstrip("/") != url.rstrip("/") and "://" in canonical:
            problems.append(Evidence(page_url=url, record_id=rid, text=canonical,
                                     explanation="the home page names another address as its "
                                                 "canonical one: engines list that one"))
        if not page.title:
            problems.append(Evidence(page_url=url, record_id=rid,
                                     explanation="the home page has no <title>: engines show "
                                                 "no name for it"))
        city = site.city_name or page.title.split("|")[0].split(" - ")[0].strip()
        queries = [q for q in dict.fromkeys([city, f"{city} official website" if city else "",
                                             f"{city} city government" if city else ""]) if q]
        evidence = (Evidence(page_url=url, record_id=rid, text=page.title,
                             explanation="the home page's title, what engines show as the "
                                         "result's name" + (f"; description: {description[:160]}"
                                                            if description else "")),
                    *problems)
        details = {
            "assist": True,
            "queries": queries,
            "title": page.title, "description": description, "canonical": canonical,
            "robots_meta": robots_meta, "x_robots_tag": header,
            "robots_txt_shuts_out": shut_out, "robots_probe": bool(robots),
            "leaning": "absent" if problems and any("index" in p.explanation or "shuts" in
                                                    p.explanation for p in problems) else "",
            "instructions": (
                "find the country's three most used search engines on gs.statcounter.com; "
                "search each for the queries listed (in the portal's language); 1 only if "
                f"{url} (or its canonical address) is on the first results page of all three"),
        }
        reason = "a person must run the searches: " + details["instructions"]
        if problems:
            reason = f"{len(problems)} thing(s) that keep engines away; {reason}"
        return Finding(Outcome.NEEDS_REVIEW, 0.0, evidence, reason=reason, details=details)
