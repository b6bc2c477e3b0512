"""Accounts, passwords, sessions, CSRF tokens and login throttling for the review app.

- Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile); a
  hash made with older parameters is upgraded at the next successful sign-in.
- A session is a random 256-bit token in an HttpOnly, SameSite=Strict cookie (Secure, and named
  `__Host-...`, when the app is served over HTTPS); the database keeps only its SHA-256, so a
  leaked database does not let anyone in. Each session has its own CSRF token, which every form
  carries and every POST checks.
- Throttling counts failed sign-ins in the database, so it holds across processes: after
  MAX_FAILURES_PER_NAME failures for one account, or MAX_FAILURES_PER_CLIENT from one address,
  within THROTTLE_WINDOW, sign-in is refused until the window has passed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import LoginAttempt, ReviewSession, User

ROLES = ("assessor", "reviewer", "coordinator")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,119}$")
MIN_PASSWORD = 10
SESSION_LIFETIME = timedelta(hours=12)
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_CLIENT = 30

_hasher = PasswordHasher()
# Verifying against this when the name is unknown makes a wrong name cost as long as a wrong
# password, so timing does not tell which names exist.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class AuthError(ValueError):
    """Bad input to an account operation: the message is one line a person can act on."""


def now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(value: datetime) -> datetime:
    # SQLite returns naive datetimes even for DateTime(timezone=True) columns: they are UTC.
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_name(name: str) -> str:
    if not NAME_RE.match(name):
        raise AuthError(f"invalid user name {name!r}: use 1-120 letters, digits, '.', '_', '-' or '@', "
                        "starting with a letter or digit")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AuthError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    return role


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"the password is too short: use at least {MIN_PASSWORD} characters")
    return password


def add_user(session: Session, name: str, role: str, password: str) -> User:
    check_name(name)
    check_role(role)
    check_password(password)
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise AuthError(f"a user named {name!r} already exists")
    user = User(name=name, role=role, password_hash=hash_password(password), active=True)
    session.add(user)
    session.flush()
    return user


def set_active(session: Session, name: str, active: bool) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise AuthError(f"no user named {name!r}")
    user.active = active
    if not active:
        for s in session.scalars(select(ReviewSession).where(ReviewSession.user_id == user.id)):
            session.delete(s)
    return user


@dataclass(frozen=True)
class Throttled:
    retry_after: int  # seconds


def throttled(session: Session, name: str, client: str) -> Throttled | None:
    """Too many recent failures for this account or this client address?"""
    since = now() - THROTTLE_WINDOW
    for column, key, limit in ((LoginAttempt.name, name, MAX_FAILURES_PER_NAME),
                               (LoginAttempt.client, client, MAX_FAILURES_PER_CLIENT)):
        last_ok = session.scalar(select(func.max(LoginAttempt.at)).where(
            column == key, LoginAttempt.ok.is_(True), LoginAttempt.at >= since))
        start = max(since, _aware(last_ok)) if last_ok else since
        failures = list(session.scalars(
            select(LoginAttempt.at).where(column == key, LoginAttempt.ok.is_(False),
                                          LoginAttempt.at > start)
            .order_by(LoginAttempt.at.desc()).limit(limit)))
        if len(failures) >= limit:
            oldest = _aware(failures[-1])
            wait = int((oldest + THROTTLE_WINDOW - now()).total_seconds()) + 1
            return Throttled(max(wait, 1))
    return None


def authenticate(session: Session, name: str, password: str, client: str) -> User | None:
    """The user, when the name and password match an active account; records the attempt.
    The caller checks `throttled` first. (The app splits this in three so that no database
    connection is held while argon2 works: `password_hash_of`, `verify_password`,
    `finish_sign_in`.)"""
    user = session.scalar(select(User).where(User.name == name))
    ok = verify_password(user.password_hash if user is not None and user.active else None, password)
    return finish_sign_in(session, user if ok else None, name, password, client)


def password_hash_of(session: Session, name: str) -> tuple[int, str] | None:
    """(id, hash) of the active account of this name, or None."""
    found = session.execute(select(User.id, User.password_hash)
                            .where(User.name == name, User.active.is_(True))).first()
    return (found[0], found[1]) if found is not None else None


def verify_password(stored_hash: str | None, password: str) -> bool:
    """argon2id, the only place it runs (sign-in). With no account, a dummy hash is verified
    instead, so that a wrong name costs as long as a wrong password."""
    if stored_hash is None:
        try:
            _hasher.verify(_DUMMY_HASH, password)
        except VerificationError:
            pass
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def finish_sign_in(session: Session, user: User | None, name: str, password: str,
                   client: str) -> User | None:
    """Record the attempt (`user` None: it failed); upgrade an old hash after a success."""
    ok = user is not None and user.active
    if ok and _hasher.check_needs_rehash(user.password_hash):  # type: ignore[union-attr]
        user.password_hash = _hasher.hash(password)  # type: ignore[union-attr]
    session.add(LoginAttempt(name=name[:120], client=client[:64], ok=ok, at=now()))
    return user if ok else None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user: User) -> str:
    """A new session for `user`; returns the cookie's token (never stored as such)."""
    token = secrets.token_urlsafe(32)
    session.add(ReviewSession(token_hash=token_hash(token), user_id=user.id,
                              csrf_token=secrets.token_urlsafe(32), created_at=now(),
                              expires_at=now() + SESSION_LIFETIME))
    return token


def find_session(session: Session, token: str | None) -> tuple[ReviewSession, User] | None:
    if not token or len(token) > 100:
        return None
    # One query for both: every page asks this first.
    found = session.execute(select(ReviewSession, User).join(User, User.id == ReviewSession.user_id)
                            .where(ReviewSession.token_hash == token_hash(token))).first()
    if found is None:
        return None
    row, user = found
    if _aware(row.expires_at) <= now() or not user.active:
        return None
    return row, user


def close_session(session: Session, token: str | None) -> None:
    if not token:
        return
    row = session.scalar(select(ReviewSession).where(ReviewSession.token_hash == token_hash(token)))
    if row is not None:
        session.delete(row)


def same_token(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())
