from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import home, site

detector = pattern_detector("events-section")


@pytest.mark.parametrize("label", [
    "Events", "Calendar of County Events", "Eventos", "Événements", "الفعاليات", "活动日历",
    "Афиша", "Veranstaltungen", "Eventi",
])
def test_a_link_to_city_events_is_present(label: str) -> None:
    s = site(home(f"<nav><a href='/x'>{label}</a></nav>"))
    assert run_detector(detector, s).outcome is Outcome.PRESENT


def test_agenda_means_events_on_a_spanish_page() -> None:
    s = site(home("<nav><a href='/agenda/'>Agenda</a></nav>", lang="es"))
    assert run_detector(detector, s).outcome is Outcome.PRESENT


def test_agenda_on_an_english_page_is_a_meeting_agenda() -> None:
    s = site(home("<nav><a href='/agenda/'>Agenda</a></nav>", lang="en"))
    assert run_detector(detector, s).outcome is Outcome.ABSENT


def test_the_site_calendar_in_the_navigation_is_present() -> None:
    s = site(home("<nav><a href='/calendar'>Calendar</a></nav>"))
    assert run_detector(detector, s).outcome is Outcome.PRESENT


@pytest.mark.parametrize("body", [
    "<p><a href='/Citizens/calendar.aspx'>Calendar</a></p>",  # a meeting portal's calendar
    "<nav><a href='/boards-and-commissions/calendar'>Calendar</a></nav>",
    "<nav><a href='/dca'>Cultural Affairs &amp; Special Events</a></nav>",  # a department
    "<nav><a href='/m'>Upcoming Meetings</a></nav>",
])
def test_meeting_calendars_and_departments_are_not_an_events_section(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is Outcome.ABSENT


def test_an_events_heading_alone_needs_review() -> None:
    assert run_detector(detector, site(home("<h2>Upcoming Events</h2>"))).outcome is Outcome.NEEDS_REVIEW


@pytest.mark.parametrize("body", [
    "<nav><a href='/x'>Licencia ambiental de actividades</a></nav>",  # a permit, not events
    "<nav><a href='/ods/'>Agenda 2030</a></nav>",  # the SDGs, not a calendar
])
def test_permits_and_the_2030_agenda_are_not_events(body: str) -> None:
    assert run_detector(detector, site(home(body, lang="es"))).outcome is Outcome.ABSENT
