"""Cluster tests: real Redis and PostgreSQL on 127.0.0.1, real crawler processes.

They read LOSI_TEST_REDIS_URL and LOSI_TEST_POSTGRES_URL and skip, saying so, when either is
unset. Each test gets its own Redis key prefix and its own PostgreSQL database, so tests (and
other people's test runs on the same servers) never collide.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REDIS_URL = os.environ.get("LOSI_TEST_REDIS_URL", "")
POSTGRES_URL = os.environ.get("LOSI_TEST_POSTGRES_URL", "")


@pytest.fixture
def redis_url() -> str:
    if not REDIS_URL:
        pytest.skip("LOSI_TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379/0)")
    return REDIS_URL


@pytest.fixture
def prefix(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A Redis key prefix of this test only, removed afterwards."""
    import redis

    name = f"losi-test-{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("LOSI_REDIS_PREFIX", name)
    yield name
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"{name}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database of this test only, dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip("LOSI_TEST_POSTGRES_URL is not set (CI sets it)")
    name = f"losi_cluster_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
