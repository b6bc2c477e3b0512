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
    ]
]


class TestEnergyBillPayment(ServiceContract):
    detector_name = "energy-bill-payment"
    cases = CASES
