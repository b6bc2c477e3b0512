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
    ]
]


class TestTaxFilingService(ServiceContract):
    detector_name = "tax-filing-service"
    cases = CASES
