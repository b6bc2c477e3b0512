"""mobile-viewport: the home page declares a responsive viewport (LOSI 2024 #204)."""

from __future__ import annotations

import re

from detectors.site import Site
from losi.types import DetectorMeta, Evidence, Finding, Outcome

_RESPONSIVE = re.compile(r"width\s*=\s*device-width|initial-scale\s*=", re.IGNORECASE)


class MobileViewport:
    meta = DetectorMeta(
        id="mobile-viewport",
        title="Responsive viewport",
        description=(
            "LOSI #204 asks whether the portal is accessible on mobile devices. Without "
            "<meta name='viewport' content='width=device-width'> mobile browsers lay the page out "
            "at desktop width and shrink it; with it, the page can adapt (Lighthouse's viewport audit)."
        ),
        requires=("home",),
        version=1,
    )

    def detect(self, site: Site) -> Finding:
        assert site.home is not None  # guaranteed by requires=("home",)
        page = site.parse(site.home)
        metas = page.meta("viewport")
        if not metas:
            return Finding(
                Outcome.ABSENT,
                0.9,
                reason=f"the home page {page.url} has no <meta name=viewport>",
            )
        content, element = metas[0]
        evidence = (
            Evidence(
                page_url=page.url,
                locator=page.xpath(element),
                text=content,
                record_id=page.artifact.record_id,
                explanation=f"<meta name=viewport content={content!r}> on the home page",
            ),
        )
        if _RESPONSIVE.search(content):
            return Finding(Outcome.PRESENT, 0.9, evidence)
        return Finding(
            Outcome.NEEDS_REVIEW,
            0.5,
            evidence,
            reason="a viewport is declared without width=device-width or initial-scale",
        )
