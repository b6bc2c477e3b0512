"""Lexicons per language, as data: one JSON file per concept, {concept, description, phrases}.

`phrases` maps a language tag to the words a portal in that language uses for the concept
(`zxx`, "no linguistic content", holds brand names that are the same in every language).
Phrases are written the way people write them, accents and all; matching happens on
normalised text (see `detectors.site.normalise_text`: case-folded; accents, Arabic
diacritics, tatweel and alef/hamza variants folded).

How a phrase matches depends on the script:

- Scripts written with spaces (Latin, Cyrillic, Greek, ...) match whole words: 'privacy' does
  not match inside 'privacyless'. Between the words of a phrase any separator or none will do
  ('open data' matches 'open-data' and 'opendata'). A '*' at either end of a phrase lifts the
  word boundary there: 'конфиденциальн*' matches every case ending, '*kalender' every German
  compound ending in 'kalender'.
- Arabic also matches a word that carries a one-letter clitic before it (و ف ب ل ك: "and",
  "so", "with", "to", "like", also before the article: 'والخصوصية') or a pronoun suffix.
- Scripts written without spaces (Chinese, Japanese, Thai, ...) match anywhere in the text.

Matching works on a word index built once per text (see `WordIndex`), so a lexicon of a
hundred phrases costs a hundred dictionary look-ups per page, not a regex pass per phrase.
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib import resources
from itertools import accumulate
from pathlib import Path

from detectors.text import normalise_text

LEXICON_DIR = Path(str(resources.files(__package__)))
UN_LANGUAGES = ("en", "es", "fr", "ar", "zh", "ru")
REQUIRED_LANGUAGES = (*UN_LANGUAGES, "pt", "de", "it")
_WORD = re.compile(r"\w+")
_WORD_SPLIT = re.compile(r"(\w+)")
_TOKEN = re.compile(r"\w+|\n")  # the words of a WordIndex's items, and the breaks between them
_ITEM = 1 << 24  # places in a WordIndex pack (item, word number) into one int
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")
_AR_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_AR_SUFFIXES = ("ها", "هم", "هن", "نا", "كم", "كن", "ات", "ين", "ون", "ه", "ك", "ي")


class LexiconError(ValueError):
    pass


@cache
def lexicon(name: str) -> dict[str, tuple[str, ...]]:
    path = LEXICON_DIR / f"{name}.json"
    if not path.is_file():
        known = ", ".join(names()) or "none"
        raise LexiconError(f"no lexicon {name!r} in {LEXICON_DIR} (known: {known})")
    data = json.loads(path.read_text("utf-8"))
    return {lang: tuple(phrases) for lang, phrases in data["phrases"].items()}


def names() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in LEXICON_DIR.glob("*.json")))


def languages(name: str) -> tuple[str, ...]:
    return tuple(sorted(lexicon(name)))


def unspaced(c: str) -> bool:
    """Letters of scripts written without spaces between words (no word boundaries there)."""
    if c.isascii() or not c.isalpha():
        return False
    return unicodedata.name(c, "").startswith((
        "CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN", "HANGUL",
        "HALFWIDTH", "IDEOGRAPHIC"))


def _unspaced_class() -> re.Pattern[str]:
    """One character class of every letter `unspaced` names (Basic Multilingual Plane)."""
    ranges: list[tuple[int, int]] = []
    for c in range(0x0E00, 0x10000):
        if unspaced(chr(c)):
            if ranges and ranges[-1][1] == c - 1:
                ranges[-1] = (ranges[-1][0], c)
            else:
                ranges.append((c, c))
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                                    for a, b in ranges) + "]")


# Phrases of scripts without spaces are found by substring search: one regex pass tells
# whether a text has a letter of those scripts at all (most pages have none).
_UNSPACED = _unspaced_class()
_ARABIC_OR_UNSPACED = re.compile(f"{_ARABIC.pattern}|{_UNSPACED.pattern}")


def _arabic_forms(word: str) -> set[str]:
    """An Arabic word and the forms it takes without a leading clitic or a trailing pronoun."""
    forms = {word}
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            forms.add(word[len(prefix):])
    for form in tuple(forms):  # forms grows inside the loop
        for suffix in _AR_SUFFIXES:
            if form.endswith(suffix) and len(form) - len(suffix) >= 2:
                forms.add(form[: -len(suffix)])
    return forms


# ---- the word index of a text ------------------------------------------------------------------

class WordIndex:
    """Normalised texts (items: link labels, or a page's text), indexed by word once.

    `text` joins the items with newlines; matches are reported as (item, start, end) with
    offsets into `text`.

    The index is a token string: every item's words joined by single spaces, with a space
    before and after them, items separated by newlines (' privacy policy \\n contact us ').
    A phrase of whole words is then one substring search for ' privacy policy ' (in C),
    after a set intersection of the phrases' first words with the text's words has ruled
    out nearly every phrase. Word numbers and offsets are worked out only for matches.
    Arabic text, whose words carry clitics, is indexed word by word instead (see `_Places`).
    """

    def __init__(self, items: Sequence[str]) -> None:
        self.items = list(items)
        self.starts: list[int] = []
        offset = 0
        for item in self.items:
            self.starts.append(offset)
            offset += len(item) + 1
        self.text = "\n".join(self.items)
        # Phrases of scripts without spaces are found by substring search: none can match a
        # text without a letter of those scripts (most pages), so that search is skipped.
        # One pass tells whether the text has a letter of either kind at all (most have none).
        other = _ARABIC_OR_UNSPACED.search(self.text) is not None
        self.has_unspaced = other and _UNSPACED.search(self.text) is not None
        self.arabic = other and _ARABIC.search(self.text) is not None
        self.tokens = ""
        self.words: set[str] = set()
        self.places: _Places | None = None
        if self.arabic or self.text.count("\n") != len(self.items) - 1:
            # Arabic, or items with newlines of their own (never from the Site): word by word.
            self.places = _Places(self.item_words, self.arabic)
            self.words = self.places.distinct
        elif self.items:
            found = _TOKEN.findall(self.text)
            self.tokens = " " + " ".join(found) + " "
            self.words = set(found)
            self.words.discard("\n")

    @cached_property
    def item_words(self) -> list[list[str]]:
        return [_WORD.findall(item) for item in self.items]

    @cached_property
    def _breaks(self) -> list[int]:
        """Where each newline between items sits in `tokens`."""
        breaks, at = [], self.tokens.find("\n")
        while at >= 0:
            breaks.append(at)
            at = self.tokens.find("\n", at + 1)
        return breaks

    def _segment(self, item: int) -> tuple[int, int]:
        """Start and end of an item's part of `tokens` (its leading space to its trailing one)."""
        breaks = self._breaks
        start = breaks[item - 1] + 1 if item else 0
        end = breaks[item] if item < len(breaks) else len(self.tokens)
        return start, end

    def word_count(self, item: int) -> int:
        if self.places is not None:
            return len(self.item_words[item])
        start, end = self._segment(item)
        return self.tokens.count(" ", start, end) - 1

    def _located(self, found: Iterable[tuple[int, int]]) -> set[tuple[int, int, int]]:
        """(item, first word number, word number after the last) of matches given as
        (position of the space before the first word in `tokens`, number of words)."""
        out: set[tuple[int, int, int]] = set()
        breaks, tokens = self._breaks, self.tokens
        item, start, k, at = -1, 0, 0, 0
        for pos, n in sorted(found):
            here = bisect.bisect_left(breaks, pos) if breaks else 0
            if here != item:
                item = here
                start = breaks[item - 1] + 1 if item else 0
                k, at = 0, start
            k += tokens.count(" ", at, pos)  # the words before the match, counted once
            at = pos
            out.add((item, k, k + n))
        return out

    def span(self, item: int, k: int) -> tuple[int, int]:
        """Start and end (offsets into `text`) of word k of an item."""
        ends = self._spans.get(item)
        if ends is None:
            # re.split with a group alternates separators and words; the running sum of their
            # lengths gives every word's start and end (all in C, no match objects).
            ends = list(accumulate(map(len, _WORD_SPLIT.split(self.items[item])),
                                   initial=self.starts[item]))
            self._spans[item] = ends
        return ends[2 * k + 1], ends[2 * k + 2]

    @cached_property
    def _spans(self) -> dict[int, list[int]]:
        return {}

    def item_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    @cached_property
    def _sorted(self) -> list[str]:
        return sorted(self.words)

    @cached_property
    def _sorted_reversed(self) -> list[str]:
        return sorted(w[::-1] for w in self.words)

    def with_prefix(self, prefix: str) -> Iterator[str]:
        words = self._sorted
        i = bisect.bisect_left(words, prefix)
        while i < len(words) and words[i].startswith(prefix):
            yield words[i]
            i += 1

    def with_suffix(self, suffix: str) -> Iterator[str]:
        words, rev = self._sorted_reversed, suffix[::-1]
        i = bisect.bisect_left(words, rev)
        while i < len(words) and words[i].startswith(rev):
            yield words[i][::-1]
            i += 1

    def containing(self, part: str) -> list[str]:
        return [w for w in self.words if part in w]


class _Places:
    """Word by word: where each word occurs (item * _ITEM + word number), Arabic forms too.

    Only the words compiled phrases start with are indexed up front; others on demand.
    """

    def __init__(self, item_words: list[list[str]], arabic: bool) -> None:
        self.item_words = item_words
        self.arabic = arabic
        self.distinct = {w for words in item_words for w in words}
        self.vocabulary = _VOCABULARY.snapshot()
        self.index: dict[str, list[int]] = {}
        index, vocabulary = self.index, self.vocabulary
        for n, words in enumerate(item_words):
            base = n * _ITEM
            for k, word in enumerate(words):
                for form in (_arabic_forms(word) if arabic and _ARABIC.match(word) else (word,)):
                    if form in vocabulary:
                        index.setdefault(form, []).append(base + k)

    def of(self, word: str) -> list[int]:
        found = self.index.get(word)
        if found is not None:
            return found
        if word in self.vocabulary:
            return []
        found = [n * _ITEM + k for n, words in enumerate(self.item_words)
                 for k, w in enumerate(words) if w == word or (
                     self.arabic and _ARABIC.match(w) and word in _arabic_forms(w))]
        self.index[word] = found
        return found


class _Vocabulary:
    """The words compiled phrases start with: the only words a WordIndex indexes up front."""

    def __init__(self) -> None:
        self._words: set[str] = set()
        self._frozen: frozenset[str] = frozenset()

    def add(self, words: Iterable[str]) -> None:
        new = set(words) - self._words
        if new:
            self._words |= new
            self._frozen = frozenset(self._words)

    def snapshot(self) -> frozenset[str]:
        return self._frozen


_VOCABULARY = _Vocabulary()


@dataclass(frozen=True)
class _Phrase:
    words: tuple[str, ...]
    open_left: bool  # '*kalender': the first word may have anything before it
    open_right: bool  # 'nachrichten*': the last word may have anything after it

    @cached_property
    def needs(self) -> frozenset[str]:
        """The whole words after the first that a text must hold for the phrase to match."""
        return frozenset(self.words[1:-1] if self.open_right else self.words[1:])

    def needle(self, first: str) -> str:
        """What the phrase (its first word written `first`) looks like in a WordIndex's tokens."""
        tail = "" if self.open_right and len(self.words) > 1 else " "
        return " " + " ".join((first, *self.words[1:])) + tail


def _same(a: str, phrase_word: str, arabic: bool) -> bool:
    if a == phrase_word:
        return True
    return arabic and bool(_ARABIC.match(a)) and phrase_word in _arabic_forms(a)


class PhraseMatcher:
    """Phrases (any languages) compiled for look-ups in a WordIndex."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.phrases: list[_Phrase] = []
        self.substrings: list[str] = []  # phrases in scripts without spaces
        seen: set[tuple[tuple[str, ...], bool, bool] | str] = set()
        for raw in phrases:
            text = normalise_text(raw)
            open_left, open_right = text.startswith("*"), text.endswith("*")
            text = text.strip("*").strip()
            if not text:
                continue
            if any(unspaced(c) for c in text):
                if text not in seen:
                    seen.add(text)
                    self.substrings.append(text)
                continue
            words = tuple(_WORD.findall(text))
            if not words or (len(words) == 1 and len(words[0]) < 2):
                continue  # 'p:' alone would match every 'p'
            variants = [words]
            if len(words) > 1 and not open_left and not open_right:
                variants.append(("".join(words),))  # 'open data' also as 'opendata'
            for w in variants:
                if (w, open_left, open_right) not in seen:
                    seen.add((w, open_left, open_right))
                    self.phrases.append(_Phrase(w, open_left, open_right))
        if not self.phrases and not self.substrings:
            raise LexiconError("no phrases to match")
        # Phrases by their first word, for one set intersection with a text's words.
        self._by_first: dict[str, list[tuple[_Phrase, str]]] = {}
        self._open: list[_Phrase] = []  # first word with a wildcard: looked up by prefix/suffix
        for phrase in self.phrases:
            if phrase.open_left or (phrase.open_right and len(phrase.words) == 1):
                self._open.append(phrase)
            else:
                self._by_first.setdefault(phrase.words[0], []).append(
                    (phrase, phrase.needle(phrase.words[0])))
        self._firsts = frozenset(self._by_first)
        _VOCABULARY.add(self._firsts)

    def _candidates(self, index: WordIndex) -> Iterator[tuple[str, _Phrase]]:
        """(first word as written in the text, phrase) for every phrase that may match."""
        for phrase in self._open:
            first = phrase.words[0]
            if phrase.open_left and phrase.open_right and len(phrase.words) == 1:
                words: Iterable[str] = index.containing(first)
            elif phrase.open_left:
                words = index.with_suffix(first)
            else:
                words = index.with_prefix(first)
            for word in words:
                yield word, phrase

    def _word_matches(self, index: WordIndex, *, items: bool = False,
                      ) -> set[tuple[int, int, int]] | set[int]:
        """(item, first word number, word number after the last) of every phrase match; with
        `items`, only the items that hold one."""
        if index.places is not None:
            found = self._matches_by_place(index)
            return {item for item, _, _ in found} if items else found
        tokens = index.tokens
        raw: list[tuple[int, int]] = []
        for needle, n, _ in self._work(index):
            pos = tokens.find(needle)
            while pos >= 0:
                raw.append((pos, n))
                if items:  # one match per item is enough: go on from the next item
                    pos = tokens.find("\n", pos)
                    if pos < 0:
                        break
                pos = tokens.find(needle, pos + 1)
        if items:
            breaks = index._breaks if len(index.items) > 1 else []
            return {bisect.bisect_left(breaks, pos) for pos, _ in raw} if breaks else (
                {0} if raw else set())
        return index._located(raw)

    def _work(self, index: WordIndex) -> list[tuple[str, int, _Phrase]]:
        """(needle, number of words, phrase) of the phrases that may be in an index's tokens."""
        words = index.words
        if not index.tokens:
            return []
        work = [(needle, len(phrase.words), phrase) for first in self._firsts & words
                for phrase, needle in self._by_first[first] if phrase.needs <= words]
        if self._open:
            work += [(phrase.needle(word), len(phrase.words), phrase)
                     for word, phrase in self._candidates(index) if phrase.needs <= words]
        return work

    def _text_spans(self, index: WordIndex) -> set[tuple[int, int, int]]:
        """(0, start, end) of every match in an index of one text (a page's): each phrase the
        tokens hold is found again in the text by a regular expression, which gives its
        offsets without counting the words before it."""
        found: set[tuple[int, int, int]] = set()
        for needle, _, phrase in self._work(index):
            if needle in index.tokens:
                first = needle[1:].split(" ", 1)[0]
                search = _phrase_regex((first, *phrase.words[1:]),
                                       phrase.open_right and len(phrase.words) > 1).search
                m = search(index.text)
                while m is not None:
                    found.add((0, m.start(), m.end()))
                    m = search(index.text, m.start() + 1)  # overlapping matches too
        return found

    def _matches_by_place(self, index: WordIndex) -> set[tuple[int, int, int]]:
        """The same, word by word (Arabic text: a word may carry a clitic)."""
        places = index.places
        assert places is not None
        found: set[tuple[int, int, int]] = set()
        arabic = index.arabic
        present = self._firsts & places.index.keys()
        if not self._firsts <= places.vocabulary:  # compiled after the index was built
            present |= {w for w in self._firsts - places.vocabulary if places.of(w)}
        work: list[tuple[str, _Phrase]] = [(w, p) for w in present for p, _ in self._by_first[w]]
        work += list(self._candidates(index))
        for word, phrase in work:
            rest = phrase.words[1:]
            for place in places.of(word):
                item, k = divmod(place, _ITEM)
                words_of = places.item_words[item]
                if k + len(rest) >= len(words_of):
                    continue
                ok = True
                for j, want in enumerate(rest, start=1):
                    got = words_of[k + j]
                    if j == len(rest) and phrase.open_right:
                        ok = got.startswith(want)
                    else:
                        ok = _same(got, want, arabic)
                    if not ok:
                        break
                if ok:
                    found.add((item, k, k + len(rest) + 1))
        return found

    def _substring_matches(self, index: WordIndex) -> set[tuple[int, int, int]]:
        """(item, start, end) of every match of a phrase in a script without spaces."""
        found: set[tuple[int, int, int]] = set()
        if not index.has_unspaced:
            return found
        for sub in self.substrings:
            start = index.text.find(sub)
            while start >= 0:
                found.add((index.item_of(start), start, start + len(sub)))
                start = index.text.find(sub, start + 1)
        return found

    def find(self, index: WordIndex) -> list[tuple[int, int, int]]:
        """Every match as (item, start, end), offsets into index.text, in text order."""
        if index.places is None and len(index.items) == 1:
            found = self._text_spans(index)
        else:
            found = {(item, index.span(item, k)[0], index.span(item, end - 1)[1])
                     for item, k, end in self._word_matches(index)}
        if self.substrings:
            found |= self._substring_matches(index)
        return sorted(found, key=lambda f: (f[1], f[2]))

    def hits(self, index: WordIndex) -> list[int]:
        """The items that hold a match, each once, in order."""
        items = set(self._word_matches(index, items=True))
        if self.substrings:
            items |= {item for item, _, _ in self._substring_matches(index)}
        return sorted(items)

    def exact(self, index: WordIndex) -> list[int]:
        """The items that are one of the phrases and nothing more."""
        out = {item for item, k, end in self._word_matches(index)
               if k == 0 and end == index.word_count(item)}
        for item, start, end in self._substring_matches(index) if self.substrings else ():
            if start == index.starts[item] and end == start + len(index.items[item]):
                out.add(item)
        return sorted(out)

    def search(self, text: str) -> tuple[int, int] | None:
        """The first match in one text (normalised here) as (start, end), or None."""
        found = self.find(WordIndex([normalise_text(text)]))
        return (found[0][1], found[0][2]) if found else None


@lru_cache(maxsize=4096)
def _phrase_regex(words: tuple[str, ...], open_right: bool) -> re.Pattern[str]:
    """Whole words with any separators between them.

    The first word comes first, literally, so that the regex engine looks for it with a fast
    substring search (a leading look-behind would make it try every position); the look-behind
    after it checks that no letter comes before it.
    """
    first, rest = re.escape(words[0]), "".join(r"\W+" + re.escape(w) for w in words[1:])
    end = r"\w*" if open_right else r"(?!\w)"  # an open last word: the whole word, as `span`
    return re.compile(rf"{first}(?<!\w[\s\S]{{{len(words[0])}}}){rest}{end}")


@cache
def matcher(name: str) -> PhraseMatcher:
    """Every language's phrases of a lexicon, compiled once per process."""
    try:
        return PhraseMatcher(p for ps in lexicon(name).values() for p in ps)
    except LexiconError:
        raise LexiconError(f"lexicon {name!r} has no phrases") from None


def find(name: str, text: str) -> tuple[int, int] | None:
    """The first phrase of lexicon `name` in `text` (any language), as (start, end), or None."""
    return matcher(name).search(text)
