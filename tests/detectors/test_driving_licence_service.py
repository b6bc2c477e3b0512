"""driving-licence-service: Driver's licence application (LOSI #254), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.service_contract import ServiceContract, target
from tests.detectors.sites import home, page, site

CASES = [
    [
        "Driver's License",
        "Driver's License Renewal",
        "<p><a href='/start'>Apply online</a></p>"
    ],
    [
        "Permis de conduire",
        "Permis de conduire",
        "<p><a href='/x'>Faire une demande en ligne</a></p>"
    ],
    [
        "رخصة القيادة",
        "تجديد رخصة القيادة",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ],
    # wordings of the test world (losi/world/extras.py)
    [
        "Замена водительского удостоверения",
        "Выдача и замена водительского удостоверения",
        "<form method='post' action='/apply'><label>Name<input name='applicant'></label><label>ID<input name='idnum'></label><input type='file' name='documents'><button type='submit'>Submit</button></form>"
    ]
]


class TestDrivingLicenceService(ServiceContract):
    detector_name = "driving-licence-service"
    cases = CASES


# The twelve service detectors of the fifth part of the test world read, past their page budget,
# the portal's services index page: a portal whose home page links are built by a script lists
# its services there only, and the crawl may rank it after the first 25 pages.
SERVICES_INDEX_CASES = [
    ("driving-licence-service", "Apply for a driving licence", "Driving licence"),
    ("environmental-permit-service", "Apply for an environmental permit", "Environmental permits"),
    ("residence-permit-service", "Apply for a residence permit", "Residence permit"),
    ("death-certificate-service", "Order a death certificate", "Death certificates"),
    ("marriage-certificate-service", "Order a marriage certificate", "Marriage certificates"),
    ("address-change-service", "Change of address", "Change of address"),
    ("land-registration-service", "Land registration", "Land registration"),
    ("vehicle-registration-service", "Register a vehicle", "Vehicle registration"),
    ("tax-filing-service", "File a business tax return", "Business tax returns"),
    ("fine-payment-service", "Pay a parking fine", "Parking fines"),
    ("water-bill-payment", "Pay your water bill", "Water bills"),
    ("energy-bill-payment", "Pay your gas bill", "Gas bills"),
]


@pytest.mark.parametrize("detector_id, label, title", SERVICES_INDEX_CASES,
                         ids=[c[0] for c in SERVICES_INDEX_CASES])
def test_a_service_listed_only_on_the_services_index_past_the_budget_is_found(
        detector_id: str, label: str, title: str) -> None:
    filler = [page(f"https://city.example/a{n:02d}/", "<p>Nothing here.</p>", depth=1)
              for n in range(30)]
    index = "https://city.example/services/"
    target_url = "https://city.example/services/x/"
    detector = pattern_detector(detector_id)
    found = run_detector(detector, site(
        home("<p>Welcome</p>"), *filler,
        page(index, f"<a href='{target_url}'>{label}</a>", depth=1),
        page(target_url, target(title, "<p><a href='/start'>Apply online</a></p>"), depth=2)))
    assert found.outcome is Outcome.PRESENT, found.reason
    # a page past the budget that is not a services index is still not read
    missed = run_detector(detector, site(
        home("<p>Welcome</p>"), *filler,
        page("https://city.example/zz/", f"<a href='{target_url}'>{label}</a>", depth=1),
        page(target_url, target(title, "<p><a href='/start'>Apply online</a></p>"), depth=2)))
    assert missed.outcome is Outcome.ABSENT, missed.reason
