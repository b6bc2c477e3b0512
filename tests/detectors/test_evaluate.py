"""losi.evaluate: detectors measured against a labelled set of saved pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from detectors.registry import load_registry
from losi.evaluate import EvalError, evaluate
from scoring.methodology import builtin_dir, load_methodology

registry = load_registry()
methodology = load_methodology(builtin_dir() / "losi-2024.toml")


def write(root: Path) -> Path:
    (root / "a").mkdir()
    (root / "a" / "yes.html").write_text(
        "<html><head><meta name='viewport' content='width=device-width'></head><body>"
        "<footer><a href='/privacy'>Privacy policy</a></footer></body></html>")
    (root / "a" / "no.html").write_text("<html><body><footer><a href='/x'>About</a></footer></body></html>")
    (root / "a" / "wrong.html").write_text("<html><body><a href='/privacy'>Privacy</a></body></html>")
    labels = root / "labels.csv"
    labels.write_text("file,indicator,label\n"
                      "a/yes.html,234,1\na/no.html,234,0\na/wrong.html,234,0\n"
                      "a/yes.html,204,1\na/no.html,204,1\n")
    return labels


def test_counts_precision_and_recall_per_indicator(tmp_path: Path) -> None:
    report = evaluate(write(tmp_path), tmp_path, methodology, registry)
    assert report.to_dict() == {"indicators": {
        "204": {"tp": 1, "fp": 0, "fn": 1, "tn": 0, "precision": 1.0, "recall": 0.5,
                "no_claim": 0, "detector": "mobile-viewport"},
        "234": {"tp": 1, "fp": 1, "fn": 0, "tn": 1, "precision": 0.5, "recall": 1.0,
                "no_claim": 0, "detector": "privacy-policy"},
    }}


def test_bindings_override_the_methodology(tmp_path: Path) -> None:
    report = evaluate(write(tmp_path), tmp_path, methodology, registry,
                      bindings={"204": "privacy-policy"})
    assert report.to_dict()["indicators"]["204"]["detector"] == "privacy-policy"


def test_indicators_bound_to_no_detector_are_left_out(tmp_path: Path) -> None:
    labels = write(tmp_path)
    labels.write_text(labels.read_text() + "a/yes.html,281,1\na/yes.html,999,1\n")
    # 999 is in no methodology; 281 bound to the `manual` placeholder measures nothing.
    report = evaluate(labels, tmp_path, methodology, registry, bindings={"281": "manual"})
    assert not {"281", "999"} & set(report.to_dict()["indicators"])


def test_urls_come_from_a_manifest_next_to_the_labels(tmp_path: Path) -> None:
    labels = write(tmp_path)
    (tmp_path / "MANIFEST.csv").write_text(
        "file,original_url\na/yes.html,https://city.example/page (canonical in page)\n")
    report = evaluate(labels, tmp_path, methodology, registry)
    hosts = {r.file: r.host for r in report.results}
    assert hosts == {"a/yes.html": "city.example", "a/no.html": "a", "a/wrong.html": "a"}


def test_a_needs_review_counts_as_no_claim(tmp_path: Path) -> None:
    (tmp_path / "p.html").write_text("<html><head><meta name='viewport' content='width=1024'></head></html>")
    labels = tmp_path / "l.csv"
    labels.write_text("file,indicator,label,url\np.html,204,1,https://x.example/\n")
    figures = evaluate(labels, tmp_path, methodology, registry).to_dict()["indicators"]["204"]
    assert (figures["no_claim"], figures["recall"], figures["precision"]) == (1, 0.0, None)


def test_a_table_renders(tmp_path: Path) -> None:
    from rich.console import Console

    console = Console(record=True, width=200)
    console.print(evaluate(write(tmp_path), tmp_path, methodology, registry).table())
    assert "privacy-policy" in console.export_text()


@pytest.mark.parametrize("content, message", [
    ("file,label\nx,1\n", "missing column"),
    ("file,indicator,label\nx.html,234,2\n", "label must be 0 or 1"),
    ("file,indicator,label\nmissing.html,234,1\n", "is not in"),
])
def test_a_bad_labels_file_is_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text(content)
    with pytest.raises(EvalError, match=message):
        evaluate(labels, tmp_path, methodology, registry)
