"""URL canonicalisation and crawler-trap limits.

Two URLs that show the same page must count once (session ids, tracking parameters, parameter
order), and a page that can generate links forever (calendars, endless query variants, repeating
paths) must not eat a portal's budget.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Parameters that change the URL but not the page.
_SESSION_PARAMS = re.compile(
    r"^(jsessionid|phpsessid|aspsessionid\w*|sid|sessionid|session_id|cfid|cftoken|zenid|"
    r"utm_\w+|fbclid|gclid|msclkid|mc_cid|mc_eid|_ga|yclid|ref_src)$",
    re.IGNORECASE,
)
_PATH_SESSION = re.compile(r";(jsessionid|sessionid|sid)=[^/?#]*", re.IGNORECASE)
# Parameters (and path pieces) that make a calendar: next month, next year, forever.
_CALENDAR_PARAMS = re.compile(
    r"^(month|year|day|date|week|mes|ano|anio|año|mois|annee|jour|monat|jahr|tag|mese|anno|"
    r"giorno|cal|calendar|start|end|from|to|m|y|d)$",
    re.IGNORECASE,
)
_DATE_IN_PATH = re.compile(r"/(19|20)\d\d[/-](0?[1-9]|1[0-2])([/-]\d{1,2})?(/|$)")


# Every page of a portal repeats its header, menu and footer links: most calls see a URL again.
@lru_cache(maxsize=65_536)
def canonical(url: str) -> str:
    """The one spelling of a URL we fetch and store: sorted query, no fragment, no session id."""
    parts = urlsplit(url)
    path = _PATH_SESSION.sub("", parts.path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _SESSION_PARAMS.match(k)]
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    if parts.username:
        host = f"{parts.username}@{host}"
    rebuilt = urlunsplit((parts.scheme.lower(), host, path or "/", urlencode(query), ""))
    return canonicalize_url(rebuilt)


def is_calendar_like(url: str) -> bool:
    parts = urlsplit(url)
    if _DATE_IN_PATH.search(parts.path):
        return True
    return any(_CALENDAR_PARAMS.match(k) for k, _ in parse_qsl(parts.query))


class TrapGuard:
    """Counts URL variants per path and says when one more would be a trap."""

    def __init__(self, *, max_query_variants: int = 10, max_calendar_pages: int = 3,
                 max_path_segments: int = 12, max_segment_repeats: int = 2) -> None:
        self.max_query_variants = max_query_variants
        self.max_calendar_pages = max_calendar_pages
        self.max_path_segments = max_path_segments
        self.max_segment_repeats = max_segment_repeats
        self._variants: dict[str, int] = defaultdict(int)
        self._calendar: dict[str, int] = defaultdict(int)

    def why_skip(self, url: str) -> str:
        """'' when the URL may be fetched, else the trap it would fall into (one word)."""
        parts = urlsplit(url)
        segments = [s for s in parts.path.split("/") if s]
        if len(segments) > self.max_path_segments:
            return "deep_path"
        if segments and max(segments.count(s) for s in segments) > self.max_segment_repeats:
            return "repeating_path"
        if is_calendar_like(url):
            key = f"{parts.netloc}{_DATE_IN_PATH.sub('/', parts.path)}"
            if self._calendar[key] >= self.max_calendar_pages:
                return "calendar"
            self._calendar[key] += 1
            return ""
        if parts.query:
            key = f"{parts.netloc}{parts.path}"
            if self._variants[key] >= self.max_query_variants:
                return "query_variants"
            self._variants[key] += 1
        return ""
