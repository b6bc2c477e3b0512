"""leisure-culture-sports: Leisure, culture and sports information (LOSI #230): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("leisure-culture-sports")


@pytest.mark.parametrize("body", [
    "<a href='/parks'>Parks & Recreation</a>",
    "<a href='/x'>Cultura</a>",
    "<a href='/x'>Loisirs</a>",
    "<a href='/x'>文化</a>",
    "<a href='/x'>Freizeit</a>",
    "<a href='/x'>الرياضة</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Parking permits</a>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE


# Titles the test world (losi/world/pages_content.py) gives the section, and what it showed
# the detector taking for one: headlines that use a section's word, other sections' titles
# and addresses (a word inside another: 'nahverkehr', 'obrashcheniya', 'rukovodstvo').


@pytest.mark.parametrize("body", [
    "<a href='/x'>Sport</a>",
    "<a href='/x'>Sports and recreation</a>",
    "<a href='/x'>Cultura y ocio</a>",
    "<a href='/x'>Физическая культура и спорт</a>",
    "<a href='/x'>文旅休闲</a>",
])
def test_the_test_world_s_titles_are_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason


@pytest.mark.parametrize("body", [
    "<a href='/news/1.html'>Culture week in the park</a>",
    "<a href='/x'>Wi-Fi hotspots in parks and libraries</a>",
    "<a href='/datos/1.csv'>Préstamos de bibliotecas (CSV)</a>",
    "<a href='/public-transport/'>Buses</a>",
    "<a href='/news/0001-culture-sport-heritage.html'>Week 12</a>",
])
def test_what_the_test_world_showed_it_taking_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT
