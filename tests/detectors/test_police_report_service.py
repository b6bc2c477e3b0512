"""police-report-service: Online police declaration (LOSI #253), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

from tests.detectors.service_contract import ServiceContract

CASES = [
    [
        "File a police report",
        "File a Police Report Online",
        "<p><a href='/start'>Apply online</a></p>"
    ],
    [
        "Denuncia online",
        "Denuncia online de robo",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ],
    [
        "Online-Anzeige",
        "Onlinewache: Online-Anzeige erstatten",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ]
]


class TestPoliceReportService(ServiceContract):
    detector_name = "police-report-service"
    cases = CASES
