"""recycling-information: Waste, recycling and reuse information (LOSI #284): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("recycling-information")


@pytest.mark.parametrize("body", [
    "<a href='/trash'>Trash and Recycling</a>",
    "<a href='/x'>Reciclaje</a>",
    "<a href='/x'>Déchets</a>",
    "<a href='/x'>垃圾分类</a>",
    "<a href='/x'>Abfall</a>",
    "<a href='/x'>إعادة التدوير</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Recycled ideas blog</a>"
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
    "<a href='/x'>Recycling</a>",
    "<a href='/x'>Bins and recycling</a>",
    "<a href='/x'>Обращение с отходами</a>",
    "<a href='/x'>Abfall und Wertstoffe</a>",
    "<a href='/x'>Punto limpio</a>",
])
def test_the_test_world_s_titles_are_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason


@pytest.mark.parametrize("body", [
    "<a href='/news/1.html'>Community recycling drive this week</a>",
    "<a href='/x'>Дети вода отходы</a>",
    "<a href='/x'>遗产垃圾街角照明公共</a>",
])
def test_what_the_test_world_showed_it_taking_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT
