"""Scoring: exact points over the denominator, published rounding, levels, provisional values."""

from __future__ import annotations

from fractions import Fraction

import pytest

from losi.types import Outcome
from scoring.methodology import builtin_dir, load_methodology
from scoring.score import level_for, provisional_values, round_half_up, score


@pytest.fixture(scope="module")
def losi2024():
    return load_methodology(builtin_dir() / "losi-2024.toml")


def values_with(methodology, points: int) -> dict[str, int]:
    """The first `points` indicators present, the rest absent."""
    return {code: int(n < points) for n, code in enumerate(methodology.codes)}


def test_copenhagen_like_87_of_96_is_0_9063(losi2024):
    assert score(values_with(losi2024, 87), losi2024).value == 0.9063


def test_copenhagen_like_87_of_96_is_very_high(losi2024):
    assert score(values_with(losi2024, 87), losi2024).level == "very_high"


def test_exact_fraction_is_kept(losi2024):
    assert score(values_with(losi2024, 87), losi2024).exact == Fraction(87, 96)


@pytest.mark.parametrize(
    ("points", "published"),
    [(85, 0.8854), (84, 0.8750), (82, 0.8542), (81, 0.8438), (78, 0.8125), (76, 0.7917),
     (75, 0.7813)],
)
def test_published_2024_values_round_half_up(losi2024, points, published):
    assert score(values_with(losi2024, points), losi2024).value == published


@pytest.mark.parametrize(
    ("points", "level"),
    [(95, "very_high"), (73, "very_high"), (72, "high"), (49, "high"), (48, "high"),
     (47, "middle"), (24, "middle"), (23, "low"), (0, "low")],
)
def test_levels_at_boundaries(losi2024, points, level):
    assert score(values_with(losi2024, points), losi2024).level == level


@pytest.mark.parametrize(
    ("value", "level"),
    [(1.0, "very_high"), (0.7501, "very_high"), (0.75, "high"), (0.5, "high"),
     (0.4999, "middle"), (0.25, "middle"), (0.2499, "low"), (0.0, "low")],
)
def test_level_for_values(losi2024, value, level):
    assert level_for(value, losi2024).name == level


def test_level_for_outside_unit_interval_raises(losi2024):
    with pytest.raises(ValueError):
        level_for(1.01, losi2024)


def test_round_half_up_differs_from_round():
    assert (round_half_up(Fraction(87, 96), 4), round(87 / 96, 4)) == (0.9063, 0.9062)


def test_all_present_scores_95_of_96(losi2024):
    result = score(values_with(losi2024, 95), losi2024)
    assert (result.points, result.denominator, result.value) == (95, 96, 0.9896)


def test_criterion_sub_scores_have_points_and_max(losi2024):
    result = score(values_with(losi2024, 95), losi2024)
    assert {c.criterion: (c.points, c.max_points) for c in result.criteria} == {
        "IF": (6, 6), "CP": (30, 30), "SP": (22, 22), "PE": (15, 15), "EGL": (10, 10),
        "TEC": (12, 12),
    }


def test_sub_score_counts_only_its_criterion(losi2024):
    result = score({"234": 1, "204": 0}, losi2024)
    egl = next(c for c in result.criteria if c.criterion == "EGL")
    assert (egl.points, egl.max_points, egl.published) == (1, 10, False)


def test_missing_lists_codes_without_value(losi2024):
    values = values_with(losi2024, 95)
    del values["234"]
    assert score(values, losi2024).missing == ("234",)


def test_empty_values_are_all_missing_and_low(losi2024):
    result = score({}, losi2024)
    assert (len(result.missing), result.points, result.level) == (95, 0, "low")


def test_final_score_is_not_provisional(losi2024):
    assert score({}, losi2024).provisional is False


def test_unknown_code_raises(losi2024):
    with pytest.raises(ValueError, match="999"):
        score({"999": 1}, losi2024)


def test_check_id_is_never_scored(losi2024):
    with pytest.raises(ValueError, match="never scored"):
        score({"https": 1}, losi2024)


@pytest.mark.parametrize("bad", [2, -1, True, 0.5])
def test_value_must_be_zero_or_one(losi2024, bad):
    with pytest.raises(ValueError, match="234"):
        score({"234": bad}, losi2024)


def test_to_dict_shows_published_value(losi2024):
    data = score(values_with(losi2024, 87), losi2024).to_dict()
    assert (data["points"], data["denominator"], data["value"], data["exact"]) == (
        87, 96, 0.9063, "29/32")


# ---- provisional values from proposals --------------------------------------------------------

OUTCOMES = {
    "234": "present",
    "204": "absent",
    "206": "not_assessable",
    "240": "needs_review",
    "205": "error",
}


def test_provisional_values_keep_only_claims():
    assert provisional_values(OUTCOMES) == {"234": 1, "204": 0}


def test_provisional_values_accept_outcome_enums():
    assert provisional_values({"234": Outcome.PRESENT, "206": Outcome.NOT_ASSESSABLE}) == {"234": 1}


def test_not_assessable_is_missing_not_absent(losi2024):
    result = score(provisional_values(OUTCOMES), losi2024, provisional=True)
    assert ("206" in result.missing, "240" in result.missing, "205" in result.missing) == (
        True, True, True)


def test_provisional_score_is_labelled(losi2024):
    assert score(provisional_values(OUTCOMES), losi2024, provisional=True).provisional is True


def test_provisional_score_counts_present(losi2024):
    assert score(provisional_values(OUTCOMES), losi2024, provisional=True).points == 1


# ---- weights ----------------------------------------------------------------------------------

WEIGHTED = """\
[methodology]
id = "weighted"
version = "1"
title = "Weighted"
edition = 2024
denominator = 2

[[level]]
name = "all"
label = "All"
min = 0.0

[[criterion]]
id = "X"
name = "X"

[[indicator]]
code = "a"
criterion = "X"
name = "A"
question = "A?"
how_checked = "Look."
weight = 1.5
detector = "manual"

[[indicator]]
code = "b"
criterion = "X"
name = "B"
question = "B?"
how_checked = "Look."
weight = 0
detector = "manual"
"""


def test_weights_and_unscored_indicators(tmp_path):
    path = tmp_path / "weighted.toml"
    path.write_text(WEIGHTED, encoding="utf-8")
    result = score({"a": 1}, load_methodology(path))
    assert (result.exact, result.missing) == (Fraction(3, 4), ())
