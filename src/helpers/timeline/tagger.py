"""The temporal tagger: ``tag(text, reference_date)`` finds DATE, TIME, DURATION and SET expressions and
normalises them to TimeML values (``2024-12-06``, ``2024-W48``, ``2024-Q1``, ``199X``, ``P40Y``, ``P4DE``,
``PRESENT_REF`` ...) with an optional ``mod`` (APPROX, START, MID, END, MORE_THAN, LESS_THAN, EQUAL_OR_MORE,
EQUAL_OR_LESS).

Relative expressions are anchored to ``reference_date`` (a document's publication date); without one they stay
unresolved (``XXXX-10-07``, ``XXXX-WXX-5``): never guessed. Impossible dates ("February 30") and numbers that are
not years ("2,000 troops", "$2011") are not tagged.

How a text is tagged, step by step:

1. fold quotes, dashes, hyphens and no-break spaces (offsets unchanged);
2. **candidates**: each rule of :data:`~.rules.RULES` runs only in windows around its trigger words (so a
   document costs a few milliseconds) and returns a :class:`~.rules.Found` expression, ``BLOCK`` or None;
3. **selection**: leftmost-longest, ties to the higher priority; a BLOCK hides everything inside it;
4. **named events**: "the Oct. 7 attack" takes the year of the event (``helpers/data/timex_named_dates.txt``)
   when the reference date is after it;
5. **anaphora**, in text order: "a year earlier", "that day", "the year-ago quarter" use the date or quarter
   mentioned before; a clock time takes a date written right after it;
6. **merging**: "the week of March 6" becomes a week; "5 p.m. EST, Nov. 6" one TIME;
7. **conventions**: counted decades and centuries written in years ("a decade" ``P10Y``, "a decade ago" ``2014``)
   as TimeBank and TempEval-3 annotate them, unless :attr:`TaggerParams.decades_as_years` is off (``P1DE``).

Span and value conventions follow TimeBank/TempEval-3 ("the past two years" whole, the article of "a two-year
deal" left out, "the past year" = the previous year), except the decades of the calendar (``199X``).

An unexpected exception inside a rule is logged with the rule's name and counted in :data:`RULE_ERRORS`; the
expression is left out and tagging goes on. "Not a date here" is never an exception: a rule returns None.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .anchoring import DEFAULT_PARAMS, Context, TaggerParams
from .named_dates import NAMED_DATES
from .rules import RULES, Blocked, Discourse, Found, Rule, Trigger
from .rules.base import Deferred
from .values import is_resolved, iso_week, number, to_date, ymd
from .vocabulary import TAGGER_FOLD

__all__ = ["tag", "tag_documents", "extract", "timex_frame", "COLUMNS", "RULE_ERRORS", "RuleErrors"]

COLUMNS = ["start", "end", "text", "type", "value", "mod", "resolved"]
log = logging.getLogger(__name__)


@dataclass
class RuleErrors:
    """Unexpected exceptions raised inside rules since the last :meth:`reset`, counted by rule name."""

    counts: Counter[str] = field(default_factory=Counter)

    def record(self, rule_name: str, offset: int, exc: Exception) -> None:
        self.counts[rule_name] += 1
        log.error("temporal rule %r failed at offset %d: %r (expression left out)", rule_name, offset, exc)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def reset(self) -> None:
        self.counts.clear()

    def summary(self) -> str:
        """One line for a report: how many expressions were lost to errors, and in which rules."""
        if not self.total:
            return "No rule of the temporal tagger raised an error."
        by_rule = ", ".join(f"{name} {n}" for name, n in self.counts.most_common())
        return f"{self.total} expressions left out because a tagger rule raised an error ({by_rule}); see the log."


RULE_ERRORS = RuleErrors()


@dataclass
class Candidate:
    """An expression a rule found (``value`` may still depend on the discourse), or a BLOCKed span."""

    start: int
    end: int
    type: str
    value: str | Deferred | None
    mod: str
    priority: int
    rule: str
    blocked: bool = False


@dataclass
class Timex:
    """A tagged expression: offsets into the original text, its words, type, value and mod."""

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str


# ------------------------------------------------------------------------------------------ 2. candidates
# Cue words are plain \w+ runs, not text.WORD: that joins hyphenated words, and "decades-long" must still cue the
# rules triggered by "decades".
_WORD = re.compile(r"\w+")
_DECADE_TOKEN = re.compile(r"\d*0s")


class _TriggerWindows:
    """Where each trigger's cues occur in one text, as merged windows (computed once per trigger). ``vocabulary``:
    every cue word of the rules that will ask (only those words are indexed)."""

    def __init__(self, text: str, vocabulary: frozenset[str]):
        self.text = text
        self.vocabulary = vocabulary
        self._words: dict[str, list[tuple[int, int]]] | None = None
        self._windows: dict[Trigger, list[tuple[int, int]]] = {}

    def _word_index(self) -> dict[str, list[tuple[int, int]]]:
        if self._words is None:
            index: dict[str, list[tuple[int, int]]] = {}
            plain = self.text.isascii()  # lower case keeps every offset of ASCII text: lower it once
            for m in _WORD.finditer(self.text.lower() if plain else self.text):
                word = m.group() if plain else m.group().lower()
                if word in self.vocabulary:
                    index.setdefault(word, []).append((m.start(), m.end()))
                if word.isdigit() and len(word) == 4:
                    index.setdefault("<year4>", []).append((m.start(), m.end()))
                elif word[-1:] == "s" and _DECADE_TOKEN.fullmatch(word):
                    index.setdefault("<decade>", []).append((m.start(), m.end()))
            self._words = index
        return self._words

    def of(self, trigger: Trigger) -> list[tuple[int, int]]:
        if trigger not in self._windows:
            if trigger.pattern is not None:
                cues = [(m.start(), m.end()) for m in trigger.pattern.finditer(self.text)]
            else:
                index = self._word_index()
                cues = sorted(p for w in trigger.words if w in index for p in index[w])
            merged: list[list[int]] = []
            for s, e in cues:
                a, b = max(0, s - trigger.before), min(len(self.text), e + trigger.after)
                if merged and a <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], b)
                else:
                    merged.append([a, b])
            self._windows[trigger] = [(a, b) for a, b in merged]
        return self._windows[trigger]


def _matches(rule: Rule, windows: _TriggerWindows) -> Iterator[re.Match[str]]:
    """Each non-empty match of the rule's pattern inside its trigger windows, once."""
    seen: set[tuple[int, int]] = set()
    for a, b in windows.of(rule.trigger):
        for m in rule.pattern.finditer(windows.text, a, b):
            if m.end() > m.start() and (m.start(), m.end()) not in seen:
                seen.add((m.start(), m.end()))
                yield m


def _candidate(rule: Rule, m: re.Match[str], result: Found | Blocked, text: str) -> Candidate | None:
    if isinstance(result, Blocked):
        return Candidate(m.start(), m.end(), "BLOCK", None, "", rule.priority + 10, rule.name, blocked=True)
    start = m.start() if result.start is None else result.start
    end = m.end() if result.end is None else result.end
    segment = text[start:end]  # trim surrounding whitespace
    start, end = start + len(segment) - len(segment.lstrip()), end - (len(segment) - len(segment.rstrip()))
    if end <= start:
        return None
    return Candidate(start, end, result.type, result.value, result.mod, rule.priority, rule.name)


_CUE_WORDS: dict[int, tuple[tuple[Rule, ...], frozenset[str]]] = {}


def _cue_words(rules: tuple[Rule, ...]) -> frozenset[str]:
    """The cue words of ``rules``' triggers (kept per rule set: the same rules tag every document)."""
    kept = _CUE_WORDS.get(id(rules))
    if kept is None or kept[0] is not rules:
        if len(_CUE_WORDS) > 16:
            _CUE_WORDS.clear()
        kept = _CUE_WORDS[id(rules)] = (rules, frozenset(w for r in rules for w in (r.trigger.words or ())))
    return kept[1]


def candidates(ctx: Context, rules: tuple[Rule, ...] | None = None) -> list[Candidate]:
    """What every rule (of :data:`RULES` by default) finds in the context's text; a rule that raises is logged and
    counted, not fatal."""
    windows = _TriggerWindows(ctx.text, _cue_words(RULES if rules is None else rules))
    found: list[Candidate] = []
    for rule in RULES if rules is None else rules:
        for m in _matches(rule, windows):
            try:
                result = rule.resolve(m, ctx)
            except Exception as exc:  # a bug in a rule must not sink the document: say which rule, count it
                RULE_ERRORS.record(rule.name, m.start(), exc)
                continue
            candidate = None if result is None else _candidate(rule, m, result, ctx.text)
            if candidate is not None:
                found.append(candidate)
    return found


# ------------------------------------------------------------------------------------------ 3. selection
def select(found: list[Candidate], length: int) -> list[Candidate]:
    """Leftmost-longest non-overlapping candidates (ties: higher priority, earlier start; blocks first), in text
    order, blocks left out."""
    found = sorted(found, key=lambda c: (-(c.end - c.start) - (1000 if c.blocked else 0), -c.priority, c.start))
    occupied = bytearray(length + 1)
    chosen = []
    for c in found:
        if 1 in occupied[c.start : c.end]:
            continue
        occupied[c.start : c.end] = b"\x01" * (c.end - c.start)
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return [c for c in chosen if not c.blocked]


# ------------------------------------------------------------------------------------------ 4. named events
_FULL_DATE = re.compile(r"\d{4}-\d\d-\d\d$")


def apply_named_dates(chosen: list[Candidate], ctx: Context) -> None:
    """Give "the Oct. 7 attack" the year of the named event, when the reference date is after it."""
    if not NAMED_DATES or ctx.ref is None:
        return
    for c in chosen:
        if c.type != "DATE" or not isinstance(c.value, str) or not _FULL_DATE.match(c.value):
            continue
        window = ctx.text[c.start : min(len(ctx.text), c.end + ctx.params.named_event_window_chars)]
        for named in NAMED_DATES:
            if (
                named.pattern.match(window)
                and named.day <= ctx.ref
                and c.value[5:] == f"{named.day.month:02d}-{named.day.day:02d}"
                and not re.search(r"\d{4}", ctx.text[c.start : c.end])
            ):
                c.value = ymd(named.day)
                break


# ------------------------------------------------------------------------------------------ 5. anaphora
_QUARTER = re.compile(r"\d{4}-Q\d$")
_DATE_PREFIX = re.compile(r"(\d{4})(?:-(\d\d))?(?:-(\d\d))?")


def _next_full_date(chosen: list[Candidate], i: int, params: TaggerParams) -> str | None:
    following = chosen[i + 1] if i + 1 < len(chosen) else None
    if (
        following is not None
        and following.start - chosen[i].end <= params.clock_date_gap_chars
        and isinstance(following.value, str)
        and _FULL_DATE.match(following.value)
    ):
        return following.value
    return None


def _remember(said: Discourse, c: Candidate, value: str) -> None:
    """After an explicit DATE/TIME: the quarter, date and day later anaphora refer to."""
    if _QUARTER.match(value):
        said.quarter, said.quarter_end = value, c.end
    m = _DATE_PREFIX.match(value)
    if m:
        try:
            said.date = dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
        except ValueError:  # year 0000
            return
        said.day = said.date if m.group(3) else None


def resolve_in_order(chosen: list[Candidate], ctx: Context, text: str) -> list[Timex]:
    """Final values in text order: deferred (anaphoric) values read what was said before them."""
    said = Discourse()
    out = []
    for i, c in enumerate(chosen):
        value = c.value
        if callable(value):
            said.next_date = _next_full_date(chosen, i, ctx.params)
            said.quarter_recent = bool(said.quarter) and c.start - said.quarter_end < ctx.params.quarter_context_chars
            try:
                value = value(said)
            except Exception as exc:  # a bug in a rule's deferred value: say which rule, count it
                RULE_ERRORS.record(c.rule, c.start, exc)
                continue
            if not value:
                continue
        out.append(Timex(c.start, c.end, text[c.start : c.end], c.type, value, c.mod or ""))
        if c.type in ("DATE", "TIME") and isinstance(value, str) and not callable(c.value):
            _remember(said, c, value)
    return out


# ------------------------------------------------------------------------------------------ 6. merging
_WEEK_OF = re.compile(r"\b(?:the\s+)?week\s+of\s+$", re.I)
_TIME_THEN_DATE_GAP = re.compile(r"\s*,?\s*(?:on\s+)?")
_DATE_THEN_TIME_GAP = re.compile(r"\s*,?\s*(?:at\s+)?")
_TIME_OF_DAY_VALUE = re.compile(r"[X\d]{4}-[X\d]{2}-[X\d]{2}T\d")


def merge_neighbours(found: list[Timex], folded: str, text: str) -> list[Timex]:
    """Merged neighbours: "the week of March 6" as a week; a clock time and the full date beside it as one TIME."""
    merged: list[Timex] = []
    for t in found:
        week_of = _WEEK_OF.search(folded, max(0, t.start - 16), t.start)
        if week_of and t.type == "DATE" and _FULL_DATE.match(t.value):
            t.value, t.start = iso_week(dt.date.fromisoformat(t.value)), week_of.start()
            t.text = text[t.start : t.end]
        if merged:
            before = merged[-1]
            gap = folded[before.end : t.start]
            if (
                before.type == "TIME"
                and t.type == "DATE"
                and _TIME_THEN_DATE_GAP.fullmatch(gap)
                and _FULL_DATE.match(t.value)
                and "T" in before.value
            ):  # "5 p.m. EST, Nov. 6"
                before.value = t.value + before.value[before.value.index("T") :]
                before.end, before.text = t.end, text[before.start : t.end]
                continue
            if (
                before.type == "DATE"
                and t.type == "TIME"
                and _DATE_THEN_TIME_GAP.fullmatch(gap)
                and _FULL_DATE.match(before.value)
                and _TIME_OF_DAY_VALUE.match(t.value)
            ):  # "May 15, 2011 5:07 pm"
                before.type, before.value = "TIME", before.value + t.value[t.value.index("T") :]
                before.end, before.text = t.end, text[before.start : t.end]
                before.mod = before.mod or t.mod
                continue
        merged.append(t)
    return merged


# ------------------------------------------------------------------------------------------ 7. conventions
_COUNTED_DECADES = re.compile(r"P(\d+(?:\.\d+)?)(DE|CE)$")
_YEARS_PER = {"DE": 10, "CE": 100}


def decades_in_years(found: list[Timex]) -> None:
    """Counted decades and centuries as years, the TimeBank/TempEval-3 annotation: "a decade" P10Y, "over four
    decades" P40Y, "every decade" P10Y; vague ones ("decades": PXDE) keep their unit."""
    for t in found:
        if t.type in ("DURATION", "SET"):
            m = _COUNTED_DECADES.match(t.value)
            if m:
                t.value = f"P{number(float(m[1]) * _YEARS_PER[m[2]])}Y"


# ------------------------------------------------------------------------------------------ entry points
def extract(
    text: str, ref: dt.date | None, params: TaggerParams = DEFAULT_PARAMS, rules: tuple[Rule, ...] | None = None
) -> list[Timex]:
    """The temporal expressions of ``text`` anchored at ``ref`` (steps 1-7 of the module docstring). ``rules``
    (default :data:`RULES`) lets a benchmark leave rules out to measure what each adds."""
    folded = text.translate(TAGGER_FOLD)
    ctx = Context(folded, ref, params)
    chosen = select(candidates(ctx, rules), len(folded))
    apply_named_dates(chosen, ctx)
    found = merge_neighbours(resolve_in_order(chosen, ctx, text), folded, text)
    if params.decades_as_years:
        decades_in_years(found)
    return found


def timex_frame(found: list[Timex]) -> pd.DataFrame:
    """The result table, built column by column (object columns: no per-call Arrow conversion)."""
    n = len(found)
    data = {
        "start": np.fromiter((t.start for t in found), dtype=np.int64, count=n),
        "end": np.fromiter((t.end for t in found), dtype=np.int64, count=n),
    }
    for column in ("text", "type", "value", "mod"):
        values = np.empty(n, dtype=object)
        values[:] = [getattr(t, column) for t in found]
        data[column] = values
    data["resolved"] = np.fromiter((is_resolved(t.type, t.value) for t in found), dtype=bool, count=n)
    return pd.DataFrame(data, copy=False)


def tag(text: str | None, reference_date=None, params: TaggerParams = DEFAULT_PARAMS) -> pd.DataFrame:
    """Temporal expressions in ``text`` as a DataFrame: start, end, text, type, value, mod, resolved.

    ``reference_date`` (date, datetime, ISO string, Timestamp or None) anchors relative expressions; with
    None they keep unresolved TimeML values (``XXXX-...``). Offsets index ``text``.
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        text = ""
    elif not isinstance(text, str):
        raise TypeError(f"tag() needs a str, got {type(text).__name__}")
    ref = to_date(reference_date)
    return timex_frame(extract(text, ref, params) if text.strip() else [])


def tag_documents(docs: pd.DataFrame, reference_date=None, params: TaggerParams = DEFAULT_PARAMS) -> pd.DataFrame:
    """Tag every document: ``doc_id`` plus the :func:`tag` columns.

    Each document is anchored to its ``published`` date when present, else to ``reference_date``.
    The result's ``attrs["unresolved"]`` holds the number of DATE/TIME values left unresolved.
    """
    columns = ["doc_id", *COLUMNS]
    if docs is None or len(docs) == 0:
        out = pd.DataFrame(columns=columns)
        out.attrs["unresolved"] = 0
        return out
    if "text" not in docs.columns:
        raise ValueError("tag_documents needs a 'text' column")
    ids = docs["doc_id"] if "doc_id" in docs.columns else pd.Series(range(len(docs)), index=docs.index).astype(str)
    published = docs["published"] if "published" in docs.columns else [None] * len(docs)
    fallback = to_date(reference_date)
    found, doc_ids = [], []
    for doc_id, text, pub in zip(ids, docs["text"], published):
        timexes = extract(text, to_date(pub) or fallback, params) if isinstance(text, str) and text.strip() else []
        found.extend(timexes)
        doc_ids.extend([doc_id] * len(timexes))
    out = timex_frame(found)
    out.insert(0, "doc_id", pd.Series(doc_ids, dtype=object) if doc_ids else pd.Series([], dtype=object))
    out = out[columns]
    out.attrs["unresolved"] = int((~out["resolved"].astype(bool)).sum()) if len(out) else 0
    return out
