"""All of framing for a documents table at once: frame rates, stance, attribution, quotes, sentiment, actors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..failures import each_document, failure_note, failure_table
from .actors import ActorParams, actor_salience, actors
from .attribution import ATTRIBUTION_COLUMNS, AttributionParams, attributions
from .documents import document_view, to_field_offsets, view_tokens, word_tokens
from .language import LanguageParams, language_check
from .lexicon import (
    MATCH_COLUMNS,
    MFC_FRAMES,
    STANCE_LEXICON,
    MatchParams,
    as_lexicon,
    honorifics,
    load_lexicon,
    match_terms,
    optional_lexicon,
)
from .sentiment import SentimentParams, sentiment_of, vader
from .stance import QUOTE_COLUMNS, StanceParams, quotes, stance_markers

__all__ = ["FramingParams", "FramingResult", "STANCE_TABLE_COLUMNS", "analyse", "frame_scores", "per_1k_words"]

# The columns of ``FramingResult.table`` after the frame columns.
STANCE_TABLE_COLUMNS = [
    "hedges_per_1k",
    "boosters_per_1k",
    "named_sources",
    "anonymous_sources",
    "quotes",
    "sentiment",
    "n_words",
    "english",
    "note",
]


@dataclass(frozen=True)
class FramingParams:
    """The settings of :func:`analyse`, one parameter dataclass per step (each documents its fields)."""

    language: LanguageParams = field(default_factory=LanguageParams)
    matching: MatchParams = field(default_factory=MatchParams)
    stance: StanceParams = field(default_factory=StanceParams)
    sentiment: SentimentParams = field(default_factory=SentimentParams)
    attribution: AttributionParams = field(default_factory=AttributionParams)
    actors: ActorParams = field(default_factory=ActorParams)


@dataclass
class FramingResult:
    """Everything :func:`analyse` computes; ``table`` is ``framing.csv`` (one row per document).

    ``failures`` lists documents a per-document step could not process (``step, doc_id, error``; also logged and
    counted in ``notes``)."""

    table: pd.DataFrame
    frames: pd.DataFrame
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
    lexicon: pd.DataFrame
    story_lexicon: pd.DataFrame
    stance_lexicon: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    failures: pd.DataFrame = field(default_factory=lambda: failure_table([]))

    def describe(self) -> str:
        """One line: documents, frame dimensions and story frames (or that none were given)."""
        story = (
            f"story frames: {', '.join(self.story_frame_names)}"
            if self.story_frame_names
            else "no story frames (give the story's own frame words with the story_frames parameter)"
        )
        return f"{len(self.table)} documents; {len(self.frame_names)} frame dimensions; {story}."


@dataclass
class _Stance:
    """The stance part of the profile (empty tables when :func:`analyse` runs with ``stance=False``)."""

    hits: pd.DataFrame
    rates: pd.DataFrame
    attributions: pd.DataFrame
    quotes: pd.DataFrame
    sentiment: dict
    actors: pd.DataFrame
    salience: pd.DataFrame


def per_1k_words(hits: pd.DataFrame, n_words: pd.Series, categories: list[str]) -> pd.DataFrame:
    """Hits per 1,000 words: one row per document of ``n_words`` (its index), one column per category."""
    counts = (
        hits.groupby(["doc_id", "category"]).size().unstack(fill_value=0)
        if len(hits)
        else pd.DataFrame(index=pd.Index([], name="doc_id"))
    )
    counts = counts.reindex(index=n_words.index, columns=categories, fill_value=0)
    return counts.div(n_words.replace(0, np.nan), axis=0).mul(1000).fillna(0.0)


def _stance(view, toks, texts, slex, n_words, aliases, p: FramingParams, failures: list) -> _Stance:
    hits = stance_markers(toks, slex, texts)
    titles = honorifics(slex)
    mentions = actors(view, toks, aliases, titles, p.actors)
    vader()  # a missing VADER lexicon is the installation's fault, not a document's: it raises here
    scores = dict(
        each_document(
            "sentiment", zip(view["doc_id"], view["text"]), lambda text: sentiment_of(text, p.sentiment), failures
        )
    )
    return _Stance(
        hits=hits,
        rates=per_1k_words(hits, n_words, ["hedge", "booster"]),
        attributions=attributions(view, toks, hits, titles, params=p.attribution),
        quotes=quotes(view, p.stance),
        sentiment=scores,
        actors=mentions,
        salience=actor_salience(mentions, n_words),
    )


def _no_stance(n_words: pd.Series) -> _Stance:
    return _Stance(
        hits=pd.DataFrame(columns=MATCH_COLUMNS),
        rates=pd.DataFrame(0.0, index=n_words.index, columns=["hedge", "booster"]),
        attributions=pd.DataFrame(columns=ATTRIBUTION_COLUMNS),
        quotes=pd.DataFrame(columns=QUOTE_COLUMNS),
        sentiment={},
        actors=pd.DataFrame(),
        salience=pd.DataFrame(),
    )


def _rows_per_document(table: pd.DataFrame, index: pd.Index) -> pd.Series | int:
    """Rows of ``table`` per document of ``index`` (0 for a document with none)."""
    return table.groupby("doc_id").size().reindex(index).fillna(0).astype(int) if len(table) else 0


def _document_table(frames: pd.DataFrame, s: _Stance, n_words: pd.Series, lang: pd.DataFrame) -> pd.DataFrame:
    table = frames.copy()
    table["hedges_per_1k"] = s.rates["hedge"]
    table["boosters_per_1k"] = s.rates["booster"]
    by_kind = s.attributions.groupby(["doc_id", "kind"]).size().unstack(fill_value=0) if len(s.attributions) else None
    for kind in ("named", "anonymous"):
        has = by_kind is not None and kind in by_kind
        table[f"{kind}_sources"] = by_kind[kind].reindex(table.index).fillna(0).astype(int) if has else 0
    table["quotes"] = _rows_per_document(s.quotes, table.index)
    table["sentiment"] = pd.Series(s.sentiment, dtype=float).reindex(table.index)
    table["n_words"] = n_words
    table["english"] = lang.set_index("doc_id")["english"].reindex(table.index).to_numpy()
    table["note"] = lang.set_index("doc_id")["reason"].reindex(table.index).fillna("")
    return table


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
) -> FramingResult:
    """Frame, stance, attribution, sentiment and actor profile of every document.

    ``lexicon`` (MFC frames) and ``stance_lexicon`` take a path, dict or DataFrame to replace the shipped data;
    ``extend_lexicon`` (same forms) adds terms or frames to the MFC lexicon instead of replacing it.
    ``story_frames``: story-specific frames (path, dict or DataFrame), none by default (``data/examples/`` has the
    sample story's). ``aliases`` maps actor mentions to a canonical actor. ``toks`` may be passed if already
    computed on ``document_view(docs, include_title)``. ``params``: :class:`FramingParams`.
    ``result.table`` has one row per document: ``doc_id``, one column per frame (MFC then story frames), then
    :data:`STANCE_TABLE_COLUMNS`. Non-English documents are not scored (NaN rates).
    """
    if docs is None or len(docs) == 0:
        raise ValueError("no documents to analyse (the corpus is empty)")
    p = params or FramingParams()
    view = document_view(docs, include_title)
    toks = view_tokens(view) if toks is None else toks
    texts = dict(zip(view["doc_id"], view["text"]))
    lang = language_check(view, p.language)
    lex = as_lexicon(lexicon)
    if extend_lexicon is not None:
        lex = load_lexicon(lex, extend=extend_lexicon)
    story = optional_lexicon(story_frames)
    frame_names = list(dict.fromkeys([f for f in MFC_FRAMES if lexicon is None] + list(lex["category"])))
    story_names = [s for s in dict.fromkeys(story["category"]) if s not in frame_names]
    n_words = word_tokens(toks).groupby("doc_id").size().reindex(view["doc_id"], fill_value=0)
    hits = pd.concat(
        [
            match_terms(toks, lex, texts, params=p.matching).assign(lexicon="frames"),
            match_terms(toks, story, texts, params=p.matching).assign(lexicon="story"),
        ],
        ignore_index=True,
    )
    hits["negated"] = hits["negated"].astype(bool)
    scored = hits[~hits["negated"].to_numpy()] if len(hits) else hits
    frames = pd.concat(
        [
            per_1k_words(scored[scored["lexicon"] == "frames"], n_words, frame_names),
            per_1k_words(scored[scored["lexicon"] == "story"], n_words, story_names),
        ],
        axis=1,
    )
    slex = as_lexicon(stance_lexicon, default=STANCE_LEXICON)
    failures: list = []
    s = _stance(view, toks, texts, slex, n_words, aliases, p, failures) if stance else _no_stance(n_words)
    table = _document_table(frames, s, n_words, lang)
    notes = [failure_note(failures)] if failures else []
    not_en = ~table["english"].to_numpy(bool)
    if not_en.any():
        table.loc[not_en, frame_names + story_names + ["hedges_per_1k", "boosters_per_1k", "sentiment"]] = np.nan
        frames.loc[not_en, :] = np.nan
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
        lexicon=lex,
        story_lexicon=story,
        stance_lexicon=slex,
        notes=notes,
        failures=failure_table(failures),
    )


def frame_scores(
    docs: pd.DataFrame, lexicon=None, story_frames=None, include_title: bool = True, toks: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Frame rates per 1,000 word tokens (one row per document, one column per frame) and the hits table.

    ``lexicon``: MFC lexicon (default shipped; path/dict/DataFrame replaces it). ``story_frames``: story-specific
    frames (none by default). Non-English documents get NaN."""
    res = analyse(
        docs, lexicon=lexicon, story_frames=story_frames, include_title=include_title, toks=toks, stance=False
    )
    return res.frames, res.frame_hits
