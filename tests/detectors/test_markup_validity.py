"""markup-validity runs the real Nu Html Checker (vnu.jar, offline); the tests that need it skip
with the reason when this machine has no Java or no jar."""

from __future__ import annotations

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
def test_one_jvm_checks_a_batch_and_results_are_cached_by_body() -> None:
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
