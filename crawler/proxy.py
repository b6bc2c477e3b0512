"""The proxy variables (`http_proxy`, `https_proxy`, `no_proxy`, upper case too), honoured by
the parts of a crawl that do not go through Scrapy's downloader.

Scrapy's HttpProxyMiddleware already sends page requests (and the http-redirect probe, robots.txt
and sitemaps, which are Scrapy requests) through the proxy the environment names, as curl and
urllib do. Two clients of ours open their own connections and must do the same, or a national
team behind a corporate proxy gets "DNS lookup failed" for every portal:

- the TLS probe (`crawler.probes.probe_tls`): a CONNECT to the portal's host:port through the
  proxy, then the handshake inside the tunnel (`connect_via_proxy`);
- Chromium (`crawler.render.playwright_settings`): Playwright's `proxy` launch option
  (`chromium_proxy`), with `no_proxy` as its bypass list; under the Selenium engine, browser
  flags made from the same `browser_proxy` (`crawler.render_selenium.proxy_args`: a PAC
  script, or `--proxy-server` with `chromium_bypass_list`).

They read the environment of the crawler process when they run, through urllib's own parsing
(`getproxies_environment`, `proxy_bypass_environment`), so they agree with Scrapy's requests.
The SSRF guard is unchanged: a host is still resolved locally and refused when it resolves to a
private address; a host only the proxy can resolve is the proxy's to reach, as it is for Scrapy's
requests (`PrivateAddressMiddleware`).
"""

from __future__ import annotations

import base64
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import getproxies_environment, proxy_bypass_environment

_MAX_HEAD = 64 * 1024


class ProxyError(OSError):
    """The proxy refused or failed a CONNECT (`status` is its HTTP status, 0 when it answered
    no HTTP at all)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


def proxy_for(url: str) -> str | None:
    """The proxy URL the environment names for `url` (None: connect directly), as urllib and
    Scrapy decide it: the scheme's variable, unless `no_proxy` lists the host."""
    parts = urlsplit(url)
    proxies = getproxies_environment()
    proxy = proxies.get(parts.scheme)
    if not proxy or not parts.hostname:
        return None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if proxy_bypass_environment(f"{parts.hostname}:{port}", proxies):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


def redact(proxy: str) -> str:
    """The proxy URL without its password, for records and messages."""
    parts = urlsplit(proxy)
    if parts.password is None:
        return proxy
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()


def connect_via_proxy(proxy: str, host: str, port: int, timeout: float) -> socket.socket:
    """A TCP connection to `host:port` tunnelled through the HTTP proxy `proxy` (a CONNECT),
    ready for a TLS handshake. Raises `ProxyError` when the proxy says no, OSError when the
    proxy itself cannot be reached."""
    parts = urlsplit(proxy)
    if parts.scheme != "http" or not parts.hostname:
        raise ProxyError(f"unsupported proxy {redact(proxy)} (only http:// proxies tunnel here)")
    target = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    lines = [f"CONNECT {target} HTTP/1.1", f"Host: {target}"]
    if parts.username is not None:
        credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        lines.append("Proxy-Authorization: Basic "
                     + base64.b64encode(credentials.encode("latin-1")).decode("ascii"))
    raw = socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout)
    try:
        raw.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = raw.recv(4096)
            if not chunk:
                raise ProxyError(f"the proxy {redact(proxy)} closed the connection on CONNECT "
                                 f"{target}")
            head += chunk
            if len(head) > _MAX_HEAD:
                raise ProxyError(f"the proxy {redact(proxy)} sent an endless answer to CONNECT")
        status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        fields = status_line.split(" ", 2)
        status = int(fields[1]) if len(fields) > 1 and fields[1].isdigit() else 0
        if status != 200:
            answered = status_line[9:] or repr(status_line)
            raise ProxyError(f"the proxy {redact(proxy)} answered {answered} to CONNECT {target}",
                             status)
        # A proxy answers a CONNECT with its head only: anything after it is the server's, and
        # a TLS server speaks only after the client's hello, so nothing is lost here.
        return raw
    except BaseException:
        raw.close()
        raise


@dataclass(frozen=True)
class BrowserProxy:
    """The proxy the environment names for a browser: Chromium takes one for every scheme."""

    server: str  # scheme://host[:port], no credentials
    username: str | None
    password: str | None
    bypass: tuple[str, ...]  # the no_proxy entries, as written

    @property
    def host_port(self) -> str:
        """host:port, as PAC scripts and `--proxy-server` write it."""
        parts = urlsplit(self.server)
        default = 443 if parts.scheme == "https" else 80
        return f"{parts.hostname}:{parts.port or default}"


def browser_proxy() -> BrowserProxy | None:
    """The browser's proxy from the environment (None: no proxy).

    `https_proxy` (most portals are https), else `http_proxy`; `no_proxy` is the bypass list,
    and `*` there means no proxy at all."""
    proxies = getproxies_environment()
    server = proxies.get("https") or proxies.get("http")
    if not server:
        return None
    bypass = tuple(e.strip() for e in proxies.get("no", "").split(",") if e.strip())
    if "*" in bypass:
        return None
    if "://" not in server:
        server = f"http://{server}"
    parts = urlsplit(server)
    return BrowserProxy(
        server=f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else ""),
        username=unquote(parts.username) if parts.username is not None else None,
        password=unquote(parts.password or "") if parts.username is not None else None,
        bypass=bypass)


def _with_subdomains(entries: tuple[str, ...], prefix: str) -> list[str]:
    """The no_proxy entries, each name followed by `prefix + name` for its subdomains (as curl
    and urllib read 'example.org': 'www.example.org' too); addresses and ranges stay alone."""
    out: list[str] = []
    for entry in entries:
        out.append(entry)
        name = entry.split(":")[0]
        if (not entry.startswith(".") and not name.replace(".", "").isdigit()
                and "/" not in entry and name != "localhost"):
            out.append(prefix + entry)
    return out


def chromium_proxy() -> dict[str, Any] | None:
    """Playwright's `proxy` launch option from the environment (None: no proxy).

    `no_proxy` becomes the bypass list; an entry names its subdomains too, as it does for curl
    and urllib ('example.org' also bypasses 'www.example.org'). Playwright proxies loopback
    addresses unless the list names them, as curl does.
    """
    proxy = browser_proxy()
    if proxy is None:
        return None
    option: dict[str, Any] = {"server": proxy.server}
    if proxy.username is not None:
        option["username"] = proxy.username
        option["password"] = proxy.password
    if proxy.bypass:  # Playwright writes '.entry' as '*.entry' for Chromium
        option["bypass"] = ",".join(_with_subdomains(proxy.bypass, "."))
    return option


def chromium_bypass_list(proxy: BrowserProxy) -> str:
    """Chromium's `--proxy-bypass-list` for `proxy`: what Playwright makes of the same list
    (each name with its subdomains; loopback proxied unless listed, `<-loopback>`)."""
    return ";".join(["<-loopback>", *_with_subdomains(proxy.bypass, "*.")])
