"""markup-validity: the home page as archived passes the Nu Html Checker with no error."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import suppress
from typing import Any

from detectors.site import Site
from detectors.vnu import VnuUnavailable, check_html, start_service
from losi.types import DetectorMeta, Evidence, Finding, Outcome

MAX_EVIDENCE = 10
_UTF8 = {"utf-8", "utf8"}
# Messages that only exist because a non-UTF-8 page is handed to the checker re-encoded in UTF-8.
_OUR_ARTEFACT = "disagrees with the actual encoding of the document"


def _where(message: Mapping[str, Any]) -> str:
    line = message.get("lastLine") or message.get("firstLine")
    if not line:
        return ""
    first, last = message.get("firstColumn"), message.get("lastColumn")
    columns = f", column {first}" if first else ""
    if last and last != first:
        columns += f"-{last}" if first else f", column {last}"
    return f"line {line}{columns}"


class MarkupValidity:
    meta = DetectorMeta(
        id="markup-validity",
        title="Valid HTML markup (W3C Nu Html Checker)",
        description=(
            "LOSI #208 asks whether the portal complies with W3C markup validity: its address run "
            "through validator.w3.org with the default options, any error failing it. The archived "
            "home page (the bytes the server sent) is checked offline by the Nu Html Checker "
            "(vnu.jar), the checker behind validator.w3.org/nu, with its default options: present "
            "with 0 errors (warnings do not count), absent with the first errors as evidence. "
            "Without Java or the checker it is not_assessable, never absent."
        ),
        requires=("home",),
        version=2,
    )

    @staticmethod
    def document(site: Site) -> tuple[bytes, bool]:
        """The bytes handed to the checker for a site's home page, and whether they were
        re-encoded from a legacy encoding.

        The command-line checker reads files as UTF-8 (validator.w3.org would use the HTTP
        charset). A page in a legacy encoding is re-encoded so that the rest of it is checked
        as it reads; its encoding is itself an error there ("Documents must use UTF-8").
        """
        assert site.home is not None
        parsed = site.parse(site.home)
        if parsed.encoding.lower().replace("_", "-") in _UTF8:
            return site.home.load_body(), False
        return parsed.html.encode("utf-8"), True

    @classmethod
    def prepare(cls, sites: Iterable[Site]) -> None:
        """Check the home pages of many sites with one JVM (then `detect` finds them cached).

        Optional: without it every site costs one JVM start (about 2 CPU seconds)."""
        documents = [cls.document(s)[0] for s in sites if s.home_seen]
        if documents:
            with suppress(VnuUnavailable):
                check_html(documents)

    @staticmethod
    def share() -> None:
        """Start one checker service for a run over many sites (`run_many` calls this before
        its workers start); without Java it stays off and `detect` says why, per site."""
        with suppress(VnuUnavailable):
            start_service(wait=False)  # the JVM starts while the detectors work

    def detect(self, site: Site) -> Finding:
        assert site.home is not None
        home = site.home
        parsed = site.parse(home)
        document, legacy = self.document(site)
        try:
            report = check_html([document])[0]
        except VnuUnavailable as exc:
            return Finding(Outcome.NOT_ASSESSABLE, 0.0, reason=str(exc),
                           details={"checker": "Nu Html Checker (vnu.jar)"})
        if report.failure:
            return Finding(Outcome.NOT_ASSESSABLE, 0.0,
                           reason=f"the Nu Html Checker could not check the page: {report.failure}",
                           details={"checker": "Nu Html Checker (vnu.jar)",
                                    "vnu_version": report.version})
        errors = [m for m in report.errors
                  if not (legacy and _OUR_ARTEFACT in str(m.get("message", "")))]
        rows: list[Evidence] = []
        if legacy:
            rows.append(Evidence(
                page_url=home.address, record_id=home.record_id, text=parsed.encoding,
                explanation=(f"the page is encoded in {parsed.encoding}, not UTF-8: the Nu Html "
                             f"Checker reports 'Legacy encoding used. Documents must use UTF-8.' "
                             f"as an error (the page was re-encoded to check the rest of it)")))
        for message in errors[:MAX_EVIDENCE]:
            rows.append(Evidence(
                page_url=home.address, record_id=home.record_id, locator=_where(message),
                text=str(message.get("extract", "")).strip(),
                explanation=f"Nu Html Checker error: {message.get('message', '')}"))
        count = len(errors) + (1 if legacy else 0)
        details = {
            "checker": "Nu Html Checker (vnu.jar)",
            "vnu_version": report.version,
            "errors": count,
            "warnings": len(report.warnings),
            "encoding": parsed.encoding,
            "bytes_checked": len(document),
        }  # no timing here: two runs over one archive must give identical proposals
        if count:
            return Finding(Outcome.ABSENT, 0.9, tuple(rows),
                           reason=f"the Nu Html Checker {report.version} reports {count} "
                                  f"error(s) on the home page",
                           details=details)
        summary = (f"0 errors ({len(report.warnings)} warning(s), which do not count) from the "
                   f"Nu Html Checker {report.version}, default options")
        return Finding(Outcome.PRESENT, 0.9, (Evidence(
            page_url=home.address, record_id=home.record_id, explanation=summary),),
            details=details)
