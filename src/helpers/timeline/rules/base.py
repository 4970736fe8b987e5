"""What a tagging rule is: a pattern, the trigger words around which it runs, a priority, and a function that
reads one match and returns a :class:`Found` expression, :data:`BLOCK`, or None ("not a date here")."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from ..anchoring import Context
from ..vocabulary import MONTHS, UNIT_WORDS, WEEKDAYS

__all__ = ["Discourse", "Found", "BLOCK", "Blocked", "Trigger", "Rule", "rule"]


@dataclass
class Discourse:
    """What the text has said before an expression, for anaphora ("that day", "a year earlier")."""

    date: dt.date | None = None  # the last explicit date (its first day)
    day: dt.date | None = None  # the last explicit full date, None when the last date was not a day
    quarter: str | None = None  # the last explicit quarter ("2024-Q3")
    quarter_end: int = -(10**9)  # where that quarter was written
    quarter_recent: bool = False  # whether it was written close enough before this expression
    next_date: str | None = None  # a full date written right after this expression


Deferred = Callable[[Discourse], "str | None"]


class Found(NamedTuple):
    """A temporal expression found by a rule."""

    type: str  # DATE, TIME, DURATION or SET
    value: str | Deferred  # the TimeML value, or a function of the discourse so far (anaphoric expressions)
    mod: str = ""  # TimeML mod: APPROX, START, MORE_THAN ...
    start: int | None = None  # where the expression starts, when not where the pattern matched ("in 1998")
    end: int | None = None  # where it ends, when not where the pattern matched


class Blocked:
    """A span that must not be tagged ("February 30", "a 6-year-old"): it also hides shorter matches inside it."""

    def __repr__(self) -> str:
        return "BLOCK"


BLOCK = Blocked()

Result = Found | Blocked | None


@dataclass(frozen=True)
class Trigger:
    """Where a rule can match: windows of ``before``/``after`` characters around a cue, so that no rule scans a
    whole document with its long optional prefixes. A cue is a word of ``words`` (lower case; ``<year4>`` stands
    for any four-digit number, ``<decade>`` for a token such as ``1990s``) or a match of ``pattern``."""

    words: frozenset[str] = frozenset()
    pattern: re.Pattern[str] | None = None
    before: int = 0
    after: int = 0

    @classmethod
    def on_words(cls, words, before: int, after: int) -> Trigger:
        return cls(words=frozenset(words), before=before, after=after)

    @classmethod
    def on_pattern(cls, pattern: str, before: int, after: int) -> Trigger:
        return cls(pattern=re.compile(pattern, re.I), before=before, after=after)


@dataclass(frozen=True)
class Rule:
    """One tagging rule: ``resolve(match, context)`` reads each match of ``pattern`` found in the trigger's
    windows. Overlapping expressions compete on length, then ``priority``."""

    name: str
    pattern: re.Pattern[str]
    trigger: Trigger
    priority: int
    resolve: Callable[[re.Match[str], Context], Result]


def rule(pattern: str, *, trigger: Trigger, priority: int, flags: int = re.I) -> Callable[[Callable], Rule]:
    """Decorator: the function below becomes the ``resolve`` of a :class:`Rule` named after it."""

    def make(resolve: Callable[[re.Match[str], Context], Result]) -> Rule:
        return Rule(resolve.__name__, re.compile(pattern, flags), trigger, priority, resolve)

    return make


# triggers several rules share
UNIT_TRIGGER = Trigger.on_words(UNIT_WORDS, 90, 30)
MONTH_TRIGGER = Trigger.on_words(MONTHS, 45, 40)
WEEKDAY_TRIGGER = Trigger.on_words(set(WEEKDAYS) | {d + "s" for d in WEEKDAYS if len(d) > 4}, 45, 30)


def capitalised(token: str) -> bool:
    return token[:1].isupper()


def collapse(words: str | None) -> str:
    """Lower case, runs of whitespace as one space, stripped."""
    return re.sub(r"\s+", " ", (words or "").strip().lower())
