"""Crawl benchmark: the whole product's crawl of a world of portals, against a naive baseline.

    .venv/bin/python bench/crawl.py [--portals 193] [--pages 100] [--render-pages 5]
                                    [--latency-ms 20] [--baseline-portals 10] [--baseline-renders]
                                    [--processes 1] [--real-pages DIR]

The world is served by `python -m losi.world serve` in its own process (so it does not compete
with the crawler for the GIL); its synthetic pages follow the size and link distribution of
real municipal pages (median ~100 KB, hundreds of links), or are built from ../shared/world with
--real-pages. losi's crawler runs as `losi crawl` runs it (one crawler process by default, the
project's politeness settings, rendering with axe-core in Chromium); the baseline is
bench/naive_crawl.py (requests + BeautifulSoup, one city after another; with --baseline-renders
it also renders the same number of pages of each portal, naively) on the first
--baseline-portals portals, in the same run. Prints figures; it is not a test.

Besides wall time and peak memory (PSS of the crawler's process tree, Chromium included) it
prints the CPU seconds the crawler's tree used, by process: what the crawl would need on an
otherwise idle machine, which wall time on a shared machine does not say.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
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
from procstat import cpu_seconds, descendants, pss  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from losi.cli import CrawlOptions  # noqa: E402
from storage.db import make_engine, session_scope, upgrade  # noqa: E402
from storage.models import City, Crawl, Page, Render  # noqa: E402


def _kind(pid: int) -> str:
    """What a process of the crawler's tree is: the crawler, the Playwright driver, or which
    Chromium process (browser, renderer, gpu-process, utility ...)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            argv = fh.read().split(b"\0")
    except OSError:
        return "other"
    name = os.path.basename(argv[0].decode(errors="replace").split(" ")[0]) if argv else ""
    if "chrom" in name:
        # Chromium rewrites its children's command lines into one string: look inside it.
        match = re.search(rb"--type=([\w-]+)", b" ".join(argv))
        return "chromium " + (match.group(1).decode() if match else "browser")
    if name.startswith("python"):
        return "crawler (Python)"
    if name == "node":
        return "Playwright driver (node)"
    return name or "other"


def tree_rss(pid: int) -> int:
    """Resident bytes (PSS) of a process and all its descendants (Chromium included)."""
    return sum(pss(p) for p in descendants(pid))


class PeakRss(threading.Thread):
    """Samples the process trees every 0.25 s: peak PSS, and the CPU seconds each process has
    used (the last reading of every process seen; one that lives less than a sample is missed,
    so the CPU figure is a slight undercount)."""

    def __init__(self, pids: list[int]) -> None:
        super().__init__(daemon=True)
        self.pids, self.peak, self.running = pids, 0, True
        self.cpu_by_pid: dict[int, float] = {}
        self.kind_by_pid: dict[int, str] = {}

    @property
    def cpu(self) -> float:
        return sum(self.cpu_by_pid.values())

    def cpu_by_kind(self) -> dict[str, float]:
        kinds: dict[str, float] = {}
        for pid, used in self.cpu_by_pid.items():
            kind = self.kind_by_pid.get(pid, "other")
            kinds[kind] = kinds.get(kind, 0.0) + used
        return dict(sorted(kinds.items(), key=lambda kv: -kv[1]))

    def run(self) -> None:
        while self.running:
            total = 0
            for root in self.pids:
                for pid in descendants(root):
                    total += pss(pid)
                    used = cpu_seconds(pid)
                    if used >= 0:
                        self.cpu_by_pid[pid] = max(used, self.cpu_by_pid.get(pid, 0.0))
                        if pid not in self.kind_by_pid:
                            self.kind_by_pid[pid] = _kind(pid)
            self.peak = max(self.peak, total)
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
            "peak_rss_mb": peak.peak / 2**20, "cpu_seconds": peak.cpu,
            "cpu_by_kind": peak.cpu_by_kind()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--portals", type=int, default=193)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--render-pages", type=int, default=5)
    parser.add_argument("--latency-ms", type=float, default=20)
    parser.add_argument("--baseline-portals", type=int, default=10)
    parser.add_argument("--processes", type=int, default=1,
                        help="crawler processes (losi crawl --processes; its default is 1)")
    parser.add_argument("--real-pages", type=Path)
    parser.add_argument("--baseline-renders", action="store_true",
                        help="the naive baseline also renders --render-pages pages of each portal "
                             "(Playwright sync API + axe-playwright-python): the same job")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="losi-bench-") as name:
        tmp = Path(name)
        server, urls = serve(args, tmp)
        try:
            print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
            print(f"crawler processes: {args.processes}")
            print(f"load average (1, 5, 15 min) at the start: "
                  f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
            print(f"world: {len(urls)} portals x {args.pages} pages, {args.latency_ms:g} ms latency"
                  f"{', real pages' if args.real_pages else ', synthetic pages (real size distribution)'}")
            base_renders = args.render_pages if args.baseline_renders else 0
            base_pages, base_seconds = crawl_all(list(urls.values())[: args.baseline_portals],
                                                 args.pages, tmp / "naive",
                                                 render_pages=base_renders)
            base_rate = base_pages / base_seconds
            print(f"naive baseline: {base_pages} pages "
                  f"{f'+ {base_renders} renders with axe a portal ' if base_renders else '(no renders) '}"
                  f"from {args.baseline_portals} portals in {base_seconds:.1f} s = "
                  f"{base_rate:.1f} pages/s")
            result = losi_crawl(urls, args, tmp)
        finally:
            server.terminate()
            server.wait()
    rate = result["pages"] / result["seconds"]
    print(f"losi crawl: {result['pages']} pages ({result['ok']} ok) + {result['renders']} renders with axe "
          f"({result['failed_renders']} failed) in {result['seconds']:.1f} s = {rate:.1f} pages/s; "
          f"{result['crawls_finished']}/{len(urls)} crawls finished, {result['log_errors']} logged errors")
    print(f"peak memory (PSS of the crawler + Chromium process tree): {result['peak_rss_mb']:.0f} MB")
    cores = os.cpu_count() or 1
    print(f"CPU: {result['cpu_seconds']:.0f} s for the crawler + Chromium process trees "
          f"({1000 * result['cpu_seconds'] / max(1, result['pages']):.1f} ms a page, renders included); "
          f"on {cores} otherwise idle cores that is at least {result['cpu_seconds'] / cores:.0f} s "
          f"of wall time (the world server's CPU comes on top)")
    print("CPU by process: " + ", ".join(f"{kind} {used:.0f} s"
                                          for kind, used in result["cpu_by_kind"].items()))
    print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
          " (other work on the machine skews the wall-time figures)")
    print(f"speed-up over the naive baseline: {rate / base_rate:.1f}x pages/s")
    print(json.dumps({"baseline_pages_per_s": round(base_rate, 2),
                      **{k: round(v, 2) for k, v in result.items() if k != "cpu_by_kind"},
                      "pages_per_s": round(rate, 2), "speedup": round(rate / base_rate, 2)}))


if __name__ == "__main__":
    main()
