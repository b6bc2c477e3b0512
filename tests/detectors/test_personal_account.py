"""personal-account: Access to own data (LOSI #246): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("personal-account")


@pytest.mark.parametrize("body", [
    "<a href='/account'>My Account</a>",
    "<a href='/x'>Carpeta ciudadana</a>",
    "<a href='/x'>Mon compte</a>",
    "<a href='/x'>个人中心</a>",
    "<a href='/x'>Servicekonto</a>",
    "<a href='/x'>حسابي</a>",
    "<a href='/x'>Mi área personal</a>",
    "<a href='/x'>Área pessoal</a>",
    "<a href='/x'>Your council account</a>",
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Accounts payable</a>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE


@pytest.mark.parametrize("label", ["Área reservada (trabalhadores)", "Staff login", "Acceso empleados"])
def test_a_staff_area_is_not_a_residents_account(label: str) -> None:
    body = f"<footer><a href='https://extranet.city.example/'>{label}</a></footer>"
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT
