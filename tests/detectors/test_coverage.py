"""docs/coverage.md is generated from the registry: regenerate it and compare, so it cannot go
stale (regenerate with `.venv/bin/python -m tests.detectors.coverage > docs/coverage.md`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.detectors import coverage

DOC = Path(__file__).resolve().parents[2] / "docs" / "coverage.md"


@pytest.mark.skipif(not (coverage.CORPUS / "labels.csv").is_file(),
                    reason="the measured columns need ../shared/corpus (CI has it)")
def test_the_committed_coverage_table_is_current() -> None:
    assert DOC.read_text("utf-8") == coverage.render(), (
        "docs/coverage.md is stale: run .venv/bin/python -m tests.detectors.coverage > "
        "docs/coverage.md")


def test_every_indicator_of_losi_2024_has_a_real_detector_or_assist() -> None:
    text = coverage.render()
    assert "0 on the bare `manual` placeholder" in text
    assert "| `manual` |" not in text
