"""official-portal: LOSI #281, a government domain and a copyright naming the city."""

from __future__ import annotations

import pytest

from detectors.builtin.official_portal import OfficialPortal
from detectors.runner import run_detector
from detectors.site import PageArtifact, Site
from losi.types import FetchStatus, Outcome

detector = OfficialPortal()


def portal(url: str, body: str, title: str = "", city: str = "") -> Site:
    html = f"<html><head><title>{title}</title></head><body>{body}</body></html>".encode()
    page = PageArtifact(url=url, final_url=url, fetch_status=FetchStatus.OK,
                        content_type="text/html; charset=utf-8", load_body=lambda: html)
    return Site(url, [page], city_name=city)


@pytest.mark.parametrize("url, body, city", [
    ("https://www.boston.gov/", "<footer>© 2024 City of Boston</footer>", "Boston"),
    ("https://www.cdmx.gob.mx/", "<footer>Gobierno de la Ciudad de México</footer>", "Ciudad de México"),
    ("https://www.bj.gov.cn/", "<footer>北京市人民政府 版权所有</footer>", "Beijing"),
    ("https://www.dubai.gov.ae/", "<footer>© حكومة دبي. جميع الحقوق محفوظة</footer>", "Dubai"),
])
def test_a_government_domain_with_the_city_is_present(url: str, body: str, city: str) -> None:
    finding = run_detector(detector, portal(url, body, city=city))
    assert finding.outcome is Outcome.PRESENT, finding.reason


def test_a_city_domain_with_a_copyright_naming_the_city_is_present() -> None:
    finding = run_detector(detector, portal("https://www.berlin.de/", "<footer>© Land Berlin "
                                            "2024, Stadt Berlin</footer>", "Berlin.de", "Berlin"))
    assert finding.outcome is Outcome.PRESENT


def test_without_the_city_name_the_title_tells_what_the_domain_names() -> None:
    finding = run_detector(detector, portal("https://www.paris.fr/", "<footer>© Ville de Paris"
                                            "</footer>", "Paris.fr - site officiel"))
    assert finding.outcome is Outcome.PRESENT


def test_one_mark_only_is_needs_review() -> None:
    finding = run_detector(detector, portal("https://www.springfield-tourism.example/",
                                            "<footer>© 2024 City of Springfield</footer>"))
    assert finding.outcome is Outcome.NEEDS_REVIEW
    assert "missing" in finding.reason


def test_a_third_party_site_is_never_claimed_official() -> None:
    finding = run_detector(detector, portal("https://www.example-news.com/",
                                            "<footer>© 2024 Example News Inc.</footer>", "News"))
    assert finding.outcome is Outcome.NEEDS_REVIEW
    assert finding.details["leaning"] == "absent"


def test_an_unreachable_home_page_is_not_assessable() -> None:
    s = Site("https://x.gov/", [PageArtifact("https://x.gov/", FetchStatus.TIMEOUT)])
    assert run_detector(detector, s).outcome is Outcome.NOT_ASSESSABLE
