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
- Two kinds of feature accept a second answer where the portal lacks them (`ACCEPTED`): one that
  lives on a page only another feature has (advanced search on the search page, metadata on the
  open-data page), where the detector may also say `not_assessable` because that page cannot be
  there; and the site map, where every world portal serves an XML sitemap (the crawler's
  coverage check relies on it) and the detector leaves an XML-only portal to a person
  (`needs_review`) by design.

The crawl goes one hop to other sites (`max_outbound`), through the world's proxy
(`ServedWorld.proxy`): the national portals' service pages and open-data catalogues the world
serves answer, every other host is unreachable, and nothing leaves the machine. The portals
themselves are reached through it too, by their host names (`DEFAULT_SPEC.host_names`, which
the official-portal indicator #281 reads; a world served on 127.0.0.1 leaves #281 out). It
renders one page per portal in Chromium (`RENDER_PAGES`): the home page, whose axe-core results
`wcag-conformance` (#210) reads; nothing else is rendered, a render costing about 3 CPU s.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from losi.world import extras
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
    # the newer features (losi/world/extras.py)
    "e-id": "245",
    "live-chat": "270a",
    "ai-chatbot": "270b",
    "helpdesk-phone": "288",
    "satisfaction-survey": "293",
    "advanced-search": "207",
    "sitemap": "205",
    "open-data-metadata": "237",
    "department-heads": "216",
    "emergency-section": "290",
    "participatory-budgeting": "275",
    "free-wifi": "225a",
    "gis-maps": "WS1",  # a workshop proposal: losi-2024-workshop binds it
    "service-police-report": "253",
    "service-building-permit": "255",
    "service-business-licence": "257",
    "service-birth-certificate": "259",
    "service-driving-licence": "254",
    "service-environmental-permit": "256",
    "service-residence-permit": "258",
    "service-death-certificate": "260",
    "service-marriage-certificate": "261",
    "service-address-change": "262",
    "service-land-registration": "263",
    "service-vehicle-registration": "264",
    "service-tax-filing": "268",
    "service-fine-payment": "269b",
    "service-water-bill": "286",
    "service-energy-bill": "287",
    # information sections (extras.INFO_SECTIONS)
    "health-information": "226",
    "environment-information": "227",
    "education-information": "228",
    "social-welfare": "229",
    "public-transport": "282",
    "organisational-chart": "215",
    "procurement-awards": "221",
    "usage-statistics": "289",
    "e-participation": "277",
    "consultation-outcomes": "278",
    "valid-markup": "208",
    "valid-css": "209",
    "wcag-aa": "210",  # axe-core on the home page's render (RENDER_PAGES)
    "e-procurement": "265",
    "fresh-content": "WS5",  # a workshop proposal: losi-2024-workshop binds it
    "personal-account": "246",
    "personal-data-update": "247",
    "municipality-information": "217",
    "official-portal": "281",  # read from the host name: worlds served with host_names only
    "messaging-service": "WS4",  # a workshop proposal: losi-2024-workshop binds it
    "service-information": "222",  # every portal has it: measured where present only
}
# the single pages of the fourth part, registered by their modules (extras.PAGES)
FEATURE_INDICATORS.update({feature: code for feature, (_, code, _) in extras.PAGES.items()})
# Answers that also agree where a portal lacks the feature (see the module docstring):
# feature -> (the other feature whose absence allows it, or None for every portal, outcome)
ACCEPTED: dict[str, tuple[str | None, str]] = {
    "advanced-search": ("search", "not_assessable"),
    "open-data-metadata": ("open-data", "not_assessable"),
    "sitemap": (None, "needs_review"),
}
# features every world portal has, so measured where present only (recall, not precision)
EVERY_PORTAL: dict[str, str] = {
    "service-information": "every portal has its services section (docs/world.md)",
}
# features with no indicator of their own in LOSI 2024
UNMAPPED: dict[str, str] = {
    "e-services": "LOSI asks for named services (#253-#269), not an 'online services' page",
    "accessibility-statement": "LOSI 2024 has no accessibility-statement indicator (#210 is "
                               "WCAG conformance, measured by axe on a render)",
}

# host names: the official-portal feature (#281) is read from the portal's address
DEFAULT_SPEC = WorldSpec(portals=24, pages=24, hostile=True, seed=5, slow_ms=4_000,
                         huge_bytes=16 * 1024 * 1024, host_names=True)
# losi-2024 and the 2023 workshop's proposals (WS1 GIS maps), which extends it unchanged
METHODOLOGY = "losi-2024-workshop"
TARGET = 0.95
# pages on other sites per portal, one hop: room for every other site a world portal links to
# (social networks, app stores, e-ID providers and share buttons fail fast at the proxy)
MAX_OUTBOUND = 60
# pages rendered in Chromium per portal: the home page, whose axe-core results #210 reads
# (the crawl renders nothing else; each render is about 3 CPU s)
RENDER_PAGES = 1


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
    accepted: tuple[str, ...] = ()  # outcomes that also agree here (ACCEPTED)

    @property
    def counted(self) -> bool:
        # an accepted not_assessable (ACCEPTED) is an agreement, seen whole or not
        return not (self.outcome == "not_assessable" and not self.seen_all and not self.agrees)

    @property
    def agrees(self) -> bool:
        return self.outcome == ("present" if self.truth else "absent") or (
            not self.truth and self.outcome in self.accepted)


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
def _environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the block (the crawler process inherits them)."""
    old = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _accepted(feature: str, features: Mapping[str, bool]) -> tuple[str, ...]:
    if feature not in ACCEPTED:
        return ()
    base, outcome = ACCEPTED[feature]
    return (outcome,) if base is None or not features[base] else ()


def measure(world: World, workdir: Path, *, methodology_id: str = METHODOLOGY,
            max_pages: int | None = None) -> list[Verdict]:
    """Serve, crawl and detect `world` (its database and WARCs under `workdir`) and return one
    verdict per (portal with ground truth, mapped feature)."""
    from sqlalchemy import select

    from losi.cli import CrawlOptions, crawl_cities, detect_crawls
    from scoring.methodology import find_methodology, load_methodology
    from storage.db import make_engine, session_scope, upgrade
    from storage.models import City, Page, ProposalRow

    # the official portal is read from the host name: a world on 127.0.0.1 has no truth for it
    features = tuple(f for f in features_in_world()
                     if world.spec.host_names or f != "official-portal")
    full = load_methodology(find_methodology(methodology_id))
    codes = {FEATURE_INDICATORS[f] for f in features}
    methodology = dataclasses.replace(
        full, indicators=tuple(i for i in full.indicators if i.code in codes), checks=())
    detectors = {i.code: i.detector for i in methodology.indicators}
    portals = [p for p in world.portals if p.features]
    # room for the hostile extras (and for portals whose single pages exceed spec.pages, see
    # generate._MIN_ITEMS): every page fits
    pages = max_pages or max(world.spec.pages,
                             *(len(p.html_paths) for p in world.portals)) + 16
    engine = make_engine(f"sqlite:///{workdir / 'losi.db'}")
    upgrade(engine)
    try:
        with serve_world(world) as served, _environment(
                {"LOSI_ARCHIVE_DIR": str(workdir / "archive"), **served.proxy_environment()}):
            with session_scope(engine) as session:
                for portal in portals:
                    session.add(City(id=portal.slug, country="XWW", name=portal.name,
                                     portal_url=served[portal.slug],
                                     languages=[portal.language]))
            # one hop to other sites: the world's proxy answers for the ones it serves
            options = CrawlOptions(max_pages=pages, max_depth=8, max_outbound=MAX_OUTBOUND,
                                   render_pages=RENDER_PAGES, page_timeout=3,
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
                                            proposal.outcome, seen_all, proposal.reason,
                                            _accepted(feature, portal.features)))
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
    # LOSI codes (#201-#299) first, then other methodologies' own (the workshop's WS1...)
    return int(digits or 0) + (0 if code[:1].isdigit() else 10_000), key


def disagreements(verdicts: Iterable[Verdict]) -> list[Verdict]:
    return [v for v in verdicts if v.counted and not v.agrees]


def format_report(verdicts: Sequence[Verdict]) -> str:
    languages = sorted({v.language for v in verdicts})
    out = [(f"{len({v.slug for v in verdicts})} portals, languages {', '.join(languages)}; "
            f"target {TARGET:.0%} per detector"), ""]
    out.append(f"{'code':<5} {'detector':<28} {'agree':>9} {'share':>6} {'left out':>8}  "
               + " ".join(f"{lang:>5}" for lang in languages))
    per_lang = {r.key: r for r in table(verdicts, by="language")}
    for row in table(verdicts):
        code, detector = row.key.split()
        cells = []
        for lang in languages:
            r = per_lang.get(f"{row.key} {lang}")
            cells.append(f"{r.agreed}/{r.counted}".rjust(5) if r else "    -")
        out.append(f"{code:<5} {detector:<28} {row.agreed:>4}/{row.counted:<4} {row.share:>6.0%} "
                   f"{row.excluded:>8}  " + " ".join(cells))
    total = sum(r.counted for r in table(verdicts))
    agreed = sum(r.agreed for r in table(verdicts))
    out.append(f"{'all':<34} {agreed:>4}/{total:<4} {agreed / total if total else 1:>6.1%}")
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
