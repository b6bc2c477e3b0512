"""Serve the shipped demo portals on 127.0.0.1, one port per portal, in background threads."""

from __future__ import annotations

import errno
import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path


def portals_dir() -> Path:
    return Path(str(resources.files(__package__).joinpath("portals")))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@dataclass(frozen=True)
class Served:
    slug: str
    port: int
    moved: bool  # True when the wanted port was taken and another one was used

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


@contextmanager
def serve_portals(
    wanted: dict[str, int], root: Path | None = None
) -> Iterator[dict[str, Served]]:
    """Serve `{slug: port}` from `root/slug` (port 0: any free one); a taken port falls back to a
    free one, reported as `moved`."""
    base = root or portals_dir()
    servers: list[ThreadingHTTPServer] = []
    served: dict[str, Served] = {}
    try:
        for slug, port in wanted.items():
            site_root = base / slug
            if not (site_root / "index.html").is_file():
                raise FileNotFoundError(f"no portal named {slug!r} in {base}")
            handler = functools.partial(_QuietHandler, directory=str(site_root))
            try:
                server = ThreadingHTTPServer(("127.0.0.1", port), handler)
                moved = False  # port 0 asks for any port: not a move
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE:
                    raise
                server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
                moved = True
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers.append(server)
            served[slug] = Served(slug, server.server_address[1], moved)
        yield served
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
