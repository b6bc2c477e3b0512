"""run_many: detectors over many Sites, one Site per task, in parallel processes."""

from __future__ import annotations

from detectors.registry import load_registry
from detectors.runner import Binding, run_many
from detectors.site import Site
from losi.types import Outcome


def load(job: tuple[str, str]) -> Site:  # module level: picklable for worker processes
    url, body = job
    return Site.from_html(url, body)


JOBS = [("https://a.example/", "<footer><a href='/privacy'>Privacy policy</a></footer>"),
        ("https://b.example/", "<footer><a href='/about'>About</a></footer>")]


def test_results_come_back_in_job_order_with_findings() -> None:
    results = list(run_many(JOBS, load, detector_ids=["privacy-policy"], workers=1))
    assert [r.findings["privacy-policy"].outcome for r in results] == [Outcome.PRESENT, Outcome.ABSENT]
    assert [r.job for r in results] == JOBS and results[0].pages == 1 and results[0].parsed == 1


def test_bindings_give_proposals() -> None:
    [first, _] = run_many(JOBS, load, bindings=[Binding("234", "privacy-policy")],
                          methodology_id="m", methodology_version="1", workers=1)
    [proposal] = first.proposals
    assert (proposal.indicator_code, proposal.outcome, proposal.methodology_id) == (
        "234", Outcome.PRESENT, "m")


def test_parallel_workers_give_the_same_findings_as_one() -> None:
    registry = load_registry()
    ids = ["privacy-policy", "social-networks"]
    one = [r.findings for r in run_many(JOBS * 2, load, detector_ids=ids, workers=1)]
    two = [r.findings for r in run_many(JOBS * 2, load, detector_ids=ids, workers=2,
                                        detectors=registry)]
    assert one == two


def test_lockstep_gives_the_findings_of_one_detector_at_a_time_and_frees_pages() -> None:
    from detectors.runner import run_detector, run_detectors
    from tests.detectors.sites import SEED, home, page, site

    def make() -> Site:
        return site(home("<nav><a href='/about'>About</a></nav>"),
                    *(page(f"{SEED}p{n}", f"<footer><a href='/x{n}'>Page {n}</a></footer>", depth=1)
                      for n in range(5)),
                    page(SEED + "last", "<footer><a href='/privacy'>Privacy policy</a></footer>",
                         depth=2))

    registry = load_registry()
    together = run_detectors(s := make(), registry)
    assert together == {i: run_detector(d, make()) for i, d in registry.items()}
    assert s.parsed_count == 7 and len(s._parsed) == 1  # only the home page is still parsed


class _Batched:
    """A detector with an external checker: `prepare` once for many sites, then `detect`."""

    meta = __import__("losi.types", fromlist=["DetectorMeta"]).DetectorMeta(
        "batched", "Batched", "counts how often its external checker runs", ("home",), 1)
    batches: list[int] = []

    def prepare(self, sites: list[Site]) -> None:
        self.batches.append(len(sites))

    def detect(self, site: Site):  # type: ignore[no-untyped-def]
        from losi.types import Evidence, Finding

        return Finding(Outcome.PRESENT, 1.0, (Evidence(site.seed_url, "checked"),))


def test_an_external_checker_runs_once_per_chunk_of_sites() -> None:
    _Batched.batches.clear()
    jobs = [(f"https://c{n}.example/", "<p>home</p>") for n in range(25)]
    results = list(run_many(jobs, load, detectors={"batched": _Batched()}, workers=1, chunk=10))
    assert (len(results), _Batched.batches) == (25, [10, 10, 5])
