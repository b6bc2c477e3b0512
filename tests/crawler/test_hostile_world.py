"""One real crawl of the hostile test world: every hostile case, recorded honestly.

All fourteen portals are crawled by one crawler process (as `losi crawl --all` does); the
JavaScript-only portal is crawled again with rendering. Assertions are on what was stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from detectors.site import load_site
from losi.cli import CrawlOptions, crawl_cities
from losi.world import WorldSpec, generate, serve_world
from storage.archive import scan_responses
from storage.db import make_engine, session_scope, upgrade
from storage.models import City, Crawl, Page, Probe


@dataclass
class World:
    engine: Engine
    urls: dict[str, str]
    crawls: dict[str, int]  # hostile case -> crawl id
    rendered: int  # crawl id of the JS-menu portal crawled with rendering


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("hostile")
    mp = pytest.MonkeyPatch()
    mp.setenv("LOSI_ARCHIVE_DIR", str(tmp / "archive"))
    engine = make_engine(f"sqlite:///{tmp / 'losi.db'}")
    upgrade(engine)
    spec = WorldSpec(portals=14, pages=24, hostile=True, slow_ms=8000, huge_bytes=20 * 1024 * 1024)
    generated = generate(spec)
    with serve_world(generated) as served:
        cases = {p.hostile: p.slug for p in generated.portals}
        with session_scope(engine) as session:
            for portal in generated.portals:
                session.add(City(id=portal.slug, country="XWW", name=portal.name,
                                 portal_url=served[portal.slug], languages=[portal.language]))
        # a budget above a portal's size (40 to 55 pages), so the pager's calendar link is reached
        options = CrawlOptions(max_pages=80, max_depth=4, max_outbound=0, page_timeout=3,
                               allow_private=True, fast=True)
        ids = crawl_cities(engine, [p.slug for p in generated.portals], options)
        rendered = crawl_cities(engine, [cases["js-menu"]],
                                CrawlOptions(max_pages=80, max_depth=4, max_outbound=0, render_pages=1,
                                             allow_private=True, fast=True))
    by_slug = dict(zip([p.slug for p in generated.portals], ids))
    yield World(engine, dict(served), {case: by_slug[slug] for case, slug in cases.items()}, rendered[0])
    mp.undo()


def _pages(world: World, case: str) -> dict[str, Page]:
    with session_scope(world.engine) as session:
        return {p.url: p for p in session.scalars(select(Page).where(Page.crawl_id == world.crawls[case]))}


def _statuses(world: World, case: str) -> set[str]:
    return {p.fetch_status for p in _pages(world, case).values()}


def test_every_crawl_finishes(world: World) -> None:
    with session_scope(world.engine) as session:
        statuses = {c.status for c in session.scalars(select(Crawl))}
    assert statuses == {"finished"}


def test_a_challenge_page_is_blocked_never_content(world: World) -> None:
    assert _statuses(world, "challenge") == {"blocked"}


def test_a_challenged_portal_is_not_assessable(world: World) -> None:
    from detectors.registry import load_registry
    from detectors.runner import run_detector

    with session_scope(world.engine) as session:
        site = load_site(session, world.crawls["challenge"])
    detector = load_registry()["privacy-policy"]
    assert run_detector(detector, site).outcome.value == "not_assessable"


def test_a_partly_challenged_portal_keeps_its_other_pages(world: World) -> None:
    assert {"blocked", "ok"} <= _statuses(world, "challenge-partial")


def test_a_calendar_trap_is_capped(world: World) -> None:
    calendar = [u for u in _pages(world, "calendar-trap") if "month=" in u or "year=" in u]
    assert 0 < len(calendar) <= 3


def test_session_ids_do_not_multiply_pages(world: World) -> None:
    urls = list(_pages(world, "session-ids"))
    assert not [u for u in urls if "sessionid" in u.lower() or "phpsessid" in u.lower()]


def test_a_robots_disallowed_section_is_recorded_not_fetched(world: World) -> None:
    pages = [p for p in _pages(world, "robots-disallowed").values() if p.fetch_status == "robots_disallowed"]
    assert pages and all(p.warc_offset is None for p in pages)


def test_documents_are_recorded_with_type_and_size(world: World) -> None:
    docs = {p.url.rsplit(".", 1)[-1]: (p.fetch_status, p.content_type.split(";")[0], p.size > 0)
            for p in _pages(world, "documents").values() if "/documents/" in p.url and "." in p.url[-5:]}
    assert {ext: status for ext, (status, _, _) in docs.items()} == {
        "pdf": "not_html", "docx": "not_html", "xlsx": "not_html", "csv": "not_html"}


def test_broken_links_and_server_errors_are_http_errors(world: World) -> None:
    codes = {p.http_status for p in _pages(world, "broken-links").values() if p.fetch_status == "http_error"}
    assert {404, 500} <= codes


def test_a_slow_page_times_out(world: World) -> None:
    assert "timeout" in _statuses(world, "slow-page")


def test_a_huge_page_is_too_large_and_not_archived(world: World) -> None:
    huge = [p for p in _pages(world, "huge-page").values() if p.fetch_status == "too_large"]
    assert len(huge) == 2 and all(p.warc_offset is None for p in huge)


def test_a_redirect_chain_lands_on_the_home(world: World) -> None:
    pages = _pages(world, "redirect-chain")
    home = pages[world.urls[[s for s in world.urls if "redirect-chain" in s][0]]]
    assert (home.fetch_status, home.final_url.endswith("/home/")) == ("ok", True)


@pytest.mark.parametrize("case", ["legacy-arabic", "legacy-chinese"])
def test_legacy_encodings_decode(world: World, case: str) -> None:
    with session_scope(world.engine) as session:
        site = load_site(session, world.crawls[case])
        parsed = [site.parse(p) for p in site.pages if p.is_html]
    text = " ".join(page.title for page in parsed)
    script = "\u0600-\u06ff" if case == "legacy-arabic" else "\u4e00-\u9fff"
    assert len(parsed) > 3 and all(re.search(f"[{script}]", page.title) for page in parsed), text


def test_a_self_signed_certificate_is_reported_invalid(world: World) -> None:
    with session_scope(world.engine) as session:
        tls = session.scalars(select(Probe).where(
            Probe.crawl_id == world.crawls["self-signed-tls"], Probe.name == "tls")).one().data
    assert (tls["reachable"], tls["valid"]) == (True, False) and "certificate" in tls["summary"]


def test_a_javascript_only_menu_is_rendered(world: World) -> None:
    from storage.models import Render

    with session_scope(world.engine) as session:
        render = session.scalars(select(Render).where(Render.crawl_id == world.rendered)).one()
    assert render.dom_record_id and render.axe_version.startswith("4.")


def test_every_archived_record_is_indexed_once(world: World) -> None:
    with session_scope(world.engine) as session:
        for crawl in session.scalars(select(Crawl)):
            records = [r.fields.get("Url") for r in scan_responses(Path(crawl.warc_path))]
            assert len(records) == len(set(records))
