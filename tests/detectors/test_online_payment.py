from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import home, site

detector = pattern_detector("online-payment")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Pay a Bill</a>", "<a href='/x'>Pay Online</a>",
    "<a href='https://ipn.paymentus.com/epd/stde/bsmu'>Utilities</a>",
    "<a href='/how-do-i/pay-fine-bill-or-tax'>Fines</a>",
    "<a href='/x'>Pagos en línea</a>", "<a href='/x'>Paiement en ligne</a>",
    "<a href='/x'>الدفع الإلكتروني</a>", "<a href='/x'>网上缴费</a>",
    "<a href='/x'>Оплата онлайн</a>", "<a href='/x'>Emissão de guias</a>",
    "<a href='/x'>Online bezahlen</a>", "<a href='/x'>PagoPA</a>",
])
def test_a_way_to_pay_online_is_present(body: str) -> None:
    assert run_detector(detector, site(home(f"<nav>{body}</nav>"))).outcome is Outcome.PRESENT


@pytest.mark.parametrize("body", [
    "<a href='/fees'>Fee schedule</a>",
    "<a href='/hr/pay-scales'>Pay scale for city employees</a>",
    "<a href='/tax'>Property tax information</a>",
    # what the council paid its suppliers: spending transparency (WS2), not a way to pay
    "<a href='/council/payments-to-suppliers/'>Payments to suppliers over £500</a>",
])
def test_fees_and_salaries_are_not_payment(body: str) -> None:
    assert run_detector(detector, site(home(f"<nav>{body}</nav>"))).outcome is Outcome.ABSENT


@pytest.mark.parametrize("label", ["Pago de multas de tráfico", "Pago del recibo del agua"])
def test_paying_a_fine_or_a_bill_is_online_payment(label: str) -> None:
    body = f"<nav><a href='/x'>{label}</a></nav>"
    assert run_detector(detector, site(home(body, lang="es"))).outcome is Outcome.PRESENT
