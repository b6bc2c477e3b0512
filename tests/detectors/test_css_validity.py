from __future__ import annotations

from detectors.builtin.css_validity import CssValidity
from detectors.runner import run_detector
from detectors.site import PageArtifact
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, failed, home, site

detector = CssValidity()
LINK = "<link rel='stylesheet' href='/css/main.css'>"


def sheet(css: str | bytes, url: str = SEED + "css/main.css", status: int = 200) -> PageArtifact:
    """A stylesheet as the crawler stores it: kind asset, not HTML."""
    body = css.encode("utf-8") if isinstance(css, str) else css
    return PageArtifact(url=url, final_url=url, fetch_status=FetchStatus.NOT_HTML,
                        http_status=status, content_type="text/css", depth=1,
                        record_id="<urn:uuid:css>", load_body=lambda: body)


GOOD = """
@charset "utf-8";
@import url("print.css") print;
:root { --brand: #036; }
body { margin: 0; font: 16px/1.5 sans-serif; color: var(--brand); -webkit-font-smoothing: auto; }
.grid { display: grid; gap: 1rem; aspect-ratio: 16 / 9; }
@media (max-width: 600px) { .grid { grid-template-columns: 1fr; } }
@supports (display: grid) { .x { display: grid } }
@font-face { font-family: City; src: url(city.woff2) format("woff2"); font-display: swap; }
@keyframes spin { from { transform: rotate(0) } to { transform: rotate(360deg) } }
@-webkit-keyframes spin { from { opacity: 0 } }
@layer base { p { margin: 0 } }
@container (min-width: 400px) { .card { padding: 2rem } }
.card { container-type: inline-size; & .title { font-weight: bold } }
"""


def test_clean_css_everywhere_is_present() -> None:
    s = site(home("<p style='color: red; margin: 0 auto'>hi</p>",
                  head=f"{LINK}<style>h1 {{ font-size: 2em }}</style>"),
             sheet(GOOD), sheet("p { color: black }", SEED + "css/print.css"))
    finding = run_detector(detector, s)
    assert finding.outcome is Outcome.PRESENT, finding.evidence
    assert (finding.details["stylesheets"], finding.details["style_blocks"],
            finding.details["style_attributes"]) == (2, 1, 1)
    assert finding.details["vendor_warnings"] == 2


def test_errors_in_a_stylesheet_are_absent_with_where_they_are() -> None:
    bad = "a { colr: red; }\n.b { color: ; }\n@tailwind base;\n.c { *zoom: 1; }\n"
    finding = run_detector(detector, site(home("<p>hi</p>", head=LINK), sheet(bad)))
    assert finding.outcome is Outcome.ABSENT and finding.details["errors"] == 4
    messages = [e.explanation for e in finding.evidence]
    assert "CSS: property 'colr' doesn't exist" in messages
    assert "CSS: the value of 'color' is empty" in messages
    assert "CSS: unrecognized at-rule @tailwind" in messages
    assert any("parse error" in m for m in messages)
    first = finding.evidence[0]
    assert first.page_url == SEED + "css/main.css" and first.locator == "line 1, column 5"
    assert first.record_id == "<urn:uuid:css>"


def test_errors_in_inline_css_point_at_the_element() -> None:
    s = site(home("<div style='colour: red'>x</div>", head="<style>p { color: red</style>"))
    finding = run_detector(detector, s)
    assert finding.outcome is Outcome.ABSENT
    assert finding.evidence[0].locator.startswith("/html/body/div")


def test_an_unterminated_block_is_an_error() -> None:
    s = site(home("<p>hi</p>", head=LINK), sheet("a { color: red; }\n}\n.x { content: \"a\n; }"))
    assert run_detector(detector, s).outcome is Outcome.ABSENT


def test_a_stylesheet_the_crawl_did_not_archive_needs_review() -> None:
    s = site(home("<p>hi</p>", head=LINK + "<link rel='stylesheet' href='https://cdn.example/x.css'>"),
             sheet("p { color: red }"))
    finding = run_detector(detector, s)
    assert finding.outcome is Outcome.NEEDS_REVIEW
    assert finding.details["missing_stylesheets"] == ["https://cdn.example/x.css"]


def test_a_broken_stylesheet_needs_review_but_errors_elsewhere_are_still_absent() -> None:
    broken = sheet("", status=404)
    assert run_detector(detector, site(home("<p>hi</p>", head=LINK), broken)).outcome \
        is Outcome.NEEDS_REVIEW
    s = site(home("<p style='colr: red'>hi</p>", head=LINK), broken)
    assert run_detector(detector, s).outcome is Outcome.ABSENT


def test_the_stylesheet_charset_is_read_as_browsers_do() -> None:
    css = '@charset "windows-1252";\n.a::before { content: "é"; }'.encode("cp1252")
    s = site(home("<p>hi</p>", head=LINK), sheet(css))
    assert run_detector(detector, s).outcome is Outcome.PRESENT


def test_a_page_without_css_is_present() -> None:
    assert run_detector(detector, site(home("<p>hi</p>"))).outcome is Outcome.PRESENT


def test_an_unseen_home_page_is_not_assessable() -> None:
    s = site(failed(SEED, FetchStatus.TIMEOUT, "timed out"))
    assert run_detector(detector, s).outcome is Outcome.NOT_ASSESSABLE


def test_non_css_scripts_templates_are_not_read_as_css() -> None:
    s = site(home("<p>hi</p>", head="<style type='text/less'>@x: 1; a { b: @x }</style>"))
    assert run_detector(detector, s).outcome is Outcome.PRESENT
