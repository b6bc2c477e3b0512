"""The test world's newer features (losi/world/extras.py): their requirements, their pages, the
other sites a portal links to (served through the world's proxy), and the decoys."""

from __future__ import annotations

import html
import http.client
import re
from urllib.parse import urlsplit

import pytest

from losi.world import World, generate, serve_world
from losi.world.agreement import DEFAULT_SPEC
from losi.world.extras import NATIONAL, SERVICE_WORDS, SERVICES
from losi.world.generate import REQUIRES, Page
from tests.world.proxying import exchange


@pytest.fixture(scope="module")
def world() -> World:
    return generate(DEFAULT_SPEC)


def _home(world: World, slug: str) -> str:
    portal = world[slug]
    return _text(portal.pages[portal.home])


def _text(page: Page) -> str:
    charset = page.content_type.partition("charset=")[2]
    if not charset:  # declared in a <meta> only (the legacy-encoding cases)
        found = re.search(rb'charset="?([\w-]+)', page.body[:2048])
        charset = found.group(1).decode() if found else "utf-8"
    return page.body.decode(charset)


def test_a_feature_that_requires_another_is_only_there_with_it(world: World) -> None:
    for feature, base in REQUIRES.items():
        with_base = [p for p in world if p.features[base]]
        assert all(p.features[base] for p in world if p.features[feature]), feature
        # present on some portals that have the base, absent on others: both are measured
        assert {p.features[feature] for p in with_base} == {True, False}, feature


def test_every_service_link_leads_to_a_page_that_names_the_service(world: World) -> None:
    seen = {"portal": 0, "national": 0}
    for portal in world:
        for service, (url, label) in portal.service_links().items():
            _, title, _ = SERVICE_WORDS[portal.language][service]
            assert portal.features[f"service-{service}"]
            if url.startswith("/"):
                assert url in portal.html_paths
                page = portal.pages[url]
                seen["portal"] += 1
            else:
                parts = urlsplit(url)
                assert parts.scheme == "http" and parts.hostname == NATIONAL[portal.language]
                page = world.elsewhere_page(parts.hostname, f"{parts.path}?{parts.query}")
                assert page is not None and page.status == 200
                seen["national"] += 1
            body = _text(page)  # a legacy-encoding portal's own page is not UTF-8
            assert f"<h1>{title}</h1>" in body.replace("&#x27;", "'"), (portal.slug, service)
            assert re.search(r'type="file"|<form|class="button"', body), (portal.slug, service)
    assert seen["portal"] and seen["national"]
    assert {f"service-{s}" for s in SERVICES} <= set(world.portals[0].features)


def test_the_proxy_serves_the_other_sites_of_the_world_and_nothing_else(world: World) -> None:
    host, pages = next(iter(world.elsewhere.items()))
    target = next(iter(pages))
    with serve_world(world) as served:
        assert served.proxy and served.proxy_environment()["no_proxy"].startswith("127.0.0.1")
        ok = exchange(served.proxy, f"GET http://{host}{target} HTTP/1.1\r\nHost: {host}\r\n\r\n"
                  .encode())
        assert ok.startswith(b"HTTP/1.1 200 ") and b"<h1>" in ok
        missing = exchange(served.proxy, f"GET http://{host}/robots.txt HTTP/1.1\r\nHost: {host}"
                       "\r\n\r\n".encode())
        assert missing.startswith(b"HTTP/1.1 404 ")
        # any other host is unreachable: no answer at all, and https is refused
        assert exchange(served.proxy, b"GET http://www.facebook.com/ HTTP/1.1\r\n"
                    b"Host: www.facebook.com\r\n\r\n") == b""
        refused = exchange(served.proxy, b"CONNECT www.facebook.com:443 HTTP/1.1\r\n"
                       b"Host: www.facebook.com:443\r\n\r\n")
        assert refused.startswith(b"HTTP/1.1 502 ")
        # the portals themselves are served directly too (by host name through the proxy in
        # the agreement's world: tests/world/test_host_names.py)
        first = world.portals[0]
        url = urlsplit(served.direct[first.slug])
        if url.scheme == "http":
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
            conn.request("GET", first.home)
            assert conn.getresponse().status == 200
            conn.close()


def test_the_signs_of_a_feature_appear_only_with_it(world: World) -> None:
    signs = {
        "live-chat": r"embed\.tawk\.to|livechatinc|zdassets|client\.crisp|code\.jivo|"
                     r'https://wa\.me/|wpa\.qq\.com|class="chat-launcher"|https://chat\.city',
        "ai-chatbot": r"df-messenger|botpress|assistant\.watson|assistant-launcher|"
                      r"https://asistente\.city",
        "e-id": r'class="account"|type="password"',
        "satisfaction-survey": r"https://encuestas\.city",
        "helpdesk-phone": r'class="helpline"|href="tel:',
    }
    for portal in world:
        if portal.hostile in ("js-menu", "challenge"):
            continue
        home = _home(world, portal.slug)
        for feature, pattern in signs.items():
            if feature == "helpdesk-phone" and portal.variants["helpdesk"] == "contact":
                continue  # its line is on the contact page
            assert bool(re.search(pattern, home)) is portal.features[feature], (portal.slug,
                                                                                feature)


def test_the_decoys_are_there_on_portals_without_the_feature(world: World) -> None:
    without = {f: [p for p in world if not p.features[f] and p.hostile != "challenge"]
               for f in ("e-id", "ai-chatbot", "live-chat")}
    assert any(p.variants["staff-login"] for p in without["e-id"])
    assert any(p.variants["ad-tag"] for p in without["ai-chatbot"])
    assert any(p.variants["share-links"] and p.features["news"] for p in without["live-chat"])
    # the gpt.js advertising tag is really in those pages
    portal = next(p for p in without["ai-chatbot"] if p.variants["ad-tag"])
    assert "tag/js/gpt.js" in _home(world, portal.slug)


INFO = {"health": "health-information", "environment": "environment-information",
        "education": "education-information", "welfare": "social-welfare",
        "transport": "public-transport", "orgchart": "organisational-chart"}


def test_an_information_section_is_linked_from_the_home_page_only_with_its_feature(
        world: World) -> None:
    from losi.world.extras import INFO_SECTIONS

    seen = set()
    for portal in world:
        if portal.hostile in ("js-menu", "challenge", "session-ids"):
            continue
        home = _home(world, portal.slug)
        for key, feature in INFO.items():
            path = portal.section_path(key)
            label = INFO_SECTIONS[portal.language][key][portal.variants[f"label:{key}"]][1]
            linked = f'href="{path}"' in home
            assert linked is portal.features[feature], (portal.slug, feature)
            assert (f">{label}<" in html.unescape(home)) is portal.features[feature], \
                (portal.slug, key)
            if linked:
                assert path in portal.html_paths and portal.pages[path].status == 200
                seen.add((feature, portal.variants[f"label:{key}"]))
    assert len(seen) == 2 * len(INFO)  # both labels of every section are shown somewhere


def test_the_information_decoys_are_on_portals_without_the_section(world: World) -> None:
    from losi.world.extras import INFO_DECOYS

    shown = [p for p in world if p.variants["info-decoys"] and INFO_DECOYS[p.language]
             and p.hostile not in ("js-menu", "challenge")]
    assert any(not p.features["health-information"] for p in shown)
    for portal in shown:
        home = html.unescape(_home(world, portal.slug))
        assert all(text in home for text in INFO_DECOYS[portal.language]), portal.slug


def test_usage_statistics_are_a_footer_page_or_a_visit_counter(world: World) -> None:
    from losi.world.extras import STATISTICS_DECOYS

    kinds = set()
    for portal in world:
        if portal.hostile in ("js-menu", "challenge", "session-ids"):
            continue
        home = html.unescape(_home(world, portal.slug))
        page = portal.section_path("usage") in portal.html_paths
        counter = 'class="counter"' in home
        assert (page or counter) is portal.features["usage-statistics"], portal.slug
        assert not (page and counter), portal.slug
        if portal.features["usage-statistics"]:
            kinds.add(portal.variants["usage"])
        if portal.variants["statistics-decoy"]:
            assert STATISTICS_DECOYS[portal.language] in home
    assert kinds == {"page", "counter"}


def test_contracts_awarded_are_linked_from_the_tenders_page(world: World) -> None:
    with_awards = [p for p in world if p.features["procurement-awards"]]
    assert with_awards and all(p.features["procurement"] for p in with_awards)
    for portal in with_awards:
        tenders = portal.pages[portal.section_path("tenders")].body
        assert b'class="see-also"' in tenders or portal.hostile == "js-menu", portal.slug


def test_consultation_outcomes_are_linked_from_the_open_consultations(world: World) -> None:
    with_outcomes = [p for p in world if p.features["consultation-outcomes"]]
    assert with_outcomes and all(p.features["e-participation"] for p in with_outcomes)
    for portal in with_outcomes:
        page = portal.pages[portal.section_path("consultations")].body
        assert b'class="see-also"' in page, portal.slug


def test_every_portal_with_sign_in_has_an_account_area(world: World) -> None:
    for portal in world.portals:
        assert portal.features["personal-account"] is portal.features["e-id"], portal.slug


def test_a_legacy_encoded_portal_never_has_valid_markup() -> None:
    legacy = [p for p in generate(DEFAULT_SPEC).portals if p.hostile in ("legacy-arabic", "legacy-chinese")]
    assert legacy and not any(p.features["valid-markup"] for p in legacy)


def test_a_portal_with_fresh_content_dates_its_notices_from_today(world: World) -> None:
    import datetime as dt

    from losi.world.generate import _dated_list

    today = dt.date.today()
    for fresh in (True, False):
        portal = next(p for p in world.portals if p.features["fresh-content"] is fresh
                      and not p.hostile)
        dates = [dt.date.fromisoformat(d) for d in re.findall(
            r'datetime="([\d-]+)"', _dated_list(portal, __import__("random").Random(1), 3))]
        assert ((today - max(dates)).days <= 31) is fresh, portal.slug


def test_a_page_module_with_missing_labels_or_a_feature_twice_is_refused() -> None:
    import types

    from losi.world import extras

    missing = types.SimpleNamespace(__name__="pages_broken", PAGES={"x-feature": ("x", "999", None)},
                                    LABELS={"en": {"x": (("x", "X"), ("y", "Y"))}})
    before = dict(extras.PAGES)
    with pytest.raises(ValueError, match="pages_broken: the es labels are for \\[\\], the pages are"):
        extras._register(missing)
    assert extras.PAGES == before  # a refused module registers nothing
    wrong = types.SimpleNamespace(__name__="pages_broken", PAGES={"x-feature": ("x", "999", None)},
                                  LABELS={lang: {} for lang in extras.SECTIONS})
    with pytest.raises(ValueError, match="pages_broken: the .* labels are for"):
        extras._register(wrong)
    twice = types.SimpleNamespace(__name__="pages_twice", PAGES={"e-voting": ("x", "279", None)},
                                  LABELS={})
    with pytest.raises(ValueError, match="pages_twice: features registered twice"):
        extras._register(twice)


def test_a_portal_with_government_links_lists_the_countrys_agencies(world: World) -> None:
    from losi.world.pages_links import AGENCIES

    with_it = [p for p in world if p.features.get("government-links")]
    assert with_it and len(with_it) < len([p for p in world if p.features])
    for portal in world:
        if not portal.features:
            continue
        path = portal.section_path("govlinks")
        assert (path in portal.html_paths) is portal.features["government-links"], portal.slug
        if not portal.features["government-links"] or portal.hostile == "challenge":
            continue
        page = _text(portal.pages[path])
        hosts = {urlsplit(href).hostname for href in re.findall(r'href="(https?://[^"]+)"', page)}
        agencies = {urlsplit(url).hostname for _, url in AGENCIES[portal.language]}
        assert len(hosts & agencies) >= 4, portal.slug
        assert path in _home(world, portal.slug) or portal.hostile == "js-menu", portal.slug


def test_a_messaging_service_is_the_live_chat_of_a_portal_that_chats_on_a_messaging_app(
        world: World) -> None:
    for portal in world:
        if not portal.features or portal.hostile in ("js-menu", "challenge"):
            continue
        channel = bool(re.search(r"https://wa\.me/|wpa\.qq\.com", _home(world, portal.slug)))
        assert portal.features["messaging-service"] is channel, portal.slug
        assert not channel or portal.features["live-chat"]
    assert {p.features["messaging-service"] for p in world if p.features} == {True, False}
