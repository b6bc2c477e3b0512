from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import home, site

detector = pattern_detector("helpdesk-phone")


@pytest.mark.parametrize("body", [
    "<p>IT Help Desk: (312) 744-6870</p>",
    "<a href='tel:+15555550100'>Call our support line</a>",
    "<p>Mesa de ayuda: 01 800 123 4567</p>",
    "<p>Assistance téléphonique : 04 73 88 60 42</p>",
    "<p>مركز الاتصال 800 123 4567</p>",
    "<p>服务热线：12345678</p>",
    "<p>Горячая линия: 8 800 100-00-00</p>",
    "<p>Central de atendimento: (44) 3619-6000</p>",
    "<p>Service-Hotline: 0711 216-0</p>",
    "<p>Numero verde 800 016 123</p>",
])
def test_a_helpdesk_number_is_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is Outcome.PRESENT


@pytest.mark.parametrize("body", [
    "<p>Help desk hours: Monday to Friday</p>",  # no number
    "<p>Phone: (312) 744-6870</p>",  # a number, but not a helpdesk
])
def test_a_number_that_is_not_a_helpdesk_is_absent(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is Outcome.ABSENT
