"""Crawl benchmark: the whole product's crawl of a world of portals, against a naive baseline.

    .venv/bin/python bench/crawl.py [--portals 193] [--pages 100] [--render-pages 5]
                                    [--latency-ms 20] [--baseline-portals 10] [--real-pages DIR]

The world is served by `python -m losi.world serve` in its own process (so it does not compete
with the crawler for the GIL); its synthetic pages follow the size and link distribution of
real municipal pages (median ~100 KB, hundreds of links), or are built from ../shared/world with
--real-pages. losi's crawler runs as `losi crawl` runs it (one crawler process, the project's
politeness settings, rendering with axe-core in Chromium); the baseline is bench/naive_crawl.py
(requests + BeautifulSoup, one city after another) on the first --baseline-portals portals, in
the same run. Prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from naive_crawl import crawl_all  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from losi.cli import CrawlOptions  # noqa: E402
from storage.db import make_engine, session_scope, upgrade  # noqa: E402
from storage.models import City, Crawl, Page, Render  # noqa: E402


def _pss(pid: int) -> int:
    # Proportional set size: memory shared between Chromium's processes counts once, not per
    # process as RSS would (summed RSS of a Chromium tree overstates it several times).
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss(pid: int) -> int:
    """Resident bytes (PSS) of a process and all its descendants (Chromium included)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += _pss(p)
        stack.extend(children.get(p, []))
    return total


class PeakRss(threading.Thread):
    def __init__(self, pids: list[int]) -> None:
        super().__init__(daemon=True)
        self.pids, self.peak, self.running = pids, 0, True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, sum(tree_rss(pid) for pid in self.pids))
            time.sleep(0.25)


def serve(args: argparse.Namespace, tmp: Path) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    urls_file = tmp / "world.json"
    command = [sys.executable, "-m", "losi.world", "serve", "--portals", str(args.portals),
               "--pages", str(args.pages), "--latency-ms", str(args.latency_ms),
               "--urls-file", str(urls_file), "--cache-mb", "1024", "--warm"]
    if args.real_pages:
        command += ["--real-pages", str(args.real_pages)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, cwd=ROOT)
    deadline = time.monotonic() + 300
    while not urls_file.exists():
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the world server did not start")
        time.sleep(0.2)
    return server, json.loads(urls_file.read_text())["urls"]


def losi_crawl(urls: dict[str, str], args: argparse.Namespace, tmp: Path) -> dict[str, float]:
    db = f"sqlite:///{tmp / 'losi.db'}"
    engine = make_engine(db)
    upgrade(engine)
    options = CrawlOptions(max_pages=args.pages, max_depth=5, max_outbound=0,
                           render_pages=args.render_pages, allow_private=True)
    with session_scope(engine) as session:
        for slug, url in urls.items():
            session.add(City(id=slug, country="XWW", name=slug, portal_url=url, languages=["en"]))
            session.add(Crawl(city_id=slug, seed_url=url, settings=options.settings()))
        session.flush()
        ids = list(session.scalars(select(Crawl.id)))
    started = time.perf_counter()
    # As `losi crawl --processes N` splits a batch: every N-th crawl to each process.
    procs = [subprocess.Popen(
        [sys.executable, "-m", "crawler.run", *map(str, ids[i::args.processes]), "--database-url", db,
         "--archive-dir", str(tmp / "archive"), "--log-file", str(tmp / f"crawl-{i}.log"),
         "--allow-private"], cwd=ROOT) for i in range(args.processes)]
    peak = PeakRss([p.pid for p in procs])
    peak.start()
    for proc in procs:
        proc.wait()
    seconds = time.perf_counter() - started
    peak.running = False
    peak.join()
    with session_scope(engine) as session:
        pages = session.scalar(select(func.count()).select_from(Page).where(
            Page.fetch_status != "robots_disallowed"))
        ok = session.scalar(select(func.count()).select_from(Page).where(Page.fetch_status == "ok"))
        renders = session.scalar(select(func.count()).select_from(Render))
        failed_renders = sum(1 for r in session.scalars(select(Render)) if r.timings.get("error"))
        finished = session.scalar(select(func.count()).select_from(Crawl).where(Crawl.status == "finished"))
    errors = sum(1 for log in tmp.glob("crawl-*.log") for line in log.read_text().splitlines()
                 if " ERROR: " in line)
    return {"seconds": seconds, "pages": pages, "ok": ok, "renders": renders,
            "failed_renders": failed_renders, "crawls_finished": finished, "log_errors": errors,
            "peak_rss_mb": peak.peak / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--portals", type=int, default=193)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--render-pages", type=int, default=5)
    parser.add_argument("--latency-ms", type=float, default=20)
    parser.add_argument("--baseline-portals", type=int, default=10)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="crawler processes (losi crawl --processes)")
    parser.add_argument("--real-pages", type=Path)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="losi-bench-") as name:
        tmp = Path(name)
        server, urls = serve(args, tmp)
        try:
            print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
            print(f"crawler processes: {args.processes}")
            print(f"world: {len(urls)} portals x {args.pages} pages, {args.latency_ms:g} ms latency"
                  f"{', real pages' if args.real_pages else ', synthetic pages (real size distribution)'}")
            base_pages, base_seconds = crawl_all(list(urls.values())[: args.baseline_portals],
                                                 args.pages, tmp / "naive")
            base_rate = base_pages / base_seconds
            print(f"naive baseline: {base_pages} pages from {args.baseline_portals} portals in "
                  f"{base_seconds:.1f} s = {base_rate:.1f} pages/s")
            result = losi_crawl(urls, args, tmp)
        finally:
            server.terminate()
            server.wait()
    rate = result["pages"] / result["seconds"]
    print(f"losi crawl: {result['pages']} pages ({result['ok']} ok) + {result['renders']} renders with axe "
          f"({result['failed_renders']} failed) in {result['seconds']:.1f} s = {rate:.1f} pages/s; "
          f"{result['crawls_finished']}/{len(urls)} crawls finished, {result['log_errors']} logged errors")
    print(f"peak memory (PSS of the crawler + Chromium process tree): {result['peak_rss_mb']:.0f} MB")
    print(f"speed-up over the naive baseline: {rate / base_rate:.1f}x pages/s")
    print(json.dumps({"baseline_pages_per_s": round(base_rate, 2), **{k: round(v, 2) for k, v in result.items()},
                      "pages_per_s": round(rate, 2), "speedup": round(rate / base_rate, 2)}))


if __name__ == "__main__":
    main()
