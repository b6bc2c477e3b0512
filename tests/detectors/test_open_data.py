from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import home, site

detector = pattern_detector("open-data")


@pytest.mark.parametrize("body", [
    "<a href='https://data.detroitmi.gov/'>DATA DETROIT</a>",
    "<a href='https://geo-cobbcountyga.hub.arcgis.com/'>Maps (GIS)</a>",
    "<a href='/programs/open-data-program/'>Open data</a>",
    "<a href='/x'>Datos abiertos</a>", "<a href='/x'>Données ouvertes</a>",
    "<a href='/x'>البيانات المفتوحة</a>", "<a href='/x'>开放数据</a>",
    "<a href='/x'>Открытые данные</a>", "<a href='/x'>Dados abertos</a>",
    "<a href='/x'>Offene Daten</a>", "<a href='/x'>Dati aperti</a>",
])
def test_an_open_data_portal_is_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is Outcome.PRESENT


@pytest.mark.parametrize("body", [
    "<a href='/reports/annual-report-2023.pdf'>Annual report (PDF)</a>",
    "<a href='https://gis.city.example/map'>Interactive map</a>",
    "<a href='/data-privacy'>Your data and privacy</a>",
])
def test_a_report_or_a_map_is_not_open_data(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is Outcome.ABSENT
