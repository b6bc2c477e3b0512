"""Exports in the formats users open: CSV and JSON (machines), XLSX with one sheet per criterion,
a self-contained HTML report card per city (printable to PDF), and charts (matplotlib PNGs).

Final and provisional values are never mixed: every file says which it holds, and a provisional
figure is always labelled so. Everything written comes from `scoring.results.CityResult`.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Sequence
from datetime import datetime, timezone
from fractions import Fraction
from pathlib import Path
from typing import Any

from losi import __version__
from scoring.methodology import Methodology
from scoring.results import CityResult
from scoring.score import Score, round_half_up

FORMATS = ("csv", "json", "xlsx", "html", "charts")


def _ratio(value: Fraction | None) -> float | None:
    return None if value is None else round_half_up(value, 4)


def _level_label(methodology: Methodology, name: str) -> str:
    return next((lv.label for lv in methodology.levels if lv.name == name), name)


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "city"


def _shown(result: CityResult) -> tuple[Score, bool]:
    """The score a person should see: the final one, else the provisional one (labelled)."""
    return (result.final, False) if result.final is not None else (result.provisional, True)


# ---- CSV and JSON ------------------------------------------------------------------------------

def write_csv(results: Sequence[CityResult], methodology: Methodology, path: Path) -> Path:
    criteria = [c for c in methodology.criteria]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["rank", "city_id", "city", "country", "region", "final_losi", "level",
                         *[f"final_{c.id}" for c in criteria], "decided", "open",
                         "needs_review", "not_assessable", "range_low", "range_high",
                         "provisional_losi", "provisional_level", "provisional_rank"])
        for r in results:
            final = r.final
            by_id = {c.criterion: c for c in final.criteria} if final else {}
            writer.writerow([
                r.rank or "", r.city_id, r.name, r.country, r.region,
                final.value if final else "", final.level if final else "",
                *[_ratio(by_id[c.id].ratio) if final else "" for c in criteria],
                len(r.final_values), len(r.open_codes), r.no_claim.get("needs_review", 0),
                r.no_claim.get("not_assessable", 0), _ratio(r.low), _ratio(r.high),
                r.provisional.value, r.provisional.level, r.provisional_rank or "",
            ])
    return path


def _evidence_url(result: CityResult, code: str) -> str:
    proposal = result.proposals.get(code)
    for item in (proposal.evidence if proposal is not None else []) or []:
        url = str(item.get("page_url", "")) if isinstance(item, dict) else ""
        if url.startswith(("http://", "https://")):
            return url
    return ""


def result_dict(result: CityResult, methodology: Methodology) -> dict[str, Any]:
    out = result.to_dict()
    out["indicators"] = [
        {
            "code": ind.code,
            "criterion": ind.criterion,
            "name": ind.name,
            "final": result.final_values.get(ind.code),
            "proposal": (result.proposals[ind.code].outcome if ind.code in result.proposals
                         else None),
            "confidence": (result.proposals[ind.code].confidence
                           if ind.code in result.proposals else None),
            "evidence_url": _evidence_url(result, ind.code),
        }
        for ind in methodology.indicators
    ]
    return out


def write_json(results: Sequence[CityResult], methodology: Methodology, path: Path) -> Path:
    document = {
        "methodology": {"id": methodology.id, "version": methodology.version,
                        "denominator": methodology.denominator},
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "losi_version": __version__,
        "note": "final = from reconciled decisions; provisional = from detector proposals, "
                "not assessed",
        "cities": [result_dict(r, methodology) for r in results],
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


# ---- XLSX --------------------------------------------------------------------------------------

def write_xlsx(results: Sequence[CityResult], methodology: Methodology, path: Path) -> Path:
    """A summary sheet, then one sheet per criterion: a row per city, a column per indicator
    (1 met, 0 not met, empty: no final decision), and the criterion's sub-score."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    summary = book.active
    summary.title = "LOSI"
    criteria = list(methodology.criteria)
    summary.append(["Rank", "City", "Country", "Region", "LOSI (final)", "Level",
                    *[c.id for c in criteria], "Decided", "Open", "Range low", "Range high",
                    "Provisional LOSI (not assessed)"])
    for r in results:
        final = r.final
        by_id = {c.criterion: c for c in final.criteria} if final else {}
        summary.append([r.rank, r.name, r.country, r.region, final.value if final else None,
                        _level_label(methodology, final.level) if final else None,
                        *[_ratio(by_id[c.id].ratio) if final else None for c in criteria],
                        len(r.final_values), len(r.open_codes), _ratio(r.low), _ratio(r.high),
                        r.provisional.value])
    for criterion in criteria:
        indicators = [i for i in methodology.indicators if i.criterion == criterion.id]
        sheet = book.create_sheet(_sheet_title(criterion.id, criterion.name))
        sheet.append(["City", "Country", f"{criterion.id} (final)",
                      *[f"{i.code} {i.name}" for i in indicators]])
        for r in results:
            final = r.final
            sub = next((c for c in final.criteria if c.criterion == criterion.id), None) \
                if final else None
            sheet.append([r.name, r.country, _ratio(sub.ratio) if sub else None,
                          *[r.final_values.get(i.code) for i in indicators]])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column in range(1, sheet.max_column + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 14 if column > 3 else 22
    for cell in summary[1]:
        cell.font = Font(bold=True)
    book.save(path)
    return path


def _sheet_title(cid: str, name: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    return re.sub(r"[\[\]:*?/\\]", " ", f"{cid} {name}")[:31]


# ---- the report card ---------------------------------------------------------------------------

_CARD = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>LOSI report card: {{ r.name }}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:56rem;color:#1b1b1b;padding:0 1rem}
h1{margin:0 0 .2rem}.muted{color:#555}.big{font-size:2.4rem;font-weight:700}
.prov{background:#fff3cd;border:1px solid #e0c36a;padding:.4rem .7rem;display:inline-block}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
td,th{border-bottom:1px solid #ddd;padding:.3rem .4rem;text-align:left;vertical-align:top}
.bars{margin:1rem 0 2rem}.row{display:flex;align-items:center;gap:.6rem;margin:.35rem 0}
.row .label{width:15rem}.track{flex:1;background:#e9ecef;height:1.1rem;position:relative}
.bar{background:#1f6fb2;height:100%}.row .num{width:4rem;text-align:right}
.met{color:#146c2e;font-weight:600}.missing{color:#a61b1b;font-weight:600}
.open{color:#7a5d00;font-weight:600}.guidance{color:#444;font-size:.9em}
@media print{a{color:inherit}.bar{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
</style></head><body>
<p class="muted">{{ methodology.title }} ({{ methodology.id }} {{ methodology.version }})</p>
<h1>{{ r.name }}</h1>
<p class="muted">{{ r.country }} · {{ r.region }}</p>
{% if provisional %}<p class="prov">PROVISIONAL: computed from detector proposals, not assessed.
No reconciled decision has been recorded for this city yet.</p>{% endif %}
<p><span class="big" id="score">{{ "%.4f"|format(s.value) }}</span>
 &nbsp;<strong id="level">{{ level }}</strong>
 {% if r.rank %}&nbsp;· rank <strong id="rank">{{ r.rank }}</strong> of {{ ranked }}{% endif %}</p>
<p class="muted">{{ decided }} of {{ total }} indicators decided; {{ open }} open
(score range {{ "%.4f"|format(low) }}–{{ "%.4f"|format(high) }}).</p>
<h2>Criteria</h2>
<div class="bars">
{% for c in criteria %}<div class="row" data-criterion="{{ c.id }}"><span class="label">{{ c.id }} · {{ c.name }}</span>
<span class="track"><span class="bar" style="display:block;width:{{ c.percent }}%"></span></span>
<span class="num">{{ c.percent }}%</span></div>
{% endfor %}</div>
<h2>Indicators</h2>
<table><thead><tr><th>#</th><th>Indicator</th><th>Value</th><th>Evidence / what to do</th></tr></thead><tbody>
{% for i in indicators %}<tr><td>{{ i.code }}</td><td>{{ i.name }}</td>
<td class="{{ i.css }}">{{ i.value }}</td>
<td>{% if i.url %}<a href="{{ i.url }}" rel="noopener noreferrer">{{ i.url }}</a>{% endif %}
{% if i.guidance %}<div class="guidance">{{ i.guidance }}</div>{% endif %}</td></tr>
{% endfor %}</tbody></table>
<p class="muted">Generated by losi {{ version }} on {{ generated }}.</p>
</body></html>
"""


def render_card(result: CityResult, methodology: Methodology, *, ranked: int) -> str:
    from jinja2 import Environment

    env = Environment(autoescape=True)  # every string here came from a crawl or a person
    shown, provisional = _shown(result)
    values = result.final_values if not provisional else {
        c: 1 if p.outcome == "present" else 0 for c, p in result.proposals.items()
        if p.outcome in ("present", "absent")}
    criteria = []
    for c in methodology.criteria:
        sub = next(x for x in shown.criteria if x.criterion == c.id)
        ratio = sub.ratio or Fraction(0)
        criteria.append({"id": c.id, "name": c.name,
                         "percent": round_half_up(ratio * 100, 1) if sub.max_points else 0})
    indicators = []
    for ind in methodology.indicators:
        value = values.get(ind.code)
        if value == 1:
            text, css = "met", "met"
        elif value == 0:
            text, css = "missing", "missing"
        else:
            text, css = "open", "open"
        url = _evidence_url(result, ind.code)
        indicators.append({"code": ind.code, "name": ind.name, "value": text, "css": css,
                           "url": url,
                           "guidance": (ind.question + " " + ind.how_checked).strip()
                           if value != 1 else ""})
    return env.from_string(_CARD).render(
        r=result, s=shown, provisional=provisional, methodology=methodology,
        level=_level_label(methodology, shown.level), ranked=ranked,
        decided=len(result.final_values), total=len(methodology.indicators),
        open=len(result.open_codes), low=float(result.low), high=float(result.high),
        criteria=criteria, indicators=indicators, version=__version__,
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))


def write_cards(results: Sequence[CityResult], methodology: Methodology, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    ranked = sum(1 for r in results if r.rank is not None)
    paths = []
    for r in results:
        path = folder / f"{_safe(r.city_id)}.html"
        path.write_text(render_card(r, methodology, ranked=ranked), encoding="utf-8")
        paths.append(path)
    return paths


# ---- charts ------------------------------------------------------------------------------------

def write_charts(results: Sequence[CityResult], methodology: Methodology, folder: Path) -> list[Path]:
    """Score distribution by level and region, and criteria per city (final scores; a city
    without one is left out, and the charts say how many)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    finals = [r for r in results if r.final is not None]
    left_out = len(results) - len(finals)
    note = f" ({left_out} cities without a final score left out)" if left_out else ""
    paths = []

    levels = [lv for lv in methodology.levels]
    regions = sorted({r.region for r in finals}) or ["(none)"]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    bottom = [0] * len(regions)
    for level in reversed(levels):
        counts = [sum(1 for r in finals if r.region == region and r.final.level == level.name)
                  for region in regions]
        ax.bar(regions, counts, bottom=bottom, label=level.label)
        bottom = [b + c for b, c in zip(bottom, counts)]
    ax.set_ylabel("cities")
    ax.set_title(f"LOSI levels by region, {methodology.id}{note}", fontsize=10)
    ax.legend(title="Level", fontsize=8)
    fig.tight_layout()
    path = folder / "levels-by-region.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    paths.append(path)

    criteria = [c for c in methodology.criteria if c.published]
    shown = finals[:40]
    fig, ax = plt.subplots(figsize=(9, max(3.0, 0.35 * len(shown) + 1.5)))
    height = 0.8 / max(1, len(criteria))
    for k, criterion in enumerate(criteria):
        ratios = [float(next(c for c in r.final.criteria if c.criterion == criterion.id).ratio
                        or 0) for r in shown]
        ax.barh([n + k * height for n in range(len(shown))], ratios, height=height,
                label=criterion.id)
    ax.set_yticks([n + 0.4 - height / 2 for n in range(len(shown))])
    ax.set_yticklabels([r.name for r in shown], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the criterion's indicators met (final)")
    more = f"; first {len(shown)} of {len(finals)}" if len(finals) > len(shown) else ""
    ax.set_title(f"Criteria per city{note}{more}", fontsize=10)
    ax.legend(fontsize=8, ncols=len(criteria))
    fig.tight_layout()
    path = folder / "criteria-by-city.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    paths.append(path)
    return paths


def export(results: Sequence[CityResult], methodology: Methodology, folder: Path,
           formats: Sequence[str] = FORMATS) -> list[Path]:
    """Write the asked formats into `folder`; the paths written."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown export format {', '.join(unknown)} (known: {', '.join(FORMATS)})")
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"losi-{methodology.id}"
    written: list[Path] = []
    if "csv" in formats:
        written.append(write_csv(results, methodology, folder / f"{stem}.csv"))
    if "json" in formats:
        written.append(write_json(results, methodology, folder / f"{stem}.json"))
    if "xlsx" in formats:
        written.append(write_xlsx(results, methodology, folder / f"{stem}.xlsx"))
    if "html" in formats:
        written += write_cards(results, methodology, folder / "cards")
    if "charts" in formats:
        written += write_charts(results, methodology, folder / "charts")
    return written
