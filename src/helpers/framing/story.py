"""Story frames found in the corpus: for each family of versions, the phrases that set its members apart where
they tell the same thing.

Two versions that tell one event ("Iran is heading for the exits", "Iran starts scaling back its support") differ
in the words they choose for it. Within each family (``families.csv`` of notebook 02; without it the corpus is one
group), the sentences of each member that tell what another member also tells are found (content-stem cosine with
a sentence of another member at least ``align_threshold``: the *aligned* sentences). Their word n-grams (1 to
``max_ngram`` words, not starting or ending with a stopword, counted by stem) are compared, member against the
rest of its family, by the log-odds ratio with an informative prior (Monroe et al. 2008,
:func:`helpers.framing.keyness.log_odds`). The phrases most typical of each member are its wording; a phrase used
by several members (with the members named in ``used_by``) is a framing they share, and the family's phrases side
by side are its competing framings. Shorter n-grams that only ever occur inside a kept longer one are dropped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from ..parallel import in_chunks
from .documents import word_tokens
from .exemplars import content_rows
from .keyness import against_the_rest

__all__ = ["StoryParams", "STORY_COLUMNS", "story_groups", "story_frames", "story_lexicon"]

MIN_PARALLEL_FAMILIES = 40  # a family costs about 0.06 CPU s: fewer do not pay for a worker's start (2.5 CPU s)
STORY_COLUMNS = [
    "family_id",
    "doc_id",
    "rank",
    "phrase",
    "count",
    "rest_count",
    "used_by",
    "z",
    "aligned_sentences",
    "example",
]


@dataclass(frozen=True)
class StoryParams:
    """Settings of :func:`story_frames`. Set when the corpus-derived story frames were introduced (issue 14) so
    that the bundled sample's two wordings of one event come out; none is tuned on labelled data.

    - ``align_threshold``: content-stem cosine (binary stems, IDF over the family's sentences) from which a
      sentence counts as telling what a sentence of another member tells. 0.25 pairs the sample's rewrites of
      one event without pairing sentences that only share the actors' names.
    - ``max_ngram``: longest phrase, in words ("heading for the exits" is four).
    - ``top``: phrases kept per member.
    - ``min_z``: a kept phrase is at least this typical of its member (log-odds z against the rest of the family;
      small families rarely reach 1.96, so the default keeps any phrase the member favours).
    - ``max_members``: a larger family is read through its first ``max_members`` members (in lineage order), so
      that the sentence comparison stays bounded (its cost grows with the square of the family's sentences).
    - ``max_families``: only the largest this many families are read (ties: first listed); the notebook says
      how many were left out. Bounds the step on corpora of many small families.
    """

    align_threshold: float = 0.25
    max_ngram: int = 4
    top: int = 8
    min_z: float = 0.0
    max_members: int = 40
    max_families: int = 100


def story_groups(docs: pd.DataFrame, families: pd.DataFrame | None = None) -> pd.DataFrame:
    """``doc_id, family_id`` of every document in a family of two or more: from ``families`` (notebook 02's
    ``families.csv``, or ``lineage.csv``: ``doc_id``, ``family_id``), else the whole corpus as family ``all``."""
    ids = docs["doc_id"].astype(str)
    if families is not None and len(families) and {"doc_id", "family_id"} <= set(families.columns):
        f = families[["doc_id", "family_id"]].astype({"doc_id": str, "family_id": str})
        f = f[f["doc_id"].isin(set(ids))].drop_duplicates("doc_id")
    else:
        f = pd.DataFrame({"doc_id": ids, "family_id": "all"})
    sizes = f["family_id"].map(f["family_id"].value_counts())
    return f[sizes.to_numpy() >= 2].reset_index(drop=True)


def _aligned(units: pd.DataFrame, rows: np.ndarray, stems: np.ndarray, threshold: float) -> np.ndarray:
    """Which sentences of ``units`` (one family) have a sentence of another member at cosine >= threshold."""
    vocab, cols = np.unique(stems, return_inverse=True)
    X = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(units), len(vocab)))
    X.data[:] = 1.0
    df = np.asarray((X > 0).sum(axis=0)).ravel()
    X = X.multiply(np.log((1 + len(units)) / (1 + df)) + 1).tocsr()
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    X = (sparse.diags(1 / np.where(norms > 0, norms, 1)) @ X).tocsr()
    sim = (X @ X.T).toarray()
    doc = pd.factorize(units["doc_id"])[0]
    sim[doc[:, None] == doc[None, :]] = 0.0
    return (sim >= threshold).any(axis=1)


_STRINGS = ("doc_id", "key", "text")


def _phrases(w: pd.DataFrame, keep: np.ndarray, max_ngram: int, texts: dict) -> pd.DataFrame:
    """``doc_id, sent_id, key, text`` of every n-gram (1..max_ngram words, within a sentence, no stopword at
    either end, a letter in every word) of the word rows marked ``keep``; ``text`` as written in ``texts``."""
    w = w[keep].reset_index(drop=True)
    stem, norm = (w[c].to_numpy(object) for c in ("stem", "norm"))
    start, end = w["start"].to_numpy(), w["end"].to_numpy()
    d, s = w["doc_id"].to_numpy(object), w["sent_id"].to_numpy()
    stop = w["is_stop"].to_numpy(bool)
    letter = np.array([any(ch.isalpha() for ch in x) for x in norm], dtype=bool)
    out = []
    for n in range(1, max_ngram + 1):
        m = len(w) - n + 1
        if m <= 0:
            break
        ok = ~stop[:m] & ~stop[n - 1 : n - 1 + m] & letter[:m]
        key = stem[:m].copy()
        for j in range(1, n):
            ok &= (d[j : j + m] == d[:m]) & (s[j : j + m] == s[:m]) & letter[j : j + m]
            key = key + " " + stem[j : j + m]
        idx = np.flatnonzero(ok)
        text = [texts[x][a:b] for x, a, b in zip(d[idx], start[idx], end[idx + n - 1])]
        columns = {"doc_id": d[idx], "sent_id": s[idx], "key": key[idx], "text": np.array(text, dtype=object), "n": n}
        # strings kept as Python objects (read one by one below; Arrow strings are slow to iterate)
        out.append(pd.DataFrame({c: pd.Series(v, dtype=object) if c in _STRINGS else v for c, v in columns.items()}))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=["doc_id", "sent_id", "key", "text", "n"])


def _contained(n: list, count: np.ndarray, key: list) -> np.ndarray:
    """Whether each phrase is contained, with the same count, in a longer phrase of the same member (it is then
    dropped)."""
    return np.array(
        [
            any(n[j] > n[i] and count[j] == count[i] and f" {key[i]} " in f" {key[j]} " for j in range(len(key)))
            for i in range(len(key))
        ],
        dtype=bool,
    )


def _family_frames(fam: str, w: pd.DataFrame, texts: dict, p: StoryParams) -> list[pd.DataFrame]:
    units, rows, stems = content_rows(w)
    if len(units) < 2 or units["doc_id"].nunique() < 2:
        return []
    aligned = _aligned(units, rows, stems, p.align_threshold)
    unit_of = pd.MultiIndex.from_frame(units[["doc_id", "sent_id"]])
    keep = unit_of[aligned]
    word_keep = pd.MultiIndex.from_arrays([w["doc_id"].to_numpy(object), w["sent_id"].to_numpy()]).isin(keep)
    grams = _phrases(w, word_keep, p.max_ngram, texts)
    if grams.empty:
        return []
    counts = grams.groupby(["doc_id", "key"]).size().rename("n_doc").reset_index()
    length = grams.groupby("key")["n"].first()
    aligned_per_doc = units[aligned].groupby("doc_id").size()
    first_use: dict[tuple, int] = {}  # (doc, key) -> the sentence of the first use
    for doc, key, sent in zip(grams["doc_id"], grams["key"], grams["sent_id"].tolist()):
        first_use.setdefault((doc, key), sent)
    spans = w.groupby(["doc_id", "sent_id"], sort=False).agg(start=("start", "min"), end=("end", "max"))
    span_of = dict(zip(spans.index, zip(spans["start"].tolist(), spans["end"].tolist())))
    typical = against_the_rest(counts.rename(columns={"key": "term", "n_doc": "n"}))
    length = dict(zip(length.index, length.tolist()))
    chosen = []
    for doc in dict.fromkeys(units["doc_id"]):
        if doc not in typical:
            continue
        terms, count_a, count_b, z = typical[doc]
        top = np.flatnonzero(z >= p.min_z)[: p.top * 4]
        keys = terms[top].tolist()
        kept = top[~_contained([length[t] for t in keys], count_a[top], keys)][: p.top]
        if len(kept):
            chosen.append((doc, terms[kept], count_a[kept], count_b[kept], z[kept]))
    if not chosen:
        return []
    # the surface form and users of the chosen phrases only (a family's n-grams number in the hundreds of thousands)
    wanted = {key for _, keys, *_ in chosen for key in keys}
    mine = grams[grams["key"].isin(wanted)]
    surface = _most_common(mine["key"], mine["text"].str.lower())
    users_of: dict[str, list] = {}
    for key, doc in zip(counts["key"], counts["doc_id"]):
        if key in wanted:
            users_of.setdefault(key, []).append(doc)
    parts: dict[str, list] = {c: [] for c in ("doc_id", "rank", "phrase", "used_by", "aligned", "example", "key")}
    for doc, keys, *_ in chosen:  # the family's rows made as columns, one table (not one per member)
        parts["doc_id"] += [doc] * len(keys)
        parts["rank"].append(np.arange(1, len(keys) + 1))
        parts["phrase"] += [surface[key] for key in keys]
        parts["used_by"] += [", ".join(sorted(users_of[key])) for key in keys]
        parts["aligned"] += [int(aligned_per_doc.get(doc, 0))] * len(keys)
        parts["example"] += [_sentence(span_of, texts, doc, first_use[(doc, key)]) for key in keys]
        parts["key"] += list(keys)
    table = pd.DataFrame(
        {
            "family_id": fam,
            "doc_id": parts["doc_id"],
            "rank": np.concatenate(parts["rank"]),
            "phrase": np.array(parts["phrase"], dtype=object),
            "count": np.concatenate([c for _, _, c, _, _ in chosen]),
            "rest_count": np.concatenate([c for _, _, _, c, _ in chosen]),
            "used_by": np.array(parts["used_by"], dtype=object),
            "z": np.round(np.concatenate([z for *_, z in chosen]), 3),
            "aligned_sentences": np.array(parts["aligned"], dtype=np.int64),
            "example": parts["example"],
            "key": np.asarray(parts["key"], dtype=object),
        }
    )
    return [table]


def _most_common(keys: pd.Series, forms: pd.Series) -> dict:
    """Per key, its most frequent form with spaces collapsed (a tie goes to the form seen first)."""
    seen: dict[str, Counter] = {}
    for key, form in zip(keys, forms):
        seen.setdefault(key, Counter())[form] += 1
    return {key: " ".join(max(c.items(), key=lambda fc: fc[1])[0].split()) for key, c in seen.items()}


def _sentence(spans: dict, texts: dict, doc: str, sent: int) -> str:
    """The text of sentence ``sent`` of ``doc``, from its first word to its last (``spans``: ``(doc_id,
    sent_id) -> (start, end)``)."""
    if (doc, sent) not in spans:
        return ""
    start, end = spans[(doc, sent)]
    return texts[doc][int(start) : int(end)]


def story_frames(
    toks: pd.DataFrame, texts: dict, groups: pd.DataFrame, params: StoryParams | None = None
) -> pd.DataFrame:
    """Each family's competing framings: per member, the ``top`` phrases of its aligned sentences most typical
    of it against the rest of its family. Columns :data:`STORY_COLUMNS` (``used_by``: the members using the
    phrase in aligned sentences; ``example``: a sentence of the member with it) plus ``key`` (the stemmed
    phrase). ``toks``: the tokens of the texts ``texts`` (``{doc_id: text}``); ``groups``: :func:`story_groups`."""
    p = params or StoryParams()
    w = word_tokens(toks)
    sizes = groups["family_id"].value_counts(sort=False)
    chosen = sizes.sort_values(ascending=False, kind="stable").index[: p.max_families]
    rows_of = w.groupby("doc_id", sort=False).indices  # each document's word rows, found once for all families
    families = []
    for fam, g in groups[groups["family_id"].isin(set(chosen))].groupby("family_id", sort=False):
        members = list(dict.fromkeys(g["doc_id"]))[: p.max_members]
        found = [rows_of[m] for m in members if m in rows_of]
        families.append((str(fam), np.sort(np.concatenate(found)) if found else np.zeros(0, np.int64)))
    jobs = _Families(families, w, texts, p)
    weights = [len(rows) + 1 for _, rows in families]
    parts = in_chunks(
        _families_frames, jobs, weights, min_items=MIN_PARALLEL_FAMILIES, largest_first=True, keep=True
    )  # the worker stays for the framing shift
    out = [t for part in parts for t in part]
    if not out:
        return pd.DataFrame(columns=[*STORY_COLUMNS, "key"])
    return pd.concat(out, ignore_index=True)[[*STORY_COLUMNS, "key"]]


@dataclass
class _Families:
    """Families to read (``(family_id, word rows of its members)``) with the word tokens and texts; a slice holds
    its families with only their rows and texts (what a worker process is sent)."""

    families: list
    words: pd.DataFrame
    texts: dict
    params: StoryParams

    def __len__(self) -> int:
        return len(self.families)

    def __getitem__(self, part: slice) -> _Families:
        families = self.families[part]
        rows = np.concatenate([r for _, r in families]) if families else np.zeros(0, np.int64)
        words = self.words.take(rows).reset_index(drop=True)
        docs = set(words["doc_id"])
        texts = {d: t for d, t in self.texts.items() if d in docs}
        bounds = np.cumsum([0] + [len(r) for _, r in families])
        spans = [(f, np.arange(a, b)) for (f, _), a, b in zip(families, bounds[:-1], bounds[1:])]
        return _Families(spans, words, texts, self.params)


def _families_frames(jobs: _Families) -> list[pd.DataFrame]:
    """:func:`_family_frames` of each family of ``jobs``, in order."""
    out = []
    for fam, rows in jobs.families:
        fw = jobs.words.take(rows) if len(rows) else jobs.words.iloc[0:0]
        out.extend(_family_frames(fam, fw.reset_index(drop=True), jobs.texts, jobs.params))
    return out


def story_lexicon(frames: pd.DataFrame, label_chars: int = 12) -> pd.DataFrame:
    """The found phrases that tell the family's versions apart as a story-frame lexicon (``frame, term,
    match``): phrases used by at most half of their family's members (at least one), one frame per set of
    members using them ("wording of 000_12a88f75, 004_9db785d9": ids cut to ``label_chars``), so that a parent's
    phrase replaced by a child's in an aligned sentence shows as a swap in the framing shift."""
    if frames.empty:
        return pd.DataFrame(columns=["frame", "term", "match"])
    size = frames.groupby("family_id")["doc_id"].nunique()
    users = frames["used_by"].astype(str).str.split(", ")
    few = users.str.len().to_numpy() <= np.maximum(1, frames["family_id"].map(size).to_numpy() // 2)
    rows = frames[few].drop_duplicates("key")
    label = users[few].loc[rows.index].map(lambda u: "wording of " + ", ".join(x[:label_chars] for x in u))
    return pd.DataFrame({"frame": label.to_numpy(), "term": rows["key"].astype(str).to_numpy(), "match": "stem"})
