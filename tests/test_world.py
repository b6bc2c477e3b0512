"""The test world: deterministic synthetic portals with real-sized pages, and every hostile case
behaving as specified over real HTTP on 127.0.0.1."""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import re
import socket
import ssl
import statistics
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import lxml.html
import pytest

from losi.world import FEATURES, HOSTILE_CASES, ServedWorld, World, WorldSpec, generate, serve_world
from losi.world.generate import DERIVED, STATIC_FEATURES

SHARED_WORLD = Path(__file__).resolve().parents[1].parent / "shared" / "world"
HOSTILE = WorldSpec(portals=len(HOSTILE_CASES) + 2, pages=20, hostile=True, seed=7, slow_ms=5_000)


# ---------------------------------------------------------------------------------------------
# helpers


def fetch(url: str, *, method: str = "GET", context: ssl.SSLContext | None = None,
          timeout: float = 5.0, limit: int | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request, no redirect following: (status, headers with lower-case names, body)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=context)
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""))
        response = conn.getresponse()
        body = response.read(limit) if limit else response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


_HREF = re.compile(r' (?:href|src)="([^"]*)"')
_A_HREF = re.compile(r"""<a\b[^>]*\bhref\s*=\s*"([^"]*)\"""", re.IGNORECASE)


def internal_links(html: str, page_url: str) -> list[str]:
    """Same-portal link targets (path + query) of a page."""
    out = []
    for href in dict.fromkeys(_HREF.findall(html)):
        href = href.replace("&amp;", "&")
        if href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        if href.startswith("/") and not href.startswith("//"):
            out.append(href)
            continue
        absolute = urljoin(page_url, href)
        if urlsplit(absolute).netloc != urlsplit(page_url).netloc:
            continue
        parts = urlsplit(absolute)
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def html_of(world: World, slug: str, path: str) -> str:
    page = world[slug].resolve(path)
    charset = page.content_type.partition("charset=")[2] or "utf-8"
    return page.body.decode(charset)


@pytest.fixture(scope="module")
def hostile_world() -> World:
    return generate(HOSTILE)


@pytest.fixture(scope="module")
def served(hostile_world: World) -> Iterator[ServedWorld]:
    with serve_world(hostile_world) as urls:
        yield urls


@pytest.fixture(scope="module")
def plain_world() -> World:
    return generate(WorldSpec(portals=8, pages=40, seed=3))


# ---------------------------------------------------------------------------------------------
# generation


def test_the_same_seed_gives_the_same_bytes() -> None:
    spec = WorldSpec(portals=len(HOSTILE_CASES), pages=16, hostile=True, seed=11,
                     huge_bytes=1 << 20)
    first, second = generate(spec), generate(spec)
    for a, b in zip(first, second):
        assert (a.slug, a.language, dict(a.features), a.hostile, a.special) == (
            b.slug, b.language, dict(b.features), b.hostile, b.special)
        assert list(a.pages) == list(b.pages)
        for path in a.pages:
            assert a.pages[path] == b.pages[path], (a.slug, path)
    other = generate(WorldSpec(portals=len(HOSTILE_CASES), pages=16, hostile=True, seed=12))
    assert first.portals[0].pages["/"].body != other.portals[0].pages["/"].body


def test_synthetic_pages_have_real_portal_sizes_and_link_counts(plain_world: World) -> None:
    sizes, links = [], []
    for portal in plain_world:
        for path in portal.html_paths:
            body = portal.pages[path].body
            sizes.append(len(body))
            links.append(body.count(b"<a "))
    median = statistics.median(sizes)
    assert 99_000 / 2 <= median <= 99_000 * 2, median
    assert sorted(sizes)[int(0.9 * len(sizes))] > 200_000
    assert statistics.median(links) >= 100


def test_every_internal_link_of_an_ordinary_portal_resolves(plain_world: World) -> None:
    for portal in plain_world:
        targets: dict[str, str] = {}
        for path in portal.html_paths:
            for target in internal_links(html_of(plain_world, portal.slug, path),
                                         "http://portal.test" + path):
                targets.setdefault(target, path)
        assert len(targets) > len(portal.html_paths)  # pages, assets, robots-free: all linked
        for target, path in targets.items():
            page = portal.resolve(target)
            if page.status == 301:  # /section -> /section/
                page = portal.resolve(page.header("Location") or "")
            assert page.status == 200, (portal.slug, path, target, page.status)


def test_every_page_is_reachable_from_home_and_some_only_deep() -> None:
    world = generate(WorldSpec(portals=1, pages=200, seed=4))
    portal = world.portals[0]
    depth = {portal.home: 0}
    queue = [portal.home]
    while queue:
        path = queue.pop(0)
        for target in internal_links(html_of(world, portal.slug, path),
                                     "http://portal.test" + path):
            if target in portal.html_paths and target not in depth:
                depth[target] = depth[path] + 1
                queue.append(target)
    assert set(depth) == set(portal.html_paths)
    assert max(depth.values()) >= 5  # the archive pages: a crawler with a budget must choose


def test_about_half_the_portals_have_each_feature_and_the_pages_agree() -> None:
    world = generate(WorldSpec(portals=16, pages=16, seed=5))
    for feature in FEATURES:
        if feature in DERIVED:
            continue  # known from the others (tests/world/test_extras.py)
        share = sum(p.features[feature] for p in world) / len(world.portals)
        assert 0.3 <= share <= 0.7, (feature, share)
    for portal in world:
        home = html_of(world, portal.slug, "/")
        privacy_label = {"en": "Privacy policy", "es": "Política de privacidad",
                         "fr": "Politique de confidentialité", "pt": "Política de privacidade",
                         "de": "Datenschutzerklärung", "ru": "Политика конфиденциальности",
                         "ar": "سياسة الخصوصية", "zh": "隐私政策"}[portal.language]
        assert (privacy_label in home) is portal.features["privacy-policy"], portal.slug
        assert ('name="viewport"' in home) is portal.features["mobile-viewport"], portal.slug
        assert ("facebook.com" in home) is portal.features["social-media"], portal.slug
        assert ('role="search"' in home) is portal.features["search"], portal.slug


def test_each_single_page_feature_has_its_page_linked_from_home_only_with_the_feature() -> None:
    world = generate(WorldSpec(portals=16, pages=16, seed=5))
    for portal in world:
        home = html_of(world, portal.slug, "/")
        for key, feature in STATIC_FEATURES:
            path = portal.section_path(key)
            assert (f'href="{path}"' in home) is portal.features[feature], (portal.slug, feature)
            assert (path in portal.html_paths) is portal.features[feature], (portal.slug, feature)


def test_the_page_in_another_language_is_in_that_language_and_leads_home() -> None:
    world = generate(WorldSpec(portals=16, pages=16, seed=5))
    portals = [p for p in world if p.features["foreign-language"]]
    assert len({p.language for p in portals}) >= 4
    for portal in portals:
        path = portal.section_path("otherlang")
        other = "es" if portal.language == "en" else "en"
        assert path == f"/{other}/"
        assert f'hreflang="{other}"' in html_of(world, portal.slug, "/")
        page = html_of(world, portal.slug, path)
        assert f'<html lang="{other}"' in page
        assert f'href="/" hreflang="{portal.language}"' in page


def test_the_new_features_pages_hold_what_they_name() -> None:
    world = generate(WorldSpec(portals=16, pages=16, seed=5))
    for portal in world:
        f = portal.features
        if f["mobile-app"]:
            page = html_of(world, portal.slug, portal.section_path("app"))
            assert "apps.apple.com" in page and "play.google.com" in page
        if f["feedback"]:
            assert "<textarea" in html_of(world, portal.slug, portal.section_path("feedback"))
        if f["incident-reporting"]:
            assert 'type="file"' in html_of(world, portal.slug, portal.section_path("report"))


def test_every_hostile_case_has_its_portal(hostile_world: World) -> None:
    assert sorted(p.hostile for p in hostile_world if p.hostile) == sorted(HOSTILE_CASES)
    assert hostile_world.by_case("legacy-arabic").language == "ar"
    assert hostile_world.by_case("legacy-chinese").language == "zh"
    with pytest.raises(ValueError, match="at least"):
        WorldSpec(portals=3, hostile=True)


def test_the_js_menu_portal_has_no_links_in_its_raw_html(hostile_world: World) -> None:
    portal = hostile_world.by_case("js-menu")
    home = html_of(hostile_world, portal.slug, "/")
    assert not _A_HREF.findall(home)
    nav = re.search(r'<nav class="main-nav"[^>]*>(.*?)</nav>', home, re.DOTALL)
    assert nav and "<a" not in nav.group(1) and "losiMenu(" in nav.group(1)
    for key in portal.list_keys:  # the script holds the menu the browser will build
        assert json.dumps(portal.section_path(key)) in home


# ---------------------------------------------------------------------------------------------
# hostile cases over real HTTP


def test_the_challenge_portal_answers_every_path_with_a_challenge(
        hostile_world: World, served: ServedWorld) -> None:
    from crawler.blocking import challenge_reason

    slug = hostile_world.by_case("challenge").slug
    for path in ("/", "/robots.txt", "/anything/else"):
        status, headers, body = fetch(served.url(slug, path))
        assert status == 403
        assert headers["cf-mitigated"] == "challenge" and headers["server"] == "cloudflare"
        assert b"<title>Just a moment...</title>" in body and b"_cf_chl_opt" in body
        assert challenge_reason(status, headers, body)


def test_the_partial_challenge_guards_one_section_only(
        hostile_world: World, served: ServedWorld) -> None:
    portal = hostile_world.by_case("challenge-partial")
    assert fetch(served.url(portal.slug, "/"))[0] == 200
    status, headers, body = fetch(served.url(portal.slug, portal.special["challenged"]))
    assert (status, headers["cf-mitigated"]) == (503, "challenge")
    assert b"Just a moment..." in body


def test_the_redirect_chain_takes_several_hops_to_the_home(
        hostile_world: World, served: ServedWorld) -> None:
    portal = hostile_world.by_case("redirect-chain")
    url, hops = served[portal.slug], []
    while True:
        status, headers, _ = fetch(url)
        if status not in (301, 302):
            break
        hops.append(status)
        url = urljoin(url, headers["location"])
    assert status == 200 and urlsplit(url).path == portal.home
    assert len(hops) >= 3 and set(hops) == {301, 302}


def test_the_calendar_trap_never_runs_out_of_new_urls(
        hostile_world: World, served: ServedWorld) -> None:
    portal = hostile_world.by_case("calendar-trap")
    events = html_of(hostile_world, portal.slug, portal.section_path("events"))
    start = next(t for t in internal_links(events, served[portal.slug] + "x/")
                 if t.startswith(portal.special["calendar"]))
    seen, url = set(), served[portal.slug] + start.lstrip("/")
    for _ in range(40):
        status, _, body = fetch(url)
        assert status == 200
        seen.add(url)
        links = internal_links(body.decode(), url)
        url = urljoin(url, [t for t in links if "month=" in t][-1])  # "next"
    assert len(seen) == 40 and url not in seen
    assert re.search(r"year=20(2[89]|3\d)", url)


def test_session_ids_make_many_urls_for_one_page(hostile_world: World, served: ServedWorld) -> None:
    portal = hostile_world.by_case("session-ids")
    base = served[portal.slug]
    section = portal.section_path("services")
    variants = set()
    for path in ("/", portal.section_path("about")):
        variants |= {t for t in internal_links(html_of(hostile_world, portal.slug, path), base)
                     if t.startswith(section + ";jsessionid=")}
    assert len(variants) == 2
    bodies = {fetch(base + v.lstrip("/"))[2] for v in variants} | {fetch(base + section[1:])[2]}
    assert len(bodies) == 1
    items = [t for t in internal_links(html_of(hostile_world, portal.slug, "/"), base)
             if "?PHPSESSID=" in t]
    assert items and fetch(base + items[0].lstrip("/"))[0] == 200


def test_robots_txt_disallows_a_linked_section(hostile_world: World, served: ServedWorld) -> None:
    portal = hostile_world.by_case("robots-disallowed")
    status, _, body = fetch(served.url(portal.slug, "/robots.txt"))
    robots = RobotFileParser()
    robots.parse(body.decode().splitlines())
    disallowed = served.url(portal.slug, portal.special["disallowed"])
    assert status == 200 and not robots.can_fetch("losi", disallowed)
    assert robots.can_fetch("losi", served[portal.slug])
    assert f"Sitemap: {served[portal.slug]}sitemap.xml" in body.decode()
    assert portal.special["disallowed"] in internal_links(
        html_of(hostile_world, portal.slug, "/"), served[portal.slug])


def test_documents_are_small_valid_files_with_their_content_types(
        hostile_world: World, served: ServedWorld) -> None:
    portal = hostile_world.by_case("documents")
    got = {kind: fetch(served.url(portal.slug, portal.special[kind]))
           for kind in ("pdf", "docx", "xlsx", "csv")}
    assert {k: (s, h["content-type"].split(";")[0]) for k, (s, h, _) in got.items()} == {
        "pdf": (200, "application/pdf"),
        "docx": (200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "xlsx": (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "csv": (200, "text/csv"),
    }
    pdf = got["pdf"][2]
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    xref = int(pdf.rsplit(b"startxref", 1)[1].split()[0])
    assert pdf[xref:xref + 4] == b"xref"
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(got["docx"][2])).namelist()
    assert "xl/worksheets/sheet1.xml" in zipfile.ZipFile(io.BytesIO(got["xlsx"][2])).namelist()
    rows = list(csv.reader(io.StringIO(got["csv"][2].decode())))
    assert rows[0] == ["item", "amount"] and len(rows) > 5
    documents = internal_links(html_of(hostile_world, portal.slug, portal.special["documents"]),
                               served[portal.slug])
    assert {portal.special[k] for k in ("pdf", "docx", "xlsx", "csv")} <= set(documents)


def test_broken_links_lead_to_404s_and_a_500(hostile_world: World, served: ServedWorld) -> None:
    portal = hostile_world.by_case("broken-links")
    linked = set(internal_links(html_of(hostile_world, portal.slug, "/"), served[portal.slug]))
    for role, status in (("not-found", 404), ("not-found-2", 404), ("server-error", 500)):
        assert portal.special[role] in linked
        assert fetch(served.url(portal.slug, portal.special[role]))[0] == status


def test_the_slow_page_outlasts_a_client_timeout(hostile_world: World, served: ServedWorld) -> None:
    portal = hostile_world.by_case("slow-page")
    started = time.monotonic()
    with pytest.raises((TimeoutError, socket.timeout)):
        fetch(served.url(portal.slug, portal.special["slow"]), timeout=0.3)
    assert time.monotonic() - started < 2
    assert fetch(served.url(portal.slug, "/"))[0] == 200  # the rest of the portal is fine


def test_the_huge_page_is_streamed_with_its_length(hostile_world: World, served: ServedWorld) -> None:
    portal = hostile_world.by_case("huge-page")
    status, headers, _ = fetch(served.url(portal.slug, portal.special["huge"]), method="HEAD")
    assert status == 200 and int(headers["content-length"]) >= 20 * 1024 * 1024
    assert int(headers["content-length"]) == portal.pages[portal.special["huge"]].size
    status, headers, head = fetch(served.url(portal.slug, portal.special["huge"]), limit=300_000)
    assert status == 200 and head.startswith(b"<!DOCTYPE html>") and len(head) == 300_000
    status, headers, head = fetch(served.url(portal.slug, portal.special["huge-chunked"]),
                                  limit=100_000)
    assert "content-length" not in headers and headers["transfer-encoding"] == "chunked"


def _meta_charset(body: bytes) -> str | None:
    m = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", body[:1024], re.IGNORECASE)
    return m.group(1).decode().lower() if m else None


def _header_charset(headers: dict[str, str]) -> str | None:
    return headers["content-type"].partition("charset=")[2].lower() or None


@pytest.mark.parametrize("case,codec,label,script", [
    ("legacy-arabic", "cp1256", "windows-1256", r"[\u0600-\u06ff]"),
    ("legacy-chinese", "gb18030", "gb18030", r"[\u4e00-\u9fff]"),
])
def test_legacy_encodings_are_declared_once_in_the_header_once_in_meta(
        hostile_world: World, served: ServedWorld, case: str, codec: str, label: str,
        script: str) -> None:
    portal = hostile_world.by_case(case)
    _, headers, body = fetch(served.url(portal.slug, portal.special["header-charset"]))
    assert (_header_charset(headers), _meta_charset(body)) == (label, None)
    _, headers2, body2 = fetch(served.url(portal.slug, portal.special["meta-charset"]))
    assert (_header_charset(headers2), _meta_charset(body2)) == (None, label)
    for raw in (body, body2):
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        assert len(re.findall(script, raw.decode(codec))) > 100


def test_one_chinese_page_declares_the_wrong_charset(
        hostile_world: World, served: ServedWorld) -> None:
    portal = hostile_world.by_case("legacy-chinese")
    _, headers, body = fetch(served.url(portal.slug, portal.special["wrong-charset"]))
    assert _header_charset(headers) == "iso-8859-1" and _meta_charset(body) is None
    assert re.search(r"[\u4e00-\u9fff]{4}", body.decode("gb18030"))


def test_the_self_signed_portal_is_trusted_only_with_its_ca(
        hostile_world: World, served: ServedWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    from crawler.probes import probe_tls

    portal = hostile_world.by_case("self-signed-tls")
    url = served[portal.slug]
    assert url.startswith("https://") and served.ca_pem and served.ca_pem.is_file()
    with pytest.raises(ssl.SSLCertVerificationError):
        fetch(url, context=ssl.create_default_context())
    assert fetch(url, context=ssl.create_default_context(cafile=str(served.ca_pem)))[0] == 200
    port = urlsplit(url).port or 443
    monkeypatch.delenv("LOSI_CA_BUNDLE", raising=False)
    assert probe_tls("127.0.0.1", port, timeout=5)["valid"] is False
    monkeypatch.setenv("LOSI_CA_BUNDLE", str(served.ca_pem))
    assert probe_tls("127.0.0.1", port, timeout=5)["valid"] is True


def test_latency_delays_responses_without_serialising_them() -> None:
    world = generate(WorldSpec(portals=2, pages=16, latency_ms=300, seed=1))
    with serve_world(world) as urls:
        targets = [urls[p.slug] for p in world] * 10
        started = time.monotonic()
        with ThreadPoolExecutor(20) as pool:
            statuses = list(pool.map(lambda u: fetch(u)[0], targets))
        elapsed = time.monotonic() - started
    assert statuses == [200] * 20
    assert 0.3 <= elapsed < 1.5  # 20 x 300 ms in parallel, not 6 s in a row


# ---------------------------------------------------------------------------------------------
# real pages and the command line


@pytest.mark.skipif(not SHARED_WORLD.is_dir(),
                    reason=f"{SHARED_WORLD} is absent (a fresh clone has no ../shared)")
def test_real_pages_mode_builds_bodies_from_the_shared_world() -> None:
    world = generate(WorldSpec(portals=3, pages=20, seed=2, real_pages_dir=SHARED_WORLD))
    real_sizes = sorted(p.stat().st_size for p in SHARED_WORLD.rglob("*.html"))
    for portal in world:
        assert portal.source == "real" and dict(portal.features) == {}
        sizes = []
        for path in portal.html_paths:
            page = portal.pages[path]
            html = page.body.decode("utf-8")
            sizes.append(len(page.body))
            assert not re.search(r"""<(?:script|img|link|iframe)\b[^>]*\b(?:src|href)=["']?(?:https?:)?//""",
                                 html, re.IGNORECASE), "a resource still points at a live host"
            anchors = "".join(f' href="{h}"' for h in lxml.html.fromstring(page.body).xpath(
                "//a/@href | //area/@href"))
            targets = internal_links(anchors, "http://portal.test" + path)
            assert targets, path
            for target in targets:
                assert target in portal.pages, (portal.slug, path, target)
        assert real_sizes[0] * 0.5 < statistics.median(sizes) < real_sizes[-1]


def test_the_serve_command_writes_its_urls_when_ready(tmp_path: Path) -> None:
    urls_file = tmp_path / "urls.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "losi.world", "serve", "--portals", "2", "--pages", "16",
         "--latency-ms", "0", "--urls-file", str(urls_file)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 15
        while not urls_file.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        info = json.loads(urls_file.read_text())
        assert len(info["urls"]) == 2 and info["ca_pem"] is None
        first = info["portals"][0]
        assert fetch(first["url"])[0] == 200 and set(first["features"]) == set(FEATURES)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert proc.returncode == 0 and not urls_file.exists()
    lines = out.strip().splitlines()
    assert len(lines) == 2 and lines[0].split("\t")[1] == first["url"]
