"""The portal spider: one visit of one city's portal, every fetch recorded with its status.

Focused: the home page, its header/nav/footer links, sitemap entries and links whose words
promise LOSI evidence are fetched before deep archive pages (Scrapy's priority queue orders
them; the page budget is spent at download time, so the best-ranked requests get it).
Polite: robots.txt obeyed (a refusal is recorded), AutoThrottle, a User-Agent with a contact.
Honest: every fetch gets a FetchStatus; challenge pages are `blocked`, never content.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
import statistics
import time
import unicodedata
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure

from crawler.blocking import challenge_reason
from crawler.items import LinkItem, PageItem, PortalDone, ProbeItem
from crawler.middlewares import BudgetError, forbidden_address, resolve
from crawler.probes import probe_tls
from crawler.proxy import proxy_for
from crawler.scope import in_scope
from crawler.status import classify, describe
from crawler.urls import TrapGuard, canonical, is_calendar_like
from losi.types import FetchStatus

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_PROBE_HOPS = 5
MAX_SITEMAPS = 5
MAX_SITEMAP_URLS = 2000
MAX_STYLESHEETS = 10
SECURITY_HEADERS = (
    "strict-transport-security", "content-security-policy", "x-content-type-options",
    "x-frame-options", "referrer-policy", "permissions-policy",
)
_REGION_TAGS = {"header": "header", "nav": "nav", "footer": "footer"}
_REGION_ROLES = {"banner": "header", "navigation": "nav", "contentinfo": "footer"}


def _fold(text: str) -> str:
    if text.isascii():
        return " ".join(text.lower().split())
    text = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def _focus_pattern() -> re.Pattern[str]:
    data = json.loads(resources.files("crawler").joinpath("focus.json").read_text("utf-8"))
    words = sorted({_fold(w) for ws in data["words"].values() for w in ws}, key=len, reverse=True)
    # One alternation, searched once per link: far cheaper than a loop over hundreds of words.
    return re.compile("|".join(re.escape(w) for w in words))


FOCUS = _focus_pattern()


def promising(text: str, url: str) -> bool:
    """Whether a link's words or path promise evidence for some indicator."""
    path = urlsplit(url).path.replace("-", " ").replace("_", " ")
    return FOCUS.search(_fold(f"{text} {path}")) is not None


def _region(element: Any) -> str:
    node = element.getparent()
    while node is not None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _REGION_TAGS:
            return _REGION_TAGS[tag]
        role = (node.get("role") or "").lower()
        if role in _REGION_ROLES:
            return _REGION_ROLES[role]
        node = node.getparent()
    return "body"


def _slot(url: str) -> str:
    """Politeness applies per server: host and port (Scrapy's default key, the host name alone,
    would make every portal of a test world on 127.0.0.1 share one slot)."""
    return urlsplit(url).netloc.lower()


def _headers(message: Any) -> list[tuple[str, str]]:
    return [
        (k.decode("latin-1"), v.decode("latin-1"))
        for k, values in message.headers.items()
        for v in values
    ]


@dataclass
class Portal:
    """One crawl's state inside the batch spider: its seed, budgets, frontier and findings."""

    crawl_id: int
    seed_url: str
    max_pages: int = 100
    max_depth: int = 5
    max_seconds: float = 900
    max_outbound: int = 20
    render_pages: int = 0
    page_timeout: float = 30
    started: float = field(default_factory=time.monotonic)
    pages_fetched: int = 0  # spent by BudgetMiddleware
    outbound_fetched: int = 0
    renders_scheduled: int = 0
    outstanding: int = 0  # requests sent and not yet answered: 0 means this portal is done
    done: bool = False
    seen: set[str] = field(default_factory=set)
    outbound_seen: set[str] = field(default_factory=set)
    links_recorded: set[str] = field(default_factory=set)
    traps: TrapGuard = field(default_factory=TrapGuard)
    trap_skips: dict[str, int] = field(default_factory=dict)
    stopped_by: str = ""
    latencies: list[float] = field(default_factory=list)
    sitemap: dict[str, Any] = field(default_factory=lambda: {"urls": [], "entries": 0, "errors": []})
    sitemaps_requested: int = 0
    done_probes: set[str] = field(default_factory=set)
    # resumed: the sitemaps the stored robots probe named, when the sitemap probe (stored only
    # when the portal is done) was not stored: they are read again
    robots_sitemaps: list[str] | None = None

    def budget_spent(self, which: str) -> None:
        self.stopped_by = self.stopped_by or f"{which} budget spent"

    # The state changes below are methods so that the Redis mode (crawler/distributed.py) can
    # make each one atomic across worker processes; here they are plain Python. (There, a
    # request's `losi_claim` meta names what it claims, taken when the request is queued.)
    def claim(self, url: str) -> bool:
        """Mark a URL as queued; False when it already was."""
        if url in self.seen:
            return False
        self.seen.add(url)
        return True

    def claim_outbound(self, url: str) -> bool:
        if url in self.outbound_seen or len(self.outbound_seen) >= 3 * self.max_outbound:
            return False
        self.outbound_seen.add(url)
        return True

    def skip_trap(self, trap: str) -> None:
        self.trap_skips[trap] = self.trap_skips.get(trap, 0) + 1

    def take_render(self) -> bool:
        if self.renders_scheduled >= self.render_pages:
            return False
        self.renders_scheduled += 1
        return True

    def take_sitemap(self, limit: int) -> bool:
        if self.sitemaps_requested >= limit or "sitemap" in self.done_probes:
            return False
        self.sitemaps_requested += 1
        return True

    def sitemap_entry(self) -> int:
        self.sitemap["entries"] += 1
        return int(self.sitemap["entries"])

    def final_probes(self) -> dict[str, dict[str, Any]]:
        """Probes only known at the end, stored by the pipeline when the portal is done."""
        probes: dict[str, dict[str, Any]] = {}
        if self.latencies:
            ordered = sorted(self.latencies)
            probes["timing"] = {
                "pages": len(ordered),
                "median_s": round(statistics.median(ordered), 4),
                "p90_s": round(ordered[int(0.9 * (len(ordered) - 1))], 4),
                "max_s": round(ordered[-1], 4),
            }
        if self.sitemaps_requested and "sitemap" not in self.done_probes:
            probes["sitemap"] = {
                "sitemaps": self.sitemap["urls"],
                "entries": self.sitemap["entries"],
                "errors": self.sitemap["errors"],
                "found": self.sitemap["entries"] > 0,
            }
        return probes


def _portal_callback(method: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a callback or errback: route it to its portal, and notice when the portal is done."""

    def sync_wrapper(self: PortalSpider, arg: Any) -> Iterator[Any]:
        portal = self._portal(_meta(arg)["losi_crawl"])
        if self.shared is not None:
            yield from self.shared.wrap(self, portal, arg, method(self, portal, arg) or ())
            return
        try:
            for out in method(self, portal, arg) or ():
                yield self._track(portal, out)
        finally:
            portal.outstanding -= 1
        yield from self._maybe_done(portal)

    async def async_wrapper(self: PortalSpider, arg: Any) -> AsyncIterator[Any]:
        portal = self._portal(_meta(arg)["losi_crawl"])
        if self.shared is not None:
            async for out in self.shared.wrap_async(self, portal, arg, method(self, portal, arg)):
                yield out
            return
        try:
            async for out in method(self, portal, arg):
                yield self._track(portal, out)
        finally:
            portal.outstanding -= 1
        for out in self._maybe_done(portal):
            yield out

    wrapper = async_wrapper if inspect.isasyncgenfunction(method) else sync_wrapper
    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


def _meta(arg: Any) -> dict[str, Any]:
    return arg.request.meta  # a Response or a Failure: both carry their request


class PortalSpider(scrapy.Spider):
    """Crawls a batch of portals (one crawl each) in one Scrapy crawler: one downloader, so
    concurrency is global and politeness per host, and one browser for every render."""

    name = "portal"

    def __init__(self, crawls: list[dict[str, Any]] | None = None, resume: bool | str = False,
                 redis: str | None = None, redis_prefix: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.resume = str(resume).lower() in ("1", "true", "yes")
        # The Redis mode (`losi crawl --redis`, crawler/distributed.py): portal state lives in
        # Redis, shared by every worker of the crawl. None: this process is the whole crawl.
        self.shared: Any = None
        if redis:
            from crawler.distributed import SharedState

            self.shared = SharedState(redis, redis_prefix)
        self.portals: dict[int, Portal] = {}
        for spec in crawls or []:
            if self.shared is not None:
                portal = self.shared.portal(spec)
                self.portals[portal.crawl_id] = portal
                continue
            known = {f for f in Portal.__dataclass_fields__ if f in spec}
            portal = Portal(**{k: spec[k] for k in known})
            portal.seed_url = canonical(portal.seed_url)
            self.portals[portal.crawl_id] = portal
        self.started = time.monotonic()

    def _portal(self, crawl_id: int) -> Portal:
        portal = self.portals.get(crawl_id)
        if portal is None and self.shared is not None:
            portal = self.portals[crawl_id] = self.shared.load_portal(crawl_id)
        if portal is None:
            raise KeyError(crawl_id)
        return portal

    # -- bookkeeping ------------------------------------------------------------------------
    def _track(self, portal: Portal, out: Any) -> Any:
        if isinstance(out, scrapy.Request):
            out.meta["losi_crawl"] = portal.crawl_id
            if self.shared is not None:
                return self.shared.track(portal, out)
            portal.outstanding += 1
        else:
            out.crawl_id = portal.crawl_id
        return out

    def _maybe_done(self, portal: Portal) -> Iterator[Any]:
        if self.shared is not None:
            return  # the worker whose acknowledgement empties the portal closes it
        if portal.outstanding == 0 and not portal.done:
            portal.done = True
            yield PortalDone(portal.crawl_id, finished=True)

    def unfinished(self) -> list[Portal]:
        return [p for p in self.portals.values() if not p.done]

    # -- start ------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        if self.shared is not None:
            async for out in self.shared.start(self):  # one worker starts each portal
                yield out
            return
        for portal in list(self.portals.values()):
            async for out in self._start_portal(portal):
                yield self._track(portal, out)
            for out in self._maybe_done(portal):
                yield out

    async def _start_portal(self, portal: Portal) -> AsyncIterator[Any]:
        if self.resume:
            for request in self._resume_requests(portal):
                yield request
        if "tls" not in portal.done_probes:
            yield ProbeItem("tls", await self._tls_probe(portal))
        if "http-redirect" not in portal.done_probes:
            request = self._probe_request(self._http_version(portal.seed_url), [])
            request.meta["losi_claim"] = ("claims", "http-redirect")
            yield request
        if "robots" not in portal.done_probes:
            yield scrapy.Request(
                urljoin(portal.seed_url, "/robots.txt"), callback=self.parse_robots,
                errback=self.robots_failed, dont_filter=True,
                meta={"dont_obey_robotstxt": True, "handle_httpstatus_all": True, "losi_kind": "robots",
                      "losi_claim": ("claims", "robots")},
            )
        elif portal.robots_sitemaps is not None:
            # robots.txt was read before the interruption, its sitemaps maybe not: their
            # entries are not in the frontier rebuilt from the stored pages
            for url in portal.robots_sitemaps or [urljoin(portal.seed_url, "/sitemap.xml")]:
                for request in self._sitemap_request(portal, url):
                    yield request
        request = self._page_request(portal, portal.seed_url, depth=0, referrer="", priority=1000)
        if request is not None:
            yield request
            if portal.render_pages > 0:
                for render in self._render_request(portal, portal.seed_url, 0, ""):
                    yield render

    async def _tls_probe(self, portal: Portal) -> dict[str, Any]:
        parts = urlsplit(portal.seed_url)
        host = parts.hostname or ""
        port = parts.port if parts.scheme == "https" and parts.port else 443
        # Behind a proxy (https_proxy, unless no_proxy names the host), through it as Scrapy's
        # requests go: a CONNECT tunnel (crawler/proxy.py).
        netloc = f"[{host}]" if ":" in host else host
        proxy = proxy_for(f"https://{netloc}:{port}/")
        if not self.settings.getbool("LOSI_ALLOW_PRIVATE"):
            try:
                addresses = await resolve(host, port)
            except OSError as exc:
                addresses = []
                if not proxy:  # a host only the proxy resolves is the proxy's to reach
                    return {"host": host, "port": port, "reachable": None, "valid": False,
                            "summary": f"DNS lookup failed: {exc}"}
            if any(forbidden_address(ip) for ip in addresses):
                return {"host": host, "port": port, "reachable": None, "valid": False,
                        "summary": f"refused: {host} resolves to a non-public address"}
        # A blocking stdlib handshake in a worker thread: it verifies like a browser would.
        return await asyncio.to_thread(probe_tls, host, port, proxy=proxy)

    def _resume_requests(self, portal: Portal) -> Iterator[scrapy.Request]:
        """Rebuild the frontier from what the archive already holds: nothing is fetched twice."""
        from sqlalchemy import select

        from storage.archive import read_response
        from storage.db import make_engine, session_factory
        from storage.models import Crawl, Page, Probe

        engine = make_engine(self.settings.get("LOSI_DATABASE_URL"))
        with session_factory(engine)() as session:
            crawl = session.get(Crawl, portal.crawl_id)
            assert crawl is not None
            probes = dict(session.execute(select(Probe.name, Probe.data).where(
                Probe.crawl_id == portal.crawl_id)).tuples().all())
            portal.done_probes = set(probes)
            if "robots" in probes and "sitemap" not in probes:
                portal.robots_sitemaps = list((probes["robots"] or {}).get("sitemaps") or [])
            pages = list(session.scalars(select(Page).where(Page.crawl_id == portal.crawl_id)))
            warc = Path(crawl.warc_path)
        engine.dispose()
        html_pages = []
        for page in pages:
            if page.kind == "outbound":
                portal.outbound_seen.add(page.url)
                portal.outbound_fetched += 1
                continue
            portal.seen.add(page.url)
            # the page budget is spent by pages only: the home page's stylesheets (assets) and
            # robots.txt refusals never spent it (BudgetMiddleware)
            if page.kind == "portal" and page.fetch_status != FetchStatus.ROBOTS_DISALLOWED.value:
                portal.pages_fetched += 1
            if page.fetch_status == FetchStatus.OK.value and page.warc_offset is not None:
                html_pages.append(page)
        for page in html_pages:
            if page.depth >= portal.max_depth:
                continue
            stored = read_response(warc, page.warc_offset)
            response = scrapy.http.HtmlResponse(
                page.final_url or page.url, body=stored.body, status=stored.status,
                headers=dict(stored.headers),
            )
            for item in self._follow_links(portal, response, page.depth):
                if isinstance(item, scrapy.Request):
                    yield item

    # -- requests ---------------------------------------------------------------------------
    @staticmethod
    def _priority(url: str, depth: int, text: str, region: str, from_sitemap: bool) -> int:
        priority = 100 - 10 * depth
        if region != "body":
            priority += 20
        if promising(text, url):
            priority += 30
        if from_sitemap:
            priority += 15
        if urlsplit(url).query or is_calendar_like(url):
            priority -= 20
        return priority

    def _page_request(self, portal: Portal, url: str, depth: int, referrer: str,
                      priority: int) -> scrapy.Request | None:
        url = canonical(url)
        if url in portal.seen:
            return None
        trap = portal.traps.why_skip(url)
        if trap:
            portal.skip_trap(trap)
            return None
        if not portal.claim(url):
            return None
        # dont_filter: `portal.seen` already deduplicates requests, and Scrapy's filter would
        # silently drop a redirect that lands on a page already fetched, losing the requested URL.
        return scrapy.Request(
            url,
            callback=self.parse,
            errback=self.failed,
            priority=priority,
            dont_filter=True,
            meta={"losi_depth": depth, "losi_referrer": referrer, "losi_kind": "page",
                  "download_timeout": portal.page_timeout, "download_slot": _slot(url),
                  "losi_claim": ("seen", url)},
            headers={"Referer": referrer} if referrer else None,
        )

    def _render_request(self, portal: Portal, url: str, depth: int, referrer: str) -> Iterator[scrapy.Request]:
        if not portal.take_render():
            return
        if self.settings.get("LOSI_RENDER_ENGINE") == "selenium":
            from crawler.render_selenium import render_request
        else:
            from crawler.render import render_request

        request = render_request(
            url, callback=self.parse_rendered, errback=self.render_failed,
            meta={"losi_depth": depth, "losi_referrer": referrer, "losi_kind": "render",
                  "losi_crawl": portal.crawl_id, "losi_claim": ("claims", f"render {url}")},
        )
        # Ahead of plain pages: renders are slow, so they must overlap the plain crawl rather
        # than queue up behind it and run alone at the end.
        yield request.replace(priority=500)

    @staticmethod
    def _http_version(url: str) -> str:
        parts = urlsplit(url)
        netloc = parts.hostname or ""
        if parts.port and parts.scheme == "http":
            netloc = f"{netloc}:{parts.port}"
        return urlunsplit(("http", netloc, "/", "", ""))

    def _probe_request(self, url: str, chain: list[str]) -> scrapy.Request:
        # Redirects are followed by hand so that every hop is recorded.
        return scrapy.Request(
            url,
            callback=self.parse_probe,
            errback=self.probe_failed,
            dont_filter=True,
            meta={"dont_redirect": True, "handle_httpstatus_all": True, "chain": [*chain, url],
                  "losi_kind": "probe"},
        )

    # -- pages ------------------------------------------------------------------------------
    @_portal_callback
    def parse(self, portal: Portal, response: Response) -> Iterator[Any]:
        depth = response.meta["losi_depth"]
        kind = {"outbound": "outbound", "asset": "asset"}.get(response.meta.get("losi_kind", ""), "portal")
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        is_html = isinstance(response, TextResponse) and (
            any(t in content_type.lower() for t in HTML_TYPES)
            or (not content_type and isinstance(response, scrapy.http.HtmlResponse))
        )
        headers = dict(_headers(response))
        blocked = challenge_reason(response.status, headers, response.body)
        if blocked:
            status, error = FetchStatus.BLOCKED, blocked
        elif response.status >= 400:
            status, error = FetchStatus.HTTP_ERROR, ""
        elif not is_html:
            status, error = FetchStatus.NOT_HTML, ""
        else:
            status, error = FetchStatus.OK, ""
        latency = response.meta.get("download_latency")
        if latency is not None:
            portal.latencies.append(float(latency))
        requested = response.request.meta.get("redirect_urls", [response.url])[0]
        yield PageItem(
            url=canonical(requested),
            final_url=response.url,
            fetch_status=status.value,
            depth=depth,
            kind=kind,
            referrer=response.meta.get("losi_referrer", ""),
            http_status=response.status,
            protocol=response.protocol or "HTTP/1.1",
            headers=_headers(response),
            request_headers=_headers(response.request),
            content_type=content_type,
            body=response.body,
            size=len(response.body),
            error=error,
            latency=latency,
        )
        if depth == 0 and kind == "portal" and "security-headers" not in portal.done_probes:
            portal.done_probes.add("security-headers")
            lowered = {k.lower(): v for k, v in headers.items()}
            yield ProbeItem("security-headers", {
                "url": response.url,
                "headers": {h: lowered.get(h, "") for h in SECURITY_HEADERS},
                "present": [h for h in SECURITY_HEADERS if lowered.get(h)],
                "server": lowered.get("server", ""),
            })
        if status is not FetchStatus.OK or kind != "portal":
            return
        if depth == 0:
            yield from self._stylesheets(portal, response)
        if depth >= portal.max_depth:
            return
        # The key pages rendered besides the home: the home's most promising links, whether
        # this fetch queues them or the home's render already did (its links are crawled too,
        # and it may be parsed first).
        candidates: list[tuple[int, str]] | None = (
            [] if depth == 0 and portal.render_pages > 1 else None)
        yield from self._follow_links(portal, response, depth, candidates)
        if candidates:
            home = canonical(response.url)
            ranked = sorted({url: -priority for priority, url in candidates
                             if url != home}.items(), key=lambda kv: (kv[1], kv[0]))
            for url, _ in ranked[: portal.render_pages - 1]:
                yield from self._render_request(portal, url, 1, response.url)

    def _follow_links(self, portal: Portal, response: Response, depth: int,
                      candidates: list[tuple[int, str]] | None = None) -> Iterator[Any]:
        """Requests for the page's new links (in scope: pages; outside: one hop) and link items.
        With `candidates`, every in-scope link's (priority, URL) is also put there, queued
        before or not: the home page's choice of key pages to render."""
        assert isinstance(response, TextResponse)
        root = response.selector.root
        if not hasattr(root, "iter"):
            return
        resolved: dict[str, str] = {}  # href -> canonical URL, within this page
        for element in root.iter("a", "area"):
            href = (element.get("href") or "").strip()
            if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
                continue
            url = resolved.get(href)
            if url is None:
                url = resolved[href] = canonical(response.urljoin(href))
            if not url.startswith(("http://", "https://")):
                continue
            # Most links of a page point to pages already queued (or, outside, already recorded):
            # skip them before the costly part.
            known = url in portal.seen or url in portal.links_recorded
            if known and (candidates is None or url in portal.links_recorded):
                continue
            inside = in_scope(url, portal.seed_url)
            text = " ".join(element.text_content().split()) if element.tag == "a" else (element.get("alt") or "")
            label = " ".join(filter(None, (text, element.get("title"), element.get("aria-label"))))
            region = _region(element)
            if inside and candidates is not None:
                candidates.append((self._priority(url, depth + 1, label, region, False), url))
            if known:
                continue
            if inside:
                request = self._page_request(
                    portal, url, depth + 1, response.url,
                    self._priority(url, depth + 1, label, region, False))
                if request is not None:
                    yield request
            else:
                yield from self._outbound(portal, url, label, region, response.url, depth)

    def _stylesheets(self, portal: Portal, response: Response) -> Iterator[scrapy.Request]:
        """The home page's stylesheets, archived as assets: CSS validity (#209) needs them."""
        assert isinstance(response, TextResponse)
        hrefs = response.xpath(
            "//link[contains(concat(' ', normalize-space(translate(@rel, 'STYLESHEET', 'stylesheet')), ' '),"
            " ' stylesheet ')]/@href").getall()
        for href in list(dict.fromkeys(hrefs))[:MAX_STYLESHEETS]:
            url = canonical(response.urljoin(href.strip()))
            if url.startswith(("http://", "https://")) and portal.claim(url):
                yield scrapy.Request(
                    url, callback=self.parse, errback=self.failed, dont_filter=True, priority=900,
                    meta={"losi_depth": 1, "losi_referrer": response.url, "losi_kind": "asset",
                          "download_timeout": portal.page_timeout, "download_slot": _slot(url),
                          "losi_claim": ("seen", url)},
                )

    def _outbound(self, portal: Portal, url: str, label: str, region: str, from_url: str,
                  depth: int) -> Iterator[Any]:
        url = canonical(url)
        # Recorded once per portal, where first seen: the header or footer of every page
        # repeats the same links, and one row per repetition would say nothing more.
        portal.links_recorded.add(url)
        yield LinkItem(from_url=from_url, to_url=url, text=label[:1000], position=region)
        # Fetched one hop (never followed further): LOSI counts services a portal links to.
        if not portal.claim_outbound(url):
            return
        priority = 40 - 10 * depth + (30 if promising(label, url) else 0)
        yield scrapy.Request(
            url, callback=self.parse, errback=self.failed, priority=priority, dont_filter=True,
            meta={"losi_depth": depth + 1, "losi_referrer": from_url, "losi_kind": "outbound",
                  "download_timeout": portal.page_timeout, "download_slot": _slot(url),
                  "losi_claim": ("outbound", url)},
        )

    @_portal_callback
    def failed(self, portal: Portal, failure: Failure) -> Iterator[PageItem]:
        if failure.check(BudgetError):
            return
        request = failure.request  # type: ignore[attr-defined]
        status = classify(failure.value)
        yield PageItem(
            url=canonical(request.meta.get("redirect_urls", [request.url])[0]),
            fetch_status=status.value,
            depth=request.meta.get("losi_depth", 0),
            kind={"outbound": "outbound", "asset": "asset"}.get(request.meta.get("losi_kind", ""), "portal"),
            referrer=request.meta.get("losi_referrer", ""),
            error=describe(failure.value),
        )

    # -- renders ----------------------------------------------------------------------------
    @_portal_callback
    async def parse_rendered(self, portal: Portal, response: Response) -> AsyncIterator[Any]:
        if response.meta.get("losi_selenium"):
            from crawler.render_selenium import capture
        else:
            from crawler.render import capture

        result = await capture(response)
        yield result.to_item(response.meta.get("losi_render_url", response.url))
        # Navigation that exists only after JavaScript is still crawled through.
        depth = response.meta.get("losi_depth", 0)
        if depth >= portal.max_depth or result.error:
            return
        for link in result.links:
            url = urljoin(response.url, link.url)
            if in_scope(url, portal.seed_url):
                request = self._page_request(portal, url, depth + 1, response.url,
                                             self._priority(url, depth + 1, link.text, "nav", False))
                if request is not None:
                    yield request

    @_portal_callback
    async def render_failed(self, portal: Portal, failure: Failure) -> AsyncIterator[Any]:
        from crawler.render import capture_failure

        request = failure.request  # type: ignore[attr-defined]
        yield (await capture_failure(failure)).to_item(request.meta.get("losi_render_url", request.url))

    # -- probes -----------------------------------------------------------------------------
    @_portal_callback
    def parse_probe(self, portal: Portal, response: Response) -> Iterator[Any]:
        chain = response.meta["chain"]
        location = response.headers.get("Location", b"").decode("latin-1")
        if 300 <= response.status < 400 and location and len(chain) <= MAX_PROBE_HOPS:
            yield self._probe_request(response.urljoin(location), chain)
            return
        final = chain[-1]
        https = urlsplit(final).scheme == "https" and response.status < 400
        hops = " -> ".join(chain)
        yield ProbeItem(
            "http-redirect",
            {
                "start_url": chain[0],
                "chain": chain,
                "final_status": response.status,
                "reachable": True,
                "redirects_to_https": https and len(chain) > 1,
                "hsts": response.headers.get("Strict-Transport-Security", b"").decode("latin-1"),
                "summary": (
                    f"{hops} answered HTTP {response.status}"
                    + (" over HTTPS" if https else ", never reaching HTTPS")
                ),
            },
        )

    @_portal_callback
    def probe_failed(self, portal: Portal, failure: Failure) -> Iterator[ProbeItem]:
        chain = failure.request.meta["chain"]  # type: ignore[attr-defined]
        status = classify(failure.value)
        # Refused on plain HTTP is a definite answer (no HTTP service); a timeout is not.
        definite = status in (FetchStatus.CONNECTION_ERROR, FetchStatus.TLS_ERROR)
        yield ProbeItem(
            "http-redirect",
            {
                "start_url": chain[0],
                "chain": chain,
                "reachable": True if definite else None,
                "redirects_to_https": False,
                "summary": f"{chain[-1]} failed: {describe(failure.value)}",
            },
        )

    @_portal_callback
    def parse_robots(self, portal: Portal, response: Response) -> Iterator[Any]:
        text = response.body[:500_000].decode("utf-8", "replace") if response.status < 400 else ""
        sitemaps = list(sitemap_urls_from_robots(text, base_url=response.url)) if text else []
        yield ProbeItem("robots", {
            "url": response.url,
            "status": response.status,
            "found": response.status < 400 and bool(text.strip()),
            "sitemaps": sitemaps,
            "disallow_rules": sum(1 for line in text.splitlines()
                                  if line.strip().lower().startswith("disallow:")
                                  and line.split(":", 1)[1].strip()),
            "text": text[:20_000],
        })
        for url in sitemaps or [urljoin(portal.seed_url, "/sitemap.xml")]:
            yield from self._sitemap_request(portal, url)

    @_portal_callback
    def robots_failed(self, portal: Portal, failure: Failure) -> Iterator[Any]:
        yield ProbeItem("robots", {"found": False, "status": None, "sitemaps": [],
                                   "error": describe(failure.value)})
        yield from self._sitemap_request(portal, urljoin(portal.seed_url, "/sitemap.xml"))

    def _sitemap_request(self, portal: Portal, url: str) -> Iterator[scrapy.Request]:
        if not portal.take_sitemap(MAX_SITEMAPS):
            return
        yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.sitemap_failed,
                             dont_filter=True,
                             meta={"handle_httpstatus_all": True, "losi_kind": "sitemap",
                                   "losi_claim": ("claims", f"sitemap {url}")})

    @_portal_callback
    def parse_sitemap(self, portal: Portal, response: Response) -> Iterator[Any]:
        if response.status >= 400:
            portal.sitemap["errors"].append(f"{response.url}: HTTP {response.status}")
            return
        try:
            sitemap = Sitemap(response.body)
        except Exception as exc:  # lxml refuses what is not XML: record, do not crash
            portal.sitemap["errors"].append(f"{response.url}: {describe(exc)}")
            return
        portal.sitemap["urls"].append(response.url)
        for entry in sitemap:
            loc = (entry.get("loc") or "").strip()
            if not loc:
                continue
            if sitemap.type == "sitemapindex":
                yield from self._sitemap_request(portal, loc)
                continue
            if portal.sitemap_entry() > MAX_SITEMAP_URLS or not in_scope(loc, portal.seed_url):
                continue
            request = self._page_request(portal, loc, 1, response.url,
                                         self._priority(loc, 1, "", "body", True))
            if request is not None:
                yield request

    @_portal_callback
    def sitemap_failed(self, portal: Portal, failure: Failure) -> Iterator[Any]:
        portal.sitemap["errors"].append(
            f"{failure.request.url}: {describe(failure.value)}")  # type: ignore[attr-defined]
        return iter(())
