"""The scheduler: crawls and detection on time, one run per firing and per city at a time,
and a restart after `kill -9` that loses and duplicates nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from losi.schedule import ScheduleError, add_schedule, latest_fire, trigger
from losi.world import WorldSpec, generate, serve_world
from storage.db import make_engine, session_scope, upgrade
from storage.models import City, Crawl, Page, ProposalRow, Schedule, ScheduleRun


def _wait(what: Callable[[], bool], timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        assert time.monotonic() < deadline, message
        time.sleep(0.2)


def _runs(engine: Engine) -> list[ScheduleRun]:
    with session_scope(engine) as session:
        return list(session.scalars(select(ScheduleRun).order_by(ScheduleRun.id)))


def test_a_bad_cron_expression_is_refused_in_one_line() -> None:
    with pytest.raises(ScheduleError, match="bad cron expression '61 \\* \\* \\* \\*'"):
        trigger("61 * * * *")


def test_the_latest_firing_is_found() -> None:
    from datetime import datetime, timezone

    now = datetime(2026, 1, 7, 12, 0, tzinfo=timezone.utc)
    since = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert latest_fire("0 3 * * *", "UTC", now, since) == datetime(2026, 1, 7, 3, 0, tzinfo=timezone.utc)


def test_killed_and_restarted_the_scheduler_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'losi.db'}"
    engine = make_engine(db)
    upgrade(engine)
    env = {**os.environ, "LOSI_DATABASE_URL": db, "LOSI_ARCHIVE_DIR": str(tmp_path / "archive")}
    world = generate(WorldSpec(portals=1, pages=30, languages=("en",), latency_ms=600))
    with serve_world(world) as served:
        slug = world.portals[0].slug
        with session_scope(engine) as session:
            session.add(City(id=slug, country="XWW", name="W", portal_url=served[slug], languages=["en"]))
        sid = add_schedule(engine, "*/3 * * * * *", slug, options={
            "max_pages": 40, "max_outbound": 0, "render_pages": 0, "allow_private": True})

        def start(n: int) -> subprocess.Popen[bytes]:
            return subprocess.Popen([sys.executable, "-m", "losi.cli", "scheduler"], env=env,
                                    stderr=open(tmp_path / f"scheduler-{n}.log", "wb"))

        first = start(1)

        def crawling() -> bool:
            with session_scope(engine) as session:
                return bool(session.scalar(select(func.count()).select_from(Page)) >= 3)

        _wait(crawling, 120, "the first run never crawled")
        os.kill(first.pid, signal.SIGKILL)  # no goodbye: its crawler is told by the kernel
        first.wait()
        [killed] = _runs(engine)
        assert killed.status == "running"

        def told() -> bool:
            logs = list((tmp_path / "archive").glob("crawl-*.log"))
            return bool(logs) and "Received SIGTERM" in logs[0].read_text()

        # The kernel tells the orphaned crawler (SIGTERM): it stops, and its crawl is left
        # interrupted, running (a forced stop), or finished if its last requests were in flight.
        _wait(told, 60, "the orphaned crawler was not told to stop")
        time.sleep(3)
        second = start(2)
        try:
            def recovered() -> bool:
                runs = _runs(engine)
                return runs[0].status == "finished" and any(
                    r.status == "finished" for r in runs[1:])

            try:
                _wait(recovered, 300, "the killed run was not taken over, or no later run finished")
            except AssertionError:
                runs = [(r.id, r.status, r.attempts, r.message) for r in _runs(engine)]
                log = (tmp_path / "scheduler-2.log").read_text(errors="replace")[-3000:]
                raise AssertionError(f"runs: {runs}\nscheduler-2.log ends:\n{log}") from None
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=60)

    runs = _runs(engine)
    with session_scope(engine) as session:
        crawls = list(session.scalars(select(Crawl).order_by(Crawl.id)))
        proposals = dict(session.execute(select(ProposalRow.crawl_id, func.count()).group_by(
            ProposalRow.crawl_id)).all())
        schedules = session.scalar(select(func.count()).select_from(Schedule))
    assert schedules == 1
    assert (runs[0].id, runs[0].attempts, runs[0].crawl_ids) == (killed.id, 2, [crawls[0].id])
    assert crawls[0].status == "finished"  # resumed, not started again
    assert len({r.scheduled_for for r in runs}) == len(runs)  # each firing run once
    ran = [r for r in runs if r.status != "skipped"]
    for a, b in zip(ran, ran[1:]):  # one run of the city at a time
        assert a.finished_at is not None and b.started_at >= a.finished_at
    assert all(proposals.get(c.id) for c in crawls if c.status == "finished")
    assert all(r.status in ("finished", "skipped") for r in runs if r.finished_at is not None)
    assert all(r.schedule_id == sid for r in runs)
