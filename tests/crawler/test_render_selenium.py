"""The Selenium render engine (crawler/render_selenium.py) beside the Playwright one.

Real crawls of a small test world (`crawl_cities`, one crawler subprocess per crawl): once with
scrapy-playwright and once through Selenium with a local chromedriver, and the tests compare
what was stored: the same renders, the same axe rule ids, the same detector outcomes. A second
crawl goes through `losi crawl --render-engine selenium --selenium-url URL` to a chromedriver
started as a remote end (what a Selenium Grid node speaks: W3C WebDriver). Assertions are on
stored rows, WARC records and the remote end's log, never on exit codes alone.

axe-selenium-python 3 needs Python >= 3.12: on 3.11 these tests skip with that reason, and
one test checks that the engine then refuses in one line instead of running the 2018 axe-core.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from crawler.render_selenium import chromedriver_path, unavailable
from storage.db import make_engine, session_scope, upgrade
from storage.models import City, Crawl, Render

ROOT = Path(__file__).resolve().parents[2]
REASON = unavailable()
needs_selenium = pytest.mark.skipif(bool(REASON), reason=REASON or "")
DETECTORS = ("wcag-conformance", "browser-compatibility", "mobile-viewport")


def _png_size(data: bytes) -> tuple[int, int]:
    import struct

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _warcinfo(path: str) -> dict[str, str]:
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "warcinfo":
                text = record.content_stream().read().decode("utf-8")
                return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)
    return {}


def _payload(path: str, record_id: str) -> bytes:
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_headers.get_header("WARC-Record-ID") == record_id:
                return record.content_stream().read()
    raise KeyError(record_id)


@dataclass
class Both:
    engine: Engine
    slugs: list[str]
    playwright: dict[str, int]  # slug -> crawl id
    selenium: dict[str, int]

    def renders(self, crawl_id: int) -> dict[str, Render]:
        with session_scope(self.engine) as session:
            rows = session.scalars(select(Render).where(Render.crawl_id == crawl_id)).all()
            session.expunge_all()
        return {r.page_url: r for r in rows}

    def crawl(self, crawl_id: int) -> Crawl:
        with session_scope(self.engine) as session:
            crawl = session.get(Crawl, crawl_id)
            assert crawl is not None
            session.expunge(crawl)
        return crawl


SHARED_WORLD = ROOT.parent / "shared" / "world"  # real public-sector pages (read, never copied)


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Both]:
    if REASON:
        pytest.skip(REASON)
    from losi.cli import CrawlOptions, crawl_cities
    from losi.world import WorldSpec, generate, serve_world

    tmp = tmp_path_factory.mktemp("engines")
    mp = pytest.MonkeyPatch()
    mp.setenv("LOSI_ARCHIVE_DIR", str(tmp / "archive"))
    engine = make_engine(f"sqlite:///{tmp / 'losi.db'}")
    upgrade(engine)
    # Synthetic portals (one declares a responsive viewport, the other does not) and, when
    # ../shared/world is there, portals built from real pages: those violate axe rules.
    worlds = [generate(WorldSpec(portals=2, pages=16, seed=0))]
    if SHARED_WORLD.is_dir():
        worlds.append(generate(WorldSpec(portals=2, pages=16, seed=3, real_pages_dir=SHARED_WORLD)))
    # Only the home page is rendered (what the detectors read): with more, which further pages
    # get rendered depends on whether the home's render or its plain fetch is parsed first.
    common = {"max_pages": 8, "max_depth": 1, "max_outbound": 0, "render_pages": 1,
              "allow_private": True, "fast": True}
    slugs: list[str] = []
    with serve_world(worlds[0]) as first, \
            (serve_world(worlds[1]) if len(worlds) > 1 else contextlib.nullcontext({})) as second:
        with session_scope(engine) as session:
            for n, (world, served) in enumerate(zip(worlds, (first, second))):
                for portal in world.portals:
                    slug = f"{portal.slug}-{n}"
                    slugs.append(slug)
                    session.add(City(id=slug, country="XWW", name=portal.name,
                                     portal_url=served[portal.slug], languages=[portal.language]))
        playwright = crawl_cities(engine, slugs, CrawlOptions(**common))
        selenium = crawl_cities(engine, slugs, CrawlOptions(**common, render_engine="selenium"))
    yield Both(engine, slugs, dict(zip(slugs, playwright)), dict(zip(slugs, selenium)))
    mp.undo()
    engine.dispose()


@needs_selenium
def test_both_crawls_finish_with_every_render_stored(both: Both) -> None:
    for slug in both.slugs:
        for crawl_id in (both.playwright[slug], both.selenium[slug]):
            renders = both.renders(crawl_id)
            assert (both.crawl(crawl_id).status, len(renders)) == ("finished", 1)
            assert [r.timings.get("error") for r in renders.values()] == [None]


@needs_selenium
def test_the_engines_render_the_same_pages(both: Both) -> None:
    for slug in both.slugs:
        assert set(both.renders(both.playwright[slug])) == set(both.renders(both.selenium[slug]))


@needs_selenium
def test_the_engines_find_the_same_axe_rules(both: Both) -> None:
    found: dict[str, set[str]] = {}
    for slug in both.slugs:
        ours = both.renders(both.playwright[slug])
        theirs = both.renders(both.selenium[slug])
        for url, render in ours.items():
            rules = {v["id"] for v in render.axe_results["violations"]}
            assert {v["id"] for v in theirs[url].axe_results["violations"]} == rules, url
            found[url] = rules
    # The comparison means something only if the pages violate some rules: the real ones do.
    if SHARED_WORLD.is_dir():
        assert any(found.values()), found


@needs_selenium
def test_the_same_nodes_violate_each_rule(both: Both) -> None:
    for slug in both.slugs:
        ours = both.renders(both.playwright[slug])
        theirs = both.renders(both.selenium[slug])
        for url, render in ours.items():
            def nodes(r: Render) -> dict[str, list[object]]:
                return {v["id"]: [n["target"] for n in v["nodes"]]
                        for v in r.axe_results["violations"]}
            assert nodes(theirs[url]) == nodes(render), url


@needs_selenium
def test_the_detectors_cannot_tell_the_engines_apart(both: Both) -> None:
    from detectors.registry import load_registry
    from detectors.runner import run_detector
    from detectors.site import load_site

    registry = load_registry()
    outcomes: dict[str, list[tuple[str, str, float]]] = {}
    for slug in both.slugs:
        for crawl_id in (both.playwright[slug], both.selenium[slug]):
            with session_scope(both.engine) as session:
                site = load_site(session, crawl_id)
                findings = [run_detector(registry[d], site) for d in DETECTORS]
            outcomes.setdefault(slug, []).append(
                [(d, f.outcome.value, f.confidence) for d, f in zip(DETECTORS, findings)])
    for slug, (playwright, selenium) in outcomes.items():
        assert selenium == playwright, slug
    viewport = {slug: {d: o for d, o, _ in runs[0]}["mobile-viewport"]
                for slug, runs in outcomes.items()}
    assert (viewport[both.slugs[0]], viewport[both.slugs[1]]) == ("present", "absent")


@needs_selenium
def test_the_screenshots_and_layout_are_the_same_size(both: Both) -> None:
    for slug in both.slugs:
        ours = both.renders(both.playwright[slug])
        theirs = both.renders(both.selenium[slug])
        warc = both.crawl(both.selenium[slug]).warc_path
        for url, render in ours.items():
            assert theirs[url].timings["layout"] == render.timings["layout"], url
            desktop = _payload(warc, theirs[url].screenshot_desktop_record_id)
            mobile = _payload(warc, theirs[url].screenshot_mobile_record_id)
            height = render.timings["layout"]["mobile"]["screenshot_height"]
            assert (_png_size(desktop)[0], _png_size(mobile)) == (1366, (390, height))
            assert sorted(theirs[url].console_errors) == sorted(render.console_errors), url


@needs_selenium
def test_the_engines_record_the_same_element_boxes(both: Both) -> None:
    """The review app outlines evidence on the desktop screenshot from these boxes."""
    for slug in both.slugs:
        ours = both.renders(both.playwright[slug])
        theirs = both.renders(both.selenium[slug])
        for url, render in ours.items():
            mine, other = render.timings["boxes"], theirs[url].timings["boxes"]
            assert mine["elements"] and mine["viewport"] == other["viewport"], url
            assert [(e["tag"], e["url"], e["text"]) for e in mine["elements"]] == \
                [(e["tag"], e["url"], e["text"]) for e in other["elements"]], url
            for a, b in zip(mine["elements"], other["elements"]):
                assert max(abs(x - y) for x, y in zip(a["box"], b["box"])) <= 2, (url, a, b)


@needs_selenium
def test_each_result_names_its_engine_and_axe_version(both: Both) -> None:
    from crawler.render import axe_bundled_version
    from crawler.render_selenium import axe_bundled_version as selenium_axe

    slug = both.slugs[0]
    selenium, playwright = both.crawl(both.selenium[slug]), both.crawl(both.playwright[slug])
    assert {r.axe_version for r in both.renders(selenium.id).values()} == {selenium_axe()}
    assert {r.axe_version for r in both.renders(playwright.id).values()} == {axe_bundled_version()}
    assert selenium_axe().startswith("4.")  # never the axe-core 3.1 of axe-selenium-python 2
    info = _warcinfo(selenium.warc_path)
    assert (info["version-render-engine"], info["version-axe-core"]) == ("selenium", selenium_axe())
    assert "version-selenium" in info and "version-chromedriver" in info
    assert "version-render-engine" not in _warcinfo(playwright.warc_path)
    assert {r.timings["engine"]["name"] for r in both.renders(selenium.id).values()} == {"selenium"}


# -- a remote end, as a Grid would be ------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def remote_end(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """chromedriver listening as a W3C WebDriver remote end (a Grid node speaks the same)."""
    if REASON:
        pytest.skip(REASON)
    log = tmp_path_factory.mktemp("remote") / "chromedriver.log"
    port = _free_port()
    # The remote end starts the browser: it needs to know where Debian's Chromium is only
    # because the capabilities a Grid client sends do not name a binary.
    proc = subprocess.Popen([chromedriver_path(), f"--port={port}", f"--log-path={log}",
                             "--verbose"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.2)
    yield url, log
    proc.terminate()
    proc.wait(timeout=20)


@needs_selenium
def test_losi_crawl_renders_through_a_remote_end(
        remote_end: tuple[str, Path], tmp_path: Path) -> None:
    from losi.world import WorldSpec, generate, serve_world

    url, log = remote_end
    db = tmp_path / "losi.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    world = generate(WorldSpec(portals=1, pages=16, seed=1))
    [portal] = world.portals
    env = {**os.environ, "LOSI_DATABASE_URL": f"sqlite:///{db}",
           "LOSI_ARCHIVE_DIR": str(tmp_path / "archive"), "COLUMNS": "200"}
    with serve_world(world) as served:
        with session_scope(engine) as session:
            session.add(City(id=portal.slug, country="XWW", name=portal.name,
                             portal_url=served[portal.slug], languages=[portal.language]))
        result = subprocess.run(
            [sys.executable, "-m", "losi.cli", "crawl", "--city", portal.slug, "--max-pages", "6",
             "--max-depth", "1", "--max-outbound", "0", "--render-pages", "1", "--allow-private",
             "--render-engine", "selenium", "--selenium-url", url],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    with session_scope(engine) as session:
        crawl = session.scalars(select(Crawl)).one()
        renders = session.scalars(select(Render)).all()
        status, warc, settings = crawl.status, crawl.warc_path, dict(crawl.settings)
        rows = [(r.page_url, r.timings.get("error"), r.axe_version, r.timings["engine"])
                for r in renders]
    engine.dispose()
    assert status == "finished", result.stdout + result.stderr
    assert (settings["render_engine"], settings["selenium_url"]) == ("selenium", url)
    [(page_url, error, axe_version, render_engine)] = rows
    assert (page_url, error, axe_version[:2]) == (served[portal.slug], None, "4.")
    assert render_engine["name"] == "selenium" and render_engine["browser"].startswith("chrome")
    info = _warcinfo(warc)
    assert (info["version-render-engine"], info["version-selenium-remote"]) == ("selenium", url)
    # The page went through the remote end, not a chromedriver of the crawler's own.
    assert served[portal.slug] in log.read_text(errors="replace")


# -- the engine's own rules -----------------------------------------------------------------


class _Hits(BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<!doctype html><title>inside</title><p>inside")

    def log_message(self, format: str, *args: object) -> None:
        pass


@needs_selenium
@pytest.mark.parametrize("allow_private", [False, True])
def test_the_browser_may_not_reach_private_addresses(allow_private: bool) -> None:
    """What a page loads (here a page from no private host: a data: URL) may not reach a
    private address unless private addresses are allowed; with them allowed it does, so the
    refusal is the engine's doing."""
    from crawler.render_selenium import SeleniumRenderError, new_driver, render_page

    hits: list[str] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("H", (_Hits,), {"hits": hits}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    page = ("data:text/html,<!doctype html><title>outside</title>"
            f"<img alt='' src='http://127.0.0.1:{port}/literal.png'>"
            f"<img alt='' src='http://localhost:{port}/name.png'>"
            f"<script>fetch('http://127.0.0.1:{port}/fetch')</script>")
    options = {"navigation_timeout_ms": 10_000, "load_timeout_ms": 3000, "settle_timeout_ms": 0,
               "capture_timeout_s": 30}
    # Chromium's own Local Network Access checks would stop some of these loads by themselves
    # (by origin, not by address): off, so that what is tested is the engine's rule.
    driver = new_driver("", allow_private=allow_private,
                        extra_args=("--disable-features=LocalNetworkAccessChecks",))
    try:
        capture, _ = render_page(driver, page, options, [])
        assert capture.error == ""
        if not allow_private:
            with pytest.raises(SeleniumRenderError, match="ERR_NAME_NOT_RESOLVED"):
                render_page(driver, f"http://127.0.0.1:{port}/top", options, [])
    finally:
        driver.quit()
        server.shutdown()
        server.server_close()
    expected = {"/literal.png", "/name.png", "/fetch"} if allow_private else set()
    assert set(hits) == expected


class _Never(BaseHTTPRequestHandler):
    """Answers nothing until the test is over: a document (or a subresource) that never comes."""

    release: threading.Event

    def do_GET(self) -> None:
        self.release.wait(30)
        with contextlib.suppress(OSError):
            self.send_response(204)
            self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@needs_selenium
def test_a_page_that_never_arrives_fails_and_the_driver_goes_on(tmp_path: Path) -> None:
    """As with Playwright: a document that never arrives is a render failure (one line); a
    subresource that never loads is rendered with `load_timed_out`; the driver is reused."""
    from crawler.render_selenium import SeleniumRenderError, new_driver, render_page
    from losi.demo.server import serve_portals

    release = threading.Event()
    slow = ThreadingHTTPServer(("127.0.0.1", 0), type("N", (_Never,), {"release": release}))
    slow.daemon_threads = True
    threading.Thread(target=slow.serve_forever, daemon=True).start()
    slow_url = f"http://127.0.0.1:{slow.server_address[1]}"
    site = tmp_path / "site"
    site.mkdir()
    hanging = (ROOT / "tests/crawler/render_sites/site/hanging.html").read_text()
    (site / "hanging.html").write_text(hanging.replace("SLOW_SITE", slow_url))
    (site / "index.html").write_text("<!doctype html><title>home</title>")
    options = {"navigation_timeout_ms": 3000, "load_timeout_ms": 2000, "settle_timeout_ms": 500,
               "capture_timeout_s": 60}
    driver = new_driver("", allow_private=True)
    try:
        with serve_portals({"site": 0}, root=tmp_path) as served:
            with pytest.raises(SeleniumRenderError) as failed:
                render_page(driver, f"{slow_url}/never.html", options, [])
            capture, status = render_page(driver, served["site"].url + "hanging.html", options, [])
    finally:
        release.set()
        driver.quit()
        slow.shutdown()
        slow.server_close()
    reason = str(failed.value)
    assert reason.startswith("TimeoutError: ") and "3000ms" in reason and "\n" not in reason
    assert (capture.error, status, capture.timings["load_timed_out"]) == ("", 200, True)
    assert capture.timings["navigation"]["load"] is None
    assert _png_size(capture.mobile_png)[0] == 390


def test_console_lines_read_like_the_playwright_engines() -> None:
    from crawler.render_selenium import console_message

    lines = [
        {"level": "SEVERE", "source": "console-api",
         "message": 'http://x.test/a.html 14:16 "feed unavailable:" 3 "again"'},
        {"level": "SEVERE", "source": "javascript",
         "message": "http://x.test/a.html 20:11 Uncaught TypeError: widget is undefined"},
        {"level": "SEVERE", "source": "network", "message": "http://x.test/app.js - Failed to "
         "load resource: the server responded with a status of 404 (Not Found)"},
        {"level": "SEVERE", "source": "network",
         "message": "http://x.test/f/civic.woff2 - Failed to load resource: net::ERR_BLOCKED_BY_CLIENT"},
        {"level": "SEVERE", "source": "network", "message": "http://x.test/favicon.ico - Failed "
         "to load resource: the server responded with a status of 404 (Not Found)"},
        {"level": "WARNING", "source": "console-api", "message": 'http://x.test/a.html 1:1 "w"'},
    ]
    assert [console_message(line) for line in lines] == [
        "console.error: feed unavailable: 3 again (http://x.test/a.html:14)",
        "uncaught TypeError: widget is undefined",
        ("console.error: Failed to load resource: the server responded with a status of 404 "
         "(Not Found) (http://x.test/app.js:0)"),
        "", "", "",
    ]


def test_a_grid_url_loses_its_password_in_the_provenance() -> None:
    from crawler.render_selenium import redact

    assert redact("https://me:secret@grid.example:4444/wd/hub") == "https://grid.example:4444/wd/hub"
    assert redact("http://127.0.0.1:4444") == "http://127.0.0.1:4444"


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the refusal is for Python < 3.12")
def test_on_python_3_11_the_engine_refuses_in_one_line(tmp_path: Path) -> None:
    assert REASON.startswith("the Selenium render engine needs Python >= 3.12")
    db = tmp_path / "losi.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    with session_scope(engine) as session:
        session.add(City(id="xaa-testville", country="XAA", name="Testville",
                         portal_url="http://127.0.0.1:9/"))
    engine.dispose()
    result = subprocess.run(
        [sys.executable, "-m", "losi.cli", "crawl", "--city", "xaa-testville",
         "--render-engine", "selenium", "--allow-private"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "LOSI_DATABASE_URL": f"sqlite:///{db}", "COLUMNS": "200",
             "LOSI_ARCHIVE_DIR": str(tmp_path / "archive")})
    assert result.returncode != 0
    assert "needs Python >= 3.12" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "archive").exists()  # nothing was crawled with another engine


def test_the_default_engine_is_playwright() -> None:
    from losi.cli import CrawlOptions

    settings = CrawlOptions().settings()
    assert (settings["render_engine"], settings["selenium_url"]) == ("playwright", "")
