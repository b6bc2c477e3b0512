"""A small stored world for the review app's tests: one city, one crawl in a real WARC file (a
normal home page with a render and its screenshot, and a hostile page), proposals, accounts."""

from __future__ import annotations

import base64
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from review.auth import add_user
from storage.archive import WarcArchive
from storage.db import session_scope
from storage.models import Assignment, City, Crawl, Page, ProposalRow, Render

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(app: Any, port: int) -> Iterator[None]:
    """The app served by uvicorn on 127.0.0.1:port in a thread, for as long as the block runs."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(10)


PASSWORD = "correct horse battery"
CITY = "fra-testville"
HOME = "https://testville.example/"
HOSTILE = "https://testville.example/privacy"
# A 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


def hostile_page(app_origin: str, city: str = CITY, code: str = "234") -> bytes:
    """Everything a crawled page could try against the reviewer: scripts, handlers, javascript:
    links, a form posting a decision to the app, a top navigation, a call home."""
    action = f"{app_origin}/cities/{city}/items/{code}"
    return f"""<!doctype html><html><head><title>Privacy</title>
<meta http-equiv="refresh" content="1;url=/canary/meta-refresh">
<script>window.top.document.title = "PWNED"; fetch("/canary/script", {{method: "POST"}});
alert("script ran");</script>
<script src="/canary/external.js"></script>
<link rel="stylesheet" href="/canary/style.css">
</head>
<body onload="fetch('/canary/onload')">
<h1 id="t">Privacy policy</h1>
<img src="/canary/img.png" onerror="fetch('/canary/onerror')">
<a id="js" href="javascript:fetch('/canary/js-link');alert(1)">read more</a>
<a id="top" href="/canary/top-nav" target="_top">leave</a>
<a id="blank" href="/canary/popup" target="_blank">popup</a>
<form id="f" method="post" action="{action}">
<input type="hidden" name="value" value="0"><input type="hidden" name="reason" value="hostile">
<button id="go" type="submit">Submit</button></form>
<svg onload="fetch('/canary/svg')"></svg>
<iframe src="/canary/frame"></iframe>
</body></html>""".encode()


HOSTILE_TEXT = '<img src=x onerror="fetch(\'/canary/evidence-text\')"><script>alert("text")</script>'


@dataclass
class World:
    crawl_id: int
    proposals: dict[str, int]
    warc: Path


def build(engine: Engine, tmp: Path, app_origin: str = "http://testserver") -> World:
    warc = tmp / "crawl-000001.warc.gz"
    with session_scope(engine) as s:
        s.add(City(id=CITY, country="FRA", name="Testville", portal_url=HOME, languages=["fr"]))
        for name, role in (("coord", "coordinator"), ("ana", "assessor"), ("ben", "assessor"),
                           ("carl", "assessor"), ("rita", "reviewer"), ("remy", "reviewer")):
            add_user(s, name, role, PASSWORD)
        s.flush()
        crawl = Crawl(city_id=CITY, seed_url=HOME, status="finished", warc_path=str(warc))
        s.add(crawl)
        s.flush()
        with WarcArchive(warc) as archive:
            home = archive.write_response(HOME, 200, "OK", [("Content-Type", "text/html; charset=utf-8")],
                                          b"<html><body><a href='/privacy'>Privacy</a></body></html>")
            bad = archive.write_response(HOSTILE, 200, "OK", [("Content-Type", "text/html; charset=utf-8")],
                                         hostile_page(app_origin))
            shot = archive.write_resource("urn:losi:render:screenshot-desktop:" + HOME, "image/png", PNG)
        for url, ref in ((HOME, home), (HOSTILE, bad)):
            s.add(Page(crawl_id=crawl.id, url=url, final_url=url, fetch_status="ok", http_status=200,
                       content_type="text/html; charset=utf-8", warc_record_id=ref.record_id,
                       warc_offset=ref.offset, warc_length=ref.length, sha256=ref.sha256))
        s.add(Render(crawl_id=crawl.id, page_url=HOME, screenshot_desktop_record_id=shot.record_id))

        def proposal(code: str, outcome: str, conf: float, evidence: list[dict[str, str]],
                     reason: str = "", run: str = "run1") -> ProposalRow:
            return ProposalRow(crawl_id=crawl.id, city_id=CITY, methodology_id="losi-2024",
                               methodology_version="1", indicator_code=code, outcome=outcome,
                               confidence=conf, detector_id="test-detector", detector_version=1,
                               reason=reason, evidence=evidence, run_id=run)

        rows = {
            "234": proposal("234", "present", 0.9, [
                {"page_url": HOSTILE, "explanation": "privacy link in the footer", "locator": "footer a",
                 "text": HOSTILE_TEXT, "record_id": bad.record_id, "screenshot": ""},
                {"page_url": "javascript:alert(1)", "explanation": "a javascript: URL", "text": "x"}]),
            "204": proposal("204", "present", 0.55, [
                {"page_url": HOME, "explanation": "viewport meta", "text": "width=device-width",
                 "record_id": home.record_id}]),
            "281": proposal("281", "needs_review", 0.3, [], reason="check the domain by hand"),
            "208": proposal("208", "absent", 0.95, [], reason="no errors found"),
        }
        s.add_all(rows.values())
        s.flush()
        s.add_all([Assignment(city_id=CITY, methodology_id="losi-2024", round="a",
                              user_id=_uid(s, "ana"), assigned_by="coord"),
                   Assignment(city_id=CITY, methodology_id="losi-2024", round="b",
                              user_id=_uid(s, "ben"), assigned_by="coord")])
        return World(crawl.id, {k: v.id for k, v in rows.items()}, warc)


def _uid(s, name: str) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from storage.models import User

    return s.scalar(select(User.id).where(User.name == name))


CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF_RE.search(html)
    assert found, "no CSRF field in the page"
    return found.group(1)


def field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no field {name}"
    return found.group(1)
