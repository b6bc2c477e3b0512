"""A real Scrapy crawl that renders pages with `crawler.render` and stores them.

Run as `python -m tests.crawler.render_spider CONFIG.json` (Twisted's reactor runs once per
process, so the test starts it in a subprocess). CONFIG names the pages to render and to fetch
plain, the render timeouts, the output folder, the database URL, the WARC path and the crawl id.
Outputs, for the test to inspect: `captures.jsonl` (one line per render, PNGs beside it),
`plain.jsonl` (one line per plain fetch), `stats.json` (Scrapy's stats) and the WARC and
`renders` rows written by `store_render`.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings

from crawler.render import (
    Capture,
    RenderItem,
    capture,
    capture_failure,
    playwright_settings,
    store_render,
)


class RenderTestSpider(scrapy.Spider):
    name = "render-test"

    def __init__(self, config: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.config = config
        self.out = Path(config["out"])
        self.count = 0

    async def start(self) -> AsyncIterator[Any]:
        from crawler.render import render_request

        for url in self.config["render"]:
            yield render_request(url, callback=self.rendered, errback=self.render_failed,
                                 meta={"page_url": url}, **self.config.get("timeouts", {}))
        for url in self.config["plain"]:
            yield scrapy.Request(url, callback=self.plain, dont_filter=True)

    async def rendered(self, response: scrapy.http.Response) -> AsyncIterator[RenderItem]:
        result = await capture(response)
        yield self._record(response.meta["page_url"], result, response.meta)

    async def render_failed(self, failure: Any) -> AsyncIterator[RenderItem]:
        result = await capture_failure(failure)
        yield self._record(failure.request.meta["page_url"], result, failure.request.meta)

    def _record(self, page_url: str, result: Capture, meta: dict[str, Any]) -> RenderItem:
        self.count += 1
        files = {}
        for kind, data in (("desktop", result.desktop_png), ("mobile", result.mobile_png)):
            if data:
                path = self.out / f"{self.count}-{kind}.png"
                path.write_bytes(data)
                files[kind] = path.name
        line = {
            "page_url": page_url,
            "url": result.url,
            "error": result.error,
            "axe_version": result.axe_version,
            "axe": result.axe,
            "console_errors": list(result.console_errors),
            "timings": result.timings,
            "links": [asdict(link) for link in result.links],
            "dom_has_menu": "Apply for a permit" in result.dom_html,
            "png": files,
            "page_closed": meta["playwright_page"].is_closed() if "playwright_page" in meta else None,
        }
        with open(self.out / "captures.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line) + "\n")
        return result.to_item(page_url)

    def plain(self, response: scrapy.http.Response) -> None:
        with open(self.out / "plain.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"url": response.url, "flags": response.flags,
                                 "status": response.status, "body": response.text}) + "\n")


class StorePipeline:
    """What the archive pipeline will do with a RenderItem: store_render into a WARC + DB."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls()
        pipeline.crawler = crawler  # type: ignore[attr-defined]
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        from storage.archive import WarcArchive
        from storage.db import make_engine, session_factory

        config = self.crawler.spider.config  # type: ignore[attr-defined]
        self.engine = make_engine(config["database_url"])
        self.session = session_factory(self.engine)()
        self.archive = WarcArchive(Path(config["warc"]))
        self.crawl_id = int(config["crawl_id"])
        self.started = time.perf_counter()

    def process_item(self, item: Any) -> Any:
        if isinstance(item, RenderItem):
            store_render(self.archive, self.session, self.crawl_id, item)
        return item

    def spider_closed(self, spider: scrapy.Spider, reason: str) -> None:
        self.session.commit()
        self.session.close()
        self.archive.close()
        self.engine.dispose()
        stats = self.crawler.stats.get_stats()  # type: ignore[attr-defined]
        summary = {k: v for k, v in stats.items() if isinstance(v, (int, float, str))}
        summary["close_reason"] = reason
        (Path(spider.config["out"]) / "stats.json").write_text(  # type: ignore[attr-defined]
            json.dumps(summary, indent=1)
        )


def main(argv: list[str]) -> int:
    config = json.loads(Path(argv[0]).read_text())
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict(playwright_settings(), priority="project")
    settings.setdict(
        {
            "ITEM_PIPELINES": {"tests.crawler.render_spider.StorePipeline": 300},
            "LOSI_ALLOW_PRIVATE": True,  # the test servers are on 127.0.0.1
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "LOG_FILE": str(Path(config["out"]) / "crawl.log"),
        },
        priority="cmdline",
    )
    process = CrawlerProcess(settings, install_root_handler=True)
    process.crawl(RenderTestSpider, config=config)
    process.start()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
