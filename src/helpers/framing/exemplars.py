"""Frame exemplars: short sentences describing the content of each frame, and how close a text's sentences come
to them.

``helpers/data/framing_exemplars.csv`` holds, for each scheme (``mfc``: the 15 Media Frames dimensions, Boydstun
et al. 2014; ``generic``: the five generic frames of Semetko & Valkenburg 2000), sentences written from the
codebooks' descriptions as classes of content that could appear in a story on any issue. A sentence's
similarity to a frame is its highest cosine with one of the frame's exemplars:

* ``tfidf`` (default, no model): content stems of the sentence (binary, each stem weighted 1) against the
  exemplar's stems weighted by their inverse frequency among all exemplars of the scheme, so that words
  shared by many frames count little. Built straight from a token table: no text is tokenised again.
* ``minilm``: cosine of all-MiniLM-L6-v2 sentence embeddings (the ``embeddings`` extra, loaded offline as
  ``helpers.neardup.semantic`` does); about 500 sentences a second on two cores, so meant for validation and
  small corpora.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse

from .._data import data_path
from ..tokenise import tokens
from .documents import word_tokens
from .lexicon import LexiconError

__all__ = ["EXEMPLAR_METHODS", "load_exemplars", "sentence_units", "content_rows", "exemplar_similarity"]

EXEMPLARS = "framing_exemplars.csv"
EXEMPLAR_METHODS = ("tfidf", "minilm")
_CHUNK = 20_000  # sentences scored per block (bounds memory at sentences x exemplars)


def load_exemplars(scheme: str, source=None) -> pd.DataFrame:
    """``frame, exemplar`` rows of one scheme, from ``source`` (a CSV path or a DataFrame with ``scheme, frame,
    exemplar``) or the shipped file. Raises :class:`LexiconError` naming the file when it is malformed."""
    where = "shipped exemplars framing_exemplars.csv" if source is None else f"exemplars {source}"
    if isinstance(source, pd.DataFrame):
        df = source
    else:
        try:
            handle = data_path(EXEMPLARS).open(encoding="utf-8") if source is None else open(source, encoding="utf-8")
            with handle as fh:
                df = pd.read_csv(fh, comment="#", dtype=str, keep_default_na=False)
        except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise LexiconError(f"{where}: cannot be read ({exc})") from exc
    if not {"scheme", "frame", "exemplar"} <= set(df.columns):
        raise LexiconError(f"{where}: needs columns scheme, frame, exemplar; found {list(df.columns)}")
    out = df[df["scheme"] == scheme][["frame", "exemplar"]].astype(str)
    out = out[(out["frame"].str.strip() != "") & (out["exemplar"].str.strip() != "")]
    if out.empty:
        raise LexiconError(f"{where}: no exemplars for scheme {scheme!r}")
    return out.reset_index(drop=True)


def sentence_units(w: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The sentences of a word-token table (``doc_id, sent_id, words``: one row each, in table order, with its
    number of words) and each word's row among them."""
    doc = pd.factorize(w["doc_id"].to_numpy(object))[0].astype(np.int64)
    sent = w["sent_id"].to_numpy(np.int64)
    key = doc * (int(sent.max()) + 1 if len(sent) else 1) + sent
    codes, uniques = pd.factorize(key)
    first = np.unique(codes, return_index=True)[1]
    units = pd.DataFrame(
        {"doc_id": w["doc_id"].to_numpy(object)[first], "sent_id": sent[first], "words": np.bincount(codes)}
    )
    return units, codes


def content_rows(toks: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The sentences of a token table (``doc_id, sent_id``, one row each, in table order) and, per content word
    (not a stopword, not punctuation, at least two characters with a letter), its sentence row and stem."""
    w = word_tokens(toks)
    units, codes = sentence_units(w)
    norm = w["norm"].to_numpy(object)
    n_codes, uniques = pd.factorize(norm)
    ok = np.array([len(u) > 1 and any(c.isalpha() for c in u) for u in uniques], dtype=bool)
    content = ~w["is_stop"].to_numpy(bool) & (ok[n_codes] if len(n_codes) else np.zeros(0, bool))
    return units, codes[content], w["stem"].to_numpy(object)[content]


@lru_cache(maxsize=4)
def _tfidf_exemplars(scheme: str) -> tuple[sparse.csr_matrix, dict[str, int], np.ndarray]:
    """Exemplar vectors of the shipped exemplars of ``scheme``: l2-normalised IDF weights over their stems."""
    ex = load_exemplars(scheme)
    return _exemplar_vectors(ex)


def _exemplar_vectors(ex: pd.DataFrame) -> tuple[sparse.csr_matrix, dict[str, int], np.ndarray]:
    toks = tokens(pd.DataFrame({"doc_id": [f"e{i}" for i in range(len(ex))], "text": ex["exemplar"].tolist()}))
    units, rows, stems = content_rows(toks)
    row_of = {d: k for k, d in enumerate(f"e{i}" for i in range(len(ex)))}
    ex_row = np.array([row_of[d] for d in units["doc_id"]])[rows]
    vocab = {s: k for k, s in enumerate(dict.fromkeys(stems))}
    cols = np.array([vocab[s] for s in stems], dtype=np.int64)
    X = sparse.csr_matrix((np.ones(len(cols)), (ex_row, cols)), shape=(len(ex), len(vocab)))
    X.data[:] = 1.0  # presence
    df = np.asarray((X > 0).sum(axis=0)).ravel()
    X = X.multiply(np.log((1 + len(ex)) / (1 + df)) + 1).tocsr()
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    X = sparse.diags(1 / np.where(norms > 0, norms, 1)) @ X
    return X.tocsr(), vocab, ex["frame"].to_numpy(object)


def _frame_max(sim: np.ndarray, ex_frames: np.ndarray, frames: list[str]) -> np.ndarray:
    out = np.zeros((sim.shape[0], len(frames)), dtype=np.float32)
    for j, f in enumerate(frames):
        cols = np.flatnonzero(ex_frames == f)
        if len(cols):
            out[:, j] = sim[:, cols].max(axis=1)
    return out


def _tfidf_similarity(toks, scheme: str, exemplars, frames: list[str], content) -> tuple[pd.DataFrame, np.ndarray]:
    E, vocab, ex_frames = _tfidf_exemplars(scheme) if exemplars is None else _exemplar_vectors(exemplars)
    units, rows, stems = content_rows(toks) if content is None else content
    n_content = np.bincount(rows, minlength=len(units)).astype(float)
    codes, distinct = pd.factorize(np.asarray(stems, dtype=object))  # each distinct stem looked up once
    cols = np.r_[np.array([vocab.get(x, -1) for x in distinct], dtype=np.int64), -1][codes]  # -1: not in vocab
    known = cols >= 0
    S = sparse.csr_matrix((np.ones(int(known.sum())), (rows[known], cols[known])), shape=(len(units), len(vocab)))
    S.data[:] = 1.0
    scale = 1 / np.sqrt(np.where(n_content > 0, n_content, 1))
    out = np.zeros((len(units), len(frames)), dtype=np.float32)
    Et = E.T.tocsc()
    for lo in range(0, len(units), _CHUNK):
        block = (S[lo : lo + _CHUNK] @ Et).toarray() * scale[lo : lo + _CHUNK, None]
        out[lo : lo + _CHUNK] = _frame_max(block, ex_frames, frames)
    return units, out


@lru_cache(maxsize=4)
def _embedded(texts: tuple[str, ...]) -> np.ndarray:
    """MiniLM embeddings of ``texts``, kept for the next scheme scored on the same sentences."""
    from ..neardup.semantic import embed

    return embed(list(texts))


def _minilm_similarity(toks: pd.DataFrame, texts: dict, scheme: str, exemplars, frames) -> tuple:
    ex = load_exemplars(scheme) if exemplars is None else exemplars
    w = word_tokens(toks).groupby(["doc_id", "sent_id"], sort=False).agg(start=("start", "min"), end=("end", "max"))
    w = w.reset_index()
    sentences = [texts[d][s:e] for d, s, e in zip(w["doc_id"], w["start"], w["end"])]
    sim = _embedded(tuple(sentences)) @ _embedded(tuple(ex["exemplar"])).T if sentences else np.zeros((0, len(ex)))
    return w[["doc_id", "sent_id"]], _frame_max(sim, ex["frame"].to_numpy(object), frames)


def exemplar_similarity(
    toks: pd.DataFrame,
    scheme: str,
    frames: list[str],
    method: str = "tfidf",
    texts=None,
    exemplars=None,
    content: tuple | None = None,
) -> pd.DataFrame:
    """Per sentence of ``toks`` (``doc_id, sent_id``), its similarity (0-1) to each frame of ``frames``: the
    highest cosine with one of the frame's exemplars. ``method``: ``tfidf`` or ``minilm`` (needs ``texts``,
    ``{doc_id: text}`` of the text the tokens index). ``exemplars``: ``frame, exemplar`` rows replacing the
    shipped ones of ``scheme``. ``content``: :func:`content_rows` of ``toks`` when already made."""
    if method not in EXEMPLAR_METHODS:
        raise ValueError(f"exemplar method must be one of {EXEMPLAR_METHODS}, got {method!r}")
    if method == "tfidf":
        units, sim = _tfidf_similarity(toks, scheme, exemplars, frames, content)
    else:
        units, sim = _minilm_similarity(toks, texts, scheme, exemplars, frames)
    units = units[["doc_id", "sent_id"]].reset_index(drop=True)
    return pd.concat([units, pd.DataFrame(sim, columns=frames)], axis=1)
