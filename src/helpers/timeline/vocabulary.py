"""The tagger's vocabulary: month, weekday, season, number and unit words, and the regular-expression fragments
the rules are written with, plus the parsers that turn those words into numbers."""

from __future__ import annotations

import re

from ..text import QUOTE_FOLD

# The tagger's patterns spell hyphens and spaces literally, so besides the quotes and dashes of the text layer it
# also folds Unicode hyphens and no-break spaces (same length: offsets on the folded copy hold for the original).
TAGGER_FOLD = {**QUOTE_FOLD, ord("\u2010"): "-", ord("\u2011"): "-", ord("\u00a0"): " "}


def _numbered(groups: str, start: int = 1) -> dict[str, int]:
    """``{"january": 1, "jan": 1, ...}`` from ``"january jan | february feb | ..."``."""
    return {word: i for i, group in enumerate(groups.split("|"), start=start) for word in group.split()}


MONTHS = _numbered(
    "january jan | february feb | march mar | april apr | may | june jun | july jul | august aug |"
    " september sept sep | october oct | november nov | december dec"
)
WEEKDAYS = _numbered(
    "monday mon | tuesday tue tues | wednesday wed | thursday thu thur thurs | friday fri | saturday sat | sunday sun"
)
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
QUARTER_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
QUARTER_ORDINALS |= {"final": 4, "last": 4}
SMALL_NUMBERS = _numbered(
    "zero | one | two | three | four | five | six | seven | eight | nine | ten | eleven | twelve | thirteen |"
    " fourteen | fifteen | sixteen | seventeen | eighteen | nineteen",
    start=0,
)
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
VAGUE_QUANTITIES = {"a few", "few", "several", "some", "many", "a number of", "dozens of", "hundreds of"}
VAGUE_QUANTITIES |= {"numerous", "countless", "multiple", "the few", "a handful of"}
DAY_ORDINALS = _numbered(
    "first | second | third | fourth | fifth | sixth | seventh | eighth | ninth | tenth | eleventh | twelfth |"
    " thirteenth | fourteenth | fifteenth | sixteenth | seventeenth | eighteenth | nineteenth | twentieth"
) | {"thirtieth": 30}
DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7}
DECADE_WORDS |= {"eighties": 8, "nineties": 9}
CENTURY_WORDS = DAY_ORDINALS | {"twenty-first": 21}

# unit word -> (TimeML letter, is it a time-of-day unit, written after "T"?)
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
UNIT_WORDS = {"second", "seconds", "sec", "secs", "minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs"}
UNIT_WORDS |= {"day", "days", "night", "nights", "week", "weeks", "weekend", "weekends", "fortnight", "fortnights"}
UNIT_WORDS |= {"month", "months", "year", "years", "yr", "yrs", "decade", "decades", "century", "centuries"}
UNIT_WORDS |= {"quarter", "quarters", "millennium", "millennia"}
PART_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI"}
PART_OF_DAY_WORDS = {"morning", "afternoon", "evening", "night", "noon", "midnight", "midday"}

# a modifier before a quantity -> TimeML mod
MOD_BEFORE = {
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
# a word for part of a period -> TimeML mod ("early March": START)
EDGE = {"early": "START", "earlier": "START", "beginning": "START", "start": "START", "mid": "MID", "middle": "MID"}
EDGE |= {"late": "END", "later": "END", "end": "END", "close": "END"}

# ------------------------------------------------------------------------------------------ regular expressions
_N_SMALL = "|".join(sorted(SMALL_NUMBERS, key=len, reverse=True))
_N_TENS = "|".join(TENS)
_UNITS_W = "one|two|three|four|five|six|seven|eight|nine"
_TEENS_W = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
NUMWORD = rf"(?:(?:{_N_TENS})(?:[- ](?:{_UNITS_W}))?|{_N_SMALL})"
NUMDIGIT = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
VAGUE = (
    r"(?:a\s+few|a\s+number\s+of|a\s+handful\s+of|dozens\s+of|hundreds\s+of|several|few|some|many|numerous|multiple)"
)
QUANT = (
    rf"(?:(?:\d+\s+)?1/2|(?:a|{NUMWORD})\s+(?:hundred|thousand)|a\s+couple(?:\s+of)?|couple\s+of|(?:a\s+)?dozen|"
    rf"{NUMDIGIT}|{NUMWORD}(?:\s+and\s+a\s+half)?|an?(?:\s+and\s+a\s+half)?|half\s+an?|a\s+half|{VAGUE})"
)
UNIT = (
    r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|weekends?|fortnights?|months?|years?|"
    r"yrs?|decades?|century|centuries|quarters?|millenni(?:um|a))"
)
MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
WEEKDAY = (
    r"(?:Mondays?|Tuesdays?|Wednesdays?|Thursdays?|Fridays?|Saturdays?|Sundays?|"
    r"Mon\.|Tues?\.|Wed\.|Thur?s?\.|Fri\.|Sat\.|Sun\.)"
)
# a weekday that begins a publication's or programme's name is no date ("the Sunday Times", "Monday Night Football")
WEEKDAY_IN_NAME = (
    r"(?!\s+(?:Times|Telegraph|Mirror|Express|Herald|Post|Mail|Star|Independent|People|Tribune|Sport|Sun|"
    r"Observer|Business\s+Post|Night\s+Football|Night\s+Raw|Night\s+Live)\b)"
)
_DAY_ORD_RX = (
    "(?:(?:twenty|thirty)[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|"
    + "|".join(sorted(DAY_ORDINALS, key=len, reverse=True))
    + ")"
)
DAYNUM = rf"(?:(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?|{_DAY_ORD_RX})"
CENTURY_ORDINALS = r"(?:twenty[- ]first|" + "|".join(sorted(DAY_ORDINALS, key=len, reverse=True)) + ")"
YEAR4 = r"(?:1[0-9]\d\d|20\d\d)"
YEARW = (
    rf"(?:(?:nineteen|eighteen|twenty)[- ](?:hundred|oh[- ](?:{_UNITS_W})|{_TEENS_W}|"
    rf"(?:{_N_TENS})(?:[- ](?:{_UNITS_W}))?)"
    rf"|two[- ]thousand(?:[- ](?:and[- ])?(?:{_TEENS_W}|{_UNITS_W}))?)"
)
YEAR_TENS_WORDS = rf"(?:nineteen|eighteen)[- ](?:{_N_TENS})(?:[- ](?:{_UNITS_W}))?"
YEAR = rf"(?:{YEAR4}|'\d\d|{YEARW})"
MODP = (
    r"(?:about|around|approximately|roughly|nearly|almost|some|close\s+to|an\s+estimated|more\s+than|well\s+over|"
    r"over|longer\s+than|upwards\s+of|at\s+least|no\s+less\s+than|less\s+than|just\s+under|under|fewer\s+than|"
    r"shorter\s+than|up\s+to|no\s+more\s+than|at\s+most)"
)
EDGEP = (
    r"(?:(?:the\s+)?(?:very\s+)?(?:early|late|mid)[- ]?|"
    r"(?:the\s+)?(?:beginning|start|middle|end|close)\s+of\s+(?:the\s+)?)"
)
TIME_ZONE = r"(?:\s*(?:[ECMP][SD]T|GMT|UTC|Z|local\s+time|[ECMP]T))?"


# ------------------------------------------------------------------------------------------ words -> numbers
def day_of_month(token: str) -> int:
    """Day of month from "7", "7th", "seventh" or "twenty-first"."""
    m = re.match(r"\d+", token)
    if m:
        return int(m.group(0))
    words = re.split(r"[- ]", token.lower())
    if len(words) == 2:
        return {"twenty": 20, "thirty": 30}[words[0]] + DAY_ORDINALS[words[1]]
    return DAY_ORDINALS[words[0]]


def month_number(token: str) -> int | None:
    """1-12 for a month name or abbreviation ("Sept."), None otherwise."""
    return MONTHS.get(token.lower().rstrip("."))


def quantity(text: str) -> float | None:
    """The number a quantity phrase says ("two and a half", "a dozen", "1,500"); None for vague ones ("several")."""
    s = re.sub(r"\s+", " ", text.strip().lower())
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
    hundreds = re.fullmatch(r"(.+)\s+(hundred|thousand)", s)
    if hundreds:
        base = 1.0 if hundreds.group(1) == "a" else quantity(hundreds.group(1))
        return None if base is None else base * (100 if hundreds.group(2) == "hundred" else 1000) + half
    fraction = re.fullmatch(r"(?:(\d+)\s+)?1/2", s)
    if fraction:
        return int(fraction.group(1) or 0) + 0.5
    if s.replace(" ", "") in {v.replace(" ", "") for v in VAGUE_QUANTITIES} or re.fullmatch(VAGUE, s):
        return None
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", s):
        return float(s.replace(",", "")) + half
    if s in SMALL_NUMBERS:
        return SMALL_NUMBERS[s] + half
    parts = re.split(r"[- ]", s)
    if parts[0] in TENS:
        return TENS[parts[0]] + (SMALL_NUMBERS.get(parts[1], 0) if len(parts) > 1 else 0) + half
    return None


def year_from_words(token: str) -> int | None:
    """A year written in words ("nineteen ninety-six", "two thousand and one"), None when it is not one."""
    words = re.sub(r"[\s-]+", " ", token.lower()).strip().split(" ")
    if words[:2] == ["two", "thousand"]:
        rest = [x for x in words[2:] if x != "and"]
        return 2000 + (SMALL_NUMBERS.get(rest[0], 0) if rest else 0)
    century = {"nineteen": 19, "eighteen": 18, "twenty": 20}.get(words[0])
    if century is None:
        return None
    rest = words[1:]
    if rest == ["hundred"]:
        return century * 100
    if rest and rest[0] == "oh":
        return century * 100 + SMALL_NUMBERS.get(rest[1], 0)
    tail = quantity(" ".join(rest))
    return century * 100 + int(tail) if tail is not None else None


def unit_key(word: str) -> str:
    """The key of :data:`UNITS` for a unit word as written ("Centuries" -> "century", "hrs." -> "hr")."""
    u = word.lower().rstrip(".")
    if u == "centuries":
        u = "century"
    return u[:-1] if u.endswith("s") and u[:-1] in UNITS else u


def unit_letter(word: str) -> str:
    """TimeML letter of a unit word ("years" -> "Y", "weekend" -> "WE"); "Y" for an unknown word."""
    return UNITS.get(unit_key(word), ("Y", False))[0]


def edge_mod(words: str | None) -> str:
    """TimeML mod of an edge phrase ("the very early", "the end of the") -> START, MID, END or ""."""
    if not words:
        return ""
    w = re.sub(r"^(the\s+)?(very\s+)?", "", words.strip().lower()).split()[0].rstrip("-")
    return EDGE.get(re.sub(r"-$", "", w), "")
