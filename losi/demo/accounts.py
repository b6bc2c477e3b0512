"""The demo's review-app accounts: a coordinator, two assessors and a reviewer, with the demo
cities assigned to them, so that a person can walk the LOSI process after `losi demo`.

Each run gives every demo account a fresh random password (printed once by `losi demo`, stored
only as an argon2id hash): no password of a demo account is written in the code, so one left in
a database opens nothing that a later run did not print. Running the demo again updates the same
accounts and assignments instead of adding new ones, and never touches a decision.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, select

from review.auth import check_password, hash_password
from review.queue import assign
from storage.db import session_scope
from storage.models import City, User

# (name, role): the "demo-" prefix keeps them apart from real people's accounts.
DEMO_USERS = (
    ("demo-coordinator", "coordinator"),
    ("demo-ana", "assessor"),
    ("demo-ben", "assessor"),
    ("demo-rita", "reviewer"),
)


class DemoAccountError(ValueError):
    """An existing account stands in the demo's way: one line naming it and the fix."""


@dataclass(frozen=True)
class DemoAccount:
    name: str
    role: str
    password: str  # demo only: shown once, never stored in clear


def new_password() -> str:
    return secrets.token_urlsafe(12)  # 16 characters, 96 bits


def ensure_demo_accounts(engine: Engine, methodology_id: str,
                         city_ids: Sequence[str]) -> list[DemoAccount]:
    """Create the demo accounts (or reset their passwords and re-enable them), and assign each
    demo city to demo-ana (round A) and demo-ben (round B), reconciled by demo-rita."""
    accounts = [DemoAccount(name, role, new_password()) for name, role in DEMO_USERS]
    with session_scope(engine) as session:
        users: dict[str, User] = {}
        for account in accounts:
            check_password(account.password)
            user = session.scalar(select(User).where(User.name == account.name))
            if user is None:
                user = User(name=account.name, role=account.role, active=True,
                            password_hash=hash_password(account.password))
                session.add(user)
            elif user.role != account.role:
                raise DemoAccountError(
                    f"the account {account.name!r} exists with the role {user.role!r}, not "
                    f"{account.role!r}: run the demo on another database (LOSI_DATABASE_URL)")
            else:
                user.password_hash = hash_password(account.password)
                user.active = True
            users[account.name] = user
        session.flush()
        for city_id in city_ids:
            if session.get(City, city_id) is None:
                raise DemoAccountError(f"no city {city_id!r} to assign: import seeds/demo.csv first")
            assign(session, city_id, methodology_id, users["demo-ana"], users["demo-ben"],
                   users["demo-rita"], by="losi demo")
    return accounts
