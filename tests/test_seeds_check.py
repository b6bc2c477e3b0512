"""`losi seeds check`: offline validation, and one fetch per portal from real servers on 127.0.0.1."""

from __future__ import annotations

import csv
import hashlib
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import trustme

from losi.seedcheck import (
    _gov_label,
    _host_names,
    _host_names_country,
    _text_names,
    check_file,
    city_names,
    write_report,
)
from losi.seeds import SeedError, SeedProblem, SeedRow

ROOT = Path(__file__).resolve().parents[1]
HEADER = "id,country,city,population,population_source,portal_url,languages,url_verified\n"

HOME = (
    "<!DOCTYPE html><html lang='en'><head><title>City of Aurelia</title></head><body>"
    "<main><h1>Welcome</h1></main>"
    "<footer><p>&copy; 2025 City of Aurelia. All rights reserved.</p></footer></body></html>"
)
ANONYMOUS = "<html><head><title>Hosting</title></head><body><p>Parked domain</p></body></html>"
PAGES: dict[str, tuple[int, dict[str, str], str]] = {
    "/": (200, {"Content-Type": "text/html; charset=utf-8"}, HOME),
    "/old": (301, {"Location": "/older"}, ""),
    "/older": (302, {"Location": "/"}, ""),
    "/loop": (302, {"Location": "/loop"}, ""),
    "/parked": (200, {"Content-Type": "text/html"}, ANONYMOUS),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 -- the http.server API
        status, headers, body = PAGES.get(self.path, (404, {"Content-Type": "text/html"}, "gone"))
        data = body.encode("utf-8")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve(context: ssl.SSLContext | None = None) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        scheme = "https" if context else "http"
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def site() -> Iterator[str]:
    yield from serve()


@pytest.fixture
def tls_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(context)
    ca_pem = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_pem))
    for url in serve(context):
        yield url, ca_pem


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "seeds.csv"
    path.write_text(text, encoding="utf-8", newline="")
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- offline ------------------------------------------------------------------------------------


def test_the_shipped_losi_list_passes_offline() -> None:
    report = check_file(ROOT / "seeds" / "losi-cities.csv", offline=True, un_members=True)
    assert (report.rows, report.errors, report.warnings) == (193, [], [])
    assert report.unverified_urls == 193 and report.network == "offline"


def test_every_error_names_row_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "aaa-one,AAA,One,10,src,https://one.example/,en,true\n"
        + "aaa-one,ABC,Two,ten,src,https://one.example/,english,true\n"
        + "aaa-three,AAA,Three,10,src,mailto:x@y.example,en;xx,perhaps\n",
    )
    before = digest(path)
    report = check_file(path, offline=True)
    assert [(p.row, p.column) for p in report.errors] == [
        (3, "country"), (3, "id"), (3, "languages"), (3, "population"), (3, "portal_url"),
        (4, "languages"), (4, "portal_url"), (4, "url_verified"),
    ]
    lines = [report.problem_line(p) for p in report.errors]
    assert lines[1] == f'{path}: row 3, column id: duplicate id "aaa-one" (first on row 2)'
    assert lines[4] == (f'{path}: row 3, column portal_url: "https://one.example/" is already '
                        'the portal of row 2 (id "aaa-one")')
    assert report.rows == 3
    assert digest(path) == before  # never edited


def test_un_members_wants_each_member_state_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "sgp-singapore,SGP,Singapore,,,https://www.gov.sg/,en,false\n"
        + "sgp-jurong,SGP,Jurong,,,https://jurong.example/,en,false\n"
        + "twn-taipei,TWN,Taipei,,,https://www.gov.taipei/,zh-Hant,false\n",
    )
    report = check_file(path, offline=True, un_members=True)
    assert [(p.row, p.column) for p in report.errors] == [(0, ""), (3, "country"), (4, "country")]
    assert report.errors[0].reason.startswith("192 UN Member States have no row: AFG, AGO,")
    assert report.errors[1].reason == '"SGP" already has a row (row 2): one city per country'
    assert report.errors[2].reason == '"TWN" is not a UN Member State'


def test_same_city_twice_in_a_country_is_a_warning(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "bra-santa-cruz,BRA,Santa Cruz,,,https://a.example/,pt-BR,false\n"
        + "bra-santa-cruz-23,BRA,Santa Cruz,,,https://b.example/,pt-BR,false\n",
    )
    report = check_file(path, offline=True)
    assert report.errors == []
    assert report.warnings == [
        SeedProblem(3, "city", '"Santa Cruz" is also the city of row 2 in BRA')
    ]


def test_an_unreadable_file_raises(tmp_path: Path) -> None:
    with pytest.raises(SeedError, match="missing required columns"):
        check_file(write(tmp_path, "id,country\nx,BRA\n"), offline=True)


def test_no_network_is_said_in_one_line(tmp_path: Path) -> None:
    # .invalid never resolves (RFC 6761), with or without a network.
    path = write(
        tmp_path,
        HEADER
        + "aaa-one,AAA,One,,,https://one.invalid/,en,false\n"
        + "aaa-two,AAA,Two,,,https://two.invalid/,en,false\n",
    )
    report = check_file(path)
    assert report.network == "unavailable" and report.portals == []
    assert report.network_message == (
        "no network: none of 2 portal hosts resolved (e.g. one.invalid); checked offline only"
    )


# --- one fetch per portal -----------------------------------------------------------------------


def test_fetches_each_portal_once(site: str, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + f"xaa-aurelia,XAA,Aurelia,,,{site}/,en,true\n"
        + f"xaa-moved,XAA,Moved,,,{site}/old,en,false\n"
        + f"xaa-gone,XAA,Gone,,,{site}/gone,en,false\n"
        + f"xaa-loop,XAA,Loop,,,{site}/loop,en,false\n"
        + f"xaa-parked,XAA,Parked,,,{site}/parked,en,false\n"
        + f"xaa-closed,XAA,Closed,,,http://127.0.0.1:{closed_port()}/,en,false\n",
    )
    before = digest(path)
    report = check_file(path, allow_private=True, timeout=5)
    assert report.network == "checked"
    home, moved, gone, loop, parked, closed = report.portals
    assert (home.fetch_status, home.http_status, home.reachable) == ("ok", 200, True)
    assert home.title == "City of Aurelia" and home.https is False and home.redirects == ()
    # #281: the footer copyright names the city, but 127.0.0.1 is no government domain.
    assert (home.footer_names_city, home.gov_domain, home.official_281) == (True, "", "partial")
    assert moved.redirects == (f"{site}/older", f"{site}/") and moved.final_url == f"{site}/"
    assert moved.footer_names_city is False  # the page names Aurelia, not "Moved"
    assert (gone.fetch_status, gone.http_status, gone.reachable) == ("http_error", 404, False)
    assert gone.official_281 == "unknown"
    assert loop.fetch_status == "http_error" and "more than 10 redirects" in loop.error
    assert (parked.reachable, parked.official_281) == (True, "unlikely")
    assert closed.fetch_status == "connection_error" and not closed.reachable
    assert [p.row for p in report.portals] == [2, 3, 4, 5, 6, 7]
    assert digest(path) == before


def test_private_addresses_are_refused_unless_allowed(site: str, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + f"xaa-aurelia,XAA,Aurelia,,,{site}/,en,true\n")
    [portal] = check_file(path, timeout=5).portals
    assert portal.fetch_status == "private_address" and not portal.reachable
    assert "127.0.0.1 resolves to a private or loopback address" == portal.error


def test_tls_is_verified(tls_site: tuple[str, Path], tmp_path: Path,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    url, ca_pem = tls_site
    path = write(tmp_path, HEADER + f"xaa-aurelia,XAA,Aurelia,,,{url}/,en,true\n")
    monkeypatch.delenv("LOSI_CA_BUNDLE", raising=False)
    [untrusted] = check_file(path, allow_private=True, timeout=5).portals
    assert untrusted.fetch_status == "tls_error" and "certificate" in untrusted.error
    monkeypatch.setenv("LOSI_CA_BUNDLE", str(ca_pem))
    [trusted] = check_file(path, allow_private=True, timeout=5).portals
    assert (trusted.fetch_status, trusted.https, trusted.footer_names_city) == ("ok", True, True)


def test_reports_as_json_and_csv(site: str, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + f"xaa-aurelia,XAA,Aurelia,,,{site}/old,en,true\n"
        + "xaa-bad,XAA,Bad,,,notaurl,en,true\n",
    )
    report = check_file(path, allow_private=True, timeout=5)
    write_report(report, tmp_path / "r.json")
    data = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert data["errors"] == [{"row": 3, "column": "portal_url",
                               "reason": '"notaurl" is not an http(s) URL'}]
    assert data["network"]["mode"] == "checked"
    [portal] = data["portals"]
    assert portal["id"] == "xaa-aurelia" and portal["redirects"] == [f"{site}/older", f"{site}/"]

    write_report(report, tmp_path / "r.csv")
    lines = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8")))
    assert [line["kind"] for line in lines] == ["error", "network", "portal"]
    assert (lines[0]["row"], lines[0]["column"]) == ("3", "portal_url")
    assert lines[2]["redirects"] == f"{site}/older {site}/" and lines[2]["reachable"] == "true"


# --- the official-portal heuristics of #281 ------------------------------------------------------


def row(country: str, city: str) -> SeedRow:
    return SeedRow(id="x", country=country, city=city, population=None, population_source="",
                   portal_url="", languages=("en",), url_verified=False)


@pytest.mark.parametrize(
    ("host", "label"),
    [("www.wien.gv.at", "gv"), ("www.nyc.gov", "gov"), ("buenosaires.gob.ar", "gob"),
     ("www.metro.tokyo.lg.jp", "lg"), ("www.joburg.org.za", ""), ("www.amsterdam.nl", ""),
     ("www.gov.sg", "gov"), ("gov.example", "")],
)
def test_government_labels(host: str, label: str) -> None:
    assert _gov_label(host) == label


def test_domains_that_name_the_city_or_country() -> None:
    assert _host_names("www.wien.gv.at", city_names(row("AUT", "Vienna")))  # GeoNames: Wien
    assert _host_names("www.nyc.gov", city_names(row("USA", "New York")))  # GeoNames: NYC
    assert _host_names("buenosaires.gob.ar", city_names(row("ARG", "Buenos Aires")))
    assert not _host_names("www.example.com", city_names(row("NLD", "Amsterdam")))
    assert _host_names_country("www.paris.fr", "FRA")
    assert _host_names_country("www.london.gov.uk", "GBR")
    assert not _host_names_country("www.nyc.gov", "FRA")


def test_footer_text_names_the_city_by_whole_words() -> None:
    names = city_names(row("ARG", "Buenos Aires"))
    assert _text_names("© 2025 Gobierno de la Ciudad de Buenos Aires", names)
    assert not _text_names("© 2025 Buenosairesnet hosting", ["buenos"])
