"""Reading evidence back from the WARC archive for the review app: archived pages and screenshots.

Nothing read here is ever put into the app's own pages: archived HTML goes out only through the
sandboxed route (see `app.ARCHIVE_CSP`), images only as images.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, defer
from w3lib.url import canonicalize_url
from warcio.archiveiterator import ArchiveIterator

from storage.models import Crawl, Page, Render

IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp")


@dataclass(frozen=True)
class Record:
    rec_type: str
    url: str
    content_type: str
    body: bytes


@lru_cache(maxsize=32)
def _offsets(path: str, size: int, mtime: float) -> dict[str, int]:
    """Record id -> offset, by one scan of the file; size and mtime key the cache so a WARC that
    grew (a resumed crawl) is scanned again."""
    offsets: dict[str, int] = {}
    with open(path, "rb") as fh:
        it = ArchiveIterator(fh)
        for record in it:
            offsets[record.rec_headers.get_header("WARC-Record-ID") or ""] = it.get_record_offset()
    return offsets


def record_offset(warc: Path, record_id: str) -> int | None:
    try:
        st = os.stat(warc)
    except OSError:
        return None
    return _offsets(str(warc), st.st_size, st.st_mtime).get(record_id)


def read_record(warc: Path, offset: int) -> Record:
    with open(warc, "rb") as fh:
        fh.seek(offset)
        for record in ArchiveIterator(fh):
            if record.http_headers is not None and record.rec_type == "response":
                ctype = record.http_headers.get_header("Content-Type") or ""
            else:
                ctype = record.rec_headers.get_header("Content-Type") or ""
            return Record(record.rec_type, record.rec_headers.get_header("WARC-Target-URI") or "",
                          ctype, record.content_stream().read())
    raise LookupError(f"{warc}: no WARC record at offset {offset}")


def find_record(session: Session, crawl: Crawl, record_id: str) -> Record | None:
    """A record of this crawl's archive by its id: through the pages index when it is a page,
    else by scanning the file once (renders store ids, not offsets)."""
    if not crawl.warc_path or not record_id:
        return None
    warc = Path(crawl.warc_path)
    offset = session.scalar(select(Page.warc_offset).where(
        Page.crawl_id == crawl.id, Page.warc_record_id == record_id))
    if offset is None:
        offset = record_offset(warc, record_id)
    if offset is None:
        return None
    try:
        return read_record(warc, offset)
    except (OSError, LookupError):
        return None


def page_for(session: Session, crawl_id: int, evidence: dict[str, Any]) -> Page | None:
    """The archived page an evidence row points at (by record id, else by URL)."""
    rid = str(evidence.get("record_id") or "")
    if rid:
        page = session.scalar(select(Page).where(Page.crawl_id == crawl_id, Page.warc_record_id == rid))
        if page is not None:
            return page
    url = str(evidence.get("page_url") or "")
    if not url:
        return None
    return session.scalar(select(Page).where(
        Page.crawl_id == crawl_id, or_(Page.url == url, Page.final_url == url),
        Page.warc_record_id != "").limit(1))


def pages_for(session: Session, crawl_id: int,
              evidence: list[dict[str, Any]]) -> list[Page | None]:
    """`page_for` of every evidence row of an item, in two queries rather than two per row."""
    rids = {str(e.get("record_id") or "") for e in evidence} - {""}
    by_rid: dict[str, Page] = {}
    if rids:
        by_rid = {p.warc_record_id: p for p in session.scalars(select(Page).where(
            Page.crawl_id == crawl_id, Page.warc_record_id.in_(rids)))}
    urls = {str(e.get("page_url") or "") for e in evidence
            if str(e.get("record_id") or "") not in by_rid} - {""}
    by_url: dict[str, Page] = {}
    if urls:
        for p in session.scalars(select(Page).where(
                Page.crawl_id == crawl_id, or_(Page.url.in_(urls), Page.final_url.in_(urls)),
                Page.warc_record_id != "").order_by(Page.id)):
            for url in (p.url, p.final_url):
                if url in urls:
                    by_url.setdefault(url, p)
    return [by_rid.get(str(e.get("record_id") or "")) or by_url.get(str(e.get("page_url") or ""))
            for e in evidence]


def render_for(session: Session, crawl_id: int, url: str) -> Render | None:
    if not url:
        return None
    return renders_of(session, crawl_id).get(url)


def renders_of(session: Session, crawl_id: int) -> dict[str, Render]:
    """The crawl's renders with a desktop screenshot, by page URL and by final URL: one query for
    every evidence row of an item (the axe results, the largest column, are not read)."""
    rows = session.scalars(select(Render).where(Render.crawl_id == crawl_id,
                                                Render.screenshot_desktop_record_id != "")
                           .options(defer(Render.axe_results), defer(Render.console_errors))
                           .order_by(Render.id))
    out: dict[str, Render] = {}
    for row in rows:
        final = str((row.timings or {}).get("final_url") or "")
        for url in (row.page_url, final):
            if url:
                out.setdefault(url, row)
    return out


# ---- the element an evidence row points at, outlined on the desktop screenshot ------------------

_TARGET_RE = re.compile(r"->\s*(https?://\S+)")
_LAST_STEP_RE = re.compile(r"/([A-Za-z][A-Za-z0-9]*)(?:\[\d+\])?$")
_LINK_TAGS = ("a", "area")


@dataclass(frozen=True)
class Outline:
    """Where to draw the box over the desktop screenshot, in percent of the screenshot's width
    and height (so it scales with the image), and what matched."""

    left: float
    top: float
    width: float
    height: float
    tag: str
    matched: str  # "URL and text", "text", ...

    @property
    def css(self) -> str:
        return (f"left:{self.left:.4f}%;top:{self.top:.4f}%;"
                f"width:{self.width:.4f}%;height:{self.height:.4f}%")


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _canon(url: str) -> str:
    try:
        return canonicalize_url(url.strip())
    except ValueError:
        return url.strip()


def _text_match(seen: str, element: str) -> int:
    """The evidence's text (a link's label, cut at 160 characters with "…") against the text
    the browser rendered: 2 when equal, 1 when one starts the other (a label adds the title or
    aria-label after the text; a cut text is a prefix), else 0."""
    seen, element = _norm(seen).removesuffix("…"), _norm(element)
    if not seen or not element:
        return 0
    if seen == element:
        return 2
    shorter, longer = sorted((seen, element), key=len)
    return 1 if len(shorter) >= 4 and longer.startswith(shorter) else 0


def match_element(elements: list[dict[str, Any]], evidence: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
    """The rendered element an evidence row points at, and what matched: a link by its target
    URL (canonical) and/or its text, a heading by its text, a form or field by its XPath (the
    locator, when the rendered DOM kept the archived page's structure) or a form by its action.
    The best match wins (URL, text and XPath each count); ties go to the first in the page."""
    locator = str(evidence.get("locator") or "")
    text = str(evidence.get("text") or "")
    found = _TARGET_RE.search(str(evidence.get("explanation") or ""))
    target = _canon(found.group(1)) if found else ""
    step = _LAST_STEP_RE.search(locator)
    tag = step.group(1).lower() if step else ("a" if target else "")
    if not tag:
        return None
    best: tuple[int, dict[str, Any], str] | None = None
    for el in elements:
        el_tag = str(el.get("tag") or "")
        if el_tag != tag and not (tag in _LINK_TAGS and el_tag in _LINK_TAGS):
            continue
        by_url = bool(target) and bool(el.get("url")) and _canon(str(el["url"])) == target
        by_text = _text_match(text, str(el.get("text") or ""))
        by_xpath = bool(locator) and el.get("xpath") == locator
        if tag in _LINK_TAGS or tag[0] == "h":
            # A link or heading must show its URL or words: an XPath alone may name another
            # element once scripts have changed the page.
            if not (by_url or by_text):
                continue
        elif not (by_xpath or by_url):
            continue
        score = 8 * by_url + 2 * by_text + by_xpath  # equal text beats a prefix and an XPath
        if best is None or score > best[0]:
            what = " and ".join(w for w, ok in (("URL", by_url), ("text", by_text),
                                                ("place in the page", by_xpath)) if ok)
            best = (score, el, what)
    return (best[1], best[2]) if best else None


def outline_for(render: Render | None, evidence: dict[str, Any]) -> Outline | None:
    """The outline of the evidence's element over the render's desktop screenshot, or None: no
    boxes stored (renders made before the crawler recorded them), boxes measured in another
    viewport than the screenshot's, no matching element, or an element below the cut."""
    if render is None:
        return None
    timings = render.timings or {}
    boxes = timings.get("boxes") or {}
    layout = (timings.get("layout") or {}).get("desktop") or {}
    try:
        width = float(layout["viewport"][0])
        height = float(layout["screenshot_height"])
        measured = float(boxes["viewport"][0])
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    if width <= 0 or height <= 0 or measured != width:
        return None
    found = match_element(list(boxes.get("elements") or []), evidence)
    if found is None:
        return None
    el, what = found
    try:
        x, y, w, h = (float(v) for v in el["box"][:4])
    except (KeyError, TypeError, ValueError):
        return None
    left, top = max(x, 0.0), max(y, 0.0)
    right, bottom = min(x + w, width), min(y + h, height)  # cut as the screenshot is
    if right <= left or bottom <= top:
        return None
    return Outline(left / width * 100, top / height * 100, (right - left) / width * 100,
                   (bottom - top) / height * 100, str(el.get("tag") or ""), what)
