"""Seed CSV validation and import, and the shipped demo seeds and portals."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import lxml.etree
import lxml.html
import pytest
from sqlalchemy import Engine, select

import losi.demo
from losi.seeds import ImportResult, SeedError, SeedProblem, import_seeds, read_seeds
from storage.db import make_engine, session_scope
from storage.models import Base, City

ROOT = Path(__file__).resolve().parents[1]
DEMO_CSV = ROOT / "seeds" / "demo.csv"
PORTALS = Path(losi.demo.__file__).parent / "portals"
HEADER = "id,country,city,population,population_source,portal_url,languages,url_verified\n"
AURELIA = "xaa-aurelia,XAA,Aurelia,184312,fictional (losi demo),http://127.0.0.1:8701/,en,true\n"
VILLAVERDE = "xbb-villaverde,XBB,Villaverde,23480,fictional (losi demo),http://127.0.0.1:8702/,es,true\n"
SAINT_CLAIR = "xcc-saint-clair,XCC,Saint-Clair,7812,fictional (losi demo),http://127.0.0.1:8703/,fr,true\n"
# The one link the demo ships broken on purpose, so crawls and link checks have a 404 to meet.
INTENDED_BROKEN = {("villaverde", "http://127.0.0.1:8702/agenda/archivo-2024/")}


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path}/t.db")
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def write(tmp_path: Path, text: str, name: str = "seeds.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding, newline="")
    return path


def snapshot(engine: Engine) -> dict[str, dict[str, Any]]:
    with session_scope(engine) as session:
        return {
            city.id: {
                "country": city.country,
                "name": city.name,
                "population": city.population,
                "population_source": city.population_source,
                "portal_url": city.portal_url,
                "languages": list(city.languages),
                "url_verified": city.url_verified,
                "updated_at": city.updated_at,
            }
            for city in session.scalars(select(City))
        }


def load(engine: Engine, path: Path) -> ImportResult:
    # The way callers use the pair: validate first, then one transaction for the import.
    rows = read_seeds(path)
    with session_scope(engine) as session:
        return import_seeds(session, rows)


def problems_of(path: Path) -> list[SeedProblem]:
    with pytest.raises(SeedError) as caught:
        read_seeds(path)
    return caught.value.problems


# --- reading the shipped seed file -------------------------------------------------------------


def test_demo_csv_reads_to_three_rows() -> None:
    rows = read_seeds(DEMO_CSV)
    assert [r.id for r in rows] == ["xaa-aurelia", "xbb-villaverde", "xcc-saint-clair"]
    assert [r.country for r in rows] == ["XAA", "XBB", "XCC"]
    assert [r.portal_url for r in rows] == [
        "http://127.0.0.1:8701/",
        "http://127.0.0.1:8702/",
        "http://127.0.0.1:8703/",
    ]
    assert [r.languages for r in rows] == [("en",), ("es",), ("fr",)]
    assert all(r.url_verified and isinstance(r.population, int) for r in rows)
    assert DEMO_CSV.read_text("utf-8").splitlines()[0] + "\n" == HEADER


def test_each_demo_seed_has_a_portal_folder() -> None:
    slugs = {row.id.split("-", 1)[1] for row in read_seeds(DEMO_CSV)}
    assert slugs == {p.name for p in PORTALS.iterdir() if p.is_dir()}


# --- validation --------------------------------------------------------------------------------


def test_values_are_parsed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + 'che-geneve,CHE,"Genève",,,https://www.geneve.ch,fr;en-GB,yes\n'
        + "deu-bonn,DEU,Bonn,336465,Destatis 2023,https://www.bonn.de/,de,\n"
        + "bel-gent,BEL,Gent,265086,Statbel,https://stad.gent/nl,nl;fr,0\n",
    )
    geneve, bonn, gent = read_seeds(path)
    assert geneve.city == "Genève" and geneve.population is None and geneve.url_verified is True
    assert geneve.languages == ("fr", "en-GB")
    assert bonn.population == 336465 and bonn.url_verified is False  # empty means false
    assert gent.url_verified is False


def test_bom_and_extra_columns_are_tolerated(tmp_path: Path) -> None:
    path = write(
        tmp_path, HEADER.replace("\n", ",notes\n") + AURELIA.replace("\n", ",demo\n"),
        encoding="utf-8-sig",
    )
    assert [r.id for r in read_seeds(path)] == ["xaa-aurelia"]


def test_bad_row_names_row_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + AURELIA + VILLAVERDE.replace("http://127.0.0.1:8702/", "htp:/x"))
    with pytest.raises(SeedError) as caught:
        read_seeds(path)
    assert caught.value.problems == [
        SeedProblem(3, "portal_url", '"htp:/x" is not an http(s) URL'),
    ]
    assert str(caught.value) == f'{path}: row 3, column portal_url: "htp:/x" is not an http(s) URL'
    assert isinstance(caught.value, ValueError)


def test_all_problems_are_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "Bad Id,xaa,,12,000,src,http://ok.example/,en,true\n"  # 9 fields: quoted wrongly
        + 'Bad Id,xaa,,"12,000",src,http://a.example/x y,EN;,maybe\n'
        + "ok-id,XAA,Okay,-5,src,ftp://files.example/,en;en,1\n"
        + "\n"
        + "other,XAA,Other,,src,http:///nohost,,true\n",
    )
    found = problems_of(path)
    assert [(p.row, p.column) for p in found] == [
        (2, ""),
        (3, "id"),
        (3, "country"),
        (3, "city"),
        (3, "population"),
        (3, "portal_url"),
        (3, "languages"),
        (3, "languages"),
        (3, "url_verified"),
        (4, "population"),
        (4, "portal_url"),
        (4, "languages"),
        (6, "portal_url"),  # the blank line 5 still counts as a line
        (6, "languages"),
    ]
    reasons = {(p.row, p.column): p.reason for p in found}
    assert reasons[(2, "")] == "has 9 fields, the header has 8"
    assert reasons[(3, "portal_url")] == '"http://a.example/x y" contains whitespace'
    assert "plain digits" in reasons[(3, "population")]
    assert reasons[(6, "portal_url")] == '"http:///nohost" has no host'
    message = str(SeedError(path, found))
    assert len(message.splitlines()) == len(found)
    assert f"{path}: row 3, column country: " in message


def test_missing_columns_are_named_in_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, "id,country,city,population,population_source,portal_url\n" + "x,XAA,X,,,\n")
    with pytest.raises(SeedError) as caught:
        read_seeds(path)
    assert caught.value.problems == [
        SeedProblem(1, "", "missing required columns: languages, url_verified")
    ]
    assert str(caught.value) == f"{path}: row 1: missing required columns: languages, url_verified"


def test_duplicate_id_and_portal_url(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + AURELIA
        + AURELIA.replace("http://127.0.0.1:8701/", "http://127.0.0.1:8799/")
        + VILLAVERDE
        + VILLAVERDE.replace("xbb-villaverde", "xbb-villaverde-2").replace(
            "http://127.0.0.1:8702/", "HTTP://127.0.0.1:8702"  # same portal, other spelling
        ),
    )
    assert problems_of(path) == [
        SeedProblem(3, "id", 'duplicate id "xaa-aurelia" (first on row 2)'),
        SeedProblem(
            5,
            "portal_url",
            '"HTTP://127.0.0.1:8702" is already the portal of row 4 (id "xbb-villaverde")',
        ),
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "file not found"),
        (b"", "is empty: expected a header row on line 1"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "not a UTF-8 CSV file (undecodable byte at offset 10)"),
        (b"id,country\x00,city\n", "not a CSV file (contains NUL bytes)"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes | None, reason: str) -> None:
    path = tmp_path / "seeds.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SeedError) as caught:
        read_seeds(path)
    assert caught.value.problems == [SeedProblem(0, "", reason)]
    assert str(caught.value) == f"{path}: {reason}"


def test_population_must_fit_the_column(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + AURELIA.replace("184312", "99999999999"))
    assert problems_of(path) == [SeedProblem(2, "population", '"99999999999" is too large')]


# --- import ------------------------------------------------------------------------------------


def test_import_then_reimport_is_unchanged(engine: Engine) -> None:
    assert load(engine, DEMO_CSV) == ImportResult(added=3, updated=0, unchanged=0)
    first = snapshot(engine)
    assert first["xcc-saint-clair"]["name"] == "Saint-Clair"
    assert first["xcc-saint-clair"]["languages"] == ["fr"]
    assert load(engine, DEMO_CSV) == ImportResult(added=0, updated=0, unchanged=3)
    assert snapshot(engine) == first  # updated_at included: nothing was written


def test_update_changes_url(engine: Engine, tmp_path: Path) -> None:
    load(engine, DEMO_CSV)
    before = snapshot(engine)
    moved = write(tmp_path, HEADER + AURELIA.replace(":8701/", ":8711/") + VILLAVERDE + SAINT_CLAIR)
    assert load(engine, moved) == ImportResult(added=0, updated=1, unchanged=2)
    after = snapshot(engine)
    assert after["xaa-aurelia"]["portal_url"] == "http://127.0.0.1:8711/"
    assert after["xaa-aurelia"]["updated_at"] >= before["xaa-aurelia"]["updated_at"]
    assert {k: v for k, v in after.items() if k != "xaa-aurelia"} == {
        k: v for k, v in before.items() if k != "xaa-aurelia"
    }


def test_bad_file_imports_nothing(engine: Engine, tmp_path: Path) -> None:
    load(engine, DEMO_CSV)
    before = snapshot(engine)
    # Row 2 alone would be a valid update and row 4 a valid addition; row 3 spoils the file.
    bad = write(
        tmp_path,
        HEADER
        + AURELIA.replace(":8701/", ":8711/")
        + VILLAVERDE.replace(",es,", ",Spanish,")
        + "zzz-new,XAA,New Town,100,src,http://new.example/,en,true\n",
    )
    with pytest.raises(SeedError) as caught:
        load(engine, bad)
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "languages")]
    assert "row 3, column languages" in str(caught.value)
    assert snapshot(engine) == before


def test_failure_inside_the_transaction_rolls_back(engine: Engine, tmp_path: Path) -> None:
    load(engine, DEMO_CSV)
    before = snapshot(engine)
    rows = read_seeds(write(tmp_path, HEADER + AURELIA.replace(":8701/", ":8711/")))
    with pytest.raises(RuntimeError):
        with session_scope(engine) as session:
            assert import_seeds(session, rows).updated == 1
            raise RuntimeError("a later step of the same command failed")
    assert snapshot(engine) == before


def test_import_rejects_repeated_ids(engine: Engine) -> None:
    row = read_seeds(DEMO_CSV)[0]
    with session_scope(engine) as session, pytest.raises(ValueError):
        import_seeds(session, [row, row])


# --- the demo portals --------------------------------------------------------------------------


def portal_base() -> dict[str, str]:
    return {row.id.split("-", 1)[1]: row.portal_url for row in read_seeds(DEMO_CSV)}


def html_files(portal: str) -> list[Path]:
    return sorted((PORTALS / portal).rglob("*.html"))


def parse(path: Path) -> lxml.html.HtmlElement:
    # Decode as the portal declares it; lxml would otherwise have to guess from the bytes.
    encoding = "cp1252" if path.is_relative_to(PORTALS / "saint-clair") else "utf-8"
    return lxml.html.document_fromstring(path.read_bytes().decode(encoding))


def page_url(portal: str, path: Path) -> str:
    rel = path.relative_to(PORTALS / portal).as_posix()
    if rel == "index.html" or rel.endswith("/index.html"):
        rel = rel[: -len("index.html")]  # a directory index is served at its directory URL
    return portal_base()[portal] + rel


def target_file(portal: str, url: str) -> Path | None:
    """The shipped file a URL of this portal maps to, or None when the URL is not on the portal."""
    base = urlsplit(portal_base()[portal])
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != base.netloc:
        return None
    path = PORTALS / portal / unquote(parts.path).lstrip("/")
    if parts.path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path


def internal_links(portal: str, path: Path) -> Iterator[tuple[str, Path]]:
    here = page_url(portal, path)
    for _element, _attribute, link, _pos in parse(path).iterlinks():
        url = urljoin(here, link.strip()).split("#", 1)[0]
        target = target_file(portal, url)
        if target is not None:
            yield url, target


@pytest.mark.parametrize("portal", ["aurelia", "villaverde", "saint-clair"])
def test_portal_shape(portal: str) -> None:
    assert (PORTALS / portal / "index.html").is_file()
    assert 6 <= len(html_files(portal)) <= 12
    for path in html_files(portal):
        doc = parse(path)
        assert doc.findtext(".//title"), path
        assert doc.get("lang") in {"aurelia": "en", "villaverde": "es", "saint-clair": "fr"}[portal]


@pytest.mark.parametrize("portal", ["aurelia", "villaverde"])
def test_modern_portals_are_html5_with_a_viewport(portal: str) -> None:
    for path in html_files(portal):
        text = path.read_bytes().decode("utf-8")  # and they are UTF-8
        assert text.startswith("<!DOCTYPE html>"), path
        doc = parse(path)
        viewport = doc.xpath("//head/meta[@name='viewport']/@content")
        assert viewport and "width=device-width" in viewport[0], path
        assert doc.xpath("//body//main"), path
        if path.parent.name != "internal":
            assert doc.xpath("//body//header") and doc.xpath("//body//nav"), path
            assert doc.xpath("//body//footer"), path


def test_saint_clair_is_legacy_and_single_byte_encoded() -> None:
    files = html_files("saint-clair")
    for path in files:
        data = path.read_bytes()
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")  # the accents really are single bytes, not UTF-8
        text = data.decode("cp1252")
        declared = re.search(r'charset=([\w-]+)"', text)
        assert declared and declared.group(1) in {"windows-1252", "iso-8859-1"}, path
        if declared.group(1) == "iso-8859-1":
            data.decode("latin-1")  # and every byte means the same thing in the declared charset
            assert not any(0x80 <= b <= 0x9F for b in data), path
        assert "é" in text, path
        doc = parse(path)
        assert not doc.xpath("//meta[@name='viewport']"), path
        assert doc.xpath("//body/table[@width='760']"), path  # fixed-width table layout
    texts = [p.read_bytes().decode("cp1252") for p in files]
    assert any("€" in t for t in texts) and any("œ" in t for t in texts)  # cp1252-only characters


def test_privacy_links() -> None:
    def links(portal: str) -> set[tuple[str, str]]:
        found = set()
        for path in html_files(portal):
            for a in parse(path).xpath("//a[@href]"):
                found.add((a.text_content().strip(), a.get("href")))
        return found

    aurelia_home = parse(PORTALS / "aurelia" / "index.html")
    assert aurelia_home.xpath("//footer//a[@href='/privacy.html' and text()='Privacy Policy']")
    villaverde_home = parse(PORTALS / "villaverde" / "index.html")
    assert villaverde_home.xpath(
        "//footer//a[@href='/politica-de-privacidad/' and text()='Política de privacidad']"
    )
    assert (PORTALS / "villaverde" / "politica-de-privacidad" / "index.html").is_file()
    privacy = re.compile(r"privacy|privacidad|confidentialit|donn[ée]es personnelles|rgpd", re.I)
    assert not [link for link in links("saint-clair") if privacy.search(" ".join(link))]


def test_aurelia_robots_sitemap_and_pdf() -> None:
    aurelia = PORTALS / "aurelia"
    base = portal_base()["aurelia"]
    robots = RobotFileParser()
    robots.parse((aurelia / "robots.txt").read_text("utf-8").splitlines())
    assert not robots.can_fetch("losi", base + "internal/staff.html")
    assert robots.can_fetch("losi", base + "news.html")
    assert robots.site_maps() == [base + "sitemap.xml"]
    # The disallowed page is linked, so a crawler meets it and has to obey robots.txt.
    assert any(
        target == aurelia / "internal" / "staff.html"
        for _url, target in internal_links("aurelia", aurelia / "index.html")
    )

    locs = lxml.etree.parse(str(aurelia / "sitemap.xml")).xpath(
        "//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    )
    assert base in locs and base + "budget-2025.pdf" in locs
    for loc in locs:
        target = target_file("aurelia", loc)
        assert target is not None and target.is_file(), loc
        assert robots.can_fetch("losi", loc), loc

    pdf = (aurelia / "budget-2025.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
    assert len(pdf) < 2048
    # A valid cross-reference table: every offset points at the object it names.
    xref_at = int(re.search(rb"startxref\s+(\d+)", pdf).group(1))
    assert pdf[xref_at:].startswith(b"xref")
    offsets = [int(m.group(1)) for m in re.finditer(rb"(\d{10}) 00000 n", pdf)]
    assert offsets
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(b"%d 0 obj" % number)


def test_internal_links_resolve_except_the_intended_broken_one() -> None:
    broken = set()
    checked = 0
    for portal in ("aurelia", "villaverde", "saint-clair"):
        for path in html_files(portal):
            for url, target in internal_links(portal, path):
                checked += 1
                if not target.is_file():
                    broken.add((portal, url))
    assert checked > 100
    assert broken == INTENDED_BROKEN


@pytest.mark.parametrize("portal", ["aurelia", "villaverde", "saint-clair"])
def test_every_page_is_reachable_from_the_home_page(portal: str) -> None:
    seen = {PORTALS / portal / "index.html"}
    queue = list(seen)
    while queue:
        path = queue.pop()
        for _url, target in internal_links(portal, path):
            if target.suffix == ".html" and target.is_file() and target not in seen:
                seen.add(target)
                queue.append(target)
    assert seen == set(html_files(portal))


# --- the optional columns, empty URLs, registered codes -----------------------------------------

FULL_HEADER = (
    "id,country,city,population,population_source,population_year,population_scope,"
    "population_verified,portal_url,portal_scope,languages,url_verified,notes\n"
)


def test_optional_columns_are_read_and_stored_with_the_source(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        FULL_HEADER
        + "sgp-singapore,SGP,Singapore,5917648,SingStat,2023,country,unverified,"
        "https://www.gov.sg/,national,en;zh-Hans,unverified,city-state\n",
    )
    [row] = read_seeds(path)
    assert (row.population_year, row.population_scope, row.population_verified) == (2023, "country", False)
    assert row.portal_scope == "national" and row.url_verified is False and row.line == 2
    load(engine, path)
    city = snapshot(engine)["sgp-singapore"]
    assert city["population_source"] == "SingStat, 2023, country"
    assert city["url_verified"] is False


def test_bad_optional_columns_name_row_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        FULL_HEADER
        + "aaa-one,AAA,One,10,src,1850,suburb,maybe,https://one.example/,regional,en,verified,\n"
        + "aaa-two,AAA,Two,10,src,20x0,city proper,verified,https://two.example/,city,en,yes,\n",
    )
    found = problems_of(path)
    assert [(p.row, p.column) for p in found] == [
        (2, "population_year"),
        (2, "population_scope"),
        (2, "population_verified"),
        (2, "portal_scope"),
        (3, "population_year"),
    ]
    assert found[1].reason.startswith('"suburb" is not one of: city proper, municipality')
    assert "1900" in found[0].reason


def test_verified_and_unverified_spellings(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "aaa-one,AAA,One,,,https://one.example/,en,verified\n"
        + "aaa-two,AAA,Two,,,https://two.example/,en,Unverified\n",
    )
    assert [r.url_verified for r in read_seeds(path)] == [True, False]


UNREGISTERED = (
    "is not a registered BCP 47 tag (unknown language, script or region subtag in the IANA registry)"
)


def test_unassigned_country_and_unregistered_language(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "abc-one,ABC,One,,,https://one.example/,en,false\n"  # three letters, but not assigned
        + "xkx-two,XKX,Two,,,https://two.example/,sq;zz,false\n"  # user-assigned: accepted
        + "fra-three,FRA,Three,,,https://three.example/,fr-AB,false\n",
    )
    assert [(p.row, p.column, p.reason) for p in problems_of(path)] == [
        (2, "country", '"ABC" is not an assigned ISO 3166-1 alpha-3 code'),
        (3, "languages", f'"zz" {UNREGISTERED}'),
        (4, "languages", f'"fr-AB" {UNREGISTERED}'),
    ]


def test_a_row_without_a_url_is_read_and_skipped_by_import(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER + AURELIA + "bra-maringa,BRA,Maringá,409657,GeoNames,,pt-BR,unverified\n",
    )
    rows = read_seeds(path)
    assert [r.portal_url for r in rows] == ["http://127.0.0.1:8701/", ""]
    with session_scope(engine) as session:
        result = import_seeds(session, rows)
    assert (result.added, result.skipped) == (1, ("bra-maringa",))
    assert set(snapshot(engine)) == {"xaa-aurelia"}


def test_a_verified_row_needs_a_url(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "bra-maringa,BRA,Maringá,,,,pt-BR,verified\n")
    assert [(p.row, p.column) for p in problems_of(path)] == [(2, "url_verified")]


# --- the shipped LOSI list ------------------------------------------------------------------------

LOSI_CSV = ROOT / "seeds" / "losi-cities.csv"


def test_losi_cities_has_one_city_per_un_member_state() -> None:
    from losi.seedbuild import UN_MEMBER_STATES

    rows = read_seeds(LOSI_CSV)
    assert len(rows) == 193 == len(UN_MEMBER_STATES)
    assert sorted(r.country for r in rows) == sorted(UN_MEMBER_STATES)
    assert "PSE" not in {r.country for r in rows} and "VAT" not in {r.country for r in rows}


def test_losi_cities_never_claims_a_check_it_did_not_make() -> None:
    rows = read_seeds(LOSI_CSV)
    # Written from knowledge, not checked against the live sites or the sources: say so.
    assert not [r.id for r in rows if r.url_verified or r.population_verified]
    assert all(r.portal_url.startswith(("https://", "http://")) for r in rows)
    for row in rows:
        assert row.population and row.population_source and row.population_year, row.id
        assert row.population_scope and row.portal_scope, row.id


def test_losi_cities_marks_city_states_and_small_states() -> None:
    by_country = {r.country: r for r in read_seeds(LOSI_CSV)}
    for code in ("SGP", "MCO"):  # city-states: the national portal is the city's
        assert by_country[code].portal_scope == "national"
        assert by_country[code].population_scope == "country"
    assert by_country["NRU"].portal_scope == "national"  # no cities at all
    assert by_country["BRA"].city == "São Paulo" and by_country["BRA"].portal_scope == "city"
    notes = {row["country"]: row["notes"] for row in csv.DictReader(LOSI_CSV.open(encoding="utf-8"))}
    assert "city-state" in notes["SGP"] and "small" in notes["BRB"]


# --- import is idempotent and keeps what hangs off a city ------------------------------------------


def test_reimporting_an_edited_file_keeps_crawls_proposals_and_decisions(
    engine: Engine, tmp_path: Path
) -> None:
    from storage.models import Crawl, DecisionRow, ProposalRow

    load(engine, DEMO_CSV)
    with session_scope(engine) as session:
        crawl = Crawl(city_id="xaa-aurelia", seed_url="http://127.0.0.1:8701/", status="finished")
        session.add(crawl)
        session.flush()
        proposal = ProposalRow(
            crawl_id=crawl.id, city_id="xaa-aurelia", methodology_id="losi-2024",
            methodology_version="1", indicator_code="234", outcome="present", confidence=0.9,
            detector_id="privacy-policy", detector_version=1, run_id="run-1",
        )
        session.add(proposal)
        session.flush()
        session.add(DecisionRow(
            city_id="xaa-aurelia", methodology_id="losi-2024", indicator_code="234", value=1,
            assessor="a", round="a", proposal_id=proposal.id,
        ))
    edited = write(
        tmp_path,
        HEADER
        + AURELIA.replace("184312", "190000").replace(":8701/", ":8721/")
        + VILLAVERDE
        + SAINT_CLAIR,
    )
    first = load(engine, edited)
    assert (first.added, first.updated, first.unchanged) == (0, 1, 2)
    again = load(engine, edited)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    after = snapshot(engine)
    assert after["xaa-aurelia"]["population"] == 190000
    assert after["xaa-aurelia"]["portal_url"] == "http://127.0.0.1:8721/"
    with session_scope(engine) as session:
        [kept] = session.scalars(select(Crawl)).all()
        assert (kept.city_id, kept.seed_url) == ("xaa-aurelia", "http://127.0.0.1:8701/")
        [p] = session.scalars(select(ProposalRow)).all()
        [d] = session.scalars(select(DecisionRow)).all()
        assert (p.city_id, p.crawl_id, d.proposal_id, d.value) == ("xaa-aurelia", kept.id, p.id, 1)
