"""energy-bill-payment: Electricity/gas utility payment (LOSI #287), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

from tests.detectors.service_contract import ServiceContract

CASES = [
    [
        "Electric bill",
        "Pay your electric bill",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ],
    [
        "Recibo de luz",
        "Recibo de luz",
        "<p><a href='/x'>Pagar en línea</a></p>"
    ],
    [
        "Stromrechnung",
        "Stromrechnung bezahlen",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ],
    # wordings of the test world (losi/world/extras.py)
    [
        "Pay your electricity or gas bill",
        "Electricity and gas bills",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ],
    [
        "Pagar a fatura da luz e do gás",
        "Fatura da luz e do gás",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ],
    [
        "Оплатить электроэнергию и газ",
        "Оплата электроэнергии и газа",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ]
]


class TestEnergyBillPayment(ServiceContract):
    detector_name = "energy-bill-payment"
    cases = CASES
