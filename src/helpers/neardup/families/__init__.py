"""Story families: which documents tell the same story, how each derives from the others, what each added.

The steps, one module each (:func:`trace` runs all of them):

1. ``documents``: the prepared table (title + text, content-word counts) and each text's *specifics* (names
   and numbers).
2. ``similarity``: story similarity (content words and specifics, locally scaled, lexical copies always
   linked, time decay, weekday rule for snippets).
3. ``clustering``: families by average linkage over the mutual k-NN graph, with a background test.
   ``verification``: families split where their links are neither shared facts nor out of their topic's crowd.
4. ``cues``: credit lines, scraped-page furniture, summary cues, quotes of named people.
5. ``pairs``: every linked pair's scores and relation label (``duplicate`` ... ``same story``).
6. ``origins``: lineage (the origin and each member's parent, or an external original).
7. ``content``: added and dropped sentences, coverage, aligned passages, sentence links.
8. ``pipeline`` (:class:`Trace`, :func:`trace`, :func:`families`, :func:`relations`); ``plots`` and
   ``side_by_side`` show the result. Settings: ``params`` (:class:`FamilyParams` with :class:`RelationParams`
   and :class:`LineageParams` nested).

The package itself is callable: ``helpers.neardup.families(docs)`` runs :func:`.pipeline.families` (the
families table), and ``helpers.neardup.families.similarity`` is still the module, so one name serves both
(a package and a function of the same name would otherwise shadow each other).
"""

import sys
import types

from ..semantic import match_sentences, sentence_support
from .clustering import average_linkage, story_clusters
from .content import added_dropped, coverage_table, passages, sentence_links
from .context import FamilyContext, family_context
from .cues import document_cues
from .documents import name_lexicon, prepare_documents, specifics
from .origins import lineage
from .pairs import classify_relation, label_pairs, pair_table, relation_features
from .params import DEFAULTS, RELATIONS, FamilyParams, LineageParams, RelationParams, VerificationParams
from .pipeline import Trace, families, relations, trace
from .plots import lineage_layout, plot_coverage, plot_lineage, plot_similarity_heatmap
from .side_by_side import side_by_side_html
from .similarity import StorySimilarity, lead_weekday, story_similarity
from .verification import link_evidence, verified_families, verify_families

__all__ = [
    "match_sentences",
    "sentence_support",
    "FamilyParams",
    "RelationParams",
    "LineageParams",
    "VerificationParams",
    "DEFAULTS",
    "RELATIONS",
    "prepare_documents",
    "name_lexicon",
    "specifics",
    "lead_weekday",
    "StorySimilarity",
    "story_similarity",
    "average_linkage",
    "story_clusters",
    "link_evidence",
    "verified_families",
    "verify_families",
    "document_cues",
    "FamilyContext",
    "family_context",
    "pair_table",
    "relation_features",
    "classify_relation",
    "label_pairs",
    "lineage",
    "added_dropped",
    "coverage_table",
    "passages",
    "sentence_links",
    "Trace",
    "trace",
    "families",
    "relations",
    "lineage_layout",
    "plot_similarity_heatmap",
    "plot_lineage",
    "plot_coverage",
    "side_by_side_html",
]


class _CallablePackage(types.ModuleType):
    """This package, callable as :func:`.pipeline.families`."""

    def __call__(self, *args, **kwargs):
        return families(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
