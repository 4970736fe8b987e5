"""Rule-based temporal expression tagger with TimeML normalisation (pure Python, no network).

``tag(text, reference_date)`` finds DATE, TIME, DURATION and SET expressions and normalises them to
TimeML values (``2024-12-06``, ``2024-W48``, ``2024-Q1``, ``199X``, ``P40Y``, ``P4DE``, ``PRESENT_REF`` ...)
with an optional ``mod`` (APPROX, START, MID, END, MORE_THAN, LESS_THAN, EQUAL_OR_MORE, EQUAL_OR_LESS).

Relative expressions are anchored to ``reference_date`` (a document's publication date). Without one they
stay unresolved (``XXXX-10-07``, ``XXXX-WXX-5``, ``XXXX-XX-XX``): never guessed. A bare weekday or a month
and day without a year are placed by the tense of their sentence (news convention): past tense -> the most
recent one, future -> the next one. Impossible dates (``February 30``) and numbers that are not years
(``2,000 troops``, ``$2011``) are not tagged.

The rules are regular expressions over the text, each run only in windows around its trigger words (so a
document costs a few milliseconds); candidates are selected leftmost-longest, then resolved in text order so
that anaphoric expressions ("a year earlier", "the year-ago quarter") can use the previous date or quarter
mentioned. Span and value conventions follow TimeBank/TempEval-3 ("the past two years" whole, the article of
"a two-year deal" left out, "the past year" = previous year), except decades (``199X``, ``P4DE``) as asked by
the project. Named events known by day and month ("the Oct. 7 attack") are listed in
``helpers/data/timex_named_dates.txt`` and only used when the reference date is after them.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as _dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["tag", "tag_documents", "interval", "duration_years", "COLUMNS", "to_date"]

COLUMNS = ["start", "end", "text", "type", "value", "mod", "resolved"]

# ---------------------------------------------------------------------------------------------- lexicon
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u00a0": " ",
    }
)

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {
    "monday": 1,
    "mon": 1,
    "tuesday": 2,
    "tue": 2,
    "tues": 2,
    "wednesday": 3,
    "wed": 3,
    "thursday": 4,
    "thu": 4,
    "thur": 4,
    "thurs": 4,
    "friday": 5,
    "fri": 5,
    "saturday": 6,
    "sat": 6,
    "sunday": 7,
    "sun": 7,
}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "twenty-first": 21,
    "thirtieth": 30,
    "thirty-first": 31,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "final": 4,
    "last": 4,
}
_SMALL = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_VAGUE = {
    "a few",
    "few",
    "several",
    "some",
    "many",
    "a number of",
    "dozens of",
    "hundreds of",
    "numerous",
    "countless",
    "multiple",
    "the few",
    "a handful of",
}
# unit -> (TimeML letter, time unit?)
UNITS = {
    "second": ("S", True),
    "sec": ("S", True),
    "minute": ("M", True),
    "min": ("M", True),
    "hour": ("H", True),
    "hr": ("H", True),
    "day": ("D", False),
    "night": ("D", False),
    "week": ("W", False),
    "weekend": ("WE", False),
    "fortnight": ("W", False),
    "month": ("M", False),
    "year": ("Y", False),
    "yr": ("Y", False),
    "decade": ("DE", False),
    "century": ("CE", False),
    "centurie": ("CE", False),
    "quarter": ("Q", False),
    "millennium": ("ML", False),
    "millennia": ("ML", False),
}

_N_SMALL = "|".join(sorted(_SMALL, key=len, reverse=True))
_N_TENS = "|".join(_TENS)
NUMWORD = rf"(?:(?:{_N_TENS})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|{_N_SMALL})"
NUMDIGIT = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
VAGUE = (
    r"(?:a\s+few|a\s+number\s+of|a\s+handful\s+of|dozens\s+of|hundreds\s+of|several|few|some|many|numerous|multiple)"
)
QUANT = rf"(?:(?:\d+\s+)?1/2|a\s+couple(?:\s+of)?|couple\s+of|(?:a\s+)?dozen|{NUMDIGIT}|{NUMWORD}(?:\s+and\s+a\s+half)?|an?(?:\s+and\s+a\s+half)?|half\s+an?|a\s+half|{VAGUE})"
UNIT = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|weekends?|fortnights?|months?|years?|yrs?|decades?|century|centuries|quarters?|millenni(?:um|a))"
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
WEEKDAY = r"(?:Mondays?|Tuesdays?|Wednesdays?|Thursdays?|Fridays?|Saturdays?|Sundays?|Mon\.|Tues?\.|Wed\.|Thur?s?\.|Fri\.|Sat\.|Sun\.)"
_DAY_ORD = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
}
_DAY_ORD_RX = (
    "(?:(?:twenty|thirty)[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|"
    + "|".join(sorted(_DAY_ORD, key=len, reverse=True))
    + ")"
)
DAYNUM = rf"(?:(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?|{_DAY_ORD_RX})"


def _day_of(tok: str) -> int:
    """Day of month from "7", "7th", "seventh" or "twenty-first"."""
    m = re.match(r"\d+", tok)
    if m:
        return int(m.group(0))
    w = re.split(r"[- ]", tok.lower())
    if len(w) == 2:
        return {"twenty": 20, "thirty": 30}[w[0]] + _DAY_ORD[w[1]]
    return _DAY_ORD[w[0]]


YEAR4 = r"(?:1[0-9]\d\d|20\d\d)"
_TEENS_W = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_UNITS_W = "one|two|three|four|five|six|seven|eight|nine"
YEARW = (
    rf"(?:(?:nineteen|eighteen|twenty)[- ](?:hundred|oh[- ](?:{_UNITS_W})|{_TEENS_W}|(?:{_N_TENS})(?:[- ](?:{_UNITS_W}))?)"
    rf"|two[- ]thousand(?:[- ](?:and[- ])?(?:{_TEENS_W}|{_UNITS_W}))?)"
)
YEAR = rf"(?:{YEAR4}|'\d\d|{YEARW})"
PARTOFDAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI"}
MOD_PRE = {
    "about": "APPROX",
    "around": "APPROX",
    "approximately": "APPROX",
    "roughly": "APPROX",
    "nearly": "APPROX",
    "almost": "APPROX",
    "some": "APPROX",
    "close to": "APPROX",
    "an estimated": "APPROX",
    "more than": "MORE_THAN",
    "over": "MORE_THAN",
    "longer than": "MORE_THAN",
    "upwards of": "MORE_THAN",
    "well over": "MORE_THAN",
    "at least": "EQUAL_OR_MORE",
    "no less than": "EQUAL_OR_MORE",
    "less than": "LESS_THAN",
    "under": "LESS_THAN",
    "fewer than": "LESS_THAN",
    "shorter than": "LESS_THAN",
    "just under": "LESS_THAN",
    "up to": "EQUAL_OR_LESS",
    "no more than": "EQUAL_OR_LESS",
    "at most": "EQUAL_OR_LESS",
}
MODP = r"(?:about|around|approximately|roughly|nearly|almost|some|close\s+to|an\s+estimated|more\s+than|well\s+over|over|longer\s+than|upwards\s+of|at\s+least|no\s+less\s+than|less\s+than|just\s+under|under|fewer\s+than|shorter\s+than|up\s+to|no\s+more\s+than|at\s+most)"
EDGE = {
    "early": "START",
    "earlier": "START",
    "beginning": "START",
    "start": "START",
    "mid": "MID",
    "middle": "MID",
    "late": "END",
    "later": "END",
    "end": "END",
    "close": "END",
}
EDGEP = r"(?:(?:the\s+)?(?:very\s+)?(?:early|late|mid)[- ]?|(?:the\s+)?(?:beginning|start|middle|end|close)\s+of\s+(?:the\s+)?)"

# words after a number that show it is a count, not a year
_COUNT_NOUNS = re.compile(
    r"\s*(?:%|percent|per\s+cent|people|persons|troops|soldiers|men|women|children|workers|employees|jobs|"
    r"feet|foot|ft|meters?|metres?|miles?|km|kilometers?|kilometres?|yards?|acres?|tons?|tonnes?|barrels?|"
    r"shares?|points?|dollars?|euros?|pounds?|yen|cars?|homes?|houses?|units?|pages?|votes?|seats?|members?|"
    r"delegates?|deaths?|casualties|civilians|refugees|rebels?|fighters?|cases?|rooms?|beds?|calories|kg|lbs?|"
    r"mph|hp|pieces?|copies|students|patients|officers|police|killed|dead|wounded|injured|hours?|minutes?|"
    r"days?|weeks?|months?|years?|[a-z]+s\b(?<!years)(?<!is)(?<!was)(?<!has)(?<!its))",
    re.I,
)


def to_date(x) -> _dt.date | None:
    """Coerce a date/datetime/str/Timestamp/None to ``datetime.date`` (None when missing or unparseable)."""
    if x is None:
        return None
    try:
        if isinstance(x, float) or x is pd.NaT:
            return None
        if pd.isna(x):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(x, _dt.datetime):
        return x.date()
    if isinstance(x, _dt.date):
        return x
    if isinstance(x, str):
        if not x.strip():
            return None
        m = re.match(r"\s*(\d{4})-?(\d{2})-?(\d{2})", x)
        if m:
            try:
                return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    try:
        ts = pd.Timestamp(x)
        return None if pd.isna(ts) else ts.date()
    except (TypeError, ValueError):
        return None


def _num(s: str) -> float | None:
    """Parse a quantity; None for vague quantities ("several")."""
    s = re.sub(r"\s+", " ", s.strip().lower())
    half = 0.0
    if s.endswith(" and a half"):
        half, s = 0.5, s[: -len(" and a half")]
    if s in ("half a", "half an", "a half"):
        return 0.5
    if s in ("a", "an"):
        return 1 + half
    if s in ("a couple", "a couple of", "couple of"):
        return 2
    if s in ("dozen", "a dozen"):
        return 12
    fm = re.fullmatch(r"(?:(\d+)\s+)?1/2", s)
    if fm:
        return int(fm.group(1) or 0) + 0.5
    if s.replace(" ", "") in {v.replace(" ", "") for v in _VAGUE} or re.fullmatch(VAGUE, s):
        return None
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", s):
        return float(s.replace(",", "")) + half
    if s in _SMALL:
        return _SMALL[s] + half
    parts = re.split(r"[- ]", s)
    if parts[0] in _TENS:
        return _TENS[parts[0]] + (_SMALL.get(parts[1], 0) if len(parts) > 1 else 0) + half
    return None


def _fmt_num(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


def _duration(n: float | None, unit_word: str) -> str:
    u = unit_word.lower().rstrip(".")
    u = u[:-1] if u.endswith("s") and u[:-1] in UNITS else u
    if u == "centuries":
        u = "century"
    letter, is_time = UNITS.get(u, ("Y", False))
    if u == "fortnight":
        n = None if n is None else n * 2
    if n is None:
        return ("PTX" if is_time else "PX") + letter
    if not float(n).is_integer():  # "a year and a half" -> P1Y6M, "2 1/2 hours" -> PT2H30M
        whole, frac = int(n), n - int(n)
        sub = {
            "Y": (12, "M", False),
            "M": ((60, "S", True) if is_time else (30, "D", False)),
            "H": (60, "M", True),
            "D": (24, "H", True),
            "W": (7, "D", False),
            "DE": (10, "Y", False),
            "CE": (100, "Y", False),
            "S": (1000, "MS", True),
        }.get(letter)
        if sub and float(frac * sub[0]).is_integer():
            f, sl, st = sub
            if letter == "D":
                return f"P{whole}DT{int(frac * f)}H" if whole else f"PT{int(frac * f)}H"
            head = f"{whole}{letter}" if whole else ""
            if letter in ("DE", "CE"):
                return f"P{_fmt_num(n * f)}Y"
            if letter == "W":
                return f"P{_fmt_num(n * 7)}D"
            return ("PT" if is_time else "P") + head + f"{int(frac * f)}{sl}"
    return ("PT" if is_time else "P") + _fmt_num(n) + letter


# ---------------------------------------------------------------------------------------------- context
_SENT_END = re.compile(r"[.!?]+[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n+")
_TENSE = re.compile(
    r"\b(?:(?P<fut>will|'ll|shall|won't|wo|going\s+to|is\s+to|are\s+to|plans?\s+to|planned\s+(?:to|an?)|planning\s+to|"
    r"intend(?:s|ed|ing)?|hopes?\s+to|hoped\s+to|prepar(?:ing|ed)\s+to|"
    r"scheduled|expected\s+to|expects?\s+to|due\s+to|intends?\s+to|set\s+to|next|upcoming|"
    r"tomorrow|coming|begins|starts|opens|meets|arrives)|"
    r"(?P<past>was|were|had|did|ago|last|yesterday|earlier|been|came|went|began|took|made|gave|"
    r"got|left|met|saw|rose|fell|held|sent|won|lost|spoke|fled|broke|hit|struck|[a-z]{3,}ed))\b",
    re.I,
)
_REPORTING = {
    "said",
    "reported",
    "announced",
    "stated",
    "added",
    "noted",
    "claimed",
    "confirmed",
    "explained",
    "insisted",
    "warned",
    "argued",
    "suggested",
    "indicated",
    "acknowledged",
    "declared",
    "asked",
}
_NOT_PAST_ED = {
    "need",
    "based",
    "used",
    "united",
    "related",
    "limited",
    "proposed",
    "expected",
    "scheduled",
    "planned",
    "detailed",
    "advanced",
    "armed",
    "red",
    "bed",
    "hundred",
    "speed",
    "seed",
    "feed",
    "indeed",
    "embed",
    "shed",
    "wed",
    "fred",
    "ted",
    "ned",
    "weed",
    "breed",
    "creed",
    "greed",
    "concerned",
    "interested",
    "qualified",
    "supposed",
    "alleged",
    "required",
    "unidentified",
    "unnamed",
    "unexpected",
    "unprecedented",
    "biased",
    "sacred",
    "naked",
    "wicked",
    "rugged",
    "learned",
    "aged",
    "beloved",
    "blessed",
    "crooked",
    "dogged",
    "ragged",
    "wretched",
}


_REP = r"(?:said|reported|announced|stated|added|noted|claimed|confirmed|told|declared|disclosed|revealed)"
_REPORT_BEFORE = re.compile(rf"\b{_REP}\s+(?:on\s+|late\s+|early\s+)?$", re.I)
_WAS_BEFORE = re.compile(r"\b(?:was|were|been|had)\s+$", re.I)
_SINCE_BEFORE = re.compile(r"\b[Ss]ince\s+$")
_REPORT_AFTER = re.compile(rf"\s*(?:,\s*)?(?:that\s+)?{_REP}\b", re.I)


@dataclass
class _Ctx:
    text: str
    ref: _dt.date | None
    sent_starts: list[int]
    tense_cache: dict = field(default_factory=dict)

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sent_starts, pos) - 1
        s = self.sent_starts[i]
        e = self.sent_starts[i + 1] if i + 1 < len(self.sent_starts) else len(self.text)
        return s, e

    def tense(self, start: int, end: int) -> str:
        """'future', 'past' or 'present' for the sentence around [start, end) (expression itself excluded)."""
        s, e = self.sentence(start)
        key = (s, start, end)
        if key in self.tense_cache:
            return self.tense_cache[key]
        best, res = None, "present"
        if (
            _REPORT_BEFORE.search(self.text, max(s, start - 25), start)
            or _REPORT_AFTER.match(self.text, end, min(e, end + 25))
            or _SINCE_BEFORE.search(self.text, max(s, start - 8), start)
            or self.text.startswith("'s", end)
        ):
            # "said Tuesday", "since Tuesday", "Tuesday's declaration": already happened
            self.tense_cache[key] = "past"
            return "past"
        for m in _TENSE.finditer(self.text, s, e):
            if start <= m.start() < end:
                continue
            w = m.group(0).lower()
            if m.group("past") and (w in _NOT_PAST_ED or w in _REPORTING):
                continue
            fut = bool(m.group("fut"))
            if (
                fut
                and _WAS_BEFORE.search(self.text, max(s, m.start() - 12), m.start())
                and re.match(r"(?:due|scheduled|expected|set)\b", m.group(0), re.I)
            ):
                fut = False  # "was due to expire Friday", "had been scheduled for Monday": future in the past
            dist = start - m.end() if m.end() <= start else m.start() - end
            # cues after the expression count a little less than cues before it
            dist = dist if m.end() <= start else dist * 1.2
            if best is None or dist < best:
                best, res = dist, ("future" if fut else "past")
        self.tense_cache[key] = res
        return res


# ---------------------------------------------------------------------------------------------- values
def _ymd(d: _dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def _week(d: _dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    t = y * 12 + (m - 1) + k
    return t // 12, t % 12 + 1


def _valid(y: int, m: int, d: int) -> bool:
    return 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y if y else 2000, m)[1]


def _month_num(tok: str) -> int | None:
    return MONTHS.get(tok.lower().rstrip("."))


def _year_word(tok: str) -> int | None:
    w = re.sub(r"[\s-]+", " ", tok.lower()).strip().split(" ")
    if w[:2] == ["two", "thousand"]:
        rest = [x for x in w[2:] if x != "and"]
        return 2000 + (_SMALL.get(rest[0], 0) if rest else 0)
    head = {"nineteen": 19, "eighteen": 18, "twenty": 20}.get(w[0])
    if head is None:
        return None
    rest = w[1:]
    if rest == ["hundred"]:
        return head * 100
    if rest and rest[0] == "oh":
        return head * 100 + _SMALL.get(rest[1], 0)
    tail = _num(" ".join(rest))
    return head * 100 + int(tail) if tail is not None else None


def _year_of(tok: str, ref: _dt.date | None) -> int | None:
    tok = tok.strip()
    if tok[:1].isalpha():
        return _year_word(tok)
    if tok.startswith("'"):
        yy = int(tok[1:])
        base = ref.year if ref else 2000
        cands = [c * 100 + yy for c in (base // 100 - 1, base // 100)]
        return min(cands, key=lambda c: (c > base + 10, abs(c - base)))
    return int(tok)


_FLIP = (8, 4)  # months: against the tense when the other side is at most 4 months away and this one 8+


def _pick_year(month: int, day: int | None, ref: _dt.date, tense: str) -> int:
    """Year for a month (and day) with no year: by tense, else the nearest occurrence."""
    y = ref.year
    if day is None:  # months: distance in months, the current month counts as both
        back = (ref.month - month) % 12
        fwd = (month - ref.month) % 12
        if back == 0:
            return y
        y_back = y if month < ref.month else y - 1
        y_fwd = y if month > ref.month else y + 1
        if tense == "past":
            return y_fwd if (back >= _FLIP[0] and fwd <= _FLIP[1]) else y_back
        if tense == "future":
            return y_back if (fwd >= _FLIP[0] and back <= _FLIP[1]) else y_fwd
        return y_back if back <= fwd + 1 else y_fwd
    cands = []
    for yy in (y - 1, y, y + 1):
        if _valid(yy, month, day):
            cands.append((yy, _dt.date(yy, month, day)))
    if not cands:
        return y
    past = [c for c in cands if c[1] <= ref]
    fut = [c for c in cands if c[1] >= ref]
    p = max(past, key=lambda c: c[1]) if past else None
    f = min(fut, key=lambda c: c[1]) if fut else None
    dp = (ref - p[1]).days if p else 10**6
    df = (f[1] - ref).days if f else 10**6
    # by tense, unless the other side is far closer (news rarely says "Dec. 15" for a date 8+ months back
    # when the next Dec. 15 is at most three months ahead: "contracts run until 15 November" in September)
    if tense == "past" and p and not (dp > 240 and df <= 90):
        return p[0]
    if tense == "future" and f and not (df > 240 and dp <= 90):
        return f[0]
    return p[0] if dp <= df else f[0]


_WD_PRESENT = "nearest"  # a weekday in a sentence with no tense cue: the nearest such day


def _weekday_date(wd: int, ref: _dt.date, tense: str) -> _dt.date:
    delta = wd - ref.isoweekday()
    if tense == "future":
        delta = delta if delta >= 0 else delta + 7
    elif tense == "past":
        delta = delta if delta <= 0 else delta - 7
    elif _WD_PRESENT == "past":
        delta = delta if delta <= 0 else delta - 7
    else:  # nearest, ties to the past
        if delta > 3:
            delta -= 7
        elif delta < -3:
            delta += 7
    return ref + _dt.timedelta(days=delta)


def _quarter(d: _dt.date) -> int:
    return (d.month - 1) // 3 + 1


def _shift(ref: _dt.date, n: int, letter: str) -> str | None:
    """Value for ``ref`` moved by n units (negative = past) at that unit's granularity."""
    try:
        if letter == "D":
            return _ymd(ref + _dt.timedelta(days=n))
        if letter == "W":
            return _week(ref + _dt.timedelta(weeks=n))
        if letter == "WE":
            return _week(ref + _dt.timedelta(weeks=n)) + "-WE"
        if letter == "M":
            y, m = _add_months(ref.year, ref.month, n)
            return f"{y:04d}-{m:02d}"
        if letter == "Y":
            return f"{ref.year + n:04d}"
        if letter == "Q":
            y, q = divmod(ref.year * 4 + _quarter(ref) - 1 + n, 4)
            return f"{y:04d}-Q{q + 1}"
        if letter == "DE":
            return f"{(ref.year + 10 * n) // 10:03d}X"
        if letter == "CE":
            return f"{(ref.year + 100 * n) // 100:02d}XX"
    except (OverflowError, ValueError):
        return None
    return None


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


def _unit_letter(word: str) -> str:
    u = word.lower().rstrip(".")
    if u == "centuries":
        u = "century"
    u = u[:-1] if u.endswith("s") and u[:-1] in UNITS else u
    return UNITS.get(u, ("Y", False))[0]


# ---------------------------------------------------------------------------------------------- rules
BLOCK = "BLOCK"  # a span that must not be tagged (e.g. "February 30"), and hides shorter matches inside it


@dataclass
class _Cand:
    start: int
    end: int
    type: str
    value: object  # str or callable(state) -> str
    mod: str = ""
    prio: int = 0


_RULES: list[tuple[re.Pattern, Callable]] = []


def _rule(pattern: str, flags=re.I, prio: int = 0):
    rx = re.compile(pattern, flags)

    def deco(fn):
        _RULES.append((rx, fn, prio))
        return fn

    return deco


def _edge(word: str | None) -> str:
    if not word:
        return ""
    w = re.sub(r"^(the\s+)?(very\s+)?", "", word.strip().lower()).split()[0].rstrip("-")
    w = re.sub(r"-$", "", w)
    return EDGE.get(w, "")


def _cap(tok: str) -> bool:
    return tok[:1].isupper()


# -- absolute dates -----------------------------------------------------------------------------------
_WD_OPT = rf"(?:(?P<wd>{WEEKDAY})(?:\s*,\s*|\s+)(?:the\s+)?)?"


_APPROX_DATE = r"(?:(?P<apx>around|about|approximately|circa|ca\.|roughly)\s+)?"


@_rule(
    rf"\b{_APPROX_DATE}{_WD_OPT}(?P<mon>{MONTH})\s+(?P<day>{DAYNUM})\b(?:(?:\s*,\s*|\s+)(?P<year>{YEAR}))?(?![\d,]*\d)(?!\s*(?:%|percent))",
    re.I,
    prio=3,
)
def _r_month_day(m, ctx):
    res = _month_day(m, ctx)
    if m.group("apx") and isinstance(res, tuple):
        res = (res[0], res[1], "APPROX")
    return res


def _month_day(m, ctx):
    if not _cap(m.group("mon")):
        return None
    mon = _month_num(m.group("mon"))
    day = _day_of(m.group("day"))
    wd = WEEKDAYS.get((m.group("wd") or "").lower().rstrip("."))
    if wd and not m.group("year") and ctx.ref is not None:
        for yy in (ctx.ref.year, ctx.ref.year - 1, ctx.ref.year + 1):
            if _valid(yy, mon, day) and _dt.date(yy, mon, day).isoweekday() == wd:
                return ("DATE", f"{yy:04d}-{mon:02d}-{day:02d}")
    if m.group("year"):
        y = _year_of(m.group("year"), ctx.ref)
        if not _valid(y, mon, day):
            return BLOCK
        return ("DATE", f"{y:04d}-{mon:02d}-{day:02d}")
    if not _valid(2000, mon, day):
        return BLOCK
    if ctx.ref is None:
        return ("DATE", f"XXXX-{mon:02d}-{day:02d}")
    tense = ctx.tense(m.start(), m.end())
    y = _pick_year(mon, day, ctx.ref, tense)
    if not _valid(y, mon, day):
        return BLOCK
    return ("DATE", f"{y:04d}-{mon:02d}-{day:02d}")


@_rule(
    rf"\b{_WD_OPT}(?:the\s+)?(?P<day>{DAYNUM})(?P<of>\s+of)?\s+(?P<mon>{MONTH})(?:(?:\s*,\s*|\s+)(?P<year>{YEAR}))?\b",
    re.I,
    prio=3,
)
def _r_day_month(m, ctx):
    if not _cap(m.group("mon")):
        return None
    if m.group("day")[:1].isalpha() and not m.group("of"):
        return None  # "the second May rally": an ordinal, not a day
    mon = _month_num(m.group("mon"))
    day = _day_of(m.group("day"))
    if m.group("year"):
        y = _year_of(m.group("year"), ctx.ref)
        return ("DATE", f"{y:04d}-{mon:02d}-{day:02d}") if _valid(y, mon, day) else BLOCK
    if not _valid(2000, mon, day):
        return BLOCK
    if ctx.ref is None:
        return ("DATE", f"XXXX-{mon:02d}-{day:02d}")
    y = _pick_year(mon, day, ctx.ref, ctx.tense(m.start(), m.end()))
    return ("DATE", f"{y:04d}-{mon:02d}-{day:02d}") if _valid(y, mon, day) else BLOCK


@_rule(rf"\b(?P<edge>{EDGEP})?(?P<mon>{MONTH})(?:(?:\s*,\s*|\s+)(?:of\s+)?(?P<year>{YEAR}))?(?![\w])", re.I, prio=1)
def _r_month(m, ctx):
    tok = m.group("mon")
    if not _cap(tok):
        return None
    low = tok.lower().rstrip(".")
    mon = _month_num(tok)
    mod = _edge(m.group("edge"))
    if m.group("year"):
        y = _year_of(m.group("year"), ctx.ref)
        return ("DATE", f"{y:04d}-{mon:02d}", mod)
    if (
        not m.group("year")
        and not tok.endswith(".")
        and low in ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
    ):
        return None  # "Jan" alone is more often a name than a month
    # ambiguous words need support: "May" and "March" alone at sentence start are often not months
    if low in ("may", "march"):
        before = ctx.text[max(0, m.start() - 12) : m.start()].lower()
        if not re.search(
            r"\b(?:in|since|until|till|by|of|early|late|mid|last|next|this|from|through|before|after|during)\s*-?$",
            before,
        ):
            return None
    if ctx.ref is None:
        return ("DATE", f"XXXX-{mon:02d}", mod)
    y = _pick_year(mon, None, ctx.ref, ctx.tense(m.start(), m.end()))
    return ("DATE", f"{y:04d}-{mon:02d}", mod)


@_rule(
    rf"\b(?:(?P<pre>last|next|this|this\s+past|this\s+coming|(?:every|each))\s+(?P<mon>{MONTH})(?!\s+\d)|(?P<mon2>{MONTH})(?:\s+of)?\s+(?P<rel>this|last|next)\s+year)\b",
    re.I,
    prio=3,
)
def _r_month_rel(m, ctx):
    tok = m.group("mon") or m.group("mon2")
    if not _cap(tok):
        return None
    mon = _month_num(tok)
    pre = re.sub(r"\s+", " ", (m.group("pre") or "").lower())
    if pre in ("every", "each"):
        return ("SET", f"XXXX-{mon:02d}")
    if ctx.ref is None:
        return ("DATE", f"XXXX-{mon:02d}")
    y = ctx.ref.year
    rel = (m.group("rel") or "").lower()
    if rel:
        y += {"last": -1, "next": 1}.get(rel, 0)
    elif pre in ("last", "this past"):
        y = y if mon < ctx.ref.month else y - 1
    elif pre in ("next", "this coming"):
        y = y if mon > ctx.ref.month else y + 1
    return ("DATE", f"{y:04d}-{mon:02d}")


@_rule(r"(?<![\w/.$-])(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])/(?P<y>\d{4}|\d{2})(?![\w/])", prio=3)
def _r_numeric_us(m, ctx):
    y = int(m.group("y"))
    if y < 100:
        y += 1900 if y >= 30 else 2000
    mon, day = int(m.group("m")), int(m.group("d"))
    return ("DATE", f"{y:04d}-{mon:02d}-{day:02d}") if _valid(y, mon, day) else BLOCK


@_rule(
    r"(?<![\w/.-])(?P<y>1[6-9]\d\d|20\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:[T ](?P<H>[0-2]\d):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?)?(?![\w-])",
    prio=4,
)
def _r_iso(m, ctx):
    y, mon, day = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    if not _valid(y, mon, day):
        return BLOCK
    v = f"{y:04d}-{mon:02d}-{day:02d}"
    if m.group("H"):
        return ("TIME", v + f"T{m.group('H')}:{m.group('M')}" + (f":{m.group('S')}" if m.group("S") else ""))
    return ("DATE", v)


@_rule(
    r"(?<![\w/.-])(?P<m>1[0-2]|0?[1-9])-(?P<d>3[01]|[12]\d|0?[1-9])-(?P<y>\d{2})(?:\s+(?P<H>[0-2]\d)(?P<M>[0-5]\d)\s*(?:[ECMP][SD]T|GMT|UTC))?(?![\w-])",
    prio=3,
)
def _r_numeric_dash(m, ctx):
    y = int(m.group("y"))
    y += 1900 if y >= 30 else 2000
    mon, day = int(m.group("m")), int(m.group("d"))
    if not _valid(y, mon, day):
        return BLOCK
    v = f"{y:04d}-{mon:02d}-{day:02d}"
    if m.group("H"):
        return ("TIME", v + f"T{m.group('H')}:{m.group('M')}")
    return ("DATE", v)


@_rule(
    rf"(?<![\w$£€#.,/:-])(?P<edge>{EDGEP})?(?:(?:post|pre)-)?(?:fiscal\s+(?:year\s+)?)?(?P<y>{YEAR4})(?![\w/-]|[.,:]\d|\s*(?:-|to)\s*\d{{2}}\b(?!\d))",
    prio=0,
)
def _r_year(m, ctx):
    y = int(m.group("y"))
    after = ctx.text[m.end() : m.end() + 30]
    before = ctx.text[max(0, m.start() - 20) : m.start()]
    determiner = (
        re.search(r"\b(?:the|its|their|his|her|this|that)\s+$", before, re.I) or "fiscal" in m.group(0).lower()
    ) and not re.match(r"\s*(?:%|percent|people|troops|soldiers|men|women)\b", after, re.I)
    if (
        not determiner
        and _COUNT_NOUNS.match(after)
        and not re.match(
            r"\s*(?:years?|elections?|season|budget|games?|olympics|census|models?|levels?|figures?|results?|prices?|dollars?|crops?)\b",
            after,
            re.I,
        )
    ):
        return None
    if re.search(
        r"(?:No\.|number|#|page|pp?\.|route|flight|room|apartment|suite|highway|interstate|[A-Z]-)\s*$", before, re.I
    ):
        return None
    if y < 1600 and not re.search(r"\b(?:in|since|by|of|from|until|before|after|during|year)\s+$", before, re.I):
        return None
    if re.match(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|hours\b|GMT|EST|EDT)", after, re.I):
        return None
    return ("DATE", f"{y:04d}", _edge(m.group("edge")))


@_rule(
    rf"\b(?:(?P<pre>in|since|of|until|by|from|year|before|after|during)\s+(?P<y>{YEARW})|(?P<y2>(?:nineteen|eighteen)[- ](?:{_N_TENS})(?:[- ](?:{_UNITS_W}))?))\b",
    prio=1,
)
def _r_year_words(m, ctx):
    if m.group("y2"):  # "nineteen ninety-six": unambiguous even without a preposition
        y = _year_word(m.group("y2"))
        return ("DATE", f"{y:04d}") if y else None
    y = _year_word(m.group("y"))
    if y is None or not 1600 <= y <= 2099:
        return None
    if m.group("pre").lower() == "year":
        return (
            "DATE",
            f"{y:04d}",
            "",
            m.start() if ctx.text[max(0, m.start() - 4) : m.start()].lower() != "the " else m.start() - 4,
        )
    return ("DATE", f"{y:04d}", "", m.start("y"))


@_rule(rf"\b(?P<edge>{EDGEP})?(?:the\s+)?(?P<dec>(?:1[0-9]|20)\d0|'\d0)'?s\b", prio=1)
def _r_decade(m, ctx):
    tok = m.group("dec")
    y = _year_of(tok, ctx.ref) if tok.startswith("'") else int(tok)
    mod = _edge(m.group("edge"))
    if y % 100 == 0 and not tok.startswith("'") and y != 2000:  # "the 1900s": the century; "the 2000s": a decade
        return ("DATE", f"{y // 100:02d}XX", mod)
    return ("DATE", f"{y // 10:03d}X", mod)


@_rule(
    r"\b(?P<edge>(?:the\s+)?(?:early|late|mid)[- ]?)?(?:the\s+)?(?P<dec>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b",
    prio=1,
)
def _r_decade_word(m, ctx):
    d = {
        "twenties": 2,
        "thirties": 3,
        "forties": 4,
        "fifties": 5,
        "sixties": 6,
        "seventies": 7,
        "eighties": 8,
        "nineties": 9,
    }[m.group("dec").lower()]
    if not m.group(0).lower().startswith(("the", "early", "late", "mid")):
        return None
    return ("DATE", f"19{d}X", _edge(m.group("edge")))


@_rule(
    r"\b(?P<edge>(?:the\s+)?(?:early|late|mid)[- ]?)?(?:the\s+)?(?P<n>\d{1,2})(?:st|nd|rd|th)[- ]century\b|\b(?:the\s+)?(?P<w>nineteenth|twentieth|twenty-first|eighteenth)[- ]century\b",
    prio=2,
)
def _r_century(m, ctx):
    n = (
        int(m.group("n"))
        if m.group("n")
        else {"eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21}[m.group("w").lower()]
    )
    return ("DATE", f"{n - 1:02d}XX", _edge(m.group("edge")))


# -- seasons, quarters, halves -------------------------------------------------------------------------
@_rule(
    rf"\b(?P<det>(?:this|last|next|the|coming|past|this\s+past|late|early|mid|the\s+early|the\s+late)\s+)?(?P<s>spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?(?P<y>{YEAR4}|{YEARW}))?\b(?!-)",
    prio=1,
)
def _r_season(m, ctx):
    s = SEASONS[m.group("s").lower()]
    det = (m.group("det") or "").strip().lower()
    mod = _edge(det) if det.split()[-1:] and det.split()[-1] in ("early", "late", "mid") else ""
    if m.group("y"):
        return ("DATE", f"{_year_of(m.group('y'), ctx.ref):04d}-{s}", mod)
    if not det:
        if s == "FA" or not re.search(
            r"\b(?:in|during|by|until|since|this|through)\s+$", ctx.text[max(0, m.start() - 10) : m.start()], re.I
        ):
            return None
    if det in ("the",) and m.group("s").lower() == "fall":
        nxt = ctx.text[m.end() : m.end() + 4].lower()
        if nxt.startswith(" of"):
            return None
    if ctx.ref is None:
        return ("DATE", f"XXXX-{s}", mod)
    ref = ctx.ref
    first = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}

    def begin(y):  # first day of season s in year y (winter y runs Dec y - Feb y+1)
        return _dt.date(y, first[s], 1)

    def finish(y):
        return _add_months(y, first[s], 3)

    cur_start = max(
        _dt.date(yy, mm, 1) for yy in (ref.year - 1, ref.year) for mm in (3, 6, 9, 12) if _dt.date(yy, mm, 1) <= ref
    )
    years = range(ref.year - 2, ref.year + 2)
    started = [y for y in years if begin(y) <= ref]
    if "last" in det or "past" in det:
        y = max(y for y in years if begin(y) < cur_start)
    elif "next" in det or "coming" in det:
        y = min(y for y in years if begin(y) > ref)
    else:
        t = ctx.tense(m.start(), m.end())
        if t == "future":
            # the season under way or the next one
            y = min(y for y in years if _dt.date(*finish(y), 1) > ref)
        else:
            y = max(started)  # the current one if under way, else the most recent one
            if t == "present" and begin(y) < cur_start and begin(y + 1) - ref < ref - begin(y):
                y += 1
    return ("DATE", f"{y:04d}-{s}", mod)


_QORD = r"(?P<q>first|second|third|fourth|1st|2nd|3rd|4th|final|last)"


@_rule(
    rf"\b(?P<pre>(?:the|its|their|this\s+year's|last\s+year's|next\s+year's|the\s+fiscal|its\s+fiscal|this|fiscal|the\s+(?P<y0>{YEAR4})|the\s+year-(?:ago|earlier)|the\s+comparable\s+year-(?:ago|earlier)|(?P<y1>{YEAR4}))\s+)?(?:fiscal\s+)?{_QORD}(?P<hy>[- ])(?:fiscal[- ])?quarter(?P<post>(?:\s+of\s+(?:fiscal\s+)?(?P<y>{YEAR4}))|\s+(?:of\s+)?(?:this|last|next)\s+year)?(?![-\w])",
    prio=2,
)
def _r_quarter(m, ctx):
    qw = m.group("q").lower()
    q = ORDINALS.get(qw, 4)
    pre = (m.group("pre") or "").lower()
    post = (m.group("post") or "").lower()
    start = None
    if pre.startswith(("its ", "their ")) or (m.group("hy") == "-" and pre.strip() == "the"):
        start = m.start("q")
    yx = m.group("y") or m.group("y0") or m.group("y1")
    if yx:
        return ("DATE", f"{yx}-Q{q}", "", start)
    if ctx.ref is None:
        return ("DATE", f"XXXX-Q{q}", "", start)
    y = ctx.ref.year
    if "year-" in pre:
        y -= 1
        if q > _quarter(ctx.ref):
            y -= 1
    elif "last year" in pre or "last year" in post:
        y -= 1
    elif "next year" in pre or "next year" in post:
        y += 1
    elif "this year" in pre or "this year" in post:
        pass
    elif q > _quarter(ctx.ref) and ctx.tense(m.start(), m.end()) != "future":
        y -= 1
    return ("DATE", f"{y:04d}-Q{q}", "", start)


@_rule(
    rf"\b(?P<det>the\s+{YEAR4}|the|this|last|next|that|the\s+latest|the\s+current|the\s+most\s+recent|the\s+previous|the\s+past|the\s+same|the\s+year-earlier|the\s+year-ago|the\s+comparable|the\s+latest\s+fiscal|the\s+fiscal)\s+(?:fiscal\s+)?(?:quarter|period)\b(?!s)",
    prio=1,
)
def _r_the_quarter(m, ctx):
    det = re.sub(r"\s+", " ", m.group("det").lower())
    if re.match(r"the \d{4}$", det):
        yx = det[4:]
        return ("DATE", lambda state, yx=yx: yx + state["quarter"][4:] if state.get("quarter") else yx)
    if (
        m.group(0).lower().endswith("period")
        and "year" not in det
        and det not in ("the latest", "the comparable", "the same", "the current", "the most recent")
    ):
        return None
    if det in ("the year-earlier", "the year-ago", "the comparable"):

        def val(state, ref=ctx.ref):
            last = state.get("quarter")
            if last and re.match(r"\d{4}-Q\d$", last):
                return f"{int(last[:4]) - 1:04d}{last[4:]}"
            if ref is None:
                return "XXXX-QX"
            y, q = divmod(ref.year * 4 + _quarter(ref) - 2, 4)
            return f"{y - 1:04d}-Q{q + 1}"

        return ("DATE", val)
    if det in ("that", "the same"):
        return ("DATE", lambda state: state.get("quarter") or "XXXX-QX")
    if ctx.ref is None:
        return ("DATE", "XXXX-QX")
    cur = ctx.ref.year * 4 + _quarter(ctx.ref) - 1
    if det in ("this", "the current"):
        k = cur
    elif det == "next":
        k = cur + 1
    else:  # the (latest) quarter: the one most recently reported
        if det == "the":

            def val(state, cur=cur):
                last = state.get("quarter")
                if last:
                    return last
                y, q = divmod(cur - 1, 4)
                return f"{y:04d}-Q{q + 1}"

            return ("DATE", val)
        k = cur - 1
    y, q = divmod(k, 4)
    return ("DATE", f"{y:04d}-Q{q + 1}")


@_rule(
    rf"\b(?:the\s+)?(?P<h>first|second|latter|last)\s+half(?:\s+of\s+(?:(?P<y>{YEAR4})|(?P<rel>this|last|next)\s+year|the\s+year))?\b",
    prio=2,
)
def _r_half(m, ctx):
    h = 1 if m.group("h").lower() == "first" else 2
    if m.group("y"):
        return ("DATE", f"{m.group('y')}-H{h}")
    if ctx.ref is None:
        return ("DATE", f"XXXX-H{h}")
    y = ctx.ref.year + {"last": -1, "next": 1}.get((m.group("rel") or "").lower(), 0)
    if not m.group("rel") and not m.group(0).lower().endswith("year") and not re.search(r"\s+of\s+", m.group(0)):
        if h == 2 and ctx.ref.month <= 6 and ctx.tense(m.start(), m.end()) == "past":
            y -= 1
    return ("DATE", f"{y:04d}-H{h}")


# -- relative dates -----------------------------------------------------------------------------------
@_rule(
    r"\b(?P<edge>(?:[Ee]arly|[Ll]ate|[Ee]arlier|[Ll]ater)\s+)?(?:today|tonight|yesterday|tomorrow|the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow)(?:\s+(?P<pod>morning|afternoon|evening|night))?\b(?!-)",
    prio=2,
)
def _r_deictic(m, ctx):
    res = _deictic(m, ctx)
    if res and m.group("edge"):
        res = (res[0], res[1], "START" if m.group("edge").lower().startswith("earl") else "END")
    return res


def _deictic(m, ctx):
    if (
        m.group(0).startswith("Today")
        and re.search(r"[A-Z][\w.]*\s+$", ctx.text[max(0, m.start() - 20) : m.start()])
        and ctx.sentence(m.start())[0] != m.start()
    ):
        return None  # a title: "USA Today", "Russia Today"
    w = re.sub(r"^(?:early|late|earlier|later)\s+", "", m.group(0).lower())
    pod = m.group("pod")
    off = (
        -2
        if "before yesterday" in w
        else 2
        if "after tomorrow" in w
        else -1
        if "yesterday" in w
        else 1
        if "tomorrow" in w
        else 0
    )
    if ctx.ref is None:
        base = "XXXX-XX-XX"
    else:
        base = _ymd(ctx.ref + _dt.timedelta(days=off))
    if w.startswith("tonight"):
        return ("TIME", base + "TNI")
    if pod:
        return ("TIME", base + "T" + PARTOFDAY[pod.lower()])
    return ("DATE", base)


@_rule(r"\b(?:this|last|yesterday|tomorrow)\s+(?P<pod>morning|afternoon|evening|night)\b|\b(?:overnight)\b", prio=2)
def _r_this_pod(m, ctx):
    w = m.group(0).lower()
    if w == "overnight":
        return None
    off = -1 if w.startswith(("yesterday", "last")) else 1 if w.startswith("tomorrow") else 0
    base = "XXXX-XX-XX" if ctx.ref is None else _ymd(ctx.ref + _dt.timedelta(days=off))
    return ("TIME", base + "T" + PARTOFDAY[m.group("pod").lower()])


@_rule(
    r"\b(?P<det>last|this|next|past|coming|previous|current|the\s+past|the\s+coming|the\s+previous|the\s+current|the\s+next|the\s+following|the\s+same|that|the\s+last)\s+(?P<u>week|weekend|month|year|decade|century)(?![\w-])",
    prio=2,
)
def _r_rel_unit(m, ctx):
    det = re.sub(r"\s+", " ", m.group("det").lower())
    letter = _unit_letter(m.group("u"))
    if det in ("the coming", "the next", "coming") and letter != "WE":
        # "the next month": a period starting now
        return ("DURATION", "P1" + letter)
    if det in ("the past", "the last", "past"):
        det = "last"  # TimeBank: "the past year" is the previous calendar year (a DATE), like "last year"
    if det in ("the same", "that", "the following", "the previous"):
        key = {"D": "day", "W": "week", "M": "month", "Y": "year"}.get(letter, "year")

        def val(state, letter=letter, det=det):
            anchor = state.get("date")
            if not anchor:
                return _UNKNOWN.get(letter, "XXXX")
            n = 1 if det == "the following" else -1 if det == "the previous" else 0
            return _shift(anchor, n, letter) or _UNKNOWN.get(letter, "XXXX")

        return ("DATE", val)
    n = {"last": -1, "previous": -1, "next": 1, "coming": 1, "this": 0, "current": 0, "the current": 0}.get(det, 0)
    if ctx.ref is None:
        return ("DATE", _UNKNOWN.get(letter, "XXXX"))
    return ("DATE", _shift(ctx.ref, n, letter) or _UNKNOWN.get(letter, "XXXX"))


@_rule(
    r"\b(?P<edge>earlier|later|early|late)\s+(?:this|that|last|next)\s+(?P<u>week|month|year)\b|\b(?:the\s+)?(?P<edge2>beginning|start|middle|end|close)\s+of\s+(?P<det>this|last|next|the)\s+(?P<u2>week|month|year|decade|century)\b",
    prio=3,
)
def _r_edge_rel(m, ctx):
    w = m.group(0).lower()
    letter = _unit_letter(m.group("u") or m.group("u2"))
    mod = EDGE.get((m.group("edge") or m.group("edge2")).lower(), "")
    n = -1 if " last " in f" {w} " else 1 if " next " in f" {w} " else 0
    if " that " in f" {w} ":
        return (
            "DATE",
            lambda state, letter=letter: (
                _shift(state["date"], 0, letter) if state.get("date") else _UNKNOWN.get(letter, "XXXX")
            ),
            mod,
        )
    if ctx.ref is None:
        return ("DATE", _UNKNOWN.get(letter, "XXXX"), mod)
    if m.group("det") and m.group("det").lower() == "the" and letter in ("Y", "M", "W"):
        n = 0
    return ("DATE", _shift(ctx.ref, n, letter) or _UNKNOWN.get(letter, "XXXX"), mod)


@_rule(
    rf"\b(?P<mod>{MODP}\s+)?(?P<n>{QUANT})[\s-]+(?P<u>{UNIT})(?:\s*')?(?P<orso>\s+or\s+so)?\s+(?P<dir>ago|earlier|before|later|after|hence|from\s+now|back)\b",
    prio=4,
)
def _r_ago(m, ctx):
    d = m.group("dir").lower()
    nraw = m.group("n")
    n = _num(nraw)
    letter = _unit_letter(m.group("u"))
    mod = MOD_PRE.get(re.sub(r"\s+", " ", (m.group("mod") or "").strip().lower()), "") or (
        "APPROX" if m.group("orso") else ""
    )
    sign = -1 if d in ("ago", "earlier", "before", "back") else 1
    if d in ("before", "after") or (d in ("earlier", "later") and letter != "Y"):
        # "two days after the vote", "three days later": TimeML marks the duration only
        if n is None and not re.fullmatch(VAGUE, nraw.strip().lower()):
            return None
        return ("DURATION", _duration(n, m.group("u")), mod, None, m.end("u"))
    if n is None:
        return ("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", mod)
    if letter in ("S", "H") or m.group("u").lower().startswith(("min", "sec", "hour", "hr")):
        return ("DURATION", _duration(n, m.group("u")), mod)
    if not float(n).is_integer():
        return ("DURATION", _duration(n, m.group("u")), mod)
    k = int(n)
    if d in ("ago", "hence", "from now", "back"):
        if ctx.ref is None:
            return ("DATE", _UNKNOWN.get(letter, "XXXX-XX-XX"), mod)

        def val(state, ref=ctx.ref, k=k, letter=letter, sign=sign):
            if letter == "Y" and k == 1 and state.get("quarter_recent"):
                q = state["quarter"]
                return f"{int(q[:4]) - 1:04d}{q[4:]}"
            return _shift(ref, sign * k, letter) or _UNKNOWN.get(letter, "XXXX")

        return ("DATE", val, mod)

    def val2(state, k=k, letter=letter, sign=sign):
        if letter == "Y" and state.get("quarter_recent"):
            q = state["quarter"]
            return f"{int(q[:4]) + sign * k:04d}{q[4:]}"
        anchor = state.get("date")
        if anchor is None:
            return _UNKNOWN.get(letter, "XXXX")
        return _shift(anchor, sign * k, letter) or _UNKNOWN.get(letter, "XXXX")

    return ("DATE", val2, mod)


@_rule(r"\b(?:year-earlier|year-ago|a\s+year\s+earlier|prior-year|year-before)\b", prio=1)
def _r_year_earlier(m, ctx):
    def val(state, ref=ctx.ref):
        if state.get("quarter_recent"):
            q = state["quarter"]
            return f"{int(q[:4]) - 1:04d}{q[4:]}"
        anchor = state.get("date") or ref
        return f"{anchor.year - 1:04d}" if anchor else "XXXX"

    return ("DATE", val)


def _easter(y: int) -> _dt.date:
    a, b, c = y % 19, y // 100, y % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    mm = (a + 11 * h + 19 * l_) // 433
    month = (h + l_ - 7 * mm + 90) // 25
    day = (h + l_ - 7 * mm + 33 * month + 19) % 32
    return _dt.date(y, month, day)


def _nth_weekday(y: int, month: int, wd: int, n: int) -> _dt.date:
    if n > 0:
        d = _dt.date(y, month, 1)
        d += _dt.timedelta(days=(wd - d.isoweekday()) % 7)
        return d + _dt.timedelta(weeks=n - 1)
    last = _dt.date(y, month, calendar.monthrange(y, month)[1])
    return last - _dt.timedelta(days=(last.isoweekday() - wd) % 7)


_HOLIDAYS = {
    "christmas eve": lambda y: _dt.date(y, 12, 24),
    "christmas day": lambda y: _dt.date(y, 12, 25),
    "christmas": lambda y: _dt.date(y, 12, 25),
    "new year's eve": lambda y: _dt.date(y, 12, 31),
    "new year's day": lambda y: _dt.date(y, 1, 1),
    "independence day": lambda y: _dt.date(y, 7, 4),
    "halloween": lambda y: _dt.date(y, 10, 31),
    "valentine's day": lambda y: _dt.date(y, 2, 14),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 4, 4),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 4, 4),
    "labor day": lambda y: _nth_weekday(y, 9, 1, 1),
    "memorial day": lambda y: _nth_weekday(y, 5, 1, -1),
    "easter": _easter,
    "easter sunday": _easter,
    "good friday": lambda y: _easter(y) - _dt.timedelta(days=2),
    "easter monday": lambda y: _easter(y) + _dt.timedelta(days=1),
    "veterans day": lambda y: _dt.date(y, 11, 11),
    "boxing day": lambda y: _dt.date(y, 12, 26),
}


@_rule(
    rf"\b(?P<pre>(?:last|this|next|this\s+past|this\s+coming)\s+)?(?P<h>Christmas(?:\s+(?:Eve|Day))?|New\s+Year's\s+(?:Eve|Day)|Independence\s+Day|Halloween|Valentine's\s+Day|Thanksgiving(?:\s+Day)?|Labor\s+Day|Memorial\s+Day|Easter(?:\s+(?:Sunday|Monday))?|Good\s+Friday|Veterans\s+Day|Boxing\s+Day)(?:,?\s+(?P<y>{YEAR4}))?(?![\w-])",
    0,
    prio=2,
)
def _r_holiday(m, ctx):
    name = re.sub(r"\s+", " ", m.group("h").lower())
    fn = _HOLIDAYS.get(name)
    if fn is None:
        return None
    pre = re.sub(r"\s+", " ", (m.group("pre") or "").strip().lower())
    if m.group("y"):
        return ("DATE", _ymd(fn(int(m.group("y")))))
    if ctx.ref is None:
        d0 = fn(2001)
        return ("DATE", f"XXXX-{d0.month:02d}-{d0.day:02d}")
    y = ctx.ref.year
    this = fn(y)
    if pre in ("last", "this past"):
        d = this if this < ctx.ref else fn(y - 1)
    elif pre in ("next", "this coming"):
        d = this if this > ctx.ref else fn(y + 1)
    else:
        t = ctx.tense(m.start(), m.end())
        prev = this if this <= ctx.ref else fn(y - 1)
        nxt = this if this >= ctx.ref else fn(y + 1)
        if t == "past":
            d = prev
        elif t == "future":
            d = nxt
        else:
            d = prev if (ctx.ref - prev) <= (nxt - ctx.ref) else nxt
    return ("DATE", _ymd(d))


@_rule(r"\b(?:the|this|over\s+the)\s+weekend\b", prio=1)
def _r_weekend(m, ctx):
    start = m.start() + (5 if m.group(0).lower().startswith("over") else 0)
    if m.group(0).lower().startswith("this"):
        return None  # handled by the relative-unit rule
    if ctx.ref is None:
        return ("DATE", "XXXX-WXX-WE", "", start)
    t = ctx.tense(m.start(), m.end())
    wd = ctx.ref.isoweekday()
    if wd >= 6 or (t == "future") or (t == "present" and wd >= 3):
        d = ctx.ref  # the weekend of the reference week: the coming one, or the one under way
    else:
        d = ctx.ref - _dt.timedelta(days=7)
    return ("DATE", _week(d) + "-WE", "", start)


@_rule(
    r"\b(?:(?P<end>(?:the\s+)?year[- ]end|(?:the\s+)?year's\s+end|the\s+end\s+of\s+the\s+year)|(?P<det>the\s+full|the\s+current(?:\s+fiscal)?|the\s+fiscal|the\s+latest\s+fiscal|the\s+previous\s+fiscal|the\s+last\s+fiscal|the\s+next\s+fiscal|the\s+coming\s+fiscal|this\s+fiscal|last\s+fiscal|next\s+fiscal)\s+year)\b(?!-)",
    prio=2,
)
def _r_year_phrases(m, ctx):
    w = re.sub(r"\s+", " ", m.group(0).lower())
    if m.group("end"):
        start = m.start() + 4 if w.startswith("the year") else None
        if ctx.ref is None:
            return ("DATE", "XXXX", "END", start)
        y = ctx.ref.year
        if ctx.ref.month <= 3 and ctx.tense(m.start(), m.end()) == "past":
            y -= 1
        return ("DATE", f"{y:04d}", "END", start)
    det = m.group("det").lower()
    if ctx.ref is None:
        return ("DATE", "XXXX")
    n = (
        -1
        if any(k in det for k in ("latest", "previous", "last"))
        else 1
        if any(k in det for k in ("next", "coming"))
        else 0
    )
    return ("DATE", f"{ctx.ref.year + n:04d}")


@_rule(
    r"\b(?:[Cc]urrent)\b(?!\s+(?:account|affairs|events|and\s+former|or\s+former|members?|employees?|officials?|owners?|holders?|chairman|president|ceo|director|head|leaders?|wife|husband))(?!-)",
    0,
    prio=0,
)
def _r_current(m, ctx):
    before = ctx.text[max(0, m.start() - 12) : m.start()].lower()
    nxt = ctx.text[m.end() : m.end() + 2]
    if (
        not re.match(r"\s+[a-z]", nxt)
        or re.search(r"(?:electric|ocean|air|the\s+then)\s*$", before)
        or "then" in before[-6:]
    ):
        return None  # only the adjective "current X"
    return ("DATE", "PRESENT_REF")


@_rule(
    rf"\b(?P<the>the\s+(?:fiscal\s+)?year)(?=\s+(?:that\s+)?(?:ended|ending|ends|to)\s+(?:{MONTH}|last|next|this|in|on|tomorrow|yesterday|today))",
    prio=3,
)
def _r_year_ended(m, ctx):
    return ("DURATION", "P1Y")  # "the year ended Sept. 30": a twelve-month period


@_rule(
    r"\b(?:(?P<edge>early|late|mid)[- ]?|(?P<prep>in|during|by|through)\s+the\s+)(?P<pod>morning|afternoon|evening)\b(?!\s+(?:of|paper|papers|news|show|edition|session|star|prayers?|sickness|glory|after))",
    prio=1,
)
def _r_pod_alone(m, ctx):
    if ctx.ref is None:
        base = "XXXX-XX-XX"
    else:
        base = _ymd(ctx.ref)
    start = m.start() + len(m.group("prep")) + 1 if m.group("prep") else None
    return ("TIME", base + "T" + PARTOFDAY[m.group("pod").lower()], _edge(m.group("edge")), start)


@_rule(
    r"\b(?P<edge>(?:[Ee]arlier|[Ll]ater|[Ee]arly|[Ll]ate)\s+)?(?:[Tt]hat|[Tt]he\s+same|[Tt]hat\s+same)\s+(?P<u>day|morning|afternoon|evening|night)\b|\b(?:[Tt]he|[Tt]hat)\s+(?P<rel>previous|following|next)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
    0,
    prio=2,
)
def _r_that_day(m, ctx):
    """Anaphoric days: "that same day", "earlier that day", "the previous Friday" (from the last full date)."""
    if m.group("wd"):
        wd, rel = WEEKDAYS[m.group("wd").lower()], m.group("rel").lower()

        def val(state, wd=wd, rel=rel):
            a = state.get("day")
            if a is None:
                return f"XXXX-WXX-{wd}"
            if rel == "previous":
                return _ymd(a - _dt.timedelta(days=(a.isoweekday() - wd) % 7 or 7))
            return _ymd(a + _dt.timedelta(days=(wd - a.isoweekday()) % 7 or 7))

        return ("DATE", val)
    u = m.group("u").lower()
    edge = (m.group("edge") or "").strip().lower()
    mod = "START" if edge.startswith("earl") else "END" if edge.startswith("lat") else ""

    def val2(state, u=u):
        a = state.get("day")
        base = _ymd(a) if a is not None else "XXXX-XX-XX"
        return base if u == "day" else base + "T" + PARTOFDAY[u]

    return ("TIME" if u != "day" else "DATE", val2, mod)


# -- weekdays and times -------------------------------------------------------------------------------
@_rule(
    rf"\b(?P<pre>(?:last|next|this|this\s+past|this\s+coming|early|late|earlier|later)\s+)?(?P<wd>{WEEKDAY})(?:\s+(?P<pod>morning|afternoon|evening|night))?(?!\w)",
    0,
    prio=2,
)
def _r_weekday(m, ctx):
    tok = m.group("wd")
    if tok.lower().endswith("s") and tok.lower().rstrip("s") + "" in (
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ):
        # plural: "on Mondays" is a SET
        pod = m.group("pod")
        return ("SET", f"XXXX-WXX-{WEEKDAYS[tok.lower()[:-1]]}" + ("T" + PARTOFDAY[pod.lower()] if pod else ""))
    wd = WEEKDAYS[tok.lower().rstrip(".")]
    pre = (m.group("pre") or "").strip().lower()
    pod = m.group("pod")
    mod = "START" if pre in ("early", "earlier") else "END" if pre in ("late", "later") else ""
    if ctx.ref is None:
        base = f"XXXX-WXX-{wd}"
    else:
        if pre.startswith("last") or pre == "this past":
            tense = "past"
        elif pre.startswith("next") or pre == "this coming":
            tense = "future"
        else:
            tense = ctx.tense(m.start(), m.end())
        d = _weekday_date(wd, ctx.ref, tense)
        if pre == "last" and d == ctx.ref:
            d -= _dt.timedelta(days=7)
        if pre == "next" and d == ctx.ref:
            d += _dt.timedelta(days=7)
        base = _ymd(d)
    if pod:  # TimeBank types "Wednesday night" as a DATE
        return ("DATE", base + "T" + PARTOFDAY[pod.lower()], mod)
    return ("DATE", base, mod)


# fix: the weekday rule must be case-sensitive for capitalised names but the pre-words are lowercase
_RULES[-1] = (
    re.compile(
        r"\b(?P<pre>(?:[Ll]ast|[Nn]ext|[Tt]his|[Tt]his\s+past|[Tt]his\s+coming|[Ee]arly|[Ll]ate|[Ee]arlier|[Ll]ater)\s+)?"
        rf"(?P<wd>{WEEKDAY})(?:\s+(?P<pod>morning|afternoon|evening|night)s?)?(?!\w)"
    ),
    _r_weekday,
    2,
)

_TZ = r"(?:\s*(?:[ECMP][SD]T|GMT|UTC|Z|local\s+time|[ECMP]T))?"


@_rule(
    rf"\b(?P<mod>about|around|approximately|at\s+about|at\s+around|shortly\s+(?:before|after)|just\s+(?:before|after))?\s*\b(?P<h>[01]?\d)(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>a\.m\.|p\.m\.|am\b|pm\b|a\.m\b|p\.m\b){_TZ}(?:,?\s+(?:on\s+)?(?P<wd>{WEEKDAY}))?",
    prio=3,
)
def _r_clock(m, ctx):
    h = int(m.group("h"))
    if h > 12 or h == 0:
        return None
    ap = m.group("ap").lower()
    if ap.startswith("p") and h != 12:
        h += 12
    if ap.startswith("a") and h == 12:
        h = 0
    mi = m.group("mi") or "00"
    mw = re.sub(r"\s+", " ", (m.group("mod") or "").lower())
    mod = (
        "APPROX"
        if mw.replace("at ", "") in ("about", "around", "approximately")
        else "BEFORE"
        if mw.endswith("before")
        else "AFTER"
        if mw.endswith("after")
        else ""
    )
    start = m.start("mod") + 3 if mw.startswith("at ") else None  # "at about 10:35 a.m.": "at" is not part of it
    tm = f"T{h:02d}:{mi}"
    if m.group("wd"):
        wd = WEEKDAYS.get(m.group("wd").lower().rstrip("."))
        if ctx.ref is None or wd is None:
            return ("TIME", f"XXXX-WXX-{wd}{tm}", mod, start)
        d = _weekday_date(wd, ctx.ref, ctx.tense(m.start(), m.end()))
        return ("TIME", _ymd(d) + tm, mod, start)
    # attach to a date right after ("5 p.m. EST, Nov. 6") or the reference date
    return (
        "TIME",
        lambda state, tm=tm, ref=ctx.ref: (state.get("next_date") or (_ymd(ref) if ref else "XXXX-XX-XX")) + tm,
        mod,
        start,
    )


@_rule(
    rf"\b(?P<edge>(?:early|late|mid)(?:[- ]|(?=morning|afternoon|evening)))?(?P<w>noon|midnight|midday|morning|afternoon|evening|night)\s+(?:on\s+)?(?P<day>yesterday|today|tomorrow|{WEEKDAY})(?!\w)",
    prio=3,
)
def _r_pod_day(m, ctx):
    w = m.group("w").lower()
    day = m.group("day")
    if w in ("morning", "afternoon", "evening", "night") and not m.group("edge"):
        return None  # "Friday morning" order is handled by the weekday rule; "morning Friday" is rare
    if day.lower() in ("yesterday", "today", "tomorrow"):
        off = {"yesterday": -1, "today": 0, "tomorrow": 1}[day.lower()]
        base = _ymd(ctx.ref + _dt.timedelta(days=off)) if ctx.ref else "XXXX-XX-XX"
    else:
        if not _cap(day):
            return None
        wd = WEEKDAYS[day.lower().rstrip(".")]
        base = _ymd(_weekday_date(wd, ctx.ref, ctx.tense(m.start(), m.end()))) if ctx.ref else f"XXXX-WXX-{wd}"
    tm = {"noon": "T12:00", "midday": "T12:00", "midnight": "T24:00"}.get(w) or ("T" + PARTOFDAY[w])
    return ("TIME", base + tm, _edge(m.group("edge")))


@_rule(
    r"(?<![\d:.])(?P<h>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)(?:\s*(?:hrs|h))?\s*(?P<tz>GMT|UTC|BST|CET|CEST|EST|EDT|CST|CDT|PST|PDT|local\s+time|Z)\b",
    0,
    prio=2,
)
def _r_clock24(m, ctx):
    tm = f"T{int(m.group('h')):02d}:{m.group('mi')}"
    return (
        "TIME",
        lambda state, tm=tm, ref=ctx.ref: (state.get("next_date") or (_ymd(ref) if ref else "XXXX-XX-XX")) + tm,
    )


@_rule(r"\b(?:at\s+)?(?P<w>noon|midnight|midday)\b", prio=1)
def _r_noon(m, ctx):
    if m.group(0).lower().startswith("at "):
        return None
    tm = "T12:00" if m.group("w").lower() in ("noon", "midday") else "T24:00"
    base = _ymd(ctx.ref) if ctx.ref else "XXXX-XX-XX"
    return ("TIME", base + tm)


# -- durations ----------------------------------------------------------------------------------------
@_rule(
    rf"\b(?P<mod>{MODP}\s+)?(?P<det>(?:the|its|their|his|her|a|an)\s+)?(?P<rel>(?:past|last|next|first|coming|previous|following|final|remaining|latest|recent|additional|entire|full|whole|better\s+part\s+of\s+the)\s+)?(?:(?P<n0>{QUANT})\s*(?:to|or|-|and)\s*)?(?P<n>{QUANT})[- ](?:more\s+|full\s+|long\s+|straight\s+|consecutive\s+|additional\s+|successive\s+|calendar\s+|trading\s+|business\s+|working\s+)?(?P<u>{UNIT})(?P<long>[- ](?:long|old))?(?P<orso>\s+or\s+so)?(?![\w])",
    prio=2,
)
def _r_duration(m, ctx):
    nraw = m.group("n")
    low = re.sub(r"\s+", " ", nraw.lower().strip())
    n = _num(nraw)
    u = m.group("u")
    after = ctx.text[m.end() : m.end() + 12]
    if (m.group("long") or "").endswith("old") or re.match(r"[- ]old\b|\s+of\s+age\b", after, re.I):
        return BLOCK  # ages are not temporal expressions in TimeML
    if re.fullmatch(r"1[5-9]\d\d|20\d\d", low):
        return None  # "the 1988 quarter"
    if (
        u.lower().startswith("night")
        and low in ("a", "an")
        and not m.group("mod")
        and not re.search(r"\b(?:for|per|each|every|one)\s+$", ctx.text[max(0, m.start() - 8) : m.start()], re.I)
    ):
        return None  # "a night protest", "a night of violence"
    if u.lower().startswith("quarter") and re.match(r"\s+of\b", after, re.I):
        return BLOCK  # "more than a quarter of the market", "three-quarters of its food": fractions
    if u.lower().startswith("sec") and (
        low in ("a", "an", "one")
        or re.match(
            r"[\s-]+(?:quarter|half|period|round|term|time|place|day|week|month|year|largest|biggest|straight|consecutive)",
            after,
            re.I,
        )
    ):
        return None
    if m.group("n0") and _num(m.group("n0")) is not None and n is not None:
        n = _num(m.group("n0")) + (0.5 if low == "a half" else 0)
    if m.group("det") and m.group("det").strip().lower() in ("a", "an") and low in ("a", "an"):
        return None
    if low in ("a", "an", "one") and u.lower().endswith("s") and not u.lower().endswith("ss"):
        return None  # "a decades-long war": not one unit
    if low in ("a", "an") and ctx.text[max(0, m.start() - 1) : m.start()] == "$":
        return None
    # "$5 a year", "twice a week": a frequency
    if low in ("a", "an") and not m.group("rel") and not m.group("mod"):
        before = ctx.text[max(0, m.start() - 25) : m.start()].lower()
        if re.search(
            r"(?:\d|million|billion|percent|%|times|twice|once|thrice|dollars|cents)\s*$", before
        ) or re.search(r"\b\d[\d,.]*\s+(?:[a-z-]+\s+){1,2}$", before):
            return ("SET", "P1" + _unit_letter(u), "")
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", low) and n is not None and n > 100000:
        return None
    mod = MOD_PRE.get(re.sub(r"\s+", " ", (m.group("mod") or "").strip().lower()), "")
    if m.group("orso") and not mod:
        mod = "APPROX"
    start = None
    det = (m.group("det") or "").strip().lower()
    if det:
        hyph = ctx.text[m.end("n") : m.start("u")].startswith("-")
        if m.group("mod"):
            start, mod = m.start("det"), ""  # "over the past years": "over" is a preposition here
        if det in ("a", "an") and low in ("few", "couple", "couple of", "dozen"):
            pass  # "a few days": the article belongs to the quantity
        elif (
            det in ("its", "their", "his", "her")
            or (det in ("a", "an") and not m.group("rel"))
            or (hyph and not m.group("rel"))
        ):
            # TimeML keeps "the past two years" and "the nine months" but not the article of "a two-year deal"
            start = m.start("rel") if m.group("rel") else m.start("n0") if m.group("n0") else m.start("n")
    return ("DURATION", _duration(n, u), mod, start)


@_rule(
    rf"\b(?P<mod>{MODP}\s+)?(?:the\s+)?(?P<n>{QUANT})\s+(?P<u>{UNIT})\s+(?:and\s+(?:a\s+half|(?P<n2>{QUANT})\s+(?P<u2>{UNIT})))",
    prio=3,
)
def _r_duration2(m, ctx):
    n = _num(m.group("n"))
    if n is None:
        return None
    u = m.group("u")
    if not m.group("n2"):
        return ("DURATION", _duration(n + 0.5, u), MOD_PRE.get((m.group("mod") or "").strip().lower(), ""))
    n2 = _num(m.group("n2"))
    l1, l2 = _unit_letter(u), _unit_letter(m.group("u2"))
    if n2 is None:
        return None
    time1 = u.lower().startswith(("hour", "min", "sec"))
    time2 = m.group("u2").lower().startswith(("hour", "min", "sec"))
    if time1 and time2:
        return ("DURATION", f"PT{_fmt_num(n)}{l1}{_fmt_num(n2)}{l2}")
    if not time1 and not time2 and "DE" not in (l1, l2):
        return ("DURATION", f"P{_fmt_num(n)}{l1}{_fmt_num(n2)}{l2}")
    return None


@_rule(
    r"\b(?P<mod>(?:for|over|in|during|within)\s+)?(?P<det>(?:the\s+)?(?:(?:past|last|next|coming|recent|previous|early|many|the)\s+)?)(?P<u>years|months|weeks|days|decades|centuries|hours|minutes)(?P<long>-long)?\b(?!-old)",
    prio=1,
)
def _r_vague_plural(m, ctx):
    u = m.group("u").lower()
    det = (m.group("det") or "").strip().lower()
    prep = (m.group("mod") or "").strip().lower()
    if not det and not prep and not m.group("long"):
        return None
    if det.startswith("the") and det == "the":
        return None
    if ctx.text[m.end() : m.end() + 3].lower() in (" of", " ol") and not m.group("long"):
        return None
    letter = _unit_letter(u)
    is_time = u in ("hours", "minutes")
    if det in ("coming", "the coming", "next", "the next") and not m.group("long"):
        return ("DATE", "FUTURE_REF", "", m.start("det"))
    val = ("PTX" if is_time else "PX") + letter
    # the preposition is not part of the expression
    return ("DURATION", val, "", m.start("det") if det else m.start("u"))


# -- vague references ---------------------------------------------------------------------------------
@_rule(
    r"\b(?:(?P<present>now|currently|nowadays|at\s+present|these\s+days|at\s+the\s+moment|right\s+now|presently|the\s+present(?:\s+time)?|so\s+far)|(?P<past>recently|more\s+recently|lately|the\s+past|in\s+the\s+past|formerly|previously|once\s+upon\s+a\s+time|the\s+old\s+days)|(?P<future>the\s+future|the\s+near\s+future|the\s+distant\s+future|someday|eventually|the\s+years\s+ahead|in\s+the\s+years\s+to\s+come))\b(?![-'])",
    prio=0,
)
def _r_ref(m, ctx):
    w = re.sub(r"\s+", " ", m.group(0).lower())
    if w in ("so far", "previously", "formerly", "eventually", "shortly", "once upon a time", "the old days"):
        return None
    if w == "in the past":
        return ("DATE", "PAST_REF", "", m.start() + 3)
    if w == "now" and (re.match(r"\s*,", ctx.text[m.end() : m.end() + 2]) or ctx.sentence(m.start())[0] == m.start()):
        if ctx.text[m.start()] == "N":
            return None  # discourse "Now, ..."
    if w == "the past":
        nxt = ctx.text[m.end() : m.end() + 8].lower()
        if re.match(
            r"\s+(?:few|several|\d|one|two|three|four|five|six|seven|eight|nine|ten|week|month|year|decade|day|quarter)",
            nxt,
        ):
            return None
    if m.group("present"):
        return ("DATE", "PRESENT_REF")
    if m.group("past"):
        return ("DATE", "PAST_REF")
    return ("DATE", "FUTURE_REF")


# -- sets ---------------------------------------------------------------------------------------------
@_rule(
    r"\b(?:(?P<adv>daily|weekly|monthly|yearly|annually|hourly|nightly|biweekly|semiannually)|(?:every|each|per)\s+(?:(?P<n>other|two|three|four|five|six|\d+)\s+)?(?P<u>second|minute|hour|day|night|week|weekend|month|year|quarter|decade|morning|evening|summer|winter|spring|fall|monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?)\b",
    prio=3,
)
def _r_set(m, ctx):
    adv = (m.group("adv") or "").lower()
    if adv:
        # adjectives before a noun ("the daily newspaper") are still SETs in TimeML; keep.
        v = {
            "daily": "P1D",
            "weekly": "P1W",
            "monthly": "P1M",
            "yearly": "P1Y",
            "annually": "P1Y",
            "hourly": "PT1H",
            "nightly": "P1D",
            "quarterly": "P1Q",
            "biweekly": "P2W",
            "semiannually": "P6M",
        }[adv]
        return ("SET", v)
    u = m.group("u").lower()
    nw = (m.group("n") or "").lower()
    n = 2 if nw == "other" else (_num(nw) if nw else 1)
    if u in ("morning", "evening"):
        return ("SET", "TMO" if u == "morning" else "TEV")
    if u in SEASONS:
        return ("SET", f"XXXX-{SEASONS[u]}")
    if u in WEEKDAYS:
        return ("SET", f"XXXX-WXX-{WEEKDAYS[u]}")
    letter = _unit_letter(u)
    is_time = u in ("second", "minute", "hour")
    return ("SET", ("PT" if is_time else "P") + _fmt_num(n or 1) + letter)


# -- named events with fixed dates (headline events referred to by day and month) -----------------------
_NAMED: list[tuple[re.Pattern, _dt.date]] = []


def _load_named() -> None:
    try:
        from importlib.resources import files

        raw = (files("helpers") / "data" / "timex_named_dates.txt").read_text(encoding="utf-8")
    except Exception:
        return
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        date_s, _, rx = line.partition("\t")
        try:
            _NAMED.append((re.compile(rx.strip(), re.I), _dt.date.fromisoformat(date_s.strip())))
        except (ValueError, re.error):
            continue


_load_named()


# ---------------------------------------------------------------------------------------------- triggers
# Each rule only runs in windows around a cheap trigger word (much faster than scanning every position
# with long optional prefixes). (trigger regex, chars before, chars after)
_UNIT_WORDS = {
    "second",
    "seconds",
    "sec",
    "secs",
    "minute",
    "minutes",
    "min",
    "mins",
    "hour",
    "hours",
    "hr",
    "hrs",
    "day",
    "days",
    "night",
    "nights",
    "week",
    "weeks",
    "weekend",
    "weekends",
    "fortnight",
    "fortnights",
    "month",
    "months",
    "year",
    "years",
    "yr",
    "yrs",
    "decade",
    "decades",
    "century",
    "centuries",
    "quarter",
    "quarters",
    "millennium",
    "millennia",
}
_POD_WORDS = {"morning", "afternoon", "evening", "night", "noon", "midnight", "midday"}
_T_UNIT = (_UNIT_WORDS, 90, 30)
_T_MONTH = (set(MONTHS), 45, 40)
_T_WD = (set(WEEKDAYS) | {d + "s" for d in WEEKDAYS if len(d) > 4}, 45, 30)
_TRIGGERS = {
    "_r_month_day": _T_MONTH,
    "_r_day_month": _T_MONTH,
    "_r_month": _T_MONTH,
    "_r_month_rel": _T_MONTH,
    "_r_numeric_us": (r"\d/\d", 12, 12),
    "_r_iso": (r"\d-\d", 12, 20),
    "_r_numeric_dash": (r"\d-\d", 12, 20),
    "_r_year": ("<year4>", 45, 8),
    "_r_year_words": ({"nineteen", "eighteen", "twenty", "two"}, 12, 40),
    "_r_decade": ("<decade>", 45, 4),
    "_r_decade_word": (
        {"twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"},
        40,
        2,
    ),
    "_r_century": ({"century"}, 45, 10),
    "_r_season": ({"spring", "summer", "fall", "autumn", "winter"}, 30, 40),
    "_r_quarter": ({"quarter"}, 60, 40),
    "_r_the_quarter": ({"quarter", "period"}, 45, 10),
    "_r_half": ({"half"}, 20, 40),
    "_r_deictic": ({"today", "tonight", "yesterday", "tomorrow"}, 30, 20),
    "_r_this_pod": (_POD_WORDS, 25, 12),
    "_r_rel_unit": _T_UNIT,
    "_r_edge_rel": _T_UNIT,
    "_r_ago": _T_UNIT,
    "_r_year_earlier": ({"year"}, 25, 15),
    "_r_weekday": _T_WD,
    "_r_clock": (r"[ap]\.?m\b", 40, 40),
    "_r_pod_day": (_POD_WORDS, 20, 30),
    "_r_noon": ({"noon", "midnight", "midday"}, 10, 10),
    "_r_clock24": ({"gmt", "utc", "bst", "cet", "cest", "est", "edt", "cst", "cdt", "pst", "pdt", "local", "z"}, 16, 2),
    "_r_duration": _T_UNIT,
    "_r_duration2": _T_UNIT,
    "_r_vague_plural": _T_UNIT,
    "_r_ref": (
        {
            "now",
            "currently",
            "nowadays",
            "present",
            "these",
            "moment",
            "presently",
            "recently",
            "lately",
            "past",
            "future",
            "someday",
            "years",
        },
        20,
        25,
    ),
    "_r_holiday": (
        {
            "christmas",
            "year",
            "independence",
            "halloween",
            "valentine",
            "thanksgiving",
            "labor",
            "memorial",
            "easter",
            "good",
            "veterans",
            "boxing",
        },
        25,
        25,
    ),
    "_r_weekend": ({"weekend"}, 15, 2),
    "_r_that_day": ({"that", "same", "previous", "following"}, 15, 40),
    "_r_year_ended": ({"year"}, 20, 40),
    "_r_pod_alone": ({"morning", "afternoon", "evening"}, 20, 30),
    "_r_year_phrases": ({"year", "end"}, 30, 12),
    "_r_current": ({"current"}, 2, 20),
    "_r_set": (
        {
            "daily",
            "weekly",
            "monthly",
            "yearly",
            "annually",
            "hourly",
            "nightly",
            "biweekly",
            "semiannually",
            "every",
            "each",
            "per",
        },
        2,
        40,
    ),
}


def _compile_trigger(t):
    return re.compile(t, re.I) if isinstance(t, str) and not t.startswith("<") else t


_RULES = [
    (
        rx,
        fn,
        prio,
        *(
            (_compile_trigger(_TRIGGERS[fn.__name__][0]),) + tuple(_TRIGGERS[fn.__name__][1:])
            if fn.__name__ in _TRIGGERS
            else (None, 0, 0)
        ),
    )
    for rx, fn, prio in _RULES
]
_WORD = re.compile(r"\w+")
_DECADE_TOK = re.compile(r"\d*0s")


def _word_index(text: str) -> dict:
    idx: dict = {}
    for m in _WORD.finditer(text):
        w = m.group().lower()
        idx.setdefault(w, []).append((m.start(), m.end()))
        if w.isdigit() and len(w) == 4:
            idx.setdefault("<year4>", []).append((m.start(), m.end()))
        elif w[-1:] == "s" and _DECADE_TOK.fullmatch(w):
            idx.setdefault("<decade>", []).append((m.start(), m.end()))
    return idx


def _windows(trig, text: str, back: int, fwd: int, cache: dict) -> list[tuple[int, int]]:
    key = (id(trig), back, fwd)
    if key in cache:
        return cache[key]
    if isinstance(trig, re.Pattern):
        hits = [(m.start(), m.end()) for m in trig.finditer(text)]
    else:
        idx = (
            cache.setdefault("__words__", None)
            or cache.__setitem__("__words__", _word_index(text))
            or cache["__words__"]
        )
        if isinstance(trig, str):
            hits = idx.get(trig, [])
        else:
            hits = sorted(p for w in trig if w in idx for p in idx[w])
    out: list[list[int]] = []
    n = len(text)
    for s0, e0 in hits:
        a, b = max(0, s0 - back), min(n, e0 + fwd)
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    res = [(a, b) for a, b in out]
    cache[key] = res
    return res


# ---------------------------------------------------------------------------------------------- driver
def _abbreviations() -> frozenset:
    try:
        from .text import ABBREVIATIONS

        base = set(ABBREVIATIONS)
    except Exception:  # pragma: no cover - tokeniser optional
        base = set()
    return frozenset(
        base
        | set(MONTHS)
        | {
            "mr",
            "mrs",
            "ms",
            "dr",
            "st",
            "co",
            "corp",
            "inc",
            "ltd",
            "jr",
            "sr",
            "no",
            "vs",
            "gov",
            "sen",
            "rep",
            "gen",
            "lt",
            "col",
            "u.s",
            "u.n",
        }
    )


_ABBREV = _abbreviations()
_LAST_WORD = re.compile(r"([\w.]+)[.!?]+[\"')\]]*\s+$")


def _sentence_starts(text: str) -> list[int]:
    """Cheap sentence starts: [.!?] + space + capital/digit, or line breaks; not after abbreviations."""
    starts = [0]
    for m in _SENT_END.finditer(text):
        if m.group(0).startswith("."):
            w = _LAST_WORD.search(text, max(0, m.start() - 20), m.end())
            if w:
                tok = w.group(1).lower()
                if tok in _ABBREV or len(tok) == 1 or (len(tok) <= 4 and "." in tok):
                    continue
        starts.append(m.end())
    return starts


_WEEK_OF = re.compile(r"\b(?:the\s+)?week\s+of\s+$", re.I)


def _iter_matches(rx: re.Pattern, text: str, spans: list[tuple[int, int]]):
    for a, b in spans:
        yield from rx.finditer(text, a, b)


def _extract(text: str, ref: _dt.date | None) -> list[dict]:
    folded = text.translate(_FOLD)
    ctx = _Ctx(folded, ref, _sentence_starts(folded))
    cands: list[_Cand] = []
    wcache: dict = {}
    seen: set = set()
    for rx, fn, prio, trig, back, fwd in _RULES:
        spans = [(0, len(folded))] if trig is None else _windows(trig, folded, back, fwd, wcache)
        for m in _iter_matches(rx, folded, spans):
            if m.end() <= m.start() or (id(rx), m.start(), m.end()) in seen:
                continue
            seen.add((id(rx), m.start(), m.end()))
            res = fn(m, ctx)
            if res is None:
                continue
            s = m.start()
            if res == BLOCK:
                cands.append(_Cand(s, m.end(), BLOCK, None, "", prio + 10))
                continue
            typ, val = res[0], res[1]
            mod = res[2] if len(res) > 2 else ""
            e0 = m.end()
            if len(res) > 3 and res[3] is not None:
                s = res[3]
            if len(res) > 4 and res[4] is not None:
                e0 = res[4]
            # trim surrounding whitespace
            seg = folded[s:e0]
            s += len(seg) - len(seg.lstrip())
            e = e0 - (len(seg) - len(seg.rstrip()))
            if e > s:
                cands.append(_Cand(s, e, typ, val, mod, prio))
    # leftmost-longest with priority for ties and blocks
    cands.sort(key=lambda c: (-(c.end - c.start) - (1000 if c.type == BLOCK else 0), -c.prio, c.start))
    chosen: list[_Cand] = []
    occupied = bytearray(len(folded) + 1)
    for c in cands:
        if 1 in occupied[c.start : c.end]:
            continue
        occupied[c.start : c.end] = b"\x01" * (c.end - c.start)
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    chosen = [c for c in chosen if c.type != BLOCK]
    # named events override the date for "the Oct. 7 attack" style expressions
    if _NAMED and ref is not None:
        for c in chosen:
            if c.type != "DATE" or not isinstance(c.value, str) or not re.match(r"\d{4}-\d\d-\d\d$", c.value):
                continue
            window = folded[c.start : min(len(folded), c.end + 40)]
            for rx, d in _NAMED:
                if (
                    rx.match(window)
                    and d <= ref
                    and c.value[5:] == f"{d.month:02d}-{d.day:02d}"
                    and not re.search(r"\d{4}", folded[c.start : c.end])
                ):
                    c.value = _ymd(d)
                    break
    # resolve anaphoric values in text order
    state: dict = {}
    out = []
    for i, c in enumerate(chosen):
        val = c.value
        if callable(val):
            nxt = chosen[i + 1] if i + 1 < len(chosen) else None
            state["next_date"] = None
            if (
                nxt is not None
                and nxt.start - c.end <= 3
                and isinstance(nxt.value, str)
                and re.match(r"\d{4}-\d\d-\d\d$", nxt.value)
            ):
                state["next_date"] = nxt.value
            state["quarter_recent"] = bool(state.get("quarter")) and c.start - state.get("quarter_pos", -(10**9)) < 1500
            try:
                val = val(state)
            except Exception:
                val = None
            if not val:
                continue
        out.append(
            {
                "start": c.start,
                "end": c.end,
                "text": text[c.start : c.end],
                "type": c.type,
                "value": val,
                "mod": c.mod or "",
            }
        )
        if c.type in ("DATE", "TIME") and isinstance(val, str):
            if re.match(r"\d{4}-Q\d$", val) and not callable(c.value):
                state["quarter"] = val
                state["quarter_pos"] = c.end
            mm = re.match(r"(\d{4})(?:-(\d\d))?(?:-(\d\d))?", val)
            if mm and not callable(c.value):
                try:
                    state["date"] = _dt.date(int(mm.group(1)), int(mm.group(2) or 1), int(mm.group(3) or 1))
                    state["day"] = state["date"] if mm.group(3) else None
                except ValueError:
                    pass
    # "5 p.m. EST, Nov. 6": fold a clock time and the date right after it into one TIME
    merged: list[dict] = []
    for r in out:
        wk = _WEEK_OF.search(folded, max(0, r["start"] - 16), r["start"])
        if wk and r["type"] == "DATE" and re.match(r"\d{4}-\d\d-\d\d$", r["value"]):
            d = _dt.date.fromisoformat(r["value"])
            r["value"], r["start"] = _week(d), wk.start()  # "the week of March 6"
            r["text"] = text[r["start"] : r["end"]]
        if merged:
            p = merged[-1]
            gap = folded[p["end"] : r["start"]]
            if (
                p["type"] == "TIME"
                and r["type"] == "DATE"
                and re.fullmatch(r"\s*,?\s*(?:on\s+)?", gap)
                and re.match(r"\d{4}-\d\d-\d\d$", r["value"])
                and "T" in p["value"]
            ):
                p["value"] = r["value"] + p["value"][p["value"].index("T") :]
                p["end"] = r["end"]
                p["text"] = text[p["start"] : p["end"]]
                continue
            if (
                p["type"] == "DATE"
                and r["type"] == "TIME"
                and re.fullmatch(r"\s*,?\s*(?:at\s+)?", gap)
                and re.match(r"\d{4}-\d\d-\d\d$", p["value"])
                and re.match(r"[X\d]{4}-[X\d]{2}-[X\d]{2}T\d", r["value"])
            ):
                p["type"], p["value"] = "TIME", p["value"] + r["value"][r["value"].index("T") :]
                p["end"] = r["end"]
                p["text"] = text[p["start"] : p["end"]]
                p["mod"] = p["mod"] or r["mod"]
                continue
        merged.append(r)
    return merged


def _is_resolved(typ: str, value: str) -> bool:
    if typ in ("DURATION",):
        return True
    if typ == "SET":
        return True
    return not (value.startswith("XXXX") or "-XX" in value or "WXX" in value)


def interval(value: str) -> tuple[_dt.date, _dt.date] | None:
    """First and last day covered by a resolved DATE/TIME value, or None.

    ``2024-12-06`` (also with a time), ``2024-12``, ``2024``, ``2024-W48`` (``-WE`` weekend), ``2024-Q3``,
    ``2024-H1``, ``2024-SU`` (meteorological seasons), ``199X``/``199`` (decade), ``19XX``/``19`` (century).
    """
    if not isinstance(value, str):
        return None
    v = value.strip()
    try:
        m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)(?:T.*)?", v)
        if m:
            d = _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return d, d
        m = re.fullmatch(r"(\d{4})-(\d\d)", v)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            return _dt.date(y, mo, 1), _dt.date(y, mo, calendar.monthrange(y, mo)[1])
        m = re.fullmatch(r"(\d{4})", v)
        if m:
            y = int(v)
            return _dt.date(y, 1, 1), _dt.date(y, 12, 31)
        m = re.fullmatch(r"(\d{4})-W(\d\d)(-WE)?", v)
        if m:
            mon = _dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            if m.group(3):
                return mon + _dt.timedelta(days=5), mon + _dt.timedelta(days=6)
            return mon, mon + _dt.timedelta(days=6)
        m = re.fullmatch(r"(\d{4})-([QH])(\d)", v)
        if m:
            y, k, n = int(m.group(1)), m.group(2), int(m.group(3))
            span = 3 if k == "Q" else 6
            if not 1 <= n <= 12 // span:
                return None
            first = (n - 1) * span + 1
            last = first + span - 1
            return _dt.date(y, first, 1), _dt.date(y, last, calendar.monthrange(y, last)[1])
        m = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", v)
        if m:
            y = int(m.group(1))
            a, b = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}[m.group(2)]
            end_y, end_m = (y + 1, b - 12) if b > 12 else (y, b)
            return _dt.date(y, a, 1), _dt.date(end_y, end_m, calendar.monthrange(end_y, end_m)[1])
        m = re.fullmatch(r"(\d{3})X?", v)
        if m:
            y = int(m.group(1)) * 10
            return _dt.date(y, 1, 1), _dt.date(y + 9, 12, 31)
        m = re.fullmatch(r"(\d{2})(?:XX)?", v)
        if m:
            y = int(m.group(1)) * 100
            return _dt.date(max(1, y), 1, 1), _dt.date(y + 99, 12, 31)
    except ValueError:
        return None
    return None


_YEARS_PER = {
    "ML": 1000.0,
    "CE": 100.0,
    "DE": 10.0,
    "Y": 1.0,
    "Q": 0.25,
    "M": 1 / 12,
    "W": 7 / 365.25,
    "WE": 2 / 365.25,
    "D": 1 / 365.25,
    "H": 1 / 8766,
    "S": 1 / 31557600,
}


def duration_years(value: str) -> float | None:
    """Length in years of a DURATION value (``P40Y`` -> 40, ``P4DE`` -> 40, ``P1Y6M`` -> 1.5, ``PT3H``);
    None for vague (``PXY``) or non-duration values."""
    if not isinstance(value, str) or not value.startswith("P") or "X" in value:
        return None
    m = re.fullmatch(r"P((?:\d+(?:\.\d+)?(?:ML|CE|DE|WE|Y|Q|M|W|D))*)(?:T((?:\d+(?:\.\d+)?[HMS])*))?", value)
    if not m or not (m.group(1) or m.group(2)):
        return None
    total = 0.0
    for n, u in re.findall(r"(\d+(?:\.\d+)?)(ML|CE|DE|WE|Y|Q|M|W|D)", m.group(1) or ""):
        total += float(n) * _YEARS_PER[u]
    for n, u in re.findall(r"(\d+(?:\.\d+)?)([HMS])", m.group(2) or ""):
        total += float(n) * {"H": 1 / 8766, "M": 1 / 525960, "S": 1 / 31557600}[u]
    return total


def tag(text: str, reference_date=None) -> pd.DataFrame:
    """Temporal expressions in ``text`` as a DataFrame: start, end, text, type, value, mod, resolved.

    ``reference_date`` (date, datetime, ISO string, Timestamp or None) anchors relative expressions; with
    None they keep unresolved TimeML values (``XXXX-...``). Offsets index ``text``.
    """
    if text is None or (not isinstance(text, str)):
        if text is None or (isinstance(text, float) and pd.isna(text)):
            text = ""
        else:
            raise TypeError(f"tag() needs a str, got {type(text).__name__}")
    ref = to_date(reference_date)
    rows = _extract(text, ref) if text.strip() else []
    return _frame(rows)


def _frame(rows: list[dict]) -> pd.DataFrame:
    """Build the result table quickly (object columns: no per-call Arrow conversion)."""
    import numpy as np

    data = {
        "start": np.fromiter((r["start"] for r in rows), dtype=np.int64, count=len(rows)),
        "end": np.fromiter((r["end"] for r in rows), dtype=np.int64, count=len(rows)),
    }
    for c in ("text", "type", "value", "mod"):
        col = np.empty(len(rows), dtype=object)
        col[:] = [r[c] for r in rows]
        data[c] = col
    data["resolved"] = np.fromiter((_is_resolved(r["type"], r["value"]) for r in rows), dtype=bool, count=len(rows))
    return pd.DataFrame(data, copy=False)


def tag_documents(docs: pd.DataFrame, reference_date=None) -> pd.DataFrame:
    """Tag every document: ``doc_id`` plus the :func:`tag` columns.

    Each document is anchored to its ``published`` date when present, else to ``reference_date``.
    The result's ``attrs["unresolved"]`` holds the number of DATE/TIME values left unresolved.
    """
    cols = ["doc_id"] + COLUMNS
    if docs is None or len(docs) == 0:
        out = pd.DataFrame(columns=cols)
        out.attrs["unresolved"] = 0
        return out
    if "text" not in docs.columns:
        raise ValueError("tag_documents needs a 'text' column")
    ids = docs["doc_id"] if "doc_id" in docs.columns else pd.Series(range(len(docs)), index=docs.index).astype(str)
    pubs = docs["published"] if "published" in docs.columns else pd.Series([None] * len(docs), index=docs.index)
    fallback = to_date(reference_date)
    rows, doc_ids = [], []
    for did, text, pub in zip(ids, docs["text"], pubs):
        ref = to_date(pub) or fallback
        found = _extract(text, ref) if isinstance(text, str) and text.strip() else []
        rows.extend(found)
        doc_ids.extend([did] * len(found))
    out = _frame(rows)
    out.insert(0, "doc_id", pd.Series(doc_ids, dtype=object) if doc_ids else pd.Series([], dtype=object))
    out = out[cols]
    out.attrs["unresolved"] = int((~out["resolved"].astype(bool)).sum()) if len(out) else 0
    return out
