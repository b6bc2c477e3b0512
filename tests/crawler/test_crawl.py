"""Real Scrapy crawls of real HTTP servers on 127.0.0.1, run in a subprocess as `losi crawl` does.

Assertions are on what was stored and on the error count, never on the exit code alone
(a wrong reactor exits 0 having fetched nothing).
"""

from __future__ import annotations

import hashlib
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from detectors.site import load_site
from losi.cli import CrawlOptions, crawl_cities
from losi.demo.server import serve_portals
from losi.types import FetchStatus
from storage.archive import iter_records, read_response
from storage.db import session_scope
from storage.models import City, Crawl, Link, Page, Probe

SITES = Path(__file__).parent / "sites"


@pytest.fixture
def portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """The test portal and a neighbouring site on other ports: (portal URL, other URL)."""
    monkeypatch.setenv("LOSI_ARCHIVE_DIR", str(tmp_path / "archive"))
    root = tmp_path / "www"
    shutil.copytree(SITES, root)
    with serve_portals({"other": 0}, root=root) as other:
        other_url = other["other"].url
        index = root / "portal" / "index.html"
        index.write_text(index.read_text().replace("OTHER_SITE", other_url))
        with serve_portals({"portal": 0}, root=root) as served:
            yield served["portal"].url, other_url


def _add_city(engine: Engine, url: str) -> None:
    with session_scope(engine) as session:
        session.add(City(id="xaa-testville", country="XAA", name="Testville", portal_url=url,
                         languages=["en"]))


def _crawl(engine: Engine, url: str, **kwargs: Any) -> tuple[Crawl, dict[str, Page]]:
    _add_city(engine, url)
    options = CrawlOptions(**{"max_pages": 50, "max_depth": 3, "allow_private": True, "fast": True, **kwargs})
    [crawl_id] = crawl_cities(engine, ["xaa-testville"], options)
    with session_scope(engine) as session:
        crawl = session.get(Crawl, crawl_id)
        pages = {p.url.removeprefix(url) if p.kind == "portal" else p.url: p
                 for p in session.scalars(select(Page).where(Page.crawl_id == crawl_id))}
    return crawl, pages


@pytest.fixture
def crawled(engine: Engine, portal: tuple[str, str]) -> tuple[Engine, str, Crawl, dict[str, Page]]:
    url, _ = portal
    crawl, pages = _crawl(engine, url)
    return engine, url, crawl, pages


def test_the_crawl_finishes_without_errors(crawled) -> None:  # type: ignore[no-untyped-def]
    _, _, crawl, _ = crawled
    log = next(Path(crawl.warc_path).parent.glob(f"crawl-{crawl.id:06d}-*.log")).read_text()
    assert (crawl.status, crawl.stop_reason, crawl.stats["batch_errors"]) == ("finished", "finished", 0)
    assert " ERROR: " not in log


def test_every_page_gets_its_fetch_status(crawled) -> None:  # type: ignore[no-untyped-def]
    _, _, _, pages = crawled
    statuses = {path: page.fetch_status for path, page in pages.items() if page.kind == "portal"}
    assert statuses == {
        "": "ok", "news.html": "ok", "privacy.html": "ok", "latin.html": "ok",
        "internal/staff.html": "robots_disallowed", "gone.html": "http_error",
        "report.pdf": "not_html", "confidentialite.html": "http_error", "deep/1.html": "ok", "deep/2.html": "ok", "deep/3.html": "ok",
    }


def test_the_depth_cap_holds(crawled) -> None:  # type: ignore[no-untyped-def]
    _, _, _, pages = crawled
    assert "deep/4.html" not in pages


def test_a_link_to_another_site_is_fetched_one_hop_as_outbound(crawled, portal) -> None:  # type: ignore[no-untyped-def]
    _, _, _, pages = crawled
    _, other = portal
    outbound = {path: (p.fetch_status, p.depth) for path, p in pages.items() if p.kind == "outbound"}
    assert outbound == {other: ("ok", 1)}


def test_outbound_links_are_recorded_with_their_words(crawled, portal) -> None:  # type: ignore[no-untyped-def]
    engine, url, crawl, _ = crawled
    _, other = portal
    with session_scope(engine) as session:
        links = [(l.from_url, l.to_url, l.text, l.position) for l in session.scalars(
            select(Link).where(Link.crawl_id == crawl.id))]
    assert links == [(url, other, "Neighbour town", "footer")]


def test_a_non_html_document_is_recorded_with_type_and_size(crawled) -> None:  # type: ignore[no-untyped-def]
    _, _, _, pages = crawled
    pdf = pages["report.pdf"]
    assert (pdf.content_type, pdf.size) == ("application/pdf", (SITES / "portal/report.pdf").stat().st_size)


def test_the_home_stylesheets_are_archived_as_assets(crawled) -> None:  # type: ignore[no-untyped-def]
    _, url, _, pages = crawled
    css = pages[url + "css/site.css"]
    assert (css.kind, css.fetch_status, css.content_type.split(";")[0]) == ("asset", "not_html", "text/css")


def test_a_refused_page_is_recorded_but_not_archived(crawled) -> None:  # type: ignore[no-untyped-def]
    _, _, _, pages = crawled
    staff = pages["internal/staff.html"]
    assert (staff.warc_offset, staff.http_status) == (None, None)


def test_every_archived_page_reads_back_from_the_warc(crawled) -> None:  # type: ignore[no-untyped-def]
    _, _, crawl, pages = crawled
    archived = [p for p in pages.values() if p.warc_offset is not None]
    assert len(archived) == 12  # 10 portal pages, one outbound page, one stylesheet
    for page in archived:
        body = read_response(Path(crawl.warc_path), page.warc_offset).body
        assert hashlib.sha256(body).hexdigest() == page.sha256


def test_the_warc_starts_with_a_warcinfo_record(crawled) -> None:  # type: ignore[no-untyped-def]
    _, _, crawl, _ = crawled
    assert next(iter_records(Path(crawl.warc_path)))[0] == "warcinfo"


def test_the_probes_are_stored(crawled) -> None:  # type: ignore[no-untyped-def]
    engine, url, crawl, _ = crawled
    with session_scope(engine) as session:
        probes = {p.name: p.data for p in session.scalars(select(Probe).where(Probe.crawl_id == crawl.id))}
    assert probes["http-redirect"]["chain"] == [url] and probes["tls"]["valid"] is False
    assert probes["robots"]["disallow_rules"] == 1 and probes["sitemap"]["found"] is False
    assert set(probes) == {"tls", "http-redirect", "robots", "sitemap", "security-headers", "timing"}


def test_a_legacy_charset_page_decodes(crawled) -> None:  # type: ignore[no-untyped-def]
    engine, url, crawl, _ = crawled
    with session_scope(engine) as session:
        site = load_site(session, crawl.id)
        latin = site.parse(site.page(url + "latin.html"))
    assert (latin.title, latin.links[0].text) == ("Démarches", "Politique de confidentialité")


def test_the_page_budget_goes_to_the_most_promising_links_first(
        engine: Engine, portal: tuple[str, str]) -> None:
    url, _ = portal
    crawl, pages = _crawl(engine, url, max_pages=4, max_outbound=0)
    fetched = {path for path, p in pages.items()
               if p.kind == "portal" and p.fetch_status != "robots_disallowed"}
    # News, the annual report and the privacy policy promise evidence; "Français", "Archive"
    # and "Old page" do not, so they wait, and the budget runs out first.
    assert (fetched, crawl.stop_reason) == ({"", "news.html", "report.pdf", "privacy.html"},
                                            "pages budget spent")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_portal_is_recorded_not_lost(engine: Engine, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOSI_ARCHIVE_DIR", str(tmp_path / "archive"))
    crawl, pages = _crawl(engine, f"http://127.0.0.1:{_closed_port()}/")
    assert crawl.status == "finished" and pages[""].fetch_status == FetchStatus.CONNECTION_ERROR.value


def test_a_private_address_is_refused_unless_allowed(engine: Engine, portal: tuple[str, str]) -> None:
    url, _ = portal
    crawl, pages = _crawl(engine, url, allow_private=False)
    with session_scope(engine) as session:
        tls = session.scalars(select(Probe).where(Probe.crawl_id == crawl.id, Probe.name == "tls")).one()
    assert {path: p.fetch_status for path, p in pages.items()} == {"": "private_address"}
    assert pages[""].warc_offset is None and tls.data["reachable"] is None


def test_a_refused_portal_is_never_scored_absent(engine: Engine, portal: tuple[str, str]) -> None:
    from detectors.registry import load_registry
    from detectors.runner import run_detector

    url, _ = portal
    crawl, _ = _crawl(engine, url, allow_private=False)
    with session_scope(engine) as session:
        site = load_site(session, crawl.id)
    outcomes = {d: run_detector(detector, site).outcome.value for d, detector in load_registry().items()}
    assert set(outcomes.values()) == {"not_assessable"}


RENDER_SITES = Path(__file__).parent / "render_sites"


@pytest.mark.parametrize("render_pages", [0, 1])
def test_navigation_built_by_javascript_is_crawled_only_when_rendered(
        engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, render_pages: int) -> None:
    monkeypatch.setenv("LOSI_ARCHIVE_DIR", str(tmp_path / "archive"))
    with serve_portals({"site": 0}, root=RENDER_SITES) as served:
        seed = served["site"].url + "menu.html"  # its menu comes from nav.json, by script
        _, pages = _crawl(engine, seed, render_pages=render_pages)
    fetched = {p.url.rsplit("/", 1)[-1] for p in pages.values() if p.depth == 1}
    assert ("budget.html" in fetched) is bool(render_pages)


def test_a_batch_split_over_two_crawler_processes_finishes_every_crawl(
        engine: Engine, portal: tuple[str, str]) -> None:
    url, other = portal
    with session_scope(engine) as session:
        session.add(City(id="xaa-one", country="XAA", name="One", portal_url=url, languages=["en"]))
        session.add(City(id="xaa-two", country="XAA", name="Two", portal_url=other, languages=["en"]))
    options = CrawlOptions(max_pages=5, max_outbound=0, allow_private=True, fast=True)
    ids = crawl_cities(engine, ["xaa-one", "xaa-two"], options, processes=2)
    with session_scope(engine) as session:
        crawls = [session.get(Crawl, i) for i in ids]
        logs = {Path(c.warc_path).parent / f"crawl-{c.id:06d}-{c.id:06d}.log" for c in crawls}
    assert [c.status for c in crawls] == ["finished", "finished"] and all(log.exists() for log in logs)
