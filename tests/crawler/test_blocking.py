from __future__ import annotations

from crawler.blocking import challenge_reason

CF_CHALLENGE = b"""<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head>
<body><div id="challenge-running">Checking if the site connection is secure</div>
<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script></body></html>"""


def test_a_cloudflare_challenge_is_blocked() -> None:
    assert challenge_reason(403, {"Server": "cloudflare"}, CF_CHALLENGE) == "Cloudflare challenge page"


def test_the_cf_mitigated_header_is_enough() -> None:
    assert challenge_reason(200, {"cf-mitigated": "challenge"}, b"") != ""


def test_an_incapsula_block_is_blocked() -> None:
    body = b"<html><body>Request unsuccessful. Incapsula incident ID: 1234</body></html>"
    assert challenge_reason(200, {}, body) == "Imperva/Incapsula block page"


def test_a_recaptcha_wall_is_blocked() -> None:
    body = b"<html><body><div class='g-recaptcha' data-sitekey='x'></div></body></html>"
    assert challenge_reason(429, {}, body) == "CAPTCHA wall"


def test_a_big_page_with_a_captcha_in_its_contact_form_is_content() -> None:
    body = b"<html><body>" + b"<p>City news</p>" * 3000 + b"<div class='g-recaptcha'></div></body></html>"
    assert challenge_reason(200, {}, body) == ""


def test_an_ordinary_page_is_content() -> None:
    assert challenge_reason(200, {"Server": "nginx"}, b"<html><title>City of Aurelia</title></html>") == ""
