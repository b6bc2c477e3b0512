"""`Site`: the read-only view a detector gets over one crawl.

Pages are decoded and parsed once, lazily, and cached; every detector of a run shares the same
parse and the same derived facets (links, forms, visible text, headings, structured data,
iframes, scripts, meta tags, language). Each facet is computed the first time a detector asks
for it, so a detector that only reads links never pays for the text or for extruct.

A Site is built from artifacts (hand-built in tests, `Site.from_html` for one saved page, or
`load_site` from storage), never from the network.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree
from w3lib.encoding import html_to_unicode

from detectors.lexicons import WordIndex
from detectors.text import normalise_many, normalise_text, split_identifier
from losi.types import FetchStatus

__all__ = [
    "Embed",
    "Form",
    "FormField",
    "Heading",
    "Link",
    "Meta",
    "PageArtifact",
    "PageLanguage",
    "ParsedPage",
    "RenderArtifact",
    "Site",
    "TextMatch",
    "detect_language",
    "load_site",
    "normalise_text",
    "registrable_domain",
    "split_identifier",
]

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_SPACE = re.compile(r"\s+")
_REGION_WORDS = {"header": "header", "banner": "header", "nav": "nav", "navigation": "nav",
                 "menu": "nav", "footer": "footer", "contentinfo": "footer"}
_MARK_WORDS = re.compile(r"[a-z]+")
_INVISIBLE = ("script", "style", "noscript", "template", "title")
# The languages lingua tells apart by default: the six UN languages and the seeds' big three.
# A smaller set is faster and more accurate; a Site adds its city's languages to it.
DEFAULT_DETECT_LANGUAGES = ("en", "es", "fr", "ar", "zh", "ru", "pt", "de", "it")
_DETECT_CHARS = 3000  # enough for a confident answer; more only costs time


def _collapse(text: str | None) -> str:
    return _SPACE.sub(" ", text).strip() if text else ""


# ---- artifacts ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class PageArtifact:
    """One archived page as the crawl recorded it; the body is read only when needed."""

    url: str
    fetch_status: FetchStatus
    final_url: str = ""
    http_status: int | None = None
    content_type: str = ""
    depth: int = 0
    record_id: str = ""
    error: str = ""
    # "portal" (a page of the portal's own site) or "outbound" (one hop to another site the
    # portal links to: LOSI counts services offered there). Assets are not HTML.
    kind: str = "portal"
    load_body: Callable[[], bytes] = field(default=lambda: b"", repr=False, compare=False)
    load_headers: Callable[[], Sequence[tuple[str, str]]] = field(
        default=lambda: (), repr=False, compare=False
    )

    @property
    def address(self) -> str:
        return self.final_url or self.url

    @property
    def outbound(self) -> bool:
        return self.kind == "outbound"

    @property
    def is_html(self) -> bool:
        return self.fetch_status is FetchStatus.OK and (
            not self.content_type or "html" in self.content_type.lower()
        )


@dataclass(frozen=True)
class RenderArtifact:
    """A page opened in Chromium by the crawler: DOM after scripts, axe-core, screenshots."""

    page_url: str
    load_dom: Callable[[], str] = field(default=lambda: "", repr=False, compare=False)
    axe_results: Mapping[str, Any] = field(default_factory=dict)
    axe_version: str = ""
    console_errors: tuple[Any, ...] = ()
    timings: Mapping[str, Any] = field(default_factory=dict)
    dom_record_id: str = ""
    screenshot_desktop_record_id: str = ""
    screenshot_mobile_record_id: str = ""


# ---- facets of a parsed page -------------------------------------------------------------------

class Link:
    """One <a href> of a page. Its region and XPath are worked out only when first asked for
    (most links are never evidence, and placing every link costs more than matching them)."""

    __slots__ = (
        "_element",
        "_locator",
        "_page",
        "_position",
        "aria_label",
        "href",
        "hreflang",
        "image_alt",
        "navigable",
        "text",
        "title",
    )

    def __init__(self, href: str, text: str, title: str = "", aria_label: str = "",
                 position: str = "", locator: str = "", image_alt: str = "", hreflang: str = "",
                 navigable: bool = True, *, element: Any = None,
                 page: ParsedPage | _Placer | None = None) -> None:
        self.href = href  # absolute, without fragment; the raw value for '#...'/'javascript:'
        self.text = text  # visible anchor text, whitespace collapsed
        self.title = title
        self.aria_label = aria_label
        self.image_alt = image_alt  # alt text of images inside the link (icon links)
        self.hreflang = hreflang
        self.navigable = navigable  # False for '#...' and 'javascript:' links
        self._position, self._locator = position, locator
        self._element, self._page = element, page

    @property
    def position(self) -> str:
        """header / nav / footer / body: the nearest landmark around the link."""
        if not self._position and self._page is not None:
            self._position = self._page.position(self._element)
        return self._position or "body"

    @property
    def locator(self) -> str:
        """XPath of the <a> in the page."""
        if not self._locator and self._page is not None:
            self._locator = self._page.xpath(self._element)
        return self._locator

    def detach(self) -> None:
        """Work out region and XPath now and let go of the page (which may then be freed)."""
        if self._page is not None:
            _ = self.position, self.locator
            self._page = self._element = None

    @property
    def label(self) -> str:
        """Everything a person (or a screen reader) reads as the link's name.

        The text, then the aria-label, title and image alt texts that add something to it
        (a title repeating the text would double every word).
        """
        parts = [self.text] if self.text else []
        seen = self.text.casefold()
        for extra in (self.aria_label, self.title, self.image_alt):
            if extra and extra.casefold() not in seen:
                parts.append(extra)
                seen += " " + extra.casefold()
        return " ".join(parts)

    def __repr__(self) -> str:
        return f"Link({self.href!r}, {self.label!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Link) and (self.href, self.label, self.locator) == (
            other.href, other.label, other.locator)

    def __hash__(self) -> int:
        return hash((self.href, self.label))


@dataclass(frozen=True)
class FormField:
    tag: str  # input / select / textarea
    type: str  # input type, lower-case ("text" when absent)
    name: str
    id: str
    label: str  # text of the <label for=id> or the wrapping <label>
    placeholder: str
    title: str
    aria_label: str
    locator: str
    nearby: str = ""  # what the buttons next to it say ('Search', 'Search Calendar(s)')

    @property
    def words(self) -> str:
        """What identifies the field, as normalised words: 'txtQuickSearch' -> 'txt quick search'."""
        parts = [split_identifier(self.name), split_identifier(self.id)]
        parts += [normalise_text(p) for p in (self.label, self.placeholder, self.title,
                                              self.aria_label, self.nearby)]
        return " | ".join(p for p in parts if p)


@dataclass(frozen=True)
class Form:
    """A <form>, or a lone input outside any form (then `is_form` is False, action empty)."""

    action: str  # absolute URL
    method: str
    role: str
    locator: str
    position: str
    fields: tuple[FormField, ...]
    buttons: tuple[str, ...]  # button texts / values / aria-labels
    is_form: bool = True


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    locator: str
    position: str


@dataclass(frozen=True)
class Embed:
    """An <iframe> or a <script src>."""

    src: str  # absolute
    title: str
    locator: str


@dataclass(frozen=True)
class Meta:
    key: str  # name, property or http-equiv, lower-case
    content: str
    locator: str


@dataclass(frozen=True)
class PageLanguage:
    """Both what the page says it is in and what its text is in: the declared one is often wrong."""

    declared: str  # <html lang> (or Content-Language), as written
    detected: str  # ISO 639-1 code from lingua, "" when the text is too short to tell
    confidence: float  # lingua's value for `detected`

    @property
    def language(self) -> str:
        """The best guess: the detected language when lingua is sure, else the declared one."""
        if self.detected and self.confidence >= 0.5:
            return self.detected
        return self.declared.split("-")[0].lower() if self.declared else self.detected


@dataclass(frozen=True)
class TextMatch:
    """A hit in a page's visible text, with the element that holds it."""

    text: str  # the raw text around the hit, as a person reads it
    locator: str
    position: str


class _Blob:
    """Strings joined by newlines, for one regex pass over many of them; offsets map back.

    Menus repeat the same URLs (header, footer, mobile menu): each distinct string is scanned
    once and its matches are given to every item that has it.
    """

    def __init__(self, items: Sequence[str]) -> None:
        self.items = list(items)
        owners: dict[str, list[int]] = {}
        for n, item in enumerate(self.items):
            owners.setdefault(item, []).append(n)
        self._owners = list(owners.values())
        self.starts: list[int] = []
        offset = 0
        for item in owners:
            self.starts.append(offset)
            offset += len(item) + 1
        self.text = "\n".join(owners)

    def hits(self, pattern: re.Pattern[str]) -> list[int]:
        """Indexes of the items that the pattern matches (each once, in order)."""
        found: set[int] = set()
        last = -1
        for m in pattern.finditer(self.text):
            i = bisect.bisect_right(self.starts, m.start()) - 1
            if i != last:
                found.update(self._owners[i])
                last = i
        return sorted(found)


def _mark(element: Any) -> str:
    """The region an element itself marks (header/nav/footer), or ''."""
    tag = element.tag
    if tag in ("header", "nav", "footer"):
        return str(tag)
    role = element.get("role")
    if role:
        region = _REGION_WORDS.get(role.lower())
        if region:
            return region
    marks = element.get("id") or ""
    cls = element.get("class")
    if cls:
        marks = f"{marks} {cls}"
    if marks:
        for word in _MARK_WORDS.findall(marks.lower()):
            if word in ("header", "nav", "navbar", "menu", "footer"):
                return _REGION_WORDS.get(word, "nav")
    return ""


_LATIN = {"cp1252", "latin-1", "latin1", "iso8859-1", "iso-8859-1", "windows-1252", "ascii"}
_MOJIBAKE = re.compile("[\u00c0-\u00ff]")
_ASCII_LETTER = re.compile("[A-Za-z]")


def decode_html(content_type: str, body: bytes) -> tuple[str, str]:
    """Decode as browsers and Scrapy do (w3lib: BOM, HTTP header, <meta>, sniffing), then
    catch the common lie: a page declared Latin-1/windows-1252 whose bytes are UTF-8 or a CJK
    or Cyrillic encoding. Its text would be mojibake that no lexicon matches."""
    encoding, text = html_to_unicode(content_type or None, body)
    if encoding.lower().replace("_", "-") not in _LATIN or body.isascii():
        return encoding, text
    try:
        return "utf-8", body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Accented letters are a few per cent of a Latin-script text; in mojibake they dominate.
    accented = len(_MOJIBAKE.findall(text))
    if accented < 50 or accented < 0.3 * len(_ASCII_LETTER.findall(text)):
        return encoding, text
    from charset_normalizer import from_bytes

    best = from_bytes(body).best()
    if best is None or best.encoding.lower().replace("_", "-") in _LATIN:
        return encoding, text
    return best.encoding, str(best)


class _Placer:
    """Works out where an element of one parsed tree sits: its XPath and its region.

    Links keep this rather than their page, so a page and its links form no reference cycle:
    a page the runner releases is freed at once by reference counting, instead of waiting,
    with its whole tree, for the cyclic collector (which then had hundreds of pages to walk).
    """

    __slots__ = ("_regions", "_root")

    def __init__(self, root: Any) -> None:
        self._root = root
        self._regions: dict[Any, str] = {}

    def xpath(self, element: Any) -> str:
        return str(self._root.getpath(element))

    def position(self, element: Any) -> str:
        """The page region holding an element: the nearest header, nav or footer landmark."""
        chain = []
        node = element.getparent()
        region = "body"
        while node is not None:
            known = self._regions.get(node)
            if known is not None:
                region = known
                break
            chain.append(node)
            mark = _mark(node) if isinstance(node.tag, str) else ""
            if mark:
                region = mark
                break
            node = node.getparent()
        for n in chain:
            self._regions[n] = region
        return region


_PARSERS = threading.local()


def _parser() -> etree.HTMLParser:
    """lxml.html's parser, but every element an HtmlElement (text_content, cssselect ...).

    lxml.html's own parser gives forms, inputs and labels classes of their own, and asks a
    Python function which class each element gets, every time Python touches an element: on a
    page with a few thousand links that look-up costs more than parsing the page. Parsers are
    not shared between threads (lxml's rule), hence one per thread.
    """
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = etree.HTMLParser()
        parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))
        _PARSERS.parser = parser
    return parser


class ParsedPage:
    """One HTML page, decoded with its declared or sniffed charset and parsed once by lxml."""

    def __init__(self, artifact: PageArtifact, detect_languages: Sequence[str] = ()) -> None:
        self.artifact = artifact
        self.url = artifact.address
        self._detect_languages = tuple(detect_languages) or DEFAULT_DETECT_LANGUAGES
        body = artifact.load_body()
        # w3lib applies the same precedence as browsers and Scrapy: BOM, HTTP header, <meta>, sniffing.
        self.encoding, self.html = decode_html(artifact.content_type, body)
        try:
            self.tree = lxml.html.document_fromstring(self.html or "<html></html>", _parser())
        except (etree.ParserError, ValueError):
            self.tree = lxml.html.document_fromstring("<html></html>", _parser())
        self._placer = _Placer(self.tree.getroottree())

    @property
    def record_id(self) -> str:
        return self.artifact.record_id

    def xpath(self, element: Any) -> str:
        return self._placer.xpath(element)

    def position(self, element: Any) -> str:
        """The page region holding an element: the nearest header, nav or footer landmark."""
        return self._placer.position(element)

    @cached_property
    def base_url(self) -> str:
        base = self.tree.find(".//base[@href]")
        if base is not None:
            return urljoin(self.url, (base.get("href") or "").strip())
        return self.url

    @cached_property
    def _origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else ""

    def absolute(self, href: str) -> str:
        """The absolute URL of an href, without its fragment (fast paths for the usual forms)."""
        href = href.strip().split("#", 1)[0]
        if href.startswith(("http://", "https://")) and " " not in href:
            return href
        if href.startswith("/") and not href.startswith("//") and self._origin and (
                "/." not in href):
            return self._origin + href
        return urldefrag(urljoin(self.base_url, href))[0]

    # -- links --

    @cached_property
    def links(self) -> tuple[Link, ...]:
        """Every <a href>, in document order; placeholder links are kept (navigable=False)."""
        alts: dict[Any, list[str]] = {}
        for img in self.tree.iter("img"):
            alt = img.get("alt")
            if alt and alt.strip():
                a = next(img.iterancestors("a"), None)
                if a is not None:
                    alts.setdefault(a, []).append(" ".join(alt.split()))
        links = []
        placer = self._placer
        hrefs: dict[str, str] = {}  # menus repeat their links (header, footer, mobile menu)
        tostring = etree.tostring
        for a in self.tree.iter("a"):
            raw = a.get("href")
            if raw is None:
                continue
            raw = raw.strip()
            navigable = bool(raw) and raw[0] != "#" and not raw[:11].lower().startswith(
                "javascript:")
            if navigable:
                href = hrefs.get(raw)
                if href is None:
                    href = hrefs[raw] = self.absolute(raw)
            else:
                href = raw
            title, aria, hreflang = a.get("title"), a.get("aria-label"), a.get("hreflang")
            # The text as text_content() gives it (comments left out), three times as fast.
            text = tostring(a, method="text", encoding=str, with_tail=False)
            links.append(Link(
                href, " ".join(text.split()),
                " ".join(title.split()) if title else "",
                " ".join(aria.split()) if aria else "",
                "", "",
                " ".join(alts[a]) if a in alts else "",
                hreflang.strip() if hreflang else "",
                navigable,
                element=a, page=placer,
            ))
        return tuple(links)

    @cached_property
    def link_labels(self) -> WordIndex:
        """Normalised link labels, one item per link, indexed by word for lexicon look-ups."""
        return WordIndex(normalise_many([link.label for link in self.links]))

    @cached_property
    def link_urls(self) -> _Blob:
        """Link targets, lower-cased with percent-escapes undone ('' for placeholder links)."""
        from urllib.parse import unquote

        return _Blob([(unquote(link.href) if "%" in link.href else link.href).lower()
                      if link.navigable else "" for link in self.links])


    @cached_property
    def link_paths(self) -> _Blob:
        """Path and query of each link target, lower-cased and unquoted ('' for placeholders)."""
        paths = []
        for url in self.link_urls.items:
            scheme = url.find("://")
            if scheme < 0:
                paths.append("")
                continue
            slash = url.find("/", scheme + 3)
            paths.append(url[slash:] if slash >= 0 else "/")
        return _Blob(paths)

    # -- meta, title, language --

    @cached_property
    def metas(self) -> tuple[Meta, ...]:
        found = []
        for element in self.tree.iter("meta"):
            key = element.get("name") or element.get("property") or element.get("http-equiv")
            if key:
                found.append(Meta(key.strip().lower(), (element.get("content") or "").strip(),
                                  self.xpath(element)))
        return tuple(found)

    def meta(self, name: str) -> list[tuple[str, Any]]:
        """(content, element) for every <meta name=...> matching `name` case-insensitively."""
        found = []
        for element in self.tree.iter("meta"):
            if (element.get("name") or "").strip().lower() == name:
                found.append(((element.get("content") or "").strip(), element))
        return found

    @cached_property
    def headers(self) -> tuple[tuple[str, str], ...]:
        """The HTTP response headers as archived (empty for a page saved without them)."""
        return tuple((str(k), str(v)) for k, v in self.artifact.load_headers())

    def header(self, name: str) -> str:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), "")

    @cached_property
    def title(self) -> str:
        node = self.tree.find(".//title")
        return _collapse(node.text_content()) if node is not None else ""

    @cached_property
    def declared_language(self) -> str:
        return (self.tree.get("lang") or self.tree.get("xml:lang") or
                self.header("content-language").split(",")[0]).strip()

    @cached_property
    def language(self) -> PageLanguage:
        detected, confidence = detect_language(self.text[:_DETECT_CHARS], self._detect_languages)
        return PageLanguage(self.declared_language, detected, confidence)

    # -- text and headings --

    @cached_property
    def _body(self) -> Any:
        body = self.tree.find("body")
        return body if body is not None else self.tree

    @cached_property
    def text(self) -> str:
        """Visible text: no script/style/noscript/template, comments dropped, spaces collapsed.

        Text inside elements hidden by CSS still counts (a display:none menu is still a menu,
        says the labelling guide); each text node is separated from the next by a space.
        """
        # Text nodes inside script/style/noscript/template, counted; itertext (fast, in C)
        # yields them too, and each is dropped as many times as it occurs there.
        hidden: dict[str, int] = {}
        for el in self._body.iter(*_INVISIBLE):
            for t in el.itertext():
                hidden[t] = hidden.get(t, 0) + 1
        kept = []
        for t in self._body.itertext():
            if hidden and hidden.get(t):
                hidden[t] -= 1
                continue
            kept.append(t)
        return " ".join(" ".join(kept).split())

    @cached_property
    def text_index(self) -> WordIndex:
        """The normalised visible text, indexed by word (one item: the whole page)."""
        return WordIndex([normalise_text(self.text)])

    @cached_property
    def _text_nodes(self) -> list[tuple[str, Any]]:
        """(text, element holding it) for every visible text node: built only to place evidence."""
        nodes = []
        for el in self._body.iter():
            tag = el.tag
            if isinstance(tag, str) and tag not in _INVISIBLE and el.text and not el.text.isspace():
                nodes.append((el.text, el))
            if el.tail and not el.tail.isspace():
                parent = el.getparent()
                if parent is not None:
                    nodes.append((el.tail, parent))
        return nodes

    def locate(self, start: int, end: int, window: int = 160) -> TextMatch:
        """Where a match in `text_index` sits: the element holding its text, and that text."""
        norm = self.text_index.text
        phrase = norm[start:end]
        first = phrase.split(" ")[0]
        nth = norm.count(phrase, 0, start) if phrase else 0
        seen = 0
        for text, owner in self._text_nodes:
            if text.isascii() and first not in text.casefold():
                continue
            count = normalise_text(text).count(phrase) if phrase else 0
            if count and seen + count > nth:
                raw = _collapse(text)
                return TextMatch(raw if len(raw) <= window else raw[: window - 1] + "…",
                                 self.xpath(owner), _mark(owner) or self.position(owner))
            seen += count
        return TextMatch(norm[max(0, start - 40): end + 80], "", "body")

    @cached_property
    def headings(self) -> tuple[Heading, ...]:
        found = []
        for el in self.tree.iter("h1", "h2", "h3", "h4", "h5", "h6"):
            text = _collapse(el.text_content())
            if text:
                found.append(Heading(int(el.tag[1]), text, self.xpath(el), self.position(el)))
        return tuple(found)

    @cached_property
    def heading_index(self) -> WordIndex:
        """Normalised heading texts, one item per heading (same order as `headings`)."""
        return WordIndex(normalise_many([h.text for h in self.headings]))

    # -- forms --

    @cached_property
    def fields(self) -> tuple[tuple[int, FormField], ...]:
        """(form number, field) for every field of every form, in order."""
        return tuple((n, f) for n, form in enumerate(self.forms) for f in form.fields)

    @cached_property
    def field_index(self) -> WordIndex:
        """What identifies each field (see FormField.words), one item per entry of `fields`."""
        return WordIndex([f.words for _, f in self.fields])

    @cached_property
    def buttons(self) -> tuple[tuple[int, str], ...]:
        return tuple((n, b) for n, form in enumerate(self.forms) for b in form.buttons)

    @cached_property
    def button_index(self) -> WordIndex:
        return WordIndex(normalise_many([b for _, b in self.buttons]))

    @cached_property
    def forms(self) -> tuple[Form, ...]:
        """Every <form> with its fields and buttons, then every input that sits outside a form."""
        labels: dict[str, str] = {}
        for label in self.tree.iter("label"):
            target = label.get("for")
            if target:
                labels[target] = _collapse(label.text_content())
        forms = []
        for form in self.tree.iter("form"):
            fields, buttons = self._controls(form.iter("input", "select", "textarea", "button"),
                                             labels)
            forms.append(Form(
                action=self.absolute(form.get("action") or "") if (form.get("action") or "").strip()
                else self.url,
                method=(form.get("method") or "get").strip().lower(),
                role=(form.get("role") or "").strip().lower(),
                locator=self.xpath(form),
                position=self.position(form),
                fields=tuple(fields),
                buttons=tuple(buttons),
            ))
        for el in self.tree.iter("input", "select", "textarea"):
            if next(el.iterancestors("form"), None) is not None:
                continue
            fields, buttons = self._controls([el], labels)
            if not fields:
                continue
            parent = el.getparent()
            role = ""
            for ancestor in el.iterancestors():
                role = (ancestor.get("role") or "").strip().lower()
                if role == "search":
                    break
            siblings = parent.iter("button") if parent is not None else []
            _, more = self._controls(siblings, labels)
            forms.append(Form(action="", method="", role=role if role == "search" else "",
                              locator=self.xpath(el), position=self.position(el),
                              fields=tuple(fields), buttons=tuple(buttons + more), is_form=False))
        return tuple(forms)

    def _controls(self, elements: Any, labels: Mapping[str, str]) -> tuple[list[FormField], list[str]]:
        fields: list[FormField] = []
        buttons: list[str] = []
        for el in elements:
            tag = el.tag
            kind = (el.get("type") or ("text" if tag == "input" else tag)).strip().lower()
            if tag == "button" or kind in ("submit", "button", "image", "reset"):
                words = _collapse(el.text_content()) if tag == "button" else ""
                words = " ".join(p for p in (words, _collapse(el.get("value")),
                                             _collapse(el.get("aria-label")),
                                             _collapse(el.get("title")), _collapse(el.get("alt")))
                                 if p)
                if words:
                    buttons.append(words)
                continue
            if kind == "hidden":
                continue
            ident = el.get("id") or ""
            label = labels.get(ident, "") if ident else ""
            near = self._nearby_buttons(el)
            if not label:
                wrapping = next(el.iterancestors("label"), None)
                if wrapping is not None:
                    label = _collapse(wrapping.text_content())
            fields.append(FormField(
                tag=tag, type=kind, name=(el.get("name") or "").strip(), id=ident.strip(),
                label=label, placeholder=_collapse(el.get("placeholder")),
                title=_collapse(el.get("title")), aria_label=_collapse(el.get("aria-label")),
                locator=self.xpath(el), nearby=near,
            ))
        return fields, buttons

    def _nearby_buttons(self, field: Any) -> str:
        """What the buttons next to a field say (its parent's or grandparent's buttons)."""
        node = field.getparent()
        for _ in range(2):
            if node is None or node.tag in ("form", "body"):
                break
            found = []
            for b in node.iter("button", "input"):
                if b.tag == "input" and (b.get("type") or "").lower() not in (
                        "submit", "image", "button"):
                    continue
                text = _collapse(b.text_content()) if b.tag == "button" else ""
                words = " ".join(p for p in (text, b.get("value"), b.get("alt"), b.get("title"),
                                             b.get("aria-label")) if p)
                if words:
                    found.append(words)
            if found:
                return " ".join(found)
            node = node.getparent()
        return ""

    # -- embedded things --

    @cached_property
    def iframes(self) -> tuple[Embed, ...]:
        return tuple(
            Embed(self.absolute(el.get("src") or ""), _collapse(el.get("title")), self.xpath(el))
            for el in self.tree.iter("iframe") if (el.get("src") or "").strip()
        )

    @cached_property
    def scripts(self) -> tuple[Embed, ...]:
        """<script src=...>: the third-party widgets and platforms a page loads."""
        return tuple(
            Embed(self.absolute(el.get("src") or ""), "", self.xpath(el))
            for el in self.tree.iter("script") if (el.get("src") or "").strip()
        )

    def _extract(self, syntaxes: list[str]) -> dict[str, list[Any]]:
        import extruct

        try:
            return extruct.extract(self.tree, base_url=self.url, syntaxes=syntaxes,
                                   errors="ignore")
        except Exception:  # noqa: BLE001 - a malformed block must not cost the page its other facets
            return {}

    @cached_property
    def structured_data(self) -> dict[str, list[Any]]:
        """JSON-LD, microdata and OpenGraph via extruct (not RDFa: it is the slow one)."""
        wanted = [syntax for syntax, mark in (("json-ld", "ld+json"), ("microdata", "itemtype"),
                                              ("opengraph", "og:")) if mark in self.html]
        # Each syntax is one more pass over the tree: only those the source shows at all.
        return {"json-ld": [], "microdata": [], "opengraph": [],
                **(self._extract(wanted) if wanted else {})}

    @cached_property
    def holds_typed_items(self) -> bool:
        """Whether the source shows JSON-LD or microdata at all: without either, `schema_types`
        is empty (both ways of reading it look for these marks first)."""
        return "ld+json" in self.html or "itemtype" in self.html

    @cached_property
    def schema_types(self) -> tuple[tuple[str, str, Mapping[str, Any]], ...]:
        """(syntax, schema.org type, item) for every typed item, nested ones included."""
        found: list[tuple[str, str, Mapping[str, Any]]] = []

        def visit(syntax: str, item: Any) -> None:
            if isinstance(item, list):
                for x in item:
                    visit(syntax, x)
            elif isinstance(item, dict):
                kinds = item.get("@type") or item.get("type") or []
                for kind in kinds if isinstance(kinds, list) else [kinds]:
                    if isinstance(kind, str):
                        found.append((syntax, kind.rsplit("/", 1)[-1], item))
                for key, value in item.items():
                    if key not in ("@type", "type", "@context"):
                        visit(syntax, value)

        if "structured_data" in self.__dict__:
            data = self.structured_data
        else:
            # Types live in JSON-LD and microdata only. extruct reads the JSON-LD; microdata is
            # read here from itemtype/itemprop (extruct's microdata pass is the slow one).
            data = self._extract(["json-ld"]) if "ld+json" in self.html else {}
            data["microdata"] = self._microdata_items() if "itemtype" in self.html else []
        for syntax in ("json-ld", "microdata"):
            visit(syntax, data.get(syntax, []))
        return tuple(found)

    def _microdata_items(self) -> list[dict[str, Any]]:
        items = []
        for el in self.tree.xpath("//*[@itemtype]"):
            item: dict[str, Any] = {"@type": (el.get("itemtype") or "").split()}
            for prop in el.xpath(".//*[@itemprop]"):
                value = (prop.get("content") or prop.get("href") or prop.get("datetime")
                         or _collapse(prop.text_content()))
                for name in (prop.get("itemprop") or "").split():
                    item.setdefault(name, value)
            items.append(item)
        return items

    def select(self, selector: Any) -> list[Any]:
        """Elements matching a compiled CSS selector (lxml.cssselect.CSSSelector)."""
        return list(selector(self.tree))


# ---- language detection ------------------------------------------------------------------------

@lru_cache(maxsize=8)
def _detector(codes: frozenset[str]) -> Any:
    """One lingua detector per language set and process (building one costs, reusing is free)."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = []
    for code in codes:
        iso = getattr(IsoCode639_1, code.upper(), None)
        if iso is not None:
            languages.append(Language.from_iso_code_639_1(iso))
    if len(languages) < 2:
        return None
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect_language(text: str, codes: Sequence[str] = DEFAULT_DETECT_LANGUAGES) -> tuple[str, float]:
    """(ISO 639-1 code, confidence) of a text, offline, among `codes`; ("", 0.0) if unsure."""
    if len(text.strip()) < 20:
        return "", 0.0
    detector = _detector(frozenset(c.split("-")[0].lower() for c in codes))
    if detector is None:
        return "", 0.0
    values = detector.compute_language_confidence_values(text)
    if not values:
        return "", 0.0
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), round(float(best.value), 3)


# ---- domains -----------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _extractor() -> Any:
    import tldextract

    # The public suffix list bundled with tldextract: never fetched (detectors are offline).
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=4096)
def registrable_domain(url: str) -> str:
    """'https://311.chicago.gov/x' -> 'chicago.gov'; the host itself when there is no suffix."""
    host = (urlsplit(url).hostname or "").lower()
    if not host:
        return ""
    parts = _extractor()(host)
    domain = getattr(parts, "top_domain_under_public_suffix", None)
    if domain is None:
        domain = parts.registered_domain
    if domain:
        return str(domain)
    if re.fullmatch(r"[\d.]+|\[[0-9a-f:]+\]", host) or "." not in host:
        return host  # an IP address or a bare host name: the host is the site
    return ".".join(host.split(".")[-2:])  # a suffix the list does not know (.example, .test)


# ---- the site ----------------------------------------------------------------------------------

def _canonical(url: str) -> str:
    from crawler.urls import canonical  # the crawler's own spelling of the addresses it stores

    try:
        return canonical(url)
    except ValueError:  # a malformed address (bad port ...) has no canonical form
        return url


class Site:
    """Pages, probes and renders of one crawl, with parsing shared by all detectors."""

    def __init__(
        self,
        seed_url: str,
        pages: Sequence[PageArtifact],
        probes: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        crawl_id: int = 0,
        languages: Sequence[str] = (),
        renders: Mapping[str, RenderArtifact] | None = None,
        detect_languages: Sequence[str] | None = None,
        city_name: str = "",
        country: str = "",
        crawled_at: datetime | None = None,
    ) -> None:
        self.seed_url = seed_url
        # The city this crawl assesses (empty when unknown: a saved page, a test) and when the
        # crawl ran: detectors are pure, so "how old is the newest item" is measured against
        # the crawl's own date, never the clock.
        self.city_name = city_name
        self.country = country
        self.crawled_at = crawled_at
        self._shared: dict[Any, Any] = {}
        self.crawl_id = crawl_id
        self.pages = tuple(pages)
        self.probes = dict(probes or {})
        self.languages = tuple(languages)
        self.renders: Mapping[str, RenderArtifact] = dict(renders or {})
        base = DEFAULT_DETECT_LANGUAGES if detect_languages is None else tuple(detect_languages)
        self.detect_languages = tuple(dict.fromkeys(
            [*base, *(lang.split("-")[0].lower() for lang in self.languages)]))
        self._parsed: dict[str, ParsedPage] = {}
        self._parse_count = 0
        self._by_url: dict[str, PageArtifact] = {}
        for page in self.pages:
            self._by_url.setdefault(page.url, page)
            self._by_url.setdefault(page.address, page)

    @classmethod
    def from_html(cls, url: str, html: bytes | str, content_type: str = "text/html", *,
                  record_id: str = "", languages: Sequence[str] = ()) -> Site:
        """A one-page Site: the page is the home page (used to evaluate detectors on saved pages)."""
        body = html.encode("utf-8") if isinstance(html, str) else html
        if isinstance(html, str) and "charset" not in content_type.lower():
            content_type = f"{content_type}; charset=utf-8"
        page = PageArtifact(url=url, final_url=url, fetch_status=FetchStatus.OK, http_status=200,
                            content_type=content_type, depth=0, record_id=record_id,
                            load_body=lambda: body)
        return cls(url, [page], languages=languages)

    @cached_property
    def home(self) -> PageArtifact | None:
        """The seed page as fetched (after redirects), or None when it was never requested."""
        return self._by_url.get(self.seed_url) or next(
            (p for p in self.pages if p.depth == 0), None
        )

    @property
    def home_seen(self) -> bool:
        return self.home is not None and self.home.is_html

    def page(self, url: str) -> PageArtifact | None:
        """The page stored for an address, as a link writes it: the crawler stores each page
        under its canonical address (no session id, sorted query), so a link carrying a
        `;jsessionid=` or a `utm_source` still finds the page it leads to."""
        found = self._by_url.get(urldefrag(url)[0])
        if found is None and url.startswith(("http://", "https://")):
            found = self._canonical.get(_canonical(url))
        return found

    @cached_property
    def _canonical(self) -> dict[str, PageArtifact]:
        by_canonical: dict[str, PageArtifact] = {}
        for address, page in self._by_url.items():
            if address.startswith(("http://", "https://")):
                by_canonical.setdefault(_canonical(address), page)
        return by_canonical

    def parse(self, page: PageArtifact) -> ParsedPage:
        key = page.address
        if key not in self._parsed:
            self._parsed[key] = ParsedPage(page, self.detect_languages)
            self._parse_count += 1
        return self._parsed[key]

    def release(self, page: PageArtifact) -> None:
        """Drop a page's parse (the runner does, once every detector has read the page)."""
        self._parsed.pop(page.address, None)

    @cached_property
    def _ordered(self) -> tuple[PageArtifact, ...]:
        # The portal's own pages first; pages on other sites (one hop out) last, so that a
        # detector that makes its claim on the portal never reads them.
        # Within a depth, the order the pages were given in: a stored crawl's are by address
        # (`load_site`), so that two crawls of one site read the same pages in the same order.
        order = {id(p): n for n, p in enumerate(self.pages)}
        return tuple(sorted(
            (p for p in self.pages if p.is_html),
            key=lambda p: (p.outbound, p is not self.home, p.depth, order[id(p)]),
        ))

    def shared(self, key: Any, compute: Callable[[], Any]) -> Any:
        """A value derived from this crawl, computed once and shared by every detector (the
        verdict on a service page that several service detectors link to, ...)."""
        if key not in self._shared:
            self._shared[key] = compute()
        return self._shared[key]

    def parse_once(self, page: PageArtifact) -> tuple[ParsedPage, bool]:
        """The parse of a page, and whether it was already held (a parse made here for a page
        the runner has already released, or will never feed, should be dropped after use)."""
        held = page.address in self._parsed
        return self.parse(page), held

    def html_pages(self, *, home_only: bool = False) -> Iterator[ParsedPage]:
        """Every page fetched OK as HTML, home first, then by depth (evidence near the top wins)."""
        for page in self._ordered:
            if home_only and page is not self.home:
                break
            yield self.parse(page)

    @property
    def html_page_count(self) -> int:
        return len(self._ordered)

    @property
    def parsed_count(self) -> int:
        """How many pages some detector needed parsed so far (the rest were never read)."""
        return self._parse_count

    def html_artifacts(self) -> tuple[PageArtifact, ...]:
        """The pages fetched OK as HTML, in reading order (home first, then by depth)."""
        return self._ordered

    def probe(self, name: str) -> Mapping[str, Any] | None:
        return self.probes.get(name)

    def render(self, url: str | None = None) -> RenderArtifact | None:
        """The render of a page (the home page by default), if the crawler made one."""
        if url is None:
            if self.home is None:
                return None
            return self.renders.get(self.home.address) or self.renders.get(self.home.url)
        return self.renders.get(urldefrag(url)[0])

    def rendered(self, url: str | None = None) -> ParsedPage | None:
        """The DOM of a page after its scripts ran (the home page by default), parsed once, or
        None when the crawl made no render of it or kept no DOM: a chat widget or a login
        button that scripts insert is there and not in the archived HTML."""
        render = self.render(url)
        if render is None:
            return None

        def build() -> ParsedPage | None:
            dom = render.load_dom()
            if not dom:
                return None
            body = dom.encode("utf-8")
            artifact = PageArtifact(url=render.page_url, final_url=render.page_url,
                                    fetch_status=FetchStatus.OK, http_status=200,
                                    content_type="text/html; charset=utf-8",
                                    record_id=render.dom_record_id, kind="render",
                                    load_body=lambda: body)
            return ParsedPage(artifact, self.detect_languages)

        return self.shared(("rendered", render.page_url), build)  # type: ignore[no-any-return]

    def has_artifact(self, artifact: str) -> tuple[bool, str]:
        """Whether an artifact a detector requires is there, and if not, why (one line)."""
        if artifact == "home":
            if self.home is None:
                return False, "the portal's home page was never fetched"
            if not self.home.is_html:
                why = self.home.error or f"fetch status {self.home.fetch_status.value}"
                return False, f"the home page {self.home.url} was not seen ({why})"
            return True, ""
        if artifact == "pages":
            if any(p.is_html for p in self.pages):
                return True, ""
            return False, "no page of the portal was fetched as HTML"
        if artifact == "render:home":
            if self.render() is not None:
                return True, ""
            return False, "the home page was not rendered in a browser for this crawl"
        if artifact.startswith("probe:"):
            name = artifact.split(":", 1)[1]
            if name in self.probes:
                return True, ""
            return False, f"the {name} probe was not run for this crawl"
        return False, f"unknown artifact {artifact!r}"

    def same_site(self, url: str) -> bool:
        return urlsplit(url).netloc == urlsplit(self.seed_url).netloc


# ---- loading a stored crawl --------------------------------------------------------------------

class _WarcIndex:
    """Record id -> offset for one WARC file, built by one scan the first time it is needed.

    Render rows store record ids, not offsets; pages store both.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._offsets: dict[str, int] | None = None

    def offset(self, record_id: str) -> int | None:
        if self._offsets is None:
            from warcio.archiveiterator import ArchiveIterator

            offsets: dict[str, int] = {}
            try:
                with open(self.path, "rb") as fh:
                    it = ArchiveIterator(fh)
                    for record in it:
                        rid = record.rec_headers.get_header("WARC-Record-ID") or ""
                        offsets[rid] = it.get_record_offset()
            except OSError:
                pass
            self._offsets = offsets
        return self._offsets.get(record_id)


def load_site(session: Session, crawl_id: int) -> Site:
    """Build the Site of a stored crawl: index rows from the database, bodies from the WARC file."""
    from sqlalchemy import select

    from storage.archive import StoredResponse, read_response
    from storage.models import Crawl, Page, Probe, Render

    crawl = session.get(Crawl, crawl_id)
    if crawl is None:
        raise LookupError(f"no crawl with id {crawl_id}")
    warc = Path(crawl.warc_path)
    index = _WarcIndex(warc)

    def reader(offset: int | None) -> Callable[[], StoredResponse | None]:
        cache: list[StoredResponse | None] = []

        def read() -> StoredResponse | None:
            if not cache:
                cache.append(None if offset is None else read_response(warc, offset))
            return cache[0]

        return read

    def page(row: Page) -> PageArtifact:
        read = reader(row.warc_offset)
        return PageArtifact(
            url=row.url,
            final_url=row.final_url,
            fetch_status=FetchStatus(row.fetch_status),
            http_status=row.http_status,
            content_type=row.content_type,
            depth=row.depth,
            record_id=row.warc_record_id,
            error=row.error,
            kind=row.kind or "portal",
            load_body=lambda: (r.body if (r := read()) is not None else b""),
            load_headers=lambda: (r.headers if (r := read()) is not None else ()),
        )

    def dom_loader(record_id: str) -> Callable[[], str]:
        def load() -> str:
            offset = index.offset(record_id) if record_id else None
            if offset is None:
                return ""
            return read_response(warc, offset).body.decode("utf-8", "replace")

        return load

    # By depth, then address: what a detector reads first (and, with a page budget, at all)
    # depends on what was archived, not on the order concurrent fetches happened to finish in,
    # so two crawls of the same site give the same proposals.
    pages = [page(row) for row in session.scalars(
        select(Page).where(Page.crawl_id == crawl_id).order_by(Page.depth, Page.url, Page.id))]
    probes = {
        row.name: row.data
        for row in session.scalars(select(Probe).where(Probe.crawl_id == crawl_id))
    }
    renders = {
        row.page_url: RenderArtifact(
            page_url=row.page_url,
            load_dom=dom_loader(row.dom_record_id),
            axe_results=dict(row.axe_results or {}),
            axe_version=row.axe_version,
            console_errors=tuple(row.console_errors or ()),
            timings=dict(row.timings or {}),
            dom_record_id=row.dom_record_id,
            screenshot_desktop_record_id=row.screenshot_desktop_record_id,
            screenshot_mobile_record_id=row.screenshot_mobile_record_id,
        )
        for row in session.scalars(select(Render).where(Render.crawl_id == crawl_id))
    }
    return Site(
        crawl.seed_url, pages, probes, crawl_id=crawl.id, languages=tuple(crawl.city.languages),
        renders=renders, city_name=crawl.city.name, country=crawl.city.country,
        crawled_at=crawl.started_at,
    )


def load_stored_site(job: tuple[str, int]) -> Site:
    """`run_many`'s loader for stored crawls: `(database URL, crawl id)` -> Site. Module level,
    so worker processes can receive it; each opens its own connection."""
    from storage.db import make_engine, session_factory

    database_url, crawl_id = job
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as session:
            return load_site(session, crawl_id)
    finally:
        engine.dispose()
