"""environmental-permit-service: Environment-related permit application (LOSI #256), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

from tests.detectors.service_contract import ServiceContract

CASES = [
    [
        "Tree Removal Permit",
        "Tree removal permit",
        "<p><a href='/start'>Apply online</a></p>"
    ],
    [
        "Licencia ambiental",
        "Licencia ambiental",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ],
    [
        "Autorizzazione unica ambientale",
        "Autorizzazione unica ambientale",
        "<p><a href='/x'>Presenta domanda</a></p>"
    ],
    # wordings of the test world (losi/world/extras.py)
    [
        "Разрешение на вырубку зелёных насаждений",
        "Выдача разрешения на вырубку зелёных насаждений",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ]
]


class TestEnvironmentalPermitService(ServiceContract):
    detector_name = "environmental-permit-service"
    cases = CASES
