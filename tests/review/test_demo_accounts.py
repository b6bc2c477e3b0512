"""The demo's accounts (losi/demo/accounts.py): made once, reset by each run, assigned the demo
cities, and never in the way of a real account or a decision."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from losi.demo.accounts import DemoAccountError, ensure_demo_accounts
from review.app import create_app
from review.auth import add_user, authenticate
from storage.db import session_scope
from storage.models import Assignment, City, DecisionRow, User
from tests.review.conftest import login

CITIES = ("xaa-aurelia", "xbb-villaverde")


@pytest.fixture
def cities(engine: Engine) -> Engine:
    with session_scope(engine) as s:
        for cid in CITIES:
            s.add(City(id=cid, country="XAA", name=cid, portal_url="http://127.0.0.1:8701/", languages=["en"]))
    return engine


def _signs_in(engine: Engine, name: str, password: str) -> bool:
    with session_scope(engine) as s:
        return authenticate(s, name, password, "127.0.0.1") is not None


def test_accounts_are_made_with_their_roles_and_the_cities_assigned(cities: Engine) -> None:
    accounts = ensure_demo_accounts(cities, "losi-2024", CITIES)
    assert [(a.name, a.role) for a in accounts] == [
        ("demo-coordinator", "coordinator"), ("demo-ana", "assessor"), ("demo-ben", "assessor"),
        ("demo-rita", "reviewer")]
    assert len({a.password for a in accounts}) == 4 and all(len(a.password) >= 16 for a in accounts)
    assert all(_signs_in(cities, a.name, a.password) for a in accounts)
    with session_scope(cities) as s:
        rows = s.execute(select(Assignment.city_id, Assignment.round, User.name)
                         .join(User, User.id == Assignment.user_id)).all()
        stored = s.scalars(select(User.password_hash)).all()
    assert sorted(rows) == sorted((c, r, n) for c in CITIES for r, n in
                                  (("a", "demo-ana"), ("b", "demo-ben"), ("reconciled", "demo-rita")))
    assert all(h.startswith("$argon2id$") for h in stored)
    assert not any(a.password in h for a in accounts for h in stored)


def test_a_second_run_resets_passwords_and_keeps_accounts_and_decisions(cities: Engine) -> None:
    first = {a.name: a.password for a in ensure_demo_accounts(cities, "losi-2024", CITIES)}
    with session_scope(cities) as s:
        s.add(DecisionRow(city_id=CITIES[0], methodology_id="losi-2024", indicator_code="234",
                          value=1, assessor="demo-ana", round="a", reason="", seq=1))
        s.scalar(select(User).where(User.name == "demo-ben")).active = False  # type: ignore[union-attr]
    second = {a.name: a.password for a in ensure_demo_accounts(cities, "losi-2024", CITIES)}
    with session_scope(cities) as s:
        assert s.scalar(select(func.count()).select_from(User)) == 4
        assert s.scalar(select(func.count()).select_from(Assignment)) == 3 * len(CITIES)
        assert s.scalar(select(func.count()).select_from(DecisionRow)) == 1
    assert not _signs_in(cities, "demo-ana", first["demo-ana"])
    assert _signs_in(cities, "demo-ana", second["demo-ana"])
    assert _signs_in(cities, "demo-ben", second["demo-ben"])  # enabled again


def test_a_real_account_of_the_same_name_and_another_role_is_left_alone(cities: Engine) -> None:
    with session_scope(cities) as s:
        add_user(s, "demo-ana", "coordinator", "a real person's password")
    with pytest.raises(DemoAccountError, match="'demo-ana' exists with the role 'coordinator'"):
        ensure_demo_accounts(cities, "losi-2024", CITIES)
    assert _signs_in(cities, "demo-ana", "a real person's password")
    with session_scope(cities) as s:
        assert s.scalar(select(func.count()).select_from(User)) == 1  # nothing half-made


def test_the_printed_accounts_sign_into_the_app(cities: Engine) -> None:
    accounts = {a.name: a.password for a in ensure_demo_accounts(cities, "losi-2024", CITIES)}
    client = login(create_app(cities), "demo-ana", accounts["demo-ana"])
    page = client.get("/")
    assert page.status_code == 200 and all(c in page.text for c in CITIES)
