"""`losi decide`: decisions from the command line by the review app's rules, then a final score."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine, select

from review.auth import add_user
from review.queue import assign
from scoring.methodology import builtin_dir, load_methodology
from storage.db import session_scope
from storage.models import City, Crawl, DecisionRow, ProposalRow

M = load_methodology(builtin_dir() / "losi-2024.toml")
CITY = "xaa-aurelia"
OUTCOMES = {"234": "present", "214": "present", "273": "absent", "206": "needs_review"}


def _world(engine: Engine) -> None:
    with session_scope(engine) as s:
        s.add(City(id=CITY, country="XAA", name="Aurelia", portal_url="https://a.example/",
                   languages=["en"]))
        crawl = Crawl(city_id=CITY, seed_url="https://a.example/", status="finished")
        s.add(crawl)
        s.flush()
        for code, outcome in OUTCOMES.items():
            s.add(ProposalRow(crawl_id=crawl.id, city_id=CITY, methodology_id=M.id,
                              methodology_version=M.version, indicator_code=code, outcome=outcome,
                              confidence=0.9, detector_id="x", detector_version=1, run_id="r1"))
        users = {n: add_user(s, n, r, "correct horse battery")
                 for n, r in (("ana", "assessor"), ("ben", "assessor"), ("rita", "reviewer"),
                              ("carl", "assessor"))}
        assign(s, CITY, M.id, users["ana"], users["ben"], users["rita"], by="coord")


def _losi(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(Path(sys.executable).with_name("losi")), *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_decide_confirms_reconciles_and_scores(engine: Engine) -> None:
    _world(engine)
    env = {**os.environ, "COLUMNS": "200",
           "LOSI_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    done = _losi(env, "decide", CITY, "--as", "ana", "--confirm-claims")
    assert done.returncode == 0, done.stderr
    assert "3 decisions recorded by ana" in done.stdout
    # ben disagrees on #273 (the detector said absent): an override needs a reason
    refused = _losi(env, "decide", CITY, "273", "1", "--as", "ben")
    assert refused.returncode == 2 and "needs a comment" in refused.stderr
    assert _losi(env, "decide", CITY, "273", "1", "--as", "ben", "--reason",
                 "the footer links to Facebook").returncode == 0
    assert _losi(env, "decide", CITY, "--as", "ben", "--confirm-claims").returncode == 0
    reconciled = _losi(env, "decide", CITY, "--as", "rita", "--reconcile-agreements")
    assert reconciled.returncode == 0, reconciled.stderr
    assert "2 decisions recorded by rita" in reconciled.stdout
    assert "1 disagreements" in reconciled.stdout
    # the disagreement, reconciled one by one with a reason
    assert _losi(env, "decide", CITY, "273", "1", "--as", "rita", "--reason",
                 "seen in the footer").returncode == 0

    stranger = _losi(env, "decide", CITY, "234", "1", "--as", "carl")
    assert stranger.returncode == 2 and "not assigned" in stranger.stderr
    assert _losi(env, "decide", CITY, "--as", "nobody", "--confirm-claims").returncode == 2

    with session_scope(engine) as s:
        rows = list(s.scalars(select(DecisionRow).order_by(DecisionRow.id)))
    final = {r.indicator_code: r.value for r in rows if r.round == "reconciled"}
    assert final == {"234": 1, "214": 1, "273": 1}
    assert all(r.proposal_id is not None for r in rows)  # each names the proposal seen
    score = _losi(env, "score")
    assert score.returncode == 0 and "0.0313" in score.stdout  # 3/96, rounded half up
