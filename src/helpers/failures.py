"""One broken document must not end a run, nor vanish: a per-document failure is logged, counted and listed.

Every stage runs its per-document steps through :func:`each_document` (a vectorised step over all documents
through :func:`all_or_culprits`, or records a failure itself with :func:`record`), keeps the
``(step, doc_id, error)`` rows, and the notebook appends them to the run's ``tables/failed.csv`` with
:func:`helpers.report.append_failures`. The run goes on without that document.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import pandas as pd

__all__ = ["FAILURE_COLUMNS", "each_document", "all_or_culprits", "record", "failure_table", "failure_note"]

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


def all_or_culprits(step: str, run: Callable[[list[str] | None], R], ids: Sequence[str], failures: list) -> R:
    """``run(None)``: a step over all documents at once (the fast, vectorised path). Should it raise, the documents
    it fails on are found by halving ``ids`` (``run(subset)`` on each half that still fails, down to single
    documents: a few dozen runs for one bad document among thousands, not one run per document), each is
    recorded in ``failures`` like :func:`each_document` does, and the result is ``run(the others)``: what the
    step gives without them, so the other documents' results are what a corpus without the culprits gives. A
    group that fails only as a whole (neither half alone does) is recorded document by document."""
    try:
        return run(None)
    except Exception as exc:  # find the documents it fails on: each is recorded (logged, counted, listed) below
        bad = _culprits(step, run, list(ids), failures, exc)
    return run([d for d in ids if d not in bad])


def _culprits(step: str, run: Callable, ids: list[str], failures: list, exc: BaseException) -> set[str]:
    """The documents of ``ids`` (on which ``run`` raised ``exc``) that make it fail, each recorded."""
    if len(ids) > 1:
        bad: set[str] = set()
        for part in (ids[: len(ids) // 2], ids[len(ids) // 2 :]):
            try:
                run(part)
            except Exception as part_exc:  # this half holds a culprit: look inside it
                bad |= _culprits(step, run, part, failures, part_exc)
        if bad:
            return bad
    for doc_id in ids:
        record(failures, step, doc_id, exc)
    return set(ids)
