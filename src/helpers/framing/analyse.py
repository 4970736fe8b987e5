"""All of framing for a documents table at once: frame scores (Media Frames dimensions and generic frames),
tone, stance, attribution, quotes, sentiment and actors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..failures import all_or_culprits, failure_note, failure_table
from ..parallel import in_chunks
from .actors import ActorParams, actor_salience, merge_actors
from .attribution import ATTRIBUTION_COLUMNS, AttributionParams
from .devsets import GENERIC_FRAMES
from .documents import document_view, mark_openers, plain_tokens, to_field_offsets, view_tokens
from .language import LanguageParams
from .lexicon import (
    GENERIC_LEXICON,
    MATCH_COLUMNS,
    MFC_FRAMES,
    STANCE_LEXICON,
    MatchParams,
    as_lexicon,
    load_lexicon,
    optional_lexicon,
)
from .names import name_sets
from .profile import (
    CHUNKS_PER_PROCESS,
    MIN_PARALLEL_DOCS,
    SCORED_FRAMES,
    Documents,
    Profile,
    Settings,
    concat_profiles,
    per_1k_words,
    profile,
)
from .sentiment import SentimentParams, document_sentiment
from .stance import QUOTE_COLUMNS, StanceParams
from .tone import ToneParams

__all__ = [
    "FramingParams",
    "FramingResult",
    "STANCE_TABLE_COLUMNS",
    "SCORED_FRAMES",
    "GENERIC_COLUMNS",
    "analyse",
    "frame_scores",
    "per_1k_words",
]

GENERIC_COLUMNS = [f"generic: {f}" for f in GENERIC_FRAMES]
# The columns of ``FramingResult.table`` after the frame columns.
STANCE_TABLE_COLUMNS = [
    "hedges_per_1k",
    "boosters_per_1k",
    "named_sources",
    "anonymous_sources",
    "quotes",
    "sentiment",
    "sensationalism",
    "n_words",
    "english",
    "note",
]


@dataclass(frozen=True)
class FramingParams:
    """The settings of :func:`analyse`, one parameter dataclass per step (each documents its fields).

    ``exemplars``: how sentences are compared with the frame exemplars (``tfidf``, the default, or ``minilm`` with
    the ``embeddings`` extra: slower, see :mod:`helpers.framing.exemplars`); the frame model fitted for that method
    is used (``helpers/data/framing_calibration.json``)."""

    language: LanguageParams = field(default_factory=LanguageParams)
    matching: MatchParams = field(default_factory=MatchParams)
    stance: StanceParams = field(default_factory=StanceParams)
    sentiment: SentimentParams = field(default_factory=SentimentParams)
    attribution: AttributionParams = field(default_factory=AttributionParams)
    actors: ActorParams = field(default_factory=ActorParams)
    tone: ToneParams = field(default_factory=ToneParams)
    exemplars: str = "tfidf"


@dataclass
class FramingResult:
    """Everything :func:`analyse` computes; ``table`` is ``framing.csv`` (one row per document).

    ``frames``: 0-1 Media Frames scores per document (``frame_names`` columns); ``generic``: generic-frame scores;
    ``rates``: lexicon terms per 1,000 words per frame (MFC and story frames); ``sentences``: one row per sentence
    (``doc_id, sent_id, start, end, text``, view offsets) with its ``sentiment``, ``sensationalism`` and
    MFC frame scores; ``tone``: the parts of the sensationalism score per document. ``failures`` lists documents a
    per-document step could not process (``step, doc_id, error``; also logged and counted in ``notes``)."""

    table: pd.DataFrame
    frames: pd.DataFrame
    generic: pd.DataFrame
    rates: pd.DataFrame
    frame_names: list[str]
    story_frame_names: list[str]
    frame_hits: pd.DataFrame
    stance_hits: pd.DataFrame
    attributions: pd.DataFrame
    quotes: pd.DataFrame
    actors: pd.DataFrame
    salience: pd.DataFrame
    language: pd.DataFrame
    view: pd.DataFrame
    tokens: pd.DataFrame
    sentences: pd.DataFrame
    tone: pd.DataFrame
    lexicon: pd.DataFrame
    story_lexicon: pd.DataFrame
    stance_lexicon: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    failures: pd.DataFrame = field(default_factory=lambda: failure_table([]))

    def describe(self) -> str:
        """One line: documents, frame dimensions and story frames (or that none were given)."""
        story = (
            f"hand-written story frames: {', '.join(self.story_frame_names)}"
            if self.story_frame_names
            else "story frames come from the corpus (framing_story.csv); none hand-written"
        )
        return f"{len(self.table)} documents; {len(self.frame_names)} frame dimensions; {story}."


@dataclass
class _Stance:
    """The stance part of the profile (empty tables when :func:`analyse` runs with ``stance=False``)."""

    hits: pd.DataFrame
    rates: pd.DataFrame
    attributions: pd.DataFrame
    quotes: pd.DataFrame
    actors: pd.DataFrame
    salience: pd.DataFrame


def _rows_per_document(table: pd.DataFrame, index: pd.Index) -> pd.Series | int:
    """Rows of ``table`` per document of ``index`` (0 for a document with none)."""
    return table.groupby("doc_id").size().reindex(index).fillna(0).astype(int) if len(table) else 0


def _stance(prof: Profile, n_words: pd.Series, aliases, p: FramingParams, failures: list) -> _Stance:
    """The stance tables of the whole corpus: actor aliases are merged over all documents' mentions."""
    ids = n_words.index.tolist()

    def run_merge(sub):
        m = prof.mentions if sub is None else prof.mentions[prof.mentions["doc_id"].isin(set(sub))]
        return merge_actors(m, prof.titled, aliases, p.actors)

    mentions = all_or_culprits("actors", run_merge, ids, failures)
    return _Stance(
        hits=prof.stance_hits,
        rates=per_1k_words(prof.stance_hits, n_words, ["hedge", "booster"]),
        attributions=prof.attributions,
        quotes=prof.quotes,
        actors=mentions,
        salience=actor_salience(mentions, n_words),
    )


def _no_stance(n_words: pd.Series) -> _Stance:
    return _Stance(
        hits=pd.DataFrame(columns=MATCH_COLUMNS),
        rates=pd.DataFrame(0.0, index=n_words.index, columns=["hedge", "booster"]),
        attributions=pd.DataFrame(columns=ATTRIBUTION_COLUMNS),
        quotes=pd.DataFrame(columns=QUOTE_COLUMNS),
        actors=pd.DataFrame(),
        salience=pd.DataFrame(),
    )


def _document_table(parts: dict, s: _Stance, n_words: pd.Series, lang: pd.DataFrame) -> pd.DataFrame:
    table = pd.concat([parts["frames"], parts["generic"], parts["story"]], axis=1)
    table["hedges_per_1k"] = s.rates["hedge"]
    table["boosters_per_1k"] = s.rates["booster"]
    by_kind = s.attributions.groupby(["doc_id", "kind"]).size().unstack(fill_value=0) if len(s.attributions) else None
    for kind in ("named", "anonymous"):
        has = by_kind is not None and kind in by_kind
        table[f"{kind}_sources"] = by_kind[kind].reindex(table.index).fillna(0).astype(int) if has else 0
    table["quotes"] = _rows_per_document(s.quotes, table.index)
    table["sentiment"] = parts["sentiment"].reindex(table.index)
    table["sensationalism"] = parts["tone"]["sensationalism"].reindex(table.index)
    table["n_words"] = n_words
    table["english"] = lang.set_index("doc_id")["english"].reindex(table.index).to_numpy()
    table["note"] = lang.set_index("doc_id")["reason"].reindex(table.index).fillna("")
    return table


def _by_document(view: pd.DataFrame, toks: pd.DataFrame, settings: Settings) -> Documents | None:
    """The documents and their tokens as consecutive runs (:class:`~.profile.Documents`), or None when the tokens
    are not grouped by document in the view's order (a token table given by the caller) or ids repeat."""
    ids = view["doc_id"].to_numpy(object)
    if not view["doc_id"].is_unique:
        return None
    position = pd.Series(np.arange(len(ids)), index=ids)
    codes, uniques = pd.factorize(toks["doc_id"].to_numpy(object))
    doc = position.reindex(uniques).to_numpy()[codes] if len(toks) else np.zeros(0, np.int64)
    if np.isnan(doc.astype(float)).any() or (len(doc) > 1 and (np.diff(doc) < 0).any()):
        return None
    bounds = np.searchsorted(doc.astype(np.int64), np.arange(len(ids) + 1))
    return Documents(view, toks, bounds, settings)


def analyse(
    docs: pd.DataFrame,
    lexicon=None,
    story_frames=None,
    stance_lexicon=None,
    aliases: Mapping[str, str] | None = None,
    include_title: bool = True,
    toks: pd.DataFrame | None = None,
    stance: bool = True,
    extend_lexicon=None,
    params: FramingParams | None = None,
    text_tokens: pd.DataFrame | None = None,
) -> FramingResult:
    """Frame, tone, stance, attribution, sentiment and actor profile of every document.

    ``lexicon`` (MFC frames) and ``stance_lexicon`` take a path, dict or DataFrame to replace the shipped data;
    ``extend_lexicon`` (same forms) adds terms or frames to the MFC lexicon instead of replacing it (added frames
    get rates, not scores: the frame model knows the 14 dimensions). ``story_frames``: a hand-written lexicon of
    the story's own frames (path, dict or DataFrame), none by default: story frames are found in the corpus by
    :func:`helpers.framing.story_frames`. ``aliases`` maps actor mentions to a canonical actor. ``toks``: the
    tokens of ``document_view(docs, include_title)`` if already made; ``text_tokens``: the tokens of the documents'
    ``text`` (notebook 01's, :func:`helpers.report.load_tokens`), so that only headlines are tokenised here.
    ``params``: :class:`FramingParams`.

    ``result.table`` has one row per document: ``doc_id``; a 0-1 score per Media Frames dimension and ``frames``
    (the dimensions the document uses); a score per generic frame (``generic: conflict`` ...) and
    ``generic_frames``; hand-written story frames per 1,000 words when given; then :data:`STANCE_TABLE_COLUMNS`.
    Non-English documents are not scored (NaN).
    """
    if docs is None or len(docs) == 0:
        raise ValueError("no documents to analyse (the corpus is empty)")
    p = params or FramingParams()
    view = document_view(docs, include_title)
    if text_tokens is not None:  # as plain strings before reordering (Arrow strings are slow to reorder)
        text_tokens = plain_tokens(text_tokens)
    toks = plain_tokens(view_tokens(view, text_tokens) if toks is None else toks)
    lex = as_lexicon(lexicon)
    if extend_lexicon is not None:
        lex = load_lexicon(lex, extend=extend_lexicon)
    story = optional_lexicon(story_frames)
    frame_names = list(dict.fromkeys([f for f in MFC_FRAMES if lexicon is None] + list(lex["category"])))
    story_names = [s for s in dict.fromkeys(story["category"]) if s not in frame_names]
    slex = as_lexicon(stance_lexicon, default=STANCE_LEXICON)
    marked = mark_openers(toks)  # before the table is cut into documents: a word's opener is the token before it
    known_caps, lower_seen = name_sets(marked)  # of the whole corpus, read by every chunk
    settings = Settings(
        lex, story, as_lexicon(None, default=GENERIC_LEXICON), slex, frame_names, story_names, p, stance,
        known_caps, lower_seen,
    )  # fmt: skip
    by_doc = _by_document(view, marked, settings)
    if by_doc is None:  # one run over the table as given
        parts = [profile(Documents(view, marked, np.array([0, len(marked)]), settings))]
    else:
        weights = np.diff(by_doc.bounds) + 1
        parts = in_chunks(
            profile, by_doc, weights, min_items=MIN_PARALLEL_DOCS, chunks_per_process=CHUNKS_PER_PROCESS, keep=True
        )  # the worker stays for notebook 04's next steps (story frames, shift)
    ids = view["doc_id"]
    prof = concat_profiles(parts, ordered=bool(ids.is_monotonic_increasing))
    index = pd.Index(ids)
    n_words = prof.n_words.reindex(index, fill_value=0)
    hits = pd.concat([prof.frame_hits, prof.story_hits], ignore_index=True)
    hits["negated"] = hits["negated"].astype(bool)
    frames, generic, rates = prof.frames, prof.generic, prof.rates
    modelled = [f for f in SCORED_FRAMES if f in frame_names]
    if "Other" in frame_names:
        frames["Other"] = 1 - frames[modelled].max(axis=1) if modelled else 1.0
    for extra in (f for f in frame_names if f not in frames):  # frames added by the user: rates only
        frames[extra] = rates[extra]
    frames = frames[[*frame_names, "frames"]]
    generic = generic.rename(columns=dict(zip(GENERIC_FRAMES, GENERIC_COLUMNS))).rename(
        columns={"frames": "generic_frames"}
    )
    failures = list(prof.failures)
    sentences = prof.sentences
    s = _stance(prof, n_words, aliases, p, failures) if stance else _no_stance(n_words)
    parts = {
        "frames": frames,
        "generic": generic,
        "story": rates[story_names],
        "sentiment": document_sentiment(sentences, sentences["sentiment"]),
        "tone": prof.tone,
    }
    lang = prof.language
    table = _document_table(parts, s, n_words, lang)
    notes = [failure_note(failures)] if failures else []
    not_en = ~table["english"].to_numpy(bool)
    if not_en.any():
        numeric = [*frame_names, *GENERIC_COLUMNS, *story_names, "hedges_per_1k", "boosters_per_1k"]
        table.loc[not_en, [*numeric, "sentiment", "sensationalism"]] = np.nan
        table.loc[not_en, ["frames", "generic_frames"]] = ""
        for t in (frames, generic, rates):
            t.loc[not_en, t.select_dtypes("number").columns] = np.nan
        notes.append(
            f"{int(not_en.sum())} document(s) flagged as not English and not scored: "
            + ", ".join(table.index[not_en][:10])
        )
    table = table.reset_index().rename(columns={"index": "doc_id"})
    table.columns = ["doc_id"] + list(table.columns[1:])
    for df in (hits, s.hits):
        if len(df):
            to_field_offsets(df, view)
    return FramingResult(
        table=table,
        frames=frames,
        generic=generic,
        rates=rates,
        frame_names=frame_names,
        story_frame_names=story_names,
        frame_hits=hits,
        stance_hits=s.hits,
        attributions=s.attributions,
        quotes=s.quotes,
        actors=s.actors,
        salience=s.salience,
        language=lang,
        view=view,
        tokens=toks,
        sentences=sentences,
        tone=prof.tone.reset_index().rename(columns={"index": "doc_id"}),
        lexicon=lex,
        story_lexicon=story,
        stance_lexicon=slex,
        notes=notes,
        failures=failure_table(failures),
    )


def frame_scores(
    docs: pd.DataFrame, lexicon=None, story_frames=None, include_title: bool = True, toks: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Frame scores (0-1, one row per document, one column per frame, and ``frames``) and the lexicon hits table.

    ``lexicon``: MFC lexicon (default shipped; path/dict/DataFrame replaces it). ``story_frames``: story-specific
    frames (none by default). Non-English documents get NaN."""
    res = analyse(
        docs, lexicon=lexicon, story_frames=story_frames, include_title=include_title, toks=toks, stance=False
    )
    return res.frames, res.frame_hits
