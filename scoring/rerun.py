"""What a re-run of the detectors changed: proposals that flipped since the previous run, and
confirmed decisions the new proposals now contradict.

A re-run (`losi detect`) adds proposals next to the old ones, stamped with its run id and the
detector and methodology versions; it never touches a decision. This module compares a run with
what came before it, per city and indicator: the previous proposal is the newest one of the same
city, indicator and methodology from an earlier run.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from losi.types import Outcome, Round
from storage.models import DecisionRow, ProposalRow

_CLAIM = {Outcome.PRESENT.value: 1, Outcome.ABSENT.value: 0}


@dataclass(frozen=True)
class Change:
    city_id: str
    indicator_code: str
    old_outcome: str | None  # None: the indicator had no proposal before
    new_outcome: str
    old_detector: str
    new_detector: str
    old_detector_version: int | None
    new_detector_version: int
    old_methodology_version: str
    new_methodology_version: str
    old_evidence: str  # the first piece of evidence, or the reason, as one line
    new_evidence: str
    decision: int | None  # the confirmed value (reconciled, else latest of any round)
    decision_round: str
    contradicts: bool  # the new proposal claims the opposite of the confirmed value

    @property
    def flipped(self) -> bool:
        return self.old_outcome != self.new_outcome


@dataclass(frozen=True)
class RunDiff:
    run_id: str
    previous: int  # how many (city, indicator) had a proposal before this run
    changes: tuple[Change, ...]  # flips, and contradictions even where nothing flipped

    @property
    def flips(self) -> list[Change]:
        return [c for c in self.changes if c.flipped]

    @property
    def contradictions(self) -> list[Change]:
        return [c for c in self.changes if c.contradicts]

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "compared": self.previous,
                "flipped": len(self.flips), "contradicted_decisions": len(self.contradictions),
                "changes": [asdict(c) for c in self.changes]}

    def write(self, path: Path) -> Path:
        """JSON when the name ends in .json, else CSV (one row per change)."""
        if path.suffix.lower() == ".json":
            path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2),
                            encoding="utf-8")
            return path
        fields = list(Change.__dataclass_fields__)
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            for change in self.changes:
                writer.writerow(asdict(change))
        return path


def _said(row: ProposalRow | None) -> str:
    if row is None:
        return ""
    if row.evidence:
        first = row.evidence[0]
        parts = [str(first.get(k, "")) for k in ("page_url", "locator", "text")]
        return " ".join(p for p in parts if p)[:300]
    return (row.reason or "")[:300]


def _confirmed(session: Session, methodology_id: str,
               keys: set[tuple[str, str]]) -> dict[tuple[str, str], DecisionRow]:
    """The confirmed value of each (city, indicator): the latest reconciled decision, else the
    latest of any round (as `losi eval --from-decisions` takes it)."""
    out: dict[tuple[str, str], DecisionRow] = {}
    cities = sorted({city for city, _ in keys})
    if not cities:
        return out
    rows = session.scalars(
        select(DecisionRow).where(DecisionRow.methodology_id == methodology_id,
                                  DecisionRow.city_id.in_(cities))
        .order_by(func.coalesce(DecisionRow.seq, 0), DecisionRow.decided_at, DecisionRow.id))
    for row in rows:
        key = (row.city_id, row.indicator_code)
        if key not in keys:
            continue
        current = out.get(key)
        if (current is None or row.round == Round.RECONCILED.value
                or current.round != Round.RECONCILED.value):
            out[key] = row
    return out


def diff_run(session: Session, run_id: str, methodology_id: str,
             codes: Sequence[str] | None = None) -> RunDiff:
    """Compare run `run_id` with the proposals before it (see the module docstring)."""
    new_rows = list(session.scalars(
        select(ProposalRow).where(ProposalRow.run_id == run_id,
                                  ProposalRow.methodology_id == methodology_id)
        .order_by(ProposalRow.id)))
    if codes is not None:
        wanted = set(codes)
        new_rows = [r for r in new_rows if r.indicator_code in wanted]
    if not new_rows:
        return RunDiff(run_id, 0, ())
    first_id = min(r.id for r in new_rows)
    cities = sorted({r.city_id for r in new_rows})
    newest_before = (
        select(func.max(ProposalRow.id))
        .where(ProposalRow.methodology_id == methodology_id, ProposalRow.city_id.in_(cities),
               ProposalRow.id < first_id, ProposalRow.run_id != run_id)
        .group_by(ProposalRow.city_id, ProposalRow.indicator_code))
    old = {(r.city_id, r.indicator_code): r
           for r in session.scalars(select(ProposalRow).where(ProposalRow.id.in_(newest_before)))}
    keys = {(r.city_id, r.indicator_code) for r in new_rows}
    confirmed = _confirmed(session, methodology_id, keys)
    changes = []
    for row in new_rows:
        key = (row.city_id, row.indicator_code)
        before = old.get(key)
        decision = confirmed.get(key)
        claim = _CLAIM.get(row.outcome)
        contradicts = decision is not None and claim is not None and claim != decision.value
        if before is not None and before.outcome == row.outcome and not contradicts:
            continue
        if before is None and not contradicts:
            continue  # nothing to compare with: a first run is not a change
        changes.append(Change(
            city_id=row.city_id, indicator_code=row.indicator_code,
            old_outcome=before.outcome if before is not None else None, new_outcome=row.outcome,
            old_detector=before.detector_id if before is not None else "",
            new_detector=row.detector_id,
            old_detector_version=before.detector_version if before is not None else None,
            new_detector_version=row.detector_version,
            old_methodology_version=before.methodology_version if before is not None else "",
            new_methodology_version=row.methodology_version,
            old_evidence=_said(before), new_evidence=_said(row),
            decision=int(decision.value) if decision is not None else None,
            decision_round=decision.round if decision is not None else "",
            contradicts=contradicts))
    return RunDiff(run_id, len(old), tuple(sorted(changes, key=lambda c: (c.city_id,
                                                                         c.indicator_code))))
