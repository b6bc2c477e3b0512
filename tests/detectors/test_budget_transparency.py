"""budget-transparency: Budget transparency (the 2023 LOSI workshop's proposal): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("budget-transparency")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Open Checkbook</a>",
    "<a href='/x'>Ejecución presupuestal</a>",
    "<a href='/x'>Exécution budgétaire</a>",
    "<a href='/x'>预决算公开</a>",
    "<a href='/x'>Haushaltsvollzug</a>",
    "<a href='/x'>Payments to suppliers</a>",
    "<a href='/x'>Ejecución presupuestaria</a>",
    "<a href='/x'>Información económica y presupuestaria</a>",
    "<a href='/x'>Les comptes de la ville en détail</a>",
    "<a href='/x'>Execução orçamental</a>",
    "<a href='/x'>الشفافية المالية: أوجه الإنفاق</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Budget hotels nearby</a>",
    # the budget document (#219) is not budget transparency
    "<a href='/budget/'>Budget and finances</a>",
    "<a href='/haushalt/'>Haushaltsplan</a>",
    "<a href='/czyjs/'>财政预决算</a>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE
