"""What a page costs: argon2 only at sign-in, and a number of queries that does not grow with the
items or the history of decisions (no N+1)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, event

import review.auth
from storage.db import session_scope
from storage.models import DecisionRow
from tests.review.conftest import login
from tests.review.world import CITY


@pytest.fixture
def argon2_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from argon2 import PasswordHasher

    calls: list[str] = []

    class Counting(PasswordHasher):
        def verify(self, hash: Any, password: Any) -> bool:
            calls.append("verify")
            return super().verify(hash, password)

    monkeypatch.setattr(review.auth, "_hasher", Counting(time_cost=1, memory_cost=1024, parallelism=1))
    return calls


def test_argon2_runs_once_at_sign_in_and_never_for_a_page(app, argon2_calls: list[str]) -> None:  # type: ignore[no-untyped-def]
    client = login(app, "ana")
    assert argon2_calls == ["verify"]
    for path in ("/", f"/cities/{CITY}", f"/cities/{CITY}/items/234", f"/cities/{CITY}/items/204"):
        assert client.get(path).status_code == 200
    assert argon2_calls == ["verify"]
    client.close()


def _queries(engine: Engine, call: Any) -> int:
    seen: list[str] = []

    def count(*_args: Any) -> None:
        seen.append("q")

    event.listen(engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


@pytest.mark.parametrize("name", ["ana", "rita"])
def test_pages_cost_the_same_queries_after_a_long_history(app, engine: Engine, name: str) -> None:  # type: ignore[no-untyped-def]
    client = login(app, name)
    paths = [f"/cities/{CITY}", f"/cities/{CITY}/items/234"]
    before = {p: _queries(engine, lambda p=p: client.get(p)) for p in paths}
    with session_scope(engine) as s:  # many changes of mind on many items, in every round
        for n in range(1, 31):
            for code in ("234", "204", "208", "281", "250"):
                for r in ("a", "b", "reconciled"):
                    s.add(DecisionRow(city_id=CITY, methodology_id="losi-2024", indicator_code=code,
                                      value=n % 2, assessor="x", round=r, reason="", seq=n))
    after = {p: _queries(engine, lambda p=p: client.get(p)) for p in paths}
    assert after == before
    assert before[f"/cities/{CITY}"] <= 8
    client.close()
