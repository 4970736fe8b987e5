"""The rule table: every rule of the tagger, in the order candidates are collected (between two equally long
expressions of the same priority at the same place, the earlier rule wins)."""

from __future__ import annotations

from .base import BLOCK, Blocked, Discourse, Found, Rule, Trigger, rule
from .calendar_dates import (
    apostrophe_year,
    century,
    day_month,
    decade,
    decade_in_words,
    decade_two_digits,
    iso,
    month,
    month_day,
    month_relative,
    numeric_dash,
    numeric_us,
    week_of_month,
    year,
    year_in_words,
    year_range_end,
    year_range_four_digits,
)
from .clock import clock_24h, clock_four_digits, clock_time, noon, part_of_day, part_of_day_then_day, weekday
from .coordination import (
    counted_pair,
    first_day_before_month,
    first_day_before_year,
    first_month_before_year,
    second_day,
)
from .durations import (
    at_the_time,
    bare_units,
    clock_duration,
    duration,
    duration_in_two_units,
    mere_duration,
    near_term,
    over_the_units,
    sentence_now,
    units_ahead,
    vague_duration,
    vague_quarters,
    vague_reference,
)
from .periods import half_year, quarter, season, the_quarter, weekend, year_ended, year_phrase
from .relative import (
    ago,
    current,
    deictic,
    edge_in_the_unit,
    edge_of_relative_unit,
    holiday,
    next_day,
    relative_unit,
    that_day,
    this_part_of_day,
    year_earlier,
)
from .sets import every, frequency

__all__ = ["RULES", "Rule", "Trigger", "Found", "BLOCK", "Blocked", "Discourse", "rule"]

RULES: tuple[Rule, ...] = (
    # calendar dates
    month_day,
    day_month,
    month,
    month_relative,
    numeric_us,
    iso,
    numeric_dash,
    week_of_month,
    year,
    year_in_words,
    year_range_end,
    year_range_four_digits,
    apostrophe_year,
    decade,
    decade_in_words,
    decade_two_digits,
    century,
    # periods of a year
    season,
    quarter,
    the_quarter,
    half_year,
    # relative to the reference date or to the last date mentioned
    deictic,
    this_part_of_day,
    relative_unit,
    edge_of_relative_unit,
    edge_in_the_unit,
    ago,
    year_earlier,
    holiday,
    weekend,
    year_phrase,
    current,
    year_ended,
    # parts of the day, weekdays, clock times
    part_of_day,
    that_day,
    next_day,
    weekday,
    clock_time,
    part_of_day_then_day,
    clock_24h,
    clock_four_digits,
    noon,
    # durations, vague references
    duration,
    duration_in_two_units,
    mere_duration,
    clock_duration,
    vague_duration,
    bare_units,
    vague_quarters,
    units_ahead,
    over_the_units,
    vague_reference,
    sentence_now,
    at_the_time,
    near_term,
    # coordinations sharing a unit or month
    counted_pair,
    second_day,
    first_day_before_year,
    first_day_before_month,
    first_month_before_year,
    # sets
    every,
    frequency,
)
