"""Framing: how each version frames the story, and how the framing shifts from a parent to each copy.

Deterministic and offline (MiniLM exemplars optional). One idea per module:

* ``lexicon``: lexicons as data (``helpers/data/framing_mfc.csv``: the 15 Media Frames Corpus dimensions,
  Boydstun et al. 2014; ``framing_stance.csv``: hedges, boosters, reporting cues, anonymous-source nouns, titles)
  and matching their terms over a token table. ``stem`` terms match inflections, ``exact`` terms normalised
  forms; longest match wins; a term preceded by a negator within a few words is ``negated`` and not scored.
* ``documents``: the text analysed (headline + body) and offsets back into the ``title``/``text`` fields.
* ``language``: the English check (other languages are flagged and not scored).
* ``stance`` (hedges, boosters, quotes), ``attribution`` (named and anonymous sources, interview turns),
  ``names`` (proper-noun phrases), ``actors`` (actors merged by alias, demonyms, salience), ``sentiment`` (VADER).
* ``exemplars`` (frame exemplars and sentence similarity to them), ``dimensions`` (0-1 frame scores from lexicon
  hits and exemplar similarity, the shipped logistic model, the ``frames`` decision), ``devsets`` (the labelled
  development sets and their mapping onto Media Frames dimensions).
* ``vader`` (NLTK's VADER rules for all sentences at once), ``tone`` (sensationalism and its parts).
* ``analyse``: :func:`analyse` runs them all; ``result.table`` is ``framing.csv``, one row per document.
* ``story``: story frames found in the corpus (each family's competing wordings, ``framing_story.csv``).
* ``keyness``: log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008).
* ``lineage`` (which document to compare with which), ``align`` (aligned sentences), ``shift`` (framing shift
  along aligned sentences, and a summary per derivative).
* ``concordance`` (keyword in context) and ``plots`` (charts).

Story frames (the event's own wording, e.g. "exit" against "scaling back") are found in the corpus by
:func:`story_frames`; a hand-written story lexicon stays optional (``story_frames`` parameter of :func:`analyse`;
``data/examples/story_frames_iran_syria.csv`` is the sample's).
Settings live in parameter dataclasses (``FramingParams``, ``AttributionParams``, ``ShiftParams``, ...).
Offsets in match tables are into the field named in ``field`` (``title`` or ``text``) of the documents table.
"""

from .actors import ActorParams, actor_salience, actors, aliases_from_text, demonym_table
from .align import ALIGN_COLUMNS, AlignParams, align_sentences, aligned_pairs
from .analyse import GENERIC_COLUMNS, SCORED_FRAMES, FramingParams, FramingResult, analyse, frame_scores
from .attribution import AttributionParams, attributions
from .concordance import concordance, kwic
from .documents import document_view, plain_tokens, resolve_doc, view_tokens
from .keyness import KeynessParams, keyness, keyness_comparisons, origin_keyness
from .language import LanguageParams, language_check
from .lexicon import (
    MATCH_COLUMNS,
    MFC_FRAMES,
    NEGATORS,
    LexiconError,
    MatchParams,
    load_lexicon,
    match_terms,
    term_key,
)
from .lineage import lineage_pairs
from .names import CALENDAR, NAME_PARTICLES
from .plots import plot_actor_salience, plot_frame_heatmap, plot_keyness, plot_shift_summary, plot_stance
from .sentiment import SentimentParams, sentiment
from .shift import SHIFT_COLUMNS, ShiftParams, framing_shift, shift_summary
from .stance import StanceParams, quotes, stance_markers
from .story import STORY_COLUMNS, StoryParams, story_frames, story_groups, story_lexicon
from .tone import TONE_PARTS, ToneParams, sensationalism, tone_table
from .vader import vader_compound

__all__ = [
    # results and settings
    "FramingResult",
    "FramingParams",
    "LanguageParams",
    "MatchParams",
    "StanceParams",
    "SentimentParams",
    "AttributionParams",
    "ActorParams",
    "KeynessParams",
    "AlignParams",
    "ShiftParams",
    "ToneParams",
    "StoryParams",
    "LexiconError",
    # constants
    "MFC_FRAMES",
    "NEGATORS",
    "CALENDAR",
    "NAME_PARTICLES",
    "MATCH_COLUMNS",
    "ALIGN_COLUMNS",
    "SHIFT_COLUMNS",
    "SCORED_FRAMES",
    "GENERIC_COLUMNS",
    "TONE_PARTS",
    "STORY_COLUMNS",
    # documents and lexicons
    "resolve_doc",
    "document_view",
    "view_tokens",
    "plain_tokens",
    "load_lexicon",
    "term_key",
    "match_terms",
    "language_check",
    # per-document profile
    "analyse",
    "frame_scores",
    "stance_markers",
    "attributions",
    "quotes",
    "sentiment",
    "vader_compound",
    "tone_table",
    "sensationalism",
    "actors",
    "actor_salience",
    "demonym_table",
    "aliases_from_text",
    # comparisons
    "story_groups",
    "story_frames",
    "story_lexicon",
    "keyness",
    "keyness_comparisons",
    "origin_keyness",
    "lineage_pairs",
    "align_sentences",
    "aligned_pairs",
    "framing_shift",
    "shift_summary",
    "kwic",
    "concordance",
    # charts
    "plot_frame_heatmap",
    "plot_stance",
    "plot_keyness",
    "plot_actor_salience",
    "plot_shift_summary",
]
