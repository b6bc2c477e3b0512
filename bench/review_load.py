"""Load test of the review app: 50 people deciding at once, on SQLite and on PostgreSQL.

Not a test: it prints figures. For each database it

1. makes a fresh one (SQLite: a file in a temporary folder; PostgreSQL: a database of its own,
   `losi_review_load`, created next to the one --postgres-url names and dropped at the end),
   migrated by `losi init`'s code, with N cities, each with a crawl, two detection runs of
   proposals for every indicator of losi-2024 (with evidence rows), both assessors' decisions
   already taken on every indicator, and the accounts;
2. serves the app with `losi review serve --workers 2` (two uvicorn worker processes) on
   127.0.0.1;
3. signs in --users people (default 50), each with their own account and cookie jar (aiohttp):
   the first --assessors of them (default 20) are the assessors A and B of --users/2... cities,
   the others are reviewers, a few on each city;
4. for --seconds (default 300) each person loops: load their queue page, open an item (half the
   time the one the queue says to start with, as a person pressing Enter would, so reviewers of
   one city race for the same item), think (uniform 0..2*--think seconds), post a decision with
   the sequence number the page showed, think again;
5. checks from the database that no decision was lost: every post answered 303 must be a stored
   row with that person, item, round and sequence number, and no other row may exist; every post
   answered 409 (conflict) must have lost to a stored row at the same sequence number; every
   chain of decisions must be numbered 1, 2, 3 ... without a gap;
6. prints p50/p95/p99 latency of the queue page, the item page and the posts, requests per
   second, the errors, the CPU of the app's processes, and the load average at the start and the
   end (the machine is shared) with the run queue sampled during the window;
7. on PostgreSQL, also what the server did (`PgProbe`): the CPU of its processes, transactions,
   rows read per request and by which table's scans, connections opened, and pg_stat_activity
   sampled every 0.2 s (how many backends were running, waiting on what, or idle in a
   transaction while the app worked).

    .venv/bin/python bench/review_load.py [--db sqlite|postgresql|both] [--seconds 300]
        [--users 50] [--assessors 20] [--think 1.0] [--postgres-url URL]

Latency is measured by the clients, so it includes their own share of the CPU: on a 2-core
machine the clients, two app processes and the database compete for the same cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import aiohttp  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from procstat import cpu_seconds, descendants, stat_fields, tree_cpu  # noqa: E402
from review.auth import hash_password  # noqa: E402
from scoring.methodology import builtin_dir, load_methodology  # noqa: E402
from storage.db import make_engine, session_scope, upgrade  # noqa: E402
from storage.models import (  # noqa: E402
    Assignment,
    City,
    Crawl,
    DecisionRow,
    ProposalRow,
    User,
)

PASSWORD = "load test password"
PG_DATABASE = "losi_review_load"
CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')
SEQ_RE = re.compile(r'name="expected_seq" value="(\d+)"')
PROPOSAL_RE = re.compile(r'name="proposal_id" value="(\d*)"')
START_RE = re.compile(r'href="/cities/[^/"]+/items/([^"?]+)"[^>]*data-key="Enter"')
ITEM_RE = re.compile(r'href="/cities/[^/"]+/items/([^"?]+)"')
# Outcomes in about the proportions the demo's portals get.
OUTCOMES = ["present"] * 13 + ["absent"] * 73 + ["needs_review"] * 6 + ["not_assessable"] * 4


# ---- the stored world -------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    city: str
    round: str  # a, b or reconciled


def build_world(url: str, users: int, assessors: int, seed: int) -> list[Person]:
    rng = random.Random(seed)
    m = load_methodology(builtin_dir() / "losi-2024.toml")
    engine = make_engine(url)
    upgrade(engine)
    n_cities = max(1, assessors // 2)
    cities = [f"xlt-city-{i:03d}" for i in range(n_cities)]
    people: list[Person] = []
    for i in range(assessors):
        people.append(Person(f"assessor-{i:03d}", "assessor", cities[i // 2], "ab"[i % 2]))
    for j in range(users - assessors):
        people.append(Person(f"reviewer-{j:03d}", "reviewer", cities[j % n_cities], "reconciled"))
    # argon2id with the app's real parameters: every sign-in costs what it costs in production.
    hashed = hash_password(PASSWORD)
    with session_scope(engine) as s:
        ids: dict[str, int] = {}
        for p in people:
            u = User(name=p.name, role=p.role, password_hash=hashed, active=True)
            s.add(u)
            s.flush()
            ids[p.name] = u.id
        for cid in cities:
            s.add(City(id=cid, country="FRA", name=cid.replace("-", " ").title(),
                       portal_url=f"https://{cid}.example/", languages=["fr"]))
        s.flush()
        for cid in cities:
            crawl = Crawl(city_id=cid, seed_url=f"https://{cid}.example/", status="finished")
            s.add(crawl)
            s.flush()
            latest: dict[str, ProposalRow] = {}
            for run in ("run-1", "run-2"):  # a re-run of the detectors: two proposals per item
                for ind in m.indicators:
                    outcome = rng.choice(OUTCOMES)
                    evidence = [{
                        "page_url": f"https://{cid}.example/page-{k}",
                        "explanation": f"{ind.name}: found in the page's main content",
                        "locator": "main > section:nth-of-type(2) a",
                        "text": " ".join(rng.choice(("service", "municipal", "online", "form",
                                                     "citizens", "request", "information"))
                                         for _ in range(25)),
                        "record_id": f"<urn:uuid:{rng.getrandbits(64):016x}>",
                    } for k in range(rng.randint(1, 3))] if outcome == "present" else []
                    row = ProposalRow(crawl_id=crawl.id, city_id=cid, methodology_id=m.id,
                                      methodology_version=m.version, indicator_code=ind.code,
                                      outcome=outcome, confidence=round(rng.uniform(0.3, 1.0), 2),
                                      detector_id=ind.detector, detector_version=1,
                                      reason="" if evidence else "not found on the pages crawled",
                                      evidence=evidence, run_id=f"{cid}-{run}")
                    s.add(row)
                    latest[ind.code] = row
            s.flush()
            # Both assessors have decided everything: the reviewers have a full queue.
            for ind in m.indicators:
                a = rng.randint(0, 1)
                b = a if rng.random() < 0.85 else 1 - a
                for r, v in (("a", a), ("b", b)):
                    s.add(DecisionRow(city_id=cid, methodology_id=m.id, indicator_code=ind.code,
                                      value=v, assessor=f"seed-{r}", round=r, reason="seed",
                                      proposal_id=latest[ind.code].id, seq=1))
            for i, r in ((0, "a"), (1, "b")):
                owner = next(p for p in people if p.city == cid and p.round == r)
                s.add(Assignment(city_id=cid, methodology_id=m.id, round=r, user_id=ids[owner.name],
                                 assigned_by="load test"))
    engine.dispose()
    return people


# ---- PostgreSQL: a database of its own --------------------------------------------------------


def pg_create(admin_url: str) -> str:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {PG_DATABASE}"))
    admin.dispose()
    return make_url(admin_url).set(database=PG_DATABASE).render_as_string(hide_password=False)


def pg_drop(admin_url: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)"))
    admin.dispose()


class PgProbe:
    """What the PostgreSQL server does during the measured window, from its own statistics:

    - CPU seconds of the server's processes (the postmaster, its live backends, and the backends
      that ended, which the postmaster has reaped), when the server runs on this machine;
    - pg_stat_activity sampled every 0.2 s: how many backends the app held, and what they were
      doing (running, idle, idle in transaction) and waiting for (Lock, LWLock, IO, Client...);
    - pg_stat_database and pg_stat_user_tables deltas: transactions, commits, rows read by
      sequential scans and by index scans, per table.
    """

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with self.engine.connect() as conn:
            backend = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        self.postmaster = _ppid(backend)
        self.samples: Counter[str] = Counter()
        self.backends: list[int] = []
        self.busy: list[int] = []  # backends in a transaction or running a statement
        self.n = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def server_cpu(self) -> float | None:
        if self.postmaster is None:
            return None
        fields = stat_fields(self.postmaster)
        if fields is None:
            return None
        reaped = (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")
        return reaped + sum(max(cpu_seconds(p), 0.0) for p in descendants(self.postmaster))

    def counters(self) -> dict[str, Any]:
        with self.engine.connect() as conn:
            d = conn.execute(text(
                "SELECT xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted, "
                "blks_read, blks_hit, sessions FROM pg_stat_database WHERE datname = current_database()"
            )).mappings().one()
            tables = {r.relname: (r.seq_scan or 0, r.seq_tup_read or 0, r.idx_scan or 0,
                                  r.idx_tup_fetch or 0)
                      for r in conn.execute(text(
                          "SELECT relname, seq_scan, seq_tup_read, idx_scan, idx_tup_fetch "
                          "FROM pg_stat_user_tables"))}
        return {"db": dict(d), "tables": tables}

    def _sample(self) -> None:
        with self.engine.connect() as conn:
            me = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
            query = text("SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
                         "WHERE datname = current_database() AND pid <> :me "
                         "AND backend_type = 'client backend'")
            while not self._stop.wait(0.2):
                rows = conn.execute(query, {"me": me}).all()
                self.n += 1
                self.backends.append(len(rows))
                self.busy.append(sum(1 for r in rows if r[0] != "idle"))
                for state, wtype, wevent in rows:
                    what = state or "?"
                    if wtype and not (state == "idle" and wtype == "Client"):
                        what += f" / {wtype}:{wevent}"
                    self.samples[what] += 1

    def start(self) -> None:
        self.cpu0, self.count0 = self.server_cpu(), self.counters()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop(self, t: Tally) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        cpu1, count1 = self.server_cpu(), self.counters()
        if cpu1 is not None and self.cpu0 is not None:
            t.db_cpu = cpu1 - self.cpu0
        d0, d1 = self.count0["db"], count1["db"]
        t.db["database"] = {k: d1[k] - d0[k] for k in d1}
        t.db["tables"] = {
            name: tuple(b - a for a, b in zip(self.count0["tables"].get(name, (0, 0, 0, 0)), now))
            for name, now in count1["tables"].items()}
        t.db["activity"] = {k: v / max(self.n, 1) for k, v in self.samples.most_common()}
        t.db["backends"] = (statistics.mean(self.backends) if self.backends else 0,
                            max(self.backends, default=0),
                            statistics.mean(self.busy) if self.busy else 0, max(self.busy, default=0))
        self.engine.dispose()


class RunQueue:
    """What the load average counts (tasks running or waiting for a core, and tasks in
    uninterruptible sleep), read from /proc/stat every 0.2 s during the measured window: its
    mean is the window's own load, not the 1-minute average that still remembers the sign-ins'
    argon2 before the window, or other work before the run."""

    def __init__(self, t: Tally) -> None:
        self.t = t
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            try:
                with open("/proc/stat") as fh:
                    fields = dict(line.split()[:2] for line in fh if line.startswith("procs_"))
            except OSError:
                return
            # Less this thread, which is running while it reads.
            self.t.run_queue.append(int(fields["procs_running"]) + int(fields["procs_blocked"]) - 1)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _ppid(pid: int) -> int | None:
    """The parent of a backend (the postmaster), when the server runs on this machine."""
    fields = stat_fields(pid)
    return int(fields[1]) if fields is not None else None


# ---- the app -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_app(url: str, port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "LOSI_DATABASE_URL": url}
    proc = subprocess.Popen([sys.executable, "-m", "losi.cli", "review", "serve", "--port", str(port),
                             "--workers", str(workers)], env=env, cwd=ROOT,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the app exited with {proc.returncode}: see {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"the app did not listen on port {port} within 60 s: see {log}")


def stop_app(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# ---- the people --------------------------------------------------------------------------------


@dataclass
class Tally:
    latency: dict[str, list[float]] = field(default_factory=lambda: {
        "login": [], "queue": [], "item": [], "post": []})
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    accepted: list[tuple[str, str, str, int, str]] = field(default_factory=list)
    conflicts: list[tuple[str, str, str, int, str]] = field(default_factory=list)
    unknown: list[tuple[str, str, str, int, str]] = field(default_factory=list)
    requests: int = 0
    app_cpu: float = 0.0  # CPU seconds of the app's processes in the measured window
    client_cpu: float = 0.0
    db_cpu: float | None = None  # CPU seconds of the PostgreSQL server (None: not measured)
    run_queue: list[int] = field(default_factory=list)  # tasks running or in D state, every 0.2 s
    db: dict[str, Any] = field(default_factory=dict)  # what the database saw (PostgreSQL)


async def timed(t: Tally, kind: str, call: Any) -> tuple[int, str]:
    start = time.perf_counter()
    try:
        async with call as r:
            body = await r.text()
            status = r.status
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        t.errors[f"{kind}: {type(exc).__name__}"] += 1
        return 0, ""
    t.latency[kind].append(time.perf_counter() - start)
    t.statuses[(kind, status)] += 1
    t.requests += 1
    return status, body


async def sign_in(p: Person, http: aiohttp.ClientSession, t: Tally) -> bool:
    _, form = await timed(t, "login", http.get("/login"))
    found = CSRF_RE.search(form)
    if not found:
        t.errors["login: no form"] += 1
        return False
    status, _ = await timed(t, "login", http.post("/login", allow_redirects=False, data={
        "name": p.name, "password": PASSWORD, "csrf": found.group(1)}))
    if status != 303:
        t.errors[f"login: status {status}"] += 1
        return False
    return True


async def person(p: Person, http: aiohttp.ClientSession, t: Tally, stop_at: float, think: float,
                 seed: int) -> None:
    rng = random.Random(seed)
    await asyncio.sleep(rng.uniform(0, think))  # people do not all click at the same instant
    n = 0
    while time.monotonic() < stop_at:
        status, page = await timed(t, "queue", http.get(f"/cities/{p.city}"))
        codes = ITEM_RE.findall(page)
        if status != 200 or not codes:
            t.errors[f"queue: status {status}"] += 1
            await asyncio.sleep(1)
            continue
        start = START_RE.search(page)
        code = start.group(1) if start and rng.random() < 0.5 else rng.choice(codes)
        status, item = await timed(t, "item", http.get(f"/cities/{p.city}/items/{code}"))
        seq, proposal, csrf = SEQ_RE.search(item), PROPOSAL_RE.search(item), CSRF_RE.search(item)
        if status != 200 or not (seq and proposal and csrf):
            t.errors[f"item: status {status}"] += 1
            continue
        await asyncio.sleep(rng.uniform(0, 2 * think))
        n += 1
        expected = int(seq.group(1))
        status, _ = await timed(t, "post", http.post(
            f"/cities/{p.city}/items/{code}", allow_redirects=False, data={
                "csrf": csrf.group(1), "value": str(rng.randint(0, 1)),
                "reason": f"load {p.name} {n}", "proposal_id": proposal.group(1),
                "expected_seq": str(expected), "back": "queue"}))
        key = (p.city, code, p.round, expected + 1, p.name)
        if status == 303:
            t.accepted.append(key)
        elif status == 409:
            t.conflicts.append(key)
        elif status:
            t.errors[f"post: status {status}"] += 1
        else:  # no answer (timeout, reset): stored or not, the person was not told
            t.unknown.append(key)
        await asyncio.sleep(rng.uniform(0, 2 * think))


async def run_people(people: list[Person], origin: str, seconds: float, think: float,
                     seed: int, on_start: Any = None, t: Tally | None = None) -> tuple[Tally, float]:
    t = t if t is not None else Tally()
    # unsafe=True: keep cookies from an IP-address host (127.0.0.1). One jar per person.
    sessions = [aiohttp.ClientSession(origin, cookie_jar=aiohttp.CookieJar(unsafe=True),
                                      timeout=aiohttp.ClientTimeout(total=60)) for _ in people]
    try:
        # Everyone signs in first (argon2id costs ~0.1 s of CPU a person, more on a busy
        # machine); the clock starts when all are in.
        signed = await asyncio.gather(*(sign_in(p, h, t) for p, h in zip(people, sessions)))
        if not all(signed):
            raise SystemExit(f"{signed.count(False)} people could not sign in: {dict(t.errors)}")
        if on_start is not None:
            on_start()
        start = time.monotonic()
        await asyncio.gather(*(person(p, h, t, start + seconds, think, seed + i)
                               for i, (p, h) in enumerate(zip(people, sessions))))
        return t, time.monotonic() - start
    finally:
        await asyncio.gather(*(h.close() for h in sessions))


# ---- checks and figures -------------------------------------------------------------------------


def verify(url: str, t: Tally) -> dict[str, int]:
    """Every accepted post stored, nothing stored that was not accepted, every conflict lost to
    a stored row, every chain numbered without a gap."""
    engine = make_engine(url)
    with session_scope(engine) as s:
        rows = s.execute(select(DecisionRow.city_id, DecisionRow.indicator_code, DecisionRow.round,
                                DecisionRow.seq, DecisionRow.assessor, DecisionRow.reason)).all()
    engine.dispose()
    stored = Counter((r.city_id, r.indicator_code, r.round, r.seq, r.assessor)
                     for r in rows if r.reason.startswith("load "))
    accepted = Counter(t.accepted)
    at_seq = {(r.city_id, r.indicator_code, r.round, r.seq): r.assessor for r in rows}
    chains: dict[tuple[str, str, str], list[int]] = {}
    for r in rows:
        chains.setdefault((r.city_id, r.indicator_code, r.round), []).append(r.seq or 0)
    return {
        "posts accepted (303)": sum(accepted.values()),
        "rows stored by the run": sum(stored.values()),
        "accepted but not stored (LOST)": sum((accepted - stored).values()),
        "stored but not accepted": sum((stored - accepted - Counter(t.unknown)).values()),
        "posts without an answer (client error)": len(t.unknown),
        "conflicts (409)": len(t.conflicts),
        "conflicts without a winning row": sum(1 for c in t.conflicts
                                               if at_seq.get(c[:4]) in (None, c[4])),
        "chains with a gap": sum(1 for seqs in chains.values()
                                 if sorted(seqs) != list(range(1, len(seqs) + 1))),
    }


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))] * 1000


def report(db: str, t: Tally, elapsed: float, checks: dict[str, int], load: tuple[Any, Any],
           args: argparse.Namespace) -> bool:
    print(f"\n== {db}: {args.users} people ({args.assessors} assessors, "
          f"{args.users - args.assessors} reviewers), {args.workers} app processes, "
          f"{elapsed:.0f} s, think 0..{2 * args.think:g} s ==")
    print(f"load average at start {load[0][0]:.2f} {load[0][1]:.2f} {load[0][2]:.2f}; "
          f"at end {load[1][0]:.2f} {load[1][1]:.2f} {load[1][2]:.2f}")
    if t.run_queue:
        print(f"run queue during the window (tasks running, runnable or in D state, every 0.2 s): "
              f"mean {statistics.mean(t.run_queue):.1f}, p95 {pct(t.run_queue, 95) / 1000:.0f}, "
              f"max {max(t.run_queue)}")
    print(f"{'request':<8} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind in ("queue", "item", "post", "login"):
        lat = t.latency[kind]
        print(f"{kind:<8} {len(lat):>7} {pct(lat, 50):>8.1f} {pct(lat, 95):>8.1f} "
              f"{pct(lat, 99):>8.1f} {max(lat, default=0) * 1000:>8.1f}")
    measured = sum(len(t.latency[k]) for k in ("queue", "item", "post"))
    print(f"requests/s {measured / elapsed:.1f} (queue, item and post; "
          f"decisions stored/s {len(t.accepted) / elapsed:.1f})")
    print(f"CPU: app processes {t.app_cpu:.1f} s ({t.app_cpu / max(elapsed, 1e-9):.2f} cores on "
          f"average, {1000 * t.app_cpu / max(measured, 1):.1f} ms per request), clients {t.client_cpu:.1f} s; the database's own processes not counted")
    if t.db_cpu is not None:
        print(f"CPU: PostgreSQL server {t.db_cpu:.1f} s ({t.db_cpu / max(elapsed, 1e-9):.2f} cores, "
              f"{1000 * t.db_cpu / max(measured, 1):.1f} ms per request; every database of the server)")
        both = 1000 * (t.app_cpu + t.db_cpu) / max(measured, 1)
        print(f"CPU: app + PostgreSQL {both:.1f} ms per request")
    if t.db:
        d = t.db["database"]
        print(f"database: {d['sessions']} connections opened, {d['xact_commit']} commits "
              f"({d['xact_commit'] / max(measured, 1):.1f} a "
              f"request), {d['xact_rollback']} rollbacks, rows returned {d['tup_returned']} "
              f"({d['tup_returned'] / max(measured, 1):.0f} a request), fetched {d['tup_fetched']}, "
              f"blocks hit {d['blks_hit']} read {d['blks_read']}")
        print("tables (seq scans, rows read by them, index scans, rows fetched by them):")
        for name, (seq, seq_rows, idx, idx_rows) in sorted(t.db["tables"].items(),
                                                           key=lambda kv: -kv[1][1]):
            if seq or idx:
                print(f"  {name:<22} {seq:>8} {seq_rows:>11} {idx:>8} {idx_rows:>10}")
        mean, peak, busy, busy_peak = t.db["backends"]
        print(f"app connections (pg_stat_activity, every 0.2 s): {mean:.1f} open on average, {peak} "
              f"at most; in a transaction {busy:.1f} on average, {busy_peak} at most; what they were "
              "doing, on average at a moment:")
        for what, n in t.db["activity"].items():
            print(f"  {n:6.2f}  {what}")
    print("statuses: " + ", ".join(f"{k} {s}: {n}" for (k, s), n in sorted(t.statuses.items())))
    print("errors: " + (", ".join(f"{k}: {n}" for k, n in sorted(t.errors.items())) or "none"))
    for k, v in checks.items():
        print(f"  {k}: {v}")
    ok = (checks["accepted but not stored (LOST)"] == 0 and checks["stored but not accepted"] == 0
          and checks["conflicts without a winning row"] == 0 and checks["chains with a gap"] == 0)
    p95 = pct(t.latency["queue"], 95)
    print(f"no decision lost: {'yes' if ok else 'NO'}; queue page p95 {p95:.0f} ms "
          f"(target <= 200 ms: {'met' if p95 <= 200 else 'MISSED'})")
    return ok


def in_process(db: str, args: argparse.Namespace) -> None:
    """CPU per request of each page with no network and no other client: the app called through
    ASGI in this process, on the load world. Best of 4 batches (the machine is shared)."""
    import httpx2 as httpx

    from review.app import create_app

    tmp = Path(tempfile.mkdtemp(prefix="losi-review-cpu-"))
    url = f"sqlite:///{tmp / 'losi.db'}" if db == "sqlite" else pg_create(args.postgres_url)
    try:
        people = build_world(url, args.users, args.assessors, args.seed)
        engine = make_engine(url)
        app = create_app(engine)
        assessor = next(p for p in people if p.round == "a")
        reviewer = next(p for p in people if p.round == "reconciled" and p.city == assessor.city)
        city = assessor.city

        async def measure() -> None:
            async def sign_in(name: str) -> Any:
                c = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
                form = (await c.get("/login")).text
                r = await c.post("/login", data={"name": name, "password": PASSWORD,
                                                 "csrf": CSRF_RE.search(form).group(1)})  # type: ignore[union-attr]
                assert r.status_code == 303, r.status_code
                return c

            rev, ass = await sign_in(reviewer.name), await sign_in(assessor.name)
            item = f"/cities/{city}/items/234"

            async def post() -> None:
                page = (await ass.get(item)).text
                r = await ass.post(item, data={
                    "csrf": CSRF_RE.search(page).group(1), "value": "1", "reason": "cpu",  # type: ignore[union-attr]
                    "proposal_id": PROPOSAL_RE.search(page).group(1),  # type: ignore[union-attr]
                    "expected_seq": SEQ_RE.search(page).group(1), "back": "queue"})  # type: ignore[union-attr]
                assert r.status_code == 303, r.status_code

            print(f"\n== {db}, in process: CPU per request, best of 4 batches of {args.in_process} ==")
            for label, call in (("reviewer's queue page", lambda: rev.get(f"/cities/{city}")),
                                ("assessor's queue page", lambda: ass.get(f"/cities/{city}")),
                                ("reviewer's item page", lambda: rev.get(item)),
                                ("assessor's item page", lambda: ass.get(item)),
                                ("assessor's item page + post", post),
                                ("a static file", lambda: ass.get("/static/app.css"))):
                await call()
                best = float("inf")
                for _ in range(4):
                    start = time.process_time()
                    for _ in range(args.in_process):
                        await call()
                    best = min(best, (time.process_time() - start) / args.in_process)
                print(f"{label:<30} {best * 1000:6.1f} ms")
            await rev.aclose()
            await ass.aclose()

        asyncio.run(measure())
        engine.dispose()
    finally:
        if db == "postgresql" and not args.keep:
            pg_drop(args.postgres_url)


def run_one(db: str, args: argparse.Namespace) -> bool:
    tmp = Path(tempfile.mkdtemp(prefix="losi-review-load-"))
    url = f"sqlite:///{tmp / 'losi.db'}" if db == "sqlite" else pg_create(args.postgres_url)
    try:
        people = build_world(url, args.users, args.assessors, args.seed)
        port = free_port()
        app = start_app(url, port, args.workers, tmp / "app.log")
        try:
            mark: dict[str, Any] = {}
            probe = PgProbe(url) if db == "postgresql" else None
            tally = Tally()
            runq = RunQueue(tally)

            def on_start() -> None:  # after the sign-ins: the measured window starts
                mark.update(load=os.getloadavg(), cpu=tree_cpu(app.pid), client=time.process_time())
                runq.start()
                if probe is not None:
                    probe.start()

            t, elapsed = asyncio.run(run_people(people, f"http://127.0.0.1:{port}", args.seconds,
                                                args.think, args.seed, on_start, tally))
            t.app_cpu = tree_cpu(app.pid) - mark["cpu"]
            runq.stop()
            if probe is not None:
                probe.stop(t)
            t.client_cpu = time.process_time() - mark["client"]
            load_start, load_end = mark["load"], os.getloadavg()
        finally:
            stop_app(app)
        checks = verify(url, t)
        return report(db, t, elapsed, checks, (load_start, load_end), args)
    finally:
        if db == "postgresql" and not args.keep:
            pg_drop(args.postgres_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--assessors", type=int, default=20,
                        help="how many of the users are assessors (two per city); the rest reconcile")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean think time in seconds before a post and after it")
    parser.add_argument("--workers", type=int, default=2, help="app processes")
    parser.add_argument("--postgres-url", default=os.environ.get(
        "LOSI_BENCH_POSTGRES_URL", "postgresql+psycopg://root@127.0.0.1:5432/test"),
        help=f"a database to connect to; the test runs in a new database {PG_DATABASE!r} beside it")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--in-process", type=int, metavar="N", default=0,
                        help="instead: CPU per request of each page, the app called in this "
                             "process N times a batch (no network, no load)")
    args = parser.parse_args()
    if not 2 <= args.assessors <= args.users or args.assessors % 2:
        parser.error("--assessors must be even, at least 2 and at most --users")
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"command: {' '.join(sys.argv)}")
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    if args.in_process:
        for db in dbs:
            in_process(db, args)
        return
    ok = all([run_one(db, args) for db in dbs])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
