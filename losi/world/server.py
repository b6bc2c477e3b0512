"""Serve a World on 127.0.0.1: one port per portal (ports are what tell portals apart on one
address), all on one asyncio loop in a background thread.

aiohttp's low-level server answers from `Portal.resolve`; latency is an `asyncio.sleep` per
response, so thousands of delayed responses overlap instead of queueing. The self-signed portal
speaks TLS with a certificate from a throw-away `trustme` CA, whose PEM path `ServedWorld.ca_pem`
gives to whoever should trust it (a client, or the crawler through LOSI_CA_BUNDLE).

One more port is the world's proxy, its internet (`ServedWorld.proxy`): a client that sends its
requests for other sites there (`http_proxy`/`https_proxy`, with `no_proxy=127.0.0.1`) gets the
pages of the other sites the world serves (`World.elsewhere`: national portals, open-data
catalogues; plain `http://` addresses) and, for every other host (social networks, app stores,
e-ID providers, any `https://` address) a failure at once, as on a machine without network: a
CONNECT (https) is refused with 502, a plain request gets its connection closed unanswered (a
client records both as network errors, not as HTTP answers). Nothing leaves the machine.

With `WorldSpec(host_names=True)` each portal is also reached by its host name under the reserved
`.test` domain (`Portal.host_name`: `www.ashford.gov.test`, `www.localpulse.test`), through the
same proxy and without DNS: a plain request for `http://HOST/...` is passed to that portal's
port, and a CONNECT to `HOST:443` of an https portal is tunnelled to its own TLS listener, whose
certificate names the host. `ServedWorld[slug]` is then `http://HOST/`, and the portal's own
address stays in `ServedWorld.direct[slug]` (http://127.0.0.1:PORT/).
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import resource
import shutil
import socket
import ssl
import tempfile
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from multidict import CIMultiDict

from losi.world.generate import Portal, World

_Handler = Callable[[web.BaseRequest], Awaitable[web.StreamResponse]]


class ServedWorld(dict[str, str]):
    """slug -> base URL ("http://127.0.0.1:PORT/", or "http://HOST/" when the world is served
    with host names, reached through `proxy`), with the world and the CA that signed the HTTPS
    portal's certificate (`ca_pem`, None when no portal speaks TLS). `direct` is slug -> the
    portal's own "http://127.0.0.1:PORT/" either way."""

    def __init__(self, world: World, urls: dict[str, str], ca_pem: Path | None,
                 proxy: str | None = None, direct: dict[str, str] | None = None) -> None:
        super().__init__(urls)
        self.world = world
        self.ca_pem = ca_pem
        self.proxy = proxy  # "http://127.0.0.1:PORT": the other sites (see the module docstring)
        self.direct = dict(direct or urls)

    def proxy_environment(self) -> dict[str, str]:
        """The variables that send a client's requests for other sites to the world's proxy
        (Scrapy's HttpProxyMiddleware and urllib read them)."""
        if not self.proxy:
            return {}
        return {"http_proxy": self.proxy, "https_proxy": self.proxy,
                "no_proxy": "127.0.0.1,localhost"}

    def url(self, slug: str, path: str = "/") -> str:
        return self[slug] + path.lstrip("/")

    def describe(self) -> dict[str, Any]:
        """What `python -m losi.world serve --urls-file` writes (JSON-ready)."""
        return {
            "ca_pem": str(self.ca_pem) if self.ca_pem else None,
            "proxy": self.proxy,
            "elsewhere": sorted(self.world.elsewhere),
            "urls": dict(self),
            "portals": [
                {"slug": p.slug, "url": self[p.slug], "direct": self.direct[p.slug],
                 "host_name": p.host_name, "language": p.language, "name": p.name,
                 "source": p.source, "home": p.home, "hostile": p.hostile,
                 "features": dict(p.features), "special": dict(p.special),
                 "pages": len(p.html_paths)}
                for p in self.world.portals
            ],
        }


def _handler(portal: Portal, base: str, latency_ms: float) -> _Handler:
    async def handle(request: web.BaseRequest) -> web.StreamResponse:
        if request.method not in ("GET", "HEAD"):
            return web.Response(status=405, headers={"Allow": "GET, HEAD"})
        page = portal.resolve(request.raw_path)
        delay = latency_ms + page.delay_ms
        if delay > 0:
            await asyncio.sleep(delay / 1000)
        headers = CIMultiDict(page.headers)
        headers["Content-Type"] = page.content_type
        headers.setdefault("Server", portal.server_header)
        if not page.streamed:
            return web.Response(status=page.status, headers=headers, body=page.body_for(base))
        response = web.StreamResponse(status=page.status, headers=headers)
        if page.chunked:
            response.enable_chunked_encoding()
        else:
            response.content_length = page.size
        await response.prepare(request)
        if request.method == "HEAD":
            return response
        with contextlib.suppress(ConnectionError):  # a client may hang up on a huge page
            await response.write(page.body)
            for _ in range(page.repeat):
                await response.write(page.repeat_chunk)
            await response.write_eof()
        return response

    return handle


# Hop-by-hop fields a proxy does not pass on (RFC 9110 7.6.1), and the proxy's own.
_HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "proxy-authorization",
                         "proxy-authenticate", "te", "trailer", "transfer-encoding", "upgrade"})


async def _relay(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError, RuntimeError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()


async def _splice(client: tuple[asyncio.StreamReader, asyncio.StreamWriter],
                  upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter]) -> None:
    """Relay bytes both ways until either side is done, then close the other."""
    tasks = {asyncio.ensure_future(_relay(client[0], upstream[1])),
             asyncio.ensure_future(_relay(upstream[0], client[1]))}
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        with contextlib.suppress(ConnectionError, RuntimeError):
            upstream[1].close()


def _proxy_handler(world: World, latency_ms: float,
                   routes: dict[str, tuple[str, int]] | None = None,
                   listen_host: str = "127.0.0.1") -> Callable[
        [asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]:
    """A forward proxy for plain HTTP that answers from `world.elsewhere`, one request per
    connection. A CONNECT (https) is refused at once with 502 (a client that sees the connection
    closed instead may wait for its timeout); a plain request to a host the world does not serve
    gets the connection closed unanswered.

    `routes` (host name -> (scheme, port on `listen_host`)) are the portals served by host
    name: a plain request for an http portal's host (port 80) is passed to its port with the
    target made a path, and a CONNECT to an https portal's host:443 becomes a tunnel to its TLS
    listener (port 80 of an https portal, and 443 of an http one, are refused as above)."""
    routes = routes or {}

    def route(host: str, port: int, scheme: str) -> int | None:
        found = routes.get(host.lower().strip("[]"))
        if found is None or found[0] != scheme or port != (443 if scheme == "https" else 80):
            return None
        return found[1]

    async def forward(port: int, method: str, parts: Any, head: bytes,
                      reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream = await asyncio.open_connection(listen_host, port)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        fields = [line for line in head.decode("latin-1").split("\r\n")[1:] if line and
                  line.split(":", 1)[0].strip().lower() not in _HOP_BY_HOP]
        upstream[1].write("\r\n".join([f"{method} {path} HTTP/1.1", *fields,
                                        "Connection: close", "", ""]).encode("latin-1"))
        await _splice((reader, writer), upstream)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            method, target, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
            page = None
            if method == "CONNECT":
                host, _, port_text = target.rpartition(":")
                port = route(host, int(port_text) if port_text.isdigit() else 0, "https")
                if port is None:
                    writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n"
                                 b"Connection: close\r\n\r\n")
                    await writer.drain()
                    return
                upstream = await asyncio.open_connection(listen_host, port)
                writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                await writer.drain()
                await _splice((reader, writer), upstream)
                return
            if target.startswith("http://"):
                parts = urlsplit(target)
                port = route(parts.hostname or "", parts.port or 80, "http")
                if port is not None:
                    await forward(port, method, parts, head, reader, writer)
                    return
            if method in ("GET", "HEAD") and target.startswith("http://"):
                parts = urlsplit(target)
                path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                page = world.elsewhere_page(parts.hostname or "", path)
            if page is None:
                return
            delay = latency_ms + page.delay_ms
            if delay > 0:
                await asyncio.sleep(delay / 1000)
            body = b"" if method == "HEAD" else page.body
            phrase = http.HTTPStatus(page.status).phrase
            lines = [f"HTTP/1.1 {page.status} {phrase}", f"Content-Type: {page.content_type}",
                     f"Content-Length: {len(page.body)}", "Connection: close",
                     *(f"{k}: {v}" for k, v in page.headers)]
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError,
                ConnectionError, ValueError):
            pass
        finally:
            with contextlib.suppress(ConnectionError, RuntimeError):
                writer.close()

    return handle


def _tls_context(folder: Path, names: tuple[str, ...] = ()) -> tuple[ssl.SSLContext, Path]:
    import trustme

    ca = trustme.CA(organization_name="losi test world CA")
    cert = ca.issue_cert("127.0.0.1", "localhost", *names)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    ca_pem = folder / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_pem))
    return context, ca_pem


def _raise_fd_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(hard, needed)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


@contextmanager
def serve_world(world: World, *, host: str = "127.0.0.1",
                shutdown_timeout: float = 0.5) -> Iterator[ServedWorld]:
    """Serve every portal of `world` on its own port until the block exits (and by its host name
    through the proxy, with `WorldSpec(host_names=True)`: see the module docstring)."""
    _raise_fd_limit(len(world.portals) * 8 + 1024)
    folder = Path(tempfile.mkdtemp(prefix="losi-world-"))
    sockets: list[socket.socket] = []
    loop = asyncio.new_event_loop()
    runners: list[web.BaseRunner] = []
    failure: list[BaseException] = []
    ready = threading.Event()
    try:
        tls = ca_pem = None
        named = world.spec.host_names
        if any(p.scheme == "https" for p in world.portals):
            tls, ca_pem = _tls_context(folder, tuple(
                p.host_name for p in world.portals if named and p.scheme == "https"))
        urls: dict[str, str] = {}
        direct: dict[str, str] = {}
        routes: dict[str, tuple[str, int]] = {}
        for portal in world.portals:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, 0))
            sockets.append(sock)
            port = sock.getsockname()[1]
            direct[portal.slug] = f"{portal.scheme}://{host}:{port}/"
            urls[portal.slug] = (f"{portal.scheme}://{portal.host_name}/" if named
                                 else direct[portal.slug])
            if named:
                routes[portal.host_name] = (portal.scheme, port)
        proxy_sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        proxy_sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        proxy_sock.bind((host, 0))
        sockets.append(proxy_sock)
        proxy = f"http://{host}:{proxy_sock.getsockname()[1]}"
        servers: list[asyncio.Server] = []

        async def start() -> None:
            for portal, sock in zip(world.portals, sockets):
                server = web.Server(_handler(portal, urls[portal.slug], world.spec.latency_ms),
                                    handler_cancellation=True, access_log=None)
                runner = web.ServerRunner(server, shutdown_timeout=shutdown_timeout)
                await runner.setup()
                runners.append(runner)
                site = web.SockSite(runner, sock, backlog=1024,
                                    ssl_context=tls if portal.scheme == "https" else None)
                await site.start()
            servers.append(await asyncio.start_server(
                _proxy_handler(world, world.spec.latency_ms, routes, host), sock=proxy_sock,
                backlog=1024))

        async def stop() -> None:
            for server in servers:
                server.close()
            await asyncio.gather(*(r.cleanup() for r in runners), return_exceptions=True)
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(start())
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                failure.append(exc)
                ready.set()
                loop.run_until_complete(stop())
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(stop())

        thread = threading.Thread(target=run, name="losi-world-server", daemon=True)
        thread.start()
        ready.wait()
        if failure:
            thread.join()
            raise failure[0]
        try:
            yield ServedWorld(world, urls, ca_pem, proxy, direct)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=shutdown_timeout + 10)
    finally:
        if not loop.is_running() and not loop.is_closed():
            loop.close()
        for sock in sockets:
            sock.close()
        shutil.rmtree(folder, ignore_errors=True)
