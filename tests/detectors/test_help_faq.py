from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import home, site

detector = pattern_detector("help-faq")


@pytest.mark.parametrize("body", [
    "<a href='/faqs'>FAQs</a>", "<a href='mailto:support@vendor.example'>Help</a>",
    "<a href='/x'>Preguntas frecuentes</a>", "<a href='/x'>Foire aux questions</a>",
    "<a href='/x'>الأسئلة الشائعة</a>", "<a href='/x'>常见问题</a>",
    "<a href='/x'>Вопросы и ответы</a>", "<a href='/x'>Perguntas frequentes</a>",
    "<a href='/x'>Hilfe</a>", "<a href='/x'>Leggi le FAQ</a>",
])
def test_a_help_or_faq_feature_is_present(body: str) -> None:
    assert run_detector(detector, site(home(f"<nav>{body}</nav>"))).outcome is Outcome.PRESENT


@pytest.mark.parametrize("label", ["How You Can Help", "Homework Help Center",
                                   "Hoarding Help Coalition"])
def test_help_inside_a_longer_label_is_not_a_help_feature(label: str) -> None:
    s = site(home(f"<nav><a href='/x'>{label}</a></nav>"))
    assert run_detector(detector, s).outcome is Outcome.ABSENT
