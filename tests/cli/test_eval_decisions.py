from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine

from losi.evaluate import evaluate_decisions
from scoring.methodology import builtin_dir, load_methodology
from storage.db import session_scope
from storage.models import City, Crawl, DecisionRow, ProposalRow

METHODOLOGY = load_methodology(builtin_dir() / "losi-2024.toml")
T0 = datetime(2026, 11, 1, tzinfo=timezone.utc)


def _proposal(crawl_id: int, city: str, code: str, outcome: str, detector: str) -> ProposalRow:
    return ProposalRow(crawl_id=crawl_id, city_id=city, methodology_id="losi-2024", methodology_version="1",
                       indicator_code=code, outcome=outcome, confidence=0.9, detector_id=detector,
                       detector_version=1, run_id="r")


def _decision(city: str, code: str, value: int, round_: str, minutes: int) -> DecisionRow:
    return DecisionRow(city_id=city, methodology_id="losi-2024", indicator_code=code, value=value,
                       assessor="ana", round=round_, decided_at=T0 + timedelta(minutes=minutes))


def test_proposals_are_scored_against_the_reconciled_decision(engine: Engine) -> None:
    with session_scope(engine) as session:
        for city in ("xaa-a", "xaa-b"):
            session.add(City(id=city, country="XAA", name=city, portal_url=f"http://{city}.example/"))
        session.flush()
        crawl = Crawl(city_id="xaa-a", seed_url="http://xaa-a.example/")
        other = Crawl(city_id="xaa-b", seed_url="http://xaa-b.example/")
        session.add_all([crawl, other])
        session.flush()
        session.add_all([
            _proposal(crawl.id, "xaa-a", "234", "present", "privacy-policy"),
            _proposal(other.id, "xaa-b", "234", "present", "privacy-policy"),
            _proposal(other.id, "xaa-b", "204", "needs_review", "mobile-viewport"),
            _proposal(crawl.id, "xaa-a", "281", "needs_review", "official-portal"),
        ])
        session.add_all([
            _decision("xaa-a", "234", 0, "a", 1), _decision("xaa-a", "234", 1, "reconciled", 2),
            _decision("xaa-a", "234", 0, "b", 3),  # a later round-B value does not undo the reconciled one
            _decision("xaa-b", "234", 0, "a", 1),  # the detector was wrong here
            _decision("xaa-b", "204", 1, "a", 1),
            _decision("xaa-a", "281", 1, "a", 1),  # no claim: counted as such, never a hit
        ])
    with session_scope(engine) as session:
        figures = evaluate_decisions(session, METHODOLOGY).to_dict()["indicators"]
    assert set(figures) == {"234", "204", "281"}
    assert (figures["234"]["tp"], figures["234"]["fp"], figures["204"]["no_claim"]) == (1, 1, 1)
    assert (figures["281"]["tp"], figures["281"]["fn"], figures["281"]["no_claim"]) == (0, 0, 1)
