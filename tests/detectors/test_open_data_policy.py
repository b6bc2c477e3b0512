"""open-data-policy: Open government data policy (LOSI #235): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("open-data-policy")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Open Data Policy</a>",
    "<a href='/x'>Política de datos abiertos</a>",
    "<p>Read our open data strategy for 2025.</p>",
    "<a href='/x'>Open-Data-Strategie</a>",
    "<a href='/x'>Estrategia municipal de datos abiertos</a>",
    "<a href='/x'>Политика в области открытых данных</a>",
    "<a href='/x'>Leitlinien für offene Daten</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Open data</a>",
    "<a href='/x'>Privacy policy</a>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE
