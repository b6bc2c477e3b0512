from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import home, site

detector = pattern_detector("mobile-apps")


@pytest.mark.parametrize("body", [
    "<a href='https://apps.apple.com/us/app/myclayton/id1114590487'>App Store</a>",
    "<a href='https://play.google.com/store/apps/details?id=com.city.app'><img alt='Google Play'></a>",
    "<a href='/i_want_to/my_porterville_mobile_app.php'>myPorterville Mobile App</a>",
    "<a href='/start/service/ahlenapp/'>AhlenApp</a>",  # de compound
    "<a href='/app'>Aplicativo da Prefeitura</a>",  # pt
    "<a href='/app'>Мобильное приложение</a>",  # ru
    "<a href='/app'>تطبيق البلدية</a>",  # ar
    "<a href='/app'>移动应用</a>",  # zh
])
def test_a_municipal_app_is_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is Outcome.PRESENT


def test_a_smart_app_banner_is_present() -> None:
    s = site(home("", head="<meta name='apple-itunes-app' content='app-id=1114590487'>"))
    assert run_detector(detector, s).outcome is Outcome.PRESENT


@pytest.mark.parametrize("body", [
    "<a href='https://www.webex.com/downloads.html'>WebEx Website (App Download)</a>",
    "<a href='/forms/grant'>Evidence-Based Program Fund Application</a>",
    "<a href='https://play.google.com/books'>Google Play Books</a>",
    "<a href='https://wa.me/123'>WhatsApp</a>",
])
def test_vendor_apps_and_application_forms_are_not_municipal_apps(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is Outcome.ABSENT
