"""environment-information: Environmental information (LOSI #227): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("environment-information")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Sustainability</a>",
    "<a href='/x'>Medio ambiente</a>",
    "<a href='/x'>Environnement</a>",
    "<a href='/x'>生态环境</a>",
    "<a href='/x'>Umwelt</a>",
    "<a href='/x'>البيئة</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Work environment at the city</a>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE


@pytest.mark.parametrize("body", [
    "<nav><a href='/services/environmental-permit/'>Apply for an environmental permit</a></nav>",
    "<nav><a href='/odd/'>Objectifs de développement durable</a></nav>",
    "<nav><a href='/umweltzone/'>Die Umweltzone: welche Plakette?</a></nav>",
])
def test_permits_the_sdgs_and_low_emission_zones_are_not_environmental_information(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT
