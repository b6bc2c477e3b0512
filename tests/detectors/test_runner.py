from __future__ import annotations

from detectors.runner import Binding, run, run_detector
from detectors.site import Site
from losi.types import DetectorMeta, Evidence, FetchStatus, Finding, Outcome
from tests.detectors.sites import SEED, failed, home, site


class Exploding:
    meta = DetectorMeta("exploding", "Exploding", "raises", ("home",), 3)

    def detect(self, site: Site) -> Finding:
        raise KeyError("boom")


class Counting:
    meta = DetectorMeta("counting", "Counting", "counts its calls", ("pages",), 1)

    def __init__(self) -> None:
        self.calls = 0

    def detect(self, site: Site) -> Finding:
        self.calls += 1
        return Finding(Outcome.PRESENT, 1.0, (Evidence(SEED, "seen"),))


def test_an_exception_becomes_error_never_absent() -> None:
    finding = run_detector(Exploding(), site(home("x")))
    assert (finding.outcome, finding.reason) == (Outcome.ERROR, "KeyError: 'boom'")


def test_a_missing_artifact_is_not_assessable_and_says_why() -> None:
    finding = run_detector(Exploding(), site(failed(SEED, FetchStatus.TIMEOUT, "took too long")))
    assert finding.outcome is Outcome.NOT_ASSESSABLE and "took too long" in finding.reason


def test_a_detector_shared_by_two_indicators_runs_once() -> None:
    counting = Counting()
    proposals = run(site(home("x")), [Binding("1", "counting"), Binding("2", "counting")],
                    {"counting": counting}, methodology_id="m", methodology_version="1")
    assert counting.calls == 1 and [p.indicator_code for p in proposals] == ["1", "2"]


def test_an_unknown_detector_is_an_error_proposal() -> None:
    [proposal] = run(site(home("x")), [Binding("9", "missing-one")], {},
                     methodology_id="m", methodology_version="1")
    assert proposal.outcome is Outcome.ERROR


def test_proposals_carry_detector_and_methodology_versions() -> None:
    [proposal] = run(site(home("x")), [Binding("1", "exploding")], {"exploding": Exploding()},
                     methodology_id="losi-2024", methodology_version="7")
    assert (proposal.detector_version, proposal.methodology_id, proposal.methodology_version) == (
        3, "losi-2024", "7")


def test_guidance_goes_with_every_proposal_a_person_must_finish() -> None:
    [proposal] = run(site(home("x")), [Binding("1", "exploding", "Look for a footer link.")],
                     {"exploding": Exploding()}, methodology_id="m", methodology_version="1")
    assert proposal.details["guidance"] == "Look for a footer link."
