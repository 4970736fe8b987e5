"""Settings objects: each stage's parameters live in a frozen dataclass; a call may override single fields."""

from __future__ import annotations

import dataclasses
from typing import TypeVar

P = TypeVar("P")


def with_overrides(params_type: type[P], params: P | None, overrides: dict[str, object]) -> P:
    """``params`` (default: ``params_type()``) with the fields named in ``overrides`` replaced.

    ``key_dates(docs, dateline_chars=0)`` reads as ``key_dates(docs, params=KeyDateParams(dateline_chars=0))``.
    """
    names = {f.name for f in dataclasses.fields(params_type)}
    unknown = sorted(set(overrides) - names)
    if unknown:
        raise TypeError(f"unknown setting(s) {unknown} for {params_type.__name__}; its fields: {sorted(names)}")
    return dataclasses.replace(params if params is not None else params_type(), **overrides)
