"""wcag-conformance: axe-core finds no WCAG 2.1 A/AA violation on the rendered home page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from detectors.site import Site
from losi.types import DetectorMeta, Evidence, Finding, Outcome

MAX_EVIDENCE = 25  # one row per violated rule; axe's WCAG 2.1 A/AA set has under 60 rules
NODES_NAMED = 3  # selectors named per rule in the explanation
_IMPACT = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}


def _selector(target: Any) -> str:
    """axe's target: a list of selectors, one per frame or shadow-root level."""
    if isinstance(target, Sequence) and not isinstance(target, str):
        return " >>> ".join(_selector(t) for t in target)
    return str(target)


class WcagConformance:
    meta = DetectorMeta(
        id="wcag-conformance",
        title="Accessibility: WCAG 2.1 AA automated check",
        description=(
            "LOSI #210 asks whether the portal complies with WCAG 2.1 level AA, as an automated "
            "checker (tawdis.net) reports it: any 'problem' fails it. The home page rendered in "
            "Chromium is checked by axe-core's WCAG 2.0/2.1 A and AA rules: no violation is "
            "present, violations are absent with one evidence row per rule. Automated checks "
            "cover only part of WCAG (roughly a third to a half of the issues a manual audit "
            "finds), and axe and TAW differ in rules: 'present' means that no automated "
            "violation was found, not that the page conforms."
        ),
        requires=("render:home",),
        version=2,
    )

    def detect(self, site: Site) -> Finding:
        render = site.render()
        assert render is not None
        page_url = site.home.address if site.home is not None else render.page_url
        failed = str(render.timings.get("error", "") or "")
        if failed:
            return Finding(Outcome.NOT_ASSESSABLE, 0.0,
                           reason=f"the home page's render failed, so axe-core did not run: {failed}")
        status = render.timings.get("http_status")
        if isinstance(status, int) and status >= 400:
            # A challenge wall (403, 503), a maintenance or an error page: axe-core checked that
            # page, not the portal's home page.
            return Finding(Outcome.NOT_ASSESSABLE, 0.0, reason=(
                f"the home page answered HTTP {status} in the browser, so axe-core checked an "
                "error or challenge page, not the portal's home page"))
        axe: Mapping[str, Any] = render.axe_results or {}
        if "violations" not in axe:
            return Finding(Outcome.NOT_ASSESSABLE, 0.0,
                           reason="the home page's render holds no axe-core results")
        engine = axe.get("engine") or {}
        version = render.axe_version or str(engine.get("version", ""))
        record = str(axe.get("warc_record_id", "")) or render.dom_record_id
        violations = sorted(axe.get("violations") or [],
                            key=lambda v: (_IMPACT.get(str(v.get("impact")), 4), str(v.get("id"))))
        counts = axe.get("counts") or {}
        details = {
            "axe_version": version,
            "run_only": list(axe.get("run_only") or []),
            "violations": [{"id": v.get("id", ""), "impact": v.get("impact"),
                            "nodes": v.get("node_count", len(v.get("nodes") or []))}
                           for v in violations],
            "counts": dict(counts),
            "incomplete": list(axe.get("incomplete") or []),
            "viewport": (axe.get("environment") or {}).get("windowWidth"),
        }
        if not violations:
            rules = counts.get("passes")
            note = f" ({rules} rule(s) passed)" if rules is not None else ""
            incomplete = details["incomplete"]
            more = (f"; {len(incomplete)} rule(s) need a person's check: {', '.join(incomplete[:8])}"
                    if incomplete else "")
            return Finding(Outcome.PRESENT, 0.7, (Evidence(
                page_url=page_url, record_id=record, screenshot=render.screenshot_desktop_record_id,
                explanation=f"axe-core {version}: no WCAG 2.1 A/AA violation{note}{more}"),),
                details=details)
        rows = []
        for v in violations[:MAX_EVIDENCE]:
            nodes = list(v.get("nodes") or [])
            first = nodes[0] if nodes else {}
            others = [_selector(n.get("target")) for n in nodes[1:NODES_NAMED]]
            count = v.get("node_count", len(nodes))
            also = f"; also {', '.join(others)}" if others else ""
            rows.append(Evidence(
                page_url=page_url, record_id=record,
                locator=_selector(first.get("target")) if first else "",
                text=str(first.get("html", "")) if first else "",
                explanation=(f"axe-core {v.get('id', '')} ({v.get('impact') or 'no impact'}): "
                             f"{v.get('help', '')} — {count} element(s){also}; "
                             f"{v.get('helpUrl', '')}")))
        total = sum(int(v.get("node_count", len(v.get("nodes") or [])) or 0) for v in violations)
        return Finding(Outcome.ABSENT, 0.9, tuple(rows),
                       reason=f"axe-core {version} reports {len(violations)} WCAG 2.1 A/AA rule(s) "
                              f"violated on the home page, on {total} element(s)",
                       details=details)
