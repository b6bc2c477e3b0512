from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import home, site

detector = pattern_detector("language-versions")


@pytest.mark.parametrize("body", [
    "<header><a href='/es/'>Español</a></header>",
    "<header><a href='/en/'>ENG</a></header>",
    "<header><a href='/ar/'>العربية</a><a href='/zh/'>中文</a></header>",
    "<header><a href='/ru/'>Русский</a></header>",
    "<div id='google_translate_element'></div>",
    "<div class='gtranslate_wrapper'></div>",
    "<header><button id='translate'>Translate</button></header>",
    "<nav><a href='#'>Select Language</a></nav>",
    "<select><option>English</option><option>Español</option><option>Tiếng Việt</option></select>",
])
def test_a_switcher_or_a_translation_widget_is_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is Outcome.PRESENT


def test_a_language_name_inside_a_sentence_is_not_a_switcher() -> None:
    s = site(home("<p><a href='/esl'>English classes for adults at the library</a></p>"))
    assert run_detector(detector, s).outcome is Outcome.ABSENT


def test_an_hreflang_tag_alone_needs_review() -> None:
    s = site(home("<p>Hi</p>", head="<link rel='alternate' hreflang='es' href='/es/'>"))
    assert run_detector(detector, s).outcome is Outcome.NEEDS_REVIEW


def test_drupal_hreflang_on_content_links_is_not_a_switcher() -> None:
    s = site(home("<a href='/walk' hreflang='en'>Read More</a>"))
    assert run_detector(detector, s).outcome is Outcome.ABSENT
