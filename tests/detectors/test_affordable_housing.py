"""affordable-housing: Affordable housing services (LOSI #299): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("affordable-housing")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Affordable Housing</a>",
    "<a href='/x'>Vivienda social</a>",
    "<a href='/x'>Logement social</a>",
    "<a href='/x'>保障性住房</a>",
    "<a href='/x'>Wohnungssuche</a>",
    "<a href='/x'>الإسكان</a>",
    "<a href='/x'>Apply for council housing</a>",
    "<a href='/x'>Vivienda</a>",  # the bare name of the section, as the whole label
    "<a href='/x'>Wohnen</a>",
    "<a href='/x'>Programa de Arrendamento Acessível</a>",
    "<a href='/x'>Se loger : l'offre de logements aidés</a>",
    "<a href='/vivienda/'>Alquiler</a>"
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Animal housing regulations</a>",
    # a news headline that names housing is no housing service, nor is its address
    "<a href='/noticias/0003-nueva-vivienda-en-el-barrio.html'>"
    "Nueva vivienda en el barrio del parque</a>",
    "<a href='/aktuelles/0001-wohnen-am-fluss.html'>Wohnen am Fluss: neues Viertel</a>",
    "<a href='/xw/0002.html'>公园住房项目规划</a>",
    # help for homeless people is not housing on offer
    "<a href='/wohnungslosenhilfe/'>Wohnungslosenhilfe</a>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE
