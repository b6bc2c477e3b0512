"""Pattern detectors: one JSON file per detector, turned into a Detector by this one engine.

A pattern file (`detectors/patterns/<id>.json`, validated against `patterns/schema.json`) says
what to look for in a vocabulary like Wappalyzer's: link texts and URLs, known domains, DOM
selectors, meta tags, headers, script and iframe sources, forms, visible text, headings and
schema.org types. Each rule carries its own confidence. The engine records every match as
Evidence (page, locator, the text seen, WARC record id, the rule that matched), combines the
confidences of the distinct rules that matched (noisy-OR, capped), and decides:

- `present` when the combined confidence reaches `needs_review_below`;
- `needs_review` when something matched, but only weakly (or only through broken links);
- `absent` when nothing matched and every artifact of `absent_when_seen` was seen;
- `not_assessable` when nothing matched but the crawl did not see enough to say so.

See docs/detectors.md for the vocabulary and how confidences are set.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from detectors.lexicons import LexiconError, PhraseMatcher, WordIndex, lexicon
from detectors.site import Link, PageArtifact, ParsedPage, Site, normalise_text, registrable_domain
from losi.types import DetectorMeta, Evidence, FetchStatus, Finding, Outcome

PATTERN_DIR = Path(__file__).resolve().parent / "patterns"
SCHEMA_PATH = PATTERN_DIR / "schema.json"
LINK_KINDS = ("link_text", "link_url", "known_domains")
OTHER_KINDS = ("dom", "meta", "headers", "script_src", "iframe_src", "form", "text", "heading",
               "structured_data")
POSITIONS = ("header", "nav", "footer", "body")
_TEXT_HITS = 5  # text hits placed per rule and page: enough evidence, and placing one costs


class PatternError(ValueError):
    """A pattern file that cannot be used: the message names the file and the problem."""


@dataclass(frozen=True)
class Hit:
    """One thing a rule found on one page."""

    locator: str
    text: str
    what: str  # what was seen, for the explanation: "link 'Privacy' in the footer -> https://..."
    target: str = ""  # the URL a link leads to, to check whether the crawl found it broken
    link: Link | None = None  # for link hits, locator and `what` are worked out when needed

    def resolved(self) -> tuple[str, str]:
        """(locator, what): placing a link costs, so it is done only for evidence kept."""
        link = self.link
        if link is None:
            return self.locator, self.what
        where = f" -> {link.href}" if link.navigable else f" (href {link.href or 'empty'})"
        return link.locator, f"link {_short(self.text, 80)!r} in the {link.position}{where}"


# ---- compiling the vocabulary ------------------------------------------------------------------

# A dom rule with a text pattern tests each element's text; past this many elements, one search
# of the page's text first may rule them all out (a search of a whole page's text is not cheap).
_FEW_ELEMENTS = 8


def _regex(spec: str, where: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    try:
        return re.compile(spec, flags)
    except re.error as exc:
        raise PatternError(f"{where}: bad regular expression {spec!r} ({exc})") from None


def _words(spec: Mapping[str, Any] | None, where: str) -> PhraseMatcher | None:
    """A words spec ({lexicon: name or [names], phrases: [...]}) compiled for word look-ups."""
    if not spec:
        return None
    names = spec.get("lexicon", [])
    names = [names] if isinstance(names, str) else list(names)
    phrases = list(spec.get("phrases", []))
    for name in names:
        try:
            phrases += [p for ps in lexicon(name).values() for p in ps]
        except LexiconError as exc:
            raise PatternError(f"{where}: {exc}") from None
    try:
        return PhraseMatcher(phrases)
    except LexiconError as exc:
        raise PatternError(f"{where}: {exc}") from None


def _selector_parts(selector: str) -> list[tuple[str, str | None]]:
    """Each comma-separated alternative of a selector, with one string its match must show in
    the page source (None when it has nothing literal, and must always run).

    '#google_translate_element, .goog-te-gadget, a[hreflang], [role=search]' ->
    [('#google_translate_element', 'google_translate_element'), ('.goog-te-gadget',
    'goog-te-gadget'), ('a[hreflang]', 'hreflang'), ('[role=search]', 'search')]
    """
    out: list[tuple[str, str | None]] = []
    for alternative in (a.strip() for a in selector.split(",")):
        values = re.findall(r"\[[\w-]+[*^$~|]?=['\"]?([^'\"\]]+)", alternative)
        names = re.findall(r"[#.]([\w-]+)|\[([\w-]+)", alternative)
        tags = re.findall(r"(?:^|[\s>+~])([a-z][a-z0-9]*)", alternative)
        candidates = [*values, *(a or b for a, b in names), *(f"<{t}" for t in tags)]
        out.append((alternative, max(candidates, key=len) if candidates else None))
    return out


def _describe_words(spec: Mapping[str, Any]) -> str:
    if spec.get("lexicon"):
        names = spec["lexicon"]
        return f"lexicon {', '.join([names] if isinstance(names, str) else names)}"
    return "phrases " + ", ".join(repr(p) for p in spec.get("phrases", [])[:3])


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Rule:
    """One compiled rule of a pattern file."""

    def __init__(self, spec: Mapping[str, Any], index: int, where: str,
                 default_where: Mapping[str, Any]) -> None:
        self.spec = spec
        kinds = [k for k in (*LINK_KINDS, *OTHER_KINDS) if k in spec]
        self.kind = "link" if kinds and kinds[0] in LINK_KINDS else (kinds[0] if kinds else "")
        self.id = str(spec.get("id") or f"{'+'.join(kinds)}#{index}")
        self.confidence = float(spec["confidence"])
        self.why = str(spec.get("why", ""))
        scope = {**default_where, **spec.get("where", {})}
        # home / any (every page of the portal) / outbound (the one-hop pages on other sites the
        # portal links to) / everywhere (both) / render (the home page's DOM after scripts).
        self.pages = scope.get("pages", "any")
        self.home_only = self.pages == "home"
        self.on_render = self.pages == "render"
        self.link_site = scope.get("links", "any")
        self.languages = frozenset(scope.get("languages", ()))
        positions = scope.get("positions")
        self.positions = frozenset(positions) if positions else None
        self.where = f"{where} rule {self.id}"
        self._compile()

    # -- compile per kind --

    def _compile(self) -> None:
        s, w = self.spec, self.where
        if self.kind == "link":
            text = s.get("link_text")
            self.link_words = _words(text, w) if text else None
            self.link_unless = _words(text.get("unless"), w) if text else None
            self.max_words = int(text.get("max_words", 0)) if text else 0
            self.exact = bool(text.get("exact", False)) if text else False
            url = s.get("link_url")
            # URLs are lower-cased before matching, so no IGNORECASE (it slows the scan down).
            self.url_pattern = _regex(url["pattern"], w, re.MULTILINE) if url else None
            self.url_part = url.get("part", "url") if url else "url"
            unless = [x["unless"] for x in (url or {}, s.get("known_domains") or {})
                      if x.get("unless")]
            if text and text.get("unless_url"):
                unless.append(text["unless_url"])
            self.url_unless = [_regex(x, w, re.MULTILINE) for x in unless]
            domains = (s.get("known_domains") or {}).get("domains")
            if domains:
                alts = "|".join(re.escape(d.lower().lstrip(".")) for d in domains)
                # Starts with a literal ('://'), which the regex engine scans for quickly.
                self.domain_pattern: re.Pattern[str] | None = re.compile(
                    rf"://(?:[^/?#\n]*\.)?(?:{alts})(?::\d+)?(?:[/?#\n]|$)", re.MULTILINE)
            else:
                self.domain_pattern = None
            parts = []
            if text:
                parts.append(f"link text ({_describe_words(text)})")
            if url:
                parts.append(f"link {self.url_part} /{url['pattern']}/")
            if domains:
                parts.append("link to a known domain")
            self.label = " and ".join(parts)
        elif self.kind == "dom":
            from cssselect import SelectorError
            from lxml.cssselect import CSSSelector

            selector = s["dom"]["selector"]
            try:
                # One compiled selector per comma-separated alternative, each run only when its
                # literal (an id, a class, a tag, an attribute value) is in the page source.
                self.selectors = [(lit, CSSSelector(alt, translator="html"))
                                  for alt, lit in _selector_parts(selector)]
            except SelectorError as exc:
                raise PatternError(f"{w}: bad CSS selector {selector!r} ({exc})") from None
            self.attribute = s["dom"].get("attribute", "")
            self.attr_pattern = _regex(s["dom"]["pattern"], w) if s["dom"].get("pattern") else None
            self.text_pattern = _regex(s["dom"]["text"], w) if s["dom"].get("text") else None
            self.label = f"element {selector}"
        elif self.kind == "meta":
            self.meta_name = s["meta"]["name"].lower()
            self.meta_pattern = _regex(s["meta"].get("pattern", ""), w)
            self.label = f"<meta {self.meta_name}>"
        elif self.kind == "headers":
            self.header_name = s["headers"]["name"].lower()
            self.header_pattern = _regex(s["headers"].get("pattern", ""), w)
            self.label = f"header {self.header_name}"
        elif self.kind in ("script_src", "iframe_src"):
            self.src_pattern = _regex(s[self.kind]["pattern"], w)
            self.label = f"{'script' if self.kind == 'script_src' else 'iframe'} src /{s[self.kind]['pattern']}/"
        elif self.kind == "form":
            f = s["form"]
            self.field_words = _words(f.get("field"), w)
            self.field_unless = _words(f.get("unless"), w)
            self.field_types = frozenset(t.lower() for t in f.get("field_type", []))
            self.button_words = _words(f.get("button"), w)
            self.action_pattern = _regex(f["action"], w) if f.get("action") else None
            self.role = f.get("role", "")
            self.min_fields = int(f.get("min_fields", 0))
            self.label = "form" + (f" ({_describe_words(f['field'])})" if f.get("field") else "")
        elif self.kind in ("text", "heading"):
            t = s[self.kind]
            self.text_words = (_regex(t["pattern"], w) if t.get("pattern")
                               else _words(t, w))
            self.text_unless = _words(t.get("unless"), w)
            near = t.get("near")
            if near:
                self.near = _regex(near["pattern"], w) if near.get("pattern") else _words(near, w)
                self.within = int(near.get("within", 80))
            else:
                self.near, self.within = None, 0
            self.levels = frozenset(t.get("levels", [1, 2, 3, 4, 5, 6]))
            self.max_words = int(t.get("max_words", 0))
            what = f"/{t['pattern']}/" if t.get("pattern") else _describe_words(t)
            self.label = f"{'visible text' if self.kind == 'text' else 'heading'} ({what})"
        elif self.kind == "structured_data":
            self.types = frozenset(x.lower() for x in s["structured_data"]["types"])
            # Reading a page's items costs a JSON-LD parse: only when a type's name is in it.
            self.types_seen = re.compile("|".join(re.escape(x) for x in sorted(self.types)),
                                         re.IGNORECASE)
            self.property = s["structured_data"].get("property", "")
            self.label = f"schema.org {'/'.join(s['structured_data']['types'])}"
        else:
            raise PatternError(f"{w}: a rule needs one of {', '.join(LINK_KINDS + OTHER_KINDS)}")

    def describe(self) -> str:
        return f"rule {self.id} ({self.label}, {self.confidence:.2f})"

    # -- matching --

    def _in_scope(self, position: str) -> bool:
        return self.positions is None or position in self.positions

    def applies(self, page: ParsedPage, is_home: bool) -> bool:
        kind = page.artifact.kind
        if kind == "outbound":
            return self.pages in ("outbound", "everywhere")
        if kind == "render":
            return self.on_render
        if self.pages in ("outbound", "render"):
            return False
        return is_home or not self.home_only

    def speaks(self, page: ParsedPage) -> bool:
        """Whether the page is in one of the rule's languages (asked only once a rule matched)."""
        if self.languages:
            # The declared language first (free); the text's language when it says otherwise.
            if page.declared_language.split("-")[0].lower() in self.languages:
                return True
            return page.language.language in self.languages
        return True

    def find(self, page: ParsedPage) -> Iterator[Hit]:
        yield from getattr(self, f"_find_{self.kind}")(page)

    def _find_link(self, page: ParsedPage) -> Iterator[Hit]:
        links = page.links
        if not links:
            return
        candidates: set[int] | None = None

        def narrow(found: Sequence[int]) -> None:
            nonlocal candidates
            candidates = set(found) if candidates is None else candidates & set(found)

        if self.link_words is not None:
            labels = page.link_labels
            narrow(self.link_words.exact(labels) if self.exact else self.link_words.hits(labels))
        if self.domain_pattern is not None:
            narrow(page.link_urls.hits(self.domain_pattern))
        if self.url_pattern is not None and candidates != set():
            blob = page.link_paths if self.url_part == "path" else page.link_urls
            narrow(blob.hits(self.url_pattern))
        if not candidates:
            return
        drop: set[int] = set()
        if self.link_unless is not None:
            drop.update(self.link_unless.hits(page.link_labels))
        for pattern in self.url_unless:
            drop.update(page.link_urls.hits(pattern))
        for i in sorted(candidates - drop):
            link = links[i]
            if not self._in_scope(link.position):
                continue
            if self.max_words and len(link.label.split()) > self.max_words:
                continue
            if self.link_site != "any" and link.navigable:
                same = registrable_domain(link.href) == registrable_domain(page.url)
                if same != (self.link_site == "same-site"):
                    continue
            yield Hit("", _short(link.label or link.href), "",
                      link.href if link.navigable else "", link)

    def _find_dom(self, page: ParsedPage) -> Iterator[Hit]:
        html = page.html
        selectors = [sel for literal, sel in self.selectors if literal is None or literal in html
                     or (literal[0] == "<" and literal.upper() in html)]
        if not selectors:
            return
        elements = selectors[0](page.tree) if len(selectors) == 1 else list(
            dict.fromkeys(el for sel in selectors for el in sel(page.tree)))
        if self.text_pattern is not None and len(elements) > _FEW_ELEMENTS and \
                not self.text_pattern.search(page.text):
            return  # the text it wants is nowhere on the page (one search, not one per element)
        for el in elements:
            value = ""
            if self.attribute:
                value = (el.get(self.attribute) or "").strip()
                if self.attr_pattern is not None and not self.attr_pattern.search(value):
                    continue
            text = " ".join(el.text_content().split()) if self.text_pattern is not None else ""
            if self.text_pattern is not None and not self.text_pattern.search(text):
                continue
            position = page.position(el)
            if not self._in_scope(position):
                continue
            seen = value or text or el.tag
            yield Hit(page.xpath(el), _short(seen),
                      f"<{el.tag}> matching {self.spec['dom']['selector']!r} in the {position}")

    def _find_meta(self, page: ParsedPage) -> Iterator[Hit]:
        for meta in page.metas:
            if meta.key == self.meta_name and self.meta_pattern.search(meta.content):
                yield Hit(meta.locator, meta.content, f"<meta {meta.key} content={meta.content!r}>")

    def _find_headers(self, page: ParsedPage) -> Iterator[Hit]:
        for name, value in page.headers:
            if name.lower() == self.header_name and self.header_pattern.search(value):
                yield Hit("", f"{name}: {value}", f"HTTP header {name}: {_short(value, 80)}")

    def _find_script_src(self, page: ParsedPage) -> Iterator[Hit]:
        for script in page.scripts:
            if self.src_pattern.search(script.src.lower()):
                yield Hit(script.locator, script.src, f"<script src={script.src}>")

    def _find_iframe_src(self, page: ParsedPage) -> Iterator[Hit]:
        for frame in page.iframes:
            if self.src_pattern.search(frame.src.lower()):
                yield Hit(frame.locator, frame.src, f"<iframe src={frame.src}>", frame.src)

    def _find_form(self, page: ParsedPage) -> Iterator[Hit]:
        forms = page.forms
        if not forms:
            return
        # Which fields and buttons qualify, for all forms of the page at once.
        field_ok: dict[int, str] = {}
        if self.field_words is not None or self.field_types:
            fields = page.fields
            chosen = range(len(fields)) if self.field_words is None else \
                self.field_words.hits(page.field_index)
            drop = set(self.field_unless.hits(page.field_index)) if self.field_unless else set()
            for i in chosen:
                n, f = fields[i]
                if i in drop or (self.field_types and f.type not in self.field_types):
                    continue
                field_ok.setdefault(
                    n, f.placeholder or f.label or f.aria_label or f.title or f.name or f.id)
        button_ok: dict[int, str] = {}
        if self.button_words is not None:
            buttons = page.buttons
            for i in self.button_words.hits(page.button_index):
                button_ok.setdefault(buttons[i][0], buttons[i][1])
        for n, form in enumerate(forms):
            if (self.field_words is not None or self.field_types) and n not in field_ok:
                continue
            if self.button_words is not None and n not in button_ok:
                continue
            if self.role and form.role != self.role:
                continue
            if self.min_fields and len(form.fields) < self.min_fields:
                continue
            if self.action_pattern is not None and not (
                    form.is_form and self.action_pattern.search(form.action.lower())):
                continue
            if not self._in_scope(form.position):
                continue
            seen = field_ok.get(n) or button_ok.get(n) or ""
            what = "form" if form.is_form else "input"
            action = f" (action {form.action})" if form.is_form and form.action else ""
            yield Hit(form.locator, _short(seen or what),
                      f"{what} {_short(seen, 60)!r} in the {form.position}{action}")

    def _find_text(self, page: ParsedPage) -> Iterator[Hit]:
        index = page.text_index
        text = index.text
        if isinstance(self.text_words, PhraseMatcher):
            spans = [(start, end) for _, start, end in self.text_words.find(index)]
        else:
            assert self.text_words is not None
            spans = [m.span() for m in self.text_words.finditer(text)]
        near_spans: list[tuple[int, int]] | None = None
        if isinstance(self.near, PhraseMatcher):
            near_spans = [(s, e) for _, s, e in self.near.find(index)]
        unless = ([(s, e) for _, s, e in self.text_unless.find(index)]
                  if self.text_unless is not None else [])
        last_end, located, attempts = -1, 0, 0
        for start, end in spans:
            if start < last_end:
                continue
            lo, hi = max(0, start - self.within), end + self.within
            if self.near is not None:
                if near_spans is not None:
                    if not any(s < hi and e > lo and (s, e) != (start, end) for s, e in near_spans):
                        continue
                elif not any(m.start() < hi for m in self.near.finditer(  # type: ignore[union-attr]
                        text, lo, hi + 40)):
                    continue
            if any(s < end + 40 and e > start - 40 for s, e in unless):
                continue
            attempts += 1
            if attempts > 4 * _TEXT_HITS:
                return  # placing a hit walks the page's text nodes: bound the work
            found = page.locate(start, end)
            if not self._in_scope(found.position):
                continue
            last_end = end + 200  # one hit per stretch of text is enough evidence
            located += 1
            if located > _TEXT_HITS:
                return
            yield Hit(found.locator, found.text,
                      f"text {_short(found.text, 80)!r} in the {found.position}")

    def _find_heading(self, page: ParsedPage) -> Iterator[Hit]:
        headings = page.headings
        if not headings:
            return
        if isinstance(self.text_words, PhraseMatcher):
            chosen: Iterable[int] = self.text_words.hits(page.heading_index)
        else:
            assert self.text_words is not None
            items = page.heading_index.items
            chosen = [i for i, t in enumerate(items) if self.text_words.search(t)]
        drop = set(self.text_unless.hits(page.heading_index)) if self.text_unless else set()
        for i in chosen:
            h = headings[i]
            if i in drop or h.level not in self.levels or not self._in_scope(h.position):
                continue
            if self.max_words and len(h.text.split()) > self.max_words:
                continue
            yield Hit(h.locator, _short(h.text), f"<h{h.level}> {_short(h.text, 80)!r}")

    def _find_structured_data(self, page: ParsedPage) -> Iterator[Hit]:
        if "schema_types" not in page.__dict__ and not (
                page.holds_typed_items and self.types_seen.search(page.html)):
            return  # two substring tests (shared by every rule) before a regex over the source
        for n, (syntax, kind, item) in enumerate(page.schema_types):
            if kind.lower() not in self.types:
                continue
            if self.property and not item.get(self.property):
                continue
            value = item.get(self.property) if self.property else item.get("name", "")
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            yield Hit(f"{syntax}[{n}]", _short(f"{kind}: {text}"),
                      f"{syntax} item of type {kind}" + (f" with {self.property}" if self.property else ""))


# ---- the detector ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Match:
    rule: Rule
    page_url: str
    record_id: str
    hit: Hit
    broken: str = ""  # why the link's target is known to be broken, if it is
    # Service detectors weigh a candidate by what its target page shows (see `_confirm`):
    # the confidence it earned there, what was seen, and evidence rows on the target page.
    confidence: float | None = None
    note: str = ""
    extra: tuple[Evidence, ...] = ()

    @property
    def key(self) -> str:
        """Rules are counted once each; a confirmed candidate counts apart from the others."""
        return self.rule.id if self.confidence is None else f"{self.rule.id}+target"

    @property
    def weight(self) -> float:
        return self.rule.confidence if self.confidence is None else self.confidence

    def evidence(self) -> Evidence:
        locator, what = self.hit.resolved()
        explanation = f"{self.rule.describe()}: {what}"
        if self.rule.why:
            explanation += f" — {self.rule.why}"
        if self.note:
            explanation += f" — {self.note}"
        if self.broken:
            explanation += f" — but {self.broken}"
        return Evidence(page_url=self.page_url, explanation=explanation, locator=locator,
                        text=self.hit.text, record_id=self.record_id)


def noisy_or(confidences: Sequence[float], cap: float) -> float:
    """1 - prod(1 - c): independent signals that each could be right; capped below certainty."""
    miss = 1.0
    for c in confidences:
        miss *= 1.0 - c
    return round(min(cap, 1.0 - miss), 3)


PARTS_DIR = PATTERN_DIR / "parts"


@lru_cache(maxsize=8)
def pattern_part(name: str) -> PatternDetector:
    """A pattern file that other detectors use as a building block (`patterns/parts/`), e.g.
    `online-transaction`: the signs that a page lets people do something online."""
    return load_pattern(PARTS_DIR / f"{name}.json")


@dataclass(frozen=True)
class ServicePage:
    """What a candidate service page shows: its names (title, main headings) and the signs of a
    transaction (the `online-transaction` part's matches). Shared by every service detector."""

    url: str
    kind: str
    record_id: str
    names: WordIndex | None
    name_texts: tuple[str, ...]
    signals: tuple[tuple[float, str, str, str], ...]  # (confidence, why, text, locator)
    unseen: str = ""  # why the page could not be judged ('' when it was read)

    @property
    def transaction(self) -> tuple[float, str, str, str] | None:
        return self.signals[0] if self.signals else None


def _service_page(site: Site, url: str, current: ParsedPage | None) -> ServicePage:
    def compute() -> ServicePage:
        artifact = site.page(url)
        if artifact is None:
            return ServicePage(url, "", "", None, (), (), "the crawl did not fetch it")
        if not artifact.is_html:
            why = artifact.error or f"fetch status {artifact.fetch_status.value}"
            return ServicePage(url, artifact.kind, artifact.record_id, None, (), (),
                               f"the crawl could not read it ({why})")
        if current is not None and artifact.address == current.url:
            page, drop = current, False
        else:
            page, held = site.parse_once(artifact)
            # Keep a parse the runner will feed later (portal pages deeper than the current
            # one); drop one it has already released or will never feed.
            order = _reading_order(site)
            here = order.get(current.url, -1) if current is not None else -1
            drop = not held and order.get(artifact.address, -1) <= here
        part = pattern_part("online-transaction")
        signals: list[tuple[float, str, str, str]] = []
        for rule in part.rules:  # every rule, whatever the page's kind: the page is a target
            for hit in rule.find(page):
                locator, what = hit.resolved()
                signals.append((rule.confidence, f"{rule.why or rule.label}: {what}", hit.text,
                                locator))
                break  # one hit per rule says enough
        signals.sort(key=lambda x: -x[0])
        names = [page.title, *(h.text for h in page.headings if h.level <= 3)][:12]
        result = ServicePage(artifact.address, artifact.kind, artifact.record_id,
                             WordIndex([normalise_text(n) for n in names]), tuple(names),
                             tuple(signals))
        if drop:
            site.release(artifact)
        return result

    return site.shared(("service-page", url), compute)  # type: ignore[no-any-return]


def _has_outbound(site: Site) -> bool:
    return site.shared("has-outbound", lambda: any(  # type: ignore[no-any-return]
        p.outbound for p in site.html_artifacts()))


def _reading_order(site: Site) -> dict[str, int]:
    return site.shared("reading-order", lambda: {  # type: ignore[no-any-return]
        p.address: n for n, p in enumerate(site.html_artifacts())})


class PatternDetector:
    """A Detector made from one pattern file."""

    def __init__(self, spec: Mapping[str, Any], source: str = "<pattern>", *,
                 stop_early: bool = True) -> None:
        self.spec = spec
        self.source = source
        # Stop at the first page whose matches make the claim (see `detect`); False makes the
        # engine read every page, for benchmarks of the worst case and for audits.
        self.stop_early = stop_early
        self.meta = DetectorMeta(
            id=spec["id"], title=spec["title"], description=spec["description"],
            requires=tuple(spec.get("requires", ["home"])), version=int(spec["version"]),
        )
        default_where = spec.get("where", {})
        self.rules = tuple(Rule(r, i, source, default_where) for i, r in enumerate(spec["any"]))
        ids = [r.id for r in self.rules]
        if len(set(ids)) != len(ids):
            raise PatternError(f"{source}: two rules share an id ({', '.join(ids)})")
        self.absent_when_seen = tuple(spec.get("absent_when_seen", ["home"]))
        for artifact in self.absent_when_seen:
            if isinstance(artifact, Mapping):
                _regex(artifact["page"], f"{source} absent_when_seen")
        self.absent_confidence = float(spec.get("absent_confidence", 0.8))
        self.needs_review_below = float(spec.get("needs_review_below", 0.5))
        self.max_confidence = float(spec.get("max_confidence", 0.95))
        self.max_evidence = int(spec.get("max_evidence", 10))
        # Portal pages read at most (home first, then in the crawl's order): a feature the first
        # pages do not link is rarely deeper, and every page read costs (0: no limit).
        self.max_pages = int(spec.get("max_pages", 0))
        # Pages read past that budget all the same: the pages that would hold the feature
        # wherever the crawl ranked them (a search page for the advanced search).
        self.also_read = (_regex(spec["also_read"]["page"], f"{source} also_read")
                          if spec.get("also_read") else None)
        self._reads_outbound = any(r.pages in ("outbound", "everywhere") for r in self.rules)
        # A service: candidates (the rules' matches) are weighed by what their target page shows.
        service = spec.get("service")
        self.service_words = _words(service, f"{source} service") if service else None
        self.service = dict(service or {})
        # An assist never claims: it ranks the candidate pages for the person who must check.
        self.assist = dict(spec.get("assist") or {})

    def __repr__(self) -> str:
        return f"PatternDetector({self.meta.id!r}, {self.source})"

    def __getstate__(self) -> dict[str, Any]:  # compiled regexes and selectors rebuild on load
        return {"spec": self.spec, "source": self.source, "stop_early": self.stop_early}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["spec"], state["source"],  # type: ignore[misc]
                      stop_early=state.get("stop_early", True))

    @cached_property
    def _home_only(self) -> bool:
        return all(r.home_only or r.on_render for r in self.rules)

    @cached_property
    def _render_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.on_render)

    def begin(self, site: Site) -> Scan:
        """Start reading a site page by page (the runner feeds every detector the same page, so
        each page is parsed once and can be released when all have read it)."""
        return Scan(self, site)

    def detect(self, site: Site) -> Finding:
        scan = self.begin(site)
        for page in site.html_pages(home_only=self._home_only):
            if scan.feed(page):
                break
        return scan.finish()

    def _combined(self, matches: Sequence[_Match]) -> float:
        best: dict[str, float] = {}
        for m in matches:
            if not m.broken:
                best[m.key] = max(best.get(m.key, 0.0), m.weight)
        if self.service:
            # Candidates that their target page did not confirm do not add up: two links
            # naming a service are still no evidence that it can be done online.
            loose = [c for k, c in best.items() if not k.endswith("+target")]
            best = {k: c for k, c in best.items() if k.endswith("+target")}
            if loose:
                best["candidates"] = max(loose)
        return noisy_or(list(best.values()), self.max_confidence) if best else 0.0

    # -- services --

    def _confirm(self, site: Site, page: ParsedPage, rule: Rule, hit: Hit) -> _Match:
        """Weigh a service candidate by its target page: the service's words there (title or
        main headings) and a transaction (a form, a login, 'apply online', a payment provider).
        A link's target may be a page of the portal or the one-hop page on another site."""
        target = hit.target if hit.link is not None else page.url
        base = _Match(rule, page.url, page.record_id, hit, _broken(site, hit.target))
        if not target or base.broken:
            return base
        sp = _service_page(site, target, page)
        if sp.unseen:
            return _Match(rule, page.url, page.record_id, hit, base.broken,
                          note=f"its page {target} could not be checked: {sp.unseen}")
        assert self.service_words is not None and sp.names is not None
        named = self.service_words.hits(sp.names)
        where = "on another site, one hop from the portal" if sp.kind == "outbound" else \
            "on the portal"
        said = ", ".join(repr(_short(sp.name_texts[i], 70)) for i in named[:2])
        deal = sp.transaction
        strong = deal is not None and deal[0] >= float(self.service.get("min_signal", 0.6))
        if named and strong:
            confidence = float(self.service.get("confirmed_confidence", 0.85))
            note = f"its page ({where}) names the service ({said}) and offers a transaction"
        elif strong and hit.link is not None:
            confidence = float(self.service.get("transaction_only_confidence", 0.55))
            note = (f"its page ({where}) offers a transaction but does not name the service "
                    "in its title or headings")
        elif named:
            confidence = None
            note = (f"its page ({where}) names the service ({said}) but shows no transaction "
                    "(no form, login, 'apply online' or payment): information only?")
        else:
            confidence = None
            note = f"its page ({where}) neither names the service nor offers a transaction"
        extra: tuple[Evidence, ...] = ()
        if deal is not None:
            extra = (Evidence(page_url=sp.url, explanation=f"transactional signal: {deal[1]}",
                              locator=deal[3], text=_short(deal[2]), record_id=sp.record_id),)
        if confidence is not None:
            confidence = max(confidence, rule.confidence)
        return _Match(rule, page.url, page.record_id, hit, "", confidence, note, extra)

    # -- the decision --

    def _decide(self, site: Site, matches: list[_Match], examined: int) -> Finding:
        counts: dict[str, int] = {}
        for m in matches:
            counts[m.rule.id] = counts.get(m.rule.id, 0) + 1
        details: dict[str, Any] = {"matches": len(matches), "rules": counts,
                                   "pages_examined": examined}
        confidence = self._combined(matches)
        ordered = sorted(matches, key=lambda m: (bool(m.broken), -m.weight))
        kept: dict[Evidence, None] = {}
        for m in ordered:  # the strongest first; only those kept are placed in their page
            if len(kept) >= self.max_evidence:
                break
            kept.setdefault(m.evidence())
            for e in m.extra:
                kept.setdefault(e)
        evidence = tuple(kept)
        if self.service:
            confirmed = [m for m in ordered if m.confidence is not None]
            details["service"] = {
                "candidates": len(matches), "confirmed": len(confirmed),
                "where": sorted({("outbound" if "another site" in m.note else "portal")
                                 for m in confirmed}),
            }
        if self.assist:
            return self._assist(site, ordered, evidence, details)
        if confidence >= self.needs_review_below:
            return Finding(Outcome.PRESENT, confidence, evidence, details=details)
        if matches:
            if confidence == 0.0:
                reason = "every match is a link to a page the crawl found broken: " + "; ".join(
                    dict.fromkeys(m.broken for m in matches if m.broken))
                confidence = 0.5 * max(m.rule.confidence for m in matches)
            else:
                reason = "only doubtful signals: " + "; ".join(dict.fromkeys(
                    (m.note or m.rule.why or m.rule.describe()) for m in ordered
                    if not m.broken))
            return Finding(Outcome.NEEDS_REVIEW, round(confidence, 3), evidence,
                           reason=_short(reason, 600), details=details)
        missing = [why for artifact in self.absent_when_seen
                   if (why := _unseen(site, artifact))]
        if missing:
            return Finding(Outcome.NOT_ASSESSABLE, 0.0, reason="nothing found, but "
                           + "; ".join(missing), details=details)
        home = site.parse(site.home) if site.home is not None and site.home.is_html else None
        scope = "the home page" if self._home_only else (
            f"{examined} page(s) seen, home page included")
        if self.max_pages and examined >= self.max_pages:
            scope += f" (the first {self.max_pages} the crawl ranked best" + (
                f", and every {self.spec['also_read']['what']})" if self.also_read else ")")
        reason = f"no match for any of {len(self.rules)} rule(s) on {scope}"
        evidence = (Evidence(page_url=home.url, explanation=reason, record_id=home.record_id),
                    ) if home is not None else ()
        return Finding(Outcome.ABSENT, self.absent_confidence, evidence, reason=reason,
                       details=details)

    def _assist(self, site: Site, ordered: list[_Match], evidence: tuple[Evidence, ...],
                details: dict[str, Any]) -> Finding:
        """An assist: always needs_review, with the candidate pages ranked by relevance (the
        strongest rule first, then reading order) and what the assessor must do."""
        ranked: dict[str, dict[str, Any]] = {}
        for m in ordered:
            if m.broken:
                continue
            url = m.hit.target or m.page_url
            entry = ranked.setdefault(url, {"url": url, "score": 0.0, "why": []})
            entry["score"] = round(1 - (1 - entry["score"]) * (1 - m.weight), 3)
            if (m.rule.why or m.rule.label) not in entry["why"]:
                entry["why"].append(m.rule.why or m.rule.label)
        candidates = sorted(ranked.values(), key=lambda e: -e["score"])[:self.max_evidence]
        details.update({"assist": True, "instructions": self.assist["instructions"],
                        "candidates": candidates})
        if not evidence and site.home is not None:
            evidence = (Evidence(page_url=site.home.address, record_id=site.home.record_id,
                                 explanation="no candidate page found: start from the home "
                                             "page"),)
        reason = self.assist["instructions"]
        if candidates:
            reason = f"{len(candidates)} candidate(s), best first; {reason}"
        return Finding(Outcome.NEEDS_REVIEW, 0.0, evidence, reason=_short(reason, 600),
                       details=details)


class Scan:
    """One pattern detector reading one site, page by page, home first."""

    def __init__(self, detector: PatternDetector, site: Site) -> None:
        self.detector = detector
        self.site = site
        self.matches: list[_Match] = []
        self.examined = 0
        self.done = False
        self.tried: set[str] = set()  # service candidates' target pages checked

    def _read(self, page: ParsedPage, is_home: bool) -> None:
        d = self.detector
        for rule in d.rules:
            if not rule.applies(page, is_home):
                continue
            hits = list(rule.find(page))
            if hits and rule.languages and not rule.speaks(page):
                continue
            for hit in hits:
                if hit.link is not None:
                    hit.link.detach()  # place it now: its page may be released after this
                target = hit.target if hit.link is not None else page.url
                if d.service and (target in self.tried or len(self.tried) < _MAX_CONFIRMATIONS):
                    self.tried.add(target)
                    self.matches.append(d._confirm(self.site, page, rule, hit))
                else:
                    self.matches.append(_Match(rule, page.url, page.record_id, hit,
                                               _broken(self.site, hit.target)))

    def _past_budget(self, artifact: PageArtifact) -> bool:
        d = self.detector
        return bool(d.max_pages) and self.examined >= d.max_pages and artifact.kind != "outbound"

    def wants(self, artifact: PageArtifact) -> bool:
        """Whether `feed` would read this page (the runner parses no page that no scan wants)."""
        if self.done:
            return False
        if self._past_budget(artifact):
            d = self.detector
            return d.also_read is not None and _page_matches(d.also_read, artifact)
        return True

    def feed(self, page: ParsedPage) -> bool:
        """Read one page; True once this detector needs no more pages."""
        d = self.detector
        is_home = page.artifact is self.site.home
        if self.done or (d._home_only and not is_home):
            self.done = True
            return True
        if self._past_budget(page.artifact):
            if d.also_read is not None:  # only the pages that would hold the feature, now
                if _page_matches(d.also_read, page.artifact):
                    self._read(page, is_home)
                return False
            # The budget of portal pages is spent; the pages on other sites come last.
            if not (d._reads_outbound and _has_outbound(self.site)):
                self.done = True
            return self.done
        self.examined += 1
        self._read(page, is_home)
        # Evidence near the top is what an assessor follows: once a page makes the claim,
        # pages further from the home page add nothing to it.
        if d.stop_early and not d.assist and d._combined(self.matches) >= d.needs_review_below:
            self.done = True
        if d._home_only:
            self.done = True
        return self.done

    def finish(self) -> Finding:
        d = self.detector
        if d._render_rules and (d.assist or d._combined(self.matches) < d.needs_review_below):
            # What scripts insert (chat widgets, login buttons) is only in the rendered DOM.
            rendered = self.site.rendered()
            if rendered is not None:
                self._read(rendered, True)
        return d._decide(self.site, self.matches, self.examined)


# A service detector checks the target pages of at most this many candidates per site: a menu
# of fifty services must not make every service detector parse fifty pages.
_MAX_CONFIRMATIONS = 12


def _broken(site: Site, target: str) -> str:
    if not target:
        return ""
    page = site.page(target)
    if page is not None and page.fetch_status is FetchStatus.HTTP_ERROR:
        return f"{target} answered HTTP {page.http_status}"
    return ""


def _unseen(site: Site, artifact: str | Mapping[str, str]) -> str:
    """Why an artifact needed for an absence claim was not seen ('' when it was)."""
    if isinstance(artifact, Mapping):  # {page: regex, what: ...}: the page that would hold it
        pattern = _page_pattern(artifact["page"])
        for page in site.html_artifacts():
            if _page_matches(pattern, page):
                return ""
        return f"the crawl saw no {artifact['what']} (no page matching /{artifact['page']}/)"
    if artifact in ("home", "pages", "render:home"):
        ok, why = site.has_artifact(artifact)
        return "" if ok else why
    if artifact in ("header", "nav", "footer"):
        if site.home is None or not site.home.is_html:
            return "the home page was not seen"
        page = site.parse(site.home)
        if any(link.position == artifact for link in page.links) or page.tree.find(
                f".//{artifact}") is not None:
            return ""
        return f"the home page shows no {artifact} (cut short, or built by scripts?)"
    return f"unknown artifact {artifact!r}"


@lru_cache(maxsize=64)
def _page_pattern(spec: str) -> re.Pattern[str]:
    return _regex(spec, "absent_when_seen")


def _page_matches(pattern: re.Pattern[str], page: PageArtifact) -> bool:
    """A page's address (lower-cased, percent-escapes undone) matches a page pattern."""
    url = page.address.lower()
    return pattern.search(unquote(url) if "%" in url else url) is not None


# ---- loading pattern files ---------------------------------------------------------------------

@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text("utf-8"))


def validate(spec: Any, source: str) -> None:
    """Raise PatternError (file, JSON path, problem) unless `spec` follows the schema."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(spec), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        path = "/".join(str(p) for p in e.absolute_path) or "(top)"
        message = e.message if len(e.message) < 200 else e.message[:197] + "..."
        if e.validator in ("oneOf", "anyOf") and e.context:
            best = min(e.context, key=lambda c: len(c.message))
            message = f"{message[:80]}... ({best.message[:120]})"
        raise PatternError(f"{source}: at {path}: {message}")


@lru_cache(maxsize=1024)
def _validate_text(text: str, source: str) -> None:
    """`validate` once per file content and process: a command that loads the registry twice
    (the CLI, then `run_many`) validates each file once. Errors are not cached: they raise
    again on every load."""
    validate(json.loads(text), source)


def load_pattern(path: Path) -> PatternDetector:
    source = path.name
    try:
        text = path.read_text("utf-8")
        spec = json.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise PatternError(f"{source}: cannot read the file ({exc})") from None
    except json.JSONDecodeError as exc:
        raise PatternError(f"{source}: not JSON (line {exc.lineno}: {exc.msg})") from None
    _validate_text(text, source)
    if spec["id"] != path.stem:
        raise PatternError(f"{source}: the id {spec['id']!r} differs from the file name")
    return PatternDetector(spec, source)


def pattern_files(folder: Path = PATTERN_DIR) -> list[Path]:
    return sorted(p for p in folder.glob("*.json") if p.name != SCHEMA_PATH.name)


def load_patterns(folder: Path = PATTERN_DIR) -> list[PatternDetector]:
    """Every pattern detector of a folder, validated; the first bad file raises PatternError."""
    return [load_pattern(p) for p in pattern_files(folder)]


def pattern_detector(detector_id: str) -> PatternDetector:
    """The built-in pattern detector with this id (for tests and tools)."""
    return load_pattern(PATTERN_DIR / f"{detector_id}.json")
