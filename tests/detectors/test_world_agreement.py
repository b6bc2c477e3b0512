"""The automated detectors against the multilingual test world's ground truth (issue 5).

One real crawl of a 24-portal world (eight languages, Arabic and Chinese among them, every
hostile case), one hop to the other sites the world serves through its proxy (national portals'
service pages, open-data catalogues), detection with the losi-2024 indicators bound to a world
feature, and each proposal compared with the portal's `features` (losi/world/agreement.py says
how it counts).
"""

from __future__ import annotations

import pytest

from losi.world import FEATURES, generate
from losi.world.agreement import (
    ACCEPTED,
    DEFAULT_SPEC,
    EVERY_PORTAL,
    FEATURE_INDICATORS,
    TARGET,
    UNMAPPED,
    Verdict,
    disagreements,
    features_in_world,
    format_report,
    measure,
    table,
)


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> list[Verdict]:
    found = measure(generate(DEFAULT_SPEC), tmp_path_factory.mktemp("agreement"))
    print(format_report(found))  # shown with -s, and by pytest when a test fails
    return found


def _share(verdicts: list[Verdict], feature: str) -> tuple[float, list[str]]:
    mine = [v for v in verdicts if v.feature == feature]
    (row,) = table(mine)
    wrong = [f"{v.slug}: truth {v.truth}, got {v.outcome}" for v in disagreements(mine)]
    return row.share, wrong


def test_every_world_feature_is_mapped_or_said_why_not() -> None:
    assert set(FEATURES) == set(FEATURE_INDICATORS) | set(UNMAPPED)
    assert not set(FEATURE_INDICATORS) & set(UNMAPPED)
    assert len(FEATURE_INDICATORS) >= 45
    assert set(ACCEPTED) <= set(FEATURE_INDICATORS)
    assert {base for base, _ in ACCEPTED.values() if base} <= set(FEATURES)


def test_the_world_is_multilingual_with_every_feature_on_and_off() -> None:
    world = generate(DEFAULT_SPEC)
    languages = [p.language for p in world]
    assert {"ar", "zh"} <= set(languages) and len(set(languages)) >= 6
    assert min(languages.count(lang) for lang in set(languages)) >= 2
    for feature in features_in_world():
        has = {p.features[feature] for p in world if p.features}
        assert has == ({True} if feature in EVERY_PORTAL else {True, False}), feature


@pytest.mark.parametrize("feature", sorted(features_in_world(), key=FEATURE_INDICATORS.get))
def test_each_detector_agrees_with_the_ground_truth(verdicts: list[Verdict], feature: str) -> None:
    share, wrong = _share(verdicts, feature)
    assert share >= TARGET, (FEATURE_INDICATORS[feature], f"{share:.0%}", wrong)


def test_each_language_agrees_with_the_ground_truth(verdicts: list[Verdict]) -> None:
    for language in sorted({v.language for v in verdicts}):
        mine = [v for v in verdicts if v.language == language]
        counted = [v for v in mine if v.counted]
        assert counted, language
        share = sum(v.agrees for v in counted) / len(counted)
        assert share >= TARGET, (language, f"{share:.0%}", disagreements(mine))


def test_only_a_portal_the_crawl_could_not_see_is_left_out(verdicts: list[Verdict]) -> None:
    # the challenge wall hides every page; the robots.txt refusal and the partial challenge
    # hide some, but detectors still made their claims there, and those claims are counted
    assert {v.hostile for v in verdicts if not v.counted} == {"challenge"}
    assert {v.hostile for v in verdicts if not v.seen_all} >= {"challenge", "robots-disallowed"}


def _verdict(outcome: str, seen_all: bool = True, truth: bool = True,
             accepted: tuple[str, ...] = ()) -> Verdict:
    return Verdict("city000-en", "en", None, "news", "296", "news-section", truth, outcome, seen_all,
                   accepted=accepted)


def test_a_shrug_on_a_portal_seen_whole_is_a_disagreement() -> None:
    assert _verdict("needs_review").counted and not _verdict("needs_review").agrees
    assert _verdict("not_assessable").counted and not _verdict("not_assessable").agrees
    assert _verdict("needs_review", seen_all=False).counted


def test_not_assessable_is_left_out_only_where_the_crawl_missed_pages() -> None:
    assert not _verdict("not_assessable", seen_all=False).counted
    rows = table([_verdict("present"), _verdict("absent"), _verdict("not_assessable", seen_all=False)])
    assert [(r.counted, r.agreed, r.excluded) for r in rows] == [(2, 1, 1)]


def test_an_accepted_answer_agrees_only_where_the_portal_lacks_the_feature() -> None:
    # advanced search on a portal without a search page: "no search page seen" is right too
    assert _verdict("not_assessable", truth=False, accepted=("not_assessable",)).agrees
    assert _verdict("absent", truth=False, accepted=("not_assessable",)).agrees
    assert _verdict("not_assessable", seen_all=False, truth=False, accepted=("not_assessable",)).counted
    assert not _verdict("not_assessable", truth=True, accepted=("not_assessable",)).agrees
    assert not _verdict("needs_review", truth=False, accepted=("not_assessable",)).agrees


def test_the_report_names_each_disagreement() -> None:
    report = format_report([_verdict("present"), _verdict("absent", truth=True)])
    assert "296   news-section" in report and "1/2" in report
    assert "city000-en 296 news-section: truth present, got absent" in report
