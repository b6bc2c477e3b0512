"""The built-in detectors, registered through the `losi` entry-point group like any plugin.

Most are pattern detectors: one JSON file each in `detectors/patterns/`, discovered here, so
adding one is adding a file (and its test). The rest are Python, for what data cannot say.
"""

from __future__ import annotations

from detectors.builtin.browser_compatibility import BrowserCompatibility
from detectors.builtin.content_freshness import ContentFreshness
from detectors.builtin.css_validity import CssValidity
from detectors.builtin.https import Https
from detectors.builtin.manual import Manual
from detectors.builtin.markup_validity import MarkupValidity
from detectors.builtin.official_portal import OfficialPortal
from detectors.builtin.search_visibility import SearchEngineVisibility
from detectors.builtin.sitemap import Sitemap
from detectors.builtin.wcag_conformance import WcagConformance
from detectors.pattern import load_patterns
from losi.plugins import hookimpl

BUILTINS = (Https, Manual, Sitemap, WcagConformance, BrowserCompatibility, MarkupValidity,
            CssValidity, OfficialPortal, ContentFreshness, SearchEngineVisibility)


@hookimpl
def losi_detectors() -> list[object]:
    return [*(cls() for cls in BUILTINS), *load_patterns()]
