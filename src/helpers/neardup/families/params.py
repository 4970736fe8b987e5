"""Settings of story families, relation labels and lineage, each field named and documented.

:class:`FamilyParams` holds the general parameters of families (tuned on the story-clustering development
sets, ``benchmarks/story_clustering.py``: ECB+, DUC 2004, AllSides; never on the sample) and, nested, the
cut-offs of relation labels (:class:`RelationParams`) and the originality cues of lineage
(:class:`LineageParams`), which are hand-set heuristics: they label and orient pairs, they never decide which
documents form a family.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["FamilyParams", "RelationParams", "LineageParams", "DEFAULTS", "RELATIONS"]

# Method-dependent defaults of FamilyParams.threshold / raw_threshold (embedding cosines run higher); raw_threshold
# is the raw floor of a merge where no background can be measured (a corpus under background_rank + 1 documents).
DEFAULTS = {
    "tfidf": {"threshold": 0.65, "raw_threshold": 0.20},
    "embeddings": {"threshold": 0.70, "raw_threshold": 0.25},
}
RELATIONS = ("duplicate", "near-verbatim copy", "excerpt", "summary", "rewrite", "same story")


@dataclass(frozen=True)
class RelationParams:
    """Cut-offs of :func:`~helpers.neardup.families.classify_relation` (hand-set with the relation labels; shingle
    scores are word 5-gram Jaccard and containment, lengths are content words)."""

    duplicate_jaccard: float = 0.9
    """Jaccard from which a pair is a ``duplicate`` (as is the same text under ``comparison_key``)."""
    copy_jaccard: float = 0.5
    """Jaccard from which a pair is a ``near-verbatim copy`` (the lexical near-duplicate threshold)."""
    excerpt_containment: float = 0.5
    """Containment of either text in the other from which a pair is an ``excerpt``."""
    summary_length_ratio: float = 0.6
    """A ``summary`` is at most this share of its relative's length ..."""
    summary_coverage: float = 0.25
    """... with at least this share of its sentences supported by the relative."""
    credited_length_ratio: float = 1.25
    """A text with a summary cue or crediting a source is a ``summary`` up to this share of its relative's
    length ..."""
    credited_max_words: int = 600
    """... and this many content words, unless it quotes named people."""
    same_story_coverage: float = 0.5
    """Two texts that both quote named people are ``same story`` (independent reporting) when less than this
    share of the derivative's sentences is supported by the other."""


@dataclass(frozen=True)
class LineageParams:
    """Originality of an undated family member (hand-set): the mean over the other members of how much of them
    it holds (sentence coverage + shingle containment + share of their names and numbers, each 0-1), plus
    these cues."""

    scraped_bonus: float = 0.3
    """A scraped page (paywall/scraper furniture) carries an original's text verbatim."""
    named_quotes_bonus: float = 0.2
    """Quotes of named people: first-hand reporting."""
    credits_penalty: float = 0.5
    """Crediting a source ("Original Source: ...", "according to The Times") says the text is not the origin."""
    summary_cue_penalty: float = 0.25
    """A summary cue ("TL;DR", "Key points:") says the text condenses another."""


@dataclass(frozen=True)
class FamilyParams:
    """General parameters of story families (tuned on the story-clustering development sets, not on the sample),
    with the relation cut-offs and lineage cues nested."""

    threshold: float | None = None
    """Average-linkage stop: mean scaled similarity between two clusters (None: per method, ``DEFAULTS``)."""
    raw_threshold: float | None = None
    """... and mean raw similarity between them, where no background is measured (None: ``DEFAULTS``)."""
    knn: int = 30
    """Edges kept per document."""
    mutual: bool = True
    """Keep an edge only when each document is among the other's ``knn`` best (against hub documents)."""
    min_raw: float = 0.05
    """Raw similarities below this are no edge."""
    scale_mode: str = "geo"
    """Local scaling by ``sqrt(m_a * m_b)`` (``"geo"``) or ``max(m_a, m_b)`` (``"max"``)."""
    local_k: int = 10
    """Neighbours whose mean similarity scales a document's similarities."""
    scale_floor: float = 0.15
    """Floor of that mean, so sparse corpora are not inflated."""
    specifics_weight: float = 0.3
    """Weight of the specifics (names and numbers) cosine in the raw similarity; the word cosine has the rest."""
    embedding_weight: float = 0.3
    """With ``method="embeddings"``: weight of the MiniLM document cosine."""
    copy_link: float = 0.5
    """Shingle Jaccard or containment that always links two documents (lexical copies)."""
    copy_link_raw: float = 1.0
    """Raw similarity of a lexical copy link (at least; the highest raw similarity there is)."""
    copy_link_scaled: float = 2.0
    """Scaled similarity of a lexical copy link (at least; above any clustering threshold)."""
    shingle_size: int = 5
    """Words per shingle of the lexical copy links and pair scores."""
    time_window_days: float = 2.0
    """Dated pairs: no decay within this many days ..."""
    time_halflife_days: float = 14.0
    """... then the similarity halves every this many days."""
    snippet_words: int = 80
    """Texts under this many content words are snippets (a headline and a lead) ..."""
    weekday_conflict: float = 0.5
    """... and two snippets whose leads name different weekdays have their similarity multiplied by this."""
    lead_words: int = 100
    """The lead of a text, where its weekday is read: its first words (headline and first sentences)."""
    background_rank: int = 30
    """A document's background: its similarity to its ``background_rank``-th nearest document ..."""
    background_ratio: float = 1.5
    """... two clusters merge only if their mean raw similarity, each pair over the mean background of its two
    documents, is >= this (0: off)."""
    background_floor: float = 0.10
    """With a measured background the raw floor drops from ``raw_threshold`` to this."""
    background_copy: float = 0.95
    """Raw similarity from which a neighbour is a copy, not background (fifty copies do not raise the bar)."""
    sentence_method: str = "tfidf"
    """Sentence matching for coverage, lineage and added content (``"tfidf"`` or ``"embeddings"``)."""
    max_family_pairs: int = 2000
    """A family with more pairs than this keeps only its k-NN edges in the pairs table."""
    max_coverage_partners: int = 20
    """Coverage of a member of a bigger family is measured against its this many most similar members."""
    max_passage_pairs: int = 500
    """Derivative/parent pairs aligned passage by passage (the slowest step)."""
    relations: RelationParams = field(default_factory=RelationParams)
    """Cut-offs of the relation labels."""
    lineage: LineageParams = field(default_factory=LineageParams)
    """Originality cues of undated lineage."""
