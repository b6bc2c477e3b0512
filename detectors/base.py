"""The detector contract: `detect(site) -> Finding`, pure and deterministic, with static meta."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from losi.types import DetectorMeta, Finding

if TYPE_CHECKING:
    from detectors.site import Site


class Detector(Protocol):
    meta: DetectorMeta

    def detect(self, site: Site) -> Finding: ...


# Artifacts a detector may require. The runner checks them before calling `detect`, so a
# detector is never asked to judge what the crawl did not see (Lighthouse's requiredArtifacts).
ARTIFACTS = frozenset({"home", "pages", "render:home", "probe:tls", "probe:http-redirect",
                       "probe:robots", "probe:sitemap"})
