"""marriage-certificate-service: Marriage certificate application (LOSI #261), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

from tests.detectors.service_contract import ServiceContract

CASES = [
    [
        "Marriage License",
        "Marriage License",
        "<p><a href='/start'>Apply online</a></p>"
    ],
    [
        "Certidão de casamento",
        "Certidão de casamento",
        "<p><a href='/x'>Solicitar online</a></p>"
    ],
    [
        "结婚登记",
        "结婚登记预约",
        "<p><a href='/x'>网上办理</a></p>"
    ],
    # wordings of the test world (losi/world/extras.py)
    [
        "Повторное свидетельство о заключении брака",
        "Выдача повторного свидетельства о заключении брака",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ]
]


class TestMarriageCertificateService(ServiceContract):
    detector_name = "marriage-certificate-service"
    cases = CASES
