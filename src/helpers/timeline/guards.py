"""The vectorised steps of notebook 03 (dated sentences, events, key dates, temporal claims, conflicts) run over
all documents at once; :func:`guarded` keeps one bad document from failing them (:mod:`helpers.failures`)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ..failures import all_or_culprits

__all__ = ["guarded"]


def _only(value, keep: set[str]):
    """``value`` restricted to the documents ``keep`` (and numbered from 0, as the steps expect) when it is a table
    with a ``doc_id`` column, else as it is."""
    if isinstance(value, pd.DataFrame) and "doc_id" in value.columns:
        return value[value["doc_id"].astype(str).isin(keep)].reset_index(drop=True)
    return value


def guarded(step: str, func: Callable, docs: pd.DataFrame, failures: list | None, **arguments):
    """``func(docs, **arguments)``, run once over all documents. Should it raise, the documents it fails on are
    found (:func:`helpers.failures.all_or_culprits`), listed in ``failures`` as ``step``, and the result is
    ``func`` over the other documents: ``docs`` and every table argument with a ``doc_id`` column (timexes,
    dated sentences, claims, families) restricted to them. ``failures=None`` runs ``func`` unguarded."""
    if failures is None:
        return func(docs, **arguments)

    def run(ids: list[str] | None):
        if ids is None:
            return func(docs, **arguments)
        keep = set(ids)
        return func(_only(docs, keep), **{name: _only(value, keep) for name, value in arguments.items()})

    return all_or_culprits(step, run, docs["doc_id"].astype(str).tolist(), failures)
