"""Run crawls in this process: `python -m crawler.run CRAWL_ID [CRAWL_ID ...]`.

One Scrapy process crawls many portals at once (politeness is per host, concurrency across
hosts). The CLI starts it as a subprocess because the Twisted reactor runs once per process.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from storage.archive import archive_dir
from storage.db import database_url, make_engine, session_factory
from storage.models import Crawl


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.run")
    parser.add_argument("crawl_ids", type=int, nargs="*")
    parser.add_argument("--database-url")
    parser.add_argument("--archive-dir")
    parser.add_argument("--log-file")
    parser.add_argument("--allow-private", action="store_true",
                        help="allow private and loopback addresses (local testing, the demo)")
    parser.add_argument("--fast", action="store_true", help="no politeness delay (local servers)")
    parser.add_argument("--resume", action="store_true", help="continue interrupted crawls")
    parser.add_argument("--redis", metavar="URL",
                        help="join the cluster at this Redis: a shared frontier and portal state "
                             "(crawler/distributed.py); CRAWL_IDs given are registered first")
    parser.add_argument("--redis-prefix", help="the cluster's key prefix (default: LOSI_REDIS_PREFIX or losi)")
    args = parser.parse_args(argv)
    if not args.crawl_ids and not args.redis:
        parser.error("give CRAWL_ID ... (or --redis URL to join the crawls of a cluster)")
    if args.redis and args.resume:
        parser.error("--resume is for single-process crawls: a cluster's frontier survives a worker")

    if os.environ.get("LOSI_DIE_WITH_PARENT") == "1":
        _die_with_parent()
    url = database_url(args.database_url)
    if args.redis:
        return _join_cluster(args, url)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        crawls = [session.get(Crawl, cid) for cid in args.crawl_ids]
        missing = [cid for cid, c in zip(args.crawl_ids, crawls) if c is None]
        if missing:
            print(f"crawler: no crawl with id {missing}", file=sys.stderr)
            return 2
        jobs = [(c.id, c.seed_url, dict(c.settings)) for c in crawls if c is not None]
    engine.dispose()

    root = Path(args.archive_dir).resolve() if args.archive_dir else archive_dir()
    try:
        _hold_crawls(root, [cid for cid, _, _ in jobs])
    except TimeoutError as exc:
        print(f"crawler: {exc}", file=sys.stderr)
        return 2
    settings = _settings(args, url, jobs)
    return _run(settings, jobs, resume=args.resume)


_HELD: list[int] = []  # lock files' descriptors, open for the life of the process
LOCK_WAIT_SECONDS = 300.0


def _hold_crawls(root: Path, crawl_ids: list[int], wait: float = LOCK_WAIT_SECONDS) -> None:
    """Hold an exclusive lock on each crawl's `crawl-NNNNNN.lock` beside its WARC for as long as
    this process lives (the kernel lets go when it dies, however it dies).

    A crawl is resumed while the process that was told to stop it may still be closing it (a
    graceful stop lets the requests in flight finish, then writes the crawl's last rows): two
    writers of one WARC and one crawl row would corrupt both. The second crawler waits here for
    the first to be gone."""
    import fcntl

    root.mkdir(parents=True, exist_ok=True)
    for crawl_id in crawl_ids:
        fd = os.open(root / f"crawl-{crawl_id:06d}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise TimeoutError(f"crawl {crawl_id} is still being written by another crawler "
                                       f"after {wait:.0f} s; not starting a second one") from None
                if not told:
                    print(f"crawler: waiting for the crawler still closing crawl {crawl_id}",
                          file=sys.stderr)
                    told = True
                time.sleep(0.2)
        _HELD.append(fd)


def _die_with_parent() -> None:
    """Linux: SIGTERM this crawler when the process that started it dies (the scheduler sets
    LOSI_DIE_WITH_PARENT), so a killed scheduler leaves an interrupted crawl to resume, never an
    orphan crawler racing the run that takes over."""
    import ctypes
    import signal

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _settings(args: argparse.Namespace, url: str, jobs: list[tuple[int, str, dict]]) -> Settings:  # type: ignore[type-arg]
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
    rendering = [s for _, _, s in jobs if int(s.get("render_pages", 0)) > 0]
    engines = {str(s.get("render_engine") or "playwright") for s in rendering}
    if len(engines) > 1:
        raise SystemExit(f"crawler: one process renders with one engine; these crawls ask for "
                         f"{' and '.join(sorted(engines))}: run them separately")
    if engines == {"selenium"}:
        from crawler.render_selenium import apply_settings

        apply_settings(settings, str(rendering[0].get("selenium_url") or ""))
    elif rendering:
        from crawler.render import playwright_settings

        for key, value in playwright_settings().items():
            settings.set(key, value)
        # Playwright's driver (node) keeps screenshots and results it has passed on until its
        # heap is full: a small heap makes it collect early (peak PSS of a 10-portal crawl with
        # renders: 1152 MB, 1089 MB with this; same renders, same CPU). Screenshots are Buffers,
        # outside this heap. Set NODE_OPTIONS to choose otherwise.
        os.environ.setdefault("NODE_OPTIONS", "--max-old-space-size=64 --max-semi-space-size=2")
    return settings


def _join_cluster(args: argparse.Namespace, url: str) -> int:
    """The Redis mode: register the crawls named (if any), then crawl the cluster's active
    crawls with the other workers until none is left."""
    from crawler.distributed import Cluster, RedisUnavailable, configure, redis_prefix

    prefix = redis_prefix(args.redis_prefix)
    try:
        cluster = Cluster.connect(args.redis, prefix)
    except RedisUnavailable as exc:
        print(f"crawler: {exc}", file=sys.stderr)
        return 2
    if args.crawl_ids:
        engine = make_engine(url)
        with session_factory(engine)() as session:
            crawls = [session.get(Crawl, cid) for cid in args.crawl_ids]
            missing = [cid for cid, c in zip(args.crawl_ids, crawls) if c is None]
            if missing:
                print(f"crawler: no crawl with id {missing}", file=sys.stderr)
                return 2
            cluster.register(_spec(c.id, c.seed_url, dict(c.settings)) for c in crawls if c is not None)
        engine.dispose()
    specs = [s for s in cluster.specs() if int(s["crawl_id"]) in set(cluster.active_ids())]
    if not specs:
        print(f"crawler: no active crawl in the cluster {prefix!r} at {args.redis}", file=sys.stderr)
        return 0
    # Every worker of a cluster runs with the same flags (allow_private and fast come with the
    # crawls' settings, so a worker joining later gets them too).
    args.allow_private = args.allow_private or any(s.get("_allow_private") for s in specs)
    args.fast = args.fast or any(s.get("_fast") for s in specs)
    jobs = [(int(s["crawl_id"]), s["seed_url"], s) for s in specs]
    settings = _settings(args, url, jobs)
    settings.set("LOSI_REDIS_URL", args.redis)
    settings.set("LOSI_REDIS_PREFIX", prefix)
    configure(settings)
    process = CrawlerProcess(settings)
    from crawler.spiders.portal import PortalSpider

    process.crawl(PortalSpider, crawls=specs, redis=args.redis, redis_prefix=prefix)
    process.start()
    return 0


def _spec(crawl_id: int, seed_url: str, crawl_settings: dict) -> dict:  # type: ignore[type-arg]
    spec = {k: v for k, v in crawl_settings.items() if k not in ("allow_private", "fast")}
    spec.update({"crawl_id": crawl_id, "seed_url": seed_url,
                 "_allow_private": bool(crawl_settings.get("allow_private")),
                 "_fast": bool(crawl_settings.get("fast"))})
    return spec


def _run(settings: Settings, jobs: list[tuple[int, str, dict]], *, resume: bool) -> int:  # type: ignore[type-arg]
    process = CrawlerProcess(settings)
    from crawler.spiders.portal import PortalSpider

    # One crawler for the whole batch: one downloader (global concurrency, politeness per
    # host) and, when rendering, one browser for every portal.
    specs = [{**{k: v for k, v in crawl_settings.items() if k not in ("allow_private", "fast")},
              "crawl_id": crawl_id, "seed_url": seed_url} for crawl_id, seed_url, crawl_settings in jobs]
    process.crawl(PortalSpider, crawls=specs, resume=resume)
    process.start()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
