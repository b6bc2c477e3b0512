"""Detection spread over workers through Redis, one crawl (city) per task."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select

from losi.cli import CrawlOptions, _methodology, crawl_cities, detect_crawls
from losi.cluster import TaskQueue, wait_for_tasks
from losi.world import WorldSpec, generate, serve_world
from storage.db import make_engine, session_scope, upgrade
from storage.models import City, ProposalRow


def test_two_workers_share_the_detection_tasks(pg_url: str, redis_url: str, prefix: str,
                                                tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOSI_ARCHIVE_DIR", str(tmp_path / "archive"))
    engine = make_engine(pg_url)
    upgrade(engine)
    world = generate(WorldSpec(portals=4, pages=20, languages=("en", "fr")))
    with serve_world(world) as served:
        with session_scope(engine) as session:
            for p in world.portals:
                session.add(City(id=p.slug, country="XWW", name=p.name, portal_url=served[p.slug],
                                 languages=[p.language]))
        ids = crawl_cities(engine, [p.slug for p in world.portals],
                           CrawlOptions(max_pages=40, max_outbound=0, allow_private=True, fast=True))
    env = {**os.environ, "LOSI_DATABASE_URL": pg_url, "LOSI_REDIS_PREFIX": prefix}
    workers = [subprocess.Popen([sys.executable, "-m", "losi.cli", "crawl", "--redis", redis_url], env=env)
               for _ in range(2)]
    client = redis.Redis.from_url(redis_url)
    queue = TaskQueue(client, prefix)
    try:
        deadline = time.monotonic() + 120
        while client.scard(queue.workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert client.scard(queue.workers) == 2
        tasks = [queue.put(cid, "losi-2024") for cid in ids]
        results = wait_for_tasks(queue, tasks, timeout=600)
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=60)
    by = {k.decode(): v.decode() for k, v in client.hgetall(f"{queue.results}:by").items()}
    assert len(set(by.values())) == 2  # both workers ran tasks
    with session_scope(engine) as session:
        runs = dict(session.execute(select(ProposalRow.crawl_id, func.count(func.distinct(ProposalRow.run_id)))
                                    .group_by(ProposalRow.crawl_id)).all())
        remote = {(p.crawl_id, p.indicator_code): (p.outcome, p.confidence) for p in
                  session.scalars(select(ProposalRow))}
    assert runs == {cid: 1 for cid in ids}  # each city detected once
    assert {results[t.id] for t in tasks} == {r for r in results.values()}
    detect_crawls(engine, ids, _methodology("losi-2024"))  # the same, in this process
    with session_scope(engine) as session:
        local_run = session.scalars(select(ProposalRow.run_id).where(
            ProposalRow.run_id.not_in(list(results.values())))).first()
        local = {(p.crawl_id, p.indicator_code): (p.outcome, p.confidence) for p in
                 session.scalars(select(ProposalRow).where(ProposalRow.run_id == local_run))}
    assert remote == local
