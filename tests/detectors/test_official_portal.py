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


@pytest.mark.parametrize("url, body, city", [
    ("https://www.example-news.com/", "<footer>© 2024 Example News Inc.</footer>", ""),
    # a company named after the city is still a company
    ("https://www.localpulse.test/", "<footer><p>High Street 1, Ashford</p><p>© 2025 Ashford "
     "Media Ltd. All rights reserved.</p></footer>", "Ashford"),
    ("https://www.guialocal.test/", "<footer>© 2025 Guía Local Ediciones S.L. Todos los derechos "
     "reservados.</footer>", "Villa Alta"),
    ("https://www.lokalnachrichten.test/", "<footer>© 2025 Lokalnachrichten Verlag GmbH</footer>",
     "Grünberg"),
    ("https://www.novosti-regiona.test/", "<footer>© 2025 ООО «Новости региона»</footer>",
     "Новогорск"),
    ("https://www.dalil-almudun.test/", "<footer>© 2025 شركة دليل المدن للإعلام ذ.م.م. جميع الحقوق "
     "محفوظة</footer>", "مدينة النور"),
    # a company registered in the city carries the city's 市: still a company
    ("https://www.chengshi-zixun.test/", "<footer>版权所有 © 2025 青山市文化传媒有限公司</footer>",
     "青山市"),
])
def test_a_third_partys_site_with_a_companys_copyright_is_absent(url: str, body: str,
                                                                  city: str) -> None:
    finding = run_detector(detector, portal(url, body, "Home", city))
    assert finding.outcome is Outcome.ABSENT, finding.reason
    assert finding.confidence < 0.9 and "third party" in finding.reason
    assert finding.details["copyright_company"]
    texts = {e.text for e in finding.evidence}
    assert url.split("/")[2] in texts, "the host is evidence"
    assert any("©" in t for t in texts), "the copyright line naming the company is evidence"


def test_a_company_under_the_citys_own_name_is_left_to_a_person() -> None:
    # hamburg.de and berlin.de are run by companies under the city's name: not absent
    finding = run_detector(detector, portal("https://www.hamburg.test/", "<footer>© 2025 "
                                            "hamburg.test GmbH &amp; Co. KG</footer>", "Hamburg",
                                            "Hamburg"))
    assert finding.outcome is Outcome.NEEDS_REVIEW
    assert finding.details["leaning"] == "absent" and "company" in finding.reason


def test_neither_mark_and_no_copyright_is_never_absent() -> None:
    finding = run_detector(detector, portal("https://www.example-news.com/",
                                            "<footer>Contact us</footer>", "News", "Springfield"))
    assert finding.outcome is Outcome.NEEDS_REVIEW
    assert finding.details["leaning"] == "absent"


def test_a_government_holder_outweighs_the_web_agencys_company() -> None:
    finding = run_detector(detector, portal("https://www.cityofashford.test/", "<footer>© 2025 "
                                            "City of Ashford. Website by Acme Digital Ltd</footer>",
                                            "Home", "Ashford"))
    assert finding.outcome is Outcome.PRESENT


@pytest.mark.parametrize("url, body, city", [
    # 'ة' folds to 'ه' in normalised text: the Arabic holder words must be written alike
    ("https://www.ajman.test/", "<footer>© 2025 بلدية عجمان. جميع الحقوق محفوظة</footer>", "Ajman"),
    # the German way of writing umlauts in a host: muenchen.de
    ("https://www.muenchen.test/", "<footer>© Landeshauptstadt München</footer>", "München"),
    ("https://www.cm-lisboa.test/", "<footer>© Câmara Municipal de Lisboa</footer>", "Lisboa"),
    ("https://www.qingshan.gov.test/", "<footer>版权所有 © 2025 青山市人民政府</footer>", "青山市"),
])
def test_the_citys_own_site_without_a_country_domain_is_present(url: str, body: str,
                                                                city: str) -> None:
    finding = run_detector(detector, portal(url, body, "Home", city))
    assert finding.outcome is Outcome.PRESENT, finding.reason


def test_an_unreachable_home_page_is_not_assessable() -> None:
    s = Site("https://x.gov/", [PageArtifact("https://x.gov/", FetchStatus.TIMEOUT)])
    assert run_detector(detector, s).outcome is Outcome.NOT_ASSESSABLE
