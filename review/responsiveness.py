"""LOSI #250 and #252: the municipality's answer to a set question, timed in business days.

losi-2024 says:
- #250 "Responsiveness of the municipality to a set question sent by e-mail/online form in less
  than 3 business days": 1 when the reply came in less than 3 business days.
- #252 "Provision of a useful answer ... within three days after sending it": 1 when the reply
  is useful and specific to the question and came within 3 days (calendar days: 72 hours).

Business time is the time between sending and reply that falls on the country's working days:
weekend days (the country's own: Friday-Saturday in Israel, Saturday-Sunday in most) and public
holidays (the `holidays` package, by ISO 3166 alpha-3 code) do not count. So a question sent on
Friday at 16:00 and answered on Wednesday at 15:00 took 8 + 24 + 24 + 15 = 71 hours of business
time: less than 3 business days. Times are the city's local wall-clock time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

BUSINESS_DAYS_LIMIT = 3  # #250: "less than 3 business days"
CALENDAR_LIMIT = timedelta(days=3)  # #252: "within three days after sending it"
DEFAULT_WEEKEND = frozenset({5, 6})  # Saturday, Sunday: for a country `holidays` does not know


@dataclass(frozen=True)
class Calendar:
    country: str
    weekend: frozenset[int]  # date.weekday() values
    known: bool  # False: weekends only, no public holidays (the country is not in `holidays`)
    _holidays: holidays.HolidayBase | None

    def holiday(self, day: date) -> str:
        if self._holidays is None:
            return ""
        return str(self._holidays.get(day) or "")

    def working(self, day: date) -> bool:
        return day.weekday() not in self.weekend and not self.holiday(day)


@lru_cache(maxsize=256)
def calendar(country: str) -> Calendar:
    try:
        # Holiday names in English whatever the machine's locale (the package would otherwise
        # follow LANG); a country without English names keeps its default language.
        cal = holidays.country_holidays(country.upper(), language="en_US")
    except NotImplementedError:
        return Calendar(country, DEFAULT_WEEKEND, False, None)
    return Calendar(country, frozenset(cal.weekend), True, cal)


def business_time(sent: datetime, reply: datetime, cal: Calendar) -> timedelta:
    """The part of [sent, reply] that falls on working days of `cal`."""
    if reply <= sent:
        return timedelta(0)
    total = timedelta(0)
    day = sent.date()
    while day <= reply.date():
        if cal.working(day):
            start = max(sent, datetime.combine(day, time.min))
            end = min(reply, datetime.combine(day + timedelta(days=1), time.min))
            total += end - start
        day += timedelta(days=1)
    return total


@dataclass(frozen=True)
class Result:
    """What a responsiveness test gives; values are None until the facts they need are known."""

    business_days: float | None  # business time in days (hours / 24)
    calendar_hours: float | None
    value_250: int | None
    value_252: int | None
    explanation: str
    skipped: tuple[str, ...]  # non-working days inside the interval, named, for the reviewer


def evaluate(sent: datetime, reply: datetime | None, useful: bool | None, cal: Calendar,
             today: datetime | None = None) -> Result:
    """The values of #250 and #252 from one test.

    Without a reply, both are 0 once the limits have passed (no answer in time is a 0), and
    unknown (None) before that.
    """
    if reply is not None and reply < sent:
        raise ValueError("the reply cannot come before the question was sent")
    end = reply if reply is not None else (today or datetime.now())
    skipped = []
    day = sent.date()
    while day <= end.date():
        if not cal.working(day):
            skipped.append(f"{day.isoformat()} {cal.holiday(day) or 'weekend'}")
        day += timedelta(days=1)
    biz = business_time(sent, end, cal)
    biz_days = biz / timedelta(days=1)
    hours = (end - sent) / timedelta(hours=1)
    where = "" if cal.known else f" ({cal.country}: weekends only, no public-holiday calendar)"
    if reply is None:
        late_250 = biz_days >= BUSINESS_DAYS_LIMIT
        late_252 = end - sent > CALENDAR_LIMIT
        return Result(
            None, None, 0 if late_250 else None, 0 if late_252 else None,
            f"no reply yet after {biz_days:.2f} business days{where}"
            + ("; too late for #250" if late_250 else "") + ("; too late for #252" if late_252 else ""),
            tuple(skipped))
    v250 = 1 if biz_days < BUSINESS_DAYS_LIMIT else 0
    in_time = reply - sent <= CALENDAR_LIMIT
    v252: int | None
    if not in_time:
        v252 = 0
    elif useful is None:
        v252 = None  # in time, but nobody has judged the answer yet
    else:
        v252 = 1 if useful else 0
    return Result(biz_days, hours, v250, v252,
                  f"replied after {biz_days:.2f} business days ({hours:.1f} h){where}", tuple(skipped))
