"""Rendering of key pages in Chromium (scrapy-playwright), with screenshots and axe-core results.

A library the portal spider and the archive pipeline call; it holds no crawl policy (which pages
are key pages is the spider's business). The flow for one page:

    settings.update(playwright_settings())                       # once, when rendering is on
    yield render_request(url, callback=..., errback=..., meta=...)
    capture = await capture(response)          # in the callback; never raises, closes the page
    capture = await capture_failure(failure)   # in the errback; never raises, closes the page
    yield capture.to_item(page_url)                               # a RenderItem
    store_render(archive, session, crawl_id, item)                # in the pipeline

What a render is (DESIGN.md: "a page opened in Chromium: DOM after scripts, desktop and mobile
screenshots, axe-core results, console errors, timing"):

- Navigation waits for DOMContentLoaded (capped by the navigation timeout); `capture` then waits
  for the `load` event and for network idle, each with its own cap. A page whose document never
  arrives is a render failure; a page whose *subresources* never finish (a hung tracker or chat
  widget, common on real portals) is still rendered, with `timings["load_timed_out"] = True`.
- The DOM is `page.content()` after those waits.
- Screenshots are PNG, full page, cut at `MAX_SCREENSHOT_HEIGHT` pixels and at the viewport
  width (so a mobile screenshot is always 390 px wide; how far the page overflowed is recorded
  in `timings["layout"]`).
- axe-core (the copy bundled with axe-playwright-python, version recorded with every result) runs
  the WCAG 2.0/2.1 A and AA rules in the desktop viewport, injected with `evaluate` into every
  frame (this works under a strict Content-Security-Policy, where a script tag would not).
- Console errors are the page's `console.error` messages (including Chromium's "Failed to load
  resource" lines) and uncaught exceptions, except the failed loads of the fonts and media we
  abort on purpose (`abort_request`).

The mobile screenshot is the same page re-laid-out in a 390x844 viewport (`set_viewport_size`). CSS
media queries and JavaScript that reads the window width respond to it. It is NOT a phone:
the User-Agent stays the desktop one (no server-side mobile site or redirect), `<meta
name=viewport>` is ignored (a page without one is laid out at 390 CSS px here, where a phone would
lay it out at 980 px and zoom out), and there is no touch, no `pointer: coarse` and a device pixel
ratio of 1. Judge mobile-friendliness from the viewport meta and the layout overflow, and use the
screenshot as the picture a reviewer looks at.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import asyncio
import functools
import json
import os
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

import scrapy

if TYPE_CHECKING:
    from playwright.async_api import ConsoleMessage, Page
    from playwright.async_api import Request as PlaywrightRequest
    from sqlalchemy.orm import Session
    from twisted.python.failure import Failure

    from storage.archive import WarcArchive
    from storage.models import Render

# -- constants --------------------------------------------------------------------------------

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
CONTEXT_NAME = "losi-render"  # one shared browser context for every render of the process

DESKTOP_VIEWPORT = (1366, 768)
MOBILE_VIEWPORT = (390, 844)
# px. A full-page PNG of an endless page would be tens of MB, and encoding it is most of a
# render's cost: desktop keeps about eight screens, mobile about three (the header, the menu
# and the first content; the bench showed screenshots and axe are what a render spends).
MAX_SCREENSHOT_HEIGHT = 6_000
MAX_MOBILE_SCREENSHOT_HEIGHT = 2_600

NAVIGATION_TIMEOUT_MS = 30_000  # the document must arrive and parse within this
LOAD_TIMEOUT_MS = 10_000  # then the `load` event gets this long (missing it is recorded)
SETTLE_TIMEOUT_MS = 2_000  # then network idle (menus built from fetched JSON) gets this long
STEP_TIMEOUT_MS = 15_000  # any one Playwright call inside capture (screenshot ...)
CAPTURE_TIMEOUT_S = 90.0  # the whole capture, axe included

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    # Full node lists for violations only: passes/incomplete/inapplicable are only counted,
    # and axe skips collecting their nodes, which is most of its time on large pages.
    "resultTypes": ["violations"],
    # Frames that never answer (axe could not be injected) are given up after 5 s, not 60 s.
    "frameWaitTime": 5000,
}
AXE_HTML_CHARS = 300
AXE_DB_NODES = 50  # nodes kept per violation in the database row (the WARC record keeps all)

MAX_CONSOLE_ERRORS = 100
MAX_CONSOLE_CHARS = 500
MAX_LINKS = 5000
ABORTED_RESOURCE_TYPES = frozenset({"media", "font"})

# Meta keys (ours).
RENDER_FLAG = "losi_render"
OPTIONS_KEY = "losi_render_options"
CONSOLE_KEY = "losi_render_console_errors"

# -- axe-core ---------------------------------------------------------------------------------

_AXE_PACKAGE = "axe_playwright_python"  # used for its bundled axe.min.js only


@functools.cache
def axe_source() -> str:
    """The axe-core script bundled with axe-playwright-python (read once)."""
    return resources.files(_AXE_PACKAGE).joinpath("axe.min.js").read_text(encoding="utf-8")


@functools.cache
def axe_bundled_version() -> str:
    """The axe-core version named in the bundled script's banner (`/*! axe v4.12.1`)."""
    match = re.search(r"axe v(\d+\.\d+\.\d+\S*)", axe_source()[:200])
    return match.group(1) if match else ""


# -- settings ---------------------------------------------------------------------------------


def chromium_path() -> str:
    """Debian's Chromium, or the one `LOSI_CHROMIUM` names (Playwright never downloads one)."""
    return os.environ.get("LOSI_CHROMIUM") or DEFAULT_CHROMIUM


def playwright_settings(
    *,
    max_contexts: int = 2,
    max_pages_per_context: int = 2,
    navigation_timeout_ms: int = NAVIGATION_TIMEOUT_MS,
) -> dict[str, object]:
    """The Scrapy settings to merge (e.g. `settings.setdict(..., priority="project")`) when
    rendering is on.

    scrapy-playwright's handler takes over the http and https schemes, but only requests whose
    meta has `"playwright": True` go to the browser: every other request is passed to its base
    class, Scrapy's own HTTP11DownloadHandler (the same handler Scrapy uses without it; checked
    in scrapy-playwright 0.0.48, `download_request`). The Playwright driver starts with the
    engine; Chromium itself is launched on the first render request only.

    `max_pages_per_context` is how many pages render at once (all renders share one context,
    `CONTEXT_NAME`). Rendering is CPU-bound: on 2 cores, real portal pages went 0.35 pages/s
    one at a time, ~0.5 with 2 or 4 at once, and 4 at once only made each page slower. Each
    page open is a renderer process of 150-250 MB: 2 at once keeps both cores busy (Chromium's
    processes run in parallel beside the crawler's one core) and a crawl's tree under 1.5 GB.
    `max_contexts` leaves room for another context beside it. Fonts, audio and video are not
    downloaded (`abort_request`).

    Behind a proxy (`https_proxy`/`http_proxy`, `no_proxy`), Chromium goes through it as the
    plain requests do: Playwright's `proxy` launch option (`crawler.proxy.chromium_proxy`).
    """
    from crawler.proxy import chromium_proxy

    launch: dict[str, object] = {
        "executable_path": chromium_path(),
        "headless": True,
        "args": list(CHROMIUM_ARGS),
        "timeout": 30_000,
    }
    proxy = chromium_proxy()
    if proxy:
        launch["proxy"] = proxy
    return {
        "DOWNLOAD_HANDLERS": {"http": HANDLER, "https": HANDLER},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": launch,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": navigation_timeout_ms,
        "PLAYWRIGHT_MAX_CONTEXTS": max_contexts,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": max_pages_per_context,
        "PLAYWRIGHT_ABORT_REQUEST": f"{__name__}.abort_request",
    }


# Chromium logs "Failed to load resource: net::ERR_FAILED" for every request we abort; those
# are ours, not the page's, and are left out of its console errors. Bounded, per process.
_ABORTED_URLS: OrderedDict[str, None] = OrderedDict()
_ABORTED_MAX = 10_000
_ABORTED_TEXT = "Failed to load resource: net::ERR_FAILED"


_FORBIDDEN_HOSTS: dict[str, bool] = {}


async def _forbidden_host(host: str) -> bool:
    from crawler.middlewares import forbidden_address, resolve

    if host not in _FORBIDDEN_HOSTS:
        try:
            _FORBIDDEN_HOSTS[host] = any(forbidden_address(ip) for ip in await resolve(host, 443))
        except OSError:
            # the browser's own lookup fails the same way, or, behind a proxy, the host is
            # the proxy's to reach (as for plain requests, PrivateAddressMiddleware)
            _FORBIDDEN_HOSTS[host] = False
    return _FORBIDDEN_HOSTS[host]


async def abort_request(request: PlaywrightRequest) -> bool:
    """`PLAYWRIGHT_ABORT_REQUEST`: skip fonts, audio and video (time and bytes no check needs),
    and, unless private addresses are allowed, every browser request (subresources, fetches,
    in-page redirects) to a private, loopback or metadata address: the browser must not become
    the SSRF path that `PrivateAddressMiddleware` closes for plain requests."""
    if request.resource_type in ABORTED_RESOURCE_TYPES:
        _ABORTED_URLS[request.url] = None
        _ABORTED_URLS.move_to_end(request.url)
        while len(_ABORTED_URLS) > _ABORTED_MAX:
            _ABORTED_URLS.popitem(last=False)
        return True
    if os.environ.get("LOSI_ALLOW_PRIVATE") != "1":
        host = urlsplit(request.url).hostname
        if host and await _forbidden_host(host):
            return True
    return False


def browser_versions() -> dict[str, str]:
    """Chromium, Playwright and axe-core versions, for the WARC's provenance record (or the
    Selenium engine's, when `crawler.run` chose it: LOSI_RENDER_ENGINE=selenium)."""
    import subprocess
    from importlib.metadata import version

    if os.environ.get("LOSI_RENDER_ENGINE") == "selenium":
        from crawler.render_selenium import browser_versions as selenium_versions

        return selenium_versions(os.environ.get("LOSI_SELENIUM_URL", ""))

    try:
        chromium = subprocess.run([chromium_path(), "--version"], capture_output=True, text=True,
                                  timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        chromium = f"unknown ({exc})"
    return {"chromium": chromium, "playwright": version("playwright"),
            "scrapy-playwright": version("scrapy-playwright"), "axe-core": axe_bundled_version()}


# -- requests ---------------------------------------------------------------------------------


def render_request(
    url: str,
    *,
    callback: Callable[..., Any],
    errback: Callable[..., Any],
    meta: dict[str, Any],
    navigation_timeout_ms: int = NAVIGATION_TIMEOUT_MS,
    load_timeout_ms: int = LOAD_TIMEOUT_MS,
    settle_timeout_ms: int = SETTLE_TIMEOUT_MS,
    capture_timeout_s: float = CAPTURE_TIMEOUT_S,
) -> scrapy.Request:
    """A request that opens `url` in Chromium and keeps the page open for `capture`.

    The callback must call `capture(response)` and the errback `capture_failure(failure)`: both
    close the page (an unclosed page holds one of the context's page slots for good).
    `dont_filter=True`: the same URL is usually fetched plain as well. The caller's `meta` is
    merged in; our keys win. The meta holds only plain data and dotted paths (no callables), so
    the request can be serialised (JOBDIR, scrapy-redis).

    Console errors are collected by a page-init callback (`init_page`, by dotted path) into
    `meta[CONSOLE_KEY]`, rather than through `playwright_page_event_handlers`, which would need
    callables (not serialisable) or spider method names.
    """
    ours: dict[str, Any] = {
        "playwright": True,
        "playwright_include_page": True,
        "playwright_context": CONTEXT_NAME,
        # Used when the shared context is first created (later requests reuse it).
        "playwright_context_kwargs": {
            "viewport": {"width": DESKTOP_VIEWPORT[0], "height": DESKTOP_VIEWPORT[1]},
            # The TLS probe judges certificates; a bad one must not hide the page from review.
            "ignore_https_errors": True,
            # Service workers would bypass request routing (and so `abort_request`).
            "service_workers": "block",
        },
        "playwright_page_init_callback": f"{__name__}.init_page",
        "playwright_page_goto_kwargs": {
            "wait_until": "domcontentloaded",
            "timeout": navigation_timeout_ms,
        },
        RENDER_FLAG: True,
        OPTIONS_KEY: {
            "load_timeout_ms": load_timeout_ms,
            "settle_timeout_ms": settle_timeout_ms,
            "capture_timeout_s": capture_timeout_s,
        },
    }
    return scrapy.Request(
        url, callback=callback, errback=errback, meta={**meta, **ours}, dont_filter=True
    )


async def init_page(page: Page, request: scrapy.Request) -> None:
    """`playwright_page_init_callback`: collect console errors and uncaught exceptions into
    `request.meta[CONSOLE_KEY]` (the response's meta is the request's)."""
    errors: list[str] = request.meta.setdefault(CONSOLE_KEY, [])
    page.on("console", functools.partial(_on_console, errors))
    page.on("pageerror", functools.partial(_on_page_error, errors))
    page.on("crash", functools.partial(_on_crash, errors))


def _clean(text: str) -> str:
    """Text a page made, safe for UTF-8 and any JSON column: no lone surrogates, no NULs."""
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")


def _add_error(errors: list[str], text: str) -> None:
    if len(errors) < MAX_CONSOLE_ERRORS:
        errors.append(_clean(" ".join(text.split())[:MAX_CONSOLE_CHARS]))


def _on_console(errors: list[str], message: ConsoleMessage) -> None:
    if message.type != "error":
        return
    location = message.location or {}
    source = location.get("url") or ""
    if message.text == _ABORTED_TEXT and source in _ABORTED_URLS:
        return
    where = f" ({source}:{location.get('lineNumber', 0)})" if source else ""
    _add_error(errors, f"console.error: {message.text}{where}")


def _on_page_error(errors: list[str], error: Exception) -> None:
    name = getattr(error, "name", "") or "Error"
    message = getattr(error, "message", "") or str(error)
    _add_error(errors, f"uncaught {name}: {message}")


def _on_crash(errors: list[str], _page: object) -> None:
    _add_error(errors, "page crashed")


# -- capture ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A link of the rendered DOM: absolute http(s) URL as the browser resolved it."""

    url: str
    text: str  # visible text (innerText; `alt` for <area>), whitespace collapsed
    visible: bool  # rendered and not hidden (checkVisibility) in the desktop viewport


@dataclass
class RenderItem:
    """What the spider hands to the pipeline for one render (see `store_render`).

    `error` set means the render failed: no artifacts, the reason in one line.
    """

    page_url: str  # the page as the crawl knows it (its `pages.url`)
    dom_html: str
    desktop_png: bytes
    mobile_png: bytes
    axe: dict[str, Any]
    axe_version: str
    console_errors: list[str]
    timings: dict[str, Any]
    error: str = ""
    final_url: str = ""  # where the browser ended up (after redirects); "" when it failed early
    crawl_id: int = 0  # set by the spider: which portal of the batch
    boxes: dict[str, Any] = field(default_factory=dict)  # element boxes (`_boxes`), for review


@dataclass(frozen=True)
class Capture:
    """One rendered page, as `capture` saw it; `error` set means it failed (no artifacts).

    `timings` holds the render's measurements and circumstances:
    `navigation` (the page's own Navigation Timing, ms from navigation start: `response_start`,
    `dom_content_loaded`, `load`, None when it never happened), `wall_ms` (our clock: `goto`
    to DOMContentLoaded, `settle` (load + network idle waits), `dom`, `screenshots`, `axe`,
    `capture` (all of this callback), `render` (goto + capture)), `load_timed_out`,
    `network_idle`, `http_status`, `layout` (per viewport: page width and height, the
    screenshot height and whether it was cut).
    """

    url: str  # final URL
    dom_html: str = ""
    desktop_png: bytes = b""
    mobile_png: bytes = b""
    axe: dict[str, Any] = field(default_factory=dict)
    axe_version: str = ""
    console_errors: tuple[str, ...] = ()
    timings: dict[str, Any] = field(default_factory=dict)
    links: tuple[Link, ...] = ()
    error: str = ""
    boxes: dict[str, Any] = field(default_factory=dict)  # `_boxes`: where elements are drawn

    @property
    def ok(self) -> bool:
        return not self.error

    def to_item(self, crawl_page_url: str) -> RenderItem:
        """The pipeline's item; `crawl_page_url` is the URL the crawl keys the page by."""
        return RenderItem(
            page_url=crawl_page_url,
            dom_html=self.dom_html,
            desktop_png=self.desktop_png,
            mobile_png=self.mobile_png,
            axe=dict(self.axe),
            axe_version=self.axe_version,
            console_errors=list(self.console_errors),
            timings=dict(self.timings),
            error=self.error,
            final_url=self.url,
            boxes=dict(self.boxes),
        )


def _reason(exc: BaseException) -> str:
    """One line: Playwright's messages carry a multi-line call log after the first line."""
    if isinstance(exc, TimeoutError) and not str(exc):  # asyncio.wait_for
        return "TimeoutError: capture took too long"
    lines = str(exc).strip().splitlines()
    first = lines[0].strip() if lines else ""
    return (f"{type(exc).__name__}: {first}" if first else type(exc).__name__)[:500]


def _failed(url: str, reason: str, console: list[str], timings: dict[str, Any]) -> Capture:
    return Capture(url=url, console_errors=tuple(console), timings=timings, error=reason)


async def _close(page: Page | None) -> None:
    if page is not None:
        with suppress(Exception):
            await asyncio.wait_for(page.close(), timeout=10)


async def capture(response: scrapy.http.Response) -> Capture:
    """Everything a render gathers, from the page scrapy-playwright left open.

    Never raises on a page problem (timeout, crash, navigation away, JavaScript that breaks
    axe): it returns a Capture with `error` set to a one-line reason and no artifacts. Always
    closes the page.
    """
    meta = response.meta
    page: Page | None = meta.get("playwright_page")
    console: list[str] = meta.setdefault(CONSOLE_KEY, [])
    options = {**_default_options(), **(meta.get(OPTIONS_KEY) or {})}
    timings: dict[str, Any] = {
        "http_status": response.status,
        "wall_ms": {"goto": _ms(meta.get("download_latency"))},
    }
    started = time.perf_counter()
    try:
        if page is None:
            return _failed(response.url, "no browser page (not a render_request?)", console, timings)
        if meta.get("playwright_suggested_filename"):
            return _failed(response.url, "the browser downloaded a file: not a web page",
                           console, timings)
        return await asyncio.wait_for(
            _capture(page, response.url, options, console, timings),
            timeout=float(options["capture_timeout_s"]),
        )
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # noqa: BLE001  (anything a page does must not stop the crawl)
        timings["wall_ms"]["capture"] = _ms_since(started)
        return _failed(_page_url(page, response.url), _reason(exc), console, timings)
    finally:
        await _close(page)


async def capture_failure(failure: Failure) -> Capture:
    """For the render request's errback: the failure as a Capture with `error` set.

    Closes the page when scrapy-playwright had opened one (it leaves it open because the
    request asked to include it).
    """
    request = getattr(failure, "request", None)
    meta = request.meta if request is not None else {}
    await _close(meta.get("playwright_page"))
    url = request.url if request is not None else ""
    reason = _reason(failure.value) if failure.value is not None else "render failed"
    return _failed(url, reason, list(meta.get(CONSOLE_KEY, [])), {})


def _default_options() -> dict[str, Any]:
    return {
        "load_timeout_ms": LOAD_TIMEOUT_MS,
        "settle_timeout_ms": SETTLE_TIMEOUT_MS,
        "capture_timeout_s": CAPTURE_TIMEOUT_S,
    }


def _page_url(page: Page | None, default: str) -> str:
    with suppress(Exception):
        if page is not None and page.url and page.url != "about:blank":
            return page.url
    return default


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def _ms_since(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


async def _capture(
    page: Page,
    url: str,
    options: dict[str, Any],
    console: list[str],
    timings: dict[str, Any],
) -> Capture:
    from playwright.async_api import TimeoutError as PlaywrightTimeoutError

    wall = timings["wall_ms"]
    started = time.perf_counter()
    page.set_default_timeout(STEP_TIMEOUT_MS)

    step = time.perf_counter()
    timings["load_timed_out"] = False
    timings["network_idle"] = False
    try:
        await page.wait_for_load_state("load", timeout=options["load_timeout_ms"])
    except PlaywrightTimeoutError:
        timings["load_timed_out"] = True  # rendered as it stood: recorded, not hidden
    if not timings["load_timed_out"] and options["settle_timeout_ms"]:
        with suppress(PlaywrightTimeoutError):
            await page.wait_for_load_state("networkidle", timeout=options["settle_timeout_ms"])
            timings["network_idle"] = True
    wall["settle"] = _ms_since(step)

    step = time.perf_counter()
    dom = await _content(page)
    # Measured before any screenshot, in the desktop viewport the desktop screenshot keeps.
    found = await page.evaluate(_LINKS_JS, MAX_LINKS)
    links, boxes = _links(found), _boxes(found)
    timings["navigation"] = await page.evaluate(_NAVIGATION_JS)
    wall["dom"] = _ms_since(step)

    step = time.perf_counter()
    desktop_png, desktop_layout = await _screenshot(page, DESKTOP_VIEWPORT)
    shots = _ms_since(step)

    step = time.perf_counter()
    raw, axe_version = await _run_axe(page)
    wall["axe"] = _ms_since(step)

    step = time.perf_counter()
    mobile_png, mobile_layout = await _screenshot(page, MOBILE_VIEWPORT)
    wall["screenshots"] = round(shots + _ms_since(step), 1)
    timings["layout"] = {"desktop": desktop_layout, "mobile": mobile_layout}

    wall["capture"] = _ms_since(started)
    if wall.get("goto") is not None:
        wall["render"] = round(wall["goto"] + wall["capture"], 1)
    return Capture(
        url=page.url,
        dom_html=dom,
        desktop_png=desktop_png,
        mobile_png=mobile_png,
        axe=compact_axe(raw),
        axe_version=axe_version,
        console_errors=tuple(console),
        timings=timings,
        links=links,
        boxes=boxes,
    )


async def _content(page: Page) -> str:
    from playwright.async_api import Error as PlaywrightError

    try:
        return await page.content()
    except PlaywrightError as exc:  # "page is navigating": one more try once it settled
        if "navigating" not in str(exc):
            raise
        await page.wait_for_load_state("domcontentloaded")
        return await page.content()


_LINKS_JS = """
(max) => {
  // Links (what the spider follows) and, for the review app's outlines, the box of each link,
  // heading, form and stray form field: page coordinates in CSS px (getBoundingClientRect plus
  // the scroll offset), measured in the viewport the page is in now, which is returned with them.
  const links = [], elements = [];
  const sx = window.scrollX, sy = window.scrollY;
  const box = (el) => {
    const r = el.getBoundingClientRect();
    if (!(r.width > 0 && r.height > 0)) return null;
    const px = (v) => Math.round(v * 10) / 10;
    return [px(r.left + sx), px(r.top + sy), px(r.width), px(r.height)];
  };
  // lxml's getpath() form (/html/body/div[2]/a), the one evidence locators use; '' in a shadow root.
  const xpath = (el) => {
    const steps = [];
    let n = el;
    for (; n && n.nodeType === 1; n = n.parentNode) {
      const name = n.localName;
      let index = 0, same = 0;
      for (let s = n.parentNode ? n.parentNode.firstElementChild : null; s; s = s.nextElementSibling) {
        if (s.localName === name) { same++; if (s === n) index = same; }
      }
      steps.unshift(same > 1 ? name + '[' + index + ']' : name);
    }
    return n === document ? '/' + steps.join('/') : '';
  };
  const shown = (el) => (typeof el.checkVisibility === 'function'
    ? el.checkVisibility({visibilityProperty: true}) : el.getClientRects().length > 0);
  const visit = (root) => {
    for (const a of root.querySelectorAll('a[href], area[href]')) {
      if (links.length >= max) break;
      let href = a.href;
      if (typeof href !== 'string') {  // SVG <a>: an SVGAnimatedString
        try { href = new URL(href.baseVal, document.baseURI).href; } catch (e) { continue; }
      }
      const text = a.tagName.toUpperCase() === 'AREA' ? (a.alt || '') : (a.innerText || a.textContent || '');
      const visible = shown(a);
      const b = visible ? box(a) : null;
      links.push({url: href, text: text, visible: visible, box: b, xpath: b ? xpath(a) : ''});
    }
    for (const el of root.querySelectorAll('h1, h2, h3, h4, h5, h6, form, input, select, textarea')) {
      if (elements.length >= max) break;
      const tag = el.localName;
      if ((tag === 'input' || tag === 'select' || tag === 'textarea') && (el.form || el.type === 'hidden')) continue;
      const b = shown(el) ? box(el) : null;
      if (!b) continue;
      elements.push({tag: tag, url: tag === 'form' ? (el.action || '') : '',
                     text: tag[0] === 'h' ? (el.innerText || '').slice(0, 300) : (el.getAttribute('aria-label') || el.name || ''),
                     box: b, xpath: xpath(el)});
    }
    for (const el of root.querySelectorAll('*')) {  // open shadow roots (web-component menus)
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(document);
  return {viewport: [window.innerWidth, window.innerHeight], links: links, elements: elements};
}
"""

_NAVIGATION_JS = """
() => {
  const n = performance.getEntriesByType('navigation')[0];
  if (!n) return null;
  const ms = (v) => (v > 0 ? Math.round(v * 10) / 10 : null);
  return {response_start: ms(n.responseStart), dom_content_loaded: ms(n.domContentLoadedEventEnd),
          load: ms(n.loadEventEnd)};
}
"""

_PAGE_SIZE_JS = """
async () => {
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const d = document.documentElement, b = document.body;
  return {width: Math.max(d.scrollWidth, b ? b.scrollWidth : 0),
          height: Math.max(d.scrollHeight, b ? b.scrollHeight : 0)};
}
"""


def _links(raw: dict[str, Any] | list[dict[str, Any]]) -> tuple[Link, ...]:
    """The links of `_LINKS_JS`'s answer (a bare list: its older form)."""
    items = raw.get("links") or [] if isinstance(raw, dict) else raw
    return tuple(
        Link(url=_clean(item["url"]), text=_clean(" ".join(str(item["text"]).split())[:500]),
             visible=bool(item["visible"]))
        for item in items
        if str(item.get("url", "")).startswith(("http://", "https://"))
    )


def _boxes(raw: dict[str, Any] | list[dict[str, Any]]) -> dict[str, Any]:
    """The element boxes of `_LINKS_JS`'s answer, as `store_render` keeps them: `viewport` (the
    one they were measured in) and `elements` (`tag`, `url`, `text`, `xpath`, `box` = [x, y,
    width, height] in page CSS px), only those with a box that starts inside the desktop
    screenshot (above MAX_SCREENSHOT_HEIGHT, left of the viewport's width). {} when none."""
    if not isinstance(raw, dict) or not raw.get("viewport"):
        return {}
    width = float(raw["viewport"][0])
    out = []
    for item in [{"tag": "a", **x} for x in raw.get("links") or []] + list(raw.get("elements") or []):
        box = item.get("box")
        if not box or box[0] >= width or box[1] >= MAX_SCREENSHOT_HEIGHT or box[0] + box[2] <= 0:
            continue
        out.append({"tag": str(item.get("tag") or "a")[:20], "url": _clean(str(item.get("url") or ""))[:2000],
                    "text": _clean(" ".join(str(item.get("text") or "").split())[:200]),
                    "xpath": _clean(str(item.get("xpath") or ""))[:1000],
                    "box": [round(float(v), 1) for v in box[:4]]})
    return {"viewport": [int(v) for v in raw["viewport"][:2]], "elements": out} if out else {}


async def _screenshot(page: Page, viewport: tuple[int, int]) -> tuple[bytes, dict[str, Any]]:
    """A full-page PNG of the viewport's width, cut at MAX_SCREENSHOT_HEIGHT: Playwright's
    `full_page=True` with a `clip` rectangle measured from the document's scroll size."""
    width, height = viewport
    await page.set_viewport_size({"width": width, "height": height})
    size = await page.evaluate(_PAGE_SIZE_JS)  # after two frames: the re-layout is done
    page_height = max(int(size["height"]), 1)
    cap = MAX_MOBILE_SCREENSHOT_HEIGHT if width < 800 else MAX_SCREENSHOT_HEIGHT
    shot_height = min(page_height, cap)
    png = await page.screenshot(
        type="png",
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": shot_height},
        animations="disabled",
        caret="hide",
    )
    layout = {
        "viewport": [width, height],
        "page_width": int(size["width"]),
        "page_height": page_height,
        "screenshot_height": shot_height,
        "cut": page_height > shot_height,
    }
    return png, layout


async def _run_axe(page: Page) -> tuple[dict[str, Any], str]:
    source = axe_source()
    for frame in page.frames:
        if frame is page.main_frame:
            continue
        # A frame that refuses (detached, crashed) is skipped; axe gives up on it after
        # AXE_OPTIONS["frameWaitTime"].
        with suppress(Exception):
            await asyncio.wait_for(frame.evaluate(source), timeout=10)
    await page.evaluate(source)
    version = await page.evaluate("() => window.axe && window.axe.version")
    raw = json.loads(await page.evaluate(_AXE_RUN_JS, [AXE_OPTIONS, 2 * AXE_HTML_CHARS]))
    return raw, str(version or "")


# axe.run, with its results cut in the page to what `compact_axe` reads and sent as one JSON
# string: the passes and inapplicable rules (descriptions, tags, a sample node each) are only
# counted, and the string crosses to Python faster than Playwright's object serialisation.
# `html` is cut at twice AXE_HTML_CHARS UTF-16 units (never fewer code points than
# compact_axe keeps).
_AXE_RUN_JS = """
async ([options, htmlChars]) => {
  const r = await window.axe.run(document, options);
  const ids = (rules) => (rules || []).map((rule) => ({id: rule.id}));
  return JSON.stringify({
    url: r.url, timestamp: r.timestamp, testEngine: r.testEngine,
    testEnvironment: r.testEnvironment,
    violations: (r.violations || []).map((rule) => ({
      id: rule.id, impact: rule.impact, help: rule.help, helpUrl: rule.helpUrl, tags: rule.tags,
      nodes: (rule.nodes || []).map((node) => ({
        target: node.target, failureSummary: node.failureSummary,
        html: typeof node.html === 'string' ? node.html.slice(0, htmlChars) : node.html})),
    })),
    passes: ids(r.passes), incomplete: ids(r.incomplete), inapplicable: ids(r.inapplicable),
  });
}
"""


def compact_axe(raw: dict[str, Any], *, max_nodes: int | None = None) -> dict[str, Any]:
    """axe-core's results reduced to what a reviewer and a detector need.

    Per violation: `id`, `impact`, `help`, `helpUrl`, `tags`, `node_count` and `nodes` (each:
    `target` as axe gives it (a list of selectors: one per frame or shadow-root level), `html`
    cut at AXE_HTML_CHARS, `failureSummary`); at most `max_nodes` nodes when given. Then
    `counts` of rules per result type, the ids of the `incomplete` rules (a person must check
    them), and the run's `url`, `timestamp`, `engine`, `environment` and `run_only` tags.
    """
    violations = []
    for rule in raw.get("violations") or []:
        nodes = rule.get("nodes") or []
        kept = nodes if max_nodes is None else nodes[:max_nodes]
        violations.append(
            {
                "id": rule.get("id", ""),
                "impact": rule.get("impact"),
                "help": rule.get("help", ""),
                "helpUrl": rule.get("helpUrl", ""),
                "tags": list(rule.get("tags") or []),
                "node_count": len(nodes),
                "nodes": [
                    {
                        "target": node.get("target") or [],
                        "html": _clean(str(node.get("html") or "")[:AXE_HTML_CHARS]),
                        "failureSummary": _clean(node.get("failureSummary") or ""),
                    }
                    for node in kept
                ],
            }
        )
    environment = raw.get("testEnvironment") or {}
    return {
        "url": raw.get("url", ""),
        "timestamp": raw.get("timestamp", ""),
        "engine": raw.get("testEngine") or {},
        "environment": {
            k: environment.get(k) for k in ("userAgent", "windowWidth", "windowHeight")
        },
        "run_only": list(WCAG_TAGS),
        "violations": violations,
        "counts": {
            kind: len(raw.get(kind) or [])
            for kind in ("violations", "passes", "incomplete", "inapplicable")
        },
        "incomplete": [rule.get("id", "") for rule in raw.get("incomplete") or []],
    }


# -- storage ----------------------------------------------------------------------------------

DOM_URN = "urn:losi:render:dom:"
DESKTOP_URN = "urn:losi:render:screenshot-desktop:"
MOBILE_URN = "urn:losi:render:screenshot-mobile:"
AXE_URN = "urn:losi:render:axe:"
UTF8_BOM = b"\xef\xbb\xbf"


def store_render(
    archive: WarcArchive, session: Session, crawl_id: int, item: RenderItem
) -> Render:
    """Write a render's artifacts to the crawl's WARC and add its `renders` row (not committed:
    the caller's transaction, like the pipeline's other rows).

    WARC records, all `resource` records, in this order:
    - the DOM, `text/html; charset=utf-8`, with a UTF-8 byte order mark (the serialised DOM is
      Unicode, but may still carry the original `<meta charset=...>`; the BOM wins in every
      decoder, browsers and w3lib included);
    - the desktop and the mobile screenshot, `image/png`;
    - the axe results, `application/json`: `compact_axe` with every node.
    Their WARC-Target-URI is `urn:losi:render:<kind>:<final page URL>`, not the page URL itself,
    so that replay tools (pywb) never serve a DOM snapshot or a PNG in place of the archived
    response of that URL, and the kind is readable from the URI (the Browsertrix habit:
    `urn:view:`, `urn:text:`).

    The row: the three record ids of its columns; `timings["boxes"]` the element boxes of the
    desktop screenshot (`_boxes`; absent in renders stored before them); `axe_results` is the
    compact JSON with at most AXE_DB_NODES nodes per violation (`node_count` keeps the true number) plus
    `warc_record_id`, the axe record's id (there is no column for it). A failed render writes
    no record; its row has empty record ids and `timings["error"]` holding the one-line reason
    (console errors stay the page's own; nothing in the row claims a result).
    """
    from storage.models import Render

    timings = dict(item.timings)
    if item.final_url and item.final_url != item.page_url:
        timings.setdefault("final_url", item.final_url)
    if item.boxes and not item.error:
        timings["boxes"] = item.boxes  # the review app outlines evidence on the desktop screenshot
    row = Render(
        crawl_id=crawl_id,
        page_url=item.page_url,
        axe_version=item.axe_version if not item.error else "",
        console_errors=list(item.console_errors),
        timings=timings,
        axe_results={},
    )
    if item.error:
        row.timings = {**timings, "error": item.error}
        session.add(row)
        return row
    uri = item.final_url or item.page_url
    row.dom_record_id = archive.write_resource(
        DOM_URN + uri,
        "text/html; charset=utf-8",
        UTF8_BOM + item.dom_html.encode("utf-8", "replace"),  # a lone surrogate becomes "?"
    ).record_id
    row.screenshot_desktop_record_id = archive.write_resource(
        DESKTOP_URN + uri, "image/png", item.desktop_png
    ).record_id
    row.screenshot_mobile_record_id = archive.write_resource(
        MOBILE_URN + uri, "image/png", item.mobile_png
    ).record_id
    axe_json = json.dumps(item.axe, ensure_ascii=False, sort_keys=True)
    axe_ref = archive.write_resource(
        AXE_URN + uri, "application/json", axe_json.encode("utf-8", "replace")
    )
    row.axe_results = {**_trim_nodes(item.axe, AXE_DB_NODES), "warc_record_id": axe_ref.record_id}
    session.add(row)
    return row


def _trim_nodes(axe: dict[str, Any], max_nodes: int) -> dict[str, Any]:
    return {
        **axe,
        "violations": [
            {**rule, "nodes": list(rule.get("nodes") or [])[:max_nodes]}
            for rule in axe.get("violations") or []
        ],
    }
