"""fine-payment-service: Online payment of fines (LOSI #269b), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

from tests.detectors.service_contract import ServiceContract

CASES = [
    [
        "Pay a parking ticket",
        "Parking tickets",
        "<p><a href='https://www.paymentus.com/city'>Pay now</a></p>"
    ],
    [
        "Pago de multas",
        "Pago de multas de tránsito",
        "<script src='https://js.stripe.com/v3/'></script>"
    ],
    [
        "Bußgeld",
        "Bußgeldstelle",
        "<p><a href='/x'>Online bezahlen</a></p>"
    ],
    # wordings of the test world (losi/world/extras.py)
    [
        "Pay a parking fine",
        "Pay a parking or traffic fine",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ],
    [
        "Pagar coimas de estacionamento",
        "Pagamento de coimas",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ]
]


class TestFinePaymentService(ServiceContract):
    detector_name = "fine-payment-service"
    cases = CASES
