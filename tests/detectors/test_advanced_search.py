from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import SEED, home, page, site

detector = pattern_detector("advanced-search")
SEARCH_PAGE = page(SEED + "search?q=permits", "<p>10 results</p>", depth=1)


@pytest.mark.parametrize("body", [
    "<a href='/search/advanced'>Advanced search</a>",
    "<a href='/x'>Búsqueda avanzada</a>",  # es
    "<a href='/x'>Recherche avancée</a>",  # fr
    "<a href='/x'>البحث المتقدم</a>",  # ar
    "<a href='/x'>高级搜索</a>",  # zh
    "<a href='/x'>Расширенный поиск</a>",  # ru
    "<a href='/x'>Pesquisa avançada</a>",  # pt
    "<a href='/x'>Erweiterte Suche</a>",  # de
    "<a href='/x'>Ricerca avanzata</a>",  # it
    ("<form action='/search'><input name='q'><input type='date' name='from'>"
     "<input type='date' name='to'></form>"),  # a date range
    ("<form action='/buscar'><input name='q'><select name='category'></select>"
     "<button>Buscar</button></form>"),  # a category filter
    "<form><input name='q'><button type='button'>Refine your search</button></form>",
])
def test_advanced_search_options_are_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is Outcome.PRESENT


def test_refine_options_on_the_results_page_count() -> None:
    results = page(SEED + "search?q=permits",
                   "<aside><a href='?q=permits&type=news'>Filter results</a></aside>", depth=1)
    assert run_detector(detector, site(home("<p>hi</p>"), results)).outcome is Outcome.PRESENT


def test_a_plain_search_box_is_absent_once_the_search_page_was_seen() -> None:
    s = site(home("<form action='/search'><input type='search' name='q'></form>"), SEARCH_PAGE)
    finding = run_detector(detector, s)
    assert finding.outcome is Outcome.ABSENT


def test_without_a_search_page_nothing_found_is_not_assessable() -> None:
    finding = run_detector(detector, site(home("<form action='/search'><input name='q'></form>")))
    assert finding.outcome is Outcome.NOT_ASSESSABLE
    assert "search page" in finding.reason


def test_a_calendar_filter_is_not_an_advanced_site_search() -> None:
    s = site(home("<form action='/calendar'><input type='date' name='from'>"
                  "<input type='text' name='UCEventSearch$txtKeywords'><button>Search</button>"
                  "</form>"), SEARCH_PAGE)
    assert run_detector(detector, s).outcome is Outcome.ABSENT


def test_words_in_running_text_only_need_review() -> None:
    s = site(home("<p>Tip: use the advanced search to find old minutes.</p>"), SEARCH_PAGE)
    assert run_detector(detector, s).outcome is Outcome.NEEDS_REVIEW
