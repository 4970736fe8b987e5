"""Entry points that take either kind of documents table: pandas runs in this process, Dask on the cluster.

Here, and not in :mod:`.lexical`, so that the single-process code never imports its Dask counterpart: the Dask
path is built on top of the single-process batch functions, never the reverse.
"""

from __future__ import annotations

import pandas as pd

from . import lexical
from .lexical import LexicalParams
from .lexical_dask import near_duplicate_pairs_dask

__all__ = ["near_duplicate_pairs"]


def _is_dask(docs) -> bool:
    if not hasattr(docs, "__dask_graph__"):
        return False
    import dask

    return dask.is_dask_collection(docs)


def near_duplicate_pairs(docs, params: LexicalParams | None = None, **options) -> pd.DataFrame:
    """Lexical near-duplicate pairs: ``doc_a``, ``doc_b``, ``jaccard_est``, ``jaccard``, ``containment_a``,
    ``containment_b``; the same table for the same documents and settings on either path.

    ``docs``: a documents table (``doc_id``, ``text``), a Series or a list of texts, run in this process
    (:func:`helpers.neardup.lexical.near_duplicate_pairs`); or a Dask DataFrame, run on the active cluster
    (:func:`helpers.neardup.lexical_dask.near_duplicate_pairs_dask`). ``params`` and keyword ``options``:
    :class:`~helpers.neardup.lexical.LexicalParams` fields, plus the path's own memory and progress options
    (``batch_size``, ``set_memory`` in one process; ``progress``, ``shuffle_method`` on Dask). An unknown name
    is an error.
    """
    if _is_dask(docs):
        return near_duplicate_pairs_dask(docs, params, **options)
    return lexical.near_duplicate_pairs(docs, params, **options)
