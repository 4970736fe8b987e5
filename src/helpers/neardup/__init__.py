"""Near-duplicates and derivation: exact and lexical duplicates, passage alignment, story families.

Public API is re-exported here; implementation lives in ``lexical`` (MinHash/LSH, exact Jaccard and
containment), ``align`` (passage alignment) and ``families`` (semantic links, families, lineage).
"""

from .align import *  # noqa: F401,F403
from .families import *  # noqa: F401,F403
from .lexical import *  # noqa: F401,F403
