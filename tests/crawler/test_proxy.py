"""The crawler behind a proxy (crawler/proxy.py): the proxy variables decide, for the TLS probe (a
CONNECT tunnel) and for Chromium (Playwright's `proxy` launch option) as for Scrapy's requests.

The proxy is the test world's (losi/world/server.py): its portals are served by host names under
`.test`, which no DNS resolves, so a client that ignores the proxy fails on every one of them.
The crawl goes through a proxy that asks for credentials in front of it, as corporate proxies
do: Chromium reads bare `http_proxy`/`https_proxy` on Linux by itself, but not the credentials
in them (net::ERR_INVALID_AUTH_CREDENTIALS), so only the launch option makes its renders work.
The Selenium engine renders through a proxy without credentials (its flags cannot carry them),
under its private-address rule (a PAC script) and without it.
Real servers on 127.0.0.1, a real crawler process, no internet.
"""

from __future__ import annotations

import base64
import contextlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import Engine, select

from crawler.probes import probe_tls
from crawler.proxy import browser_proxy, chromium_proxy, proxy_for
from crawler.render import chromium_path, playwright_settings
from crawler.render_selenium import pac_script, pac_url, proxy_args
from crawler.render_selenium import unavailable as selenium_unavailable
from detectors.builtin.official_portal import OfficialPortal
from detectors.runner import run_detector
from detectors.site import load_site
from losi.cli import CrawlOptions, crawl_cities
from losi.types import Outcome
from losi.world import Portal, ServedWorld, World, WorldSpec, generate, serve_world
from storage.db import make_engine, session_scope, upgrade
from storage.models import City, Page, Probe, Render

_VARIABLES = ("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY",
              "all_proxy", "ALL_PROXY")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in _VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture(scope="module")
def world() -> World:
    # three portals besides the fourteen hostile ones: an official one and a third party among them
    return generate(WorldSpec(portals=17, pages=16, hostile=True, seed=4, host_names=True))


@pytest.fixture(scope="module")
def served(world: World) -> Iterator[ServedWorld]:
    with serve_world(world) as served:
        yield served


def _read_head(conn: socket.socket) -> bytes:
    """A request's head as far as the client sent it (all of it, unless it closed first)."""
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = conn.recv(4096)
        if not chunk:
            break
        head += chunk
    return head


class _Listener:
    """A TCP server on 127.0.0.1 that hands each connection to `_handle` (in a thread of its
    own when `threaded`)."""

    threaded = False

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.address = f"127.0.0.1:{self.sock.getsockname()[1]}"
        self.url = f"http://{self.address}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            if self.threaded:
                threading.Thread(target=self._handle, args=(conn,), daemon=True).start()
            else:
                self._handle(conn)

    def _handle(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.sock.close()


class RecordingProxy(_Listener):
    """A proxy that records each request's head and answers `answer` (407 by default)."""

    def __init__(self, answer: bytes = b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                                       b"Content-Length: 0\r\n\r\n") -> None:
        self.heads: list[str] = []
        self.answer = answer
        super().__init__()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                self.heads.append(_read_head(conn).decode("latin-1"))
                conn.sendall(self.answer)
            except OSError:
                pass


class AuthProxy(_Listener):
    """A proxy in front of another (the world's) that passes each request on as it came. With
    `credentials` it asks for them (Basic), as a corporate proxy does: a request without them
    gets 407."""

    threaded = True

    def __init__(self, upstream: str, credentials: tuple[str, str] | None = None) -> None:
        self.upstream = urlsplit(upstream)
        self.expected = "" if credentials is None else "proxy-authorization: basic " + \
            base64.b64encode(":".join(credentials).encode()).decode().lower()
        self.refused = self.passed = 0
        super().__init__()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            try:
                head = _read_head(conn)
            except OSError:
                return
            if b"\r\n\r\n" not in head:
                return  # the client went away before its request's head ended
            if self.expected not in head.decode("latin-1").lower():
                self.refused += 1
                conn.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                             b'Proxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n'
                             b"Connection: close\r\n\r\n")
                return
            self.passed += 1
            with socket.create_connection((self.upstream.hostname, self.upstream.port)) as up:
                up.sendall(head)
                back = threading.Thread(target=self._pipe, args=(up, conn), daemon=True)
                back.start()
                self._pipe(conn, up)
                back.join(timeout=60)

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


# -- which proxy, from the variables ------------------------------------------------------------


def test_the_proxy_is_the_variables_choice_as_for_scrapy(clean_env: pytest.MonkeyPatch) -> None:
    assert proxy_for("https://www.ashford.gov.test/") is None  # no variables: direct
    clean_env.setenv("https_proxy", "http://proxy.corp:3128")
    clean_env.setenv("http_proxy", "proxy.corp:8080")
    clean_env.setenv("no_proxy", "127.0.0.1,localhost,.intranet.example,files.example:8443")
    assert proxy_for("https://www.ashford.gov.test/") == "http://proxy.corp:3128"
    assert proxy_for("http://www.ashford.gov.test/x") == "http://proxy.corp:8080"
    for direct in ("http://127.0.0.1:8001/", "https://localhost/", "https://a.intranet.example/",
                   "https://intranet.example/", "https://files.example:8443/"):
        assert proxy_for(direct) is None, direct
    assert proxy_for("https://files.example/") == "http://proxy.corp:3128"  # another port
    clean_env.setenv("no_proxy", "*")
    assert proxy_for("https://www.ashford.gov.test/") is None


def test_chromium_gets_the_proxy_and_its_bypass_list(clean_env: pytest.MonkeyPatch) -> None:
    assert chromium_proxy() is None
    launch = playwright_settings()["PLAYWRIGHT_LAUNCH_OPTIONS"]
    assert "proxy" not in launch  # type: ignore[operator]
    clean_env.setenv("HTTPS_PROXY", "http://ana:p%40ss@proxy.corp:3128")
    clean_env.setenv("no_proxy", "127.0.0.1, localhost,intranet.example,.corp.example,10.0.0.0/8")
    option = chromium_proxy()
    assert option == {
        "server": "http://proxy.corp:3128", "username": "ana", "password": "p@ss",
        # 'intranet.example' bypasses its subdomains too, as for curl and urllib
        "bypass": "127.0.0.1,localhost,intranet.example,.intranet.example,.corp.example,"
                  "10.0.0.0/8"}
    launch = playwright_settings()["PLAYWRIGHT_LAUNCH_OPTIONS"]
    assert launch["proxy"] == option  # type: ignore[index]
    clean_env.setenv("no_proxy", "*")
    assert chromium_proxy() is None


# -- the TLS probe through the proxy ------------------------------------------------------------


def test_the_tls_probe_tunnels_through_the_proxy_to_the_portal(
        world: World, served: ServedWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    assert served.proxy and served.ca_pem
    host = world.by_case("self-signed-tls").host_name
    # without the proxy, a name only the proxy knows fails: the probe cannot answer
    monkeypatch.delenv("LOSI_CA_BUNDLE", raising=False)
    alone = probe_tls(host, 443, timeout=5)
    assert alone["reachable"] is None and "DNS" in alone["summary"]
    # through it: the handshake reaches the portal's own listener, whose certificate names the
    # host (trusted with the world's CA, rejected without)
    rejected = probe_tls(host, 443, timeout=5, proxy=served.proxy)
    assert (rejected["reachable"], rejected["valid"]) == (True, False)
    assert "certificate rejected" in rejected["summary"]
    monkeypatch.setenv("LOSI_CA_BUNDLE", str(served.ca_pem))
    trusted = probe_tls(host, 443, timeout=5, proxy=served.proxy)
    assert (trusted["reachable"], trusted["valid"]) == (True, True), trusted["summary"]
    assert trusted["issuer"] == "losi test world CA" and trusted["proxy"] == served.proxy


def test_a_proxy_that_refuses_says_nothing_definite_about_the_portal(
        world: World, served: ServedWorld) -> None:
    assert served.proxy
    plain = next(p for p in world if p.scheme == "http").host_name
    refused = probe_tls(plain, 443, timeout=5, proxy=served.proxy)
    assert refused["reachable"] is None and "502" in refused["summary"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    gone = probe_tls(plain, 443, timeout=5, proxy=closed)
    assert gone["reachable"] is None and "cannot be reached" in gone["summary"]


def test_the_proxys_credentials_go_with_the_connect() -> None:
    proxy = RecordingProxy()
    try:
        host, port = urlsplit(proxy.url).hostname, urlsplit(proxy.url).port
        result = probe_tls("www.ashford.gov.test", 443, timeout=5,
                           proxy=f"http://ana:p%40ss@{host}:{port}")
    finally:
        proxy.close()
    assert result["reachable"] is None and "407" in result["summary"]
    assert result["proxy"] == f"http://ana:***@{host}:{port}"  # never the password
    (head,) = proxy.heads
    assert head.startswith("CONNECT www.ashford.gov.test:443 HTTP/1.1\r\n")
    assert f"Proxy-Authorization: Basic {base64.b64encode(b'ana:p@ss').decode()}" in head


# -- a crawl of host-named portals through the proxy, with renders --------------------------------


@dataclass
class Crawled:
    engine: Engine
    served: ServedWorld
    portals: dict[str, Portal]  # role -> portal
    crawls: dict[str, int]  # role -> crawl id
    proxy: AuthProxy


@pytest.fixture(scope="module")
def crawled(world: World, served: ServedWorld,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    if not Path(chromium_path()).exists():
        pytest.skip(f"no Chromium at {chromium_path()} (LOSI_CHROMIUM)")
    tmp = tmp_path_factory.mktemp("proxied")
    mp = pytest.MonkeyPatch()
    for name in _VARIABLES:
        mp.delenv(name, raising=False)
    for name, value in served.proxy_environment().items():
        mp.setenv(name, value)
    # a proxy that wants credentials in front of the world's: every client must send them
    assert served.proxy
    auth = AuthProxy(served.proxy, ("ana", "p@ss word"))
    proxy = f"http://ana:p%40ss%20word@{auth.address}"
    mp.setenv("http_proxy", proxy)
    mp.setenv("https_proxy", proxy)
    mp.setenv("LOSI_ARCHIVE_DIR", str(tmp / "archive"))
    mp.setenv("LOSI_CA_BUNDLE", str(served.ca_pem))
    engine = make_engine(f"sqlite:///{tmp / 'losi.db'}")
    upgrade(engine)
    plain = [p for p in world if p.scheme == "http" and not p.hostile]
    portals = {"https": world.by_case("self-signed-tls"),
               "official": next(p for p in plain if p.features["official-portal"]),
               "third-party": next(p for p in plain if not p.features["official-portal"])}
    with session_scope(engine) as session:
        for portal in portals.values():
            session.add(City(id=portal.slug, country="XWW", name=portal.name,
                             portal_url=served[portal.slug], languages=[portal.language]))
    options = CrawlOptions(max_pages=12, max_depth=2, max_outbound=0, render_pages=1,
                           page_timeout=5, allow_private=True, fast=True)
    try:
        ids = crawl_cities(engine, [p.slug for p in portals.values()], options)
    finally:
        auth.close()
    yield Crawled(engine, served, portals, dict(zip(portals, ids)), auth)
    mp.undo()
    engine.dispose()


def _probe(crawled: Crawled, role: str, name: str) -> dict:  # type: ignore[type-arg]
    with session_scope(crawled.engine) as session:
        return dict(session.scalars(select(Probe).where(
            Probe.crawl_id == crawled.crawls[role], Probe.name == name)).one().data)


def test_the_portals_are_crawled_under_their_host_names(crawled: Crawled) -> None:
    for role, portal in crawled.portals.items():
        base = crawled.served[portal.slug]
        assert urlsplit(base).hostname == portal.host_name
        with session_scope(crawled.engine) as session:
            pages = {p.url: p.fetch_status for p in session.scalars(select(Page).where(
                Page.crawl_id == crawled.crawls[role], Page.kind == "portal"))}
        assert pages[base] == "ok", (role, pages)
        assert sum(status == "ok" for status in pages.values()) >= 8, role
        assert all(url.startswith(base) for url in pages), role
        robots = _probe(crawled, role, "robots")
        assert robots["found"] and robots["sitemaps"] == [f"{base}sitemap.xml"]


def test_the_tls_probe_of_the_crawl_goes_through_the_proxy(crawled: Crawled) -> None:
    tls = _probe(crawled, "https", "tls")
    assert (tls["reachable"], tls["valid"]) == (True, True), tls["summary"]
    assert tls["host"] == crawled.portals["https"].host_name
    assert tls["proxy"] == f"http://ana:***@{crawled.proxy.address}"  # never the password
    # an http portal has no TLS: the proxy refuses, which proves nothing either way
    plain = _probe(crawled, "official", "tls")
    assert plain["reachable"] is None and "502" in plain["summary"]
    # the redirect probe is a Scrapy request: through the proxy too
    redirect = _probe(crawled, "official", "http-redirect")
    assert redirect["reachable"] is True and redirect["final_status"] == 200


def test_chromium_renders_the_portals_through_the_proxy(crawled: Crawled) -> None:
    with session_scope(crawled.engine) as session:
        site = load_site(session, crawled.crawls["official"])
        renders = {role: session.scalars(select(Render).where(
            Render.crawl_id == crawl_id)).all() for role, crawl_id in crawled.crawls.items()}
    for role, rows in renders.items():
        assert len(rows) == 1, role
        assert rows[0].dom_record_id and "error" not in rows[0].timings, (role, rows[0].timings)
    render = site.render()  # the home page's, under its host name
    assert render is not None and crawled.portals["official"].name in render.load_dom()
    # Chromium answers the proxy's 407 with the credentials (it asks without them first)
    assert crawled.proxy.passed


def test_the_official_portal_is_told_from_the_third_partys_site(crawled: Crawled) -> None:
    outcomes = {}
    for role, crawl_id in crawled.crawls.items():
        with session_scope(crawled.engine) as session:
            outcomes[role] = run_detector(OfficialPortal(), load_site(session, crawl_id)).outcome
    assert outcomes["official"] is Outcome.PRESENT
    assert outcomes["third-party"] is Outcome.ABSENT
    https = crawled.portals["https"]
    assert outcomes["https"] is (Outcome.PRESENT if https.features["official-portal"]
                                 else Outcome.ABSENT)


# -- the SSRF guard behind a proxy ----------------------------------------------------------------


def test_a_private_address_is_refused_before_the_proxy(
        served: ServedWorld, engine: Engine, tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    proxy = RecordingProxy()
    clean_env.setenv("http_proxy", proxy.url)
    clean_env.setenv("https_proxy", proxy.url)  # and no no_proxy: every host goes to the proxy
    clean_env.setenv("LOSI_ARCHIVE_DIR", str(tmp_path / "archive"))
    seed = next(iter(served.direct.values())).replace("127.0.0.1", "localhost")
    try:
        with session_scope(engine) as session:
            session.add(City(id="xaa-local", country="XAA", name="Local", portal_url=seed,
                             languages=["en"]))
        [crawl_id] = crawl_cities(engine, ["xaa-local"], CrawlOptions(
            max_pages=5, max_depth=1, allow_private=False, fast=True))
    finally:
        proxy.close()
    with session_scope(engine) as session:
        pages = {p.url: p.fetch_status for p in session.scalars(
            select(Page).where(Page.crawl_id == crawl_id))}
        tls = session.scalars(select(Probe).where(Probe.crawl_id == crawl_id,
                                                  Probe.name == "tls")).one().data
    assert pages == {seed: "private_address"}
    assert tls["reachable"] is None and tls["summary"].startswith("refused")
    assert proxy.heads == [], "nothing for a private address reached the proxy"


# -- the Selenium render engine behind the same proxy ------------------------------------------

SELENIUM_REASON = selenium_unavailable()


def test_selenium_gets_the_proxy_in_its_flags(clean_env: pytest.MonkeyPatch) -> None:
    assert browser_proxy() is None and proxy_args(None, allow_private=True) == []
    clean_env.setenv("https_proxy", "http://10.1.2.3:3128")
    clean_env.setenv("no_proxy", "127.0.0.1,intranet.example,.corp.example,files.example:8443")
    proxy = browser_proxy()
    assert proxy is not None and proxy.host_port == "10.1.2.3:3128"
    assert proxy_args(proxy, allow_private=True) == [
        "--proxy-server=http://10.1.2.3:3128",
        "--proxy-bypass-list=<-loopback>;127.0.0.1;intranet.example;*.intranet.example;"
        ".corp.example;files.example:8443;*.files.example:8443"]
    rules, pac = proxy_args(proxy, allow_private=False)
    # the proxy's own private address stays reachable; the sites' private addresses do not
    assert rules.startswith("--host-resolver-rules=MAP localhost ~NOTFOUND")
    assert rules.endswith(", EXCLUDE 10.1.2.3") and "MAP 10.*.*.* ~NOTFOUND" in rules
    script = pac_script(proxy)
    assert 'var ROUTE = "PROXY 10.1.2.3:3128";' in script
    assert ('var NO_PROXY = [["127.0.0.1", ""], ["intranet.example", ""], ["corp.example", ""], '
            '["files.example", "8443"]];') in script
    assert pac == f"--proxy-pac-url={pac_url(proxy)}"
    assert 'var ROUTE = "DIRECT";' in pac_script(None)


@pytest.fixture(scope="module")
def selenium_crawled(world: World, served: ServedWorld,
                     tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    if SELENIUM_REASON:
        pytest.skip(SELENIUM_REASON)
    if not Path(chromium_path()).exists():
        pytest.skip(f"no Chromium at {chromium_path()} (LOSI_CHROMIUM)")
    tmp = tmp_path_factory.mktemp("proxied-selenium")
    mp = pytest.MonkeyPatch()
    for name in _VARIABLES:
        mp.delenv(name, raising=False)
    assert served.proxy
    # a recording proxy without credentials in front of the world's (the engine refuses one with
    # a password, below); no no_proxy: loopback is proxied too unless the browser is told
    relay = AuthProxy(served.proxy)  # every request passes
    mp.setenv("http_proxy", f"http://{relay.address}")
    mp.setenv("https_proxy", f"http://{relay.address}")
    mp.setenv("LOSI_ARCHIVE_DIR", str(tmp / "archive"))
    mp.setenv("LOSI_CA_BUNDLE", str(served.ca_pem))
    engine = make_engine(f"sqlite:///{tmp / 'losi.db'}")
    upgrade(engine)
    plain = [p for p in world if p.scheme == "http" and not p.hostile]
    portals = {"official": next(p for p in plain if p.features["official-portal"]),
               "https": world.by_case("self-signed-tls")}
    with session_scope(engine) as session:
        for portal in portals.values():
            session.add(City(id=portal.slug, country="XWW", name=portal.name,
                             portal_url=served[portal.slug], languages=[portal.language]))
    crawls = {}
    try:
        # the official portal with the private-address rule on (the PAC script routes to the
        # proxy, whose own loopback address is let through), the other without it
        for role, allow_private in (("official", False), ("https", True)):
            [crawls[role]] = crawl_cities(engine, [portals[role].slug], CrawlOptions(
                max_pages=6, max_depth=1, max_outbound=0, render_pages=1, page_timeout=5,
                allow_private=allow_private, fast=True, render_engine="selenium"))
    finally:
        relay.close()
    yield Crawled(engine, served, portals, crawls, relay)
    mp.undo()
    engine.dispose()


def test_selenium_renders_the_portals_through_the_proxy(selenium_crawled: Crawled) -> None:
    for role, crawl_id in selenium_crawled.crawls.items():
        with session_scope(selenium_crawled.engine) as session:
            site = load_site(session, crawl_id)
            rows = session.scalars(select(Render).where(Render.crawl_id == crawl_id)).all()
        assert rows and all("error" not in r.timings for r in rows), \
            (role, [r.timings for r in rows])
        assert {r.timings["engine"]["name"] for r in rows} == {"selenium"}, role
        render = site.render()  # the home page's, under its host name
        assert render is not None, role
        assert selenium_crawled.portals[role].name in render.load_dom(), role
    # the browser's requests went through the proxy (a .test name resolves nowhere else)
    assert selenium_crawled.proxy.passed


def test_selenium_refuses_a_proxy_password_in_one_line(clean_env: pytest.MonkeyPatch) -> None:
    if SELENIUM_REASON:
        pytest.skip(SELENIUM_REASON)
    clean_env.setenv("https_proxy", "http://ana:secret@proxy.corp:3128")
    reason = selenium_unavailable()
    assert "password of the proxy" in reason and "--render-engine playwright" in reason
    assert "\n" not in reason and "secret" not in reason
    clean_env.setenv("https_proxy", "http://proxy.corp:3128")
    assert selenium_unavailable() == ""
