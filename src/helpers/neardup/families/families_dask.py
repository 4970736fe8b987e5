"""Story families on a Dask cluster: the same ``families`` table as :func:`helpers.neardup.families`.

What runs where (see ``docs/distributed.md``):

- **workers**: tokenising for the story vectors (:mod:`.vectors_dask`), the lexical copies
  (:mod:`helpers.neardup.lexical_dask`), and the approximate neighbour search, one HNSW index per time window
  (:func:`.candidates.ann_neighbours`);
- **client**: the SVD basis (fitted on a sample), exact scores of the candidate pairs (numba, O(n x search)),
  the sparse story graph (O(n x knn) edges), its clustering, and the lineage of each family.

Below ``CandidateParams.ann_from`` documents (``"auto"``) all pairs are compared in the client as in one process,
so the two engines agree exactly; above it both engines use the same approximate candidates on the same vectors
and agree exactly too.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from ...cluster import compute, current_client
from .params import FamilyParams
from .pipeline import trace

__all__ = ["story_families_dask"]


def story_families_dask(docs, params: FamilyParams | None = None, method: str = "tfidf", **overrides) -> pd.DataFrame:
    """:func:`helpers.neardup.families` on the active Dask cluster (``helpers.distributed.cluster``): ``doc_id``,
    ``family_id``, ``role``, ``machine_style``. ``docs``: a pandas or Dask documents table (a Dask one is
    gathered: lineage reads the texts of each family in the client)."""
    if current_client() is None:
        raise RuntimeError(
            "story_families_dask needs an active Dask cluster: `with helpers.distributed.cluster(workers=2): ...` "
            "(or call helpers.neardup.families in one process)"
        )
    if not isinstance(docs, pd.DataFrame):
        (docs,) = compute(docs, label="gathering the documents")
    p = replace(params or FamilyParams(), **overrides)
    return trace(docs, params=p, method=method, detail=False).families
