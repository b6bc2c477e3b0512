"""The archive pipeline: every page into the crawl's WARC file, its index row into the database.

The WARC file is the safe copy: each response record carries `Losi-*` fields (depth, kind,
fetch status, referrer), so a crawl resumed after a crash re-indexes what the database lost
instead of fetching it again.
"""

from __future__ import annotations

import json
import platform
import subprocess
import time
from collections import Counter
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import scrapy
import twisted
from scrapy import signals
from scrapy.crawler import Crawler
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crawler.items import LinkItem, PageItem, PortalDone, ProbeItem
from losi import __version__
from storage.archive import WarcArchive, archive_dir, scan_responses
from storage.db import make_engine, session_factory
from storage.models import Crawl, Link, Page, Probe

# Commit after this many rows or this many seconds, whichever comes first: often enough for the
# progress bars and for a crash to lose little (the WARC keeps it anyway), rarely enough that
# commits do not dominate a crawl of a thousand pages a minute.
FLUSH_ROWS = 200
FLUSH_SECONDS = 1.0
_REPO = Path(__file__).resolve().parent.parent
_SETTINGS_RECORDED = (
    "USER_AGENT", "ROBOTSTXT_OBEY", "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_DELAY", "AUTOTHROTTLE_ENABLED", "DOWNLOAD_TIMEOUT", "DOWNLOAD_MAXSIZE", "RETRY_TIMES",
    "LOSI_ALLOW_PRIVATE",
)


@lru_cache(maxsize=1)
def git_commit() -> str:
    try:
        out = subprocess.run(["git", "-C", str(_REPO), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 else "unknown"


def software_versions(render: bool = False) -> dict[str, str]:
    versions = {
        "losi": __version__,
        "losi_git_commit": git_commit(),
        "scrapy": scrapy.__version__,
        "twisted": twisted.__version__,
        "python": platform.python_version(),
    }
    if render:
        from crawler.render import browser_versions

        versions.update(browser_versions())
    return versions


class CrawlArchive:
    """One crawl of the batch: its row, its WARC file, what it has indexed."""

    def __init__(self, crawl: Crawl, archive: WarcArchive, stored: set[tuple[str, str]], recovered: int) -> None:
        self.crawl = crawl
        self.archive = archive
        self.stored = stored  # (kind, url) already indexed
        self.recovered = recovered
        self.closed = False


class ArchivePipeline:
    def __init__(self, database_url: str | None, archive_root: Path) -> None:
        self.database_url = database_url
        self.archive_root = archive_root
        self.pending = 0
        self.last_commit = time.monotonic()
        self.crawls: dict[int, CrawlArchive] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        pipeline = cls(
            crawler.settings.get("LOSI_DATABASE_URL"),
            Path(crawler.settings.get("LOSI_ARCHIVE_DIR") or archive_dir()),
        )
        pipeline.crawler = crawler
        # The close reason (finished, shutdown, closespider_*) is known only in this signal.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        spider: Any = self.crawler.spider
        self.engine = make_engine(self.database_url)
        self.session: Session = session_factory(self.engine)()
        render = any(p.render_pages > 0 for p in spider.portals.values())
        self.software = software_versions(render)
        common = {k: self.crawler.settings.get(k) for k in _SETTINGS_RECORDED}
        for portal in spider.portals.values():
            crawl = self.session.get(Crawl, portal.crawl_id)
            if crawl is None:
                raise RuntimeError(f"crawl {portal.crawl_id} is not in the database")
            path = (Path(crawl.warc_path) if crawl.warc_path
                    else self.archive_root / f"crawl-{crawl.id:06d}.warc.gz")
            resumed = path.exists() and path.stat().st_size > 0
            stored, recovered = self._reindex(crawl, path) if resumed else (set(), 0)
            archive = WarcArchive(path)
            settings = {**common, "max_pages": portal.max_pages, "max_depth": portal.max_depth,
                        "max_seconds": portal.max_seconds, "max_outbound": portal.max_outbound,
                        "render_pages": portal.render_pages, "page_timeout": portal.page_timeout}
            archive.write_warcinfo(
                {
                    "software": f"losi/{__version__} (git {self.software['losi_git_commit']})",
                    "format": "WARC File Format 1.1",
                    "isPartOf": f"losi crawl {crawl.id} of {crawl.city_id}",
                    "description": f"seed {crawl.seed_url}" + (" (resumed)" if resumed else ""),
                    "http-header-user-agent": str(self.crawler.settings.get("USER_AGENT")),
                    "robots": "obey" if self.crawler.settings.getbool("ROBOTSTXT_OBEY") else "ignore",
                    "started": datetime.now(timezone.utc).isoformat(),
                    "losi-settings": json.dumps(settings, sort_keys=True, default=str),
                    **{f"version-{k}": v for k, v in self.software.items()},
                }
            )
            crawl.warc_path = str(path.resolve())
            crawl.status = "running"
            crawl.started_at = crawl.started_at or datetime.now(timezone.utc)
            crawl.software = self.software
            self.crawls[crawl.id] = CrawlArchive(crawl, archive, stored, recovered)
        self.session.commit()

    def _reindex(self, crawl: Crawl, path: Path) -> tuple[set[tuple[str, str]], int]:
        """Index rows for responses the archive holds but the database lost (a crash between
        the WARC write and the commit)."""
        stored = {(k, u) for k, u in self.session.execute(
            select(Page.kind, Page.url).where(Page.crawl_id == crawl.id))}
        recovered = 0
        for record in scan_responses(path):
            kind = record.fields.get("Kind", "portal")
            url = record.fields.get("Url", record.url)
            if (kind, url) in stored or "Fetch-Status" not in record.fields:
                continue
            self.session.add(Page(
                crawl_id=crawl.id, url=url, final_url=record.url, kind=kind,
                fetch_status=record.fields["Fetch-Status"], http_status=record.status,
                content_type=record.content_type[:200], depth=int(record.fields.get("Depth", 0)),
                referrer=record.fields.get("Referrer", ""), warc_record_id=record.ref.record_id,
                warc_offset=record.ref.offset, warc_length=record.ref.length, sha256=record.ref.sha256,
                size=int(record.fields.get("Size", 0)) or None,
            ))
            stored.add((kind, url))
            recovered += 1
        self.session.flush()
        return stored, recovered

    def process_item(self, item: Any) -> Any:
        target = self.crawls[item.crawl_id]
        if isinstance(item, PortalDone):
            self._close(target, "finished")
        elif isinstance(item, PageItem):
            self._store_page(target, item)
        elif isinstance(item, LinkItem):
            self.session.add(Link(crawl_id=item.crawl_id, from_url=item.from_url[:2000],
                                  to_url=item.to_url[:2000], text=item.text, position=item.position))
        elif isinstance(item, ProbeItem):
            self.session.add(Probe(crawl_id=item.crawl_id, name=item.name, data=item.data))
        else:
            from crawler.render import RenderItem, store_render

            if isinstance(item, RenderItem):
                store_render(target.archive, self.session, item.crawl_id, item)
        self.pending += 1
        now = time.monotonic()
        if self.pending >= FLUSH_ROWS or now - self.last_commit >= FLUSH_SECONDS:
            self.session.commit()
            self.pending, self.last_commit = 0, now
        return item

    def _store_page(self, target: CrawlArchive, item: PageItem) -> None:
        key = (item.kind, item.url)
        if key in target.stored:
            return  # a redirect that landed on a page already stored under its own URL
        target.stored.add(key)
        row = Page(
            crawl_id=item.crawl_id,
            url=item.url,
            final_url=item.final_url,
            kind=item.kind,
            fetch_status=item.fetch_status,
            http_status=item.http_status,
            content_type=item.content_type[:200],
            size=item.size,
            depth=item.depth,
            referrer=item.referrer[:2000],
            error=item.error,
        )
        if item.body is not None and item.http_status is not None:
            url = item.final_url or item.url
            request = target.archive.write_request(url, "GET", item.request_headers)
            ref = target.archive.write_response(
                url,
                item.http_status,
                item.reason,
                item.headers,
                item.body,
                protocol=item.protocol,
                concurrent_to=request.record_id,
                extra={"Url": item.url, "Kind": item.kind, "Depth": str(item.depth),
                       "Fetch-Status": item.fetch_status, "Referrer": item.referrer[:2000],
                       "Size": str(item.size or 0)},
            )
            row.warc_record_id = ref.record_id
            row.warc_offset = ref.offset
            row.warc_length = ref.length
            row.sha256 = ref.sha256
        self.session.add(row)

    def _close(self, target: CrawlArchive, reason: str) -> None:
        """Close one crawl: final probes, status, stats, the closing metadata record."""
        if target.closed:
            return
        target.closed = True
        spider: Any = self.crawler.spider
        portal = spider.portals[target.crawl.id]
        crawl = target.crawl
        self.session.flush()
        for name, data in portal.final_probes().items():
            # A resumed crawl measures again: the newer measurement replaces the older one.
            probe = self.session.scalars(select(Probe).where(
                Probe.crawl_id == crawl.id, Probe.name == name)).first()
            if probe is None:
                self.session.add(Probe(crawl_id=crawl.id, name=name, data=data))
            else:
                probe.data = data
        if reason == "finished":
            crawl.status = "finished"
        elif reason == "shutdown":
            crawl.status = "interrupted"  # SIGTERM/Ctrl-C: `losi crawl --resume` continues it
        else:
            crawl.status = "failed"
        crawl.stop_reason = portal.stopped_by or reason
        crawl.finished_at = datetime.now(timezone.utc)
        self.session.flush()
        # Counted from the index, so a resumed crawl's figures include the earlier runs.
        pages: Counter[str] = Counter()
        for kind, status, count in self.session.execute(
            select(Page.kind, Page.fetch_status, func.count()).where(Page.crawl_id == crawl.id)
            .group_by(Page.kind, Page.fetch_status)
        ):
            pages[status if kind == "portal" else f"{kind}_{status}"] += count
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        crawl.stats = {
            "pages": dict(pages),
            "links_out": self.session.scalar(
                select(func.count()).select_from(Link).where(Link.crawl_id == crawl.id)),
            "trap_skips": portal.trap_skips,
            "recovered_from_warc": target.recovered,
            "seconds": round(time.monotonic() - portal.started, 2),
            # Process-wide: the batch shares one crawler, so these count every portal of it.
            "batch_errors": int(stats.get("log_count/ERROR", 0)),
        }
        target.archive.write_metadata(
            f"urn:losi:crawl:{crawl.id}",
            {"finished": crawl.finished_at.isoformat(), "status": crawl.status,
             "stop_reason": crawl.stop_reason, "stats": crawl.stats},
        )
        target.archive.close()
        self.session.commit()

    def spider_closed(self, spider: Any, reason: str) -> None:
        for target in self.crawls.values():
            self._close(target, reason)
        self.session.commit()
        self.session.close()
        self.engine.dispose()
