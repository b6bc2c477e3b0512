"""The coverage table of docs/coverage.md, generated from the registry and the methodologies.

    .venv/bin/python -m tests.detectors.coverage > docs/coverage.md

`test_coverage.py` regenerates it and fails when the committed file differs, so the table
cannot go stale: add a detector, bind an indicator or change a lexicon, and the test says to
regenerate. Precision and recall come from `losi.evaluate` on the labelled corpus in
../shared/corpus (skipped, with the test, when it is absent).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from detectors.lexicons import lexicon
from detectors.pattern import PatternDetector
from detectors.registry import load_registry
from scoring.methodology import Methodology, builtin_dir, find_methodology, load_methodology

SHARED = Path(__file__).resolve().parents[3] / "shared"
CORPUS = SHARED / "corpus"
METHODOLOGIES = ("losi-2024", "losi-2024-workshop")
# Detectors that never claim: the assessor decides, with the candidates and the guidance they
# give (pattern files with an `assist` block are found by their spec).
PYTHON_ASSISTS = {"browser-compatibility", "search-engine-visibility", "manual"}
# Languages of the Python detectors that read words (the others read structure only).
PYTHON_LEXICONS = {"content-freshness": ["months"], "official-portal": []}


def _lexicons(spec: Mapping[str, Any]) -> set[str]:
    names: set[str] = set()

    def visit(node: Any) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                if key == "lexicon":
                    names.update([value] if isinstance(value, str) else value)
                else:
                    visit(value)
        elif isinstance(node, list):
            for x in node:
                visit(x)

    visit(spec.get("any", []))
    visit(spec.get("service", {}))
    return names


def kind(detector: Any) -> str:
    if detector.meta.id in PYTHON_ASSISTS or (
            isinstance(detector, PatternDetector) and detector.assist):
        return "assisted"
    return "automated"


def languages(detector: Any) -> str:
    if isinstance(detector, PatternDetector):
        names = _lexicons(detector.spec)
        if detector.service:
            names.add("apply-online")  # the transactional signs its candidates' pages are read for
    else:
        names = set(PYTHON_LEXICONS.get(detector.meta.id, []))
    langs = sorted({lang for name in names for lang in lexicon(name)} - {"zxx"})
    if not langs and isinstance(detector, PatternDetector) and "'phrases'" in str(detector.spec):
        return "phrases written in the file (several languages)"
    if not langs:
        return "any (structure, addresses, known platforms)"
    return f"{len(langs)}: {' '.join(langs)}"


def measured() -> dict[str, tuple[str, str]]:
    """code -> (precision, recall) on the labelled corpus, as losi-2024 binds it."""
    if not (CORPUS / "labels.csv").is_file():
        return {}
    from losi.evaluate import evaluate

    m = load_methodology(builtin_dir() / "losi-2024.toml")
    report = evaluate(CORPUS / "labels.csv", CORPUS, m, load_registry())
    show = lambda x: "—" if x is None else f"{x:.2f}"  # noqa: E731
    return {code: (show(f.precision), show(f.recall)) for code, f in report.figures().items()}


def table(m: Methodology, registry: Mapping[str, Any], figures: Mapping[str, tuple[str, str]],
          ) -> list[str]:
    rows = ["| indicator | name | criterion | detector | automated or assisted | languages "
            "| precision | recall |", "|---|---|---|---|---|---|---|---|"]
    for i in m.indicators:
        d = registry[i.detector]
        p, r = figures.get(i.code, ("", ""))
        rows.append(f"| {i.code} | {i.name} | {i.criterion} | `{i.detector}` | {kind(d)} | "
                    f"{languages(d)} | {p} | {r} |")
    return rows


def render() -> str:
    registry = load_registry()
    figures = measured()
    out = [
        "# Detector coverage",
        "",
        "Generated from the detector registry and the methodology files by",
        "`.venv/bin/python -m tests.detectors.coverage > docs/coverage.md`; "
        "`tests/detectors/test_coverage.py` fails when this file is stale.",
        "",
        "*Automated*: the detector claims `present` or `absent` when the crawl shows enough, "
        "with evidence. *Assisted*: it never claims; it proposes `needs_review` with the "
        "candidate pages the crawl found, ranked, and what the assessor must do. *Languages*: "
        "the languages of the lexicons the detector reads (structure, addresses and known "
        "platforms work in every language). *Precision* and *recall*: measured by `losi eval` "
        "on the hand-labelled pages of `../shared/corpus/labels.csv`, where that answer key "
        "has the indicator (each page a one-page site; blank where it has none).",
        "",
    ]
    for mid in METHODOLOGIES:
        m = load_methodology(find_methodology(mid), known_detectors=list(registry))
        kinds = [kind(registry[i.detector]) for i in m.indicators]
        placeholder = sum(1 for i in m.indicators if i.detector == "manual")
        out += [f"## {mid} ({m.title})", "",
                f"{len(m.indicators)} indicators: {kinds.count('automated')} automated, "
                f"{kinds.count('assisted')} assisted, {placeholder} on the bare `manual` "
                f"placeholder.", ""]
        if mid != METHODOLOGIES[0]:
            base = load_methodology(builtin_dir() / "losi-2024.toml")
            m = Methodology(**{**m.__dict__, "indicators": tuple(
                i for i in m.indicators if i.code not in base.codes)})
            out += ["The indicators it adds to losi-2024:", ""]
        out += [*table(m, registry, figures), ""]
    return "\n".join(out)


if __name__ == "__main__":
    sys.stdout.write(render())
