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
# (pattern, reason, needles): the pattern runs only when one of its needles (lower case) is in
# the lower-cased head. Eight case-insensitive regexes over 64 KB cost 5 ms a page; a search for
# plain bytes is a memchr, and nearly every page has none of them.
_BODY_MARKS = (
    (re.compile(rb"<title>\s*Just a moment\.\.\.\s*</title>|cf-chl-|challenge-platform|cf_chl_opt", re.I),
     "Cloudflare challenge page", (b"just a moment", b"cf-chl-", b"challenge-platform", b"cf_chl_opt")),
    (re.compile(rb"Attention Required! \| Cloudflare|cf-error-details", re.I), "Cloudflare block page",
     (b"attention required!", b"cf-error-details")),
    (re.compile(rb"_Incapsula_Resource|Incapsula incident ID", re.I), "Imperva/Incapsula block page",
     (b"incapsula",)),
    (re.compile(rb"Sucuri WebSite Firewall", re.I), "Sucuri firewall page", (b"sucuri website firewall",)),
    (re.compile(rb"ddos-guard|DDoS-Guard", re.I), "DDoS-Guard challenge", (b"ddos-guard",)),
    (re.compile(rb"<title>\s*Access Denied\s*</title>[\s\S]{0,2000}Reference\s*#", re.I), "Akamai access denied",
     (b"access denied",)),
    (re.compile(rb"g-recaptcha|h-captcha|hcaptcha\.com/1/api|turnstile/v0/api\.js", re.I), "CAPTCHA wall",
     (b"g-recaptcha", b"h-captcha", b"hcaptcha.com/1/api", b"turnstile/v0/api.js")),
    (re.compile(rb"Checking your browser before accessing|Please enable JavaScript and cookies to continue", re.I),
     "browser check interstitial",
     (b"checking your browser before accessing", b"please enable javascript and cookies to continue")),
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
    lowered_head = head.lower()
    for pattern, reason, needles in _BODY_MARKS:
        if not any(needle in lowered_head for needle in needles):
            continue
        if pattern.search(head):
            if reason == "CAPTCHA wall" and (status < 400 and len(body) > 20 * 1024):
                continue  # a CAPTCHA inside a large normal page is a form, not a wall
            return reason
    return ""
