"""Rules for dates written on the calendar: month and day, numeric dates, years, decades and centuries."""

from __future__ import annotations

import datetime as dt
import re

from ..anchoring import Context, pick_year, year_of
from ..values import is_valid_date, iso_week
from ..vocabulary import (
    CENTURY_ORDINALS,
    CENTURY_WORDS,
    DAYNUM,
    DECADE_WORDS,
    EDGEP,
    MONTH,
    WEEKDAY,
    WEEKDAYS,
    YEAR,
    YEAR4,
    YEAR_TENS_WORDS,
    YEARW,
    day_of_month,
    edge_mod,
    month_number,
    year_from_words,
)
from .base import BLOCK, MONTH_TRIGGER, Found, Result, Trigger, capitalised, collapse, rule

_WEEKDAY_BEFORE = rf"(?:(?P<wd>{WEEKDAY})(?:\s*,\s*|\s+)(?:the\s+)?)?"
_APPROX_BEFORE = r"(?:(?P<apx>around|about|approximately|circa|ca\.|roughly)\s+)?"
_YEAR_AFTER = rf"(?:(?:\s*,\s*|\s+)(?P<year>{YEAR}))?"


def _day_value(m: re.Match[str], ctx: Context, month: int, day: int) -> Result:
    """A month and day, with the match's year, else the year the tense picks; BLOCK for an impossible date."""
    if m.group("year"):
        y = year_of(m.group("year"), ctx.ref)
        return Found("DATE", f"{y:04d}-{month:02d}-{day:02d}") if is_valid_date(y, month, day) else BLOCK
    if not is_valid_date(2000, month, day):
        return BLOCK
    if ctx.ref is None:
        return Found("DATE", f"XXXX-{month:02d}-{day:02d}")
    y = pick_year(month, day, ctx.ref, ctx.tense(m.start(), m.end()), ctx.params)
    return Found("DATE", f"{y:04d}-{month:02d}-{day:02d}") if is_valid_date(y, month, day) else BLOCK


@rule(
    rf"\b{_APPROX_BEFORE}{_WEEKDAY_BEFORE}(?P<mon>{MONTH})\s+(?P<day>{DAYNUM})\b{_YEAR_AFTER}"
    r"(?![\d,]*\d)(?!\s*(?:%|percent))",
    trigger=MONTH_TRIGGER,
    priority=3,
)
def month_day(m: re.Match[str], ctx: Context) -> Result:
    """Month and day: "Dec. 6", "Friday, December 6, 2024", "around March 3"."""
    if not capitalised(m.group("mon")):
        return None
    month, day = month_number(m.group("mon")), day_of_month(m.group("day"))
    weekday = WEEKDAYS.get((m.group("wd") or "").lower().rstrip("."))
    found = None
    if weekday and not m.group("year") and ctx.ref is not None:  # the year in which that day is that weekday
        for y in (ctx.ref.year, ctx.ref.year - 1, ctx.ref.year + 1):
            if is_valid_date(y, month, day) and dt.date(y, month, day).isoweekday() == weekday:
                found = Found("DATE", f"{y:04d}-{month:02d}-{day:02d}")
                break
    if found is None:
        found = _day_value(m, ctx, month, day)
    return found._replace(mod="APPROX") if m.group("apx") and isinstance(found, Found) else found


@rule(
    rf"\b{_WEEKDAY_BEFORE}(?:the\s+)?(?P<day>{DAYNUM})(?P<of>\s+of)?\s+(?P<mon>{MONTH}){_YEAR_AFTER}\b",
    trigger=MONTH_TRIGGER,
    priority=3,
)
def day_month(m: re.Match[str], ctx: Context) -> Result:
    """Day and month: "6 December 2024", "the first of May"."""
    if not capitalised(m.group("mon")):
        return None
    if m.group("day")[:1].isalpha() and not m.group("of"):
        return None  # "the second May rally": an ordinal, not a day
    return _day_value(m, ctx, month_number(m.group("mon")), day_of_month(m.group("day")))


_WEEK_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1, "final": -1}


@rule(
    r"\b(?:the\s+)?(?P<ord>first|second|third|fourth|last|final)\s+(?P<u>week|weekend)\s+of\s+"
    rf"(?P<mon>{MONTH})(?:,?\s+(?P<year>{YEAR4}))?\b",
    trigger=MONTH_TRIGGER,
    priority=3,
)
def week_of_month(m: re.Match[str], ctx: Context) -> Result:
    """A week of a month: "the first week of March" (the ISO week holding March 1), "the last weekend of May"."""
    if not capitalised(m.group("mon")):
        return None
    month = month_number(m.group("mon"))
    if m.group("year"):
        y = int(m.group("year"))
    elif ctx.ref is None:
        return Found("DATE", "XXXX-WXX" + ("-WE" if m.group("u").lower() == "weekend" else ""))
    else:
        y = pick_year(month, None, ctx.ref, ctx.tense(m.start(), m.end()), ctx.params)
    k = _WEEK_ORDINALS[m.group("ord").lower()]
    if k > 0:
        day = dt.date(y, month, 1) + dt.timedelta(days=7 * (k - 1))
    else:
        day = dt.date(y + month // 12, month % 12 + 1, 1) - dt.timedelta(days=4)
    if m.group("u").lower() == "weekend":
        saturday = day + dt.timedelta(days=(6 - day.isoweekday()) % 7)
        return Found("DATE", iso_week(saturday) + "-WE")
    return Found("DATE", iso_week(day))


_BARE_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
_MONTH_CUE_BEFORE = re.compile(
    r"\b(?:in|since|until|till|by|of|early|late|mid|last|next|this|from|through|before|after|during)\s*-?$"
)


@rule(
    rf"\b(?P<edge>{EDGEP})?(?P<mon>{MONTH})(?:(?:\s*,\s*|\s+)(?:of\s+)?(?P<year>{YEAR}))?(?![\w])",
    trigger=MONTH_TRIGGER,
    priority=1,
)
def month(m: re.Match[str], ctx: Context) -> Result:
    """Months: "March 2019", "early November", "in May" (a year by tense when none is written)."""
    token = m.group("mon")
    if not capitalised(token):
        return None
    low = token.lower().rstrip(".")
    mon = month_number(token)
    mod = edge_mod(m.group("edge"))
    if m.group("year"):
        return Found("DATE", f"{year_of(m.group('year'), ctx.ref):04d}-{mon:02d}", mod)
    if not token.endswith(".") and low in _BARE_ABBREVIATIONS:
        return None  # "Jan" alone is more often a name than a month
    # ambiguous words need support: "May" and "March" alone at sentence start are often not months
    cue = ctx.text[max(0, m.start("mon") - 12) : m.start("mon")].lower()
    if low in ("may", "march") and not _MONTH_CUE_BEFORE.search(cue):
        return None
    if ctx.ref is None:
        return Found("DATE", f"XXXX-{mon:02d}", mod)
    y = pick_year(mon, None, ctx.ref, ctx.tense(m.start(), m.end()), ctx.params)
    return Found("DATE", f"{y:04d}-{mon:02d}", mod)


@rule(
    rf"\b(?:(?P<pre>last|next|this|this\s+past|this\s+coming|(?:every|each))\s+(?P<mon>{MONTH})(?!\s+\d)|"
    rf"(?P<mon2>{MONTH})(?:\s+of)?\s+(?P<rel>this|last|next)\s+year)\b",
    trigger=MONTH_TRIGGER,
    priority=3,
)
def month_relative(m: re.Match[str], ctx: Context) -> Result:
    """A month said from now: "last March", "May of next year", "every June"."""
    token = m.group("mon") or m.group("mon2")
    if not capitalised(token):
        return None
    mon = month_number(token)
    pre = collapse(m.group("pre"))
    if pre in ("every", "each"):
        return Found("SET", f"XXXX-{mon:02d}")
    if ctx.ref is None:
        return Found("DATE", f"XXXX-{mon:02d}")
    y = ctx.ref.year
    rel = (m.group("rel") or "").lower()
    if rel:
        y += {"last": -1, "next": 1}.get(rel, 0)
    elif pre in ("last", "this past"):
        y = y if mon < ctx.ref.month else y - 1
    elif pre in ("next", "this coming"):
        y = y if mon > ctx.ref.month else y + 1
    return Found("DATE", f"{y:04d}-{mon:02d}")


def _two_digit_year(yy: int) -> int:
    return yy + (1900 if yy >= 30 else 2000)


def _numeric_date(y: int, mon: int, day: int, hour: str | None, minute: str | None, second: str | None = None):
    if not is_valid_date(y, mon, day):
        return BLOCK
    value = f"{y:04d}-{mon:02d}-{day:02d}"
    if hour:
        return Found("TIME", value + f"T{hour}:{minute}" + (f":{second}" if second else ""))
    return Found("DATE", value)


@rule(
    r"(?<![\w/.$-])(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])/(?P<y>\d{4}|\d{2})(?![\w/])",
    trigger=Trigger.on_pattern(r"\d/\d", 12, 12),
    priority=3,
)
def numeric_us(m: re.Match[str], ctx: Context) -> Result:
    """Numeric dates, month first: "11/02/89", "12/6/2024" (month first)."""
    y = int(m.group("y"))
    return _numeric_date(y if y >= 100 else _two_digit_year(y), int(m.group("m")), int(m.group("d")), None, None)


@rule(
    r"(?<![\w/.-])(?P<y>1[6-9]\d\d|20\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)"
    r"(?:[T ](?P<H>[0-2]\d):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?)?(?![\w-])",
    trigger=Trigger.on_pattern(r"\d-\d", 12, 20),
    priority=4,
)
def iso(m: re.Match[str], ctx: Context) -> Result:
    """ISO dates and times: "2024-12-06", "2024-12-06T17:00"."""
    y, mon, day = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    return _numeric_date(y, mon, day, m.group("H"), m.group("M"), m.group("S"))


@rule(
    r"(?<![\w/.-])(?P<m>1[0-2]|0?[1-9])-(?P<d>3[01]|[12]\d|0?[1-9])-(?P<y>\d{2})"
    r"(?:\s+(?P<H>[0-2]\d)(?P<M>[0-5]\d)\s*(?:[ECMP][SD]T|GMT|UTC))?(?![\w-])",
    trigger=Trigger.on_pattern(r"\d-\d", 12, 20),
    priority=3,
)
def numeric_dash(m: re.Match[str], ctx: Context) -> Result:
    """Newswire dash dates, month first: "10-26-98", "10-26-98 1430 EST" (newswire datelines)."""
    y = _two_digit_year(int(m.group("y")))
    return _numeric_date(y, int(m.group("m")), int(m.group("d")), m.group("H"), m.group("M"))


# "1998-99": the second year of a season or fiscal year in two digits (not "1998-10", a month)
_LATER_TWO_DIGITS = r"\d\d\b(?![-/]\d)"
_DETERMINER_BEFORE = re.compile(r"\b(?:the|its|their|his|her|this|that)\s+$", re.I)
_PEOPLE_AFTER = re.compile(r"\s*(?:%|percent|people|troops|soldiers|men|women)\b", re.I)
# words after a number that show it is a count, not a year
_COUNT_NOUNS = re.compile(
    r"\s*(?:%|percent|per\s+cent|people|persons|troops|soldiers|men|women|children|workers|employees|jobs|"
    r"feet|foot|ft|meters?|metres?|miles?|km|kilometers?|kilometres?|yards?|acres?|tons?|tonnes?|barrels?|"
    r"shares?|points?|dollars?|euros?|pounds?|yen|cars?|homes?|houses?|units?|pages?|votes?|seats?|members?|"
    r"delegates?|deaths?|casualties|civilians|refugees|rebels?|fighters?|cases?|rooms?|beds?|calories|kg|lbs?|"
    r"mph|hp|pieces?|copies|students|patients|officers|police|killed|dead|wounded|injured|hours?|minutes?|"
    r"days?|weeks?|months?|years?)\b",
    re.I,
)
# any plural after the number reads as a count ("1999 seats", "2000 protesters") unless a preposition before says
# it is a year ("the pandemic of 1918 offers clues", "in 1918 as now"); words that merely end in s are not plurals
_PLURAL_AFTER = re.compile(r"\s*([a-z]+[a-rtv-z]s)\b", re.I)  # not "-us", "-is", "-ss": "virus", "crisis"
_NOT_PLURALS = {"as", "is", "was", "has", "its", "this", "thus", "us", "plus", "less", "unless", "across", "towards"}
_NOT_PLURALS |= {"afterwards", "onwards", "whereas", "does", "his", "hers", "ours", "yours", "theirs", "always"}
# ... unless the noun is one a year often qualifies ("the 1992 elections")
_YEAR_NOUNS = re.compile(
    r"\s*(?:years?|elections?|season|budget|games?|olympics|census|models?|levels?|figures?|results?|prices?|"
    r"dollars?|crops?)\b",
    re.I,
)
_LABEL_BEFORE = re.compile(
    r"(?:No\.|number|#|page|pp?\.|route|flight|room|apartment|suite|highway|interstate|[A-Z]-|"
    r"resolutions?|articles?|sections?|chapters?|paragraphs?|clauses?)\s*$",
    re.I,
)
_PREPOSITION_BEFORE = re.compile(r"\b(?:in|since|by|of|from|until|before|after|during|year)\s+$", re.I)
_CLOCK_AFTER = re.compile(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|hours\b|GMT|EST|EDT)", re.I)


@rule(
    rf"(?<![\w$£€#.,/:-])(?P<edge>{EDGEP})?(?:(?:post|pre)-)?(?:fiscal\s+(?:year\s+)?)?(?P<y>{YEAR4})"
    rf"(?![\w/]|[.,:]\d|-(?!{_LATER_TWO_DIGITS})|\s*to\s*\d{{2}}\b(?!\d))",
    trigger=Trigger.on_words({"<year4>"}, 45, 8),
    priority=0,
)
def year(m: re.Match[str], ctx: Context) -> Result:
    """Years: "2011", "late 1998", "fiscal 2024"; not counts ("2,000 troops", "1999 seats") or labels ("No. 2011")."""
    y = int(m.group("y"))
    after = ctx.text[m.end() : m.end() + 30]
    before = ctx.text[max(0, m.start() - 20) : m.start()]
    determiner = (_DETERMINER_BEFORE.search(before) or "fiscal" in m.group(0).lower()) and not _PEOPLE_AFTER.match(
        after
    )
    if not determiner and _COUNT_NOUNS.match(after) and not _YEAR_NOUNS.match(after):
        return None
    plural = _PLURAL_AFTER.match(after)
    if (
        not determiner
        and plural
        and plural.group(1).lower() not in _NOT_PLURALS
        and not _YEAR_NOUNS.match(after)
        and not _PREPOSITION_BEFORE.search(before)
    ):
        return None
    if _LABEL_BEFORE.search(before):
        return None
    if y < 1600 and not _PREPOSITION_BEFORE.search(before):
        return None
    if _CLOCK_AFTER.match(after):
        return None
    if after.startswith("-") and int(after[1:3]) <= y % 100:
        return None  # "1998-10": a year and month, not a range of years
    return Found("DATE", f"{y:04d}", edge_mod(m.group("edge")))


@rule(
    rf"(?<![\w$£€#.,/:-])(?P<y>{YEAR4})(?P<sep>-|/|\s+(?:to|and|or)\s+)'?(?P<yy>\d\d)\b(?![-/.,:]\d|\s*%)",
    trigger=Trigger.on_words({"<year4>"}, 2, 12),
    priority=1,
)
def year_range_end(m: re.Match[str], ctx: Context) -> Result:
    """The second year of a range written in two digits: "99" of "1998-99", "2011 to 13" (its century from the
    first; that one is the year rule's)."""
    y, yy = int(m.group("y")), int(m.group("yy"))
    if yy <= y % 100:
        return None
    return Found("DATE", f"{y // 100 * 100 + yy:04d}", "", m.start("yy"))


@rule(
    rf"(?<![\w$£€#.,/:-])(?P<y>{YEAR4})(?=[-–/](?P<z>{YEAR4})(?![\w/.,:-]\d|[\w%]))|"
    rf"(?<=(?<![\w$£€#.,/:-])(?P<a>{YEAR4})[-–/])(?P<b>{YEAR4})(?![\w%]|[/.,:-]\d)",
    trigger=Trigger.on_words({"<year4>"}, 6, 6),
    priority=1,
)
def year_range_four_digits(m: re.Match[str], ctx: Context) -> Result:
    """Both years of a range written in four digits: "1988-1990", "1998/2001" (each its own expression, as TimeML
    and HeidelTime mark them); not two numbers far apart or out of order ("1200-1600 troops", "2010/1998")."""
    first, second = (m.group("y"), m.group("z")) if m.group("y") else (m.group("a"), m.group("b"))
    y1, y2 = int(first), int(second)
    if not (1600 <= y1 < y2 <= y1 + 100):
        return None
    if _COUNT_NOUNS.match(ctx.text[m.end() : m.end() + 30]) and not m.group("y"):
        return None
    return Found("DATE", f"{int(m.group('y') or m.group('b')):04d}")


_YEAR_CUE_BEFORE = re.compile(
    rf"(?:\b(?:in|of|since|from|until|till|by|before|after|during|through|the|class|summer|winter|spring|fall|"
    rf"autumn|fiscal|season)|{MONTH})\s+$",
    re.I,
)


@rule(r"(?<![\w'])'(?P<yy>\d\d)\b(?!['\d]|\s*%)", trigger=Trigger.on_pattern(r"'\d\d\b", 20, 2), priority=1, flags=0)
def apostrophe_year(m: re.Match[str], ctx: Context) -> Result:
    """A year in two digits after an apostrophe: "in '58", "the class of '98", "the '98 elections" (the century
    nearest the reference date); not "'60 Minutes"."""
    if not _YEAR_CUE_BEFORE.search(ctx.text[max(0, m.start() - 12) : m.start()]):
        return None
    return Found("DATE", f"{year_of(m.group(0), ctx.ref):04d}")


@rule(
    rf"\b(?:(?P<pre>in|since|of|until|by|from|year|before|after|during)\s+(?P<y>{YEARW})|"
    rf"(?P<y2>{YEAR_TENS_WORDS}))\b",
    trigger=Trigger.on_words({"nineteen", "eighteen", "twenty", "two"}, 12, 40),
    priority=1,
)
def year_in_words(m: re.Match[str], ctx: Context) -> Result:
    """Years in words: "in nineteen ninety-six", "since two thousand and one"."""
    if m.group("y2"):  # "nineteen ninety-six": unambiguous even without a preposition
        y = year_from_words(m.group("y2"))
        return Found("DATE", f"{y:04d}") if y else None
    y = year_from_words(m.group("y"))
    if y is None or not 1600 <= y <= 2099:
        return None
    if m.group("pre").lower() == "year":  # "the year two thousand": from "the"
        the = ctx.text[max(0, m.start() - 4) : m.start()].lower() == "the "
        return Found("DATE", f"{y:04d}", "", m.start() - 4 if the else m.start())
    return Found("DATE", f"{y:04d}", "", m.start("y"))


@rule(
    rf"\b(?P<edge>{EDGEP})?(?:the\s+)?(?P<dec>(?:1[0-9]|20)\d0|'\d0)'?s\b",
    trigger=Trigger.on_words({"<decade>"}, 45, 4),
    priority=1,
)
def decade(m: re.Match[str], ctx: Context) -> Result:
    """Decades: "the 1990s" (199X), "the '80s", "the 1900s" (a century: 19XX)."""
    token = m.group("dec")
    y = decade_of_two_digits(int(token[1:]), ctx.ref) if token.startswith("'") else int(token)
    mod = edge_mod(m.group("edge"))
    if y % 100 == 0 and not token.startswith("'") and y != 2000:  # "the 1900s": the century; "the 2000s": a decade
        return Found("DATE", f"{y // 100:02d}XX", mod)
    return Found("DATE", f"{y // 10:03d}X", mod)


def decade_of_two_digits(tens: int, ref: dt.date | None) -> int:
    """The decade "the 90s" or "the '20s" means: the latest one begun by the reference date (1920 in 2013)."""
    now = ref.year if ref else 2000
    start = now // 100 * 100 + tens
    return start if start <= now else start - 100


@rule(
    r"\b(?P<edge>(?:the\s+)?(?:early|late|mid)[- ]?)?(?P<the>the\s+)?(?P<e2>(?:early|late|mid)[- ]?)?"
    r"(?P<d>[1-9]0)'?s\b",
    trigger=Trigger.on_pattern(r"\b[1-9]0'?s\b", 20, 1),
    priority=1,
)
def decade_two_digits(m: re.Match[str], ctx: Context) -> Result:
    """Decades in two digits with their article: "the 90s", "the early 80s", "the mid-90s" (199X); not "in their
    90s" (an age)."""
    if not (m.group("the") or (m.group("edge") or "").lower().startswith("the")):
        return None
    y = decade_of_two_digits(int(m.group("d")), ctx.ref)
    return Found("DATE", f"{y // 10:03d}X", edge_mod(m.group("edge") or m.group("e2")))


@rule(
    r"\b(?P<edge>(?:the\s+)?(?:early|late|mid)[- ]?)?(?:the\s+)?(?P<c>(?:nineteen|eighteen)[- ])?"
    r"(?P<dec>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b",
    trigger=Trigger.on_words(DECADE_WORDS, 40, 2),
    priority=1,
)
def decade_in_words(m: re.Match[str], ctx: Context) -> Result:
    """Decades in words: "the sixties", "the late eighties" (19X0s)."""
    if not m.group(0).lower().startswith(("the", "early", "late", "mid")) and not m.group("c"):
        return None
    century = "18" if (m.group("c") or "").lower().startswith("eighteen") else "19"
    return Found("DATE", f"{century}{DECADE_WORDS[m.group('dec').lower()]}X", edge_mod(m.group("edge")))


@rule(
    r"\b(?P<edge>(?:the\s+)?(?:early|late|mid)[- ]?)?(?:the\s+)?(?P<n>\d{1,2})(?:st|nd|rd|th)[- ]century\b|"
    rf"\b(?P<wedge>(?:the\s+)?(?:early|late|mid)[- ]?)?(?:the\s+)?(?P<w>{CENTURY_ORDINALS})[- ]century\b",
    trigger=Trigger.on_words({"century"}, 45, 10),
    priority=2,
)
def century(m: re.Match[str], ctx: Context) -> Result:
    """Centuries: "the 20th century" (19XX), "the early twenty-first century"."""
    n = int(m.group("n")) if m.group("n") else CENTURY_WORDS[re.sub(r"\s+", "-", m.group("w").lower())]
    if not 1 <= n <= 21:
        return None
    return Found("DATE", f"{n - 1:02d}XX", edge_mod(m.group("edge") or m.group("wedge")))
