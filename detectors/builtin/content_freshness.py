"""content-freshness: how recent the newest dated item on the portal is (the 2023 LOSI
workshop's 'frequent content updates'; context for #295 events and #296 news)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from detectors.lexicons import lexicon
from detectors.site import ParsedPage, Site
from losi.types import DetectorMeta, Evidence, Finding, Outcome

RECENT_DAYS = 31  # a portal updated within a month is updated frequently
STALE_DAYS = 92  # a quarter: still present, at lower confidence
ABSENT_DAYS = 183  # half a year without a dated item: no frequent updates
MAX_PAGES = 8  # pages read in the crawl's order (home first); the first recent item stops the reading
# Past those, the pages that hold dated items are read all the same, wherever the crawl's order
# (depth, then address) put them: a news or events list and its items, up to this many more.
MAX_NEWS_PAGES = 12
_NEWS_PAGE = re.compile(
    r"/(news|newsroom|news-?releases|press-?releases|press-?room|noticias|noticia|actualites|"
    r"actualite|actus|nachrichten|aktuelles|aktuell|pressemitteilungen|notizie|novita|imprensa|"
    r"novedades|novosti|berita|haberler|duyurular|xinwen|xwzx|xwdt|zxdt|tzgg|akhbar|"
    r"events?|event-?calendar|agenda|eventos|evenements|veranstaltungen|eventi|afisha|sobytiya|"
    r"meropriyatiya|acara|etkinlikler|huodong|fa-?aliyat)(/|\.|-|_|\?|$)")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９", "0123456789" * 3)


@dataclass(frozen=True)
class Dated:
    day: date
    page_url: str
    record_id: str
    text: str
    locator: str
    source: str  # "text", "<time>", "meta", "schema.org"


@lru_cache(maxsize=1)
def _month_table() -> tuple[dict[str, int], re.Pattern[str], re.Pattern[str]]:
    """Month names of every language (lexicon `months`) -> month number, and the two
    word-date patterns built from them: day-month-year and month-day-year."""
    table: dict[str, int] = {}
    for names in lexicon("months").values():
        for n, alternatives in enumerate(names, start=1):
            for name in alternatives.split("|"):
                table.setdefault(name.casefold(), n)
    alts = "|".join(re.escape(n) for n in sorted(table, key=len, reverse=True))
    # No \b around the names: Thai and CJK are written without spaces; the digits around a
    # month name are the boundary.
    dmy = re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th|er|º|°|\.)?\s*(?:de\s+|of\s+)?"
                     rf"({alts})\.?,?\s*(?:de\s+|del\s+)?((?:19|20)\d\d)(?!\d)")
    # Month-day-year ('March 12, 2024') is found by its digits first (a scan that starts with a
    # 300-name alternation at every position costs ten times more), then the month before them.
    mdy = re.compile(rf"(?:^|(?<=\W))({alts})\.?\s+$")
    return table, dmy, mdy


_ISO = re.compile(r"(?<!\d)((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-]((?:19|20)\d\d)(?!\d)")
_DAY_YEAR = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)(?!\d)")
_CJK = re.compile(r"((?:19|20)\d\d)\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?")


def _day(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_dates(text: str, month_first: bool = False) -> list[tuple[date, int, int]]:
    """Every full date written in a text, with its span: ISO and numeric forms, CJK forms
    (2024年3月12日, 2024년 3월 12일) and month names in twenty languages. Ambiguous numeric
    dates (03/04/2024) are read day first unless `month_first` (US English)."""
    text = text.translate(_DIGITS).casefold()
    table, dmy, mdy = _month_table()
    found: list[tuple[date, int, int]] = []
    for m in _ISO.finditer(text):
        if (d := _day(int(m[1]), int(m[2]), int(m[3]))) is not None:
            found.append((d, m.start(), m.end()))
    for m in _CJK.finditer(text):
        if (d := _day(int(m[1]), int(m[2]), int(m[3]))) is not None:
            found.append((d, m.start(), m.end()))
    for m in _NUMERIC.finditer(text):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        day, month = (b, a) if (month_first and b <= 31 and a <= 12) or a > 31 else (a, b)
        if month > 12 and day <= 12:
            day, month = month, day
        if (d := _day(y, month, day)) is not None:
            found.append((d, m.start(), m.end()))
    for m in dmy.finditer(text):
        if (d := _day(int(m[3]), table[m[2]], int(m[1]))) is not None:
            found.append((d, m.start(), m.end()))
    for m in _DAY_YEAR.finditer(text):
        before = mdy.search(text, max(0, m.start() - 24), m.start())
        if before is not None and (d := _day(int(m[2]), table[before[1]], int(m[1]))) is not None:
            found.append((d, before.start(), m.end()))
    return found


def _as_date(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) < 8:
        return None
    m = _ISO.search(value.translate(_DIGITS))
    return _day(int(m[1]), int(m[2]), int(m[3])) if m else None


def page_dates(page: ParsedPage) -> list[Dated]:
    """The dated items of a page: <time datetime>, publication meta tags, schema.org dates,
    and dates written in the visible text."""
    out: list[Dated] = []
    for el in page.tree.iter("time"):
        d = _as_date(el.get("datetime") or el.text_content())
        if d is not None:
            out.append(Dated(d, page.url, page.record_id, " ".join(el.text_content().split())
                             or el.get("datetime", ""), page.xpath(el), "<time>"))
    for meta in page.metas:
        if meta.key in ("article:published_time", "article:modified_time", "og:updated_time",
                        "date", "dc.date", "dcterms.modified", "last-modified"):
            d = _as_date(meta.content)
            if d is not None:
                out.append(Dated(d, page.url, page.record_id, meta.content, meta.locator, "meta"))
    if "datePublished" in page.html or "dateModified" in page.html or "startDate" in page.html:
        for syntax, kind, item in page.schema_types:
            for key in ("datePublished", "dateModified", "startDate"):
                d = _as_date(item.get(key))
                if d is not None:
                    out.append(Dated(d, page.url, page.record_id, f"{kind} {key} {item.get(key)}",
                                     syntax, "schema.org"))
    month_first = page.declared_language.lower() in ("en-us", "en_us")
    text = page.text
    for d, start, end in parse_dates(text, month_first):
        snippet = text[max(0, start - 60): end + 60].strip()
        out.append(Dated(d, page.url, page.record_id, snippet, "", "text"))
    return out


def reference_date(site: Site) -> tuple[date | None, str]:
    """The date the crawl saw the portal: the crawl's start, else the home page's HTTP Date."""
    if site.crawled_at is not None:
        return site.crawled_at.date(), "the crawl's date"
    if site.home is not None and site.home.is_html:
        value = site.parse(site.home).header("date")
        if value:
            try:
                return parsedate_to_datetime(value).date(), "the home page's HTTP Date header"
            except (TypeError, ValueError):
                pass
    return None, ""


class _Scan:
    def __init__(self, detector: ContentFreshness, site: Site) -> None:
        self.detector = detector
        self.site = site
        self.reference, self.reference_source = reference_date(site)
        self.items: list[Dated] = []
        self.pages = 0
        self.news_pages = 0  # read past MAX_PAGES because they hold news or events
        self.done = False

    def _extra(self, address: str) -> bool:
        """Past the first pages: a news or events page, while that budget lasts."""
        return self.news_pages < MAX_NEWS_PAGES and _NEWS_PAGE.search(
            urlsplit(address).path.lower()) is not None

    def wants(self, artifact: Any) -> bool:
        """Whether `feed` would read this page (the runner parses no page that no scan wants)."""
        if self.done or artifact.outbound:
            return False
        return self.pages < MAX_PAGES or self._extra(artifact.address)

    def feed(self, page: ParsedPage) -> bool:
        if self.done or page.artifact.outbound:
            return self.done
        if self.pages >= MAX_PAGES:
            if not self._extra(page.artifact.address):
                return False
            self.news_pages += 1
        else:
            self.pages += 1
        ref = self.reference
        for item in page_dates(page):
            if item.day.year < 1995:
                continue
            if ref is not None and (item.day - ref).days > 1:
                continue  # an upcoming event or a typo: not an update
            self.items.append(item)
        newest = max((i.day for i in self.items), default=None)
        if self.news_pages >= MAX_NEWS_PAGES or (ref is not None and newest is not None
                                                 and (ref - newest).days <= RECENT_DAYS):
            self.done = True
        return self.done

    def finish(self) -> Finding:
        ref, items = self.reference, self.items
        details: dict[str, Any] = {"pages_examined": self.pages + self.news_pages,
                                   "dated_items": len(items),
                                   "reference": ref.isoformat() if ref else None,
                                   "reference_source": self.reference_source}
        if not items:
            return Finding(Outcome.NEEDS_REVIEW, 0.0, reason=(
                f"no dated item on the {self.pages + self.news_pages} page(s) read (dates may be drawn by "
                "scripts): check the news or events section by hand"), details=details)
        newest = max(items, key=lambda i: (i.day, i.source != "text"))
        evidence = (Evidence(page_url=newest.page_url, record_id=newest.record_id,
                             locator=newest.locator, text=newest.text[:200],
                             explanation=f"the newest dated item: {newest.day.isoformat()} "
                                         f"({newest.source})"),)
        details["newest"] = newest.day.isoformat()
        if ref is None:
            return Finding(Outcome.NEEDS_REVIEW, 0.3, evidence, reason=(
                f"newest dated item {newest.day.isoformat()}, but the crawl's date is unknown, "
                "so its age cannot be measured"), details=details)
        age = (ref - newest.day).days
        details["age_days"] = age
        said = f"the newest dated item is {max(age, 0)} day(s) old on {ref.isoformat()}"
        if age <= RECENT_DAYS:
            return Finding(Outcome.PRESENT, 0.85, evidence, reason=said, details=details)
        if age <= STALE_DAYS:
            return Finding(Outcome.PRESENT, 0.6, evidence, reason=said, details=details)
        if age > ABSENT_DAYS and len(items) >= 3:
            return Finding(Outcome.ABSENT, 0.7, evidence, reason=said, details=details)
        return Finding(Outcome.NEEDS_REVIEW, 0.4, evidence, reason=(
            f"{said}: neither clearly frequent nor clearly stale"),
            details={**details, "leaning": "absent"})


class ContentFreshness:
    meta = DetectorMeta(
        id="content-freshness",
        title="Frequent content updates",
        description=(
            "The 2023 LOSI workshop proposed 'frequent content updates': the newest dated item "
            "on the portal (news, events, notices: <time> elements, publication meta tags, "
            "schema.org dates, and dates written in the text, parsed in twenty languages from "
            "the `months` lexicon) and its age on the day of the crawl. It reads the first "
            "eight pages in the crawl's order, then up to twelve news and events pages wherever "
            "they are, and stops at the first recent item. Within 31 days: "
            "present; within 92: present at lower confidence; over 183 with at least three "
            "dated items: absent; otherwise a person checks. Future dates (upcoming events) "
            "are not updates."
        ),
        requires=("home",),
        version=2,
    )

    def begin(self, site: Site) -> _Scan:
        return _Scan(self, site)

    def detect(self, site: Site) -> Finding:
        scan = self.begin(site)
        for page in site.html_pages():
            if scan.feed(page):
                break
        return scan.finish()

