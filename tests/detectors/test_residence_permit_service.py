"""residence-permit-service: Residency permit application (LOSI #258), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.service_contract import ServiceContract, target
from tests.detectors.sites import home, page, site

CASES = [
    [
        "Residence permit",
        "Residence permit",
        "<p><a href='/start'>Apply online</a></p>"
    ],
    [
        "Titre de séjour",
        "Titre de séjour",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ],
    [
        "Вид на жительство",
        "Вид на жительство",
        "<p><a href='/x'>Подать заявление</a></p>"
    ],
    # wordings of the test world (losi/world/extras.py)
    [
        "Оформление вида на жительство",
        "Вид на жительство: подача заявления",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ]
]


class TestResidencePermitService(ServiceContract):
    detector_name = "residence-permit-service"
    cases = CASES


def test_a_german_day_nursery_is_not_indonesias_kitas() -> None:
    # 'Kitas' is the German plural of Kita (a day nursery) and was an Indonesian phrase of the
    # lexicon (KITAS, the limited stay permit card): the test world's German portals link
    # 'Kitas und Kindertagespflege'.
    url = "https://city.example/kinderbetreuung/"
    finding = run_detector(pattern_detector("residence-permit-service"), site(
        home(f"<a href='{url}'>Kitas und Kindertagespflege</a>", lang="de"),
        page(url, target("Kitas und Kindertagespflege", "<p>Anmeldung im Kita-Portal.</p>"),
             depth=1)))
    assert finding.outcome is Outcome.ABSENT, finding.reason
