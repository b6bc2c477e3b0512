"""Measure detectors against a hand-made answer key of saved pages (precision, recall).

A labels CSV has one row per (page file, indicator): `file,indicator,label[,url]`, label 1 or
0. Each file is read from the root folder and becomes a one-page Site; that page is the home
page for this purpose, so an `absent` on it is a claim like any other. The detector the
methodology binds to each labelled indicator runs once per page, and its outcome is scored:

- present on a 1: TP; present on a 0: FP; absent on a 1: FN; absent on a 0: TN;
- needs_review, not_assessable and error are no claim (`no_claim`), whatever the label.

precision = TP / (TP + FP): how often a claim of presence is right.
recall = TP / (every page labelled 1): a page left without a claim is a page missed, too.
Both are None when undefined (no claim of presence; no positive page).

Pages of one site template repeat the same chrome; `EvalReport.by_host()` weighs each page by
1 / (pages of its host) so that each host counts once.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from detectors.runner import run_detector
from detectors.site import Site
from losi.types import Finding, Outcome

if TYPE_CHECKING:
    from rich.table import Table

    from detectors.base import Detector
    from scoring.methodology import Methodology


class EvalError(ValueError):
    """A labels file that cannot be used: the message names the file and the fix."""


_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


@dataclass(frozen=True)
class Result:
    """One labelled page and indicator, with what the detector said."""

    file: str
    indicator: str
    label: int
    detector_id: str
    outcome: Outcome
    confidence: float
    host: str
    reason: str = ""

    @property
    def cell(self) -> str:
        """tp, fp, fn, tn or no_claim."""
        if self.outcome is Outcome.PRESENT:
            return "tp" if self.label else "fp"
        if self.outcome is Outcome.ABSENT:
            return "fn" if self.label else "tn"
        return "no_claim"


@dataclass(frozen=True)
class Figures:
    tp: float = 0
    fp: float = 0
    fn: float = 0
    tn: float = 0
    no_claim: float = 0
    positives: float = 0  # pages labelled 1, whatever the detector said

    @property
    def precision(self) -> float | None:
        claims = self.tp + self.fp
        return round(self.tp / claims, 3) if claims else None

    @property
    def recall(self) -> float | None:
        return round(self.tp / self.positives, 3) if self.positives else None

    def to_dict(self) -> dict[str, Any]:
        def number(x: float) -> float | int:
            return int(x) if float(x).is_integer() else round(x, 2)

        return {"tp": number(self.tp), "fp": number(self.fp), "fn": number(self.fn),
                "tn": number(self.tn), "precision": self.precision, "recall": self.recall,
                "no_claim": number(self.no_claim)}


@dataclass
class EvalReport:
    results: list[Result] = field(default_factory=list)
    bindings: dict[str, str] = field(default_factory=dict)  # code -> detector id

    def codes(self) -> list[str]:
        return sorted({r.indicator for r in self.results}, key=_code_key)

    def figures(self, weight: Callable[[Result], float] | None = None) -> dict[str, Figures]:
        sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for r in self.results:
            w = weight(r) if weight else 1.0
            sums[r.indicator][r.cell] += w
            if r.label:
                sums[r.indicator]["positives"] += w
        return {code: Figures(**sums[code]) for code in self.codes()}

    def by_host(self) -> dict[str, Figures]:
        """Figures where each host counts once: a page weighs 1 / (labelled pages of its host)."""
        pages: dict[str, set[str]] = defaultdict(set)
        for r in self.results:
            pages[r.host].add(r.file)
        return self.figures(lambda r: 1.0 / len(pages[r.host]))

    def subset(self, keep: Callable[[Result], bool]) -> EvalReport:
        return EvalReport([r for r in self.results if keep(r)], dict(self.bindings))

    def mistakes(self) -> list[Result]:
        return [r for r in self.results if r.cell in ("fp", "fn") or (r.label and r.cell == "no_claim")]

    def to_dict(self) -> dict[str, Any]:
        figures = self.figures()
        return {"indicators": {code: {**figures[code].to_dict(),
                                      "detector": self.bindings.get(code, "")}
                               for code in self.codes()}}

    def table(self, title: str = "Detectors against the labelled pages") -> Table:
        from rich.table import Table

        table = Table(title=title)
        for name in ("indicator", "detector", "TP", "FP", "FN", "TN", "no claim", "precision",
                     "recall", "host-weighted P", "host-weighted R"):
            table.add_column(name, justify="left" if name in ("indicator", "detector") else "right")
        hosts = self.by_host()

        def show(x: float | None) -> str:
            return "—" if x is None else f"{x:.2f}"

        for code, f in self.figures().items():
            h = hosts[code]
            table.add_row(code, self.bindings.get(code, ""), *(f"{int(v)}" for v in (
                f.tp, f.fp, f.fn, f.tn, f.no_claim)), show(f.precision), show(f.recall),
                show(h.precision), show(h.recall))
        return table


def _code_key(code: str) -> tuple[int, str]:
    digits = re.match(r"\d+", code)
    return (int(digits.group()) if digits else 10**9, code)


def _manifest_urls(labels_csv: Path) -> dict[str, str]:
    manifest = labels_csv.parent / "MANIFEST.csv"
    if not manifest.is_file():
        return {}
    with open(manifest, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    urls = {}
    for row in rows:
        url = _NOTE.sub("", (row.get("original_url") or row.get("url") or "").strip())
        if row.get("file") and re.match(r"https?://\S+$", url):
            urls[row["file"]] = url
    return urls


def read_labels(labels_csv: Path) -> list[dict[str, str]]:
    try:
        with open(labels_csv, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = {"file", "indicator", "label"} - set(reader.fieldnames or [])
            if missing:
                raise EvalError(f"{labels_csv}: missing column(s) {', '.join(sorted(missing))} "
                                "(need file,indicator,label[,url])")
            rows = list(reader)
    except OSError as exc:
        raise EvalError(f"{labels_csv}: cannot read the file ({exc.strerror or exc})") from None
    for n, row in enumerate(rows, start=2):
        if (row.get("label") or "").strip() not in ("0", "1"):
            raise EvalError(f"{labels_csv}: row {n}: label must be 0 or 1, not {row.get('label')!r}")
    return rows


def evaluate(
    labels_csv: Path,
    root: Path,
    methodology: Methodology | None,
    registry: Mapping[str, Detector],
    *,
    bindings: Mapping[str, str] | None = None,
    indicators: Iterable[str] | None = None,
) -> EvalReport:
    """Run the bound detector of every labelled indicator on every labelled page, and score it.

    `bindings` (code -> detector id) overrides the methodology's; an indicator bound to no
    detector, or to one that is not installed, is left out of the report.
    """
    labels_csv, root = Path(labels_csv), Path(root)
    rows = read_labels(labels_csv)
    urls = _manifest_urls(labels_csv)
    wanted = set(indicators) if indicators is not None else None
    bound: dict[str, str] = {}
    for code in sorted({r["indicator"].strip() for r in rows}, key=_code_key):
        if wanted is not None and code not in wanted:
            continue
        detector_id = (bindings or {}).get(code)
        if detector_id is None and methodology is not None:
            try:
                detector_id = methodology.indicator(code).detector
            except KeyError:
                detector_id = None
        if detector_id and detector_id in registry and detector_id != "manual":
            bound[code] = detector_id
    report = EvalReport(bindings=bound)
    by_file: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        if row["indicator"].strip() in bound:
            by_file[row["file"].strip()].append(row)
    for file, file_rows in by_file.items():
        path = root / file
        if not path.is_file():
            raise EvalError(f"{labels_csv}: {file} is not in {root} (wrong --root?)")
        url = (file_rows[0].get("url") or "").strip() or urls.get(file) or path.resolve().as_uri()
        site = Site.from_html(url, path.read_bytes())
        host = urlsplit(url).netloc if url.startswith("http") else file.split("/")[0]
        findings: dict[str, Finding] = {}
        for row in file_rows:
            code = row["indicator"].strip()
            detector_id = bound[code]
            if detector_id not in findings:
                findings[detector_id] = run_detector(registry[detector_id], site)
            finding = findings[detector_id]
            report.results.append(Result(file, code, int(row["label"]), detector_id,
                                         finding.outcome, finding.confidence, host,
                                         finding.reason))
    return report


def evaluate_decisions(session: Any, methodology: Any) -> EvalReport:
    """Score the latest proposal for each (city, indicator) against the assessors' decision.

    The decision taken is the latest reconciled one, or, where no reviewer has reconciled yet,
    the latest decision of any round. Indicators bound to the `manual` assist are left out, as
    in `evaluate`: they make no claim to measure.
    """
    from sqlalchemy import select

    from storage.models import DecisionRow, ProposalRow

    bound = {i.code: i.detector for i in methodology.indicators if i.detector != "manual"}
    decided: dict[tuple[str, str], DecisionRow] = {}
    rows = session.scalars(
        select(DecisionRow).where(DecisionRow.methodology_id == methodology.id)
        .order_by(DecisionRow.decided_at, DecisionRow.id))
    for row in rows:
        key = (row.city_id, row.indicator_code)
        current = decided.get(key)
        if current is None or row.round == "reconciled" or current.round != "reconciled":
            decided[key] = row
    proposals: dict[tuple[str, str], ProposalRow] = {}
    for row in session.scalars(
        select(ProposalRow).where(ProposalRow.methodology_id == methodology.id).order_by(ProposalRow.id)
    ):
        proposals[(row.city_id, row.indicator_code)] = row  # the latest wins
    report = EvalReport(bindings=bound)
    for (city, code), decision in sorted(decided.items()):
        proposal = proposals.get((city, code))
        if code not in bound or proposal is None:
            continue
        report.results.append(Result(
            file=city, indicator=code, label=int(decision.value), detector_id=proposal.detector_id,
            outcome=Outcome(proposal.outcome), confidence=proposal.confidence, host=city,
            reason=proposal.reason,
        ))
    return report


def parse_bindings(text: str) -> dict[str, str]:
    """'204=mobile-viewport,234=privacy-policy' -> {'204': 'mobile-viewport', ...}."""
    out = {}
    for item in filter(None, (x.strip() for x in text.split(","))):
        code, sep, detector_id = item.partition("=")
        if not sep or not code.strip() or not detector_id.strip():
            raise EvalError(f"--bind {item!r}: write CODE=DETECTOR-ID, e.g. 234=privacy-policy")
        out[code.strip()] = detector_id.strip()
    return out


def main(argv: list[str] | None = None) -> int:
    """`python -m losi.evaluate`: what `losi eval` does, usable before the CLI wires it."""
    import argparse
    import json
    import sys

    from rich.console import Console

    from detectors.registry import load_registry
    from scoring.methodology import MethodologyError, find_methodology, load_methodology

    parser = argparse.ArgumentParser(prog="python -m losi.evaluate", description=__doc__)
    parser.add_argument("--labels", required=True, type=Path)
    parser.add_argument("--root", required=True, type=Path)
    parser.add_argument("--methodology", default="losi-2024")
    parser.add_argument("--bind", default="", help="CODE=DETECTOR-ID,... overriding the methodology")
    parser.add_argument("--apart", default="", help="file prefix of pages to report apart too")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args(argv)
    try:
        registry = load_registry()
        methodology = load_methodology(find_methodology(args.methodology), list(registry))
        report = evaluate(args.labels, args.root, methodology, registry,
                          bindings=parse_bindings(args.bind))
    except (EvalError, MethodologyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(report.to_dict(), indent=2))
        return 0
    console = Console()
    if args.apart:
        console.print(report.subset(lambda r: not r.file.startswith(args.apart)).table(
            f"Pages not under {args.apart}"))
        console.print(report.subset(lambda r: r.file.startswith(args.apart)).table(
            f"Pages under {args.apart}"))
    console.print(report.table(f"All {len({r.file for r in report.results})} labelled pages"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
