"""State shared by the steps of one trace after clustering: the prepared documents, a sentence matcher over the
members of multi-document families, and each member's specifics."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..semantic import SentenceMatcher, sentence_matcher
from .documents import specifics
from .params import FamilyParams
from .similarity import StorySimilarity

__all__ = ["FamilyContext", "family_context"]


@dataclass
class FamilyContext:
    """Prepared documents ``d``, the sentence ``matcher`` (members of families of two or more), the corpus's
    name lexicon ``names`` and each member's set of specifics ``spec``."""

    d: pd.DataFrame
    matcher: SentenceMatcher
    names: frozenset
    spec: dict


def family_context(d: pd.DataFrame, fam: pd.DataFrame, sim: StorySimilarity, p: FamilyParams) -> FamilyContext:
    """The context of families ``fam`` of prepared documents ``d``."""
    size = fam.groupby("family_id")["doc_id"].transform("size")
    members = d[(size > 1).to_numpy()]
    matcher = sentence_matcher(members[["doc_id", "text"]], p.sentence_method)
    spec = {i: set(specifics(t, sim.names)) for i, t in zip(members["doc_id"], members["full"])}
    return FamilyContext(d, matcher, sim.names, spec)
