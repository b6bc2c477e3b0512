"""vehicle-registration-service: Vehicle registration (LOSI #264), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.service_contract import ServiceContract, target
from tests.detectors.sites import home, page, site

CASES = [
    [
        "Vehicle Registration",
        "Vehicle registration renewal",
        "<p><a href='/start'>Apply online</a></p>"
    ],
    [
        "Carte grise",
        "Carte grise : certificat d'immatriculation",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ],
    [
        "Kfz-Zulassung",
        "Kfz-Zulassung",
        "<p><a href='/x'>Online-Dienst</a></p>"
    ],
    # wordings of the test world (losi/world/extras.py)
    [
        "Постановка на учёт транспортного средства",
        "Регистрация транспортных средств",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ]
]


class TestVehicleRegistrationService(ServiceContract):
    detector_name = "vehicle-registration-service"
    cases = CASES


@pytest.mark.parametrize("label, lang", [
    ("Постановка на учёт граждан, нуждающихся в жилых помещениях", "ru"),  # the housing queue
    ("Matriculación escolar", "es"),  # school enrolment
])
def test_the_same_words_for_another_service_are_not_a_vehicle(label: str, lang: str) -> None:
    url = "https://city.example/services/x/"
    finding = run_detector(pattern_detector("vehicle-registration-service"), site(
        home(f"<a href='{url}'>{label}</a>", lang=lang),
        page(url, target(label, "<p><a href='/start'>Apply online</a></p>"), depth=1)))
    assert finding.outcome is Outcome.ABSENT, finding.reason
