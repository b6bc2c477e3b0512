"""social-media-services: the 2023 LOSI workshop's 'social media service provision'."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import home, site

detector = pattern_detector("social-media-services")


@pytest.mark.parametrize("body", [
    "<a href='https://wa.me/5511999990000'>Fale com a prefeitura</a>",
    "<a href='https://t.me/city_services_bot'>Bot</a>",
    "<a href='/x'>WhatsApp ciudadano</a>",
    "<a href='/x'>政务服务小程序</a>",
    "<p>Report potholes via WhatsApp at +1 555 0100.</p>",
    "<a href='/x'>خدمة واتساب</a>",
    "<a href='http://wpa.qq.com/msgrd?v=3&uin=800012345&site=qq&menu=yes'>QQ在线客服</a>",
])
def test_a_service_channel_is_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is Outcome.PRESENT


@pytest.mark.parametrize("body", [
    "<a href='https://api.whatsapp.com/send?text=https://city.example/news'>Share</a>",
    "<a href='https://www.facebook.com/cityhall'>Facebook</a>",
    "<a href='https://www.whatsapp.com/'>WhatsApp</a>",
])
def test_shares_and_profiles_are_not_services(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_no_channel_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/news'>News</a>"))).outcome is Outcome.ABSENT
