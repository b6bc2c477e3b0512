"""Re-runs after a detector change: no network at all, new proposals next to the old ones, every
decision kept, and a diff of what flipped and which confirmed decisions are now contradicted."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from scoring.methodology import builtin_dir
from storage.db import make_engine, session_scope
from storage.models import DecisionRow, ProposalRow
from tests.cli.test_cli import losi

# Imported by every Python process started with this folder on PYTHONPATH (the CLI and the
# detection workers it forks): every IPv4/IPv6 connection and name lookup is refused and logged,
# except one: the Nu Html Checker that losi itself starts as a child process on 127.0.0.1 (its
# address is in LOSI_VNU_URL once it runs), which is a pipe to a local program, not the network.
BLOCKER = '''
import os, socket
_LOG = os.environ["LOSI_TEST_SOCKET_LOG"]
def _note(line):
    with open(_LOG, "a") as fh:
        fh.write(line + "\\n")
_note(f"armed {os.getpid()}")
def _checker(host, port):
    return os.environ.get("LOSI_VNU_URL", "") == f"http://{host}:{port}" and host == "127.0.0.1"
_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex
def _guard(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        if _checker(address[0], address[1]):
            return
        _note(f"connect {address!r}")
        raise OSError("network access blocked by the test")
def connect(self, address):
    _guard(self, address)
    return _connect(self, address)
def connect_ex(self, address):
    _guard(self, address)
    return _connect_ex(self, address)
_getaddrinfo = socket.getaddrinfo
def getaddrinfo(host, port=None, *args, **kwargs):
    if _checker(host, port):
        return _getaddrinfo(host, port, *args, **kwargs)
    _note(f"getaddrinfo {host!r} {port!r}")
    raise socket.gaierror("name lookup blocked by the test")
socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = connect, connect_ex, getaddrinfo
'''


@pytest.fixture
def demo_db(tmp_path: Path) -> dict[str, str]:
    env = {"LOSI_DATABASE_URL": f"sqlite:///{tmp_path / 'losi.db'}",
           "LOSI_ARCHIVE_DIR": str(tmp_path / "archive")}
    result = losi("demo", "--no-serve", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    return env


def _changed_detector(tmp_path: Path) -> Path:
    """losi-2024 with one detector changed: #234 (privacy policy) judged by the `https` detector,
    which says absent for Aurelia (served over plain http)."""
    text = (builtin_dir() / "losi-2024.toml").read_text(encoding="utf-8")
    block = re.search(r'\[\[indicator\]\]\ncode = "234"\n(?:.+\n)+?detector = "[^"]+"', text)
    assert block is not None
    changed = re.sub(r'detector = "[^"]+"$', 'detector = "https"', block.group(0))
    path = tmp_path / "losi-2024-changed.toml"
    path.write_text(text.replace(block.group(0), changed), encoding="utf-8")
    return path


def test_a_rerun_is_offline_keeps_decisions_and_reports_what_flipped(
        demo_db: dict[str, str], tmp_path: Path) -> None:
    url = demo_db["LOSI_DATABASE_URL"]
    with session_scope(make_engine(url)) as session:
        session.add(DecisionRow(city_id="xaa-aurelia", methodology_id="losi-2024",
                                indicator_code="234", value=1, assessor="rita",
                                round="reconciled", seq=1, reason="privacy page seen"))
    with session_scope(make_engine(url)) as session:
        before = session.scalar(select(func.count()).select_from(ProposalRow))
        old_234 = session.scalar(select(ProposalRow.outcome).where(
            ProposalRow.city_id == "xaa-aurelia", ProposalRow.indicator_code == "234"))
    assert old_234 == "present"

    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(BLOCKER)
    log = tmp_path / "sockets.log"
    diff_file = tmp_path / "diff.json"
    env = {**demo_db, "PYTHONPATH": f"{blocker}:{Path(__file__).resolve().parents[2]}",
           "LOSI_TEST_SOCKET_LOG": str(log)}
    result = losi("detect", "--all", "--methodology", str(_changed_detector(tmp_path)),
                  "--diff-out", str(diff_file), cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    lines = log.read_text().splitlines()
    assert any(line.startswith("armed") for line in lines)  # the blocker was in place ...
    assert [line for line in lines if not line.startswith("armed")] == []  # ... and never hit

    diff = json.loads(diff_file.read_text(encoding="utf-8"))
    [change] = [c for c in diff["changes"] if c["city_id"] == "xaa-aurelia"
                and c["indicator_code"] == "234"]
    assert (change["old_outcome"], change["new_outcome"]) == ("present", "absent")
    assert change["old_detector"] == "privacy-policy" and change["new_detector"] == "https"
    assert change["contradicts"] and change["decision"] == 1 and change["old_evidence"]
    assert diff["contradicted_decisions"] >= 1
    assert "CONTRADICTED" in result.stdout and "proposals flipped" in result.stdout

    with session_scope(make_engine(url)) as session:
        after = session.scalar(select(func.count()).select_from(ProposalRow))
        decisions = list(session.scalars(select(DecisionRow)))
        runs = session.scalar(select(func.count(func.distinct(ProposalRow.run_id))))
    assert after == 2 * before and runs == 2  # new proposals next to the old ones
    assert [(d.indicator_code, d.value, d.round) for d in decisions] == [("234", 1, "reconciled")]
