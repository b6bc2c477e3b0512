"""What the portal spider hands to the archive pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class PageItem:
    url: str  # as requested (canonical form)
    fetch_status: str  # losi.types.FetchStatus value
    depth: int
    kind: str = "portal"  # or "outbound": one hop to another site
    referrer: str = ""
    final_url: str = ""
    http_status: int | None = None
    reason: str = ""
    protocol: str = "HTTP/1.1"
    headers: list[tuple[str, str]] = field(default_factory=list)
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str = ""
    body: bytes | None = None  # None when nothing was received (robots, DNS, timeout ...)
    size: int | None = None
    error: str = ""
    latency: float | None = None
    crawl_id: int = 0  # set by the spider: which portal of the batch


@dataclass
class LinkItem:
    """A link from a portal page to another site."""

    from_url: str
    to_url: str
    text: str
    position: str
    crawl_id: int = 0


@dataclass
class ProbeItem:
    name: str
    data: dict[str, Any]
    crawl_id: int = 0


@dataclass
class PortalDone:
    """Every request of one portal is answered: the pipeline closes that crawl now."""

    crawl_id: int
    finished: bool = True
