"""load_site: a stored crawl (index rows + WARC) becomes a Site, bodies read lazily."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from detectors.site import load_site
from storage.archive import WarcArchive
from storage.db import make_engine, session_scope
from storage.models import Base, City, Crawl, Page, Probe, Render

HTML = b"<html lang='fr'><body><footer><a href='/p'>Confidentialit\xc3\xa9</a></footer></body></html>"


def stored_crawl(tmp_path: Path) -> tuple[Engine, int]:
    engine = make_engine(f"sqlite:///{tmp_path / 'losi.db'}")
    Base.metadata.create_all(engine)
    warc = tmp_path / "crawl.warc.gz"
    with WarcArchive(warc) as archive:
        page = archive.write_response("https://ville.example/", 200, "OK",
                                      [("Content-Type", "text/html; charset=utf-8"),
                                       ("X-Powered-By", "WidgetCMS")], HTML)
        dom = archive.write_resource("https://ville.example/", "text/html",
                                     b"<html><body>rendered</body></html>")
    with session_scope(engine) as session:
        session.add(City(id="xfr-ville", country="FRA", name="Ville", portal_url="https://ville.example/",
                         languages=["fr"]))
        crawl = Crawl(city_id="xfr-ville", seed_url="https://ville.example/", warc_path=str(warc))
        session.add(crawl)
        session.flush()
        session.add(Page(crawl_id=crawl.id, url="https://ville.example/", final_url="https://ville.example/",
                         fetch_status="ok", http_status=200, content_type="text/html; charset=utf-8",
                         warc_record_id=page.record_id, warc_offset=page.offset, warc_length=page.length))
        session.add(Probe(crawl_id=crawl.id, name="tls", data={"reachable": True}))
        session.add(Render(crawl_id=crawl.id, page_url="https://ville.example/", dom_record_id=dom.record_id,
                           axe_version="4.12.1", axe_results={"violations": []}, timings={"load": 1.5}))
        return engine, crawl.id


def test_a_stored_crawl_loads_pages_headers_probes_and_renders(tmp_path: Path) -> None:
    engine, crawl_id = stored_crawl(tmp_path)
    with session_scope(engine) as session:
        site = load_site(session, crawl_id)
        home = site.parse(site.home)
        render = site.render()
        assert (home.links[0].text, home.header("x-powered-by")) == ("Confidentialité", "WidgetCMS")
        assert site.languages == ("fr",) and site.probe("tls") == {"reachable": True}
        assert render is not None and render.axe_version == "4.12.1"
        assert render.load_dom() == "<html><body>rendered</body></html>"


def test_a_stored_crawl_carries_page_kinds_the_city_and_the_crawl_date(tmp_path: Path) -> None:
    from datetime import datetime, timezone

    engine, crawl_id = stored_crawl(tmp_path)
    started = datetime(2024, 6, 1, 8, 0, tzinfo=timezone.utc)
    with session_scope(engine) as session:
        session.get(Crawl, crawl_id).started_at = started
        session.add(Page(crawl_id=crawl_id, url="https://service-public.example/x",
                         final_url="https://service-public.example/x", fetch_status="ok",
                         http_status=200, content_type="text/html", depth=1, kind="outbound"))
    with session_scope(engine) as session:
        site = load_site(session, crawl_id)
        kinds = {p.url: p.kind for p in site.pages}
        assert kinds["https://service-public.example/x"] == "outbound"
        assert kinds["https://ville.example/"] == "portal"
        assert site.html_artifacts()[-1].outbound  # pages on other sites are read last
        assert (site.city_name, site.country) == ("Ville", "FRA")
        assert site.crawled_at is not None and site.crawled_at.date() == started.date()
