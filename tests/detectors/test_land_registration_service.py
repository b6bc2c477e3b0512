"""land-registration-service: Land title registration (LOSI #263), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

from tests.detectors.service_contract import ServiceContract

CASES = [
    [
        "Recorder of Deeds",
        "Recorder of Deeds",
        "<p><a href='/start'>Apply online</a></p>"
    ],
    [
        "Registro de la propiedad",
        "Registro de la propiedad",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ],
    [
        "不动产登记",
        "不动产登记",
        "<p><a href='/x'>网上办理</a></p>"
    ],
    # wordings of the test world (losi/world/extras.py)
    [
        "Register land or property",
        "Land registration",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ],
    [
        "Регистрация права собственности на недвижимость",
        "Государственная регистрация прав на недвижимое имущество",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ]
]


class TestLandRegistrationService(ServiceContract):
    detector_name = "land-registration-service"
    cases = CASES
