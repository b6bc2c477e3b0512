"""The portal spider: one visit of one city's portal, every fetch recorded with its status.

It stays on the portal's site, obeys robots.txt (Scrapy's middleware; a refusal is recorded as
`robots_disallowed`), caps depth and pages, and runs the site probes the detectors need.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urldefrag, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.items import PageItem, ProbeItem
from crawler.probes import probe_tls
from crawler.scope import in_scope
from crawler.status import classify, describe
from losi.types import FetchStatus

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_PROBE_HOPS = 5


def _headers(response: Response) -> list[tuple[str, str]]:
    return [
        (k.decode("latin-1"), v.decode("latin-1"))
        for k, values in response.headers.items()
        for v in values
    ]


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(
        self,
        crawl_id: int | str,
        seed_url: str,
        max_pages: int | str = 50,
        max_depth: int | str = 3,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.crawl_id = int(crawl_id)
        self.seed_url = seed_url
        self.max_pages = int(max_pages)
        self.max_depth = int(max_depth)
        self.scheduled: set[str] = set()

    # -- requests ---------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        host = urlsplit(self.seed_url).hostname or ""
        # A blocking stdlib handshake in a worker thread: it verifies like a browser would.
        tls = await asyncio.to_thread(probe_tls, host, 443)
        yield ProbeItem("tls", tls)
        yield self._probe_request(self._http_version(self.seed_url), [])
        request = self._page_request(self.seed_url, depth=0, referrer="")
        if request is not None:
            yield request

    def _page_request(self, url: str, depth: int, referrer: str) -> scrapy.Request | None:
        url = urldefrag(url)[0]
        if url in self.scheduled or len(self.scheduled) >= self.max_pages:
            return None
        self.scheduled.add(url)
        return scrapy.Request(
            url,
            callback=self.parse,
            errback=self.failed,
            meta={"losi_depth": depth, "losi_referrer": referrer},
            headers={"Referer": referrer} if referrer else None,
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
            meta={"dont_redirect": True, "handle_httpstatus_all": True, "chain": [*chain, url]},
        )

    # -- responses --------------------------------------------------------------------------
    def parse(self, response: Response) -> Iterator[Any]:
        depth = response.meta["losi_depth"]
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        is_html = isinstance(response, TextResponse) and any(
            t in content_type.lower() for t in HTML_TYPES
        ) or (not content_type and isinstance(response, scrapy.http.HtmlResponse))
        if response.status >= 400:
            status = FetchStatus.HTTP_ERROR
        elif not is_html:
            status = FetchStatus.NOT_HTML
        else:
            status = FetchStatus.OK
        yield PageItem(
            url=response.request.meta.get("redirect_urls", [response.url])[0],
            final_url=response.url,
            fetch_status=status.value,
            depth=depth,
            referrer=response.meta.get("losi_referrer", ""),
            http_status=response.status,
            protocol=response.protocol or "HTTP/1.1",
            headers=_headers(response),
            content_type=content_type,
            body=response.body,
            size=len(response.body),
        )
        if status is not FetchStatus.OK or depth >= self.max_depth:
            return
        assert isinstance(response, TextResponse)
        for href in response.css("a::attr(href), area::attr(href)").getall():
            href = href.strip()
            if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
                continue
            url = response.urljoin(href)
            if in_scope(url, self.seed_url):
                request = self._page_request(url, depth + 1, response.url)
                if request is not None:
                    yield request

    def failed(self, failure: Failure) -> Iterator[PageItem]:
        request = failure.request  # type: ignore[attr-defined]
        status = classify(failure.value)
        yield PageItem(
            url=request.url,
            fetch_status=status.value,
            depth=request.meta.get("losi_depth", 0),
            referrer=request.meta.get("losi_referrer", ""),
            error=describe(failure.value),
        )

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
