"""tax-filing-service: Online tax filing (LOSI #268), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

from tests.detectors.service_contract import ServiceContract

CASES = [
    [
        "File your taxes",
        "File your business tax return",
        "<p><a href='/start'>Apply online</a></p>"
    ],
    [
        "Declaración de impuestos",
        "Declaración de impuestos municipales",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ],
    [
        "Dichiarazione IMU",
        "Dichiarazione IMU",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ],
    # wordings of the test world (losi/world/extras.py)
    [
        "Autoliquidaciones de tributos municipales",
        "Presentación de autoliquidaciones",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ],
    [
        "Taxe de séjour : déclarer en ligne",
        "Déclaration de la taxe de séjour",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ],
    [
        "Entregar a declaração de IRS",
        "Declaração de IRS: entrega online",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ],
    [
        "Подать налоговую декларацию",
        "Представление налоговой декларации",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ]
]


class TestTaxFilingService(ServiceContract):
    detector_name = "tax-filing-service"
    cases = CASES
