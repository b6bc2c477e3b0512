"""transport-tickets: Public transport tickets online (the 2023 LOSI workshop's proposal): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("transport-tickets")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Buy tickets and passes</a>",
    "<a href='/x'>Recarga de tarjeta</a>",
    "<a href='/x'>Titres de transport</a>",
    "<a href='/x'>Fahrkarten</a>",
    "<a href='/x'>乘车码</a>",
    "<a href='/x'>Fares and tickets</a>",
    "<a href='/x'>Billetes y abonos de autobús</a>",
    "<a href='/x'>Acheter ses titres de transport en ligne</a>",
    "<a href='/x'>Carregar o passe online</a>",
    "<a href='/x'>Tickets und Abos</a>",
    "<a href='/x'>Пополнение транспортной карты</a>",
    "<a href='/x'>شراء تذاكر الحافلات</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Concert tickets giveaway</a>",
    # a festival's box office sells no transport tickets; welfare is no fare
    "<a href='/la-ville/'>Billetterie du festival d'été</a>",
    "<a href='/welfare/'>Welfare</a>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE
