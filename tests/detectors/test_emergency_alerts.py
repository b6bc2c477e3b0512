"""emergency-alerts: Emergency alert subscription (LOSI #218): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("emergency-alerts")


@pytest.mark.parametrize("body", [
    "<a href='/alerts'>Sign up for emergency alerts</a>",
    "<a href='https://member.everbridge.net/123'>Get notified</a>",
    "<a href='/x'>Sistema de alertas</a>",
    "<a href='/x'>Alertes SMS</a>",
    "<a href='/x'>预警信息</a>",
    "<a href='/x'>Warnmeldungen</a>",
    "<a href='/x'>Receba avisos à população no telemóvel</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Contact us</a>",
    "<p>Emergency? Call 911.</p>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE
