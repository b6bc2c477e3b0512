"""An interrupted crawl continues with `--resume`: nothing fetched twice, nothing lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from losi.cli import CrawlOptions, crawl_cities
from losi.world import WorldSpec, generate, serve_world
from storage.archive import scan_responses
from storage.db import make_engine, session_scope, upgrade
from storage.models import City, Crawl, Page

# Scrapy's graceful stop lets every request already handed to the downloader finish (up to
# CONCURRENT_REQUESTS, two rounds of the 3 s latency here), and the page rows are committed about
# once a second: an interrupted first run stores some 35-80 pages, so the budget is well above that.
BUDGET = 140


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "crash"])
def test_a_resumed_crawl_fetches_nothing_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               how: signal.Signals) -> None:
    monkeypatch.setenv("LOSI_ARCHIVE_DIR", str(tmp_path / "archive"))
    url = f"sqlite:///{tmp_path / 'losi.db'}"
    engine = make_engine(url)
    upgrade(engine)
    world = generate(WorldSpec(portals=1, pages=200, latency_ms=3000, languages=("en",)))
    options = CrawlOptions(max_pages=BUDGET, max_depth=4, max_outbound=0, allow_private=True, fast=True)
    with serve_world(world) as served:
        slug = world.portals[0].slug
        with session_scope(engine) as session:
            session.add(City(id=slug, country="XWW", name="W", portal_url=served[slug], languages=["en"]))
            crawl = Crawl(city_id=slug, seed_url=served[slug], settings=options.settings())
            session.add(crawl)
            session.flush()
            crawl_id = crawl.id
        proc = subprocess.Popen(
            [sys.executable, "-m", "crawler.run", str(crawl_id), "--database-url", url,
             "--archive-dir", str(tmp_path / "archive"), "--log-file", str(tmp_path / "first.log"),
             "--allow-private", "--fast"])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with session_scope(engine) as session:
                stored = session.scalar(select(func.count()).select_from(Page).where(Page.crawl_id == crawl_id))
            if stored >= 5:
                break
            time.sleep(0.1)
        os.kill(proc.pid, how)
        proc.wait(timeout=60)
        with session_scope(engine) as session:
            interrupted = session.get(Crawl, crawl_id)
            before = session.scalar(select(func.count()).select_from(Page).where(Page.crawl_id == crawl_id))
        assert interrupted.status == ("interrupted" if how == signal.SIGTERM else "running")
        assert before < BUDGET

        [resumed_id] = crawl_cities(engine, [slug], options, resume=True)

    with session_scope(engine) as session:
        crawl = session.get(Crawl, crawl_id)
        pages = session.scalars(select(Page).where(Page.crawl_id == crawl_id)).all()
    # the budget is the portal's pages (the home page's stylesheets are assets, outside it)
    fetched = [p for p in pages if p.kind == "portal" and p.fetch_status != "robots_disallowed"]
    per_url = Counter(r.fields.get("Url") for r in scan_responses(Path(crawl.warc_path)))
    assert resumed_id == crawl_id and crawl.status == "finished"
    assert max(per_url.values()) == 1  # no page archived twice
    assert len(fetched) == BUDGET  # the budget spans both runs
    assert all(p.warc_offset is not None for p in fetched)  # every archived page is indexed


def test_a_resumed_crawl_reads_the_sitemaps_robots_txt_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopped after its robots probe was stored but before its sitemap probe (stored when the
    portal is done): the resumed crawl reads the sitemap again, or its entries are lost."""
    from storage.models import Probe

    monkeypatch.setenv("LOSI_ARCHIVE_DIR", str(tmp_path / "archive"))
    engine = make_engine(f"sqlite:///{tmp_path / 'losi.db'}")
    upgrade(engine)
    world = generate(WorldSpec(portals=1, pages=30, latency_ms=0, languages=("en",)))
    options = CrawlOptions(max_pages=30, max_depth=0, max_outbound=0, allow_private=True,
                           fast=True)
    with serve_world(world) as served:
        slug = world.portals[0].slug
        sitemap = f"{served[slug]}sitemap.xml"
        with session_scope(engine) as session:
            session.add(City(id=slug, country="XWW", name="W", portal_url=served[slug],
                             languages=["en"]))
            crawl = Crawl(city_id=slug, seed_url=served[slug], settings=options.settings(),
                          status="interrupted",
                          warc_path=str(tmp_path / "archive" / "crawl-000001.warc.gz"))
            session.add(crawl)
            session.flush()
            crawl_id = crawl.id
            session.add(Probe(crawl_id=crawl_id, name="robots",
                              data={"found": True, "status": 200, "sitemaps": [sitemap]}))
        [resumed_id] = crawl_cities(engine, [slug], options, resume=True)
    with session_scope(engine) as session:
        probes = {p.name: p.data for p in session.scalars(
            select(Probe).where(Probe.crawl_id == crawl_id))}
        depths = Counter(p.depth for p in session.scalars(
            select(Page).where(Page.crawl_id == crawl_id, Page.kind == "portal")))
        status = session.get(Crawl, crawl_id).status
    assert resumed_id == crawl_id and status == "finished"
    assert probes["sitemap"]["found"] and probes["sitemap"]["sitemaps"] == [sitemap]
    # max_depth=0: the home page's links are not followed, so every other page came from the
    # sitemap (its entries are depth 1)
    assert depths[0] == 1 and depths[1] >= 10, depths


def test_a_crawl_is_never_written_by_two_crawlers_at_once(tmp_path: Path) -> None:
    """A resume started while the crawler told to stop is still closing the crawl waits for it."""
    from crawler.run import _HELD, _hold_crawls

    lock = tmp_path / "crawl-000007.lock"
    lock.touch()
    closing = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, sys, time; f = open(sys.argv[1]); "
         "fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(2)", str(lock)],
        stdout=subprocess.PIPE)
    assert closing.stdout is not None and closing.stdout.readline() == b"held\n"
    with pytest.raises(TimeoutError, match="crawl 7 is still being written by another crawler"):
        _hold_crawls(tmp_path, [7], wait=0.3)
    started = time.monotonic()
    _hold_crawls(tmp_path, [7], wait=30)  # returns once the other process is gone
    try:
        assert time.monotonic() - started > 0.5  # the other held it for another ~2 s
        assert closing.wait(timeout=10) == 0
    finally:
        os.close(_HELD.pop())
