"""Run crawls in this process: `python -m crawler.run CRAWL_ID [CRAWL_ID ...]`.

One Scrapy process crawls many portals at once (politeness is per host, concurrency across
hosts). The CLI starts it as a subprocess because the Twisted reactor runs once per process.
"""

from __future__ import annotations

import argparse
import os
import sys

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from storage.db import database_url, make_engine, session_factory
from storage.models import Crawl


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.run")
    parser.add_argument("crawl_ids", type=int, nargs="+")
    parser.add_argument("--database-url")
    parser.add_argument("--archive-dir")
    parser.add_argument("--log-file")
    parser.add_argument("--allow-private", action="store_true",
                        help="allow private and loopback addresses (local testing, the demo)")
    parser.add_argument("--fast", action="store_true", help="no politeness delay (local servers)")
    parser.add_argument("--resume", action="store_true", help="continue interrupted crawls")
    args = parser.parse_args(argv)

    url = database_url(args.database_url)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        crawls = [session.get(Crawl, cid) for cid in args.crawl_ids]
        missing = [cid for cid, c in zip(args.crawl_ids, crawls) if c is None]
        if missing:
            print(f"crawler: no crawl with id {missing}", file=sys.stderr)
            return 2
        jobs = [(c.id, c.seed_url, dict(c.settings)) for c in crawls if c is not None]
    engine.dispose()

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("LOSI_DATABASE_URL", url)
    if args.archive_dir:
        settings.set("LOSI_ARCHIVE_DIR", args.archive_dir)
    if args.log_file:
        settings.set("LOG_FILE", args.log_file)
    if args.allow_private:
        settings.set("LOSI_ALLOW_PRIVATE", True)
        os.environ["LOSI_ALLOW_PRIVATE"] = "1"  # read by the browser's request filter too
    if args.fast:
        settings.set("DOWNLOAD_DELAY", 0)
        settings.set("AUTOTHROTTLE_ENABLED", False)
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 16)
    if any(int(s.get("render_pages", 0)) > 0 for _, _, s in jobs):
        from crawler.render import playwright_settings

        for key, value in playwright_settings().items():
            settings.set(key, value)
    process = CrawlerProcess(settings)
    from crawler.spiders.portal import PortalSpider

    # One crawler for the whole batch: one downloader (global concurrency, politeness per
    # host) and, when rendering, one browser for every portal.
    specs = [{**{k: v for k, v in crawl_settings.items() if k not in ("allow_private", "fast")},
              "crawl_id": crawl_id, "seed_url": seed_url} for crawl_id, seed_url, crawl_settings in jobs]
    process.crawl(PortalSpider, crawls=specs, resume=args.resume)
    process.start()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
