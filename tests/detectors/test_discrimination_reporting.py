"""discrimination-reporting: Report of discrimination (LOSI #267): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("discrimination-reporting")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Report Discrimination</a>",
    "<a href='/x'>Human Rights Commission</a>",
    "<a href='/x'>Denunciar discriminación</a>",
    "<a href='/x'>Signaler une discrimination</a>",
    "<a href='/x'>Antidiskriminierungsstelle</a>",
    "<a href='/x'>Сообщить о случае дискриминации</a>",
    "<a href='/x'>遭受歧视在线举报</a>",
    "<a href='/x'>هل تعرضت للتمييز؟ أبلغنا</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Rights of way permits</a>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE
