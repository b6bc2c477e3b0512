"""Two crawler processes share one crawl through Redis (scrapy-redis) and one index in
PostgreSQL, against the test world on 127.0.0.1: every page fetched once, none lost when a
worker is killed, and the same proposals as a single-process crawl of the same world."""

from __future__ import annotations

import dataclasses
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from losi.cli import CrawlOptions, _methodology, crawl_cities, detect_crawls
from losi.cluster import start_crawls
from losi.world import WorldSpec, generate, serve_world
from storage.archive import read_response
from storage.db import make_engine, session_scope, upgrade
from storage.models import City, Crawl, Page, ProposalRow

OPTIONS = CrawlOptions(max_pages=100, max_depth=6, max_outbound=0, allow_private=True, fast=True)


class Hits:
    """Counts the requests each portal of a served world answers, by path."""

    def __init__(self, world: Any) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()
        for portal in world.portals:
            resolve = portal.resolve

            def counting(path: str, _resolve: Any = resolve, _slug: str = portal.slug) -> Any:
                self.counts[(_slug, path)] += 1
                return _resolve(path)

            portal.resolve = counting

    def pages(self) -> Counter[tuple[str, str]]:
        """Page fetches: robots.txt is read by every worker's robots middleware, by design."""
        return Counter({k: v for k, v in self.counts.items() if k[1] != "/robots.txt"})


def _cities(engine: Engine, world: Any, served: Any) -> list[str]:
    with session_scope(engine) as session:
        for p in world.portals:
            session.add(City(id=p.slug, country="XWW", name=p.name, portal_url=served[p.slug],
                             languages=[p.language]))
    return [p.slug for p in world.portals]


def _worker(db_url: str, redis_url: str, prefix: str, archive: Path, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "crawler.run", "--database-url", db_url,
                             "--archive-dir", str(archive), "--log-file", str(log),
                             "--redis", redis_url, "--redis-prefix", prefix])


def _pages(engine: Engine) -> dict[str, set[tuple[str, str]]]:
    with session_scope(engine) as session:
        cities = {c.id: c.city_id for c in session.scalars(select(Crawl))}
        out: dict[str, set[tuple[str, str]]] = {}
        for p in session.scalars(select(Page)):
            out.setdefault(cities[p.crawl_id], set()).add((p.url, p.fetch_status))
    return out


def _proposals(engine: Engine) -> dict[tuple[str, str], tuple[Any, ...]]:
    """(city, indicator) -> outcome and detector.

    Which page a detector quotes, and so its evidence and sometimes its confidence, follows the
    order in which the crawl fetched the pages (detectors read the crawl's ranking, home first),
    and concurrent fetching makes that order vary from one crawl to the next, with one process
    or two. What the crawl claims about the city must not vary: the outcomes are compared."""
    m = _methodology("losi-2024")
    with session_scope(engine) as session:
        ids = list(session.scalars(select(Crawl.id).order_by(Crawl.id)))
    detect_crawls(engine, ids, m)
    found: dict[tuple[str, str], tuple[Any, ...]] = {}
    with session_scope(engine) as session:
        for p in session.scalars(select(ProposalRow)):
            found[(p.city_id, p.indicator_code)] = (p.outcome, p.detector_id)
    return found


def _responses(log: Path) -> int:
    match = re.search(r"'downloader/response_count': (\d+)", log.read_text())
    return int(match.group(1)) if match else 0


@pytest.fixture
def reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A world, served, and its single-process crawl in SQLite: (world, served, hits, engine)."""
    world = generate(WorldSpec(portals=3, pages=30, languages=("en", "es", "fr"), latency_ms=150))
    hits = Hits(world)
    monkeypatch.setenv("LOSI_ARCHIVE_DIR", str(tmp_path / "single"))
    single = make_engine(f"sqlite:///{tmp_path / 'single.db'}")
    upgrade(single)
    with serve_world(world) as served:
        crawl_cities(single, _cities(single, world, served), OPTIONS)
        yield world, served, hits, single
    single.dispose()


def test_two_workers_fetch_each_page_once_and_detect_as_one_process(
        reference: Any, pg_url: str, redis_url: str, prefix: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    world, served, hits, single = reference
    single_hits = hits.pages()
    hits.counts.clear()
    archive = tmp_path / "shared"
    monkeypatch.setenv("LOSI_ARCHIVE_DIR", str(archive))
    engine = make_engine(pg_url)
    upgrade(engine)
    ids = start_crawls(engine, _cities(engine, world, served), OPTIONS, redis_url, prefix=prefix)
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    workers = [_worker(pg_url, redis_url, prefix, archive, log) for log in logs]
    for w in workers:
        w.wait(timeout=300)

    with session_scope(engine) as session:
        crawls = [session.get(Crawl, i) for i in ids]
    assert [(c.status, c.stats["batch_errors"]) for c in crawls] == [("finished", 0)] * len(ids)
    assert all(_responses(log) > 0 for log in logs)  # both workers fetched
    assert hits.pages() == single_hits  # the same fetches as one process ...
    assert max(v for (slug, path), v in hits.pages().items() if path != "/") == 1  # ... each once
    assert _pages(engine) == _pages(single)
    assert _proposals(engine) == _proposals(single)


def test_a_killed_worker_loses_no_page(reference: Any, pg_url: str, redis_url: str, prefix: str,
                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import redis

    world, served, hits, single = reference
    monkeypatch.setenv("LOSI_CLUSTER_BEAT_TTL", "3")
    archive = tmp_path / "shared"
    monkeypatch.setenv("LOSI_ARCHIVE_DIR", str(archive))
    for portal in world.portals:  # slower pages: the victim surely holds requests when killed
        resolve = portal.resolve

        def slow(path: str, _resolve: Any = resolve) -> Any:
            return dataclasses.replace(_resolve(path), delay_ms=400)

        portal.resolve = slow
    engine = make_engine(pg_url)
    upgrade(engine)
    ids = start_crawls(engine, _cities(engine, world, served), OPTIONS, redis_url, prefix=prefix)
    survivor = _worker(pg_url, redis_url, prefix, archive, tmp_path / "survivor.log")
    victim = _worker(pg_url, redis_url, prefix, archive, tmp_path / "victim.log")
    client = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + 120
    held = 0
    while time.monotonic() < deadline and victim.poll() is None:
        names = [n.decode() for n in client.hkeys(f"{prefix}:workers")]
        mine = [n for n in names if f":{victim.pid}:" in n]
        held = client.hlen(f"{prefix}:inflight:{mine[0]}") if mine else 0
        if held >= 3:
            break
        time.sleep(0.05)
    assert held >= 3, "the victim never held requests: nothing would be tested"
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    try:
        survivor.wait(timeout=300)
    except subprocess.TimeoutExpired:
        survivor.kill()
        state = {k.decode(): client.hgetall(k) for k in client.scan_iter(f"{prefix}:c:*:state")}
        log = (tmp_path / "survivor.log").read_text()[-3000:]
        pytest.fail(f"the survivor never finished the crawls; state {state}; its log ends:\n{log}")

    with session_scope(engine) as session:
        crawls = [session.get(Crawl, i) for i in ids]
        rows = list(session.scalars(select(Page).where(Page.warc_offset.is_not(None))))
        paths = {c.id: Path(c.warc_path) for c in crawls}
    assert [c.status for c in crawls] == ["finished"] * len(ids)
    assert "requeued" in (tmp_path / "survivor.log").read_text()
    assert _pages(engine) == _pages(single)  # nothing lost, nothing extra
    for row in rows:  # every index row points at its own record in the shared WARC file
        assert read_response(paths[row.crawl_id], row.warc_offset).url == (row.final_url or row.url)


def test_two_workers_render_each_key_page_once(pg_url: str, redis_url: str, prefix: str, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Renders in the Redis mode: the render budget is the crawl's, not each worker's, and every
    render's artifacts land in the crawl's one WARC file."""
    from storage.archive import iter_records
    from storage.models import Render

    world = generate(WorldSpec(portals=2, pages=20, languages=("en", "ar"), latency_ms=50))
    archive = tmp_path / "shared"
    monkeypatch.setenv("LOSI_ARCHIVE_DIR", str(archive))
    engine = make_engine(pg_url)
    upgrade(engine)
    with serve_world(world) as served:
        ids = start_crawls(engine, _cities(engine, world, served),
                           dataclasses.replace(OPTIONS, render_pages=2), redis_url, prefix=prefix)
        workers = [_worker(pg_url, redis_url, prefix, archive, tmp_path / f"{n}.log") for n in "ab"]
        for w in workers:
            w.wait(timeout=300)
    with session_scope(engine) as session:
        crawls = {i: session.get(Crawl, i) for i in ids}
        renders = list(session.scalars(select(Render)))
    assert [c.status for c in crawls.values()] == ["finished"] * len(ids)
    for crawl_id, crawl in crawls.items():
        mine = [r for r in renders if r.crawl_id == crawl_id]
        assert len(mine) == 2 and len({r.page_url for r in mine}) == 2, [r.page_url for r in mine]
        assert crawl.seed_url in {r.page_url for r in mine}  # the home, and one key page
        records = {record_id for _, _, record_id in iter_records(Path(crawl.warc_path))}
        for r in mine:
            assert r.axe_version and r.timings.get("error") is None, r.timings
            assert {r.dom_record_id, r.screenshot_desktop_record_id, r.screenshot_mobile_record_id} <= records
