"""lost-and-found: Lost and found (LOSI #298): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("lost-and-found")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Lost and Found</a>",
    "<a href='/x'>Objetos perdidos</a>",
    "<a href='/x'>Objets trouvés</a>",
    "<a href='/x'>失物招领</a>",
    "<a href='/x'>Fundbüro</a>",
    "<a href='/x'>المفقودات</a>",
    "<a href='/x'>Objetos encontrados na via pública</a>",
    "<a href='/x'>Потерянные и найденные вещи</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Found a pet? Animal shelter</a>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE
