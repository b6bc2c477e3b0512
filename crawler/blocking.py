"""Challenge, CAPTCHA and WAF pages: detected and stored as `blocked`, never taken as content.

Querido Diário fails a spider on a Cloudflare challenge instead of parsing it; we record it, so
every detector that needed the page says `not_assessable` rather than `absent`.
"""

from __future__ import annotations

import re

_HEADER_MARKS = (
    ("cf-mitigated", re.compile(r"challenge", re.I), "Cloudflare challenge (cf-mitigated header)"),
    ("x-datadome", re.compile(r".", re.I), "DataDome bot protection"),
    ("x-sucuri-block", re.compile(r".", re.I), "Sucuri firewall block"),
    ("x-amzn-waf-action", re.compile(r"captcha|challenge|block", re.I), "AWS WAF challenge"),
)
_BODY_MARKS = (
    (re.compile(rb"<title>\s*Just a moment\.\.\.\s*</title>|cf-chl-|challenge-platform|cf_chl_opt", re.I),
     "Cloudflare challenge page"),
    (re.compile(rb"Attention Required! \| Cloudflare|cf-error-details", re.I), "Cloudflare block page"),
    (re.compile(rb"_Incapsula_Resource|Incapsula incident ID", re.I), "Imperva/Incapsula block page"),
    (re.compile(rb"Sucuri WebSite Firewall", re.I), "Sucuri firewall page"),
    (re.compile(rb"ddos-guard|DDoS-Guard", re.I), "DDoS-Guard challenge"),
    (re.compile(rb"<title>\s*Access Denied\s*</title>[\s\S]{0,2000}Reference\s*#", re.I), "Akamai access denied"),
    (re.compile(rb"g-recaptcha|h-captcha|hcaptcha\.com/1/api|turnstile/v0/api\.js", re.I), "CAPTCHA wall"),
    (re.compile(rb"Checking your browser before accessing|Please enable JavaScript and cookies to continue", re.I),
     "browser check interstitial"),
)
# A real page may embed a CAPTCHA in a contact form; a challenge page is short and has little else.
_SMALL = 64 * 1024


def challenge_reason(status: int, headers: dict[str, str], body: bytes) -> str:
    """'' for an ordinary response, else one line saying which protection answered instead."""
    lowered = {k.lower(): v for k, v in headers.items()}
    for name, pattern, reason in _HEADER_MARKS:
        if name in lowered and pattern.search(lowered[name]):
            return reason
    if status not in (403, 429, 503) and len(body) >= _SMALL:
        return ""  # a large ordinary page: interstitials are small or come with an error status
    head = body[:_SMALL]
    for pattern, reason in _BODY_MARKS:
        if pattern.search(head):
            if reason == "CAPTCHA wall" and (status < 400 and len(body) > 20 * 1024):
                continue  # a CAPTCHA inside a large normal page is a form, not a wall
            return reason
    return ""
