"""browser-compatibility: what one Chromium render of the home page shows of breakage."""

from __future__ import annotations

import re
from typing import Any

from detectors.site import Site
from losi.types import DetectorMeta, Evidence, Finding, Outcome

OVERFLOW_PX = 5  # a page wider than the viewport by more than this scrolls sideways
EXAMPLES = 5  # messages quoted per kind


def _kind(message: str) -> str:
    if message.startswith("page crashed"):
        return "crash"
    if message.startswith("uncaught "):
        return "page-error"
    if message.startswith("console.error: Failed to load resource"):
        return "failed-resource"
    return "console-error"


# What the home page's own HTML shows about browsers other than Chromium: code written for one
# engine, or a page that tells people which browser to use.
_OTHER_BROWSERS = (
    (re.compile(r"<!--\[if\s+[^\]]*ie", re.I), "conditional comments for Internet Explorer"),
    (re.compile(r"<meta[^>]+x-ua-compatible", re.I), "an X-UA-Compatible tag asking for an old "
                                                     "Internet Explorer mode"),
    (re.compile(r"navigator\.userAgent|navigator\.appName|document\.all\b"), "scripts that "
     "look at which browser runs them (user-agent sniffing)"),
    (re.compile(r"best viewed (?:in|with)|browser (?:is )?not supported|unsupported browser|"
                r"outdated browser|upgrade your browser|update your browser|navegador no "
                r"(?:es )?compatible|navegador desatualizado|navigateur (?:obsol[eè]te|non "
                r"support[ée])|veraltete[rn]? browser|browser non supportato|浏览器版本过低|"
                r"推荐使用.{0,12}浏览器|متصفح غير مدعوم|ваш браузер устарел", re.I),
     "the page tells people which browser to use"),
)

_KINDS = {
    "crash": "the page crashed in Chromium",
    "page-error": "uncaught JavaScript exception(s): scripts stopped part-way",
    "console-error": "console.error message(s) from the page's scripts",
    "failed-resource": "resource(s) the page asks for failed to load",
}


class BrowserCompatibility:
    meta = DetectorMeta(
        id="browser-compatibility",
        title="Browser compatibility (one Chromium render)",
        description=(
            "LOSI #201 asks whether the portal works in the country's three most used browsers "
            "(gs.statcounter.com). The crawl renders the home page in one engine, Chromium, at a "
            "desktop (1366 px) and a mobile (390 px) width, so it can show breakage but never "
            "prove compatibility: a clean render and a broken one are both needs_review, the "
            "first with the render as evidence to check in the other browsers, the second with "
            "the failure (render error, crash, uncaught exceptions, console errors, sideways "
            "overflow) as the lead."
        ),
        requires=("render:home",),
        version=2,
    )

    @staticmethod
    def _other_browsers(site: Site) -> list[tuple[str, str]]:
        """(what, the text seen) for the signs in the archived home page about other engines."""
        if site.home is None or not site.home.is_html:
            return []
        html = site.parse(site.home).html
        found = []
        for pattern, what in _OTHER_BROWSERS:
            m = pattern.search(html)
            if m:
                found.append((what, html[max(0, m.start() - 40): m.end() + 40].strip()))
        return found

    def detect(self, site: Site) -> Finding:
        render = site.render()
        assert render is not None
        page_url = site.home.address if site.home is not None else render.page_url
        shot = render.screenshot_desktop_record_id
        timings: dict[str, Any] = dict(render.timings or {})
        failed = str(timings.get("error", "") or "")
        messages = [str(m) for m in render.console_errors]
        by_kind: dict[str, list[str]] = {}
        for m in messages:
            by_kind.setdefault(_kind(m), []).append(m)
        details: dict[str, Any] = {
            "engine": "chromium",
            "console_errors": {k: len(v) for k, v in by_kind.items()},
            "load_timed_out": bool(timings.get("load_timed_out")),
        }
        rows: list[Evidence] = []
        problems: list[str] = []
        if failed:
            problems.append(f"the render failed: {failed}")
            rows.append(Evidence(page_url=page_url, text=failed,
                                 explanation=f"Chromium could not render the home page: {failed}"))
        status = timings.get("http_status")
        if isinstance(status, int) and status >= 400:
            problems.append(f"the browser got HTTP {status}")
            rows.append(Evidence(page_url=page_url, text=str(status),
                                 explanation=f"the home page answered the browser with HTTP {status}"))
        for kind in ("crash", "page-error", "console-error", "failed-resource"):
            found = by_kind.get(kind)
            if not found:
                continue
            if kind in ("crash", "page-error"):
                problems.append(f"{len(found)} {_KINDS[kind]}")
            rows.append(Evidence(
                page_url=page_url, screenshot=shot, text=" | ".join(found[:EXAMPLES]),
                explanation=f"{len(found)} {_KINDS[kind]}"))
        layout = timings.get("layout") or {}
        overflow: dict[str, int] = {}
        for name in ("desktop", "mobile"):
            box = layout.get(name) or {}
            viewport = box.get("viewport") or [0, 0]
            width, page_width = int(viewport[0] or 0), int(box.get("page_width") or 0)
            if width and page_width > width + OVERFLOW_PX:
                overflow[name] = page_width - width
                rows.append(Evidence(
                    page_url=page_url,
                    screenshot=shot if name == "desktop" else render.screenshot_mobile_record_id,
                    text=f"page width {page_width} px in a {width} px viewport",
                    explanation=f"the page scrolls sideways at the {name} width "
                                f"({page_width - width} px wider than the {width} px viewport)"))
        if overflow:
            details["overflow_px"] = overflow
            if "desktop" in overflow:
                problems.append(f"the page overflows the desktop viewport by {overflow['desktop']} px")
        details["layout_measured"] = bool(layout)
        # Beyond Chromium: what the HTML shows about other engines, for the person who opens the
        # portal in the country's three most used browsers.
        others = self._other_browsers(site)
        details["other_browsers"] = [what for what, _ in others]
        details["instructions"] = (
            "find the country's three most used browsers on gs.statcounter.com (desktop and "
            "mobile); open the portal's home page, a form and a service in each; 1 only if all "
            "work (layout, menus, search, forms)")
        for what, seen in others:
            rows.append(Evidence(page_url=page_url, text=seen[:200],
                                 record_id=site.home.record_id if site.home else "",
                                 explanation=f"for other browsers: {what}"))
        if problems:
            return Finding(Outcome.NEEDS_REVIEW, 0.2 if failed else 0.3, tuple(rows),
                           reason="Chromium shows breakage (" + "; ".join(problems) + "): check the "
                                  "portal in the country's three most used browsers",
                           details={**details, "leaning": "absent"})
        if not layout and not render.screenshot_desktop_record_id:
            return Finding(Outcome.NOT_ASSESSABLE, 0.0, tuple(rows),
                           reason="the home page's render holds no screenshot or layout to judge",
                           details=details)
        rows.insert(0, Evidence(
            page_url=page_url, screenshot=shot, record_id=render.dom_record_id,
            explanation="the home page rendered in Chromium at 1366 px and 390 px without a crash, "
                        "an uncaught exception or a sideways scroll at the desktop width"))
        return Finding(Outcome.NEEDS_REVIEW, 0.6, tuple(rows),
                       reason="only Chromium was tested and the render looks sound: check the "
                              "portal in the country's three most used browsers (gs.statcounter.com)",
                       details={**details, "leaning": "present"})
