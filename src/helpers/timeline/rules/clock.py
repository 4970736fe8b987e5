"""Rules for weekdays, parts of the day and clock times."""

from __future__ import annotations

import datetime as dt
import re

from ..anchoring import Context, weekday_date
from ..values import ymd
from ..vocabulary import (
    PART_OF_DAY,
    PART_OF_DAY_WORDS,
    TIME_ZONE,
    WEEKDAY,
    WEEKDAY_IN_NAME,
    WEEKDAY_NAMES,
    WEEKDAYS,
    edge_mod,
)
from .base import WEEKDAY_TRIGGER, Deferred, Found, Result, Trigger, capitalised, collapse, rule


def _reference_day(ctx: Context) -> str:
    return ymd(ctx.ref) if ctx.ref else "XXXX-XX-XX"


@rule(
    r"\b(?:(?P<edge>early|late|mid)[- ]?|(?P<prep>in|during|by|through)\s+the\s+)(?P<pod>morning|afternoon|evening)"
    r"\b(?!\s+(?:of|paper|papers|news|show|edition|session|star|prayers?|sickness|glory|after))",
    trigger=Trigger.on_words({"morning", "afternoon", "evening"}, 20, 30),
    priority=1,
)
def part_of_day(m: re.Match[str], ctx: Context) -> Result:
    """Part of the reference day: "in the morning", "late afternoon" (of the reference day)."""
    start = m.start() + len(m.group("prep")) + 1 if m.group("prep") else None  # "in" is not part of it
    value = _reference_day(ctx) + "T" + PART_OF_DAY[m.group("pod").lower()]
    return Found("TIME", value, edge_mod(m.group("edge")), start)


@rule(
    r"\b(?P<pre>(?:[Ll]ast|[Nn]ext|[Tt]his|[Tt]his\s+past|[Tt]his\s+coming|[Ee]arly|[Ll]ate|[Ee]arlier|[Ll]ater)\s+)?"
    rf"(?P<wd>{WEEKDAY})(?:\s+(?P<pod>morning|afternoon|evening|night)s?)?(?!\w){WEEKDAY_IN_NAME}",
    trigger=WEEKDAY_TRIGGER,
    priority=2,
    flags=0,  # weekday names are capitalised; the words before them may not be
)
def weekday(m: re.Match[str], ctx: Context) -> Result:
    """Weekdays: "Friday", "last Monday", "Wednesday night"; "on Mondays" is a SET."""
    token = m.group("wd").lower()
    pod = m.group("pod")
    time_of_day = "T" + PART_OF_DAY[pod.lower()] if pod else ""
    if token.endswith("s") and token.rstrip("s") in WEEKDAY_NAMES:
        return Found("SET", f"XXXX-WXX-{WEEKDAYS[token[:-1]]}" + time_of_day)
    day = WEEKDAYS[token.rstrip(".")]
    pre = (m.group("pre") or "").strip().lower()
    mod = "START" if pre in ("early", "earlier") else "END" if pre in ("late", "later") else ""
    if ctx.ref is None:
        return Found("DATE", f"XXXX-WXX-{day}" + time_of_day, mod)
    if pre.startswith("last") or pre == "this past":
        tense = "past"
    elif pre.startswith("next") or pre == "this coming":
        tense = "future"
    else:
        tense = ctx.tense(m.start(), m.end())
    date = weekday_date(day, ctx.ref, tense, ctx.params)
    if pre == "last" and date == ctx.ref:
        date -= dt.timedelta(days=7)
    if pre == "next" and date == ctx.ref:
        date += dt.timedelta(days=7)
    return Found("DATE", ymd(date) + time_of_day, mod)  # TimeBank types "Wednesday night" as a DATE


def _on_next_date_or_reference(time: str, ref: dt.date | None) -> Deferred:
    """Deferred value of a clock time: on the full date written right after it, else on the reference day."""
    return lambda said: (said.next_date or (ymd(ref) if ref else "XXXX-XX-XX")) + time


@rule(
    r"\b(?P<mod>about|around|approximately|at\s+about|at\s+around|shortly\s+(?:before|after)|"
    r"just\s+(?:before|after))?\s*\b(?P<h>[01]?\d)(?:[:.](?P<mi>[0-5]\d))?\s*"
    rf"(?P<ap>a\.m\.|p\.m\.|am\b|pm\b|a\.m\b|p\.m\b){TIME_ZONE}(?:,?\s+(?:on\s+)?(?P<wd>{WEEKDAY}))?",
    trigger=Trigger.on_pattern(r"[ap]\.?m\b", 40, 40),
    priority=3,
)
def clock_time(m: re.Match[str], ctx: Context) -> Result:
    """Clock times: "5 p.m.", "at about 10:35 a.m. EST", "9 a.m. Friday"."""
    hour = int(m.group("h"))
    if hour > 12 or hour == 0:
        return None
    half = m.group("ap").lower()
    if half.startswith("p") and hour != 12:
        hour += 12
    if half.startswith("a") and hour == 12:
        hour = 0
    time = f"T{hour:02d}:{m.group('mi') or '00'}"
    words = collapse(m.group("mod"))
    if words.replace("at ", "") in ("about", "around", "approximately"):
        mod = "APPROX"
    else:
        mod = "BEFORE" if words.endswith("before") else "AFTER" if words.endswith("after") else ""
    start = m.start("mod") + 3 if words.startswith("at ") else None  # "at about 10:35 a.m.": "at" is not part of it
    if m.group("wd"):
        day = WEEKDAYS.get(m.group("wd").lower().rstrip("."))
        if ctx.ref is None or day is None:
            return Found("TIME", f"XXXX-WXX-{day}{time}", mod, start)
        return Found(
            "TIME", ymd(weekday_date(day, ctx.ref, ctx.tense(m.start(), m.end()), ctx.params)) + time, mod, start
        )
    return Found("TIME", _on_next_date_or_reference(time, ctx.ref), mod, start)  # "5 p.m. EST, Nov. 6"


@rule(
    r"\b(?P<edge>(?:early|late|mid)(?:[- ]|(?=morning|afternoon|evening)))?"
    r"(?P<w>noon|midnight|midday|morning|afternoon|evening|night)\s+(?:on\s+)?"
    rf"(?P<day>yesterday|today|tomorrow|{WEEKDAY})(?!\w)",
    trigger=Trigger.on_words(PART_OF_DAY_WORDS, 20, 30),
    priority=3,
)
def part_of_day_then_day(m: re.Match[str], ctx: Context) -> Result:
    """A part of a day, then the day: "noon Friday", "late evening yesterday", "midnight on Sunday"."""
    word, day = m.group("w").lower(), m.group("day")
    if word in ("morning", "afternoon", "evening", "night") and not m.group("edge"):
        return None  # "Friday morning" order is read by the weekday rule; "morning Friday" is rare
    if day.lower() in ("yesterday", "today", "tomorrow"):
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1}[day.lower()]
        base = ymd(ctx.ref + dt.timedelta(days=offset)) if ctx.ref else "XXXX-XX-XX"
    else:
        weekday_number = WEEKDAYS.get(day.lower().rstrip("."))
        if not capitalised(day) or weekday_number is None:
            return None  # lower case, or a plural ("noon Mondays": the weekday rule makes it a SET)
        if ctx.ref:
            base = ymd(weekday_date(weekday_number, ctx.ref, ctx.tense(m.start(), m.end()), ctx.params))
        else:
            base = f"XXXX-WXX-{weekday_number}"
    time = {"noon": "T12:00", "midday": "T12:00", "midnight": "T24:00"}.get(word) or ("T" + PART_OF_DAY[word])
    return Found("TIME", base + time, edge_mod(m.group("edge")))


_ZONE = r"(?:\s*(?:hrs|h))?\s*(?P<tz>GMT|UTC|BST|CET|CEST|EST|EDT|CST|CDT|PST|PDT|local\s+time|Z)\b"
_ZONES = {"gmt", "utc", "bst", "cet", "cest", "est", "edt", "cst", "cdt", "pst", "pdt", "local", "z"}
_ZONE_TRIGGER = Trigger.on_words(_ZONES, 16, 6)  # six characters after the cue: room for "local time"


def _clock_on_date(m: re.Match[str], ctx: Context) -> Found:
    return Found("TIME", _on_next_date_or_reference(f"T{int(m.group('h')):02d}:{m.group('mi')}", ctx.ref))


@rule(rf"(?<![\d:.])(?P<h>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d){_ZONE}", trigger=_ZONE_TRIGGER, priority=2, flags=0)
def clock_24h(m: re.Match[str], ctx: Context) -> Result:
    """24-hour clock times with a zone: "06:15 GMT", "14.30 local time"."""
    return _clock_on_date(m, ctx)


_CONVERSION_BEFORE = re.compile(r"(?:\d\s*(?:a\.?m\.?|p\.?m\.?)|\d[:.]\d\d|noon|midnight)\s*\($", re.I)
_CLOCK_BEFORE = re.compile(r"(?:\b(?:at|by|from|until|till|to|before|after|about|around|since)\s+|\()$", re.I)


@rule(rf"(?<![\w$£€.,:])(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d){_ZONE}", trigger=_ZONE_TRIGGER, priority=2, flags=0)
def clock_four_digits(m: re.Match[str], ctx: Context) -> Result:
    """24-hour clock times in four digits with a zone, as wire copy writes them: "at 1500 GMT", "(0930 local
    time)", "from 2300 hrs GMT"; only where a time is expected (not "the 2010 UTC rules")."""
    before = ctx.text[max(0, m.start() - 16) : m.start()]
    if not _CLOCK_BEFORE.search(before):
        return None
    if _CONVERSION_BEFORE.search(before):
        return None  # "10:35 a.m. (0735 GMT)": the same moment again in another zone, which TimeML leaves untagged
    return _clock_on_date(m, ctx)


@rule(
    r"\b(?:at\s+)?(?P<w>noon|midnight|midday)\b",
    trigger=Trigger.on_words({"noon", "midnight", "midday"}, 10, 10),
    priority=1,
)
def noon(m: re.Match[str], ctx: Context) -> Result:
    """Noon and midnight of the reference day (not after "at": the clock rules read those)."""
    if m.group(0).lower().startswith("at "):
        return None
    time = "T12:00" if m.group("w").lower() in ("noon", "midday") else "T24:00"
    return Found("TIME", _reference_day(ctx) + time)
