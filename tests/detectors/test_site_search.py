from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import home, page, site

detector = pattern_detector("site-search")


@pytest.mark.parametrize("form", [
    "<form action='/search'><input type='search' name='q'></form>",
    "<form action='/'><input type='text' name='txtQuickSearch'></form>",
    "<input type='text' placeholder='Cerca nel sito'>",  # it
    "<form><input name='s' placeholder='O que você procura?'></form>",  # pt
    "<form action='/suche'><input name='query' type='text'></form>",  # de: the action names it
    "<div role='search'><input name='x'></div>",
    "<form><input name='k' placeholder='Поиск по сайту'></form>",  # ru
    "<form><input name='k' placeholder='بحث'></form>",  # ar
    "<form><input name='k' placeholder='站内搜索'></form>",  # zh
    "<div><input type='text' id='box'><button>Search</button></div>",  # named by its button
])
def test_a_search_box_on_the_home_page_is_present(form: str) -> None:
    assert run_detector(detector, site(home(f"<header>{form}</header>"))).outcome is Outcome.PRESENT


def test_a_link_to_the_search_page_is_present() -> None:
    s = site(home("<nav><a href='/nc/suche/'>Suche</a></nav>"))
    assert run_detector(detector, s).outcome is Outcome.PRESENT


def test_a_box_that_searches_only_the_calendar_is_not_site_search() -> None:
    s = site(home("<form action='/calendar'><input type='text' name='UCEventSearch$txtKeywords'>"
                  "<input type='submit' value='Search'></form>"
                  "<div><input id='searchTerm' title='Search Terms'>"
                  "<input type='image' alt='Search Calendar(s)'></div>"))
    assert run_detector(detector, s).outcome is Outcome.ABSENT


def test_a_search_box_only_on_an_inner_page_does_not_count() -> None:
    s = site(home("<p>Welcome</p>"),
             page("https://city.example/x", "<form><input type='search'></form>", depth=1))
    assert run_detector(detector, s).outcome is Outcome.ABSENT


def test_a_lost_property_search_is_not_site_search() -> None:
    s = site(home("<nav><a href='/fundbuero/'>Online-Fundbüro: Fundsachen suchen</a></nav>"))
    assert run_detector(detector, s).outcome is not Outcome.PRESENT
