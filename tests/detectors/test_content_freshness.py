"""content-freshness: the newest dated item and its age on the day of the crawl."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from detectors.builtin.content_freshness import ContentFreshness, parse_dates
from detectors.runner import run_detector
from detectors.site import Site
from losi.types import Outcome
from tests.detectors.sites import SEED, home, page

detector = ContentFreshness()
CRAWLED = datetime(2024, 6, 15, 10, 0, tzinfo=timezone.utc)


def crawl(*pages, crawled_at=CRAWLED) -> Site:  # type: ignore[no-untyped-def]
    return Site(SEED, list(pages), crawled_at=crawled_at)


@pytest.mark.parametrize("text, expected", [
    ("Published 2024-06-10", date(2024, 6, 10)),
    ("12 de junio de 2024", date(2024, 6, 12)),
    ("June 12, 2024", date(2024, 6, 12)),
    ("12 juin 2024", date(2024, 6, 12)),
    ("12. Juni 2024", date(2024, 6, 12)),
    ("12 giugno 2024", date(2024, 6, 12)),
    ("12 de junho de 2024", date(2024, 6, 12)),
    ("12 июня 2024", date(2024, 6, 12)),
    ("2024年6月12日", date(2024, 6, 12)),
    ("١٢ يونيو ٢٠٢٤", date(2024, 6, 12)),
    ("2024년 6월 12일", date(2024, 6, 12)),
    ("12 มิถุนายน 2024", date(2024, 6, 12)),
    ("12 Haziran 2024", date(2024, 6, 12)),
    ("12.06.2024", date(2024, 6, 12)),
    ("25/12/2023", date(2023, 12, 25)),
])
def test_dates_are_read_in_many_languages_and_scripts(text: str, expected: date) -> None:
    assert expected in [d for d, _, _ in parse_dates(text)]


def test_us_english_reads_month_first() -> None:
    assert [d for d, _, _ in parse_dates("06/12/2024", month_first=True)] == [date(2024, 6, 12)]


def test_a_recent_item_is_present() -> None:
    finding = run_detector(detector, crawl(home("<article><time datetime='2024-06-10'>10 June"
                                                "</time> New park opens</article>")))
    assert finding.outcome is Outcome.PRESENT
    assert finding.details["age_days"] == 5


def test_upcoming_events_are_not_updates() -> None:
    finding = run_detector(detector, crawl(home(
        "<p>Concert on 2024-09-01</p><p>News 2023-01-02</p><p>2023-01-01</p><p>2022-12-01</p>")))
    assert finding.details["newest"] == "2023-01-02"
    assert finding.outcome is Outcome.ABSENT


def test_the_newest_item_may_be_on_a_deeper_page() -> None:
    finding = run_detector(detector, crawl(
        home("<a href='/news'>News</a><p>© 2019</p>"),
        page("https://city.example/news", "<p>Posted 3 June 2024</p>", depth=1)))
    assert finding.outcome is Outcome.PRESENT
    assert finding.evidence[0].page_url == "https://city.example/news"


def test_without_the_crawl_date_the_age_is_left_to_a_person() -> None:
    finding = run_detector(detector, crawl(home("<p>2024-06-10</p>"), crawled_at=None))
    assert finding.outcome is Outcome.NEEDS_REVIEW
    assert finding.details["newest"] == "2024-06-10"


def test_no_dated_item_is_never_absent() -> None:
    finding = run_detector(detector, crawl(home("<p>Welcome</p>")))
    assert finding.outcome is Outcome.NEEDS_REVIEW


def _portal_with_news_after(sections: int) -> Site:
    """A home page without dates, `sections` undated pages first in the crawl's order, then the
    news list (/novosti/, after them by address) with an item of last week."""
    pages = [home("<h1>Администрация</h1>" + "".join(
        f"<a href='/a{i:02d}/'>Раздел {i}</a>" for i in range(sections)))]
    pages += [page(f"{SEED}a{i:02d}/", f"<html><body><h1>Раздел {i}</h1><p>Текст.</p></body></html>",
                   depth=1) for i in range(sections)]
    pages.append(page(f"{SEED}novosti/", "<html><body><h1>Новости</h1><ul><li><time "
                      "datetime='2024-06-10'>10 июня 2024</time> Открыт новый парк</li></ul>"
                      "</body></html>", depth=1))
    return crawl(*pages)


def test_a_news_list_past_the_first_pages_is_read_all_the_same() -> None:
    finding = run_detector(detector, _portal_with_news_after(20))
    assert finding.outcome is Outcome.PRESENT
    assert finding.evidence[0].page_url == f"{SEED}novosti/"


def test_only_news_and_events_pages_are_read_past_the_first_pages() -> None:
    scan = detector.begin(_portal_with_news_after(20))
    site = scan.site
    wanted = [p.address for p in site.pages if scan.wants(p)]
    assert wanted[:1] == [SEED] and f"{SEED}novosti/" in wanted
    for artifact in site.pages:
        if scan.wants(artifact):
            scan.feed(site.parse(artifact))
    assert scan.pages == 8 and scan.news_pages == 1
