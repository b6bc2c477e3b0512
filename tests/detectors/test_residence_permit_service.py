"""residence-permit-service: Residency permit application (LOSI #258), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import SEED, home, page, site

detector = pattern_detector("residence-permit-service")
CASES = [
    [
        "Residence permit",
        "Residence permit",
        "<p><a href='/start'>Apply online</a></p>"
    ],
    [
        "Titre de séjour",
        "Titre de séjour",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ],
    [
        "Вид на жительство",
        "Вид на жительство",
        "<p><a href='/x'>Подать заявление</a></p>"
    ]
]


def target(title: str, body: str) -> str:
    return (f"<!doctype html><html><head><title>{title}</title></head><body><header>"
            f"<a href='/login'>Log in</a></header><main><h1>{title}</h1>{body}</main></body></html>")


@pytest.mark.parametrize("label, title, transaction", CASES)
def test_a_linked_service_page_with_a_transaction_is_present(label: str, title: str,
                                                             transaction: str) -> None:
    url = "https://city.example/services/x"
    finding = run_detector(detector, site(home(f"<a href='{url}'>{label}</a>"),
                                          page(url, target(title, transaction), depth=1)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert any(e.page_url == url and "transactional" in e.explanation for e in finding.evidence)


@pytest.mark.parametrize("label, title, transaction", CASES[:1])
def test_a_service_on_another_site_one_hop_away_counts(label: str, title: str,
                                                       transaction: str) -> None:
    url = "https://services.gov.example/apply"
    finding = run_detector(detector, site(
        home(f"<a href='{url}'>{label}</a>"),
        page(url, target(title, transaction), depth=1, kind="outbound")))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.details["service"]["where"] == ["outbound"]


@pytest.mark.parametrize("label, title, transaction", CASES[:2])
def test_an_information_page_without_a_transaction_is_only_needs_review(
        label: str, title: str, transaction: str) -> None:
    url = "https://city.example/services/x"
    finding = run_detector(detector, site(home(f"<a href='{url}'>{label}</a>"),
                                          page(url, target(title, "<p>Visit us in person.</p>"),
                                               depth=1)))
    assert finding.outcome is Outcome.NEEDS_REVIEW
    assert "no transaction" in finding.reason


def test_a_link_whose_page_was_not_fetched_is_needs_review() -> None:
    label = CASES[0][0]
    finding = run_detector(detector, site(home(f"<a href='https://elsewhere.example/x'>{label}</a>")))
    assert finding.outcome is Outcome.NEEDS_REVIEW
    assert "did not fetch" in finding.reason


def test_a_login_in_the_site_header_alone_is_not_a_transaction() -> None:
    url = "https://city.example/services/x"
    label, title, _ = CASES[0]
    finding = run_detector(detector, site(home(f"<a href='{url}'>{label}</a>"),
                                          page(url, target(title, ""), depth=1)))
    assert finding.outcome is not Outcome.PRESENT


def test_a_portal_without_the_service_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/news'>News</a>"))).outcome is Outcome.ABSENT
