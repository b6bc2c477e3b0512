"""The pattern engine: the vocabulary, how matches become evidence, and how outcomes are chosen."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from detectors.pattern import (
    PATTERN_DIR,
    SCHEMA_PATH,
    PatternDetector,
    PatternError,
    load_pattern,
    noisy_or,
    pattern_files,
)
from detectors.runner import run_detector
from losi.types import FetchStatus, Outcome
from tests.detectors.sites import SEED, home, page, site


def detector(*rules: dict[str, Any], **extra: Any) -> PatternDetector:
    spec = {"id": "thing", "version": 1, "title": "Thing", "requires": ["home"],
            "description": "A detector made up for these tests of the pattern engine.",
            "any": list(rules), **extra}
    return PatternDetector(spec, "test")


LINK = {"id": "label", "link_text": {"phrases": ["widget"]}, "confidence": 0.9}
PATH = {"id": "path", "link_url": {"pattern": "/widgets?/"}, "confidence": 0.7}


# ---- every pattern file -----------------------------------------------------------------------

def test_the_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text("utf-8")))


@pytest.mark.parametrize("path", pattern_files(), ids=lambda p: p.stem)
def test_every_pattern_file_validates_and_loads(path: Path) -> None:
    spec = json.loads(path.read_text("utf-8"))
    Draft202012Validator(json.loads(SCHEMA_PATH.read_text("utf-8"))).validate(spec)
    assert load_pattern(path).meta.id == path.stem


def test_there_is_a_pattern_file_for_each_content_indicator() -> None:
    assert {p.stem for p in pattern_files()} >= {
        "privacy-policy", "mobile-viewport", "social-networks", "site-search", "contact-details",
        "language-versions", "mobile-apps", "news-section", "events-section", "council-meetings",
        "budget-information", "open-data", "online-payment", "feedback-form",
        "incident-reporting", "job-vacancies", "procurement-notices", "help-faq",
        "helpdesk-phone"}


def test_a_bad_file_names_itself_and_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "thing.json"
    bad.write_text(json.dumps({"id": "thing", "version": 1, "title": "Thing", "requires": [],
                               "description": "x" * 50, "any": [{"confidence": 2, "link_url":
                                                                 {"pattern": "x"}}]}))
    with pytest.raises(PatternError, match=r"thing\.json: at any/0/confidence"):
        load_pattern(bad)


def test_a_bad_regex_names_the_rule() -> None:
    with pytest.raises(PatternError, match="rule path.*bad regular expression"):
        detector({**PATH, "link_url": {"pattern": "(unclosed"}})


def test_an_unknown_lexicon_is_refused() -> None:
    with pytest.raises(PatternError, match="no lexicon 'nope'"):
        detector({"link_text": {"lexicon": "nope"}, "confidence": 0.5})


def test_the_id_must_match_the_file_name(tmp_path: Path) -> None:
    spec = json.loads((PATTERN_DIR / "privacy-policy.json").read_text("utf-8"))
    other = tmp_path / "other-name.json"
    other.write_text(json.dumps(spec))
    with pytest.raises(PatternError, match="differs from the file name"):
        load_pattern(other)


# ---- confidence and outcomes ------------------------------------------------------------------

def test_noisy_or_combines_distinct_rules_and_is_capped() -> None:
    assert (noisy_or([0.9], 0.95), noisy_or([0.5, 0.5], 0.95), noisy_or([0.9, 0.7], 0.95)) == (
        0.9, 0.75, 0.95)


def test_two_rules_on_one_link_combine() -> None:
    finding = run_detector(detector(LINK, PATH, max_confidence=0.99),
                           site(home("<a href='/widgets/'>Widget</a>")))
    assert (finding.outcome, finding.confidence) == (Outcome.PRESENT, 0.97)


def test_one_rule_matching_many_links_counts_once() -> None:
    finding = run_detector(detector(PATH), site(home("<a href='/widget/1'>a</a><a href='/widget/2'>b</a>")))
    assert (finding.confidence, finding.details["matches"]) == (0.7, 2)


def test_every_match_becomes_evidence_strongest_rule_first() -> None:
    finding = run_detector(detector(PATH, LINK), site(home(
        "<nav><a href='/widget/'>Tools</a></nav><footer><a href='/x'>Widget</a></footer>")))
    assert [(e.locator, e.text) for e in finding.evidence] == [
        ("/html/body/footer/a", "Widget"), ("/html/body/nav/a", "Tools")]
    assert all(e.record_id == "<urn:uuid:0>" and e.page_url == SEED for e in finding.evidence)
    assert "rule label" in finding.evidence[0].explanation


def test_a_weak_match_only_needs_review() -> None:
    weak = {**PATH, "confidence": 0.3, "why": "only the path hints at it"}
    finding = run_detector(detector(weak), site(home("<a href='/widget/'>x</a>")))
    assert (finding.outcome, finding.confidence) == (Outcome.NEEDS_REVIEW, 0.3)
    assert "only the path hints at it" in finding.reason


def test_needs_review_below_is_a_setting() -> None:
    finding = run_detector(detector(PATH, needs_review_below=0.8),
                           site(home("<a href='/widget/'>x</a>")))
    assert finding.outcome is Outcome.NEEDS_REVIEW


def test_nothing_found_on_a_seen_home_page_is_absent_with_its_confidence() -> None:
    finding = run_detector(detector(LINK, absent_confidence=0.85), site(home("<a href='/'>Home</a>")))
    assert (finding.outcome, finding.confidence) == (Outcome.ABSENT, 0.85)
    assert finding.evidence[0].page_url == SEED


def test_absence_needs_what_absent_when_seen_lists() -> None:
    finding = run_detector(detector(LINK, absent_when_seen=["home", "footer"]),
                           site(home("<div>no footer here</div>")))
    assert finding.outcome is Outcome.NOT_ASSESSABLE and "footer" in finding.reason


def test_a_match_leading_to_a_broken_page_needs_review() -> None:
    s = site(home("<a href='/widget/'>Widget</a>"),
             page(SEED + "widget/", "gone", depth=1, status=FetchStatus.HTTP_ERROR, http_status=404))
    finding = run_detector(detector(LINK), s)
    assert finding.outcome is Outcome.NEEDS_REVIEW and "HTTP 404" in finding.reason


def test_a_link_with_a_session_id_finds_the_page_stored_under_its_canonical_address() -> None:
    """The crawler stores /widget/;jsessionid=...?utm_source=x as /widget/: the broken page is
    found all the same (it was not, and the match passed as sound)."""
    s = site(home("<a href='/widget/;jsessionid=0AB1C?utm_source=news'>Widget</a>"),
             page(SEED + "widget/", "gone", depth=1, status=FetchStatus.HTTP_ERROR, http_status=404))
    finding = run_detector(detector(LINK), s)
    assert finding.outcome is Outcome.NEEDS_REVIEW and "HTTP 404" in finding.reason
    assert s.page(SEED + "elsewhere;jsessionid=1") is None


def test_pages_after_the_one_that_made_the_claim_are_not_read() -> None:
    s = site(home("<a href='/x'>Widget</a>"), page(SEED + "a", "<a href='/y'>Widget</a>", depth=1))
    finding = run_detector(detector(LINK), s)
    assert finding.details["pages_examined"] == 1 and s.parsed_count == 1


def test_without_early_stop_every_page_is_read() -> None:
    s = site(home("<a href='/x'>Widget</a>"), page(SEED + "a", "<a href='/y'>Widget</a>", depth=1))
    d = detector(LINK)
    d.stop_early = False
    assert run_detector(d, s).details["matches"] == 2


# ---- the vocabulary ---------------------------------------------------------------------------

def test_where_positions_limits_a_rule_to_page_regions() -> None:
    rule = {**LINK, "where": {"positions": ["footer"]}}
    assert run_detector(detector(rule), site(home("<nav><a href='/'>Widget</a></nav>"))).outcome is Outcome.ABSENT
    assert run_detector(detector(rule), site(home("<footer><a href='/'>Widget</a></footer>"))).outcome is Outcome.PRESENT


def test_where_pages_home_ignores_inner_pages() -> None:
    rule = {**LINK, "where": {"pages": "home"}}
    s = site(home("<p>hi</p>"), page(SEED + "a", "<a href='/y'>Widget</a>", depth=1))
    assert run_detector(detector(rule), s).outcome is Outcome.ABSENT


def test_where_links_same_site() -> None:
    rule = {**PATH, "where": {"links": "same-site"}}
    assert run_detector(detector(rule), site(home("<a href='https://vendor.example/widget/'>x</a>"))).outcome is Outcome.ABSENT
    assert run_detector(detector(rule), site(home("<a href='https://www.city.example/widget/'>x</a>"))).outcome is Outcome.PRESENT


def test_where_languages_uses_the_declared_or_detected_language() -> None:
    rule = {"link_text": {"phrases": ["agenda"]}, "confidence": 0.8, "where": {"languages": ["es"]}}
    assert run_detector(detector(rule), site(home("<a href='/a'>Agenda</a>", lang="es"))).outcome is Outcome.PRESENT
    spanish_text = ("<p>El ayuntamiento informa a los vecinos de las actividades culturales y "
                    "deportivas que se celebran este mes en la ciudad.</p><a href='/a'>Agenda</a>")
    assert run_detector(detector(rule), site(home(spanish_text, lang="en"))).outcome is Outcome.PRESENT
    english = "<p>The council publishes the agenda of every meeting a week ahead.</p><a href='/a'>Agenda</a>"
    assert run_detector(detector(rule), site(home(english, lang="en"))).outcome is Outcome.ABSENT


def test_link_text_exact_and_unless_and_max_words() -> None:
    exact = {"link_text": {"phrases": ["english"], "exact": True}, "confidence": 0.9}
    assert run_detector(detector(exact), site(home("<a href='/'>English classes</a>"))).outcome is Outcome.ABSENT
    unless = {"link_text": {"phrases": ["widget"], "unless": {"phrases": ["share"]}}, "confidence": 0.9}
    assert run_detector(detector(unless), site(home("<a href='/'>Share widget</a>"))).outcome is Outcome.ABSENT
    short = {"link_text": {"phrases": ["widget"], "max_words": 2}, "confidence": 0.9}
    assert run_detector(detector(short), site(home("<a href='/'>Read about the new widget</a>"))).outcome is Outcome.ABSENT


def test_known_domains_match_subdomains_and_skip_unless() -> None:
    rule = {"known_domains": {"domains": ["example.org"], "unless": "/share"}, "confidence": 0.9}
    assert run_detector(detector(rule), site(home("<a href='https://www.example.org/p'>x</a>"))).outcome is Outcome.PRESENT
    assert run_detector(detector(rule), site(home("<a href='https://notexample.org/p'>x</a>"))).outcome is Outcome.ABSENT
    assert run_detector(detector(rule), site(home("<a href='https://example.org/share?u=1'>x</a>"))).outcome is Outcome.ABSENT


@pytest.mark.parametrize("rule, body, head", [
    ({"dom": {"selector": "div.widget", "attribute": "data-kind", "pattern": "^big$"}},
     "<div class='widget' data-kind='big'></div>", ""),
    ({"dom": {"selector": "button", "text": "open widget"}}, "<button>Open widget</button>", ""),
    ({"meta": {"name": "generator", "pattern": "WidgetCMS"}}, "", "<meta name='generator' content='WidgetCMS 3'>"),
    ({"meta": {"name": "og:type", "pattern": "website"}}, "", "<meta property='og:type' content='website'>"),
    ({"script_src": {"pattern": "widget\\.js"}}, "<script src='/static/widget.js'></script>", ""),
    ({"iframe_src": {"pattern": "widgets\\.example"}}, "<iframe src='https://widgets.example/embed'></iframe>", ""),
    ({"form": {"field": {"phrases": ["widget"]}}}, "<form><input name='widgetName'></form>", ""),
    ({"form": {"button": {"phrases": ["order"]}}}, "<form><button>Order now</button></form>", ""),
    ({"form": {"action": "/widgets"}}, "<form action='/widgets'><input name='a'></form>", ""),
    ({"text": {"phrases": ["widget hotline"], "near": {"pattern": "\\d{3}-\\d{4}", "within": 20}}},
     "<p>Widget hotline: 555-1234</p>", ""),
    ({"heading": {"phrases": ["widgets"], "levels": [2]}}, "<h2>Our widgets</h2>", ""),
    ({"structured_data": {"types": ["GovernmentOrganization"], "property": "telephone"}}, "",
     ("<script type='application/ld+json'>{\"@context\": \"https://schema.org\", "
     "\"@type\": \"GovernmentOrganization\", \"telephone\": \"+1 555 0100\"}</script>")),
])
def test_each_kind_of_rule_finds_what_it_says(rule: dict[str, Any], body: str, head: str) -> None:
    finding = run_detector(detector({**rule, "confidence": 0.9}), site(home(body, head=head)))
    assert finding.outcome is Outcome.PRESENT and finding.evidence[0].explanation


def test_a_header_rule_reads_the_archived_headers() -> None:
    from detectors.site import PageArtifact, Site

    artifact = PageArtifact(SEED, FetchStatus.OK, final_url=SEED, content_type="text/html",
                            load_body=lambda: b"<html></html>",
                            load_headers=lambda: [("X-Powered-By", "WidgetCMS")])
    rule = {"headers": {"name": "x-powered-by", "pattern": "widget"}, "confidence": 0.9}
    assert run_detector(detector(rule), Site(SEED, [artifact])).outcome is Outcome.PRESENT


def test_a_detector_survives_pickling() -> None:
    import pickle

    d = pickle.loads(pickle.dumps(detector(LINK)))
    assert run_detector(d, site(home("<a href='/'>Widget</a>"))).outcome is Outcome.PRESENT


# ---- issue 5: parts, page budgets, outbound pages, services, assists -----------------------------

def test_every_part_file_follows_the_schema() -> None:
    from detectors.pattern import PARTS_DIR, load_pattern, pattern_files

    parts = pattern_files(PARTS_DIR)
    assert [p.stem for p in parts] == ["online-transaction"]
    for path in parts:
        load_pattern(path)  # raises PatternError on a bad file


def _spec(**extra: object) -> dict[str, object]:
    return {"id": "thing", "version": 1, "title": "Thing", "description": "x" * 40,
            "requires": ["home"], "any": [{"id": "label", "link_text": {"phrases": ["thing"]},
                                           "confidence": 0.9}], **extra}


def test_outbound_pages_are_read_only_by_rules_that_ask_for_them() -> None:
    from detectors.pattern import PatternDetector
    from tests.detectors.sites import home, page, site

    s = site(home("<a href='https://gov.example/'>National portal</a>"),
             page("https://gov.example/", "<a href='/t'>Thing</a>", depth=1, kind="outbound"))
    assert run_detector(PatternDetector(_spec()), s).outcome is Outcome.ABSENT
    spec = _spec(where={"pages": "everywhere"})
    finding = run_detector(PatternDetector(spec), s)
    assert finding.outcome is Outcome.PRESENT
    assert finding.evidence[0].page_url == "https://gov.example/"


def test_a_page_budget_stops_the_reading_and_says_so() -> None:
    from detectors.pattern import PatternDetector
    from tests.detectors.sites import home, page, site

    s = site(home("<p>hi</p>"), page("https://city.example/a", "<p>a</p>", depth=1),
             page("https://city.example/b", "<a href='/t'>Thing</a>", depth=1))
    finding = run_detector(PatternDetector(_spec(max_pages=2)), s)
    assert finding.outcome is Outcome.ABSENT
    assert finding.details["pages_examined"] == 2 and "first 2" in finding.reason
    assert run_detector(PatternDetector(_spec()), s).outcome is Outcome.PRESENT


def test_pages_past_the_budget_are_read_only_where_the_feature_would_be() -> None:
    from detectors.pattern import PatternDetector
    from detectors.runner import run_detectors
    from tests.detectors.sites import home, page, site

    spec = _spec(max_pages=2, also_read={"page": "/search", "what": "search page"})

    def deep_search():  # type: ignore[no-untyped-def]
        return site(home("<p>hi</p>"), page("https://city.example/a", "<p>a</p>", depth=1),
                    page("https://city.example/b", "<a href='/t'>Thing</a>", depth=2),
                    page("https://city.example/search?q=x", "<a href='/t'>Thing</a>", depth=3))

    finding = run_detector(PatternDetector(spec), deep_search())
    assert finding.outcome is Outcome.PRESENT
    assert [e.page_url for e in finding.evidence] == ["https://city.example/search?q=x"]
    # the runner parses no page that no detector wants: /b is past the budget and no search page
    s = deep_search()
    findings = run_detectors(s, {"thing": PatternDetector(spec)})
    assert findings["thing"].outcome is Outcome.PRESENT and s.parsed_count == 3
    no_search = site(home("<p>hi</p>"), page("https://city.example/a", "<p>a</p>", depth=1),
                     page("https://city.example/b", "<a href='/t'>Thing</a>", depth=2))
    finding = run_detector(PatternDetector(spec), no_search)
    assert finding.outcome is Outcome.ABSENT
    assert "first 2 the crawl ranked best, and every search page" in finding.reason


def test_render_rules_read_the_dom_after_scripts() -> None:
    from detectors.pattern import PatternDetector
    from detectors.site import RenderArtifact, Site
    from tests.detectors.sites import SEED, home

    spec = _spec(any=[{"id": "r", "link_text": {"phrases": ["thing"]}, "where": {"pages": "render"},
                       "confidence": 0.8}])
    plain = Site(SEED, [home("<a href='/t'>Thing</a>")])
    assert run_detector(PatternDetector(spec), plain).outcome is Outcome.ABSENT
    dom = "<html><body><a href='/t'>Thing</a></body></html>"
    rendered = Site(SEED, [home("<div id=app></div>")],
                    renders={SEED: RenderArtifact(SEED, load_dom=lambda: dom)})
    assert run_detector(PatternDetector(spec), rendered).outcome is Outcome.PRESENT


def test_an_assist_never_claims_and_ranks_its_candidates() -> None:
    from detectors.pattern import PatternDetector
    from tests.detectors.sites import home, site

    spec = _spec(assist={"instructions": "open each candidate and check it by hand"},
                 any=[{"id": "a", "link_text": {"phrases": ["thing"]}, "confidence": 0.9},
                      {"id": "b", "link_url": {"pattern": "/other"}, "confidence": 0.4}])
    finding = run_detector(PatternDetector(spec), site(home(
        "<a href='/other'>Other</a><a href='/t'>Thing</a>")))
    assert finding.outcome is Outcome.NEEDS_REVIEW and finding.confidence == 0.0
    assert [c["url"] for c in finding.details["candidates"]] == [
        "https://city.example/t", "https://city.example/other"]


def test_the_schema_refuses_an_unknown_page_scope() -> None:
    from detectors.pattern import PatternError, validate

    with pytest.raises(PatternError, match="where/pages"):
        validate(_spec(where={"pages": "elsewhere"}), "thing.json")
