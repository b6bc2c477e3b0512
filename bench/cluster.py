"""Pages per second of a cluster crawl with 1 and 2 workers on this machine (prints figures;
not a timed test). Every figure comes with the load average, since the machine is shared.

    python bench/cluster.py --redis redis://127.0.0.1:6379/0 \
        --database postgresql+psycopg://root@127.0.0.1:5432/test --portals 6 --pages 60

Each run gets a fresh PostgreSQL database and Redis prefix, crawls the same test world
(`losi.world`, latency per page as given, no rendering) with `fast` politeness (16 requests
per host per worker), and times from the registration of the crawls to the last worker's exit.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(workers: int, args: argparse.Namespace, world, served) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    import redis

    from losi.cli import CrawlOptions
    from losi.cluster import start_crawls
    from storage.db import make_engine, session_scope, upgrade
    from storage.models import City, Crawl, Page

    name = f"losi_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.database, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(args.database).set(database=name).render_as_string(hide_password=False)
    prefix = f"losi-bench-{uuid.uuid4().hex[:8]}"
    tmp = Path(tempfile.mkdtemp(prefix="losi-bench-cluster-"))
    os.environ["LOSI_ARCHIVE_DIR"] = str(tmp)
    engine = make_engine(url)
    try:
        upgrade(engine)
        with session_scope(engine) as session:
            for p in world.portals:
                session.add(City(id=p.slug, country="XWW", name=p.name, portal_url=served[p.slug],
                                 languages=[p.language]))
        options = CrawlOptions(max_pages=args.pages + 20, max_depth=8, max_outbound=0,
                               allow_private=True, fast=True)
        started = time.monotonic()
        ids = start_crawls(engine, [p.slug for p in world.portals], options, args.redis, prefix=prefix)
        procs = [subprocess.Popen(
            [sys.executable, "-m", "crawler.run", "--database-url", url, "--archive-dir", str(tmp),
             "--log-file", str(tmp / f"w{i}.log"), "--redis", args.redis, "--redis-prefix", prefix],
            cwd=ROOT) for i in range(workers)]
        for p in procs:
            p.wait()
        seconds = time.monotonic() - started
        with session_scope(engine) as session:
            pages = session.scalar(select(func.count()).select_from(Page).where(Page.crawl_id.in_(ids)))
            bad = [c.status for c in session.scalars(select(Crawl)) if c.status != "finished"]
        if bad:
            raise SystemExit(f"bench: crawls not finished: {bad}")
        return seconds, int(pages or 0)
    finally:
        engine.dispose()
        client = redis.Redis.from_url(args.redis)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--redis", default=os.environ.get("LOSI_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--database", default=os.environ.get(
        "LOSI_TEST_POSTGRES_URL", "postgresql+psycopg://root@127.0.0.1:5432/test"))
    parser.add_argument("--portals", type=int, default=6)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--latency-ms", type=float, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()

    from losi.world import WorldSpec, generate, serve_world

    world = generate(WorldSpec(portals=args.portals, pages=args.pages, latency_ms=args.latency_ms))
    print(f"world: {args.portals} portals x {args.pages} pages, {args.latency_ms:g} ms latency; "
          f"{os.cpu_count()} cores; load average before: {_load()}")
    with serve_world(world) as served:
        run(1, args, world, served)  # warm-up (imports, page cache, the world's renderer)
        for workers in args.workers:
            rates, loads = [], []
            for _ in range(args.repeat):
                seconds, pages = run(workers, args, world, served)
                rates.append(pages / seconds)
                loads.append(_load())
                print(f"  {workers} worker(s): {pages} pages in {seconds:.1f} s = {pages / seconds:.1f} pages/s"
                      f"  (load average {loads[-1]})", flush=True)
            print(f"{workers} worker(s): median {statistics.median(rates):.1f} pages/s, "
                  f"spread {min(rates):.1f}-{max(rates):.1f} over {len(rates)} runs; load average {loads[-1]}")


if __name__ == "__main__":
    main()
