"""`losi methodology diff`, a city's history, and what changed between two editions."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Engine

from scoring.diff import diff_methodologies
from scoring.history import compare_editions, crawl_history, final_history, indicator_history
from scoring.methodology import builtin_dir, load_methodology
from storage.db import session_scope
from storage.models import City, Crawl, DecisionRow, ProposalRow
from tests.cli.test_cli import losi

BASE = builtin_dir() / "losi-2024.toml"
M = load_methodology(BASE)


def _variant(tmp_path: Path) -> Path:
    """A country variant: new id, denominator 95, #219 re-weighted, #234 dropped."""
    text = BASE.read_text(encoding="utf-8")
    text = re.sub(r'^id = "losi-2024"', 'id = "losi-2024-xx"', text, count=1, flags=re.M)
    text = re.sub(r"^denominator = 96", "denominator = 95", text, count=1, flags=re.M)
    text = re.sub(r'(code = "219"\n(?:.+\n)*?)weight = 1', r"\1weight = 2", text, count=1)
    text = re.sub(r'\[\[indicator\]\]\ncode = "234"\n(?:.+\n)+?\n', "", text, count=1)
    path = tmp_path / "losi-2024-xx.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_diff_names_what_a_variant_changes(tmp_path: Path) -> None:
    variant = load_methodology(_variant(tmp_path))
    result = diff_methodologies(M, variant)
    assert ("denominator", 96, 95) in result.settings
    assert result.dropped == ["234"] and result.added == []
    assert result.changed["219"] == [("weight", 1, 2)]
    assert diff_methodologies(M, M).empty


def test_methodology_diff_command(tmp_path: Path) -> None:
    done = losi("methodology", "diff", "losi-2024", str(_variant(tmp_path)), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "- 234" in done.stdout and "~ 219 weight: 1 -> 2" in done.stdout
    bad = losi("methodology", "diff", "losi-2024", "no-such-edition", cwd=tmp_path)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


def _seed(engine: Engine) -> None:
    day1 = datetime(2026, 3, 2, 10, tzinfo=timezone.utc)
    with session_scope(engine) as s:
        s.add(City(id="aaa-alpha", country="BRA", name="Alpha", portal_url="https://a.example/",
                   languages=["pt"]))
        for n, outcome in ((1, "absent"), (2, "present")):
            crawl = Crawl(city_id="aaa-alpha", seed_url="https://a.example/", status="finished",
                          started_at=day1 + timedelta(days=30 * n), stats={"pages": {"ok": 90 + n}})
            s.add(crawl)
            s.flush()
            s.add(ProposalRow(crawl_id=crawl.id, city_id="aaa-alpha", methodology_id=M.id,
                              methodology_version=M.version, indicator_code="234",
                              outcome=outcome, confidence=0.9, detector_id="privacy-policy",
                              detector_version=1, run_id=f"run{n}",
                              created_at=day1 + timedelta(days=30 * n)))
        for n, (code, value) in enumerate((("234", 0), ("219", 1), ("234", 1))):
            s.add(DecisionRow(city_id="aaa-alpha", methodology_id=M.id, indicator_code=code,
                              value=value, assessor="rita", round="reconciled", seq=n + 1 if
                              code == "234" and n else 1,
                              decided_at=day1 + timedelta(days=60 + 10 * n)))
        # an earlier edition's final decisions for the same city
        for code, value in (("234", 1), ("219", 0)):
            s.add(DecisionRow(city_id="aaa-alpha", methodology_id="losi-2024-xx",
                              indicator_code=code, value=value, assessor="rita",
                              round="reconciled", seq=1, decided_at=day1))


def test_history_of_a_city(engine: Engine) -> None:
    _seed(engine)
    with session_scope(engine) as s:
        crawls = crawl_history(s, "aaa-alpha", M)
        finals = final_history(s, "aaa-alpha", M)
        indicators = {i.code: i for i in indicator_history(s, "aaa-alpha", M)}
    assert [c.pages_ok for c in crawls] == [91, 92]
    assert crawls[0].provisional == 0.0 and crawls[1].provisional == round(1 / 96, 4)
    assert [(f.value, f.decided) for f in finals] == [(0.0, 1), (round(1 / 96, 4), 2),
                                                     (round(2 / 96, 4), 2)]
    assert indicators["234"].first_seen is not None and indicators["234"].current == 1
    assert indicators["234"].last_confirmed is not None and indicators["216"].current is None


def test_what_changed_between_two_editions(engine: Engine, tmp_path: Path) -> None:
    _seed(engine)
    earlier = load_methodology(_variant(tmp_path))  # drops 234: only 219 is shared and decided
    with session_scope(engine) as s:
        [change] = compare_editions(s, earlier, M)
    assert change.a_value == 0.0 and change.b_value == round(2 / 96, 4)
    assert change.gained == ("219",) and change.lost == () and change.only_b == 1
