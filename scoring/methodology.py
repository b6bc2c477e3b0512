"""Methodologies as data: the dataclasses, the TOML loader and its validation.

A methodology file (one per edition or variant, see `methodologies/losi-2024.toml`) lists the
criteria, the indicators with the detector bound to each, weights, the denominator, the level
cut-offs and unscored supplementary checks. Everything a user can get wrong in such a file ends
in one `MethodologyError` line naming the file, the indicator and the problem, never a traceback.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import tomllib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Any, NoReturn

KEBAB_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LEVEL_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
CRITERION_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
INDICATOR_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class MethodologyError(ValueError):
    """A methodology file that cannot be used; str() is one line: file, where, problem."""

    def __init__(self, problem: str, path: str | Path | None = None, where: str = "") -> None:
        self.problem = problem
        self.path = None if path is None else str(path)
        self.where = where
        super().__init__(": ".join(p for p in (self.path, where, problem) if p))


@dataclass(frozen=True)
class Level:
    """A named band of scores; a score belongs to it when it reaches `min`."""

    name: str  # snake_case id: "very_high"
    label: str  # for people: "Very high"
    min: float
    min_inclusive: bool = True  # False: the score must be strictly above `min`

    def contains(self, value: float | Fraction) -> bool:
        # Compare exact decimals: as binary floats, 0.3 > 0.3 (written) could come out true.
        low = Fraction(repr(self.min))
        if not isinstance(value, Fraction):
            value = Fraction(repr(value))
        return value >= low if self.min_inclusive else value > low

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "min": self.min,
            "min_inclusive": self.min_inclusive,
        }


@dataclass(frozen=True)
class Criterion:
    id: str  # "IF", "CP", ...
    name: str
    module: str = ""  # the toolkit's module label, e.g. "2.1 Institutional framework"
    published: bool = True  # False: a toolkit grouping the published index does not report
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "module": self.module,
            "published": self.published,
            "note": self.note,
        }


@dataclass(frozen=True)
class Indicator:
    code: str  # a string: codes such as "269a" are not numbers
    criterion: str
    name: str
    question: str
    how_checked: str
    detector: str  # kebab-case detector id; the detector itself never sees the code
    weight: float = 1
    external_links_count: bool = False  # a link from the portal to an external service counts
    note: str = ""

    @property
    def scored(self) -> bool:
        return self.weight > 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "criterion": self.criterion,
            "name": self.name,
            "question": self.question,
            "how_checked": self.how_checked,
            "detector": self.detector,
            "weight": self.weight,
            "external_links_count": self.external_links_count,
            "note": self.note,
        }


@dataclass(frozen=True)
class Check:
    """A supplementary check shown to assessors as context; never part of a score."""

    id: str
    name: str
    question: str
    detector: str
    how_checked: str = ""
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "question": self.question,
            "detector": self.detector,
            "how_checked": self.how_checked,
            "note": self.note,
        }


@dataclass(frozen=True)
class Methodology:
    id: str
    version: str
    title: str
    edition: int
    denominator: float  # a setting, not len(indicators): LOSI 2024 divides by 96 with 95 listed
    levels: tuple[Level, ...]  # highest first
    criteria: tuple[Criterion, ...]
    indicators: tuple[Indicator, ...]
    checks: tuple[Check, ...] = ()
    sources: tuple[str, ...] = ()
    notes: str = ""

    @cached_property
    def _by_code(self) -> dict[str, Indicator]:
        return {i.code: i for i in self.indicators}

    def indicator(self, code: str) -> Indicator:
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"methodology {self.id} has no indicator {code!r}") from None

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(f"methodology {self.id} has no criterion {criterion_id!r}")

    def check(self, check_id: str) -> Check:
        for c in self.checks:
            if c.id == check_id:
                return c
        raise KeyError(f"methodology {self.id} has no check {check_id!r}")

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.indicators)

    @property
    def max_points(self) -> float:
        return sum(i.weight for i in self.indicators)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "edition": self.edition,
            "denominator": self.denominator,
            "sources": list(self.sources),
            "notes": self.notes,
            "levels": [lv.to_dict() for lv in self.levels],
            "criteria": [c.to_dict() for c in self.criteria],
            "indicators": [i.to_dict() for i in self.indicators],
            "checks": [c.to_dict() for c in self.checks],
        }


# ---- finding files ----------------------------------------------------------------------------


def builtin_dir() -> Path:
    """The folder of the methodology files shipped with losi."""
    return Path(__file__).resolve().parent / "methodologies"


def available_methodologies(search_paths: Iterable[Path]) -> dict[str, Path]:
    """Methodology ids (file stems) to files; the first path that has an id wins."""
    found: dict[str, Path] = {}
    for entry in search_paths:
        entry = Path(entry)
        files = sorted(entry.glob("*.toml")) if entry.is_dir() else [entry]
        for f in files:
            if f.suffix == ".toml" and f.is_file():
                found.setdefault(f.stem, f)
    return found


def find_methodology(id_or_path: str | Path, search_dirs: Iterable[Path] | None = None) -> Path:
    """Resolve a methodology id ("losi-2024") or a file path to a file.

    `search_dirs` are folders (or single files, as plugins may return) searched in order, so a
    plugin listed earlier shadows a later one; None means only the built-in folder.
    """
    text = str(id_or_path)
    if isinstance(id_or_path, Path) or text.endswith(".toml") or "/" in text or "\\" in text:
        path = Path(id_or_path)
        if not path.is_file():
            raise MethodologyError("no such methodology file", path)
        return path
    dirs = [builtin_dir()] if search_dirs is None else [Path(d) for d in search_dirs]
    found = available_methodologies(dirs)
    if text in found:
        return found[text]
    hint = _did_you_mean(text, found)
    known = ", ".join(sorted(found)) or "none"
    raise MethodologyError(f"unknown methodology {_q(text)}{hint} (available: {known})")


# ---- loading and validation --------------------------------------------------------------------


def load_methodology(
    path: str | Path, known_detectors: Collection[str] | None = None
) -> Methodology:
    """Read and validate a methodology file.

    When `known_detectors` is given (the registry's ids), every detector id the file binds must
    be among them, so a typo fails at load time rather than as a silent gap in the proposals.
    A variant (`extends = "<base id>"`) is merged with its base first (see `_resolve_extends`).
    """
    path = Path(path)
    data = _read_toml(path)
    data = _resolve_extends(path, data, (path.resolve(),))
    return _Reader(path, known_detectors).methodology(data)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MethodologyError(f"cannot read the file ({exc.strerror or exc})", path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MethodologyError(f"not UTF-8 text (byte {exc.start})", path) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(path, exc) from None


# ---- variants: `extends` ------------------------------------------------------------------------

def _resolve_extends(path: Path, data: dict[str, Any], chain: tuple[Path, ...]) -> dict[str, Any]:
    """A variant (`extends = "losi-2024"` in [methodology]) is its base with the variant's
    tables laid over it:

    - [methodology]: the variant's keys replace the base's (id and version are its own);
      `drop = ["code", ...]` removes base indicators;
    - [[criterion]], [[indicator]], [[check]]: an entry with a base entry's id or code replaces
      the keys it gives (re-weight, rebind a detector, reword), a new one is added at the end;
    - [[level]]: the variant's list, when it has one, replaces the base's;
    - denominator: when the variant gives none, the base's plus the weight it adds (LOSI 2024
      divides by 96 with 95 indicators: the variant keeps that extra point).

    The base is looked up by id next to the variant, then among the built-in files; a chain
    of variants is followed, and a cycle is an error.
    """
    head = data.get("methodology")
    if not isinstance(head, dict) or "extends" not in head:
        if isinstance(head, dict) and "drop" in head:
            raise MethodologyError("drop is only for a variant (a file with extends)", path,
                                   "[methodology]")
        return data
    base_id = head["extends"]
    if not isinstance(base_id, str) or not base_id.strip():
        raise MethodologyError("extends must be the id of another methodology", path,
                               "[methodology]")
    found = available_methodologies([path.parent, builtin_dir()])
    base_path = found.get(base_id)
    if base_path is None:
        hint = _did_you_mean(base_id, found)
        raise MethodologyError(f"extends unknown methodology {_q(base_id)}{hint}", path,
                               "[methodology]")
    if base_path.resolve() in chain:
        cycle = " -> ".join(p.stem for p in (*chain, base_path.resolve()))
        raise MethodologyError(f"extends makes a cycle ({cycle})", path, "[methodology]")
    base = _resolve_extends(base_path, _read_toml(base_path), (*chain, base_path.resolve()))
    return _merge(path, base, data)


def _merge(path: Path, base: dict[str, Any], variant: dict[str, Any]) -> dict[str, Any]:
    def entries(data: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise MethodologyError(f"{key} must be written as [[{key}]] tables", path)
        return [dict(v) for v in value]

    def laid_over(key: str, ident: str, base_list: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = [dict(e) for e in base_list]
        where = {e.get(ident): n for n, e in enumerate(out)}
        for entry in entries(variant, key):
            n = where.get(entry.get(ident))
            if n is None:
                where[entry.get(ident)] = len(out)
                out.append(entry)
            else:
                out[n] = {**out[n], **entry}
        return out

    head = dict(variant["methodology"])
    head.pop("extends")
    drop = head.pop("drop", [])
    if not isinstance(drop, list) or not all(isinstance(c, str) for c in drop):
        raise MethodologyError("drop must be an array of indicator codes", path, "[methodology]")
    base_head = dict(base.get("methodology") or {})
    base_indicators = entries(base, "indicator")
    codes = {i.get("code") for i in base_indicators}
    for code in drop:
        if code not in codes:
            raise MethodologyError(f"drop names {_q(code)}, which the base does not have", path,
                                   "[methodology]")
    base_indicators = [i for i in base_indicators if i.get("code") not in drop]
    merged: dict[str, Any] = {"methodology": {**base_head, **head}}
    merged["level"] = entries(variant, "level") or entries(base, "level")
    merged["criterion"] = laid_over("criterion", "id", entries(base, "criterion"))
    merged["indicator"] = laid_over("indicator", "code", base_indicators)
    checks = laid_over("check", "id", entries(base, "check"))
    if checks:
        merged["check"] = checks
    if "denominator" not in head:
        def weight(items: list[dict[str, Any]]) -> float:
            total = 0.0
            for i in items:
                w = i.get("weight", 1)
                total += w if isinstance(w, (int, float)) and not isinstance(w, bool) else 0
            return total

        extra = base_head.get("denominator", 0)
        if isinstance(extra, (int, float)) and not isinstance(extra, bool):
            base_total = weight(entries(base, "indicator"))
            total = extra - base_total + weight(merged["indicator"])
            merged["methodology"]["denominator"] = int(total) if total == int(total) else total
    for key in variant:
        if key not in ("methodology", "level", "criterion", "indicator", "check"):
            merged[key] = variant[key]  # the reader names what it does not know
    return merged


def _syntax_error(path: Path, exc: tomllib.TOMLDecodeError) -> MethodologyError:
    # Python 3.11's TOMLDecodeError carries the position only inside its message.
    message = str(exc).replace("\n", " ")
    m = re.match(r"^(.*) \(at line (\d+), column (\d+)\)$", message)
    if m:
        return MethodologyError(f"invalid TOML: {m[1]}", path, f"line {m[2]}, column {m[3]}")
    m = re.match(r"^(.*) \(at end of document\)$", message)
    if m:
        return MethodologyError(f"invalid TOML: {m[1]}", path, "end of file")
    return MethodologyError(f"invalid TOML: {message}", path)


def _q(value: Any) -> str:
    """Quote a value for a one-line message (JSON escapes any newline a value may hold)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean {_q(close[0])}?" if close else ""


def _type_name(value: Any) -> str:
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a number",
             list: "an array", dict: "a table"}
    return names.get(type(value), type(value).__name__)


_METHODOLOGY_KEYS = {
    "id", "version", "title", "edition", "denominator", "sources", "notes",
}
_LEVEL_KEYS = {"name", "label", "min", "min_inclusive"}
_CRITERION_KEYS = {"id", "name", "module", "published", "note"}
_INDICATOR_KEYS = {
    "code", "criterion", "name", "question", "how_checked", "weight", "detector",
    "external_links_count", "note",
}
_CHECK_KEYS = {"id", "name", "question", "how_checked", "detector", "note"}
_TOP_KEYS = {"methodology", "level", "criterion", "indicator", "check"}


class _Reader:
    """Validates the parsed TOML one table at a time, knowing where it is for the message."""

    def __init__(self, path: Path, known_detectors: Collection[str] | None) -> None:
        self.path = path
        self.known_detectors = None if known_detectors is None else set(known_detectors)

    def fail(self, where: str, problem: str) -> NoReturn:
        raise MethodologyError(problem, self.path, where)

    # -- typed getters --

    def keys(self, table: Mapping[str, Any], allowed: set[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                self.fail(where, f"unknown key {_q(key)}{_did_you_mean(key, allowed)}")

    def string(self, table: Mapping[str, Any], key: str, where: str, *, required: bool = True,
               default: str = "") -> str:
        if key not in table:
            if required:
                self.fail(where, f"missing required key {_q(key)}")
            return default
        value = table[key]
        if not isinstance(value, str):
            self.fail(where, f"{key} must be a string, not {_type_name(value)}")
        if required and not value.strip():
            self.fail(where, f"{key} must not be empty")
        return value

    def boolean(self, table: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.fail(where, f"{key} must be true or false, not {_type_name(value)}")
        return value

    def number(self, table: Mapping[str, Any], key: str, where: str, *, required: bool = True,
               default: float = 0) -> float:
        if key not in table:
            if required:
                self.fail(where, f"missing required key {_q(key)}")
            return default
        value = table[key]
        # bool is an int in Python, but `weight = true` is a mistake, not a weight of 1.
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(where, f"{key} must be a number, not {_type_name(value)}")
        if not math.isfinite(value):
            self.fail(where, f"{key} must be a finite number, not {value}")
        return value

    def tables(self, data: Mapping[str, Any], key: str, required: bool = True) -> list[Any]:
        if key not in data:
            if required:
                self.fail("", f"missing [[{key}]] entries")
            return []
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail("", f"{key} must be written as [[{key}]] tables")
        if required and not value:
            self.fail("", f"needs at least one [[{key}]]")
        return value

    def detector(self, table: Mapping[str, Any], where: str) -> str:
        det = self.string(table, "detector", where)
        if not KEBAB_ID.match(det):
            self.fail(where, f"detector {_q(det)} is not a kebab-case id")
        if self.known_detectors is not None and det not in self.known_detectors:
            hint = _did_you_mean(det, self.known_detectors)
            self.fail(where, f"detector {_q(det)} is not a known detector{hint}")
        return det

    # -- tables --

    def methodology(self, data: Mapping[str, Any]) -> Methodology:
        self.keys(data, _TOP_KEYS, "")
        head = data.get("methodology")
        if not isinstance(head, dict):
            self.fail("", "missing [methodology] table")
        where = "[methodology]"
        self.keys(head, _METHODOLOGY_KEYS, where)
        mid = self.string(head, "id", where)
        if not KEBAB_ID.match(mid):
            self.fail(where, f"id {_q(mid)} is not a kebab-case id")
        version = self.string(head, "version", where)
        title = self.string(head, "title", where)
        edition = self.number(head, "edition", where)
        if not isinstance(edition, int):
            self.fail(where, f"edition must be a year (an integer), not {edition!r}")
        denominator = self.number(head, "denominator", where)
        if denominator <= 0:
            self.fail(where, f"denominator must be a positive number, not {denominator}")
        sources = head.get("sources", [])
        if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
            self.fail(where, "sources must be an array of strings")
        notes = self.string(head, "notes", where, required=False)

        levels = self.levels(self.tables(data, "level"))
        criteria = self.criteria(self.tables(data, "criterion"))
        indicators = self.indicators(self.tables(data, "indicator"), {c.id for c in criteria})
        checks = self.checks(self.tables(data, "check", required=False),
                             {i.code for i in indicators})

        total = sum(i.weight for i in indicators)
        if total > denominator:
            self.fail(where, f"denominator {denominator} is below the indicators' total weight "
                             f"{total}: scores would exceed 1")
        return Methodology(
            id=mid, version=version, title=title, edition=edition, denominator=denominator,
            levels=levels, criteria=criteria, indicators=indicators, checks=checks,
            sources=tuple(sources), notes=notes,
        )

    def levels(self, tables: list[dict[str, Any]]) -> tuple[Level, ...]:
        levels: list[Level] = []
        for n, table in enumerate(tables, 1):
            name = table.get("name")
            where = f"level {name}" if isinstance(name, str) and name else f"level #{n}"
            self.keys(table, _LEVEL_KEYS, where)
            name = self.string(table, "name", where)
            if not LEVEL_NAME.match(name):
                self.fail(where, f"name {_q(name)} is not a snake_case id")
            if any(lv.name == name for lv in levels):
                self.fail(where, f"duplicate level name {_q(name)}")
            label = self.string(table, "label", where)
            low = self.number(table, "min", where)
            if not 0 <= low <= 1:
                self.fail(where, f"min must be within [0, 1], not {low}")
            inclusive = self.boolean(table, "min_inclusive", where, True)
            if levels and low >= levels[-1].min:
                self.fail(where, f"levels must be listed highest first with falling minimums: "
                                 f"min {low} is not below {levels[-1].min} of "
                                 f"level {levels[-1].name}")
            levels.append(Level(name=name, label=label, min=low, min_inclusive=inclusive))
        last = levels[-1]
        # Every score in [0, 1] must fall in some level.
        if last.min != 0 or not last.min_inclusive:
            self.fail(f"level {last.name}", "the lowest level must start at min = 0, inclusive")
        return tuple(levels)

    def criteria(self, tables: list[dict[str, Any]]) -> tuple[Criterion, ...]:
        out: list[Criterion] = []
        for n, table in enumerate(tables, 1):
            cid = table.get("id")
            where = f"criterion {cid}" if isinstance(cid, str) and cid else f"criterion #{n}"
            self.keys(table, _CRITERION_KEYS, where)
            cid = self.string(table, "id", where)
            if not CRITERION_ID.match(cid):
                self.fail(where, f"id {_q(cid)} must be letters, digits, '_' or '-'")
            if any(c.id == cid for c in out):
                self.fail(where, f"duplicate criterion id {_q(cid)}")
            out.append(Criterion(
                id=cid,
                name=self.string(table, "name", where),
                module=self.string(table, "module", where, required=False),
                published=self.boolean(table, "published", where, True),
                note=self.string(table, "note", where, required=False),
            ))
        return tuple(out)

    def indicators(self, tables: list[dict[str, Any]], criteria: set[str]) -> tuple[Indicator, ...]:
        out: list[Indicator] = []
        seen: set[str] = set()
        for n, table in enumerate(tables, 1):
            code = table.get("code")
            if isinstance(code, str) and code.strip():
                where = f"indicator {code}"
            elif isinstance(code, int) and not isinstance(code, bool):
                self.fail(f"indicator {code}", f'code must be a string: write code = "{code}"')
            else:
                where = f"indicator #{n}"
            self.keys(table, _INDICATOR_KEYS, where)
            code = self.string(table, "code", where)
            if not INDICATOR_CODE.match(code):
                self.fail(where, f"code {_q(code)} must be letters, digits, '.', '_' or '-'")
            if code in seen:
                self.fail(where, f"duplicate indicator code {_q(code)}")
            seen.add(code)
            criterion = self.string(table, "criterion", where)
            if criterion not in criteria:
                hint = _did_you_mean(criterion, criteria)
                self.fail(where, f"unknown criterion {_q(criterion)}{hint}")
            name = self.string(table, "name", where)
            question = self.string(table, "question", where)
            how_checked = self.string(table, "how_checked", where)
            weight = self.number(table, "weight", where, required=False, default=1)
            if weight < 0:
                self.fail(where, f"weight must be 0 or more, not {weight}")
            out.append(Indicator(
                code=code, criterion=criterion, name=name, question=question,
                how_checked=how_checked, detector=self.detector(table, where), weight=weight,
                external_links_count=self.boolean(table, "external_links_count", where, False),
                note=self.string(table, "note", where, required=False),
            ))
        return tuple(out)

    def checks(self, tables: list[dict[str, Any]], codes: set[str]) -> tuple[Check, ...]:
        out: list[Check] = []
        for n, table in enumerate(tables, 1):
            cid = table.get("id")
            where = f"check {cid}" if isinstance(cid, str) and cid else f"check #{n}"
            self.keys(table, _CHECK_KEYS, where)
            cid = self.string(table, "id", where)
            if not KEBAB_ID.match(cid):
                self.fail(where, f"id {_q(cid)} is not a kebab-case id")
            if any(c.id == cid for c in out):
                self.fail(where, f"duplicate check id {_q(cid)}")
            # Checks and indicators share one namespace in proposals and the review queue.
            if cid in codes:
                self.fail(where, f"id {_q(cid)} is also an indicator code")
            out.append(Check(
                id=cid,
                name=self.string(table, "name", where),
                question=self.string(table, "question", where),
                detector=self.detector(table, where),
                how_checked=self.string(table, "how_checked", where, required=False),
                note=self.string(table, "note", where, required=False),
            ))
        return tuple(out)
