"""The whole trace of a documents table: story families, linked pairs with relations, lineage, and (with
``detail``) added and dropped content, coverage, aligned passages and sentence links."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from .clustering import story_clusters
from .content import added_dropped, coverage_table, passages, sentence_links
from .context import family_context
from .cues import CUE_COLUMNS, document_cues, with_machine_style
from .documents import prepare_documents
from .origins import family_members, family_table, lineage
from .pairs import label_pairs, pair_table
from .params import FamilyParams
from .similarity import StorySimilarity, story_similarity
from .verification import verify_families

__all__ = ["Trace", "trace", "families", "relations"]

_UNSCORED = "not scored: no relative in the corpus (trace with detail=True scores every document)"


@dataclass
class Trace:
    """Everything :func:`trace` found. Tables: ``families`` (doc_id, family_id, role), ``pairs`` (linked pairs
    with relation and scores), ``lineage`` (parent, relation, evidence), ``passages`` (aligned passages),
    ``sentence_links`` (sentence matches with parents), ``added`` / ``dropped`` (content against the parent),
    ``coverage`` (copied / paraphrased / novel shares), ``cues`` (credits, scraped, quotes); ``similarity``
    (:class:`~.similarity.StorySimilarity`); ``messages`` (what was odd about the input); ``failures``
    ((step, doc_id, error) of documents a step could not process, for :func:`helpers.report.append_failures`)."""

    families: pd.DataFrame
    pairs: pd.DataFrame
    lineage: pd.DataFrame
    passages: pd.DataFrame
    sentence_links: pd.DataFrame
    added: pd.DataFrame
    dropped: pd.DataFrame
    coverage: pd.DataFrame
    cues: pd.DataFrame
    similarity: StorySimilarity | None = None
    messages: list = field(default_factory=list)
    failures: list = field(default_factory=list)

    def similarity_matrix(self, ids=None, which: str = "raw") -> pd.DataFrame:
        """Doc x doc similarity table (default: members of families with two or more documents)."""
        if ids is None:
            big = self.families.groupby("family_id")["doc_id"].transform("size") > 1
            ids = self.families.loc[big, "doc_id"].tolist()
        if self.similarity is None or not len(ids):
            return pd.DataFrame()
        return self.similarity.dense(which, ids)


def _input_messages(d: pd.DataFrame) -> list[str]:
    messages = []
    if len(d) == 0:
        messages.append("no documents")
    empty = d["text"].str.strip() == ""
    if empty.any():
        messages.append(f"{int(empty.sum())} empty document(s): each is its own family")
    if len(d) == 1:
        messages.append("one document: nothing to compare it with")
    return messages


def trace(
    docs: pd.DataFrame,
    params: FamilyParams | None = None,
    method: str = "tfidf",
    with_passages: bool = True,
    detail: bool = True,
    **overrides,
) -> Trace:
    """Families, relations, lineage, aligned passages, added/dropped content and coverage for a documents table.

    ``method``: ``"tfidf"`` (default, no model) or ``"embeddings"`` (adds MiniLM document similarity; needs the
    ``embeddings`` extra). Parameters: :class:`~.params.FamilyParams` as ``params`` or its fields as keyword
    overrides. Bad input (no documents, empty texts, one document) gives empty or trivial tables and a message in
    ``.messages``, never an exception (except a table without ``doc_id``/``text``). ``detail=False`` stops after
    families, pairs and lineage (no added/dropped, coverage or passages).
    """
    p = replace(params or FamilyParams(), **overrides)
    d = prepare_documents(docs)
    cues = document_cues(docs, d) if len(d) else pd.DataFrame(columns=CUE_COLUMNS)
    sim = story_similarity(d, p, method)
    failures: list = []
    fam = story_clusters(d, p, method, similarity=sim, failures=failures)
    ctx = family_context(d, fam, sim, p)
    fam = verify_families(fam, sim, ctx, p, failures)
    pairs = pair_table(fam, sim, ctx, p, failures)
    members = None if detail else family_members(fam)
    cues = with_machine_style(cues, d, members, failures, p.lineage.style_model or None, _UNSCORED)
    lin = lineage(ctx, fam, pairs, cues, p)
    pairs = label_pairs(pairs, lin, ctx, cues, p.relations)
    fam = family_table(fam, lin, cues)
    if detail:
        add, drop = added_dropped(ctx, lin)
        cov = coverage_table(ctx, fam, pairs, p)
    else:
        add = drop = cov = pd.DataFrame()
    with_alignment = with_passages and detail
    result = Trace(
        families=fam,
        pairs=pairs,
        lineage=lin,
        passages=passages(d, lin, p) if with_alignment else pd.DataFrame(),
        sentence_links=sentence_links(ctx, lin) if with_alignment else pd.DataFrame(),
        added=add,
        dropped=drop,
        coverage=cov,
        cues=cues,
        similarity=sim,
        messages=_input_messages(d),
        failures=failures,
    )
    ctx.matcher.clear_similarities()  # the matcher outlives the trace (cached per corpus): keep its vectors only
    return result


def families(
    docs: pd.DataFrame, params: FamilyParams | None = None, method: str = "tfidf", **overrides
) -> pd.DataFrame:
    """Story families: ``doc_id``, ``family_id``, ``role`` for every document.

    ``role``: ``single`` (no relative), ``origin`` (the family's most original member), or the member's relation
    to its parent (``duplicate``, ``near-verbatim copy``, ``excerpt``, ``summary``, ``rewrite``, ``same story``).
    Parameters: :class:`~.params.FamilyParams` fields as ``params`` or keyword overrides.
    """
    return trace(docs, params=params, method=method, detail=False, **overrides).families


def relations(
    docs: pd.DataFrame, params: FamilyParams | None = None, method: str = "tfidf", **overrides
) -> pd.DataFrame:
    """Linked pairs (every pair inside a family) with their relation label and scores (see :func:`pair_table`)."""
    return trace(docs, params=params, method=method, detail=False, **overrides).pairs
