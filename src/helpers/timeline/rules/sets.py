"""Rules for sets, times that recur: "daily", "every week", "each season", "twice a year", "every few years"."""

from __future__ import annotations

import re

from ..anchoring import Context
from ..values import number
from ..vocabulary import NUMWORD, SEASONS, WEEKDAYS, quantity, unit_letter
from .base import Found, Result, Trigger, rule

_EVERY_UNIT = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "yearly": "P1Y", "annually": "P1Y"}
_EVERY_UNIT |= {"hourly": "PT1H", "nightly": "P1D", "quarterly": "P1Q", "biweekly": "P2W", "semiannually": "P6M"}
_SET_UNITS = (
    r"second|minute|hour|day|night|week|weekend|month|year|quarter|decade|season|morning|afternoon|evening|"
    r"summer|winter|spring|fall|autumn|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
_VAGUE_COUNT = r"few|several|couple\s+of"


@rule(
    r"\b(?:(?P<adv>daily|weekly|monthly|yearly|annually|hourly|nightly|biweekly|semiannually)|"
    rf"(?:every|each|per)\s+(?:(?P<n>other|{_VAGUE_COUNT}|{NUMWORD}|\d+)\s+)?(?P<u>{_SET_UNITS})s?)\b",
    trigger=Trigger.on_words(
        {"daily", "weekly", "monthly", "yearly", "annually", "hourly", "nightly", "biweekly", "semiannually"}
        | {"every", "each", "per"},
        2,
        40,
    ),
    priority=3,
)
def every(m: re.Match[str], ctx: Context) -> Result:
    """Sets: "daily", "every week", "each other day", "every Monday", "each season", "every few years"."""
    adverb = (m.group("adv") or "").lower()
    if adverb:  # adjectives before a noun ("the daily newspaper") are still SETs in TimeML
        return Found("SET", _EVERY_UNIT[adverb])
    unit = m.group("u").lower()
    count = re.sub(r"\s+", " ", (m.group("n") or "").lower())
    if unit in ("morning", "afternoon", "evening"):
        return Found("SET", {"morning": "TMO", "afternoon": "TAF", "evening": "TEV"}[unit])
    if unit in SEASONS or unit == "autumn":
        return Found("SET", f"XXXX-{SEASONS[unit]}")
    if unit in WEEKDAYS:
        return Found("SET", f"XXXX-WXX-{WEEKDAYS[unit]}")
    if unit == "season":  # a sports or growing season comes once a year
        return Found("SET", "P1Y")
    is_time = unit in ("second", "minute", "hour")
    if count in ("few", "several", "couple of"):
        return Found("SET", ("PTX" if is_time else "PX") + unit_letter(unit))
    n = 2 if count == "other" else (quantity(count) if count else 1)
    return Found("SET", ("PT" if is_time else "P") + number(n or 1) + unit_letter(unit))


@rule(
    rf"\b(?P<f>once|twice|thrice|(?:{NUMWORD}|\d+)\s+times)\s+(?:a|an|per|each|every)\s+"
    r"(?P<u>second|minute|hour|day|night|week|month|year|quarter|decade|season)\b",
    trigger=Trigger.on_words({"once", "twice", "thrice", "times"}, 20, 20),
    priority=4,
)
def frequency(m: re.Match[str], ctx: Context) -> Result:
    """A number of times per period, the whole phrase one SET (TimeML puts the frequency in the extent):
    "twice a year", "three times a week", "once a month"."""
    unit = m.group("u").lower()
    if unit == "season":
        return Found("SET", "P1Y")
    return Found("SET", ("PT1" if unit in ("second", "minute", "hour") else "P1") + unit_letter(unit))
