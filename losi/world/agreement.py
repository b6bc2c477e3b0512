"""How far the automated detectors agree with the test world's ground truth.

A world is served on 127.0.0.1, crawled by the project's crawler (`losi.cli.crawl_cities`, one
crawler process for every portal, as `losi crawl --all` does), detected by the project's runner
(`losi.cli.detect_crawls` with the indicators of a methodology that are bound to a world feature)
and each proposal is compared with the portal's `features`.

Unlike the generator, this module imports the rest of the project (crawler CLI, storage,
scoring), so `losi.world` itself does not import it.

Counting, per (portal, indicator):

- `present` where the portal has the feature, `absent` where it has not: agreement.
- the opposite claim: disagreement.
- `needs_review`, `not_assessable` or `error`: disagreement, except one case: `not_assessable`
  on a portal whose crawl did not fetch every page of the portal's own structure as HTML (a
  challenge wall, a robots.txt refusal) is the crawl saying honestly that it could not see; that
  portal is left out of that indicator's count, and the table says how many were.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from losi.world.generate import FEATURES, World, WorldSpec, generate
from losi.world.server import serve_world

# world feature -> indicator code in losi-2024 (the methodology binds the code to a detector)
FEATURE_INDICATORS: dict[str, str] = {
    "privacy-policy": "234",
    "mobile-viewport": "204",
    "news": "296",
    "events": "295",
    "contact": "214",
    "search": "206",
    "social-media": "273",
    "open-data": "236",
    "foreign-language": "212",
    "mobile-app": "283",
    "council-meetings": "280",
    "budget": "219",
    "online-payment": "269a",
    "feedback": "271",
    "incident-reporting": "274",
    "job-vacancies": "266",
    "procurement": "220",
    "help-faq": "240",
}
# features with no indicator of their own in LOSI 2024
UNMAPPED: dict[str, str] = {
    "e-services": "LOSI asks for named services (#253-#269), not an 'online services' page",
    "accessibility-statement": "LOSI 2024 has no accessibility-statement indicator (#210 is "
                               "WCAG conformance, measured by axe on a render)",
}

DEFAULT_SPEC = WorldSpec(portals=24, pages=24, hostile=True, seed=5, slow_ms=4_000,
                         huge_bytes=16 * 1024 * 1024)
METHODOLOGY = "losi-2024"
TARGET = 0.95


@dataclass(frozen=True)
class Verdict:
    """One portal, one indicator."""

    slug: str
    language: str
    hostile: str | None
    feature: str
    code: str
    detector: str
    truth: bool
    outcome: str
    seen_all: bool  # the crawl fetched every page of the portal's structure as HTML
    reason: str = ""

    @property
    def counted(self) -> bool:
        return not (self.outcome == "not_assessable" and not self.seen_all)

    @property
    def agrees(self) -> bool:
        return self.outcome == ("present" if self.truth else "absent")


@dataclass(frozen=True)
class Row:
    """Agreement of one detector over a group of portals."""

    key: str
    counted: int
    agreed: int
    excluded: int

    @property
    def share(self) -> float:
        return self.agreed / self.counted if self.counted else 1.0


def features_in_world() -> tuple[str, ...]:
    return tuple(f for f in FEATURES if f in FEATURE_INDICATORS)


@contextmanager
def _archive_dir(path: Path) -> Iterator[None]:
    old = os.environ.get("LOSI_ARCHIVE_DIR")
    os.environ["LOSI_ARCHIVE_DIR"] = str(path)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("LOSI_ARCHIVE_DIR", None)
        else:
            os.environ["LOSI_ARCHIVE_DIR"] = old


def measure(world: World, workdir: Path, *, methodology_id: str = METHODOLOGY,
            max_pages: int | None = None) -> list[Verdict]:
    """Serve, crawl and detect `world` (its database and WARCs under `workdir`) and return one
    verdict per (portal with ground truth, mapped feature)."""
    from sqlalchemy import select

    from losi.cli import CrawlOptions, crawl_cities, detect_crawls
    from scoring.methodology import find_methodology, load_methodology
    from storage.db import make_engine, session_scope, upgrade
    from storage.models import City, Page, ProposalRow

    features = features_in_world()
    full = load_methodology(find_methodology(methodology_id))
    codes = {FEATURE_INDICATORS[f] for f in features}
    methodology = dataclasses.replace(
        full, indicators=tuple(i for i in full.indicators if i.code in codes), checks=())
    detectors = {i.code: i.detector for i in methodology.indicators}
    portals = [p for p in world.portals if p.features]
    pages = max_pages or world.spec.pages + 16  # room for the hostile extras: every page fits
    engine = make_engine(f"sqlite:///{workdir / 'losi.db'}")
    upgrade(engine)
    try:
        with _archive_dir(workdir / "archive"), serve_world(world) as served:
            with session_scope(engine) as session:
                for portal in portals:
                    session.add(City(id=portal.slug, country="XWW", name=portal.name,
                                     portal_url=served[portal.slug],
                                     languages=[portal.language]))
            options = CrawlOptions(max_pages=pages, max_depth=8, max_outbound=0, page_timeout=3,
                                   allow_private=True, fast=True)
            ids = crawl_cities(engine, [p.slug for p in portals], options)
            detect_crawls(engine, ids, methodology)
        verdicts = []
        with session_scope(engine) as session:
            for portal, crawl_id in zip(portals, ids, strict=True):
                base = served[portal.slug].rstrip("/")
                fetched = {p.url.removeprefix(base) for p in session.scalars(
                    select(Page).where(Page.crawl_id == crawl_id, Page.fetch_status == "ok",
                                       Page.content_type.like("text/html%")))}
                seen_all = all(path in fetched for path in portal.html_paths)
                proposals = {p.indicator_code: p for p in session.scalars(
                    select(ProposalRow).where(ProposalRow.crawl_id == crawl_id))}
                for feature in features:
                    code = FEATURE_INDICATORS[feature]
                    proposal = proposals[code]
                    verdicts.append(Verdict(portal.slug, portal.language, portal.hostile, feature,
                                            code, detectors[code], portal.features[feature],
                                            proposal.outcome, seen_all, proposal.reason))
        return verdicts
    finally:
        engine.dispose()


def measure_spec(spec: WorldSpec = DEFAULT_SPEC, workdir: Path | None = None) -> list[Verdict]:
    world = generate(spec)
    if workdir is not None:
        return measure(world, workdir)
    with tempfile.TemporaryDirectory(prefix="losi-agree-") as tmp:
        return measure(world, Path(tmp))


def table(verdicts: Iterable[Verdict], by: str = "detector") -> list[Row]:
    """Agreement per detector (`by="detector"`), or per detector and language (`"language"`)."""
    groups: dict[str, list[Verdict]] = defaultdict(list)
    for v in verdicts:
        key = f"{v.code} {v.detector}" if by == "detector" else f"{v.code} {v.detector} {v.language}"
        groups[key].append(v)
    return [Row(key, sum(v.counted for v in vs), sum(v.counted and v.agrees for v in vs),
                sum(not v.counted for v in vs))
            for key, vs in sorted(groups.items(), key=lambda kv: _code_key(kv[0]))]


def _code_key(key: str) -> tuple[int, str]:
    code = key.split()[0]
    digits = "".join(c for c in code if c.isdigit())
    return int(digits or 0), key


def disagreements(verdicts: Iterable[Verdict]) -> list[Verdict]:
    return [v for v in verdicts if v.counted and not v.agrees]


def format_report(verdicts: Sequence[Verdict]) -> str:
    languages = sorted({v.language for v in verdicts})
    out = [(f"{len({v.slug for v in verdicts})} portals, languages {', '.join(languages)}; "
            f"target {TARGET:.0%} per detector"), ""]
    out.append(f"{'code':<5} {'detector':<20} {'agree':>9} {'share':>6} {'left out':>8}  "
               + " ".join(f"{lang:>5}" for lang in languages))
    per_lang = {r.key: r for r in table(verdicts, by="language")}
    for row in table(verdicts):
        code, detector = row.key.split()
        cells = []
        for lang in languages:
            r = per_lang.get(f"{row.key} {lang}")
            cells.append(f"{r.agreed}/{r.counted}".rjust(5) if r else "    -")
        out.append(f"{code:<5} {detector:<20} {row.agreed:>4}/{row.counted:<4} {row.share:>6.0%} "
                   f"{row.excluded:>8}  " + " ".join(cells))
    total = sum(r.counted for r in table(verdicts))
    agreed = sum(r.agreed for r in table(verdicts))
    out.append(f"{'all':<26} {agreed:>4}/{total:<4} {agreed / total if total else 1:>6.1%}")
    wrong = disagreements(verdicts)
    if wrong:
        out += ["", "disagreements:"]
        out += [f"  {v.slug} {v.code} {v.detector}: truth {'present' if v.truth else 'absent'}, "
                f"got {v.outcome}" + (f" ({v.reason[:100]})" if v.reason else "") for v in wrong]
    left = [v for v in verdicts if not v.counted]
    if left:
        out += ["", "left out (not assessable, the crawl could not fetch every page):"]
        out += [f"  {slug} ({case})" for slug, case in sorted({(v.slug, v.hostile) for v in left},
                                                                 key=lambda s: s[0])]
    return "\n".join(out)
