"""e-id-login: LOSI #245, e-ID and secure login: pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from detectors.site import RenderArtifact, Site
from losi.types import Outcome
from tests.detectors.sites import SEED, home, page, site

detector = pattern_detector("e-id-login")


@pytest.mark.parametrize("body", [
    "<a href='https://secure.login.gov/openid'>Sign in with Login.gov</a>",
    "<a href='https://app.franceconnect.gouv.fr/x'><img alt='S’identifier avec FranceConnect'></a>",
    "<a href='/spid'>Entra con SPID</a>",
    "<a href='https://id.singpass.gov.sg/'>Log in</a>",
    "<form action='/login' method='post'><input name='u'><input type='password' name='p'></form>",
    "<a href='/x'>Mit BundID anmelden</a>",
    "<a href='/x'>Acessar com gov.br</a>",
    "<a href='/x'>الدخول عبر النفاذ الوطني</a>",
])
def test_a_login_form_or_an_e_id_is_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is Outcome.PRESENT


@pytest.mark.parametrize("body", [
    "<a href='/account/login'>Iniciar sesión</a>",
    "<a href='/x'>登录</a>",
    "<a href='/x'>Войти</a>",
])
def test_a_sign_in_link_alone_is_left_to_a_person(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.NEEDS_REVIEW
    assert "behind it" in finding.reason


def test_the_e_id_of_the_linked_e_services_site_counts() -> None:
    out = "https://eservices.gov.example/"
    finding = run_detector(detector, site(
        home(f"<a href='{out}'>Online services</a>"),
        page(out, "<html><body><a href='https://idp.clave.gob.es/x'>Cl@ve</a></body></html>",
             depth=1, kind="outbound")))
    assert finding.outcome is Outcome.PRESENT
    assert finding.evidence[0].page_url == out


@pytest.mark.parametrize("body", [
    "<a href='/wp-admin/'>Log in</a>",
    "<a href='https://mail.city.example/owa/'>Webmail login</a>",
    "<a href='/x'>Staff login</a>",
    "<a href='https://cms9.revize.com/revize/security/index.jsp?webspace=x'>Login</a>",
    "<a href='/x'>Login page help article for this long title about passwords</a>",
])
def test_staff_logins_are_not_an_e_id_for_residents(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is Outcome.ABSENT


def test_a_sign_in_button_that_only_scripts_insert_is_read_from_the_render() -> None:
    dom = "<html><body><a href='/auth'>S'identifier avec FranceConnect</a></body></html>"
    s = Site(SEED, [home("<div id='app'></div>")],
             renders={SEED: RenderArtifact(SEED, load_dom=lambda: dom)})
    finding = run_detector(detector, s)
    assert finding.outcome is Outcome.PRESENT
    assert "rendered" in finding.evidence[0].explanation


def test_a_portal_without_any_login_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/news'>News</a>"))).outcome is Outcome.ABSENT


@pytest.mark.parametrize("label", ["Регистрация по месту жительства",
                                   "Регистрация транспортного средства"])
def test_a_registration_service_is_not_a_sign_in(label: str) -> None:
    finding = run_detector(detector, site(home(f"<nav><a href='/x'>{label}</a></nav>")))
    assert finding.outcome is Outcome.ABSENT, finding.reason
