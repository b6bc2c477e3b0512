"""css-validity: the home page's CSS parses without error and uses only known properties."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from detectors.builtin.css_properties import NEWER, PROPERTIES
from detectors.site import PageArtifact, ParsedPage, Site
from losi.types import DetectorMeta, Evidence, FetchStatus, Finding, Outcome

MAX_EVIDENCE = 10
# At-rules of the CSS specs. Their blocks hold rules; descriptors' names are not checked.
RULE_BLOCKS = frozenset({"media", "supports", "layer", "container", "scope", "starting-style",
                         "document"})
DESCRIPTOR_BLOCKS = frozenset({"font-face", "page", "counter-style", "property",
                               "font-palette-values", "viewport", "font-feature-values",
                               "position-try", "view-transition",
                               # inside @page and @font-feature-values
                               "top-left-corner", "top-left", "top-center", "top-right",
                               "top-right-corner", "bottom-left-corner", "bottom-left",
                               "bottom-center", "bottom-right", "bottom-right-corner", "left-top",
                               "left-middle", "left-bottom", "right-top", "right-middle",
                               "right-bottom", "swash", "annotation", "ornaments", "stylistic",
                               "styleset", "character-variant", "historical-forms"})
STATEMENTS = frozenset({"charset", "import", "namespace", "layer"})
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class CssError:
    where: str  # a stylesheet URL, or the home page
    record_id: str
    locator: str  # line/column in a sheet, XPath of the <style> or styled element
    text: str
    message: str


@dataclass(frozen=True)
class _Source:
    url: str
    record_id: str
    locator: str  # where the CSS sits: '' for a stylesheet, an XPath for inline CSS
    label: str


def _position(node: Any, source: _Source) -> str:
    line, column = getattr(node, "source_line", 0), getattr(node, "source_column", 0)
    place = f"line {line}, column {column}" if line else ""
    return " ".join(p for p in (source.locator, place) if p)


def _snippet(node: Any) -> str:
    try:
        text = node.serialize()
    except Exception:  # noqa: BLE001 - a node that cannot be written back is shown by its repr
        text = repr(node)
    text = " ".join(text.split())
    return text if len(text) <= 160 else text[:159] + "…"


def _value_errors(tokens: Iterable[Any]) -> Iterator[Any]:
    """Bad strings, bad URLs and stray closing brackets inside a value (tinycss2 ParseError)."""
    for token in tokens:
        kind = getattr(token, "type", "")
        if kind == "error":
            yield token
        elif kind == "function":
            yield from _value_errors(token.arguments)
        elif kind in ("() block", "[] block", "{} block"):
            yield from _value_errors(token.content)


class _Checker:
    def __init__(self) -> None:
        self.errors: list[CssError] = []
        self.vendor = 0  # vendor-prefixed properties and at-rules: warnings, as W3C treats them
        self.declarations = 0
        self.rules = 0

    def error(self, source: _Source, node: Any, message: str) -> None:
        self.errors.append(CssError(source.url, source.record_id, _position(node, source),
                                    _snippet(node), message))

    def stylesheet(self, nodes: Iterable[Any], source: _Source) -> None:
        self._rules(nodes, source, top=True)

    def declarations_of(self, tokens: Any, source: _Source, *, names: bool = True) -> None:
        import tinycss2

        for node in tinycss2.parse_blocks_contents(tokens, skip_comments=True,
                                                   skip_whitespace=True):
            self._node(node, source, names=names, nested=True)

    def _rules(self, nodes: Iterable[Any], source: _Source, *, top: bool = False) -> None:
        for node in nodes:
            self._node(node, source, names=True, nested=not top)

    def _node(self, node: Any, source: _Source, *, names: bool, nested: bool) -> None:
        kind = getattr(node, "type", "")
        if kind == "error":
            self.error(source, node, f"CSS parse error ({node.kind}): {node.message}")
        elif kind == "declaration":
            self._declaration(node, source, names=names)
        elif kind == "qualified-rule":
            self.rules += 1
            self.declarations_of(node.content, source)
        elif kind == "at-rule":
            self._at_rule(node, source)

    def _declaration(self, node: Any, source: _Source, *, names: bool) -> None:
        self.declarations += 1
        name = node.lower_name
        if not any(getattr(t, "type", "") not in ("whitespace", "comment") for t in node.value):
            self.error(source, node, f"CSS: the value of '{node.name}' is empty")
        for bad in _value_errors(node.value):
            self.error(source, node, f"CSS parse error in the value of '{node.name}' "
                                     f"({bad.kind}): {bad.message}")
        if not names or name.startswith("--"):
            return
        if name.startswith("-"):
            self.vendor += 1
        elif name not in PROPERTIES and name not in NEWER:
            self.error(source, node, f"CSS: property '{node.name}' doesn't exist")

    def _at_rule(self, node: Any, source: _Source) -> None:
        import tinycss2

        name = node.lower_at_keyword
        if name.startswith("-"):
            self.vendor += 1  # @-webkit-keyframes, @-moz-document: vendor extensions
            return
        if name == "keyframes":
            if node.content is not None:
                for frame in tinycss2.parse_rule_list(node.content, skip_comments=True,
                                                      skip_whitespace=True):
                    self._node(frame, source, names=True, nested=True)
            return
        if name in RULE_BLOCKS:
            if node.content is not None:
                self.declarations_of(node.content, source)  # rules, or declarations when nested
            elif name != "layer":
                self.error(source, node, f"CSS: @{node.at_keyword} needs a {{}} block")
            return
        if name in DESCRIPTOR_BLOCKS:
            if node.content is not None:
                self.declarations_of(node.content, source, names=False)
            return
        if name not in STATEMENTS:
            self.error(source, node, f"CSS: unrecognized at-rule @{node.at_keyword}")


def _charset(content_type: str) -> str | None:
    match = _CHARSET.search(content_type or "")
    return match.group(1) if match else None


class CssValidity:
    meta = DetectorMeta(
        id="css-validity",
        title="Valid CSS (syntax and property names)",
        description=(
            "LOSI #209 asks whether the portal's CSS complies with W3C standards: its address run "
            "through jigsaw.w3.org/css-validator with the default options, any error failing it. "
            "The home page's CSS as archived (linked stylesheets, <style> blocks, style "
            "attributes) is parsed with tinycss2 (CSS Syntax Level 3): parse errors, empty "
            "values, unknown at-rules and property names the W3C CSS Validator's CSS3+SVG table "
            "does not know are errors; vendor-prefixed ones are warnings, as there. Values are "
            "not checked (the W3C validator does check them), so 'present' is weaker than its "
            "verdict; errors found here are errors there too."
        ),
        requires=("home",),
        version=1,
    )

    def detect(self, site: Site) -> Finding:
        import tinycss2

        assert site.home is not None
        home = site.parse(site.home)
        checker = _Checker()
        missing: list[str] = []
        sheets = 0
        for href, sheet in self._stylesheets(site, home, missing):
            sheets += 1
            source = _Source(sheet.address, sheet.record_id, "", href)
            rules, _ = tinycss2.parse_stylesheet_bytes(
                sheet.load_body(), protocol_encoding=_charset(sheet.content_type),
                skip_comments=True, skip_whitespace=True)
            checker.stylesheet(rules, source)
            for rule in rules:  # one level of @import, when the crawl archived it
                if getattr(rule, "type", "") == "at-rule" and rule.lower_at_keyword == "import":
                    url = _import_url(rule.prelude)
                    if url:
                        self._add(site, _join(sheet.address, url), missing, extra := [])
                        for imported_href, imported in extra:
                            sheets += 1
                            checker.stylesheet(tinycss2.parse_stylesheet_bytes(
                                imported.load_body(),
                                protocol_encoding=_charset(imported.content_type),
                                skip_comments=True, skip_whitespace=True)[0],
                                _Source(imported.address, imported.record_id, "", imported_href))
        blocks = attributes = 0
        for element in home.tree.iter("style"):
            kind = (element.get("type") or "text/css").strip().lower()
            if kind not in ("", "text/css"):
                continue
            blocks += 1
            source = _Source(home.url, home.record_id, home.xpath(element), "<style>")
            checker.stylesheet(tinycss2.parse_stylesheet(element.text or "", skip_comments=True,
                                                         skip_whitespace=True), source)
        for element in home.tree.xpath("//*[@style]"):
            attributes += 1
            source = _Source(home.url, home.record_id, home.xpath(element), "style attribute")
            checker.declarations_of(element.get("style") or "", source)
        details = {
            "checker": f"tinycss2 {tinycss2.__version__} + W3C CSS3/SVG property names",
            "stylesheets": sheets,
            "style_blocks": blocks,
            "style_attributes": attributes,
            "rules": checker.rules,
            "declarations": checker.declarations,
            "errors": len(checker.errors),
            "vendor_warnings": checker.vendor,
            "missing_stylesheets": missing,
        }
        rows = tuple(Evidence(page_url=e.where, record_id=e.record_id, locator=e.locator,
                              text=e.text, explanation=e.message)
                     for e in checker.errors[:MAX_EVIDENCE])
        if checker.errors:
            return Finding(Outcome.ABSENT, 0.85, rows,
                           reason=f"{len(checker.errors)} CSS error(s) in the home page's CSS",
                           details=details)
        seen = (f"{sheets} stylesheet(s), {blocks} <style> block(s), {attributes} style "
                f"attribute(s)")
        if missing:
            return Finding(
                Outcome.NEEDS_REVIEW, 0.4,
                (Evidence(page_url=home.url, record_id=home.record_id, text=" ".join(missing[:5]),
                          explanation=f"no CSS error in {seen}, but {len(missing)} linked "
                                      f"stylesheet(s) were not archived or were broken"),),
                reason=f"{len(missing)} stylesheet(s) of the home page could not be checked: "
                       + ", ".join(missing[:5]),
                details=details)
        if not (sheets or blocks or attributes):
            return Finding(Outcome.PRESENT, 0.6, (Evidence(
                page_url=home.url, record_id=home.record_id,
                explanation="the home page uses no CSS at all: nothing for a validator to "
                            "reject"),), details=details)
        return Finding(Outcome.PRESENT, 0.6, (Evidence(
            page_url=home.url, record_id=home.record_id,
            explanation=f"no CSS syntax error, unknown at-rule or unknown property in {seen} "
                        f"(values not checked)"),), details=details)

    def _stylesheets(self, site: Site, home: ParsedPage,
                     missing: list[str]) -> list[tuple[str, PageArtifact]]:
        found: list[tuple[str, PageArtifact]] = []
        for link in home.tree.iter("link"):
            rel = (link.get("rel") or "").lower().split()
            href = (link.get("href") or "").strip()
            if "stylesheet" not in rel or not href or link.get("disabled") is not None:
                continue
            self._add(site, home.absolute(href), missing, found)
        return found

    @staticmethod
    def _add(site: Site, url: str, missing: list[str],
             found: list[tuple[str, PageArtifact]]) -> None:
        if url in missing or any(href == url for href, _ in found):
            return
        sheet = site.page(url)
        if sheet is None or not sheet.fetch_status.seen or sheet.fetch_status is \
                FetchStatus.HTTP_ERROR or (sheet.http_status or 200) >= 400 or (
                    sheet.content_type and "css" not in sheet.content_type.lower()):
            missing.append(url)
            return
        found.append((url, sheet))


def _import_url(prelude: Iterable[Any]) -> str:
    """The address of an @import: url(x), url("x") (a function token) or "x"."""
    for token in prelude:
        kind = getattr(token, "type", "")
        if kind in ("url", "string"):
            return str(token.value)
        if kind == "function" and token.lower_name == "url":
            return next((str(a.value) for a in token.arguments
                         if getattr(a, "type", "") == "string"), "")
    return ""


def _join(base: str, url: str) -> str:
    from urllib.parse import urldefrag, urljoin

    return urldefrag(urljoin(base, url))[0]
