"""e-voting: E-voting (LOSI #279): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("e-voting")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Vote online for projects</a>",
    "<a href='/x'>Votación electrónica</a>",
    "<a href='/x'>Voter en ligne</a>",
    "<a href='/x'>网上投票</a>",
    "<a href='/x'>Online-Abstimmung</a>",
    "<a href='/x'>Votez pour le nom du nouveau parc</a>",
    "<a href='/x'>Votação: escolha o nome do novo parque</a>",
    "<a href='/x'>صوّت لاختيار اسم الحديقة الجديدة</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Voter registration</a>",
    "<a href='/x'>Elections</a>",
    "<a href='/x'>Élections : trouver son bureau de vote</a>",
    "<a href='/x'>Elections: find your polling station</a>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE
