"""live-chat: LOSI #270a, live chat with officials: pass and fail fixtures."""

from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from detectors.site import RenderArtifact, Site
from losi.types import Outcome
from tests.detectors.sites import SEED, home, site

detector = pattern_detector("live-chat")


@pytest.mark.parametrize("body, head", [
    ("<a href='/chat'>Live Chat</a>", ""),
    ("<button>Chat with us</button>", ""),
    ("", "<script src='https://embed.tawk.to/abc/default'></script>"),
    ("", "<script src='https://cdn.livechatinc.com/tracking.js'></script>"),
    ("<a href='https://wa.me/5511999999999'>WhatsApp</a>", ""),
    ("<a href='https://t.me/cityhall_bot'>Telegram</a>", ""),
    ("<a href='/x'>Chat en línea</a>", ""),
    ("<a href='/x'>在线客服</a>", ""),
    ("<a href='/x'>الدردشة المباشرة</a>", ""),
])
def test_a_chat_is_present(body: str, head: str) -> None:
    assert run_detector(detector, site(home(body, head))).outcome is Outcome.PRESENT


@pytest.mark.parametrize("body", [
    "<a href='https://api.whatsapp.com/send?text=https://city.example/news/1'>Share</a>",
    "<a href='https://chat.whatsapp.com/invite/abc'>Join our group</a>",
    "<a href='/x'>Chat about the budget: minutes</a>",
])
def test_share_links_are_not_a_chat(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is not Outcome.PRESENT


def test_a_widget_that_scripts_insert_is_read_from_the_render() -> None:
    dom = "<html><body><div id='chat-widget-container'><iframe src='https://secure.livechatinc.com/x'></iframe></div></body></html>"
    s = Site(SEED, [home("<p>Welcome</p>")], renders={SEED: RenderArtifact(SEED, load_dom=lambda: dom)})
    finding = run_detector(detector, s)
    assert finding.outcome is Outcome.PRESENT
    assert finding.evidence[0].record_id == "" or "render" in finding.evidence[0].explanation


def test_no_chat_anywhere_is_absent() -> None:
    assert run_detector(detector, site(home("<a href='/contact'>Contact</a>"))).outcome is Outcome.ABSENT
