"""Framing shift: along the aligned sentences of each derivative and its parent, the change in frame scores
(Media Frames dimensions), tone (sensationalism) and sentiment, the story wording swapped, the hedges added or
removed and the attribution dropped; and a summary per derivative."""

from __future__ import annotations

import difflib
import warnings
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache, partial

import numpy as np
import pandas as pd

from ..failures import all_or_culprits, each_document, failure_note
from ..parallel import in_chunks
from ..text import normalise
from ..tokenise import tokens
from .align import AlignParams, aligned_pairs, families_matcher
from .analyse import FramingResult
from .attribution import AttributionParams, attributions
from .documents import doc_resolver, plain_tokens, word_tokens
from .lexicon import (
    STANCE_LEXICON,
    MatchParams,
    as_lexicon,
    honorifics,
    match_terms,
    optional_lexicon,
    term_key,
)
from .lineage import lineage_pairs
from .names import name_sets

__all__ = ["ShiftParams", "SHIFT_COLUMNS", "SUMMARY_COLUMNS", "framing_shift", "shift_summary"]

SHIFT_COLUMNS = [
    "child",
    "parent",
    "a_sent_id",
    "b_sent_id",
    "score",
    "kind",
    "a_text",
    "b_text",
    "frame_terms_removed",
    "frame_terms_added",
    "swapped",
    "cross_frame",
    "substitutions",
    "hedges_a",
    "hedges_b",
    "hedge_change",
    "hedges_added",
    "hedges_removed",
    "hedge_words_a",
    "hedge_words_b",
    "boosters_a",
    "boosters_b",
    "boosters_change",
    "attribution_a",
    "attribution_b",
    "attribution_change",
    "frames_a",
    "frames_b",
    "frame_change",
    "sensationalism_a",
    "sensationalism_b",
    "sensationalism_change",
    "sentiment_a",
    "sentiment_b",
]
SUMMARY_COLUMNS = [
    "child",
    "parent",
    "pairs",
    "net_hedging",
    "hedges_added",
    "hedges_removed",
    "net_boosters",
    "attribution_dropped",
    "named_to_anonymous",
    "frame_swaps",
    "cross_frame_swaps",
    "swapped_terms",
    "frames_gained",
    "frames_lost",
    "sensationalism_change",
]
ARROW = " \u2192 "
NOT_ALIGNED = "not aligned (max_pairs)"
STEP = "framing shift"
MIN_PARALLEL_PAIRS = 40  # a pair costs about 0.1 CPU s: fewer do not pay for a worker's start (about 2.5 CPU s)
# A pair's cost in tokens: its two documents' tokens plus this (10,000 real documents: 99 pairs together 3 CPU s,
# one pair of 255,000 tokens 4.4 s), to balance the processes' shares
PAIR_COST_TOKENS = 1_000


@dataclass(frozen=True)
class ShiftParams:
    """Settings of :func:`framing_shift` and :func:`shift_summary`. The counts were set by hand in the first
    version of the framing stage (what reads well in a table cell); none is tuned on labelled data.

    - ``align``: the frame-aware aligner (:class:`~helpers.framing.align.AlignParams`).
    - ``matching``, ``attribution``: how frame terms are matched and statements attributed in aligned sentences.
    - ``max_substitution_words``: a replaced run of words longer than this on either side is a rewrite, not a
      substitution, and is not listed in ``substitutions``.
    - ``summary_hedge_words``: hedges listed (most frequent first) in the summary's ``hedges_added``/``removed``.
    - ``summary_swapped_terms``: swaps listed (most frequent first) in the summary's ``swapped_terms``.
    - ``frame_change_min``: a frame whose sentence score moves by at least this much is listed in
      ``frame_change`` (largest moves first, at most ``frame_change_shown``).
    - ``summary_frame_min``: a frame counts as gained (lost) by a derivative when its sentence score rises (falls)
      through the frame model's decision threshold in at least this share of the aligned pairs.
    - ``max_pairs``: at most this many (child, parent) pairs are aligned, spread over the parents (each parent's
      first child first); every other pair gets one row of ``kind`` "not aligned (max_pairs)" and a warning
      says how many (each pair costs about 0.1 CPU seconds at 10,000 documents, its sentences read with all
      pairs' at once: 100 keep the step near 10 s whatever the corpus).
    - ``families_matcher_max_docs``: with ``matcher="auto"`` and a corpus larger than this, only the frame-aware
      aligner runs (the families matcher first vectorises every sentence of the corpus, minutes at 10,000
      documents); pass ``matcher="families"`` to have it anyway.
    """

    align: AlignParams = field(default_factory=AlignParams)
    matching: MatchParams = field(default_factory=MatchParams)
    attribution: AttributionParams = field(default_factory=AttributionParams)
    max_substitution_words: int = 6
    summary_hedge_words: int = 6
    summary_swapped_terms: int = 5
    frame_change_min: float = 0.15
    frame_change_shown: int = 3
    summary_frame_min: float = 0.25
    max_pairs: int = 100
    families_matcher_max_docs: int = 2000


@dataclass
class _Lexicons:
    frames: pd.DataFrame
    story: pd.DataFrame  # hand-written story frames, else the corpus's story phrases: for swaps
    stance: pd.DataFrame
    titles: frozenset
    story_names: set
    align_story: pd.DataFrame  # hand-written story frames only: the aligner's event bonus


def _substitutions(a: list[str], b: list[str], max_len: int) -> list[str]:
    """Short word runs of ``a`` replaced in ``b`` ("abandoning → distancing itself")."""
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "replace" and i2 - i1 <= max_len and j2 - j1 <= max_len:
            out.append(f"{' '.join(a[i1:i2])}{ARROW}{' '.join(b[j1:j2])}")
    return out


def _attribution_label(rows: list[tuple]) -> str:
    """``rows``: the ``(kind, source)`` attributions of one sentence."""
    return "; ".join(f"{k}: {s}" for k, s in rows if k != "unattributed")


def _attribution_change(before: str, after: str) -> str:
    if before and not after:
        return "dropped"
    if after and not before:
        return "added"
    if before.startswith("named") and after.startswith("anonymous"):
        return "named\u2192anonymous"
    if before.startswith("anonymous") and after.startswith("named"):
        return "anonymous\u2192named"
    return ""


def _frame_change(fa: list[tuple], fb: list[tuple], story_names: set) -> dict:
    """Frame terms of sentence a not in b (by stem) and the reverse; story-frame terms replaced; whether the
    replacement moves to another story frame. ``fa``, ``fb``: the ``(category, text)`` frame hits of each."""
    ka = {(c, normalise(t)) for c, t in fa}
    kb = {(c, normalise(t)) for c, t in fb}
    stems_a = {_term_key(t) for _, t in fa}
    stems_b = {_term_key(t) for _, t in fb}
    removed = sorted({(c, t) for c, t in ka if _term_key(t) not in stems_b})
    added = sorted({(c, t) for c, t in kb if _term_key(t) not in stems_a})
    story_removed = [(c, t) for c, t in removed if c in story_names]
    story_added = [(c, t) for c, t in added if c in story_names]
    swapped = bool(story_removed and story_added)
    return {
        "frame_terms_removed": "; ".join(f"{c}: {t}" for c, t in removed),
        "frame_terms_added": "; ".join(f"{c}: {t}" for c, t in added),
        "swapped": (
            " | ".join(f"{c}: {t}" for c, t in story_removed) + ARROW + " | ".join(f"{c}: {t}" for c, t in story_added)
            if swapped
            else ""
        ),
        "cross_frame": swapped and {c for c, _ in story_removed} != {c for c, _ in story_added},
    }


@lru_cache(maxsize=65536)
def _term_key(text: str) -> str:
    """:func:`term_key` of a matched frame term (the same few terms recur in every aligned pair)."""
    return term_key(text)


def _stance_change(sa: list[tuple], sb: list[tuple]) -> dict:
    """Hedges and boosters of two aligned sentences (``sa``, ``sb``: their ``(category, text)`` stance matches)."""
    ha = [normalise(t) for c, t in sa if c == "hedge"]
    hb = [normalise(t) for c, t in sb if c == "hedge"]
    ba = sum(c == "booster" for c, _ in sa)
    bb = sum(c == "booster" for c, _ in sb)
    return {
        "hedges_a": len(ha),
        "hedges_b": len(hb),
        "hedge_change": len(hb) - len(ha),
        "hedges_added": "; ".join(sorted((Counter(hb) - Counter(ha)).elements())),
        "hedges_removed": "; ".join(sorted((Counter(ha) - Counter(hb)).elements())),
        "hedge_words_a": "; ".join(ha),
        "hedge_words_b": "; ".join(hb),
        "boosters_a": ba,
        "boosters_b": bb,
        "boosters_change": bb - ba,
    }


def _sentence_profiles(toks: pd.DataFrame, texts: dict, corpus_of: dict) -> pd.DataFrame:
    """Per text of the aligned sentences: MFC frame scores and decision, sensationalism, sentiment (``corpus_of``:
    each text's pair, whose sentences are the corpus the tone step reads lower-case words from)."""
    from .analyse import SCORED_FRAMES
    from .dimensions import decide_frames, frame_evidence, frame_features, frame_model, frame_probabilities, frame_use
    from .lexicon import as_lexicon as _as_lexicon
    from .tone import sensationalism, tone_table
    from .vader import vader_compound

    words = word_tokens(toks)
    ids = list(texts)
    model = frame_model("mfc", "tfidf")
    hits = match_terms(words, _as_lexicon(None), texts)
    counts, nw, sims, vocab = frame_evidence(words, hits, SCORED_FRAMES, "mfc", "tfidf", texts)
    order = pd.factorize(sims["doc_id"])[1]
    features = frame_features(counts, nw, sims, SCORED_FRAMES, vocab=vocab)
    scores = frame_probabilities(features, model, SCORED_FRAMES)
    decided = decide_frames(scores, SCORED_FRAMES, frame_use(scores, features, model))
    out = pd.DataFrame(scores, index=order, columns=SCORED_FRAMES).reindex(ids).fillna(0.0)
    out["frames"] = pd.Series(decided, index=order).reindex(ids).fillna("")
    tone = sensationalism(tone_table(toks, texts, corpus_of=corpus_of)).set_index("doc_id")["sensationalism"]
    out["sensationalism"] = tone.reindex(ids).to_numpy()
    out["sentiment"] = vader_compound([texts[i] for i in ids])
    out.attrs["threshold"] = model.threshold
    return out


class _Profiles:
    """The sentence profiles of a mini corpus as arrays, so that each aligned pair is compared without pandas
    indexing (a pair of long documents has thousands of aligned sentences)."""

    def __init__(self, profiles: pd.DataFrame):
        from .analyse import SCORED_FRAMES

        self.names = list(SCORED_FRAMES)
        self.pos = {k: i for i, k in enumerate(profiles.index)}
        self.scores = profiles[self.names].to_numpy(dtype=float)
        self.frames = profiles["frames"].tolist()
        self.sensationalism = profiles["sensationalism"].to_numpy(dtype=float)
        self.sentiment = profiles["sentiment"].to_numpy(dtype=float)

    def change(self, a: str, b: str, p: ShiftParams) -> dict:
        i, j = self.pos[a], self.pos[b]
        delta = self.scores[j] - self.scores[i]
        moved = np.flatnonzero(np.abs(delta) >= p.frame_change_min)
        moved = moved[np.argsort(-np.abs(delta[moved]), kind="stable")][: p.frame_change_shown]
        return {
            "frames_a": self.frames[i],
            "frames_b": self.frames[j],
            "frame_change": "; ".join(f"{self.names[k]} {delta[k]:+.2f}" for k in moved),
            "sensationalism_a": round(float(self.sensationalism[i]), 4),
            "sensationalism_b": round(float(self.sensationalism[j]), 4),
            "sensationalism_change": round(float(self.sensationalism[j] - self.sensationalism[i]), 4),
            "sentiment_a": float(self.sentiment[i]),
            "sentiment_b": float(self.sentiment[j]),
        }


def _aligned(docs, child, parent, lex: _Lexicons, matcher, p: ShiftParams, rows_of=None, toks=None) -> pd.DataFrame:
    """The aligned sentence pairs of one (child, parent) pair (``rows_of``: each document's rows of ``toks``)."""
    if toks is not None:  # the two documents' rows, in table order
        rows = np.concatenate([rows_of.get(d, []) for d in dict.fromkeys((parent, child))]).astype(np.int64)
        toks = toks.take(np.sort(rows))
    al = aligned_pairs(docs, parent, child, matcher, lex.align_story, p.align, toks=toks)
    return al.reset_index(drop=True)


class _Readings:
    """What every aligned sentence says, read for all pairs at once: each pair's distinct aligned sentences are
    texts of one table (a sentence aligned to several others is read once per pair; every step reads a text on its
    own, and the one corpus-wide reading, the tone step's words seen in lower case, is made per pair as before)."""

    def __init__(self, aligned: dict, lex: _Lexicons, names: tuple, p: ShiftParams):
        self.pairs = set(aligned)
        self.id_of: dict[tuple[str, str], str] = {}
        corpus_of = {}
        for key, al in aligned.items():
            for text in dict.fromkeys(list(al["a_text"].astype(str)) + list(al["b_text"].astype(str))):
                corpus_of[self.id_of.setdefault((key, text), f"s{len(self.id_of)}")] = key
        if not self.id_of:  # nothing aligned: nothing to read
            return
        mini = pd.DataFrame({"doc_id": list(self.id_of.values()), "text": [t for _, t in self.id_of]})
        toks = plain_tokens(tokens(mini))  # read many times below: plain strings
        texts = dict(zip(mini["doc_id"], mini["text"]))
        fh = pd.concat(
            [
                match_terms(toks, lex.story, texts, params=p.matching).assign(lx="story"),
                match_terms(toks, lex.frames, texts, params=p.matching).assign(lx="frames"),
            ],
            ignore_index=True,
        )
        fh = fh[~fh["negated"].astype(bool)] if len(fh) else fh
        st = match_terms(toks, lex.stance, texts, overlap="category", negation=False)
        attr = attributions(
            mini.assign(title_len=0),
            toks,
            st,
            lex.titles,
            known_caps=names[0],
            lower_seen=names[1],
            params=p.attribution,
        )
        self.words = _by_doc(word_tokens(toks), ["norm"])
        self.profiles = _Profiles(_sentence_profiles(toks, texts, corpus_of))
        # each table split by sentence once: filtering it again for every aligned pair is quadratic in the pairs
        self.frame_hits = _by_doc(fh, ["category", "text"])
        self.stance_hits = _by_doc(st, ["category", "text"])
        self.attributions = _by_doc(attr, ["kind", "source"])


def _pair_rows(child, parent, key: str, al: pd.DataFrame, r: _Readings, lex: _Lexicons, p: ShiftParams):
    """The shift rows of one (child, parent) pair: one per aligned sentence pair."""
    rows = []
    columns = ("a_sent_id", "b_sent_id", "score", "kind", "a_text", "b_text")
    for a_sent, b_sent, score, kind, a_text, b_text in zip(*(al[c].tolist() for c in columns)):
        a, b = r.id_of[(key, str(a_text))], r.id_of[(key, str(b_text))]
        la = _attribution_label(r.attributions(a))
        lb = _attribution_label(r.attributions(b))
        subs = _substitutions([n for (n,) in r.words(a)], [n for (n,) in r.words(b)], p.max_substitution_words)
        rows.append(
            {
                "child": child,
                "parent": parent,
                "a_sent_id": int(a_sent),
                "b_sent_id": int(b_sent),
                "score": float(score),
                "kind": kind,
                "a_text": a_text,
                "b_text": b_text,
                **_frame_change(r.frame_hits(a), r.frame_hits(b), lex.story_names),
                "substitutions": "; ".join(subs),
                **_stance_change(r.stance_hits(a), r.stance_hits(b)),
                "attribution_a": la,
                "attribution_b": lb,
                "attribution_change": _attribution_change(la, lb),
                **r.profiles.change(a, b, p),
            }
        )
    return rows


def _by_doc(table: pd.DataFrame, columns: list[str]):
    """A lookup of the ``columns`` of ``table``'s rows by ``doc_id``, as lists of tuples in table order (an
    empty list for a missing id): each aligned pair reads plain tuples, not a filtered table."""
    groups: dict[str, list[tuple]] = {}
    if len(table):
        for doc_id, *values in zip(table["doc_id"].tolist(), *(table[c].tolist() for c in columns)):
            groups.setdefault(doc_id, []).append(tuple(values))
    return lambda doc_id: groups.get(doc_id, [])


def _pair_list(docs: pd.DataFrame, pairs, run_dir, origin_doc) -> list[tuple[str, str]]:
    if pairs is None:
        pairs = lineage_pairs(docs, run_dir=run_dir, origin_doc=origin_doc)
    if isinstance(pairs, pd.DataFrame):
        cc = "child" if "child" in pairs else "doc_id"
        plist = list(zip(pairs[cc].astype(str), pairs["parent"].astype(str)))
    else:
        plist = [(str(c), str(p)) for c, p in pairs]
    resolved = doc_resolver(docs)  # exact ids are most; a prefix is resolved against the table
    return [(resolved(c), resolved(p)) for c, p in plist]


@dataclass
class _PairJobs:
    """``(key, (child, parent))`` pairs to align and read, with what they read; a slice holds its pairs with only
    their documents and tokens (what a worker process is sent). ``text_tokens``: the pairs' documents' tokens when
    the caller gave them (else each pair is tokenised by the aligner); ``names``: ``known_caps, lower_seen`` of the
    involved documents' tokens (:func:`~helpers.framing.names.name_sets`), read by the attribution of every pair."""

    keyed: list
    docs: pd.DataFrame
    text_tokens: pd.DataFrame | None
    lex: _Lexicons
    matcher: object
    params: ShiftParams
    names: tuple

    def __len__(self) -> int:
        return len(self.keyed)

    def __getitem__(self, part: slice) -> _PairJobs:
        keyed = self.keyed[part]
        involved = {x for _, pair in keyed for x in pair}
        docs = self.docs[self.docs["doc_id"].astype(str).isin(involved)]
        toks = self.text_tokens
        toks = None if toks is None else toks[toks["doc_id"].isin(involved)]
        return _PairJobs(keyed, docs, toks, self.lex, self.matcher, self.params, self.names)


def _shift_rows(jobs: _PairJobs) -> tuple[list[dict], list]:
    """The shift rows of some pairs, in pair order, and the ``(step, pair, error)`` of each pair that failed."""
    lex, p, toks = jobs.lex, jobs.params, jobs.text_tokens
    failures: list = []
    rows_of = toks.groupby("doc_id", sort=False).indices if toks is not None else None
    align = partial(_aligned, jobs.docs, lex=lex, matcher=jobs.matcher, p=p, rows_of=rows_of, toks=toks)
    found = each_document(STEP, jobs.keyed, lambda pair: align(*pair), failures)
    aligned = {key: al for key, al in found if not al.empty}  # a pair listed twice is aligned the same way twice

    def read(subset: list[str] | None) -> _Readings:
        return _Readings(aligned if subset is None else {k: aligned[k] for k in subset}, lex, jobs.names, p)

    readings = all_or_culprits(STEP, read, list(aligned), failures)
    pair_of = dict(jobs.keyed)
    done = each_document(
        STEP,
        ((key, key) for key, _ in found if key in readings.pairs),
        lambda key: _pair_rows(*pair_of[key], key, aligned[key], readings, lex, p),
        failures,
    )
    return [row for _, rows in done for row in rows], failures


def framing_shift(
    docs: pd.DataFrame,
    pairs=None,
    run_dir=None,
    origin_doc: str | None = None,
    matcher="auto",
    lexicon=None,
    story_frames=None,
    stance_lexicon=None,
    params: ShiftParams | None = None,
    story_phrases=None,
    text_tokens: pd.DataFrame | None = None,
    failures: list | None = None,
) -> pd.DataFrame:
    """Framing shift along aligned sentences, one row per aligned (parent sentence a, child sentence b) pair.

    ``pairs``: ``(child, parent)`` tuples or a table with ``child``/``doc_id`` and ``parent``; by default from
    :func:`lineage_pairs` (run folder tables, ``origin_doc``, or the first document). ``matcher``: ``"auto"``
    (the pairs of ``helpers.neardup.match_sentences`` and of :func:`align_sentences`, duplicates once),
    ``"families"``, ``"frame"`` or a callable with the same signature. ``story_frames``: a hand-written story
    lexicon (none by default; it also gives the aligner its event bonus); ``story_phrases``: the corpus's story
    phrases as a lexicon (:func:`helpers.framing.story_lexicon`), used for the swaps when no ``story_frames`` are
    given. ``text_tokens``: the documents' token table (notebook 01's), so that names are read without
    tokenising again.
    Columns: see ``SHIFT_COLUMNS``; ``swapped`` lists story terms replaced ("frame: old → frame: new"),
    ``cross_frame`` is True when the replacement moves to another story frame (exit → recalibration),
    ``attribution_change`` is ``dropped``, ``named→anonymous``, ``anonymous→named``, ``added`` or empty;
    ``frames_a``/``frames_b`` the Media Frames dimensions each sentence uses, ``frame_change`` the largest moves in
    their scores, ``sensationalism_*`` and ``sentiment_*`` the tone of each side. At most ``max_pairs`` pairs are
    aligned; a pair that fails is logged, left out and counted in a warning (and its ``(step, doc_id, error)``
    row appended to ``failures`` when given, for the run's ``failed.csv``).
    """
    p = params or ShiftParams()
    if matcher in ("auto", "families"):
        families_matcher()  # a matcher that cannot be imported is no pair's fault: it raises here, not per pair
    plist, rest = _bounded(_pair_list(docs, pairs, run_dir, origin_doc), p.max_pairs)
    if rest:
        warnings.warn(
            f"framing shift: {len(plist) + len(rest)} pairs; {len(plist)} aligned, {len(rest)} listed as "
            f"{NOT_ALIGNED!r} (ShiftParams.max_pairs)",
            stacklevel=2,
        )
    given = optional_lexicon(story_frames)
    story = given if len(given) or story_phrases is None else optional_lexicon(story_phrases)
    stance = as_lexicon(stance_lexicon, default=STANCE_LEXICON)
    lex = _Lexicons(as_lexicon(lexicon), story, stance, honorifics(stance), set(story["category"]), given)
    involved = {x for pair in plist for x in pair}
    given_tokens = text_tokens is not None
    if matcher == "auto" and len(docs) > p.families_matcher_max_docs:
        matcher = "frame"  # the families matcher vectorises every sentence of the corpus first: too slow here
    if text_tokens is None:
        text_tokens = tokens(docs[docs["doc_id"].astype(str).isin(involved)][["doc_id", "text"]])
    text_tokens = plain_tokens(text_tokens[text_tokens["doc_id"].isin(involved)])
    failures = [] if failures is None else failures
    before = len(failures)
    keyed = [(f"{child} <- {parent}", (child, parent)) for child, parent in plist]
    jobs = _PairJobs(
        keyed, docs, text_tokens if given_tokens else None, lex, matcher, p, name_sets(text_tokens)
    )  # the aligner reads the given tokens (tokenising is slower than a lookup)
    if matcher == "frame":  # each pair reads only its two documents: the pairs can be spread over processes
        sizes = text_tokens.groupby("doc_id", sort=False).size()
        weights = [PAIR_COST_TOKENS + int(sizes.get(c, 0) + sizes.get(a, 0)) for _, (c, a) in keyed]
        done = in_chunks(
            _shift_rows, jobs, weights, min_items=MIN_PARALLEL_PAIRS, chunks_per_process=2, largest_first=True
        )  # few chunks: each costs about 0.17 CPU s of its own (lexicons, models), most pairs far less
    else:  # the families matcher reads the whole corpus
        done = [_shift_rows(jobs)]
    rows = [row for part_rows, _ in done for row in part_rows]
    failures.extend(f for _, part_failures in done for f in part_failures)
    if len(failures) > before:
        warnings.warn(failure_note(failures[before:]), stacklevel=2)
    rows += [{"child": c, "parent": parent, "kind": NOT_ALIGNED} for c, parent in rest]
    return pd.DataFrame(rows, columns=SHIFT_COLUMNS)


def _bounded(plist: list[tuple[str, str]], limit: int) -> tuple[list, list]:
    """At most ``limit`` pairs to align, spread over the parents: every parent's first child, then every
    parent's second, and so on (lineage order within each); the rest are returned apart."""
    if len(plist) <= limit:
        return plist, []
    seen: dict[str, int] = {}
    rank = []
    for _, parent in plist:
        rank.append(seen.get(parent, 0))
        seen[parent] = rank[-1] + 1
    order = sorted(range(len(plist)), key=lambda i: (rank[i], i))
    keep = set(order[:limit])
    return [x for i, x in enumerate(plist) if i in keep], [x for i, x in enumerate(plist) if i not in keep]


def _terms_only(swapped: str) -> str:
    """ "frame: old | frame: older → frame: new" -> "old | older → new"."""
    return ARROW.join(" | ".join(x.split(": ", 1)[-1] for x in side.split(" | ")) for side in swapped.split(ARROW))


def _summary_row(child, parent, g: pd.DataFrame, p: ShiftParams) -> tuple:
    # each sentence counts once, however many partners it has: aligned part of the child minus that of the parent
    ua, ub = g.drop_duplicates("a_sent_id"), g.drop_duplicates("b_sent_id")
    words_a = Counter(x for s in ua["hedge_words_a"].fillna("") for x in s.split("; ") if x)
    words_b = Counter(x for s in ub["hedge_words_b"].fillna("") for x in s.split("; ") if x)
    added, removed = words_b - words_a, words_a - words_b
    attributed = g[g["attribution_a"].fillna("") != ""]
    dropped = sum(1 for _, x in attributed.groupby("a_sent_id") if (x["attribution_b"].fillna("") == "").all())
    anonymised = g.loc[g["attribution_change"] == "named\u2192anonymous", "a_sent_id"].nunique()
    swaps = [s for s in g["swapped"] if s]
    terms = Counter(_terms_only(s) for s in swaps)
    gained, lost = _frames_moved(g, p)
    return (
        child,
        parent,
        len(g),
        int(ub["hedges_b"].sum() - ua["hedges_a"].sum()),
        ", ".join(f"{k} ({v})" for k, v in added.most_common(p.summary_hedge_words)),
        ", ".join(f"{k} ({v})" for k, v in removed.most_common(p.summary_hedge_words)),
        int(ub["boosters_b"].sum() - ua["boosters_a"].sum()),
        int(dropped),
        int(anonymised),
        len(swaps),
        int(g["cross_frame"].astype(bool).sum()),
        " || ".join(t for t, _ in terms.most_common(p.summary_swapped_terms)),
        gained,
        lost,
        round(float(ub["sensationalism_b"].mean() - ua["sensationalism_a"].mean()), 4),
    )


def _frames_moved(g: pd.DataFrame, p: ShiftParams) -> tuple[str, str]:
    """Frames the child's aligned sentences use that the parent's do not, in at least ``summary_frame_min`` of
    the pairs (gained), and the reverse (lost)."""
    gained: Counter = Counter()
    lost: Counter = Counter()
    for fa, fb in zip(g["frames_a"].fillna(""), g["frames_b"].fillna("")):
        a, b = {x for x in fa.split("; ") if x}, {x for x in fb.split("; ") if x}
        gained.update(b - a)
        lost.update(a - b)
    need = p.summary_frame_min * len(g)

    def listed(counter: Counter) -> str:  # most often first, ties by name (no dependence on set order)
        return ", ".join(f"{f} ({n})" for f, n in sorted(counter.items(), key=lambda x: (-x[1], x[0])) if n >= need)

    return listed(gained), listed(lost)


def _named_sources_lost(out: pd.DataFrame, attributions: pd.DataFrame) -> list[str]:
    """The parent's named sources whose last name the child never names."""
    involved = set(out["child"]) | set(out["parent"])  # the pairs' documents only (the corpus has thousands)
    named = attributions[(attributions["kind"] == "named").to_numpy(bool) & attributions["doc_id"].isin(involved)]
    by_doc = {d: set(g["source"]) for d, g in named.groupby("doc_id")}
    lost = []
    for c, parent in zip(out["child"], out["parent"]):
        child_names = " ".join(by_doc.get(c, set())).casefold()
        lost.append(
            ", ".join(sorted(s for s in by_doc.get(parent, set()) if s.split()[-1].casefold() not in child_names))
        )
    return lost


def shift_summary(
    shift: pd.DataFrame, result: FramingResult | None = None, params: ShiftParams | None = None
) -> pd.DataFrame:
    """One row per derivative: aligned pairs, net hedging change, attribution lost, frame terms swapped.

    Hedges and boosters are counted once per sentence over the aligned part of each document (child minus parent);
    ``attribution_dropped`` counts parent sentences with an attribution none of whose aligned child sentences has one.

    ``frames_gained``/``frames_lost``: Media Frames dimensions the child's aligned sentences use and the parent's
    do not (and the reverse) in at least ``summary_frame_min`` of the pairs; ``sensationalism_change``: mean over
    the aligned sentences, child minus parent.

    With ``result`` (from :func:`analyse`), also document-level changes: hedges per 1,000 words and
    sensationalism (child − parent),
    story-frame rates (child − parent, ``d_<frame>``, when story frames were given) and the named sources of the
    parent that the child does not name.
    """
    p = params or ShiftParams()
    if shift is None or shift.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    shift = shift[shift["kind"] != NOT_ALIGNED]
    rows = [_summary_row(c, parent, g, p) for (c, parent), g in shift.groupby(["child", "parent"], sort=False)]
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    if result is not None:
        t = result.table.set_index("doc_id")
        changes = [("hedges_per_1k", "d_hedges_per_1k"), ("sensationalism", "d_sensationalism")]
        for col, name in changes + [(f, f"d_{f}") for f in result.story_frame_names]:
            out[name] = [t.at[c, col] - t.at[parent, col] for c, parent in zip(out["child"], out["parent"])]
        out["named_sources_lost"] = _named_sources_lost(out, result.attributions)
    return out
