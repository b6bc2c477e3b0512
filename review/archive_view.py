"""Reading evidence back from the WARC archive for the review app: archived pages and screenshots.

Nothing read here is ever put into the app's own pages: archived HTML goes out only through the
sandboxed route (see `app.ARCHIVE_CSP`), images only as images.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
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


def render_for(session: Session, crawl_id: int, url: str) -> Render | None:
    if not url:
        return None
    rows = session.scalars(select(Render).where(Render.crawl_id == crawl_id,
                                                Render.screenshot_desktop_record_id != ""))
    for row in rows:
        if row.page_url == url or row.timings.get("final_url") == url:
            return row
    return None
