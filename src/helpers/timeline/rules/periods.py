"""Rules for named periods of a year: seasons, quarters, halves, fiscal years, year ends, weekends."""

from __future__ import annotations

import datetime as dt
import re

from ..anchoring import Context, year_of
from ..values import add_months, iso_week, quarter_of
from ..vocabulary import MONTH, QUARTER_ORDINALS, SEASONS, YEAR4, YEARW, edge_mod
from .base import Deferred, Discourse, Found, Result, Trigger, collapse, rule

_SEASON_FIRST_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


@rule(
    r"\b(?P<det>(?:this|last|next|the|coming|past|this\s+past|late|early|mid|the\s+early|the\s+late)\s+)?"
    rf"(?P<s>spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?(?P<y>{YEAR4}|{YEARW}|'\d\d))?\b(?!-)",
    trigger=Trigger.on_words({"spring", "summer", "fall", "autumn", "winter"}, 30, 40),
    priority=1,
)
def season(m: re.Match[str], ctx: Context) -> Result:
    """Seasons: "this summer", "the winter of 1994", "in spring" (by tense: the season under way, past or next)."""
    s = SEASONS[m.group("s").lower()]
    det = (m.group("det") or "").strip().lower()
    mod = edge_mod(det) if det.split()[-1:] and det.split()[-1] in ("early", "late", "mid") else ""
    if m.group("y"):
        return Found("DATE", f"{year_of(m.group('y'), ctx.ref):04d}-{s}", mod)
    if not det and (
        s == "FA"
        or not re.search(
            r"\b(?:in|during|by|until|since|this|through)\s+$", ctx.text[max(0, m.start() - 10) : m.start()], re.I
        )
    ):
        return None  # "fall" is mostly a verb, and a bare season needs a preposition
    if det == "the" and m.group("s").lower() == "fall" and ctx.text[m.end() : m.end() + 4].lower().startswith(" of"):
        return None  # "the fall of Aleppo"
    if ctx.ref is None:
        return Found("DATE", f"XXXX-{s}", mod)
    return Found("DATE", f"{_season_year(s, det, m, ctx):04d}-{s}", mod)


def _season_year(s: str, det: str, m: re.Match[str], ctx: Context) -> int:
    """The year in which season ``s`` begins (winter y runs from December y to February y+1)."""
    ref = ctx.ref
    first = _SEASON_FIRST_MONTH[s]

    def begin(y: int) -> dt.date:
        return dt.date(y, first, 1)

    current_start = max(
        dt.date(yy, mm, 1) for yy in (ref.year - 1, ref.year) for mm in (3, 6, 9, 12) if dt.date(yy, mm, 1) <= ref
    )
    years = range(ref.year - 2, ref.year + 2)
    if "last" in det or "past" in det:
        return max(y for y in years if begin(y) < current_start)
    if "next" in det or "coming" in det:
        return min(y for y in years if begin(y) > ref)
    if det == "this":  # the season under way, else this calendar year's ("this summer" said in March or October)
        under_way = [y for y in years if begin(y) <= ref < dt.date(*add_months(y, first, 3), 1)]
        return under_way[0] if under_way else ref.year
    tense = ctx.tense(m.start(), m.end())
    if tense == "future":  # the season under way or the next one
        return min(y for y in years if dt.date(*add_months(y, first, 3), 1) > ref)
    y = max(y for y in years if begin(y) <= ref)  # the current one if under way, else the most recent one
    if tense == "present" and begin(y) < current_start and begin(y + 1) - ref < ref - begin(y):
        y += 1
    return y


@rule(
    r"\b(?P<pre>(?:the|its|their|this\s+year's|last\s+year's|next\s+year's|the\s+fiscal|its\s+fiscal|this|fiscal|"
    rf"the\s+(?P<y0>{YEAR4})|the\s+year-(?:ago|earlier)|the\s+comparable\s+year-(?:ago|earlier)|(?P<y1>{YEAR4}))\s+)?"
    r"(?:fiscal\s+)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th|final|last)(?P<hy>[- ])(?:fiscal[- ])?quarter"
    rf"(?P<post>(?:\s+of\s+(?:fiscal\s+)?(?P<y>{YEAR4}))|\s+(?:of\s+)?(?:this|last|next)\s+year)?(?![-\w])",
    trigger=Trigger.on_words({"quarter"}, 60, 40),
    priority=2,
)
def quarter(m: re.Match[str], ctx: Context) -> Result:
    """Quarters: "the third quarter", "its fiscal fourth quarter of 2023", "the year-ago first quarter"."""
    q = QUARTER_ORDINALS.get(m.group("q").lower(), 4)
    pre = (m.group("pre") or "").lower()
    post = (m.group("post") or "").lower()
    start = None
    if pre.startswith(("its ", "their ")) or (m.group("hy") == "-" and pre.strip() == "the"):
        start = m.start("q")  # TimeBank leaves out "its" and the article of "the first-quarter results"
    written = m.group("y") or m.group("y0") or m.group("y1")
    if written:
        return Found("DATE", f"{written}-Q{q}", "", start)
    if ctx.ref is None:
        return Found("DATE", f"XXXX-Q{q}", "", start)
    y = ctx.ref.year
    if "year-" in pre:
        y -= 1
        if q > quarter_of(ctx.ref):
            y -= 1
    elif "last year" in pre or "last year" in post:
        y -= 1
    elif "next year" in pre or "next year" in post:
        y += 1
    elif "this year" in pre or "this year" in post:
        pass
    elif q > quarter_of(ctx.ref) and ctx.tense(m.start(), m.end()) != "future":
        y -= 1
    return Found("DATE", f"{y:04d}-Q{q}", "", start)


def _quarter_of_year(year: str) -> Deferred:
    """Deferred value: the quarter last mentioned, moved to ``year`` ("the 1988 quarter")."""
    return lambda said: year + said.quarter[4:] if said.quarter else year


def _year_ago_quarter(ref: dt.date | None) -> Deferred:
    """Deferred value: the quarter last mentioned a year earlier, else the last full quarter a year back."""

    def value(said: Discourse) -> str:
        if said.quarter and re.match(r"\d{4}-Q\d$", said.quarter):
            return f"{int(said.quarter[:4]) - 1:04d}{said.quarter[4:]}"
        if ref is None:
            return "XXXX-QX"
        y, q = divmod(ref.year * 4 + quarter_of(ref) - 2, 4)
        return f"{y - 1:04d}-Q{q + 1}"

    return value


def _last_reported_quarter(current: int) -> Deferred:
    """Deferred value: the quarter last mentioned, else the one before the reference date's."""

    def value(said: Discourse) -> str:
        if said.quarter:
            return said.quarter
        y, q = divmod(current - 1, 4)
        return f"{y:04d}-Q{q + 1}"

    return value


@rule(
    rf"\b(?P<det>the\s+{YEAR4}|the|this|last|next|that|the\s+latest|the\s+current|the\s+most\s+recent|the\s+previous|"
    r"the\s+past|the\s+same|the\s+year-earlier|the\s+year-ago|the\s+comparable|the\s+latest\s+fiscal|"
    r"the\s+fiscal)\s+(?:fiscal\s+)?(?:quarter|period)\b(?!s)",
    trigger=Trigger.on_words({"quarter", "period"}, 45, 10),
    priority=1,
)
def the_quarter(m: re.Match[str], ctx: Context) -> Result:
    """The quarter the text is about: "the quarter", "that quarter", "the year-ago period"."""
    det = collapse(m.group("det"))
    if re.match(r"the \d{4}$", det):
        return Found("DATE", _quarter_of_year(det[4:]))
    if (
        m.group(0).lower().endswith("period")
        and "year" not in det
        and det not in ("the latest", "the comparable", "the same", "the current", "the most recent")
    ):
        return None
    if det in ("the year-earlier", "the year-ago", "the comparable"):
        return Found("DATE", _year_ago_quarter(ctx.ref))
    if det in ("that", "the same"):
        return Found("DATE", lambda said: said.quarter or "XXXX-QX")
    if ctx.ref is None:
        return Found("DATE", "XXXX-QX")
    current = ctx.ref.year * 4 + quarter_of(ctx.ref) - 1
    if det == "the":  # the one most recently reported
        return Found("DATE", _last_reported_quarter(current))
    k = current if det in ("this", "the current") else current + 1 if det == "next" else current - 1
    y, q = divmod(k, 4)
    return Found("DATE", f"{y:04d}-Q{q + 1}")


@rule(
    r"\b(?:the\s+)?(?P<h>first|second|latter|last)\s+half"
    rf"(?:\s+of\s+(?:(?P<y>{YEAR4})|(?P<rel>this|last|next)\s+year|the\s+year))?\b",
    trigger=Trigger.on_words({"half"}, 20, 40),
    priority=2,
)
def half_year(m: re.Match[str], ctx: Context) -> Result:
    """Halves of a year: "the first half of 2024", "the second half of next year"."""
    h = 1 if m.group("h").lower() == "first" else 2
    if m.group("y"):
        return Found("DATE", f"{m.group('y')}-H{h}")
    if ctx.ref is None:
        return Found("DATE", f"XXXX-H{h}")
    y = ctx.ref.year + {"last": -1, "next": 1}.get((m.group("rel") or "").lower(), 0)
    if not m.group("rel") and not m.group(0).lower().endswith("year") and not re.search(r"\s+of\s+", m.group(0)):
        if h == 2 and ctx.ref.month <= 6 and ctx.tense(m.start(), m.end()) == "past":
            y -= 1
    return Found("DATE", f"{y:04d}-H{h}")


@rule(r"\b(?:the|this|over\s+the)\s+weekend\b", trigger=Trigger.on_words({"weekend"}, 15, 2), priority=1)
def weekend(m: re.Match[str], ctx: Context) -> Result:
    """Weekends: "the weekend", "over the weekend": the coming one or the one just past, by weekday and tense."""
    start = m.start() + (5 if m.group(0).lower().startswith("over") else 0)
    if m.group(0).lower().startswith("this"):
        return None  # the relative-unit rule reads "this weekend"
    if ctx.ref is None:
        return Found("DATE", "XXXX-WXX-WE", "", start)
    tense = ctx.tense(m.start(), m.end())
    weekday = ctx.ref.isoweekday()
    if weekday >= 6 or tense == "future" or (tense == "present" and weekday >= 3):
        day = ctx.ref  # the weekend of the reference week: the coming one, or the one under way
    else:
        day = ctx.ref - dt.timedelta(days=7)
    return Found("DATE", iso_week(day) + "-WE", "", start)


@rule(
    r"\b(?:(?P<end>(?:the\s+)?year[- ]end|(?:the\s+)?year's\s+end|the\s+end\s+of\s+the\s+year)|"
    r"(?P<det>the\s+full|the\s+current(?:\s+fiscal)?|the\s+fiscal|the\s+latest\s+fiscal|the\s+previous\s+fiscal|"
    r"the\s+last\s+fiscal|the\s+next\s+fiscal|the\s+coming\s+fiscal|this\s+fiscal|last\s+fiscal|next\s+fiscal)"
    r"\s+year)\b(?!-)",
    trigger=Trigger.on_words({"year", "end"}, 30, 12),
    priority=2,
)
def year_phrase(m: re.Match[str], ctx: Context) -> Result:
    """Year ends and fiscal years: "year-end", "the end of the year", "the current fiscal year", "last fiscal year"."""
    if m.group("end"):
        start = m.start() + 4 if collapse(m.group(0)).startswith("the year") else None
        if ctx.ref is None:
            return Found("DATE", "XXXX", "END", start)
        y = ctx.ref.year
        if ctx.ref.month <= 3 and ctx.tense(m.start(), m.end()) == "past":
            y -= 1  # "at year-end" written in the first quarter: the year just ended
        return Found("DATE", f"{y:04d}", "END", start)
    if ctx.ref is None:
        return Found("DATE", "XXXX")
    det = m.group("det").lower()
    n = (
        -1
        if any(k in det for k in ("latest", "previous", "last"))
        else 1
        if any(k in det for k in ("next", "coming"))
        else 0
    )
    return Found("DATE", f"{ctx.ref.year + n:04d}")


@rule(
    r"\b(?P<the>the\s+(?:fiscal\s+)?year)(?=\s+(?:that\s+)?(?:ended|ending|ends|to)\s+"
    rf"(?:{MONTH}|last|next|this|in|on|tomorrow|yesterday|today))",
    trigger=Trigger.on_words({"year"}, 20, 40),
    priority=3,
)
def year_ended(m: re.Match[str], ctx: Context) -> Result:
    """A twelve-month period: "the year ended Sept. 30"."""
    return Found("DURATION", "P1Y")
