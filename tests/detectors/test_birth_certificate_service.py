"""birth-certificate-service: Birth certificate application (LOSI #259), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

from tests.detectors.service_contract import ServiceContract

CASES = [
    [
        "Birth certificates",
        "Order a birth certificate",
        "<p><a href='/start'>Apply online</a></p>"
    ],
    [
        "Acta de nacimiento",
        "Acta de nacimiento",
        "<p><a href='/x'>Solicitar en línea</a></p>"
    ],
    [
        "出生证明",
        "出生医学证明办理",
        "<p><a href='/x'>在线申请</a></p>"
    ]
]


class TestBirthCertificateService(ServiceContract):
    detector_name = "birth-certificate-service"
    cases = CASES
