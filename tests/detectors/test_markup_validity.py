"""markup-validity runs the real Nu Html Checker (vnu.jar, offline); the tests that need it skip
with the reason when this machine has no Java or no jar."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from detectors.builtin.markup_validity import MarkupValidity
from detectors.runner import run_detector
from detectors.vnu import VnuUnavailable, check_html, vnu_version
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, page, site

detector = MarkupValidity()
try:
    VERSION = vnu_version()
    WHY = ""
except VnuUnavailable as exc:
    VERSION, WHY = "", str(exc)
needs_vnu = pytest.mark.skipif(not VERSION, reason=f"no Nu Html Checker here: {WHY}")

VALID = ("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>City</title></head>"
         "<body><p>Welcome</p></body></html>")
INVALID = ("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>City</title></head>"
           "<body><p>Welcome<div></span><img src='a.png'></body></html>")


WARNED = VALID.replace("<meta charset='utf-8'>", "<meta charset='utf-8'/>")
LEGACY = VALID.replace("utf-8", "windows-1252").replace("Welcome", "Bienvenue à").encode("cp1252")
BATCH = [VALID.replace("Welcome", "Hello").encode(), INVALID.replace("Welcome", "Hi").encode()]


@pytest.fixture(scope="module", autouse=True)
def one_jvm() -> None:
    """Every document of this module checked by one JVM (the detector then finds them cached)."""
    if VERSION:
        MarkupValidity.prepare([site(page(SEED, VALID)), site(page(SEED, INVALID)),
                                site(page(SEED, WARNED)),
                                site(page(SEED, LEGACY, content_type="text/html"))])


@needs_vnu
def test_a_valid_page_is_present_and_names_the_checker() -> None:
    finding = run_detector(detector, site(page(SEED, VALID)))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.details["errors"] == 0 and finding.details["vnu_version"] == VERSION


@needs_vnu
def test_errors_are_absent_with_line_message_and_extract() -> None:
    finding = run_detector(detector, site(page(SEED, INVALID)))
    assert finding.outcome is Outcome.ABSENT and finding.details["errors"] >= 2
    messages = " ".join(e.explanation for e in finding.evidence)
    assert "Stray end tag" in messages and "alt" in messages
    first = finding.evidence[0]
    assert first.locator.startswith("line 1") and first.text and first.record_id


@needs_vnu
def test_two_checks_of_one_page_give_the_same_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    from detectors import vnu

    findings = []
    for _ in range(2):  # as two re-runs in two processes: nothing cached between them
        monkeypatch.setattr(vnu, "_CACHE", {})
        findings.append(run_detector(detector, site(page(SEED, INVALID))))
    assert findings[0] == findings[1]


@needs_vnu
def test_warnings_do_not_count() -> None:
    # A trailing slash on a void element is an info/warning message, not an error.
    assert run_detector(detector, site(page(SEED, WARNED))).outcome is Outcome.PRESENT


@needs_vnu
def test_a_legacy_encoding_is_an_error_and_the_rest_is_still_checked() -> None:
    finding = run_detector(detector, site(page(SEED, LEGACY, content_type="text/html")))
    assert finding.outcome is Outcome.ABSENT
    assert "windows-1252" in finding.evidence[0].text.lower() or "1252" in finding.evidence[0].text
    assert not any("Malformed byte" in e.explanation for e in finding.evidence)
    assert not any("disagrees" in e.explanation for e in finding.evidence)


@needs_vnu
def test_one_jvm_checks_a_batch_and_results_are_cached_by_body(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from detectors import vnu

    # The batch path, whether or not an earlier run in this process left a service running.
    monkeypatch.delenv(vnu.SERVICE_ENV, raising=False)
    monkeypatch.setattr(vnu, "_CACHE", {})
    first, second = check_html(BATCH)
    assert not first.errors and second.errors and first.seconds == second.seconds
    assert check_html([BATCH[1]])[0] is second


def test_without_java_it_is_not_assessable_never_absent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOSI_JAVA", "/nonexistent/java")
    finding = run_detector(detector, site(page(SEED, INVALID)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE and "Java" in finding.reason


def test_without_the_jar_it_is_not_assessable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOSI_VNU_JAR", "/nonexistent/vnu.jar")
    finding = run_detector(detector, site(page(SEED, INVALID)))
    assert finding.outcome is Outcome.NOT_ASSESSABLE


def test_turned_off_it_is_not_assessable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOSI_VNU", "off")
    finding = run_detector(detector, site(home("<p>hi</p>")))
    assert finding.outcome is Outcome.NOT_ASSESSABLE and "LOSI_VNU=off" in finding.reason


def test_an_unseen_home_page_is_not_assessable() -> None:
    s = site(failed(SEED, FetchStatus.BLOCKED, "Cloudflare challenge"))
    assert run_detector(detector, s).outcome is Outcome.NOT_ASSESSABLE


# ---- the shared service (one JVM for a whole run) ----------------------------------------------

REAL = sorted(__import__("pathlib").Path(__file__).resolve().parents[3].joinpath(
    "shared", "world").glob("*/*.html"))[:3]


@pytest.fixture
def service(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from detectors import vnu

    monkeypatch.setattr(vnu, "_CACHE", {})  # every document checked again, not read from cache
    monkeypatch.delenv(vnu.SERVICE_ENV, raising=False)
    url = vnu.start_service()
    yield url
    vnu.stop_service()


def _messages(report):  # type: ignore[no-untyped-def]
    return [(m.get("type"), m.get("subType"), m.get("lastLine"), m.get("message"))
            for m in report.messages]


@needs_vnu
def test_the_service_gives_the_command_lines_messages(service: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from detectors import vnu

    documents = [VALID.encode(), INVALID.encode(), WARNED.encode(),
                 *(p.read_bytes() for p in REAL)]
    served = check_html(documents)
    assert service.startswith("http://127.0.0.1:") and served[1].errors
    monkeypatch.setattr(vnu, "_CACHE", {})
    monkeypatch.delenv(vnu.SERVICE_ENV)
    batch = check_html(documents)
    assert [_messages(r) for r in served] == [_messages(r) for r in batch]


@needs_vnu
def test_a_dead_service_falls_back_to_one_jvm_per_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from detectors import vnu

    monkeypatch.setattr(vnu, "_CACHE", {})
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv(vnu.SERVICE_ENV, f"http://127.0.0.1:{port}")
    valid, invalid = check_html([VALID.encode(), INVALID.encode()])
    assert not valid.errors and invalid.errors
    assert vnu.SERVICE_ENV not in __import__("os").environ  # not tried again in this process


@needs_vnu
def test_a_run_over_many_sites_starts_one_service_and_agrees(monkeypatch: pytest.MonkeyPatch) -> None:
    """run_many with several chunks shares one service; the proposals are those of one batch."""
    from detectors import vnu
    from detectors.runner import run_many
    from tests.detectors import test_run_many as helpers

    monkeypatch.setattr(vnu, "_CACHE", {})
    monkeypatch.delenv(vnu.SERVICE_ENV, raising=False)
    jobs = [(f"https://city-{n}.example/", VALID.replace("Welcome", f"Hello {n}") if n % 2 else
             INVALID.replace("Welcome", f"Hi {n}")) for n in range(6)]
    try:
        shared = [r.findings["markup-validity"] for r in run_many(
            jobs, helpers.load, detectors={"markup-validity": detector}, workers=2, chunk=2)]
        assert vnu._Service.process is not None and vnu._Service.process.poll() is None
    finally:
        vnu.stop_service()
    monkeypatch.setattr(vnu, "_CACHE", {})
    alone = [r.findings["markup-validity"] for r in run_many(
        jobs, helpers.load, detectors={"markup-validity": detector}, workers=1, chunk=10)]
    assert vnu._Service.process is None  # one chunk: no service
    assert [(f.outcome, f.details["errors"]) for f in shared] == \
        [(f.outcome, f.details["errors"]) for f in alone]
    assert [f.outcome for f in shared] == [Outcome.ABSENT, Outcome.PRESENT] * 3


def test_messages_are_kept_between_runs_by_body_and_checker_version(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A re-run over stored crawls reads the messages of home pages checked before; a kept file
    that cannot be read is checked again, and a failure is never kept."""
    from detectors import vnu

    monkeypatch.setenv(vnu.CACHE_ENV, str(tmp_path))
    monkeypatch.delenv(vnu.SERVICE_ENV, raising=False)
    monkeypatch.setattr(vnu, "_CACHE", {})
    document = b"<!DOCTYPE html><html lang=en><title>x</title><p>unclosed <b>bold</p></html>"
    first = vnu.check_html([document])[0]
    kept = list(tmp_path.rglob("*.json"))
    assert len(kept) == 1 and first.sha256 in kept[0].name and first.errors
    # a new process (no cache in memory) and no checker at all: the kept messages answer
    monkeypatch.setattr(vnu, "_CACHE", {})
    monkeypatch.setattr(vnu, "_run", lambda *a: pytest.fail("checked again"))
    again = vnu.check_html([document])[0]
    assert again.messages == first.messages and again.version == first.version
    # a damaged file is a miss, not an error
    kept[0].write_text("{not json", "utf-8")
    monkeypatch.setattr(vnu, "_CACHE", {})
    monkeypatch.setattr(vnu, "_run", lambda java, jar, version, todo: [
        vnu.VnuReport(k, (), version, 0.1, failure="the checker crashed") for k in todo])
    assert vnu.check_html([document])[0].failure == "the checker crashed"
    assert kept[0].read_text("utf-8") == "{not json"  # the failure was not kept over it


@needs_vnu
def test_a_service_started_without_waiting_answers_the_first_post(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`run_many` launches the JVM and goes on: the first post waits until it answers."""
    import time

    from detectors import vnu

    monkeypatch.setattr(vnu, "_CACHE", {})
    monkeypatch.delenv(vnu.SERVICE_ENV, raising=False)
    monkeypatch.delenv(vnu.STARTING_ENV, raising=False)
    started = time.perf_counter()
    try:
        url = vnu.start_service(wait=False)
        assert time.perf_counter() - started < 2  # launched, not waited for
        assert os.environ[vnu.SERVICE_ENV] == url and os.environ[vnu.STARTING_ENV]
        report = check_html([VALID.encode()])[0]
        assert report.errors == [] and not report.failure
        assert vnu.STARTING_ENV not in os.environ  # it answered: a refusal is a failure again
    finally:
        vnu.stop_service()
