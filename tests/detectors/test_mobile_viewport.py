from __future__ import annotations

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("mobile-viewport")


def test_a_device_width_viewport_is_present() -> None:
    s = site(home("", head="<meta name='viewport' content='width=device-width, initial-scale=1'>"))
    assert run_detector(detector, s).outcome is Outcome.PRESENT


def test_the_evidence_quotes_the_meta_tag() -> None:
    s = site(home("", head="<meta name='Viewport' content='initial-scale=1'>"))
    evidence = run_detector(detector, s).evidence[0]
    assert (evidence.page_url, evidence.locator, evidence.text) == (
        SEED, "/html/head/meta", "initial-scale=1")


def test_no_viewport_is_absent() -> None:
    s = site(home("<table width='980'><tr><td>Bienvenue</td></tr></table>"))
    assert run_detector(detector, s).outcome is Outcome.ABSENT


def test_a_fixed_width_viewport_needs_review() -> None:
    s = site(home("", head="<meta name='viewport' content='width=1024'>"))
    assert run_detector(detector, s).outcome is Outcome.NEEDS_REVIEW


def test_an_unreachable_home_page_is_not_assessable() -> None:
    s = site(failed(SEED, FetchStatus.DNS_ERROR, "DNSLookupError"))
    assert run_detector(detector, s).outcome is Outcome.NOT_ASSESSABLE
