"""The per-document part of :func:`helpers.framing.analyse`: everything that reads one document at a time (frame
evidence and scores, sentiment, tone, stance, attributions, quotes, actor mentions), for a run of consecutive
documents, so that :func:`helpers.parallel.in_chunks` can spread the documents over the machine's cores.

What a document's profile reads of the corpus is computed once over all documents and handed to every chunk
(:class:`Settings`: the lexicons, and which words the corpus shows capitalised mid-sentence or in lower case, which
tell names from sentence starters), so a chunk's rows are the rows the whole table gives for its documents.
:func:`concat_profiles` joins the chunks' rows in the order the one-process run gives them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..failures import all_or_culprits
from .actors import actor_mentions
from .attribution import ATTRIBUTION_COLUMNS, attributions
from .devsets import GENERIC_FRAMES
from .dimensions import scheme_scores
from .documents import sentence_table, word_tokens
from .exemplars import content_rows
from .language import language_check
from .lexicon import MATCH_COLUMNS, MFC_FRAMES, form_codes, honorifics, match_terms
from .names import WordArrays
from .sentiment import sentence_sentiment
from .stance import QUOTE_COLUMNS, quotes, stance_markers
from .tone import sensationalism, tone_table

__all__ = [
    "SCORED_FRAMES",
    "MIN_PARALLEL_DOCS",
    "CHUNKS_PER_PROCESS",
    "Settings",
    "Documents",
    "Profile",
    "profile",
    "concat_profiles",
    "per_1k_words",
]

SCORED_FRAMES = [f for f in MFC_FRAMES if f != "Other"]  # "Other" is 1 - the highest of these

MIN_PARALLEL_DOCS = 2000  # below this, a worker's start (about 2.5 CPU s of imports) costs more than it saves
CHUNKS_PER_PROCESS = 4  # each chunk costs about 0.2 CPU s of its own (lexicon indexes, models): few, but enough to
# even out a worker's start
STEPS = ("sentiment", "tone", "actors", "attribution")  # the guarded steps, in the order they run


@dataclass(frozen=True)
class Settings:
    """What every chunk reads besides its documents: the lexicons, the frame names, the parameters
    (:class:`~helpers.framing.analyse.FramingParams`), whether stance is read, and the corpus's ``known_caps`` and
    ``lower_seen`` word sets (:func:`~helpers.framing.names.name_sets`: names, and emphasis in capitals)."""

    lexicon: pd.DataFrame
    story: pd.DataFrame
    generic: pd.DataFrame
    stance_lexicon: pd.DataFrame
    frame_names: list
    story_names: list
    params: object
    stance: bool
    known_caps: frozenset = frozenset()
    lower_seen: frozenset = frozenset()


@dataclass
class Documents:
    """Consecutive documents of a view (:func:`~helpers.framing.documents.document_view`) and their tokens (with
    ``after_opener`` marked), sliceable by document: ``docs[a:b]`` is documents ``a`` to ``b`` with their tokens.
    ``bounds[i]``: the first token row of document ``i`` (the tokens are grouped by document in view order)."""

    view: pd.DataFrame
    toks: pd.DataFrame
    bounds: np.ndarray
    settings: Settings

    def __len__(self) -> int:
        return len(self.view)

    def __getitem__(self, part: slice) -> Documents:
        a, b, _ = part.indices(len(self))
        lo, hi = int(self.bounds[a]), int(self.bounds[b])
        return Documents(
            self.view.iloc[a:b].reset_index(drop=True),
            self.toks.iloc[lo:hi].reset_index(drop=True),
            self.bounds[a : b + 1] - lo,
            self.settings,
        )


@dataclass
class Profile:
    """The per-document rows of some documents (see :func:`profile`)."""

    frame_hits: pd.DataFrame
    story_hits: pd.DataFrame
    frames: pd.DataFrame
    generic: pd.DataFrame
    rates: pd.DataFrame
    language: pd.DataFrame
    sentences: pd.DataFrame
    tone: pd.DataFrame
    n_words: pd.Series
    stance_hits: pd.DataFrame
    attributions: pd.DataFrame
    quotes: pd.DataFrame
    mentions: pd.DataFrame
    titled: set = field(default_factory=set)
    failures: list = field(default_factory=list)


def _subset(view: pd.DataFrame, toks: pd.DataFrame, ids: list[str] | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    if ids is None:
        return view, toks
    keep = set(ids)
    return view[view["doc_id"].isin(keep)], toks[toks["doc_id"].isin(keep)]


def _headline_sentences(view: pd.DataFrame, toks: pd.DataFrame) -> pd.MultiIndex:
    """The sentences that are a document's headline: those inside the title, or the first when it has none."""
    first = toks.groupby("doc_id", sort=False)["sent_id"].min()
    title_len = view.set_index("doc_id")["title_len"]
    in_title = toks[toks["start"].to_numpy() < title_len.reindex(toks["doc_id"]).to_numpy()]
    keys = set(zip(in_title["doc_id"], in_title["sent_id"]))
    keys |= {(d, s) for d, s in first.items() if title_len.get(d, 0) == 0}
    return pd.MultiIndex.from_tuples(sorted(keys), names=["doc_id", "sent_id"])


def per_1k_words(hits: pd.DataFrame, n_words: pd.Series, categories: list[str]) -> pd.DataFrame:
    """Hits per 1,000 words: one row per document of ``n_words`` (its index), one column per category."""
    counts = (
        hits.groupby(["doc_id", "category"]).size().unstack(fill_value=0)
        if len(hits)
        else pd.DataFrame(index=pd.Index([], name="doc_id"))
    )
    counts = counts.reindex(index=n_words.index, columns=categories, fill_value=0)
    return counts.div(n_words.replace(0, np.nan), axis=0).mul(1000).fillna(0.0)


def profile(docs: Documents) -> Profile:
    """The per-document rows of ``docs``: lexicon hits, frame scores (Media Frames and generic), rates, the language
    check, sentences
    with sentiment, tone and frame scores, the tone parts per document, stance hits, attributions, quotes and
    actor mentions (before aliases are merged, which reads the whole corpus). A step that fails on some documents
    lists them in ``failures`` (``step, doc_id, error``) and goes on without them."""
    s, view, toks = docs.settings, docs.view, docs.toks
    p = s.params
    words = word_tokens(toks)  # once: every step below reads the word tokens
    content = content_rows(words)
    codes = form_codes(words)
    texts = dict(zip(view["doc_id"], view["text"]))
    index = pd.Index(view["doc_id"])
    n_words = words.groupby("doc_id").size().reindex(index, fill_value=0)
    frame_hits = match_terms(words, s.lexicon, texts, params=p.matching, codes=codes).assign(lexicon="frames")
    story_hits = match_terms(words, s.story, texts, params=p.matching, codes=codes).assign(lexicon="story")
    for hits in (frame_hits, story_hits):
        hits["negated"] = hits["negated"].astype(bool)
    rates = pd.concat(
        [
            per_1k_words(frame_hits[~frame_hits["negated"].to_numpy()], n_words, s.frame_names),
            per_1k_words(story_hits[~story_hits["negated"].to_numpy()], n_words, s.story_names),
        ],
        axis=1,
    )
    modelled = [f for f in SCORED_FRAMES if f in s.frame_names]
    frames, sentence_frames = scheme_scores(words, frame_hits, modelled, "mfc", p.exemplars, texts, index, content)
    generic_hits = match_terms(words, s.generic, texts, params=p.matching, codes=codes)
    generic, _ = scheme_scores(words, generic_hits, GENERIC_FRAMES, "generic", p.exemplars, texts, index, content)
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
            t, texts, _headline_sentences(v, t), params=p.tone, codes=codes if whole else None,
            words=words if whole else None, lower_seen=s.lower_seen,
        )  # fmt: skip

    sentences = all_or_culprits("sentiment", run_sentiment, ids, failures)
    tone_parts = all_or_culprits("tone", run_tone, ids, failures)
    doc_tone = sensationalism(tone_parts, params=p.tone).set_index("doc_id").reindex(index)
    sent_tone = sensationalism(tone_parts, by="sentence", params=p.tone)
    sentences = sentences.merge(
        sent_tone[["doc_id", "sent_id", "sensationalism"]], on=["doc_id", "sent_id"], how="left"
    )
    sentences = sentences.merge(sentence_frames, on=["doc_id", "sent_id"], how="left")
    out = Profile(
        frame_hits=frame_hits,
        story_hits=story_hits,
        frames=frames,
        generic=generic,
        rates=rates,
        language=language_check(view, p.language),
        sentences=sentences,
        tone=doc_tone,
        n_words=n_words,
        stance_hits=pd.DataFrame(columns=MATCH_COLUMNS),
        attributions=pd.DataFrame(columns=ATTRIBUTION_COLUMNS),
        quotes=pd.DataFrame(columns=QUOTE_COLUMNS),
        mentions=pd.DataFrame(),
        failures=failures,
    )
    if s.stance:
        _stance(out, view, words, texts, codes, s, ids, failures)
    return out


def _stance(out: Profile, view, words, texts, codes, s: Settings, ids: list, failures: list) -> None:
    """Stance hits, attributions, quotes and actor mentions into ``out``; the corpus's name sets decide what is a
    name."""
    p = s.params
    hits = stance_markers(words, s.stance_lexicon, texts, codes=codes)
    titles = honorifics(s.stance_lexicon)
    arrays = WordArrays(words, known_caps=s.known_caps, lower_seen=s.lower_seen)  # read by both steps below

    def arrays_of(sub, t):  # a subset (after a failure) reads the same corpus name sets
        return arrays if sub is None else WordArrays(t, known_caps=s.known_caps, lower_seen=s.lower_seen)

    def run_actors(sub):
        v, t = _subset(view, words, sub)
        return actor_mentions(v, t, titles, p.actors, arrays=arrays_of(sub, t))

    def run_attributions(sub):
        v, t = _subset(view, words, sub)
        found = hits if sub is None else hits[hits["doc_id"].isin(set(sub))]
        return attributions(v, t, found, titles, params=p.attribution, arrays=arrays_of(sub, t))

    out.mentions, out.titled = all_or_culprits("actors", run_actors, ids, failures)
    out.stance_hits = hits
    out.attributions = all_or_culprits("attribution", run_attributions, ids, failures)
    out.quotes = quotes(view, p.stance)


def _joined(tables: list[pd.DataFrame], sort: list[str] | None, ordered: bool) -> pd.DataFrame:
    """The chunks' rows of one table, one after the other; sorted by ``sort`` (stable) as the one-process table is,
    unless the documents are ``ordered`` by id already (then the chunks are in that order too)."""
    nonempty = [t for t in tables if len(t)]
    out = pd.concat(nonempty, ignore_index=True) if nonempty else tables[0]
    if sort and not ordered and len(out):
        out = out.sort_values(sort, kind="stable").reset_index(drop=True)
    return out


def concat_profiles(parts: list[Profile], ordered: bool) -> Profile:
    """One :class:`Profile` of consecutive chunks' profiles, row for row what one :func:`profile` of all their
    documents gives. ``ordered``: the documents' ids are in ascending order."""
    if len(parts) == 1:
        return parts[0]
    rank = {step: i for i, step in enumerate(STEPS)}
    failures = sorted((f for part in parts for f in part.failures), key=lambda f: rank.get(f[0], len(rank)))
    return Profile(
        frame_hits=_joined([x.frame_hits for x in parts], ["doc_id", "start", "category"], ordered),
        story_hits=_joined([x.story_hits for x in parts], ["doc_id", "start", "category"], ordered),
        frames=pd.concat([x.frames for x in parts]),
        generic=pd.concat([x.generic for x in parts]),
        rates=pd.concat([x.rates for x in parts]),
        language=_joined([x.language for x in parts], None, ordered),
        sentences=_joined([x.sentences for x in parts], None, ordered),
        tone=pd.concat([x.tone for x in parts]),
        n_words=pd.concat([x.n_words for x in parts]),
        stance_hits=_joined([x.stance_hits for x in parts], ["doc_id", "start", "category"], ordered),
        attributions=_joined([x.attributions for x in parts], ["doc_id", "start"], ordered),
        quotes=_joined([x.quotes for x in parts], None, ordered),
        mentions=_joined([x.mentions for x in parts], None, ordered),
        titled=set().union(*(x.titled for x in parts)),
        failures=failures,
    )
