from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import home, site

detector = pattern_detector("news-section")


@pytest.mark.parametrize("label", [
    "News", "Press Releases", "Newsroom", "Noticias", "Actualités", "الأخبار", "新闻动态",
    "Новости", "Notícias", "Aktuelles", "Nachrichtenüberblick", "Notizie",
])
def test_a_link_to_the_news_is_present(label: str) -> None:
    s = site(home(f"<nav><a href='/x'>{label}</a></nav>"))
    assert run_detector(detector, s).outcome is Outcome.PRESENT


def test_a_news_block_heading_is_present() -> None:
    assert run_detector(detector, site(home("<h2>Latest News</h2>"))).outcome is Outcome.PRESENT


@pytest.mark.parametrize("label", ["Public Notices", "Newsletter Registration",
                                   "Local News Resources"])
def test_notices_and_sign_ups_are_not_a_news_section(label: str) -> None:
    s = site(home(f"<nav><a href='/x'>{label}</a></nav>"))
    assert run_detector(detector, s).outcome is Outcome.ABSENT


def test_a_news_path_alone_needs_review() -> None:
    s = site(home("<p><a href='/news/2024/road-works'>Road works on Main Street</a></p>"))
    assert run_detector(detector, s).outcome is Outcome.NEEDS_REVIEW
