"""`losi seeds check`: validate a seed file, and fetch each portal once when the network allows.

Offline it checks what the file alone can show: the schema (losi/seeds.py: columns, ids, ISO 3166
codes, BCP 47 tags, URL syntax, duplicates), and, with `un_members`, that every UN Member State
has exactly one row. Online it also fetches each portal's home page once: reachable or not, the
redirects, whether it ends on HTTPS, and the official-portal signals of LOSI #281 ("a domain name
with a government abbreviation and the city or country, and a footer copyright naming the city").

The results are a report, written to its own file; the seed file is never edited, because whether
a URL is the official portal is for a person to confirm (and then to write `verified`).

The fetch here is a check of the seed list, not a crawl: nothing is archived and nothing becomes
evidence. Like the crawler, it refuses private and loopback addresses unless `allow_private`.
"""

from __future__ import annotations

import concurrent.futures
import csv
import datetime
import io
import ipaddress
import json
import os
import re
import socket
import ssl
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from losi import __version__
from losi.seedbuild import UN_MEMBER_STATES
from losi.seeds import SeedProblem, SeedRow, parse_seeds

MAX_REDIRECTS = 10
MAX_BODY = 2 * 1024 * 1024

# Labels that mark a government domain (#281 names "gov, gob, etc."): the generic ones, plus the
# local-government second-level labels some countries use (lg.jp, muni.il, kommune.no ...).
GOV_LABELS = frozenset({
    "gov", "gob", "gouv", "govt", "go", "gv", "gub", "gou", "govern", "government",
    "lg", "muni", "kommune", "comune", "gemeente", "mc", "gos",
})
_COPYRIGHT = re.compile(
    r"©|\(c\)|copyright|derechos reservados|droits r[ée]serv[ée]s|direitos reservados|"
    r"alle rechte|tutti i diritti|all rights reserved",
    re.IGNORECASE,
)
_NOT_NAMES = frozenset({"city", "town", "saint", "santo", "santa", "ciudad", "ville", "new"})
_CCTLD = {"GB": "uk"}  # the one ISO 3166 alpha-2 code whose ccTLD differs


@dataclass(frozen=True)
class PortalCheck:
    """What one fetch of one portal's home page showed."""

    id: str
    row: int
    url: str
    url_verified: bool
    fetch_status: str  # ok, http_error, dns_error, tls_error, timeout, connection_error, ...
    reachable: bool
    http_status: int | None = None
    final_url: str = ""
    redirects: tuple[str, ...] = ()  # every URL after the first, in order
    https: bool | None = None  # the final URL is https
    error: str = ""
    title: str = ""
    gov_domain: str = ""  # the government label found in the host, or ""
    domain_names_city: bool | None = None
    domain_names_country: bool | None = None
    footer_names_city: bool | None = None
    official_281: str = "unknown"  # likely / partial / unlikely / unknown (not fetched)
    seconds: float = 0.0


@dataclass
class CheckReport:
    file: str
    rows: int
    errors: list[SeedProblem] = field(default_factory=list)
    warnings: list[SeedProblem] = field(default_factory=list)
    network: str = "offline"  # offline / unavailable / checked
    network_message: str = ""
    portals: list[PortalCheck] = field(default_factory=list)
    unverified_urls: int = 0
    missing_urls: int = 0

    def problem_line(self, problem: SeedProblem) -> str:
        if problem.row == 0:
            return f"{self.file}: {problem.reason}"
        if not problem.column:
            return f"{self.file}: row {problem.row}: {problem.reason}"
        return f"{self.file}: row {problem.row}, column {problem.column}: {problem.reason}"

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "checked_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "losi_version": __version__,
            "rows": self.rows,
            "errors": [asdict(p) for p in self.errors],
            "warnings": [asdict(p) for p in self.warnings],
            "unverified_urls": self.unverified_urls,
            "missing_urls": self.missing_urls,
            "network": {"mode": self.network, "message": self.network_message},
            "portals": [asdict(p) for p in self.portals],
        }


def check_file(
    path: Path | str,
    *,
    offline: bool = False,
    un_members: bool = False,
    allow_private: bool = False,
    timeout: float = 20.0,
    workers: int = 8,
    resolve: Callable[[str], object] | None = None,
) -> CheckReport:
    """Check a seed file. Raises `losi.seeds.SeedError` only when the file cannot be read as a
    seed file at all (missing, not UTF-8, bad header); every row problem lands in the report."""
    rows, problems = parse_seeds(path)
    report = CheckReport(file=str(path), rows=len(rows) + len({p.row for p in problems if p.row > 1}))
    report.errors.extend(problems)
    if un_members:
        report.errors.extend(_un_member_problems(rows))
    report.errors.sort(key=lambda p: (p.row, p.column))
    report.warnings.extend(_warnings(rows))
    report.unverified_urls = sum(1 for r in rows if r.portal_url and not r.url_verified)
    report.missing_urls = sum(1 for r in rows if not r.portal_url)

    fetchable = [r for r in rows if r.portal_url]
    if offline:
        report.network, report.network_message = "offline", "network checks skipped (--offline)"
        return report
    if not fetchable:
        report.network, report.network_message = "offline", "no portal URLs to fetch"
        return report
    unresolved = _network_unavailable(fetchable, resolve or _resolve)
    if unresolved:
        report.network, report.network_message = "unavailable", unresolved
        return report
    report.network = "checked"
    report.network_message = f"fetched {len(fetchable)} portal home pages once each"
    context = _ssl_context()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        report.portals = list(
            pool.map(lambda r: check_portal(r, allow_private, timeout, context), fetchable)
        )
    return report


# ---- offline checks --------------------------------------------------------------------------


def _un_member_problems(rows: Sequence[SeedRow]) -> list[SeedProblem]:
    problems: list[SeedProblem] = []
    first: dict[str, int] = {}
    for row in rows:
        if row.country not in UN_MEMBER_STATES:
            problems.append(SeedProblem(row.line, "country", f'"{row.country}" is not a UN Member State'))
        elif row.country in first:
            problems.append(SeedProblem(
                row.line, "country",
                f'"{row.country}" already has a row (row {first[row.country]}): one city per country',
            ))
        else:
            first[row.country] = row.line
    missing = sorted(UN_MEMBER_STATES - set(first))
    if missing and rows:
        problems.append(SeedProblem(
            0, "", f"{len(missing)} UN Member States have no row: {', '.join(missing)}"
        ))
    return problems


def _warnings(rows: Sequence[SeedRow]) -> list[SeedProblem]:
    warnings: list[SeedProblem] = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row.country, _fold(row.city))
        if key in seen:
            warnings.append(SeedProblem(
                row.line, "city", f'"{row.city}" is also the city of row {seen[key]} in {row.country}'
            ))
        else:
            seen[key] = row.line
    return warnings


# ---- network ---------------------------------------------------------------------------------


def _resolve(host: str) -> object:
    return socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)


def _network_unavailable(rows: Sequence[SeedRow], resolve: Callable[[str], object]) -> str:
    """A one-line reason when no portal host resolves at all, else "" (the network works)."""
    hosts: list[str] = []
    for row in rows:
        host = (urlsplit(row.portal_url).hostname or "").rstrip(".")
        if host and host not in hosts:
            hosts.append(host)
    tried = hosts[:5]
    for host in tried:
        try:
            ipaddress.ip_address(host)
            return ""  # a literal address needs no DNS
        except ValueError:
            pass
        try:
            resolve(host)
            return ""
        except (socket.gaierror, UnicodeError, OSError):
            continue
    return (
        f"no network: none of {len(tried)} portal hosts resolved (e.g. {tried[0]}); "
        "checked offline only"
    )


def _ssl_context() -> ssl.SSLContext:
    # Trust what a browser trusts, plus the crawler's extra CA file (LOSI_CA_BUNDLE), the same
    # way as the crawler's TLS probe.
    return ssl.create_default_context(cafile=os.environ.get("LOSI_CA_BUNDLE") or None)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # each hop is followed by hand, so each one is recorded and checked


def _private(host: str) -> bool:
    from crawler.middlewares import forbidden_address

    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return False  # the fetch reports the DNS error itself
    return any(forbidden_address(str(info[4][0])) for info in infos)


def check_portal(
    row: SeedRow, allow_private: bool, timeout: float, context: ssl.SSLContext
) -> PortalCheck:
    """Fetch one portal's home page (following redirects by hand) and judge it."""
    started = time.monotonic()

    def result(fetch_status: str, reachable: bool, **rest: Any) -> PortalCheck:
        return PortalCheck(id=row.id, row=row.line, url=row.portal_url,
                           url_verified=row.url_verified, fetch_status=fetch_status,
                           reachable=reachable, seconds=round(time.monotonic() - started, 3),
                           **rest)

    opener = urllib.request.build_opener(_NoRedirect(), urllib.request.HTTPSHandler(context=context))
    url, redirects = row.portal_url, list[str]()
    status, body, headers = None, b"", None
    try:
        while True:
            host = urlsplit(url).hostname or ""
            if not allow_private and _private(host):
                return result("private_address", reachable=False,
                                   final_url=url, redirects=tuple(redirects),
                                   error=f"{host} resolves to a private or loopback address")
            request = urllib.request.Request(url, headers={
                "User-Agent": f"losi/{__version__} (seed check; +{_contact()})",
                "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
            })
            try:
                with opener.open(request, timeout=timeout) as response:
                    status, headers = response.status, response.headers
                    body = response.read(MAX_BODY)
                break
            except urllib.error.HTTPError as exc:
                location = exc.headers.get("Location") if exc.headers else None
                if 300 <= exc.code < 400 and location:
                    if len(redirects) >= MAX_REDIRECTS:
                        return result("http_error", reachable=False,
                                           http_status=exc.code, final_url=url,
                                           redirects=tuple(redirects),
                                           error=f"more than {MAX_REDIRECTS} redirects")
                    url = urljoin(url, location)
                    redirects.append(url)
                    continue
                status, headers = exc.code, exc.headers
                body = exc.read(MAX_BODY) if exc.fp else b""
                break
    except Exception as exc:  # noqa: BLE001 -- every failure is a finding about this portal
        kind, reason = _failure(exc)
        return result(kind, reachable=False, final_url=url,
                           redirects=tuple(redirects), https=url.lower().startswith("https:"),
                           error=reason)

    final = url
    ok = status is not None and 200 <= status < 300
    text = _decode(body, headers.get_content_charset() if headers else None)
    title, footer = _title_and_footer(text) if text else ("", "")
    names = city_names(row)
    host = (urlsplit(final).hostname or "").lower().rstrip(".")
    gov = _gov_label(host)
    names_city = _host_names(host, names)
    names_country = _host_names_country(host, row.country)
    footer_city = bool(footer) and bool(_COPYRIGHT.search(footer)) and _text_names(footer, names)
    signals = [bool(gov) and (names_city or names_country), footer_city]
    verdict = "likely" if all(signals) else ("partial" if any(signals) or gov or names_city
                                               else "unlikely")
    return result(
        "ok" if ok else "http_error",
        ok,
        http_status=status,
        final_url=final,
        redirects=tuple(redirects),
        https=final.lower().startswith("https:"),
        title=title[:200],
        gov_domain=gov,
        domain_names_city=names_city,
        domain_names_country=names_country,
        footer_names_city=footer_city,
        official_281=verdict if ok else "unknown",
    )


def _contact() -> str:
    return os.environ.get("LOSI_CONTACT_URL") or "https://pypi.org/project/losi/"


def _failure(exc: BaseException) -> tuple[str, str]:
    """The fetch status (the crawler's closed list) and a one-line reason for a failed fetch."""
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, socket.gaierror):
        return "dns_error", f"the host does not resolve ({reason.strerror or reason})"
    if isinstance(reason, ssl.SSLError | ssl.CertificateError):
        return "tls_error", f"TLS failed: {getattr(reason, 'verify_message', '') or reason}"
    if isinstance(reason, TimeoutError | socket.timeout) or "timed out" in str(reason):
        return "timeout", "timed out"
    if isinstance(reason, ConnectionError | OSError):
        return "connection_error", f"connection failed: {reason}"
    return "connection_error", f"{type(exc).__name__}: {exc}"


def _decode(body: bytes, charset: str | None) -> str:
    if not body:
        return ""
    from w3lib.encoding import html_to_unicode

    _encoding, text = html_to_unicode(f"text/html; charset={charset}" if charset else None, body)
    return text


def _title_and_footer(text: str) -> tuple[str, str]:
    import lxml.html

    try:
        doc = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError):
        return "", ""
    title = " ".join((doc.findtext(".//title") or "").split())
    for bad in doc.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    footers = doc.xpath(
        "//footer | //*[contains(translate(@id, 'FOTER', 'foter'), 'footer')]"
        " | //*[contains(translate(@class, 'FOTER', 'foter'), 'footer')]"
        " | //*[@role='contentinfo']"
    )
    if footers:
        footer = " ".join(" ".join(f.text_content().split()) for f in footers)
    else:  # no marked footer: the end of the page is where a copyright line sits
        footer = " ".join(doc.text_content().split())[-1500:]
    return title, footer


# ---- names -------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "", folded.lower())


def city_names(row: SeedRow) -> list[str]:
    """The city's name and its other names in GeoNames (Wien for Vienna, NYC for New York),
    folded to ASCII lowercase without separators."""
    names = {_fold(row.city)}
    names.update(_fold(word) for word in re.split(r"[\s\-'’]+", row.city) if len(_fold(word)) >= 4)
    names.update(_alternate_names(row.country, row.city))
    return sorted(n for n in names if n and n not in _NOT_NAMES)


def _alternate_names(iso3: str, city: str) -> set[str]:
    from losi.seedbuild import _cities, _countries

    country = _countries().get(iso3)
    if country is None:
        return set()
    wanted = _fold(city)
    for place in _cities(str(country["iso"]), 15000):
        listed = place.get("alternatenames") or []
        alternates = [str(a) for a in listed] if isinstance(listed, list) else []
        if _fold(str(place["name"])) == wanted or wanted in {_fold(a) for a in alternates}:
            return {_fold(a) for a in [str(place["name"]), *alternates] if len(_fold(a)) >= 3}
    return set()


def _gov_label(host: str) -> str:
    """The government label of a host: the .gov top-level domain, or a label of GOV_LABELS
    under a country-code domain (gv.at, gob.ar, gov.sg, lg.jp); "" when there is none."""
    labels = host.lower().rstrip(".").split(".")
    if labels[-1] == "gov":
        return "gov"
    if len(labels) < 2 or len(labels[-1]) != 2:
        return ""
    for label in labels[:-1]:
        if label in GOV_LABELS:
            return label
    return ""


def _host_names(host: str, names: Sequence[str]) -> bool:
    labels = [_fold(label) for label in host.split(".")]
    joined = "".join(labels)
    return any(name in labels or (len(name) >= 4 and name in joined) for name in names)


def _host_names_country(host: str, iso3: str) -> bool:
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return False
    tld = _CCTLD.get(country.alpha_2, country.alpha_2.lower())
    if host.rsplit(".", 1)[-1] == tld:
        return True
    names = {_fold(country.name), _fold(getattr(country, "common_name", "") or "")}
    return _host_names(host, [n for n in names if len(n) >= 4])


def _text_names(text: str, names: Sequence[str]) -> bool:
    """True when one to four consecutive words of `text` spell one of `names` ("Buenos Aires")."""
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", text).encode("ascii", "ignore")
                       .decode("ascii").lower())
    wanted = set(names)
    return any(
        "".join(words[i:i + n]) in wanted for i in range(len(words)) for n in range(1, 5)
    )


# ---- the report --------------------------------------------------------------------------------

REPORT_COLUMNS = (
    "id", "row", "url", "url_verified", "fetch_status", "reachable", "http_status", "final_url",
    "redirects", "https", "gov_domain", "domain_names_city", "domain_names_country",
    "footer_names_city", "official_281", "title", "error", "seconds",
)


def write_report(report: CheckReport, path: Path) -> None:
    """JSON (the whole report) when `path` ends in .json, else CSV: one line per problem, then one
    line per fetched portal (`kind` says which)."""
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n", "utf-8")
        return
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["kind", "column", "reason", *REPORT_COLUMNS])
    blank = [""] * len(REPORT_COLUMNS)
    for kind, problems in (("error", report.errors), ("warning", report.warnings)):
        for p in problems:
            cells = list(blank)
            cells[REPORT_COLUMNS.index("row")] = str(p.row)
            writer.writerow([kind, p.column, p.reason, *cells])
    writer.writerow(["network", "", f"{report.network}: {report.network_message}", *blank])
    for portal in report.portals:
        record = asdict(portal)
        record["redirects"] = " ".join(portal.redirects)
        writer.writerow(["portal", "", "", *(_cell(record[c]) for c in REPORT_COLUMNS)])
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
