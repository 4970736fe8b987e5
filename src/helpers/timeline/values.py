"""TimeML values: writing them, the calendar interval a value covers, the length of a duration, and what
"resolved" means. The one definition the tagger and the timeline share.

A DATE or TIME value is **resolved** when it names a place on the calendar: ``2024-12-06``, ``2024-W48``,
``2024-Q3``, ``199X``, and the vague ``PRESENT_REF``. It is unresolved when part of it stands for an unknown
year, month, day or week (``XXXX-10-07``, ``XXXX-WXX-5``), which is what relative expressions become in a
document with no reference date. DURATION and SET values need no anchor: they are resolved when not empty.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

import pandas as pd

from .vocabulary import UNITS, unit_key

__all__ = [
    "Interval",
    "Duration",
    "is_resolved",
    "interval",
    "parse_value",
    "parse_duration",
    "duration_years",
    "to_date",
]


def is_resolved(kind: str, value: object) -> bool:
    """Whether a value of type ``kind`` (DATE, TIME, DURATION, SET) is anchored (see the module docstring)."""
    if not isinstance(value, str) or not value.strip():
        return False
    if kind in ("DATE", "TIME"):
        v = value.strip()
        return not (v.startswith("XX") or "-XX" in v or "WXX" in v)
    return True


# ------------------------------------------------------------------------------------------ writing values
def ymd(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def add_months(year: int, month: int, k: int) -> tuple[int, int]:
    t = year * 12 + (month - 1) + k
    return t // 12, t % 12 + 1


def is_valid_date(year: int, month: int, day: int) -> bool:
    """A real calendar day (year 0 stands for "any year": February 29 is valid)."""
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year if year else 2000, month)[1]


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


# the value of a period of each unit whose place is unknown
_UNKNOWN = {
    "D": "XXXX-XX-XX",
    "W": "XXXX-WXX",
    "WE": "XXXX-WXX-WE",
    "M": "XXXX-XX",
    "Y": "XXXX",
    "Q": "XXXX-QX",
    "DE": "XXXX",
    "CE": "XXXX",
}


def unknown(letter: str, default: str = "XXXX") -> str:
    """Unresolved value of a period of unit ``letter`` ("W" -> ``XXXX-WXX``)."""
    return _UNKNOWN.get(letter, default)


def shift(ref: dt.date, n: int, letter: str) -> str | None:
    """Value of the period of unit ``letter`` that holds ``ref`` moved by ``n`` units (negative: the past)."""
    try:
        if letter == "D":
            return ymd(ref + dt.timedelta(days=n))
        if letter == "W":
            return iso_week(ref + dt.timedelta(weeks=n))
        if letter == "WE":
            return iso_week(ref + dt.timedelta(weeks=n)) + "-WE"
        if letter == "M":
            y, m = add_months(ref.year, ref.month, n)
            return f"{y:04d}-{m:02d}"
        if letter == "Y":
            return f"{ref.year + n:04d}"
        if letter == "Q":
            y, q = divmod(ref.year * 4 + quarter_of(ref) - 1 + n, 4)
            return f"{y:04d}-Q{q + 1}"
        if letter == "DE":
            return f"{(ref.year + 10 * n) // 10:03d}X"
        if letter == "CE":
            return f"{(ref.year + 100 * n) // 100:02d}XX"
    except (OverflowError, ValueError):  # out of the calendar's range (year 0 or 10000)
        return None
    return None


def shift_or_unknown(ref: dt.date, n: int, letter: str) -> str:
    return shift(ref, n, letter) or unknown(letter)


def number(n: float) -> str:
    """``3`` for 3.0, ``2.5`` for 2.5."""
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


# a fraction of a unit written in the next smaller one: letter -> (per unit, smaller letter, time unit?)
_SMALLER = {
    "Y": (12, "M", False),
    "H": (60, "M", True),
    "D": (24, "H", True),
    "W": (7, "D", False),
    "DE": (10, "Y", False),
    "CE": (100, "Y", False),
    "S": (1000, "MS", True),
}


def duration_value(n: float | None, unit_word: str) -> str:
    """TimeML value of ``n`` units ("P3Y", "PT2H30M", "P1Y6M"); ``n`` None gives a vague one ("PXY")."""
    key = unit_key(unit_word)
    letter, is_time = UNITS.get(key, ("Y", False))
    if key == "fortnight":
        n = None if n is None else n * 2
    if n is None:
        return ("PTX" if is_time else "PX") + letter
    if not float(n).is_integer():  # "a year and a half" -> P1Y6M, "2 1/2 hours" -> PT2H30M
        whole, frac = int(n), n - int(n)
        smaller = ((60, "S", True) if is_time else (30, "D", False)) if letter == "M" else _SMALLER.get(letter)
        if smaller and float(frac * smaller[0]).is_integer():
            per, small_letter, _ = smaller
            if letter == "D":
                return f"P{whole}DT{int(frac * per)}H" if whole else f"PT{int(frac * per)}H"
            head = f"{whole}{letter}" if whole else ""
            if letter in ("DE", "CE"):
                return f"P{number(n * per)}Y"
            if letter == "W":
                return f"P{number(n * 7)}D"
            return ("PT" if is_time else "P") + head + f"{int(frac * per)}{small_letter}"
    return ("PT" if is_time else "P") + number(n) + letter


# ------------------------------------------------------------------------------------------ reading values
class Interval(NamedTuple):
    """The calendar days a DATE/TIME value covers, and at which granularity it names them."""

    first: dt.date
    last: dt.date
    granularity: str  # day, month, year, week, weekend, quarter, half, season, decade, century


_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}  # meteorological; winter ends in Feb


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def value_interval(value: object) -> Interval | None:
    """The :class:`Interval` of a resolved DATE/TIME value; None for anything else (or an impossible date).

    ``2024-12-06`` (also with a time), ``2024-12``, ``2024``, ``2024-W48`` (``-WE`` weekend), ``2024-Q3``,
    ``2024-H1``, ``2024-SU`` (meteorological seasons), ``199X``/``199`` (decade), ``19XX``/``19`` (century).
    """
    if not isinstance(value, str):
        return None
    v = value.strip()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)(?:T.*)?", v):
            d = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return Interval(d, d, "day")
        if m := re.fullmatch(r"(\d{4})-(\d\d)", v):
            y, mo = int(m[1]), int(m[2])
            return Interval(dt.date(y, mo, 1), _month_end(y, mo), "month")
        if re.fullmatch(r"\d{4}", v):
            return Interval(dt.date(int(v), 1, 1), dt.date(int(v), 12, 31), "year")
        if m := re.fullmatch(r"(\d{4})-W(\d\d)(-WE)?", v):
            monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            if m[3]:
                return Interval(monday + dt.timedelta(days=5), monday + dt.timedelta(days=6), "weekend")
            return Interval(monday, monday + dt.timedelta(days=6), "week")
        if m := re.fullmatch(r"(\d{4})-([QH])(\d)", v):
            y, n = int(m[1]), int(m[3])
            months = 3 if m[2] == "Q" else 6
            if not 1 <= n <= 12 // months:
                return None
            first = (n - 1) * months + 1
            last = first + months - 1
            return Interval(dt.date(y, first, 1), _month_end(y, last), "quarter" if m[2] == "Q" else "half")
        if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", v):
            y = int(m[1])
            a, b = _SEASON_MONTHS[m[2]]
            end_y, end_m = (y + 1, b - 12) if b > 12 else (y, b)
            return Interval(dt.date(y, a, 1), _month_end(end_y, end_m), "season")
        if m := re.fullmatch(r"(\d{3})X?", v):
            y = int(m[1]) * 10
            return Interval(dt.date(y, 1, 1), dt.date(y + 9, 12, 31), "decade")
        if m := re.fullmatch(r"(\d{2})(?:XX)?", v):
            y = int(m[1]) * 100
            return Interval(dt.date(max(1, y), 1, 1), dt.date(y + 99, 12, 31), "century")
    except ValueError:  # an impossible date ("2024-02-30", week 54)
        return None
    return None


def interval(value: object) -> tuple[dt.date, dt.date] | None:
    """First and last day covered by a resolved DATE/TIME value (see :func:`value_interval`), or None."""
    found = value_interval(value)
    return None if found is None else (found.first, found.last)


def parse_value(value: object) -> Interval | None:
    """``(first_day, last_day, granularity)`` of a resolved DATE/TIME value at day, month or year granularity.

    ``"2024-12-06"`` and ``"2024-12-06T10:00"`` are days, ``"2024-12"`` a month, ``"2011"`` a year. Anything
    else (weeks, seasons, decades, ``XXXX-10-07``, ``PRESENT_REF``, impossible dates) gives None.
    """
    found = value_interval(value)
    return found if found is not None and found.granularity in ("day", "month", "year") else None


# ------------------------------------------------------------------------------------------ durations
class Duration(NamedTuple):
    """The length of a DURATION value in years, whether it is vague (``PXY``: "years"), and whether it has a
    clock part (hours, minutes, seconds: ``PT3H``)."""

    years: float
    vague: bool
    clock: bool


_YEARS_PER_UNIT = {
    "ML": 1000.0,
    "CE": 100.0,
    "DE": 10.0,
    "Y": 1.0,
    "Q": 0.25,
    "M": 1 / 12,
    "W": 7 / 365.25,
    "WE": 2 / 365.25,
    "D": 1 / 365.25,
}
_YEARS_PER_TIME_UNIT = {"H": 1 / 8766, "M": 1 / 525960, "S": 1 / 31557600}
VAGUE_UNITS = 2  # a vague count ("years", "decades") is taken as at least two units
_AMOUNT = r"(?:\d+(?:\.\d+)?|X)"
_DURATION = re.compile(rf"P((?:{_AMOUNT}(?:ML|CE|DE|WE|Y|Q|M|W|D))*)(?:T((?:{_AMOUNT}[HMS])*))?")
_DATE_PART = re.compile(rf"({_AMOUNT})(ML|CE|DE|WE|Y|Q|M|W|D)")
_TIME_PART = re.compile(rf"({_AMOUNT})([HMS])")


def parse_duration(value: object) -> Duration | None:
    """:class:`Duration` of a DURATION value (``P40Y`` 40, ``P4DE`` 40, ``P1Y6M`` 1.5, ``PT3H``, ``PXDE`` a vague
    20); None when the value is not a duration."""
    if not isinstance(value, str):
        return None
    m = _DURATION.fullmatch(value.strip())
    if not m or not (m[1] or m[2]):
        return None
    parts = [(amount, _YEARS_PER_UNIT[unit]) for amount, unit in _DATE_PART.findall(m[1] or "")]
    parts += [(amount, _YEARS_PER_TIME_UNIT[unit]) for amount, unit in _TIME_PART.findall(m[2] or "")]
    total, vague = 0.0, False
    for amount, years_per_unit in parts:
        if amount == "X":
            vague = True
            total += VAGUE_UNITS * years_per_unit
        else:
            total += float(amount) * years_per_unit
    return Duration(total, vague, bool(m[2]))


def duration_years(value: object) -> float | None:
    """Length in years of a DURATION value (``P40Y`` -> 40, ``P4DE`` -> 40, ``P1Y6M`` -> 1.5, ``PT3H``);
    None for vague (``PXY``) or non-duration values."""
    found = parse_duration(value)
    return None if found is None or found.vague else found.years


# ------------------------------------------------------------------------------------------ reference dates
def to_date(x: object) -> dt.date | None:
    """A date, datetime, ISO string or Timestamp as ``datetime.date``; None when missing or unparseable."""
    if x is None:
        return None
    try:
        if isinstance(x, float) or x is pd.NaT or pd.isna(x):
            return None
    except (TypeError, ValueError):  # pd.isna of a list-like
        pass
    if isinstance(x, dt.datetime):
        return x.date()
    if isinstance(x, dt.date):
        return x
    if isinstance(x, str):
        if not x.strip():
            return None
        m = re.match(r"\s*(\d{4})-?(\d{2})-?(\d{2})", x)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    try:
        ts = pd.Timestamp(x)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(ts) else ts.date()
