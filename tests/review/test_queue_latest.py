"""The latest decision of each chain, picked by the database (review/queue.py): the highest seq,
time order for rows without one, and the same answer as the full history gives."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Engine

from review.queue import final_values, final_values_of, latest_decisions
from scoring.methodology import builtin_dir, load_methodology
from storage.db import session_scope
from storage.models import DecisionRow
from tests.review.world import CITY

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def _row(code: str, round_: str, value: int, seq: int | None, minutes: int) -> DecisionRow:
    return DecisionRow(city_id=CITY, methodology_id="losi-2024", indicator_code=code, value=value,
                       assessor="x", round=round_, reason="", seq=seq,
                       decided_at=T0 + timedelta(minutes=minutes))


def test_the_highest_seq_wins_whatever_the_clock_says(engine: Engine, world) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as s:
        # Many changes of mind; seq 3 written with an earlier clock than seq 2 (clock skew
        # between app processes) is still the latest.
        s.add_all([_row("234", "a", 1, 1, 0), _row("234", "a", 0, 2, 10), _row("234", "a", 1, 3, 5),
                   _row("234", "b", 0, 1, 0), _row("204", "a", 1, 1, 0)])
    with session_scope(engine) as s:
        latest = latest_decisions(s, CITY, "losi-2024", ["a", "b"])
        assert {k: (d.value, d.seq) for k, d in latest.items()} == {
            ("a", "234"): (1, 3), ("b", "234"): (0, 1), ("a", "204"): (1, 1)}
        assert set(latest_decisions(s, CITY, "losi-2024", ["b"])) == {("b", "234")}


def test_rows_without_seq_fall_back_to_time_and_lose_to_numbered_ones(engine: Engine, world) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as s:
        s.add_all([_row("208", "a", 1, None, 0), _row("208", "a", 0, None, 30),  # other tools
                   _row("281", "a", 1, None, 60), _row("281", "a", 0, 1, 0)])
    with session_scope(engine) as s:
        latest = latest_decisions(s, CITY, "losi-2024", ["a"])
        assert latest[("a", "208")].value == 0 and latest[("a", "281")].seq == 1


def test_the_queue_gives_the_final_values_the_history_gives(as_user, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    from losi.types import Round
    from review.queue import build_queue

    m = load_methodology(builtin_dir() / "losi-2024.toml")
    with session_scope(engine) as s:
        s.add_all([_row("234", "reconciled", 1, 1, 0), _row("234", "reconciled", 0, 2, 1),
                   _row("204", "reconciled", 1, 1, 0)])
    with session_scope(engine) as s:
        items = build_queue(s, m, CITY, "FRA", Round.RECONCILED)
        assert final_values_of(items) == final_values(s, CITY, m) == {"234": 0, "204": 1}


def _rows_handled(engine: Engine, rounds: list[str]) -> int:
    """Rows that the nodes of PostgreSQL's plans produced or threw away (times their loops)
    while `latest_decisions` ran, from EXPLAIN ANALYZE of the statements it issued."""
    from sqlalchemy import event

    issued: list[tuple[str, Any]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        issued.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        with session_scope(engine) as s:
            latest_decisions(s, CITY, "losi-2024", rounds)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert issued
    total = 0

    def walk(node: dict[str, Any]) -> None:
        nonlocal total
        total += node["Actual Loops"] * (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
                                         + node.get("Rows Removed by Join Filter", 0))
        for child in node.get("Plans", []):
            walk(child)

    with engine.connect() as conn:
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        for statement, parameters in issued:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters)
            plan = cursor.fetchone()[0]
            walk((plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"])
    return total


def test_picking_the_latest_costs_in_proportion_to_the_decisions_on_postgresql(engine: Engine, world) -> None:  # type: ignore[no-untyped-def]
    """The queue and the item page ask for the latest decisions of every request. On a table
    PostgreSQL has no statistics for (new, or autovacuum off) the old join of the decisions to
    their per-chain MAX(seq) re-ran the aggregate once per decision of the city (a nested loop:
    n^2 rows handled, 859 per decision here; the load run's database CPU). The work must stay in
    proportion to the city's decisions, whatever the planner knows."""
    if engine.dialect.name != "postgresql":
        pytest.skip("EXPLAIN ANALYZE row counts are PostgreSQL's")
    m = load_methodology(builtin_dir() / "losi-2024.toml")
    codes = [ind.code for ind in m.indicators]
    with session_scope(engine) as s:  # every indicator decided twice in every round
        s.add_all([_row(code, r, n % 2, n, n) for code in codes for r in ("a", "b", "reconciled")
                   for n in (1, 2)])
    n = 2 * 3 * len(codes)
    with session_scope(engine) as s:
        latest = latest_decisions(s, CITY, "losi-2024", ["a", "b", "reconciled"])
        assert len(latest) == 3 * len(codes) and {d.seq for d in latest.values()} == {2}
    handled = _rows_handled(engine, ["a", "b", "reconciled"])
    assert handled <= 5 * n, f"{handled} rows handled by the plan for {n} decisions"
