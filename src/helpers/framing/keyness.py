"""Keyness: the words more typical of one group of documents than of another (log-odds ratio with an
informative Dirichlet prior, Monroe, Colaresi & Quinn 2008), and the standard comparisons of a corpus."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from ..tokenise import tokens
from .documents import doc_resolver, word_tokens

__all__ = [
    "KeynessParams",
    "KEYNESS_COLUMNS",
    "COMPARISON_COLUMNS",
    "keyness",
    "log_odds",
    "against_the_rest",
    "term_counts",
    "origin_keyness",
    "keyness_comparisons",
]

KEYNESS_COLUMNS = ["term", "count_a", "count_b", "per_1k_a", "per_1k_b", "log_odds", "se", "z", "favours"]
COMPARISON_COLUMNS = ["comparison", "group_a", "group_b", *KEYNESS_COLUMNS]


@dataclass(frozen=True)
class KeynessParams:
    """The prior of :func:`keyness` when ``alpha0`` is not given. Set when the prior was introduced (commit
    ed1e798) so that a word used twice by one short document does not top the list; not tuned on labelled data.

    - ``prior_share``, ``min_alpha0``, ``max_alpha0``: ``alpha0`` (pseudo-counts of the prior) is this share of
      the mean group size in words, clipped to ``min_alpha0 .. max_alpha0``.
    - ``background_smoothing``: pseudo-count added to every term of the background, so that a term unseen in it
      still gets some prior mass.
    """

    prior_share: float = 0.1
    min_alpha0: float = 1.0
    max_alpha0: float = 1000.0
    background_smoothing: float = 0.01


def term_counts(toks: pd.DataFrame, unit: str = "norm", drop_stopwords: bool = True, ngram: int = 1) -> pd.DataFrame:
    """``doc_id, term, n``: word (or ``ngram``-word) counts within sentences; bare numbers are no terms."""
    read = ["doc_id", "sent_id", "norm", unit, "is_stop", "is_punct", "after_opener"]
    w = word_tokens(toks[[c for c in dict.fromkeys(read) if c in toks]])  # the columns counted (tables are large)
    if drop_stopwords and ngram == 1:
        w = w[~w["is_stop"].to_numpy(bool)]
    codes, forms = pd.factorize(w["norm"].to_numpy(object), use_na_sentinel=False)
    letter = pd.Series(forms, dtype=object).str.contains(r"[^\W\d_]", regex=True).to_numpy(bool)
    w = w[letter[codes]]  # at least one letter (tested once per distinct form)
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
        if drop_stopwords:  # an n-gram of stopwords only is no term
            stop = w["is_stop"].to_numpy(bool)
            allstop = stop[:m].copy()
            for j in range(1, ngram):
                allstop &= stop[j : j + m]
            same &= ~allstop
        doc_ids, terms = d[:m][same], key[same]
    else:
        doc_ids = w["doc_id"].to_numpy(object)
    # as Python strings (pandas would make Arrow strings of them first: a copy of millions of strings)
    frame = pd.DataFrame({"doc_id": pd.Series(doc_ids, dtype=object), "term": pd.Series(terms, dtype=object)})
    return frame.groupby(["doc_id", "term"]).size().rename("n").reset_index()


def _group(resolve, group) -> list[str]:
    """The doc_ids of ``group`` (an id, a prefix or a list of them), each through ``resolve`` (:func:`doc_resolver`)."""
    return [resolve(x) for x in ([group] if isinstance(group, str) else group)]


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
    params: KeynessParams | None = None,
    counts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008) between two groups.

    ``group_a``/``group_b``: doc_ids (or unique prefixes); ``group_b=None`` means every other document.
    The prior is the term distribution of ``background`` doc_ids (default: the two groups) scaled to ``alpha0``
    pseudo-counts (default: see :class:`KeynessParams`): rare terms are shrunk towards their overall rate.
    Returns ``term, count_a, count_b, per_1k_a, per_1k_b, log_odds, se, z, favours`` sorted by z (positive:
    more typical of A). ``unit``: ``norm`` or ``stem``; ``ngram``: 1 or more. ``counts``: the
    :func:`term_counts` table already made (then ``toks``, ``unit``, ``drop_stopwords`` and ``ngram`` are not
    read).
    """
    ids = docs["doc_id"].astype(str)
    resolve = doc_resolver(docs)
    a = _group(resolve, group_a)
    b = _group(resolve, group_b) if group_b is not None else [x for x in ids if x not in set(a)]
    if not a or not b:
        return pd.DataFrame(columns=KEYNESS_COLUMNS)
    bg_ids = set(background) if background is not None else set(a) | set(b)
    if counts is None:
        needed = set(a) | set(b) | set(background or [])
        if toks is None:
            toks = tokens(docs[ids.isin(needed)][["doc_id", "text"]])
        else:  # the two groups' rows only (a corpus's token table is large; counts never cross documents)
            toks = toks[toks["doc_id"].isin(needed).to_numpy(bool)]
        counts = term_counts(toks, unit, drop_stopwords, ngram)
    ya = counts[counts["doc_id"].isin(set(a))].groupby("term")["n"].sum()
    yb = counts[counts["doc_id"].isin(set(b))].groupby("term")["n"].sum()
    bg = counts[counts["doc_id"].isin(bg_ids)].groupby("term")["n"].sum()
    return log_odds(ya, yb, bg, alpha0=alpha0, label_a=label_a, label_b=label_b, min_count=min_count, params=params)


def log_odds(
    ya: pd.Series,
    yb: pd.Series,
    background: pd.Series,
    alpha0: float | None = None,
    label_a: str = "A",
    label_b: str = "B",
    min_count: int = 1,
    params: KeynessParams | None = None,
) -> pd.DataFrame:
    """The keyness table of two count vectors (term -> count) against a background count vector (the prior):
    Monroe, Colaresi & Quinn (2008) eq. 16 and 20. Columns :data:`KEYNESS_COLUMNS`, sorted by z."""
    p = params or KeynessParams()
    vocab = ya.index.union(yb.index).sort_values()  # sorted, so that a row's position orders its term
    ranked = _ranked(_on(vocab, ya), _on(vocab, yb), _on(vocab, background), alpha0, min_count, p)
    if ranked is None:
        return pd.DataFrame(columns=KEYNESS_COLUMNS)
    return _table(vocab.astype(object), ranked[0], *ranked[1:], label_a, label_b)


def _ranked(ya: np.ndarray, yb: np.ndarray, bg: np.ndarray, alpha0, min_count: int, p: KeynessParams):
    """:func:`log_odds` on count arrays over a sorted vocabulary: the rows it lists (by z, largest first, then by
    term), and the arrays its columns come from; None when a side has no words."""
    na, nb = ya.sum(), yb.sum()
    if na == 0 or nb == 0:
        return None
    a0 = _alpha0(na + nb, alpha0, p)
    bgv = bg + p.background_smoothing
    alpha = a0 * bgv / bgv.sum()
    delta, se, z = _scores(ya, yb, alpha, na, nb, a0)
    count_a, count_b = ya.astype(int), yb.astype(int)
    rows = np.flatnonzero((count_a + count_b) >= min_count)
    rows = rows[np.lexsort((rows, -z[rows]))]  # by z, largest first, then by term
    return rows, count_a, count_b, ya / na * 1000, yb / nb * 1000, delta, se, z


def _table(terms, rows, count_a, count_b, per_a, per_b, delta, se, z, label_a: str, label_b: str) -> pd.DataFrame:
    """The :data:`KEYNESS_COLUMNS` rows ``rows`` of :func:`_ranked`'s arrays (``terms``: the vocabulary)."""
    return pd.DataFrame(
        {
            "term": terms.take(rows),
            "count_a": count_a[rows],
            "count_b": count_b[rows],
            "per_1k_a": per_a[rows],
            "per_1k_b": per_b[rows],
            "log_odds": delta[rows],
            "se": se[rows],
            "z": z[rows],
            "favours": np.where(z[rows] >= 0, label_a, label_b),
        }
    )


def _alpha0(words: float, alpha0: float | None, p: KeynessParams) -> float:
    """The prior's pseudo-counts: ``alpha0`` when given, else ``prior_share`` of the mean group size, clipped."""
    if alpha0 is not None:
        return float(alpha0)
    return float(np.clip(p.prior_share * words / 2, p.min_alpha0, p.max_alpha0))


def _scores(ya, yb, alpha, na, nb, a0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Log-odds ``delta``, its standard error and ``z`` per term (Monroe et al. eq. 16 and 20)."""
    la = np.log((ya + alpha) / (na + a0 - ya - alpha))
    lb = np.log((yb + alpha) / (nb + a0 - yb - alpha))
    delta = la - lb
    se = np.sqrt(1.0 / (ya + alpha) + 1.0 / (yb + alpha))
    return delta, se, delta / se


def against_the_rest(counts: pd.DataFrame, params: KeynessParams | None = None) -> dict[str, tuple]:
    """:func:`log_odds` of each document of one group against the rest of the group (the whole group the prior),
    for the document's own terms only: ``{doc_id: (terms, count_a, count_b, z)}`` sorted by z (largest first, then
    by term), as :func:`log_odds` would give its rows with ``count_a`` > 0. ``counts``: ``doc_id, term, n``, one
    row per document and term. A document with all of the group's words or none has no entry."""
    p = params or KeynessParams()
    codes, vocab = pd.factorize(counts["term"].to_numpy(object), sort=True)
    n = counts["n"].to_numpy(float)
    total = np.bincount(codes, weights=n, minlength=len(vocab))
    bgv = total + p.background_smoothing
    bg_sum, words = bgv.sum(), total.sum()
    a0 = _alpha0(words, None, p)
    out = {}
    rows_of = pd.Series(np.arange(len(codes))).groupby(counts["doc_id"].to_numpy(object), sort=False).indices
    for doc, rows in rows_of.items():
        pos, ya = codes[rows], n[rows]
        na = ya.sum()
        nb = words - na
        if na == 0 or nb == 0:
            continue
        yb = total[pos] - ya
        _, _, z = _scores(ya, yb, a0 * bgv[pos] / bg_sum, na, nb, a0)
        order = np.lexsort((pos, -z))
        out[doc] = (vocab[pos[order]], ya[order].astype(int), yb[order].astype(int), z[order])
    return out


def _on(vocab: pd.Index, counts: pd.Series) -> np.ndarray:
    """``counts`` (term -> count) as floats in the order of ``vocab``, 0 for a term it lacks."""
    where = counts.index.get_indexer(vocab)
    values = counts.to_numpy(float)
    return np.where(where >= 0, values[where], 0.0) if len(values) else np.zeros(len(vocab))


def origin_keyness(docs: pd.DataFrame, pairs: pd.DataFrame, **kw) -> tuple[str, pd.DataFrame]:
    """The most frequent parent of ``pairs`` against its children: ``(origin, keyness table)``; ``("", empty)``
    without pairs. ``kw`` goes to :func:`keyness`."""
    if pairs is None or not len(pairs):
        return "", pd.DataFrame(columns=KEYNESS_COLUMNS)
    origin = pairs["parent"].value_counts().index[0]
    children = sorted(set(pairs.loc[pairs["parent"] == origin, "child"]))
    return origin, keyness(docs, [origin], children, label_a=origin[:12], label_b="its derivatives", **kw)


def _family_comparisons(pairs: pd.DataFrame, max_members: int) -> list[tuple]:
    """``(name, group_a, group_b, label_a, label_b)``: each family's origin against its derivatives, and each
    member against the rest of its family (families of three to ``max_members`` members); largest families
    first."""
    out = []
    sizes = pairs.groupby("family_id", sort=False).size().sort_values(ascending=False, kind="stable")
    of_family = dict(tuple(pairs.groupby("family_id", sort=False)))
    for fam in sizes.index:
        g = of_family[fam]
        members = list(dict.fromkeys(list(g["parent"]) + list(g["child"])))
        children = set(g["child"])
        origins = [p for p in g["parent"] if p not in children] or list(g["parent"][:1])
        origin = origins[0]
        derivatives = [m for m in members if m != origin]
        if derivatives:
            out.append((f"origin vs derivatives ({fam})", [origin], derivatives, origin, "derivatives"))
        for m in members if len(members) <= max_members else []:  # big families: origin comparison only
            rest = [x for x in members if x != m]
            if rest and len(members) > 2:
                out.append((f"{m} vs rest of family ({fam})", [m], rest, m, "rest of family"))
    return out


def _outlet_comparisons(docs: pd.DataFrame, max_outlets: int) -> list[tuple]:
    """Each of the ``max_outlets`` largest outlets in ``docs.source`` against all other outlets (two or more)."""
    src = docs["source"].fillna("").astype(str)
    outlets = list(src[src != ""].value_counts().index[:max_outlets])
    if len(outlets) < 2:
        return []
    out = []
    for s in outlets:
        a = docs.loc[src == s, "doc_id"].astype(str).tolist()
        b = docs.loc[(src != s) & (src != ""), "doc_id"].astype(str).tolist()
        out.append((f"outlet {s} vs other outlets", a, b, s, "other outlets"))
    return out


class _CountMatrix:
    """Term counts of every document as a sparse matrix, so that a group's counts are a sum of rows."""

    def __init__(self, counts: pd.DataFrame):
        doc_codes, self.docs = pd.factorize(counts["doc_id"])
        term_codes, self.terms = pd.factorize(counts["term"])
        self.row = {d: k for k, d in enumerate(self.docs)}
        self.rank: np.ndarray | None = None
        self.term_strings: np.ndarray | None = None
        self.X = sparse.csr_matrix(
            (counts["n"].to_numpy(float), (doc_codes, term_codes)), shape=(len(self.docs), len(self.terms))
        )

    def dense(self, ids) -> np.ndarray:
        """The summed counts of the documents ``ids`` over all terms (in :attr:`terms` order)."""
        rows = [self.row[d] for d in ids if d in self.row]
        return np.asarray(self.X[rows].sum(axis=0)).ravel() if rows else np.zeros(len(self.terms))

    def total(self, ids) -> pd.Series:
        v = self.dense(ids)
        nz = np.flatnonzero(v)
        return pd.Series(v[nz], index=self.terms[nz])

    def top(self, a, b, top: int, label_a: str, label_b: str, alpha0=None, min_count: int = 1, params=None):
        """``log_odds(total(a), total(b), total(a) + total(b))``'s first and last ``top`` rows, computed on the
        terms either group uses only (the same numbers: the same sorted vocabulary, the same sums)."""
        if self.rank is None:  # the terms as Python strings and each one's place in sorted order, found once
            self.term_strings = np.asarray(self.terms, dtype=object)
            self.rank = np.empty(len(self.terms), np.int64)
            self.rank[np.argsort(self.term_strings, kind="stable")] = np.arange(len(self.terms))
        va, vb = self.dense(a), self.dense(b)
        both = va + vb
        used = np.flatnonzero(both)
        used = used[np.argsort(self.rank[used])]
        ranked = _ranked(va[used], vb[used], both[used], alpha0, min_count, params or KeynessParams())
        if ranked is None:
            return pd.DataFrame(columns=KEYNESS_COLUMNS)
        rows = ranked[0]
        ends = list(range(min(top, len(rows)))) + list(range(max(len(rows) - top, top), len(rows)))
        terms = pd.Index(self.term_strings[used], dtype=object)
        return _table(terms, rows[ends], *ranked[1:], label_a, label_b)


def keyness_comparisons(
    docs: pd.DataFrame,
    pairs: pd.DataFrame | None = None,
    by_source: bool = True,
    top: int = 15,
    toks: pd.DataFrame | None = None,
    max_members: int = 30,
    max_outlets: int = 30,
    max_comparisons: int = 300,
    **kw,
) -> pd.DataFrame:
    """The standard comparisons as one long table (``comparison`` column, ``top`` terms each way).

    For each family in ``pairs`` (``child, parent, family_id`` from :func:`lineage_pairs`): origin against its
    derivatives, and each document against the rest of its family (families of at most ``max_members``). With
    ``by_source`` and two or more outlets in ``docs.source``: each of the ``max_outlets`` largest outlets against
    all other outlets. At most ``max_comparisons`` comparisons, the largest families' first (then the outlets).
    Terms are counted once; a group's counts are sums of rows of one sparse matrix. ``kw`` goes to
    :func:`log_odds` (``alpha0``, ``min_count``, ``params``) and to the counting (``unit``, ``drop_stopwords``,
    ``ngram``).
    """
    toks = tokens(docs[["doc_id", "text"]]) if toks is None else toks
    counts = term_counts(toks, kw.pop("unit", "norm"), kw.pop("drop_stopwords", True), kw.pop("ngram", 1))
    comparisons = _family_comparisons(pairs, max_members) if pairs is not None and len(pairs) else []
    if by_source and "source" in docs:
        comparisons += _outlet_comparisons(docs, max_outlets)
    matrix = _CountMatrix(counts)
    resolve = doc_resolver(docs)
    out = []
    for name, a, b, la, lb in comparisons[:max_comparisons]:
        k = matrix.top(_group(resolve, a), _group(resolve, b), top, la, lb, **kw)  # top terms each way, each once
        if len(k):
            out.append(k.assign(comparison=name, group_a=la, group_b=lb))
    if not out:
        return pd.DataFrame(columns=COMPARISON_COLUMNS)
    res = pd.concat(out, ignore_index=True)
    return res[COMPARISON_COLUMNS]
