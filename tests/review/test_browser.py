"""The review app in Debian's Chromium (Playwright), served by uvicorn on 127.0.0.1: sign-in,
decisions by keystroke and click, blind assessment and reconciliation, and a hostile archived page
that must neither run nor post anything in the reviewer's session."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from review.app import create_app
from storage.db import make_engine, session_scope, upgrade
from storage.models import DecisionRow
from tests.conftest import POSTGRES_URL, _backends, _reset_postgres
from tests.review.world import CITY, PASSWORD, build, free_port, serving

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed")


@pytest.fixture(scope="module", params=_backends())
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:  # type: ignore[type-arg]
    from argon2 import PasswordHasher

    import review.auth

    tmp = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{tmp / 'losi.db'}" if request.param == "sqlite" else POSTGRES_URL
    engine = make_engine(url)
    if request.param != "sqlite":
        _reset_postgres(engine)
    upgrade(engine)
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(review.auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        world = build(engine, tmp, app_origin=origin)
        app = create_app(engine)
        seen: list[tuple[str, str]] = []  # what reached the server: the proof that matters

        @app.middleware("http")
        async def record(request, call_next):  # type: ignore[no-untyped-def]
            seen.append((request.method, request.url.path))
            return await call_next(request)

        try:
            with serving(app, port):
                yield {"origin": origin, "engine": engine, "world": world, "seen": seen}
        finally:
            if request.param != "sqlite":
                _reset_postgres(engine)
            engine.dispose()


@pytest.fixture(scope="module")
def browser(server: dict) -> Iterator:  # type: ignore[type-arg]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--disable-gpu", "--disable-quic"])
        yield b
        b.close()


def signed_in(browser, server: dict, name: str):  # type: ignore[no-untyped-def,type-arg]
    context = browser.new_context(base_url=server["origin"])
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(server["origin"] + "/")
    return context, page


def decisions(server: dict) -> list[DecisionRow]:  # type: ignore[type-arg]
    with session_scope(server["engine"]) as s:
        return list(s.scalars(select(DecisionRow).order_by(DecisionRow.id)))


def test_a_hostile_archived_page_neither_runs_nor_posts(browser, server: dict) -> None:  # type: ignore[no-untyped-def,type-arg]
    context, page = signed_in(browser, server, "ana")
    requests: list[tuple[str, str]] = []
    failed: dict[str, str] = {}
    dialogs: list[str] = []
    popups: list[object] = []
    context.on("request", lambda r: requests.append((r.method, r.url)))
    context.on("requestfailed", lambda r: failed.__setitem__(r.url, r.failure or ""))
    context.on("page", lambda p: popups.append(p))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    before = len(decisions(server))
    server["seen"].clear()
    page.goto(f"/cities/{CITY}/items/234")
    title = page.title()
    page.locator("iframe").scroll_into_view_if_needed()
    page.frame_locator("iframe").locator("#t").wait_for(state="attached")
    frame = page.locator("iframe").element_handle().content_frame()
    assert frame is not None and "/archive/" in frame.url
    for selector in ("#js", "#go", "#top", "#blank"):
        frame.click(selector, timeout=3000, no_wait_after=True)
    page.wait_for_timeout(1800)  # past the page's meta refresh
    # Nothing of the page reached the server: no script call, no form post, no navigation.
    assert not [p for _, p in server["seen"] if p.startswith("/canary/")], server["seen"]
    assert not [p for m, p in server["seen"] if m == "POST"], server["seen"]
    # Chromium reports the sub-resources it refused (CSP img-src/style-src 'none'): all refused.
    canary = [u for _, u in requests if "/canary/" in u]
    assert all(u in failed for u in canary), (canary, failed)
    assert not [u for m, u in requests if m == "POST"], requests
    assert dialogs == [] and popups == []
    assert page.title() == title and page.url.endswith(f"/cities/{CITY}/items/234")
    assert len(decisions(server)) == before
    # The evidence text with markup shows as text in the app's own page.
    assert "<script>alert(\"text\")</script>" in page.inner_text("q.seen")
    assert page.evaluate("document.scripts.length") == 1
    context.close()


def test_assessors_decide_by_keystroke_and_click(browser, server: dict) -> None:  # type: ignore[no-untyped-def,type-arg]
    context, page = signed_in(browser, server, "ana")
    page.goto(f"/cities/{CITY}")
    page.keyboard.press("Enter")  # start: the item that needs a person most (no claim)
    page.wait_for_url("**/items/*")
    first = page.url.rsplit("/", 1)[1]
    assert page.locator("[data-confirm]").count() == 0  # nothing to confirm: a person decides
    page.keyboard.press("y")
    page.wait_for_selector(f"text=Saved #{first}.")
    page.goto(f"/cities/{CITY}/items/234")
    page.keyboard.press("c")  # confirm the proposal (present)
    page.wait_for_selector("text=Saved #234.")
    assert "/items/234" not in page.url  # the next item followed
    page.goto(f"/cities/{CITY}/items/208")  # proposal: absent
    page.keyboard.press("y")  # an override: the comment box comes first
    assert page.evaluate("document.activeElement.id") == "reason"
    page.keyboard.type("the error page lists none, but the validator was down")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("text=Saved #208.")
    context.close()

    context, page = signed_in(browser, server, "ben")
    page.goto(f"/cities/{CITY}/items/234")
    # Blind: nothing of ana's decision (a history, a value) shows to ben.
    assert page.locator("section.history").count() == 0
    assert not re.search(r"\bana\b", page.inner_text("main"))
    page.fill("#reason", "only a cookie banner")
    page.click("#decide button[value='0']")
    page.wait_for_selector("text=Saved #234.")
    context.close()
    mine = [(d.assessor, d.indicator_code, d.value, d.reason) for d in decisions(server)]
    assert ("ana", first, 1, "") in mine and ("ana", "234", 1, "") in mine
    assert ("ana", "208", 1, "the error page lists none, but the validator was down") in mine
    assert ("ben", "234", 0, "only a cookie banner") in mine


def test_a_reviewer_reconciles_the_disagreement_first(browser, server: dict) -> None:  # type: ignore[no-untyped-def,type-arg]
    context, page = signed_in(browser, server, "rita")
    page.goto(f"/cities/{CITY}")
    first = page.locator("table.queue tbody tr").first
    assert "assessors disagree: A 1, B 0" in first.inner_text()
    page.keyboard.press("Enter")
    page.wait_for_url("**/items/234")
    body = page.inner_text("main")
    assert "only a cookie banner" in body and "ana" in body and "ben" in body
    page.fill("#reason", "the footer link opens the policy")
    page.click("#decide button[value='1']")
    page.wait_for_url(f"**/cities/{CITY}?saved=234")
    assert "Final score from reconciled decisions: 0.0104 (1/96)" in page.inner_text("p.score")
    context.close()
    rec = [d for d in decisions(server) if d.round == "reconciled"]
    assert [(d.assessor, d.value, d.reason) for d in rec] == [("rita", 1, "the footer link opens the policy")]
