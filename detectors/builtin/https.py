"""https: the portal is served over valid HTTPS and plain HTTP redirects to it."""

from __future__ import annotations

from urllib.parse import urlsplit

from detectors.site import Site
from losi.types import DetectorMeta, Evidence, Finding, Outcome


class Https:
    meta = DetectorMeta(
        id="https",
        title="Secure connection (HTTPS)",
        description=(
            "A portal that takes personal data and payments must be served over HTTPS with a "
            "certificate browsers accept, and send plain-HTTP visitors there (Lighthouse's "
            "is-on-https and redirects-http)."
        ),
        requires=("home", "probe:tls", "probe:http-redirect"),
        version=1,
    )

    def detect(self, site: Site) -> Finding:
        assert site.home is not None
        tls = site.probe("tls") or {}
        redirect = site.probe("http-redirect") or {}
        home = site.home.address
        evidence = [
            Evidence(
                page_url=home,
                text=f"{tls.get('host', '')}:{tls.get('port', '')} {tls.get('summary', '')}",
                explanation=f"TLS probe: {tls.get('summary', 'no result')}",
            ),
            Evidence(
                page_url=str(redirect.get("start_url", "")),
                text=" -> ".join(str(h) for h in redirect.get("chain", [])),
                explanation=f"HTTP probe: {redirect.get('summary', 'no result')}",
            ),
        ]
        if tls.get("reachable") is None or redirect.get("reachable") is None:
            return Finding(
                Outcome.NOT_ASSESSABLE,
                0.0,
                tuple(evidence),
                reason="a probe could not reach the portal: "
                + "; ".join(str(p.get("summary", "")) for p in (tls, redirect)),
            )
        problems = []
        if urlsplit(home).scheme != "https":
            problems.append(f"the home page is served at {home}, not over HTTPS")
        if not tls.get("valid"):
            problems.append(f"no valid certificate: {tls.get('summary', '')}")
        if not redirect.get("redirects_to_https"):
            problems.append(f"plain HTTP does not redirect to HTTPS: {redirect.get('summary', '')}")
        if problems:
            return Finding(Outcome.ABSENT, 0.9, tuple(evidence), reason="; ".join(problems))
        return Finding(Outcome.PRESENT, 0.95, tuple(evidence))
