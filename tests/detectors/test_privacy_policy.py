from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, page, site

detector = pattern_detector("privacy-policy")


@pytest.mark.parametrize(
    "label",
    [
        "Privacy Policy",  # en
        "Política de Privacidad",  # es
        "Politique de confidentialité",  # fr
        "Política de Privacidade",  # pt
        "Datenschutzerklärung",  # de
        "Informativa sulla privacy",  # it
        "سياسة الخصوصية",  # ar
        "隐私政策",  # zh
        "Политика конфиденциальности",  # ru
    ],
)
def test_a_footer_link_named_in_any_language_is_present(label: str) -> None:
    s = site(home(f"<footer><ul><li><a href='/p'>{label}</a></li></ul></footer>"))
    finding = run_detector(detector, s)
    assert finding.outcome is Outcome.PRESENT


def test_evidence_names_the_page_the_locator_and_the_text() -> None:
    s = site(home("<footer><a href='/about'>About</a><a href='/privacidad'>Política de privacidad</a></footer>"))
    evidence = run_detector(detector, s).evidence[0]
    assert (evidence.page_url, evidence.locator, evidence.text) == (
        SEED, "/html/body/footer/a[2]", "Política de privacidad")


def test_the_explanation_says_where_the_link_is() -> None:
    s = site(home("<footer><a href='/privacy'>Privacy</a></footer>"))
    assert "in the footer" in run_detector(detector, s).evidence[0].explanation


def test_a_link_known_only_by_its_url_is_less_certain() -> None:
    s = site(home("<footer><a href='/datenschutz/'>Hinweise</a></footer>"))
    finding = run_detector(detector, s)
    assert (finding.outcome, finding.confidence) == (Outcome.PRESENT, 0.7)


def test_an_aria_label_counts_as_the_link_name() -> None:
    s = site(home("<footer><a href='/p' aria-label='Privacy notice'><svg></svg></a></footer>"))
    assert run_detector(detector, s).outcome is Outcome.PRESENT


def test_a_link_on_a_deeper_page_is_found() -> None:
    s = site(home("<nav><a href='/about'>About us</a></nav>"),
             page(SEED + "about", "<footer><a href='/legal'>Protection des données</a></footer>", depth=1))
    assert run_detector(detector, s).outcome is Outcome.PRESENT


def test_no_such_link_on_pages_seen_is_absent() -> None:
    s = site(home("<footer><a href='/contact'>Contact</a><a href='/news'>News</a></footer>"))
    finding = run_detector(detector, s)
    assert finding.outcome is Outcome.ABSENT


def test_a_word_inside_another_word_does_not_count() -> None:
    s = site(home("<footer><a href='/x'>Privacyless shopping</a></footer>"))
    assert run_detector(detector, s).outcome is Outcome.ABSENT


def test_a_home_page_that_timed_out_is_not_assessable_never_absent() -> None:
    s = site(failed(SEED, FetchStatus.TIMEOUT, "DownloadTimeoutError"))
    finding = run_detector(detector, s)
    assert finding.outcome is Outcome.NOT_ASSESSABLE


def test_a_blocked_home_page_is_not_assessable() -> None:
    s = site(page(SEED, "<html>Just a moment...</html>", status=FetchStatus.BLOCKED))
    assert run_detector(detector, s).outcome is Outcome.NOT_ASSESSABLE


def test_a_link_to_a_missing_page_needs_review() -> None:
    s = site(home("<footer><a href='/privacy'>Privacy policy</a></footer>"),
             page(SEED + "privacy", "not found", depth=1, status=FetchStatus.HTTP_ERROR,
                  http_status=404))
    assert run_detector(detector, s).outcome is Outcome.NEEDS_REVIEW
