"""online-deliberation: Online deliberation (LOSI #272): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("online-deliberation")


@pytest.mark.parametrize("body", [
    "<a href='https://city.engagementhq.com/'>Engage</a>",
    "<a href='/x'>E-petitions</a>",
    "<a href='/x'>Community discussion forum</a>",
    "<a href='/x'>Foro ciudadano</a>",
    "<a href='/x'>Plateforme participative : proposez et débattez</a>",
    "<a href='/x'>Fórum de participação</a>",
    "<a href='/x'>Ideenplattform: Vorschläge machen und diskutieren</a>",
    "<a href='/x'>Обсуждение инициатив жителей</a>",
    "<a href='/x'>منصة الأفكار والنقاش العام</a>",
    "<a href='/x'>网上议事厅</a>",
    "<a href='/foro/'>Foro</a>",
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Get directions</a>",
    # participation in general, or announcements of consultations (#277): not a tool to deliberate
    "<a href='/have-your-say/'>Have your say: current consultations</a>",
    "<a href='/participa/'>Participa: consultas en curso</a>",
    "<a href='/participez/'>Concertation</a>",
    "<a href='/buergerbeteiligung/'>Bürgerbeteiligung: laufende Verfahren</a>",
    "<a href='/obsuzhdeniya/'>Открытые обсуждения</a>",
    "<a href='/yjzj/'>意见征集</a>",
    # participatory budgeting is #275
    "<a href='/budget-participatif/'>Budget participatif</a>",
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE
