from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import home, site

detector = pattern_detector("council-meetings")


@pytest.mark.parametrize("body", [
    "<nav><a href='/x'>Agendas &amp; Minutes</a></nav>",
    "<nav><a href='/x'>City Council Meetings</a></nav>",
    "<nav><a href='/x'>Actas del Pleno</a></nav>",  # es
    "<nav><a href='/x'>Séances du conseil municipal</a></nav>",  # fr
    "<nav><a href='/x'>جلسات المجلس</a></nav>",  # ar
    "<nav><a href='/x'>会议纪要</a></nav>",  # zh
    "<nav><a href='/x'>Заседания Думы</a></nav>",  # ru
    "<nav><a href='/x'>Atas das sessões</a></nav>",  # pt
    "<nav><a href='/x'>Ratsinformationssystem</a></nav>",  # de
    "<nav><a href='/x'>Convocazione Consiglio Comunale</a></nav>",  # it
    "<p>May 21 COBB COUNTY BOARD OF ELECTIONS &amp; REGISTRATION MEETING 7:00pm</p>",
    "<a href='https://cityofexample.legistar.com/Calendar.aspx'>Legislative calendar</a>",
])
def test_information_on_council_meetings_is_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is Outcome.PRESENT


@pytest.mark.parametrize("body", [
    "<nav><a href='/council'>City Council</a></nav>",  # only names the council
    "<footer><a href='https://granicus.com/solution/govaccess/'>Granicus</a></footer>",  # vendor
    "<h1>Community Meeting at the Police Station</h1>",
])
def test_naming_the_council_or_a_vendor_is_not_enough(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is Outcome.ABSENT


def test_the_2030_agenda_is_not_a_council_agenda() -> None:
    body = "<nav><a href='/x'>Повестка дня до 2030 года</a></nav>"
    assert run_detector(detector, site(home(body, lang="ru"))).outcome is not Outcome.PRESENT
