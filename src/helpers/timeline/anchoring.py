"""Anchoring relative expressions: reference dates, the tense around an expression, and the year or day a
month, a month and day, or a weekday without a year refers to.

News convention: a past-tense sentence refers back (the most recent such day), a future one forward, and with
no tense cue the nearest occurrence wins. Without a reference date nothing is anchored (values stay ``XXXX``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd

from ..text import ABBREVIATIONS
from .values import is_valid_date, to_date
from .vocabulary import MONTHS, year_from_words

__all__ = ["TaggerParams", "Context", "reference_dates", "sentence_starts", "pick_year", "weekday_date", "year_of"]


@dataclass(frozen=True)
class TaggerParams:
    """Judgement calls of the temporal tagger, all chosen while developing on TempEval-3 TimeBank (the tuning
    split of ``benchmarks/tempeval3.py``; AQUAINT is held out) unless said otherwise."""

    # A month without a year ("in March") goes against its sentence's tense when the side the tense points to is
    # at least this many months away and the other side at most ``month_other_side_max`` months (commit dc7a9c1).
    month_against_tense_min: int = 8
    month_other_side_max: int = 4
    # A month and day without a year ("until 15 November") likewise, in days: 8+ months back against at most
    # three ahead (commit acd6376, from a Timeline17 Syria sentence written in September).
    day_against_tense_min: int = 240
    day_other_side_max: int = 90
    # A weekday in a sentence with no tense cue: "nearest" (within three days either way, ties to the past) or
    # "past" (the most recent one).
    weekday_without_tense: str = "nearest"
    # A tense cue after the expression counts as this much farther away than one before it (commit 9bd6e33).
    later_cue_distance_factor: float = 1.2
    # "a year ago" after a quarter was named within this many characters means that quarter a year earlier
    # (commit dc42e19).
    quarter_context_chars: int = 1500
    # A clock time takes the full date written at most this many characters after it ("5 p.m. EST, Nov. 6").
    clock_date_gap_chars: int = 3
    # Characters after a day-and-month date searched for a named event ("the Oct. 7 attack").
    named_event_window_chars: int = 40
    # Counted decades and centuries in years ("a decade" P10Y, "a decade ago" 2014), as TimeBank, AQUAINT and
    # TempEval-3 annotate them (issue 16: "two decades" P20Y, "a decade ago" 1989 in the gold); False writes
    # them in their own unit (P1DE, 201X), TimeML's alternative. Durations and conflicts read both alike.
    decades_as_years: bool = True


DEFAULT_PARAMS = TaggerParams()


def reference_dates(docs: pd.DataFrame, reference_date=None) -> pd.Series:
    """Anchor date of each document (index ``doc_id``): its publication date, else ``reference_date``, else NaT.

    Publication timestamps are taken as dates in the timezone they carry (UTC from ``load_corpus``).
    """
    fallback = to_date(reference_date)
    published = docs["published"] if "published" in docs.columns else [None] * len(docs)
    out = [to_date(p) or fallback for p in published]
    return pd.Series(
        pd.to_datetime(pd.Series(out, dtype="object")).to_numpy(),
        index=docs["doc_id"].to_numpy(),
        name="reference_date",
    )


# ------------------------------------------------------------------------------------------ sentences for tense
# Sentence starts as the tagger sees them: a cheap regular expression, not the text layer's Punkt splitter.
# It only bounds the stretch of text searched for tense cues (and tells a sentence start, as in "Now, ..."), and
# runs on every document inside the ~3 ms/doc budget. Punkt (text.sentence_spans) was tried in its place: value
# F1 on TempEval-3 fell from 80.18 to 80.08 and tagging took ~0.5 ms/doc more.
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n+")
_LAST_WORD = re.compile(r"([\w.]+)[.!?]+[\"')\]]*\s+$")
_TITLES = {"mr", "mrs", "ms", "dr", "st", "co", "corp", "inc", "ltd", "jr", "sr", "no", "vs", "gov", "sen", "rep"}
_TITLES |= {"gen", "lt", "col", "u.s", "u.n"}
# a month's abbreviation ("Dec. 5") ends no sentence; its full name does ("a mission in December. Colonel ...")
_MONTH_ABBREVIATIONS = {m for m in MONTHS if len(m) <= 4} - {"may", "june", "july"}
_NO_SENTENCE_END_AFTER = frozenset(ABBREVIATIONS) | _MONTH_ABBREVIATIONS | _TITLES


def sentence_starts(text: str) -> list[int]:
    """Offsets where sentences start: after [.!?] + space before a capital or digit, and after line breaks;
    not after an abbreviation, a month, a title or a single letter."""
    starts = [0]
    for m in _SENTENCE_END.finditer(text):
        if m.group(0).startswith("."):
            last = _LAST_WORD.search(text, max(0, m.start() - 20), m.end())
            if last:
                word = last.group(1).lower()
                if word in _NO_SENTENCE_END_AFTER or len(word) == 1 or (len(word) <= 4 and "." in word):
                    continue
        starts.append(m.end())
    return starts


# ------------------------------------------------------------------------------------------ tense
# past forms without "-ed": preterites that are no participle ("took", not "taken"), and forms that are both ("held",
# "told"); none is also a present form ("read", "set", "cut", "put") or a common noun ("bit"). "died" and "sued" are
# regular but too short for the "-ed" pattern.
_AUXILIARIES = {"was", "were", "did", "had", "been"}
_PRETERITES = {"came", "went", "began", "took", "gave", "saw", "rose", "fell", "spoke", "broke", "became", "chose"}
_PRETERITES |= {"drew", "drove", "flew", "grew", "knew", "rode", "shook", "swore", "threw", "wore", "wrote", "forgot"}
_PRETERITES |= {"forgave", "froze", "hid", "sang", "sank", "swam", "ran", "withdrew", "overtook", "undertook"}
_PAST_PARTICIPLES = {"made", "got", "left", "met", "held", "sent", "won", "lost", "fled", "hit", "struck", "told"}
_PAST_PARTICIPLES |= {"brought", "bought", "thought", "sought", "fought", "caught", "taught", "spent", "sold", "paid"}
_PAST_PARTICIPLES |= {"kept", "built", "found", "led", "stood", "heard", "felt", "meant", "understood", "sat", "slept"}
_PAST_PARTICIPLES |= {"dealt", "died", "sued"}
_PAST_WORDS = "|".join(sorted(_AUXILIARIES | _PRETERITES | _PAST_PARTICIPLES | {"ago", "last", "yesterday", "earlier"}))
# "due to" before a determiner or a name is a cause ("due to the strike"), not a plan ("due to meet")
_DUE_TO = r"due\s+to(?!\s+(?:the|a|an|its|their|his|her|our|this|that|these|those|(?-i:[A-Z0-9])))"
_TENSE_CUE = re.compile(
    r"\b(?:(?P<fut>will|'ll|shall|won't|wo|going\s+to|is\s+to|are\s+to|plans?\s+to|planned\s+(?:to|an?)|"
    r"planning\s+to|intend(?:s|ed|ing)?|hopes?\s+to|hoped\s+to|prepar(?:ing|ed)\s+to|"
    rf"scheduled|expected\s+to|expects?\s+to|{_DUE_TO}|intends?\s+to|set\s+to|next(?!\s+to\b)|upcoming|"
    r"tomorrow|coming|begins|starts|opens|meets|arrives|would|might|as\s+soon\s+as)|"
    rf"(?P<past>{_PAST_WORDS}|[a-z]{{3,}}ed))\b",
    re.I,
)
_REPORTING_VERBS = {"said", "reported", "announced", "stated", "added", "noted", "claimed", "confirmed"}
_REPORTING_VERBS |= {"explained", "insisted", "warned", "argued", "suggested", "indicated", "acknowledged"}
_REPORTING_VERBS |= {"declared", "asked"}
# words in -ed that are not past-tense verbs
_NOT_PAST_ED = {"need", "based", "used", "united", "related", "limited", "proposed", "expected", "scheduled"}
_NOT_PAST_ED |= {"planned", "detailed", "advanced", "armed", "red", "bed", "hundred", "speed", "seed", "feed"}
_NOT_PAST_ED |= {"indeed", "embed", "shed", "wed", "fred", "ted", "ned", "weed", "breed", "creed", "greed"}
_NOT_PAST_ED |= {"concerned", "interested", "qualified", "supposed", "alleged", "required", "unidentified"}
_NOT_PAST_ED |= {"unnamed", "unexpected", "unprecedented", "biased", "sacred", "naked", "wicked", "rugged"}
_NOT_PAST_ED |= {"learned", "aged", "beloved", "blessed", "crooked", "dogged", "ragged", "wretched"}
_REP = r"(?:said|reported|announced|stated|added|noted|claimed|confirmed|told|declared|disclosed|revealed)"
_REPORT_BEFORE = re.compile(rf"\b{_REP}\s+(?:(?:late|early)\s+)?(?:on\s+)?$", re.I)
_REPORT_AFTER = re.compile(rf"\s*(?:,\s*)?(?:that\s+)?{_REP}\b", re.I)
_WAS_BEFORE = re.compile(r"\b(?:was|were|been|had)\s+$", re.I)
_CONJOINED_VERB = re.compile(r"\b(?:and|but|while|whereas|then)\s+(?:\w+ly\s+)?$", re.I)


def _later_clause(text: str, end: int, later_cues: list[int]) -> int:
    """Where a later clause than the expression ending at ``end`` begins (the sentence's cues after it at
    ``later_cues``): a semicolon, or a conjunction right before a tense cue ("arrived on Thursday to attend and
    planned to leave"); ``len(text)`` when none does."""
    semicolon = text.find(";", end)
    first = semicolon if semicolon >= 0 else len(text)
    for cue in later_cues:
        if cue >= first:
            break
        if _CONJOINED_VERB.search(text, max(end, cue - 30), cue):
            return cue
    return first


_BE_BEFORE = re.compile(r"\b(?:be|is|are)\s+$", re.I)
_REPORT_WORD = re.compile(rf"\b(?:{_REP}|{'|'.join(sorted(_REPORTING_VERBS))})\b", re.I)
_SINCE_BEFORE = re.compile(r"\b[Ss]ince\s+$")
_PLANNED = re.compile(r"(?:due|scheduled|expected|set)\b", re.I)


@dataclass
class Context:
    """One document as the rules see it: the folded text, its reference date, its sentences, the settings."""

    text: str
    ref: dt.date | None
    params: TaggerParams = DEFAULT_PARAMS
    starts: list[int] = field(init=False)
    _tense_cache: dict[tuple[int, int, int], str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.starts = sentence_starts(self.text)

    def sentence(self, pos: int) -> tuple[int, int]:
        """(start, end) of the sentence holding offset ``pos``."""
        i = bisect.bisect_right(self.starts, pos) - 1
        end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)
        return self.starts[i], end

    def tense(self, start: int, end: int) -> str:
        """'future', 'past' or 'present' of the sentence around [start, end): the nearest tense cue decides
        (the expression itself excluded)."""
        s, e = self.sentence(start)
        key = (s, start, end)
        if key not in self._tense_cache:
            self._tense_cache[key] = self._tense(s, e, start, end)
        return self._tense_cache[key]

    def _tense(self, s: int, e: int, start: int, end: int) -> str:
        text = self.text
        if (
            _REPORT_BEFORE.search(text, max(s, start - 25), start)
            or _REPORT_AFTER.match(text, end, min(e, end + 25))
            or _SINCE_BEFORE.search(text, max(s, start - 8), start)
            or text.startswith("'s", end)
        ):
            return "past"  # "said Tuesday", "since Tuesday", "Tuesday's declaration": already happened
        cues = []
        for m in _TENSE_CUE.finditer(text, s, e):
            if start <= m.start() < end:
                continue
            word = m.group(0).lower()
            if m.group("past") and (word in _NOT_PAST_ED or word in _REPORTING_VERBS):
                continue
            if (
                m.group("past")
                and (word in _PAST_PARTICIPLES or word.endswith("ed"))
                and _BE_BEFORE.search(text, max(s, m.start() - 6), m.start())
            ):
                continue  # a passive participle ("will be named", "due to be held"): its auxiliary has the tense
            cues.append(m)
        # with a verb before it, the expression is that verb's, and a later clause's verbs do not count; before the
        # sentence's first verb ("On Sunday, the minister said ..."), a report between it and a later future cue is
        # its clause
        cue_before = any(m.end() <= start for m in cues)
        later = _later_clause(text, end, [m.start() for m in cues if m.start() >= end]) if cue_before else e
        best, tense = None, "present"
        for m in cues:
            if m.start() >= later:
                continue  # "arrived on Thursday to attend and planned to leave": a later clause's verbs
            future = bool(m.group("fut"))
            if future and m.start() >= end and not cue_before and _REPORT_WORD.search(text, end, m.start()):
                future = False  # "On Friday the government confirmed it would ...": the day is the report's
            if future and _WAS_BEFORE.search(text, max(s, m.start() - 12), m.start()) and _PLANNED.match(m.group(0)):
                future = False  # "was due to expire Friday", "had been scheduled for Monday": future in the past
            if m.end() <= start:
                distance = start - m.end()
            else:
                distance = (m.start() - end) * self.params.later_cue_distance_factor
            if best is None or distance < best:
                best, tense = distance, ("future" if future else "past")
        return tense


# ------------------------------------------------------------------------------------------ years and days
def year_of(token: str, ref: dt.date | None) -> int | None:
    """The year a token writes: "1998", "'98" (the century nearest the reference date), "nineteen ninety-six"."""
    token = token.strip()
    if token[:1].isalpha():
        return year_from_words(token)
    if token.startswith("'"):
        yy = int(token[1:])
        base = ref.year if ref else 2000
        candidates = [c * 100 + yy for c in (base // 100 - 1, base // 100)]
        return min(candidates, key=lambda c: (c > base + 10, abs(c - base)))
    return int(token)


def pick_year(month: int, day: int | None, ref: dt.date, tense: str, params: TaggerParams = DEFAULT_PARAMS) -> int:
    """Year of a month (and day) written without one: by tense, unless the other side is far closer."""
    if day is None:
        return _month_year(month, ref, tense, params)
    candidates = [
        (y, dt.date(y, month, day)) for y in (ref.year - 1, ref.year, ref.year + 1) if is_valid_date(y, month, day)
    ]
    if not candidates:
        return ref.year
    past = max((c for c in candidates if c[1] <= ref), key=lambda c: c[1], default=None)
    future = min((c for c in candidates if c[1] >= ref), key=lambda c: c[1], default=None)
    days_back = (ref - past[1]).days if past else 10**6
    days_ahead = (future[1] - ref).days if future else 10**6
    far, near = params.day_against_tense_min, params.day_other_side_max
    # news rarely says "Dec. 15" for a date 8+ months back when the next Dec. 15 is at most three months ahead
    if tense == "past" and past and not (days_back > far and days_ahead <= near):
        return past[0]
    if tense == "future" and future and not (days_ahead > far and days_back <= near):
        return future[0]
    return past[0] if days_back <= days_ahead else future[0]


def _month_year(month: int, ref: dt.date, tense: str, params: TaggerParams) -> int:
    """Year of a month without one; distances in months, the current month counting as both sides."""
    back = (ref.month - month) % 12
    ahead = (month - ref.month) % 12
    if back == 0:
        return ref.year
    year_back = ref.year if month < ref.month else ref.year - 1
    year_ahead = ref.year if month > ref.month else ref.year + 1
    far, near = params.month_against_tense_min, params.month_other_side_max
    if tense == "past":
        return year_ahead if (back >= far and ahead <= near) else year_back
    if tense == "future":
        return year_back if (ahead >= far and back <= near) else year_ahead
    return year_back if back <= ahead + 1 else year_ahead


def weekday_date(weekday: int, ref: dt.date, tense: str, params: TaggerParams = DEFAULT_PARAMS) -> dt.date:
    """The day a weekday (1 = Monday) refers to: the next one in the future, the last one in the past."""
    delta = weekday - ref.isoweekday()
    if tense == "future":
        delta = delta if delta >= 0 else delta + 7
    elif tense == "past" or params.weekday_without_tense == "past":
        delta = delta if delta <= 0 else delta - 7
    elif delta > 3:  # the nearest, ties to the past
        delta -= 7
    elif delta < -3:
        delta += 7
    return ref + dt.timedelta(days=delta)
