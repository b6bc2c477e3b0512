"""Site probes that are not page fetches: TLS. Stored as artifacts for the detectors.

The probe honours the proxy variables as Scrapy's requests do (`crawler/proxy.py`)."""

from __future__ import annotations

import os
import socket
import ssl
import time
from datetime import datetime, timezone
from typing import Any

from crawler.proxy import ProxyError, connect_via_proxy, redact


def probe_tls(host: str, port: int = 443, timeout: float = 10.0,
              proxy: str | None = None) -> dict[str, Any]:
    """Connect, verify the certificate as a browser would, and say what was seen.

    `reachable` is True/False when the answer is definite (a TLS server answered, or nothing
    listens there), None when the network failed us (timeout, DNS) so nothing can be claimed.

    With `proxy` (an http:// proxy URL, `crawler.proxy.proxy_for`), the connection is a CONNECT
    tunnel through it and the handshake runs inside the tunnel, as a browser behind that proxy
    does. A proxy that refuses the CONNECT says nothing definite about the portal (it answers
    alike for a host that does not resolve, a port nothing listens on, or its own policy), so
    that is `reachable = None`, as is a proxy that cannot be reached.
    """
    context = ssl.create_default_context(cafile=os.environ.get("LOSI_CA_BUNDLE") or None)
    started = time.monotonic()
    result: dict[str, Any] = {"host": host, "port": port}
    if proxy:
        result["proxy"] = redact(proxy)
    try:
        if proxy:
            try:
                raw = connect_via_proxy(proxy, host, port, timeout)
            except OSError as exc:
                if isinstance(exc, ProxyError):
                    summary = str(exc)
                elif isinstance(exc, TimeoutError):
                    summary = f"timed out after {timeout:.0f} s at the proxy {redact(proxy)}"
                else:
                    summary = f"the proxy {redact(proxy)} cannot be reached: {exc}"
                result.update(reachable=None, valid=False, summary=summary)
                result["seconds"] = round(time.monotonic() - started, 3)
                return result
        else:
            raw = socket.create_connection((host, port), timeout=timeout)
        with raw:
            with context.wrap_socket(raw, server_hostname=host) as tls:
                cert = tls.getpeercert() or {}
                issuer = dict(x[0] for x in cert.get("issuer", ()))
                not_after = cert.get("notAfter")
                expires = (
                    datetime.fromtimestamp(ssl.cert_time_to_seconds(not_after), timezone.utc)
                    if not_after
                    else None
                )
                result.update(
                    reachable=True,
                    valid=True,
                    protocol=tls.version(),
                    issuer=issuer.get("organizationName") or issuer.get("commonName", ""),
                    expires=expires.isoformat() if expires else "",
                    summary=f"valid certificate ({tls.version()}), issuer "
                    f"{issuer.get('organizationName') or issuer.get('commonName', '?')}, "
                    f"expires {expires:%Y-%m-%d}" if expires else "valid certificate",
                )
    except ssl.SSLCertVerificationError as exc:
        result.update(reachable=True, valid=False, summary=f"certificate rejected: {exc.verify_message}")
    except ssl.SSLError as exc:
        result.update(reachable=True, valid=False, summary=f"TLS handshake failed: {exc.reason or exc}")
    except ConnectionRefusedError:
        result.update(reachable=False, valid=False, summary=f"nothing listens on {host}:{port}")
    except (socket.timeout, TimeoutError):
        result.update(reachable=None, valid=False, summary=f"timed out after {timeout:.0f} s")
    except socket.gaierror as exc:
        result.update(reachable=None, valid=False, summary=f"DNS lookup failed: {exc}")
    except OSError as exc:
        result.update(reachable=None, valid=False, summary=f"connection failed: {exc}")
    result["seconds"] = round(time.monotonic() - started, 3)
    return result
