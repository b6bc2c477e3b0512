"""Hand-built renders for the detectors that read the home page's Chromium render."""

from __future__ import annotations

from typing import Any

from detectors.site import RenderArtifact, Site
from tests.detectors.sites import SEED, home

LAYOUT_OK = {"desktop": {"viewport": [1366, 768], "page_width": 1366, "page_height": 3000,
                         "screenshot_height": 3000, "cut": False},
             "mobile": {"viewport": [390, 844], "page_width": 390, "page_height": 6000,
                        "screenshot_height": 2600, "cut": True}}


def render(*, axe: dict[str, Any] | None = None, console: tuple[str, ...] = (),
           timings: dict[str, Any] | None = None, version: str = "4.12.1") -> RenderArtifact:
    return RenderArtifact(
        page_url=SEED, axe_results=axe if axe is not None else {}, axe_version=version,
        console_errors=console,
        timings=timings if timings is not None else {"http_status": 200, "layout": LAYOUT_OK},
        dom_record_id="<urn:uuid:dom>", screenshot_desktop_record_id="<urn:uuid:desktop>",
        screenshot_mobile_record_id="<urn:uuid:mobile>")


def rendered_site(artifact: RenderArtifact | None) -> Site:
    return Site(SEED, [home("<p>hi</p>")], renders={SEED: artifact} if artifact else None)
