"""The `losi` command as a user runs it: a real process, its output, its exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from scoring.methodology import builtin_dir
from storage.db import make_engine, session_scope
from storage.models import City, ProposalRow

ROOT = Path(__file__).resolve().parents[2]


def losi(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "COLUMNS": "200", **(env or {})}
    return subprocess.run([sys.executable, "-m", "losi.cli", *args], cwd=cwd, env=environ,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def env(tmp_path: Path, db_url: str) -> dict[str, str]:
    return {"LOSI_DATABASE_URL": db_url, "LOSI_ARCHIVE_DIR": str(tmp_path / "archive")}


def test_methodology_json_lists_95_indicators_each_with_a_detector(tmp_path: Path) -> None:
    result = losi("methodology", "show", "losi-2024", "--format", "json", cwd=tmp_path)
    indicators = json.loads(result.stdout)["indicators"]
    assert len(indicators) == 95 and all(
        i["code"] and i["criterion"] and i["name"] and i["detector"] for i in indicators)


def test_methodology_table_names_the_criteria(tmp_path: Path) -> None:
    result = losi("methodology", "show", "losi-2024", cwd=tmp_path)
    assert result.returncode == 0 and "Privacy policy" in result.stdout


def test_an_unknown_methodology_is_one_line(tmp_path: Path) -> None:
    result = losi("methodology", "show", "losi-2042", cwd=tmp_path)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


def _bad_methodology(tmp_path: Path) -> Path:
    text = (builtin_dir() / "losi-2024.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('detector = "privacy-policy"', 'detector = "privacy-polcy"'),
                   encoding="utf-8")
    return bad


def test_a_bad_methodology_file_is_one_line_naming_file_and_indicator(tmp_path: Path) -> None:
    result = losi("methodology", "show", str(_bad_methodology(tmp_path)), cwd=tmp_path)
    [line] = result.stderr.strip().splitlines()
    assert result.returncode == 2 and "bad.toml" in line and "234" in line and "privacy-polcy" in line


def test_commands_on_an_uninitialised_database_say_what_to_do(tmp_path: Path, env: dict[str, str]) -> None:
    result = losi("cities", cwd=tmp_path, env=env)
    assert result.returncode == 2 and "losi init" in result.stderr


def test_init_then_seeds_import(tmp_path: Path, env: dict[str, str]) -> None:
    assert losi("init", cwd=tmp_path, env=env).returncode == 0
    result = losi("seeds", "import", str(ROOT / "seeds" / "demo.csv"), cwd=tmp_path, env=env)
    assert result.returncode == 0 and "3 added" in result.stdout


def test_a_seed_file_with_a_bad_row_changes_nothing(tmp_path: Path, env: dict[str, str]) -> None:
    losi("init", cwd=tmp_path, env=env)
    losi("seeds", "import", str(ROOT / "seeds" / "demo.csv"), cwd=tmp_path, env=env)
    lines = (ROOT / "seeds" / "demo.csv").read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.csv"
    changed = lines[1].replace("http://127.0.0.1:8701/", "http://example.org/new/")
    bad.write_text("\n".join([lines[0], changed, "xdd-broken,XDD,Broken,12,src,htp:/nowhere,en,true"]),
                   encoding="utf-8")
    result = losi("seeds", "import", str(bad), cwd=tmp_path, env=env)
    [line] = result.stderr.strip().splitlines()
    assert result.returncode == 2 and "row 3" in line and "portal_url" in line
    with session_scope(make_engine(env["LOSI_DATABASE_URL"])) as session:
        urls = sorted(c.portal_url for c in session.scalars(select(City)))
    assert urls == ["http://127.0.0.1:8701/", "http://127.0.0.1:8702/", "http://127.0.0.1:8703/"]


@pytest.fixture
def demo_run(tmp_path: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    return losi("demo", "--no-serve", cwd=tmp_path, env=env), env


def _outcomes(db_url: str) -> dict[tuple[str, str], str]:
    with session_scope(make_engine(db_url)) as session:
        rows = session.scalars(select(ProposalRow).order_by(ProposalRow.id))
        return {(r.city_id, r.indicator_code): r.outcome for r in rows}


def test_the_demo_prints_proposals_and_a_provisional_score(demo_run) -> None:  # type: ignore[no-untyped-def]
    result, _ = demo_run
    assert result.returncode == 0, result.stderr
    assert "Provisional scores" in result.stdout and "NOT assessed" in result.stdout
    assert result.stdout.count("(provisional)") == 3
    # --no-serve: it stops after the proposals, with no account made or printed.
    assert "review app" not in result.stdout and "DEMO accounts" not in result.stdout


def test_the_demo_proposes_what_each_portal_has(demo_run) -> None:  # type: ignore[no-untyped-def]
    _, env = demo_run
    outcomes = _outcomes(env["LOSI_DATABASE_URL"])
    assert [outcomes[(city, code)] for city in ("xaa-aurelia", "xbb-villaverde", "xcc-saint-clair")
            for code in ("204", "234", "https")] == [
        "present", "present", "absent",
        "present", "present", "absent",
        "absent", "absent", "absent",
    ]


def test_detect_reruns_offline_and_gives_the_same_proposals(demo_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, env = demo_run  # the demo's servers are down now: detection must not need them
    result = losi("detect", "--all", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    runs: dict[str, dict[tuple[str, str], tuple[str, str]]] = {}
    with session_scope(make_engine(env["LOSI_DATABASE_URL"])) as session:
        for r in session.scalars(select(ProposalRow).order_by(ProposalRow.id)):
            runs.setdefault(r.run_id, {})[(r.city_id, r.indicator_code)] = (r.outcome, repr(r.evidence))
    first, second = runs.values()
    assert first == second


def test_detect_with_a_bad_methodology_stores_nothing(demo_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, env = demo_run
    with session_scope(make_engine(env["LOSI_DATABASE_URL"])) as session:
        before = session.scalar(select(func.count()).select_from(ProposalRow))
    result = losi("detect", "--all", "--methodology", str(_bad_methodology(tmp_path)), cwd=tmp_path, env=env)
    with session_scope(make_engine(env["LOSI_DATABASE_URL"])) as session:
        after = session.scalar(select(func.count()).select_from(ProposalRow))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1 and after == before


def test_eval_needs_labels_or_decisions(tmp_path: Path) -> None:
    result = losi("eval", cwd=tmp_path)
    assert result.returncode == 2 and "--from-decisions" in result.stderr


def test_eval_from_decisions_reads_the_database(tmp_path: Path, env: dict[str, str]) -> None:
    losi("init", cwd=tmp_path, env=env)
    result = losi("eval", "--from-decisions", "--format", "json", cwd=tmp_path, env=env)
    assert result.returncode == 0 and json.loads(result.stdout) == {"indicators": {}}
