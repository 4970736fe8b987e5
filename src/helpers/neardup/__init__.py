"""Near-duplicates and derivation: exact and lexical duplicates, passage alignment, story families.

Public API is re-exported here; implementation lives in ``lexical`` (MinHash/LSH, exact Jaccard and containment;
``lexical_dask`` runs it on Dask, ``api.near_duplicate_pairs`` takes either kind of table), ``align`` (passage
alignment) and ``families`` (semantic links, families, lineage).
"""

from .align import *  # noqa: F401,F403
from .families import *  # noqa: F401,F403
from .lexical import *  # noqa: F401,F403
from .api import near_duplicate_pairs  # noqa: E402,F401 - pandas or Dask: the one entry point
