"""`losi demo` ends by serving the review app with the demo accounts it prints: a real process,
signed into over HTTP with a printed account, then stopped with Ctrl-C (SIGINT)."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

ACCOUNT_RE = re.compile(r"(demo-[a-z]+)[\s│┃|]+(assessor|reviewer|coordinator)[\s│┃|]+(\S+)")
URL_RE = re.compile(r"review app: (http://127\.0\.0\.1:\d+/)")
CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_is_free(port: int) -> bool:
    """Could a server listen there again (as uvicorn does: SO_REUSEADDR, so the TIME_WAIT
    connections the app closed do not count)?"""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


class Browser:
    """A cookie-keeping HTTP client (stdlib): enough to sign in as a person would."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.origin + path, timeout=30) as r:
            return r.status, r.read().decode()

    def sign_in(self, name: str, password: str) -> tuple[int, str]:
        _, form = self.get("/login")
        found = CSRF_RE.search(form)
        assert found, "no CSRF token on the sign-in page"
        data = urllib.parse.urlencode({"name": name, "password": password, "csrf": found.group(1)})
        try:
            with self.opener.open(self.origin + "/login", data=data.encode(), timeout=30) as r:
                return r.status, r.read().decode()  # after the 303 to the home page
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()


@pytest.fixture
def env(tmp_path: Path, db_url: str) -> dict[str, str]:
    return {**os.environ, "COLUMNS": "200", "LOSI_DATABASE_URL": db_url,
            "LOSI_ARCHIVE_DIR": str(tmp_path / "archive")}


def test_the_demo_serves_the_review_app_with_printed_accounts_until_ctrl_c(
        tmp_path: Path, env: dict[str, str]) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "losi.cli", "demo", "--render-pages", "0", "--max-pages", "20",
         "--port", str(port)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True)  # type: ignore[union-attr]
    reader.start()
    seen: list[str] = []
    try:
        deadline = time.monotonic() + 600  # a loaded 2-core machine: crawl, render, detect
        url = None
        while url is None:
            assert time.monotonic() < deadline and proc.poll() is None, (
                "the demo did not reach the review app:\n" + "".join(seen) + proc.stderr.read()  # type: ignore[union-attr]
                if proc.poll() is not None else "".join(seen))
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            seen.append(line)
            if m := URL_RE.search(line):
                url = m.group(1)
        assert url == f"http://127.0.0.1:{port}/"
        text = "".join(seen)
        assert "Provisional scores" in text and "DEMO accounts" in text and "Demo-only passwords" in text
        # One city walked through by script, by the app's rules: its final score is printed.
        assert "xaa-aurelia was walked through by script" in text
        assert "final scores from reconciled decisions" in text
        from scoring.results import city_results
        from storage.db import make_engine, session_scope

        with session_scope(make_engine(env["LOSI_DATABASE_URL"])) as session:
            from scoring.methodology import builtin_dir, load_methodology

            results = {r.city_id: r for r in city_results(
                session, load_methodology(builtin_dir() / "losi-2024.toml"))}
        assert results["xaa-aurelia"].final is not None and results["xaa-aurelia"].rank == 1
        assert results["xbb-villaverde"].final is None  # left for a person to walk
        accounts = {name: (role, pw) for name, role, pw in ACCOUNT_RE.findall(text)}
        assert {n: r for n, (r, _) in accounts.items()} == {
            "demo-coordinator": "coordinator", "demo-ana": "assessor", "demo-ben": "assessor",
            "demo-rita": "reviewer"}

        origin = url.rstrip("/")
        deadline = time.monotonic() + 30
        while True:  # the line is printed just before uvicorn starts listening
            try:
                Browser(origin).get("/login")
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "the review app never answered"
                time.sleep(0.2)

        wrong = Browser(origin).sign_in("demo-ana", "not-the-printed-password")
        assert wrong[0] == 401

        ana = Browser(origin)
        status, home = ana.sign_in("demo-ana", accounts["demo-ana"][1])
        assert status == 200 and "Your cities" in home
        assert all(city in home for city in ("Aurelia", "Villaverde", "Saint-Clair"))
        status, queue_page = ana.get("/cities/xaa-aurelia")
        assert status == 200 and "round A" in queue_page and "Start with #" in queue_page

        rita = Browser(origin)
        status, home = rita.sign_in("demo-rita", accounts["demo-rita"][1])
        assert status == 200 and "Cities to reconcile" in home and "demo-ana" in home

        proc.send_signal(signal.SIGINT)
        rc = proc.wait(timeout=30)
        reader.join(10)  # it ends at the end of the output
        rest = ""
        while not lines.empty():
            rest += lines.get()
        stderr = proc.stderr.read()  # type: ignore[union-attr]
        assert rc == 0, stderr
        assert "review app stopped" in rest and "Traceback" not in stderr
        assert _port_is_free(port)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_taken_port_is_one_line_before_any_crawl(tmp_path: Path) -> None:
    env = {**os.environ, "LOSI_DATABASE_URL": f"sqlite:///{tmp_path / 'losi.db'}",
           "LOSI_ARCHIVE_DIR": str(tmp_path / "archive")}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "losi.cli", "demo", "--port", str(port)],
                                cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    [line] = result.stderr.strip().splitlines()
    assert result.returncode == 2 and f"127.0.0.1:{port}" in line and "--port" in line
    assert "crawling" not in result.stdout and time.monotonic() - started < 60
