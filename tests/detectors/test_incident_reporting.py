from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import home, site

detector = pattern_detector("incident-reporting")


@pytest.mark.parametrize("body", [
    "<a href='/report-problem'>Report a problem</a>",
    "<a href='/311'>311 City Services</a>",
    "<a href='https://seeclickfix.com/city'>Potholes</a>",
    "<a href='/x'>County Road Concern Click to open</a>",
    "<a href='/x'>Reportar un problema</a>", "<a href='/x'>Signaler un problème</a>",
    "<a href='/x'>الإبلاغ عن مشكلة</a>", "<a href='/x'>随手拍</a>",
    "<a href='/x'>Сообщить о проблеме</a>", "<a href='/x'>Solicitação de serviço</a>",
    "<a href='/x'>Mängelmelder</a>", "<a href='/x'>Segnala disservizio</a>",
])
def test_a_way_to_report_a_problem_is_present(body: str) -> None:
    assert run_detector(detector, site(home(f"<nav>{body}</nav>"))).outcome is Outcome.PRESENT


@pytest.mark.parametrize("body", [
    "<a href='/police/report-a-crime'>Report a crime</a>",
    "<a href='/annual-report'>Annual report</a>",
])
def test_crime_reports_and_annual_reports_are_not_incident_reporting(body: str) -> None:
    assert run_detector(detector, site(home(f"<nav>{body}</nav>"))).outcome is Outcome.ABSENT
