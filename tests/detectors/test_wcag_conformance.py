from __future__ import annotations

from typing import Any

from detectors.builtin.wcag_conformance import WcagConformance
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.render_sites import render, rendered_site

detector = WcagConformance()


def axe(*violations: dict[str, Any], incomplete: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"url": "https://city.example/", "engine": {"name": "axe-core", "version": "4.12.1"},
            "environment": {"windowWidth": 1366}, "run_only": ["wcag2a", "wcag2aa", "wcag21a",
                                                               "wcag21aa"],
            "violations": list(violations), "incomplete": list(incomplete),
            "counts": {"violations": len(violations), "passes": 31, "incomplete": len(incomplete),
                       "inapplicable": 40},
            "warc_record_id": "<urn:uuid:axe>"}


IMAGE_ALT = {
    "id": "image-alt", "impact": "critical", "help": "Images must have alternative text",
    "helpUrl": "https://dequeuniversity.com/rules/axe/4.12/image-alt", "tags": ["wcag2a"],
    "node_count": 3,
    "nodes": [{"target": ["#logo"], "html": "<img id=\"logo\" src=\"logo.png\">",
               "failureSummary": "Fix any of the following: ..."},
              {"target": ["iframe#map", "img.pin"], "html": "<img class=\"pin\">",
               "failureSummary": ""},
              {"target": [".news > img"], "html": "<img>", "failureSummary": ""}],
}
CONTRAST = {"id": "color-contrast", "impact": "serious",
            "help": "Elements must meet minimum color contrast ratio thresholds",
            "helpUrl": "https://dequeuniversity.com/rules/axe/4.12/color-contrast",
            "tags": ["wcag2aa"], "node_count": 1,
            "nodes": [{"target": ["footer p"], "html": "<p>© City</p>", "failureSummary": ""}]}


def test_no_violation_is_present_with_the_axe_version() -> None:
    finding = run_detector(detector, rendered_site(render(axe=axe(incomplete=("aria-valid-attr",)))))
    assert finding.outcome is Outcome.PRESENT and finding.confidence < 0.9
    assert finding.details["axe_version"] == "4.12.1"
    assert "aria-valid-attr" in finding.evidence[0].explanation


def test_violations_are_absent_with_one_row_per_rule_worst_first() -> None:
    finding = run_detector(detector, rendered_site(render(axe=axe(CONTRAST, IMAGE_ALT))))
    assert finding.outcome is Outcome.ABSENT
    first, second = finding.evidence
    assert first.locator == "#logo" and "logo.png" in first.text
    assert "image-alt (critical)" in first.explanation and "3 element(s)" in first.explanation
    assert "iframe#map >>> img.pin" in first.explanation
    assert first.explanation.endswith("https://dequeuniversity.com/rules/axe/4.12/image-alt")
    assert first.record_id == "<urn:uuid:axe>"
    assert "color-contrast" in second.explanation
    assert finding.details["violations"][0] == {"id": "image-alt", "impact": "critical", "nodes": 3}
    assert "2 WCAG 2.1 A/AA rule(s)" in finding.reason and "4 element(s)" in finding.reason


def test_without_a_render_it_is_not_assessable() -> None:
    assert run_detector(detector, rendered_site(None)).outcome is Outcome.NOT_ASSESSABLE


def test_a_failed_render_is_not_assessable_never_absent() -> None:
    failed = render(timings={"error": "TimeoutError: Navigation timeout of 30000 ms exceeded"})
    finding = run_detector(detector, rendered_site(failed))
    assert finding.outcome is Outcome.NOT_ASSESSABLE and "Navigation timeout" in finding.reason


def test_a_render_of_an_http_error_is_not_assessable_never_judged() -> None:
    # a challenge wall answers 403 with a page of its own (here with a meta refresh): axe-core
    # checked the wall, not the portal's home page
    wall = render(axe=axe(CONTRAST), timings={"http_status": 403})
    finding = run_detector(detector, rendered_site(wall))
    assert finding.outcome is Outcome.NOT_ASSESSABLE and "HTTP 403" in finding.reason
    clean = render(axe=axe(), timings={"http_status": 503})
    assert run_detector(detector, rendered_site(clean)).outcome is Outcome.NOT_ASSESSABLE
    ok = render(axe=axe(CONTRAST), timings={"http_status": 200})
    assert run_detector(detector, rendered_site(ok)).outcome is Outcome.ABSENT


def test_a_render_without_axe_results_is_not_assessable() -> None:
    assert run_detector(detector, rendered_site(render(axe={}))).outcome is Outcome.NOT_ASSESSABLE
