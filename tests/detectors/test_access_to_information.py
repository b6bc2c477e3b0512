"""access-to-information: Right to access government information (LOSI #224): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("access-to-information")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Public Records Request</a>",
    "<a href='/x'>Freedom of Information</a>",
    "<a href='/x'>Transparencia</a>",
    "<a href='/x'>Accesso civico</a>",
    "<a href='/x'>政府信息公开</a>",
    "<a href='/x'>Acesso à Informação</a>",
    "<a href='/x'>Antrag auf Informationszugang</a>",
    "<a href='/x'>Demander la communication d'un document administratif</a>",
    "<a href='/x'>Acesso aos documentos administrativos</a>",
    "<a href='/x'>تقديم طلب للحصول على معلومات</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Information for visitors</a>",
    "<a href='/x'>Access road closure</a>",
    "<a href='/zwgk/'>政务公开</a>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE
