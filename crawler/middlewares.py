"""Downloader middlewares: no SSRF, and per-portal budgets (pages, time, outbound hops)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

# The cloud metadata addresses are link-local (169.254.169.254) or unique-local (fd00:ec2::254);
# the checks below cover them, plus every other address no public portal can live at.


def forbidden_address(ip: str) -> bool:
    address = ipaddress.ip_address(ip)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


async def resolve(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


class PrivateAddressError(IgnoreRequest):
    """A URL (or a redirect) that resolves to an address a public portal cannot have."""


class PrivateAddressMiddleware:
    """Refuse requests to private, loopback, link-local and metadata addresses (SSRF).

    Every request passes here, redirects included (Scrapy re-schedules a redirect as a new
    request). `LOSI_ALLOW_PRIVATE` turns it off for local testing and the demo.
    """

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        self._cache: dict[str, list[str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressMiddleware:
        return cls(crawler.settings.getbool("LOSI_ALLOW_PRIVATE"))

    async def process_request(self, request: Request) -> None:
        if self.allow_private:
            return None
        parts = urlsplit(request.url)
        host = parts.hostname or ""
        if host not in self._cache:
            try:
                self._cache[host] = await resolve(host, parts.port or 443)
            except OSError:
                return None  # let the download fail as a DNS error, with its own status
        bad = [ip for ip in self._cache[host] if forbidden_address(ip)]
        if bad:
            raise PrivateAddressError(f"refused: {host} resolves to non-public address {bad[0]}")
        return None


class BudgetError(IgnoreRequest):
    """Not fetched because the portal's budget is spent: not a page failure, not recorded."""


class BudgetMiddleware:
    """Spend each portal's page and time budgets at download time, so the best-ranked requests
    in the scheduler's priority queue get them."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BudgetMiddleware:
        middleware = cls()
        middleware.crawler = crawler  # type: ignore[attr-defined]
        return middleware

    def process_request(self, request: Request) -> None:
        spider: Any = self.crawler.spider  # type: ignore[attr-defined]
        kind = request.meta.get("losi_kind")
        if kind not in ("page", "outbound"):
            return None  # probes, robots.txt, sitemaps and renders have their own limits
        if request.meta.get("redirect_times") or request.meta.get("retry_times"):
            return None  # the budget was spent when the first attempt was let through
        portal = spider.portals[request.meta["losi_crawl"]]
        if portal.max_seconds and time.monotonic() - portal.started > portal.max_seconds:
            portal.budget_spent("time")
            raise BudgetError("time budget spent")
        if kind == "outbound":
            if portal.outbound_fetched >= portal.max_outbound:
                raise BudgetError("outbound budget spent")
            portal.outbound_fetched += 1
            return None
        if portal.pages_fetched >= portal.max_pages:
            portal.budget_spent("pages")
            raise BudgetError("page budget spent")
        portal.pages_fetched += 1
        return None
