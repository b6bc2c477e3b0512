"""Results from the database (final from reconciled decisions, provisional from proposals, ranks
with ties, the open range) and the exports (CSV, JSON, XLSX, HTML report card, charts)."""

from __future__ import annotations

import csv
import json
from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy import Engine

from scoring.export import export, render_card
from scoring.methodology import load_methodology
from scoring.results import audit_sample, city_results, competition_ranks
from storage.db import session_scope
from storage.models import City, Crawl, DecisionRow, ProposalRow

METHODOLOGY = load_methodology(Path(__file__).resolve().parents[2] / "scoring" / "methodologies"
                               / "losi-2024.toml")
CODES = [i.code for i in METHODOLOGY.indicators]
HOSTILE = '<script>alert("x")</script>Gotham'


def _city(session, city_id: str, name: str, country: str) -> int:  # type: ignore[no-untyped-def]
    session.add(City(id=city_id, country=country, name=name, portal_url=f"https://{city_id}.example/",
                     languages=["en"]))
    crawl = Crawl(city_id=city_id, seed_url=f"https://{city_id}.example/", status="finished")
    session.add(crawl)
    session.flush()
    return crawl.id


def _propose(session, city_id: str, crawl_id: int, outcomes: dict[str, str], run: str) -> None:  # type: ignore[no-untyped-def]
    for code, outcome in outcomes.items():
        session.add(ProposalRow(
            crawl_id=crawl_id, city_id=city_id, methodology_id=METHODOLOGY.id,
            methodology_version=METHODOLOGY.version, indicator_code=code, outcome=outcome,
            confidence=0.9, detector_id="x", detector_version=1, run_id=run,
            evidence=[{"page_url": f"https://{city_id}.example/{code}", "explanation": "seen"}]))


def _decide(session, city_id: str, values: dict[str, int], round_: str = "reconciled",  # type: ignore[no-untyped-def]
            seq: int = 1) -> None:
    for code, value in values.items():
        session.add(DecisionRow(city_id=city_id, methodology_id=METHODOLOGY.id,
                                indicator_code=code, value=value, assessor="rita", round=round_,
                                seq=seq))


@pytest.fixture
def world(engine: Engine) -> Engine:
    """Three cities: A fully decided (48 met), B fully decided with the same score (a tie),
    C with proposals only (some without a claim)."""
    with session_scope(engine) as s:
        a = _city(s, "aaa-alpha", "Alpha", "BRA")
        _city(s, "bbb-beta", "Beta", "FRA")
        c = _city(s, "ccc-gotham", HOSTILE, "JPN")
        half = {code: (1 if n % 2 == 0 else 0) for n, code in enumerate(CODES)}
        _propose(s, "aaa-alpha", a, {code: "absent" for code in CODES}, "r1")
        _decide(s, "aaa-alpha", {code: 0 for code in CODES}, seq=1)
        _decide(s, "aaa-alpha", half, seq=2)  # the reviewer changed their mind: seq 2 wins
        _decide(s, "aaa-alpha", {CODES[0]: 0}, round_="a")  # an assessor's round never scores
        _decide(s, "bbb-beta", half)
        outcomes = {code: "present" for code in CODES[:40]}
        outcomes.update({code: "needs_review" for code in CODES[40:50]})
        outcomes.update({code: "not_assessable" for code in CODES[50:55]})
        outcomes.update({code: "absent" for code in CODES[55:]})
        _propose(s, "ccc-gotham", c, outcomes, "r1")
    return engine


def test_final_scores_rank_ties_and_never_mix_with_provisional(world: Engine) -> None:
    with session_scope(world) as s:
        results = {r.city_id: r for r in city_results(s, METHODOLOGY)}
    alpha, beta, gotham = results["aaa-alpha"], results["bbb-beta"], results["ccc-gotham"]
    met = sum(1 for n in range(len(CODES)) if n % 2 == 0)
    assert alpha.final is not None and alpha.final.exact == Fraction(met, 96)
    assert alpha.final.points == beta.final.points  # same values: a tie
    assert alpha.rank == beta.rank == 1
    assert gotham.final is None and gotham.rank is None  # proposals never make a final score
    assert gotham.provisional.provisional and gotham.provisional_rank is not None
    assert alpha.final.missing == () and len(alpha.final_values) == len(CODES)


def test_the_open_range_and_no_claim_counts(world: Engine) -> None:
    with session_scope(world) as s:
        gotham = next(r for r in city_results(s, METHODOLOGY) if r.city_id == "ccc-gotham")
    assert gotham.no_claim["needs_review"] == 10 and gotham.no_claim["not_assessable"] == 5
    assert set(gotham.open_codes) == set(CODES[40:55])
    assert gotham.low == Fraction(40, 96) and gotham.high == Fraction(55, 96)


def test_competition_ranking() -> None:
    assert competition_ranks({"a": Fraction(3), "b": Fraction(5), "c": Fraction(3),
                              "d": Fraction(1)}) == {"b": 1, "a": 2, "c": 2, "d": 4}


def test_audit_sample_is_reproducible_and_only_undecided(world: Engine) -> None:
    with session_scope(world) as s:
        results = city_results(s, METHODOLOGY)
    first = audit_sample(results, 0.1, seed=7)
    assert first.picked == audit_sample(results, 0.1, seed=7).picked
    assert first.eligible == 40 + (len(CODES) - 55)  # gotham's present/absent ones
    assert {city for city, _ in first.picked} == {"ccc-gotham"}
    assert len(first.picked) == round(first.eligible * 0.1)
    with pytest.raises(ValueError):
        audit_sample(results, 0)


def test_exports_open(world: Engine, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    with session_scope(world) as s:
        results = city_results(s, METHODOLOGY)
        written = export(results, METHODOLOGY, tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in written}
    assert {"losi-losi-2024.csv", "losi-losi-2024.json", "losi-losi-2024.xlsx",
            "cards/aaa-alpha.html", "charts/levels-by-region.png",
            "charts/criteria-by-city.png"} <= names
    rows = list(csv.DictReader((tmp_path / "losi-losi-2024.csv").open(encoding="utf-8")))
    assert [r["rank"] for r in rows] == ["1", "1", ""]
    assert rows[2]["final_losi"] == "" and rows[2]["provisional_losi"]
    document = json.loads((tmp_path / "losi-losi-2024.json").read_text(encoding="utf-8"))
    assert document["cities"][2]["final"] is None
    book = load_workbook(tmp_path / "losi-losi-2024.xlsx")
    criteria = [c.id for c in METHODOLOGY.criteria]
    assert book.sheetnames[0] == "LOSI" and len(book.sheetnames) == 1 + len(criteria)
    summary = list(book["LOSI"].iter_rows(values_only=True))
    assert summary[1][1] in ("Alpha", "Beta") and summary[3][4] is None  # gotham: no final
    for png in (tmp_path / "charts").glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000


def test_the_card_escapes_what_it_shows_and_labels_provisional(world: Engine) -> None:
    with session_scope(world) as s:
        gotham = next(r for r in city_results(s, METHODOLOGY) if r.city_id == "ccc-gotham")
        html = render_card(gotham, METHODOLOGY, ranked=2)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "PROVISIONAL" in html
    assert "Look for" in html  # a missing indicator carries the toolkit's guidance


def test_the_card_renders_its_bars_in_chromium(world: Engine, tmp_path: Path) -> None:
    """The report card opened in Debian's Chromium: each criterion bar is as wide as its
    share, and the PNG shows the bars' colour."""
    from crawler.render import chromium_path

    if not Path(chromium_path()).exists():
        pytest.skip(f"no Chromium at {chromium_path()}")
    from io import BytesIO

    from PIL import Image
    from playwright.sync_api import sync_playwright

    with session_scope(world) as s:
        alpha = next(r for r in city_results(s, METHODOLOGY) if r.city_id == "aaa-alpha")
        card = tmp_path / "alpha.html"
        card.write_text(render_card(alpha, METHODOLOGY, ranked=2), encoding="utf-8")
        ratios = {c.criterion: float(c.ratio or 0) for c in alpha.final.criteria}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path())
        page = browser.new_page(viewport={"width": 1000, "height": 900})
        page.goto(card.as_uri())
        for criterion, ratio in ratios.items():
            track = page.locator(f'[data-criterion="{criterion}"] .track').bounding_box()
            bar = page.locator(f'[data-criterion="{criterion}"] .bar').bounding_box()
            assert track and bar and abs(bar["width"] / track["width"] - ratio) < 0.02
        png = page.locator(".bars").screenshot()
        browser.close()
    import numpy as np

    pixels = np.asarray(Image.open(BytesIO(png)).convert("RGB"))
    blue = int(np.all(pixels == (0x1F, 0x6F, 0xB2), axis=-1).sum())
    assert blue > 500  # the bars are drawn


def test_score_and_export_commands(world: Engine, tmp_path: Path) -> None:
    """The real `losi` process: a table, JSON, and an export folder; bad input is one line."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "LOSI_DATABASE_URL": str(world.url.render_as_string(hide_password=False))}
    losi = [str(Path(sys.executable).with_name("losi"))]
    table = subprocess.run([*losi, "score", "--provisional"], env=env, capture_output=True,
                           text=True, timeout=120)
    assert table.returncode == 0, table.stderr
    assert "Alpha" in table.stdout and "provisional" in table.stdout
    assert "1 of 3 cities have no reconciled decision yet" in table.stdout
    data = json.loads(subprocess.run([*losi, "score", "--format", "json", "--audit", "0.5"],
                                     env=env, capture_output=True, text=True, timeout=120).stdout)
    assert [c["rank"] for c in data["cities"]] == [1, 1, None] and data["audit"]["picked"]
    done = subprocess.run([*losi, "export", "--out", str(tmp_path / "x"), "--formats", "csv,xlsx"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and (tmp_path / "x" / "losi-losi-2024.xlsx").exists()
    bad = subprocess.run([*losi, "export", "--formats", "pdf"], env=env, capture_output=True,
                         text=True, timeout=120)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "unknown format pdf" in bad.stderr
    nobody = subprocess.run([*losi, "score", "--city", "zzz-nowhere"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert nobody.returncode == 2 and "no city zzz-nowhere" in nobody.stderr
