"""The Site view: each page parsed once, and the facets detectors read."""

from __future__ import annotations

from detectors.site import PageArtifact, RenderArtifact, Site, detect_language, normalise_text
from losi.types import FetchStatus
from tests.detectors.sites import SEED, home, page, site

PAGE = """<!doctype html><html lang='en'><head><title>City of Example</title>
<meta name='viewport' content='width=device-width'><meta property='og:title' content='Example'>
<script src='/js/app.js'></script><style>.x{color:red}</style>
<script type='application/ld+json'>{"@context": "https://schema.org", "@type": "GovernmentOrganization",
 "name": "City of Example", "address": {"@type": "PostalAddress", "streetAddress": "1 Main St"}}</script>
</head><body>
<header><a href='/' title='Home'><img src='logo.png' alt='City of Example'></a>
 <form role='search' action='/search' method='get'><label for='q'>Search</label>
  <input id='q' name='q' type='search' placeholder='Search the site'><button>Go</button></form></header>
<nav><ul><li><a href='/news'>News</a></li><li><a href='#top'>Top</a></li></ul></nav>
<main><h1>Welcome</h1><h2>Latest <em>news</em></h2><p>Call <b>311</b> for  services.</p>
<noscript>Enable JavaScript</noscript><template><p>hidden template</p></template>
<!-- <a href='/old'>Old</a> -->
<iframe src='https://maps.example/embed' title='Map'></iframe></main>
<footer><p>City Hall, 1 Main St.</p><a href='/privacy' aria-label='Privacy policy'>Privacy</a></footer>
</body></html>"""


def parsed():  # type: ignore[no-untyped-def]
    s = site(page(SEED, PAGE))
    return s, s.parse(s.home)


def test_a_page_is_parsed_once_and_shared() -> None:
    s, p = parsed()
    assert s.parse(s.home) is p and s.parsed_count == 1


def test_links_carry_label_region_locator_and_absolute_href() -> None:
    _, p = parsed()
    logo, news, top, privacy = p.links
    assert (logo.href, logo.label, logo.position) == (SEED, "Home City of Example", "header")
    assert (news.href, news.position, news.locator) == (SEED + "news", "nav", "/html/body/nav/ul/li[1]/a")
    assert (top.navigable, top.href) == (False, "#top")
    assert (privacy.label, privacy.position) == ("Privacy Privacy policy", "footer")


def test_forms_fields_and_buttons() -> None:
    _, p = parsed()
    [form] = p.forms
    [field] = form.fields
    assert (form.action, form.method, form.role, form.position) == (SEED + "search", "get", "search", "header")
    assert (field.type, field.name, field.label, field.placeholder) == ("search", "q", "Search", "Search the site")
    assert form.buttons == ("Go",)


def test_visible_text_leaves_out_scripts_styles_templates_and_comments() -> None:
    _, p = parsed()
    assert "Call 311 for services." in p.text
    for hidden in ("color:red", "Enable JavaScript", "hidden template", "Old", "GovernmentOrganization"):
        assert hidden not in p.text


def test_headings_with_levels() -> None:
    _, p = parsed()
    assert [(h.level, h.text) for h in p.headings] == [(1, "Welcome"), (2, "Latest news")]


def test_meta_scripts_iframes_and_structured_data() -> None:
    _, p = parsed()
    assert {(m.key, m.content) for m in p.metas} >= {("viewport", "width=device-width"), ("og:title", "Example")}
    assert [s.src for s in p.scripts] == [SEED + "js/app.js"]
    assert [(f.src, f.title) for f in p.iframes] == [("https://maps.example/embed", "Map")]
    assert {kind for _, kind, _ in p.schema_types} == {"GovernmentOrganization", "PostalAddress"}
    assert p.structured_data["opengraph"]


def test_a_text_match_is_placed_in_its_element() -> None:
    _, p = parsed()
    start = p.text_index.text.index("city hall")
    found = p.locate(start, start + len("city hall"))
    assert (found.locator, found.position, found.text) == ("/html/body/footer/p", "footer", "City Hall, 1 Main St.")


def test_language_declared_and_detected_are_both_kept() -> None:
    html = ("<html lang='en'><body><p>Le conseil municipal se réunit chaque mois à la mairie pour "
            "délibérer sur les affaires de la commune et voter le budget.</p></body></html>")
    s = site(page(SEED, html))
    language = s.parse(s.home).language
    assert (language.declared, language.detected, language.language) == ("en", "fr", "fr")


def test_short_texts_are_not_guessed() -> None:
    assert detect_language("Hi") == ("", 0.0)


def test_normalisation_folds_case_accents_and_arabic_variants() -> None:
    assert normalise_text("  Política   de PRIVACIDAD ") == "politica de privacidad"
    assert normalise_text("سِياسةُ الخُصوصيّة") == normalise_text("سياسة الخصوصية")
    assert normalise_text("أإآا") == "اااا" and normalise_text("كتـــاب") == "كتاب"


def test_from_html_makes_the_page_the_home_page() -> None:
    s = Site.from_html("https://x.example/p", "<html><body><a href='a'>A</a></body></html>")
    assert s.home_seen and s.parse(s.home).links[0].href == "https://x.example/a"


def test_renders_are_optional_and_found_by_url() -> None:
    render = RenderArtifact(SEED, load_dom=lambda: "<html>rendered</html>", axe_version="4.12.1")
    s = Site(SEED, [home("x")], renders={SEED: render})
    assert s.render() is render and s.has_artifact("render:home") == (True, "")
    assert site(home("x")).has_artifact("render:home")[0] is False


def test_a_page_that_failed_is_never_parsed() -> None:
    s = Site(SEED, [PageArtifact(SEED, FetchStatus.TIMEOUT)])
    assert list(s.html_pages()) == [] and not s.home_seen
