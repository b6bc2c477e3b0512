from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import home, site

detector = pattern_detector("budget-information")


@pytest.mark.parametrize("label", [
    "County Budget", "Capital Improvement Program", "Presupuesto municipal", "Budget primitif",
    "الميزانية", "预决算公开", "Бюджет для граждан", "Lei Orçamentária Anual", "Haushaltsplan",
    "Bilancio di previsione",
    "PDF Agenda Packet for Special Council Meeting - 2026 Budget (Public Hearing) - 10/28/2025",
])
def test_budget_information_is_present(label: str) -> None:
    s = site(home(f"<nav><a href='/x'>{label}</a></nav>"))
    assert run_detector(detector, s).outcome is Outcome.PRESENT


def test_finance_reports_by_their_path_are_present() -> None:
    s = site(home("<nav><a href='/departments/finance/documents___reports/'>Documents</a></nav>"))
    assert run_detector(detector, s).outcome is Outcome.PRESENT


@pytest.mark.parametrize("body", [
    "<nav><a href='/boards/budget-commission'>Budget Commission</a></nav>",
    "<nav><a href='/finance'>Finance</a></nav>",
    "<h4>Budget Deliberations Board Meeting</h4>",
])
def test_a_body_named_budget_or_a_bare_finance_link_is_not_budget_information(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is Outcome.ABSENT
