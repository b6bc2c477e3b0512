"""Portals by host name (losi/world/official.py, server.py): the official-portal feature's host
names and copyright lines, and the world's proxy routing a host name to its portal (a plain
request for http, a CONNECT tunnel to the portal's own TLS listener for https), with nothing
resolved by DNS."""

from __future__ import annotations

import html
import re
import socket
import ssl
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from losi.world import Portal, ServedWorld, World, WorldSpec, generate, serve_world
from losi.world.official import THIRD_PARTY, romanise
from tests.world.proxying import exchange

SPEC = WorldSpec(portals=16, pages=16, hostile=True, seed=3, host_names=True)


@pytest.fixture(scope="module")
def world() -> World:
    return generate(SPEC)


@pytest.fixture(scope="module")
def served(world: World) -> Iterator[ServedWorld]:
    with serve_world(world) as served:
        yield served


def _copyright(body: bytes, content_type: str = "") -> str:
    """The copyright line of a page, decoded as the page declares (the legacy-encoding portals
    in the HTTP header or in a <meta>)."""
    found = re.search(rb'<p class="copyright">(.*?)</p>', body)
    assert found, "every synthetic page ends with a copyright line"
    meta = re.search(rb'charset="?([\w-]+)', body[:2048])
    charset = content_type.partition("charset=")[2] or (meta.group(1).decode() if meta else "utf-8")
    return html.unescape(found.group(1).decode(charset))


def _home_copyright(portal: Portal) -> str:
    page = portal.pages[portal.home]
    return _copyright(page.body, page.content_type)


def test_every_portal_has_a_host_name_of_its_own_under_the_reserved_test_domain(
        world: World) -> None:
    hosts = [p.host_name for p in world]
    assert len(set(hosts)) == len(hosts)
    assert all(h.endswith(".test") and re.fullmatch(r"[a-z0-9.-]+", h) for h in hosts)
    # two cities of one name, or two cities' sites of one company, are told apart
    many = generate(WorldSpec(portals=64, pages=16, seed=6, host_names=True))
    assert len({p.host_name for p in many}) == 64


def test_an_official_portal_is_on_a_government_host_naming_the_city(world: World) -> None:
    official = [p for p in world if p.features["official-portal"]]
    third = [p for p in world if not p.features["official-portal"]]
    assert official and third
    for portal in official:
        labels = portal.host_name.split(".")
        city = "".join(romanise(portal.name, portal.language))
        assert city in portal.host_name.replace("-", ""), portal.host_name
        if portal.language in ("ru", "ar", "zh"):  # a name in Latin letters only: gov says it
            assert "gov" in labels, portal.host_name
        line = _home_copyright(portal)
        assert portal.name in line, (portal.slug, line)
    for portal in third:
        city = "".join(romanise(portal.name, portal.language))
        assert city not in portal.host_name.replace("-", "")
        assert not {"gov", "gob", "gouv", "gv"} & set(portal.host_name.split("."))
        companies = [c for _, c, _ in THIRD_PARTY[portal.language]]
        line = _home_copyright(portal)
        assert any(c in line for c in companies), (portal.slug, line)
        assert portal.name not in line


def test_the_served_urls_are_the_host_names_and_the_direct_ones_stay(
        world: World, served: ServedWorld) -> None:
    for portal in world:
        assert served[portal.slug] == f"{portal.scheme}://{portal.host_name}/"
        assert served.url(portal.slug, "/x/") == f"{portal.scheme}://{portal.host_name}/x/"
        assert re.fullmatch(rf"{portal.scheme}://127\.0\.0\.1:\d+/", served.direct[portal.slug])
    described = served.describe()["portals"][0]
    assert described["host_name"] == world.portals[0].host_name
    assert described["direct"].startswith("http")
    # the names resolve nowhere: only the proxy knows them
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo(world.portals[0].host_name, 80)


def test_a_plain_request_for_a_portals_host_reaches_that_portal(
        world: World, served: ServedWorld) -> None:
    assert served.proxy
    for portal in [p for p in world if p.scheme == "http" and not p.hostile][:3]:
        host = portal.host_name
        answer = exchange(served.proxy, f"GET http://{host}/ HTTP/1.1\r\nHost: {host}\r\n"
                           "Proxy-Connection: keep-alive\r\n\r\n".encode())
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 "), head[:80]
        assert b"connection: close" in head.lower()
        assert _copyright(body) == _home_copyright(portal)
        # robots.txt names the sitemap under the host name
        robots = exchange(served.proxy, f"GET http://{host}/robots.txt HTTP/1.1\r\n"
                           f"Host: {host}\r\n\r\n".encode())
        assert f"Sitemap: http://{host}/sitemap.xml".encode() in robots


def test_a_connect_to_the_https_portals_host_is_tunnelled_to_its_tls_listener(
        world: World, served: ServedWorld) -> None:
    assert served.proxy and served.ca_pem
    portal = world.by_case("self-signed-tls")
    host = portal.host_name
    parts = urlsplit(served.proxy)
    context = ssl.create_default_context(cafile=str(served.ca_pem))
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as raw:
        raw.sendall(f"CONNECT {host}:443 HTTP/1.1\r\nHost: {host}:443\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += raw.recv(1)
        assert head.startswith(b"HTTP/1.1 200 ")
        # the certificate names the host: verified as a browser verifies it
        with context.wrap_socket(raw, server_hostname=host) as tls:
            tls.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            answer = b""
            while chunk := tls.recv(65536):
                answer += chunk
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert _copyright(answer) == _home_copyright(portal)


def test_what_no_portal_listens_on_is_unreachable(world: World, served: ServedWorld) -> None:
    assert served.proxy
    http_portal = next(p for p in world if p.scheme == "http")
    https_portal = world.by_case("self-signed-tls")
    # no TLS on an http portal, no plain http on the https one, and no other port
    for target in (f"{http_portal.host_name}:443", f"{https_portal.host_name}:8443",
                   "www.unknown-city.gov.test:443"):
        answer = exchange(served.proxy, f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n"
                           .encode())
        assert answer.startswith(b"HTTP/1.1 502 "), target
    for url in (f"http://{https_portal.host_name}/", f"http://{http_portal.host_name}:8080/",
                "http://www.unknown-city.gov.test/"):
        host = urlsplit(url).netloc
        assert exchange(served.proxy, f"GET {url} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()) \
            == b"", url


def test_a_world_without_host_names_is_served_on_127_0_0_1_as_before() -> None:
    plain = generate(WorldSpec(portals=2, pages=16))
    with serve_world(plain) as served:
        assert served.proxy
        for portal in plain:
            assert served[portal.slug] == served.direct[portal.slug]
            assert served[portal.slug].startswith("http://127.0.0.1:")
            host = portal.host_name
            assert exchange(served.proxy, f"GET http://{host}/ HTTP/1.1\r\nHost: {host}\r\n\r\n"
                             .encode()) == b""
