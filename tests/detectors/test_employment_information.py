"""employment-information: Labour and employment information (LOSI #233): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("employment-information")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Workforce Development</a>",
    "<a href='/x'>Empleo</a>",
    "<a href='/x'>Emploi et formation</a>",
    "<a href='/x'>就业</a>",
    "<a href='/x'>Arbeitsmarkt</a>",
    "<a href='/x'>التوظيف</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Employee intranet login</a>"
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
    "<a href='/x'>Arbeit</a>",
    "<a href='/x'>Back to work: training and careers advice</a>",
    "<a href='/x'>Gabinete de Inserção Profissional</a>",
    "<a href='/x'>Рынок труда и трудоустройство</a>",
])
def test_the_test_world_s_titles_are_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason


@pytest.mark.parametrize("body", [
    "<a href='/offres-d-emploi/'>Offres d'emploi</a>",
    "<a href='/empleo-publico/'>Empleo público</a>",
    "<a href='/vakansii/'>Вакансии</a>",
    "<a href='/x'>Aus der Arbeit des Gemeinderats</a>",
    "<a href='/aktuelles/0003-neu-bauarbeiten.html'>Neu</a>",
])
def test_what_the_test_world_showed_it_taking_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT
