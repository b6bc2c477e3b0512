"""What changed between two methodologies (an edition and the next, a base and its country
variant): indicators added, dropped, re-weighted, moved, re-bound to another detector or
re-worded, and the settings that change every score (denominator, levels)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scoring.methodology import Methodology

_COMPARED = ("criterion", "name", "weight", "detector", "question", "how_checked",
             "external_links_count")


@dataclass
class MethodologyDiff:
    a: str
    b: str
    settings: list[tuple[str, Any, Any]] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    changed: dict[str, list[tuple[str, Any, Any]]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.settings or self.added or self.dropped or self.changed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a, "b": self.b,
            "settings": [{"setting": k, "a": x, "b": y} for k, x, y in self.settings],
            "added": self.added, "dropped": self.dropped,
            "changed": {code: [{"field": k, "a": x, "b": y} for k, x, y in fields]
                        for code, fields in self.changed.items()},
        }

    def lines(self) -> list[str]:
        out = [f"{self.a} -> {self.b}"]
        if self.empty:
            return out + ["no difference"]
        for key, x, y in self.settings:
            out.append(f"~ {key}: {x} -> {y}")
        out += [f"+ {code}" for code in self.added]
        out += [f"- {code}" for code in self.dropped]
        for code, fields in self.changed.items():
            for key, x, y in fields:
                out.append(f"~ {code} {key}: {_short(x)} -> {_short(y)}")
        return out


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 70 else text[:67] + "..."


def diff_methodologies(a: Methodology, b: Methodology) -> MethodologyDiff:
    result = MethodologyDiff(f"{a.id} {a.version}", f"{b.id} {b.version}")
    for key in ("denominator", "edition"):
        if getattr(a, key) != getattr(b, key):
            result.settings.append((key, getattr(a, key), getattr(b, key)))
    levels_a = [(lv.name, lv.min, lv.min_inclusive) for lv in a.levels]
    levels_b = [(lv.name, lv.min, lv.min_inclusive) for lv in b.levels]
    if levels_a != levels_b:
        result.settings.append(("levels", levels_a, levels_b))
    crit_a = {c.id: c.name for c in a.criteria}
    crit_b = {c.id: c.name for c in b.criteria}
    for cid in [*crit_a, *(c for c in crit_b if c not in crit_a)]:
        if crit_a.get(cid) != crit_b.get(cid):
            result.settings.append((f"criterion {cid}", crit_a.get(cid), crit_b.get(cid)))
    by_a = {i.code: i for i in a.indicators}
    by_b = {i.code: i for i in b.indicators}
    result.added = [i.code for i in b.indicators if i.code not in by_a]
    result.dropped = [i.code for i in a.indicators if i.code not in by_b]
    for code, left in by_a.items():
        right = by_b.get(code)
        if right is None:
            continue
        fields = [(key, getattr(left, key), getattr(right, key)) for key in _COMPARED
                  if getattr(left, key) != getattr(right, key)]
        if fields:
            result.changed[code] = fields
    return result
