"""water-bill-payment: Water utility payment (LOSI #286), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

from tests.detectors.service_contract import ServiceContract

CASES = [
    [
        "Pay your water bill",
        "Water bill",
        "<p><a href='https://www.invoicecloud.com/city'>Pay now</a></p>"
    ],
    [
        "Conta de água",
        "Segunda via da conta de água",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ],
    [
        "水费",
        "水费缴纳",
        "<p><a href='/x'>在线缴费</a></p>"
    ],
    # wordings of the test world (losi/world/extras.py)
    [
        "Pago del recibo del agua",
        "Recibo del agua: pago y domiciliación",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ],
    [
        "Wassergebühren online bezahlen",
        "Wasser- und Abwassergebühren",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ],
    [
        "Оплатить счёт за воду",
        "Оплата водоснабжения и водоотведения",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ]
]


class TestWaterBillPayment(ServiceContract):
    detector_name = "water-bill-payment"
    cases = CASES
