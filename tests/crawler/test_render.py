"""Rendering in a real Chromium through scrapy-playwright: one Scrapy crawl in a subprocess
renders every fixture page once, and the tests read what it wrote (captures, PNGs, the WARC
and the `renders` rows). Assertions are on outputs and the error count, never on the exit code
alone (a wrong reactor exits 0 having done nothing).
"""

from __future__ import annotations

import json
import pickle
import shutil
import struct
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from crawler.render import (
    AXE_HTML_CHARS,
    CONSOLE_KEY,
    MAX_MOBILE_SCREENSHOT_HEIGHT,
    MAX_SCREENSHOT_HEIGHT,
    abort_request,
    axe_bundled_version,
    chromium_path,
    compact_axe,
    playwright_settings,
    render_request,
)
from losi.demo.server import serve_portals
from storage.db import make_engine, session_scope, upgrade
from storage.models import City, Crawl, Render

SITES = Path(__file__).parent / "render_sites"
ROOT = Path(__file__).resolve().parents[2]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PAGES = ["", "menu.html", "a11y.html", "console.html", "tall.html", "hanging.html"]
NEVER = "never.html"  # served by the slow server: the document never arrives in time

needs_chromium = pytest.mark.skipif(
    not Path(chromium_path()).exists(), reason=f"no Chromium at {chromium_path()} (LOSI_CHROMIUM)"
)


class _SlowHandler(BaseHTTPRequestHandler):
    """Answers robots.txt at once and everything else only when the test is over."""

    release: threading.Event

    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            self.send_response(404)
            self.end_headers()
            return
        self.release.wait(30)
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<p>too late</p>")
        except OSError:
            pass

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def _slow_server() -> Iterator[str]:
    release = threading.Event()
    handler = type("Slow", (_SlowHandler,), {"release": release})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        release.set()
        server.shutdown()
        server.server_close()


@dataclass
class Crawled:
    base: str
    slow: str
    out: Path
    captures: dict[str, dict[str, Any]]  # by path under base ("never.html" for the slow one)
    plain: dict[str, dict[str, Any]]
    stats: dict[str, Any]
    database_url: str
    warc: Path
    crawl_id: int

    def png(self, path: str, kind: str) -> bytes:
        return (self.out / self.captures[path]["png"][kind]).read_bytes()


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    if not Path(chromium_path()).exists():
        pytest.skip(f"no Chromium at {chromium_path()} (LOSI_CHROMIUM)")
    tmp = tmp_path_factory.mktemp("render")
    out = tmp / "out"
    out.mkdir()
    database_url = f"sqlite:///{tmp / 'losi.db'}"
    engine = make_engine(database_url)
    upgrade(engine)
    with session_scope(engine) as session:
        session.add(City(id="xaa-testville", country="XAA", name="Testville",
                         portal_url="http://127.0.0.1/"))
        session.flush()
        crawl = Crawl(city_id="xaa-testville", seed_url="http://127.0.0.1/")
        session.add(crawl)
        session.flush()
        crawl_id = crawl.id
    engine.dispose()

    with _slow_server() as slow:
        www = tmp / "www"
        shutil.copytree(SITES, www)
        hanging = www / "site" / "hanging.html"
        hanging.write_text(hanging.read_text().replace("SLOW_SITE", slow))
        with serve_portals({"site": 0}, root=www) as served:
            base = served["site"].url
            config = {
                "render": [base + page for page in PAGES] + [f"{slow}/{NEVER}"],
                "plain": [base + "menu.html"],
                "timeouts": {"navigation_timeout_ms": 3000, "load_timeout_ms": 2000},
                "out": str(out),
                "database_url": database_url,
                "warc": str(tmp / "renders.warc.gz"),
                "crawl_id": crawl_id,
            }
            (tmp / "config.json").write_text(json.dumps(config))
            result = subprocess.run(
                [sys.executable, "-m", "tests.crawler.render_spider", str(tmp / "config.json")],
                cwd=ROOT, capture_output=True, text=True, timeout=180, check=False,
                # The browser's own request filter refuses 127.0.0.1 unless private addresses are allowed.
                env={**os.environ, "LOSI_ALLOW_PRIVATE": "1"},
            )
    log = (out / "crawl.log").read_text() if (out / "crawl.log").exists() else ""
    assert (out / "stats.json").exists(), f"the crawl wrote no stats\n{result.stderr}\n{log[-3000:]}"

    def lines(name: str) -> list[dict[str, Any]]:
        path = out / name
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    def key(url: str) -> str:
        return NEVER if url.startswith(slow) else url.removeprefix(base)

    yield Crawled(
        base=base,
        slow=slow,
        out=out,
        captures={key(c["page_url"]): c for c in lines("captures.jsonl")},
        plain={key(p["url"]): p for p in lines("plain.jsonl")},
        stats=json.loads((out / "stats.json").read_text()),
        database_url=database_url,
        warc=tmp / "renders.warc.gz",
        crawl_id=crawl_id,
    )


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC
    return struct.unpack(">II", data[16:24])


def _violations(capture: dict[str, Any]) -> set[str]:
    return {v["id"] for v in capture["axe"]["violations"]}


# -- the crawl --------------------------------------------------------------------------------


@needs_chromium
def test_every_page_gives_one_render_and_the_crawl_finishes(crawled: Crawled) -> None:
    assert sorted(crawled.captures) == sorted([*PAGES, NEVER])
    assert (crawled.stats["close_reason"], crawled.stats.get("log_count/ERROR", 0),
            crawled.stats["item_scraped_count"]) == ("finished", 0, len(PAGES) + 1)


@needs_chromium
def test_every_page_is_closed_after_capture(crawled: Crawled) -> None:
    assert {path: c["page_closed"] for path, c in crawled.captures.items()} == {
        path: True for path in crawled.captures
    }


@needs_chromium
def test_plain_requests_keep_scrapys_own_handler(crawled: Crawled) -> None:
    menu = crawled.plain["menu.html"]
    assert "playwright" not in menu["flags"]
    assert menu["body"] == (SITES / "site" / "menu.html").read_text()


# -- links ------------------------------------------------------------------------------------


@needs_chromium
def test_a_menu_built_by_javascript_is_in_the_rendered_links_only(crawled: Crawled) -> None:
    links = {link["url"]: link["text"] for link in crawled.captures["menu.html"]["links"]}
    assert links == {
        crawled.base + "e-services/permits": "Apply for a permit",
        crawled.base + "participation/budget.html": "Participatory budget",
    }
    raw = crawled.plain["menu.html"]["body"]
    assert "e-services/permits" not in raw and "Apply for a permit" not in raw


@needs_chromium
def test_links_are_absolute_with_their_visible_text(crawled: Crawled) -> None:
    links = crawled.captures[""]["links"]
    assert [(link["url"], link["text"], link["visible"]) for link in links] == [
        (crawled.base + "services.html", "Online services", True),
        (crawled.base + "contact.html", "Contact", True),
        (crawled.base + "privacy.html", "Privacy policy", True),
    ]


# -- axe-core ---------------------------------------------------------------------------------


@needs_chromium
def test_axe_finds_the_known_problems(crawled: Crawled) -> None:
    assert {"image-alt", "label", "color-contrast"} <= _violations(crawled.captures["a11y.html"])


@needs_chromium
def test_a_clean_page_has_no_violation(crawled: Crawled) -> None:
    axe = crawled.captures[""]["axe"]
    assert (axe["violations"], axe["counts"]["violations"]) == ([], 0)
    assert axe["counts"]["passes"] > 0


@needs_chromium
def test_a_violation_names_its_nodes(crawled: Crawled) -> None:
    [image_alt] = [v for v in crawled.captures["a11y.html"]["axe"]["violations"]
                   if v["id"] == "image-alt"]
    [node] = image_alt["nodes"]
    assert (image_alt["impact"], image_alt["node_count"], node["target"]) == ("critical", 1, ["img"])
    assert image_alt["helpUrl"].startswith("https://dequeuniversity.com/rules/axe/")
    assert node["html"].startswith("<img") and len(node["html"]) <= AXE_HTML_CHARS
    assert "alt" in node["failureSummary"]


@needs_chromium
def test_the_axe_version_is_the_bundled_one(crawled: Crawled) -> None:
    versions = {c["axe_version"] for path, c in crawled.captures.items() if path != NEVER}
    assert versions == {axe_bundled_version()} and axe_bundled_version().startswith("4.")


# -- screenshots ------------------------------------------------------------------------------


@needs_chromium
def test_screenshots_are_pngs_of_the_two_viewports(crawled: Crawled) -> None:
    assert _png_size(crawled.png("", "desktop")) == (1366, 768)
    assert _png_size(crawled.png("", "mobile")) == (390, 844)


@needs_chromium
def test_a_long_page_is_cut_at_the_height_cap(crawled: Crawled) -> None:
    layout = crawled.captures["tall.html"]["timings"]["layout"]
    assert _png_size(crawled.png("tall.html", "desktop")) == (1366, MAX_SCREENSHOT_HEIGHT)
    assert _png_size(crawled.png("tall.html", "mobile")) == (390, MAX_MOBILE_SCREENSHOT_HEIGHT)
    assert layout["desktop"]["cut"] and layout["desktop"]["page_height"] > MAX_SCREENSHOT_HEIGHT


# -- console, timings, failures ---------------------------------------------------------------


@needs_chromium
def test_console_errors_and_uncaught_exceptions_are_collected(crawled: Crawled) -> None:
    errors = crawled.captures["console.html"]["console_errors"]
    assert any("console.error: losi-test: calendar feed unavailable" in e for e in errors)
    assert "uncaught TypeError: losi-test: widget is undefined" in errors


@needs_chromium
def test_the_fonts_we_abort_are_not_the_pages_errors(crawled: Crawled) -> None:
    assert crawled.stats["playwright/request_count/aborted"] == 1
    assert len(crawled.captures["console.html"]["console_errors"]) == 2
    assert crawled.captures[""]["console_errors"] == []


@needs_chromium
def test_timings_come_from_the_page_and_from_our_clock(crawled: Crawled) -> None:
    timings = crawled.captures[""]["timings"]
    navigation, wall = timings["navigation"], timings["wall_ms"]
    assert 0 < navigation["response_start"] <= navigation["dom_content_loaded"] <= navigation["load"]
    assert all(wall[k] > 0 for k in ("goto", "settle", "dom", "screenshots", "axe", "capture"))
    assert wall["render"] == pytest.approx(wall["goto"] + wall["capture"], abs=0.2)
    assert (timings["http_status"], timings["load_timed_out"]) == (200, False)


@needs_chromium
def test_a_page_that_never_arrives_is_a_render_failure(crawled: Crawled) -> None:
    never = crawled.captures[NEVER]
    assert never["error"].startswith("TimeoutError: ") and "3000ms" in never["error"]
    assert "\n" not in never["error"]
    assert (never["png"], never["axe"], never["links"]) == ({}, {}, [])


@needs_chromium
def test_a_subresource_that_never_loads_is_rendered_and_recorded(crawled: Crawled) -> None:
    hanging = crawled.captures["hanging.html"]
    assert (hanging["error"], hanging["timings"]["load_timed_out"]) == ("", True)
    assert hanging["timings"]["navigation"]["load"] is None
    assert _png_size(crawled.png("hanging.html", "mobile"))[0] == 390


# -- storage ----------------------------------------------------------------------------------


def _warc_records(path: Path) -> dict[str, tuple[str, str, str, bytes]]:
    """record id -> (type, target URI, content type, payload)"""
    records = {}
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            records[record.rec_headers.get_header("WARC-Record-ID")] = (
                record.rec_type,
                record.rec_headers.get_header("WARC-Target-URI"),
                record.rec_headers.get_header("Content-Type"),
                record.content_stream().read(),
            )
    return records


@pytest.fixture(scope="module")
def stored(crawled: Crawled) -> tuple[dict[str, Render], dict[str, tuple[str, str, str, bytes]]]:
    engine = make_engine(crawled.database_url)
    with session_scope(engine) as session:
        rows = {
            (NEVER if r.page_url.startswith(crawled.slow) else r.page_url.removeprefix(crawled.base)): r
            for r in session.scalars(select(Render).where(Render.crawl_id == crawled.crawl_id))
        }
    engine.dispose()
    return rows, _warc_records(crawled.warc)


@needs_chromium
def test_every_render_gets_a_row(crawled: Crawled, stored: Any) -> None:
    rows, _ = stored
    assert sorted(rows) == sorted([*PAGES, NEVER])


@needs_chromium
def test_the_artifacts_read_back_from_the_warc(crawled: Crawled, stored: Any) -> None:
    rows, records = stored
    menu = rows["menu.html"]
    url = crawled.base + "menu.html"
    dom = records[menu.dom_record_id]
    assert dom[:3] == ("resource", f"urn:losi:render:dom:{url}", "text/html; charset=utf-8")
    assert dom[3].startswith(b"\xef\xbb\xbf") and b"Apply for a permit" in dom[3]
    desktop = records[menu.screenshot_desktop_record_id]
    mobile = records[menu.screenshot_mobile_record_id]
    assert (desktop[1], desktop[2]) == (f"urn:losi:render:screenshot-desktop:{url}", "image/png")
    assert desktop[3] == crawled.png("menu.html", "desktop")
    assert mobile[3] == crawled.png("menu.html", "mobile")


@needs_chromium
def test_the_axe_results_are_in_the_row_and_in_the_warc(crawled: Crawled, stored: Any) -> None:
    rows, records = stored
    row = rows["a11y.html"]
    kind, uri, content_type, payload = records[row.axe_results["warc_record_id"]]
    assert (kind, uri, content_type) == (
        "resource", f"urn:losi:render:axe:{crawled.base}a11y.html", "application/json")
    assert json.loads(payload) == crawled.captures["a11y.html"]["axe"]
    assert {v["id"] for v in row.axe_results["violations"]} == _violations(crawled.captures["a11y.html"])
    assert row.axe_version == axe_bundled_version()


@needs_chromium
def test_console_errors_and_timings_are_in_the_row(crawled: Crawled, stored: Any) -> None:
    rows, _ = stored
    row = rows["console.html"]
    assert row.console_errors == crawled.captures["console.html"]["console_errors"]
    assert row.timings["wall_ms"]["axe"] > 0


@needs_chromium
def test_a_failed_render_is_a_row_with_its_reason_and_no_record(crawled: Crawled, stored: Any) -> None:
    rows, records = stored
    row = rows[NEVER]
    assert (row.dom_record_id, row.screenshot_desktop_record_id, row.screenshot_mobile_record_id,
            row.axe_results, row.axe_version) == ("", "", "", {}, "")
    assert row.timings["error"] == crawled.captures[NEVER]["error"]
    assert len(records) == 4 * len(PAGES)  # four records per successful render, none for it


# -- without a browser ------------------------------------------------------------------------


def test_settings_route_http_through_scrapy_playwright(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOSI_CHROMIUM", "/opt/chromium/chrome")
    settings = playwright_settings(max_contexts=3)
    handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
    assert settings["DOWNLOAD_HANDLERS"] == {"http": handler, "https": handler}
    assert settings["PLAYWRIGHT_LAUNCH_OPTIONS"]["executable_path"] == "/opt/chromium/chrome"  # type: ignore[index]
    assert "--disable-quic" in settings["PLAYWRIGHT_LAUNCH_OPTIONS"]["args"]  # type: ignore[index]
    assert settings["PLAYWRIGHT_MAX_CONTEXTS"] == 3
    assert settings["PLAYWRIGHT_ABORT_REQUEST"] == "crawler.render.abort_request"


def test_a_render_request_merges_the_callers_meta_and_serialises() -> None:
    def callback(response: Any) -> None: ...

    request = render_request("https://city.example/", callback=callback, errback=callback,
                             meta={"losi_depth": 0, "playwright": False})
    assert (request.dont_filter, request.meta["playwright"], request.meta["losi_depth"]) == (
        True, True, 0)
    assert request.meta["playwright_include_page"] and request.meta["losi_render"]
    assert CONSOLE_KEY not in request.meta  # made by init_page, at download time
    pickle.dumps(request.meta)  # no callables: JOBDIR and scrapy-redis can queue it


@dataclass
class _FakeRequest:
    resource_type: str
    url: str


def test_only_fonts_and_media_are_aborted(monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    monkeypatch.setenv("LOSI_ALLOW_PRIVATE", "1")  # "x" does not resolve: no address check here
    decisions = {kind: asyncio.run(abort_request(_FakeRequest(kind, f"http://x/{kind}")))  # type: ignore[arg-type]
                 for kind in ("document", "script", "stylesheet", "image", "font", "media")}
    assert [kind for kind, abort in decisions.items() if abort] == ["font", "media"]


def test_compact_axe_cuts_snippets_and_counts_nodes() -> None:
    raw = {
        "url": "https://city.example/",
        "violations": [{"id": "color-contrast", "impact": "serious", "help": "h", "helpUrl": "u",
                        "tags": ["wcag2aa"],
                        "nodes": [{"target": [f"#p{i}"], "html": "<p>" + "x" * 400,
                                   "failureSummary": "f"} for i in range(3)]}],
        "passes": [{"id": "a"}], "incomplete": [{"id": "b"}], "inapplicable": [],
    }
    compact = compact_axe(raw, max_nodes=2)
    [rule] = compact["violations"]
    assert (rule["node_count"], len(rule["nodes"]), len(rule["nodes"][0]["html"])) == (3, 2, AXE_HTML_CHARS)
    assert compact["counts"] == {"violations": 1, "passes": 1, "incomplete": 1, "inapplicable": 0}
    assert compact["incomplete"] == ["b"]


def test_text_a_page_made_is_safe_to_store() -> None:
    raw = {"violations": [{"id": "label", "nodes": [
        {"target": ["input"], "html": "<input value='\ud800\x00'>", "failureSummary": "f"}]}]}
    html = compact_axe(raw)["violations"][0]["nodes"][0]["html"]
    assert html == "<input value='?'>" and json.dumps(html, ensure_ascii=False).encode("utf-8")


class _BrowserRequest:
    def __init__(self, url: str, resource_type: str = "fetch") -> None:
        self.url, self.resource_type = url, resource_type


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/api", "http://169.254.169.254/latest/meta-data/"])
def test_the_browser_may_not_reach_private_addresses(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from crawler.render import abort_request

    monkeypatch.delenv("LOSI_ALLOW_PRIVATE", raising=False)
    assert asyncio.run(abort_request(_BrowserRequest(url)))


def test_private_addresses_pass_when_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from crawler.render import abort_request

    monkeypatch.setenv("LOSI_ALLOW_PRIVATE", "1")
    assert not asyncio.run(abort_request(_BrowserRequest("http://127.0.0.1:8080/api")))


@needs_chromium
def test_axe_results_cut_in_the_page_are_the_full_results_compacted() -> None:
    """`_run_axe` cuts axe's results inside the page: compacted, they equal the full results
    compacted (the fixture has violations of several rules, and passes)."""
    import asyncio

    from playwright.async_api import async_playwright

    from crawler.render import AXE_OPTIONS, CHROMIUM_ARGS, _run_axe, axe_source

    async def both() -> tuple[dict[str, Any], dict[str, Any]]:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=chromium_path(), headless=True,
                                               args=list(CHROMIUM_ARGS))
            page = await browser.new_page()
            await page.set_content((SITES / "site" / "a11y.html").read_text())
            await page.evaluate(axe_source())
            full = await page.evaluate("(o) => window.axe.run(document, o)", AXE_OPTIONS)
            cut, _version = await _run_axe(page)
            await browser.close()
            return compact_axe(full), compact_axe(cut)

    full, cut = asyncio.run(both())
    full.pop("timestamp"), cut.pop("timestamp")
    assert len(full["violations"]) >= 2 and full["counts"]["passes"] > 0
    assert cut == full
