"""business-licence-service: Business licence application (LOSI #257), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

from tests.detectors.service_contract import ServiceContract

CASES = [
    [
        "Business License",
        "Business License Application",
        "<p><a href='/start'>Apply online</a></p>"
    ],
    [
        "营业执照",
        "营业执照办理",
        "<p><a href='/x'>在线办理</a></p>"
    ],
    [
        "Gewerbeanmeldung",
        "Gewerbeanmeldung",
        "<p><a href='/x'>Online-Antrag</a></p>"
    ]
]


class TestBusinessLicenceService(ServiceContract):
    detector_name = "business-licence-service"
    cases = CASES
