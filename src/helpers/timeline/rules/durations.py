"""Rules for durations ("40 years", "over four decades", "decades-long", "for days", "3:07:35") and vague
references to the present, past and future ("now", "recently")."""

from __future__ import annotations

import re

from ..anchoring import Context
from ..values import duration_value, number
from ..vocabulary import MOD_BEFORE, MODP, QUANT, UNIT, quantity, unit_letter
from .base import BLOCK, UNIT_TRIGGER, Blocked, Found, Result, Trigger, collapse, rule

_AGE_AFTER = re.compile(r"[- ]old\b|\s+of\s+age\b", re.I)
_FOR_EACH_BEFORE = re.compile(r"\b(?:for|per|each|every|one)\s+$", re.I)
_ORDINAL_SECOND_AFTER = re.compile(
    r"[\s-]+(?:quarter|half|period|round|term|time|place|day|week|month|year|largest|biggest|straight|consecutive)",
    re.I,
)
_AMOUNT_BEFORE = re.compile(r"(?:\d|million|billion|percent|%|times|twice|once|thrice|dollars|cents)\s*$")
_NUMBER_AND_WORDS_BEFORE = re.compile(r"\b\d[\d,.]*\s+(?:[a-z-]+\s+){1,2}$")
MAX_COUNT = 100000  # "120,000 years" and more: a count of something else, not a duration


def _not_a_duration(m: re.Match[str], ctx: Context, low: str, unit: str, after: str) -> Blocked | bool:
    """BLOCK for spans that must stay untagged (ages, fractions), True for other non-durations, else False."""
    if (m.group("long") or "").endswith("old") or _AGE_AFTER.match(after):
        return BLOCK  # ages are not temporal expressions in TimeML
    if re.fullmatch(r"1[5-9]\d\d|20\d\d", low):
        return True  # "the 1988 quarter"
    if (
        unit.lower().startswith("night")
        and low in ("a", "an")
        and not m.group("mod")
        and not _FOR_EACH_BEFORE.search(ctx.text[max(0, m.start() - 8) : m.start()])
    ):
        return True  # "a night protest", "a night of violence"
    if unit.lower().startswith("quarter") and re.match(r"\s+of\b", after, re.I) and quantity(low) is not None:
        return BLOCK  # "more than a quarter of the market", "three-quarters of its food": fractions
    # "a second time", "the second quarter": the ordinal
    return unit.lower().startswith("sec") and (low in ("a", "an", "one") or bool(_ORDINAL_SECOND_AFTER.match(after)))


def _is_frequency(m: re.Match[str], ctx: Context, low: str) -> bool:
    """A rate, not a duration: "$5 a year", "twice a week", "700 seats a week": a rate, not a duration."""
    if low not in ("a", "an") or m.group("rel") or m.group("mod"):
        return False
    before = ctx.text[max(0, m.start() - 25) : m.start()].lower()
    return bool(_AMOUNT_BEFORE.search(before) or _NUMBER_AND_WORDS_BEFORE.search(before))


def _start_and_mod(m: re.Match[str], ctx: Context, low: str, mod: str) -> tuple[int | None, str]:
    """Where the expression starts and its mod, by TimeML's conventions for the words before the quantity."""
    det = (m.group("det") or "").strip().lower()
    if not det:
        return None, mod
    start = None
    if m.group("mod"):
        start, mod = m.start("det"), ""  # "over the past years": "over" is a preposition here
    hyphenated = ctx.text[m.end("n") : m.start("u")].startswith("-")
    if det in ("a", "an") and low in ("few", "couple", "couple of", "dozen"):
        return start, mod  # "a few days": the article belongs to the quantity
    if (
        det in ("its", "their", "his", "her")
        or (det in ("a", "an") and not m.group("rel"))
        or (hyphenated and not m.group("rel"))
    ):
        # TimeML keeps "the past two years" and "the nine months" but not the article of "a two-year deal"
        start = m.start("rel") if m.group("rel") else m.start("n0") if m.group("n0") else m.start("n")
    return start, mod


@rule(
    rf"\b(?P<mod>{MODP}\s+)?(?P<det>(?:the|its|their|his|her|a|an)\s+)?"
    r"(?P<rel>(?:past|last|next|first|coming|previous|following|final|remaining|latest|recent|additional|entire|"
    r"full|whole|better\s+part\s+of\s+the)\s+)?"
    rf"(?:(?P<n0>{QUANT})\s*(?:to|or|-)\s*)?(?P<n>{QUANT})[- ]"
    r"(?:more\s+|full\s+|long\s+|straight\s+|consecutive\s+|additional\s+|successive\s+|calendar\s+|trading\s+|"
    rf"business\s+|working\s+)?(?P<u>{UNIT})(?P<long>[- ](?:long|old))?(?P<orso>\s+or\s+so)?(?![\w])",
    trigger=UNIT_TRIGGER,
    priority=2,
)
def duration(m: re.Match[str], ctx: Context) -> Result:
    """Durations: "40 years", "over four decades", "the past two years", "three to five days", "a two-year deal"."""
    written = m.group("n")
    low = collapse(written)
    n = quantity(written)
    unit = m.group("u")
    verdict = _not_a_duration(m, ctx, low, unit, ctx.text[m.end() : m.end() + 12])
    if verdict is BLOCK:
        return BLOCK
    if verdict:
        return None
    if m.group("n0") and quantity(m.group("n0")) is not None and n is not None:
        n = quantity(m.group("n0")) + (0.5 if low == "a half" else 0)  # a range: its lower end
    if m.group("det") and m.group("det").strip().lower() in ("a", "an") and low in ("a", "an"):
        return None
    if low in ("a", "an", "one") and unit.lower().endswith("s") and not unit.lower().endswith("ss"):
        return None  # "a decades-long war": not one unit
    if low in ("a", "an") and ctx.text[max(0, m.start() - 1) : m.start()] == "$":
        return None
    if _is_frequency(m, ctx, low):
        return Found("SET", "P1" + unit_letter(unit), "")
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", low) and n is not None and n > MAX_COUNT:
        return None
    mod = MOD_BEFORE.get(collapse(m.group("mod")), "")
    if m.group("orso") and not mod:
        mod = "APPROX"
    start, mod = _start_and_mod(m, ctx, low, mod)
    return Found("DURATION", duration_value(n, unit), mod, start)


@rule(
    rf"\b(?P<mod>{MODP}\s+)?(?:the\s+)?(?P<n>{QUANT})\s+(?P<u>{UNIT})\s+"
    rf"(?:and\s+(?:a\s+half|(?P<n2>{QUANT})\s+(?P<u2>{UNIT})))",
    trigger=UNIT_TRIGGER,
    priority=3,
)
def duration_in_two_units(m: re.Match[str], ctx: Context) -> Result:
    """Durations in two units: "two years and a half", "three hours and 20 minutes", "a year and six months"."""
    n = quantity(m.group("n"))
    if n is None:
        return None
    unit = m.group("u")
    if not m.group("n2"):
        return Found(
            "DURATION", duration_value(n + 0.5, unit), MOD_BEFORE.get((m.group("mod") or "").strip().lower(), "")
        )
    n2 = quantity(m.group("n2"))
    if n2 is None:
        return None
    letter1, letter2 = unit_letter(unit), unit_letter(m.group("u2"))
    time1 = unit.lower().startswith(("hour", "min", "sec"))
    time2 = m.group("u2").lower().startswith(("hour", "min", "sec"))
    if time1 and time2:
        return Found("DURATION", f"PT{number(n)}{letter1}{number(n2)}{letter2}")
    if not time1 and not time2 and "DE" not in (letter1, letter2):
        return Found("DURATION", f"P{number(n)}{letter1}{number(n2)}{letter2}")
    return None


@rule(
    r"\b(?P<mod>(?:for|over|in|during|within)\s+)?"
    r"(?P<det>(?:the\s+)?(?:(?:past|last|next|coming|recent|previous|early|many|the)\s+)?)"
    r"(?P<u>years|months|weeks|days|decades|centuries|hours|minutes)(?P<long>-long)?\b(?!-old)",
    trigger=UNIT_TRIGGER,
    priority=1,
)
def vague_duration(m: re.Match[str], ctx: Context) -> Result:
    """Vague durations: "for years", "the past decades", "decades-long" (PXY, PXDE); "the coming years" is
    FUTURE_REF."""
    unit = m.group("u").lower()
    det = (m.group("det") or "").strip().lower()
    if not det and not m.group("mod") and not m.group("long"):
        return None
    if det == "the":
        return None
    if ctx.text[m.end() : m.end() + 3].lower() in (" of", " ol") and not m.group("long"):
        return None  # "years of war", "years old"
    if det in ("coming", "the coming", "next", "the next") and not m.group("long"):
        return Found("DATE", "FUTURE_REF", "", m.start("det"))
    value = ("PTX" if unit in ("hours", "minutes") else "PX") + unit_letter(unit)
    return Found("DURATION", value, "", m.start("det") if det else m.start("u"))  # the preposition is left out


@rule(
    r"\b(?P<det>recent|coming|future|the\s+coming|the\s+past|the\s+last|past|last)\s+quarters\b",
    trigger=Trigger.on_words({"quarters"}, 12, 2),
    priority=1,
)
def vague_quarters(m: re.Match[str], ctx: Context) -> Result:
    """Business quarters without a count: "in recent quarters" (PXQ), "coming quarters" (FUTURE_REF)."""
    if "coming" in m.group("det").lower() or "future" in m.group("det").lower():
        return Found("DATE", "FUTURE_REF")
    return Found("DURATION", "PXQ")


@rule(
    r"\b(?P<the>the\s+)?(?:coming\s+)?(?P<u>days|weeks|months|years|quarters)\s+ahead\b",
    trigger=Trigger.on_words({"ahead"}, 25, 1),
    priority=2,
)
def units_ahead(m: re.Match[str], ctx: Context) -> Result:
    """ "the weeks ahead", "the months ahead": a vague stretch from now (PXW)."""
    return Found("DURATION", "PX" + unit_letter(m.group("u")))


@rule(
    r"\b(?:over|through|throughout)\s+(?P<span>the\s+(?P<u>years|decades|months|weeks|centuries))\b(?!\s+(?:of|since|to))",
    trigger=Trigger.on_words({"years", "decades", "months", "weeks", "centuries"}, 16, 12),
    priority=2,
)
def over_the_units(m: re.Match[str], ctx: Context) -> Result:
    """ "over the years", "through the decades": a vague duration (PXY), its article kept."""
    return Found("DURATION", "PX" + unit_letter(m.group("u")), "", m.start("span"))


@rule(
    r"\b(?:in|for|over)\s+(?P<span>the\s+(?:near|short)\s+term)\b(?!-)",
    trigger=Trigger.on_words({"term"}, 20, 1),
    priority=1,
)
def near_term(m: re.Match[str], ctx: Context) -> Result:
    """ "in the near term", "for the short term": the near future (FUTURE_REF)."""
    return Found("DATE", "FUTURE_REF", "", m.start("span"))


_NOT_VAGUE_REFERENCES = ("so far", "previously", "formerly", "eventually", "shortly", "once upon a time")
_NOT_VAGUE_REFERENCES += ("the old days",)
_COUNTED_PERIOD_AFTER = re.compile(
    r"\s+(?:few|several|\d|one|two|three|four|five|six|seven|eight|nine|ten|week|month|year|decade|day|quarter)"
)


@rule(
    r"\b(?:(?P<present>now|currently|nowadays|at\s+present|these\s+days|at\s+the\s+moment|right\s+now|presently|"
    r"the\s+present(?:\s+time)?|so\s+far)|"
    r"(?P<past>recently|more\s+recently|lately|the\s+past|in\s+the\s+past|formerly|previously|"
    r"once\s+upon\s+a\s+time|the\s+old\s+days)|"
    r"(?P<future>the\s+future|the\s+near\s+future|the\s+distant\s+future|someday|eventually|the\s+years\s+ahead|"
    r"in\s+the\s+years\s+to\s+come))\b(?![-'])",
    trigger=Trigger.on_words(
        {"now", "currently", "nowadays", "present", "these", "moment", "presently", "recently", "lately", "past"}
        | {"future", "someday", "years"},
        20,
        25,
    ),
    priority=0,
)
def vague_reference(m: re.Match[str], ctx: Context) -> Result:
    """Vague references: "now", "currently" (PRESENT_REF), "recently", "in the past" (PAST_REF), "the future"
    (FUTURE_REF)."""
    words = collapse(m.group(0))
    if words in _NOT_VAGUE_REFERENCES:
        return None
    if words == "in the past":
        return Found("DATE", "PAST_REF", "", m.start() + 3)
    if (
        words == "now"
        and (re.match(r"\s*,", ctx.text[m.end() : m.end() + 2]) or ctx.sentence(m.start())[0] == m.start())
        and ctx.text[m.start()] == "N"
    ):
        return None  # discourse "Now, ..."
    if words == "the past" and _COUNTED_PERIOD_AFTER.match(ctx.text[m.end() : m.end() + 8].lower()):
        return None  # "the past two years" is the duration rule's
    if m.group("present"):
        return Found("DATE", "PRESENT_REF")
    return Found("DATE", "PAST_REF" if m.group("past") else "FUTURE_REF")


@rule(r"\bNow\b(?![,'-])", trigger=Trigger.on_words({"now"}, 0, 3), priority=1, flags=0)
def sentence_now(m: re.Match[str], ctx: Context) -> Result:
    """ "Now" opening a sentence without a comma ("Now the committee must decide"): PRESENT_REF, as TimeBank
    annotates it; "Now, ..." (a discourse marker) stays untagged."""
    return Found("DATE", "PRESENT_REF") if ctx.sentence(m.start())[0] == m.start() else None


@rule(
    r"\bat\s+(?P<t>(?:the|that)\s+time)\b(?!\s+(?:of|when|being|it|needed|required|to|for)\b)",
    trigger=Trigger.on_words({"time"}, 10, 14),
    priority=1,
)
def at_the_time(m: re.Match[str], ctx: Context) -> Result:
    """ "at the time", "at that time": a past moment the text has in view (PAST_REF on "the time"); not "at the
    time of ..." or "at the time when ...", whose time is the clause's."""
    return Found("DATE", "PAST_REF", "", m.start("t"))


# ------------------------------------------------------------------------------------------ bare plural units
_PLURAL_UNITS = r"(?:seconds|minutes|hours|days|weeks|months|years|decades|centuries)"
_NOT_A_SPAN_OF = r"(?:the|a|an|age|his|her|their|its|our|my|your|this|that|these|those|each|every|them|it)\b"
_SPAN_OF_BEFORE = re.compile(
    r"(?:^|[.;:!?\"'(]\s*|\b(?:after|following|follow|follows|followed|with|despite|amid|amidst|end|ends|ended|"
    r"ending|through|endured?|endures|faces?|faced|spent|spend|spends|took|take|takes|requires?|required|needs?|"
    r"needed|of|to|by|face)\s+)$",
    re.I,
)
_FIRST_OR_LAST_BEFORE = re.compile(r"\b(?:first|last|final|early|closing|opening|few|several|many)\s+$", re.I)


@rule(
    rf"\b(?P<u>{_PLURAL_UNITS})(?:\s+(?P<dir>later|earlier|ago|before|after|afterwards?|apart)\b|"
    rf"(?=\s+of\s+(?!{_NOT_A_SPAN_OF})[a-z]))",
    trigger=Trigger.on_words({"seconds", "minutes", "hours", "days", "weeks", "months", "years", "decades"}, 2, 30),
    priority=0,
)
def bare_units(m: re.Match[str], ctx: Context) -> Result:
    """Bare plural units, a vague count (TimeML PXD, PTXM): "minutes later", "days after the vote", "weeks of
    talks", "years ago" (PAST_REF). Counted units ("two days later") are the duration rules'."""
    unit = m.group("u").lower()
    before = ctx.text[max(0, m.start() - 30) : m.start()]
    if _FIRST_OR_LAST_BEFORE.search(before) or re.search(r"[\d$%]\s*$|\b(?:the|of|matter\s+of)\s+$", before, re.I):
        return None  # "the first days after", "two days", "the days of", "a matter of weeks"
    value = ("PTX" if unit in ("seconds", "minutes", "hours") else "PX") + unit_letter(unit)
    direction = (m.group("dir") or "").lower()
    if direction == "ago":
        return Found("DATE", "PAST_REF")
    if not direction and not _SPAN_OF_BEFORE.search(before):
        return None  # "years of war" after a verb or a noun: kept to the starts news uses ("after weeks of talks")
    return Found("DURATION", value, "", None, m.end("u"))


@rule(
    r"(?<![\d:.,])(?P<h>\d{1,2}):(?P<mi>[0-5]\d):(?P<s>[0-5]\d)(?:\.\d+)?(?![\d:]|\s*(?:a\.?m\b|p\.?m\b|GMT|UTC|[ECMP][SD]T))",
    trigger=Trigger.on_pattern(r"\d:\d\d:\d", 6, 16),
    priority=2,
)
def clock_duration(m: re.Match[str], ctx: Context) -> Result:
    """A duration written as a clock ("won in 2:03:38", "3:07:35"): PT2H3M38S. After "at" it is a time of day."""
    h, mi, sec = int(m.group("h")), int(m.group("mi")), int(m.group("s"))
    if re.search(r"\b(?:at|by|until|since|from)\s+$", ctx.text[max(0, m.start() - 8) : m.start()], re.I):
        return None
    parts = [(h, "H"), (mi, "M"), (sec, "S")]
    return Found("DURATION", "PT" + "".join(f"{n}{letter}" for n, letter in parts if n) if (h or mi or sec) else "PT0S")


@rule(
    rf"\ba\s+(?:mere|scant|paltry|whopping)\s+(?P<n>{QUANT})[- ](?P<u>{UNIT})\b(?!-)",
    trigger=Trigger.on_words({"mere", "scant", "paltry", "whopping"}, 4, 40),
    priority=3,
)
def mere_duration(m: re.Match[str], ctx: Context) -> Result:
    """A count of units with an evaluative article: "a mere 24 hours", "a whopping ten years" (TimeML keeps the
    article and adjective: they do not change the value)."""
    n = quantity(m.group("n"))
    if n is None:
        return None
    return Found("DURATION", duration_value(n, m.group("u")))
