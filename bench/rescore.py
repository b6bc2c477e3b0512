"""Re-run benchmark: every detector of a methodology over stored crawls, as `losi detect --all`
re-runs them after a methodology or detector change (no network).

    .venv/bin/python bench/rescore.py [--portals 193] [--pages 100] [--runs 2] [--keep DIR]
                                      [--real-pages DIR | --synthetic]

Not a test: it prints figures. First it builds the stored crawls the way they come to exist: a
real crawl (`python -m crawler.run`, no rendering, no politeness delay) of a test world of
--portals portals of --pages pages each, served on 127.0.0.1 by `python -m losi.world serve`.
By default the pages are the real public-sector pages of ../shared/world (read at run time, their
links rewritten to the portal's own pages), so that the detectors read what they read on real
portals; --synthetic serves generated pages instead (their HTML has the size of real pages, but
about seven times the visible text: 9,570 words a page against a mean of 1,295 in
../shared/world and ../shared/corpus). That part is not timed. Then it
times `losi detect`'s own function (`losi.cli.detect_crawls`: read each crawl from the WARC
archive and the SQLite index, run every detector the methodology binds in parallel processes,
store the proposals), --runs times, and prints for each run seconds, pages/s, the CPU seconds
used (this process, its workers and the shared Nu Html Checker) and the load average. The first
run checks every home page's markup with the Nu Html Checker; later runs read the messages it
kept (as a researcher's second re-run would: `detectors.vnu.cache_dir`), so both are printed. With --keep DIR the
built crawls stay in DIR and a later run with the same --keep reuses them.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sqlalchemy import func, select  # noqa: E402

from losi.cli import CrawlOptions  # noqa: E402
from storage.db import make_engine, session_scope, upgrade  # noqa: E402
from storage.models import City, Crawl, Page  # noqa: E402
from procstat import cpu_seconds, own_cpu  # noqa: E402


def build(folder: Path, portals: int, pages: int, real_pages: Path | None) -> str:
    """Crawl a test world into folder/losi.db + folder/archive; the database URL."""
    from crawl import serve  # bench/crawl.py: the world server in its own process

    db = f"sqlite:///{folder / 'losi.db'}"
    engine = make_engine(db)
    upgrade(engine)
    with session_scope(engine) as session:
        done = session.scalar(select(func.count()).select_from(Crawl).where(
            Crawl.status == "finished"))
    if done:
        print(f"reusing {done} stored crawls in {folder}")
        return db
    args = argparse.Namespace(portals=portals, pages=pages, latency_ms=0, real_pages=real_pages)
    server, urls = serve(args, folder)
    try:
        options = CrawlOptions(max_pages=pages, max_depth=5, max_outbound=0, render_pages=0,
                               allow_private=True, fast=True)
        with session_scope(engine) as session:
            for slug, url in urls.items():
                session.add(City(id=slug, country="XWW", name=slug, portal_url=url,
                                 languages=["en"]))
                session.add(Crawl(city_id=slug, seed_url=url, settings=options.settings()))
            session.flush()
            ids = [str(i) for i in session.scalars(select(Crawl.id))]
        started = time.perf_counter()
        shares = [ids[i::2] for i in range(2)]
        procs = [subprocess.Popen([sys.executable, "-m", "crawler.run", *share, "--database-url",
                                   db, "--archive-dir", str(folder / "archive"), "--log-file",
                                   str(folder / f"crawl-{n}.log"), "--allow-private", "--fast"],
                                  cwd=ROOT) for n, share in enumerate(shares) if share]
        for proc in procs:
            proc.wait()
        print(f"built: {len(ids)} crawls in {time.perf_counter() - started:.0f} s (not timed below)")
    finally:
        server.terminate()
        server.wait()
    return db


def _checker_cpu() -> float:
    """CPU seconds of the shared Nu Html Checker service (a JVM) so far."""
    from detectors.vnu import _Service

    return max(cpu_seconds(_Service.process.pid), 0.0) if _Service.process is not None else 0.0


def _cpu() -> float:
    """CPU seconds of this process, its joined workers, and the shared Nu Html Checker service."""
    from detectors.vnu import _Service

    return own_cpu([_Service.process.pid] if _Service.process is not None else [])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portals", type=int, default=193)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--methodology", default="losi-2024")
    parser.add_argument("--keep", type=Path, default=None, help="keep (and reuse) the crawls here")
    parser.add_argument("--real-pages", type=Path, default=ROOT.parent / "shared" / "world",
                        help="build the portals' pages from the real pages here")
    parser.add_argument("--synthetic", action="store_true",
                        help="generated pages instead of real ones")
    args = parser.parse_args()
    real_pages = None if args.synthetic else args.real_pages
    if real_pages is not None and not real_pages.is_dir():
        print(f"no real pages in {real_pages} (a fresh clone has no ../shared): synthetic pages")
        real_pages = None

    from losi.cli import _methodology, detect_crawls

    with tempfile.TemporaryDirectory(prefix="losi-rescore-") as name:
        folder = args.keep or Path(name)
        folder.mkdir(parents=True, exist_ok=True)
        db = build(folder, args.portals, args.pages, real_pages)
        engine = make_engine(db)
        with session_scope(engine) as session:
            ids = list(session.scalars(select(Crawl.id).where(Crawl.status == "finished")
                                       .order_by(Crawl.id)))
            pages = session.scalar(select(func.count()).select_from(Page).where(
                Page.crawl_id.in_(ids), Page.fetch_status == "ok", Page.kind == "portal"))
        methodology = _methodology(args.methodology)
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
              f"{platform.python_version()}")
        print(f"pages: {'real, from ' + str(real_pages) if real_pages else 'synthetic'}"
              f"{' (as built when the crawls were kept)' if args.keep else ''}")
        print(f"stored: {len(ids)} crawls, {pages} HTML pages; methodology {methodology.id} "
              f"({len(methodology.indicators)} indicators)")
        print(f"load average (1, 5, 15 min) at the start: "
              f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
        os.environ.setdefault("LOSI_ARCHIVE_DIR", str(folder / "archive"))
        # The checker's messages are kept between runs (detectors.vnu.cache_dir): a folder of
        # this run's own, so that the first re-run checks every home page and later ones do not.
        os.environ["LOSI_VNU_CACHE"] = str(Path(name) / "vnu-cache")
        cores = os.cpu_count() or 1
        seconds, cpus = [], []
        for n in range(1, args.runs + 1):
            started, cpu, jvm = time.perf_counter(), _cpu(), _checker_cpu()
            detect_crawls(engine, ids, methodology)
            seconds.append(time.perf_counter() - started)
            cpus.append(_cpu() - cpu)
            what = ("every home page checked by the Nu Html Checker" if n == 1 else
                    "the checker's messages kept by run 1 read")
            print(f"run {n} ({what}): {seconds[-1]:.1f} s = {pages / seconds[-1]:.0f} pages/s; "
                  f"CPU {cpus[-1]:.1f} s (the checker {_checker_cpu() - jvm:.1f} s), "
                  f"{1000 * cpus[-1] / max(1, pages):.1f} ms a page, so "
                  f"{cores * pages / max(cpus[-1], 1e-9):.0f} pages/s and "
                  f"{cpus[-1] / cores:.0f} s on {cores} idle cores", flush=True)
        first, later = seconds[0], seconds[1:]
        print(f"re-run of every detector over {len(ids)} stored crawls ({pages} pages), "
              f"target <= 60 s: first run {first:.1f} s, {cpus[0] / cores:.0f} s of CPU a core")
        if later:
            print(f"later runs: {statistics.median(later):.1f} s (median of {len(later)}), "
                  f"{statistics.median(cpus[1:]) / cores:.0f} s of CPU a core")
        print(f"load average (1, 5, 15 min) at the end: "
              f"{', '.join(f'{x:.2f}' for x in os.getloadavg())} (other work on the machine "
              "skews the wall-time figures)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
