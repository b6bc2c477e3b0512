"""Engine behaviour that keeps detection fast: released pages are freed at once, and cheap tests
stand before costly passes without changing what is found."""

from __future__ import annotations

import gc
import weakref

from detectors.pattern import PatternDetector
from tests.detectors.sites import SEED, home, page, site

NAV = "<header><nav><a href='/a'>A</a></nav></header><main><p><a href='/b'>B</a></p></main>"


def test_a_released_page_is_freed_without_the_cyclic_collector() -> None:
    s = site(home("<p>home</p>"), page(SEED + "p", f"<html><body>{NAV}</body></html>", depth=1))
    artifact = s.html_artifacts()[1]
    parsed = s.parse(artifact)
    links = parsed.links
    assert [link.position for link in links] == ["nav", "body"]  # placed through the page
    dead = weakref.ref(parsed)
    gc.disable()
    try:
        s.release(artifact)
        del parsed
        assert dead() is None  # no page <-> link cycle keeps it (and its tree) alive
    finally:
        gc.enable()
    # Links that outlive their page still place themselves: the tree lives as long as they do.
    assert [link.locator for link in links] == ["/html/body/header/nav/a", "/html/body/main/p/a"]


def test_page_and_links_place_elements_alike() -> None:
    parsed = site(home(NAV)).parse(site(home(NAV)).home)  # type: ignore[arg-type]
    for link in parsed.links:
        assert (link.position, link.locator) == (parsed.position(link._element),
                                                 parsed.xpath(link._element))


def _faq_rule_detector() -> PatternDetector:
    return PatternDetector({
        "id": "faq-schema-only", "version": 1, "title": "t", "description": "d",
        "requires": ["home"],
        "any": [{"id": "faq", "structured_data": {"types": ["FAQPage"]}, "confidence": 0.9}],
    })


def test_a_page_without_json_ld_or_microdata_holds_no_typed_items() -> None:
    # The type's name in the text is not an item: the rule never reads the source for it.
    s = site(home("<p>See our FAQPage and itemprop=name</p>"))
    parsed = s.parse(s.home)  # type: ignore[arg-type]
    assert not parsed.holds_typed_items and parsed.schema_types == ()
    assert _faq_rule_detector().detect(s).outcome.value == "absent"


def test_json_ld_and_microdata_items_are_still_found() -> None:
    ld = ("<script type='application/ld+json'>{\"@context\": \"https://schema.org\", "
          "\"@type\": \"FAQPage\", \"name\": \"Questions\"}</script>")
    micro = "<div itemscope itemtype='https://schema.org/FAQPage'><span itemprop='name'>Q</span></div>"
    for body in (ld, micro):
        s = site(home(body))
        assert s.parse(s.home).holds_typed_items  # type: ignore[arg-type]
        assert _faq_rule_detector().detect(s).outcome.value == "present"
