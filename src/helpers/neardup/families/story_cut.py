"""A family cut in two where it holds two stories: the links across its weakest cut are, on average, unlikely the
same story.

The split into components of likely links (:func:`~.story_model.split_unlikely_links`) keeps a family whole as
long as one link across two stories is likely, and it leaves links between two snippets unjudged (one headline
and lead is too thin to cut on). Two stories of one topic in one family (two earthquakes, two court rulings on one
politician) are joined by many links of middling P. So each family of at least ``min_size`` documents is cut along
its weakest cut, the sign of the Fiedler vector of the normalised Laplacian of its P(same story) graph (spectral
bisection), when the links across that cut have a mean P under ``threshold``; each part is then tried again.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components, laplacian

from .verification import numbered_by_first

__all__ = ["cut_two_story_families"]

MAX_DENSE = 2000
"""A family larger than this is not tried (its dense eigendecomposition would cost seconds; families that large
are rare and are split by the other steps)."""


def _weakest_cut(W: np.ndarray) -> np.ndarray | None:
    """The two sides (a boolean mask) of a connected similarity graph's spectral bisection, or None."""
    _, vecs = np.linalg.eigh(laplacian(W, normed=True))
    side = vecs[:, 1] >= 0
    return None if side.all() or not side.any() else side


def cut_two_story_families(
    labels: np.ndarray, rows: np.ndarray, cols: np.ndarray, prob: np.ndarray, threshold: float, min_size: int
) -> np.ndarray:
    """Families ``labels`` (numbered 0..k-1) cut in two, again and again, where the links ``rows[e]``-``cols[e]``
    (P(same story) ``prob[e]``, inside families) across a family's spectral bisection have a mean P below
    ``threshold``. Families under ``min_size`` documents (or ``min_size`` 0) stay as they are. Returns labels
    numbered 0..k-1 in order of first document."""
    labels = np.asarray(labels, dtype=np.int64).copy()
    n = len(labels)
    if min_size <= 0 or not len(rows):
        return labels
    P = sparse.coo_matrix((prob, (rows, cols)), shape=(n, n)).tocsr()
    P = (P + P.T).tocsr()
    size = np.bincount(labels)
    todo = [f for f in np.flatnonzero((size >= min_size) & (size <= MAX_DENSE))]
    nxt = len(size)
    while todo:
        idx = np.flatnonzero(labels == todo.pop())
        if len(idx) < min_size:
            continue
        W = P[idx][:, idx]
        if connected_components(W, directed=False)[0] > 1:
            continue
        side = _weakest_cut(W.toarray())
        if side is None:
            continue
        across = W[side][:, ~side]
        if across.nnz and across.data.mean() < threshold:
            labels[idx[~side]] = nxt
            todo += [int(labels[idx[side][0]]), nxt]
            nxt += 1
    return numbered_by_first(labels)
