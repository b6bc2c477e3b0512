"""Seed CSV files: validate every row, then upsert the cities they list.

A seed file (`seeds/*.csv`) has one city per row and these columns, in any order:

    id,country,city,population,population_source,portal_url,languages,url_verified

Optional columns, validated when present (docs/seeds.md describes them): `population_year`,
`population_scope`, `population_verified`, `portal_scope`. Any other column (`notes`,
`country_name` ...) is carried for people and ignored.

`portal_url` may be empty: the city is listed but has no portal URL yet (`losi seeds build` writes
such rows). Import skips those rows and says so, since a city without a URL cannot be crawled.

`read_seeds` checks the whole file and reports every problem at once, each with its line number and
column, so a person can fix a file in one pass. `import_seeds` upserts the rows; callers run it in one
transaction (`storage.db.session_scope`) after `read_seeds` has succeeded, so a bad file imports nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urlsplit

from sqlalchemy.orm import Session

from storage.models import City

REQUIRED_COLUMNS = (
    "id",
    "country",
    "city",
    "population",
    "population_source",
    "portal_url",
    "languages",
    "url_verified",
)

_ID_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_COUNTRY_RE = re.compile(r"[A-Z]{3}")
_LANGUAGE_RE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_DIGITS_RE = re.compile(r"[0-9]+")  # not str.isdigit(): that accepts "²" and other Unicode digits
# "verified"/"unverified" read better in a hand-kept file than true/false; both spellings work.
_TRUE = frozenset({"true", "yes", "1", "verified"})
_FALSE = frozenset({"false", "no", "0", "", "unverified"})

OPTIONAL_COLUMNS = ("population_year", "population_scope", "population_verified", "portal_scope")
# What a population figure counts: city-proper and agglomeration figures of one city can differ
# by a factor of ten (City of Sydney 0.2 million, Greater Sydney 5.2 million), so a file says which.
POPULATION_SCOPES = (
    "city proper",
    "municipality",
    "district",
    "province",
    "island",
    "agglomeration",
    "metropolitan area",
    "country",
)
# Which portal is assessed: the city's own, or the national portal its residents use
# (city-states such as Singapore and Monaco, and small states: the 2023 LOSI workshop's cases).
PORTAL_SCOPES = ("city", "national")
_YEAR_RE = re.compile(r"[0-9]{4}")

# cities.population is a 32-bit INTEGER on PostgreSQL; catch an overflow here, with a row number,
# rather than as a driver error halfway through an import.
_MAX_POPULATION = 2**31 - 1


def _country_problem(code: str) -> str | None:
    """Why `code` is not an ISO 3166-1 alpha-3 code, or None when it is one.

    Codes in the ranges ISO 3166 leaves to users (AAA-AAZ, QMA-QZZ, XAA-XZZ, ZZA-ZZZ) are
    accepted: the demo's fictional countries use them.
    """
    if not _COUNTRY_RE.fullmatch(code):
        return f'"{code}" is not an ISO 3166-1 alpha-3 code (three uppercase letters)'
    if code.startswith(("AA", "X", "ZZ")) or (code[0] == "Q" and code[1] >= "M"):
        return None
    import pycountry

    if pycountry.countries.get(alpha_3=code) is None:
        return f'"{code}" is not an assigned ISO 3166-1 alpha-3 code'
    return None


def _language_registered(tag: str) -> bool:
    import langcodes

    return bool(langcodes.tag_is_valid(tag))


def _column_length(name: str) -> int:
    # Read the limits from the model so they cannot drift from the schema (PostgreSQL enforces
    # VARCHAR lengths, SQLite does not, so an unchecked value would only fail on one of them).
    return int(City.__table__.c[name].type.length)


_MAX_LENGTH = {
    "id": _column_length("id"),
    "city": _column_length("name"),
    "population_source": _column_length("population_source"),
    "portal_url": _column_length("portal_url"),
}


@dataclass(frozen=True)
class SeedRow:
    """One validated city of a seed file."""

    id: str
    country: str
    city: str
    population: int | None
    population_source: str
    portal_url: str  # "" when the file does not know the portal yet
    languages: tuple[str, ...]
    url_verified: bool
    line: int = 0  # where the row starts in its file
    population_year: int | None = None
    population_scope: str = ""
    population_verified: bool | None = None
    portal_scope: str = ""

    @property
    def source_text(self) -> str:
        """The population source as stored: the source, then the year and scope when given."""
        parts = [self.population_source] if self.population_source else []
        if self.population_year is not None:
            parts.append(str(self.population_year))
        if self.population_scope:
            parts.append(self.population_scope)
        return ", ".join(parts)


@dataclass(frozen=True)
class SeedProblem:
    """One thing wrong with a seed file.

    `row` is the line number in the file (the header is line 1; 0 means the file as a whole) and
    `column` is empty when the problem is not about one column.
    """

    row: int
    column: str
    reason: str


class SeedError(ValueError):
    """A seed file that cannot be imported; `problems` lists everything found wrong with it."""

    def __init__(self, path: Path | str, problems: Sequence[SeedProblem]) -> None:
        self.path = str(path)
        self.problems = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        return "\n".join(self._line(p) for p in self.problems)

    def _line(self, problem: SeedProblem) -> str:
        if problem.row == 0:
            return f"{self.path}: {problem.reason}"
        if not problem.column:
            return f"{self.path}: row {problem.row}: {problem.reason}"
        return f"{self.path}: row {problem.row}, column {problem.column}: {problem.reason}"

    def __str__(self) -> str:
        return self._message()


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int
    skipped: tuple[str, ...] = ()  # ids of rows without a portal URL, not imported


def read_seeds(path: Path | str) -> list[SeedRow]:
    """Read and validate a seed CSV; raise `SeedError` listing every problem if any row is bad."""
    rows, problems = parse_seeds(path)
    if problems:
        raise SeedError(path, problems)
    return rows


def parse_seeds(path: Path | str) -> tuple[list[SeedRow], list[SeedProblem]]:
    """Every valid row and every problem of a seed CSV (for `losi seeds check`, which reports
    problems and still checks the valid rows). A file that cannot be read as a seed file at all
    (missing, not UTF-8, bad header) raises `SeedError`."""
    path = Path(path)
    text = _read_text(path)
    # newline="" hands line endings to the csv module, which needs them for quoted multi-line fields.
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise SeedError(path, [SeedProblem(1, "", f"not a valid CSV file: {exc}")]) from None
    if not header or not any(cell.strip() for cell in header):
        raise SeedError(path, [SeedProblem(0, "", "is empty: expected a header row on line 1")])
    columns = [cell.strip() for cell in header]
    _check_header(path, columns)

    problems: list[SeedProblem] = []
    rows: list[SeedRow] = []
    seen_ids: dict[str, int] = {}
    seen_urls: dict[tuple[str, ...], tuple[int, str]] = {}
    last_line = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            # The csv module cannot resynchronise after a malformed record; report it and stop.
            problems.append(SeedProblem(last_line + 1, "", f"not a valid CSV record: {exc}"))
            break
        # A record may span several lines (quoted newlines): report the line it starts on.
        line, last_line = last_line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # blank line
        if len(cells) != len(columns):
            problems.append(
                SeedProblem(line, "", f"has {len(cells)} fields, the header has {len(columns)}")
            )
            continue
        record = {name: cell.strip() for name, cell in zip(columns, cells)}
        row = _validate(line, record, problems, seen_ids, seen_urls)
        if row is not None:
            rows.append(row)
    return rows, problems


def import_seeds(session: Session, rows: Iterable[SeedRow]) -> ImportResult:
    """Insert or update one `City` per row, keyed by id; cities not in `rows` are left alone.

    Only the city's own columns change: its crawls, proposals and decisions point at the id and
    stay attached, so re-importing an edited file is safe. A row without a portal URL is skipped
    (a city with no URL cannot be crawled), and a city already stored keeps its URL.

    Uses `session.get` then add or update, not a dialect's ON CONFLICT, so it behaves the same on
    SQLite and PostgreSQL. The caller owns the transaction.
    """
    rows = list(rows)
    ids = [row.id for row in rows]
    if len(set(ids)) != len(ids):
        # read_seeds never yields this; rows built by hand could, and the second would silently win.
        raise ValueError("import_seeds: rows contain the same id more than once")

    added = updated = unchanged = 0
    skipped: list[str] = []
    for row in rows:
        if not row.portal_url:
            skipped.append(row.id)
            continue
        values = _city_values(row)
        city = session.get(City, row.id)
        if city is None:
            session.add(City(id=row.id, **values))
            added += 1
            continue
        changed = {name: value for name, value in values.items() if getattr(city, name) != value}
        if changed:
            for name, value in changed.items():
                setattr(city, name, value)
            updated += 1
        else:
            unchanged += 1  # untouched, so updated_at keeps recording the last real change
    session.flush()  # surface database errors here, inside the caller's transaction
    return ImportResult(added=added, updated=updated, unchanged=unchanged, skipped=tuple(skipped))


def _city_values(row: SeedRow) -> dict[str, Any]:
    return {
        "country": row.country,
        "name": row.city,
        "population": row.population,
        "population_source": row.source_text,
        "portal_url": row.portal_url,
        "languages": list(row.languages),
        "url_verified": row.url_verified,
    }


def _read_text(path: Path) -> str:
    def fail(reason: str) -> SeedError:
        return SeedError(path, [SeedProblem(0, "", reason)])

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail("file not found") from None
    except IsADirectoryError:
        raise fail("is a directory, not a CSV file") from None
    except OSError as exc:
        raise fail(f"cannot be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")  # -sig: spreadsheet programs often write a BOM
    except UnicodeDecodeError as exc:
        raise fail(f"not a UTF-8 CSV file (undecodable byte at offset {exc.start})") from None
    if "\x00" in text:
        raise fail("not a CSV file (contains NUL bytes)")
    return text


def _check_header(path: Path, columns: list[str]) -> None:
    problems: list[SeedProblem] = []
    duplicated = sorted({name for name in columns if name and columns.count(name) > 1})
    if duplicated:
        problems.append(SeedProblem(1, "", f"header repeats columns: {', '.join(duplicated)}"))
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        problems.append(SeedProblem(1, "", f"missing required columns: {', '.join(missing)}"))
    if problems:
        # Without the right columns the rows cannot be read meaningfully: report the header only.
        raise SeedError(path, problems)


def _validate(
    line: int,
    record: dict[str, str],
    problems: list[SeedProblem],
    seen_ids: dict[str, int],
    seen_urls: dict[tuple[str, ...], tuple[int, str]],
) -> SeedRow | None:
    before = len(problems)

    def problem(column: str, reason: str) -> None:
        problems.append(SeedProblem(line, column, reason))

    def too_long(column: str) -> bool:
        limit = _MAX_LENGTH[column]
        if len(record[column]) > limit:
            problem(column, f"is longer than {limit} characters")
            return True
        return False

    city_id = record["id"]
    if not city_id:
        problem("id", "is empty")
    elif not _ID_RE.fullmatch(city_id):
        problem(
            "id",
            f'"{city_id}" is not a lowercase slug (a-z, 0-9 and single hyphens, e.g. "bra-sao-paulo")',
        )
    elif not too_long("id"):
        if city_id in seen_ids:
            problem("id", f'duplicate id "{city_id}" (first on row {seen_ids[city_id]})')
        else:
            seen_ids[city_id] = line

    country = record["country"]
    if not country:
        problem("country", "is empty")
    else:
        country_reason = _country_problem(country)
        if country_reason:
            problem("country", country_reason)

    if not record["city"]:
        problem("city", "is empty")
    else:
        too_long("city")

    population: int | None = None
    raw_population = record["population"]
    if raw_population:
        if not _DIGITS_RE.fullmatch(raw_population):
            problem(
                "population",
                f'"{raw_population}" is not a non-negative integer (plain digits, no separators)',
            )
        elif int(raw_population) > _MAX_POPULATION:
            problem("population", f'"{raw_population}" is too large')
        else:
            population = int(raw_population)

    if not too_long("population_source"):
        source_length = len(", ".join(
            v for v in (record["population_source"], record.get("population_year", ""),
                        record.get("population_scope", "")) if v
        ))
        if source_length > _MAX_LENGTH["population_source"]:
            problem(
                "population_source",
                f"with the year and scope is longer than {_MAX_LENGTH['population_source']} "
                "characters",
            )

    population_year = _year(record.get("population_year", ""), problem)
    population_scope = _choice(record, "population_scope", POPULATION_SCOPES, problem)
    population_verified = _verified(record, "population_verified", problem)
    portal_scope = _choice(record, "portal_scope", PORTAL_SCOPES, problem)

    portal_url = record["portal_url"]
    url_reason = _url_problem(portal_url) if portal_url else None
    if url_reason:
        problem("portal_url", url_reason)
    elif not portal_url:
        pass  # no portal known yet: allowed, and import skips the row
    elif not too_long("portal_url"):
        key = _url_key(urlsplit(portal_url))
        if key in seen_urls:
            first_line, first_id = seen_urls[key]
            problem(
                "portal_url",
                f'"{portal_url}" is already the portal of row {first_line} (id "{first_id}")',
            )
        else:
            seen_urls[key] = (line, city_id)

    languages = _languages(record["languages"], problem)

    verified_text = record["url_verified"].lower()
    if verified_text not in _TRUE | _FALSE:
        problem(
            "url_verified",
            f'"{record["url_verified"]}" is not one of verified, unverified, true, false, yes, '
            "no, 1, 0 (or empty)",
        )
    elif verified_text in _TRUE and not portal_url:
        problem("url_verified", "says verified, but portal_url is empty")

    if len(problems) > before:
        return None
    return SeedRow(
        id=city_id,
        country=country,
        city=record["city"],
        population=population,
        population_source=record["population_source"],
        portal_url=portal_url,
        languages=languages,
        url_verified=verified_text in _TRUE,
        line=line,
        population_year=population_year,
        population_scope=population_scope,
        population_verified=population_verified,
        portal_scope=portal_scope,
    )


def _year(text: str, problem: Callable[[str, str], None]) -> int | None:
    if not text:
        return None
    this_year = datetime.date.today().year
    if not _YEAR_RE.fullmatch(text) or not 1900 <= int(text) <= this_year:
        problem("population_year", f'"{text}" is not a year between 1900 and {this_year}')
        return None
    return int(text)


def _choice(
    record: dict[str, str], column: str, allowed: Sequence[str], problem: Callable[[str, str], None]
) -> str:
    text = record.get(column, "")
    if text and text not in allowed:
        problem(column, f'"{text}" is not one of: {", ".join(allowed)}')
        return ""
    return text


def _verified(
    record: dict[str, str], column: str, problem: Callable[[str, str], None]
) -> bool | None:
    text = record.get(column, "").lower()
    if not text:
        return None
    if text not in _TRUE | _FALSE:
        problem(column, f'"{record[column]}" is not one of verified, unverified, true, false')
        return None
    return text in _TRUE


def _url_problem(url: str) -> str | None:
    """Why `url` is not an absolute http(s) URL with a host, or None if it is one."""
    if not url:
        return "is empty"
    if any(ch.isspace() for ch in url):
        return f'"{url}" contains whitespace'
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return f'"{url}" is not an http(s) URL'
    try:
        host = parts.hostname
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number in range
    except ValueError:
        return f'"{url}" has an invalid host or port'
    if not host:
        return f'"{url}" has no host'
    return None


def _url_key(parts: SplitResult) -> tuple[str, ...]:
    # Two spellings of one portal ("HTTP://Example.org" and "http://example.org/") are one portal.
    scheme = parts.scheme.lower()
    default_port = {"http": 80, "https": 443}[scheme]
    port = parts.port or default_port
    return (scheme, (parts.hostname or "").rstrip("."), str(port), parts.path or "/", parts.query)


def _languages(text: str, problem: Callable[[str, str], None]) -> tuple[str, ...]:
    if not text:
        problem("languages", 'is empty (give at least one BCP 47 tag, e.g. "en")')
        return ()
    tags: list[str] = []
    for tag in (part.strip() for part in text.split(";")):
        if not tag:
            problem("languages", f'"{text}" has an empty tag (check the semicolons)')
        elif not _LANGUAGE_RE.fullmatch(tag):
            problem(
                "languages",
                f'"{tag}" is not a BCP 47 language tag (e.g. "en", "pt-BR", "zh-Hant")',
            )
        elif not _language_registered(tag):
            problem(
                "languages",
                f'"{tag}" is not a registered BCP 47 tag (unknown language, script or region '
                "subtag in the IANA registry)",
            )
        elif tag in tags:
            problem("languages", f'"{tag}" is listed twice')
        else:
            tags.append(tag)
    return tuple(tags)
