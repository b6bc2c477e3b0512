"""personal-data-update: Modify own data (LOSI #247): pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, page, site

detector = pattern_detector("personal-data-update")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Update my details</a>",
    "<a href='/x'>Actualizar datos</a>",
    "<a href='/x'>Modifier mes informations</a>",
    "<a href='/x'>修改个人信息</a>",
    "<a href='/x'>Profil bearbeiten</a>",
    "<a href='/x'>Update your contact details</a>",
    "<a href='/x'>Alterar os meus dados pessoais</a>",
    "<a href='/x'>Изменить личные данные</a>",
    "<a href='/x'>تعديل بياناتك الشخصية</a>",
])
def test_it_is_present(body: str) -> None:
    finding = run_detector(detector, site(home(body)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == SEED


@pytest.mark.parametrize("body", [
    "<a href='/x'>Latest updates</a>"
])
def test_a_near_miss_is_not_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_home_page_without_it_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT


def test_an_unreachable_home_page_is_not_assessable() -> None:
    finding = run_detector(detector, site(failed(SEED, FetchStatus.TIMEOUT)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE


def test_the_account_page_is_read_past_the_page_budget() -> None:
    """The link that changes one's details is on the account page, which the crawl's order
    (depth, then address) may put after the first 25 pages."""
    menu = "".join(f"<a href='/a{i:02d}/'>Section {i}</a>" for i in range(30))
    pages = [home(f"<nav>{menu}<a href='/my-account/'>My account</a></nav>")]
    pages += [page(f"{SEED}a{i:02d}/", f"<html><body><h1>Section {i}</h1></body></html>", depth=1)
              for i in range(30)]
    pages.append(page(f"{SEED}my-account/", "<html><body><h1>My account</h1><ul><li><a href="
                      "'https://account.city.example/profile/edit'>Update your contact details</a>"
                      "</li></ul></body></html>", depth=1))
    finding = run_detector(detector, site(*pages))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == f"{SEED}my-account/"
