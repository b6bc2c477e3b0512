"""building-permit-service: Building permit application (LOSI #255), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

from tests.detectors.service_contract import ServiceContract

CASES = [
    [
        "Building Permits",
        "Building Permits",
        "<p><a href='/start'>Apply online</a></p>"
    ],
    [
        "Licencia de obra",
        "Licencias de obra",
        "<p><a href='/x'>Trámite en línea</a></p>"
    ],
    [
        "Baugenehmigung",
        "Baugenehmigung beantragen",
        "<p><a href='/x'>Online beantragen</a></p>"
    ]
]


class TestBuildingPermitService(ServiceContract):
    detector_name = "building-permit-service"
    cases = CASES
