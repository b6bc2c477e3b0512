"""The latest decision of each chain, picked by the database (review/queue.py): the highest seq,
time order for rows without one, and the same answer as the full history gives."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

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
