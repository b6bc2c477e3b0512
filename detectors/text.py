"""Text normalisation shared by the Site, the lexicons and the pattern engine."""

from __future__ import annotations

import re
import unicodedata


def _combining_class() -> re.Pattern[str]:
    """One character class of every combining mark (what NFKD splits accents into)."""
    ranges: list[tuple[int, int]] = []
    # Only the Basic Multilingual Plane: a class reaching beyond it makes every match 10x slower,
    # and the marks of living scripts are all in it.
    for c in range(0x300, 0x10000):
        if unicodedata.combining(chr(c)):
            if ranges and ranges[-1][1] == c - 1:
                ranges[-1] = (ranges[-1][0], c)
            else:
                ranges.append((c, c))
    # Arabic tatweel (kashida) only stretches a word, so it never distinguishes one.
    ranges.append((0x0640, 0x0640))
    body = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                   for a, b in ranges)
    return re.compile(f"[{body}]+")


_MARKS = _combining_class()
_ARABIC = re.compile(r"[\u0600-\u06ff]")
# Arabic letters written in free variation: alef maksura / ya, ta marbuta / ha, alef wasla.
# (Alef with hamza or madda decomposes under NFKD into alef plus a combining mark, stripped.)
_ARABIC_FOLD = str.maketrans({"ى": "ي", "ة": "ه", "ٱ": "ا"})


def normalise_text(text: str) -> str:
    """Case-fold, strip accents and diacritics, collapse spaces.

    'Política  de Privacidad' -> 'politica de privacidad'; Arabic 'سِياسة الخُصوصيّة' and
    'سياسة الخصوصية' normalise alike (harakat, tatweel, hamza and alef variants folded).
    """
    return " ".join(normalise_text_lines(text).split())


def normalise_many(texts: list[str]) -> list[str]:
    """`normalise_text` of each text (link labels, headings), the costly steps done once for all.

    Case folding, decomposition and the removal of marks act on each character alone (a newline
    starts no combining sequence), so they may run over the texts joined by newlines.
    """
    joined = "\n".join(texts)
    if len(texts) < 2 or joined.count("\n") != len(texts) - 1:
        return [normalise_text(t) for t in texts]
    folded = normalise_text_lines(joined)
    return [" ".join(line.split()) for line in folded.split("\n")]


def normalise_text_lines(text: str) -> str:
    """Case-fold and strip marks as `normalise_text` does, keeping spaces and newlines."""
    text = text.casefold()
    if not text.isascii():
        # Turkish and Azerbaijani dotless ı: "TOPLANTI" casefolds to "toplanti", so the
        # lowercase "toplantı" must fold alike (İ loses its dot with the other marks).
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text.replace("ı", "i")))
        if _ARABIC.search(text):
            text = text.translate(_ARABIC_FOLD)
    return text


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|[_\-.:\[\]$/]+")


def split_identifier(name: str) -> str:
    """'txtQuickSearch' / 'search_block_form' -> 'txt quick search' / 'search block form'."""
    return normalise_text(_CAMEL.sub(" ", name))
