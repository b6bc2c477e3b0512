"""vehicle-registration-service: Vehicle registration (LOSI #264), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

from tests.detectors.service_contract import ServiceContract

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
    ]
]


class TestVehicleRegistrationService(ServiceContract):
    detector_name = "vehicle-registration-service"
    cases = CASES
