"""ai-chatbot: LOSI #270b, an AI-enabled chatbot: pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from detectors.site import RenderArtifact, Site
from losi.types import Outcome
from tests.detectors.sites import SEED, home, site

detector = pattern_detector("ai-chatbot")


@pytest.mark.parametrize("body, head", [
    ("<a href='/bot'>Ask our virtual assistant</a>", ""),
    ("<df-messenger agent-id='x'></df-messenger>", ""),
    ("", "<script src='https://www.gstatic.com/dialogflow-console/fast/messenger/bootstrap.js?v=1'></script>"),
    ("", "<script src='https://cdn.botpress.cloud/webchat/v1/inject.js'></script>"),
    ("<a href='/x'>Asistente virtual</a>", ""),
    ("<a href='/x'>智能客服</a>", ""),
    ("<a href='/x'>المساعد الافتراضي</a>", ""),
    ("<a href='/x'>Чат-бот</a>", ""),
])
def test_a_chatbot_is_present(body: str, head: str) -> None:
    assert run_detector(detector, site(home(body, head))).outcome is Outcome.PRESENT


@pytest.mark.parametrize("body", [
    "<a href='/chat'>Live chat with staff</a>",
    "<a href='/x'>Artificial intelligence policy</a>",
])
def test_a_live_chat_or_an_ai_policy_is_not_a_chatbot(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_bot_that_scripts_insert_is_read_from_the_render() -> None:
    dom = "<html><body><div class='chatbot-launcher'>Hi! How can I help?</div></body></html>"
    s = Site(SEED, [home("<p>Welcome</p>")], renders={SEED: RenderArtifact(SEED, load_dom=lambda: dom)})
    assert run_detector(detector, s).outcome is Outcome.PRESENT


def test_no_bot_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT
