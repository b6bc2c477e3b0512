"""Lexicons per language, as data (one JSON file per concept: {language tag: [phrases]})."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from detectors.site import normalise_text


@lru_cache(maxsize=None)
def lexicon(name: str) -> dict[str, tuple[str, ...]]:
    data = json.loads(resources.files(__package__).joinpath(f"{name}.json").read_text("utf-8"))
    return {lang: tuple(phrases) for lang, phrases in data["phrases"].items()}


@lru_cache(maxsize=None)
def matcher(name: str) -> re.Pattern[str]:
    """One regex over every language's phrases, matched on normalised text at word boundaries."""
    phrases = sorted(
        {normalise_text(p) for ps in lexicon(name).values() for p in ps}, key=len, reverse=True
    )
    # \b does not work for CJK scripts, so phrases there match anywhere in the text.
    parts = [
        re.escape(p) if not p.isascii() and not any(c.isalpha() and c.isascii() for c in p)
        else rf"(?<!\w){re.escape(p)}(?!\w)"
        for p in phrases
    ]
    return re.compile("|".join(parts))


def languages(name: str) -> tuple[str, ...]:
    return tuple(sorted(lexicon(name)))
