"""vulnerable-groups-information: Information for vulnerable groups (LOSI #231): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("vulnerable-groups-information")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Seniors</a>",
    "<a href='/x'>Personas con discapacidad</a>",
    "<a href='/x'>Personnes âgées</a>",
    "<a href='/x'>残疾人</a>",
    "<a href='/x'>Senioren</a>",
    "<a href='/x'>كبار السن</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Senior planner job posting</a>"
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
    "<a href='/x'>Youth</a>",
    "<a href='/x'>Seniorinnen und Senioren</a>",
    "<a href='/x'>Поддержка людей с инвалидностью</a>",
    "<a href='/x'>Envelhecimento ativo e seniores</a>",
])
def test_the_test_world_s_titles_are_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason


@pytest.mark.parametrize("body", [
    "<a href='/news/1.html'>Youth orchestra plays the square</a>",
    "<a href='/x'>Markt Weg Familie Zentrum</a>",
    "<a href='/managing-your-account/'>Account</a>",
])
def test_what_the_test_world_showed_it_taking_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT
