"""The text framing reads: one row per document (headline, if any, then body) and its word tokens.

Matches are found in the *view* text (``title + "\\n\\n" + text``); :func:`to_field_offsets` turns their offsets
back into offsets of the documents table's ``title`` or ``text`` field.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..tokenise import tokens

__all__ = [
    "resolve_doc",
    "doc_resolver",
    "document_view",
    "view_tokens",
    "word_tokens",
    "sentence_table",
    "plain_tokens",
    "mark_openers",
    "to_field_offsets",
]

# A title whose first half (at least this many characters) starts the text is the text's first line, not a headline.
TITLE_PREFIX_MIN = 10
# Tokens after which a capitalised word starts a new utterance ("Host: Welcome", '"We', "(Reuters").
OPENERS = frozenset({":", '"', "``", "''", "*", "**", "#", "(", "-", "--", ";"})


def resolve_doc(docs: pd.DataFrame, doc: str) -> str:
    """The full ``doc_id`` for ``doc``: an exact id, or a unique prefix of one (``"004"``)."""
    ids = docs["doc_id"].astype(str)
    if (ids == str(doc)).any():
        return str(doc)
    hits = ids[ids.str.startswith(str(doc))].tolist()
    if len(hits) == 1:
        return hits[0]
    raise KeyError(f"no document {doc!r}" if not hits else f"{doc!r} is ambiguous: {hits[:5]}")


def doc_resolver(docs: pd.DataFrame):
    """:func:`resolve_doc` for many ids of one table: an exact id is looked up in a set made once (a prefix is
    still resolved against the table)."""
    ids = set(docs["doc_id"].astype(str))
    return lambda doc: str(doc) if str(doc) in ids else resolve_doc(docs, doc)


def _as_text(value) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def _headline(title, text: str) -> str:
    """The title to score with ``text``: empty when missing, truncated ("…") or already the text's start."""
    title = _as_text(title).strip()
    if title.endswith(("\u2026", "...")):  # a truncated first sentence, not a headline
        return ""
    return title if title and not text.lstrip().startswith(title[: max(TITLE_PREFIX_MIN, len(title) // 2)]) else ""


def document_view(docs: pd.DataFrame, include_title: bool = True) -> pd.DataFrame:
    """One row per document with the text to analyse: ``doc_id``, ``text`` (headline + body), ``title_len``
    (characters of the view that precede the body)."""
    n = len(docs)
    ids = docs["doc_id"].astype(str).tolist() if "doc_id" in docs else [str(i) for i in range(n)]
    texts = [_as_text(t) for t in (docs["text"] if "text" in docs else [""] * n)]
    if include_title and "title" in docs:
        titles = [_headline(t, x) for t, x in zip(docs["title"], texts)]
    else:
        titles = [""] * n
    full = [f"{t}\n\n{x}" if t else x for t, x in zip(titles, texts)]
    return pd.DataFrame({"doc_id": ids, "text": full, "title_len": [len(t) + 2 if t else 0 for t in titles]})


def view_tokens(view: pd.DataFrame, text_tokens: pd.DataFrame | None = None) -> pd.DataFrame:
    """The token table (:func:`helpers.tokenise.tokens`) of a view's texts.

    ``text_tokens``: the token table of the documents' ``text`` field already made (notebook 01's, read with
    :func:`helpers.report.load_tokens`); then only the headlines are tokenised here and the body's tokens are
    shifted behind them (a headline is its own paragraph, so the body tokenises the same either way)."""
    if text_tokens is None:
        return tokens(view[["doc_id", "text"]])
    headed = view[view["title_len"] > 0]
    titles = tokens(
        pd.DataFrame(
            {"doc_id": headed["doc_id"], "text": [t[: n - 2] for t, n in zip(headed["text"], headed["title_len"])]}
        )
    )
    titles = plain_tokens(titles) if _is_plain(text_tokens) else titles  # both sides alike: no conversion below
    in_view = text_tokens["doc_id"].isin(set(view["doc_id"])).to_numpy(bool)
    body = text_tokens if in_view.all() else text_tokens[in_view]
    if len(titles):
        per_title = titles.groupby("doc_id")
        shift = pd.DataFrame(
            {
                "chars": dict(zip(headed["doc_id"], headed["title_len"])),
                "sents": per_title["sent_id"].max() + 1,
                "toks": per_title.size(),
            }
        ).fillna(0)
        codes, uniques = pd.factorize(body["doc_id"])  # per distinct document, not per token
        by = shift.reindex(uniques).fillna(0).astype("int64")
        body = body.assign(
            start=body["start"].to_numpy() + by["chars"].to_numpy()[codes],
            end=body["end"].to_numpy() + by["chars"].to_numpy()[codes],
            sent_id=body["sent_id"].to_numpy() + by["sents"].to_numpy()[codes],
            tok_id=body["tok_id"].to_numpy() + by["toks"].to_numpy()[codes],
        )
    if not len(titles):
        return body.take(_view_order(view, body)).reset_index(drop=True)
    body = body[titles.columns]
    order = _view_order(view, pd.DataFrame({c: _joined(titles[c], body[c]) for c in ("doc_id", "tok_id")}))
    # column by column: one copy of the large table, not a concatenation and then a reordering
    return pd.DataFrame({c: _joined(titles[c], body[c], order) for c in titles.columns})


def _is_plain(toks: pd.DataFrame) -> bool:
    return toks["doc_id"].dtype == object


def _joined(a: pd.Series, b: pd.Series, order: np.ndarray | None = None) -> pd.Series:
    """``a`` then ``b`` as one column (its rows ``order`` when given); plain strings stay plain."""
    if isinstance(a.dtype, np.dtype) and a.dtype == b.dtype:  # NumPy columns, plain strings among them
        joined = np.concatenate([a.to_numpy(), b.to_numpy()])
        return pd.Series(joined if order is None else joined[order], dtype=a.dtype)
    joined = pd.concat([a, b], ignore_index=True)
    return joined if order is None else joined.take(order).reset_index(drop=True)


def _view_order(view: pd.DataFrame, toks: pd.DataFrame) -> np.ndarray:
    """The rows of ``toks`` in the view's document order, each document's tokens by ``tok_id`` (a stable sort, so
    equal keys keep their order)."""
    position = pd.Series(np.arange(len(view)), index=view["doc_id"].to_numpy())
    codes, uniques = pd.factorize(toks["doc_id"])
    doc = position.reindex(uniques).to_numpy()[codes] if len(toks) else np.zeros(0, np.int64)
    tok = toks["tok_id"].to_numpy()
    if len(doc) and not np.isnan(doc.astype(float)).any():
        # a stable sort by document is enough when each document's rows are in tok_id order already (the usual case)
        order = np.argsort(doc.astype(np.int64), kind="stable")
        d, t = doc[order], tok[order]
        same = d[1:] == d[:-1]
        if (t[1:][same] > t[:-1][same]).all():
            return order
    return np.lexsort((tok, doc))


def mark_openers(toks: pd.DataFrame) -> pd.DataFrame:
    """Adds ``after_opener``: the token before is one of :data:`OPENERS`."""
    opener = toks["norm"].isin(OPENERS).to_numpy(bool)
    return toks.assign(after_opener=np.r_[False, opener[:-1]] if len(opener) else opener)


def word_tokens(toks: pd.DataFrame) -> pd.DataFrame:
    """The word rows of a token table (punctuation dropped), with ``after_opener`` marked before dropping it.
    A table that is already that (``after_opener`` marked, no punctuation) is returned as it is."""
    if "after_opener" not in toks:
        toks = mark_openers(toks)
    punct = toks["is_punct"].to_numpy(bool)
    if not punct.any():
        return toks
    return toks.loc[~punct].reset_index(drop=True)


def plain_tokens(toks: pd.DataFrame) -> pd.DataFrame:
    """A token table with its text columns as plain Python strings (NumPy object arrays): the steps read them
    token by token many times, which Arrow-backed strings make slow. Each distinct string is made once and
    shared by its rows (a corpus of 4 million tokens has under 100,000 distinct ones): a quarter of the memory
    of one string per row, and faster to make."""
    text_cols = [c for c in ("doc_id", "token", "norm", "stem") if c in toks and toks[c].dtype != object]
    if not text_cols:
        return toks
    # as Series of dtype object: an object array alone is turned back into Arrow strings by pandas 3
    return toks.assign(**{c: pd.Series(_shared_strings(toks[c]), index=toks.index, dtype=object) for c in text_cols})


def _shared_strings(column: pd.Series) -> np.ndarray:
    """``column`` as an object array in which equal values are one Python string (as ``astype(object)`` gives,
    missing values included)."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    if (codes < 0).any():
        return column.astype(object).to_numpy()
    return np.asarray(uniques, dtype=object)[codes]


def sentence_table(view: pd.DataFrame, toks: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence of a token table: ``doc_id, sent_id, start, end, text`` (offsets into the view
    text, from the sentence's first token to its last)."""
    g = toks.groupby(["doc_id", "sent_id"], sort=False).agg(start=("start", "min"), end=("end", "max")).reset_index()
    texts = dict(zip(view["doc_id"], view["text"]))
    g["text"] = [texts[d][s:e] for d, s, e in zip(g["doc_id"], g["start"], g["end"])]
    return g


def to_field_offsets(df: pd.DataFrame, view: pd.DataFrame) -> pd.DataFrame:
    """Sets ``field`` (``title`` or ``text``) and makes ``start``/``end`` offsets into that field, in place."""
    title_len = df["doc_id"].map(dict(zip(view["doc_id"], view["title_len"]))).fillna(0).astype("int64")
    in_text = df["start"].to_numpy() >= title_len.to_numpy()
    df["field"] = np.where(in_text, "text", "title")
    df["start"] = np.where(in_text, df["start"] - title_len, df["start"])
    df["end"] = np.where(in_text, df["end"] - title_len, df["end"])
    return df
