"""`losi users add/list` and `losi review serve` errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from losi.cli import app
from storage.db import session_scope
from storage.models import User


@pytest.fixture
def env(engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("LOSI_DATABASE_URL", db_url)
    monkeypatch.delenv("LOSI_USER_PASSWORD", raising=False)
    return engine


def test_users_add_from_a_password_file_and_list(env: Engine, tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text("a long secret phrase\n")
    r = CliRunner().invoke(app, ["users", "add", "ana", "--role", "assessor", "--password-file", str(secret)])
    assert r.exit_code == 0, r.output
    assert "a long secret phrase" not in r.output
    with session_scope(env) as s:
        user = s.scalar(select(User).where(User.name == "ana"))
        assert user is not None and user.role == "assessor" and user.password_hash.startswith("$argon2id$")
    listed = CliRunner().invoke(app, ["users", "list"])
    assert "ana" in listed.output and "assessor" in listed.output


def test_users_add_from_the_environment(env: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOSI_USER_PASSWORD", "another long one")
    assert CliRunner().invoke(app, ["users", "add", "rita", "--role", "reviewer"]).exit_code == 0
    dup = CliRunner().invoke(app, ["users", "add", "rita", "--role", "reviewer"])
    assert dup.exit_code == 2 and "already exists" in dup.output


@pytest.mark.parametrize("args,message", [
    (["users", "add", "ana", "--role", "boss"], "unknown role 'boss'"),
    (["users", "add", "bad name", "--role", "assessor"], "invalid user name"),
])
def test_bad_input_is_one_line(env: Engine, args: list[str], message: str) -> None:
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 2 and message in r.output and "Traceback" not in r.output


def test_a_short_password_is_refused(env: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOSI_USER_PASSWORD", "short")
    r = CliRunner().invoke(app, ["users", "add", "ana", "--role", "assessor"])
    assert r.exit_code == 2 and "too short" in r.output
    with session_scope(env) as s:
        assert s.scalar(select(User)) is None


def test_review_serve_needs_an_initialised_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOSI_DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    r = CliRunner().invoke(app, ["review", "serve", "--port", "8999"])
    assert r.exit_code == 2 and "losi init" in r.output
