"""death-certificate-service: Death certificate application (LOSI #260), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

from tests.detectors.service_contract import ServiceContract

CASES = [
    [
        "Death certificates",
        "Death certificates",
        "<p><a href='/start'>Apply online</a></p>"
    ],
    [
        "Acte de décès",
        "Demande d'acte de décès",
        "<p><a href='/x'>Faire une demande en ligne</a></p>"
    ],
    [
        "شهادة الوفاة",
        "شهادة الوفاة",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ],
    # wordings of the test world (losi/world/extras.py)
    [
        "Получить свидетельство о смерти",
        "Государственная регистрация смерти",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ]
]


class TestDeathCertificateService(ServiceContract):
    detector_name = "death-certificate-service"
    cases = CASES
