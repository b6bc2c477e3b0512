"""government-links: Links to other government agencies (LOSI #242): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = pattern_detector("government-links")


@pytest.mark.parametrize("body", [
    "<a href='/links'>Useful links</a>",
    "<a href='/x'>Enlaces de interés</a>",
    "<a href='/x'>Liens utiles</a>",
    "<a href='/x'>相关链接</a>",
    "<h2>Government agencies</h2>",
    "<a href='/x'>Otras administraciones</a>",
    "<a href='/x'>Органы государственной власти</a>",
    "<a href='/x'>Entidades públicas</a>",
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Link your account</a>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


@pytest.mark.parametrize("href", [
    "https://www.gov.uk/",
    "https://www.london.gov.uk/who-we-are/city-halls-partners/greater-london-authority",
])
def test_a_link_to_a_government_site_is_only_a_hint(href: str) -> None:
    finding = run_detector(detector, site(home(f"<a href='{href}'>GOV.UK</a>")))
    assert finding.outcome is Outcome.NEEDS_REVIEW
    assert "gov.uk" in finding.evidence[0].explanation


@pytest.mark.parametrize("href", [
    "https://app.franceconnect.gouv.fr/api/v1/authorize?client_id=city-portal",
    "https://pasarela.clave.gob.es/Proxy2/ServiceProvider?sp=city-portal",
    "https://signin.account.gov.uk/sign-in",
    "https://autenticacao.gov.pt/fa/?c=city-portal",
])
def test_a_national_sign_in_is_not_a_link_to_an_agency(href: str) -> None:
    # the national e-ID on a government domain is #245's; it says nothing of a links section
    finding = run_detector(detector, site(home(f"<header><a href='{href}'>Mon espace</a></header>")))
    assert finding.outcome is Outcome.ABSENT, finding.reason


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE
