"""e-procurement-platform: E-procurement platform (LOSI #265), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

from tests.detectors.service_contract import ServiceContract

CASES = [
    [
        "Vendor Registration",
        "Supplier portal: vendor registration",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ],
    [
        "Licitación electrónica",
        "Plataforma de licitación electrónica",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ],
    [
        "Vergabeplattform",
        "Vergabeplattform der Stadt",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ]
]


class TestEProcurementPlatform(ServiceContract):
    detector_name = "e-procurement-platform"
    cases = CASES
