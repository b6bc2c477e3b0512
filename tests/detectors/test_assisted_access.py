"""assisted-access: Physical access points with assistance (LOSI #225b): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("assisted-access")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Digital Inclusion</a>",
    "<a href='/x'>France services</a>",
    "<a href='/x'>Inclusión digital</a>",
    "<a href='/x'>政务服务中心</a>",
    "<a href='/x'>Punto Digitale Facile</a>",
    "<a href='/x'>МФЦ</a>",
    "<a href='/x'>Get online: free computer sessions near you</a>",
    "<a href='/x'>Digital support at your local library</a>",
    "<a href='/x'>Atendimento digital assistido</a>",
    "<a href='/x'>Digitale Sprechstunde in der Stadtbibliothek</a>",
    "<a href='/x'>Центры общественного доступа к госуслугам</a>",
    "<a href='/x'>مراكز خدمة المواطنين</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Digital signage policy</a>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE
