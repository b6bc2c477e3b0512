"""(being written)"""

from __future__ import annotations

from typing import Any

PAGES: dict[str, tuple[str, str, str | None]] = {}
LABELS: dict[str, dict[str, tuple[tuple[str, str], tuple[str, str]]]] = {
    lang: {} for lang in ("en", "es", "fr", "pt", "de", "ru", "ar", "zh")}
CONTENT: dict[str, Any] = {}
DECOYS: dict[str, list[str]] = {}
