"""Hand-built artifacts for detector tests (Lighthouse style: no crawl, no network)."""

from __future__ import annotations

from typing import Any

from detectors.site import PageArtifact, Site
from losi.types import FetchStatus

SEED = "https://city.example/"


def page(url: str, html: str | bytes, *, depth: int = 0, status: FetchStatus = FetchStatus.OK,
         http_status: int = 200, content_type: str = "text/html; charset=utf-8",
         kind: str = "portal") -> PageArtifact:
    body = html.encode("utf-8") if isinstance(html, str) else html
    return PageArtifact(url=url, final_url=url, fetch_status=status, http_status=http_status,
                        content_type=content_type, depth=depth, record_id=f"<urn:uuid:{depth}>",
                        kind=kind, load_body=lambda: body)


def failed(url: str, status: FetchStatus, error: str = "") -> PageArtifact:
    return PageArtifact(url=url, fetch_status=status, error=error)


def site(*pages: PageArtifact, probes: dict[str, dict[str, Any]] | None = None) -> Site:
    return Site(SEED, list(pages), probes)


def home(body: str, head: str = "", lang: str = "en") -> PageArtifact:
    return page(SEED, f"<!doctype html><html lang='{lang}'><head>{head}</head><body>{body}</body></html>")
