"""One raw exchange with the world's proxy, for the tests that speak to it by hand."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit


def exchange(proxy: str, request: bytes, timeout: float = 10) -> bytes:
    """Send `request` to the proxy at `proxy` (http://HOST:PORT) and read until it closes."""
    parts = urlsplit(proxy)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)
