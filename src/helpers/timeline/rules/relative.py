"""Rules for dates said relative to the reference date or to the date last mentioned: "yesterday", "last
week", "two years ago", "that day", "a year earlier", holidays, "current"."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable

from ..anchoring import Context
from ..values import duration_value, shift, shift_or_unknown, unknown, ymd
from ..vocabulary import (
    EDGE,
    MOD_BEFORE,
    MODP,
    PART_OF_DAY,
    PART_OF_DAY_WORDS,
    QUANT,
    UNIT,
    VAGUE,
    WEEKDAYS,
    YEAR4,
    quantity,
    unit_letter,
)
from .base import UNIT_TRIGGER, Deferred, Discourse, Found, Result, Trigger, collapse, rule


def _day_offset(words: str) -> int:
    """Days from the reference date: "the day before yesterday" -2 ... "the day after tomorrow" 2."""
    if "before yesterday" in words:
        return -2
    if "after tomorrow" in words:
        return 2
    return -1 if "yesterday" in words else 1 if "tomorrow" in words else 0


@rule(
    r"\b(?P<edge>(?:[Ee]arly|[Ll]ate|[Ee]arlier|[Ll]ater)\s+)?(?:today|tonight|yesterday|tomorrow|"
    r"the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow)(?:\s+(?P<pod>morning|afternoon|evening|night))?"
    r"\b(?!-)",
    trigger=Trigger.on_words({"today", "tonight", "yesterday", "tomorrow"}, 30, 20),
    priority=2,
)
def deictic(m: re.Match[str], ctx: Context) -> Result:
    """Days said from now: "today", "yesterday evening", "late tomorrow", "tonight"."""
    if (
        m.group(0).startswith("Today")
        and re.search(r"[A-Z][\w.]*\s+$", ctx.text[max(0, m.start() - 20) : m.start()])
        and ctx.sentence(m.start())[0] != m.start()
    ):
        return None  # a title: "USA Today", "Russia Today"
    words = re.sub(r"^(?:early|late|earlier|later)\s+", "", m.group(0).lower())
    base = "XXXX-XX-XX" if ctx.ref is None else ymd(ctx.ref + dt.timedelta(days=_day_offset(words)))
    mod = ""
    if m.group("edge"):
        mod = "START" if m.group("edge").lower().startswith("earl") else "END"
    if words.startswith("tonight"):
        return Found("TIME", base + "TNI", mod)
    if m.group("pod"):
        return Found("TIME", base + "T" + PART_OF_DAY[m.group("pod").lower()], mod)
    return Found("DATE", base, mod)


@rule(
    r"\b(?:this|last|yesterday|tomorrow)\s+(?P<pod>morning|afternoon|evening|night)\b|\b(?:overnight)\b",
    trigger=Trigger.on_words(PART_OF_DAY_WORDS, 25, 12),
    priority=2,
)
def this_part_of_day(m: re.Match[str], ctx: Context) -> Result:
    """Parts of nearby days: "this morning", "last night"."""
    words = m.group(0).lower()
    if words == "overnight":
        return None
    offset = -1 if words.startswith(("yesterday", "last")) else 1 if words.startswith("tomorrow") else 0
    base = "XXXX-XX-XX" if ctx.ref is None else ymd(ctx.ref + dt.timedelta(days=offset))
    return Found("TIME", base + "T" + PART_OF_DAY[m.group("pod").lower()])


_UNITS_FROM_NOW = {"last": -1, "previous": -1, "next": 1, "coming": 1, "this": 0, "current": 0, "the current": 0}


def _from_last_date(letter: str, n: int) -> Deferred:
    """Deferred value: the period of unit ``letter`` ``n`` units from the date last mentioned."""
    return lambda said: shift_or_unknown(said.date, n, letter) if said.date else unknown(letter)


@rule(
    r"\b(?P<det>last|this|next|past|coming|previous|current|the\s+past|the\s+coming|the\s+previous|the\s+current|"
    r"the\s+next|the\s+following|the\s+same|that|the\s+last)\s+(?P<u>week|weekend|month|year|decade|century)"
    r"(?![\w-])",
    trigger=UNIT_TRIGGER,
    priority=2,
)
def relative_unit(m: re.Match[str], ctx: Context) -> Result:
    """Periods said from now or from the last date: "last week", "this year", "the previous month"; "the coming
    year" is a duration from now."""
    det = collapse(m.group("det"))
    letter = unit_letter(m.group("u"))
    if det in ("the coming", "the next", "coming") and letter != "WE":
        return Found("DURATION", "P1" + letter)  # "the next month": a period starting now
    if det in ("the past", "the last", "past"):
        det = "last"  # TimeBank: "the past year" is the previous calendar year (a DATE), like "last year"
    if det in ("the same", "that", "the following", "the previous"):
        return Found("DATE", _from_last_date(letter, {"the following": 1, "the previous": -1}.get(det, 0)))
    if ctx.ref is None:
        return Found("DATE", unknown(letter))
    return Found("DATE", shift_or_unknown(ctx.ref, _UNITS_FROM_NOW.get(det, 0), letter))


@rule(
    r"\b(?P<edge>earlier|later|early|late)\s+(?:this|that|last|next)\s+(?P<u>week|month|year)\b|"
    r"\b(?:the\s+)?(?P<edge2>beginning|start|middle|end|close)\s+of\s+(?P<det>this|last|next|the)\s+"
    r"(?P<u2>week|month|year|decade|century)\b",
    trigger=UNIT_TRIGGER,
    priority=3,
)
def edge_of_relative_unit(m: re.Match[str], ctx: Context) -> Result:
    """The edge of a relative period: "earlier this week", "the end of last year", "late that month"."""
    words = f" {m.group(0).lower()} "
    letter = unit_letter(m.group("u") or m.group("u2"))
    mod = EDGE.get((m.group("edge") or m.group("edge2")).lower(), "")
    if " that " in words:
        return Found("DATE", lambda said: shift(said.date, 0, letter) if said.date else unknown(letter), mod)
    if ctx.ref is None:
        return Found("DATE", unknown(letter), mod)
    n = -1 if " last " in words else 1 if " next " in words else 0
    if m.group("det") and m.group("det").lower() == "the" and letter in ("Y", "M", "W"):
        n = 0
    return Found("DATE", shift_or_unknown(ctx.ref, n, letter), mod)


@rule(
    r"\b(?P<edge>earlier|later|early|late)\s+in\s+the\s+(?P<u>week|month|year|decade)\b",
    trigger=Trigger.on_words({"week", "month", "year", "decade"}, 25, 2),
    priority=3,
)
def edge_in_the_unit(m: re.Match[str], ctx: Context) -> Result:
    """Part of the current period said with "in the": "earlier in the year", "late in the month" (as "earlier
    this year")."""
    letter = unit_letter(m.group("u"))
    mod = EDGE.get(m.group("edge").lower(), "")
    if ctx.ref is None:
        return Found("DATE", unknown(letter), mod)
    return Found("DATE", shift_or_unknown(ctx.ref, 0, letter), mod)


def _ago_from_reference(ref: dt.date, k: int, letter: str, sign: int) -> Deferred:
    """Deferred value of "k units ago": from the reference date, or a year before a quarter just named."""

    def value(said: Discourse) -> str:
        if letter == "Y" and k == 1 and said.quarter_recent:
            return f"{int(said.quarter[:4]) - 1:04d}{said.quarter[4:]}"
        return shift_or_unknown(ref, sign * k, letter)

    return value


def _from_last_mentioned(k: int, letter: str, sign: int) -> Deferred:
    """Deferred value of "k years earlier/later": from the quarter or date last mentioned."""

    def value(said: Discourse) -> str:
        if letter == "Y" and said.quarter_recent:
            return f"{int(said.quarter[:4]) + sign * k:04d}{said.quarter[4:]}"
        if said.date is None:
            return unknown(letter)
        return shift_or_unknown(said.date, sign * k, letter)

    return value


@rule(
    rf"\b(?P<mod>{MODP}\s+)?(?P<n>{QUANT})[\s-]+(?P<u>{UNIT})(?:\s*')?(?P<orso>\s+or\s+so)?\s+"
    r"(?P<dir>ago|earlier|before|later|after|hence|from\s+now|back)\b",
    trigger=UNIT_TRIGGER,
    priority=4,
)
def ago(m: re.Match[str], ctx: Context) -> Result:
    """Units counted from now or from the last date: "two days ago", "a decade ago", "three years later"; "two days
    after the vote" is a duration."""
    direction = m.group("dir").lower()
    written = m.group("n")
    n = quantity(written)
    unit = m.group("u")
    letter = unit_letter(unit)
    mod = MOD_BEFORE.get(collapse(m.group("mod")), "") or ("APPROX" if m.group("orso") else "")
    sign = -1 if direction in ("ago", "earlier", "before", "back") else 1
    if direction in ("before", "after") or (direction in ("earlier", "later") and letter != "Y"):
        # "two days after the vote", "three days later": TimeML marks the duration only
        if n is None and not re.fullmatch(VAGUE, written.strip().lower()):
            return None
        return Found("DURATION", duration_value(n, unit), mod, None, m.end("u"))
    if n is None:
        return Found("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", mod)
    if letter in ("S", "H") or unit.lower().startswith(("min", "sec", "hour", "hr")) or not float(n).is_integer():
        return Found("DURATION", duration_value(n, unit), mod)
    if letter in ("DE", "CE") and ctx.params.decades_as_years:  # "a decade ago": the year ten years back
        n, letter = n * (10 if letter == "DE" else 100), "Y"
    if direction in ("ago", "hence", "from now", "back"):
        if ctx.ref is None:
            return Found("DATE", unknown(letter, "XXXX-XX-XX"), mod)
        return Found("DATE", _ago_from_reference(ctx.ref, int(n), letter, sign), mod)
    return Found("DATE", _from_last_mentioned(int(n), letter, sign), mod)


def _year_before_last_mentioned(ref: dt.date | None) -> Deferred:
    def value(said: Discourse) -> str:
        if said.quarter_recent:
            return f"{int(said.quarter[:4]) - 1:04d}{said.quarter[4:]}"
        anchor = said.date or ref
        return f"{anchor.year - 1:04d}" if anchor else "XXXX"

    return value


@rule(
    r"\b(?:year-earlier|year-ago|a\s+year\s+earlier|prior-year|year-before)\b",
    trigger=Trigger.on_words({"year"}, 25, 15),
    priority=1,
)
def year_earlier(m: re.Match[str], ctx: Context) -> Result:
    """The year (or quarter) before the one last mentioned: "year-earlier", "a year earlier"."""
    return Found("DATE", _year_before_last_mentioned(ctx.ref))


# ------------------------------------------------------------------------------------------ holidays
def easter(y: int) -> dt.date:
    """Easter Sunday of year ``y`` (Gregorian computus)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    mm = (a + 11 * h + 19 * l_) // 433
    month = (h + l_ - 7 * mm + 90) // 25
    day = (h + l_ - 7 * mm + 33 * month + 19) % 32
    return dt.date(y, month, day)


def nth_weekday(y: int, month: int, weekday: int, n: int) -> dt.date:
    """The ``n``-th ``weekday`` (1 = Monday) of a month; ``n`` = -1 for the last one."""
    if n > 0:
        first = dt.date(y, month, 1)
        return first + dt.timedelta(days=(weekday - first.isoweekday()) % 7) + dt.timedelta(weeks=n - 1)
    last = dt.date(y, month, calendar.monthrange(y, month)[1])
    return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)


HOLIDAYS: dict[str, Callable[[int], dt.date]] = {
    "christmas eve": lambda y: dt.date(y, 12, 24),
    "christmas day": lambda y: dt.date(y, 12, 25),
    "christmas": lambda y: dt.date(y, 12, 25),
    "new year's eve": lambda y: dt.date(y, 12, 31),
    "new year's day": lambda y: dt.date(y, 1, 1),
    "independence day": lambda y: dt.date(y, 7, 4),
    "halloween": lambda y: dt.date(y, 10, 31),
    "valentine's day": lambda y: dt.date(y, 2, 14),
    "thanksgiving": lambda y: nth_weekday(y, 11, 4, 4),
    "thanksgiving day": lambda y: nth_weekday(y, 11, 4, 4),
    "labor day": lambda y: nth_weekday(y, 9, 1, 1),
    "memorial day": lambda y: nth_weekday(y, 5, 1, -1),
    "easter": easter,
    "easter sunday": easter,
    "good friday": lambda y: easter(y) - dt.timedelta(days=2),
    "easter monday": lambda y: easter(y) + dt.timedelta(days=1),
    "veterans day": lambda y: dt.date(y, 11, 11),
    "boxing day": lambda y: dt.date(y, 12, 26),
}
_HOLIDAY_CUES = {"christmas", "year", "independence", "halloween", "valentine", "thanksgiving", "labor", "memorial"}
_HOLIDAY_CUES |= {"easter", "good", "veterans", "boxing"}


@rule(
    r"\b(?P<pre>(?:last|this|next|this\s+past|this\s+coming)\s+)?(?P<h>Christmas(?:\s+(?:Eve|Day))?|"
    r"New\s+Year's\s+(?:Eve|Day)|Independence\s+Day|Halloween|Valentine's\s+Day|Thanksgiving(?:\s+Day)?|"
    r"Labor\s+Day|Memorial\s+Day|Easter(?:\s+(?:Sunday|Monday))?|Good\s+Friday|Veterans\s+Day|Boxing\s+Day)"
    rf"(?:,?\s+(?P<y>{YEAR4}))?(?![\w-])",
    trigger=Trigger.on_words(_HOLIDAY_CUES, 25, 25),
    priority=2,
    flags=0,
)
def holiday(m: re.Match[str], ctx: Context) -> Result:
    """Holidays: "Christmas Day", "last Thanksgiving", "Easter 2019"."""
    day_of = HOLIDAYS.get(collapse(m.group("h")))
    if day_of is None:
        return None
    if m.group("y"):
        return Found("DATE", ymd(day_of(int(m.group("y")))))
    if ctx.ref is None:
        some_year = day_of(2001)
        return Found("DATE", f"XXXX-{some_year.month:02d}-{some_year.day:02d}")
    pre, ref = collapse(m.group("pre")), ctx.ref
    this_year = day_of(ref.year)
    if pre in ("last", "this past"):
        return Found("DATE", ymd(this_year if this_year < ref else day_of(ref.year - 1)))
    if pre in ("next", "this coming"):
        return Found("DATE", ymd(this_year if this_year > ref else day_of(ref.year + 1)))
    tense = ctx.tense(m.start(), m.end())
    previous = this_year if this_year <= ref else day_of(ref.year - 1)
    coming = this_year if this_year >= ref else day_of(ref.year + 1)
    if tense == "past":
        return Found("DATE", ymd(previous))
    if tense == "future":
        return Found("DATE", ymd(coming))
    return Found("DATE", ymd(previous if (ref - previous) <= (coming - ref) else coming))


# ------------------------------------------------------------------------------------------ "current", "that day"
_NOT_A_TIME_AFTER_CURRENT = (
    r"account|affairs|events|and\s+former|or\s+former|members?|employees?|officials?|owners?|holders?|chairman|"
    r"president|ceo|director|head|leaders?|wife|husband"
)


@rule(
    rf"\b(?:[Cc]urrent)\b(?!\s+(?:{_NOT_A_TIME_AFTER_CURRENT}))(?!-)",
    trigger=Trigger.on_words({"current"}, 2, 20),
    priority=0,
    flags=0,
)
def current(m: re.Match[str], ctx: Context) -> Result:
    """The adjective "current" ("the current crisis"): PRESENT_REF."""
    before = ctx.text[max(0, m.start() - 12) : m.start()].lower()
    if (
        not re.match(r"\s+[a-z]", ctx.text[m.end() : m.end() + 2])
        or re.search(r"(?:electric|ocean|air|the\s+then)\s*$", before)
        or "then" in before[-6:]
    ):
        return None  # only the adjective "current X", and not an electric or ocean current
    return Found("DATE", "PRESENT_REF")


def _weekday_around_last_day(weekday: int, direction: str) -> Deferred:
    def value(said: Discourse) -> str:
        if said.day is None:
            return f"XXXX-WXX-{weekday}"
        if direction == "previous":
            return ymd(said.day - dt.timedelta(days=(said.day.isoweekday() - weekday) % 7 or 7))
        return ymd(said.day + dt.timedelta(days=(weekday - said.day.isoweekday()) % 7 or 7))

    return value


def _part_of_last_day(unit: str, step: int = 0) -> Deferred:
    """The last full date (``step`` days on: "the next day", "the previous evening"), or a part of that day."""

    def value(said: Discourse) -> str:
        base = ymd(said.day + dt.timedelta(days=step)) if said.day is not None else "XXXX-XX-XX"
        return base if unit == "day" else base + "T" + PART_OF_DAY[unit]

    return value


@rule(
    r"\b(?P<edge>(?:[Ee]arlier|[Ll]ater|[Ee]arly|[Ll]ate)\s+)?(?:[Tt]hat|[Tt]he\s+same|[Tt]hat\s+same)\s+"
    r"(?P<u>day|morning|afternoon|evening|night)\b|"
    r"\b(?:[Tt]he|[Tt]hat)\s+(?P<rel>previous|following|next)\s+"
    r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
    trigger=Trigger.on_words({"that", "same", "previous", "following"}, 15, 40),
    priority=2,
    flags=0,
)
def that_day(m: re.Match[str], ctx: Context) -> Result:
    """Anaphoric days from the last full date: "that same day", "earlier that day", "the previous Friday"."""
    if m.group("wd"):
        return Found("DATE", _weekday_around_last_day(WEEKDAYS[m.group("wd").lower()], m.group("rel").lower()))
    unit = m.group("u").lower()
    edge = (m.group("edge") or "").strip().lower()
    mod = "START" if edge.startswith("earl") else "END" if edge.startswith("lat") else ""
    return Found("TIME" if unit != "day" else "DATE", _part_of_last_day(unit), mod)


@rule(
    r"\b(?P<edge>(?:[Ee]arlier|[Ll]ater|[Ee]arly|[Ll]ate)\s+)?[Tt]he\s+(?P<step>previous|following|next)\s+"
    r"(?P<u>day)\b(?![\w-])",
    trigger=Trigger.on_words({"previous", "following", "next"}, 15, 20),
    priority=2,
    flags=0,
)
def next_day(m: re.Match[str], ctx: Context) -> Result:
    """The day after or before the last full date: "the next day", "late the previous day". Not its parts ("the
    next morning"): AQUAINT writes those as a DATE, TimeBank's "this morning" as a TIME, and as a TIME they cost
    AQUAINT value and type F1 (``tempeval3.py --ablation``)."""
    edge = (m.group("edge") or "").strip().lower()
    mod = "START" if edge.startswith("earl") else "END" if edge.startswith("lat") else ""
    step = -1 if m.group("step").lower() == "previous" else 1
    return Found("DATE", _part_of_last_day("day", step), mod)
