from __future__ import annotations

from typing import Any

from detectors.builtin.https import Https
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import home, page, site

detector = Https()
VALID_TLS = {"host": "city.example", "port": 443, "reachable": True, "valid": True,
             "summary": "valid certificate (TLSv1.3), issuer Let's Encrypt, expires 2027-01-01"}
REDIRECTS = {"start_url": "http://city.example/", "reachable": True, "redirects_to_https": True,
             "chain": ["http://city.example/", "https://city.example/"],
             "summary": "http://city.example/ -> https://city.example/ answered HTTP 200 over HTTPS"}


def probes(tls: dict[str, Any] | None = None, redirect: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"tls": {**VALID_TLS, **(tls or {})}, "http-redirect": {**REDIRECTS, **(redirect or {})}}


def test_valid_https_with_a_redirect_is_present() -> None:
    finding = run_detector(detector, site(home("hi"), probes=probes()))
    assert finding.outcome is Outcome.PRESENT


def test_the_evidence_shows_both_probes() -> None:
    finding = run_detector(detector, site(home("hi"), probes=probes()))
    assert [e.explanation.split(":")[0] for e in finding.evidence] == ["TLS probe", "HTTP probe"]


def test_a_rejected_certificate_is_absent() -> None:
    bad = probes(tls={"valid": False, "summary": "certificate rejected: self-signed certificate"})
    finding = run_detector(detector, site(home("hi"), probes=bad))
    assert finding.outcome is Outcome.ABSENT and "self-signed" in finding.reason


def test_http_without_a_redirect_is_absent() -> None:
    no_redirect = probes(redirect={"redirects_to_https": False, "summary": "answered HTTP 200"})
    assert run_detector(detector, site(home("hi"), probes=no_redirect)).outcome is Outcome.ABSENT


def test_a_portal_served_over_plain_http_is_absent() -> None:
    s = site(page("http://city.example/", "<html></html>"), probes=probes(
        tls={"reachable": False, "valid": False, "summary": "nothing listens on city.example:443"}))
    s.seed_url = "http://city.example/"
    assert run_detector(detector, s).outcome is Outcome.ABSENT


def test_a_probe_that_timed_out_is_not_assessable() -> None:
    timed_out = probes(tls={"reachable": None, "valid": False, "summary": "timed out after 10 s"})
    assert run_detector(detector, site(home("hi"), probes=timed_out)).outcome is Outcome.NOT_ASSESSABLE


def test_without_probes_it_is_not_assessable() -> None:
    assert run_detector(detector, site(home("hi"))).outcome is Outcome.NOT_ASSESSABLE
