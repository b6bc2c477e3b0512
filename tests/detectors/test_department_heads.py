"""department-heads: Heads of departments and their contacts (LOSI #216): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("department-heads")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Department Directors</a>",
    "<a href='/x'>Directorio de funcionarios</a>",
    "<a href='/x'>领导信息</a>",
    "<a href='/x'>Руководство администрации</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Directions to City Hall</a>",
    "<a href='/x'>Department of Parks</a>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE


def test_a_job_centre_office_is_not_a_head_of_department() -> None:
    body = "<nav><a href='/x'>Gabinete de Inserção Profissional</a></nav>"
    assert run_detector(detector, site(home(body, lang="pt"))).outcome is not Outcome.PRESENT
