"""commercial-information: Commercial information (the 2023 LOSI workshop's proposal): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("commercial-information")


@pytest.mark.parametrize("body", [
    "<a href='/business'>Doing Business</a>",
    "<a href='/x'>Desarrollo económico</a>",
    "<a href='/x'>Entreprises</a>",
    "<a href='/x'>招商引资</a>",
    "<a href='/x'>Wirtschaftsförderung</a>",
    "<a href='/x'>الاستثمار</a>",
    "<a href='/x'>Promoción económica</a>",
    "<a href='/x'>Поддержка малого и среднего предпринимательства</a>",
    "<a href='/x'>Инвестиционная деятельность</a>",
    "<a href='/x'>دليل المستثمر</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Business hours of City Hall</a>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE
