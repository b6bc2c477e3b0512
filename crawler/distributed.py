"""The Redis mode (`losi crawl --redis URL`): several crawler processes, on one machine or many,
share one frontier and one per-portal state, so that together they crawl as one spider would.

What lives where:

- **Redis** holds everything a worker decides with: the frontier (a sorted set of request
  tokens scored by priority, the encoded requests in a hash: scrapy-redis' scheduler with
  `ReliablePriorityQueue` below), and each portal's state: the seen sets, the budgets spent
  (pages, outbound, sitemaps, renders), the trap counters, the outstanding-request count, the
  latencies and sitemap findings. Every check-and-change is one atomic command or Lua script,
  so two workers never both take the last page of a budget or both queue the same URL.
- **PostgreSQL** (or SQLite on one machine) holds the index rows, as in the single-process mode.
- **The archive** stays one WARC file per crawl, on storage every worker mounts: each worker
  appends whole records under an exclusive lock (`LockedWarcArchive`), so the index rows keep
  pointing into `crawls.warc_path` and every reader (detectors, the review app, pywb) works
  unchanged. Each worker writes its own `warcinfo` record when it joins a crawl.

No request is lost when a worker dies: popping a request moves its token into that worker's
in-flight hash in the same Lua script, and the token leaves it only after the pipeline has
committed the page's rows and every request the page led to is queued (`RequestDone`). A new
request claims its URL (the seen set) and counts in the crawl's outstanding requests in the
same script that queues it, so a worker killed between deciding to follow a link and queueing
it has claimed nothing: the page is followed again by whoever answers the parent again. A
worker beats every second; when a worker's beat has expired, any other worker puts its
in-flight requests back into the frontier, and releases the start of any crawl the dead worker
had not finished starting, which a live worker then starts again. A page or probe the dead
worker stored before it died is recognised by its index row and not stored twice.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import time
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.dupefilters import BaseDupeFilter
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.queue import Base as RedisQueueBase
from sqlalchemy import func, select

from crawler.middlewares import BudgetError
from crawler.pipelines import ArchivePipeline, CrawlArchive
from crawler.spiders.portal import Portal
from crawler.urls import _DATE_IN_PATH, TrapGuard, is_calendar_like
from storage.archive import RecordRef, WarcArchive
from storage.models import Crawl, Link, Page, Probe

DEFAULT_PREFIX = "losi"
BEAT_SECONDS = 1.0
# A worker silent this long is dead: its in-flight requests go back to the frontier.
BEAT_TTL = int(os.environ.get("LOSI_CLUSTER_BEAT_TTL", "10"))


class RedisUnavailable(Exception):
    """Redis cannot be reached: one line for the user."""


def connect(url: str) -> Any:
    """A Redis client, or RedisUnavailable naming the URL and the reason."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30)
        client.ping()
    except (redis.RedisError, ValueError) as exc:
        raise RedisUnavailable(f"cannot reach Redis at {url}: {exc}") from exc
    return client


def redis_prefix(prefix: str | None = None) -> str:
    return prefix or os.environ.get("LOSI_REDIS_PREFIX") or DEFAULT_PREFIX


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Keys:
    """Every Redis key of one cluster, under one prefix (one per test, one per deployment)."""

    def __init__(self, prefix: str) -> None:
        self.p = prefix
        self.crawls = f"{prefix}:crawls"  # hash crawl id -> spec (JSON): the active crawls
        self.done = f"{prefix}:done"  # set of crawl ids whose last request was answered
        self.queue = f"{prefix}:queue"  # zset token -> -priority
        self.requests = f"{prefix}:requests"  # hash token -> encoded request
        self.hosts = f"{prefix}:hosts"  # hash host -> queued requests
        self.workers = f"{prefix}:workers"  # hash worker -> JSON (host, pid, since)
        self.errors = f"{prefix}:errors"  # hash worker -> ERROR log lines

    def inflight(self, worker: str) -> str:
        return f"{self.p}:inflight:{worker}"

    def beat(self, worker: str) -> str:
        return f"{self.p}:beat:{worker}"

    def crawl(self, crawl_id: int, what: str) -> str:
        return f"{self.p}:c:{crawl_id}:{what}"


# ARGV[6] says whether the token is new. A new request is queued only if its claim (ARGV[5],
# a member of the crawl's claim set KEYS[5]) is new too, and then counts in the crawl's
# outstanding requests (KEYS[6]), all in one step: a worker killed at any moment has either
# queued and counted a URL, or neither. A continuation (redirect, retry) keeps the token of the
# request it continues: it leaves the worker's in-flight hash and is neither claimed nor counted.
_PUSH = """
if ARGV[6] == '1' then
  if ARGV[5] ~= '' and redis.call('SADD', KEYS[5], ARGV[5]) == 0 then return 0 end
  redis.call('HINCRBY', KEYS[6], 'outstanding', 1)
else
  redis.call('HDEL', KEYS[4], ARGV[1])
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
if redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1]) == 1 then redis.call('HINCRBY', KEYS[3], ARGV[4], 1) end
return 1
"""
_POP = """
local t = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #t == 0 then return nil end
redis.call('ZREM', KEYS[1], t[1])
redis.call('HSET', KEYS[4], t[1], t[2])
local host = string.match(t[1], '^(%S+) ')
if host then redis.call('HINCRBY', KEYS[3], host, -1) end
return {t[1], redis.call('HGET', KEYS[2], t[1])}
"""
# Only a token still in this worker's in-flight hash counts down: a request put back after a
# false death is answered twice but counted once.
_ACK = """
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return -1 end
redis.call('HDEL', KEYS[2], ARGV[1])
local n = redis.call('HINCRBY', KEYS[3], 'outstanding', -1)
if n <= 0 and redis.call('SADD', KEYS[4], ARGV[2]) == 1 then return 1 end
return 0
"""
_REQUEUE = """
local items = redis.call('HGETALL', KEYS[1])
for i = 1, #items, 2 do
  if redis.call('HEXISTS', KEYS[3], items[i]) == 1 then
    if redis.call('ZADD', KEYS[2], items[i+1], items[i]) == 1 then
      local host = string.match(items[i], '^(%S+) ')
      if host then redis.call('HINCRBY', KEYS[4], host, 1) end
    end
  end
end
redis.call('DEL', KEYS[1])
return #items / 2
"""
_TAKE = """
local n = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if n >= tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
return 1
"""
# Starting a portal (probes, robots.txt, the seed) is one unit of its outstanding work, taken
# by one worker. If that worker dies before it has queued everything, the claim is released
# (to '', the unit kept: the crawl cannot end meanwhile) and another worker starts it again.
_CLAIM_START = """
local owner = redis.call('HGET', KEYS[1], 'start_claimed')
if owner == false then
  redis.call('HSET', KEYS[1], 'start_claimed', ARGV[1])
  redis.call('HINCRBY', KEYS[1], 'outstanding', 1)
  return 1
end
if owner == '' then
  redis.call('HSET', KEYS[1], 'start_claimed', ARGV[1])
  return 1
end
return 0
"""
_START_DONE = """
if redis.call('HGET', KEYS[1], 'start_claimed') ~= ARGV[1] then return -1 end
if redis.call('HSETNX', KEYS[1], 'start_done', ARGV[1]) == 0 then return -1 end
local n = redis.call('HINCRBY', KEYS[1], 'outstanding', -1)
if n <= 0 and redis.call('SADD', KEYS[2], ARGV[2]) == 1 then return 1 end
return 0
"""
_RELEASE_START = """
if redis.call('HGET', KEYS[1], 'start_claimed') == ARGV[1] and redis.call('HEXISTS', KEYS[1], 'start_done') == 0 then
  redis.call('HSET', KEYS[1], 'start_claimed', '')
  return 1
end
return 0
"""


class Cluster:
    """One connection to the cluster's Redis: registering crawls, the frontier, acknowledgements."""

    def __init__(self, client: Any, prefix: str, worker: str | None = None) -> None:
        self.r = client
        self.prefix = prefix
        self.keys = Keys(prefix)
        self.worker = worker or worker_name()
        self._push = client.register_script(_PUSH)
        self._pop = client.register_script(_POP)
        self._ack = client.register_script(_ACK)
        self._requeue = client.register_script(_REQUEUE)
        self._take = client.register_script(_TAKE)
        self._claim_start = client.register_script(_CLAIM_START)
        self._start_done = client.register_script(_START_DONE)
        self._release_start = client.register_script(_RELEASE_START)

    @classmethod
    def connect(cls, url: str, prefix: str | None = None) -> Cluster:
        return cls(connect(url), redis_prefix(prefix))

    # -- crawls -----------------------------------------------------------------------------
    def register(self, specs: Iterable[dict[str, Any]]) -> None:
        """Make crawls active: any worker of the cluster now crawls them."""
        pipe = self.r.pipeline()
        for spec in specs:
            cid = int(spec["crawl_id"])
            pipe.hsetnx(self.keys.crawl(cid, "state"), "started", repr(time.time()))
            pipe.hset(self.keys.crawls, str(cid), json.dumps(spec, sort_keys=True))
        pipe.execute()

    def specs(self) -> list[dict[str, Any]]:
        return [json.loads(v) for _, v in sorted(self.r.hgetall(self.keys.crawls).items(),
                                                 key=lambda kv: int(kv[0]))]

    def spec(self, crawl_id: int) -> dict[str, Any] | None:
        raw = self.r.hget(self.keys.crawls, str(crawl_id))
        return json.loads(raw) if raw else None

    def done_ids(self) -> set[int]:
        return {int(x) for x in self.r.smembers(self.keys.done)}

    def active_ids(self) -> list[int]:
        done = self.done_ids()
        return sorted(int(k) for k in self.r.hkeys(self.keys.crawls) if int(k) not in done)

    def forget(self, crawl_ids: Iterable[int]) -> None:
        """Remove finished crawls' state (the index and the archive keep everything)."""
        for cid in crawl_ids:
            keys = list(self.r.scan_iter(f"{self.prefix}:c:{cid}:*"))
            if keys:
                self.r.delete(*keys)
            self.r.hdel(self.keys.crawls, str(cid))
            self.r.srem(self.keys.done, str(cid))

    def claim_start(self, crawl_id: int) -> bool:
        return bool(self._claim_start(keys=[self.keys.crawl(crawl_id, "state")], args=[self.worker]))

    def start_done(self, crawl_id: int) -> int:
        """1: the crawl's requests were all answered before its start ended (close it); 0: more
        to come; -1: this worker's claim was released meanwhile (another worker starts it)."""
        return int(self._start_done(keys=[self.keys.crawl(crawl_id, "state"), self.keys.done],
                                    args=[self.worker, crawl_id]))

    # -- the frontier -----------------------------------------------------------------------
    def push(self, token: str, priority: int, data: bytes, crawl_id: int,
             claim: tuple[str, str] | None = None, new: bool = True) -> bool:
        """Queue a request; False when its claim (a member of one of the crawl's sets: "seen",
        "outbound", "claims") was taken already: a duplicate, dropped."""
        host = token.split(" ", 1)[0]
        which, member = claim or ("claims", "")
        return bool(self._push(keys=[self.keys.queue, self.keys.requests, self.keys.hosts,
                                     self.keys.inflight(self.worker), self.keys.crawl(crawl_id, which),
                                     self.keys.crawl(crawl_id, "state")],
                               args=[token, -priority, data, host, member, "1" if new else "0"]))

    def pop(self) -> tuple[str, bytes] | None:
        got = self._pop(keys=[self.keys.queue, self.keys.requests, self.keys.hosts,
                              self.keys.inflight(self.worker)])
        if not got:
            return None
        token, data = got
        return token.decode() if isinstance(token, bytes) else token, data

    def ack(self, token: str, crawl_id: int) -> int:
        """1: this acknowledgement emptied the crawl (close it); 0: more to come; -1: not ours."""
        return int(self._ack(keys=[self.keys.inflight(self.worker), self.keys.requests,
                                   self.keys.crawl(crawl_id, "state"), self.keys.done],
                             args=[token, crawl_id]))

    def queued(self) -> int:
        return int(self.r.zcard(self.keys.queue))

    # -- workers ----------------------------------------------------------------------------
    def beat(self, errors: int = 0) -> None:
        pipe = self.r.pipeline()
        pipe.set(self.keys.beat(self.worker), "1", ex=BEAT_TTL)
        pipe.hset(self.keys.workers, self.worker, json.dumps(
            {"host": socket.gethostname(), "pid": os.getpid()}))
        pipe.hset(self.keys.errors, self.worker, errors)
        pipe.execute()

    def requeue(self, worker: str) -> int:
        """Put a worker's in-flight requests back into the frontier."""
        return int(self._requeue(keys=[self.keys.inflight(worker), self.keys.queue,
                                       self.keys.requests, self.keys.hosts]))

    def reap(self) -> int:
        """Requeue the in-flight requests of every worker whose beat has expired."""
        moved = 0
        for name in self.r.hkeys(self.keys.workers):
            worker = name.decode() if isinstance(name, bytes) else name
            if worker == self.worker or self.r.exists(self.keys.beat(worker)):
                continue
            moved += self.requeue(worker)
            for crawl_id in self.active_ids():
                self._release_start(keys=[self.keys.crawl(crawl_id, "state")], args=[worker])
            self.r.hdel(self.keys.workers, worker)
        return moved

    def leave(self) -> None:
        self.requeue(self.worker)
        self.r.delete(self.keys.beat(self.worker))
        self.r.hdel(self.keys.workers, self.worker)

    def errors(self) -> int:
        return sum(int(v) for v in self.r.hvals(self.keys.errors))

    def take(self, crawl_id: int, what: str, limit: int) -> bool:
        return bool(self._take(keys=[self.keys.crawl(crawl_id, "state")], args=[what, limit]))


# ---- per-portal state in Redis ---------------------------------------------------------------


class RedisSet:
    """A set in Redis that only grows: a member once seen is remembered here, so the links every
    page repeats (header, nav, footer) cost one round trip per worker, not one per page."""

    def __init__(self, r: Any, key: str) -> None:
        self.r, self.key = r, key
        self.known: set[str] = set()

    def __contains__(self, item: object) -> bool:
        if item in self.known:
            return True
        if self.r.sismember(self.key, str(item)):
            self.known.add(str(item))
            return True
        return False

    def add(self, item: str) -> bool:
        self.known.add(item)
        return bool(self.r.sadd(self.key, item))

    def __len__(self) -> int:
        return int(self.r.scard(self.key))

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(v.decode() for v in self.r.smembers(self.key)))


class RedisList:
    def __init__(self, r: Any, key: str, cast: Any = str) -> None:
        self.r, self.key, self.cast = r, key, cast

    def append(self, value: Any) -> None:
        self.r.rpush(self.key, value)

    def __iter__(self) -> Iterator[Any]:
        return iter([self.cast(v.decode()) for v in self.r.lrange(self.key, 0, -1)])

    def __len__(self) -> int:
        return int(self.r.llen(self.key))

    def __bool__(self) -> bool:
        return len(self) > 0


class SharedTrapGuard(TrapGuard):
    """TrapGuard with its counters in Redis: the caps hold for the crawl, not per worker."""

    def __init__(self, r: Any, key: str) -> None:
        super().__init__()
        self.r, self.key = r, key

    def _count(self, kind: str, key: str, cap: int) -> bool:
        # Count first, compare after: atomic, and the first `cap` variants pass as locally.
        return int(self.r.hincrby(self.key, f"{kind} {key}", 1)) <= cap

    def why_skip(self, url: str) -> str:
        parts = urlsplit(url)
        segments = [s for s in parts.path.split("/") if s]
        if len(segments) > self.max_path_segments:
            return "deep_path"
        if segments and max(segments.count(s) for s in segments) > self.max_segment_repeats:
            return "repeating_path"
        if is_calendar_like(url):
            key = f"{parts.netloc}{_DATE_IN_PATH.sub('/', parts.path)}"
            return "" if self._count("calendar", key, self.max_calendar_pages) else "calendar"
        if parts.query:
            key = f"{parts.netloc}{parts.path}"
            return "" if self._count("query", key, self.max_query_variants) else "query_variants"
        return ""


class SharedPortal(Portal):
    """A Portal whose state lives in Redis (see the module docstring)."""

    def __init__(self, cluster: Cluster, **spec: Any) -> None:
        super().__init__(**spec)
        r, k, cid = cluster.r, cluster.keys, self.crawl_id
        self.cluster = cluster
        self.state_key = k.crawl(cid, "state")
        self.seen = RedisSet(r, k.crawl(cid, "seen"))  # type: ignore[assignment]
        self.outbound_seen = RedisSet(r, k.crawl(cid, "outbound"))  # type: ignore[assignment]
        self.links_recorded = RedisSet(r, k.crawl(cid, "links"))  # type: ignore[assignment]
        self.done_probes = RedisSet(r, k.crawl(cid, "probes"))  # type: ignore[assignment]
        self.traps = SharedTrapGuard(r, k.crawl(cid, "traps"))
        self.latencies = RedisList(r, k.crawl(cid, "latencies"), float)  # type: ignore[assignment]
        self.sitemap = {"urls": RedisList(r, k.crawl(cid, "sitemap-urls")), "entries": 0,
                        "errors": RedisList(r, k.crawl(cid, "sitemap-errors"))}
        started = r.hget(self.state_key, "started")
        self.started_wall = float(started) if started else time.time()

    def _state(self, field: str) -> int:
        return int(self.cluster.r.hget(self.state_key, field) or 0)

    # Only a check here: the request's `losi_claim` is taken when it is queued (`Cluster.push`),
    # atomically with queueing it, so a worker that dies in between has claimed nothing.
    def claim(self, url: str) -> bool:
        return url not in self.seen

    def claim_outbound(self, url: str) -> bool:
        if len(self.outbound_seen) >= 3 * self.max_outbound:
            return False
        return url not in self.outbound_seen

    def skip_trap(self, trap: str) -> None:
        self.cluster.r.hincrby(self.cluster.keys.crawl(self.crawl_id, "trap-skips"), trap, 1)

    def take_render(self) -> bool:
        return self.cluster.take(self.crawl_id, "renders", self.render_pages)

    def take_sitemap(self, limit: int) -> bool:
        if "sitemap" in self.done_probes:
            return False
        return self.cluster.take(self.crawl_id, "sitemaps", limit)

    def sitemap_entry(self) -> int:
        return int(self.cluster.r.hincrby(self.state_key, "sitemap_entries", 1))

    def budget_spent(self, which: str) -> None:
        self.cluster.r.hsetnx(self.state_key, "stopped_by", f"{which} budget spent")

    @property
    def shared_stopped_by(self) -> str:
        value = self.cluster.r.hget(self.state_key, "stopped_by")
        return value.decode() if value else ""

    @property
    def shared_trap_skips(self) -> dict[str, int]:
        raw = self.cluster.r.hgetall(self.cluster.keys.crawl(self.crawl_id, "trap-skips"))
        return {k.decode(): int(v) for k, v in sorted(raw.items())}

    def final_probes(self) -> dict[str, dict[str, Any]]:
        self.sitemaps_requested = self._state("sitemaps")
        self.sitemap = {"urls": list(self.sitemap["urls"]), "entries": self._state("sitemap_entries"),
                        "errors": list(self.sitemap["errors"])}
        self.latencies = list(self.latencies)
        return super().final_probes()


@dataclass
class RequestDone:
    """The last output of a callback in the Redis mode: the pipeline commits what the callback
    produced, then acknowledges the request (and closes the crawl when it was the last)."""

    crawl_id: int
    token: str


@dataclass
class StartDone:
    """The last output of a crawl's start: every start request is queued."""

    crawl_id: int


class SharedState:
    """What the spider delegates to in the Redis mode (`PortalSpider.shared`)."""

    def __init__(self, url: str, prefix: str | None = None) -> None:
        self.cluster = Cluster.connect(url, prefix)

    def load_portal(self, crawl_id: int) -> SharedPortal:
        spec = self.cluster.spec(crawl_id)
        if spec is None:
            raise KeyError(f"crawl {crawl_id} is not registered in {self.cluster.prefix}")
        return self.portal(spec)

    def portal(self, spec: dict[str, Any]) -> SharedPortal:
        from crawler.urls import canonical

        known = {f: spec[f] for f in Portal.__dataclass_fields__ if f in spec}
        portal = SharedPortal(self.cluster, **known)
        portal.seed_url = canonical(portal.seed_url)
        return portal

    async def start(self, spider: Any) -> AsyncIterator[Any]:
        """The start of every active crawl no worker has started, for as long as the cluster
        crawls: a crawl registered later, or whose starting worker died, is started here."""
        while True:
            active = self.cluster.active_ids()
            if not active:
                return
            for crawl_id in active:
                if not self.cluster.claim_start(crawl_id):
                    continue
                portal = spider._portal(crawl_id)
                async for out in spider._start_portal(portal):
                    yield spider._track(portal, out)
                yield StartDone(crawl_id)
            await asyncio.sleep(BEAT_SECONDS)

    def track(self, portal: Portal, request: scrapy.Request) -> scrapy.Request:
        return request  # claimed and counted when queued (`Cluster.push`)

    def wrap(self, spider: Any, portal: Portal, arg: Any, outputs: Iterable[Any]) -> Iterator[Any]:
        done = RequestDone(portal.crawl_id, arg.request.meta.get("losi_token", ""))
        try:
            for out in outputs:
                yield spider._track(portal, out)
        except Exception:
            yield done  # the error is logged by Scrapy; the request is answered all the same
            raise
        yield done

    async def wrap_async(self, spider: Any, portal: Portal, arg: Any,
                         outputs: AsyncIterator[Any]) -> AsyncIterator[Any]:
        done = RequestDone(portal.crawl_id, arg.request.meta.get("losi_token", ""))
        try:
            async for out in outputs:
                yield spider._track(portal, out)
        except Exception:
            yield done
            raise
        yield done


# ---- Scrapy components of the Redis mode ---------------------------------------------------


class ReliablePriorityQueue(RedisQueueBase):
    """scrapy-redis' priority queue, made reliable: a popped request stays in the worker's
    in-flight hash until acknowledged, and goes back to the frontier if the worker dies."""

    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self.cluster: Cluster = spider.shared.cluster

    def __len__(self) -> int:
        return self.cluster.queued()

    def push(self, request: scrapy.Request) -> None:
        token = request.meta.get("losi_token")
        new = not token
        if new:
            # A redirect or a retry keeps the token of the request it continues.
            token = request.meta["losi_token"] = f"{urlsplit(request.url).netloc or '-'} {uuid.uuid4().hex}"
        claim = request.meta.get("losi_claim")
        self.cluster.push(token, request.priority, self._encode_request(request),
                          request.meta["losi_crawl"], tuple(claim) if claim else None, new=new)

    def pop(self, timeout: int = 0) -> scrapy.Request | None:
        got = self.cluster.pop()
        if got is None:
            return None
        return self._decode_request(got[1])

    def clear(self) -> None:  # never: other workers are using the frontier
        return None


class SeenSetDupeFilter(BaseDupeFilter):
    """No second filter: every request of the portal spider is `dont_filter`, because each
    portal's seen set (in Redis here) already decides, atomically, what is queued."""

    @classmethod
    def from_spider(cls, spider: Any) -> SeenSetDupeFilter:
        return cls()


class SharedBudgetMiddleware:
    """BudgetMiddleware with the budgets spent in Redis, atomically, for the whole crawl."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedBudgetMiddleware:
        middleware = cls()
        middleware.crawler = crawler  # type: ignore[attr-defined]
        return middleware

    def process_request(self, request: scrapy.Request) -> None:
        spider: Any = self.crawler.spider  # type: ignore[attr-defined]
        kind = request.meta.get("losi_kind")
        if kind not in ("page", "outbound"):
            return None
        if request.meta.get("redirect_times") or request.meta.get("retry_times"):
            return None
        portal: SharedPortal = spider._portal(request.meta["losi_crawl"])
        if portal.max_seconds and time.time() - portal.started_wall > portal.max_seconds:
            portal.budget_spent("time")
            raise BudgetError("time budget spent")
        if kind == "outbound":
            if not portal.cluster.take(portal.crawl_id, "outbound", portal.max_outbound):
                raise BudgetError("outbound budget spent")
            return None
        if not portal.cluster.take(portal.crawl_id, "pages", portal.max_pages):
            portal.budget_spent("pages")
            raise BudgetError("page budget spent")
        return None


class ClusterExtension:
    """Beats, reaps dead workers, and keeps an idle worker open while the cluster has work."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.loop: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterExtension:
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def _cluster(self) -> Cluster:
        return self.crawler.spider.shared.cluster  # type: ignore[union-attr]

    def opened(self, spider: Any) -> None:
        from twisted.internet import task

        self._cluster().beat()
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(BEAT_SECONDS, now=False)

    def tick(self) -> None:
        cluster = self._cluster()
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        cluster.beat(int(stats.get("log_count/ERROR", 0)))
        moved = cluster.reap()
        if moved:
            self.crawler.spider.logger.info("requeued %d requests of a worker that stopped beating",  # type: ignore[union-attr]
                                            moved)

    def idle(self, spider: Any) -> None:
        if self._cluster().active_ids():
            raise DontCloseSpider("the cluster still crawls")

    def closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self._cluster().leave()


class LockedWarcArchive(WarcArchive):
    """One WARC file, several writers (processes, machines on shared storage): each record is
    appended whole under an exclusive lock on the file, at the offset the lock holder reads."""

    def _write(self, record: object) -> RecordRef:
        import fcntl
        import zlib

        from storage.archive import GZIP_LEVEL

        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.write_record(record)
        compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        data = compressor.compress(self._buffer.getvalue()) + compressor.flush()
        fcntl.lockf(self._file, fcntl.LOCK_EX)
        try:
            offset = self._file.seek(0, os.SEEK_END)
            self._file.write(data)
            self._file.flush()
        finally:
            fcntl.lockf(self._file, fcntl.LOCK_UN)
        record_id = record.rec_headers.get_header("WARC-Record-ID")  # type: ignore[attr-defined]
        return RecordRef(record_id, offset, len(data), "")


class SharedArchivePipeline(ArchivePipeline):
    """The archive pipeline of a worker: crawls are opened when their first item arrives, rows
    are committed before each request is acknowledged, and the worker that answers a crawl's
    last request closes it."""

    def open_spider(self) -> None:
        from crawler.pipelines import software_versions
        from storage.db import make_engine, session_factory

        self.engine = make_engine(self.database_url)
        self.session = session_factory(self.engine)()
        spider: Any = self.crawler.spider
        self.cluster: Cluster = spider.shared.cluster
        render = any(int(s.get("render_pages", 0)) > 0 for s in self.cluster.specs())
        self.software = software_versions(render)

    def _target(self, crawl_id: int) -> CrawlArchive:
        target = self.crawls.get(crawl_id)
        if target is not None:
            return target
        crawl = self.session.get(Crawl, crawl_id)
        if crawl is None:
            raise RuntimeError(f"crawl {crawl_id} is not in the database")
        path = Path(crawl.warc_path) if crawl.warc_path else self.archive_root / f"crawl-{crawl_id:06d}.warc.gz"
        archive = LockedWarcArchive(path)
        from losi import __version__

        archive.write_warcinfo({
            "software": f"losi/{__version__} (git {self.software['losi_git_commit']})",
            "format": "WARC File Format 1.1",
            "isPartOf": f"losi crawl {crawl.id} of {crawl.city_id}",
            "description": f"seed {crawl.seed_url}; worker {self.cluster.worker} joins",
            "http-header-user-agent": str(self.crawler.settings.get("USER_AGENT")),
            "robots": "obey" if self.crawler.settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "started": datetime.now(timezone.utc).isoformat(),
            "losi-settings": json.dumps(crawl.settings, sort_keys=True, default=str),
            **{f"version-{k}": v for k, v in self.software.items()},
        })
        if crawl.status == "pending":
            crawl.status = "running"
        crawl.warc_path = str(path.resolve())
        crawl.started_at = crawl.started_at or datetime.now(timezone.utc)
        crawl.software = self.software
        stored = {(k, u) for k, u in self.session.execute(
            select(Page.kind, Page.url).where(Page.crawl_id == crawl_id))}
        target = self.crawls[crawl_id] = CrawlArchive(crawl, archive, stored, 0)
        self.session.commit()
        return target

    def process_item(self, item: Any) -> Any:
        if isinstance(item, RequestDone):
            self.session.commit()
            self.pending, self.last_commit = 0, time.monotonic()
            if item.token and self.cluster.ack(item.token, item.crawl_id) == 1:
                self._close(self._target(item.crawl_id), "finished")
            return item
        if isinstance(item, StartDone):
            self.session.commit()
            self.pending, self.last_commit = 0, time.monotonic()
            if self.cluster.start_done(item.crawl_id) == 1:
                self._close(self._target(item.crawl_id), "finished")
            return item
        target = self._target(item.crawl_id)
        from crawler.items import PageItem, ProbeItem

        # Stored by a worker that died before acknowledging the request (or before its start
        # was done), and produced again since by the worker that took over.
        if isinstance(item, PageItem) and self.session.scalar(
                select(func.count()).select_from(Page).where(
                    Page.crawl_id == item.crawl_id, Page.url == item.url)):
            target.stored.add((item.kind, item.url))
            return item
        if isinstance(item, ProbeItem) and self.session.scalar(
                select(func.count()).select_from(Probe).where(
                    Probe.crawl_id == item.crawl_id, Probe.name == item.name)):
            return item
        return super().process_item(item)

    def _close(self, target: CrawlArchive, reason: str) -> None:
        if target.closed:
            return
        target.closed = True
        if reason != "finished":
            target.archive.close()  # the crawl goes on in other workers
            return
        spider: Any = self.crawler.spider
        portal: SharedPortal = spider._portal(target.crawl.id)
        crawl = target.crawl
        self.session.flush()
        for name, data in portal.final_probes().items():
            probe = self.session.scalars(select(Probe).where(
                Probe.crawl_id == crawl.id, Probe.name == name)).first()
            if probe is None:
                self.session.add(Probe(crawl_id=crawl.id, name=name, data=data))
            else:
                probe.data = data
        self.session.refresh(crawl)
        crawl.status = "finished"
        crawl.stop_reason = portal.shared_stopped_by or "finished"
        crawl.finished_at = datetime.now(timezone.utc)
        self.session.flush()
        pages: dict[str, int] = {}
        for kind, status, count in self.session.execute(
            select(Page.kind, Page.fetch_status, func.count()).where(Page.crawl_id == crawl.id)
            .group_by(Page.kind, Page.fetch_status)
        ):
            key = status if kind == "portal" else f"{kind}_{status}"
            pages[key] = pages.get(key, 0) + count
        crawl.stats = {
            "pages": pages,
            "links_out": self.session.scalar(
                select(func.count()).select_from(Link).where(Link.crawl_id == crawl.id)),
            "trap_skips": portal.shared_trap_skips,
            "recovered_from_warc": 0,
            "seconds": round(time.time() - portal.started_wall, 2),
            # Cluster-wide: the ERROR lines of every worker so far.
            "batch_errors": self.cluster.errors(),
            "workers": len(self.cluster.r.hkeys(self.cluster.keys.workers)),
        }
        target.archive.write_metadata(
            f"urn:losi:crawl:{crawl.id}",
            {"finished": crawl.finished_at.isoformat(), "status": crawl.status,
             "stop_reason": crawl.stop_reason, "stats": crawl.stats},
        )
        target.archive.close()
        self.session.commit()

    def spider_closed(self, spider: Any, reason: str) -> None:
        self.session.commit()
        for target in self.crawls.values():
            if not target.closed:
                target.closed = True
                target.archive.close()
        self.session.close()
        self.engine.dispose()


def configure(settings: Any) -> None:
    """Settings of the Redis mode, on top of crawler.settings."""
    from scrapy.core.engine import ExecutionEngine

    settings.set("SCHEDULER", "scrapy_redis.scheduler.Scheduler")
    settings.set("SCHEDULER_QUEUE_CLASS", "crawler.distributed.ReliablePriorityQueue")
    settings.set("SCHEDULER_PERSIST", True)  # one worker leaving must not flush the frontier
    settings.set("SCHEDULER_FLUSH_ON_START", False)
    prefix = settings.get("LOSI_REDIS_PREFIX")
    settings.set("SCHEDULER_QUEUE_KEY", f"{prefix}:queue")
    settings.set("SCHEDULER_DUPEFILTER_KEY", f"{prefix}:dupefilter")
    settings.set("DUPEFILTER_CLASS", "crawler.distributed.SeenSetDupeFilter")
    settings.set("REDIS_URL", settings.get("LOSI_REDIS_URL"))
    settings.set("ITEM_PIPELINES", {"crawler.distributed.SharedArchivePipeline": 300})
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    middlewares.pop("crawler.middlewares.BudgetMiddleware", None)
    middlewares["crawler.distributed.SharedBudgetMiddleware"] = 110
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares)
    settings.set("EXTENSIONS", {"crawler.distributed.ClusterExtension": 500})
    # An idle worker asks the shared frontier for work every 0.25 s rather than every 5 s
    # (Scrapy's heartbeat): another worker may have queued pages in the meantime.
    ExecutionEngine._SLOT_HEARTBEAT_INTERVAL = 0.25
