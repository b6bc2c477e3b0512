from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import SEED, home, site

detector = pattern_detector("social-networks")


@pytest.mark.parametrize("href", [
    "https://www.facebook.com/CityOfExample",
    "https://twitter.com/cityofexample",
    "https://x.com/cityofexample",
    "https://www.instagram.com/cityofexample/",
    "https://www.youtube.com/@cityofexample",
    "https://vk.com/cityofexample",  # ru
    "https://weibo.com/cityofexample",  # zh
])
def test_a_link_to_a_profile_is_present(href: str) -> None:
    s = site(home(f"<footer><a href='{href}'><img src='i.svg'></a></footer>"))
    assert run_detector(detector, s).outcome is Outcome.PRESENT


@pytest.mark.parametrize("label", ["Facebook", "تويتر", "微博", "ВКонтакте"])
def test_an_icon_link_named_after_a_platform_is_present(label: str) -> None:
    s = site(home(f"<footer>Seguici su <a href='#' aria-label='{label}'><svg></svg></a></footer>"))
    assert run_detector(detector, s).outcome is Outcome.PRESENT


def test_share_buttons_are_not_profiles() -> None:
    s = site(home(
        "<div class='share'><a href='https://www.facebook.com/sharer/sharer.php?u=x'>Facebook</a>"
        "<a href='https://twitter.com/intent/tweet?url=x'>Share on Twitter</a>"
        "<a href='https://twitter.com/home?status=x'>Twitter</a></div>"))
    assert run_detector(detector, s).outcome is Outcome.ABSENT


def test_the_evidence_names_the_profile_link() -> None:
    s = site(home("<footer><a href='https://www.facebook.com/CityOfExample'>Facebook</a></footer>"))
    evidence = run_detector(detector, s).evidence[0]
    assert (evidence.page_url, evidence.locator, evidence.text) == (
        SEED, "/html/body/footer/a", "Facebook")
    assert "profile-link" in evidence.explanation and "in the footer" in evidence.explanation
