"""satisfaction-results: User satisfaction results (LOSI #294): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("satisfaction-results")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Satisfaction survey results</a>",
    "<p>92% of users were satisfied with our online services.</p>",
    "<a href='/x'>Índice de satisfacción</a>",
    "<a href='/x'>满意度调查结果</a>",
    "<a href='/x'>群众满意度测评结果</a>",
    "<a href='/x'>Resultados de satisfação dos munícipes</a>",
    "<a href='/x'>Ergebnisse der Kundenbefragung</a>",
    "<a href='/x'>Итоги независимой оценки качества услуг</a>",
    "<a href='/x'>نسبة رضا المتعاملين عن الخدمات</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<p>Survey: tell us what you think.</p>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE
