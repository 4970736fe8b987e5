"""Named events known by day and month ("the Oct. 7 attack"), listed in ``helpers/data/timex_named_dates.txt``:
one per line, ISO date, a tab, and the regular expression (case-insensitive) matched at the date expression."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from .._data import data_path

NAMED_DATES_FILE = "timex_named_dates.txt"


class NamedDate(NamedTuple):
    day: dt.date
    pattern: re.Pattern[str]


def parse_named_dates(text: str, source: str) -> tuple[NamedDate, ...]:
    """The named events listed in ``text``; a malformed line raises ValueError naming ``source`` and the line."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        day, _, pattern = line.partition("\t")
        try:
            found.append(NamedDate(dt.date.fromisoformat(day.strip()), re.compile(pattern.strip(), re.I)))
        except (ValueError, re.error) as exc:
            raise ValueError(f"{source}, line {number}: expected 'YYYY-MM-DD<TAB>regex' ({exc})") from exc
    return tuple(found)


def load_named_dates(name: str = NAMED_DATES_FILE) -> tuple[NamedDate, ...]:
    """The named events of a data file shipped in ``helpers/data``."""
    return parse_named_dates(data_path(name).read_text(encoding="utf-8"), name)


NAMED_DATES = load_named_dates()
