"""Run the heavy steps on a Dask cluster: one entry point for the cluster and every stage's Dask code.

One process stays the default. When a corpus outgrows it, the same analysis runs on Dask, a LocalCluster
on a laptop or an existing cluster (dask-jobqueue on HPC, Kubernetes), with the same results:

- :func:`cluster` opens a client for the CLI and notebooks (``workers=N`` local processes, or
  ``scheduler=ADDRESS``), prints the dashboard address and closes everything on exit (:mod:`helpers.cluster`).
- :func:`load_corpus_dask` loads Parquet/JSONL shards or folders of files into a Dask DataFrame holding the
  same documents table as :func:`helpers.corpus.load_corpus` (:mod:`helpers.corpus.dask`).
- :func:`near_duplicate_pairs_dask` runs MinHash per partition, LSH banding by a shuffle on band keys,
  exact verification by a bounded two-step join, and returns the same pairs as the single-process
  :func:`helpers.neardup.near_duplicate_pairs`; :func:`near_duplicate_families_dask` adds the connected
  components (:mod:`helpers.neardup.lexical_dask`).
- :func:`story_families_dask` returns the same story families as :func:`helpers.neardup.families`, with the
  tokenising and the approximate neighbour search on the workers (:mod:`helpers.neardup.families.families_dask`,
  :mod:`~helpers.neardup.families.vectors_dask`, :mod:`~helpers.neardup.families.candidates`);
  :func:`story_vectors_dask` is its first step.

Each stage's Dask code lives beside the code it parallelises; this module only gathers them.
See ``docs/distributed.md`` for running on an existing cluster and how memory is bounded.
"""

from __future__ import annotations

from .cluster import cluster, compute, current_client
from .corpus.dask import load_corpus_dask
from .neardup.families.families_dask import story_families_dask
from .neardup.families.vectors_dask import story_vectors_dask
from .neardup.lexical_dask import (
    as_dask,
    candidate_pairs_dask,
    components_from_pairs,
    near_duplicate_families_dask,
    near_duplicate_pairs_dask,
    verify_candidates_dask,
)

__all__ = [
    "cluster",
    "current_client",
    "compute",
    "load_corpus_dask",
    "near_duplicate_pairs_dask",
    "near_duplicate_families_dask",
    "components_from_pairs",
    "candidate_pairs_dask",
    "verify_candidates_dask",
    "as_dask",
    "story_families_dask",
    "story_vectors_dask",
]
