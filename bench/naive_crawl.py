"""The naive baseline: a portal crawl as a researcher would first write it.

requests + BeautifulSoup, one city after another, one page after another, breadth first within
the portal's host, pages saved to disk. `bench/crawl.py` runs it in the same run as losi's crawler
and reports the ratio of pages per second.
"""

from __future__ import annotations

import hashlib
import time
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urldefrag, urlsplit

import requests
from bs4 import BeautifulSoup


def crawl_portal(seed: str, max_pages: int, out: Path) -> int:
    host = urlsplit(seed).netloc
    queue, seen, fetched = deque([seed]), {seed}, 0
    session = requests.Session()
    session.headers["User-Agent"] = "research-script/0.1"
    while queue and fetched < max_pages:
        url = queue.popleft()
        try:
            response = session.get(url, timeout=30)
        except requests.RequestException:
            continue
        fetched += 1
        (out / hashlib.sha1(url.encode()).hexdigest()).write_bytes(response.content)
        if "html" not in response.headers.get("Content-Type", ""):
            continue
        soup = BeautifulSoup(response.content, "lxml")
        for a in soup.find_all("a", href=True):
            link = urldefrag(urljoin(url, a["href"]))[0]
            if urlsplit(link).netloc == host and link not in seen:
                seen.add(link)
                queue.append(link)
    return fetched


def crawl_all(seeds: list[str], max_pages: int, out: Path) -> tuple[int, float]:
    """Crawl every portal in turn; return (pages fetched, seconds)."""
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    pages = sum(crawl_portal(seed, max_pages, out) for seed in seeds)
    return pages, time.perf_counter() - started
