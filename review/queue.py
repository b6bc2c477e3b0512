"""The review queue: what each person has to decide for one city, most needed first.

Blindness is enforced here, not in templates: an assessor's queue reads only the decisions of
their own round (`a` or `b`); only the reviewer's queue reads both.

Decisions are append-only. `record_decision` writes a new row numbered `seq` = the latest
number the person saw + 1; the unique constraint on (city, edition, indicator, round, seq)
makes the database refuse the later of two concurrent writes, which becomes a `Conflict` with
the decision that won, never a silently lost one.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from losi.types import Outcome, Round
from storage.db import session_scope
from storage.models import Assignment, DecisionRow, ProposalRow, ResponsivenessTest, User

LOW_CONFIDENCE = 0.75
RESPONSIVENESS_CODES = ("250", "252")

# Ranks: lower comes first.
RANK_CONTRADICTED = 0
RANK_DISAGREEMENT = 1
RANK_NEEDS_PERSON = 2
RANK_LOW_CONFIDENCE = 3
RANK_CONFIDENT = 4
RANK_WAITING = 8
RANK_DONE = 9


class DecisionError(ValueError):
    """A decision that cannot be taken as given: one line for the person."""


@dataclass(frozen=True)
class DecidedFirst:
    """The decision that won a race: a plain copy, readable after its transaction ended."""

    id: int
    assessor: str
    value: int
    reason: str
    decided_at: datetime
    seq: int


class Conflict(Exception):
    """Someone else decided this item (same round) after the page was loaded."""

    def __init__(self, latest: DecisionRow) -> None:
        super().__init__(f"{latest.assessor} decided this item first")
        self.latest = DecidedFirst(latest.id, latest.assessor, latest.value, latest.reason,
                                   latest.decided_at, latest.seq or 0)


def claim_value(outcome: str | None) -> int | None:
    if outcome == Outcome.PRESENT.value:
        return 1
    if outcome == Outcome.ABSENT.value:
        return 0
    return None


@dataclass
class Item:
    code: str
    name: str
    question: str
    how_checked: str
    criterion: str
    order: int
    proposal: Proposal | None = None
    mine: Decided | None = None  # latest decision of the viewer's round
    seq: int = 0  # its seq (0: none yet): the form sends it back as the expected one
    a: Decided | None = None  # reviewer only
    b: Decided | None = None  # reviewer only
    suggestion: int | None = None
    suggestion_source: str = ""
    flags: list[str] = field(default_factory=list)
    rank: int = RANK_NEEDS_PERSON

    @property
    def done(self) -> bool:
        return self.mine is not None

    @property
    def confidence(self) -> float:
        return self.proposal.confidence if self.proposal is not None else 0.0

    @property
    def sort_key(self) -> tuple[int, float, int]:
        return (self.rank, self.confidence, self.order)


# The queue and the item page read every indicator's latest proposal and decisions: 200 to 300
# rows a page. They are read as plain rows (the model's columns as attributes, read-only), which
# cost a fifth of what ORM objects cost to build; `_latest` and `history` still give ORM rows.
Proposal = Any  # a row with ProposalRow's columns but `details`
Decided = Any  # a row with DecisionRow's columns


@functools.cache
def _statements() -> dict[str, Any]:
    """The queue's queries, built once with bound parameters: building them on every page cost
    more than running them (SQLAlchemy caches their compiled SQL either way)."""
    city, meth = bindparam("city"), bindparam("meth")
    rounds = bindparam("rounds", expanding=True)
    newest = (select(func.max(ProposalRow.id))
              .where(ProposalRow.city_id == city, ProposalRow.methodology_id == meth)
              .group_by(ProposalRow.indicator_code))
    # Every column but `details` (a detector's working data, which no page shows and which can
    # be large): 95 JSON documents fewer to send and parse a page.
    proposals = (select(*(c for c in ProposalRow.__table__.c if c.name != "details"))
                 .where(ProposalRow.id.in_(newest)))
    mine = (DecisionRow.city_id == city, DecisionRow.methodology_id == meth,
            DecisionRow.round.in_(rounds))
    # The latest decision of every chain (round, indicator) of one city, in one pass over the
    # city's decisions: the highest seq first, then rows without a number (other tools) in time
    # order. This is what PostgreSQL runs. The join of the decisions to their per-chain MAX(seq)
    # below let it, whenever it had no statistics on the table (a new table, or autovacuum off),
    # estimate one row a side and re-run the aggregate once per decision of the city: n^2 rows,
    # 23 to 26 ms of the server's CPU at 285 decisions, 2.4 to 2.6 s at 2280, so the database's
    # CPU grew with every decision of the load run (docs/review.md, third pass). A window over one
    # index range has no join order to get wrong: 0.5 to 4.5 ms at those sizes.
    latest = (
        select(*DecisionRow.__table__.c, func.row_number().over(
            partition_by=(DecisionRow.round, DecisionRow.indicator_code),
            order_by=(DecisionRow.seq.desc().nulls_last(), DecisionRow.decided_at.desc(),
                      DecisionRow.id.desc())).label("n"))
        .where(*mine).subquery())
    latest_window = select(*(latest.c[c.name] for c in DecisionRow.__table__.c)).where(latest.c.n == 1)
    # SQLite, whose planner drives this join from the aggregate through the unique index (and
    # whose window functions copy every row into a sorter, 1.5 to 3 times the CPU), keeps the
    # join: the highest seq of each chain by GROUP BY, then the rows without a number.
    top = (select(DecisionRow.indicator_code, DecisionRow.round,
                  func.max(DecisionRow.seq).label("seq"))
           .where(*mine).group_by(DecisionRow.indicator_code, DecisionRow.round).subquery())
    numbered = (select(*DecisionRow.__table__.c)
                .join(top, (DecisionRow.indicator_code == top.c.indicator_code)
                      & (DecisionRow.round == top.c.round) & (DecisionRow.seq == top.c.seq))
                .where(DecisionRow.city_id == city, DecisionRow.methodology_id == meth))
    ranked = (
        select(DecisionRow.id, func.row_number().over(
            partition_by=(DecisionRow.round, DecisionRow.indicator_code),
            order_by=(DecisionRow.decided_at.desc(), DecisionRow.id.desc())).label("n"))
        .where(*mine, DecisionRow.seq.is_(None)).subquery())
    unnumbered = (select(*DecisionRow.__table__.c)
                  .join(ranked, ranked.c.id == DecisionRow.id).where(ranked.c.n == 1))
    return {"proposals": proposals, "latest": latest_window, "numbered": numbered,
            "unnumbered": unnumbered}


def latest_proposals(session: Session, city_id: str, methodology_id: str) -> dict[str, Proposal]:
    rows = session.connection().execute(_statements()["proposals"],
                                        {"city": city_id, "meth": methodology_id})
    return {p.indicator_code: p for p in rows}


def latest_decisions(session: Session, city_id: str, methodology_id: str,
                     rounds: Iterable[str]) -> dict[tuple[str, str], Decided]:
    """(round, code) -> the latest decision, only for the rounds asked for.

    The database picks the latest of each chain, so only one row per item reaches Python, however
    many changes of mind the history holds. A chain's latest is its highest `seq`; rows without a
    number (other tools) come after numbered ones, in time order. PostgreSQL does it in one pass
    over the city's decisions (a window); SQLite by a GROUP BY over the unique index on (city,
    edition, indicator, round, seq), then the rows without a number (see `_statements`)."""
    params = {"city": city_id, "meth": methodology_id, "rounds": list(rounds)}
    conn, statements = session.connection(), _statements()
    if conn.dialect.name != "sqlite":
        return {(d.round, d.indicator_code): d for d in conn.execute(statements["latest"], params)}
    latest = {(d.round, d.indicator_code): d for d in conn.execute(statements["numbered"], params)}
    for d in conn.execute(statements["unnumbered"], params):
        latest.setdefault((d.round, d.indicator_code), d)
    return latest


def responsiveness_suggestions(session: Session, city_id: str, methodology_id: str,
                               country: str) -> dict[str, tuple[int | None, str]]:
    from review.responsiveness import calendar, evaluate

    test = session.scalar(select(ResponsivenessTest)
                          .where(ResponsivenessTest.city_id == city_id,
                                 ResponsivenessTest.methodology_id == methodology_id)
                          .order_by(ResponsivenessTest.id.desc()).limit(1))
    if test is None:
        return {}
    result = evaluate(test.sent_at, test.reply_at, test.useful, calendar(country))
    why = f"responsiveness test {test.id}: {result.explanation}"
    return {"250": (result.value_250, why), "252": (result.value_252, why)}


def build_queue(session: Session, methodology: Any, city_id: str, country: str,
                round_: Round) -> list[Item]:
    """Every indicator of the methodology for one city, as `round_` sees it, most needed first."""
    proposals = latest_proposals(session, city_id, methodology.id)
    rounds = [Round.A.value, Round.B.value, Round.RECONCILED.value] if round_ is Round.RECONCILED \
        else [round_.value]
    decisions = latest_decisions(session, city_id, methodology.id, rounds)
    responses = responsiveness_suggestions(session, city_id, methodology.id, country)
    items = []
    for order, ind in enumerate(methodology.indicators):
        item = Item(ind.code, ind.name, ind.question, ind.how_checked, ind.criterion, order,
                    proposal=proposals.get(ind.code))
        mine = decisions.get((round_.value, ind.code))
        item.mine, item.seq = mine, (mine.seq or 0) if mine is not None else 0
        if item.proposal is not None and (v := claim_value(item.proposal.outcome)) is not None:
            item.suggestion = v
            item.suggestion_source = f"proposal: {item.proposal.outcome} ({item.proposal.detector_id})"
        if ind.code in responses:
            value, why = responses[ind.code]
            item.suggestion, item.suggestion_source = value, why
        if round_ is Round.RECONCILED:
            item.a = decisions.get((Round.A.value, ind.code))
            item.b = decisions.get((Round.B.value, ind.code))
        _rank(item, round_)
        items.append(item)
    items.sort(key=lambda i: i.sort_key)
    return items


def _contradicts(proposal: Proposal | None, decision: Decided) -> bool:
    """A newer proposal than the one the decision saw, whose claim differs from its value."""
    if proposal is None:
        return False
    value = claim_value(proposal.outcome)
    newer = decision.proposal_id is None or proposal.id > decision.proposal_id
    return newer and value is not None and value != decision.value


def _rank(item: Item, round_: Round) -> None:
    p = item.proposal
    claim = claim_value(p.outcome) if p is not None else None
    if item.mine is not None:
        item.rank = RANK_DONE
        if _contradicts(p, item.mine):
            item.rank = RANK_CONTRADICTED
            item.flags.append(f"a newer proposal ({p.outcome}, run {p.run_id[:8]}) "  # type: ignore[union-attr]
                              f"contradicts the decision {item.mine.value}")
        if round_ is Round.RECONCILED:
            for d in (item.a, item.b):
                if d is not None and d.decided_at > item.mine.decided_at and d.value != item.mine.value:
                    item.rank = RANK_CONTRADICTED
                    item.flags.append(f"round {d.round.upper()} changed to {d.value} after reconciliation")
        return
    if round_ is Round.RECONCILED:
        if item.a is None or item.b is None:
            item.rank = RANK_WAITING
            item.flags.append("waiting for " + " and ".join(
                r.upper() for r, d in (("a", item.a), ("b", item.b)) if d is None))
            return
        if item.a.value != item.b.value:
            item.rank = RANK_DISAGREEMENT
            item.flags.append(f"assessors disagree: A {item.a.value}, B {item.b.value}")
            return
        if claim is not None and claim != item.a.value:
            item.rank = RANK_LOW_CONFIDENCE
            item.flags.append(f"both assessors say {item.a.value}; the proposal says {p.outcome}")  # type: ignore[union-attr]
            return
        item.rank = RANK_CONFIDENT
        return
    if claim is None and item.suggestion is None:
        item.rank = RANK_NEEDS_PERSON
    elif item.suggestion is not None and claim is None:
        item.rank = RANK_LOW_CONFIDENCE
    elif p is not None and p.confidence < LOW_CONFIDENCE:
        item.rank = RANK_LOW_CONFIDENCE
        item.flags.append(f"low confidence {p.confidence:.2f}")
    else:
        item.rank = RANK_CONFIDENT


def next_item(items: Sequence[Item], after: str | None = None) -> Item | None:
    """The first undecided (or flagged) item, other than `after`."""
    for item in items:
        if item.code != after and item.rank < RANK_WAITING:
            return item
    return None


# ---- assignments --------------------------------------------------------------------------------


def assignments(session: Session, city_id: str, methodology_id: str) -> dict[str, User]:
    rows = session.execute(
        select(Assignment.round, User).join(User, User.id == Assignment.user_id)
        .where(Assignment.city_id == city_id, Assignment.methodology_id == methodology_id)).all()
    return {r: u for r, u in rows}


def round_for(session: Session, user: User, city_id: str, methodology_id: str) -> Round | None:
    """The round this user works in for this city, or None when they have no business there."""
    if user.role == "reviewer":
        return Round.RECONCILED
    if user.role != "assessor":
        return None
    for r, u in assignments(session, city_id, methodology_id).items():
        if u.id == user.id and r in (Round.A.value, Round.B.value):
            return Round(r)
    return None


class AssignmentError(ValueError):
    pass


def assign(session: Session, city_id: str, methodology_id: str, a: User, b: User,
           reviewer: User | None, by: str) -> None:
    """Two different assessors, blind, and optionally the reviewer who reconciles."""
    if a.id == b.id:
        raise AssignmentError("assessors A and B must be two different people")
    for who in (a, b):
        if who.role != "assessor" or not who.active:
            raise AssignmentError(f"{who.name} is not an active assessor")
    if reviewer is not None and (reviewer.role != "reviewer" or not reviewer.active):
        raise AssignmentError(f"{reviewer.name} is not an active reviewer")
    current = {row.round: row for row in session.scalars(
        select(Assignment).where(Assignment.city_id == city_id,
                                 Assignment.methodology_id == methodology_id))}
    wanted = {Round.A.value: a, Round.B.value: b}
    if reviewer is not None:
        wanted[Round.RECONCILED.value] = reviewer
    for r, user in wanted.items():
        row = current.get(r)
        if row is None:
            session.add(Assignment(city_id=city_id, methodology_id=methodology_id, round=r,
                                   user_id=user.id, assigned_by=by))
        elif row.user_id != user.id:
            # Decisions stay with their round and name: a reassignment never touches them.
            row.user_id, row.assigned_by, row.assigned_at = user.id, by, datetime.now().astimezone()


# ---- decisions ----------------------------------------------------------------------------------


def record_decision(engine: Engine, *, methodology: Any, city_id: str, code: str, round_: Round,
                    value: int, reason: str, proposal_id: int | None, expected_seq: int,
                    user: User) -> DecisionRow:
    """Append a decision, or raise Conflict when someone decided the same item and round first."""
    if value not in (0, 1):
        raise DecisionError("a decision is 1 (present) or 0 (absent)")
    try:
        methodology.indicator(code)
    except KeyError as exc:
        raise DecisionError(f"{methodology.id} has no indicator {code!r}") from exc
    reason = reason.strip()
    if len(reason) > 4000:
        raise DecisionError("the comment is too long: keep it under 4000 characters")
    try:
        with session_scope(engine) as session:
            proposal = session.get(ProposalRow, proposal_id) if proposal_id else None
            if proposal_id and (proposal is None or proposal.city_id != city_id
                                or proposal.indicator_code != code
                                or proposal.methodology_id != methodology.id):
                raise DecisionError("the proposal sent with the form does not belong to this item")
            if round_ is not Round.RECONCILED and code not in RESPONSIVENESS_CODES:
                claim = claim_value(proposal.outcome) if proposal is not None else None
                if claim is not None and claim != value and not reason:
                    raise DecisionError("an override needs a comment saying why")
            if round_ is Round.RECONCILED:
                a = _latest(session, city_id, methodology.id, code, Round.A)
                b = _latest(session, city_id, methodology.id, code, Round.B)
                if a is None or b is None:
                    raise DecisionError("both assessors must decide this indicator before it is reconciled")
                if a.value != b.value and not reason:
                    raise DecisionError("reconciling a disagreement needs a comment saying why")
            latest = _latest(session, city_id, methodology.id, code, round_)
            if latest is not None and (latest.seq or 0) != expected_seq:
                raise Conflict(latest)
            if latest is None and expected_seq != 0:
                raise DecisionError("the form is out of date: reload the page")
            row = DecisionRow(city_id=city_id, methodology_id=methodology.id, indicator_code=code,
                              value=value, assessor=user.name, round=round_.value, reason=reason,
                              proposal_id=proposal_id, seq=expected_seq + 1)
            session.add(row)
            # Another process may have written the same seq since _latest: the unique constraint
            # refuses this row then, at the flush or the commit.
            session.flush()
            return row
    except IntegrityError:
        with session_scope(engine) as session:
            latest = _latest(session, city_id, methodology.id, code, round_)
            if latest is None:
                raise
            raise Conflict(latest) from None


def _latest(session: Session, city_id: str, methodology_id: str, code: str,
            round_: Round) -> DecisionRow | None:
    return session.scalar(
        select(DecisionRow)
        .where(DecisionRow.city_id == city_id, DecisionRow.methodology_id == methodology_id,
               DecisionRow.indicator_code == code, DecisionRow.round == round_.value)
        .order_by(DecisionRow.seq.desc().nulls_last(), DecisionRow.id.desc()).limit(1))


def history(session: Session, city_id: str, methodology_id: str, code: str,
            rounds: Iterable[str]) -> list[DecisionRow]:
    return list(session.scalars(
        select(DecisionRow)
        .where(DecisionRow.city_id == city_id, DecisionRow.methodology_id == methodology_id,
               DecisionRow.indicator_code == code, DecisionRow.round.in_(list(rounds)))
        .order_by(DecisionRow.decided_at.desc(), DecisionRow.id.desc())))


# ---- agreement and the final score --------------------------------------------------------------


def cohen_kappa(pairs: Sequence[tuple[int, int]]) -> float | None:
    """Cohen's kappa of two raters on binary values; None when undefined (no pairs, or chance
    agreement is 1: both gave one and the same value throughout)."""
    n = len(pairs)
    if n == 0:
        return None
    po = sum(1 for x, y in pairs if x == y) / n
    pa1 = sum(x for x, _ in pairs) / n
    pb1 = sum(y for _, y in pairs) / n
    pe = pa1 * pb1 + (1 - pa1) * (1 - pb1)
    if pe == 1:
        return None
    return (po - pe) / (1 - pe)


def final_values(session: Session, city_id: str, methodology: Any) -> dict[str, int]:
    rec = latest_decisions(session, city_id, methodology.id, [Round.RECONCILED.value])
    codes = set(methodology.codes)
    return {code: d.value for (_, code), d in rec.items() if code in codes}


def final_values_of(items: Iterable[Item]) -> dict[str, int]:
    """The same values from a reviewer's queue, which has already read them."""
    return {i.code: i.mine.value for i in items if i.mine is not None}
