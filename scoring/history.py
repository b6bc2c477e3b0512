"""Editions and history: a city's crawls over time with the score each one's proposals give,
the final score as decisions accumulated, "first seen / last confirmed" per indicator, and what
changed for a city between two editions (two methodologies, e.g. losi-2022 and losi-2024)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from losi.types import Outcome, Round
from scoring.methodology import Methodology
from scoring.results import city_results
from scoring.score import provisional_values, score
from storage.models import Crawl, DecisionRow, ProposalRow


@dataclass(frozen=True)
class CrawlPoint:
    crawl_id: int
    started_at: datetime | None
    status: str
    pages_ok: int
    provisional: float | None  # from that crawl's latest detection run; None: never detected


@dataclass(frozen=True)
class FinalPoint:
    day: str  # YYYY-MM-DD: the final score once that day's reconciled decisions were in
    value: float
    decided: int


@dataclass(frozen=True)
class IndicatorHistory:
    code: str
    first_seen: datetime | None  # the first proposal that found it present
    last_confirmed: datetime | None  # the latest reconciled decision that it is met
    current: int | None  # the latest reconciled value


def crawl_history(session: Session, city_id: str, methodology: Methodology) -> list[CrawlPoint]:
    points = []
    crawls = session.scalars(select(Crawl).where(Crawl.city_id == city_id).order_by(Crawl.id))
    for crawl in crawls:
        last_run = session.scalar(
            select(ProposalRow.run_id).where(ProposalRow.crawl_id == crawl.id,
                                             ProposalRow.methodology_id == methodology.id)
            .order_by(ProposalRow.id.desc()).limit(1))
        value = None
        if last_run is not None:
            codes = set(methodology.codes)
            outcomes = {p.indicator_code: p.outcome for p in session.scalars(
                select(ProposalRow).where(ProposalRow.run_id == last_run,
                                          ProposalRow.crawl_id == crawl.id))
                if p.indicator_code in codes}
            value = score(provisional_values(outcomes), methodology, provisional=True).value
        pages = (crawl.stats or {}).get("pages", {})
        points.append(CrawlPoint(crawl.id, crawl.started_at, crawl.status,
                                 int(pages.get("ok", 0)) if isinstance(pages, dict) else 0, value))
    return points


def _reconciled(session: Session, city_id: str, methodology_id: str) -> list[DecisionRow]:
    return list(session.scalars(
        select(DecisionRow).where(DecisionRow.city_id == city_id,
                                  DecisionRow.methodology_id == methodology_id,
                                  DecisionRow.round == Round.RECONCILED.value)
        .order_by(DecisionRow.decided_at, func.coalesce(DecisionRow.seq, 0), DecisionRow.id)))


def final_history(session: Session, city_id: str, methodology: Methodology) -> list[FinalPoint]:
    """The final score at the end of each day on which reconciled decisions were recorded."""
    codes = set(methodology.codes)
    values: dict[str, int] = {}
    points: list[FinalPoint] = []
    rows = [d for d in _reconciled(session, city_id, methodology.id) if d.indicator_code in codes]
    for n, row in enumerate(rows):
        values[row.indicator_code] = int(row.value)
        day = row.decided_at.date().isoformat()
        if n + 1 == len(rows) or rows[n + 1].decided_at.date().isoformat() != day:
            points.append(FinalPoint(day, score(values, methodology).value, len(values)))
    return points


def indicator_history(session: Session, city_id: str,
                      methodology: Methodology) -> list[IndicatorHistory]:
    first_seen = dict(session.execute(
        select(ProposalRow.indicator_code, func.min(ProposalRow.created_at))
        .where(ProposalRow.city_id == city_id, ProposalRow.methodology_id == methodology.id,
               ProposalRow.outcome == Outcome.PRESENT.value)
        .group_by(ProposalRow.indicator_code)).all())
    confirmed: dict[str, datetime] = {}
    current: dict[str, int] = {}
    for row in _reconciled(session, city_id, methodology.id):
        current[row.indicator_code] = int(row.value)
        if row.value == 1:
            confirmed[row.indicator_code] = row.decided_at
    return [IndicatorHistory(i.code, first_seen.get(i.code), confirmed.get(i.code),
                             current.get(i.code)) for i in methodology.indicators]


@dataclass(frozen=True)
class EditionChange:
    city_id: str
    a_value: float | None
    b_value: float | None
    a_provisional: bool
    b_provisional: bool
    gained: tuple[str, ...]  # indicator codes met in B, not in A (codes both editions share)
    lost: tuple[str, ...]
    only_a: int  # indicators only edition A has
    only_b: int

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__ | {"gained": list(self.gained), "lost": list(self.lost)}


def compare_editions(session: Session, a: Methodology, b: Methodology,
                     city_ids: Sequence[str] | None = None) -> list[EditionChange]:
    """Per city: the score in each edition (final, else provisional and said so) and the shared
    indicators it gained or lost between them."""
    left = {r.city_id: r for r in city_results(session, a, city_ids)}
    right = {r.city_id: r for r in city_results(session, b, city_ids)}
    shared = set(a.codes) & set(b.codes)
    changes = []
    for city_id in sorted(set(left) | set(right)):
        ra, rb = left.get(city_id), right.get(city_id)

        def values(r):  # type: ignore[no-untyped-def]
            if r is None:
                return {}, None, False
            if r.final is not None:
                return dict(r.final_values), r.final.value, False
            return (provisional_values({c: p.outcome for c, p in r.proposals.items()}),
                    r.provisional.value, True)

        va, sa, pa = values(ra)
        vb, sb, pb = values(rb)
        gained = tuple(sorted(c for c in shared if vb.get(c) == 1 and va.get(c) == 0))
        lost = tuple(sorted(c for c in shared if va.get(c) == 1 and vb.get(c) == 0))
        changes.append(EditionChange(city_id, sa, sb, pa, pb, gained, lost,
                                     len(set(a.codes) - shared), len(set(b.codes) - shared)))
    return changes
