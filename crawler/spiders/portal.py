"""The portal spider: one visit of one city's portal, every fetch recorded with its status.

Focused: the home page, its header/nav/footer links, sitemap entries and links whose words
promise LOSI evidence are fetched before deep archive pages (Scrapy's priority queue orders
them; the page budget is spent at download time, so the best-ranked requests get it).
Polite: robots.txt obeyed (a refusal is recorded), AutoThrottle, a User-Agent with a contact.
Honest: every fetch gets a FetchStatus; challenge pages are `blocked`, never content.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
import unicodedata
from collections.abc import AsyncIterator, Iterator
from importlib import resources
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure

from crawler.blocking import challenge_reason
from crawler.items import LinkItem, PageItem, ProbeItem
from crawler.middlewares import BudgetError, forbidden_address, resolve
from crawler.probes import probe_tls
from crawler.scope import in_scope
from crawler.status import classify, describe
from crawler.urls import TrapGuard, canonical, is_calendar_like
from losi.types import FetchStatus

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_PROBE_HOPS = 5
MAX_SITEMAPS = 5
MAX_SITEMAP_URLS = 2000
SECURITY_HEADERS = (
    "strict-transport-security", "content-security-policy", "x-content-type-options",
    "x-frame-options", "referrer-policy", "permissions-policy",
)
_REGION_TAGS = {"header": "header", "nav": "nav", "footer": "footer"}
_REGION_ROLES = {"banner": "header", "navigation": "nav", "contentinfo": "footer"}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def _focus_words() -> tuple[str, ...]:
    data = json.loads(resources.files("crawler").joinpath("focus.json").read_text("utf-8"))
    return tuple(sorted({_fold(w) for words in data["words"].values() for w in words}))


FOCUS_WORDS = _focus_words()


def promising(text: str, url: str) -> bool:
    """Whether a link's words or path promise evidence for some indicator."""
    haystack = f"{_fold(text)} {_fold(urlsplit(url).path.replace('-', ' ').replace('_', ' '))}"
    return any(word in haystack for word in FOCUS_WORDS)


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


def _headers(message: Any) -> list[tuple[str, str]]:
    return [
        (k.decode("latin-1"), v.decode("latin-1"))
        for k, values in message.headers.items()
        for v in values
    ]


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(
        self,
        crawl_id: int | str,
        seed_url: str,
        max_pages: int | str = 100,
        max_depth: int | str = 5,
        max_seconds: float | str = 900,
        max_outbound: int | str = 20,
        render_pages: int | str = 0,
        page_timeout: float | str = 30,
        resume: bool | str = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.crawl_id = int(crawl_id)
        self.seed_url = canonical(seed_url)
        self.max_pages = int(max_pages)
        self.max_depth = int(max_depth)
        self.max_seconds = float(max_seconds)
        self.max_outbound = int(max_outbound)
        self.render_pages = int(render_pages)
        self.page_timeout = float(page_timeout)
        self.resume = str(resume).lower() in ("1", "true", "yes")
        self.started = time.monotonic()
        self.pages_fetched = 0  # spent by BudgetMiddleware
        self.outbound_fetched = 0
        self.renders_scheduled = 0
        self.seen: set[str] = set()
        self.outbound_seen: set[str] = set()
        self.traps = TrapGuard()
        self.trap_skips: dict[str, int] = {}
        self.stopped_by = ""
        self.latencies: list[float] = []
        self.sitemap: dict[str, Any] = {"urls": [], "entries": 0, "errors": []}
        self.sitemaps_requested = 0
        self.done_probes: set[str] = set()

    # -- budgets ----------------------------------------------------------------------------
    def budget_spent(self, which: str) -> None:
        self.stopped_by = self.stopped_by or f"{which} budget spent"

    def final_probes(self) -> dict[str, dict[str, Any]]:
        """Probes only known at the end, stored by the pipeline when the spider closes."""
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

    # -- start ------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        if self.resume:
            for request in self._resume_requests():
                yield request
        if "tls" not in self.done_probes:
            yield ProbeItem("tls", await self._tls_probe())
        if "http-redirect" not in self.done_probes:
            yield self._probe_request(self._http_version(self.seed_url), [])
        if "robots" not in self.done_probes:
            yield scrapy.Request(
                urljoin(self.seed_url, "/robots.txt"), callback=self.parse_robots,
                errback=self.robots_failed, dont_filter=True,
                meta={"dont_obey_robotstxt": True, "handle_httpstatus_all": True, "losi_kind": "robots"},
            )
        request = self._page_request(self.seed_url, depth=0, referrer="", priority=1000)
        if request is not None:
            yield request
            if self.render_pages > 0:
                for render in self._render_request(self.seed_url, 0, ""):
                    yield render

    async def _tls_probe(self) -> dict[str, Any]:
        parts = urlsplit(self.seed_url)
        host = parts.hostname or ""
        port = parts.port if parts.scheme == "https" and parts.port else 443
        if not self.settings.getbool("LOSI_ALLOW_PRIVATE"):
            try:
                addresses = await resolve(host, port)
            except OSError as exc:
                return {"host": host, "port": port, "reachable": None, "valid": False,
                        "summary": f"DNS lookup failed: {exc}"}
            if any(forbidden_address(ip) for ip in addresses):
                return {"host": host, "port": port, "reachable": None, "valid": False,
                        "summary": f"refused: {host} resolves to a non-public address"}
        # A blocking stdlib handshake in a worker thread: it verifies like a browser would.
        return await asyncio.to_thread(probe_tls, host, port)

    def _resume_requests(self) -> Iterator[scrapy.Request]:
        """Rebuild the frontier from what the archive already holds: nothing is fetched twice."""
        from sqlalchemy import select

        from storage.archive import read_response
        from storage.db import make_engine, session_factory
        from storage.models import Crawl, Page, Probe

        engine = make_engine(self.settings.get("LOSI_DATABASE_URL"))
        with session_factory(engine)() as session:
            crawl = session.get(Crawl, self.crawl_id)
            assert crawl is not None
            self.done_probes = set(session.scalars(select(Probe.name).where(Probe.crawl_id == self.crawl_id)))
            pages = list(session.scalars(select(Page).where(Page.crawl_id == self.crawl_id)))
            warc = crawl.warc_path
        engine.dispose()
        html_pages = []
        for page in pages:
            if page.kind == "outbound":
                self.outbound_seen.add(page.url)
                self.outbound_fetched += 1
                continue
            self.seen.add(page.url)
            if page.fetch_status not in (FetchStatus.ROBOTS_DISALLOWED.value,):
                self.pages_fetched += 1
            if page.fetch_status == FetchStatus.OK.value and page.warc_offset is not None:
                html_pages.append(page)
        for page in html_pages:
            if page.depth >= self.max_depth:
                continue
            stored = read_response(__import__("pathlib").Path(warc), page.warc_offset)
            response = scrapy.http.HtmlResponse(
                page.final_url or page.url, body=stored.body, status=stored.status,
                headers={k: v for k, v in stored.headers},
            )
            for item in self._follow_links(response, page.depth):
                if isinstance(item, scrapy.Request):
                    yield item

    # -- requests ---------------------------------------------------------------------------
    def _priority(self, url: str, depth: int, text: str, region: str, from_sitemap: bool) -> int:
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

    def _page_request(self, url: str, depth: int, referrer: str, priority: int) -> scrapy.Request | None:
        url = canonical(url)
        if url in self.seen:
            return None
        trap = self.traps.why_skip(url)
        if trap:
            self.trap_skips[trap] = self.trap_skips.get(trap, 0) + 1
            return None
        self.seen.add(url)
        # dont_filter: `self.seen` already deduplicates requests, and Scrapy's filter would
        # silently drop a redirect that lands on a page already fetched, losing the requested URL.
        return scrapy.Request(
            url,
            callback=self.parse,
            errback=self.failed,
            priority=priority,
            dont_filter=True,
            meta={"losi_depth": depth, "losi_referrer": referrer, "losi_kind": "page",
                  "download_timeout": self.page_timeout},
            headers={"Referer": referrer} if referrer else None,
        )

    def _render_request(self, url: str, depth: int, referrer: str) -> Iterator[scrapy.Request]:
        if self.renders_scheduled >= self.render_pages:
            return
        from crawler.render import render_request

        self.renders_scheduled += 1
        yield render_request(
            url, callback=self.parse_rendered, errback=self.render_failed,
            meta={"losi_depth": depth, "losi_referrer": referrer, "losi_kind": "render"},
        )

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
    def parse(self, response: Response) -> Iterator[Any]:
        depth = response.meta["losi_depth"]
        kind = "outbound" if response.meta.get("losi_kind") == "outbound" else "portal"
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
            self.latencies.append(float(latency))
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
        if depth == 0 and kind == "portal" and "security-headers" not in self.done_probes:
            self.done_probes.add("security-headers")
            lowered = {k.lower(): v for k, v in headers.items()}
            yield ProbeItem("security-headers", {
                "url": response.url,
                "headers": {h: lowered.get(h, "") for h in SECURITY_HEADERS},
                "present": [h for h in SECURITY_HEADERS if lowered.get(h)],
                "server": lowered.get("server", ""),
            })
        if status is not FetchStatus.OK or kind == "outbound" or depth >= self.max_depth:
            return
        followed = list(self._follow_links(response, depth))
        yield from followed
        if depth == 0 and self.render_pages > 1:
            # The key pages rendered besides the home: the home's most promising links.
            pages = sorted((r for r in followed if isinstance(r, scrapy.Request)
                            and r.meta.get("losi_kind") == "page"), key=lambda r: -r.priority)
            for request in pages[: self.render_pages - 1]:
                yield from self._render_request(request.url, 1, response.url)

    def _follow_links(self, response: Response, depth: int) -> Iterator[Any]:
        assert isinstance(response, TextResponse)
        root = response.selector.root
        if not hasattr(root, "iter"):
            return
        for element in root.iter("a", "area"):
            href = (element.get("href") or "").strip()
            if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
                continue
            url = response.urljoin(href)
            if urlsplit(url).scheme not in ("http", "https"):
                continue
            text = " ".join(element.text_content().split()) if element.tag == "a" else (element.get("alt") or "")
            label = " ".join(filter(None, (text, element.get("title"), element.get("aria-label"))))
            region = _region(element)
            if in_scope(url, self.seed_url):
                request = self._page_request(
                    url, depth + 1, response.url, self._priority(url, depth + 1, label, region, False))
                if request is not None:
                    yield request
            else:
                yield from self._outbound(url, label, region, response.url, depth)

    def _outbound(self, url: str, label: str, region: str, from_url: str, depth: int) -> Iterator[Any]:
        url = canonical(url)
        yield LinkItem(from_url=from_url, to_url=url, text=label[:1000], position=region)
        # Fetched one hop (never followed further): LOSI counts services a portal links to.
        if url in self.outbound_seen or len(self.outbound_seen) >= 3 * self.max_outbound:
            return
        self.outbound_seen.add(url)
        priority = 40 - 10 * depth + (30 if promising(label, url) else 0)
        yield scrapy.Request(
            url, callback=self.parse, errback=self.failed, priority=priority,
            meta={"losi_depth": depth + 1, "losi_referrer": from_url, "losi_kind": "outbound",
                  "download_timeout": self.page_timeout},
        )

    def failed(self, failure: Failure) -> Iterator[PageItem]:
        if failure.check(BudgetError):
            return
        request = failure.request  # type: ignore[attr-defined]
        status = classify(failure.value)
        yield PageItem(
            url=canonical(request.meta.get("redirect_urls", [request.url])[0]),
            fetch_status=status.value,
            depth=request.meta.get("losi_depth", 0),
            kind="outbound" if request.meta.get("losi_kind") == "outbound" else "portal",
            referrer=request.meta.get("losi_referrer", ""),
            error=describe(failure.value),
        )

    # -- renders ----------------------------------------------------------------------------
    async def parse_rendered(self, response: Response) -> AsyncIterator[Any]:
        from crawler.render import capture

        result = await capture(response)
        yield result.to_item(response.meta.get("losi_render_url", response.url))
        # Navigation that exists only after JavaScript is still crawled through.
        depth = response.meta.get("losi_depth", 0)
        if depth >= self.max_depth or result.error:
            return
        for link in result.links:
            url = urljoin(response.url, link.url)
            if in_scope(url, self.seed_url):
                request = self._page_request(url, depth + 1, response.url,
                                             self._priority(url, depth + 1, link.text, "nav", False))
                if request is not None:
                    yield request

    async def render_failed(self, failure: Failure) -> AsyncIterator[Any]:
        from crawler.render import capture_failure

        request = failure.request  # type: ignore[attr-defined]
        yield (await capture_failure(failure)).to_item(request.meta.get("losi_render_url", request.url))

    # -- probes -----------------------------------------------------------------------------
    def parse_probe(self, response: Response) -> Iterator[Any]:
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

    def probe_failed(self, failure: Failure) -> Iterator[ProbeItem]:
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

    def parse_robots(self, response: Response) -> Iterator[Any]:
        text = response.body[:500_000].decode("utf-8", "replace") if response.status < 400 else ""
        sitemaps = list(sitemap_urls_from_robots(text, base_url=response.url)) if text else []
        yield ProbeItem("robots", {
            "url": response.url,
            "status": response.status,
            "found": response.status < 400 and bool(text.strip()),
            "sitemaps": sitemaps,
            "disallow_rules": sum(1 for line in text.splitlines()
                                  if line.strip().lower().startswith("disallow:") and line.split(":", 1)[1].strip()),
            "text": text[:20_000],
        })
        for url in sitemaps or [urljoin(self.seed_url, "/sitemap.xml")]:
            yield from self._sitemap_request(url)

    def robots_failed(self, failure: Failure) -> Iterator[Any]:
        yield ProbeItem("robots", {"found": False, "status": None, "sitemaps": [],
                                   "error": describe(failure.value)})
        yield from self._sitemap_request(urljoin(self.seed_url, "/sitemap.xml"))

    def _sitemap_request(self, url: str) -> Iterator[scrapy.Request]:
        if self.sitemaps_requested >= MAX_SITEMAPS or "sitemap" in self.done_probes:
            return
        self.sitemaps_requested += 1
        yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.sitemap_failed,
                             dont_filter=True, meta={"handle_httpstatus_all": True, "losi_kind": "sitemap"})

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        if response.status >= 400:
            self.sitemap["errors"].append(f"{response.url}: HTTP {response.status}")
            return
        try:
            sitemap = Sitemap(response.body)
        except Exception as exc:  # lxml refuses what is not XML: record, do not crash
            self.sitemap["errors"].append(f"{response.url}: {describe(exc)}")
            return
        self.sitemap["urls"].append(response.url)
        for entry in sitemap:
            loc = (entry.get("loc") or "").strip()
            if not loc:
                continue
            if sitemap.type == "sitemapindex":
                yield from self._sitemap_request(loc)
                continue
            self.sitemap["entries"] += 1
            if self.sitemap["entries"] > MAX_SITEMAP_URLS or not in_scope(loc, self.seed_url):
                continue
            request = self._page_request(loc, 1, response.url, self._priority(loc, 1, "", "body", True))
            if request is not None:
                yield request

    def sitemap_failed(self, failure: Failure) -> None:
        self.sitemap["errors"].append(f"{failure.request.url}: {describe(failure.value)}")  # type: ignore[attr-defined]
