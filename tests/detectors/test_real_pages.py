"""Real municipal pages from ../shared: the labelled corpus as a regression, the world as a
robustness check. Both are read at run time and skipped when absent (a fresh clone has none)."""

from __future__ import annotations

from pathlib import Path

import pytest

from detectors.registry import load_registry
from detectors.runner import run_detector
from detectors.site import Site
from losi.evaluate import evaluate
from losi.types import Outcome

SHARED = Path(__file__).resolve().parents[3] / "shared"
CORPUS, WORLD = SHARED / "corpus", SHARED / "world"
registry = load_registry()

# Until the methodology binds them (issue 4), the bindings this corpus was measured with.
BINDINGS = {
    "204": "mobile-viewport", "206": "site-search", "212": "language-versions",
    "214": "contact-details", "219": "budget-information", "220": "procurement-notices",
    "234": "privacy-policy", "236": "open-data", "240": "help-faq", "266": "job-vacancies",
    "269a": "online-payment", "271": "feedback-form", "273": "social-networks",
    "274": "incident-reporting", "280": "council-meetings", "283": "mobile-apps",
    "295": "events-section", "296": "news-section",
}


@pytest.mark.skipif(not (CORPUS / "labels.csv").is_file(),
                    reason=f"no labelled corpus at {CORPUS} (CI has ../shared; a fresh clone may not)")
def test_the_labelled_corpus_meets_the_targets() -> None:
    report = evaluate(CORPUS / "labels.csv", CORPUS, None, registry, bindings=BINDINGS)
    misses = []
    for code, f in report.figures().items():
        if f.positives >= 5 and ((f.precision or 0) < 0.95 or (f.recall or 0) < 0.90):
            misses.append(f"{code} {BINDINGS[code]}: precision {f.precision}, recall {f.recall}")
    assert not misses, "; ".join(misses)


@pytest.mark.skipif(not WORLD.is_dir(), reason=f"no real pages at {WORLD}")
def test_every_detector_runs_on_every_real_page_without_error() -> None:
    from detectors.builtin.markup_validity import MarkupValidity

    errors = []
    paths = sorted(WORLD.glob("*/*.html"))
    # One JVM of the Nu Html Checker for all the pages, not one per page.
    MarkupValidity.prepare(Site.from_html(f"https://{p.parent.name}/", p.read_bytes())
                           for p in paths)
    for path in paths:
        site = Site.from_html(f"https://{path.parent.name}/", path.read_bytes())
        for detector_id, detector in registry.items():
            finding = run_detector(detector, site)
            if finding.outcome is Outcome.ERROR:
                errors.append(f"{detector_id} on {path.name}: {finding.reason}")
    assert not errors, errors[:5]
