from __future__ import annotations

from detectors.builtin.browser_compatibility import BrowserCompatibility
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.render_sites import LAYOUT_OK, render, rendered_site

detector = BrowserCompatibility()


def test_a_clean_chromium_render_still_needs_the_other_browsers() -> None:
    finding = run_detector(detector, rendered_site(render()))
    assert finding.outcome is Outcome.NEEDS_REVIEW and finding.details["leaning"] == "present"
    assert finding.evidence[0].screenshot == "<urn:uuid:desktop>"
    assert "three most used browsers" in finding.reason


def test_uncaught_exceptions_lean_absent_with_the_messages() -> None:
    s = rendered_site(render(console=(
        "uncaught TypeError: Cannot read properties of undefined (reading 'init')",
        "console.error: Failed to load resource: the server responded with a status of 404 ()")))
    finding = run_detector(detector, s)
    assert finding.outcome is Outcome.NEEDS_REVIEW and finding.details["leaning"] == "absent"
    assert finding.confidence < 0.5
    assert any("TypeError" in e.text for e in finding.evidence)
    assert finding.details["console_errors"] == {"page-error": 1, "failed-resource": 1}


def test_failed_resources_alone_do_not_make_breakage() -> None:
    s = rendered_site(render(console=("console.error: Failed to load resource: net::ERR_FAILED",)))
    assert run_detector(detector, s).details["leaning"] == "present"


def test_a_page_wider_than_the_desktop_viewport_is_breakage() -> None:
    wide = {**LAYOUT_OK, "desktop": {**LAYOUT_OK["desktop"], "page_width": 1900}}
    finding = run_detector(detector, rendered_site(render(timings={"layout": wide})))
    assert finding.details["leaning"] == "absent" and finding.details["overflow_px"] == {"desktop": 534}


def test_mobile_overflow_is_shown_but_left_to_the_viewport_indicator() -> None:
    wide = {**LAYOUT_OK, "mobile": {**LAYOUT_OK["mobile"], "page_width": 980}}
    finding = run_detector(detector, rendered_site(render(timings={"layout": wide})))
    assert finding.details["leaning"] == "present"
    assert any("mobile width" in e.explanation for e in finding.evidence)


def test_a_failed_render_is_needs_review_never_absent() -> None:
    failed = render(timings={"error": "page crashed"}, console=("page crashed",))
    finding = run_detector(detector, rendered_site(failed))
    assert finding.outcome is Outcome.NEEDS_REVIEW and finding.confidence == 0.2


def test_without_a_render_it_is_not_assessable() -> None:
    assert run_detector(detector, rendered_site(None)).outcome is Outcome.NOT_ASSESSABLE


def test_beyond_chromium_the_html_shows_code_for_other_engines() -> None:
    from detectors.site import Site
    from tests.detectors.sites import SEED, home

    page = home("<!--[if lt IE 9]><script src='html5shiv.js'></script><![endif]-->"
                "<p>This site is best viewed in Internet Explorer 11.</p>",
                "<meta http-equiv='X-UA-Compatible' content='IE=edge'>")
    finding = run_detector(detector, Site(SEED, [page], renders={SEED: render()}))
    assert finding.outcome is Outcome.NEEDS_REVIEW
    assert len(finding.details["other_browsers"]) == 3
    assert any("best viewed" in e.text for e in finding.evidence)
    assert "gs.statcounter.com" in finding.details["instructions"]


def test_a_plain_page_shows_nothing_about_other_browsers() -> None:
    finding = run_detector(detector, rendered_site(render()))
    assert finding.details["other_browsers"] == []
