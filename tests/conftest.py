"""Shared fixtures: databases (SQLite always, PostgreSQL when LOSI_TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from storage.db import make_engine, upgrade
from storage.models import Base

POSTGRES_URL = os.environ.get("LOSI_TEST_POSTGRES_URL", "")
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


# Every test checks markup with the Nu Html Checker itself: no messages kept by an earlier run
# (the user's ~/.cache/losi/vnu) stand in for a check; tests of that cache name their own folder.
os.environ["LOSI_VNU_CACHE"] = "off"


def _backends() -> list[object]:
    return [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                not POSTGRES_URL, reason="LOSI_TEST_POSTGRES_URL is not set (CI sets it)"
            ),
        ),
    ]


def _reset_postgres(engine: Engine) -> None:
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(params=_backends())
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL of each backend (the schema is NOT created)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'losi.db'}"
        return
    engine = make_engine(POSTGRES_URL)
    _reset_postgres(engine)
    try:
        yield POSTGRES_URL
    finally:
        _reset_postgres(engine)
        engine.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated database of each backend."""
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()
