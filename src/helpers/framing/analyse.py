"""All of framing for a documents table at once: frame scores (Media Frames dimensions and generic frames),
tone, stance, attribution, quotes, sentiment and actors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..failures import all_or_culprits, failure_note, failure_table
from .actors import ActorParams, actor_salience, actors
from .attribution import ATTRIBUTION_COLUMNS, AttributionParams, attributions
from .devsets import GENERIC_FRAMES
from .dimensions import (
    decide_frames,
    frame_evidence,
    frame_features,
    frame_model,
    frame_probabilities,
    frame_use,
)
from .documents import document_view, plain_tokens, sentence_table, to_field_offsets, view_tokens, word_tokens
from .exemplars import content_rows
from .language import LanguageParams, language_check
from .lexicon import (
    GENERIC_LEXICON,
    MATCH_COLUMNS,
    MFC_FRAMES,
    STANCE_LEXICON,
    MatchParams,
    as_lexicon,
    form_codes,
    honorifics,
    load_lexicon,
    match_terms,
    optional_lexicon,
)
from .names import WordArrays
from .sentiment import SentimentParams, document_sentiment, sentence_sentiment
from .stance import QUOTE_COLUMNS, StanceParams, quotes, stance_markers
from .tone import ToneParams, sensationalism, tone_table

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

SCORED_FRAMES = [f for f in MFC_FRAMES if f != "Other"]  # "Other" is 1 - the highest of these
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


def per_1k_words(hits: pd.DataFrame, n_words: pd.Series, categories: list[str]) -> pd.DataFrame:
    """Hits per 1,000 words: one row per document of ``n_words`` (its index), one column per category."""
    counts = (
        hits.groupby(["doc_id", "category"]).size().unstack(fill_value=0)
        if len(hits)
        else pd.DataFrame(index=pd.Index([], name="doc_id"))
    )
    counts = counts.reindex(index=n_words.index, columns=categories, fill_value=0)
    return counts.div(n_words.replace(0, np.nan), axis=0).mul(1000).fillna(0.0)


def _rows_per_document(table: pd.DataFrame, index: pd.Index) -> pd.Series | int:
    """Rows of ``table`` per document of ``index`` (0 for a document with none)."""
    return table.groupby("doc_id").size().reindex(index).fillna(0).astype(int) if len(table) else 0


def _scheme_scores(toks, hits, frames, scheme, method, texts, index, content) -> tuple[pd.DataFrame, pd.DataFrame]:
    """0-1 scores of ``frames`` per document (rows ``index``) and per sentence (``doc_id, sent_id`` + frames)."""
    if not frames:  # a replaced lexicon without any modelled frame: nothing to score
        return pd.DataFrame({"frames": ""}, index=index), pd.DataFrame(columns=["doc_id", "sent_id"])
    model = frame_model(scheme, method)
    counts, words, sims, vocab = frame_evidence(toks, hits, frames, scheme, method, texts, content=content)
    docs = pd.factorize(sims["doc_id"])[1]
    doc_features = frame_features(counts, words, sims, frames, vocab=vocab)
    by_doc = frame_probabilities(doc_features, model, frames)
    by_sent = frame_probabilities(
        frame_features(counts, words, sims, frames, by="sentence", vocab=vocab), model, frames
    )
    decided = pd.Series(decide_frames(by_doc, frames, frame_use(by_doc, doc_features, model)), index=docs)
    doc_scores = pd.DataFrame(by_doc, index=docs, columns=frames).reindex(index).fillna(0.0)
    doc_scores["frames"] = decided.reindex(index).fillna("")
    sent_scores = pd.concat([sims[["doc_id", "sent_id"]], pd.DataFrame(by_sent, columns=frames)], axis=1)
    return doc_scores, sent_scores


@dataclass
class _Stance:
    """The stance part of the profile (empty tables when :func:`analyse` runs with ``stance=False``)."""

    hits: pd.DataFrame
    rates: pd.DataFrame
    attributions: pd.DataFrame
    quotes: pd.DataFrame
    actors: pd.DataFrame
    salience: pd.DataFrame


def _subset(view: pd.DataFrame, toks: pd.DataFrame, ids: list[str] | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    if ids is None:
        return view, toks
    keep = set(ids)
    return view[view["doc_id"].isin(keep)], toks[toks["doc_id"].isin(keep)]


def _stance(view, toks, texts, slex, n_words, aliases, p: FramingParams, failures: list, codes=None) -> _Stance:
    hits = stance_markers(toks, slex, texts, codes=codes)
    titles = honorifics(slex)
    ids = view["doc_id"].tolist()

    arrays = WordArrays(toks)  # read once by both steps below

    def run_actors(sub):
        v, t = _subset(view, toks, sub)
        return actors(v, t, aliases, titles, p.actors, arrays=arrays if sub is None else None)

    def run_attributions(sub):
        v, t = _subset(view, toks, sub)
        found = hits if sub is None else hits[hits["doc_id"].isin(set(sub))]
        return attributions(v, t, found, titles, params=p.attribution, arrays=arrays if sub is None else None)

    mentions = all_or_culprits("actors", run_actors, ids, failures)
    return _Stance(
        hits=hits,
        rates=per_1k_words(hits, n_words, ["hedge", "booster"]),
        attributions=all_or_culprits("attribution", run_attributions, ids, failures),
        quotes=quotes(view, p.stance),
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


def _headline_sentences(view: pd.DataFrame, toks: pd.DataFrame) -> pd.MultiIndex:
    """The sentences that are a document's headline: those inside the title, or the first when it has none."""
    first = toks.groupby("doc_id", sort=False)["sent_id"].min()
    title_len = view.set_index("doc_id")["title_len"]
    in_title = toks[toks["start"].to_numpy() < title_len.reindex(toks["doc_id"]).to_numpy()]
    keys = set(zip(in_title["doc_id"], in_title["sent_id"]))
    keys |= {(d, s) for d, s in first.items() if title_len.get(d, 0) == 0}
    return pd.MultiIndex.from_tuples(sorted(keys), names=["doc_id", "sent_id"])


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
    words = word_tokens(toks)  # once: every step below reads the word tokens
    content = content_rows(words)
    codes = form_codes(words)
    texts = dict(zip(view["doc_id"], view["text"]))
    lang = language_check(view, p.language)
    lex = as_lexicon(lexicon)
    if extend_lexicon is not None:
        lex = load_lexicon(lex, extend=extend_lexicon)
    story = optional_lexicon(story_frames)
    generic_lex = as_lexicon(None, default=GENERIC_LEXICON)
    frame_names = list(dict.fromkeys([f for f in MFC_FRAMES if lexicon is None] + list(lex["category"])))
    story_names = [s for s in dict.fromkeys(story["category"]) if s not in frame_names]
    index = pd.Index(view["doc_id"])
    n_words = words.groupby("doc_id").size().reindex(index, fill_value=0)
    hits = pd.concat(
        [
            match_terms(words, lex, texts, params=p.matching, codes=codes).assign(lexicon="frames"),
            match_terms(words, story, texts, params=p.matching, codes=codes).assign(lexicon="story"),
        ],
        ignore_index=True,
    )
    hits["negated"] = hits["negated"].astype(bool)
    scored = hits[~hits["negated"].to_numpy()] if len(hits) else hits
    rates = pd.concat(
        [
            per_1k_words(scored[scored["lexicon"] == "frames"], n_words, frame_names),
            per_1k_words(scored[scored["lexicon"] == "story"], n_words, story_names),
        ],
        axis=1,
    )
    modelled = [f for f in SCORED_FRAMES if f in frame_names]
    frames, sentence_frames = _scheme_scores(
        words, hits[hits["lexicon"] == "frames"], modelled, "mfc", p.exemplars, texts, index, content
    )
    if "Other" in frame_names:
        frames["Other"] = 1 - frames[modelled].max(axis=1) if modelled else 1.0
    for extra in (f for f in frame_names if f not in frames):  # frames added by the user: rates only
        frames[extra] = rates[extra]
    frames = frames[[*frame_names, "frames"]]
    generic_hits = match_terms(words, generic_lex, texts, params=p.matching, codes=codes)
    generic, _ = _scheme_scores(words, generic_hits, GENERIC_FRAMES, "generic", p.exemplars, texts, index, content)
    generic = generic.rename(columns=dict(zip(GENERIC_FRAMES, GENERIC_COLUMNS))).rename(
        columns={"frames": "generic_frames"}
    )
    sentences = sentence_table(view, toks)
    failures: list = []
    ids = view["doc_id"].tolist()

    def run_sentiment(sub):
        rows = sentences if sub is None else sentences[sentences["doc_id"].isin(set(sub))]
        return rows.assign(sentiment=sentence_sentiment(rows, p.sentiment).to_numpy())

    def run_tone(sub):
        v, t = _subset(view, toks, sub)
        whole = sub is None  # the word tokens and their codes made above serve the whole table only
        return tone_table(
            t,
            texts,
            _headline_sentences(v, t),
            params=p.tone,
            codes=codes if whole else None,
            words=words if whole else None,
        )

    sentences = all_or_culprits("sentiment", run_sentiment, ids, failures)
    tone_parts = all_or_culprits("tone", run_tone, ids, failures)
    doc_tone = sensationalism(tone_parts, params=p.tone).set_index("doc_id").reindex(index)
    sent_tone = sensationalism(tone_parts, by="sentence", params=p.tone)
    sentences = sentences.merge(
        sent_tone[["doc_id", "sent_id", "sensationalism"]], on=["doc_id", "sent_id"], how="left"
    )
    sentences = sentences.merge(sentence_frames, on=["doc_id", "sent_id"], how="left")
    slex = as_lexicon(stance_lexicon, default=STANCE_LEXICON)
    s = _stance(view, words, texts, slex, n_words, aliases, p, failures, codes) if stance else _no_stance(n_words)
    parts = {
        "frames": frames,
        "generic": generic,
        "story": rates[story_names],
        "sentiment": document_sentiment(sentences, sentences["sentiment"]),
        "tone": doc_tone,
    }
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
        tone=doc_tone.reset_index().rename(columns={"index": "doc_id"}),
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
