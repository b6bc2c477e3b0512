"""Typed SQLAlchemy 2 models: one row per thing, typed JSON for details.

The database holds the index (record offsets, digests); bodies live in the WARC archive.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class City(Base):
    __tablename__ = "cities"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)  # "bra-sao-paulo"
    country: Mapped[str] = mapped_column(String(3))  # ISO 3166-1 alpha-3
    name: Mapped[str] = mapped_column(String(200))
    population: Mapped[int | None] = mapped_column(Integer)
    population_source: Mapped[str] = mapped_column(String(500), default="")
    portal_url: Mapped[str] = mapped_column(String(2000))
    languages: Mapped[list[Any]] = mapped_column(default=list)  # BCP 47 tags
    url_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    crawls: Mapped[list[Crawl]] = relationship(back_populates="city")


class Crawl(Base):
    """One visit of one portal: when, with which settings and software, what it reached, why it stopped."""

    __tablename__ = "crawls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[str] = mapped_column(ForeignKey("cities.id"), index=True)
    seed_url: Mapped[str] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending/running/finished/failed
    stop_reason: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    software: Mapped[dict[str, Any]] = mapped_column(default=dict)
    warc_path: Mapped[str] = mapped_column(String(2000), default="")
    stats: Mapped[dict[str, Any]] = mapped_column(default=dict)

    city: Mapped[City] = relationship(back_populates="crawls")
    pages: Mapped[list[Page]] = relationship(back_populates="crawl", cascade="all, delete-orphan")
    probes: Mapped[list[Probe]] = relationship(back_populates="crawl", cascade="all, delete-orphan")
    renders: Mapped[list[Render]] = relationship(back_populates="crawl", cascade="all, delete-orphan")
    links: Mapped[list[Link]] = relationship(back_populates="crawl", cascade="all, delete-orphan")


class Page(Base):
    """One fetched (or refused) URL of a crawl and where its record sits in the WARC file."""

    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("crawl_id", "url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crawl_id: Mapped[int] = mapped_column(ForeignKey("crawls.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))  # requested
    final_url: Mapped[str] = mapped_column(String(2000), default="")
    fetch_status: Mapped[str] = mapped_column(String(30))  # losi.types.FetchStatus value
    http_status: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(200), default="")
    size: Mapped[int | None] = mapped_column(Integer)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    # "portal" (on the portal's site), "outbound" (one hop to another site the portal links to:
    # LOSI counts services a portal links to on other sites, often a national portal) or
    # "asset" (a stylesheet of the home page, for CSS validity).
    kind: Mapped[str] = mapped_column(String(20), default="portal", server_default="portal")
    referrer: Mapped[str] = mapped_column(String(2000), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    warc_record_id: Mapped[str] = mapped_column(String(100), default="")
    warc_offset: Mapped[int | None] = mapped_column(Integer)
    warc_length: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    crawl: Mapped[Crawl] = relationship(back_populates="pages")


class Link(Base):
    """A link from a portal page to another site, with the words it was shown with."""

    __tablename__ = "links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crawl_id: Mapped[int] = mapped_column(ForeignKey("crawls.id"), index=True)
    from_url: Mapped[str] = mapped_column(String(2000))
    to_url: Mapped[str] = mapped_column(String(2000))
    text: Mapped[str] = mapped_column(String(1000), default="")
    position: Mapped[str] = mapped_column(String(20), default="body")  # header/nav/footer/body

    crawl: Mapped[Crawl] = relationship(back_populates="links")


class Probe(Base):
    """A site-level measurement (TLS, HTTP to HTTPS redirect, headers ...) stored as an artifact."""

    __tablename__ = "probes"
    __table_args__ = (UniqueConstraint("crawl_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crawl_id: Mapped[int] = mapped_column(ForeignKey("crawls.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))  # "tls", "http-redirect"
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    measured_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    crawl: Mapped[Crawl] = relationship(back_populates="probes")


class Render(Base):
    """A page opened in Chromium: records for DOM, screenshots and axe results live in the WARC."""

    __tablename__ = "renders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crawl_id: Mapped[int] = mapped_column(ForeignKey("crawls.id"), index=True)
    page_url: Mapped[str] = mapped_column(String(2000))
    dom_record_id: Mapped[str] = mapped_column(String(100), default="")
    screenshot_desktop_record_id: Mapped[str] = mapped_column(String(100), default="")
    screenshot_mobile_record_id: Mapped[str] = mapped_column(String(100), default="")
    axe_version: Mapped[str] = mapped_column(String(30), default="")
    axe_results: Mapped[dict[str, Any]] = mapped_column(default=dict)
    console_errors: Mapped[list[Any]] = mapped_column(default=list)
    timings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    rendered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    crawl: Mapped[Crawl] = relationship(back_populates="renders")


class ProposalRow(Base):
    """A detector's proposal for one indicator on one crawl. Never updated after insert."""

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crawl_id: Mapped[int] = mapped_column(ForeignKey("crawls.id"), index=True)
    city_id: Mapped[str] = mapped_column(ForeignKey("cities.id"), index=True)
    methodology_id: Mapped[str] = mapped_column(String(60))
    methodology_version: Mapped[str] = mapped_column(String(30))
    indicator_code: Mapped[str] = mapped_column(String(30))
    outcome: Mapped[str] = mapped_column(String(20))  # losi.types.Outcome value
    confidence: Mapped[float] = mapped_column(Float)
    detector_id: Mapped[str] = mapped_column(String(80))
    detector_version: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    run_id: Mapped[str] = mapped_column(String(40), index=True)  # one detection run
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DecisionRow(Base):
    """An assessor's 1/0 for (city, edition, indicator). Append-only."""

    __tablename__ = "decisions"
    # `seq` numbers the decisions of one (city, edition, indicator, round) 1, 2, 3 ...: the review
    # app writes seq = (the latest seq the person saw) + 1, so of two people acting on the same
    # item at once the database refuses the later one (optimistic concurrency) and nothing is
    # lost silently. Rows written by other tools may leave it empty (NULLs never collide).
    __table_args__ = (UniqueConstraint("city_id", "methodology_id", "indicator_code", "round", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[str] = mapped_column(ForeignKey("cities.id"), index=True)
    methodology_id: Mapped[str] = mapped_column(String(60))
    indicator_code: Mapped[str] = mapped_column(String(30))
    value: Mapped[int] = mapped_column(Integer)
    assessor: Mapped[str] = mapped_column(String(120))
    round: Mapped[str] = mapped_column(String(20))  # losi.types.Round value
    reason: Mapped[str] = mapped_column(Text, default="")
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    seq: Mapped[int | None] = mapped_column(Integer)


# ---- the review app (review/): accounts, sessions, assignments, the responsiveness test -----------


class User(Base):
    """A person using the review app. Roles: assessor, reviewer (reconciles), coordinator."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id, PHC string
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReviewSession(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "review_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginAttempt(Base):
    """One sign-in attempt, for throttling across every process of the app."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    client: Mapped[str] = mapped_column(String(64), index=True)
    ok: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class Assignment(Base):
    """Who assesses a city in which round (a, b: blind) and who reconciles it."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("city_id", "methodology_id", "round"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[str] = mapped_column(ForeignKey("cities.id"), index=True)
    methodology_id: Mapped[str] = mapped_column(String(60))
    round: Mapped[str] = mapped_column(String(20))  # losi.types.Round value
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by: Mapped[str] = mapped_column(String(120))
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ResponsivenessTest(Base):
    """LOSI #250/#252: the set question sent to a municipality, when, and its reply.

    Times are the city's local wall-clock time as the assessor read them (no time zone), since
    business days are the city's own.
    """

    __tablename__ = "responsiveness_tests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[str] = mapped_column(ForeignKey("cities.id"), index=True)
    methodology_id: Mapped[str] = mapped_column(String(60))
    channel: Mapped[str] = mapped_column(String(10))  # "email" or "form"
    sent_to: Mapped[str] = mapped_column(String(500))  # address or form URL
    question: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=False))
    reply_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=False))
    reply_text: Mapped[str] = mapped_column(Text, default="")
    useful: Mapped[bool | None] = mapped_column(Boolean)
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reply_recorded_by: Mapped[str] = mapped_column(String(120), default="")
    reply_recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# ---- scheduled crawls (losi/schedule.py): schedules, their runs, one lock per city ---------------


class Schedule(Base):
    """A cron schedule of crawls and detection for a set of cities (`losi schedule add`)."""

    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cron: Mapped[str] = mapped_column(String(120))  # 5 fields, or 6 with seconds first
    cities: Mapped[str] = mapped_column(String(2000))  # "all", an ISO3 country, or city ids
    action: Mapped[str] = mapped_column(String(20), default="crawl")  # crawl (+ detect) or detect
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)  # crawl budgets, methodology
    timezone: Mapped[str] = mapped_column(String(60), default="UTC")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ScheduleRun(Base):
    """One firing of a schedule. `scheduled_for` is unique per schedule, so a firing is claimed
    once however many schedulers run and however often they restart."""

    __tablename__ = "schedule_runs"
    __table_args__ = (UniqueConstraint("schedule_id", "scheduled_for"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"), index=True)
    scheduled_for: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # running, finished, failed, skipped (every city busy), interrupted (taken over after a crash)
    status: Mapped[str] = mapped_column(String(20), default="running")
    holder: Mapped[str] = mapped_column(String(200), default="")  # host:pid of the scheduler
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    cities: Mapped[list[Any]] = mapped_column(default=list)  # the cities it locked and ran
    skipped: Mapped[list[Any]] = mapped_column(default=list)  # cities busy in another run
    crawl_ids: Mapped[list[Any]] = mapped_column(default=list)
    message: Mapped[str] = mapped_column(Text, default="")


class CityLock(Base):
    """A city being crawled or detected by a scheduled run: one row per city, so the same city
    never runs twice at once. A lock whose holder stopped beating is taken over."""

    __tablename__ = "city_locks"

    city_id: Mapped[str] = mapped_column(ForeignKey("cities.id"), primary_key=True)
    run_id: Mapped[int] = mapped_column(Integer)
    holder: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
