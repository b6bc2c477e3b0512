"""The second render engine: key pages opened through Selenium (a Selenium Grid, or a local
chromedriver), axe-core run through axe-selenium-python.

It gives the same artifacts as the Playwright engine (`crawler.render`): a `Capture` with the
DOM after scripts, a desktop and a mobile screenshot under the same caps, the page's console
errors in the same words, `compact_axe` of a run with the same `AXE_OPTIONS`, the same timings;
the spider turns it into the same `RenderItem` and the pipeline stores it with the same
`store_render`. Detectors, review and scoring read renders only through those, so they cannot
tell the engines apart; each render's `timings["engine"]` and the WARC's warcinfo say which one
made it.

The flow for one page (the spider picks the engine from `LOSI_RENDER_ENGINE`):

    settings.update(selenium_settings(url))            # once: the downloader middleware
    yield render_request(url, callback=..., errback=..., meta=...)
    # SeleniumRenderMiddleware renders the page in a worker thread (Selenium is blocking) on
    # one of at most LOSI_SELENIUM_DRIVERS drivers, and answers with the DOM as the response;
    # the Capture rides in `response.meta[CAPTURE_KEY]`.
    capture = await capture(response)                  # in the callback (never raises)
    capture = await crawler.render.capture_failure(f)  # in the errback: the same as Playwright's

How it matches the Playwright engine, and where it cannot:
- The page is loaded with the "eager" strategy (DOMContentLoaded, capped by the navigation
  timeout; a document that never arrives is a render failure), then `load` and a quiet
  network get their own caps. Playwright's "network idle" (no request in flight for 500 ms)
  is approximated by "no resource finished loading for 500 ms" (Resource Timing).
- The viewports are set with the DevTools protocol (`Emulation.setDeviceMetricsOverride`,
  what Playwright does), and screenshots are `Page.captureScreenshot` with the same clip
  (full page, cut at the caps): so the engine needs a Chromium-based browser, locally or on
  the Grid's nodes (chromedriver forwards DevTools commands; a Grid passes them through).
- Fonts and media are not downloaded (`Network.setBlockedURLs`, by file extension where
  Playwright goes by resource type); service workers are bypassed.
- Console errors come from Chrome's browser log (`goog:loggingPrefs`), rewritten to the
  Playwright engine's wording (`console.error: TEXT (URL:LINE)`, `uncaught Name: message`).
- axe-core is axe-selenium-python's bundled copy (4.10.x; the Playwright engine bundles
  4.12.x): the version is recorded with every result, as always.
- No private addresses for what the browser loads unless private addresses are allowed: the
  browser is started with `--host-resolver-rules` that fail loopback, private and link-local
  address literals and `localhost` (Chromium never sends those through a proxy, so a PAC
  script alone cannot stop them), and a PAC script (`--proxy-pac-url`) that sends every host
  resolving to such an address to a proxy that does not exist, so the load fails. Both are
  browser flags, so they hold on a Grid's nodes too.
- Behind a proxy (`http_proxy`/`https_proxy`/`no_proxy`, `crawler.proxy.browser_proxy`), the
  same PAC script sends the other hosts to it unless `no_proxy` lists them, as the Playwright
  engine's `proxy` option does (`--proxy-server` and `--proxy-bypass-list` when private
  addresses are allowed). A proxy's password cannot be given as a flag: `unavailable` refuses
  it in one line.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import json
import os
import queue
import re
import sys
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import scrapy

from crawler.proxy import BrowserProxy, browser_proxy, chromium_bypass_list
from crawler.render import (
    _LINKS_JS,
    _NAVIGATION_JS,
    _PAGE_SIZE_JS,
    AXE_OPTIONS,
    CAPTURE_TIMEOUT_S,
    CHROMIUM_ARGS,
    CONSOLE_KEY,
    DESKTOP_VIEWPORT,
    LOAD_TIMEOUT_MS,
    MAX_LINKS,
    MAX_MOBILE_SCREENSHOT_HEIGHT,
    MAX_SCREENSHOT_HEIGHT,
    MOBILE_VIEWPORT,
    NAVIGATION_TIMEOUT_MS,
    OPTIONS_KEY,
    RENDER_FLAG,
    SETTLE_TIMEOUT_MS,
    Capture,
    _add_error,
    _boxes,
    _failed,
    _links,
    _ms_since,
    _reason,
    chromium_path,
    compact_axe,
)

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from selenium.webdriver.remote.webdriver import WebDriver

# Selenium Manager would try to download a driver and a browser: never here.
os.environ.setdefault("SE_OFFLINE", "true")

ENGINE = "selenium"
MIN_PYTHON = (3, 12)
DEFAULT_CHROMEDRIVER = "/usr/bin/chromedriver"
DEFAULT_DRIVERS = 2  # like the Playwright engine's 2 pages at once; raise it for a Grid
MIDDLEWARE = f"{__name__}.SeleniumRenderMiddleware"
# After every built-in downloader middleware (robots.txt, private addresses, budgets, cookies,
# user agent ...): the render request has passed them all when it reaches the browser.
MIDDLEWARE_ORDER = 950

# Meta keys (ours).
SELENIUM_FLAG = "losi_selenium"
CAPTURE_KEY = "losi_selenium_capture"

# Playwright adds these in headless mode; the same flags give the same layout and pixels.
EXTRA_ARGS = [
    "--headless=new",
    "--no-sandbox",  # Chromium refuses to start as root without it
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    "--force-color-profile=srgb",
    f"--window-size={DESKTOP_VIEWPORT[0]},{DESKTOP_VIEWPORT[1]}",
]
# What the Playwright engine aborts by resource type ("font", "media"), by file extension.
BLOCKED_EXTENSIONS = ("woff", "woff2", "ttf", "otf", "eot", "mp4", "webm", "ogv", "mov", "m4v",
                      "mp3", "ogg", "oga", "wav", "m4a", "aac", "flac", "m3u8", "mpd")
BLOCKED_URLS = [p for ext in BLOCKED_EXTENSIONS for p in (f"*.{ext}", f"*.{ext}?*")]
_BLOCKED_RE = re.compile(r"\.(?:" + "|".join(BLOCKED_EXTENSIONS) + r")(?:\?|$)", re.IGNORECASE)

# -- the private-address rule, as browser flags ---------------------------------------------

# Address literals (and localhost) fail to resolve. Chromium sends loopback and link-local
# hosts directly even when a PAC script names a proxy, so these must be resolver rules.
_PRIVATE_LITERALS = (
    "localhost", "*.localhost", "127.*", "10.*.*.*", "192.168.*.*", "169.254.*.*", "0.*.*.*",
    *(f"172.{n}.*.*" for n in range(16, 32)),
    "[::1]", "[::]", "[fc*", "[fd*", "[fe80:*", "[::ffff:*",
)
HOST_RESOLVER_RULES = ", ".join(f"MAP {pattern} ~NOTFOUND" for pattern in _PRIVATE_LITERALS)
# Names that resolve to a private address go to a proxy that refuses (port 9, discard, on the
# browser's own loopback), so the load fails with ERR_PROXY_CONNECTION_FAILED. The others go
# where the environment's proxy variables send them (`ROUTE`, `NO_PROXY`: what urllib and
# Scrapy decide, `crawler.proxy.proxy_for`), or straight to the site.
_PAC = """
var V4 = [["127.0.0.0", "255.0.0.0"], ["10.0.0.0", "255.0.0.0"], ["172.16.0.0", "255.240.0.0"],
          ["192.168.0.0", "255.255.0.0"], ["169.254.0.0", "255.255.0.0"], ["0.0.0.0", "255.0.0.0"],
          ["100.64.0.0", "255.192.0.0"], ["224.0.0.0", "224.0.0.0"]];
var V6 = ["::1/128", "::/128", "fc00::/7", "fe80::/10", "ff00::/8", "::ffff:0:0/96"];
var ROUTE = %(route)s;
var NO_PROXY = %(no_proxy)s;
function forbidden(ip) {
  if (ip.indexOf(":") >= 0) {
    if (typeof isInNetEx !== "function") return false;
    for (var i = 0; i < V6.length; i++) if (isInNetEx(ip, V6[i])) return true;
    return false;
  }
  for (var j = 0; j < V4.length; j++) if (isInNet(ip, V4[j][0], V4[j][1])) return true;
  return false;
}
function bypassed(url, host) {
  var m = /^([a-z][a-z0-9+.-]*):\\/\\/(?:\\[[^\\]]*\\]|[^\\/:?#]*)(?::(\\d+))?/i.exec(url);
  var port = m && m[2] ? m[2] : (m && m[1].toLowerCase() == "https" ? "443" : "80");
  host = host.toLowerCase();
  for (var i = 0; i < NO_PROXY.length; i++) {
    var name = NO_PROXY[i][0], only = NO_PROXY[i][1];
    if ((host == name || dnsDomainIs(host, "." + name)) && (!only || only == port)) return true;
  }
  return false;
}
function FindProxyForURL(url, host) {
  var ips = typeof dnsResolveEx === "function" ? dnsResolveEx(host) : dnsResolve(host);
  if (ips) {
    var list = String(ips).split(";");
    for (var i = 0; i < list.length; i++) if (list[i] && forbidden(list[i])) return "PROXY 127.0.0.1:9";
  }
  // a name that does not resolve here: the browser's own lookup fails the same way, or the
  // proxy, which may know it, is asked
  if (ROUTE == "DIRECT" || bypassed(url, host)) return "DIRECT";
  return ROUTE;
}
"""


def pac_script(proxy: BrowserProxy | None = None) -> str:
    """The PAC script of the private-address rule, routing the rest through `proxy`."""
    route = "DIRECT"
    no_proxy: list[list[str]] = []
    if proxy is not None:
        route = ("HTTPS " if proxy.server.startswith("https:") else "PROXY ") + proxy.host_port
        for entry in proxy.bypass:
            name, _, port = entry.lower().lstrip(".").partition(":")
            if name:
                no_proxy.append([name, port])
    return _PAC % {"route": json.dumps(route), "no_proxy": json.dumps(no_proxy)}


def pac_url(proxy: BrowserProxy | None = None) -> str:
    return ("data:application/x-ns-proxy-autoconfig;base64,"
            + base64.b64encode(pac_script(proxy).encode("ascii")).decode("ascii"))


def private_address_args(proxy: BrowserProxy | None = None) -> list[str]:
    """The browser flags that keep it off private, loopback and link-local addresses (and send
    the rest through `proxy`, when the environment names one)."""
    rules = HOST_RESOLVER_RULES
    if proxy is not None:
        # a corporate proxy often has a private address: the browser must still reach it
        host = urlsplit(proxy.server).hostname or ""
        rules += f", EXCLUDE {f'[{host}]' if ':' in host else host}"
    return [f"--host-resolver-rules={rules}", f"--proxy-pac-url={pac_url(proxy)}"]


def proxy_args(proxy: BrowserProxy | None, allow_private: bool) -> list[str]:
    """Every browser flag on where requests go: the private-address rule unless private
    addresses are allowed, and the environment's proxy (`crawler.proxy.browser_proxy`)."""
    if not allow_private:
        return private_address_args(proxy)
    if proxy is None:
        return []
    scheme = proxy.server.split(":", 1)[0]
    return [f"--proxy-server={scheme}://{proxy.host_port}",
            f"--proxy-bypass-list={chromium_bypass_list(proxy)}"]


# -- availability and versions ----------------------------------------------------------------


def chromedriver_path() -> str:
    """Debian's chromedriver (the same version as its Chromium), or `LOSI_CHROMEDRIVER`."""
    return os.environ.get("LOSI_CHROMEDRIVER") or DEFAULT_CHROMEDRIVER


def unavailable(selenium_url: str = "") -> str:
    """Why this engine cannot run here, in one line; "" when it can.

    axe-selenium-python 3.x (axe-core 4.10) needs Python >= 3.12; on an older Python pip quietly
    installs 2.1.6, which bundles axe-core 3.1.1 from 2018: that one is never used.
    """
    if sys.version_info < MIN_PYTHON:
        return (f"the Selenium render engine needs Python >= 3.12 (axe-selenium-python 3), "
                f"this is {sys.version.split()[0]}: use a Python 3.12 environment "
                f"(`make` picks python3.12) or --render-engine playwright")
    from importlib.metadata import PackageNotFoundError, version

    try:
        axe_version = version("axe-selenium-python")
        version("selenium")
    except PackageNotFoundError:
        return ("the Selenium render engine needs selenium and axe-selenium-python: "
                "pip install -e '.[selenium]'")
    proxy = browser_proxy()
    if proxy is not None and proxy.username is not None:
        # Chromium's flags cannot carry a proxy's password, and answering its 407 through
        # WebDriver BiDi would send the BiDi socket itself through the proxy (websocket-client
        # reads the same variables and cannot be told otherwise through Selenium)
        return ("the Selenium render engine cannot give the browser the password of the proxy in "
                "http_proxy/https_proxy: use --render-engine playwright, or a proxy without one")
    if int(axe_version.split(".")[0]) < 3:
        return (f"axe-selenium-python {axe_version} bundles an axe-core from 2018; the Selenium "
                f"render engine needs 3.x: pip install -e '.[selenium]' on Python >= 3.12")
    if not selenium_url:
        for what, path in (("chromedriver", chromedriver_path()), ("Chromium", chromium_path())):
            if not os.access(path, os.X_OK):
                return (f"no {what} at {path} for the local Selenium engine (LOSI_CHROMEDRIVER, "
                        f"LOSI_CHROMIUM; or --selenium-url for a Grid)")
    return ""


@functools.cache
def axe_source() -> str:
    """The axe-core script bundled with axe-selenium-python (read once)."""
    from axe_selenium_python import Axe

    with open(Axe(None).script_url, encoding="utf-8") as fh:
        return fh.read()


@functools.cache
def axe_bundled_version() -> str:
    match = re.search(r"axe v(\d+\.\d+\.\d+\S*)", axe_source()[:200])
    return match.group(1) if match else ""


def redact(url: str) -> str:
    """A Grid URL without its user and password (the WARC's provenance is shown as evidence)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def browser_versions(selenium_url: str = "") -> dict[str, str]:
    """Engine, Selenium, axe and browser versions, for the WARC's provenance record. With a
    Grid the browser lives on its nodes: each render's `timings["engine"]` names its version."""
    import subprocess
    from importlib.metadata import version

    versions = {
        "render-engine": ENGINE,
        "selenium": version("selenium"),
        "axe-selenium-python": version("axe-selenium-python"),
        "axe-core": axe_bundled_version(),
    }
    if selenium_url:
        versions["selenium-remote"] = redact(selenium_url)
        versions["chromium"] = "on the Selenium Grid's nodes (see each render's timings)"
        return versions
    for name, path in (("chromium", chromium_path()), ("chromedriver", chromedriver_path())):
        try:
            versions[name] = subprocess.run([path, "--version"], capture_output=True, text=True,
                                            timeout=20, check=False).stdout.strip()
        except (OSError, subprocess.SubprocessError) as exc:
            versions[name] = f"unknown ({exc})"
    return versions


# -- settings and requests --------------------------------------------------------------------


def selenium_settings(selenium_url: str = "", *, drivers: int | None = None) -> dict[str, object]:
    """The Scrapy settings to merge when this engine renders (plain requests are untouched:
    the middleware passes every request that is not a `render_request` of this module)."""
    settings: dict[str, object] = {
        "LOSI_RENDER_ENGINE": ENGINE,
        "LOSI_SELENIUM_URL": selenium_url,
        "DOWNLOADER_MIDDLEWARES": {MIDDLEWARE: MIDDLEWARE_ORDER},
    }
    if drivers is not None:
        settings["LOSI_SELENIUM_DRIVERS"] = drivers
    return settings


def apply_settings(settings: Any, selenium_url: str = "") -> None:
    """Switch a crawl's Scrapy `Settings` to this engine (`crawler.run` does, when the crawls
    ask for `render_engine = "selenium"`). Exits with the one-line reason when the engine
    cannot run here (Python 3.11, no chromedriver ...)."""
    reason = unavailable(selenium_url)
    if reason:
        raise SystemExit(f"crawler: {reason}")
    for key, value in selenium_settings(selenium_url).items():
        if key == "DOWNLOADER_MIDDLEWARES":
            value = {**settings.getdict(key), **value}  # beside ours (private addresses, budgets)
        settings.set(key, value)
    # Read by crawler.render.browser_versions for the WARC's provenance record.
    os.environ["LOSI_RENDER_ENGINE"] = ENGINE
    os.environ["LOSI_SELENIUM_URL"] = selenium_url


def render_request(
    url: str,
    *,
    callback: Any,
    errback: Any,
    meta: dict[str, Any],
    navigation_timeout_ms: int = NAVIGATION_TIMEOUT_MS,
    load_timeout_ms: int = LOAD_TIMEOUT_MS,
    settle_timeout_ms: int = SETTLE_TIMEOUT_MS,
    capture_timeout_s: float = CAPTURE_TIMEOUT_S,
) -> scrapy.Request:
    """`crawler.render.render_request` for this engine: the same arguments, plain-data meta
    (serialisable), `dont_filter=True`. The callback calls this module's `capture(response)`,
    the errback `crawler.render.capture_failure(failure)`."""
    ours: dict[str, Any] = {
        SELENIUM_FLAG: True,
        RENDER_FLAG: True,
        OPTIONS_KEY: {
            "navigation_timeout_ms": navigation_timeout_ms,
            "load_timeout_ms": load_timeout_ms,
            "settle_timeout_ms": settle_timeout_ms,
            "capture_timeout_s": capture_timeout_s,
        },
    }
    return scrapy.Request(
        url, callback=callback, errback=errback, meta={**meta, **ours}, dont_filter=True
    )


async def capture(response: scrapy.http.Response) -> Capture:
    """The Capture the middleware made for this response (never raises)."""
    found = response.meta.get(CAPTURE_KEY)
    if isinstance(found, Capture):
        return found
    return _failed(response.url, "no Selenium capture (not a render_request of this engine?)",
                   list(response.meta.get(CONSOLE_KEY, [])), {})


class SeleniumRenderError(Exception):
    """The page could not be rendered at all (its document never arrived, the driver died).
    Its message is the one-line reason `capture_failure` records."""


# -- the middleware ---------------------------------------------------------------------------


class SeleniumRenderMiddleware:
    """Answers this engine's render requests from a browser; passes every other request.

    Selenium's API is blocking: each render runs in a worker thread of its own pool, never on
    the reactor's thread, on one of at most `LOSI_SELENIUM_DRIVERS` drivers (sessions), each
    started on first use and reused for later pages.
    """

    def __init__(self, selenium_url: str, drivers: int, allow_private: bool) -> None:
        self.pool = DriverPool(selenium_url, drivers, allow_private)
        self.executor = ThreadPoolExecutor(max_workers=drivers, thread_name_prefix="losi-selenium")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeleniumRenderMiddleware:
        from scrapy import signals

        settings = crawler.settings
        middleware = cls(settings.get("LOSI_SELENIUM_URL") or "",
                         max(1, settings.getint("LOSI_SELENIUM_DRIVERS", DEFAULT_DRIVERS)),
                         settings.getbool("LOSI_ALLOW_PRIVATE"))
        middleware.stats = crawler.stats
        crawler.signals.connect(middleware.close, signal=signals.spider_closed)
        return middleware

    async def process_request(self, request: scrapy.Request) -> scrapy.http.Response | None:
        if not request.meta.get(SELENIUM_FLAG):
            return None
        options = {**_default_options(), **(request.meta.get(OPTIONS_KEY) or {})}
        console: list[str] = request.meta.setdefault(CONSOLE_KEY, [])
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        future = loop.run_in_executor(self.executor, self.pool.render, request.url, options, console)
        try:
            # The worker's own Selenium timeouts end it; this is the overall cap on waiting.
            result, status = await asyncio.wait_for(
                asyncio.shield(future), timeout=float(options["capture_timeout_s"]) + 30)
        except SeleniumRenderError:
            self._count("failed")
            raise
        except Exception as exc:  # the browser's problems must not stop the crawl
            self._count("failed")
            raise SeleniumRenderError(_reason(exc)) from exc
        self._count("rendered")
        request.meta[CAPTURE_KEY] = result
        with suppress(AttributeError):
            self.stats.inc_value("selenium/render_ms", int(_ms_since(started)))
        body = result.dom_html.encode("utf-8", "replace")
        return scrapy.http.HtmlResponse(
            result.url or request.url, status=status or 200, body=body, encoding="utf-8",
            request=request, headers={"Content-Type": "text/html; charset=utf-8"},
            flags=["selenium"],
        )

    def _count(self, what: str) -> None:
        with suppress(AttributeError):
            self.stats.inc_value(f"selenium/render_count/{what}")

    async def close(self) -> None:
        # Off the reactor's thread too: quitting browsers takes a second or more, and a
        # blocked reactor trips Scrapy's own shutdown timers.
        await asyncio.to_thread(self._close)

    def _close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.pool.quit_all()


def _default_options() -> dict[str, Any]:
    return {
        "navigation_timeout_ms": NAVIGATION_TIMEOUT_MS,
        "load_timeout_ms": LOAD_TIMEOUT_MS,
        "settle_timeout_ms": SETTLE_TIMEOUT_MS,
        "capture_timeout_s": CAPTURE_TIMEOUT_S,
    }


# -- drivers ----------------------------------------------------------------------------------


class DriverPool:
    """At most `size` WebDriver sessions, started on demand; a session that breaks is quit and
    replaced by a new one on the next render. Thread-safe; `render` blocks."""

    def __init__(self, selenium_url: str, size: int, allow_private: bool) -> None:
        self.selenium_url = selenium_url
        self.size = size
        self.allow_private = allow_private
        self.idle: queue.SimpleQueue[WebDriver] = queue.SimpleQueue()
        self.started = 0
        self.lock = threading.Lock()
        self.all: list[WebDriver] = []

    def _acquire(self) -> WebDriver:
        with self.lock:
            try:
                return self.idle.get_nowait()
            except queue.Empty:
                if self.started < self.size:
                    self.started += 1
                    create = True
                else:
                    create = False
        if not create:
            return self.idle.get()
        try:
            driver = new_driver(self.selenium_url, allow_private=self.allow_private)
        except BaseException:
            with self.lock:
                self.started -= 1
            raise
        with self.lock:
            self.all.append(driver)
        return driver

    def _discard(self, driver: WebDriver) -> None:
        with self.lock:
            self.started -= 1
            if driver in self.all:
                self.all.remove(driver)
        with suppress(Exception):
            driver.quit()

    def render(self, url: str, options: dict[str, Any], console: list[str]) -> tuple[Capture, int]:
        from selenium.common.exceptions import InvalidSessionIdException, WebDriverException

        driver = self._acquire()
        broken = False
        try:
            return render_page(driver, url, options, console)
        except (InvalidSessionIdException, ConnectionError):
            broken = True
            raise
        except WebDriverException as exc:
            broken = _broken(exc.msg or str(exc))
            raise
        finally:
            if broken:
                self._discard(driver)
            else:
                with suppress(Exception):  # stop the page's timers and requests between renders
                    driver.get("about:blank")
                self.idle.put(driver)

    def quit_all(self) -> None:
        with self.lock:
            drivers, self.all = list(self.all), []
        for driver in drivers:
            with suppress(Exception):
                driver.quit()


def _broken(message: str) -> bool:
    """Whether a WebDriver error means the session is gone (not that the page failed)."""
    text = message.lower()
    return any(sign in text for sign in ("invalid session id", "no such session", "session deleted",
                                         "disconnected", "tab crashed", "chrome not reachable"))


_WARNINGS_LOCK = threading.Lock()  # catch_warnings is process-wide: one thread in it at a time


def new_driver(selenium_url: str = "", *, allow_private: bool = False,
               extra_args: tuple[str, ...] = ()) -> WebDriver:
    """A Chromium session: a local chromedriver (`chromedriver_path()`, Debian's Chromium) when
    `selenium_url` is "", else a remote one (a Selenium Grid, or any W3C WebDriver endpoint
    of a Chromium browser). `extra_args` are more browser flags (tests). Blocking."""
    from selenium import webdriver
    from selenium.webdriver.chromium.remote_connection import ChromiumRemoteConnection

    options = webdriver.ChromeOptions()
    for arg in [*CHROMIUM_ARGS, *EXTRA_ARGS, *extra_args]:
        options.add_argument(arg)
    proxy = browser_proxy()
    for arg in proxy_args(proxy, allow_private):
        options.add_argument(arg)
    options.page_load_strategy = "eager"  # DOMContentLoaded; `load` gets its own cap
    options.accept_insecure_certs = True  # the TLS probe judges certificates, not the render
    options.set_capability("goog:loggingPrefs", {"browser": "SEVERE"})
    if selenium_url:
        connection = ChromiumRemoteConnection(selenium_url, vendor_prefix="goog",
                                              browser_name="chrome")
        driver: WebDriver = webdriver.Remote(command_executor=connection, options=options)
    else:
        from selenium.webdriver.chrome.service import Service

        options.binary_location = chromium_path()
        # the client's own connection to chromedriver on 127.0.0.1 never goes to a proxy (only
        # the browser's requests do); Selenium reads the proxy variables for it otherwise
        with _WARNINGS_LOCK, warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # its successor is for Remote
            options.ignore_local_proxy_environment_variables()
        driver = webdriver.Chrome(options=options, service=Service(chromedriver_path()))
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": BLOCKED_URLS})
        driver.execute_cdp_cmd("Network.setBypassServiceWorker", {"bypass": True})
        _viewport(driver, DESKTOP_VIEWPORT)
    except Exception:
        with suppress(Exception):
            driver.quit()
        raise
    return driver


# -- one render -------------------------------------------------------------------------------


def _viewport(driver: WebDriver, viewport: tuple[int, int]) -> None:
    width, height = viewport
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1,
                            "mobile": False})


def _call(driver: WebDriver, function: str, *args: Any) -> Any:
    """Call one of crawler.render's JavaScript functions (`(args) => ...`) in the page."""
    return driver.execute_script(f"return ({function})(...arguments);", *args)


def _call_async(driver: WebDriver, function: str, *args: Any) -> Any:
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"Promise.resolve(({function})(...Array.prototype.slice.call(arguments, 0, -1)))"
        ".then(done, (e) => done({__error: String(e)}));", *args)


# Playwright's page.content(): the doctype and the document element, serialised.
_CONTENT_JS = """() => {
  let html = '';
  if (document.doctype) html = new XMLSerializer().serializeToString(document.doctype);
  if (document.documentElement) html += document.documentElement.outerHTML;
  return html;
}"""
_LOAD_JS = """(ms) => new Promise((resolve) => {
  if (document.readyState === 'complete') return resolve(true);
  const timer = setTimeout(() => resolve(false), ms);
  window.addEventListener('load', () => { clearTimeout(timer); resolve(true); }, {once: true});
})"""
# No resource finished for 500 ms (Playwright: no request in flight for 500 ms).
_QUIET_JS = """(ms) => new Promise((resolve) => {
  const end = performance.now() + ms;
  let count = performance.getEntriesByType('resource').length, since = performance.now();
  const tick = () => {
    const now = performance.now(), n = performance.getEntriesByType('resource').length;
    if (n !== count) { count = n; since = now; }
    if (now - since >= 500) return resolve(true);
    if (now >= end) return resolve(false);
    setTimeout(tick, 100);
  };
  tick();
})"""
_STATUS_JS = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  return n && n.responseStatus ? n.responseStatus : 0;
}"""


def render_page(driver: WebDriver, url: str, options: dict[str, Any],
                console: list[str]) -> tuple[Capture, int]:
    """Open `url` and gather what the Playwright engine's `capture` gathers, in the same order
    (DOM, desktop screenshot, axe in the desktop viewport, mobile screenshot). Blocking.

    Raises SeleniumRenderError when the document never arrives; a page problem after that
    (a script that breaks axe, a screenshot that fails) gives a Capture with `error` set.
    Returns the Capture and the HTTP status of the document (0 when unknown).
    """
    from selenium.common.exceptions import TimeoutException, WebDriverException

    timings: dict[str, Any] = {"wall_ms": {}}
    wall = timings["wall_ms"]
    _browser_log(driver)  # what an earlier page left in the log is not this page's
    _viewport(driver, DESKTOP_VIEWPORT)
    nav_ms = int(options["navigation_timeout_ms"])
    driver.set_page_load_timeout(nav_ms / 1000)
    step = time.perf_counter()
    try:
        driver.get(url)
    except TimeoutException as exc:
        _take_console(driver, console)
        raise SeleniumRenderError(
            f"TimeoutError: the document did not arrive within {nav_ms}ms (Selenium)") from exc
    except WebDriverException as exc:  # net::ERR_... : the document never came
        _take_console(driver, console)
        message = " ".join((exc.msg or str(exc)).split())
        if _broken(message):
            raise  # the driver is broken, not the page: the pool replaces it
        raise SeleniumRenderError(f"WebDriverException: {message}"[:500]) from exc
    wall["goto"] = _ms_since(step)
    status = 0
    started = time.perf_counter()
    final_url = url
    try:
        final_url = driver.current_url
        status = int(_call(driver, _STATUS_JS) or 0)
        timings["http_status"] = status or None
        timings["engine"] = {"name": ENGINE, "browser": _browser(driver)}
        capture = _capture(driver, final_url, options, console, timings)
    except Exception as exc:  # noqa: BLE001 (a page problem is recorded, not raised)
        _take_console(driver, console)
        wall["capture"] = _ms_since(started)
        return _failed(final_url, _reason(exc), console, timings), status
    return capture, status


def _browser(driver: WebDriver) -> str:
    caps = driver.capabilities
    return f"{caps.get('browserName', '')} {caps.get('browserVersion', '')}".strip()


def _capture(driver: WebDriver, url: str, options: dict[str, Any], console: list[str],
             timings: dict[str, Any]) -> Capture:
    wall = timings["wall_ms"]
    started = time.perf_counter()
    load_ms, settle_ms = int(options["load_timeout_ms"]), int(options["settle_timeout_ms"])
    driver.set_script_timeout(max(load_ms, settle_ms) / 1000 + 10)

    step = time.perf_counter()
    timings["load_timed_out"] = not _call_async(driver, _LOAD_JS, load_ms)
    timings["network_idle"] = False
    if not timings["load_timed_out"] and settle_ms:
        timings["network_idle"] = bool(_call_async(driver, _QUIET_JS, settle_ms))
    wall["settle"] = _ms_since(step)

    step = time.perf_counter()
    dom = _call(driver, _CONTENT_JS) or ""
    found = _call(driver, _LINKS_JS, MAX_LINKS) or []
    links, boxes = _links(found), _boxes(found)
    timings["navigation"] = _call(driver, _NAVIGATION_JS)
    wall["dom"] = _ms_since(step)

    step = time.perf_counter()
    desktop_png, desktop_layout = _screenshot(driver, DESKTOP_VIEWPORT)
    shots = _ms_since(step)

    step = time.perf_counter()
    raw, axe_version = _run_axe(driver, float(options["capture_timeout_s"]))
    wall["axe"] = _ms_since(step)

    step = time.perf_counter()
    mobile_png, mobile_layout = _screenshot(driver, MOBILE_VIEWPORT)
    wall["screenshots"] = round(shots + _ms_since(step), 1)
    timings["layout"] = {"desktop": desktop_layout, "mobile": mobile_layout}
    _viewport(driver, DESKTOP_VIEWPORT)

    _take_console(driver, console)
    wall["capture"] = _ms_since(started)
    wall["render"] = round(wall["goto"] + wall["capture"], 1)
    return Capture(
        url=driver.current_url or url,
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


def _screenshot(driver: WebDriver, viewport: tuple[int, int]) -> tuple[bytes, dict[str, Any]]:
    """As `crawler.render._screenshot`: full page at the viewport's width, cut at the cap."""
    width, height = viewport
    _viewport(driver, viewport)
    size = _call_async(driver, _PAGE_SIZE_JS)
    if not isinstance(size, dict) or "__error" in size:
        raise RuntimeError(f"could not measure the page: {size}")
    page_height = max(int(size["height"]), 1)
    cap = MAX_MOBILE_SCREENSHOT_HEIGHT if width < 800 else MAX_SCREENSHOT_HEIGHT
    shot_height = min(page_height, cap)
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png",
        "clip": {"x": 0, "y": 0, "width": width, "height": shot_height, "scale": 1},
        "captureBeyondViewport": True,
    })
    layout = {
        "viewport": [width, height],
        "page_width": int(size["width"]),
        "page_height": page_height,
        "screenshot_height": shot_height,
        "cut": page_height > shot_height,
    }
    return base64.b64decode(shot["data"]), layout


def _inject_frames(driver: WebDriver, source: str, depth: int = 0) -> None:
    """axe-core in every frame (axe asks each frame's own copy), two levels deep; a frame that
    refuses is skipped (axe gives up on it after AXE_OPTIONS["frameWaitTime"])."""
    from selenium.webdriver.common.by import By

    for index in range(len(driver.find_elements(By.CSS_SELECTOR, "iframe, frame"))):
        try:
            driver.switch_to.frame(index)
        except Exception:  # noqa: BLE001 (detached, navigated away)
            continue
        try:
            driver.execute_script(source)
            if depth < 1:
                _inject_frames(driver, source, depth + 1)
        except Exception:  # noqa: BLE001
            pass
        finally:
            driver.switch_to.parent_frame()


def _run_axe(driver: WebDriver, timeout_s: float) -> tuple[dict[str, Any], str]:
    """axe-core through axe-selenium-python: `Axe.inject` (the top document) and `Axe.run`
    with the Playwright engine's AXE_OPTIONS (as JSON: it is pasted into the script)."""
    from axe_selenium_python import Axe

    axe = Axe(driver)
    driver.set_script_timeout(10)
    _inject_frames(driver, axe_source())
    axe.inject()
    version = driver.execute_script("return window.axe && window.axe.version")
    driver.set_script_timeout(timeout_s)
    raw = axe.run(options=json.dumps(AXE_OPTIONS))
    if not isinstance(raw, dict):
        raise RuntimeError(f"axe-core returned no results ({type(raw).__name__})")
    return raw, str(version or "")


# -- console errors ---------------------------------------------------------------------------

# Chrome's browser log: "URL LINE:COL TEXT" (console-api, javascript), "URL - TEXT" (network).
_LOCATED = re.compile(r"^(?P<url>\S+) (?P<line>\d+):(?P<col>\d+) (?P<text>.*)$", re.DOTALL)
_NETWORK = re.compile(r"^(?P<url>\S+) - (?P<text>.*)$", re.DOTALL)
_DECODER = json.JSONDecoder()


def _browser_log(driver: WebDriver) -> list[dict[str, Any]]:
    """The browser log since the last call (reading it empties it)."""
    try:
        return list(driver.get_log("browser"))  # type: ignore[attr-defined]
    except AttributeError:  # webdriver.Remote: the same endpoint, without the helper
        return list(driver.execute("getLog", {"type": "browser"})["value"])


def _take_console(driver: WebDriver, console: list[str]) -> None:
    with suppress(Exception):
        for entry in _browser_log(driver):
            message = console_message(entry)
            if message:
                _add_error(console, message)


def _console_text(text: str) -> str:
    """Chrome writes console.error's string arguments as JSON strings: `"a" 3 "b"` -> `a 3 b`."""
    parts, rest = [], text.strip()
    while rest:
        if rest.startswith('"'):
            try:
                value, end = _DECODER.raw_decode(rest)
            except ValueError:
                parts.append(rest)
                break
            parts.append(str(value))
            rest = rest[end:].lstrip()
        else:
            token, _, rest = rest.partition(" ")
            parts.append(token)
            rest = rest.lstrip()
    return " ".join(parts)


def console_message(entry: dict[str, Any]) -> str:
    """One browser-log entry in the Playwright engine's words ("" for one to leave out)."""
    if str(entry.get("level", "")).upper() != "SEVERE":
        return ""
    source = str(entry.get("source", ""))
    message = str(entry.get("message", ""))
    if source == "network":
        match = _NETWORK.match(message)
        if not match:
            return f"console.error: {message}"
        resource, text = match.group("url"), match.group("text")
        # Fonts and media we blocked are ours, not the page's; so is the favicon the browser
        # asks for by itself (Playwright's pages never do).
        if "ERR_BLOCKED_BY_CLIENT" in text and _BLOCKED_RE.search(resource):
            return ""
        if urlsplit(resource).path == "/favicon.ico":
            return ""
        return f"console.error: {text} ({resource}:0)"
    match = _LOCATED.match(message)
    url, line, text = (match.group("url"), match.group("line"), match.group("text")) if match \
        else ("", "0", message)
    if source == "javascript" and text.startswith("Uncaught "):
        error = text.removeprefix("Uncaught ")
        if ": " not in error:
            error = f"Error: {error}"
        return f"uncaught {error}"
    where = f" ({url}:{line})" if url else ""
    return f"console.error: {_console_text(text) if source == 'console-api' else text}{where}"
