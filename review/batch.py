"""Decisions from the command line (`losi decide`): one decision, or many at once, through the
same path as the app (`queue.record_decision`: assignment and blindness rules, optimistic
concurrency, append-only rows that name the proposal seen).

The batch forms are for what needs no judgement: an assessor confirming every present/absent
claim of the detectors for a city (`confirm_claims`), and a reviewer reconciling every
indicator on which both assessors agree (`reconcile_agreements`). Neither decides an indicator
without a claim, nor one already decided in that round.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select

from losi.types import Round
from review.queue import (
    DecisionError,
    _latest,
    claim_value,
    latest_decisions,
    latest_proposals,
    record_decision,
    round_for,
)
from storage.db import session_scope
from storage.models import City, User


@dataclass
class BatchResult:
    recorded: int = 0
    skipped_no_claim: int = 0
    skipped_decided: int = 0
    skipped_disagreement: int = 0


def _user_round(engine: Engine, methodology: Any, city_id: str, name: str) -> tuple[User, Round]:
    with session_scope(engine) as session:
        user = session.scalar(select(User).where(User.name == name))
        if user is None or not user.active:
            raise DecisionError(f"no active account {name!r} (see `losi users list`)")
        if session.get(City, city_id) is None:
            raise DecisionError(f"no city {city_id} (see `losi cities`)")
        round_ = round_for(session, user, city_id, methodology.id)
        if round_ is None:
            raise DecisionError(f"{name} ({user.role}) is not assigned to {city_id}: a "
                                "coordinator assigns assessors in the review app")
        session.expunge(user)
        return user, round_


def decide_one(engine: Engine, methodology: Any, city_id: str, code: str, value: int,
               name: str, reason: str = "") -> Round:
    user, round_ = _user_round(engine, methodology, city_id, name)
    with session_scope(engine) as session:
        proposal = latest_proposals(session, city_id, methodology.id).get(code)
        latest = _latest(session, city_id, methodology.id, code, round_)
        proposal_id = proposal.id if proposal is not None else None
        seq = (latest.seq or 0) if latest is not None else 0
    record_decision(engine, methodology=methodology, city_id=city_id, code=code, round_=round_,
                    value=value, reason=reason, proposal_id=proposal_id, expected_seq=seq,
                    user=user)
    return round_


def confirm_claims(engine: Engine, methodology: Any, city_id: str, name: str,
                   reason: str = "confirmed the detector's claim") -> BatchResult:
    """An assessor (round a or b) confirms every present/absent proposal not yet decided."""
    user, round_ = _user_round(engine, methodology, city_id, name)
    if round_ is Round.RECONCILED:
        raise DecisionError("a reviewer reconciles the assessors' values: use "
                            "--reconcile-agreements")
    result = BatchResult()
    with session_scope(engine) as session:
        proposals = latest_proposals(session, city_id, methodology.id)
        decided = latest_decisions(session, city_id, methodology.id, [round_.value])
    for indicator in methodology.indicators:
        proposal = proposals.get(indicator.code)
        claim = claim_value(proposal.outcome) if proposal is not None else None
        if claim is None:
            result.skipped_no_claim += 1
        elif (round_.value, indicator.code) in decided:
            result.skipped_decided += 1
        else:
            record_decision(engine, methodology=methodology, city_id=city_id,
                            code=indicator.code, round_=round_, value=claim, reason=reason,
                            proposal_id=proposal.id, expected_seq=0, user=user)
            result.recorded += 1
    return result


def reconcile_agreements(engine: Engine, methodology: Any, city_id: str, name: str,
                         reason: str = "both assessors agree") -> BatchResult:
    """A reviewer records the reconciled value of every indicator both assessors agree on."""
    user, round_ = _user_round(engine, methodology, city_id, name)
    if round_ is not Round.RECONCILED:
        raise DecisionError(f"{name} is an assessor: only a reviewer reconciles")
    result = BatchResult()
    with session_scope(engine) as session:
        proposals = latest_proposals(session, city_id, methodology.id)
        decided = latest_decisions(session, city_id, methodology.id,
                                   [Round.A.value, Round.B.value, Round.RECONCILED.value])
    for indicator in methodology.indicators:
        a = decided.get((Round.A.value, indicator.code))
        b = decided.get((Round.B.value, indicator.code))
        if (Round.RECONCILED.value, indicator.code) in decided:
            result.skipped_decided += 1
        elif a is None or b is None:
            result.skipped_no_claim += 1
        elif a.value != b.value:
            result.skipped_disagreement += 1
        else:
            proposal = proposals.get(indicator.code)
            record_decision(engine, methodology=methodology, city_id=city_id,
                            code=indicator.code, round_=Round.RECONCILED, value=a.value,
                            reason=reason, proposal_id=proposal.id if proposal else None,
                            expected_seq=0, user=user)
            result.recorded += 1
    return result
