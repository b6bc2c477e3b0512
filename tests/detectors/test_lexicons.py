"""Lexicons: data per language, and matching that works for every script."""

from __future__ import annotations

import json

import pytest

from detectors.lexicons import (
    LEXICON_DIR,
    REQUIRED_LANGUAGES,
    PhraseMatcher,
    WordIndex,
    lexicon,
    names,
)
from detectors.text import normalise_text


@pytest.mark.parametrize("name", names())
def test_every_lexicon_covers_the_un_languages_and_pt_de_it(name: str) -> None:
    data = json.loads((LEXICON_DIR / f"{name}.json").read_text("utf-8"))
    assert set(data) == {"concept", "description", "phrases"} and data["concept"] == name
    assert set(REQUIRED_LANGUAGES) <= set(lexicon(name)), name
    assert all(phrases for phrases in lexicon(name).values())


def match(phrases: list[str], text: str) -> bool:
    return PhraseMatcher(phrases).search(text) is not None


@pytest.mark.parametrize("phrases, text, expected", [
    (["privacy"], "Privacy Policy", True),
    (["privacy"], "Privacyless shopping", False),  # whole words in spaced scripts
    (["open data"], "OpenData portal", True),  # any separator, or none, between words
    (["open data"], "open-data", True),
    (["política de privacidad"], "POLITICA DE PRIVACIDAD", True),  # accents and case folded
    (["隐私政策"], "本站隐私政策说明", True),  # CJK: no word boundaries
    (["سياسة الخصوصية"], "وسياسةُ الخُصوصيّة", True),  # Arabic: clitic, diacritics
    (["الخصوصية"], "بالخصوصية", True),
    (["خصوصية"], "الخصوصية", True),  # with the article
    (["الميزانية"], "الميزانيـــة", True),  # tatweel
    (["конфиденциальн*"], "Политика конфиденциальности", True),  # a stem with any ending
    (["*kalender"], "Veranstaltungskalender", True),  # a German compound
    (["nachrichten*"], "Nachrichtenüberblick", True),
    (["p:"], "p: 555", False),  # a one-letter phrase would match everything: dropped
])
def test_matching_across_scripts(phrases: list[str], text: str, expected: bool) -> None:
    if phrases == ["p:"]:
        with pytest.raises(ValueError):
            PhraseMatcher(phrases)
        return
    assert match(phrases, text) is expected


def test_matches_report_items_and_offsets() -> None:
    index = WordIndex([normalise_text("Home"), normalise_text("Contact us"), normalise_text("Contact")])
    matcher = PhraseMatcher(["contact"])
    assert matcher.hits(index) == [1, 2] and matcher.exact(index) == [2]
    assert [(i, index.text[s:e]) for i, s, e in matcher.find(index)] == [(1, "contact"), (2, "contact")]


def test_a_matcher_compiled_after_the_index_still_finds_its_words() -> None:
    index = WordIndex(["the zyxwvut office"])
    assert PhraseMatcher(["zyxwvut office"]).hits(index) == [0]


@pytest.mark.parametrize("seen", ["TOPLANTI TUTANAKLARI", "Toplantı tutanakları", "toplanti tutanaklari"])
def test_turkish_dotless_i_matches_in_capitals_and_lower_case(seen: str) -> None:
    index = WordIndex([normalise_text(seen)])
    assert PhraseMatcher([normalise_text("toplantı tutanakları")]).exact(index) == [0]


def test_turkish_dotted_capital_i_folds_to_i() -> None:
    assert normalise_text("İSTANBUL BÜYÜKŞEHİR") == normalise_text("istanbul büyükşehir") == "istanbul buyuksehir"


def test_normalising_many_texts_at_once_is_normalising_each() -> None:
    from detectors.text import normalise_many

    texts = ["Política  de Privacidad", "TOPLANTI tutanağı", "سِياسة الخُصوصيّة", "",
             "Ärzte\u00a0&\u2028Notdienst", "隐私政策", " e\u0301te\u0301 "]
    assert normalise_many(texts) == [normalise_text(t) for t in texts]
    assert normalise_many(["a\nb", "C"]) == ["a b", "c"]  # a text with a newline of its own


@pytest.mark.parametrize("phrases", [
    ["open data", "privacy"], ["nachrichten*"], ["*kalender"], ["news and events*"],
    ["a a"], ["contact us", "contact"],
])
def test_the_token_string_finds_what_the_word_by_word_index_finds(phrases: list[str]) -> None:
    """The token-string look-up (Latin, Cyrillic ... text) against the word-by-word index that
    Arabic text uses, on the same items: the same matches, offsets and items."""
    from detectors.lexicons import _Places

    items = [normalise_text(t) for t in (
        "Open-Data portal and privacy", "Nachrichten-Archiv; Nachrichtenblatt", "Veranstaltungskalender",
        "", "news and eventsfeed: news and events", "a a a", "Contact us", "contact",
        "opendata")]
    matcher = PhraseMatcher(phrases)
    fast = WordIndex(items)
    slow = WordIndex(items)
    slow.places = _Places(slow.item_words, False)
    assert fast.places is None and fast.tokens
    for method in ("find", "hits", "exact"):
        assert getattr(matcher, method)(fast) == getattr(matcher, method)(slow), method
    one_text = WordIndex([" ; ".join(items)])
    slow_text = WordIndex([" ; ".join(items)])
    slow_text.places = _Places(slow_text.item_words, False)
    assert matcher.find(one_text) == matcher.find(slow_text)
