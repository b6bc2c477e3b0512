"""The naive baseline: a portal crawl as a researcher would first write it.

requests + BeautifulSoup, one city after another, one page after another, breadth first within
the portal's host, pages saved to disk. `bench/crawl.py` runs it in the same run as losi's crawler
and reports the ratio of pages per second.

With `render_pages` > 0 it also does the renders losi does, the way the same researcher would
add them: after each city's pages, open its home page and its first links in one Chromium
(Playwright's sync API), take a full-page desktop and a mobile screenshot, and run axe-core
through axe-playwright-python with the WCAG 2.1 A/AA tags. That makes the comparison one of the
same job; without it the baseline does not render at all.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import requests
from bs4 import BeautifulSoup

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def crawl_portal(seed: str, max_pages: int, out: Path) -> tuple[int, list[str]]:
    """Crawl one portal; return (pages fetched, the home page's links in page order)."""
    host = urlsplit(seed).netloc
    queue, seen, fetched = deque([seed]), {seed}, 0
    home_links: list[str] = []
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
                if url == seed:
                    home_links.append(link)
    return fetched, home_links


def render(page: Any, axe: Any, url: str, out: Path) -> None:
    """One render as a researcher writes it: desktop and mobile screenshots, then axe."""
    name = hashlib.sha1(url.encode()).hexdigest()
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(url, wait_until="load")
    page.screenshot(path=str(out / f"{name}-desktop.png"), full_page=True)
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                     "resultTypes": ["violations"]})
    (out / f"{name}-axe.json").write_text(json.dumps(results.response))
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(out / f"{name}-mobile.png"), full_page=True)


def crawl_all(seeds: list[str], max_pages: int, out: Path, *, render_pages: int = 0,
              chromium: str = "/usr/bin/chromium") -> tuple[int, float]:
    """Crawl every portal in turn (and render `render_pages` pages of each); return
    (pages fetched, seconds)."""
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    pages = 0
    if not render_pages:
        for seed in seeds:
            pages += crawl_portal(seed, max_pages, out)[0]
        return pages, time.perf_counter() - started
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    axe = Axe()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium)
        page = browser.new_page()
        for seed in seeds:
            fetched, links = crawl_portal(seed, max_pages, out)
            pages += fetched
            for url in [seed, *links][:render_pages]:
                try:
                    render(page, axe, url, out)
                except Exception:  # noqa: BLE001 - the researcher's script moves on
                    continue
        browser.close()
    return pages, time.perf_counter() - started
