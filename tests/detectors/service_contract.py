"""What every service detector must do (LOSI #253-#299): one contract, run for each service.

A service detector finds a candidate link or page, and counts it once that page names the
service and offers a transaction, on the portal or one hop away. A test module binds the
contract to its detector and its cases, each (link label, target page title, transaction
markup) in a language of its own:

    class TestBirthCertificateService(ServiceContract):
        detector_name = "birth-certificate-service"
        cases = [("Birth certificates", "Order a birth certificate", "<a href='/x'>Apply online</a>"), ...]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import home, page, site

Case = tuple[str, str, str]

TARGET = "https://city.example/services/x"


def target(title: str, body: str) -> str:
    """A service page: its title, the body given, and a log-in link in the site header (which
    alone is no transaction)."""
    return (f"<!doctype html><html><head><title>{title}</title></head><body><header>"
            f"<a href='/login'>Log in</a></header><main><h1>{title}</h1>{body}</main></body></html>")


class ServiceContract:
    detector_name: str
    cases: Sequence[Case]
    # How many of the cases a test runs (the first N); a test not named here runs them all.
    TAKES = {"test_a_service_on_another_site_one_hop_away_counts": 1,
             "test_an_information_page_without_a_transaction_is_only_needs_review": 2}

    def pytest_generate_tests(self, metafunc: Any) -> None:
        if "case" in metafunc.fixturenames:
            cases = list(self.cases)[: self.TAKES.get(metafunc.function.__name__)]
            metafunc.parametrize("case", cases, ids=[c[0] for c in cases])

    @property
    def detector(self) -> Any:
        return pattern_detector(self.detector_name)

    def test_a_linked_service_page_with_a_transaction_is_present(self, case: Case) -> None:
        label, title, transaction = case
        finding = run_detector(self.detector, site(home(f"<a href='{TARGET}'>{label}</a>"),
                                                   page(TARGET, target(title, transaction), depth=1)))
        assert finding.outcome is Outcome.PRESENT, finding.reason
        assert any(e.page_url == TARGET and "transactional" in e.explanation for e in finding.evidence)

    def test_a_service_on_another_site_one_hop_away_counts(self, case: Case) -> None:
        label, title, transaction = case
        url = "https://services.gov.example/apply"
        finding = run_detector(self.detector, site(
            home(f"<a href='{url}'>{label}</a>"),
            page(url, target(title, transaction), depth=1, kind="outbound")))
        assert finding.outcome is Outcome.PRESENT, finding.reason
        assert finding.details["service"]["where"] == ["outbound"]

    def test_an_information_page_without_a_transaction_is_only_needs_review(self, case: Case) -> None:
        label, title, _ = case
        finding = run_detector(self.detector, site(
            home(f"<a href='{TARGET}'>{label}</a>"),
            page(TARGET, target(title, "<p>Visit us in person.</p>"), depth=1)))
        assert finding.outcome is Outcome.NEEDS_REVIEW
        assert "no transaction" in finding.reason

    def test_a_link_whose_page_was_not_fetched_is_needs_review(self) -> None:
        label = self.cases[0][0]
        finding = run_detector(self.detector, site(home(f"<a href='https://elsewhere.example/x'>{label}</a>")))
        assert finding.outcome is Outcome.NEEDS_REVIEW
        assert "did not fetch" in finding.reason

    def test_a_login_in_the_site_header_alone_is_not_a_transaction(self) -> None:
        label, title, _ = self.cases[0]
        finding = run_detector(self.detector, site(home(f"<a href='{TARGET}'>{label}</a>"),
                                                   page(TARGET, target(title, ""), depth=1)))
        assert finding.outcome is not Outcome.PRESENT

    def test_a_portal_without_the_service_is_absent(self) -> None:
        assert run_detector(self.detector, site(home("<a href='/news'>News</a>"))).outcome is Outcome.ABSENT
