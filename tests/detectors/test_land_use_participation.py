"""land-use-participation: Participatory land use plan (LOSI #276): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("land-use-participation")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Comprehensive Plan</a>",
    "<a href='/x'>Plan de ordenamiento territorial</a>",
    "<a href='/x'>Révision du PLU</a>",
    "<a href='/x'>Bebauungspläne</a>",
    "<a href='/x'>Plano Diretor</a>",
    "<a href='/x'>国土空间规划</a>",
    "<a href='/x'>PDM em revisão: participação preventiva</a>",
    "<a href='/x'>Проект изменений генерального плана</a>",
    "<a href='/x'>国土空间总体规划</a>",
    "<a href='/x'>Avance del nuevo Plan General Municipal</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Plan your visit</a>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE
