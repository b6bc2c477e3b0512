"""Renders per second with each render engine: scrapy-playwright and Selenium (+ axe-selenium-python).

    .venv/bin/python bench/render_engines.py [--portals 6] [--render-pages 2] [--runs 3]
                                             [--selenium-url URL] [--engines playwright,selenium]

Not a test: it prints figures. It serves a test world (built from the real public-sector pages
of ../shared/world when they are there, else synthetic pages of the real size distribution),
then, for each engine, runs whole `losi crawl`s of every portal (`crawl_cities`: one crawler
process, the home page and its most promising links rendered, each render with DOM,
two screenshots and axe-core, stored in the WARC) and divides the renders stored by the run's
wall time. Both engines render two pages at once (Playwright: 2 pages of one context;
Selenium: LOSI_SELENIUM_DRIVERS=2 sessions). One warm-up run per engine, then `--runs` runs,
alternating engines so that other work on the machine hits both alike; it prints the median
and the spread, the mean render time the renders recorded themselves (`timings.wall_ms.render`),
the Selenium/Playwright ratio, and the load average before and after (the machine may be
shared). A run includes its crawler process's start (about 2 s), as a real crawl does.

Selenium needs Python >= 3.12 (axe-selenium-python 3): on 3.11 only Playwright is measured.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED_WORLD = ROOT.parent / "shared" / "world"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _run(engine_name: str, selenium_url: str, slugs: list[str], args: argparse.Namespace,
         db: Any) -> tuple[float, int, float]:
    """One crawl of every portal: (wall seconds, renders stored, mean render ms)."""
    from sqlalchemy import select

    from losi.cli import CrawlOptions, crawl_cities
    from storage.db import session_scope
    from storage.models import Render

    options = CrawlOptions(max_pages=args.render_pages + 2, max_depth=1, max_outbound=0,
                           render_pages=args.render_pages, allow_private=True, fast=True,
                           render_engine=engine_name, selenium_url=selenium_url)
    started = time.perf_counter()
    ids = crawl_cities(db, slugs, options)
    wall = time.perf_counter() - started
    with session_scope(db) as session:
        rows = session.scalars(select(Render).where(Render.crawl_id.in_(ids))).all()
        ok = [r for r in rows if not r.timings.get("error")]
        failed = len(rows) - len(ok)
        mean = statistics.mean(r.timings["wall_ms"]["render"] for r in ok) if ok else 0.0
    if failed:
        print(f"  note: {failed} {engine_name} render(s) failed", file=sys.stderr)
    return wall, len(ok), mean


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--portals", type=int, default=6)
    parser.add_argument("--render-pages", type=int, default=2, help="key pages rendered per portal")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--selenium-url", default="", help="a Grid; none: a local chromedriver")
    parser.add_argument("--engines", default="playwright,selenium")
    args = parser.parse_args(argv)

    from crawler.render_selenium import unavailable
    from losi.world import WorldSpec, generate, serve_world
    from storage.db import make_engine, session_scope, upgrade
    from storage.models import City

    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    reason = unavailable(args.selenium_url)
    if "selenium" in engines and reason:
        print(f"selenium: skipped: {reason}")
        engines.remove("selenium")

    tmp = Path(tempfile.mkdtemp(prefix="losi-bench-engines-"))
    os.environ["LOSI_ARCHIVE_DIR"] = str(tmp / "archive")
    db = make_engine(f"sqlite:///{tmp / 'losi.db'}")
    upgrade(db)
    real = SHARED_WORLD.is_dir()
    world = generate(WorldSpec(portals=args.portals, pages=16, seed=7,
                               real_pages_dir=SHARED_WORLD if real else None))
    sizes = sorted(len(p.pages["/"].body) for p in world.portals if "/" in p.pages)
    print(f"machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"world: {args.portals} portals from {'real pages (../shared/world)' if real else 'synthetic pages'}"
          f", home pages {sizes[0] // 1000}-{sizes[-1] // 1000} KB (median "
          f"{statistics.median(sizes) // 1000} KB); {args.render_pages} render(s) a portal")
    print(f"load average before: {_load()}")
    results: dict[str, list[tuple[float, int, float]]] = {e: [] for e in engines}
    with serve_world(world) as served:
        # Each run crawls its own copy of the cities (a crawl is one visit of one city).
        def cities(tag: str) -> list[str]:
            with session_scope(db) as session:
                slugs = []
                for portal in world.portals:
                    slug = f"{portal.slug}-{tag}"
                    slugs.append(slug)
                    session.add(City(id=slug, country="XWW", name=portal.name,
                                     portal_url=served[portal.slug], languages=[portal.language]))
            return slugs

        for engine_name in engines:  # warm-up: page cache, Python imports, Chromium's disk cache
            _run(engine_name, args.selenium_url, cities(f"warm-{engine_name}"), args, db)
        for run in range(args.runs):
            for engine_name in engines if run % 2 == 0 else engines[::-1]:
                wall, renders, mean = _run(engine_name, args.selenium_url,
                                           cities(f"{engine_name}-{run}"), args, db)
                results[engine_name].append((wall, renders, mean))
                print(f"  run {run + 1} {engine_name:10} {renders} renders in {wall:5.1f} s = "
                      f"{renders / wall:.2f} renders/s (a render {mean / 1000:.2f} s); "
                      f"load {_load()}")
    print(f"load average after: {_load()}")
    rates: dict[str, float] = {}
    for engine_name, runs in results.items():
        per_s = [renders / wall for wall, renders, _ in runs]
        rates[engine_name] = statistics.median(per_s)
        print(f"{engine_name:10} {rates[engine_name]:.2f} renders/s median "
              f"(spread {min(per_s):.2f}-{max(per_s):.2f} over {len(runs)} runs); "
              f"a render {statistics.median(m for _, _, m in runs) / 1000:.2f} s median")
    if len(rates) == 2 and rates.get("playwright"):
        print(f"selenium / playwright: {rates['selenium'] / rates['playwright']:.2f}")
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
