"""The runner: detectors over one Site, Findings wrapped into Proposals.

The runner, not each detector, enforces the two rules that keep proposals honest:
a required artifact the crawl lacks gives `not_assessable` (never `absent`), and an
exception inside a detector gives `error` (never `absent`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from detectors.base import Detector
from detectors.site import Site
from losi.types import Finding, Outcome, Proposal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Binding:
    """An item of a methodology bound to a detector: what the runner needs of a methodology."""

    code: str
    detector_id: str
    guidance: str = ""


def run_detector(detector: Detector, site: Site) -> Finding:
    for artifact in detector.meta.requires:
        ok, why = site.has_artifact(artifact)
        if not ok:
            return Finding(Outcome.NOT_ASSESSABLE, 0.0, reason=why)
    try:
        finding = detector.detect(site)
    except Exception as exc:  # a detector bug must not become a claim about the city
        log.exception("detector %s failed on crawl %s", detector.meta.id, site.crawl_id)
        return Finding(Outcome.ERROR, 0.0, reason=f"{type(exc).__name__}: {exc}")
    if not isinstance(finding, Finding):
        return Finding(
            Outcome.ERROR, 0.0, reason=f"detector returned {type(finding).__name__}, not a Finding"
        )
    return finding


def run(
    site: Site,
    bindings: Iterable[Binding],
    detectors: Mapping[str, Detector],
    *,
    methodology_id: str,
    methodology_version: str,
) -> list[Proposal]:
    """One proposal per binding; each detector runs once even when several items share it."""
    findings: dict[str, Finding] = {}
    proposals = []
    for binding in bindings:
        detector = detectors.get(binding.detector_id)
        if detector is None:
            finding = Finding(
                Outcome.ERROR, 0.0, reason=f"no detector {binding.detector_id!r} is installed"
            )
            version = 0
        else:
            if binding.detector_id not in findings:
                findings[binding.detector_id] = run_detector(detector, site)
            finding = findings[binding.detector_id]
            version = detector.meta.version
        details = dict(finding.details)
        if binding.guidance and finding.outcome is not Outcome.PRESENT:
            details.setdefault("guidance", binding.guidance)
        proposals.append(
            Proposal(
                indicator_code=binding.code,
                outcome=finding.outcome,
                confidence=finding.confidence,
                evidence=finding.evidence,
                detector_id=binding.detector_id,
                detector_version=version,
                crawl_id=site.crawl_id,
                methodology_id=methodology_id,
                methodology_version=methodology_version,
                reason=finding.reason,
                details=details,
            )
        )
    return proposals
