"""0003 numbers the decisions stored before it, so the concurrency constraint holds on old data."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import text

from storage.db import make_engine, upgrade


def test_existing_decisions_get_their_sequence(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO cities (id, country, name, population_source, portal_url, languages,"
                          " url_verified, created_at, updated_at) VALUES ('xaa-a', 'XAA', 'A', '', 'http://a/',"
                          " '[]', false, :t, :t)"), {"t": datetime(2026, 1, 1, tzinfo=timezone.utc)})
        for i, (code, rnd) in enumerate([("234", "a"), ("234", "a"), ("234", "b"), ("204", "a"), ("234", "a")]):
            conn.execute(text("INSERT INTO decisions (city_id, methodology_id, indicator_code, value, assessor,"
                              " round, reason, decided_at) VALUES ('xaa-a', 'losi-2024', :c, 1, 'ana', :r, '', :t)"),
                         {"c": code, "r": rnd, "t": datetime(2026, 1, 1, 0, i, tzinfo=timezone.utc)})
    upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT indicator_code, round, seq FROM decisions ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [("234", "a", 1), ("234", "a", 2), ("234", "b", 1), ("204", "a", 1),
                                        ("234", "a", 3)]
    engine.dispose()
