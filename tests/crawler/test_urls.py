from __future__ import annotations

import pytest

from crawler.urls import TrapGuard, canonical, is_calendar_like


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://City.Example:80/a?b=2&a=1#top", "http://city.example/a?a=1&b=2"),
        ("https://city.example:443/", "https://city.example/"),
        ("https://city.example/page;jsessionid=ABC123?x=1", "https://city.example/page?x=1"),
        ("https://city.example/?PHPSESSID=9f8e&utm_source=mail&id=4", "https://city.example/?id=4"),
        ("http://127.0.0.1:8701", "http://127.0.0.1:8701/"),
    ],
)
def test_one_page_has_one_spelling(url: str, expected: str) -> None:
    assert canonical(url) == expected


def test_a_calendar_is_capped() -> None:
    guard = TrapGuard(max_calendar_pages=3)
    verdicts = [guard.why_skip(f"https://c.example/events?month={m}&year=2031") for m in range(1, 13)]
    assert verdicts.count("") == 3 and verdicts.count("calendar") == 9


def test_dated_paths_are_calendar_like() -> None:
    assert is_calendar_like("https://c.example/agenda/2031/07/") and not is_calendar_like("https://c.example/news/")


def test_endless_query_variants_are_capped() -> None:
    guard = TrapGuard(max_query_variants=10)
    verdicts = [guard.why_skip(f"https://c.example/search?q={n}") for n in range(50)]
    assert verdicts.count("") == 10


def test_a_repeating_path_is_a_trap() -> None:
    assert TrapGuard().why_skip("https://c.example/a/b/a/b/a/b/") == "repeating_path"


def test_ordinary_pages_pass() -> None:
    guard = TrapGuard()
    assert [guard.why_skip(u) for u in ("https://c.example/", "https://c.example/news/one")] == ["", ""]
