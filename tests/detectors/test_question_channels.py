"""question-channels: the assist for LOSI #250/#252 (responsiveness to a set question)."""

from __future__ import annotations

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import SEED, home, page, site

detector = pattern_detector("question-channels")


def test_channels_are_ranked_forms_first_and_never_claimed() -> None:
    finding = run_detector(detector, site(
        home("<a href='mailto:info@city.example'>info@city.example</a>"
             "<a href='/contact'>Contact us</a>"),
        page("https://city.example/contact",
             "<html><body><form action='/send'><label>Your message<textarea name='msg'></textarea>"
             "</label><button>Send</button></form></body></html>", depth=1)))
    assert finding.outcome is Outcome.NEEDS_REVIEW
    candidates = finding.details["candidates"]
    assert candidates[0]["url"] == "https://city.example/contact"
    assert any(c["url"] == "mailto:info@city.example" for c in candidates)
    assert "set question" in finding.details["instructions"]


def test_with_no_channel_the_assist_starts_from_the_home_page() -> None:
    finding = run_detector(detector, site(home("<p>Welcome</p>")))
    assert finding.outcome is Outcome.NEEDS_REVIEW
    assert finding.details["candidates"] == []
    assert finding.evidence[0].page_url == SEED
