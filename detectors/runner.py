"""The runner: detectors over one Site, Findings wrapped into Proposals.

The runner, not each detector, enforces the two rules that keep proposals honest:
a required artifact the crawl lacks gives `not_assessable` (never `absent`), and an
exception inside a detector gives `error` (never `absent`).
"""

from __future__ import annotations

import gc
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from detectors.base import Detector
from detectors.site import Site
from losi.types import DetectorMeta, Finding, Outcome, Proposal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Binding:
    """An item of a methodology bound to a detector: what the runner needs of a methodology."""

    code: str
    detector_id: str
    guidance: str = ""


def _unmet(detector: Detector, site: Site) -> Finding | None:
    for artifact in detector.meta.requires:
        ok, why = site.has_artifact(artifact)
        if not ok:
            return Finding(Outcome.NOT_ASSESSABLE, 0.0, reason=why)
    return None


def _failed(detector: Detector, site: Site, exc: Exception) -> Finding:
    # a detector bug must not become a claim about the city
    log.error("detector %s failed on crawl %s", detector.meta.id, site.crawl_id, exc_info=exc)
    return Finding(Outcome.ERROR, 0.0, reason=f"{type(exc).__name__}: {exc}")


def _checked(finding: object) -> Finding:
    if not isinstance(finding, Finding):
        return Finding(
            Outcome.ERROR, 0.0, reason=f"detector returned {type(finding).__name__}, not a Finding"
        )
    return finding


def run_detector(detector: Detector, site: Site) -> Finding:
    unmet = _unmet(detector, site)
    if unmet is not None:
        return unmet
    try:
        finding = detector.detect(site)
    except Exception as exc:  # noqa: BLE001 - a detector bug must not become a claim
        return _failed(detector, site, exc)
    return _checked(finding)


def run_detectors(site: Site, detectors: Mapping[str, Detector]) -> dict[str, Finding]:
    """Every detector over one Site, the page-reading ones in lockstep.

    Detectors that read pages one at a time (pattern detectors: `begin(site)` gives a scan with
    `feed(page)` and `finish()`) are all fed the same page, home first; a page is parsed once and
    released when every one of them has read it, so a crawl of thousands of pages never holds
    more than one parse (and the home page's) in memory. Other detectors run `detect(site)`.
    The honesty rules are those of `run_detector`.
    """
    findings: dict[str, Finding] = {}
    scans: dict[str, Any] = {}
    for detector_id, detector in detectors.items():
        unmet = _unmet(detector, site)
        if unmet is not None:
            findings[detector_id] = unmet
        elif hasattr(detector, "begin"):
            try:
                scans[detector_id] = detector.begin(site)
            except Exception as exc:  # noqa: BLE001 - a detector bug must not become a claim
                findings[detector_id] = _failed(detector, site, exc)
        else:
            findings[detector_id] = run_detector(detector, site)
    for artifact in site.html_artifacts():
        active = [i for i, scan in scans.items() if not scan.done]
        if not active:
            break
        # A scan past its page budget may still want some pages: none other is parsed for it.
        active = [i for i in active if getattr(scans[i], "wants", None) is None
                  or scans[i].wants(artifact)]
        if not active:
            continue
        page = site.parse(artifact)
        for detector_id in active:
            try:
                scans[detector_id].feed(page)
            except Exception as exc:  # noqa: BLE001 - a detector bug must not become a claim
                findings[detector_id] = _failed(detectors[detector_id], site, exc)
                scans[detector_id].done = True
        if artifact is not site.home:
            site.release(artifact)
    for detector_id, scan in scans.items():
        if detector_id not in findings:
            try:
                findings[detector_id] = _checked(scan.finish())
            except Exception as exc:  # noqa: BLE001 - a detector bug must not become a claim
                findings[detector_id] = _failed(detectors[detector_id], site, exc)
    return findings


def run(
    site: Site,
    bindings: Iterable[Binding],
    detectors: Mapping[str, Detector],
    *,
    methodology_id: str,
    methodology_version: str,
) -> list[Proposal]:
    """One proposal per binding; each detector runs once even when several items share it."""
    bindings = list(bindings)
    wanted = {b.detector_id: detectors[b.detector_id] for b in bindings
              if b.detector_id in detectors}
    findings = run_detectors(site, wanted)
    proposals = []
    for binding in bindings:
        detector = detectors.get(binding.detector_id)
        if detector is None:
            finding = Finding(
                Outcome.ERROR, 0.0, reason=f"no detector {binding.detector_id!r} is installed"
            )
            version = 0
        else:
            finding = findings[binding.detector_id]
            version = detector.meta.version
        details = dict(finding.details)
        if binding.guidance and finding.outcome is not Outcome.PRESENT:
            details.setdefault("guidance", binding.guidance)
        proposals.append(
            Proposal(
                indicator_code=binding.code,
                outcome=finding.outcome,
                confidence=finding.confidence,
                evidence=finding.evidence,
                detector_id=binding.detector_id,
                detector_version=version,
                crawl_id=site.crawl_id,
                methodology_id=methodology_id,
                methodology_version=methodology_version,
                reason=finding.reason,
                details=details,
            )
        )
    return proposals


# ---- many sites in parallel --------------------------------------------------------------------

@dataclass(frozen=True)
class SiteResult:
    """What `run_many` gives back for one job: the findings by detector id, and the proposals."""

    job: Any
    findings: Mapping[str, Finding]
    proposals: tuple[Proposal, ...]
    pages: int  # HTML pages the Site had
    seconds: float  # wall time of this Site in its worker
    parsed: int = 0  # pages the detectors needed to read (the others were never parsed)


_WORKER: dict[str, Any] = {}


def _init_worker(detectors: Mapping[str, Detector] | None) -> None:
    if detectors is None:
        from detectors.registry import load_registry

        detectors = load_registry()
    _WORKER["detectors"] = detectors


def _init_pool_worker(detectors: Mapping[str, Detector] | None) -> None:
    _init_worker(detectors)
    # What a worker holds by now (modules, the registry's compiled rules, lexicons) lives as
    # long as the process: out of the cyclic collector's sight, no collection walks it again.
    gc.freeze()


def _warm() -> None:
    """Import in the parent what every worker would import on its first page (extruct pulls in
    rdflib, bs4 and mf2py: about a CPU second), so that forked workers inherit it."""
    import extruct  # noqa: F401

    from detectors.site import registrable_domain

    registrable_domain("https://example.org/")  # tldextract's suffix list


def _prepare(sites: Sequence[Site], detectors: Mapping[str, Detector]) -> None:
    """Let detectors that call an external checker do it once for many sites (the Nu Html
    Checker starts one JVM per call, about two CPU seconds): they expose `prepare(sites)`."""
    for detector in detectors.values():
        prepare = getattr(detector, "prepare", None)
        if callable(prepare):
            prepare(sites)


def _share(detectors: Mapping[str, Detector], detector_ids: Sequence[str] | None,
           bindings: Sequence[Binding] | None) -> None:
    """Let detectors that call an external checker start one for the whole run (the Nu Html
    Checker as a local service), before the workers start: they expose `share()`."""
    if detector_ids is not None:
        ids = set(detector_ids)
    elif bindings is not None:
        ids = {b.detector_id for b in bindings}
    else:
        ids = set(detectors)
    for detector_id in sorted(ids & set(detectors)):
        share = getattr(detectors[detector_id], "share", None)
        if callable(share):
            share()


def _run_chunk(jobs: Sequence[Any], load: Callable[[Any], Site], detector_ids: Sequence[str] | None,
               bindings: Sequence[Binding] | None, methodology_id: str,
               methodology_version: str) -> list[SiteResult]:
    detectors: Mapping[str, Detector] = _WORKER["detectors"]
    sites = [load(job) for job in jobs]
    ids = set(detector_ids) if detector_ids is not None else (
        {b.detector_id for b in bindings} if bindings is not None else set(detectors))
    _prepare(sites, {i: d for i, d in detectors.items() if i in ids})
    return [_run_one(job, lambda _j, s=site: s, detector_ids, bindings, methodology_id,
                     methodology_version) for job, site in zip(jobs, sites)]


def _run_one(job: Any, load: Callable[[Any], Site], detector_ids: Sequence[str] | None,
             bindings: Sequence[Binding] | None, methodology_id: str,
             methodology_version: str) -> SiteResult:
    started = time.perf_counter()
    detectors: Mapping[str, Detector] = _WORKER["detectors"]
    site = load(job)
    ids = list(detector_ids) if detector_ids is not None else (
        sorted({b.detector_id for b in bindings}) if bindings is not None else list(detectors))
    # Detection allocates many small objects that live as long as the Site: the cyclic
    # collector would walk them again and again (a quarter of the time); refcounting frees
    # nearly all of it (a released page at once: pages and their links hold no cycle), and one
    # collection per Site catches the rest.
    gc.disable()
    try:
        findings = run_detectors(site, {i: detectors[i] for i in ids if i in detectors})
    finally:
        gc.enable()
        gc.collect(1)
    proposals: list[Proposal] = []
    if bindings is not None:
        # The findings are reused: `run` runs each detector once, and these are already made.
        cached = {i: _Fixed(detectors[i].meta, f) for i, f in findings.items()}
        proposals = run(site, bindings, cached, methodology_id=methodology_id,
                        methodology_version=methodology_version)
    return SiteResult(job, findings, tuple(proposals), site.html_page_count,
                      time.perf_counter() - started, site.parsed_count)


class _Fixed:
    """A detector that returns a finding already made (so `run` can bind it to indicators)."""

    def __init__(self, meta: DetectorMeta, finding: Finding) -> None:
        self.meta = DetectorMeta(meta.id, meta.title, meta.description, (), meta.version)
        self._finding = finding

    def detect(self, site: Site) -> Finding:
        return self._finding


def run_many(
    jobs: Iterable[Any],
    load: Callable[[Any], Site],
    *,
    detectors: Mapping[str, Detector] | None = None,
    detector_ids: Sequence[str] | None = None,
    bindings: Sequence[Binding] | None = None,
    methodology_id: str = "",
    methodology_version: str = "",
    workers: int | None = None,
    chunk: int = 10,
) -> Iterator[SiteResult]:
    """Detectors over many Sites, one Site per task, in parallel processes; results in job order.

    Detection is CPU-bound (parsing, regexes), so threads would not help: the registry is
    loaded once in this process (or `detectors` is given), and the worker processes, forked
    after it, inherit it (under another start method it is pickled to them); each then builds
    and judges one Site per task. `load(job) -> Site` runs in the worker and must be picklable (a module-level
    function), and so must the jobs (a crawl id, a list of file paths, ...). With `workers=1`
    everything runs in this process, which is what tests and debugging want.
    """
    jobs = list(jobs)
    workers = workers or os.cpu_count() or 1
    args = (load, detector_ids, bindings, methodology_id, methodology_version)
    # Sites go to the workers in chunks, so that a detector with `prepare` (an external
    # checker) runs once per chunk rather than once per site; several chunks a worker, so that
    # the worker that drew the slower sites does not keep the others waiting at the end.
    size = max(1, min(chunk, -(-len(jobs) // (workers * (4 if workers > 1 else 1)))))
    chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    if workers == 1 or len(chunks) <= 1:
        if len(chunks) > 1:
            # Several chunks: one long-lived checker beats one start per chunk.
            if detectors is None:
                from detectors.registry import load_registry

                detectors = load_registry()
            _share(detectors, detector_ids, bindings)
        _init_worker(detectors)
        for part in chunks:
            yield from _run_chunk(part, *args)
        return
    from concurrent.futures import ProcessPoolExecutor

    if detectors is None:
        # Loaded once, here: forked workers inherit it rather than each loading and validating
        # every pattern file again (under another start method it is pickled to them).
        from detectors.registry import load_registry

        detectors = load_registry()
    _share(detectors, detector_ids, bindings)
    _warm()
    with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), initializer=_init_pool_worker,
                             initargs=(detectors,)) as pool:
        futures = [pool.submit(_run_chunk, part, *args) for part in chunks]
        for future in futures:
            yield from future.result()
