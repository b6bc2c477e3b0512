"""manual: the assist for an indicator no detector covers yet: a person checks, with guidance."""

from __future__ import annotations

from detectors.site import Site
from losi.types import DetectorMeta, Evidence, Finding, Outcome


class Manual:
    meta = DetectorMeta(
        id="manual",
        title="Manual check",
        description=(
            "Indicators that no detector covers yet are proposed as needs_review: the runner "
            "attaches the methodology's question and how-to-check guidance, and the home page "
            "is offered as the place to start (Lighthouse's manual audits)."
        ),
        requires=("home",),
        version=1,
    )

    def detect(self, site: Site) -> Finding:
        assert site.home is not None
        return Finding(
            Outcome.NEEDS_REVIEW,
            0.0,
            (Evidence(page_url=site.home.address, explanation="start from the home page"),),
            reason="no detector covers this indicator yet: check it by hand",
        )
