"""municipality-information: Information about the municipality (LOSI #217): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("municipality-information")


@pytest.mark.parametrize("body", [
    "<a href='/about'>About the City</a>",
    "<a href='/x'>Historia</a>",
    "<a href='/x'>Découvrir la ville</a>",
    "<a href='/x'>城市概况</a>",
    "<a href='/x'>О городе</a>",
    "<a href='/x'>Stadtgeschichte</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Browser history settings</a>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE


@pytest.mark.parametrize("label", ["La ciudad", "Город", "Tourism", "旅游"])
def test_a_bare_section_name_counts_as_the_whole_label(label: str) -> None:
    finding = run_detector(detector, site(home(f"<nav><a href='/x'>{label}</a></nav>")))
    assert finding.outcome is Outcome.PRESENT, finding.reason


@pytest.mark.parametrize("body", [
    "<nav><a href='/novosti/0001.html'>Утро дерево город музей</a></nav>",  # a news headline
    "<nav><a href='/mapa-interactivo/'>Mapa interactivo de la ciudad</a></nav>",
    "<ul><li><a href='https://tourism.example/'>tourism.example</a></li></ul>",
    "<nav><a href='/about-this-website/'>About this website</a></nav>",
])
def test_headlines_maps_and_the_website_are_not_information_about_the_city(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is Outcome.ABSENT
