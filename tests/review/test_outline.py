"""The element an evidence row points at, outlined on the render's desktop screenshot.

End to end: a real crawl renders a page in Chromium (the crawler records element boxes), the
privacy-policy detector finds the link, and the review app, opened in Debian's Chromium, draws the
outline where the link is: on the page itself (measured in a browser of the same width) and on
the stored screenshot (its pixels under the outline are the link's colour). Then the matching
rules on hand-built boxes, and an old render without boxes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from review.app import create_app
from review.archive_view import find_record, match_element, outline_for
from storage.db import make_engine, session_scope, upgrade
from storage.models import Assignment, City, Crawl, ProposalRow, Render
from tests.review.world import CITY, HOME, free_port, serving

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct horse battery"
# The link: a block of a colour nothing else on the page has, far down and to the right, so a
# box measured in the wrong viewport or without the scroll offset lands elsewhere.
MAGENTA = (255, 0, 255)
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Outline town</title>
<style>body{margin:0;font:16px sans-serif} .tall{height:1500px;background:#eef}
#privacy{display:inline-block;margin-left:700px;width:230px;height:44px;background:#f0f;color:#fff}
.more{height:900px}</style></head><body>
<header><h1>Outline town</h1><a href="/news.html">News</a></header>
<div class="tall">Welcome</div>
<p><a id="privacy" href="/privacy.html">Privacy policy</a></p>
<div class="more"></div>
</body></html>"""


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A crawl with a render of the home page, its privacy-policy proposal, an assessor."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed")
    from argon2 import PasswordHasher

    import review.auth
    from detectors.registry import load_registry
    from detectors.runner import run_detector
    from detectors.site import load_site
    from losi.cli import CrawlOptions, crawl_cities
    from losi.demo.server import serve_portals

    tmp = tmp_path_factory.mktemp("outline")
    root = tmp / "www" / "site"
    root.mkdir(parents=True)
    (root / "index.html").write_text(PAGE)
    for name in ("privacy.html", "news.html"):
        (root / name).write_text(f"<!doctype html><title>{name}</title><p>{name}</p>")
    engine = make_engine(f"sqlite:///{tmp / 'losi.db'}")
    upgrade(engine)
    # The portal stays served: the test opens it in a browser too.
    with pytest.MonkeyPatch.context() as mp, serve_portals({"site": 0}, root=tmp / "www") as served:
        mp.setenv("LOSI_ARCHIVE_DIR", str(tmp / "archive"))
        mp.setattr(review.auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        seed = served["site"].url
        with session_scope(engine) as s:
            s.add(City(id=CITY, country="FRA", name="Outline town", portal_url=seed, languages=["en"]))
        [crawl_id] = crawl_cities(engine, [CITY], CrawlOptions(
            max_pages=5, max_depth=1, allow_private=True, fast=True, render_pages=1))
        registry = load_registry()
        with session_scope(engine) as s:
            finding = run_detector(registry["privacy-policy"], load_site(s, crawl_id))
            s.add(ProposalRow(crawl_id=crawl_id, city_id=CITY, methodology_id="losi-2024",
                              methodology_version="1", indicator_code="234",
                              outcome=finding.outcome.value, confidence=finding.confidence,
                              detector_id="privacy-policy", detector_version=3, reason=finding.reason,
                              evidence=[e.to_dict() for e in finding.evidence], run_id="run1"))
            user = review.auth.add_user(s, "ana", "assessor", PASSWORD)
            s.add(Assignment(city_id=CITY, methodology_id="losi-2024", round="a", user_id=user.id,
                             assigned_by="test"))
        port = free_port()
        try:
            with serving(create_app(engine), port):
                yield {"engine": engine, "crawl_id": crawl_id, "seed": seed, "finding": finding,
                       "origin": f"http://127.0.0.1:{port}", "www": tmp / "www"}
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def browser(crawled: dict[str, Any]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--disable-gpu", "--disable-quic"])
        yield b
        b.close()


def _render(crawled: dict[str, Any]) -> Render:
    with session_scope(crawled["engine"]) as s:
        return s.scalars(select(Render).where(Render.crawl_id == crawled["crawl_id"])).one()


def test_the_render_stores_the_links_box_in_page_coordinates(crawled: dict[str, Any]) -> None:
    boxes = _render(crawled).timings["boxes"]
    link = next(e for e in boxes["elements"] if e["url"].endswith("/privacy.html"))
    assert boxes["viewport"] == [1366, 768]
    assert (link["tag"], link["text"]) == ("a", "Privacy policy")
    x, y, w, h = link["box"]
    assert (x, w, h) == (700, 230, 44) and 1500 < y < 1700  # below the first screen
    assert link["xpath"] == "/html/body/p/a"


def test_the_detectors_evidence_is_outlined_where_the_screenshot_shows_the_link(
        crawled: dict[str, Any], browser: Any) -> None:
    from PIL import Image

    assert crawled["finding"].outcome.value == "present", crawled["finding"]
    context = browser.new_context(base_url=crawled["origin"], viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=name]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(crawled["origin"] + "/")
    page.goto(f"/cities/{CITY}/items/234")
    # Both rules found the link (its label, its path): each evidence row outlines it.
    assert page.locator("article.ev").count() == len(crawled["finding"].evidence) == 2
    assert page.locator(".shotframe .outline").count() == 2

    # Where the link really is: the same page in a browser of the render's width.
    plain = browser.new_page(viewport={"width": 1366, "height": 768})
    plain.goto(crawled["seed"])
    x, y, w, h = plain.evaluate("""() => { const b = document.getElementById('privacy').getBoundingClientRect();
        return [b.left + scrollX, b.top + scrollY, b.width, b.height]; }""")
    plain.close()
    render = _render(crawled)
    with session_scope(crawled["engine"]) as s:
        record = find_record(s, s.get(Crawl, crawled["crawl_id"]), render.screenshot_desktop_record_id)
    assert record is not None
    png = Image.open(io.BytesIO(record.body)).convert("RGB")

    for n in (1, 2):
        summary = page.locator("details.shot summary").nth(n - 1)
        assert "link outlined" in summary.inner_text()
        summary.click()
        page.locator(f"#outline-{n}").scroll_into_view_if_needed()
        page.wait_for_function(
            "(n) => document.querySelector('#outline-' + n).parentElement.querySelector('img').naturalWidth > 0", arg=n)
        frame, shot, natural = page.evaluate("""(n) => {
            const r = (el) => { const b = el.getBoundingClientRect(); return [b.left, b.top, b.width, b.height]; };
            const box = document.querySelector('#outline-' + n), img = box.parentElement.querySelector('img');
            return [r(box), r(img), [img.naturalWidth, img.naturalHeight]];
        }""", n)
        assert natural == [png.width, png.height] and natural[0] == 1366
        scale = shot[2] / natural[0]
        # Back in the screenshot's own pixels: where the outline says the link is.
        ox, oy = (frame[0] - shot[0]) / scale, (frame[1] - shot[1]) / scale
        ow, oh = frame[2] / scale, frame[3] / scale
        # 1. Where the link is on the page.
        assert abs(ox - x) < 2 and abs(oy - y) < 2 and abs(ow - w) < 2 and abs(oh - h) < 2, (
            (ox, oy, ow, oh), (x, y, w, h))
        # 2. What the stored screenshot shows there: the link's colour, and not around it.
        inside = [png.getpixel((int(ox + ow * fx), int(oy + oh * fy))) for fx in (0.1, 0.5, 0.9)
                  for fy in (0.1, 0.5, 0.9)]
        assert all(p == MAGENTA for p in inside), inside
        assert png.getpixel((int(ox) - 5, int(oy + oh / 2))) != MAGENTA
        assert png.getpixel((int(ox + ow / 2), int(oy) - 5)) != MAGENTA
    context.close()


# ---- matching, on hand-built boxes ------------------------------------------------------------

ELEMENTS = [
    {"tag": "a", "url": "https://t.example/privacy", "text": "Privacy", "xpath": "/html/body/header/a",
     "box": [10, 10, 60, 20]},
    {"tag": "h1", "url": "", "text": "Welcome to Testville", "xpath": "/html/body/h1", "box": [10, 40, 400, 40]},
    {"tag": "a", "url": "https://t.example/privacy", "text": "Privacy policy",
     "xpath": "/html/body/footer/a[2]", "box": [300, 5990, 120, 20]},
    {"tag": "form", "url": "https://t.example/search", "text": "", "xpath": "/html/body/form",
     "box": [900, 10, 300, 30]},
]


def _link_evidence(text: str, url: str, locator: str = "") -> dict[str, str]:
    return {"page_url": "https://t.example/", "text": text, "locator": locator,
            "explanation": f"label: link {text!r} in the footer -> {url} — the link's label names it"}


def test_a_link_is_matched_by_url_and_text_before_url_alone() -> None:
    found = match_element(ELEMENTS, _link_evidence("Privacy policy", "https://T.example/privacy#top"))
    assert found is not None and found[0]["xpath"] == "/html/body/footer/a[2]"
    assert found[1] == "URL and text"


def test_a_link_with_other_words_is_matched_by_its_url_and_a_heading_by_its_text() -> None:
    found = match_element(ELEMENTS, _link_evidence("Data protection", "https://t.example/privacy"))
    assert found is not None and found[0]["xpath"] == "/html/body/header/a" and found[1] == "URL"
    heading = match_element(ELEMENTS, {"text": "Welcome to Testville", "locator": "/html/body/div/h1",
                                       "explanation": "<h1> 'Welcome to Testville'"})
    assert heading is not None and heading[0]["tag"] == "h1" and heading[1] == "text"


def test_nothing_is_outlined_without_a_real_match() -> None:
    assert match_element(ELEMENTS, _link_evidence("Contact", "https://t.example/contact")) is None
    # A form's XPath must be the locator's: another form is not "the" form.
    assert match_element(ELEMENTS, {"text": "search", "locator": "/html/body/div/form"}) is None
    assert match_element(ELEMENTS, {"text": "search", "locator": "/html/body/form"}) is not None
    assert match_element(ELEMENTS, {"text": "Privacy", "locator": ""}) is None  # no kind of element


def _row(timings: dict[str, Any]) -> Render:
    return Render(crawl_id=1, page_url="https://t.example/", timings=timings)


LAYOUT = {"desktop": {"viewport": [1366, 768], "screenshot_height": 6000}}


def test_the_outline_is_in_percent_of_the_screenshot_and_cut_with_it() -> None:
    boxes = {"viewport": [1366, 768], "elements": ELEMENTS}
    header = outline_for(_row({"layout": LAYOUT, "boxes": boxes}),
                         _link_evidence("Privacy", "https://t.example/privacy", "/html/body/header/a"))
    assert header is not None
    assert (round(header.left, 4), round(header.top, 4)) == (round(10 / 1366 * 100, 4), round(10 / 6000 * 100, 4))
    assert round(header.width, 4) == round(60 / 1366 * 100, 4)
    # The footer link starts above the cut (6000 px) and ends below it: only its visible part.
    footer = outline_for(_row({"layout": LAYOUT, "boxes": boxes}),
                         _link_evidence("Privacy policy", "https://t.example/privacy"))
    assert footer is not None and abs(footer.top + footer.height - 100) < 1e-9
    short = {"desktop": {"viewport": [1366, 768], "screenshot_height": 3000}}
    assert outline_for(_row({"layout": short, "boxes": boxes}),
                       _link_evidence("Privacy policy", "https://t.example/privacy")) is None


def test_no_outline_from_an_old_render_or_boxes_of_another_viewport() -> None:
    evidence = _link_evidence("Privacy", "https://t.example/privacy")
    assert outline_for(_row({"layout": LAYOUT}), evidence) is None  # stored before boxes existed
    assert outline_for(_row({}), evidence) is None
    mobile = {"viewport": [390, 844], "elements": ELEMENTS}
    assert outline_for(_row({"layout": LAYOUT, "boxes": mobile}), evidence) is None


def test_an_old_render_without_boxes_still_shows_its_screenshot(as_user, world) -> None:  # type: ignore[no-untyped-def]
    page = as_user("ana").get(f"/cities/{CITY}/items/204")  # evidence on HOME, rendered: no boxes
    assert page.status_code == 200
    assert f"Screenshot of {HOME}" in page.text and 'class="shotframe"' in page.text
    assert 'class="outline"' not in page.text and "<style>" not in page.text
    assert "'sha256-" not in page.headers["Content-Security-Policy"]


def test_the_crawler_keeps_the_boxes_the_desktop_screenshot_can_show() -> None:
    from crawler.render import MAX_SCREENSHOT_HEIGHT, _boxes, _links

    found = {"viewport": [1366, 768], "links": [
        {"url": "https://t.example/a", "text": " A  link ", "visible": True, "box": [5, 6, 50, 20], "xpath": "/html/body/a"},
        {"url": "https://t.example/hidden", "text": "menu", "visible": False, "box": None, "xpath": ""},
        {"url": "https://t.example/skip", "text": "skip", "visible": True, "box": [-9999, 0, 40, 20], "xpath": "/html/body/a[2]"},
        {"url": "https://t.example/deep", "text": "deep", "visible": True,
         "box": [5, MAX_SCREENSHOT_HEIGHT + 10, 50, 20], "xpath": "/html/body/a[3]"}],
        "elements": [{"tag": "form", "url": "https://t.example/search", "text": "", "box": [1400, 5, 10, 10], "xpath": "/html/body/form"},
                     {"tag": "h1", "url": "", "text": "Title", "box": [0, 0, 300, 40], "xpath": "/html/body/h1"}]}
    # The spider still gets every link, and only links; the old answer (a bare list) still reads.
    assert [link.url for link in _links(found)] == [x["url"] for x in found["links"]]
    assert _links(found["links"]) == _links(found)
    boxes = _boxes(found)
    assert boxes["viewport"] == [1366, 768]
    assert [(e["tag"], e["text"]) for e in boxes["elements"]] == [("a", "A link"), ("h1", "Title")]
    assert _boxes(found["links"]) == {} and _boxes({"viewport": [1366, 768], "links": []}) == {}
