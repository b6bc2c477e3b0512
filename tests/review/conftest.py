from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from review.app import create_app
from tests.review.world import PASSWORD, World, build, csrf_of


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with the smallest cost: the real parameters cost ~1 s a hash on a busy 2-core
    machine, and every test signs several people in. The format and the checks stay the same."""
    from argon2 import PasswordHasher

    import review.auth

    monkeypatch.setattr(review.auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def world(engine: Engine, tmp_path: Path) -> World:
    return build(engine, tmp_path)


@pytest.fixture
def app(engine: Engine, world: World):  # type: ignore[no-untyped-def]
    return create_app(engine)


def login(app, name: str, password: str = PASSWORD, base_url: str = "http://testserver") -> TestClient:  # type: ignore[no-untyped-def]
    client = TestClient(app, base_url=base_url)
    form = client.get("/login")
    assert form.status_code == 200
    r = client.post("/login", data={"name": name, "password": password, "csrf": csrf_of(form.text)},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return client


@pytest.fixture
def as_user(app) -> Iterator:  # type: ignore[no-untyped-def]
    clients: list[TestClient] = []

    def make(name: str) -> TestClient:
        c = login(app, name)
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.close()
