"""satisfaction-survey: User satisfaction measurement (LOSI #293): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("satisfaction-survey")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Customer Satisfaction Survey</a>",
    "<p>Was this page helpful? <button>Yes</button><button>No</button></p>",
    "<a href='/x'>Encuesta de satisfacción</a>",
    "<a href='/x'>满意度调查</a>",
    "<a href='/x'>Kundenzufriedenheit</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Land survey maps</a>",
    # published results, not a survey to take (#294)
    "<a href='/zufriedenheitsquote/'>Ergebnisse</a>",
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE
