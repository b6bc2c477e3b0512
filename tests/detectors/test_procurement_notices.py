from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import home, site

detector = pattern_detector("procurement-notices")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Bids and RFPs</a>", "<a href='/x'>Doing Business With The City</a>",
    "<a href='https://www.bidnetdirect.com/city'>Vendors</a>",
    "<a href='/x'>Licitaciones</a>", "<a href='/x'>Marchés publics</a>",
    "<a href='/x'>المناقصات</a>", "<a href='/x'>政府采购</a>", "<a href='/x'>Закупки</a>",
    "<a href='/x'>Licitações</a>", "<a href='/x'>Ausschreibungen</a>",
    "<a href='/x'>Appalti pubblici</a>",
])
def test_procurement_announcements_are_present(body: str) -> None:
    assert run_detector(detector, site(home(f"<nav>{body}</nav>"))).outcome is Outcome.PRESENT


def test_a_page_without_procurement_is_absent() -> None:
    s = site(home("<nav><a href='/parks'>Parks</a><a href='/library'>Library</a></nav>"))
    assert run_detector(detector, s).outcome is Outcome.ABSENT
