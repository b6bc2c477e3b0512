"""#250/#252: business days with the country's weekends and holidays, and the values that follow."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select

from review.responsiveness import business_time, calendar, evaluate
from storage.db import session_scope
from storage.models import ResponsivenessTest
from tests.review.world import CITY, csrf_of


def test_weekends_do_not_count() -> None:
    # Friday 16:00 -> Wednesday 15:00 in France: 8 + 24 + 24 + 15 hours = 71 h < 3 days.
    r = evaluate(datetime(2026, 3, 6, 16), datetime(2026, 3, 11, 15), True, calendar("FRA"))
    assert r.business_days is not None and round(r.business_days * 24) == 71
    assert (r.value_250, r.value_252) == (1, 0)  # five calendar days: too late for #252


def test_public_holidays_do_not_count() -> None:
    # 1 May 2026 (Fête du Travail) is a Friday: sent Thursday 30 April 12:00, replied Tuesday
    # 5 May 11:00 = 12 h (Thu) + 24 (Mon) + 11 (Tue) = 47 h.
    r = evaluate(datetime(2026, 4, 30, 12), datetime(2026, 5, 5, 11), None, calendar("FRA"))
    assert round(r.business_days * 24) == 47 and r.value_250 == 1  # type: ignore[operator]
    assert r.skipped[0] == "2026-05-01 Labor Day"


def test_the_countrys_own_weekend() -> None:
    # Israel rests Friday and Saturday: Thursday 12:00 -> Sunday 12:00 is 12 + 12 = 24 h there,
    # but 12 + 24 = 36 h in France (Friday counts, the weekend is Saturday-Sunday).
    sent, reply = datetime(2026, 1, 8, 12), datetime(2026, 1, 11, 12)
    assert round(business_time(sent, reply, calendar("ISR")).total_seconds() / 3600) == 24
    assert round(business_time(sent, reply, calendar("FRA")).total_seconds() / 3600) == 36


def test_three_business_days_or_more_is_a_zero() -> None:
    r = evaluate(datetime(2026, 3, 2, 9), datetime(2026, 3, 5, 9), True, calendar("FRA"))
    assert r.business_days == 3 and r.value_250 == 0 and r.value_252 == 1  # 72 h: within 3 days


def test_no_reply_is_unknown_then_zero() -> None:
    sent = datetime(2026, 3, 2, 9)
    early = evaluate(sent, None, None, calendar("FRA"), today=datetime(2026, 3, 3, 9))
    late = evaluate(sent, None, None, calendar("FRA"), today=datetime(2026, 3, 9, 9))
    assert (early.value_250, early.value_252) == (None, None)
    assert (late.value_250, late.value_252) == (0, 0)


def test_an_unknown_country_counts_weekends_only() -> None:
    cal = calendar("XAA")
    assert not cal.known and cal.weekend == frozenset({5, 6})
    assert "weekends only" in evaluate(datetime(2026, 3, 2), datetime(2026, 3, 3), True, cal).explanation


def test_the_app_records_the_test_and_suggests_the_values(as_user, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    ana = as_user("ana")
    page = ana.get(f"/cities/{CITY}/responsiveness").text
    bad = ana.post(f"/cities/{CITY}/responsiveness", data={
        "csrf": csrf_of(page), "channel": "email", "sent_to": "info@testville.example",
        "question": "How do I register a birth?", "sent_at": "next tuesday"})
    assert bad.status_code == 422 and "is not a date and time" in bad.text
    ok = ana.post(f"/cities/{CITY}/responsiveness", data={
        "csrf": csrf_of(page), "channel": "email", "sent_to": "info@testville.example",
        "question": "How do I register a birth?", "sent_at": "2026-03-06T16:00"}, follow_redirects=False)
    assert ok.status_code == 303
    with session_scope(engine) as s:
        test_id = s.scalar(select(ResponsivenessTest.id))
    page = ana.get(f"/cities/{CITY}/responsiveness").text
    early = ana.post(f"/cities/{CITY}/responsiveness/{test_id}/reply", data={
        "csrf": csrf_of(page), "reply_at": "2026-03-01T10:00"})
    assert early.status_code == 422 and "cannot come before" in early.text
    ana.post(f"/cities/{CITY}/responsiveness/{test_id}/reply", data={
        "csrf": csrf_of(page), "reply_at": "2026-03-09T10:00", "reply_text": "<b>Fill form B-12</b>",
        "useful": "yes"})
    page = ana.get(f"/cities/{CITY}/responsiveness").text
    assert "#250 = <strong>1</strong>; #252 = <strong>1</strong>" in page
    assert "&lt;b&gt;Fill form B-12&lt;/b&gt;" in page and "weekend" in page
    again = ana.post(f"/cities/{CITY}/responsiveness/{test_id}/reply", data={
        "csrf": csrf_of(page), "reply_at": "2026-03-20T10:00"})
    assert again.status_code == 422 and "already recorded" in again.text
    item = ana.get(f"/cities/{CITY}/items/250").text
    assert "Suggested 1: responsiveness test" in item and 'data-confirm="c"' in item
