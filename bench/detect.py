"""Benchmark: every registered detector over sites built from real municipal pages.

Not a test: it prints figures. The pages are read at run time from ../shared/world (110 real
public-sector pages) and ../shared/corpus (48 labelled ones); they are never copied into the
project. They are dealt into sites of about 100 pages each (a home page and its pages, the
way a crawl archive looks), and the sites run in parallel processes through
`detectors.runner.run_many`, one Site per task, because detection is CPU-bound.

Printed: pages/s (median of several runs after a warm-up, with the spread), a baseline in the
same run (parsing every page and listing its links, no detector) and the ratio to it, peak
RSS of this process and its workers, and the machine. Each run also counts the CPU seconds it
cost (this process, its workers and the shared Nu Html Checker service): pages per CPU second
times the cores is what the run would reach on an otherwise idle machine, a figure that other
work on the machine does not skew.

    .venv/bin/python bench/detect.py [--sites 20] [--pages 100] [--runs 3] [--workers N]
        [--only baseline,detect,worst]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from detectors.runner import run_many  # noqa: E402
from detectors.site import PageArtifact, Site  # noqa: E402
from losi.types import FetchStatus  # noqa: E402
from procstat import own_cpu  # noqa: E402

SHARED = ROOT.parent / "shared"
SOURCES = (SHARED / "world", SHARED / "corpus")


def real_pages() -> list[Path]:
    pages = []
    for folder in SOURCES:
        if folder.is_dir():
            pages += sorted(folder.glob("*/*.html"))
    return pages


def make_jobs(pages: list[Path], sites: int, per_site: int) -> list[tuple[int, tuple[str, ...]]]:
    """Deal the real pages into `sites` sites of `per_site` pages (pages repeat across sites)."""
    jobs = []
    for n in range(sites):
        start = (n * 37) % len(pages)  # each site starts elsewhere, so homes differ
        chosen = [pages[(start + k) % len(pages)] for k in range(per_site)]
        jobs.append((n, tuple(str(p) for p in chosen)))
    return jobs


def load_site(job: tuple[int, tuple[str, ...]]) -> Site:
    """A Site of real pages: the first is the home page, the rest one or two clicks away."""
    n, paths = job
    seed = f"https://site-{n}.example/"

    def artifact(k: int, path: str) -> PageArtifact:
        url = seed if k == 0 else f"{seed}page/{k}/{Path(path).stem}"
        return PageArtifact(url=url, final_url=url, fetch_status=FetchStatus.OK, http_status=200,
                            content_type="text/html", depth=0 if k == 0 else 1 + k % 2,
                            record_id=f"<urn:uuid:{n}-{k}>",
                            load_body=lambda p=path: Path(p).read_bytes())

    return Site(seed, [artifact(k, p) for k, p in enumerate(paths)], crawl_id=n)


class _ParseOnly:
    """Baseline 'detector': decode and parse every page and list its links; judge nothing."""

    def __init__(self) -> None:
        from losi.types import DetectorMeta

        self.meta = DetectorMeta("parse-only", "Parse only", "baseline for the benchmark", (), 1)

    def detect(self, site: Site):  # type: ignore[no-untyped-def]
        from losi.types import Evidence, Finding, Outcome

        links = 0
        for artifact in site.html_artifacts():  # parse, list links, let go (as the runner does)
            links += len(site.parse(artifact).links)
            if artifact is not site.home:
                site.release(artifact)
        return Finding(Outcome.PRESENT, 1.0, (Evidence(site.seed_url, f"{links} links"),))


def _cpu() -> float:
    """CPU seconds of this process, its joined workers, and the shared Nu Html Checker service."""
    from detectors.vnu import _Service

    return own_cpu([_Service.process.pid] if _Service.process is not None else [])


def timed(jobs: list, workers: int, detectors: dict | None = None) -> tuple[float, int, int, float]:
    """(seconds, pages in the sites, pages the detectors parsed, CPU seconds) of one whole run."""
    started, cpu = time.perf_counter(), _cpu()
    results = list(run_many(jobs, load_site, detectors=detectors, workers=workers))
    seconds = time.perf_counter() - started
    return seconds, sum(r.pages for r in results), sum(r.parsed for r in results), _cpu() - cpu


def exhaustive(registry) -> dict:  # type: ignore[no-untyped-def]
    """The registry with every pattern detector reading every page (no early stop)."""
    import copy

    from detectors.pattern import PatternDetector

    out = {}
    for detector_id, detector in registry.items():
        if isinstance(detector, PatternDetector):
            detector = copy.copy(detector)
            detector.stop_early = False
        out[detector_id] = detector
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--pages", type=int, default=100, help="pages per site")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", default="baseline,detect,worst",
                        help="which runs, comma-separated (on a busy machine, fewer is faster)")
    args = parser.parse_args()

    # Detection as after a crawl: every run checks the home pages' markup with the Nu Html
    # Checker, none reads messages kept by an earlier run (see bench/rescore.py for re-runs).
    os.environ["LOSI_VNU_CACHE"] = "off"
    pages = real_pages()
    if not pages:
        print(f"skipped: no real pages under {' or '.join(str(s) for s in SOURCES)} "
              "(a fresh clone has no ../shared)")
        return 0
    from detectors.registry import load_registry

    registry = load_registry()
    detector_ids = [d for d in registry if d != "manual"]
    jobs = make_jobs(pages, args.sites, args.pages)
    total_bytes = sum(p.stat().st_size for p in pages)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {platform.platform()}")
    print(f"pages: {len(pages)} real pages ({total_bytes / len(pages) / 1024:.0f} KB mean), dealt "
          f"into {args.sites} sites x {args.pages} pages = {args.sites * args.pages} pages a run; "
          f"{args.workers} worker processes")
    print(f"detectors: {len(detector_ids)} ({', '.join(detector_ids)})")
    print(f"load average (1, 5, 15 min) at the start: "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")

    only = set(args.only.split(","))
    timed(jobs[:2], args.workers)  # warm-up: worker start, lexicons, lingua, tldextract
    baseline = [timed(jobs, args.workers, {"parse-only": _ParseOnly()})
                for _ in range(args.runs if "baseline" in only else 0)]
    runs = [timed(jobs, args.workers) for _ in range(args.runs if "detect" in only else 0)]
    every = exhaustive(registry)
    worst = [timed(jobs, args.workers, every) for _ in range(args.runs if "worst" in only else 0)]

    cores = min(args.workers, os.cpu_count() or 1)

    def show(name: str, results: list[tuple[float, int, int, float]]) -> float:
        if not results:
            return 0.0
        rates = [n / s for s, n, _, _ in results]
        median = statistics.median(rates)
        parsed = results[0][2] / max(1, results[0][1])
        per_cpu = statistics.median([n / c for _, n, _, c in results if c > 0] or [0])
        print(f"{name}: {median:.0f} pages/s (median of {len(results)}; min {min(rates):.0f}, "
              f"max {max(rates):.0f}; {statistics.median([r[0] for r in results]):.2f} s a run; "
              f"{parsed:.0%} of the pages parsed); {per_cpu:.0f} pages per CPU second, so "
              f"{per_cpu * cores:.0f} pages/s on {cores} idle cores")
        return median

    base = show("baseline, parse + list links of every page, no detector", baseline)
    det = show("detect, all detectors (each stops at the first page that makes its claim)", runs)
    full = show("detect, all detectors reading every page (worst case)", worst)
    if base and det and full:
        print(f"time ratio to the baseline: detect {base / det:.2f}, worst case {base / full:.2f}")
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: this process {self_rss:.0f} MB, largest worker {child_rss:.0f} MB")
    print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
          " (other work on the machine skews every figure above)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
