"""sdg-reporting: SDG data / Voluntary Local Review (LOSI #243): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("sdg-reporting")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Voluntary Local Review</a>",
    "<a href='/x'>Sustainable Development Goals</a>",
    "<a href='/x'>Objetivos de Desarrollo Sostenible</a>",
    "<a href='/x'>可持续发展目标</a>",
    "<a href='/x'>Agenda 2030</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Development services</a>"
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
    "<a href='/x'>Los ODS en nuestra ciudad</a>",
    "<a href='/x'>Rapport de suivi des ODD</a>",
    "<a href='/odd/'>Rapport</a>",
])
def test_the_test_world_s_titles_are_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason


@pytest.mark.parametrize("body", [
    "<a href='/rukovodstvo/'>Руководство администрации</a>",
    "<a href='/podderzhka/'>Меры социальной поддержки</a>",
    "<a href='/methods/'>Methods</a>",
])
def test_what_the_test_world_showed_it_taking_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT
