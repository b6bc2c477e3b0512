"""The test world: synthetic municipal portals with ground truth, deterministic for a seed.

`generate(WorldSpec(...))` plans every portal at once (its language, features, hostile case, page
paths and titles) and renders page bodies lazily, on first request, into a byte-bounded LRU cache:
a benchmark world of hundreds of portals of ~100 KB pages does not have to fit in memory. A body
depends only on (seed, portal, path), so the same seed gives the same bytes in any order.

Page sizes and link counts follow real municipal portals (PLATFORM.md): log-normal sizes with a
median of 99 KB and a 90th percentile of 421 KB, one link per ~600 bytes (hundreds per page). With
`real_pages_dir`, ordinary portals take real saved pages as bodies instead, their links rewritten
to the synthetic portal's own pages.

The newer features (e-ID sign-in, chat, chatbot, helpdesk line, search and site map pages,
sections, open-data metadata, services) take their words from `extras.py`; how each portal
shows them (and which decoys it carries) is drawn from a stream of its own (`Portal.variants`).
Services offered on a national portal and open-data catalogues are other sites
(`World.elsewhere`), served through the world's proxy (`server.py`). docs/world.md has the list.
"""

from __future__ import annotations

import html
import itertools
import json
import math
import random
import re
import threading
import unicodedata
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from losi.world import documents as docs
from losi.world import accounts, extras, official, platforms
from losi.world import wcag
from losi.world.lang import LANGUAGES

FEATURES: tuple[str, ...] = (
    "privacy-policy", "mobile-viewport", "news", "events", "contact", "search", "social-media",
    "e-services", "open-data", "accessibility-statement",
    "foreign-language", "mobile-app", "council-meetings", "budget", "online-payment", "feedback",
    "incident-reporting", "job-vacancies", "procurement", "help-faq",
    # the newer features (extras.py): sign-in, chat, support, search, sections and services
    "e-id", "live-chat", "ai-chatbot", "helpdesk-phone", "satisfaction-survey",
    "advanced-search", "sitemap", "open-data-metadata", "department-heads",
    "emergency-section", "participatory-budgeting", "free-wifi", "gis-maps",
    *(f"service-{s}" for s in extras.SERVICES),
    # information sections (extras.INFO_SECTIONS)
    "health-information", "environment-information", "education-information",
    "social-welfare", "public-transport", "organisational-chart",
    # results (extras.RESULT_SECTIONS)
    "procurement-awards", "usage-statistics",
    # e-participation (extras.PARTICIPATION_SECTIONS)
    "e-participation", "consultation-outcomes",
    # markup the Nu Html Checker accepts on every page (else the errors real pages are full of)
    "valid-markup",
    # a stylesheet the CSS checker accepts (else the old Internet Explorer hacks)
    "valid-css",
    # the home page passes axe-core's WCAG 2.0/2.1 A and AA rules (else wcag.py's violations)
    "wcag-aa",
    # the tenders page links to the country's e-procurement platform (platforms.py)
    "e-procurement",
    # the city government's own site: a government host naming the city and the city's
    # copyright in the footer (official.py); else a third party's site, run by a company
    "official-portal",
    # the lists' newest items are a few weeks old (else their dates end in mid-2025)
    "fresh-content",
    # the account area of a portal with sign-in (accounts.py), and changing one's details in it
    "personal-account", "personal-data-update",
    # the about page tells of the city (else it tells of the website: accounts.ABOUT_SITE)
    "municipality-information",
    # a service channel on a messaging app, and the services section (DERIVED)
    "messaging-service", "service-information",
    # single pages of the fourth part (extras.PAGES, registered by their modules)
    *extras.PAGES,
)
# A feature that only makes sense with another one, or whose signs would be signs of the other
# (a helpdesk number is a contact detail; a satisfaction survey is a way to give feedback): it
# is given to about two thirds of the portals that have the other, and to no other portal.
REQUIRES: dict[str, str] = {
    "advanced-search": "search", "open-data-metadata": "open-data",
    "helpdesk-phone": "contact", "department-heads": "contact",
    "participatory-budgeting": "budget", "satisfaction-survey": "feedback",
    "procurement-awards": "procurement", "consultation-outcomes": "e-participation",
    "e-procurement": "procurement",
    "personal-data-update": "personal-account",
}
# A feature every portal with another one has, and no other (the account area of a sign-in).
SAME_AS: dict[str, str] = {"personal-account": "e-id"}
# A feature known from the portal's other features and variants, once they are drawn: a WhatsApp
# or QQ service channel (the workshop's social media service provision, WS4) is the live chat
# (#270a) of a portal that chats on a messaging app; every portal has its services section
# (#222: the menu's 'Services', 'Trámites', 'Démarches', '办事服务' list, with the portal's online
# services on it), so #222 is measured on portals that have it only (docs/world.md says why).
DERIVED: dict[str, Callable[[Mapping[str, bool], Mapping[str, Any]], bool]] = {
    "messaging-service": lambda has, v: has["live-chat"] and v["live-chat"] == "messaging",
    "service-information": lambda has, v: True,
}
REQUIRES.update({f: base for f, (_, _, base) in extras.PAGES.items() if base})
# a link that pays a fine or a bill is online payment (#269a) too
REQUIRES.update({f"service-{s}": "online-payment" for s in extras.PAYMENT_SERVICES})
# single pages that exist only with their feature: section key (lang.py) -> feature
STATIC_FEATURES: tuple[tuple[str, str], ...] = (
    ("contact", "contact"), ("privacy", "privacy-policy"),
    ("accessibility", "accessibility-statement"), ("eservices", "e-services"),
    ("opendata", "open-data"), ("otherlang", "foreign-language"), ("app", "mobile-app"),
    ("meetings", "council-meetings"), ("budget", "budget"), ("payment", "online-payment"),
    ("feedback", "feedback"), ("report", "incident-reporting"), ("jobs", "job-vacancies"),
    ("tenders", "procurement"), ("faq", "help-faq"),
    ("search", "search"), ("sitemap", "sitemap"), ("heads", "department-heads"),
    ("emergency", "emergency-section"), ("pb", "participatory-budgeting"), ("wifi", "free-wifi"),
    ("map", "gis-maps"),
    ("health", "health-information"), ("environment", "environment-information"),
    ("education", "education-information"), ("welfare", "social-welfare"),
    ("transport", "public-transport"), ("orgchart", "organisational-chart"),
    ("awards", "procurement-awards"), ("consultations", "e-participation"),
    ("outcomes", "consultation-outcomes"), ("account", "personal-account"),
    *((key, feature) for feature, (key, _, _) in extras.PAGES.items()),
)
for _code, _labels in accounts.ACCOUNT.items():
    extras.SECTIONS[_code]["account"] = _labels
_FOOTER_ONLY = ("privacy", "accessibility", "otherlang", "sitemap", "usage")  # not in the main menu
HOSTILE_CASES: tuple[str, ...] = (
    "js-menu", "challenge", "challenge-partial", "redirect-chain", "calendar-trap", "session-ids",
    "robots-disallowed", "documents", "broken-links", "slow-page", "huge-page", "legacy-arabic",
    "legacy-chinese", "self-signed-tls",
)
MIN_PAGES = 16
BASE_PLACEHOLDER = "@@BASE@@"  # in templated bodies (robots.txt, sitemap.xml): the served base URL

SIZE_MEDIAN = 99_000
SIZE_P90 = 421_000
SIZE_MIN, SIZE_MAX = 12_000, 800_000
BYTES_PER_LINK = 600
_SIGMA = math.log(SIZE_P90 / SIZE_MEDIAN) / 1.2815515655446004  # z of the 90th percentile
_LIST_PAGE = 10  # items per list page
_MIN_ITEMS = 3  # items per list section, whatever the page budget
_EPOCH = 739_403  # 2025-06-01 as a proleptic ordinal: item dates count back from it


@dataclass(frozen=True)
class WorldSpec:
    portals: int = 8
    pages: int = 40  # HTML pages per portal (hostile extras and documents come on top)
    languages: tuple[str, ...] = tuple(LANGUAGES)  # cycled over portals
    latency_ms: float = 0.0  # added to every response by the server
    seed: int = 0
    real_pages_dir: Path | None = None
    hostile: bool = False
    slow_ms: float = 60_000.0  # the slow page's own delay (crawler DOWNLOAD_TIMEOUT is 30 s)
    huge_bytes: int = 20 * 1024 * 1024
    # serve each portal under its host name (`Portal.host_name`, `.test`) through the world's
    # proxy, rather than as http://127.0.0.1:PORT/ (server.py)
    host_names: bool = False

    def __post_init__(self) -> None:
        if self.portals < 1:
            raise ValueError("a world needs at least one portal")
        if self.pages < MIN_PAGES:
            raise ValueError(f"pages per portal must be at least {MIN_PAGES}, got {self.pages}")
        unknown = [lang for lang in self.languages if lang not in LANGUAGES]
        if unknown or not self.languages:
            raise ValueError(f"unknown language(s) {unknown}; known: {', '.join(LANGUAGES)}")
        if self.hostile and self.portals < len(HOSTILE_CASES):
            raise ValueError(f"hostile=True needs at least {len(HOSTILE_CASES)} portals "
                             f"(one per hostile case), got {self.portals}")


@dataclass(frozen=True)
class Page:
    """One response. `body` is sent as is, except: a `templated` body has BASE_PLACEHOLDER
    replaced by the portal's base URL; a streamed page sends `repeat_chunk` `repeat` times after
    `body`, with a Content-Length unless `chunked`."""

    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    delay_ms: float = 0.0
    repeat_chunk: bytes = b""
    repeat: int = 0
    chunked: bool = False
    templated: bool = False

    @property
    def size(self) -> int:
        return len(self.body) + len(self.repeat_chunk) * self.repeat

    @property
    def streamed(self) -> bool:
        return self.repeat > 0

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    def body_for(self, base: str) -> bytes:
        """The body as served from `base` (e.g. http://127.0.0.1:8001/); not the streamed part."""
        if not self.templated:
            return self.body
        return self.body.replace(BASE_PLACEHOLDER.encode(), base.rstrip("/").encode())


# ---------------------------------------------------------------------------------------------
# Rendering helpers


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _ascii_slug(text: str, words: int = 4) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    parts = re.findall(r"[a-z0-9]+", folded)
    return "-".join(parts[:words])


def _sentence(rng: random.Random, lang: dict[str, Any], lo: int, hi: int) -> str:
    words = lang["words"]
    text: str = lang["sep"].join(rng.choice(words) for _ in range(rng.randint(lo, hi)))
    return text[:1].upper() + text[1:]


def _date(n: int, epoch: int = _EPOCH) -> str:
    import datetime as _dt

    return _dt.date.fromordinal(epoch - 3 * n).isoformat()


def _today() -> int:
    """Today as a proleptic ordinal: where a portal with fresh content counts its items back
    from (the crawl, and so the freshness detector's reference, is today too)."""
    import datetime as _dt

    return _dt.date.today().toordinal()


def _epoch(has: Mapping[str, bool]) -> int:
    """The day a portal's dates count back from: today with fresh content, else mid-2025."""
    return _today() if has["fresh-content"] else _EPOCH


def _portal_date(portal: Portal, n: int) -> str:
    """The `n`th date back of a portal's lists and notices (negative: days ahead of them)."""
    return _date(n, _epoch(portal._has))


class _Filler:
    """Per (seed, language), a pool of pre-rendered markup blocks (text, cards, SVG, inline JSON,
    CSS) that pages draw from to reach their size: realistic bulk at the cost of a join."""

    KINDS = ("p", "p", "p", "p", "card", "card", "svg", "json", "style", "p")

    def __init__(self, seed: int, lang_code: str, valid: bool = False) -> None:
        """`valid`: markup the Nu Html Checker accepts. Otherwise the pool has two errors real
        pages are full of: a `<style>` in the body, and an inline JSON block whose id repeats
        when a page draws its group twice (a portal's "valid-markup" feature says which)."""
        lang = LANGUAGES[lang_code]
        self.blocks: list[str] = []
        self.sizes: list[int] = []
        primitives: list[str] = []
        for i in range(192):
            rng = random.Random(f"{seed}:filler:{lang_code}:{i}")
            kind = self.KINDS[i % len(self.KINDS)]
            if valid and kind == "style":
                kind = "p"
            if kind == "p":
                text = " ".join(_sentence(rng, lang, 8, 24) + "." for _ in range(rng.randint(4, 12)))
                block = f"<p>{_esc(text)}</p>\n"
            elif kind == "card":
                block = (f'<article class="card card-{i}"><h3>{_esc(_sentence(rng, lang, 2, 6))}'
                         f'</h3><p>{_esc(_sentence(rng, lang, 20, 60))}.</p>'
                         f'<p class="meta">{_date(rng.randint(0, 900))}</p></article>\n')
            elif kind == "svg":
                pts = " ".join(f"{rng.uniform(0, 24):.3f},{rng.uniform(0, 24):.3f}"
                               for _ in range(rng.randint(60, 200)))
                block = (f'<svg class="icon icon-{i}" viewBox="0 0 24 24" aria-hidden="true" '
                         f'focusable="false"><path d="M{pts}Z"/></svg>\n')
            elif kind == "json":
                data = {"id": f"cfg-{i}", "v": [rng.randint(0, 99999) for _ in range(rng.randint(80, 300))]}
                ident = "" if valid else f' id="cfg-{i}"'
                block = (f'<script type="application/json"{ident}>'
                         f"{json.dumps(data, separators=(',', ':'))}</script>\n")
            else:
                rules = "".join(
                    f".c{i}-{j}{{margin:{rng.randint(0, 40)}px {rng.randint(0, 40)}px;"
                    f"color:#{rng.randrange(16**6):06x};font-size:{rng.randint(10, 32)}px}}"
                    for j in range(rng.randint(20, 80)))
                block = f"<style>{rules}</style>\n"
            primitives.append(block)
        # Pages draw whole groups of three: fewer draws per page, the same markup mix.
        for i in range(0, len(primitives), 3):
            block = "".join(primitives[i:i + 3])
            self.blocks.append(block)
            self.sizes.append(len(block.encode("utf-8")))


@lru_cache(maxsize=64)
def _filler(seed: int, lang_code: str, valid: bool = False) -> _Filler:
    return _Filler(seed, lang_code, valid)


class _Cache:
    """A byte-bounded LRU of rendered pages, shared by a world's portals."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._items: OrderedDict[tuple[int, str], Page] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[int, str]) -> Page | None:
        with self._lock:
            page = self._items.get(key)
            if page is not None:
                self._items.move_to_end(key)
            return page

    def put(self, key: tuple[int, str], page: Page) -> None:
        size = len(page.body) + len(page.repeat_chunk) + 200
        if size > self.budget // 8:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = page
            self._size += size
            while self._size > self.budget and self._items:
                _, old = self._items.popitem(last=False)
                self._size -= len(old.body) + len(old.repeat_chunk) + 200

    @property
    def size(self) -> int:
        return self._size


# ---------------------------------------------------------------------------------------------
# Real pages as templates

_REAL_LINK = re.compile(
    rb"""(<(a|area|base)\b[^>]*?\bhref\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.IGNORECASE)
# Resources (scripts, styles, images, frames) of real pages point at live hosts: send them to a
# local path that 404s, so that rendering a served real page never reaches out.
_REAL_RESOURCE = re.compile(
    rb"""(<(?:img|script|link|iframe|frame|source|video|audio|embed|input|track)\b[^>]*?"""
    rb"""\b(?:src|href|data-src|poster)\s*=\s*["']?)(?:https?:)?//""", re.IGNORECASE)
_KEEP_SCHEMES = (b"#", b"mailto:", b"tel:", b"javascript:", b"data:", b"sms:", b"fax:", b"ftp:")
_HTML_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)


@dataclass(frozen=True)
class _RealTemplate:
    name: str
    parts: tuple[bytes | int, ...]  # bytes: verbatim; int: a link slot (a stable hash of the href)
    utf8: bool
    lang: str

    def render(self, paths: list[bytes]) -> bytes:
        n = len(paths)
        return b"".join(p if isinstance(p, bytes) else paths[p % n] for p in self.parts)


def _load_template(path: Path, host: str) -> _RealTemplate:
    raw = _REAL_RESOURCE.sub(rb"\1/_external/", path.read_bytes())
    own = {host.lower(), host.lower().removeprefix("www."), "www." + host.lower().removeprefix("www.")}
    parts: list[bytes | int] = []
    pending = bytearray()
    pos = 0
    for m in _REAL_LINK.finditer(raw):
        href = next(g for g in (m.group(3), m.group(4), m.group(5)) if g is not None)
        probe = href.strip().lower()
        pending += raw[pos:m.start()]
        pos = m.end()
        if m.group(2).lower() == b"base":
            pending += m.group(1) + b'"/"'
            continue
        internal = not probe.startswith(_KEEP_SCHEMES)
        if internal and (probe.startswith((b"http://", b"https://", b"//"))):
            # "http:///x" and "http:////host/x" occur in saved pages: Python's URL joining
            # (and so Scrapy) reads them as paths on the same host, so they are ours to map
            host_of = (urlsplit(probe.decode("latin-1")).hostname or "").lower()
            internal = not host_of or host_of in own
        elif internal and b":" in probe.split(b"/", 1)[0]:
            internal = False  # another scheme
        if not internal:
            pending += raw[m.start():m.end()]
            continue
        pending += m.group(1) + b'"'
        parts.append(bytes(pending))
        pending = bytearray(b'"')
        parts.append(zlib.crc32(href))
    pending += raw[pos:]
    parts.append(bytes(pending))
    try:
        raw.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError:
        utf8 = False
    lang_match = _HTML_LANG.search(raw[:4096])
    lang = lang_match.group(1).decode().lower()[:2] if lang_match else "und"
    return _RealTemplate(f"{host}/{path.name}", tuple(parts), utf8, lang)


@lru_cache(maxsize=4)
def _real_templates(root: Path) -> tuple[_RealTemplate, ...]:
    if not root.is_dir():
        raise FileNotFoundError(f"real_pages_dir {root} is not a folder (expected ../shared/world)")
    files = sorted(p for p in root.rglob("*.html") if p.is_file())
    if not files:
        raise FileNotFoundError(f"no .html pages under {root}")
    return tuple(_load_template(p, p.relative_to(root).parts[0]) for p in files)


# ---------------------------------------------------------------------------------------------
# Portals


@dataclass
class _Ctx:
    path: str
    sid: str = ""
    js_nav: bool = False
    js_all: bool = False
    groups: int = 0
    links: int = 0


class _Pages(Mapping[str, Page]):
    """path -> Page of one portal; bodies are rendered on first access and cached."""

    def __init__(self, portal: Portal) -> None:
        self._portal = portal

    def __getitem__(self, path: str) -> Page:
        portal = self._portal
        spec = portal._specs[path]  # KeyError for an unknown path
        key = (portal.index, path)
        cache = portal._world._cache
        page = cache.get(key)
        if page is None:
            page = portal._build(path, *spec)
            cache.put(key, page)
        return page

    def __contains__(self, path: object) -> bool:
        return path in self._portal._specs

    def __iter__(self) -> Iterator[str]:
        return iter(self._portal._specs)

    def __len__(self) -> int:
        return len(self._portal._specs)


class Portal:
    """One synthetic portal: its pages and its ground truth.

    - `features`: feature -> bool (see FEATURES); empty for a portal built from real pages, whose
      bodies are unlabelled.
    - `hostile`: the hostile case it embodies (see HOSTILE_CASES), or None.
    - `special`: role -> path for the hostile case (e.g. "calendar", "slow", "header-charset").
    - `home`: the path of the home page ("/" except behind a redirect chain).
    - `scheme`: "https" for the self-signed TLS portal, else "http".
    """

    def __init__(self, world: World, index: int, language: str, features: dict[str, bool],
                 hostile: str | None, real: bool) -> None:
        spec = world.spec
        if hostile in ("legacy-arabic", "legacy-chinese"):
            # The checker counts a legacy encoding as an error: such a page is never valid.
            features = {**features, "valid-markup": False}
        self._world = world
        self.index = index
        self.hostile = hostile
        rng = random.Random(f"{spec.seed}:portal:{index}")
        self._lang = LANGUAGES[language]
        self._lang_code = language
        prefixes, suffixes = self._lang["names"]
        self.name: str = rng.choice(prefixes) + rng.choice(suffixes)
        self.slug = f"city{index:03d}-{language}" + (f"-{hostile}" if hostile else "")
        self.scheme = "https" if hostile == "self-signed-tls" else "http"
        self.server_header = rng.choice(["nginx", "Apache", "Microsoft-IIS/10.0", "openresty",
                                         "nginx/1.18.0 (Ubuntu)", "Apache/2.4.58 (Debian)"])
        self._templates = _real_templates(spec.real_pages_dir.resolve()) if real and \
            spec.real_pages_dir else None
        self.source = "real" if self._templates else "synthetic"
        self.special: dict[str, str] = {}
        self._sid_salt = f"{spec.seed}:{index}"
        self.host = self.slug.split("-")[0]  # the city's own name in other sites' addresses
        # its own host name (made unique over the world by `generate`) and its footer's
        # copyright: the city government's, or a third party's (official.py)
        self.host_name, self._publisher_line, self._copyright_line = official.choose(
            spec.seed, index, language, self.name, features.get("official-portal", True))
        # how this portal shows its newer features (and which decoys it carries): a stream of
        # its own, so these draws do not shift the titles and texts the portal's rng draws
        self.variants = _choose_variants(random.Random(f"{spec.seed}:extras:{index}"),
                                         random.Random(f"{spec.seed}:services:{index}"))
        features = {**features, **{f: rule(features, self.variants) for f, rule in DERIVED.items()}}
        self.features: Mapping[str, bool] = MappingProxyType({} if self._templates else features)
        self._has = dict(features)  # what the synthetic structure is built with
        self._plan(rng)
        self.pages: Mapping[str, Page] = _Pages(self)
        if self._templates:
            home_tpl = self._template_for(self.home)
            self.language = home_tpl.lang
        else:
            self.language = language

    def __repr__(self) -> str:
        return f"Portal({self.slug!r}, hostile={self.hostile!r}, pages={len(self._specs)})"

    def section_path(self, key: str) -> str:
        """The path of a section or single page by its key (news, events, services, council,
        about, contact, privacy, accessibility, eservices, opendata, documents), in the portal's
        language: "/noticias/" for news in Spanish. The section may not exist: see `features`."""
        return f"/{self._sec(key)[0]}/"

    # -- plan ---------------------------------------------------------------------------------

    def _sec(self, key: str) -> tuple[str, str]:
        if key == "about" and not self._has["municipality-information"]:
            return accounts.ABOUT_SITE[self._lang_code]
        if key == "otherlang":  # the version in another language: English, or Spanish for English
            code = self._other_language
            return code, LANGUAGES[code]["own_name"]
        extra = extras.SECTIONS[self._lang_code].get(key)
        if extra is not None:
            return extra[self.variants.get(f"label:{key}", 0)]
        return self._lang["sections"][key]  # type: ignore[no-any-return]

    @property
    def _other_language(self) -> str:
        return "es" if self._lang_code == "en" else "en"

    def _plan(self, rng: random.Random) -> None:
        spec, has, lang, case = self._world.spec, self._has, self._lang, self.hostile
        self.list_keys = [k for k, f in (("news", "news"), ("events", "events"),
                                          ("services", None), ("council", None))
                          if f is None or has[f]]
        statics = ["about"] + [k for k, f in STATIC_FEATURES if has[f]]
        if has["usage-statistics"] and self.variants["usage"] == "page":  # else a counter
            statics.append("usage")
        if case == "documents":
            statics.append("documents")
        self.statics = statics
        self.home = "/home/" if case == "redirect-chain" else "/"
        specs: dict[str, tuple[str, Any]] = {self.home: ("home", None)}
        # Items and archive pages fill the page budget round-robin over the list sections.
        # (at least _MIN_ITEMS per list: a portal with many single pages still has a news list,
        # and then more pages than spec.pages)
        remaining = max(spec.pages - 1 - len(self.list_keys) - len(statics),
                        _MIN_ITEMS * len(self.list_keys))
        counts = dict.fromkeys(self.list_keys, 0)
        archives = dict.fromkeys(self.list_keys, 0)
        turn = 0
        while remaining > 0:
            key = self.list_keys[turn % len(self.list_keys)]
            turn += 1
            n = counts[key]
            if n >= _LIST_PAGE and (n - _LIST_PAGE) % _LIST_PAGE == 0 and remaining >= 2:
                archives[key] += 1
                remaining -= 1
            counts[key] += 1
            remaining -= 1
        self.items: dict[str, list[tuple[str, str, str]]] = {}
        self.archives = archives
        shallow: list[tuple[str, str]] = [(self.home, lang["ui"]["home"])]
        for key in self.list_keys:
            slug, label = self._sec(key)
            specs[f"/{slug}/"] = ("section", key)
            shallow.append((f"/{slug}/", label))
            items = []
            epoch = _epoch(has)
            for n in range(counts[key]):
                title = _sentence(rng, lang, 3, 7)
                word = _ascii_slug(title)
                path = f"/{slug}/{n + 1:04d}-{word}.html" if word else f"/{slug}/{n + 1:04d}.html"
                items.append((path, title, _date(2 * n + len(key), epoch)))
                specs[path] = ("item", (key, n))
            self.items[key] = items
            shallow += [(p, t) for p, t, _ in items[:_LIST_PAGE]]
            for k in range(1, archives[key] + 1):
                specs[self._archive_path(key, k)] = ("archive", (key, k))
        for key in statics:
            slug, label = self._sec(key)
            specs[f"/{slug}/"] = ("static", key)
            shallow.append((f"/{slug}/", label))
        for service, (url, label) in self.service_links().items():
            if url.startswith("/"):  # offered on the portal itself
                specs[url] = ("service", service)
                shallow.append((url, label))
        self._shallow = shallow
        self._html_paths = [p for p in specs]
        self._extra_links: list[tuple[str, str]] = []  # hostile links shown on the home page
        specs["/robots.txt"] = ("robots", None)
        specs["/sitemap.xml"] = ("sitemap", None)
        specs["/assets/site.css"] = ("asset", "css")
        specs["/assets/site.js"] = ("asset", "js")
        specs["/assets/logo.svg"] = ("asset", "svg")
        self._specs = specs
        self._plan_hostile(rng)

    def _archive_path(self, key: str, k: int) -> str:
        return f"/{self._sec(key)[0]}/{self._lang['archive']}/{k}/"

    def _plan_hostile(self, rng: random.Random) -> None:
        case, specs, special = self.hostile, self._specs, self.special
        services = f"/{self._sec('services')[0]}/"
        council = f"/{self._sec('council')[0]}/"
        about = f"/{self._sec('about')[0]}/"
        if case == "js-menu":
            special["home"] = self.home
        elif case == "challenge":
            special["challenged"] = "/"
        elif case == "challenge-partial":
            special["challenged"] = services
        elif case == "redirect-chain":
            hops = ["/", "/index.php", "/portal/", f"/portal/{self._lang_code}/", self.home]
            for i, (src, dst) in enumerate(itertools.pairwise(hops)):
                specs[src] = ("redirect", (301 if i % 2 == 0 else 302, dst))
            special["start"] = "/"
            special["home"] = self.home
        elif case == "calendar-trap":
            cal = f"/{self._sec('events')[0]}/{self._lang['calendar']}/"
            special["calendar"] = cal
            self._extra_links.append((f"{cal}?month=6&year=2025", self._lang["calendar"]))
        elif case == "robots-disallowed":
            special["disallowed"] = council
        elif case == "documents":
            folder = f"/{self._sec('documents')[0]}/"
            special["documents"] = folder
            for kind, name in (("pdf", "budget-2025.pdf"), ("docx", "council-minutes.docx"),
                               ("xlsx", "budget-2025.xlsx"), ("csv", "contracts.csv")):
                specs[folder + name] = ("document", kind)
                special[kind] = folder + name
        elif case == "broken-links":
            special["not-found"] = f"{services}0999-removed.html"
            special["not-found-2"] = "/old-site/index.html"
            special["server-error"] = f"{council}minutes-archive/"
            specs[special["server-error"]] = ("error", 500)
            for role in ("not-found", "not-found-2", "server-error"):
                self._extra_links.append((special[role], _sentence(rng, self._lang, 2, 4)))
        elif case == "slow-page":
            special["slow"] = f"{services}annual-report.html"
            specs[special["slow"]] = ("slow", None)
            self._extra_links.append((special["slow"], _sentence(rng, self._lang, 2, 4)))
        elif case == "huge-page":
            special["huge"] = "/register/full.html"
            special["huge-chunked"] = "/register/stream.html"
            specs[special["huge"]] = ("huge", False)
            specs[special["huge-chunked"]] = ("huge", True)
            self._extra_links += [(special["huge"], _sentence(rng, self._lang, 2, 4)),
                                  (special["huge-chunked"], _sentence(rng, self._lang, 2, 4))]
        elif case == "legacy-arabic":
            special["header-charset"] = self.home
            special["meta-charset"] = about
        elif case == "legacy-chinese":
            special["meta-charset"] = self.home
            special["header-charset"] = about
            special["wrong-charset"] = "/notice.html"
            specs["/notice.html"] = ("wrong-charset", None)
            self._extra_links.append(("/notice.html", _sentence(rng, self._lang, 2, 4)))

    # -- serving ------------------------------------------------------------------------------

    @property
    def html_paths(self) -> tuple[str, ...]:
        """Every HTML page of the portal's own structure (what sitemap.xml lists)."""
        return tuple(self._html_paths)

    def resolve(self, target: str) -> Page:
        """The response to a request target (path and query, as on the request line)."""
        raw_path, _, query = target.partition("?")
        raw_path = raw_path.partition("#")[0]
        path = unquote(raw_path)
        case = self.hostile
        if case == "challenge" or (case == "challenge-partial"
                                   and path.startswith(self.special["challenged"])):
            return self._challenge(path, 403 if case == "challenge" else 503)
        if ";" in path:  # a Java-style path parameter: ;jsessionid=... names the same page
            path = re.sub(r";jsessionid=[^/?#]*", "", path, flags=re.IGNORECASE)
        if case == "calendar-trap" and path == self.special["calendar"]:
            return self._calendar(query)
        if path == "/search" and self._has["search"]:
            return self._search(query)
        if path in self._specs:
            return self.pages[path]
        if not path.endswith("/") and path + "/" in self._specs:
            return Page(301, (("Location", path + "/" + (f"?{query}" if query else "")),),
                        b"", "text/html; charset=utf-8")
        return self._not_found()

    # -- build --------------------------------------------------------------------------------

    def _build(self, path: str, kind: str, arg: Any) -> Page:
        if kind in ("home", "section", "archive", "item", "static", "service"):
            if self._templates:
                return self._real_page(path)
            if (kind, arg) == ("static", "otherlang"):
                return self._other_language_page(path)
            return self._html_page(path, kind, arg)
        return getattr(self, f"_build_{kind.replace('-', '_')}")(path, arg)  # type: ignore[no-any-return]

    def _template_for(self, path: str) -> _RealTemplate:
        assert self._templates
        pick = random.Random(f"{self._world.spec.seed}:{self.slug}:{path}:tpl")
        return self._templates[pick.randrange(len(self._templates))]

    def _real_page(self, path: str) -> Page:
        tpl = self._template_for(path)
        paths = self._world._encoded_paths(self)
        ctype = "text/html; charset=utf-8" if tpl.utf8 else "text/html"
        return Page(200, (), tpl.render(paths), ctype)

    # charset handling: (codec, charset in the HTTP header or None, charset in <meta> or None)
    def _encoding(self, path: str) -> tuple[str, str | None, str | None]:
        if self.hostile == "legacy-arabic":
            codec, label = "cp1256", "windows-1256"
        elif self.hostile == "legacy-chinese":
            codec, label = "gb18030", "GB18030"
        else:
            return "utf-8", "utf-8", "utf-8"
        if path == self.special["header-charset"]:
            return codec, label, None
        if path == self.special["meta-charset"]:
            return codec, None, label
        return codec, label, label

    def _href(self, target: str, ctx: _Ctx) -> str:
        if self.hostile != "session-ids" or not target.startswith("/"):
            return target
        if target.endswith(".html"):
            return f"{target}?PHPSESSID={ctx.sid}"
        return f"{target};jsessionid={ctx.sid}"

    def _links(self, links: list[tuple[str, str]], ctx: _Ctx, cls: str, js: bool = False) -> str:
        ctx.groups += 1
        ctx.links += len(links)
        if js or ctx.js_all:
            box = f"g{ctx.groups}"
            data = json.dumps([[self._href(h, ctx), t] for h, t in links],
                              ensure_ascii=False).replace("</", "<\\/")
            return (f'<div class="{cls}" id="{box}"></div><script>losiMenu("{box}", '
                    f'{data});</script>\n')
        lis = "".join(f'<li><a href="{_esc(self._href(h, ctx))}">{_esc(t)}</a></li>'
                      for h, t in links)
        return f'<ul class="{cls}">{lis}</ul>\n'

    def _html_page(self, path: str, kind: str, arg: Any) -> Page:
        spec, lang, ui, has = self._world.spec, self._lang, self._lang["ui"], self._has
        rng = random.Random(f"{spec.seed}:{self.slug}:{path}")
        target = int(min(SIZE_MAX, max(SIZE_MIN, rng.lognormvariate(math.log(SIZE_MEDIAN), _SIGMA))))
        want_links = int(target / BYTES_PER_LINK * rng.uniform(0.7, 1.4))
        sid = ""
        if self.hostile == "session-ids":
            sid = zlib.crc32(f"{self._sid_salt}:{path}".encode()).to_bytes(4, "big").hex().upper() \
                + zlib.crc32(f"{path}:{self._sid_salt}".encode()).to_bytes(4, "big").hex().upper()
        js = self.hostile == "js-menu"
        ctx = _Ctx(path, sid, js_nav=js, js_all=js and path == self.home)
        title, content = self._content(path, kind, arg, ctx, rng)
        codec, header_cs, meta_cs = self._encoding(path)

        head = ["<!DOCTYPE html>\n", f'<html lang="{self.language}" dir="{lang["dir"]}">\n<head>\n']
        if meta_cs:
            head.append(f'<meta http-equiv="Content-Type" content="text/html; charset={meta_cs}">\n'
                        if self.hostile == "legacy-arabic" else f'<meta charset="{meta_cs}">\n')
        head.append(f"<title>{_esc(title)} | {_esc(self.name)}</title>\n")
        if has["mobile-viewport"]:
            head.append('<meta name="viewport" content="width=device-width, initial-scale=1">\n')
        head.append(f'<meta name="description" content="{_esc(self.name)}: {_esc(title)}">\n'
                    '<link rel="stylesheet" href="/assets/site.css">\n'
                    '<link rel="icon" href="/assets/logo.svg">\n')
        head.append(self._extra_head())
        if js:
            head.append("<script>function losiMenu(id,items){var box=document.getElementById(id);"
                        "var ul=document.createElement('ul');for(var i=0;i<items.length;i++){"
                        "var li=document.createElement('li');var a=document.createElement('a');"
                        "a.href=items[i][0];a.textContent=items[i][1];li.appendChild(a);"
                        "ul.appendChild(li);}box.appendChild(ul);}</script>\n")
        head.append("</head>\n<body>\n")
        if not ctx.js_all:
            head.append(f'<a class="skip-link" href="#main">{_esc(ui["home"])}</a>\n')
        # header: logo, search, the main menu (sections with their first items)
        header = ['<header class="site-header">\n']
        if ctx.js_all:
            header.append(f'<span class="logo">{_esc(self.name)}</span>\n')
        else:
            header.append(f'<a class="logo" href="{_esc(self._href(self.home, ctx))}">'
                          f'<img src="/assets/logo.svg" alt="" width="48" height="48"> '
                          f'{_esc(self.name)}</a>\n')
        if has["search"]:
            header.append(f'<form role="search" action="/search" method="get"><input type="search" '
                          f'name="q" aria-label="{_esc(ui["search"])}"><button type="submit">'
                          f'{_esc(ui["search"])}</button></form>\n')
        header.append(self._extra_header(ctx))
        menu: list[tuple[str, str]] = []
        for key in self.list_keys:
            slug, label = self._sec(key)
            menu.append((f"/{slug}/", label))
            menu += [(p, t) for p, t, _ in self.items[key][:3]]
        for key in self.statics:
            if key not in _FOOTER_ONLY:
                menu.append((f"/{self._sec(key)[0]}/", self._sec(key)[1]))
        code, name = self._sec("otherlang")
        if has["foreign-language"] and ctx.js_all:  # the switcher is built by the script too
            header.append(self._links([(f"/{code}/", name)], ctx, "languages"))
        elif has["foreign-language"]:
            header.append(f'<div class="languages"><a href="{_esc(self._href(f"/{code}/", ctx))}" '
                          f'hreflang="{code}" lang="{code}">{_esc(name)}</a></div>\n')
        header.append(f'<nav class="main-nav" aria-label="{_esc(ui["more"])}">\n')
        header.append(self._links(menu, ctx, "menu", js=ctx.js_nav))
        header.append("</nav>\n</header>\n")

        footer_links = [(f"/{self._sec(k)[0]}/", self._sec(k)[1]) for k in self.statics
                        if k != "otherlang"]
        footer = ['<footer class="site-footer">\n', self._links(footer_links, ctx, "footer-links")]
        if has["social-media"]:
            handle = self.slug.split("-")[0]
            social = [(f"https://www.facebook.com/{handle}", "Facebook"),
                      (f"https://x.com/{handle}", "X"),
                      (f"https://www.instagram.com/{handle}", "Instagram"),
                      (f"https://www.youtube.com/@{handle}", "YouTube")]
            footer.append(self._links(social, ctx, "social"))
        street = _sentence(rng, lang, 3, 6)
        # a street address is a contact detail (#214): only portals with the feature show one
        footer.append(self._extra_footer(ctx))
        if has["contact"]:
            footer.append(f"<p>{_esc(street)} 1, {_esc(self.name)}</p>\n")
        # the last lines: who runs a third party's site, and the copyright (official.py)
        if self._publisher_line:
            footer.append(f'<p class="publisher">{_esc(self._publisher_line)}</p>\n')
        footer.append(f'<p class="copyright">{_esc(self._copyright_line)}</p>\n')
        footer.append("</footer>\n<script src=\"/assets/site.js\" defer></script>\n</body>\n</html>\n")

        main = ['<main id="main">\n']
        if not self._has["valid-markup"]:  # a widget's own styles, where the checker wants none
            main.append('<style>.widget-notice{border:1px solid #c00;padding:4px}</style>\n')
        if kind != "home":
            main.append('<nav class="breadcrumb">' + (
                f'<a href="{_esc(self._href(self.home, ctx))}">{_esc(ui["home"])}</a>'
                if not ctx.js_all else "") + f" / {_esc(title)}</nav>\n")
        main.append(f"<h1>{_esc(title)}</h1>\n")
        main += content
        fixed = "".join(head) + "".join(header) + "".join(main) + "".join(footer)
        size = len(fixed.encode("utf-8"))
        links_now = ctx.links + 3
        # Fill to the target size with filler blocks, with groups of related links among them
        # (only to shallow pages, so deep archive pages stay deep).
        filler = _filler(spec.seed, self._lang_code, self._has["valid-markup"])
        pool = self._related_pool(ctx)
        heading = f'<section class="related"><h2>{_esc(ui["more"])}</h2>'
        bulk: list[str] = []
        need = max(0, want_links - links_now)
        while size < target or need > 0:
            if need > 0 and (size >= target or rng.random() < 0.35):
                k = min(need, rng.randint(8, 24))
                if ctx.js_all:
                    links = self._links([self._related[i] for i in rng.choices(
                        range(len(self._related)), k=k)], ctx, "related")
                else:
                    ctx.groups += 1
                    ctx.links += k
                    links = f'<ul class="related">{"".join(rng.choices(pool, k=k))}</ul>\n'
                block = heading + links + "</section>\n"
                need -= k
                size += len(block)
            else:
                i = rng.randrange(len(filler.blocks))
                block = filler.blocks[i]
                size += filler.sizes[i]
            bulk.append(block)
        main_close = "</main>\n"
        text = "".join(head) + "".join(header) + "".join(main) + "".join(bulk) + main_close + \
            "".join(footer)
        if kind == "home":  # axe-core's A/AA violations of a portal without "wcag-aa"
            text = wcag.plant(self, text)
        body = text.encode(codec, "xmlcharrefreplace")
        ctype = f"text/html; charset={header_cs}" if header_cs else "text/html"
        return Page(200, (), body, ctype)

    _EXTERNALS = (("https://www.gov.example/", "gov.example"),
                  ("https://tourism.example/", "tourism.example"),
                  ("https://weather.example/", "weather.example"),
                  ("https://region.example/", "region.example"))

    @property
    def _related(self) -> list[tuple[str, str]]:
        """Targets of "related" links: shallow pages only (so deep archive pages stay deep),
        and about one in twelve to another site."""
        related = self.__dict__.get("_related_cache")
        if related is None:
            related = list(self._shallow) + list(self._EXTERNALS) * (len(self._shallow) // 40 + 1)
            self.__dict__["_related_cache"] = related
        return related

    def _related_pool(self, ctx: _Ctx) -> list[str]:
        """The related targets as ready <li> markup (per portal; per page with session ids)."""
        pool = None if ctx.sid else self.__dict__.get("_related_li")
        if pool is None:
            pool = [f'<li><a href="{_esc(self._href(h, ctx))}">{_esc(t)}</a></li>'
                    for h, t in self._related]
            if not ctx.sid:
                self.__dict__["_related_li"] = pool
        return pool

    def _content(self, path: str, kind: str, arg: Any, ctx: _Ctx,
                 rng: random.Random) -> tuple[str, list[str]]:
        lang, ui = self._lang, self._lang["ui"]
        out: list[str] = []
        if kind == "home":
            title = f"{ui['home']}: {self.name}"
            out.append(f'<p class="lead">{_esc(_sentence(rng, lang, 12, 30))}.</p>\n')
            for key in self.list_keys:
                slug, label = self._sec(key)
                out.append(f'<section class="latest latest-{key}"><h2>{_esc(label)}</h2>\n')
                latest = [(p, t) for p, t, _ in self.items[key][:5]] + [(f"/{slug}/", ui["more"])]
                out.append(self._links(latest, ctx, "teasers"))
                out.append("</section>\n")
            quick = [(f"/{self._sec(k)[0]}/", self._sec(k)[1]) for k in self.statics
                     if k != "otherlang"]
            out.append(self._links(quick, ctx, "quick-links"))
            out.append(self._services_block(ctx))
            out.append(self._extra_home(ctx))
            notices = self._extra_links + self._decoy_notices()
            if notices:
                out.append(self._links(notices, ctx, "notices"))
        elif kind == "section":
            key = arg
            slug, label = self._sec(key)
            title = label
            items = self.items[key]
            shown = items[:_LIST_PAGE] if self.archives[key] else items
            if key == "services":
                out.append(self._services_block(ctx))
            out.append(self._list(shown, ctx))
            pager = []
            if self.archives[key]:
                pager.append((self._archive_path(key, 1), ui["older"]))
            if key == "events" and self.hostile == "calendar-trap":
                pager.append((f"{self.special['calendar']}?month=6&year=2025", lang["calendar"]))
            if pager:
                out.append(self._links(pager, ctx, "pager"))
        elif kind == "archive":
            key, k = arg
            slug, label = self._sec(key)
            title = f"{label}: {lang['archive']} {k}"
            items = self.items[key]
            last = k == self.archives[key]
            out.append(self._list(items[_LIST_PAGE * k:] if last else
                                  items[_LIST_PAGE * k:_LIST_PAGE * (k + 1)], ctx))
            pager = [(self._archive_path(key, k - 1) if k > 1 else f"/{slug}/", ui["previous"])]
            if not last:
                pager.append((self._archive_path(key, k + 1), ui["next"]))
            out.append(self._links(pager, ctx, "pager"))
        elif kind == "item":
            key, n = arg
            slug, label = self._sec(key)
            _, title, date = self.items[key][n]
            out.append(f'<p class="date"><time datetime="{date}">{date}</time></p>\n')
            for _ in range(rng.randint(2, 6)):
                out.append(f"<p>{_esc(_sentence(rng, lang, 20, 60))}.</p>\n")
            out.append(self._item_extras(path, key, n, ctx))
            around = [(p, t) for p, t, _ in self.items[key][max(0, n - 2):n + 3] if p != path]
            out.append(self._links([(f"/{slug}/", label)] + around, ctx, "siblings"))
        elif kind == "service":
            label, title, _ = extras.SERVICE_WORDS[self._lang_code][arg]
            out.append(f'<p class="lead">{_esc(self._extra["intro"])}</p>\n')
            for _ in range(rng.randint(1, 3)):
                out.append(f"<p>{_esc(_sentence(rng, lang, 20, 50))}.</p>\n")
            out.append(_transaction(self._lang_code, self.variants[f"transaction:{arg}"],
                                    f"/{self._sec('services')[0]}/"))
        else:  # static
            key = arg
            slug, label = self._sec(key)
            title = label
            for _ in range(rng.randint(2, 5)):
                out.append(f"<p>{_esc(_sentence(rng, lang, 20, 50))}.</p>\n")
            host = self.slug.split("-")[0]
            if key == "contact" and self._has["helpdesk-phone"] and \
                    self.variants["helpdesk"] == "contact":
                label, number, _ = self._helpline()
                out.append(f'<p class="helpline">{_esc(label)}: <strong>{_esc(number)}</strong></p>\n')
            if key == "contact" and self.variants["map-link"]:
                url, label = self._extra["map_link"]
                out.append(self._links([(url.format(q=f"{self.host}+city+hall"), label)], ctx,
                                       "directions"))
            if key == "contact":
                out.append(f'<address>{_esc(_sentence(rng, lang, 2, 4))} 1, {_esc(self.name)}<br>'
                           f'<a href="tel:+1555010{self.index % 1000:03d}">+1 555 010 '
                           f'{self.index % 1000:03d}</a><br><a href="mailto:info@{host}.example">'
                           f"info@{host}.example</a></address>\n"
                           f'<form method="post" action="/{slug}/"><textarea name="message">'
                           f'</textarea><button type="submit">OK</button></form>\n')
            elif key == "eservices":
                out.append(self._links([(f"https://eservices.example/{host}/{i}",
                                         _sentence(rng, lang, 2, 5)) for i in range(1, 9)],
                                       ctx, "eservices"))
            elif key in _STATIC_CONTENT:
                out.append(_STATIC_CONTENT[key](self, ctx, rng, host))
            elif key == "opendata":
                out.append(self._open_data(ctx, rng))
            elif key == "documents":
                files = [(self.special[k], self.special[k].rsplit("/", 1)[1])
                         for k in ("pdf", "docx", "xlsx", "csv")]
                out.append(self._links(files, ctx, "documents"))
        return title, out

    def _other_language_page(self, path: str) -> Page:
        """The portal's page in another language, as most municipal portals have it: one page
        about the city in that language, with a link back to the home page, not a second copy
        of the portal (so its menu holds no paths named in the portal's own language)."""
        code = self._other_language
        other = LANGUAGES[code]
        rng = random.Random(f"{self._world.spec.seed}:{self.slug}:{path}")
        codec, header_cs, meta_cs = self._encoding(path)
        ctx = _Ctx(path)
        home = _esc(self._href(self.home, ctx))
        text = "".join(f"<p>{_esc(_sentence(rng, other, 20, 50))}.</p>\n"
                       for _ in range(rng.randint(3, 6)))
        viewport = ('<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                    if self._has["mobile-viewport"] else "")
        charset = f'<meta charset="{meta_cs}">\n' if meta_cs else ""
        page = (f'<!DOCTYPE html>\n<html lang="{code}" dir="{other["dir"]}">\n<head>\n{charset}'
                f"<title>{_esc(self.name)}</title>\n{viewport}</head>\n<body>\n"
                f'<header class="site-header"><a class="logo" href="{home}">{_esc(self.name)}</a> '
                f'<a href="{home}" hreflang="{self.language}" lang="{self.language}">'
                f'{_esc(self._lang["own_name"])}</a></header>\n'
                f'<main id="main"><h1>{_esc(self.name)}</h1>\n{text}</main>\n</body>\n</html>\n')
        ctype = f"text/html; charset={header_cs}" if header_cs else "text/html"
        return Page(200, (), page.encode(codec, "xmlcharrefreplace"), ctype)

    # -- the newer features (extras.py) --------------------------------------------------------

    @property
    def _extra(self) -> dict[str, Any]:
        return extras.PHRASES[self._lang_code]

    def service_links(self) -> dict[str, tuple[str, str]]:
        """service -> (address, label) of the services this portal offers online: a page of its
        own (a path) or a national portal's page (an http:// address one hop away)."""
        out: dict[str, tuple[str, str]] = {}
        for service in extras.SERVICES:
            if not self._has.get(f"service-{service}"):
                continue
            label, _, slug = extras.SERVICE_WORDS[self._lang_code][service]
            if self.variants[f"service:{service}"] == "portal":
                out[service] = (f"/{self._sec('services')[0]}/{slug}/", label)
            else:
                out[service] = ((f"http://{extras.NATIONAL[self._lang_code]}/{slug}/"
                                f"?city={self.host}"), label)
        return out

    def _helpline(self) -> tuple[str, str, str]:
        """(label, number as written, tel: address) of the helpdesk line."""
        x, n = self._extra, self.index
        label = x["helpdesk"][self.variants["helpdesk-text"]]
        if self._lang_code == "zh" and self.variants["helpdesk-text"] == 0:
            return label, "12345", "tel:12345"  # the citizens' hotline is the number itself
        number = x["helpdesk_number"].format(n=n % 100, m=(n * 37) % 100)
        if self._lang_code == "zh":
            number = f"0{571 + n % 200}-8888{(n * 37) % 10000:04d}"
        return label, number, "tel:" + re.sub(r"[^\d+]", "", number)

    def _extra_head(self) -> str:
        has, v, out = self._has, self.variants, []
        if has["live-chat"] and v["live-chat"] == "vendor":
            out.append(extras.CHAT_VENDORS[v["vendor"]].format(id=self.index * 7919) + "\n")
        if has["ai-chatbot"] and v["ai-chatbot"] == "script":
            out.append(extras.BOT_VENDORS[1 + v["bot-vendor"]].format(id=self.index * 104729)
                       + "\n")
        if v["ad-tag"]:
            out.append(extras.AD_TAG + "\n")
        return "".join(out)

    def _extra_header(self, ctx: _Ctx) -> str:
        if not self._has["e-id"] or self.variants["e-id"] == "form":
            return ""
        x, v = self._extra, self.variants
        if v["e-id"] == "provider":
            url, labels = x["eid_provider"]
            link = (url.format(id=f"{self.host}-portal"), labels[v["e-id-text"]])
        else:
            link = (f"https://cuenta.{self.host}.example/acceso", x["eid_label"][v["e-id-text"]])
        return self._links([link], ctx, "account")

    def _extra_footer(self, ctx: _Ctx) -> str:
        has, v, x, out = self._has, self.variants, self._extra, []
        links: list[tuple[str, str]] = []
        if has["live-chat"] and v["live-chat"] == "label":
            links.append((f"https://chat.{self.host}.example/", x["chat_label"][v["chat-text"]]))
        if has["live-chat"] and v["live-chat"] == "messaging":
            url, label = x["messaging"]
            links.append((url.format(n=self.index), label))
        if has["ai-chatbot"] and v["ai-chatbot"] == "label":
            links.append((f"https://asistente.{self.host}.example/",
                          x["bot_label"][v["bot-text"]]))
        if has["satisfaction-survey"]:
            links.append((f"https://encuestas.{self.host}.example/s/2025",
                          x["survey"][v["survey-text"]]))
        if has["helpdesk-phone"] and v["helpdesk"] == "footer":
            label, number, tel = self._helpline()
            links.append((tel, f"{label}: {number}" if number not in label else label))
        if v["staff-login"]:
            links.append((f"https://extranet.{self.host}.example/", x["staff_login"]))
        if links:
            out.append(self._links(links, ctx, "service-links"))
        if has["usage-statistics"] and v["usage"] == "counter":
            out.append(f'<p class="counter">{_esc(self._visit_counter())}</p>\n')
        if has["live-chat"] and v["live-chat"] == "button":
            out.append(f'<button type="button" class="chat-launcher" aria-haspopup="dialog">'
                       f'{_esc(x["chat_button"][v["chat-text"]])}</button>\n')
        if has["ai-chatbot"] and v["ai-chatbot"] == "button":
            out.append(f'<button type="button" class="assistant-launcher">'
                       f'{_esc(x["bot_button"])}</button>\n')
        if has["ai-chatbot"] and v["ai-chatbot"] == "element":
            out.append(extras.BOT_VENDORS[0].format(id=self.index * 104729, lang=self._lang_code,
                                                    title=_esc(x["bot_label"][1])) + "\n")
        return "".join(out)

    def _visit_counter(self) -> str:
        """The footer's visit counter, the number written the language's way."""
        n = f"{1_000_000 + self.index * 48_271:,}"
        sep = {"en": ",", "es": ".", "pt": ".", "de": ".", "fr": " ", "ru": " "}.get(
            self._lang_code, "")
        return extras.VISIT_COUNTER[self._lang_code].format(n=n.replace(",", sep))

    def _extra_home(self, ctx: _Ctx) -> str:
        if not (self._has["e-id"] and self.variants["e-id"] == "form"):
            return ""
        title, user, password, button = self._extra["login_form"]
        return (f'<section class="login-box"><h2>{_esc(title)}</h2>'
                f'<form method="post" action="{_esc(self.home)}"><label for="l-user">{_esc(user)}'
                f'</label><input id="l-user" type="text" name="username" autocomplete="username">'
                f'<label for="l-pass">{_esc(password)}</label><input id="l-pass" type="password" '
                f'name="password" autocomplete="current-password"><button type="submit">'
                f'{_esc(button)}</button></form></section>\n')

    def _services_block(self, ctx: _Ctx) -> str:
        links = list(self.service_links().values())
        if not links:
            return ""
        return (f'<section class="online-services"><h2>{_esc(self._extra["services_heading"])}'
                f'</h2>\n{self._links(links, ctx, "service-list")}</section>\n')

    def _decoy_notices(self) -> list[tuple[str, str]]:
        about = f"/{self._sec('about')[0]}/"
        out = [(about, text) for text in self._extra["decoys"]] if \
            self.variants["decoy-notice"] else []
        if self.variants["info-decoys"]:
            out += [(about, text) for text in extras.INFO_DECOYS[self._lang_code]]
        if self.variants["statistics-decoy"]:
            out.append((about, extras.STATISTICS_DECOYS[self._lang_code]))
        return out

    def _item_extras(self, path: str, key: str, n: int, ctx: _Ctx) -> str:
        """What an item page carries besides its text: share buttons (not a chat channel), and
        on one news item a sentence naming a service without offering it."""
        out = []
        if key == "news" and n == 0 and self.variants["mention"]:
            out.append(f"<p>{_esc(self._extra['service_mention'])}</p>\n")
        if key == "news" and self.variants["share-links"]:
            page = f"https%3A%2F%2Fwww.{self.host}.example{path.replace('/', '%2F')}"
            out.append(self._links([(f"https://api.whatsapp.com/send?text={page}", "WhatsApp"),
                                    (f"https://t.me/share/url?url={page}", "Telegram")],
                                   ctx, "share"))
        return "".join(out)

    def _open_data(self, ctx: _Ctx, rng: random.Random) -> str:
        """The open-data page: datasets with their metadata (schema.org JSON-LD, DCAT in RDFa,
        or a catalogue on another site whose dataset pages show it), or without any."""
        x, v = self._extra, self.variants
        names = x["dataset_names"]
        licence, publisher, updated, fmt = x["metadata"]
        slugs = [f"ds-{i + 1}" for i in range(len(names))]
        variant = v["metadata"] if self._has["open-data-metadata"] else v["no-metadata"]
        if variant == "catalogue":
            base = f"http://opendata.{self.host}.example/dataset/"
            return self._links([(base + s, name) for s, name in zip(slugs, names)], ctx,
                               "datasets")
        if variant == "plain":
            return self._links([(f"https://data.example/{self.host}/{s}.csv",
                                 f"{name} (CSV)") for s, name in zip(slugs, names)], ctx,
                               "datasets")
        dates = [_date(7 * i + 3) for i in range(len(names))]
        if variant == "jsonld":
            catalog = {"@context": "https://schema.org", "@type": "DataCatalog", "name": self.name,
                       "dataset": [{"@type": "Dataset", "name": name,
                                    "description": _sentence(rng, self._lang, 8, 16),
                                    "license": "https://creativecommons.org/licenses/by/4.0/",
                                    "creator": {"@type": "GovernmentOrganization",
                                                "name": self.name},
                                    "dateModified": d,
                                    "distribution": {"@type": "DataDownload",
                                                     "encodingFormat": "text/csv",
                                                     "contentUrl": f"https://data.example/"
                                                                   f"{self.host}/{s}.csv"}}
                                   for name, s, d in zip(names, slugs, dates)]}
            rows = "".join(f"<tr><td><a href=\"https://data.example/{self.host}/{s}.csv\">"
                           f"{_esc(name)}</a></td><td>CC BY 4.0</td><td>{d}</td><td>CSV</td></tr>"
                           for name, s, d in zip(names, slugs, dates))
            data = json.dumps(catalog, ensure_ascii=False).replace("</", "<\\/")
            return (f'<script type="application/ld+json">{data}</script>\n'
                    f'<table class="datasets"><tr><th></th><th>'
                    f'{_esc(licence)}</th><th>{_esc(updated)}</th><th>{_esc(fmt)}</th></tr>'
                    f"{rows}</table>\n")
        # DCAT in RDFa
        items = "".join(
            f'<div class="dataset" about="#{s}" typeof="dcat:Dataset"><h3 property="dct:title">'
            f'{_esc(name)}</h3><p property="dct:description">'
            f'{_esc(_sentence(rng, self._lang, 8, 16))}</p><dl><dt>{_esc(licence)}</dt><dd>'
            f'<a property="dct:license" href="https://creativecommons.org/licenses/by/4.0/">'
            f'CC BY 4.0</a></dd><dt>{_esc(publisher)}</dt><dd property="dct:publisher">'
            f'{_esc(self.name)}</dd><dt>{_esc(updated)}</dt><dd property="dct:modified" '
            f'content="{d}">{d}</dd></dl><a property="dcat:downloadURL" href="https://data.example/'
            f'{self.host}/{s}.csv">{_esc(x["download"])} CSV</a></div>\n'
            for name, s, d in zip(names, slugs, dates))
        return (f'<div prefix="dcat: http://www.w3.org/ns/dcat# dct: http://purl.org/dc/terms/">'
                f"\n{items}</div>\n")

    def _list(self, items: list[tuple[str, str, str]], ctx: _Ctx) -> str:
        rows = "".join(
            f'<li><a href="{_esc(self._href(p, ctx))}">{_esc(t)}</a> <time datetime="{d}">{d}'
            "</time></li>" for p, t, d in items)
        if ctx.js_all:
            return self._links([(p, t) for p, t, _ in items], ctx, "items")
        ctx.groups += 1
        ctx.links += len(items)
        return f'<ul class="items">{rows}</ul>\n'

    # -- non-HTML and hostile pages -----------------------------------------------------------

    def _build_robots(self, path: str, arg: Any) -> Page:
        lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /*?q="]
        if self.hostile == "robots-disallowed":
            lines.append(f"Disallow: {self.special['disallowed']}")
        lines.append(f"\nSitemap: {BASE_PLACEHOLDER}/sitemap.xml")
        return Page(200, (), ("\n".join(lines) + "\n").encode(), "text/plain; charset=utf-8",
                    templated=True)

    def _build_sitemap(self, path: str, arg: Any) -> Page:
        urls = "".join(f"<url><loc>{BASE_PLACEHOLDER}{p}</loc></url>\n" for p in self._html_paths)
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                f"{urls}</urlset>\n").encode()
        return Page(200, (), body, "application/xml", templated=True)

    def _build_asset(self, path: str, arg: Any) -> Page:
        if arg == "css":
            css = (b"body{font-family:sans-serif;margin:0}.site-header{padding:1em}"
                   b".skip-link{position:absolute;left:-999px}\n")
            if not self._has["valid-css"]:  # the old IE hacks many sheets still carry
                css += b".clearfix{*zoom:1}.menu li{display:inline;_height:1%}\n"
            return Page(200, (("Cache-Control", "max-age=86400"),), css, "text/css")
        if arg == "js":
            return Page(200, (("Cache-Control", "max-age=86400"),),
                        b"document.documentElement.classList.add('js');\n",
                        "application/javascript")
        return Page(200, (("Cache-Control", "max-age=86400"),),
                    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><circle cx="24" '
                    b'cy="24" r="20" fill="#2a6"/></svg>\n', "image/svg+xml")

    def _build_redirect(self, path: str, arg: tuple[int, str]) -> Page:
        status, location = arg
        body = f'<html><body><a href="{location}">Moved</a></body></html>\n'.encode()
        return Page(status, (("Location", location),), body, "text/html; charset=utf-8")

    def _build_document(self, path: str, kind: str) -> Page:
        rng = random.Random(f"{self._world.spec.seed}:{self.slug}:{path}")
        title = f"{self.slug} budget 2025"
        rows: list[list[str | int]] = [["item", "amount"]]
        rows += [[f"line {i}", rng.randint(1000, 999_999)] for i in range(1, 21)]
        if kind == "pdf":
            return Page(200, (), docs.pdf(title, [f"line {i}: {v}" for i, (_, v) in
                                                  enumerate(rows[1:], 1)]), docs.PDF)
        if kind == "docx":
            return Page(200, (("Content-Disposition", 'attachment; filename="council-minutes.docx"'),),
                        docs.docx(title, [_sentence(rng, LANGUAGES["en"], 8, 20) for _ in range(6)]),
                        docs.DOCX)
        if kind == "xlsx":
            return Page(200, (), docs.xlsx(rows), docs.XLSX)
        return Page(200, (), docs.csv(rows), docs.CSV)

    def _build_error(self, path: str, status: int) -> Page:
        return Page(status, (), b"<!DOCTYPE html><html><head><title>500 Internal Server Error"
                    b"</title></head><body><h1>Internal Server Error</h1></body></html>\n")

    def _build_slow(self, path: str, arg: Any) -> Page:
        page = self._html_page(path, "static", "about")
        return Page(200, (), page.body, page.content_type, delay_ms=self._world.spec.slow_ms)

    def _build_huge(self, path: str, chunked: bool) -> Page:
        head = (f"<!DOCTYPE html>\n<html lang=\"{self.language}\"><head><meta charset=\"utf-8\">"
                f"<title>{_esc(self.name)}</title></head><body><table>\n").encode()
        rng = random.Random(f"{self._world.spec.seed}:{self.slug}:{path}")
        row = "".join(f"<tr><td>{i}</td><td>{_esc(_sentence(rng, self._lang, 4, 10))}</td></tr>\n"
                      for i in range(400)).encode()
        chunk = (row * (65536 // len(row) + 1))[:65536]
        repeat = max(1, -(-(self._world.spec.huge_bytes - len(head)) // len(chunk)))
        return Page(200, (), head, "text/html; charset=utf-8", repeat_chunk=chunk, repeat=repeat,
                    chunked=chunked)

    def _build_wrong_charset(self, path: str, arg: Any) -> Page:
        rng = random.Random(f"{self._world.spec.seed}:{self.slug}:{path}")
        text = "".join(f"<p>{_esc(_sentence(rng, self._lang, 20, 40))}。</p>\n" for _ in range(6))
        body = (f'<!DOCTYPE html>\n<html lang="zh"><head><title>{_esc(self.name)}</title></head>'
                f"<body><h1>{_esc(self.name)}</h1>\n{text}</body></html>\n").encode("gb18030")
        return Page(200, (), body, "text/html; charset=iso-8859-1")

    def _challenge(self, path: str, status: int) -> Page:
        ray = zlib.crc32(f"{self.slug}:{path}".encode()).to_bytes(4, "big").hex() + \
            zlib.crc32(f"{path}:{self.slug}".encode()).to_bytes(4, "big").hex()
        body = (
            '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>'
            '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">'
            '<meta http-equiv="X-UA-Compatible" content="IE=Edge">'
            '<meta name="robots" content="noindex,nofollow">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            "<style>*{box-sizing:border-box;margin:0;padding:0}html{line-height:1.15;"
            "-webkit-text-size-adjust:100%;color:#313131}body{display:flex;flex-direction:column;"
            "height:100vh;min-height:100vh}.main-content{margin:8rem auto;max-width:60rem;"
            "padding-left:1.5rem}</style><meta http-equiv=\"refresh\" content=\"390\"></head>"
            '<body class="no-js"><div class="main-wrapper" role="main"><div class="main-content">'
            '<noscript><div id="challenge-error-title"><div class="h2"><span id="challenge-error-'
            'text">Enable JavaScript and cookies to continue</span></div></div></noscript></div>'
            "</div><script>(function(){window._cf_chl_opt={cvId: '3',cZone: \"127.0.0.1\","
            f"cType: 'managed',cRay: '{ray}',cH: '{ray * 4}',cUPMDTk: \"\\/?__cf_chl_tk={ray}\","
            "cFPWv: 'b',cITimeS: '1735689600'};var cpo = document.createElement('script');"
            f"cpo.src = '/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1?ray={ray}';"
            "window._cf_chl_opt.cOgUHash = location.hash === '' && location.href.indexOf('#') "
            "!== -1 ? '#' : location.hash;document.getElementsByTagName('head')[0]"
            ".appendChild(cpo);}());</script></body></html>"
        ).encode()
        headers = (("cf-mitigated", "challenge"), ("Server", "cloudflare"),
                   ("cf-ray", f"{ray}-CDG"),
                   ("Cache-Control", ("private, max-age=0, no-store, no-cache, must-revalidate, "
                                      "post-check=0, pre-check=0")),
                   ("Expires", "Thu, 01 Jan 1970 00:00:01 GMT"),
                   ("Referrer-Policy", "same-origin"), ("X-Frame-Options", "SAMEORIGIN"))
        return Page(status, headers, body, "text/html; charset=UTF-8")

    def _calendar(self, query: str) -> Page:
        params = dict(parse_qsl(query))
        try:
            month = int(params.get("month", "6"))
            year = int(params.get("year", "2025"))
        except ValueError:
            month, year = 6, 2025
        year += (month - 1) // 12
        month = (month - 1) % 12 + 1
        cal = self.special["calendar"]
        prev_m, prev_y = (12, year - 1) if month == 1 else (month - 1, year)
        next_m, next_y = (1, year + 1) if month == 12 else (month + 1, year)
        events = self.items.get("events") or [(self.home, self.name, "")]
        ctx = _Ctx(cal)
        days = []
        for day in range(1, 29):
            ev = events[(year * 12 + month + day) % len(events)] if day % 5 == 0 else None
            days.append(f'<td><a href="{_esc(ev[0])}">{day}</a></td>' if ev else f"<td>{day}</td>")
        rows = "".join("<tr>" + "".join(days[i:i + 7]) + "</tr>" for i in range(0, 28, 7))
        title = f"{self._lang['calendar']} {year}-{month:02d}"
        body = (f'<!DOCTYPE html>\n<html lang="{self.language}"><head><meta charset="utf-8">'
                f"<title>{_esc(title)} | {_esc(self.name)}</title></head><body>"
                f'<h1>{_esc(title)}</h1><table class="calendar">{rows}</table>'
                + self._links([(f"{cal}?month={prev_m}&year={prev_y}", self._lang["ui"]["previous"]),
                               (f"{cal}?month={next_m}&year={next_y}", self._lang["ui"]["next"])],
                              ctx, "pager")
                + "</body></html>\n").encode()
        return Page(200, (), body, "text/html; charset=utf-8")

    def _search(self, query: str) -> Page:
        q = dict(parse_qsl(query)).get("q", "")
        ctx = _Ctx("/search")
        links = self._links(self._shallow[:5], ctx, "results")
        body = (f'<!DOCTYPE html>\n<html lang="{self.language}"><head><meta charset="utf-8">'
                f'<meta name="robots" content="noindex"><title>{_esc(self._lang["ui"]["search"])}'
                f"</title></head><body><h1>{_esc(q)}</h1>{links}</body></html>\n").encode()
        return Page(200, (), body, "text/html; charset=utf-8")

    def _not_found(self) -> Page:
        label = self._lang["ui"]["not_found"]
        body = (f'<!DOCTYPE html>\n<html lang="{self.language}"><head><meta charset="utf-8">'
                f"<title>404 {_esc(label)}</title></head><body><h1>{_esc(label)}</h1><p><a href="
                f"\"{self.home}\">{_esc(self._lang['ui']['home'])}</a></p></body></html>\n").encode()
        return Page(404, (), body, "text/html; charset=utf-8")


# ---------------------------------------------------------------------------------------------
# What the single pages of the newer features hold, beyond paragraphs: (portal, ctx, rng, host)


def _form(portal: Portal, slug: str, fields: tuple[str, ...], upload: bool = False) -> str:
    words = portal._lang["form"]
    rows = []
    for name in fields:
        label = _esc(words[name])
        if name == "message":
            rows.append(f'<label for="f-{name}">{label}</label><textarea id="f-{name}" '
                        f'name="{name}" rows="6"></textarea>')
        else:
            kind = "email" if name == "email" else "text"
            rows.append(f'<label for="f-{name}">{label}</label><input id="f-{name}" '
                        f'type="{kind}" name="{name}">')
    if upload:
        rows.append(f'<label for="f-photo">{_esc(words["photo"])}</label><input id="f-photo" '
                    'type="file" name="photo" accept="image/*">')
    return (f'<form method="post" action="/{slug}/" class="public-form">{"".join(rows)}'
            f'<button type="submit">{_esc(words["send"])}</button></form>\n')


def _content_account(portal: Portal, ctx: _Ctx, rng: random.Random, host: str) -> str:
    """The account area: what it holds, and changing one's details where the portal lets one."""
    inside, update, view = accounts.INSIDE[portal._lang_code]
    base = f"https://cuenta.{host}.example/"
    links = [(f"{base}{part}", text) for part, text in zip(("requests", "appointments", "documents"),
                                                           inside)]
    if portal._has["personal-data-update"]:
        links.append((f"{base}profile/edit", update))
    else:
        links.append((f"{base}profile", view))
    return _dated_list(portal, rng, 2) + portal._links(links, ctx, "account-menu")


def _tender_platform(portal: Portal, ctx: _Ctx, host: str) -> str:
    """Where the city's tenders are answered: its e-procurement platform, or paper (a decoy)."""
    if not portal._has["e-procurement"]:
        return f"<p>{_esc(platforms.PAPER_TENDERS[portal._lang_code])}</p>\n"
    url, text = platforms.PLATFORMS[portal._lang_code]
    return portal._links([(url.format(host=host, n=100_000 + portal.index), text)], ctx,
                         "procurement-platform")


def _dated_list(portal: Portal, rng: random.Random, n: int) -> str:
    """Notices with their dates: recent on a portal with fresh content, as its lists are."""
    rows = "".join(f'<li><time datetime="{_portal_date(portal, i * 11 + 4)}">'
                   f"{_portal_date(portal, i * 11 + 4)}</time> "
                   f"{_esc(_sentence(rng, portal._lang, 3, 8))}</li>" for i in range(n))
    return f'<ul class="notices">{rows}</ul>\n'


def _content_app(portal: Portal, ctx: _Ctx, rng: random.Random, host: str) -> str:
    return portal._links([(f"https://apps.apple.com/app/id{6_400_000_000 + portal.index}",
                           "App Store"),
                          (f"https://play.google.com/store/apps/details?id=example.{host}.city",
                           "Google Play")], ctx, "app-stores")


def _content_feedback(portal: Portal, ctx: _Ctx, rng: random.Random, host: str) -> str:
    return _form(portal, portal._sec("feedback")[0], ("name", "email", "message"))


def _content_report(portal: Portal, ctx: _Ctx, rng: random.Random, host: str) -> str:
    return _form(portal, portal._sec("report")[0], ("where", "message", "email"), upload=True)


def _content_budget(portal: Portal, ctx: _Ctx, rng: random.Random, host: str) -> str:
    rows = "".join(f"<tr><td>{_esc(_sentence(rng, portal._lang, 1, 3))}</td>"
                   f"<td>{rng.randint(100, 99_999) * 1000:,}</td></tr>" for _ in range(8))
    return f'<table class="figures">{rows}</table>\n'


def _content_faq(portal: Portal, ctx: _Ctx, rng: random.Random, host: str) -> str:
    mark = "？" if portal._lang_code == "zh" else ("؟" if portal._lang_code == "ar" else "?")
    return "".join(f"<h2>{_esc(_sentence(rng, portal._lang, 4, 9))}{mark}</h2>"
                   f"<p>{_esc(_sentence(rng, portal._lang, 12, 30))}.</p>\n" for _ in range(5))


_STATIC_CONTENT = {
    "app": _content_app,
    "feedback": _content_feedback,
    "report": _content_report,
    "budget": _content_budget,
    "faq": _content_faq,
    "meetings": lambda portal, ctx, rng, host: _dated_list(portal, rng, 6),
    "jobs": lambda portal, ctx, rng, host: _dated_list(portal, rng, 4),
    "tenders": lambda portal, ctx, rng, host: (_dated_list(portal, rng, 5)
                                               + _see_also(portal, ctx, "awards")
                                               + _tender_platform(portal, ctx, host)),
}


def _choose_variants(rng: random.Random, services: random.Random) -> dict[str, Any]:
    """How a portal shows each newer feature, and which decoys it carries. Every value is drawn
    whatever the portal's features, so the draws do not shift when a feature is switched. The
    services after the first four draw from a stream of their own (`services`), so adding them
    shifted no draw of `rng`."""
    v: dict[str, Any] = {f"label:{key}": rng.randrange(2)
                         for key in ("search", "sitemap", "heads", "emergency", "pb", "wifi")}
    # (the map's label is drawn last, below: the draws before it stay where they were)
    v["e-id"] = rng.choice(("provider", "label", "form"))
    v["e-id-text"] = rng.randrange(2)
    v["staff-login"] = rng.random() < 0.5  # decoy: a staff sign-in is not the residents' e-ID
    v["live-chat"] = rng.choice(("vendor", "label", "button", "messaging"))
    v["chat-text"] = rng.randrange(2)
    v["vendor"] = rng.randrange(len(extras.CHAT_VENDORS))
    v["ai-chatbot"] = rng.choice(("element", "script", "button", "label"))
    v["bot-text"] = rng.randrange(2)
    v["bot-vendor"] = rng.randrange(len(extras.BOT_VENDORS) - 1)
    v["ad-tag"] = rng.random() < 0.35  # decoy: an advertising tag named gpt.js
    v["helpdesk"] = rng.choice(("footer", "contact"))
    v["helpdesk-text"] = rng.randrange(2)
    v["survey-text"] = rng.randrange(2)
    v["advanced"] = rng.choice(("dates", "filter", "link"))
    v["metadata"] = rng.choice(("jsonld", "rdfa", "catalogue"))
    v["no-metadata"] = rng.choice(("plain", "catalogue"))
    v["share-links"] = rng.random() < 0.5  # decoy: WhatsApp/Telegram share buttons on news
    v["mention"] = rng.random() < 0.5  # decoy: a service named in a news item's text
    v["decoy-notice"] = rng.random() < 0.5
    for n, service in enumerate(extras.SERVICES):
        draw = rng if n < 4 else services
        v[f"service:{service}"] = draw.choice(("national", "national", "portal"))
        v[f"transaction:{service}"] = draw.choice(("apply", "upload", "fields"))
    v["label:map"] = rng.randrange(2)
    v["map"] = rng.choice(("leaflet", "arcgis"))
    v["map-link"] = rng.random() < 0.6  # decoy: a consumer map service's link on the contact page
    for key in ("health", "environment", "education", "welfare", "transport", "orgchart"):
        v[f"label:{key}"] = rng.randrange(2)
    v["info-decoys"] = rng.random() < 0.5  # decoy: notices naming a section's word (INFO_DECOYS)
    v["label:awards"] = rng.randrange(2)
    v["label:usage"] = rng.randrange(2)
    v["usage"] = rng.choice(("page", "counter"))
    v["statistics-decoy"] = rng.random() < 0.5  # decoy: the city's statistics office
    v["label:consultations"] = rng.randrange(2)
    v["label:outcomes"] = rng.randrange(2)
    v["label:account"] = rng.randrange(2)
    for key, _, _ in extras.PAGES.values():
        v[f"label:{key}"] = rng.randrange(2)
    return v


def _transaction(lang: str, how: str, action: str) -> str:
    """What lets a person do the service online: a link that starts it, a form that takes the
    documents, or a form of several fields."""
    x = extras.PHRASES[lang]
    if how == "apply":
        return (f'<p class="cta"><a class="button" href="{_esc(action)}?step=1">'
                f'{_esc(x["start"])}</a></p>\n')
    rows = [(f'<label for="t-name">{_esc(x["applicant"])}</label>'
            '<input id="t-name" type="text" name="applicant">'),
            f'<label for="t-id">{_esc(x["idnum"])}</label><input id="t-id" type="text" name="idnum">']
    if how == "upload":
        rows.append(f'<label for="t-docs">{_esc(x["upload"])}</label>'
                    '<input id="t-docs" type="file" name="documents" accept="application/pdf">')
    else:
        rows += [(f'<label for="t-place">{_esc(x["place"])}</label>'
                 '<input id="t-place" type="text" name="address">'),
                 '<label for="t-mail">E-mail</label><input id="t-mail" type="email" name="email">']
    return (f'<form method="post" action="{_esc(action)}" class="application">{"".join(rows)}'
            f'<button type="submit">{_esc(x["submit"])}</button></form>\n')


def _content_search(portal: Portal, ctx: _Ctx, rng: random.Random, host: str) -> str:
    """The search page people open from the menu; with advanced search, its filters (dates or
    a content type) or a link to more options."""
    x, ui = portal._extra, portal._lang["ui"]
    advanced = portal._has["advanced-search"] and portal.variants["advanced"]
    rows = [(f'<label for="s-q">{_esc(ui["search"])}</label>'
            '<input id="s-q" type="search" name="q">')]
    if advanced == "dates":
        start, end = x["dates"]
        rows.append(f'<label for="s-from">{_esc(start)}</label>'
                    '<input id="s-from" type="date" name="from">'
                    f'<label for="s-to">{_esc(end)}</label><input id="s-to" type="date" name="to">')
    if advanced == "filter":
        label, options = x["refine"]
        opts = "".join(f'<option value="{i}">{_esc(o)}</option>' for i, o in enumerate(options))
        rows.append(f'<label for="s-type">{_esc(label)}</label>'
                    f'<select id="s-type" name="type">{opts}</select>')
    out = [f'<p>{_esc(x["search_hint"])}</p>\n',
           (f'<form action="/search" method="get" class="search-page">{"".join(rows)}'
           f'<button type="submit">{_esc(ui["search"])}</button></form>\n')]
    if advanced == "link":
        out.append(portal._links([(f"/{portal._sec('search')[0]}/?advanced=1", x["adv_link"])],
                                 ctx, "search-options"))
    return "".join(out)


def _content_sitemap(portal: Portal, ctx: _Ctx, rng: random.Random, host: str) -> str:
    entries = [(f"/{portal._sec(k)[0]}/", portal._sec(k)[1]) for k in portal.list_keys]
    entries += [(f"/{portal._sec(k)[0]}/", portal._sec(k)[1]) for k in portal.statics
                if k != "otherlang"]
    return portal._links(entries, ctx, "site-tree")


def _content_heads(portal: Portal, ctx: _Ctx, rng: random.Random, host: str) -> str:
    x = portal._extra
    rows = []
    for i, (title, name) in enumerate(zip(x["heads_titles"], x["people"])):
        phone = f"+1 555 020 {portal.index % 100:02d}{i:02d}"
        rows.append(f"<tr><td>{_esc(title)}</td><td>{_esc(name)}</td>"
                    f'<td><a href="tel:{phone.replace(" ", "")}">{phone}</a></td>'
                    f'<td><a href="mailto:head{i + 1}@{host}.example">head{i + 1}@{host}.example</a>'
                    "</td></tr>")
    return f'<table class="officials">{"".join(rows)}</table>\n'


def _content_map(portal: Portal, ctx: _Ctx, rng: random.Random, host: str) -> str:
    """The city's interactive map: a Leaflet map of its own, or an ArcGIS web map in a frame."""
    if portal.variants["map"] == "leaflet":
        return ('<link rel="stylesheet" href="https://unpkg.com/leaflet@1.9.4/dist/leaflet.css">\n'
                '<div id="city-map" class="map" style="height:480px"></div>\n'
                '<script src="https://unpkg.com/leaflet@1.9.4/dist/leaflet.js"></script>\n'
                "<script>var m=L.map('city-map').setView([40.0,-3.7],13);L.tileLayer("
                "'https://tile.openstreetmap.org/{z}/{x}/{y}.png').addTo(m);</script>\n")
    return (f'<iframe title="{_esc(portal._sec("map")[1])}" width="100%" height="480" '
            f'src="https://{host}-gis.maps.arcgis.com/apps/webappviewer/index.html?id='
            f'{portal.index * 7919:032x}"></iframe>\n')


def _see_also(portal: Portal, ctx: _Ctx, key: str) -> str:
    """A link to a related single page, where the portal has it: the tenders page to the
    contracts awarded, the consultations page to what came out of past ones."""
    if key not in portal.statics:
        return ""
    return portal._links([(portal.section_path(key), portal._sec(key)[1])], ctx, "see-also")


def _content_usage(portal: Portal, ctx: _Ctx, rng: random.Random, host: str) -> str:
    """The usage statistics page: visits per month."""
    rows = "".join(f"<tr><td>{_date(30 * i + 1)[:7]}</td><td>{rng.randint(20_000, 90_000)}</td>"
                   f"<td>{rng.randint(60_000, 300_000)}</td></tr>" for i in range(12))
    return f'<table class="figures">{rows}</table>\n'


_STATIC_CONTENT.update({
    "usage": _content_usage,
    "awards": lambda portal, ctx, rng, host: _dated_list(portal, rng, 6),
    "consultations": lambda portal, ctx, rng, host: (_dated_list(portal, rng, 4)
                                                     + _see_also(portal, ctx, "outcomes")),
    "outcomes": lambda portal, ctx, rng, host: _dated_list(portal, rng, 3),
    "map": _content_map,
    "account": _content_account,
    "search": _content_search,
    "sitemap": _content_sitemap,
    "heads": _content_heads,
    "emergency": lambda portal, ctx, rng, host: _dated_list(portal, rng, 4),
    "pb": lambda portal, ctx, rng, host: _dated_list(portal, rng, 5),
    "wifi": lambda portal, ctx, rng, host: _dated_list(portal, rng, 6),
    # the information sections: paragraphs and a list of dated notices, like most such pages
    **{key: (lambda portal, ctx, rng, host: _dated_list(portal, rng, 5))
       for key in ("health", "environment", "education", "welfare", "transport", "orgchart")},
    # the single pages of the fourth part: their own content, or the same as the sections above
    **{key: extras.PAGE_CONTENT.get(key, lambda portal, ctx, rng, host: _dated_list(portal, rng, 5))
       for key, _, _ in extras.PAGES.values()},
})


# ---------------------------------------------------------------------------------------------
# Other sites: national portals and open-data catalogues, reached through the world's proxy


def _other_site_page(lang: str, site_name: str, title: str, body: str) -> Page:
    code = LANGUAGES[lang]
    html_text = (f'<!DOCTYPE html>\n<html lang="{lang}" dir="{code["dir"]}">\n<head>\n'
                 f'<meta charset="utf-8">\n<title>{_esc(title)} | {_esc(site_name)}</title>\n'
                 '<meta name="viewport" content="width=device-width, initial-scale=1">\n</head>\n'
                 f'<body>\n<header><span class="brand">{_esc(site_name)}</span></header>\n'
                 f'<main>\n<h1>{_esc(title)}</h1>\n{body}</main>\n</body>\n</html>\n')
    return Page(200, (), html_text.encode(), "text/html; charset=utf-8")


def _elsewhere(world: World) -> dict[str, dict[str, Page]]:
    """host -> request target -> page, for every site other than the portals that a portal
    links to and the world serves (through its proxy)."""
    sites: dict[str, dict[str, Page]] = {}
    for portal in world.portals:
        if portal.source != "synthetic":
            continue
        lang, x = portal._lang_code, portal._extra
        rng = random.Random(f"{world.spec.seed}:elsewhere:{portal.index}")
        national = extras.NATIONAL[lang]
        for service, (url, _) in portal.service_links().items():
            if not url.startswith("http://"):
                continue
            _, title, slug = extras.SERVICE_WORDS[lang][service]
            body = (f'<p class="lead">{_esc(x["intro"])}</p>\n'
                    + "".join(f"<p>{_esc(_sentence(rng, portal._lang, 15, 40))}.</p>\n"
                              for _ in range(2))
                    + _transaction(lang, portal.variants[f"transaction:{service}"],
                                   f"/{slug}/apply"))
            target = url.removeprefix(f"http://{national}")
            sites.setdefault(national, {})[target] = _other_site_page(
                lang, extras.NATIONAL_NAMES[lang], title, body)
        if portal._has["open-data"]:
            variant = portal.variants["metadata"] if portal._has["open-data-metadata"] else \
                portal.variants["no-metadata"]
            if variant != "catalogue":
                continue
            host = f"opendata.{portal.host}.example"
            licence, publisher, updated, fmt = x["metadata"]
            for i, name in enumerate(x["dataset_names"]):
                csv = f"http://{host}/files/ds-{i + 1}.csv"
                text = f"<p>{_esc(_sentence(rng, portal._lang, 10, 25))}.</p>\n"
                files = f'<ul class="resources"><li><a href="{csv}">{_esc(x["download"])} CSV</a></li></ul>\n'
                if portal._has["open-data-metadata"]:
                    text += (f'<section class="additional-info"><table class="table">'
                             f"<tr><th>{_esc(licence)}</th><td>CC BY 4.0</td></tr>"
                             f"<tr><th>{_esc(publisher)}</th><td>{_esc(portal.name)}</td></tr>"
                             f"<tr><th>{_esc(updated)}</th><td>{_date(9 * i + 2)}</td></tr>"
                             f"<tr><th>{_esc(fmt)}</th><td>CSV</td></tr></table></section>\n")
                sites.setdefault(host, {})[f"/dataset/ds-{i + 1}"] = _other_site_page(
                    lang, host, name, text + files)
    return sites


# ---------------------------------------------------------------------------------------------
# The world


@dataclass(eq=False)
class World:
    spec: WorldSpec
    portals: tuple[Portal, ...] = ()
    cache_bytes: int = 512 * 1024 * 1024
    _cache: _Cache = field(init=False, repr=False)
    _paths_b: dict[int, list[bytes]] = field(init=False, repr=False, default_factory=dict)
    # host -> request target -> page: the other sites portals link to that the world serves
    # (national portals' service pages, open-data catalogues), through its proxy (server.py)
    elsewhere: dict[str, dict[str, Page]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._cache = _Cache(self.cache_bytes)

    def __iter__(self) -> Iterator[Portal]:
        return iter(self.portals)

    def __len__(self) -> int:
        return len(self.portals)

    def __getitem__(self, slug: str) -> Portal:
        for portal in self.portals:
            if portal.slug == slug:
                return portal
        raise KeyError(slug)

    def by_case(self, case: str) -> Portal:
        """The portal that embodies a hostile case."""
        for portal in self.portals:
            if portal.hostile == case:
                return portal
        raise KeyError(f"no portal has the hostile case {case!r} (was the spec hostile?)")

    def warm(self) -> int:
        """Render every static page now (up to the cache budget); returns the bytes rendered."""
        total = 0
        for portal in self.portals:
            for path in portal.pages:
                total += len(portal.pages[path].body)
        return total

    def elsewhere_page(self, host: str, target: str) -> Page | None:
        """The response of another site the world serves (None: a host it does not serve, which
        the proxy treats as unreachable); a path it does not know is a 404."""
        site = self.elsewhere.get(host.lower())
        if site is None:
            return None
        page = site.get(target) or site.get(target.partition("?")[0])
        if page is None:
            return Page(404, (), b"<!DOCTYPE html><html><head><title>404 Not Found</title></head>"
                        b"<body><h1>Not Found</h1></body></html>\n")
        return page

    def _encoded_paths(self, portal: Portal) -> list[bytes]:
        paths = self._paths_b.get(portal.index)
        if paths is None:
            paths = [p.encode() for p in portal.html_paths]
            self._paths_b[portal.index] = paths
        return paths


def _assign_features(spec: WorldSpec) -> list[dict[str, bool]]:
    """About half the portals have each feature: a seeded shuffle per feature. A feature that
    requires another (REQUIRES) goes to about two thirds of the portals that have the other."""
    n = spec.portals
    out: list[dict[str, bool]] = [{} for _ in range(n)]
    for feature in FEATURES:
        rng = random.Random(f"{spec.seed}:feature:{feature}")
        if feature in SAME_AS:
            for i in range(n):
                out[i][feature] = out[i][SAME_AS[feature]]
            continue
        if feature in DERIVED:
            continue  # the portal sets it, once its variants are drawn
        base = REQUIRES.get(feature)
        pool = [i for i in range(n) if out[i][base]] if base else list(range(n))
        order = rng.sample(pool, len(pool))
        if base:
            cut = round(len(pool) * 2 / 3)
        else:
            cut = n // 2 + (n % 2 if rng.random() < 0.5 else 0)
        chosen = set(order[:cut])
        for i in range(n):
            out[i][feature] = i in chosen
    return out


def _assign_cases(spec: WorldSpec, languages: list[str]) -> dict[int, str]:
    if not spec.hostile:
        return {}
    rng = random.Random(f"{spec.seed}:hostile")
    free = rng.sample(range(spec.portals), spec.portals)
    cases: dict[int, str] = {}
    for case, want in (("legacy-arabic", "ar"), ("legacy-chinese", "zh")):
        index = next((i for i in free if languages[i] == want), free[0])
        free.remove(index)
        languages[index] = want
        cases[index] = case
    for case in HOSTILE_CASES:
        if case not in cases.values():
            cases[free.pop(0)] = case
    return cases


def generate(spec: WorldSpec, *, cache_bytes: int = 512 * 1024 * 1024) -> World:
    """Plan a world of portals; page bodies are rendered lazily (see the module docstring)."""
    languages = [spec.languages[i % len(spec.languages)] for i in range(spec.portals)]
    cases = _assign_cases(spec, languages)
    features = _assign_features(spec)
    world = World(spec, cache_bytes=cache_bytes)
    portals = []
    for i in range(spec.portals):
        has = features[i]
        if cases.get(i) == "calendar-trap":
            has["events"] = True  # the trap lives in the events section
        if cases.get(i) == "documents":  # its files are the budget and a council meeting's minutes
            has["budget"] = has["council-meetings"] = True
        portals.append(Portal(world, i, languages[i], has, cases.get(i),
                              real=spec.real_pages_dir is not None and i not in cases))
    world.portals = tuple(portals)
    official.unique_hosts(world.portals)
    world.elsewhere = _elsewhere(world)
    return world
