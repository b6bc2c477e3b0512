from __future__ import annotations

import pytest

from detectors.builtin.sitemap import Sitemap
from detectors.runner import run_detector, run_detectors
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, page, site

detector = Sitemap()
ROBOTS = {"url": SEED + "robots.txt", "found": True, "status": 200,
          "sitemaps": [SEED + "sitemap.xml"]}
XML = {"sitemaps": [SEED + "sitemap.xml"], "entries": 120, "errors": [], "found": True}


@pytest.mark.parametrize("link", [
    "<a href='/sitemap'>Sitemap</a>",
    "<a href='/site-map'>Site Map</a>",
    "<a href='/mapa'>Mapa del sitio</a>",  # es
    "<a href='/plan'>Plan du site</a>",  # fr
    "<a href='/x'>خريطة الموقع</a>",  # ar
    "<a href='/x'>网站地图</a>",  # zh
    "<a href='/x'>Карта сайта</a>",  # ru
    "<a href='/x'>Mapa do site</a>",  # pt
    "<a href='/x'>Seitenübersicht</a>",  # de
    "<a href='/x'>Mappa del sito</a>",  # it
    "<a href='/en/plan-du-site'>&#8594;</a>",  # the address says it
])
def test_a_link_to_a_site_map_page_is_present(link: str) -> None:
    finding = run_detector(detector, site(home(f"<footer>{link}</footer>")))
    assert finding.outcome is Outcome.PRESENT
    assert finding.details["kind"] == "page for people"


def test_a_site_map_page_with_an_xml_sitemap_says_both() -> None:
    s = site(home("<footer><a href='/sitemap'>Sitemap</a></footer>"),
             probes={"robots": ROBOTS, "sitemap": XML})
    finding = run_detector(detector, s)
    assert finding.outcome is Outcome.PRESENT
    assert finding.details["kind"] == "page for people and XML sitemap"
    assert any("XML sitemap read" in e.explanation for e in finding.evidence)


def test_an_xml_sitemap_alone_needs_review_with_its_address() -> None:
    s = site(home("<footer><a href='/about'>About</a></footer>"),
             probes={"robots": ROBOTS, "sitemap": XML})
    finding = run_detector(detector, s)
    assert finding.outcome is Outcome.NEEDS_REVIEW
    assert finding.details["kind"] == "XML sitemap only"
    assert SEED + "sitemap.xml" in finding.reason
    assert finding.evidence[0].page_url == SEED + "sitemap.xml"


def test_a_sitemap_listed_in_robots_txt_alone_needs_review() -> None:
    unread = {"sitemaps": [], "entries": 0, "errors": ["sitemap.xml: HTTP 404"], "found": False}
    s = site(home("<p>hi</p>"), probes={"robots": ROBOTS, "sitemap": unread})
    assert run_detector(detector, s).outcome is Outcome.NEEDS_REVIEW


def test_a_link_to_the_xml_file_is_not_a_page_for_people() -> None:
    s = site(home("<footer><a href='/sitemap.xml'>Sitemap</a></footer>"))
    assert run_detector(detector, s).outcome is Outcome.NEEDS_REVIEW


def test_a_map_of_the_city_is_not_a_site_map() -> None:
    s = site(home("<nav><a href='/maps'>City maps</a><a href='/gis'>Interactive map</a></nav>"),
             probes={"robots": {**ROBOTS, "sitemaps": []},
                     "sitemap": {"sitemaps": [], "entries": 0, "errors": [], "found": False}})
    finding = run_detector(detector, s)
    assert finding.outcome is Outcome.ABSENT and finding.details["kind"] == "none"


def test_nothing_seen_is_not_assessable() -> None:
    s = site(failed(SEED, FetchStatus.TIMEOUT, "timed out"))
    assert run_detector(detector, s).outcome is Outcome.NOT_ASSESSABLE


def test_a_link_on_an_inner_page_counts_and_lockstep_agrees() -> None:
    def make():
        return site(home("<nav><a href='/about'>About</a></nav>"),
                    page(SEED + "about", "<footer><a href='/sitemap'>Sitemap</a></footer>", depth=1))

    alone = run_detector(detector, make())
    assert alone.outcome is Outcome.PRESENT
    assert run_detectors(make(), {"sitemap": detector})["sitemap"] == alone
