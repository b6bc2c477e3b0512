"""public-transport: Public transportation information (LOSI #282): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("public-transport")


@pytest.mark.parametrize("body", [
    "<a href='/transit'>Public Transit</a>",
    "<a href='/x'>Transporte público</a>",
    "<a href='/x'>Transports en commun</a>",
    "<a href='/x'>公共交通</a>",
    "<a href='/x'>Nahverkehr</a>",
    "<a href='https://www.ratp.fr/'>RATP</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Transportation engineering jobs</a>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE


def test_road_traffic_is_not_public_transport() -> None:
    body = "<nav><a href='/transito/'>Condicionamentos</a></nav>"  # pt/es trânsito: road traffic
    assert run_detector(detector, site(home(body, lang="pt"))).outcome is not Outcome.PRESENT
