"""search-engine-visibility: the assist for LOSI #202 (ease of finding the portal)."""

from __future__ import annotations

from detectors.builtin.search_visibility import SearchEngineVisibility
from detectors.runner import run_detector
from detectors.site import Site
from losi.types import Outcome
from tests.detectors.sites import SEED, home

detector = SearchEngineVisibility()


def test_it_always_asks_a_person_with_the_queries_to_type() -> None:
    s = Site(SEED, [home("<p>Hi</p>", "<title>Springfield City Hall</title>")],
             city_name="Springfield")
    finding = run_detector(detector, s)
    assert finding.outcome is Outcome.NEEDS_REVIEW
    assert "Springfield" in finding.details["queries"]
    assert "gs.statcounter.com" in finding.details["instructions"]
    assert finding.details["leaning"] == ""


def test_a_noindex_and_a_closed_robots_txt_are_shown_as_reasons_to_doubt() -> None:
    s = Site(SEED, [home("<p>Hi</p>", "<title>City</title><meta name='robots' content='noindex'>")],
             {"robots": {"url": "https://city.example/robots.txt",
                         "text": "User-agent: *\nDisallow: /\n"}})
    finding = run_detector(detector, s)
    assert finding.outcome is Outcome.NEEDS_REVIEW
    assert finding.details["leaning"] == "absent"
    assert finding.details["robots_txt_shuts_out"] is True
    assert any("noindex" in e.text for e in finding.evidence)
