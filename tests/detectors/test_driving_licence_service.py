"""driving-licence-service: Driver's licence application (LOSI #254), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

from tests.detectors.service_contract import ServiceContract

CASES = [
    [
        "Driver's License",
        "Driver's License Renewal",
        "<p><a href='/start'>Apply online</a></p>"
    ],
    [
        "Permis de conduire",
        "Permis de conduire",
        "<p><a href='/x'>Faire une demande en ligne</a></p>"
    ],
    [
        "رخصة القيادة",
        "تجديد رخصة القيادة",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ]
]


class TestDrivingLicenceService(ServiceContract):
    detector_name = "driving-licence-service"
    cases = CASES
