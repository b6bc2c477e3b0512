"""`losi status`: what a coordinator must see before it is too late.

From the database: the running crawls with their progress, failure rates by fetch status, the
scheduled runs, and a health check per crawl. From the cluster's Redis (with `--redis`): the
frontier's depth per host, the in-flight requests per worker, the detection tasks waiting.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine, func, select

from storage.db import session_scope
from storage.models import Crawl, Page, ScheduleRun

RECENT = timedelta(hours=24)
# A crawl this old with no page yet is not starting up any more.
ZERO_PAGES_AFTER = timedelta(minutes=2)


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


@dataclass
class CrawlHealth:
    crawl_id: int
    city_id: str
    status: str
    pages: int
    by_status: dict[str, int]
    last_page_at: datetime | None
    started_at: datetime | None
    problems: list[str] = field(default_factory=list)


def health(crawl: Crawl, by_status: dict[str, int], last_page_at: datetime | None, now: datetime,
           stalled: timedelta) -> list[str]:
    """The problems of one crawl, in words a coordinator acts on; [] when healthy."""
    problems = []
    pages = sum(by_status.values())
    started = _aware(crawl.started_at)
    if pages == 0 and (crawl.status == "finished"
                       or (started is not None and now - started > ZERO_PAGES_AFTER)):
        problems.append("0 pages")
    fetched = pages - by_status.get("robots_disallowed", 0)
    if fetched and by_status.get("blocked", 0) == fetched:
        problems.append("all blocked")
    elif fetched and by_status.get("ok", 0) == 0:
        problems.append("no page ok")
    if crawl.status in ("running", "pending"):
        since = _aware(last_page_at) or started
        if since is not None and now - since > stalled:
            problems.append(f"no progress for {int((now - since).total_seconds() // 60)} minutes")
    if crawl.status in ("interrupted", "failed"):
        problems.append(f"{crawl.status}: {crawl.stop_reason}"[:200])
    return problems


@dataclass
class Status:
    crawls: list[CrawlHealth]
    failure_rates: dict[str, float]  # fetch status -> share of the pages of recent crawls
    pages_recent: int
    runs: list[ScheduleRun]
    cluster: dict[str, Any] | None = None


def collect(engine: Engine, *, stalled_minutes: float = 10, redis_url: str | None = None,
            now: datetime | None = None) -> Status:
    now = now or datetime.now(timezone.utc)
    stalled = timedelta(minutes=stalled_minutes)
    with session_scope(engine) as session:
        crawls = list(session.scalars(select(Crawl).where(
            (Crawl.status.in_(("running", "pending")))
            | (Crawl.finished_at >= now - RECENT)).order_by(Crawl.id)))
        ids = [c.id for c in crawls]
        counts: dict[int, dict[str, int]] = {}
        for cid, status, n in session.execute(
                select(Page.crawl_id, Page.fetch_status, func.count()).where(
                    Page.crawl_id.in_(ids), Page.kind == "portal")
                .group_by(Page.crawl_id, Page.fetch_status)):
            counts.setdefault(cid, {})[status] = n
        last = dict(session.execute(select(Page.crawl_id, func.max(Page.fetched_at)).where(
            Page.crawl_id.in_(ids)).group_by(Page.crawl_id)).all())
        rows = []
        for c in crawls:
            by_status = counts.get(c.id, {})
            rows.append(CrawlHealth(c.id, c.city_id, c.status, sum(by_status.values()), by_status,
                                    _aware(last.get(c.id)), _aware(c.started_at),
                                    health(c, by_status, last.get(c.id), now, stalled)))
        runs = list(session.scalars(select(ScheduleRun).order_by(ScheduleRun.id.desc()).limit(10)))
    total: Counter[str] = Counter()
    for by_status in counts.values():
        total.update(by_status)
    pages = sum(total.values())
    rates = {k: v / pages for k, v in sorted(total.items())} if pages else {}
    return Status(rows, rates, pages, runs, _cluster(redis_url) if redis_url else None)


def _cluster(redis_url: str) -> dict[str, Any]:
    from crawler.distributed import Cluster, redis_prefix
    from losi.cluster import TaskQueue, cluster

    c: Cluster = cluster(redis_url)
    hosts = {k.decode(): int(v) for k, v in c.r.hgetall(c.keys.hosts).items() if int(v) > 0}
    workers = {}
    for raw in c.r.hkeys(c.keys.workers):
        name = raw.decode()
        workers[name] = {"alive": bool(c.r.exists(c.keys.beat(name))),
                         "in_flight": int(c.r.hlen(c.keys.inflight(name)))}
    queue = TaskQueue(c.r, redis_prefix())
    return {"prefix": c.prefix, "queued": c.queued(), "hosts": dict(sorted(hosts.items())),
            "workers": workers, "active_crawls": c.active_ids(), "detect_tasks": queue.depth(),
            "errors": c.errors()}
