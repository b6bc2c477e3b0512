"""residence-permit-service: Residency permit application (LOSI #258), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

from tests.detectors.service_contract import ServiceContract

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
    ]
]


class TestResidencePermitService(ServiceContract):
    detector_name = "residence-permit-service"
    cases = CASES
