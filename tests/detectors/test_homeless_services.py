"""homeless-services: Services for the homeless (LOSI #297): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("homeless-services")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Homeless Services</a>",
    "<a href='/x'>Personas sin hogar</a>",
    "<a href='/x'>Hébergement d'urgence</a>",
    "<a href='/x'>救助站</a>",
    "<a href='/x'>Wohnungslosenhilfe</a>",
    "<a href='/x'>المشردين</a>",
    "<a href='/x'>Worried about someone sleeping rough?</a>",
    "<a href='/x'>Hilfe bei Obdachlosigkeit</a>",
    "<a href='/x'>Помощь людям без определённого места жительства</a>",
    "<a href='/x'>Социальная гостиница для бездомных</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Home improvement grants</a>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE
