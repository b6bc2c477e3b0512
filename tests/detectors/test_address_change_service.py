"""address-change-service: Address change notification (LOSI #262), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

from tests.detectors.service_contract import ServiceContract

CASES = [
    [
        "Change of address",
        "Report a change of address",
        "<p><a href='/start'>Apply online</a></p>"
    ],
    [
        "Ummeldung",
        "Ummeldung einer Wohnung",
        "<p><a href='/x'>Online beantragen</a></p>"
    ],
    [
        "Смена адреса",
        "Регистрация по месту жительства",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ],
    # wordings of the test world (losi/world/extras.py)
    [
        "Tell us you've moved",
        "Change of address",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ],
    [
        "Alterar a morada",
        "Alteração de morada no Cartão de Cidadão",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ],
    [
        "Wohnsitz ummelden",
        "Ummeldung (Umzug innerhalb Deutschlands)",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ],
    [
        "Регистрационный учёт по месту жительства",
        "Регистрация по месту жительства",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ]
]


class TestAddressChangeService(ServiceContract):
    detector_name = "address-change-service"
    cases = CASES
