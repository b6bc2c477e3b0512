"""Scheduled crawls: `losi schedule add|list|remove` and the `losi scheduler` process.

The schedules are rows of the project database (`schedules`), so they survive any restart and
any number of scheduler processes read the same ones. The scheduler process runs APScheduler
with one cron job per schedule, re-read from the table every few seconds (a schedule added or
removed with `losi schedule` takes effect without a restart). Three rules keep it honest:

- **A firing runs once.** `schedule_runs` is unique on (schedule, scheduled_for): the scheduler
  that inserts the row owns the firing; any other (a second scheduler, or this one after a
  restart) gets an integrity error and leaves it.
- **A city never runs twice at once.** A run takes one `city_locks` row per city; a city that is
  locked by another run is skipped and logged. Locks carry a heartbeat; a lock whose holder
  stopped beating (crashed, killed) is taken over.
- **Nothing is lost on a restart.** At start the scheduler takes over the runs whose holder died
  (status `running`, heartbeat stale): their cities' interrupted crawls are resumed from the
  archive, detection follows. A firing missed while no scheduler ran is run once at start
  (coalesced).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError

from storage.db import session_scope
from storage.models import City, CityLock, Crawl, Schedule, ScheduleRun

log = logging.getLogger("losi.scheduler")

STALE_SECONDS = float(os.environ.get("LOSI_SCHEDULER_STALE_SECONDS", "60"))
BEAT_SECONDS = 5.0
SYNC_SECONDS = 5.0
CATCH_UP = timedelta(days=1)  # a firing missed longer ago than this is not run at start


class ScheduleError(Exception):
    """A bad cron expression, selector or id: one line for the user."""


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)  # SQLite drops the zone


# ---- cron and selectors -------------------------------------------------------------------------


def trigger(cron: str, tz: str = "UTC") -> Any:
    """An APScheduler CronTrigger from 5 fields (minute hour day month day-of-week) or 6 (with
    seconds first); ScheduleError naming the problem otherwise."""
    from apscheduler.triggers.cron import CronTrigger

    fields = cron.split()
    try:
        if len(fields) == 5:
            return CronTrigger.from_crontab(cron, timezone=tz)
        if len(fields) == 6:
            second, minute, hour, day, month, dow = fields
            return CronTrigger(second=second, minute=minute, hour=hour, day=day, month=month,
                               day_of_week=dow, timezone=tz)
    except (ValueError, TypeError, LookupError) as exc:
        raise ScheduleError(f"bad cron expression {cron!r}: {exc}") from exc
    raise ScheduleError(f"bad cron expression {cron!r}: give 5 fields (minute hour day month "
                        "day-of-week) or 6 (second first), e.g. '0 3 * * mon'")


def latest_fire(cron: str, tz: str, now: datetime, since: datetime) -> datetime | None:
    """The latest firing time in (since, now], or None."""
    trig = trigger(cron, tz)
    fire = trig.get_next_fire_time(None, since + timedelta(microseconds=1))
    latest = None
    while fire is not None and fire <= now:
        latest = fire
        fire = trig.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return latest


def select_cities(session: Any, selector: str) -> list[str]:
    """`all`, an ISO 3166 alpha-3 country code, or city ids separated by commas or spaces."""
    text = selector.strip()
    if not text:
        raise ScheduleError("empty city selector: give all, a country code (BRA) or city ids")
    if text.lower() == "all":
        return list(session.scalars(select(City.id).order_by(City.id)))
    if len(text) == 3 and text.isalpha() and text.isupper():
        return list(session.scalars(select(City.id).where(City.country == text).order_by(City.id)))
    ids = [part for part in text.replace(",", " ").split() if part]
    known = set(session.scalars(select(City.id).where(City.id.in_(ids))))
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ScheduleError(f"unknown city {unknown[0]!r}: `losi cities` lists the imported ones")
    return ids


# ---- schedules ----------------------------------------------------------------------------------


def add_schedule(engine: Engine, cron: str, cities: str, *, action: str = "crawl",
                 options: dict[str, Any] | None = None, tz: str = "UTC") -> int:
    if action not in ("crawl", "detect"):
        raise ScheduleError(f"unknown action {action!r}: crawl (crawl, then detect) or detect")
    trigger(cron, tz)
    with session_scope(engine) as session:
        if not select_cities(session, cities):
            raise ScheduleError(f"no city matches {cities!r}: import a seed file first")
        row = Schedule(cron=cron, cities=cities, action=action, options=options or {}, timezone=tz)
        session.add(row)
        session.flush()
        return row.id


def remove_schedule(engine: Engine, schedule_id: int) -> None:
    with session_scope(engine) as session:
        row = session.get(Schedule, schedule_id)
        if row is None:
            raise ScheduleError(f"no schedule with id {schedule_id}: `losi schedule list` shows them")
        session.execute(delete(ScheduleRun).where(ScheduleRun.schedule_id == schedule_id))
        session.delete(row)


@dataclass(frozen=True)
class ScheduleView:
    id: int
    cron: str
    cities: str
    action: str
    next_run: datetime | None
    last_run: ScheduleRun | None


def list_schedules(engine: Engine) -> list[ScheduleView]:
    now = utcnow()
    views = []
    with session_scope(engine) as session:
        for row in session.scalars(select(Schedule).order_by(Schedule.id)):
            last = session.scalars(select(ScheduleRun).where(ScheduleRun.schedule_id == row.id)
                                   .order_by(ScheduleRun.scheduled_for.desc())).first()
            views.append(ScheduleView(row.id, row.cron, row.cities, row.action,
                                      trigger(row.cron, row.timezone).get_next_fire_time(None, now), last))
    return views


# ---- locks ----------------------------------------------------------------------------------------


def _holder_dead(holder: str, beat: datetime, now: datetime) -> bool:
    host, _, pid = holder.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass
    return now - _aware(beat) > timedelta(seconds=STALE_SECONDS)


def acquire(engine: Engine, city_id: str, run_id: int, holder: str) -> bool:
    """Lock a city for a run; False when another live run holds it."""
    now = utcnow()
    try:
        with session_scope(engine) as session:
            session.add(CityLock(city_id=city_id, run_id=run_id, holder=holder, acquired_at=now,
                                 heartbeat_at=now))
        return True
    except IntegrityError:
        pass
    with session_scope(engine) as session:
        lock = session.get(CityLock, city_id)
        if lock is None:
            return acquire(engine, city_id, run_id, holder)
        if lock.run_id == run_id:
            lock.holder, lock.heartbeat_at = holder, now  # a run taken over keeps its locks
            return True
        if not _holder_dead(lock.holder, lock.heartbeat_at, now):
            return False
        # Compare-and-swap on the old holder and beat: of two schedulers taking over, one wins.
        taken = session.execute(update(CityLock).where(
            CityLock.city_id == city_id, CityLock.holder == lock.holder,
            CityLock.heartbeat_at == lock.heartbeat_at).values(
            run_id=run_id, holder=holder, acquired_at=now, heartbeat_at=now)).rowcount
        return bool(taken)


def release(engine: Engine, run_id: int) -> None:
    with session_scope(engine) as session:
        session.execute(delete(CityLock).where(CityLock.run_id == run_id))


def beat(engine: Engine, holder: str) -> None:
    now = utcnow()
    with session_scope(engine) as session:
        session.execute(update(CityLock).where(CityLock.holder == holder).values(heartbeat_at=now))
        session.execute(update(ScheduleRun).where(ScheduleRun.holder == holder,
                                                  ScheduleRun.status == "running").values(heartbeat_at=now))


# ---- runs -----------------------------------------------------------------------------------------

Runner = Callable[[Engine, Schedule, ScheduleRun, Sequence[str], bool], list[int]]


def claim(engine: Engine, schedule_id: int, scheduled_for: datetime, holder: str) -> int | None:
    """Insert the run of this firing; None when another scheduler (or an earlier life of this
    one) already has it."""
    now = utcnow()
    try:
        with session_scope(engine) as session:
            if session.get(Schedule, schedule_id) is None:
                return None
            run = ScheduleRun(schedule_id=schedule_id, scheduled_for=scheduled_for, started_at=now,
                              holder=holder, heartbeat_at=now)
            session.add(run)
            session.flush()
            return run.id
    except IntegrityError:
        return None


def execute(engine: Engine, run_id: int, holder: str, runner: Runner, *, resume: bool = False) -> str:
    """Lock the run's cities, run them, log the outcome, release the locks."""
    with session_scope(engine) as session:
        run = session.get(ScheduleRun, run_id)
        schedule = session.get(Schedule, run.schedule_id) if run else None
        if run is None or schedule is None:
            return "gone"
        try:
            wanted = run.cities if resume and run.cities else select_cities(session, schedule.cities)
        except ScheduleError as exc:
            run.status, run.message, run.finished_at = "failed", str(exc), utcnow()
            return run.status
        session.expunge(schedule)
        session.expunge(run)
    locked, skipped = [], []
    for city_id in wanted:
        (locked if acquire(engine, city_id, run_id, holder) else skipped).append(city_id)
    with session_scope(engine) as session:
        row = session.get(ScheduleRun, run_id)
        row.cities, row.skipped = locked, skipped
        if locked and not resume:
            # A run starts when it holds its cities, not when its firing was claimed: a firing
            # claimed while the previous run still held the city may get it a moment later.
            row.started_at = utcnow()
    status, message, crawl_ids = "finished", "", []
    try:
        if locked:
            crawl_ids = runner(engine, schedule, run, locked, resume)
            with session_scope(engine) as session:
                bad = list(session.scalars(select(Crawl.city_id).where(
                    Crawl.id.in_(crawl_ids), Crawl.status != "finished")))
            if bad:
                status, message = "failed", f"crawls not finished: {', '.join(sorted(bad))}"
        else:
            status, message = "skipped", "every city is busy in another run"
        if skipped and locked:
            message = (message + "; " if message else "") + f"busy elsewhere: {', '.join(skipped)}"
    except Exception as exc:  # logged on the run, never lost in a thread
        log.exception("run %s failed", run_id)
        status, message = "failed", f"{type(exc).__name__}: {exc}"[:2000]
    finally:
        with session_scope(engine) as session:
            row = session.get(ScheduleRun, run_id)
            if row is not None:
                row.status, row.message, row.finished_at = status, message, utcnow()
                row.crawl_ids = sorted(set(row.crawl_ids or []) | set(crawl_ids))
        release(engine, run_id)
    return status


def default_runner(redis_url: str | None = None) -> Runner:
    """Crawl (or resume) the cities, then detect: locally, or through the cluster's Redis."""

    def run(engine: Engine, schedule: Schedule, run: ScheduleRun, cities: Sequence[str],
            resume: bool) -> list[int]:
        from losi.cli import CrawlOptions, _latest_crawls, _methodology, crawl_cities, detect_crawls

        methodology = str(schedule.options.get("methodology", "losi-2024"))
        if schedule.action == "detect":
            with session_scope(engine) as session:
                targets = [session.get(City, c) for c in cities]
                crawl_ids = _latest_crawls(session, [t for t in targets if t is not None])
        else:
            known = CrawlOptions.__dataclass_fields__
            options = CrawlOptions(**{k: v for k, v in schedule.options.items() if k in known})
            crawl_ids = []
            if resume:
                # The crawls this run had started before its scheduler died: a finished one is
                # kept, an interrupted one resumed from the archive; only the rest start anew.
                resumable, kept = [], []
                with session_scope(engine) as session:
                    for city in cities:
                        latest = session.scalars(select(Crawl).where(
                            Crawl.city_id == city, Crawl.id >= _first_crawl_after(session, run))
                            .order_by(Crawl.id.desc())).first()
                        if latest is None:
                            continue
                        if latest.status == "finished":
                            kept.append(latest.id)
                        else:
                            resumable.append(city)
                        cities = [c for c in cities if c != city]
                crawl_ids += kept
                if resumable:
                    crawl_ids += crawl_cities(engine, resumable, options, resume=True)
            if cities:
                if redis_url:
                    from losi.cluster import crawl_in_cluster

                    crawl_ids += crawl_in_cluster(engine, cities, options, redis_url)
                else:
                    crawl_ids += crawl_cities(engine, cities, options)
            _record(engine, run.id, crawl_ids)
        done = _finished(engine, crawl_ids)
        if done:
            if redis_url:
                from losi.cluster import detect_in_cluster

                detect_in_cluster(engine, done, methodology, redis_url)
            else:
                detect_crawls(engine, done, _methodology(methodology))
        return crawl_ids

    return run


def _first_crawl_after(session: Any, run: ScheduleRun) -> int:
    """The smallest crawl id created after the run started (crawls are numbered in order)."""
    from sqlalchemy import func

    started = _aware(run.started_at)
    ids = [c.id for c in session.scalars(select(Crawl).order_by(Crawl.id.desc()).limit(1000))
           if c.started_at is None or _aware(c.started_at) >= started - timedelta(seconds=1)]
    return min(ids) if ids else (session.scalar(select(func.max(Crawl.id))) or 0) + 1


def _record(engine: Engine, run_id: int, crawl_ids: Sequence[int]) -> None:
    with session_scope(engine) as session:
        row = session.get(ScheduleRun, run_id)
        if row is not None:
            row.crawl_ids = sorted(set(row.crawl_ids or []) | set(crawl_ids))


def _finished(engine: Engine, crawl_ids: Sequence[int]) -> list[int]:
    with session_scope(engine) as session:
        return list(session.scalars(select(Crawl.id).where(
            Crawl.id.in_(crawl_ids), Crawl.status == "finished").order_by(Crawl.id)))


# ---- the scheduler process ---------------------------------------------------------------------------


class Scheduler:
    """APScheduler with one cron job per schedule row, kept in step with the table."""

    def __init__(self, engine: Engine, runner: Runner | None = None, *, redis_url: str | None = None,
                 max_workers: int = 4) -> None:
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.background import BackgroundScheduler

        self.engine = engine
        self.runner = runner or default_runner(redis_url)
        self.holder = holder_name()
        self.aps = BackgroundScheduler(executors={"default": ThreadPoolExecutor(max_workers)},
                                       job_defaults={"coalesce": True, "max_instances": 1,
                                                     "misfire_grace_time": 3600},
                                       timezone="UTC")
        self.known: dict[int, tuple[str, str]] = {}
        self.stopping = threading.Event()

    def fire(self, schedule_id: int) -> None:
        """A job: claim the firing due now (once across schedulers and restarts), run it."""
        with session_scope(self.engine) as session:
            row = session.get(Schedule, schedule_id)
            if row is None or not row.enabled:
                return
            cron, tz = row.cron, row.timezone
        now = utcnow()
        due = latest_fire(cron, tz, now + timedelta(seconds=1), now - timedelta(hours=1))
        if due is None:
            return
        run_id = claim(self.engine, schedule_id, due, self.holder)
        if run_id is None:
            return
        log.info("schedule %s: run %s for %s", schedule_id, run_id, due.isoformat())
        status = execute(self.engine, run_id, self.holder, self.runner)
        log.info("schedule %s: run %s %s", schedule_id, run_id, status)

    def sync(self) -> None:
        """Add, change and remove jobs to match the schedules table."""
        with session_scope(self.engine) as session:
            rows = {r.id: (r.cron, r.timezone) for r in session.scalars(
                select(Schedule).where(Schedule.enabled.is_(True)))}
        for sid in set(self.known) - set(rows):
            self.aps.remove_job(f"schedule-{sid}")
            del self.known[sid]
        for sid, (cron, tz) in rows.items():
            if self.known.get(sid) == (cron, tz):
                continue
            try:
                trig = trigger(cron, tz)
            except ScheduleError as exc:
                log.error("schedule %s: %s", sid, exc)
                continue
            self.aps.add_job(self.fire, trig, args=[sid], id=f"schedule-{sid}", replace_existing=True)
            self.known[sid] = (cron, tz)

    def recover(self) -> None:
        """Take over the runs of dead schedulers, and run firings missed while none ran."""
        now = utcnow()
        with session_scope(self.engine) as session:
            orphans = [r.id for r in session.scalars(select(ScheduleRun).where(ScheduleRun.status == "running"))
                       if _holder_dead(r.holder, r.heartbeat_at, now)]
        for run_id in orphans:
            with session_scope(self.engine) as session:
                taken = session.execute(update(ScheduleRun).where(
                    ScheduleRun.id == run_id, ScheduleRun.status == "running").values(
                    holder=self.holder, heartbeat_at=utcnow(),
                    attempts=ScheduleRun.attempts + 1)).rowcount
            if taken:
                log.info("run %s: taken over from a scheduler that stopped; resuming", run_id)
                self.aps.add_job(self._resume, args=[run_id], id=f"resume-{run_id}")
        with session_scope(self.engine) as session:
            rows = [(r.id, r.cron, r.timezone, _aware(r.created_at))
                    for r in session.scalars(select(Schedule).where(Schedule.enabled.is_(True)))]
            last = {sid: _aware(t) for sid, t in session.execute(
                select(ScheduleRun.schedule_id, ScheduleRun.scheduled_for)
                .order_by(ScheduleRun.scheduled_for))}
        for sid, cron, tz, created in rows:
            since = max(last.get(sid, created), created, now - CATCH_UP)
            missed = latest_fire(cron, tz, now, since)
            if missed is not None and now - missed > timedelta(seconds=2):
                run_id = claim(self.engine, sid, missed, self.holder)
                if run_id is not None:
                    log.info("schedule %s: firing of %s was missed; running it now", sid, missed.isoformat())
                    self.aps.add_job(self._run, args=[run_id], id=f"missed-{run_id}")

    def _resume(self, run_id: int) -> None:
        execute(self.engine, run_id, self.holder, self.runner, resume=True)

    def _run(self, run_id: int) -> None:
        execute(self.engine, run_id, self.holder, self.runner)

    def serve(self) -> None:
        """Run until SIGTERM or Ctrl-C."""
        self.aps.start()
        self.recover()
        self.sync()
        self.aps.add_job(self.sync, "interval", seconds=SYNC_SECONDS, id="sync")
        self.aps.add_job(beat, "interval", seconds=BEAT_SECONDS, args=[self.engine, self.holder], id="beat")
        try:
            while not self.stopping.wait(0.5):
                pass
        finally:
            # Running jobs are left to finish their crawl only on Ctrl-C/SIGTERM of the
            # crawler itself; their runs are taken over at the next start.
            self.aps.shutdown(wait=False)

