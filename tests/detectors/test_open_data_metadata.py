"""open-data-metadata: LOSI #237, metadata of open-data files: pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import home, page, site

detector = pattern_detector("open-data-metadata")
PORTAL = "https://data.city.example/dataset/trees"

JSONLD = """<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Dataset",
 "name": "Street trees", "description": "Every street tree", "dateModified": "2024-05-01",
 "creator": {"@type": "Organization", "name": "Parks"}}</script>"""


@pytest.mark.parametrize("html", [
    f"<html><head>{JSONLD}</head><body><h1>Street trees</h1></body></html>",
    "<html><body><div typeof='dcat:Dataset'><span property='dct:title'>Trees</span></div></body></html>",
    "<html><body><section class='additional-info'><table><tr><th>Author</th><td>Parks</td></tr></table></section></body></html>",
    "<html><body><h2>Metadata</h2><p>Licence: CC-BY 4.0. Last updated 2024-05-01.</p></body></html>",
    "<html><body><h2>Metadatos</h2><p>Licencia: CC-BY. Actualizado: 2024-05-01.</p></body></html>",
])
def test_dataset_metadata_on_the_open_data_portal_is_present(html: str) -> None:
    finding = run_detector(detector, site(home(f"<a href='{PORTAL}'>Open data</a>"),
                                          page(PORTAL, html, depth=1, kind="outbound")))
    assert finding.outcome is Outcome.PRESENT, finding.reason
    assert finding.evidence[0].page_url == PORTAL


def test_a_dataset_page_without_metadata_is_absent() -> None:
    finding = run_detector(detector, site(
        home(f"<a href='{PORTAL}'>Open data</a>"),
        page(PORTAL, "<html><body><a href='/trees.csv'>trees.csv</a></body></html>", depth=1,
             kind="outbound")))
    assert finding.outcome is Outcome.ABSENT


def test_without_any_open_data_page_seen_nothing_found_is_not_assessable() -> None:
    finding = run_detector(detector, site(home("<a href='/news'>News</a>")))
    assert finding.outcome is Outcome.NOT_ASSESSABLE
    assert "open-data page" in finding.reason
