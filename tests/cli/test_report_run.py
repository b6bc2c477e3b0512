"""What `losi detect` prints after a run: every proposal for a few cities, the summary for many."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from sqlalchemy import Engine

import losi.cli as cli
from storage.db import session_scope
from storage.models import City, Crawl, ProposalRow
from tests.scoring.test_results_export import METHODOLOGY


def _run(engine: Engine, cities: int) -> str:
    with session_scope(engine) as session:
        for n in range(cities):
            city_id = f"c{n:02d}"
            session.add(City(id=city_id, country="XWW", name=f"City {n}",
                             portal_url=f"https://{city_id}.example/", languages=["en"]))
            crawl = Crawl(city_id=city_id, seed_url=f"https://{city_id}.example/",
                          status="finished", stats={"pages": {"ok": 9, "http_error": 1}})
            session.add(crawl)
            session.flush()
            for k, indicator in enumerate(METHODOLOGY.indicators):
                session.add(ProposalRow(
                    crawl_id=crawl.id, city_id=city_id, methodology_id=METHODOLOGY.id,
                    methodology_version=METHODOLOGY.version, indicator_code=indicator.code,
                    outcome="present" if k % 2 else "absent", confidence=0.9, detector_id="x",
                    detector_version=1, run_id="run1", reason="nothing found",
                    evidence=[{"page_url": f"https://{city_id}.example/p{k}", "locator": "",
                               "text": "seen", "explanation": "seen"}]))
    return "run1"


@pytest.mark.parametrize("cities, detailed", [(2, True), (cli.DETAIL_CITIES + 1, False)])
def test_detect_lists_proposals_for_a_few_cities_and_sums_up_many(
        engine: Engine, monkeypatch: pytest.MonkeyPatch, cities: int, detailed: bool) -> None:
    printed = io.StringIO()
    monkeypatch.setattr(cli, "out", Console(file=printed, width=240))
    cli.report_run(engine, _run(engine, cities), METHODOLOGY)
    text = printed.getvalue()
    assert ("crawl 1 of https://c00.example/" in text) is detailed
    assert ("https://c00.example/p1" in text) is detailed  # the evidence of a present proposal
    assert all(f"c{n:02d}" in text for n in range(cities))  # every city in the summary
    assert "9/10" in text and text.count("(provisional)") == cities
    assert ("cities or fewer are detected (--city)" in text) is not detailed
