"""The cluster: crawls shared by crawler processes on many machines, and detection spread over
them one city per task, both through one Redis.

- `losi crawl --redis URL --city ...` creates the crawls, registers them in Redis and works on
  them as a worker until they are all finished. `losi crawl --redis URL` alone is a worker: it
  joins whatever the cluster is crawling and takes detection tasks, until stopped.
- Detection (and re-runs after a methodology or detector change) goes through a small task
  queue on the same Redis, one crawl (= one city) per task: `TaskQueue` below. Why not Celery or
  RQ: detection needs no result backend, no retries policy beyond "a dead worker's task goes
  back", and no other broker; a Redis list per state (waiting, taken by worker W) and a beat per
  worker is 60 lines we can test, on the Redis the crawl already needs. Why one city per task:
  a city's Site is built once (its pages parsed once) and judged by every detector; smaller
  tasks would parse pages twice, larger ones would leave workers idle at the end of a batch.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from crawler.distributed import BEAT_TTL, Cluster, RedisUnavailable, connect, redis_prefix

TASK_BEAT_SECONDS = 1.0


class ClusterError(Exception):
    """A problem the user can fix (Redis unreachable, nothing to crawl): one line."""


def cluster(url: str, prefix: str | None = None) -> Cluster:
    try:
        return Cluster(connect(url), redis_prefix(prefix))
    except RedisUnavailable as exc:
        raise ClusterError(str(exc)) from exc


# ---- detection tasks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    id: str
    crawl_id: int
    methodology: str

    def encode(self) -> str:
        return json.dumps({"id": self.id, "crawl_id": self.crawl_id, "methodology": self.methodology})

    @classmethod
    def decode(cls, raw: bytes | str) -> Task:
        data = json.loads(raw)
        return cls(data["id"], int(data["crawl_id"]), data["methodology"])


class TaskQueue:
    """Detection tasks on Redis: `tasks` (waiting), `tasks:taken:W` (worker W has it), and
    `tasks:result` (task id -> detection run id). LMOVE makes taking a task atomic; a worker
    whose beat has expired gets its taken tasks put back by any other worker."""

    def __init__(self, client: Any, prefix: str, worker: str | None = None) -> None:
        self.r = client
        self.prefix = prefix
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.waiting = f"{prefix}:tasks"
        self.results = f"{prefix}:tasks:result"
        self.workers = f"{prefix}:tasks:workers"

    def taken_key(self, worker: str) -> str:
        return f"{self.prefix}:tasks:taken:{worker}"

    def beat_key(self, worker: str) -> str:
        return f"{self.prefix}:tasks:beat:{worker}"

    def put(self, crawl_id: int, methodology: str) -> Task:
        task = Task(uuid.uuid4().hex, crawl_id, methodology)
        self.r.rpush(self.waiting, task.encode())
        return task

    def depth(self) -> int:
        return int(self.r.llen(self.waiting))

    def beat(self) -> None:
        self.r.set(self.beat_key(self.worker), "1", ex=BEAT_TTL)
        self.r.sadd(self.workers, self.worker)

    def take(self, timeout: float = 1.0) -> Task | None:
        raw = self.r.blmove(self.waiting, self.taken_key(self.worker), timeout, "LEFT", "RIGHT")
        return Task.decode(raw) if raw else None

    def finish(self, task: Task, run_id: str) -> None:
        pipe = self.r.pipeline()
        pipe.hset(self.results, task.id, run_id)
        pipe.hsetnx(f"{self.results}:by", task.id, self.worker)
        pipe.lrem(self.taken_key(self.worker), 1, task.encode())
        pipe.execute()

    def result(self, task_id: str) -> str | None:
        raw = self.r.hget(self.results, task_id)
        return raw.decode() if raw else None

    def reap(self) -> int:
        """Put back the tasks of workers whose beat expired."""
        moved = 0
        for raw in self.r.smembers(self.workers):
            worker = raw.decode()
            if worker == self.worker or self.r.exists(self.beat_key(worker)):
                continue
            while self.r.lmove(self.taken_key(worker), self.waiting, "RIGHT", "LEFT"):
                moved += 1
            self.r.srem(self.workers, worker)
        return moved

    def leave(self) -> None:
        while self.r.lmove(self.taken_key(self.worker), self.waiting, "RIGHT", "LEFT"):
            pass
        self.r.delete(self.beat_key(self.worker))
        self.r.srem(self.workers, self.worker)


def run_task(engine: Engine, queue: TaskQueue, task: Task,
             detect: Callable[[Engine, Sequence[int], str], str]) -> str:
    """Run one detection task, once: a task put back after its worker died is not run again
    when its proposals were already stored."""
    done = queue.result(task.id)
    if done:
        queue.finish(task, done)
        return done
    run_id = detect(engine, [task.crawl_id], task.methodology)
    queue.finish(task, run_id)
    return run_id


def wait_for_tasks(queue: TaskQueue, tasks: Sequence[Task], *, timeout: float | None = None,
                   poll: float = 0.5) -> dict[str, str]:
    """Wait until every task has a result; returns task id -> detection run id."""
    deadline = None if timeout is None else time.monotonic() + timeout
    results: dict[str, str] = {}
    while len(results) < len(tasks):
        for task in tasks:
            if task.id not in results:
                got = queue.result(task.id)
                if got:
                    results[task.id] = got
        if len(results) < len(tasks):
            if deadline is not None and time.monotonic() > deadline:
                raise ClusterError(f"{len(tasks) - len(results)} detection tasks not done in time")
            queue.reap()
            time.sleep(poll)
    return results


# ---- crawls -------------------------------------------------------------------------------------


def _crawler_command(engine: Engine, redis_url: str, prefix: str, root: Path, log_file: Path,
                     crawl_ids: Sequence[int] = ()) -> list[str]:
    return [sys.executable, "-m", "crawler.run", *map(str, crawl_ids),
            "--database-url", engine.url.render_as_string(hide_password=False),
            "--archive-dir", str(root), "--log-file", str(log_file),
            "--redis", redis_url, "--redis-prefix", prefix]


def start_crawls(engine: Engine, city_ids: Sequence[str], options: Any, redis_url: str, *,
                 all_cities: bool = False, prefix: str | None = None) -> list[int]:
    """Create one crawl per city and register them in the cluster (no crawling here)."""
    from crawler.run import _spec
    from crawler.urls import canonical
    from losi.cli import _select_cities
    from storage.archive import archive_dir
    from storage.db import session_scope
    from storage.models import Crawl

    c = cluster(redis_url, prefix)
    root = archive_dir()
    root.mkdir(parents=True, exist_ok=True)
    with session_scope(engine) as session:
        targets = _select_cities(session, city_ids, all_cities)
        crawls = [Crawl(city_id=t.id, seed_url=canonical(t.portal_url), settings=options.settings())
                  for t in targets]
        session.add_all(crawls)
        session.flush()
        for crawl in crawls:
            # Fixed now, so that every worker appends to the same file on the shared storage.
            crawl.warc_path = str(root / f"crawl-{crawl.id:06d}.warc.gz")
        specs = [_spec(crawl.id, crawl.seed_url, dict(crawl.settings)) for crawl in crawls]
        ids = [crawl.id for crawl in crawls]
    c.register(specs)
    return ids


def crawl_in_cluster(engine: Engine, city_ids: Sequence[str], options: Any, redis_url: str, *,
                     all_cities: bool = False, prefix: str | None = None) -> list[int]:
    """`losi crawl --redis URL --city ...`: register the crawls, work on them as one of the
    cluster's workers until all are finished, and return their ids."""
    from storage.archive import archive_dir
    from storage.db import session_scope
    from storage.models import Crawl

    prefix = redis_prefix(prefix)
    c = cluster(redis_url, prefix)
    ids = start_crawls(engine, city_ids, options, redis_url, all_cities=all_cities, prefix=prefix)
    root = archive_dir()
    log_file = root / f"crawl-{ids[0]:06d}-{ids[-1]:06d}-{socket.gethostname()}-{os.getpid()}.log"
    proc = subprocess.Popen(_crawler_command(engine, redis_url, prefix, root, log_file))
    try:
        # The worker exits when the cluster has no active crawl left; it may also end early
        # (killed): then wait for the other workers to finish ours.
        code = proc.wait()
        while set(ids) - c.done_ids() and _crawls_alive(c):
            time.sleep(0.5)
    except KeyboardInterrupt:
        proc.terminate()
        code = proc.wait()
    finished = c.done_ids()
    with session_scope(engine) as session:
        for crawl_id in ids:
            crawl = session.get(Crawl, crawl_id)
            assert crawl is not None
            if crawl_id not in finished and crawl.status in ("pending", "running"):
                crawl.status = "interrupted"
                crawl.stop_reason = (f"no worker of the cluster is crawling it (this one exited "
                                     f"with status {code}; see {log_file})")
    c.forget(i for i in ids if i in finished)
    return ids


def _crawls_alive(c: Cluster) -> bool:
    """Whether some worker still beats (and so may finish the active crawls)."""
    return any(c.r.exists(c.keys.beat(w.decode())) for w in c.r.hkeys(c.keys.workers))


def work(engine: Engine, redis_url: str, *, prefix: str | None = None,
         detect: Callable[[Engine, Sequence[int], str], str] | None = None,
         stop: threading.Event | None = None, idle_exit: float | None = None) -> int:
    """`losi crawl --redis URL` without cities: a worker of the cluster. It joins the active
    crawls (a crawler subprocess sharing the frontier) and runs detection tasks, until SIGTERM
    (or, with `idle_exit`, after that many seconds with nothing to do). Returns tasks run."""
    from storage.archive import archive_dir

    prefix = redis_prefix(prefix)
    c = cluster(redis_url, prefix)
    queue = TaskQueue(c.r, prefix)
    stop = stop or threading.Event()
    detect = detect or _detect
    proc: subprocess.Popen[bytes] | None = None

    def on_term(signum: int, _frame: Any) -> None:
        stop.set()
        if proc is not None and proc.poll() is None:
            proc.terminate()  # the crawler leaves: its in-flight requests go back at once

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, on_term)
    beating = threading.Event()

    def beat() -> None:
        while not beating.wait(TASK_BEAT_SECONDS):
            queue.beat()
            queue.reap()

    queue.beat()
    beater = threading.Thread(target=beat, daemon=True)
    beater.start()
    root = archive_dir()
    root.mkdir(parents=True, exist_ok=True)
    done = 0
    idle_since = time.monotonic()
    try:
        while not stop.is_set():
            if c.active_ids():
                log_file = root / f"worker-{socket.gethostname()}-{os.getpid()}.log"
                proc = subprocess.Popen(_crawler_command(engine, redis_url, prefix, root, log_file))
                proc.wait()
                proc = None
                idle_since = time.monotonic()
                continue
            task = queue.take(timeout=1.0)
            if task is not None:
                run_task(engine, queue, task, detect)
                done += 1
                idle_since = time.monotonic()
            elif idle_exit is not None and time.monotonic() - idle_since > idle_exit:
                break
    except KeyboardInterrupt:
        pass
    finally:
        beating.set()
        if proc is not None and proc.poll() is None:
            proc.terminate()
            proc.wait()
        queue.leave()
    return done


def _detect(engine: Engine, crawl_ids: Sequence[int], methodology: str) -> str:
    from losi.cli import _methodology, detect_crawls

    return detect_crawls(engine, crawl_ids, _methodology(methodology))


def detect_in_cluster(engine: Engine, crawl_ids: Sequence[int], methodology: str, redis_url: str,
                      *, prefix: str | None = None, timeout: float | None = None) -> dict[int, str]:
    """One detection task per crawl for the cluster's workers; waits, returns crawl -> run id."""
    prefix = redis_prefix(prefix)
    queue = TaskQueue(cluster(redis_url, prefix).r, prefix)
    tasks = [queue.put(cid, methodology) for cid in crawl_ids]
    results = wait_for_tasks(queue, tasks, timeout=timeout)
    return {t.crawl_id: results[t.id] for t in tasks}


def finished_crawls(engine: Engine, crawl_ids: Sequence[int]) -> list[int]:
    from storage.db import session_scope
    from storage.models import Crawl

    with session_scope(engine) as session:
        return list(session.scalars(select(Crawl.id).where(
            Crawl.id.in_(crawl_ids), Crawl.status == "finished").order_by(Crawl.id)))
