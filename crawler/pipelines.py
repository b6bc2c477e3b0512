"""The archive pipeline: every page into the crawl's WARC file, its index row into the database."""

from __future__ import annotations

import platform
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import scrapy
from scrapy import signals
import twisted
from scrapy.crawler import Crawler
from sqlalchemy.orm import Session

from crawler.items import PageItem, ProbeItem
from losi import __version__
from storage.archive import WarcArchive, archive_dir
from storage.db import make_engine, session_factory
from storage.models import Crawl, Page, Probe

FLUSH_EVERY = 50  # rows per commit: the WARC is the safe copy, the index follows closely


def software_versions() -> dict[str, str]:
    return {
        "losi": __version__,
        "scrapy": scrapy.__version__,
        "twisted": twisted.__version__,
        "python": platform.python_version(),
    }


class ArchivePipeline:
    def __init__(self, database_url: str | None, archive_root: Path) -> None:
        self.database_url = database_url
        self.archive_root = archive_root
        self.counts: Counter[str] = Counter()
        self.pending = 0

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
        spider = self.crawler.spider
        self.engine = make_engine(self.database_url)
        self.session: Session = session_factory(self.engine)()
        crawl = self.session.get(Crawl, spider.crawl_id)
        if crawl is None:
            raise RuntimeError(f"crawl {spider.crawl_id} is not in the database")
        self.crawl = crawl
        path = self.archive_root / f"crawl-{crawl.id:06d}.warc.gz"
        self.archive = WarcArchive(path)
        self.archive.write_warcinfo(
            {
                "software": f"losi/{__version__}",
                "format": "WARC File Format 1.1",
                "isPartOf": f"losi crawl {crawl.id} of {crawl.city_id}",
                "description": f"seed {crawl.seed_url}",
                "http-header-user-agent": self.crawler.settings.get("USER_AGENT"),
                "robots": "obey",
                **{f"version-{k}": v for k, v in software_versions().items()},
            }
        )
        crawl.warc_path = str(path.resolve())
        crawl.status = "running"
        crawl.started_at = datetime.now(timezone.utc)
        crawl.software = software_versions()
        self.session.commit()

    def process_item(self, item: Any) -> Any:
        if isinstance(item, PageItem):
            self._store_page(item)
        elif isinstance(item, ProbeItem):
            self.session.add(Probe(crawl_id=self.crawl.id, name=item.name, data=item.data))
        self.pending += 1
        if self.pending >= FLUSH_EVERY:
            self.session.commit()
            self.pending = 0
        return item

    def _store_page(self, item: PageItem) -> None:
        self.counts[item.fetch_status] += 1
        row = Page(
            crawl_id=self.crawl.id,
            url=item.url,
            final_url=item.final_url,
            fetch_status=item.fetch_status,
            http_status=item.http_status,
            content_type=item.content_type[:200],
            size=item.size,
            depth=item.depth,
            referrer=item.referrer,
            error=item.error,
        )
        if item.body is not None and item.http_status is not None:
            ref = self.archive.write_response(
                item.final_url or item.url,
                item.http_status,
                item.reason,
                item.headers,
                item.body,
                protocol=item.protocol,
            )
            row.warc_record_id = ref.record_id
            row.warc_offset = ref.offset
            row.warc_length = ref.length
            row.sha256 = ref.sha256
        self.session.add(row)

    def spider_closed(self, spider: scrapy.Spider, reason: str) -> None:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        self.crawl.status = "finished" if reason in ("finished", "closespider_pagecount") else "failed"
        self.crawl.stop_reason = reason
        self.crawl.finished_at = datetime.now(timezone.utc)
        self.crawl.stats = {
            "pages": dict(self.counts),
            "requests": int(stats.get("downloader/request_count", 0)),
            "errors": int(stats.get("log_count/ERROR", 0)),
            "robots_disallowed": int(stats.get("robotstxt/forbidden", 0)),
        }
        self.session.commit()
        self.session.close()
        self.archive.close()
        self.engine.dispose()
