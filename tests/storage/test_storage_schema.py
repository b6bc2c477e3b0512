from __future__ import annotations

from datetime import datetime, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.exc import IntegrityError

from storage.db import is_initialised, make_engine, session_scope, upgrade
from storage.models import Base, City, Crawl, DecisionRow, Page, ProposalRow


def test_upgrade_creates_every_table(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {"cities", "crawls", "pages", "probes", "renders", "proposals", "decisions"} <= tables


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_upgrade_twice_keeps_the_data(engine: Engine) -> None:
    with session_scope(engine) as session:
        session.add(City(id="xaa-a", country="XAA", name="A", portal_url="http://a.example/"))
    upgrade(engine)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(City)) == 1


def test_fresh_database_is_not_initialised(db_url: str) -> None:
    assert not is_initialised(make_engine(db_url))


def _city_and_crawl(engine: Engine) -> int:
    with session_scope(engine) as session:
        session.add(City(id="xaa-a", country="XAA", name="A", portal_url="http://a.example/",
                         languages=["en", "fr"]))
        crawl = Crawl(city_id="xaa-a", seed_url="http://a.example/", settings={"max_pages": 5})
        session.add(crawl)
        session.flush()
        return crawl.id


def test_json_columns_round_trip(engine: Engine) -> None:
    crawl_id = _city_and_crawl(engine)
    with session_scope(engine) as session:
        assert session.get(City, "xaa-a").languages == ["en", "fr"]
        assert session.get(Crawl, crawl_id).settings == {"max_pages": 5}


def test_a_page_url_is_stored_once_per_crawl(engine: Engine) -> None:
    crawl_id = _city_and_crawl(engine)
    with pytest.raises(IntegrityError):
        with session_scope(engine) as session:
            session.add(Page(crawl_id=crawl_id, url="http://a.example/", fetch_status="ok"))
            session.add(Page(crawl_id=crawl_id, url="http://a.example/", fetch_status="ok"))


def test_a_failed_transaction_leaves_nothing_behind(engine: Engine) -> None:
    crawl_id = _city_and_crawl(engine)
    with pytest.raises(RuntimeError):
        with session_scope(engine) as session:
            session.add(Page(crawl_id=crawl_id, url="http://a.example/x", fetch_status="ok"))
            raise RuntimeError("boom")
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Page)) == 0


def test_proposals_and_decisions_are_stored(engine: Engine) -> None:
    crawl_id = _city_and_crawl(engine)
    with session_scope(engine) as session:
        proposal = ProposalRow(
            crawl_id=crawl_id, city_id="xaa-a", methodology_id="losi-2024", methodology_version="1",
            indicator_code="234", outcome="present", confidence=0.9, detector_id="privacy-policy",
            detector_version=1, evidence=[{"page_url": "http://a.example/", "text": "Privacy"}],
            run_id="r1",
        )
        session.add(proposal)
        session.flush()
        session.add(DecisionRow(city_id="xaa-a", methodology_id="losi-2024", indicator_code="234",
                                value=1, assessor="ana", round="a", proposal_id=proposal.id,
                                decided_at=datetime(2026, 11, 1, tzinfo=timezone.utc)))
    with session_scope(engine) as session:
        decision = session.scalars(select(DecisionRow)).one()
        assert session.get(ProposalRow, decision.proposal_id).evidence[0]["text"] == "Privacy"


def test_a_foreign_key_to_a_missing_city_is_refused(engine: Engine) -> None:
    with pytest.raises(IntegrityError):
        with session_scope(engine) as session:
            session.add(Crawl(city_id="nowhere", seed_url="http://x.example/"))
