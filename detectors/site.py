"""`Site`: the read-only view a detector gets over one crawl.

Pages are parsed once, lazily, and cached; every detector of a run shares the same parse.
A Site is built from artifacts (hand-built in tests, or loaded from storage by `load_site`),
never from the network.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree
from w3lib.encoding import html_to_unicode

from losi.types import FetchStatus

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_SPACE = re.compile(r"\s+")
_REGION_WORDS = {"header": "header", "banner": "header", "nav": "nav", "navigation": "nav",
                 "menu": "nav", "footer": "footer", "contentinfo": "footer"}


def normalise_text(text: str) -> str:
    """Lower-case, collapse spaces and strip accents: 'Política  de Privacidad' -> 'politica de privacidad'."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _SPACE.sub(" ", text).strip()


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
    load_body: Callable[[], bytes] = field(default=lambda: b"", repr=False, compare=False)

    @property
    def address(self) -> str:
        return self.final_url or self.url

    @property
    def is_html(self) -> bool:
        return self.fetch_status is FetchStatus.OK and (
            not self.content_type or "html" in self.content_type.lower()
        )


@dataclass(frozen=True)
class Link:
    href: str  # absolute, without fragment
    text: str  # visible anchor text, whitespace collapsed
    title: str
    aria_label: str
    position: str  # header / nav / footer / body
    locator: str  # XPath of the <a> in the page

    @property
    def label(self) -> str:
        """Everything a person (or a screen reader) reads as the link's name."""
        return " ".join(p for p in (self.text, self.aria_label, self.title) if p)


class ParsedPage:
    """One HTML page, decoded with its declared or sniffed charset and parsed once by lxml."""

    def __init__(self, artifact: PageArtifact) -> None:
        self.artifact = artifact
        self.url = artifact.address
        body = artifact.load_body()
        # w3lib applies the same precedence as browsers and Scrapy: BOM, HTTP header, <meta>, sniffing.
        self.encoding, self.html = html_to_unicode(artifact.content_type or None, body)
        try:
            self.tree = lxml.html.document_fromstring(self.html or "<html></html>")
        except (etree.ParserError, ValueError):
            self.tree = lxml.html.document_fromstring("<html></html>")

    def xpath(self, element: Any) -> str:
        return str(self.tree.getroottree().getpath(element))

    @cached_property
    def links(self) -> tuple[Link, ...]:
        links = []
        for a in self.tree.iter("a"):
            href = (a.get("href") or "").strip()
            if not href or href.startswith(("javascript:", "#")):
                continue
            absolute = urldefrag(urljoin(self.url, href))[0]
            links.append(
                Link(
                    href=absolute,
                    text=_SPACE.sub(" ", a.text_content()).strip(),
                    title=(a.get("title") or "").strip(),
                    aria_label=(a.get("aria-label") or "").strip(),
                    position=_position(a),
                    locator=self.xpath(a),
                )
            )
        return tuple(links)

    def meta(self, name: str) -> list[tuple[str, Any]]:
        """(content, element) for every <meta name=...> matching `name` case-insensitively."""
        found = []
        for element in self.tree.iter("meta"):
            if (element.get("name") or "").strip().lower() == name:
                found.append(((element.get("content") or "").strip(), element))
        return found

    @cached_property
    def title(self) -> str:
        node = self.tree.find(".//title")
        return _SPACE.sub(" ", node.text_content()).strip() if node is not None else ""

    @cached_property
    def declared_language(self) -> str:
        return (self.tree.get("lang") or "").strip()


def _position(element: Any) -> str:
    """The page region holding an element: the nearest header, nav or footer landmark."""
    node = element.getparent()
    while node is not None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("header", "nav", "footer"):
            return tag
        role = (node.get("role") or "").lower()
        if role in _REGION_WORDS:
            return _REGION_WORDS[role]
        marks = f"{node.get('id') or ''} {node.get('class') or ''}".lower()
        for word in re.findall(r"[a-z]+", marks):
            if word in ("header", "nav", "navbar", "menu", "footer"):
                return _REGION_WORDS.get(word, "nav")
        node = node.getparent()
    return "body"


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
    ) -> None:
        self.seed_url = seed_url
        self.crawl_id = crawl_id
        self.pages = tuple(pages)
        self.probes = dict(probes or {})
        self.languages = tuple(languages)
        self._parsed: dict[str, ParsedPage] = {}
        self._by_url = {}
        for page in self.pages:
            self._by_url.setdefault(page.url, page)
            self._by_url.setdefault(page.address, page)

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
        return self._by_url.get(urldefrag(url)[0])

    def parse(self, page: PageArtifact) -> ParsedPage:
        key = page.address
        if key not in self._parsed:
            self._parsed[key] = ParsedPage(page)
        return self._parsed[key]

    def html_pages(self) -> Iterator[ParsedPage]:
        """Every page fetched OK as HTML, home first, then by depth (evidence near the top wins)."""
        ordered = sorted(
            (p for p in self.pages if p.is_html),
            key=lambda p: (p is not self.home, p.depth, p.address),
        )
        for page in ordered:
            yield self.parse(page)

    def probe(self, name: str) -> Mapping[str, Any] | None:
        return self.probes.get(name)

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
        if artifact.startswith("probe:"):
            name = artifact.split(":", 1)[1]
            if name in self.probes:
                return True, ""
            return False, f"the {name} probe was not run for this crawl"
        return False, f"unknown artifact {artifact!r}"

    def same_site(self, url: str) -> bool:
        return urlsplit(url).netloc == urlsplit(self.seed_url).netloc


def load_site(session: Session, crawl_id: int) -> Site:
    """Build the Site of a stored crawl: index rows from the database, bodies from the WARC file."""
    from sqlalchemy import select

    from storage.archive import read_response
    from storage.models import Crawl, Page, Probe

    crawl = session.get(Crawl, crawl_id)
    if crawl is None:
        raise LookupError(f"no crawl with id {crawl_id}")
    warc = Path(crawl.warc_path)

    def loader(offset: int | None) -> Callable[[], bytes]:
        if offset is None:
            return lambda: b""
        return lambda: read_response(warc, offset).body

    pages = [
        PageArtifact(
            url=row.url,
            final_url=row.final_url,
            fetch_status=FetchStatus(row.fetch_status),
            http_status=row.http_status,
            content_type=row.content_type,
            depth=row.depth,
            record_id=row.warc_record_id,
            error=row.error,
            load_body=loader(row.warc_offset),
        )
        for row in session.scalars(select(Page).where(Page.crawl_id == crawl_id).order_by(Page.id))
    ]
    probes = {
        row.name: row.data
        for row in session.scalars(select(Probe).where(Probe.crawl_id == crawl_id))
    }
    return Site(
        crawl.seed_url, pages, probes, crawl_id=crawl.id, languages=tuple(crawl.city.languages)
    )
