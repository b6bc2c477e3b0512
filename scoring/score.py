"""LOSI scores: points over the methodology's denominator, per-criterion sub-scores, levels.

A final score comes from assessors' decisions; a provisional one from detector proposals and is
always labelled so. Arithmetic is exact (fractions) because published values are multiples of
1/96 that land on level boundaries and on rounding half-way points (87/96 = 0.90625).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from losi.types import Outcome
from scoring.methodology import Level, Methodology


@dataclass(frozen=True)
class CriterionScore:
    criterion: str
    points: Fraction
    max_points: Fraction  # total weight of the criterion's indicators
    published: bool  # False for groupings the published index does not report (LOSI 2024's EGL)

    @property
    def ratio(self) -> Fraction | None:
        return self.points / self.max_points if self.max_points else None

    def to_dict(self) -> dict[str, Any]:
        ratio = self.ratio
        return {
            "criterion": self.criterion,
            "points": _number(self.points),
            "max_points": _number(self.max_points),
            "published": self.published,
            "ratio": None if ratio is None else round_half_up(ratio, 4),
        }


@dataclass(frozen=True)
class Score:
    methodology_id: str
    methodology_version: str
    points: Fraction
    denominator: Fraction
    exact: Fraction  # points / denominator, unrounded
    value: float  # `exact` rounded half-up to 4 places, for display as published (0.9063)
    level: str  # the Level's name
    criteria: tuple[CriterionScore, ...]
    provisional: bool  # True when computed from proposals rather than decisions
    missing: tuple[str, ...]  # scored indicator codes with no value: counted as 0 points

    @property
    def complete(self) -> bool:
        return not self.missing

    def to_dict(self) -> dict[str, Any]:
        return {
            "methodology_id": self.methodology_id,
            "methodology_version": self.methodology_version,
            "points": _number(self.points),
            "denominator": _number(self.denominator),
            "exact": f"{self.exact.numerator}/{self.exact.denominator}",
            "value": self.value,
            "level": self.level,
            "provisional": self.provisional,
            "missing": list(self.missing),
            "criteria": [c.to_dict() for c in self.criteria],
        }


def round_half_up(value: Fraction, places: int) -> float:
    """Round as the published tables do: 87/96 = 0.90625 -> 0.9063 (round() would give 0.9062)."""
    scale = 10**places
    return math.floor(value * scale + Fraction(1, 2)) / scale


def level_for(value: float | Fraction, methodology: Methodology) -> Level:
    """The level a score in [0, 1] belongs to: the first (highest) one whose minimum it reaches."""
    if not 0 <= value <= 1:
        raise ValueError(f"a LOSI value is within [0, 1], not {float(value)}")
    for level in methodology.levels:
        if level.contains(value):
            return level
    # The loader requires the lowest level to start at 0 inclusive, so this is a bug, not input.
    raise AssertionError(f"methodology {methodology.id}: no level contains {float(value)}")


def score(values: Mapping[str, int], methodology: Methodology, *,
          provisional: bool = False) -> Score:
    """Score one city: `values` maps indicator code to 1 or 0.

    A scored indicator (weight > 0) with no value earns nothing and is listed in `missing`, so a
    partial assessment is visible rather than looking like a low one.
    """
    codes = set(methodology.codes)
    for code, value in values.items():
        if code not in codes:
            if any(c.id == code for c in methodology.checks):
                raise ValueError(f"{code!r} is a supplementary check of {methodology.id}, "
                                 "never scored")
            raise ValueError(f"{code!r} is not an indicator code of {methodology.id}")
        if isinstance(value, bool) or value not in (0, 1):
            raise ValueError(f"indicator {code}: a value is 0 or 1, not {value!r}")

    points: dict[str, Fraction] = {c.id: Fraction(0) for c in methodology.criteria}
    max_points: dict[str, Fraction] = {c.id: Fraction(0) for c in methodology.criteria}
    missing: list[str] = []
    for ind in methodology.indicators:
        weight = _fraction(ind.weight)
        max_points[ind.criterion] += weight
        if ind.code not in values:
            if ind.scored:
                missing.append(ind.code)
        elif values[ind.code] == 1:
            points[ind.criterion] += weight

    total = sum(points.values(), Fraction(0))
    denominator = _fraction(methodology.denominator)
    exact = total / denominator
    return Score(
        methodology_id=methodology.id,
        methodology_version=methodology.version,
        points=total,
        denominator=denominator,
        exact=exact,
        value=round_half_up(exact, 4),
        level=level_for(exact, methodology).name,
        criteria=tuple(
            CriterionScore(c.id, points[c.id], max_points[c.id], c.published)
            for c in methodology.criteria
        ),
        provisional=provisional,
        missing=tuple(missing),
    )


def provisional_values(outcomes: Mapping[str, str]) -> dict[str, int]:
    """Indicator values from proposal outcomes: only the two claims become values.

    needs_review, not_assessable and error stay missing: a portal the crawl could not see is
    not a portal without the feature, so it must not be scored 0.
    """
    values: dict[str, int] = {}
    for code, outcome in outcomes.items():
        if outcome == Outcome.PRESENT.value:
            values[code] = 1
        elif outcome == Outcome.ABSENT.value:
            values[code] = 0
    return values


def _fraction(number: float | int) -> Fraction:
    # Through the decimal text, so a weight of 0.1 is 1/10 and not its binary approximation.
    return Fraction(number) if isinstance(number, int) else Fraction(repr(number))


def _number(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)
