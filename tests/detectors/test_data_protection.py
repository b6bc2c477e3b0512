"""data-protection: Local data protection (the 2023 LOSI workshop's proposal): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("data-protection")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Data Protection</a>",
    "<a href='/x'>Protección de datos personales</a>",
    "<a href='/x'>Protection des données</a>",
    "<a href='/x'>个人信息保护</a>",
    "<a href='/x'>LGPD</a>",
    "<a href='/x'>Behördlicher Datenschutzbeauftragter</a>",
    "<a href='/x'>Ihre Rechte nach der DSGVO</a>",
    "<a href='/x'>Ответственный за обработку персональных данных</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Open data</a>",
    # the privacy statement (#234) is not local data protection: in German it is 'Datenschutz'
    "<a href='/datenschutz/'>Datenschutzerklärung</a>",
    "<a href='/datenschutz/'>Datenschutz</a>",
    "<a href='/privacy-policy/'>Privacy policy</a>",
    "<a href='/politica-de-privacidad/'>Política de privacidad</a>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE
