"""Framing: how each version frames the story, and how the framing shifts from a parent to each copy.

Everything is lexicon-based, deterministic and offline:

* **Frame dimensions** (:func:`frame_scores`): the 15 Media Frames Corpus dimensions (Boydstun et al. 2014) scored
  per 1,000 word tokens from a lexicon shipped as data (``helpers/data/framing_mfc.csv``), plus story-specific
  frames (defaults in ``framing_story.csv``). Terms may be phrases; ``stem`` terms match inflections through the
  Snowball stemmer, ``exact`` terms match normalised word forms. Longest match wins; a frame term preceded by a
  negator ("not", "n't", "no", "never", "without") within three words is recorded as negated and not scored.
* **Stance** (:func:`analyse`): hedges and boosters per 1,000 tokens, attribution (reporting verbs, named
  against anonymous sources, interview speaker turns), direct quotes, VADER sentiment (NLTK's analyser reading
  the lexicon file shipped by the ``vaderSentiment`` package) and actor salience (proper-noun phrases merged by
  alias).
* **Keyness** (:func:`keyness`): log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn
  2008) between any two groups of documents, with z-scores.
* **Framing shift** (:func:`framing_shift`): along aligned sentence pairs of each derivative and its parent, the
  frame terms substituted, hedges added or removed and attribution dropped, and a summary per derivative.
* **Concordance** (:func:`kwic`, :func:`concordance`) and charts (``plot_*``).

Non-English documents are flagged by :func:`language_check` and are not scored (their rates are NaN).
Offsets in match tables are into the field named in ``field`` (``title`` or ``text``) of the documents table.
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from nltk.stem.snowball import SnowballStemmer

from ._data import data_path
from .show import clip
from .text import STOPWORDS, normalise, word_spans
from .tokenise import sentences as _sentences
from .tokenise import tokens as _tokens

__all__ = [
    "MFC_FRAMES",
    "FramingResult",
    "load_lexicon",
    "match_terms",
    "language_check",
    "frame_scores",
    "stance_markers",
    "attributions",
    "quotes",
    "sentiment",
    "actors",
    "actor_salience",
    "analyse",
    "keyness",
    "keyness_comparisons",
    "align_sentences",
    "lineage_pairs",
    "framing_shift",
    "shift_summary",
    "kwic",
    "concordance",
    "resolve_doc",
    "plot_frame_heatmap",
    "plot_stance",
    "plot_keyness",
    "plot_actor_salience",
    "plot_shift_summary",
]

MFC_FRAMES = [
    "Economic",
    "Capacity and resources",
    "Morality",
    "Fairness and equality",
    "Legality, constitutionality and jurisprudence",
    "Policy prescription and evaluation",
    "Crime and punishment",
    "Security and defense",
    "Health and safety",
    "Quality of life",
    "Cultural identity",
    "Public opinion",
    "Political",
    "External regulation and reputation",
    "Other",
]
NEGATORS = frozenset({"not", "n't", "no", "never", "without", "nor", "neither"})
CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_INVERTED = frozenset({"according to", "said", "says", "added", "wrote", "writes", "stated", "noted", "explained"})
_DETERMINERS = frozenset({"a", "an", "the", "his", "her", "their", "its", "our"})
_PREPOSITIONS = frozenset(
    {
        "of",
        "in",
        "on",
        "at",
        "from",
        "to",
        "into",
        "over",
        "across",
        "with",
        "by",
        "for",
        "against",
        "about",
        "toward",
        "towards",
        "near",
        "within",
        "throughout",
    }
)
NAME_PARTICLES = frozenset({"al", "el", "bin", "ibn", "de", "van", "von", "der", "da", "di", "of", "for", "du", "la"})
_CAP = re.compile(r"^(?:[a-z]{1,3}-)?[A-Z]")
_QUOTE = re.compile(r"\u201c([^\u201d\n]+)\u201d|\"([^\"\n]+)\"")
_SPEAKER = re.compile(
    r"^[ \t*_>#-]*([A-Z][\w.'\u2019-]*(?:[ \t]+[A-Z][\w.'\u2019-]*){0,3})[ \t]*[*_]*[ \t]*:[ \t]*[*_]*[ \t]*(\S.*)$",
    re.MULTILINE,
)
_LATIN_LIMIT = 0x250
_stemmer = SnowballStemmer("english")


@lru_cache(maxsize=200_000)
def _stem(norm: str) -> str:
    return _stemmer.stem(norm) if re.search(r"\w", norm) else norm


def resolve_doc(docs: pd.DataFrame, doc: str) -> str:
    """The full ``doc_id`` for ``doc``: an exact id, or a unique prefix of one (``"004"``)."""
    ids = docs["doc_id"].astype(str)
    if (ids == str(doc)).any():
        return str(doc)
    hits = ids[ids.str.startswith(str(doc))].tolist()
    if len(hits) == 1:
        return hits[0]
    raise KeyError(f"no document {doc!r}" if not hits else f"{doc!r} is ambiguous: {hits[:5]}")


# ----------------------------------------------------------------------------------------------- lexicons
def _term_forms(term: str, mode: str) -> list[str]:
    folded = normalise(str(term).strip())
    forms = [normalise(folded[s:e]) for s, e in word_spans(folded)]
    forms = [f for f in forms if re.search(r"\w", f)]
    return [_stem(f) for f in forms] if mode == "stem" else forms


def load_lexicon(source=None, default: str = "framing_mfc.csv", extend=None) -> pd.DataFrame:
    """A lexicon as a table ``category, term, match, n, key``.

    ``source``: ``None`` (the shipped ``default`` file), a path to a CSV/TSV (columns ``frame`` or ``category``,
    ``term``, optional ``match`` = ``stem``/``exact``; ``#`` comment lines) or YAML (``{category: [term, ...]}``),
    a dict ``{category: [terms]}``, or a DataFrame. ``extend`` adds entries (same forms) to ``source``.
    """
    if isinstance(source, pd.DataFrame):
        df = source.copy()
    elif isinstance(source, Mapping):
        df = pd.DataFrame(
            [(c, t) for c, ts in source.items() for t in ([ts] if isinstance(ts, str) else ts)],
            columns=["category", "term"],
        )
    else:
        path = data_path(default) if source is None else Path(source)
        name = str(path)
        if name.endswith((".yaml", ".yml")):
            import yaml

            return load_lexicon(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}, extend=extend)
        with path.open(encoding="utf-8") if hasattr(path, "open") else open(path, encoding="utf-8") as fh:
            df = pd.read_csv(
                fh,
                comment="#",
                sep="\t" if name.endswith(".tsv") else ",",
                dtype=str,
                keep_default_na=False,
                skipinitialspace=True,
            )
    df = df.rename(columns={"frame": "category"})
    if not {"category", "term"} <= set(df.columns):
        raise ValueError("a lexicon needs columns 'frame' (or 'category') and 'term'")
    if "match" not in df.columns:
        df["match"] = "stem"
    df = df[["category", "term", "match"]].astype(str)
    df["match"] = df["match"].str.strip().str.lower().replace({"": "stem"})
    bad = ~df["match"].isin(["stem", "exact"])
    if bad.any():
        raise ValueError(f"match must be 'stem' or 'exact', got {sorted(set(df.loc[bad, 'match']))}")
    df["category"] = df["category"].str.strip()
    df["term"] = df["term"].str.strip()
    df = df[(df["term"] != "") & (df["category"] != "")]
    keys = [" ".join(_term_forms(t, m)) for t, m in zip(df["term"], df["match"])]
    df["key"] = keys
    df["n"] = [len(k.split()) if k else 0 for k in keys]
    df = df[df["n"] > 0].drop_duplicates(["category", "key", "match"]).reset_index(drop=True)
    if extend is not None:
        df = pd.concat([df, load_lexicon(extend)], ignore_index=True).drop_duplicates(["category", "key", "match"])
    return df.reset_index(drop=True)


# ----------------------------------------------------------------------------------------------- documents view
def _view(docs: pd.DataFrame, include_title: bool = True) -> pd.DataFrame:
    """One row per document with the text to analyse: title (if given and not already the text's start) + text."""
    n = len(docs)
    ids = docs["doc_id"].astype(str).tolist() if "doc_id" in docs else [str(i) for i in range(n)]
    texts = [
        "" if (t is None or (isinstance(t, float) and np.isnan(t))) else str(t)
        for t in (docs["text"] if "text" in docs else [""] * n)
    ]
    titles = ["" for _ in range(n)]
    if include_title and "title" in docs:
        for i, t in enumerate(docs["title"]):
            t = "" if t is None or (isinstance(t, float) and np.isnan(t)) else str(t).strip()
            if t.endswith("\u2026") or t.endswith("..."):  # a truncated first sentence, not a headline
                t = ""
            if t and not texts[i].lstrip().startswith(t[: max(10, len(t) // 2)]):
                titles[i] = t
    full = [f"{t}\n\n{x}" if t else x for t, x in zip(titles, texts)]
    return pd.DataFrame({"doc_id": ids, "text": full, "title_len": [len(t) + 2 if t else 0 for t in titles]})


def _words(toks: pd.DataFrame) -> pd.DataFrame:
    if "after_opener" not in toks:
        toks = _mark_openers(toks)
    return toks.loc[~toks["is_punct"].to_numpy(bool)].reset_index(drop=True)


def _field_offsets(df: pd.DataFrame, view: pd.DataFrame) -> pd.DataFrame:
    tl = df["doc_id"].map(dict(zip(view["doc_id"], view["title_len"]))).fillna(0).astype("int64")
    in_text = df["start"].to_numpy() >= tl.to_numpy()
    df["field"] = np.where(in_text, "text", "title")
    df["start"] = np.where(in_text, df["start"] - tl, df["start"])
    df["end"] = np.where(in_text, df["end"] - tl, df["end"])
    return df


# ----------------------------------------------------------------------------------------------- term matching
MATCH_COLUMNS = ["doc_id", "sent_id", "pos", "length", "start", "end", "category", "term", "text", "negated"]


def match_terms(
    toks: pd.DataFrame,
    lexicon: pd.DataFrame,
    texts: Mapping[str, str] | None = None,
    overlap: str = "global",
    negation: bool = True,
) -> pd.DataFrame:
    """All lexicon hits in a tokens table (from ``helpers.tokenise.tokens``), one row per hit and category.

    Multi-word terms match consecutive word tokens of one sentence (punctuation skipped). ``overlap="global"``:
    a word belongs to at most one hit (longest first, then leftmost); ``"category"``: the same within each
    category only. ``pos``/``length`` index the word tokens of the document; ``start``/``end`` are offsets into
    the text given to ``tokens``; ``text`` is the matched text (from ``texts[doc_id]`` when given).
    """
    w = _words(toks)
    if w.empty or lexicon.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in MATCH_COLUMNS})
    n = len(w)
    doc = pd.factorize(w["doc_id"])[0]
    sent = w["sent_id"].to_numpy()
    forms = {"stem": w["stem"].to_numpy(object), "exact": w["norm"].to_numpy(object)}
    cats = {k: (list(g["category"]), g["term"].iloc[0]) for k, g in lexicon.groupby(["match", "key"], sort=False)}
    cand = []
    for (mode, length), grp in lexicon.groupby(["match", "n"], sort=False):
        length = int(length)
        m = n - length + 1
        if m <= 0:
            continue
        arr = forms[mode]
        key = arr[:m]
        for j in range(1, length):
            key = key + " " + arr[j : j + m]
        ok = pd.Series(key).isin(set(grp["key"])).to_numpy()
        if length > 1:
            ok = ok & (doc[:m] == doc[length - 1 : length - 1 + m]) & (sent[:m] == sent[length - 1 : length - 1 + m])
        for p in np.nonzero(ok)[0]:
            categories, term = cats[(mode, key[p])]
            for cat in categories:
                cand.append((int(p), length, cat, term))
    if not cand:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in MATCH_COLUMNS})
    cand.sort(key=lambda r: (-r[1], r[0], r[2]))
    used: dict[str, np.ndarray] = {}
    taken: dict[tuple[int, int], bool] = {}
    rows = []
    for p, length, cat, term in cand:
        slot = "*" if overlap == "global" else cat
        u = used.setdefault(slot, np.zeros(n, bool))
        if overlap == "global" and (p, length) in taken:  # same span, another category of the same key
            if taken[(p, length)]:
                rows.append((p, length, cat, term))
            continue
        free = not u[p : p + length].any()
        if overlap == "global":
            taken[(p, length)] = free
        if free:
            u[p : p + length] = True
            rows.append((p, length, cat, term))
    pos = np.array([r[0] for r in rows], dtype=np.int64)
    length = np.array([r[1] for r in rows], dtype=np.int64)
    last = pos + length - 1
    out = pd.DataFrame(
        {
            "doc_id": w["doc_id"].to_numpy(object)[pos],
            "sent_id": sent[pos],
            "pos": pos - np.searchsorted(doc, doc[pos]),  # word index within the document
            "length": length,
            "start": w["start"].to_numpy()[pos],
            "end": w["end"].to_numpy()[last],
            "category": [r[2] for r in rows],
            "term": [r[3] for r in rows],
        }
    )
    if texts is not None:
        out["text"] = [texts[d][s:e] for d, s, e in zip(out["doc_id"], out["start"], out["end"])]
    else:
        tokstr = w["token"].to_numpy(object)
        out["text"] = [" ".join(tokstr[a : b + 1]) for a, b in zip(pos, last)]
    neg = np.zeros(len(out), bool)
    if negation:
        isneg = w["norm"].isin(NEGATORS).to_numpy()
        for k in (1, 2, 3):
            q = pos - k
            valid = q >= 0
            qq = np.where(valid, q, 0)
            neg |= valid & (doc[qq] == doc[pos]) & (sent[qq] == sent[pos]) & isneg[qq]
    out["negated"] = neg
    return out.sort_values(["doc_id", "start", "category"], kind="stable").reset_index(drop=True)


# ----------------------------------------------------------------------------------------------- language
def language_check(
    docs: pd.DataFrame, min_stopword_ratio: float = 0.12, min_words: int = 8, min_latin: float = 0.5
) -> pd.DataFrame:
    """Is each document English? ``doc_id, n_words, stopword_ratio, latin_ratio, english, reason``.

    Offline heuristic: English prose has many English function words (a third to a half of its words); text in
    another script, or Latin-script text with few English stopwords, is flagged with the reason. Documents too
    short to tell (fewer than ``min_words`` words) are kept as English and say so.
    """
    rows = []
    for doc_id, text in zip(docs["doc_id"].astype(str), docs["text"].fillna("").astype(str)):
        words = re.findall(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*", normalise(text))
        letters = re.findall(r"[^\W\d_]", text)
        latin = float(np.mean([ord(c) < _LATIN_LIMIT for c in letters])) if letters else 1.0
        ratio = float(np.mean([w in STOPWORDS for w in words])) if words else 0.0
        if not words:
            eng, why = True, "empty: nothing to score"
        elif latin < min_latin:
            eng, why = False, f"non-English: mostly non-Latin script ({latin:.0%} Latin letters)"
        elif len(words) < min_words:
            eng, why = True, f"very short ({len(words)} words): language not checked, rates unstable"
        elif ratio < min_stopword_ratio:
            eng, why = (
                False,
                (f"non-English: few English function words (stopword ratio {ratio:.2f} < {min_stopword_ratio})"),
            )
        else:
            eng, why = True, ""
        rows.append((doc_id, len(words), round(ratio, 3), round(latin, 3), eng, why))
    return pd.DataFrame(rows, columns=["doc_id", "n_words", "stopword_ratio", "latin_ratio", "english", "reason"])


# ----------------------------------------------------------------------------------------------- frames
def _per_1k(hits: pd.DataFrame, n_words: pd.Series, categories: list[str]) -> pd.DataFrame:
    counts = (
        hits.groupby(["doc_id", "category"]).size().unstack(fill_value=0)
        if len(hits)
        else pd.DataFrame(index=pd.Index([], name="doc_id"))
    )
    counts = counts.reindex(index=n_words.index, columns=categories, fill_value=0)
    denom = n_words.replace(0, np.nan)
    return counts.div(denom, axis=0).mul(1000).fillna(0.0)


def frame_scores(
    docs: pd.DataFrame, lexicon=None, story_frames=None, include_title: bool = True, toks: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Frame rates per 1,000 word tokens (one row per document, one column per frame) and the hits table.

    ``lexicon``: MFC lexicon (default shipped; path/dict/DataFrame replaces it). ``story_frames``: story-specific
    frames (default: the sample's ``framing_story.csv``; ``{}`` for none). Non-English documents get NaN.
    """
    res = analyse(
        docs, lexicon=lexicon, story_frames=story_frames, include_title=include_title, toks=toks, stance=False
    )
    return res.frames, res.frame_hits


# ----------------------------------------------------------------------------------------------- stance
@lru_cache(maxsize=1)
def _vader():
    """NLTK's VADER analyser reading the lexicon file shipped inside the ``vaderSentiment`` package."""
    import nltk
    import vaderSentiment
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    folder = str(Path(vaderSentiment.__file__).resolve().parent)
    lex = Path(folder) / "vader_lexicon.txt"
    if not lex.is_file():
        raise FileNotFoundError(f"vaderSentiment ships no lexicon at {lex}")
    nltk.data.path.append(folder)  # NLTK only opens files under its data paths
    try:
        return SentimentIntensityAnalyzer(lexicon_file=lex.as_uri())
    finally:
        nltk.data.path.remove(folder)


def sentiment(texts: Iterable[str]) -> list[float]:
    """VADER compound score of each text: mean over its sentences of three words or more (NaN if none)."""
    from .text import sentence_spans

    sia = _vader()
    out = []
    for text in texts:
        vals = [
            sia.polarity_scores(text[s:e])["compound"] for s, e in sentence_spans(text) if len(text[s:e].split()) >= 3
        ]
        out.append(float(np.mean(vals)) if vals else np.nan)
    return out


def stance_markers(toks: pd.DataFrame, stance_lexicon=None, texts=None) -> pd.DataFrame:
    """Hits of the stance lexicon (hedge, booster, reporting, anonymous, honorific), categories independent."""
    lex = (
        stance_lexicon
        if isinstance(stance_lexicon, pd.DataFrame) and "key" in stance_lexicon
        else load_lexicon(stance_lexicon, default="framing_stance.csv")
    )
    return match_terms(toks, lex, texts=texts, overlap="category", negation=False)


def quotes(view: pd.DataFrame, min_words: int = 5) -> pd.DataFrame:
    """Direct quotations (“…” or "…") of at least ``min_words`` words: ``doc_id, start, end, quote``."""
    rows = []
    for doc_id, text in zip(view["doc_id"], view["text"]):
        for m in _QUOTE.finditer(text):
            q = m.group(1) or m.group(2) or ""
            if len(q.split()) >= min_words:
                rows.append((doc_id, m.start(), m.end(), q))
    return pd.DataFrame(rows, columns=["doc_id", "start", "end", "quote"])


def _speaker_turns(view: pd.DataFrame, honorifics: frozenset) -> list[tuple]:
    """Interview-style speaker turns ("**Dr. Khalil:** ...") by a named speaker."""
    rows = []
    for doc_id, text in zip(view["doc_id"], view["text"]):
        found = [(m.group(1).strip(), m.start(1), m.end(1), m.group(2)) for m in _SPEAKER.finditer(text)]
        freq = Counter(f[0] for f in found)
        for label, s, e, rest in found:
            first = normalise(label.split()[0]).rstrip(".")
            if len(rest.split()) < 3:
                continue
            if first in honorifics or (freq[label] >= 2 and len(label.split()) >= 2):
                rows.append((doc_id, label, s, e))
    return rows


class _Words:
    """Word-token arrays of a tokens table, with sentence slices (for the per-sentence loops)."""

    def __init__(self, toks: pd.DataFrame):
        w = _words(toks)
        self.n = len(w)
        self.tok = w["token"].to_numpy(object)
        self.norm = w["norm"].to_numpy(object)
        self.tid = w["tok_id"].to_numpy()
        self.start = w["start"].to_numpy()
        self.end = w["end"].to_numpy()
        self.doc = w["doc_id"].to_numpy(object)
        self.sent = w["sent_id"].to_numpy()
        self.init = _initial(w) if self.n else np.zeros(0, bool)
        codes = pd.factorize(self.doc)[0] if self.n else np.zeros(0, int)
        change = (
            np.r_[True, (codes[1:] != codes[:-1]) | (self.sent[1:] != self.sent[:-1])] if self.n else np.zeros(0, bool)
        )
        starts = np.flatnonzero(change)
        self.bounds = list(zip(starts, np.r_[starts[1:], self.n]))
        self.index = {(self.doc[lo], self.sent[lo]): (lo, hi) for lo, hi in self.bounds}
        doc_change = np.r_[True, codes[1:] != codes[:-1]] if self.n else np.zeros(0, bool)
        first = np.maximum.accumulate(np.where(doc_change, np.arange(self.n), 0)) if self.n else np.zeros(0, int)
        self.wpos = np.arange(self.n) - first  # word index within the document (as match_terms' ``pos``)
        self.known_caps = _known_caps(w) if self.n else set()
        low = np.array([t.islower() for t in self.tok], dtype=bool) if self.n else np.zeros(0, bool)
        self.lower_seen = set(self.norm[low])  # words also written in lower case: common words, not names


def _phrases(
    W: _Words, lo: int, hi: int, honorifics: frozenset, known_caps: set, lower_seen: set | None = None
) -> list[dict]:
    """Proper-noun phrases of one sentence (words ``lo:hi``): capitalised runs with name particles.
    ``start_w``/``end_w`` are relative to ``lo``. A capitalised sentence opener that is a stopword, or a word
    otherwise seen in lower case and never capitalised mid-sentence ("Despite", "Activists"), is not a name."""
    lower_seen = W.lower_seen if lower_seen is None else lower_seen
    toks = W.tok[lo:hi]
    norms = W.norm[lo:hi]
    tid = W.tid[lo:hi]
    init = W.init[lo:hi]
    cap = [bool(_CAP.match(t)) for t in toks]
    out, i, n = [], 0, len(toks)
    while i < n:
        t = toks[i]
        if not cap[i] or norms[i].rstrip(".") in CALENDAR or t == "I":
            i += 1
            continue
        if init[i] and (norms[i] in STOPWORDS or (norms[i] in lower_seen and t not in known_caps)):
            i += 1
            continue
        j = i + 1
        while (
            j < n
            and tid[j] == tid[j - 1] + 1
            and (cap[j] or (norms[j] in NAME_PARTICLES and j + 1 < n and tid[j + 1] == tid[j] + 1 and cap[j + 1]))
        ):
            j += 1
        words = list(toks[i:j])
        if init[i] and j - i == 1 and words[0] not in known_caps and norms[i].rstrip(".") not in honorifics:
            i = j
            continue
        # a title anywhere before the last word ("Syrian President Bashar al-Assad") starts the name after it
        cut = max([k + 1 for k, x in enumerate(norms[i : j - 1]) if x.rstrip(".") in honorifics], default=0)
        words = words[cut:]
        if words and norms[i + cut].rstrip(".") not in honorifics:
            out.append(
                {
                    "start_w": i + cut,
                    "end_w": j,
                    "words": words,
                    "honorific": cut > 0,
                    "person": cut > 0 or len(words) >= 2,
                }
            )
        i = j
    return out


def _clean_name(words: list[str]) -> str:
    ws = []
    for w0 in words:
        w = re.sub(r"'s$", "", normalise(w0).replace("\u2019", "'"))
        parts, orig = w.split("-"), w0.split("-")
        if len(parts) > 1 and all(p.islower() for p in orig[1:]) and parts[0] not in ("al", "el"):
            w = parts[0]  # "Iranian-backed" -> "iranian" (but "Bennett-Jones" stays)
        ws.append(w)
    words0 = [x for x in words]
    # keep original capitalisation for display
    disp = []
    for w0, w in zip(words0, ws):
        disp.append(w0[: len(w)] if w0.casefold().startswith(w) else w0)
    return " ".join(disp).strip()


def attributions(
    view: pd.DataFrame,
    toks: pd.DataFrame,
    stance_hits: pd.DataFrame,
    honorifics: frozenset | None = None,
    known_caps: set | None = None,
    lower_seen: set | None = None,
) -> pd.DataFrame:
    """Attributed statements: ``doc_id, sent_id, start, end, kind, source, cue``.

    A sentence with a reporting cue ("said", "according to", "told", ...) is attributed to the nearest source:
    a person's name (two or more capitalised words, or a title + name), a proper noun right next to the cue
    ("Reuters reported"), or an anonymous source noun ("a source familiar with", "officials", "analysts").
    Demonyms modifying a source noun ("Iranian officials") and appositions ("Hassan Shemshadi, an expert") are
    resolved to the head. Interview speaker turns by a named speaker count as named attributions (cue
    ``speaker``). ``kind``: ``named``, ``anonymous`` or ``unattributed``.
    """
    if honorifics is None:
        lex = load_lexicon(None, default="framing_stance.csv")
        honorifics = frozenset(lex.loc[lex["category"] == "honorific", "key"])
    W = _Words(toks)
    known_caps = known_caps if known_caps is not None else W.known_caps
    lower_seen = lower_seen if lower_seen is not None else W.lower_seen
    rows = []
    last_person: dict[str, str] = {}
    rep = stance_hits[stance_hits["category"] == "reporting"]
    anon = stance_hits[stance_hits["category"] == "anonymous"]
    anon_pos = (
        {(d, s): list(zip(g["pos"], g["text"])) for (d, s), g in anon.groupby(["doc_id", "sent_id"])}
        if len(anon)
        else {}
    )
    if len(rep):
        for (d, s), g in rep.groupby(["doc_id", "sent_id"], sort=False):
            if (d, s) not in W.index:
                continue
            lo, hi = W.index[(d, s)]
            base = int(W.wpos[lo])
            cue_words = set()
            for p, ln in zip(g["pos"], g["length"]):
                cue_words.update(range(int(p) - base, int(p) - base + int(ln)))
            norms = W.norm[lo:hi].tolist()
            anons = [(int(p) - base, t) for p, t in anon_pos.get((d, s), [])]
            anon_words = {a for a, _ in anons}
            phr = [
                p
                for p in _phrases(W, lo, hi, honorifics, known_caps, lower_seen)
                if not set(range(p["start_w"], p["end_w"])) <= anon_words
            ]  # "Activists said" is anonymous
            persons = [p for p in phr if p["person"]]
            # appositions: a source noun right after/before a person's name describes that person
            anons = [
                (a, t)
                for a, t in anons
                if not any(
                    (p["end_w"] <= a <= p["end_w"] + 4 and set(norms[p["end_w"] : a]) & _DETERMINERS)
                    or p["start_w"] - 3 <= a < p["start_w"]
                    for p in persons
                )
            ]
            anon_idx = {a for a, _ in anons}
            spans = [(int(p) - base, int(p) - base + int(ln) - 1) for p, ln in zip(g["pos"], g["length"])]

            def gap(s0, e0):
                return min(max(cs - e0 - 1, s0 - ce - 1, 0) for cs, ce in spans)

            cands = []
            after_only = all(normalise(t) == "according to" for t in g["text"])
            for p in phr:
                dist = gap(p["start_w"], p["end_w"] - 1)
                if after_only and p["start_w"] < spans[0][0]:
                    continue
                k = p["start_w"] - 1
                while k >= 0 and norms[k] in _DETERMINERS:
                    k -= 1
                if k >= 0 and norms[k] in _PREPOSITIONS and not (k >= 1 and norms[k - 1] == "according"):
                    continue  # "the battlefields of Syria, said", "run by the Red Crescent": objects are no sources
                nxt = norms[p["end_w"] : p["end_w"] + 3]
                modifier = not p["person"] and (
                    (p["end_w"] in anon_idx)
                    or (len(nxt) >= 3 and nxt[0] in ("and", "or") and (p["end_w"] + 2) in anon_idx)
                )
                if modifier or any(k in cue_words for k in range(p["start_w"], p["end_w"])):
                    continue
                if p["person"]:
                    cands.append((dist, 0, "named", _clean_name(p["words"])))
                elif dist == 0 and (p["end_w"] <= spans[0][0] or any(normalise(t) in _INVERTED for t in g["text"])):
                    cands.append((dist, 1, "named", _clean_name(p["words"])))  # "Reuters reported", "said Reuters"
            for a, atext in anons:
                if a in cue_words or (after_only and a < spans[0][0]):
                    continue
                cands.append((gap(a, a), 2, "anonymous", atext))
            cue = "; ".join(dict.fromkeys(g["text"]))
            ss, se = int(W.start[lo]), int(W.end[hi - 1])
            pron = [i for i, x in enumerate(norms) if x in ("he", "she") and gap(i, i) == 0]
            if cands:
                dist, prio, kind, src = min(cands)
                rows.append((d, int(s), ss, se, kind, src, cue))
                if kind == "named" and prio == 0:
                    last_person[d] = src
            elif pron and d in last_person:  # "..., he said": the last person named as a source in the document
                rows.append((d, int(s), ss, se, "named", last_person[d], cue + " (pronoun)"))
            else:
                rows.append((d, int(s), ss, se, "unattributed", "", cue))
    doc_rows = {}
    for k in range(W.n):
        doc_rows.setdefault(W.doc[k], k)
    for d, label, s, e in _speaker_turns(view, honorifics):
        k0 = doc_rows.get(d)
        sid = -1
        if k0 is not None:
            k = k0 + int(np.searchsorted(W.start[k0:][W.doc[k0:] == d], s))
            sid = int(W.sent[k]) if k < W.n and W.doc[k] == d else -1
        rows.append((d, sid, s, e, "named", label, "speaker"))
    out = pd.DataFrame(rows, columns=["doc_id", "sent_id", "start", "end", "kind", "source", "cue"])
    return out.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)


def _initial(w: pd.DataFrame) -> np.ndarray:
    """Word tokens that start a sentence, a speaker turn ("Host: Welcome") or a quotation."""
    first = w.groupby(["doc_id", "sent_id"], sort=False).cumcount().to_numpy() == 0
    tid = w["tok_id"].to_numpy()
    gap = np.r_[True, tid[1:] != tid[:-1] + 1]  # punctuation right before this word
    return first | (gap & w["after_opener"].to_numpy(bool)) if "after_opener" in w else first


def _mark_openers(toks: pd.DataFrame) -> pd.DataFrame:
    """Adds ``after_opener`` to word rows: the token before is ':', a quote mark, '*', '#', '(' or a dash."""
    prev = toks["norm"].shift(1).fillna("").to_numpy(object)
    opener = np.array([p in (":", '"', "``", "''", "*", "**", "#", "(", "-", "--", ";") for p in prev])
    return toks.assign(after_opener=opener)


def _known_caps(w: pd.DataFrame) -> set:
    """Words seen capitalised somewhere other than the start of a sentence (so they are names, not starters)."""
    first = _initial(w)
    tok = w["token"].to_numpy(object)
    caps = np.array([bool(_CAP.match(t)) for t in tok])
    return set(tok[caps & ~first])


# ----------------------------------------------------------------------------------------------- actors
_DEMONYM_SUFFIX = ("n", "an", "ian", "i", "ese", "ish", "ns", "ans", "ians", "is")


def _demonym_table(bases: set) -> dict[str, str]:
    """Demonym form -> base name for every base ("iranian" -> "iran", "lebanese" -> "lebanon")."""
    out: dict[str, str] = {}
    for b in sorted(bases):
        if len(b) < 3:
            continue
        stems = {b}
        if b[-1] in "aeiouy":
            stems.add(b[:-1])
        if len(b) > 5 and b[-2:] in ("on", "ey"):
            stems.add(b[:-2])
        for st in stems:
            for suf in _DEMONYM_SUFFIX:
                form = st + suf
                if len(form) > len(b):
                    out.setdefault(form, b)
    return out


def actors(
    view: pd.DataFrame,
    toks: pd.DataFrame,
    aliases: Mapping[str, str] | None = None,
    honorifics: frozenset | None = None,
) -> pd.DataFrame:
    """Actor mentions: proper-noun phrases merged by alias. ``doc_id, sent_id, start, end, mention, actor``.

    Merging (after any ``aliases`` given as ``{mention: actor}``, case-insensitive): titles dropped ("Mr.",
    "President"), a surname alone joins the full name ("Mr. al-Assad", "Assad" -> "Bashar al-Assad"), an acronym
    joins the name it abbreviates, a demonym joins its country ("Iranian" -> "Iran"). Title-case lines
    (headlines) are skipped.
    """
    if honorifics is None:
        lex = load_lexicon(None, default="framing_stance.csv")
        honorifics = frozenset(lex.loc[lex["category"] == "honorific", "key"])
    W = _Words(toks)
    cols = ["doc_id", "sent_id", "start", "end", "mention", "actor"]
    if W.n == 0:
        return pd.DataFrame(columns=cols)
    texts = dict(zip(view["doc_id"], view["text"]))
    rows = []
    titled: set[str] = set()  # names seen after a title ("Mr. al-Assad", "Dr. Khalil"): persons
    for lo, hi in W.bounds:
        d, s = W.doc[lo], W.sent[lo]
        long = [(t, n) for t, n in zip(W.tok[lo:hi], W.norm[lo:hi]) if len(t) >= 4 and n not in STOPWORDS]
        e_last = int(W.end[hi - 1])
        ended = bool(re.match(r"[*_\s]*[.!?\"\u201d']", texts.get(d, "")[e_last : e_last + 4]))
        if len(long) >= 2 and not ended and np.mean([bool(_CAP.match(t)) for t, _ in long]) >= 0.75:
            continue  # a headline or heading in title case
        for p in _phrases(W, lo, hi, honorifics, W.known_caps):
            name = _clean_name(p["words"])
            if not name or len(name) < 2:
                continue
            if p["honorific"]:
                titled.add(name)
            rows.append((d, int(s), int(W.start[lo + p["start_w"]]), int(W.end[lo + p["end_w"] - 1]), name))
    m = pd.DataFrame(rows, columns=cols[:-1])
    if m.empty:
        return pd.DataFrame(columns=cols)
    alias = {normalise(k): v for k, v in (aliases or {}).items()}
    key = m["mention"].map(lambda x: alias.get(normalise(x), x))
    forced = m["mention"].map(lambda x: normalise(x) in alias).to_numpy()
    freq = Counter(key)
    canon: dict[str, str] = {}
    multi = [k for k in freq if len(k.split()) >= 2]
    single = [k for k in freq if len(k.split()) == 1]
    bases = {k for k in single}
    for k in freq:
        canon[k] = k

    def surname(x: str) -> str:
        return re.sub(r"^(?:al|el)-", "", x, flags=re.I).casefold()

    by_surname: dict[str, list[str]] = {}
    by_initials: dict[str, list[str]] = {}
    for mk in multi:
        by_surname.setdefault(surname(mk.split()[-1]), []).append(mk)
        by_initials.setdefault("".join(x[0] for x in mk.split() if x[0].isupper()), []).append(mk)
    demonyms = _demonym_table({x.casefold() for x in bases})
    base_of = {x.casefold(): x for x in bases}
    titled_surnames = {surname(x.split()[-1]) for x in titled}
    for k in single:
        # a lone word joins a full name only when that surname is used with a title somewhere ("President Assad"):
        # "Syria" must not join "New York Syria"
        cands = [mk for mk in by_surname.get(surname(k), []) if surname(k) in titled_surnames or mk in titled]
        if not cands and k.isupper() and len(k) >= 2:
            cands = by_initials.get(k, [])
        if cands:
            canon[k] = max(cands, key=lambda c: (freq[c], len(c)))
            continue
        b = demonyms.get(k.casefold())
        if b is not None and b != k.casefold():
            canon[k] = base_of[b]
    # chains (a demonym of a surname etc.) resolve to a fixed point
    for k in list(canon):
        seen = {k}
        while canon[canon[k]] != canon[k] and canon[k] not in seen:
            seen.add(canon[k])
            canon[k] = canon[canon[k]]
    m["actor"] = [kk if f else canon.get(kk, kk) for kk, f in zip(key, forced)]
    return m


def actor_salience(mentions: pd.DataFrame, n_words: Mapping[str, int], top: int | None = None) -> pd.DataFrame:
    """Per document and actor: ``mentions``, ``per_1k`` (per 1,000 words), ``first_sentence``, ``rank``."""
    cols = ["doc_id", "actor", "mentions", "per_1k", "first_sentence", "rank"]
    if mentions.empty:
        return pd.DataFrame(columns=cols)
    g = mentions.groupby(["doc_id", "actor"], sort=False).agg(
        mentions=("actor", "size"), first_sentence=("sent_id", "min")
    )
    g = g.reset_index()
    g["per_1k"] = g["mentions"] / g["doc_id"].map(n_words).replace(0, np.nan) * 1000
    g = g.sort_values(["doc_id", "mentions", "first_sentence"], ascending=[True, False, True], kind="stable")
    g["rank"] = g.groupby("doc_id").cumcount() + 1
    if top:
        g = g[g["rank"] <= top]
    return g[cols].reset_index(drop=True)


# ----------------------------------------------------------------------------------------------- all together
@dataclass
class FramingResult:
    """Everything :func:`analyse` computes; ``table`` is ``framing.csv``."""

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


def analyse(
    docs: pd.DataFrame,
    lexicon=None,
    story_frames=None,
    stance_lexicon=None,
    aliases: Mapping[str, str] | None = None,
    include_title: bool = True,
    toks: pd.DataFrame | None = None,
    stance: bool = True,
    min_quote_words: int = 5,
    extend_lexicon=None,
) -> FramingResult:
    """Frame, stance, attribution, sentiment and actor profile of every document.

    ``lexicon`` (MFC frames), ``story_frames`` (story-specific frames, ``{}`` for none) and ``stance_lexicon``
    take a path, dict or DataFrame to replace the shipped data; ``extend_lexicon`` (same forms) adds terms or
    frames to the MFC lexicon instead of replacing it. ``aliases`` maps actor mentions to a canonical
    actor. ``toks`` may be passed if already computed on ``_view(docs, include_title)``.
    ``result.table`` has one row per document: ``doc_id``, one column per frame (MFC then story frames),
    ``hedges_per_1k``, ``boosters_per_1k``, ``named_sources``, ``anonymous_sources``, ``quotes``, ``sentiment``,
    ``n_words``, ``english``, ``note``.
    """
    if docs is None or len(docs) == 0:
        raise ValueError("no documents to analyse (the corpus is empty)")
    view = _view(docs, include_title)
    if toks is None:
        toks = _tokens(view[["doc_id", "text"]])
    texts = dict(zip(view["doc_id"], view["text"]))
    lang = language_check(view)
    english = dict(zip(lang["doc_id"], lang["english"]))
    lex = lexicon if isinstance(lexicon, pd.DataFrame) and "key" in lexicon else load_lexicon(lexicon)
    if extend_lexicon is not None:
        lex = load_lexicon(lex, extend=extend_lexicon)
    if story_frames is None:
        story = load_lexicon(None, default="framing_story.csv")
    elif isinstance(story_frames, Mapping) and not story_frames:
        story = load_lexicon(pd.DataFrame(columns=["category", "term"]))
    else:
        story = (
            story_frames
            if isinstance(story_frames, pd.DataFrame) and "key" in story_frames
            else load_lexicon(story_frames)
        )
    frame_names = list(dict.fromkeys([f for f in MFC_FRAMES if lexicon is None] + list(lex["category"])))
    story_names = [s for s in dict.fromkeys(story["category"]) if s not in frame_names]
    w = _words(toks)
    n_words = w.groupby("doc_id").size().reindex(view["doc_id"], fill_value=0)
    hits = pd.concat(
        [
            match_terms(toks, lex, texts).assign(lexicon="frames"),
            match_terms(toks, story, texts).assign(lexicon="story"),
        ],
        ignore_index=True,
    )
    hits["negated"] = hits["negated"].astype(bool)
    scored = hits[~hits["negated"].to_numpy()] if len(hits) else hits
    frames = pd.concat(
        [
            _per_1k(scored[scored["lexicon"] == "frames"], n_words, frame_names),
            _per_1k(scored[scored["lexicon"] == "story"], n_words, story_names),
        ],
        axis=1,
    )
    slex = (
        stance_lexicon
        if isinstance(stance_lexicon, pd.DataFrame) and "key" in stance_lexicon
        else load_lexicon(stance_lexicon, default="framing_stance.csv")
    )
    honorifics = frozenset(slex.loc[slex["category"] == "honorific", "key"])
    notes = []
    if stance:
        st = stance_markers(toks, slex, texts)
        rates = _per_1k(st, n_words, ["hedge", "booster"])
        attr = attributions(view, toks, st, honorifics)
        q = quotes(view, min_quote_words)
        try:
            sent = dict(zip(view["doc_id"], sentiment(view["text"])))
        except Exception as exc:  # vaderSentiment missing or unreadable: say so, keep going
            notes.append(f"sentiment not computed: {exc}")
            sent = {}
        ment = actors(view, toks, aliases, honorifics)
        sal = actor_salience(ment, n_words)
    else:
        st = pd.DataFrame(columns=MATCH_COLUMNS)
        rates = pd.DataFrame(0.0, index=n_words.index, columns=["hedge", "booster"])
        attr = pd.DataFrame(columns=["doc_id", "sent_id", "start", "end", "kind", "source", "cue"])
        q = pd.DataFrame(columns=["doc_id", "start", "end", "quote"])
        sent, ment, sal = {}, pd.DataFrame(), pd.DataFrame()
    table = frames.copy()
    table["hedges_per_1k"] = rates["hedge"]
    table["boosters_per_1k"] = rates["booster"]
    ac = attr.groupby(["doc_id", "kind"]).size().unstack(fill_value=0) if len(attr) else pd.DataFrame()
    table["named_sources"] = ac["named"].reindex(table.index).fillna(0).astype(int) if "named" in ac else 0
    table["anonymous_sources"] = ac["anonymous"].reindex(table.index).fillna(0).astype(int) if "anonymous" in ac else 0
    table["quotes"] = q.groupby("doc_id").size().reindex(table.index).fillna(0).astype(int) if len(q) else 0
    table["sentiment"] = pd.Series(sent, dtype=float).reindex(table.index)
    table["n_words"] = n_words
    table["english"] = [english[d] for d in table.index]
    table["note"] = lang.set_index("doc_id")["reason"].reindex(table.index).fillna("")
    not_en = ~table["english"].to_numpy(bool)
    if not_en.any():
        rate_cols = frame_names + story_names + ["hedges_per_1k", "boosters_per_1k", "sentiment"]
        table.loc[not_en, rate_cols] = np.nan
        frames.loc[not_en, :] = np.nan
        notes.append(
            f"{int(not_en.sum())} document(s) flagged as not English and not scored: "
            + ", ".join(table.index[not_en][:10])
        )
    table = table.reset_index().rename(columns={"index": "doc_id"})
    table.columns = ["doc_id"] + list(table.columns[1:])
    for df in (hits, st):
        if len(df):
            _field_offsets(df, view)
    return FramingResult(
        table=table,
        frames=frames,
        frame_names=frame_names,
        story_frame_names=story_names,
        frame_hits=hits,
        stance_hits=st,
        attributions=attr,
        quotes=q,
        actors=ment,
        salience=sal,
        language=lang,
        view=view,
        tokens=toks,
        lexicon=lex,
        story_lexicon=story,
        stance_lexicon=slex,
        notes=notes,
    )


# ----------------------------------------------------------------------------------------------- keyness
def _term_counts(toks: pd.DataFrame, unit: str, drop_stopwords: bool, ngram: int) -> pd.DataFrame:
    w = _words(toks)
    if drop_stopwords and ngram == 1:
        w = w[~w["is_stop"].to_numpy(bool)]
    w = w[w["norm"].str.contains(r"[^\W\d_]", regex=True).to_numpy(bool)]  # no bare numbers
    terms = w[unit].to_numpy(object)
    if ngram > 1:
        m = len(w) - ngram + 1
        if m <= 0:
            return pd.DataFrame(columns=["doc_id", "term", "n"])
        key = terms[:m]
        same = np.ones(m, bool)
        d, s = w["doc_id"].to_numpy(object), w["sent_id"].to_numpy()
        for j in range(1, ngram):
            key = key + " " + terms[j : j + m]
            same &= (d[:m] == d[j : j + m]) & (s[:m] == s[j : j + m])
        if drop_stopwords:
            stop = w["is_stop"].to_numpy(bool)
            allstop = stop[:m].copy()
            for j in range(1, ngram):
                allstop &= stop[j : j + m]
            same &= ~allstop
        frame = pd.DataFrame({"doc_id": d[:m][same], "term": key[same]})
    else:
        frame = pd.DataFrame({"doc_id": w["doc_id"].to_numpy(object), "term": terms})
    return frame.groupby(["doc_id", "term"]).size().rename("n").reset_index()


def keyness(
    docs: pd.DataFrame,
    group_a,
    group_b=None,
    toks: pd.DataFrame | None = None,
    unit: str = "norm",
    drop_stopwords: bool = True,
    ngram: int = 1,
    background=None,
    alpha0: float | None = None,
    label_a: str = "A",
    label_b: str = "B",
    min_count: int = 1,
) -> pd.DataFrame:
    """Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008) between two groups.

    ``group_a``/``group_b``: doc_ids (or unique prefixes); ``group_b=None`` means every other document.
    The prior is the term distribution of ``background`` doc_ids (default: the two groups) scaled to ``alpha0``
    pseudo-counts (default: a tenth of the mean group size, clipped to 1..1000): rare terms are shrunk towards
    their overall rate, so a word used twice by one short document does not top the list.
    Returns ``term, count_a, count_b, per_1k_a, per_1k_b, log_odds, se, z, favours`` sorted by z (positive:
    more typical of A). ``unit``: ``norm`` or ``stem``; ``ngram``: 1 or more.
    """
    ids = docs["doc_id"].astype(str)
    a = [resolve_doc(docs, x) for x in ([group_a] if isinstance(group_a, str) else group_a)]
    b = (
        [resolve_doc(docs, x) for x in ([group_b] if isinstance(group_b, str) else group_b)]
        if group_b is not None
        else [x for x in ids if x not in set(a)]
    )
    cols = ["term", "count_a", "count_b", "per_1k_a", "per_1k_b", "log_odds", "se", "z", "favours"]
    if not a or not b:
        return pd.DataFrame(columns=cols)
    if toks is None:
        toks = _tokens(
            docs[docs["doc_id"].astype(str).isin(set(a) | set(b) | set(background or []))][["doc_id", "text"]]
            if background is not None
            else docs[ids.isin(set(a) | set(b))][["doc_id", "text"]]
        )
    counts = _term_counts(toks, unit, drop_stopwords, ngram)
    bg_ids = set(background) if background is not None else set(a) | set(b)
    ya = counts[counts["doc_id"].isin(set(a))].groupby("term")["n"].sum()
    yb = counts[counts["doc_id"].isin(set(b))].groupby("term")["n"].sum()
    bg = counts[counts["doc_id"].isin(bg_ids)].groupby("term")["n"].sum()
    vocab = ya.index.union(yb.index)
    ya, yb = ya.reindex(vocab, fill_value=0).astype(float), yb.reindex(vocab, fill_value=0).astype(float)
    na, nb = ya.sum(), yb.sum()
    if na == 0 or nb == 0:
        return pd.DataFrame(columns=cols)
    a0 = float(alpha0) if alpha0 is not None else float(np.clip(0.1 * (na + nb) / 2, 1.0, 1000.0))
    bgv = bg.reindex(vocab, fill_value=0).astype(float) + 0.01  # a term unseen in the background still gets mass
    alpha = a0 * bgv / bgv.sum()
    la = np.log((ya + alpha) / (na + a0 - ya - alpha))
    lb = np.log((yb + alpha) / (nb + a0 - yb - alpha))
    delta = la - lb
    se = np.sqrt(1.0 / (ya + alpha) + 1.0 / (yb + alpha))
    out = pd.DataFrame(
        {
            "term": vocab.astype(object),
            "count_a": ya.astype(int).to_numpy(),
            "count_b": yb.astype(int).to_numpy(),
            "per_1k_a": (ya / na * 1000).to_numpy(),
            "per_1k_b": (yb / nb * 1000).to_numpy(),
            "log_odds": delta.to_numpy(),
            "se": se.to_numpy(),
            "z": (delta / se).to_numpy(),
        }
    )
    out = out[(out["count_a"] + out["count_b"]) >= min_count]
    out["favours"] = np.where(out["z"] >= 0, label_a, label_b)
    return out.sort_values(["z", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)


def keyness_comparisons(
    docs: pd.DataFrame,
    pairs: pd.DataFrame | None = None,
    by_source: bool = True,
    top: int = 15,
    toks: pd.DataFrame | None = None,
    max_members: int = 30,
    max_outlets: int = 30,
    **kw,
) -> pd.DataFrame:
    """The standard comparisons as one long table (``comparison`` column, top terms each way).

    For each family in ``pairs`` (``child, parent, family_id`` from :func:`lineage_pairs`): origin against its
    derivatives, and each document against the rest of its family (families of at most ``max_members``). With
    ``by_source`` and two or more outlets in ``docs.source``: each of the ``max_outlets`` largest outlets against
    all other outlets.
    """
    if toks is None:
        toks = _tokens(docs[["doc_id", "text"]])
    out = []

    def add(name, a, b, la, lb):
        k = keyness(docs, a, b, toks=toks, label_a=la, label_b=lb, **kw)
        if len(k):
            sel = pd.concat([k.head(top), k.tail(top)]).drop_duplicates("term")
            out.append(sel.assign(comparison=name, group_a=la, group_b=lb))

    if pairs is not None and len(pairs):
        for fam, g in pairs.groupby("family_id", sort=False):
            members = list(dict.fromkeys(list(g["parent"]) + list(g["child"])))
            origins = [p for p in g["parent"] if p not in set(g["child"])] or list(g["parent"][:1])
            origin = origins[0]
            deriv = [m for m in members if m != origin]
            if deriv:
                add(f"origin vs derivatives ({fam})", [origin], deriv, origin, "derivatives")
            for m in members if len(members) <= max_members else []:  # big families: origin comparison only
                rest = [x for x in members if x != m]
                if rest and len(members) > 2:
                    add(f"{m} vs rest of family ({fam})", [m], rest, m, "rest of family")
    if by_source and "source" in docs:
        src = docs["source"].fillna("").astype(str)
        outlets = list(src[src != ""].value_counts().index[:max_outlets])  # the largest outlets
        if len(outlets) >= 2:
            for s in outlets:
                a = docs.loc[src == s, "doc_id"].astype(str).tolist()
                b = docs.loc[(src != s) & (src != ""), "doc_id"].astype(str).tolist()
                add(f"outlet {s} vs other outlets", a, b, s, "other outlets")
    if not out:
        return pd.DataFrame(
            columns=[
                "comparison",
                "group_a",
                "group_b",
                "term",
                "count_a",
                "count_b",
                "per_1k_a",
                "per_1k_b",
                "log_odds",
                "se",
                "z",
                "favours",
            ]
        )
    res = pd.concat(out, ignore_index=True)
    first = ["comparison", "group_a", "group_b"]
    return res[first + [c for c in res.columns if c not in first]]


# ----------------------------------------------------------------------------------------------- alignment
def _content(stems: list[str], norms: list[str]) -> list[str]:
    return [s for s, n in zip(stems, norms) if n not in STOPWORDS and len(n) > 1 and re.search(r"\w", n)]


ALIGN_COLUMNS = ["a_sent_id", "b_sent_id", "a_start", "a_end", "b_start", "b_end", "a_text", "b_text", "score", "kind"]


def align_sentences(
    docs: pd.DataFrame,
    doc_a: str,
    doc_b: str,
    story_frames=None,
    threshold: float = 0.2,
    event_bonus: float = 0.15,
    min_content: float = 0.05,
    per_sentence: int = 2,
    _matrix: bool = False,
) -> pd.DataFrame:
    """Frame-aware sentence alignment: for each sentence of ``doc_b``, its best match in ``doc_a``.

    Sentences are TF-IDF vectors of content stems (IDF over the two documents); the score is their cosine, plus
    ``event_bonus`` when both sentences contain a story-frame term, so that sentences telling the event in different
    frame words ("abandoning", "distancing itself") can still align. A pair needs a cosine of ``min_content`` and a
    score of ``threshold``; each sentence of ``doc_b`` keeps its ``per_sentence`` best parents (a rewrite often merges
    two sentences). Same columns as ``helpers.neardup.match_sentences`` (``kind`` = ``frame-aligned``).
    """
    doc_a, doc_b = resolve_doc(docs, doc_a), resolve_doc(docs, doc_b)
    sub = docs[docs["doc_id"].astype(str).isin([doc_a, doc_b])][["doc_id", "text"]]
    sents = _sentences(sub)
    if sents.empty:
        return pd.DataFrame(columns=ALIGN_COLUMNS)
    toks = _tokens(sub)
    story = (
        load_lexicon(None, default="framing_story.csv")
        if story_frames is None
        else (
            story_frames
            if isinstance(story_frames, pd.DataFrame) and "key" in story_frames
            else load_lexicon(story_frames)
        )
    )
    ev = match_terms(toks, story) if len(story) else pd.DataFrame(columns=MATCH_COLUMNS)
    ev_sents = set(zip(ev["doc_id"], ev["sent_id"]))
    w = _words(toks)
    # demonyms count as their country ("Iranian officials" ~ "Iran"), so rewrites that switch between them align
    caps = {n for t, n in zip(w["token"], w["norm"]) if _CAP.match(t) and "-" not in n}
    fold = _demonym_table(caps)
    stems = [_stem(fold[n]) if n in fold else st for n, st in zip(w["norm"], w["stem"])]
    w = w.assign(stem=stems)
    bags = {
        k: _content(g["stem"].tolist(), g["norm"].tolist()) for k, g in w.groupby(["doc_id", "sent_id"], sort=False)
    }
    keys = list(zip(sents["doc_id"], sents["sent_id"]))
    vocab: dict[str, int] = {}
    for k in keys:
        for t in bags.get(k, []):
            vocab.setdefault(t, len(vocab))
    X = np.zeros((len(keys), max(1, len(vocab))))
    for i, k in enumerate(keys):
        for t in bags.get(k, []):
            X[i, vocab[t]] += 1
    df = (X > 0).sum(0)
    X *= np.log((1 + len(keys)) / (1 + df)) + 1
    ev = np.array([k in ev_sents for k in keys])
    norms = np.linalg.norm(X, axis=1)
    norms[norms == 0] = 1
    X /= norms[:, None]
    ia = np.array([d == doc_a for d, _ in keys])
    ib = np.array([d == doc_b for d, _ in keys])
    if not ia.any() or not ib.any():
        return pd.DataFrame(columns=ALIGN_COLUMNS)
    cos = X[ia] @ X[ib].T
    sim = np.where(cos >= min_content, cos + event_bonus * np.outer(ev[ia], ev[ib]), 0.0)
    if _matrix:
        return sim
    sa, sb = sents[ia].reset_index(drop=True), sents[ib].reset_index(drop=True)
    rows = []
    for j in range(sim.shape[1]):
        order = np.argsort(-sim[:, j], kind="stable")[:per_sentence]
        for i in order:
            if sim[i, j] < threshold:
                break
            rows.append(
                (
                    int(sa.at[i, "sent_id"]),
                    int(sb.at[j, "sent_id"]),
                    int(sa.at[i, "start"]),
                    int(sa.at[i, "end"]),
                    int(sb.at[j, "start"]),
                    int(sb.at[j, "end"]),
                    sa.at[i, "text"],
                    sb.at[j, "text"],
                    round(float(sim[i, j]), 4),
                    "frame-aligned",
                )
            )
    return pd.DataFrame(rows, columns=ALIGN_COLUMNS)


def _families_matcher() -> Callable | None:
    try:
        from .neardup import match_sentences  # type: ignore[attr-defined]

        return match_sentences
    except ImportError:
        try:
            from .neardup.semantic import match_sentences

            return match_sentences
        except ImportError:
            return None


def _aligned_pairs(docs, parent, child, matcher, story) -> pd.DataFrame:
    """Aligned sentences (a = parent, b = child): with ``matcher="auto"`` the families matcher's pairs plus the
    frame-aware aligner's (which finds rewrites of the event that share few words); duplicates kept once."""
    frames = []
    if matcher in ("auto", "families"):
        fm = _families_matcher()
        if fm is not None:
            try:
                got = fm(docs, parent, child)
                if got is not None and len(got):
                    frames.append(got[ALIGN_COLUMNS])
            except Exception as exc:  # the families matcher is optional here: fall back, but say why
                warnings.warn(f"helpers.neardup.match_sentences failed ({exc}); using the frame-aware aligner")
    if matcher in ("auto", "frame") or (matcher == "families" and not frames):
        frames.append(align_sentences(docs, parent, child, story_frames=story))
    elif callable(matcher):
        frames.append(matcher(docs, parent, child)[ALIGN_COLUMNS])
    if not frames:
        return pd.DataFrame(columns=ALIGN_COLUMNS)
    out = pd.concat(frames, ignore_index=True).drop_duplicates(["a_sent_id", "b_sent_id"])  # the matcher's row first
    return out.sort_values(["b_sent_id", "a_sent_id"], kind="stable").reset_index(drop=True)


# ----------------------------------------------------------------------------------------------- lineage
def lineage_pairs(
    docs: pd.DataFrame,
    run_dir=None,
    families: pd.DataFrame | None = None,
    lineage: pd.DataFrame | None = None,
    origin_doc: str | None = None,
) -> pd.DataFrame:
    """Which document to compare with which: ``child, parent, family_id, how``.

    Sources, the first one found wins: an explicit ``lineage`` table (``doc_id``/``child`` and ``parent``);
    the run folder's ``lineage`` or ``families`` table (a ``parent`` column, else every member against the
    family's origin: ``is_origin`` or ``role`` "origin"); ``origin_doc`` (every other document against it);
    otherwise every other document against the earliest published (or first) one, with ``how`` saying so.
    A lineage that has no derivatives (every story a single document) gives no pairs.
    """
    ids = docs["doc_id"].astype(str).tolist()
    known = set(ids)

    def from_table(t: pd.DataFrame, how: str) -> pd.DataFrame | None:
        if t is None or len(t) == 0:
            return None
        t = t.copy()
        t.columns = [str(c) for c in t.columns]
        child_col = "child" if "child" in t else ("doc_id" if "doc_id" in t else None)
        if child_col and "parent" in t:
            p = t[[child_col, "parent"] + (["family_id"] if "family_id" in t else [])].rename(
                columns={child_col: "child"}
            )
            p = p[
                p["parent"].notna()
                & (p["parent"].astype(str) != "")
                & (p["parent"].astype(str) != p["child"].astype(str))
            ]
            p = p.astype({"child": str, "parent": str})
            p = p[p["child"].isin(known) & p["parent"].isin(known)]
            if "family_id" not in p:
                p["family_id"] = p["parent"]
            return p.assign(how=how)[["child", "parent", "family_id", "how"]]  # may be empty: no derivatives
        if {"doc_id", "family_id"} <= set(t.columns) and ({"role", "is_origin"} & set(t.columns)):
            rows = []
            for fam, g in t.groupby("family_id", sort=False):
                is_org = (
                    g["is_origin"].astype(str).str.lower().isin(["true", "1"])
                    if "is_origin" in g
                    else g["role"].astype(str).str.lower().str.contains("origin")
                )
                org = g.loc[is_org.to_numpy(), "doc_id"].astype(str).tolist()
                if not org:
                    continue
                for d in g["doc_id"].astype(str):
                    if d != org[0] and d in known and org[0] in known:
                        rows.append((d, org[0], fam, how + " (against family origin)"))
            return pd.DataFrame(rows, columns=["child", "parent", "family_id", "how"])  # may be empty
        return None

    for t, how in ((lineage, "lineage given"), (families, "families given")):
        got = from_table(t, how)
        if got is not None:
            return got.reset_index(drop=True)
    if run_dir is not None:
        try:
            from .report import read_table
        except ImportError:  # pragma: no cover - report is part of the package
            read_table = None
        if read_table is not None:
            for name in ("lineage", "families", "pairs"):
                try:
                    got = from_table(read_table(run_dir, name), f"{name}.csv")
                except Exception:
                    got = None
                if got is not None:
                    return got.reset_index(drop=True)
    if origin_doc:
        o = resolve_doc(docs, origin_doc)
        how = "against origin_doc parameter"
    else:
        if "published" in docs and docs["published"].notna().any():
            o = str(docs.loc[docs["published"].idxmin(), "doc_id"])
            how = "no lineage found: against the earliest published document"
        else:
            o = ids[0]
            how = "no lineage found: against the first document (set origin_doc)"
    return pd.DataFrame([(d, o, o, how) for d in ids if d != o], columns=["child", "parent", "family_id", "how"])


# ----------------------------------------------------------------------------------------------- framing shift
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
]


def _diff_substitutions(a: list[str], b: list[str], max_len: int = 6) -> list[str]:
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "replace" and i2 - i1 <= max_len and j2 - j1 <= max_len:
            out.append(f"{' '.join(a[i1:i2])} \u2192 {' '.join(b[j1:j2])}")
    return out


def _attr_label(rows: pd.DataFrame) -> str:
    if rows is None or rows.empty:
        return ""
    rows = rows[rows["kind"] != "unattributed"]
    if rows.empty:
        return ""
    return "; ".join(f"{k}: {s}" for k, s in zip(rows["kind"], rows["source"]))


def framing_shift(
    docs: pd.DataFrame,
    pairs=None,
    run_dir=None,
    origin_doc: str | None = None,
    matcher="auto",
    lexicon=None,
    story_frames=None,
    stance_lexicon=None,
) -> pd.DataFrame:
    """Framing shift along aligned sentences, one row per aligned (parent sentence a, child sentence b) pair.

    ``pairs``: ``(child, parent)`` tuples or a table with ``child``/``doc_id`` and ``parent``; by default from
    :func:`lineage_pairs` (run folder tables, ``origin_doc``, or the first document). ``matcher``: ``"auto"``
    (the pairs of ``helpers.neardup.match_sentences`` and of :func:`align_sentences`, duplicates once),
    ``"families"``, ``"frame"`` or a callable with the same signature.
    Columns: see ``SHIFT_COLUMNS``; ``swapped`` lists story-frame terms replaced ("frame: old → frame: new"),
    ``cross_frame`` is True when the replacement moves to another story frame (exit → recalibration),
    ``attribution_change`` is ``dropped``, ``named→anonymous``, ``anonymous→named``, ``added`` or empty.
    """
    if pairs is None:
        pairs = lineage_pairs(docs, run_dir=run_dir, origin_doc=origin_doc)
    if isinstance(pairs, pd.DataFrame):
        cc = "child" if "child" in pairs else "doc_id"
        plist = list(zip(pairs[cc].astype(str), pairs["parent"].astype(str)))
    else:
        plist = [(str(c), str(p)) for c, p in pairs]
    plist = [(resolve_doc(docs, c), resolve_doc(docs, p)) for c, p in plist]
    lex = load_lexicon(lexicon) if not (isinstance(lexicon, pd.DataFrame) and "key" in lexicon) else lexicon
    story = (
        load_lexicon(None, default="framing_story.csv")
        if story_frames is None
        else (
            story_frames
            if isinstance(story_frames, pd.DataFrame) and "key" in story_frames
            else load_lexicon(story_frames)
        )
    )
    slex = (
        load_lexicon(stance_lexicon, default="framing_stance.csv")
        if not (isinstance(stance_lexicon, pd.DataFrame) and "key" in stance_lexicon)
        else stance_lexicon
    )
    honorifics = frozenset(slex.loc[slex["category"] == "honorific", "key"])
    involved = {x for pair in plist for x in pair}
    names = _Words(_tokens(docs[docs["doc_id"].astype(str).isin(involved)][["doc_id", "text"]]))
    out = []
    for child, parent in plist:
        al = _aligned_pairs(docs, parent, child, matcher, story)
        if al.empty:
            continue
        al = al.reset_index(drop=True)
        ids = [f"a{i}" for i in range(len(al))] + [f"b{i}" for i in range(len(al))]
        mini = pd.DataFrame({"doc_id": ids, "text": list(al["a_text"].astype(str)) + list(al["b_text"].astype(str))})
        toks = _tokens(mini)
        texts = dict(zip(mini["doc_id"], mini["text"]))
        fh = pd.concat(
            [match_terms(toks, story, texts).assign(lx="story"), match_terms(toks, lex, texts).assign(lx="frames")],
            ignore_index=True,
        )
        fh = fh[~fh["negated"].astype(bool)] if len(fh) else fh
        st = match_terms(toks, slex, texts, overlap="category", negation=False)
        attr = attributions(
            mini.assign(title_len=0), toks, st, honorifics, known_caps=names.known_caps, lower_seen=names.lower_seen
        )
        w = _words(toks)
        wn = {k: g["norm"].tolist() for k, g in w.groupby("doc_id", sort=False)}
        for i, r in al.iterrows():
            a, b = f"a{i}", f"b{i}"
            fa = fh[fh["doc_id"] == a]
            fb = fh[fh["doc_id"] == b]
            ka = {(c, normalise(t)) for c, t in zip(fa["category"], fa["text"])}
            kb = {(c, normalise(t)) for c, t in zip(fb["category"], fb["text"])}
            sa = {_stem_key(t) for t in fa["text"]}
            sb = {_stem_key(t) for t in fb["text"]}
            removed = sorted({(c, t) for c, t in ka if _stem_key(t) not in sb})
            added = sorted({(c, t) for c, t in kb if _stem_key(t) not in sa})
            story_names = set(story["category"])
            rs = [f"{c}: {t}" for c, t in removed if c in story_names]
            ad = [f"{c}: {t}" for c, t in added if c in story_names]
            swapped = f"{' | '.join(rs)} \u2192 {' | '.join(ad)}" if rs and ad else ""
            cross = bool(rs and ad) and (
                {c for c, _ in removed if c in story_names} != {c for c, _ in added if c in story_names}
            )
            ha = st[(st["doc_id"] == a) & (st["category"] == "hedge")]["text"].map(normalise).tolist()
            hb = st[(st["doc_id"] == b) & (st["category"] == "hedge")]["text"].map(normalise).tolist()
            ba = int(((st["doc_id"] == a) & (st["category"] == "booster")).sum())
            bb = int(((st["doc_id"] == b) & (st["category"] == "booster")).sum())
            la = _attr_label(attr[attr["doc_id"] == a])
            lb = _attr_label(attr[attr["doc_id"] == b])
            if la and not lb:
                change = "dropped"
            elif lb and not la:
                change = "added"
            elif la.startswith("named") and lb.startswith("anonymous"):
                change = "named\u2192anonymous"
            elif la.startswith("anonymous") and lb.startswith("named"):
                change = "anonymous\u2192named"
            else:
                change = ""
            out.append(
                (
                    child,
                    parent,
                    int(r["a_sent_id"]),
                    int(r["b_sent_id"]),
                    float(r["score"]),
                    r["kind"],
                    r["a_text"],
                    r["b_text"],
                    "; ".join(f"{c}: {t}" for c, t in removed),
                    "; ".join(f"{c}: {t}" for c, t in added),
                    swapped,
                    cross,
                    "; ".join(_diff_substitutions(wn.get(a, []), wn.get(b, []))),
                    len(ha),
                    len(hb),
                    len(hb) - len(ha),
                    "; ".join(sorted((Counter(hb) - Counter(ha)).elements())),
                    "; ".join(sorted((Counter(ha) - Counter(hb)).elements())),
                    "; ".join(ha),
                    "; ".join(hb),
                    ba,
                    bb,
                    bb - ba,
                    la,
                    lb,
                    change,
                )
            )
    return pd.DataFrame(out, columns=SHIFT_COLUMNS)


def _stem_key(text: str) -> str:
    return " ".join(_term_forms(text, "stem"))


def shift_summary(shift: pd.DataFrame, result: FramingResult | None = None) -> pd.DataFrame:
    """One row per derivative: aligned pairs, net hedging change, attribution lost, frame terms swapped.

    Hedges and boosters are counted once per sentence over the aligned part of each document (child minus parent);
    ``attribution_dropped`` counts parent sentences with an attribution none of whose aligned child sentences has one.

    With ``result`` (from :func:`analyse`), also document-level changes: hedges per 1,000 words (child − parent),
    story-frame rates (child − parent) and the named sources of the parent that the child does not name.
    """
    cols = [
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
    ]
    if shift is None or shift.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for (c, p), g in shift.groupby(["child", "parent"], sort=False):
        # each sentence counts once, however many partners it has: aligned part of the child minus that of the parent
        ua, ub = g.drop_duplicates("a_sent_id"), g.drop_duplicates("b_sent_id")
        words_a = Counter(x for s in ua["hedge_words_a"].fillna("") for x in s.split("; ") if x)
        words_b = Counter(x for s in ub["hedge_words_b"].fillna("") for x in s.split("; ") if x)
        added, removed = words_b - words_a, words_a - words_b
        attributed = g[g["attribution_a"].fillna("") != ""]
        dropped = sum(1 for _, x in attributed.groupby("a_sent_id") if (x["attribution_b"].fillna("") == "").all())
        anonymised = g.loc[g["attribution_change"] == "named\u2192anonymous", "a_sent_id"].nunique()
        sw = [s for s in g["swapped"] if s]
        terms = Counter(
            " \u2192 ".join(" | ".join(x.split(": ", 1)[-1] for x in side.split(" | ")) for side in s.split(" \u2192 "))
            for s in sw
        )  # "frame: term" -> "term"
        rows.append(
            (
                c,
                p,
                len(g),
                int(ub["hedges_b"].sum() - ua["hedges_a"].sum()),
                ", ".join(f"{k} ({v})" for k, v in added.most_common(6)),
                ", ".join(f"{k} ({v})" for k, v in removed.most_common(6)),
                int(ub["boosters_b"].sum() - ua["boosters_a"].sum()),
                int(dropped),
                int(anonymised),
                len(sw),
                int(g["cross_frame"].astype(bool).sum()),
                " || ".join(t for t, _ in terms.most_common(5)),
            )
        )
    out = pd.DataFrame(rows, columns=cols)
    if result is not None:
        t = result.table.set_index("doc_id")
        out["d_hedges_per_1k"] = [
            t.at[c, "hedges_per_1k"] - t.at[p, "hedges_per_1k"] for c, p in zip(out["child"], out["parent"])
        ]
        for f in result.story_frame_names:
            out[f"d_{f}"] = [t.at[c, f] - t.at[p, f] for c, p in zip(out["child"], out["parent"])]
        named = result.attributions[result.attributions["kind"] == "named"]
        by_doc = {d: set(g["source"]) for d, g in named.groupby("doc_id")}
        lost = []
        for c, p in zip(out["child"], out["parent"]):
            child_names = " ".join(by_doc.get(c, set())).casefold()
            lost.append(
                ", ".join(sorted(s for s in by_doc.get(p, set()) if s.split()[-1].casefold() not in child_names))
            )
        out["named_sources_lost"] = lost
    return out


# ----------------------------------------------------------------------------------------------- concordance
def kwic(docs_or_result, terms, window: int = 8, match: str = "stem", include_title: bool = True) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``terms`` (a word, phrase or list) with ``window`` words each side.

    Accepts a documents table or a :class:`FramingResult` (reuses its tokens). ``match``: ``stem`` (inflections)
    or ``exact``. Returns ``doc_id, field, left, keyword, right, start, end`` (plain text: display it as a
    DataFrame, or escape it before building HTML).
    """
    if isinstance(docs_or_result, FramingResult):
        view, toks = docs_or_result.view, docs_or_result.tokens
    else:
        view = _view(docs_or_result, include_title)
        toks = _tokens(view[["doc_id", "text"]])
    terms = [terms] if isinstance(terms, str) else list(terms)
    lex = load_lexicon(pd.DataFrame({"category": "kwic", "term": terms, "match": match}))
    texts = dict(zip(view["doc_id"], view["text"]))
    hits = match_terms(toks, lex, texts, negation=False)
    cols = ["doc_id", "field", "left", "keyword", "right", "start", "end"]
    if hits.empty:
        return pd.DataFrame(columns=cols)
    w = _words(toks)
    bounds = {d: (g["start"].to_numpy(), g["end"].to_numpy()) for d, g in w.groupby("doc_id", sort=False)}
    rows = []
    for d, p, ln, s, e in zip(hits["doc_id"], hits["pos"], hits["length"], hits["start"], hits["end"]):
        st, en = bounds[d]
        ls = st[max(0, p - window)]
        re_ = en[min(len(en) - 1, p + ln - 1 + window)]
        t = texts[d]
        rows.append((d, int(s), int(e), " ".join(t[ls:s].split()), t[s:e], " ".join(t[e:re_].split())))
    out = pd.DataFrame(rows, columns=["doc_id", "start", "end", "left", "keyword", "right"])
    out = _field_offsets(out, view)
    return out[cols]


def concordance(
    result: FramingResult, top: int = 8, per_term: int = 3, window: int = 8, frames: Iterable[str] | None = None
) -> pd.DataFrame:
    """Concordance lines for the most frequent frame terms, story frames first: ``frame, term`` + KWIC columns."""
    hits = result.frame_hits
    if hits.empty:
        return pd.DataFrame(columns=["frame", "term", "doc_id", "field", "left", "keyword", "right", "start", "end"])
    if frames is not None:
        hits = hits[hits["category"].isin(set(frames))]
    hits = hits[~hits["negated"].astype(bool).to_numpy()]
    counts = hits.groupby(["lexicon", "category", "term"]).size().rename("n").reset_index()
    counts["story"] = counts["lexicon"] == "story"  # the story's own frame words first, then the MFC terms
    counts = counts.sort_values(["story", "n", "term"], ascending=[False, False, True], kind="stable").head(top)
    top_terms = pd.Series(counts["n"].to_numpy(), index=pd.MultiIndex.from_frame(counts[["category", "term"]]))
    texts = dict(zip(result.view["doc_id"], result.view["text"]))
    w = _words(result.tokens)
    bounds = {d: (g["start"].to_numpy(), g["end"].to_numpy()) for d, g in w.groupby("doc_id", sort=False)}
    tl = dict(zip(result.view["doc_id"], result.view["title_len"]))
    rows = []
    for (cat, term), _ in top_terms.items():
        sel = hits[(hits["category"] == cat) & (hits["term"] == term)].head(per_term)
        for d, p, ln, f, s, e in zip(sel["doc_id"], sel["pos"], sel["length"], sel["field"], sel["start"], sel["end"]):
            off = tl[d] if f == "text" else 0
            S, E = s + off, e + off
            st, en = bounds[d]
            ls, re_ = st[max(0, p - window)], en[min(len(en) - 1, p + ln - 1 + window)]
            t = texts[d]
            rows.append((cat, term, d, f, " ".join(t[ls:S].split()), t[S:E], " ".join(t[E:re_].split()), s, e))
    return pd.DataFrame(rows, columns=["frame", "term", "doc_id", "field", "left", "keyword", "right", "start", "end"])


# ----------------------------------------------------------------------------------------------- charts
def _short(doc_id: str, n: int = 18) -> str:
    return clip(doc_id, n)


def plot_frame_heatmap(table: pd.DataFrame, frames: list[str] | None = None, ax=None, max_docs: int = 40):
    """Documents × frames heatmap of rates per 1,000 words (frames with no hits anywhere are dropped; at most
    ``max_docs`` documents, the first ones, are drawn: the table has them all)."""
    import matplotlib.pyplot as plt

    t = table.set_index("doc_id").head(max_docs)
    cols = [c for c in (frames or [c for c in t.columns if c not in _NON_FRAME])] if frames is None else frames
    cols = [c for c in cols if c in t and t[c].fillna(0).abs().sum() > 0] or list(cols)[:1]
    m = t[cols].astype(float)
    if ax is None:
        fig, ax = plt.subplots(figsize=(max(6, 0.55 * len(cols) + 3), max(2.5, 0.45 * len(m) + 1.5)))
    im = ax.imshow(m.to_numpy(), aspect="auto", cmap="viridis")
    ax.set_xticks(range(len(cols)), [clip(c, 28) for c in cols], rotation=60, ha="right")
    ax.set_yticks(range(len(m)), [_short(d) for d in m.index])
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            v = m.iat[i, j]
            if np.isfinite(v) and v > 0:
                ax.text(j, i, f"{v:.0f}", ha="center", va="center", color="w", fontsize=7)
    ax.figure.colorbar(im, ax=ax, label="per 1,000 words")
    ax.set_title(
        "Frame terms per 1,000 words"
        + (f" (first {max_docs} of {len(table)} documents)" if len(table) > max_docs else "")
    )
    ax.figure.tight_layout()
    return ax


_NON_FRAME = {
    "hedges_per_1k",
    "boosters_per_1k",
    "named_sources",
    "anonymous_sources",
    "quotes",
    "sentiment",
    "n_words",
    "english",
    "note",
}


def plot_stance(table: pd.DataFrame, ax=None, max_docs: int = 40):
    """Grouped bars per document (the first ``max_docs``): hedges and boosters per 1,000 words, named and
    anonymous sources, direct quotes."""
    import matplotlib.pyplot as plt

    t = table.set_index("doc_id").head(max_docs)
    if ax is None:
        fig, ax = plt.subplots(1, 2, figsize=(11, max(3, 0.4 * len(t) + 1.5)))
    y = np.arange(len(t))
    for k, (col, lab) in enumerate([("hedges_per_1k", "hedges"), ("boosters_per_1k", "boosters")]):
        ax[0].barh(y + (k - 0.5) * 0.38, t[col].fillna(0), height=0.38, label=lab)
    ax[0].set_yticks(y, [_short(d) for d in t.index])
    ax[0].set_xlabel("per 1,000 words")
    ax[0].legend()
    ax[0].set_title("Hedging and boosting")
    for k, (col, lab) in enumerate(
        [("named_sources", "named sources"), ("anonymous_sources", "anonymous sources"), ("quotes", "direct quotes")]
    ):
        ax[1].barh(y + (k - 1) * 0.27, t[col].fillna(0), height=0.27, label=lab)
    ax[1].set_yticks(y, [_short(d) for d in t.index])
    ax[1].set_xlabel("count")
    ax[1].legend()
    ax[1].set_title("Attribution")
    ax[0].figure.tight_layout()
    return ax


def plot_keyness(k: pd.DataFrame, n: int = 12, ax=None, title: str | None = None):
    """Horizontal bars of z-scores: the ``n`` terms most typical of each group."""
    import matplotlib.pyplot as plt

    if k.empty:
        return None
    sel = pd.concat([k.head(n), k.tail(n)]).drop_duplicates("term").sort_values("z")
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, max(3, 0.25 * len(sel) + 1)))
    colors = np.where(sel["z"] >= 0, "#1f77b4", "#d62728")
    ax.barh(range(len(sel)), sel["z"], color=colors)
    ax.set_yticks(range(len(sel)), sel["term"])
    ax.axvline(1.96, ls=":", c="grey")
    ax.axvline(-1.96, ls=":", c="grey")
    la = k["favours"].iloc[0] if len(k) else "A"
    lb = k["favours"].iloc[-1] if len(k) else "B"
    ax.set_xlabel(f"z (log-odds, informative prior): right = {la}, left = {lb}")
    if title:
        ax.set_title(title)
    ax.figure.tight_layout()
    return ax


def plot_actor_salience(salience: pd.DataFrame, top: int = 8, ax=None, max_docs: int = 40):
    """Heatmap of actor mentions per 1,000 words for the ``top`` actors over all documents."""
    import matplotlib.pyplot as plt

    if salience.empty:
        return None
    best = salience.groupby("actor")["mentions"].sum().sort_values(ascending=False, kind="stable").head(top).index
    m = (
        salience[salience["actor"].isin(best)]
        .pivot_table(index="doc_id", columns="actor", values="per_1k", aggfunc="sum", fill_value=0)[list(best)]
        .head(max_docs)
    )
    if ax is None:
        fig, ax = plt.subplots(figsize=(max(6, 0.7 * len(best) + 3), max(2.5, 0.45 * len(m) + 1.5)))
    im = ax.imshow(m.to_numpy(), aspect="auto", cmap="magma_r")
    ax.set_xticks(range(len(best)), list(best), rotation=45, ha="right")
    ax.set_yticks(range(len(m)), [_short(d) for d in m.index])
    ax.figure.colorbar(im, ax=ax, label="mentions per 1,000 words")
    ax.set_title("Actor salience")
    ax.figure.tight_layout()
    return ax


def plot_shift_summary(summary: pd.DataFrame, ax=None):
    """Bars per derivative: net hedging change, attribution dropped, frame-term swaps (over aligned pairs)."""
    import matplotlib.pyplot as plt

    if summary.empty:
        return None
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, max(3, 0.5 * len(summary) + 1.5)))
    y = np.arange(len(summary))
    for k, (col, lab) in enumerate(
        [
            ("net_hedging", "net hedges added"),
            ("attribution_dropped", "attributions dropped"),
            ("frame_swaps", "story-frame swaps"),
        ]
    ):
        ax.barh(y + (k - 1) * 0.27, summary[col], height=0.27, label=lab)
    ax.set_yticks(y, [f"{_short(c)} \u2190 {_short(p, 10)}" for c, p in zip(summary["child"], summary["parent"])])
    ax.axvline(0, c="k", lw=0.8)
    ax.set_xlabel("count over aligned sentence pairs")
    ax.legend()
    ax.set_title("Framing shift from parent to derivative")
    ax.figure.tight_layout()
    return ax
