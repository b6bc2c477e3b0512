"""What the portal spider hands to the archive pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class PageItem:
    url: str  # as requested
    fetch_status: str  # losi.types.FetchStatus value
    depth: int
    referrer: str = ""
    final_url: str = ""
    http_status: int | None = None
    reason: str = ""
    protocol: str = "HTTP/1.1"
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str = ""
    body: bytes | None = None  # None when nothing was received (robots, DNS, timeout ...)
    size: int | None = None
    error: str = ""


@dataclass
class ProbeItem:
    name: str
    data: dict[str, Any]
