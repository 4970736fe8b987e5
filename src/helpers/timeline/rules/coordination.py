"""Rules for coordinations whose members share a unit, a month or a year written once: "12 and 18 months" (``12``:
P12M, then "18 months"), "April 24 and 25" (``25``: the 25th of the same month), "3 to 6 May" (``3``: May 3),
"May and June 2011" (``May``: 2011-05). TimeML annotates each member; the member that carries the shared word is
the ordinary rules'."""

from __future__ import annotations

import datetime as dt
import re

from ..anchoring import Context, pick_year
from ..values import duration_value, is_valid_date, ymd
from ..vocabulary import DAYNUM, MONTH, NUMDIGIT, NUMWORD, UNIT, YEAR4, day_of_month, month_number, quantity
from .base import MONTH_TRIGGER, UNIT_TRIGGER, Deferred, Discourse, Found, Result, rule


@rule(
    rf"\b(?P<n>{NUMDIGIT}|{NUMWORD})\s+and\s+(?:{NUMDIGIT}|{NUMWORD})[- ](?P<u>{UNIT})\b",
    trigger=UNIT_TRIGGER,
    priority=2,
)
def counted_pair(m: re.Match[str], ctx: Context) -> Result:
    """The first count of "between 12 and 18 months", "three and four years": a duration in the unit written
    after the second."""
    n = quantity(m.group("n"))
    if n is None or ctx.text[max(0, m.start() - 1) : m.start()] in ("$", "."):
        return None
    return Found("DURATION", duration_value(n, m.group("u")), "", None, m.end("n"))


def _same_month(month: int, day: int) -> Deferred:
    """Deferred value: ``day`` of the month of the full date just written ("April 24 and 25"), else unanchored."""

    def value(said: Discourse) -> str:
        if said.day is not None and said.day.month == month:
            try:
                return ymd(dt.date(said.day.year, month, day))
            except ValueError:  # "February 28 and 30"
                return ""
        return f"XXXX-{month:02d}-{day:02d}"

    return value


_DAY_DIGITS = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_AND_TO = r"(?:\s+(?:and|&|to|through|or)\s+|\s*-\s*)"
_NOT_A_DAY_AFTER = r"(?!\s*(?:%|percent|per|[,.]?\d|(?:st|nd|rd|th)?\s+(?:of\s+)?(?:[A-Z][a-z]+)))"


@rule(
    rf"\b(?P<mon>{MONTH})\s+{DAYNUM}(?:\s*,\s*{DAYNUM})*,?{_AND_TO}(?P<d2>{_DAY_DIGITS})\b"
    rf"(?:,?\s+(?P<year>{YEAR4}))?{_NOT_A_DAY_AFTER}",
    trigger=MONTH_TRIGGER,
    priority=2,
    flags=0,
)
def second_day(m: re.Match[str], ctx: Context) -> Result:
    """The second day of "April 24 and 25", "Nov. 19-20", "Sept. 3, 4 and 5, 2010": a day of the same month
    (and of the year written after it, else of the first day's)."""
    month, day = month_number(m.group("mon")), day_of_month(m.group("d2"))
    if month is None or not is_valid_date(2000, month, day):
        return None
    if m.group("year"):
        y = int(m.group("year"))
        return Found("DATE", ymd(dt.date(y, month, day)) if is_valid_date(y, month, day) else "", "", m.start("d2"))
    return Found("DATE", _same_month(month, day), "", m.start("d2"))


@rule(
    rf"\b(?P<mon>{MONTH})\s+(?P<d1>{DAYNUM})(?:\s*,\s*{DAYNUM})*,?{_AND_TO}{_DAY_DIGITS},?\s+(?P<year>{YEAR4})\b",
    trigger=MONTH_TRIGGER,
    priority=4,
    flags=0,
)
def first_day_before_year(m: re.Match[str], ctx: Context) -> Result:
    """The first day of "September 14 and 18, 2010": the year written after the second."""
    month, day, y = month_number(m.group("mon")), day_of_month(m.group("d1")), int(m.group("year"))
    if month is None or not is_valid_date(y, month, day):
        return None
    return Found("DATE", ymd(dt.date(y, month, day)), "", None, m.end("d1"))


@rule(
    rf"\b(?P<d1>{_DAY_DIGITS}){_AND_TO}(?P<d2>{_DAY_DIGITS})\s+(?:of\s+)?(?P<mon>{MONTH})(?:,?\s+(?P<year>{YEAR4}))?\b",
    trigger=MONTH_TRIGGER,
    priority=2,
    flags=0,
)
def first_day_before_month(m: re.Match[str], ctx: Context) -> Result:
    """The first day of "3 to 6 May", "24 and 25 April 2013": a day of the month written after the second."""
    month, day, last = month_number(m.group("mon")), day_of_month(m.group("d1")), day_of_month(m.group("d2"))
    if month is None or not is_valid_date(2000, month, day) or not is_valid_date(2000, month, last):
        return None
    if m.group("year"):
        y = int(m.group("year"))
    elif ctx.ref is None:
        return Found("DATE", f"XXXX-{month:02d}-{day:02d}", "", None, m.end("d1"))
    else:
        y = pick_year(month, last, ctx.ref, ctx.tense(m.start(), m.end()), ctx.params)
    if not is_valid_date(y, month, day):
        return None
    return Found("DATE", ymd(dt.date(y, month, day)), "", None, m.end("d1"))


@rule(
    rf"\b(?P<m1>{MONTH})(?P<sep>{_AND_TO})(?P<m2>{MONTH})(?:\s+of)?,?\s+(?P<year>{YEAR4})\b",
    trigger=MONTH_TRIGGER,
    priority=3,
    flags=0,
)
def first_month_before_year(m: re.Match[str], ctx: Context) -> Result:
    """The first month of "May and June 2011", "December to February 2013" (the year before when the range
    crosses new year)."""
    first, second = month_number(m.group("m1")), month_number(m.group("m2"))
    if first is None or second is None:
        return None
    y = int(m.group("year")) - (1 if first > second and "and" not in m.group("sep") else 0)
    return Found("DATE", f"{y:04d}-{first:02d}", "", None, m.end("m1"))
