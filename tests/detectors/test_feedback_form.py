from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import home, site

detector = pattern_detector("feedback-form")


@pytest.mark.parametrize("body", [
    "<a href='/submit-feedback'>Submit Feedback</a>",
    "<a href='/i-want-to/submit-a-compliment-complaint'>Submit a Compliment/Complaint</a>",
    "<a href='https://publiccomment.bos.lacounty.gov'>Submit Public Comment</a>",
    "<a href='/x'>Contact the Mayor</a>",
    "<a href='/x'>Quejas y sugerencias</a>", "<a href='/x'>Réclamations</a>",
    "<a href='/x'>الشكاوى والمقترحات</a>", "<a href='/x'>市长信箱</a>",
    "<a href='/x'>Интернет-приемная</a>", "<a href='/x'>Ouvidoria</a>",
    "<a href='/x'>Lob und Kritik</a>", "<a href='/x'>Segnala disservizio</a>",
    ("<form><fieldset><legend>Quanto sono chiare le informazioni su questa pagina?</legend>"
    "<input type='radio' name='rating'></fieldset></form>"),
    "<iframe src='https://city.formstack.com/forms/website_feedback'></iframe>",
])
def test_a_way_to_send_feedback_is_present(body: str) -> None:
    assert run_detector(detector, site(home(f"<main>{body}</main>"))).outcome is Outcome.PRESENT


@pytest.mark.parametrize("body", [
    "<a href='/contact'>Contact us</a>",  # a generic contact form is not enough
    "<a href='/files/public_comment_2022.pdf'>Public Comment</a>",  # a document of comments
    "<iframe src='https://survey.vendor.example/transfer.html'></iframe>",
])
def test_contact_forms_and_documents_are_not_feedback(body: str) -> None:
    assert run_detector(detector, site(home(f"<main>{body}</main>"))).outcome is Outcome.ABSENT


def test_telling_the_city_you_moved_is_not_feedback() -> None:
    body = "<nav><a href='/moving'>Tell us you've moved</a></nav>"
    assert run_detector(detector, site(home(body))).outcome is Outcome.ABSENT
