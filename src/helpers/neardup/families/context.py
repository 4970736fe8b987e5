"""State shared by the steps of one trace after clustering: the prepared documents, a sentence matcher over the
members of multi-document families, each member's specifics, and (computed once, on first use) the specifics of
each of a member's sentences."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    _sentence_spec: dict = field(default_factory=dict, repr=False)
    _texts: dict = field(default_factory=dict, repr=False)

    @property
    def texts(self) -> dict:
        """Each document's text by ``doc_id`` (built once: per-family lookups in ``d`` cost a table scan each)."""
        if not self._texts and len(self.d):
            self._texts.update(zip(self.d["doc_id"], self.d["text"]))
        return self._texts

    def sentence_specifics(self, doc_id: str) -> list[list[str]]:
        """The distinct specifics of each of a member's sentences (in matcher row order), in order of first
        mention; computed once per document (the pairs, lineage and added-content steps each ask for them)."""
        out = self._sentence_spec.get(doc_id)
        if out is None:
            texts = self.matcher.texts[self.matcher.rows(doc_id)]
            out = self._sentence_spec[doc_id] = [list(dict.fromkeys(specifics(t, self.names))) for t in texts]
        return out


def family_context(
    d: pd.DataFrame, fam: pd.DataFrame, sim: StorySimilarity, p: FamilyParams, keep_matcher: bool = True
) -> FamilyContext:
    """The context of families ``fam`` of prepared documents ``d`` (``keep_matcher=False``: for one step only,
    its sentence matcher not cached for later steps)."""
    size = fam.groupby("family_id")["doc_id"].transform("size")
    members = d[(size > 1).to_numpy()]
    matcher = sentence_matcher(members[["doc_id", "text"]], p.sentence_method, keep=keep_matcher)
    spec = {i: set(specifics(t, sim.names)) for i, t in zip(members["doc_id"], members["full"])}
    return FamilyContext(d, matcher, sim.names, spec)
