"""One broken document must not end a run, nor vanish: a per-document failure is logged, counted and listed.

Every stage runs its per-document steps through :func:`each_document` (or records a failure itself with
:func:`record`), keeps the ``(step, doc_id, error)`` rows, and the notebook appends them to the run's
``tables/failed.csv`` with :func:`helpers.report.append_failures`. The run goes on without that document.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

import pandas as pd

__all__ = ["FAILURE_COLUMNS", "each_document", "record", "failure_table", "failure_note"]

log = logging.getLogger("helpers")
FAILURE_COLUMNS = ["step", "doc_id", "error"]
T = TypeVar("T")
R = TypeVar("R")


def each_document(
    step: str, items: Iterable[tuple[str, T]], func: Callable[[T], R], failures: list
) -> list[tuple[str, R]]:
    """``(doc_id, func(item))`` for each ``(doc_id, item)``, in order. An exception in one document is logged with
    its traceback and appended to ``failures`` as ``(step, doc_id, error)``; that document is left out."""
    out: list[tuple[str, R]] = []
    for doc_id, item in items:
        try:
            out.append((doc_id, func(item)))
        except Exception as exc:  # not swallowed: logged with the traceback, counted and listed by the caller
            record(failures, step, doc_id, exc)
    return out


def record(failures: list, step: str, doc_id: str, exc: BaseException) -> None:
    """Log ``exc`` (with its traceback) as ``step`` failing on ``doc_id`` and append the row to ``failures``."""
    log.error("%s failed on %s", step, doc_id, exc_info=exc)
    failures.append((step, doc_id, f"{type(exc).__name__}: {exc}"))


def failure_table(failures: list) -> pd.DataFrame:
    """The ``(step, doc_id, error)`` rows as a table."""
    return pd.DataFrame(failures, columns=FAILURE_COLUMNS)


def failure_note(failures: list) -> str:
    """One line counting the failures of each step ("" when none)."""
    if not failures:
        return ""
    table = failure_table(failures)
    parts = [f"{step} ({len(g)}: {', '.join(g['doc_id'].astype(str)[:5])})" for step, g in table.groupby("step")]
    return f"{len(table)} document(s) failed and were left out (see the log): " + "; ".join(parts)
