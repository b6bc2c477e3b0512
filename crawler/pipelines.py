"""The archive pipeline: every page into the crawl's WARC file, its index row into the database.

The WARC file is the safe copy: each response record carries `Losi-*` fields (depth, kind,
fetch status, referrer), so a crawl resumed after a crash re-indexes what the database lost
instead of fetching it again.
"""

from __future__ import annotations

import json
import platform
import subprocess
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

from crawler.items import LinkItem, PageItem, ProbeItem
from losi import __version__
from storage.archive import WarcArchive, archive_dir, scan_responses
from storage.db import make_engine, session_factory
from storage.models import Crawl, Link, Page, Probe

FLUSH_EVERY = 10  # rows per commit: small, so progress shows and a crash loses little
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


class ArchivePipeline:
    def __init__(self, database_url: str | None, archive_root: Path) -> None:
        self.database_url = database_url
        self.archive_root = archive_root
        self.pending = 0
        self.stored: set[tuple[str, str]] = set()  # (kind, url) already indexed

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
        crawl = self.session.get(Crawl, spider.crawl_id)
        if crawl is None:
            raise RuntimeError(f"crawl {spider.crawl_id} is not in the database")
        self.crawl = crawl
        path = Path(crawl.warc_path) if crawl.warc_path else self.archive_root / f"crawl-{crawl.id:06d}.warc.gz"
        resumed = path.exists() and path.stat().st_size > 0
        if resumed:
            self._reindex(path)
        self.archive = WarcArchive(path)
        render = spider.render_pages > 0
        self.software = software_versions(render)
        settings = {k: self.crawler.settings.get(k) for k in _SETTINGS_RECORDED}
        settings.update(max_pages=spider.max_pages, max_depth=spider.max_depth,
                        max_seconds=spider.max_seconds, max_outbound=spider.max_outbound,
                        render_pages=spider.render_pages)
        self.archive.write_warcinfo(
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
        self.session.commit()

    def _reindex(self, path: Path) -> None:
        """Index rows for responses the archive holds but the database lost (a crash between
        the WARC write and the commit)."""
        self.stored = {(k, u) for k, u in self.session.execute(
            select(Page.kind, Page.url).where(Page.crawl_id == self.crawl.id))}
        recovered = 0
        for record in scan_responses(path):
            kind = record.fields.get("Kind", "portal")
            url = record.fields.get("Url", record.url)
            if (kind, url) in self.stored or "Fetch-Status" not in record.fields:
                continue
            self.session.add(Page(
                crawl_id=self.crawl.id, url=url, final_url=record.url, kind=kind,
                fetch_status=record.fields["Fetch-Status"], http_status=record.status,
                content_type=record.content_type[:200], depth=int(record.fields.get("Depth", 0)),
                referrer=record.fields.get("Referrer", ""), warc_record_id=record.ref.record_id,
                warc_offset=record.ref.offset, warc_length=record.ref.length, sha256=record.ref.sha256,
                size=int(record.fields.get("Size", 0)) or None,
            ))
            self.stored.add((kind, url))
            recovered += 1
        self.session.commit()
        self.recovered = recovered

    def process_item(self, item: Any) -> Any:
        if isinstance(item, PageItem):
            self._store_page(item)
        elif isinstance(item, LinkItem):
            self.session.add(Link(crawl_id=self.crawl.id, from_url=item.from_url[:2000],
                                  to_url=item.to_url[:2000], text=item.text, position=item.position))
        elif isinstance(item, ProbeItem):
            self.session.add(Probe(crawl_id=self.crawl.id, name=item.name, data=item.data))
        else:
            from crawler.render import RenderItem, store_render

            if isinstance(item, RenderItem):
                store_render(self.archive, self.session, self.crawl.id, item)
        self.pending += 1
        if self.pending >= FLUSH_EVERY:
            self.session.commit()
            self.pending = 0
        return item

    def _store_page(self, item: PageItem) -> None:
        key = (item.kind, item.url)
        if key in self.stored:
            return  # a redirect that landed on a page already stored under its own URL
        self.stored.add(key)
        row = Page(
            crawl_id=self.crawl.id,
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
            target = item.final_url or item.url
            request = self.archive.write_request(target, "GET", item.request_headers)
            ref = self.archive.write_response(
                target,
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

    def spider_closed(self, spider: Any, reason: str) -> None:
        self.session.flush()
        for name, data in spider.final_probes().items():
            # A resumed crawl measures again: the newer measurement replaces the older one.
            probe = self.session.scalars(select(Probe).where(
                Probe.crawl_id == self.crawl.id, Probe.name == name)).first()
            if probe is None:
                self.session.add(Probe(crawl_id=self.crawl.id, name=name, data=data))
            else:
                probe.data = data
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        if reason == "finished":
            self.crawl.status = "finished"
        elif reason == "shutdown":
            self.crawl.status = "interrupted"  # SIGTERM/Ctrl-C: `losi crawl --resume` continues it
        else:
            self.crawl.status = "failed"
        self.crawl.stop_reason = spider.stopped_by or reason
        self.crawl.finished_at = datetime.now(timezone.utc)
        previous = self.crawl.stats or {}
        self.session.flush()
        # Counted from the index, so a resumed crawl's figures include the earlier runs.
        pages: Counter[str] = Counter()
        for kind, status, count in self.session.execute(
            select(Page.kind, Page.fetch_status, func.count()).where(Page.crawl_id == self.crawl.id)
            .group_by(Page.kind, Page.fetch_status)
        ):
            pages[status if kind == "portal" else f"outbound_{status}"] += count
        self.crawl.stats = {
            "pages": dict(pages),
            "links_out": self.session.scalar(
                select(func.count()).select_from(Link).where(Link.crawl_id == self.crawl.id)),
            "requests": int(stats.get("downloader/request_count", 0)) + int(previous.get("requests", 0)),
            "errors": int(stats.get("log_count/ERROR", 0)),
            "robots_disallowed": int(stats.get("robotstxt/forbidden", 0)),
            "trap_skips": spider.trap_skips,
            "recovered_from_warc": getattr(self, "recovered", 0),
            "seconds": round(__import__("time").monotonic() - spider.started, 2),
        }
        self.archive.write_metadata(
            f"urn:losi:crawl:{self.crawl.id}",
            {"finished": self.crawl.finished_at.isoformat(), "status": self.crawl.status,
             "stop_reason": self.crawl.stop_reason, "stats": self.crawl.stats},
        )
        self.session.commit()
        self.session.close()
        self.archive.close()
        self.engine.dispose()
