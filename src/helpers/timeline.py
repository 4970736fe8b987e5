"""Timelines: when each version of a story appeared, which dates it asserts, and where versions disagree.

Built on the temporal tagger in ``helpers.timex`` (re-exported here as ``tag``):

- ``timexes(docs, reference_date)``: every temporal expression of every document, anchored to the document's
  publication date (or ``reference_date`` when it has none); values that cannot be anchored stay unresolved
  (``resolved`` is False) and are counted by ``timex_summary``, never guessed.
- ``publication_timeline(docs, families)``: when each version appeared and its lag behind its family's origin;
  ``articles_over_time`` counts articles per period and source.
- ``dated_sentences`` / ``events``: sentences anchored to resolved dates (day, month or year), merged across the
  documents of a family when they carry the same date and similar wording.
- ``key_dates(docs, n)``: the dates a corpus refers to most, with representative sentences.
- ``conflicts(docs)``: temporal claims (durations, start years, event dates) that disagree within a story family.

Documents are the shared documents table (``doc_id``, ``text``; optional ``published``, ``source``, ``title``).
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Iterable
from datetime import date, timedelta

import numpy as np
import pandas as pd

from .show import clip
from .text import STOPWORDS, sentence_spans, simple_words

try:  # the tagger is written in helpers.timex; re-exported so ``helpers.timeline.tag`` works
    from .timex import tag  # noqa: F401
except ImportError as _err:  # pragma: no cover - only while helpers.timex is missing
    _TIMEX_ERROR = _err

    def tag(text, reference_date=None):  # type: ignore[no-redef]
        """Placeholder: ``helpers.timex`` is not importable."""
        raise ImportError(f"helpers.timex is not available ({_TIMEX_ERROR}); the temporal tagger lives there")


__all__ = [
    "tag",
    "TIMEX_COLUMNS",
    "reference_dates",
    "parse_value",
    "timexes",
    "timex_summary",
    "family_table",
    "publication_timeline",
    "articles_over_time",
    "dated_sentences",
    "events",
    "key_dates",
    "temporal_claims",
    "conflicts",
    "plot_publications",
    "plot_events",
    "plot_family_spread",
    "plot_key_dates",
]

TIMEX_COLUMNS = ["start", "end", "text", "type", "value", "mod"]
_TIMEX_OUT = ["doc_id", *TIMEX_COLUMNS, "reference_date", "resolved"]
GRANULARITIES = ("day", "month", "year")

_DAY_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR_RE = re.compile(r"^(\d{4})$")
_DUR_RE = re.compile(r"^P(?:(\d+(?:\.\d+)?|X)(ML|CE|DE|Y|M|W|D))+$")
_DUR_PART = re.compile(r"(\d+(?:\.\d+)?|X)(ML|CE|DE|Y|M|W|D)")
_UNIT_YEARS = {"ML": 1000.0, "CE": 100.0, "DE": 10.0, "Y": 1.0, "M": 1 / 12, "W": 7 / 365.25, "D": 1 / 365.25}


# ----------------------------------------------------------------------------------------------------------------
# reference dates, values, tagging
# ----------------------------------------------------------------------------------------------------------------


def _as_date(value) -> date | None:
    """A ``datetime.date`` from a date, timestamp or ISO string; None for empty, NaT or unparseable input."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        return None
    if ts is pd.NaT or pd.isna(ts):
        return None
    return ts.date()


def reference_dates(docs: pd.DataFrame, reference_date=None) -> pd.Series:
    """Anchor date of each document (index ``doc_id``): its publication date, else ``reference_date``, else NaT.

    Publication timestamps are taken as dates in the timezone they carry (UTC from ``load_corpus``).
    """
    fallback = _as_date(reference_date)
    if "published" in docs.columns:
        pub = [_as_date(v) for v in docs["published"]]
    else:
        pub = [None] * len(docs)
    out = [p if p is not None else fallback for p in pub]
    return pd.Series(
        pd.to_datetime(pd.Series(out, dtype="object")).to_numpy(),
        index=docs["doc_id"].to_numpy(),
        name="reference_date",
    )


def parse_value(value) -> tuple[date, date, str] | None:
    """``(first_day, last_day, granularity)`` of a resolved DATE/TIME value at day, month or year granularity.

    ``"2024-12-06"`` and ``"2024-12-06T10:00"`` are days, ``"2024-12"`` a month, ``"2011"`` a year. Anything
    else (weeks, seasons, decades, ``XXXX-10-07``, ``PRESENT_REF``, impossible dates) gives None.
    """
    if not isinstance(value, str):
        return None
    v = value.strip()
    try:
        m = _DAY_RE.match(v)
        if m:
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return d, d, "day"
        m = _MONTH_RE.match(v)
        if m:
            y, mo = int(m[1]), int(m[2])
            first = date(y, mo, 1)
            last = date(y + (mo == 12), mo % 12 + 1, 1) - timedelta(days=1)
            return first, last, "month"
        m = _YEAR_RE.match(v)
        if m:
            y = int(m[1])
            return date(y, 1, 1), date(y, 12, 31), "year"
    except ValueError:
        return None
    return None


def _duration_years(value) -> tuple[float, bool] | None:
    """Length in years of a TimeML duration value and whether it is vague (``PXY``); None when not parseable."""
    if not isinstance(value, str) or not _DUR_RE.match(value.strip()):
        return None
    total, vague = 0.0, False
    for num, unit in _DUR_PART.findall(value.strip()):
        if num == "X":
            vague = True
            total += 2 * _UNIT_YEARS[unit]  # "years", "decades": at least two of them
        else:
            total += float(num) * _UNIT_YEARS[unit]
    return total, vague


def _is_resolved(kind: str, value: str) -> bool:
    """False when the tagger could not anchor the value (year unknown, empty)."""
    if not isinstance(value, str) or not value.strip():
        return False
    v = value.strip()
    if kind in ("DATE", "TIME"):
        return not v.startswith("XXXX") and not v.startswith("XX")
    return True


def _empty_timexes() -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series(dtype="object") for c in _TIMEX_OUT})
    return out.astype({"start": "int64", "end": "int64", "resolved": "bool", "reference_date": "datetime64[ns]"})


def timexes(docs: pd.DataFrame, reference_date=None) -> pd.DataFrame:
    """All temporal expressions: ``doc_id``, the tagger's columns, ``reference_date`` and ``resolved``.

    Each document is tagged against its own publication date, else ``reference_date``; a document with neither
    is tagged without an anchor, so its relative expressions ("on Friday") stay unresolved.
    """
    if docs is None or len(docs) == 0:
        return _empty_timexes()
    refs = reference_dates(docs, reference_date)
    frames = []
    for doc_id, text, ref in zip(docs["doc_id"], docs["text"], refs.to_numpy()):
        if not isinstance(text, str) or not text.strip():
            continue
        ref_s = None if pd.isna(ref) else pd.Timestamp(ref).strftime("%Y-%m-%d")
        try:
            t = tag(text, ref_s)
        except ImportError:
            raise
        except Exception as exc:  # one bad document must not sink the run: say which, keep going
            warnings.warn(f"temporal tagging failed for document {doc_id!r}: {exc!r}; it is left out")
            continue
        if t is None or len(t) == 0:
            continue
        keep = [c for c in TIMEX_COLUMNS if c in t.columns]
        tagger_resolved = t["resolved"].astype(bool).to_numpy() if "resolved" in t.columns else None
        t = t.loc[:, keep].copy()
        if tagger_resolved is not None:
            t["_tagger_resolved"] = tagger_resolved
        t.insert(0, "doc_id", str(doc_id))
        t["reference_date"] = pd.NaT if ref_s is None else pd.Timestamp(ref_s)
        frames.append(t)
    if not frames:
        return _empty_timexes()
    out = pd.concat(frames, ignore_index=True)
    for c in TIMEX_COLUMNS:
        if c not in out.columns:
            out[c] = ""
    out["mod"] = out["mod"].fillna("").astype(str)
    out["value"] = out["value"].fillna("").astype(str)
    out["type"] = out["type"].fillna("").astype(str)
    resolved = np.array([_is_resolved(k, v) for k, v in zip(out["type"], out["value"])], dtype=bool)
    if "_tagger_resolved" in out.columns:  # the tagger's own verdict, where it gives one, also counts
        resolved &= out["_tagger_resolved"].fillna(True).astype(bool).to_numpy()
    out["resolved"] = resolved
    out["reference_date"] = pd.to_datetime(out["reference_date"])
    return out.loc[:, _TIMEX_OUT].astype({"start": "int64", "end": "int64", "resolved": "bool"})


def timex_summary(tx: pd.DataFrame) -> pd.DataFrame:
    """Counts per type: expressions, resolved, unresolved, and how many of the latter lack a reference date."""
    cols = ["type", "expressions", "resolved", "unresolved", "unresolved_no_reference"]
    if tx is None or len(tx) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object" if c == "type" else "int64") for c in cols})
    no_ref = tx["reference_date"].isna() & ~tx["resolved"]
    g = pd.DataFrame(
        {
            "type": tx["type"],
            "resolved": tx["resolved"].astype(int),
            "unresolved": (~tx["resolved"]).astype(int),
            "unresolved_no_reference": no_ref.astype(int),
        }
    )
    out = (
        g.groupby("type", sort=True)
        .agg(
            expressions=("resolved", "size"),
            resolved=("resolved", "sum"),
            unresolved=("unresolved", "sum"),
            unresolved_no_reference=("unresolved_no_reference", "sum"),
        )
        .reset_index()
    )
    return out.loc[:, cols]


# ----------------------------------------------------------------------------------------------------------------
# families and publication timeline
# ----------------------------------------------------------------------------------------------------------------


def family_table(docs: pd.DataFrame, families: pd.DataFrame | None = None) -> pd.DataFrame:
    """``doc_id``, ``family_id``, ``role`` for every document; without families each document is its own family."""
    ids = pd.Series(docs["doc_id"].astype(str).to_numpy(), name="doc_id") if len(docs) else pd.Series([], dtype=str)
    base = pd.DataFrame({"doc_id": ids, "family_id": ids, "role": ""})
    if families is None or len(families) == 0 or not {"doc_id", "family_id"} <= set(families.columns):
        return base
    fam = families.loc[:, [c for c in ("doc_id", "family_id", "role") if c in families.columns]].copy()
    fam["doc_id"] = fam["doc_id"].astype(str)
    fam["family_id"] = fam["family_id"].astype(str)
    fam["role"] = fam["role"].fillna("").astype(str) if "role" in fam.columns else ""
    fam = fam.drop_duplicates("doc_id")
    out = base.loc[:, ["doc_id"]].merge(fam, on="doc_id", how="left")
    missing = out["family_id"].isna()
    out.loc[missing, "family_id"] = out.loc[missing, "doc_id"]
    out["role"] = out["role"].fillna("").astype(str)
    return out


def _published(docs: pd.DataFrame) -> pd.Series:
    if "published" not in docs.columns:
        return pd.Series(pd.NaT, index=range(len(docs)), dtype="datetime64[ns, UTC]")
    return pd.to_datetime(docs["published"], utc=True, errors="coerce").reset_index(drop=True)


def publication_timeline(docs: pd.DataFrame, families: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per document: ``family_id``, ``role``, ``doc_id``, ``source``, ``title``, ``published``,
    ``origin_id``, ``lag_hours`` (behind the family's origin) and ``order`` (rank of appearance in the family).

    The origin is the member whose role is "origin" (from the near-duplicates step), else the earliest
    published member. Without publication dates lags and orders stay empty (NaN), never invented.
    """
    cols = ["family_id", "role", "doc_id", "source", "title", "published", "origin_id", "lag_hours", "order"]
    if docs is None or len(docs) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    fam = family_table(docs, families)
    out = fam.copy()
    d = docs.reset_index(drop=True)
    out["source"] = d["source"].fillna("").astype(str).to_numpy() if "source" in d.columns else ""
    out["title"] = d["title"].fillna("").astype(str).to_numpy() if "title" in d.columns else ""
    out["published"] = _published(d).to_numpy()
    out["published"] = pd.to_datetime(out["published"], utc=True)
    origins, lags, orders = [], [], []
    for _, g in out.groupby("family_id", sort=False):
        is_origin = g["role"].str.lower().eq("origin")
        if is_origin.any():
            origin = g.loc[is_origin.idxmax()]
        elif g["published"].notna().any():
            origin = g.loc[g["published"].idxmin()]
        else:
            origin = g.iloc[0] if len(g) == 1 else None
        oid = origin["doc_id"] if origin is not None else ""
        opub = origin["published"] if origin is not None else pd.NaT
        lag = (
            (g["published"] - opub).dt.total_seconds() / 3600.0 if pd.notna(opub) else pd.Series(np.nan, index=g.index)
        )
        rank = g["published"].rank(method="min")
        origins.append(pd.Series(oid, index=g.index))
        lags.append(lag)
        orders.append(rank)
    out["origin_id"] = pd.concat(origins).reindex(out.index).astype(str)
    out["lag_hours"] = pd.concat(lags).reindex(out.index).astype(float)
    out["order"] = pd.concat(orders).reindex(out.index).astype(float)
    out = out.sort_values(["family_id", "published", "doc_id"], na_position="last", kind="stable")
    return out.loc[:, cols].reset_index(drop=True)


def articles_over_time(docs: pd.DataFrame, freq: str | None = None) -> pd.DataFrame:
    """Articles per period (rows) and source (columns); empty when no document has a publication date.

    ``freq`` defaults to days, weeks or months depending on the span of the corpus.
    """
    if docs is None or len(docs) == 0:
        return pd.DataFrame()
    d = docs.reset_index(drop=True)
    pub = _published(d)
    ok = pub.notna()
    if not ok.any():
        return pd.DataFrame()
    src = d["source"].fillna("").astype(str) if "source" in d.columns else pd.Series("", index=d.index)
    src = src.where(src.str.len() > 0, "(unknown source)")
    if freq is None:
        span = (pub[ok].max() - pub[ok].min()).days
        freq = "D" if span <= 60 else ("W" if span <= 730 else "MS")
    per = pub[ok].dt.tz_convert("UTC").dt.tz_localize(None).dt.to_period(freq if freq != "MS" else "M")
    table = pd.crosstab(per.dt.start_time.to_numpy(), src[ok].to_numpy())
    table.index.name = "period"
    table.columns.name = "source"
    return table


# ----------------------------------------------------------------------------------------------------------------
# dated sentences and events
# ----------------------------------------------------------------------------------------------------------------


class _Sentences:
    """Sentence spans of each document, split lazily (only documents that are asked for) and cached."""

    def __init__(self, docs: pd.DataFrame):
        self.texts = dict(zip(docs["doc_id"].astype(str), docs["text"]))
        self._cache: dict[str, tuple[list[tuple[int, int]], np.ndarray]] = {}

    def spans(self, doc_id: str) -> tuple[list[tuple[int, int]], np.ndarray]:
        if doc_id not in self._cache:
            text = self.texts.get(doc_id)
            sp = sentence_spans(text) if isinstance(text, str) and text else []
            if not sp and isinstance(text, str) and text:
                sp = [(0, len(text))]
            self._cache[doc_id] = (sp, np.fromiter((a for a, _ in sp), dtype=np.int64, count=len(sp)))
        return self._cache[doc_id]

    def locate(self, doc_id: str, offset: int) -> tuple[int, int, int] | None:
        """(sentence index, start, end) of the sentence holding ``offset``; None for an unknown/empty document."""
        sp, starts = self.spans(doc_id)
        if not sp:
            return None
        i = max(int(np.searchsorted(starts, int(offset), side="right")) - 1, 0)
        return i, sp[i][0], sp[i][1]


def _sentence_table(docs: pd.DataFrame) -> _Sentences:
    return _Sentences(docs)


def dated_sentences(
    docs: pd.DataFrame,
    tx: pd.DataFrame | None = None,
    reference_date=None,
    granularities: Iterable[str] = GRANULARITIES,
    _spans: _Sentences | None = None,
) -> pd.DataFrame:
    """Sentences anchored to resolved dates: one row per (sentence, date) with ``doc_id``, ``sent_id``,
    ``sentence``, ``date`` (the value: 2024-12-06, 2024-12 or 2011), ``granularity``, ``first_day``,
    ``timex`` (the expression) and ``published``.

    A sentence's dates are its DATE (and TIME) expressions resolved to a day, month or year.
    """
    cols = ["doc_id", "sent_id", "sentence", "date", "granularity", "first_day", "timex", "start", "end", "published"]
    if tx is None:
        tx = timexes(docs, reference_date)
    if tx is None or len(tx) == 0 or docs is None or len(docs) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    wanted = set(granularities)
    t = tx.loc[tx["type"].isin(["DATE", "TIME"])]
    parsed = [parse_value(v) for v in t["value"]]
    keep = np.array([p is not None and p[2] in wanted for p in parsed], dtype=bool)
    t = t.loc[keep]
    parsed = [p for p, k in zip(parsed, keep) if k]
    spans = _spans if _spans is not None else _sentence_table(docs)
    texts = spans.texts
    pubs = dict(zip(docs["doc_id"].astype(str), _published(docs.reset_index(drop=True))))
    rows = []
    for (doc_id, s, e, ttext, value), (first, _last, gran) in zip(
        t.loc[:, ["doc_id", "start", "end", "text", "value"]].itertuples(index=False), parsed
    ):
        doc_id = str(doc_id)
        loc = spans.locate(doc_id, s)
        if loc is None:
            continue
        i, a, b = loc
        sent_value = value[:10] if gran == "day" else value
        rows.append(
            (
                doc_id,
                i,
                texts[doc_id][a:b],
                sent_value,
                gran,
                pd.Timestamp(first),
                ttext,
                int(s),
                int(e),
                pubs.get(doc_id, pd.NaT),
            )
        )
    out = pd.DataFrame(rows, columns=cols)
    if len(out):
        out = out.drop_duplicates(["doc_id", "sent_id", "date"]).reset_index(drop=True)
        out["published"] = pd.to_datetime(out["published"], utc=True)
    return out


def _tfidf(texts: list[str]):
    """Row-normalised TF-IDF matrix of short texts (content words), or None when there is no vocabulary."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not texts:
        return None
    vec = TfidfVectorizer(
        analyzer=lambda s: [w for w in simple_words(s) if w not in STOPWORDS and len(w) > 1],
        sublinear_tf=True,
        norm="l2",
    )
    try:
        return vec.fit_transform(texts)
    except ValueError:  # empty vocabulary
        return None


def _pairs_above(X, idx: np.ndarray, threshold: float, labels: np.ndarray, chunk: int = 1000):
    """Positions (i, j), i < j, within ``idx`` whose rows of ``X`` have cosine >= ``threshold`` and whose
    ``labels`` (documents) differ, with the similarity; computed in row blocks to bound memory."""
    out_i, out_j, out_s = [], [], []
    if X is None or len(idx) < 2:
        return np.array([], dtype=int), np.array([], dtype=int), np.array([], dtype=float)
    sub = X[idx]
    for s0 in range(0, len(idx), chunk):
        block = (sub[s0 : s0 + chunk] @ sub.T).toarray()
        ii, jj = np.nonzero(block >= threshold)
        sims = block[ii, jj]
        ii = ii + s0
        keep = (jj > ii) & (labels[ii] != labels[jj])
        out_i.append(ii[keep])
        out_j.append(jj[keep])
        out_s.append(sims[keep])
    return np.concatenate(out_i), np.concatenate(out_j), np.concatenate(out_s)


def _union_find(n: int, pairs: Iterable[tuple[int, int]]) -> np.ndarray:
    parent = np.arange(n)

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([find(i) for i in range(n)])


def events(
    docs: pd.DataFrame,
    families: pd.DataFrame | None = None,
    tx: pd.DataFrame | None = None,
    reference_date=None,
    min_similarity: float = 0.3,
    dated: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Dated sentences merged into events across the documents of each family.

    Two dated sentences of one family are the same event when they carry the same date and their TF-IDF cosine
    similarity is at least ``min_similarity``. Columns: ``event_id``, ``family_id``, ``date``, ``granularity``,
    ``doc_id``, ``sent_id``, ``sentence``, ``timex``, ``similarity`` (to the event's first sentence),
    ``n_docs`` (documents telling the event) and ``published``.
    """
    cols = [
        "event_id",
        "family_id",
        "date",
        "granularity",
        "first_day",
        "doc_id",
        "sent_id",
        "sentence",
        "timex",
        "similarity",
        "n_docs",
        "published",
    ]
    if dated is None:
        dated = dated_sentences(docs, tx, reference_date)
    if dated is None or len(dated) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    fam = family_table(docs, families).set_index("doc_id")["family_id"]
    d = dated.copy()
    d["family_id"] = d["doc_id"].map(fam).fillna(d["doc_id"]).astype(str)
    X = _tfidf(d["sentence"].tolist())
    pairs = []
    for _, g in d.groupby(["family_id", "date"], sort=False):
        idx = g.index.to_numpy()
        ii, jj, _s = _pairs_above(X, idx, min_similarity, g["doc_id"].to_numpy())
        pairs.extend(zip(idx[ii], idx[jj]))
    roots = _union_find(len(d), pairs)
    d["root"] = roots
    d = d.sort_values(
        ["first_day", "family_id", "root", "published", "doc_id", "sent_id"], kind="stable", na_position="last"
    )
    order = {r: i for i, r in enumerate(pd.unique(d["root"]))}
    d["event_id"] = d["root"].map(order).astype("int64")
    d["n_docs"] = d.groupby("event_id")["doc_id"].transform("nunique").astype("int64")
    if X is not None:
        a = X[d.index.to_numpy()]
        b = X[_first_index(d)]
        d["similarity"] = np.asarray(a.multiply(b).sum(axis=1)).ravel().round(3)
    else:
        d["similarity"] = np.nan
    return d.loc[:, cols].reset_index(drop=True)


def _first_index(d: pd.DataFrame) -> np.ndarray:
    """Row label of the first sentence of each row's event (d is sorted, labels index the TF-IDF matrix)."""
    first = d.reset_index().groupby("event_id")["index"].first()
    return first.loc[d["event_id"].to_numpy()].to_numpy()


# ----------------------------------------------------------------------------------------------------------------
# key dates
# ----------------------------------------------------------------------------------------------------------------

_YEAR_TAIL = re.compile(r"^\s*,?\s*(?:19|20)\d\d\b")
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
_DATELINE_TAIL = re.compile(r"^\s*,?\s*(?:19|20)\d\d\b|\b\d{1,2}[:.]\d{2}\b")


def _pick_sentences(cands: pd.DataFrame, X, k: int = 2, max_sim: float = 0.6, max_candidates: int = 400) -> list[int]:
    """Up to ``k`` representative rows of ``cands``: the most central sentence, then the most central one that
    is not a near-repeat of those already picked. Sentences written after the day (weight ``w`` of 1) are
    preferred to announcements and same-day reports; ties go to document order."""
    if "w" in cands.columns:  # later reports first, so that the cap keeps them
        cands = cands.sort_values("w", ascending=False, kind="stable")
    cands = cands.iloc[:max_candidates]
    idx = cands.index.to_numpy()
    if len(idx) == 0:
        return []
    if X is None or len(idx) == 1:
        return list(idx[:k])
    sub = X[idx]
    sims = (sub @ sub.T).toarray()
    centrality = sims.sum(axis=1) - 1.0 + 1e-9
    # prefer sentences of plausible length (a bare dateline or a whole paragraph makes a poor summary)
    nwords = cands["sentence"].str.count(r"\S+").to_numpy()
    centrality = centrality * np.where((nwords >= 8) & (nwords <= 60), 1.0, 0.5)
    if "w" in cands.columns:
        centrality = centrality * (0.5 + 0.5 * cands["w"].to_numpy(float))
    order = np.lexsort((np.arange(len(idx)), -centrality))
    chosen: list[int] = []
    for o in order:
        if all(sims[o, c] < max_sim for c in chosen):
            chosen.append(o)
        if len(chosen) == k:
            break
    return [int(idx[o]) for o in chosen]


def _default_length(scores: np.ndarray, n_docs: int) -> int:
    """A timeline length when none is asked for: dates well above the typical score, between 3 and 30."""
    if len(scores) == 0:
        return 0
    s = np.sort(scores)[::-1]
    threshold = max(np.median(s) + 2 * s.std(), 2.0)
    n = int((s >= threshold).sum())
    n = max(n, min(3, len(s)))
    return int(min(n, 30, len(s), max(3, int(round(2 * math.sqrt(max(n_docs, 1)))))))


_NAME_WORD = re.compile(r"(?<=[a-z0-9,;] )([A-Z][a-z]{2,})\b")  # a capitalised word inside a sentence: a name
_CALENDAR_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december".split()
)


def _names(texts: Iterable[str]) -> dict[str, int]:
    """Counts of the names (capitalised words inside sentences, no stopwords or calendar words) in ``texts``."""
    from collections import Counter

    counts: Counter = Counter()
    for t in texts:
        if isinstance(t, str):
            counts.update(
                w for w in _NAME_WORD.findall(t) if w.lower() not in STOPWORDS and w.lower() not in _CALENDAR_WORDS
            )
    return dict(counts.most_common())


def _topic(
    docs: pd.DataFrame, keywords=None, min_docs: int = 50, core_share: float = 0.4, sentence_terms: int = 15
) -> tuple[set[str] | None, re.Pattern | None, list[str]]:
    """The corpus's topic: (on-topic doc ids, relevant-sentence pattern, core terms); (None, None, []) when no
    filtering applies (``keywords`` None or empty, or ``"auto"`` on fewer than ``min_docs`` documents: a small
    corpus is one story already).

    Core terms are ``keywords`` when a list is given; with ``"auto"``, derived from the corpus itself: the most
    frequent names within ``core_share`` of the most frequent one, among the top five. A document is on topic
    when it mentions a core term twice; a sentence of an on-topic document is relevant when it carries a core
    term or one of the ``sentence_terms`` most frequent names of the on-topic documents (the literature filters
    sentences by topic keywords such as "Syria", "Assad").
    """
    if keywords is not None and not isinstance(keywords, (str, list, tuple, set, frozenset, pd.Series, np.ndarray)):
        raise TypeError(f"keywords must be None, 'auto' or a list of topic terms, not {type(keywords).__name__}")
    if keywords is None or len(keywords) == 0:
        return None, None, []
    texts = docs["text"].where(docs["text"].map(lambda t: isinstance(t, str)), "")
    auto = isinstance(keywords, str) and keywords == "auto"
    if auto:
        if len(docs) < min_docs:
            return None, None, []
        top = list(_names(texts).items())[:5]
        if not top:
            return None, None, []
        core = [w for w, c in top if c >= core_share * top[0][1]]
    else:
        core = [str(k) for k in ([keywords] if isinstance(keywords, str) else keywords) if str(k).strip()]
        if not core:
            return None, None, []
    core_re = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in core) + r")", 0 if auto else re.I)
    on_topic = texts.str.count(core_re).to_numpy() >= 2
    if not on_topic.any():
        return None, None, core
    terms = list(dict.fromkeys(core + list(_names(texts[on_topic]))[:sentence_terms]))
    sent_re = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in terms) + r")", 0 if auto else re.I)
    return set(docs["doc_id"].astype(str)[on_topic]), sent_re, core


def _date_evidence(
    docs: pd.DataFrame,
    dated: pd.DataFrame | None,
    tx,
    reference_date,
    same_day_weight: float,
    future_weight: float,
    margin_days: int,
    start,
    end,
    dateline_chars: int,
    families,
    keywords,
):
    """The mentions ``key_dates`` counts (one row per sentence and day, after the span, topic, dateline and
    syndicated-copy filters) with ``day``, ``ref`` (publication day), ``w`` (weight), ``relevant`` and ``voter``;
    None when nothing is left."""
    if dated is None:
        dated = dated_sentences(docs, tx, reference_date, granularities=("day",))
    d = dated.loc[dated["granularity"] == "day"].copy() if len(dated) else dated
    if len(d) == 0:
        return None
    refs = reference_dates(docs, reference_date)
    refs.index = refs.index.astype(str)
    d["ref"] = d["doc_id"].map(refs)
    day = (
        pd.to_datetime(d["first_day"]).dt.tz_localize(None)
        if getattr(d["first_day"].dt, "tz", None)
        else pd.to_datetime(d["first_day"])
    )
    d["day"] = day.to_numpy()
    pub_known = _published(docs.reset_index(drop=True)).dropna()
    if len(pub_known):  # the collection's publication span (a corpus without dates keeps every day)
        ref_known = pd.to_datetime(pub_known.dt.tz_convert("UTC").dt.date)
        lo = ref_known.min() - pd.Timedelta(days=margin_days)
        hi = ref_known.max()
        d = d.loc[(d["day"] >= lo) & (d["day"] <= hi)]
    if _as_date(start) is not None:
        d = d.loc[d["day"] >= pd.Timestamp(_as_date(start))]
    if _as_date(end) is not None:
        d = d.loc[d["day"] <= pd.Timestamp(_as_date(end))]
    # topic: off-topic documents do not vote, and only sentences naming a topic term count as mentions
    on_topic, sent_re, _core = _topic(docs, keywords)
    if on_topic is not None:
        d = d.loc[d["doc_id"].astype(str).isin(on_topic)]
    delta = (pd.to_datetime(d["ref"]) - d["day"]).dt.days.to_numpy().astype(float)
    texts = dict(zip(docs["doc_id"].astype(str), docs["text"]))
    heads, tails = [], []
    for i, a, e in zip(d["doc_id"], d["start"], d["end"]):
        t = texts.get(str(i), "")
        t = t if isinstance(t, str) else ""
        heads.append(t[max(0, int(a) - 25) : int(a)])
        tails.append(t[int(e) : int(e) + 40])
    near = np.abs(np.nan_to_num(delta, nan=99.0)) <= 1
    # a dateline: the publication day near the top, followed by its year or a clock time
    dateline = (
        (d["start"].to_numpy() < dateline_chars)
        & near
        & np.array([bool(_DATELINE_TAIL.search(t)) for t in tails], dtype=bool)
    )
    # a timestamp anywhere (comments, live pages): a full date with a clock time next to it
    has_year = d["timex"].astype(str).str.contains(r"\b(?:19|20)\d\d\b", regex=True).to_numpy() | np.array(
        [bool(_YEAR_TAIL.match(t)) for t in tails], dtype=bool
    )
    clock = np.array([bool(_CLOCK.search(t[:20])) or bool(_CLOCK.search(h)) for h, t in zip(heads, tails)], dtype=bool)
    dateline |= has_year & clock
    d = d.loc[~dateline].copy()
    delta = delta[~dateline]
    if len(d) == 0:
        return None
    w = np.where(np.isnan(delta), 1.0, np.where(delta > 0, 1.0, np.where(delta == 0, same_day_weight, future_weight)))
    d["w"] = w
    # a sentence repeated word for word on one publication day (syndicated copies) is one piece of evidence;
    # repeated on later days (a background paragraph) it keeps counting: the day is being remembered
    d["_norm"] = d["sentence"].astype(str).str.lower().str.replace(r"\W+", " ", regex=True).str.strip()
    d = d.sort_values("w", ascending=False, kind="stable").drop_duplicates(["date", "_norm", "ref"]).sort_index()
    d["relevant"] = d["sentence"].astype(str).str.contains(sent_re).to_numpy() if sent_re is not None else True
    # later reports: one vote per (document, day), or per (story family, day) when families are given
    if families is not None and len(families):
        d["voter"] = d["doc_id"].map(family_table(docs, families).set_index("doc_id")["family_id"]).fillna(d["doc_id"])
    else:
        d["voter"] = d["doc_id"]
    return d


def key_dates(
    docs: pd.DataFrame,
    n: int | None = None,
    reference_date=None,
    tx: pd.DataFrame | None = None,
    dated: pd.DataFrame | None = None,
    sentences: int = 2,
    same_day_weight: float = 1.0,
    future_weight: float = 0.25,
    margin_days: int = 60,
    start=None,
    end=None,
    dateline_chars: int = 200,
    families: pd.DataFrame | None = None,
    keywords=None,
) -> pd.DataFrame:
    """The days a corpus refers to most, as a journalist's timeline would list them.

    Two signals of the date-selection literature (Martschat & Markert 2018; Tran et al. 2013/2015):
    score = log(1 + (relevant) sentences that mention the day) + log(1 + later reports that mention it).
    A sentence mentions a day when a DATE or TIME expression in it resolves to that day; it counts fully when
    written after the day, ``same_day_weight`` on the day itself and ``future_weight`` while the day is still
    ahead (announcements). Later reports are the documents (or story ``families``: copies vote once) published
    after the day that mention it: a day that is remembered. ``keywords`` (a list of topic terms, or ``"auto"``
    for the corpus's most frequent names, see ``_topic``) keeps only on-topic documents and their sentences
    naming a topic term; off by default (on Timeline17 Syria it made the counted mentions more precise but did
    not raise date F1). A sentence repeated word for word on one publication day (syndicated copies) counts
    once. Dropped: days outside the collection's publication span (widened by ``margin_days`` before it),
    datelines (the publication day, give or take one, in the first ``dateline_chars`` characters, followed by a
    year or a clock time) and timestamps (a full date next to a clock time). ``start``/``end`` restrict the
    timeline to a window. With ``n=None`` the length is chosen from the score distribution
    (``_default_length``).

    Columns: ``date``, ``score``, ``n_docs``, ``n_mentions``, ``n_pub_days``, then ``sentence_1``, ``doc_1``,
    ``sentence_2``, ``doc_2`` (representative sentences mentioning the day), sorted by date.
    """
    sent_cols = [c for i in range(1, sentences + 1) for c in (f"sentence_{i}", f"doc_{i}")]
    cols = ["date", "score", "n_docs", "n_mentions", "n_pub_days", *sent_cols]
    empty = pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    if docs is None or len(docs) == 0:
        return empty
    d = _date_evidence(
        docs,
        dated,
        tx,
        reference_date,
        same_day_weight,
        future_weight,
        margin_days,
        start,
        end,
        dateline_chars,
        families,
        keywords,
    )
    if d is None:
        return empty
    later = d.loc[(pd.to_datetime(d["ref"]) > d["day"]).to_numpy() | d["ref"].isna().to_numpy()]
    agg = d.groupby("date", sort=False).agg(
        n_docs=("doc_id", "nunique"), n_mentions=("w", "size"), n_pub_days=("ref", "nunique")
    )
    agg["mentions"] = d.loc[d["relevant"].to_numpy()].groupby("date", sort=False)["w"].sum()
    agg["later"] = later.groupby("date", sort=False)["voter"].nunique()
    agg = agg.fillna({"mentions": 0.0, "later": 0.0}).reset_index()
    agg["score"] = np.log1p(agg["mentions"]) + np.log1p(agg["later"])
    agg = agg.loc[agg["score"] > 0]
    agg = agg.sort_values(["score", "n_docs", "date"], ascending=[False, False, True], kind="stable")
    if n is None:
        n = _default_length(agg["score"].to_numpy(), len(docs))
    top = agg.head(max(int(n), 0)).copy()
    if len(top) == 0:
        return empty
    # representative sentences
    chosen = d.loc[d["date"].isin(set(top["date"]))]
    X = _tfidf(chosen["sentence"].tolist())
    chosen = chosen.reset_index(drop=True)
    picks: dict[str, list[int]] = {}
    for date_value, g in chosen.groupby("date", sort=False):
        g = g.drop_duplicates("sentence")
        picks[date_value] = _pick_sentences(g, X, k=sentences)
    for i in range(1, sentences + 1):
        top[f"sentence_{i}"] = [
            chosen.loc[picks[v][i - 1], "sentence"] if len(picks[v]) >= i else "" for v in top["date"]
        ]
        top[f"doc_{i}"] = [
            str(chosen.loc[picks[v][i - 1], "doc_id"]) if len(picks[v]) >= i else "" for v in top["date"]
        ]
    top["score"] = top["score"].round(3)
    top = top.sort_values("date", kind="stable").reset_index(drop=True)
    return top.loc[:, cols].astype({"n_docs": "int64", "n_mentions": "int64", "n_pub_days": "int64"})


# ----------------------------------------------------------------------------------------------------------------
# temporal claims and conflicts
# ----------------------------------------------------------------------------------------------------------------

_NEARLY = re.compile(r"\b(nearly|almost|close to|just under|not quite|approaching)\b", re.I)
_ABOUT = re.compile(r"\b(about|around|roughly|some|approximately|circa|or so)\b", re.I)
_OVER = re.compile(r"\b(over|more than|upwards of|at least|well over|in excess of)\b", re.I)
_UNDER = re.compile(r"\b(under|less than|fewer than|at most|up to)\b", re.I)
_DURATION_LEAD = re.compile(r"\b(for|over|lasted|lasting|spanning|spanned|spans|of|past|last)\s*$", re.I)
_PERFECT = re.compile(
    r"\b(has|have|had|'s|'ve)\s+(?:\w+\s+){0,2}?(been|\w+ed|\w+en|built|fought|led|held|"
    r"kept|spent|run|won|lost|made|stood|sought|seen|grown|known|done|gone|come|become)\b",
    re.I,
)
_LONG_AFTER = re.compile(r"^\s*-?\s*(long|old)\b", re.I)
_NOT_ANCHORED = re.compile(r"^\s*(ago|later|earlier|before|after|from now|hence|into|of the|to come|ahead)\b", re.I)
_FUTURE_LEAD = re.compile(r"\b(next|coming|another|within|in)\s*$", re.I)
_MODAL_BEFORE = re.compile(r"\b(will|would|could|may|might|shall|going to|'ll)\b[^.;:!?,]*$", re.I)
_SUPERLATIVE_FOR = re.compile(
    r"\b(first|worst|best|biggest|largest|highest|lowest|deadliest|bloodiest|"
    r"strongest|weakest)\b[^.;:!?]{0,50}$",
    re.I,
)
_FUTURE_PHRASE = re.compile(r"\b(more|next|coming|further)\b", re.I)
# "the worst accident since Chernobyl in 1986", "its highest since early September": a comparison, not a start
_SUPERLATIVE_SINCE = re.compile(
    r"\b(first|worst|best|biggest|largest|highest|lowest|most|least|deadliest|"
    r"bloodiest|strongest|weakest|\w{3,}est)\b[^.;:!?]{0,50}\bsince\b[^.;:!?]*$",
    re.I,
)
_SINCE_LEAD = re.compile(r"\bsince\b[^.;:!?]{0,80}$", re.I)
_START_LEAD = re.compile(
    r"\b(began|begun|started|erupted|broke out|beginning|start|onset|outbreak|launched|"
    r"founded|established|formed)\b[^.;:!?]{0,60}\b(in|on|since)\s*$",
    re.I,
)


def _frac_year(d: date) -> float:
    start = date(d.year, 1, 1)
    days = (date(d.year + 1, 1, 1) - start).days
    return d.year + (d - start).days / days


def _duration_bounds(value: str, mod: str, phrase: str) -> tuple[float, float] | None:
    """(shortest, longest) length in years a duration expression allows, from its value, mod and wording."""
    parsed = _duration_years(value)
    if parsed is None:
        return None
    length, vague = parsed
    if length <= 0:
        return None
    mod = (mod or "").upper()
    if vague:  # "years", "decades": at least two units, no upper bound
        return length, math.inf
    if _NEARLY.search(phrase):
        return 0.75 * length, length
    if _UNDER.search(phrase) or mod in ("LESS_THAN", "EQUAL_OR_LESS"):
        return 0.0, length
    if _OVER.search(phrase) or mod in ("MORE_THAN", "EQUAL_OR_MORE"):
        return length, 1.5 * length
    if _ABOUT.search(phrase) or mod == "APPROX":
        return 0.75 * length, 1.25 * length
    return 0.85 * length, 1.15 * length  # round numbers in news are approximate


def _fmt_range(lo: float, hi: float) -> str:
    if not np.isfinite(lo):
        return f"before {hi:.1f}"
    if int(math.floor(lo)) == int(math.floor(hi - 1e-9)):
        return f"{int(math.floor(lo))}"
    return f"{lo:.1f}-{hi:.1f}"


def temporal_claims(
    docs: pd.DataFrame, tx: pd.DataFrame | None = None, reference_date=None, _spans: _Sentences | None = None
) -> pd.DataFrame:
    """Claims about when something started, each as an interval of start years.

    - ``duration``: a duration that runs up to the document's reference date ("for 40 years" in a perfect-tense
      clause, "over four decades", "a decades-long partnership"): start = reference date minus the duration,
      widened by its wording ("nearly": 75-100 %, "over": 100-150 %, "about": 75-125 %, a bare number 85-115 %;
      "years"/"decades" give only a lower bound).
    - ``start``: a date introduced by "since" or by a start word ("began in 2011", "the beginning of the
      conflict in Syria in 2011"): start = that day, month or year.

    Columns: ``doc_id``, ``sent_id``, ``kind``, ``claim`` (the phrase), ``value``, ``mod``, ``reference_date``,
    ``start_lo``, ``start_hi`` (fractional years), ``implies`` (readable), ``sentence``, ``start``, ``end``.
    Durations in a document without a reference date are skipped (their start cannot be known).
    """
    cols = [
        "doc_id",
        "sent_id",
        "kind",
        "claim",
        "value",
        "mod",
        "reference_date",
        "start_lo",
        "start_hi",
        "implies",
        "sentence",
        "start",
        "end",
    ]
    if tx is None:
        tx = timexes(docs, reference_date)
    if tx is None or len(tx) == 0 or len(docs) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    spans = _spans if _spans is not None else _sentence_table(docs)
    texts = spans.texts
    rows = []
    for r in tx.loc[tx["type"].isin(["DURATION", "DATE"])].itertuples(index=False):
        doc_id = str(r.doc_id)
        text = texts.get(doc_id)
        loc = spans.locate(doc_id, r.start) if isinstance(text, str) else None
        if loc is None:
            continue
        si, a, b = loc
        before = text[a : int(r.start)]
        after = text[int(r.end) : b]
        phrase = r.text
        lead_words = re.findall(r"[\w'-]+\s*$", before)
        phrase_ctx = (lead_words[0] if lead_words else "") + " " + phrase
        ref = r.reference_date
        if r.type == "DURATION":
            if (
                pd.isna(ref)
                or _NOT_ANCHORED.search(after)
                or _FUTURE_LEAD.search(before)
                or _FUTURE_PHRASE.search(phrase)
                or _SUPERLATIVE_FOR.search(before)
            ):
                continue
            modal = _MODAL_BEFORE.search(before)  # "will struggle ... for years", unless "that has ravaged ... for"
            if modal and not _PERFECT.search(before[modal.end(1) :]):
                continue
            long_adj = bool(_LONG_AFTER.search(after)) or phrase.rstrip().lower().endswith("-long")
            lead = bool(_DURATION_LEAD.search(before)) or bool(re.match(r"\s*(over|more than|for)\b", phrase, re.I))
            if not (long_adj or (lead and (_PERFECT.search(before) or _PERFECT.search(after)))):
                continue
            bounds = _duration_bounds(r.value, r.mod, phrase_ctx)
            if bounds is None or bounds[1] < 1.0:  # ignore claims shorter than a year
                continue
            anchor = _frac_year(pd.Timestamp(ref).date())
            lo, hi = anchor - bounds[1], anchor - bounds[0]
            rows.append(
                (
                    doc_id,
                    si,
                    "duration",
                    phrase,
                    r.value,
                    r.mod,
                    ref,
                    lo,
                    hi,
                    f"start {_fmt_range(lo, hi)}",
                    text[a:b],
                    int(r.start),
                    int(r.end),
                )
            )
        elif r.type == "DATE":
            parsed = parse_value(r.value)
            if parsed is None:
                continue
            if not (_SINCE_LEAD.search(before) or _START_LEAD.search(before) or re.match(r"\s*since\b", phrase, re.I)):
                continue
            if _SUPERLATIVE_SINCE.search(before) and not _START_LEAD.search(before):
                continue
            first, last, _g = parsed
            lo, hi = _frac_year(first), _frac_year(last + timedelta(days=1))
            rows.append(
                (
                    doc_id,
                    si,
                    "start",
                    phrase,
                    r.value,
                    r.mod,
                    ref,
                    lo,
                    hi,
                    f"start {r.value[:10]}",
                    text[a:b],
                    int(r.start),
                    int(r.end),
                )
            )
    out = pd.DataFrame(rows, columns=cols)
    return out


def conflicts(
    docs: pd.DataFrame,
    families: pd.DataFrame | None = None,
    tx: pd.DataFrame | None = None,
    reference_date=None,
    tolerance_years: float = 0.5,
    event_similarity: float = 0.5,
    claims: pd.DataFrame | None = None,
    dated: pd.DataFrame | None = None,
    max_family_docs: int = 50,
    max_family_claims: int = 100,
    large_family_similarity: float = 0.25,
) -> pd.DataFrame:
    """Temporal claims that disagree within a story family (across its versions, or inside one version).

    - start-year conflicts: two claims (``temporal_claims``) whose start intervals are further apart than
      ``tolerance_years`` ("nearly a decade" in December 2024 starts 2015-2017, "since 2011" starts 2011);
    - event-date conflicts: two similar sentences (TF-IDF cosine >= ``event_similarity``) in different
      documents that date the same event differently at the same granularity.

    Claims about different subjects can also disagree ("for 40 years" of an alliance vs "since 2011" of a war):
    ``context_similarity`` (TF-IDF cosine of the two sentences) helps rank them; read the sentences. In a family
    of more than ``max_family_docs`` documents or ``max_family_claims`` claims (a topic rather than one story's
    versions) claims are compared only when their sentences have a similarity of at least
    ``large_family_similarity``.
    Columns: ``family_id``, ``kind``, ``doc_a``, ``claim_a``, ``implies_a``, ``doc_b``, ``claim_b``,
    ``implies_b``, ``gap_years``, ``context_similarity``, ``same_document``, ``sentence_a``, ``sentence_b``.
    """
    cols = [
        "family_id",
        "kind",
        "doc_a",
        "claim_a",
        "implies_a",
        "doc_b",
        "claim_b",
        "implies_b",
        "gap_years",
        "context_similarity",
        "same_document",
        "sentence_a",
        "sentence_b",
    ]
    empty = pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    if docs is None or len(docs) == 0:
        return empty
    spans = None
    if tx is None and (claims is None or dated is None):
        tx = timexes(docs, reference_date)
    if claims is None or dated is None:
        spans = _sentence_table(docs)
    if claims is None:
        claims = temporal_claims(docs, tx, reference_date, _spans=spans)
    fam = family_table(docs, families).set_index("doc_id")["family_id"]
    rows = []
    if len(claims):
        c = claims.reset_index(drop=True).copy()
        c["family_id"] = c["doc_id"].map(fam).fillna(c["doc_id"]).astype(str)
        X = _tfidf(c["sentence"].tolist())
        lo, hi = c["start_lo"].to_numpy(float), c["start_hi"].to_numpy(float)
        kinds, dids = c["kind"].to_numpy(), c["doc_id"].to_numpy()
        fam_docs = c.groupby("family_id")["doc_id"].transform("nunique").to_numpy()
        fam_claims = c.groupby("family_id")["doc_id"].transform("size").to_numpy()
        pi, pj, pgap = [], [], []
        for _, g in c.groupby("family_id", sort=False):
            idx = g.index.to_numpy()
            for s0 in range(0, len(idx), 500):  # blocks bound memory for very large families
                rows_i = idx[s0 : s0 + 500]
                gap = np.maximum(lo[idx][None, :] - hi[rows_i][:, None], lo[rows_i][:, None] - hi[idx][None, :])
                later = idx[None, :] > rows_i[:, None]
                both_start = (kinds[rows_i][:, None] == "start") & (kinds[idx][None, :] == "start")
                same_doc = dids[rows_i][:, None] == dids[idx][None, :]
                # several start dates inside one document usually describe different things
                xs, ys = np.nonzero(later & (gap > tolerance_years) & ~(both_start & same_doc))
                pi.append(rows_i[xs])
                pj.append(idx[ys])
                pgap.append(gap[xs, ys])
        if pi and sum(len(x) for x in pi):
            pi, pj, pgap = np.concatenate(pi), np.concatenate(pj), np.concatenate(pgap)
            sims = np.asarray(X[pi].multiply(X[pj]).sum(axis=1)).ravel() if X is not None else np.zeros(len(pi))
            # a big family is more than one story's versions: there, only claims in similar contexts are compared
            small = (fam_docs[pi] <= max_family_docs) & (fam_claims[pi] <= max_family_claims)
            keep = small | (sims >= large_family_similarity)
            pi, pj, pgap, sims = pi[keep], pj[keep], pgap[keep], sims[keep]
            col = {k: c[k].to_numpy() for k in ("family_id", "doc_id", "claim", "implies", "sentence", "kind")}
            for i, j, gp, sim in zip(pi, pj, pgap, sims):
                kind = "start: " + " vs ".join(sorted([col["kind"][i], col["kind"][j]]))
                rows.append(
                    (
                        col["family_id"][i],
                        kind,
                        col["doc_id"][i],
                        col["claim"][i],
                        col["implies"][i],
                        col["doc_id"][j],
                        col["claim"][j],
                        col["implies"][j],
                        round(float(gp), 1),
                        round(float(sim), 3),
                        col["doc_id"][i] == col["doc_id"][j],
                        col["sentence"][i],
                        col["sentence"][j],
                    )
                )
    # event dates
    if dated is None:
        dated = dated_sentences(docs, tx, reference_date, _spans=spans)
    if len(dated):
        d = dated.reset_index(drop=True).copy()
        d["family_id"] = d["doc_id"].map(fam).fillna(d["doc_id"]).astype(str)
        sent_dates = d.groupby(["doc_id", "sent_id"])["date"].agg(set).to_dict()
        X = _tfidf(d["sentence"].tolist())
        if X is not None:
            for _, g in d.groupby("family_id", sort=False):
                if g["doc_id"].nunique() < 2:
                    continue
                idx = g.index.to_numpy()
                gran = g["granularity"].to_numpy()
                dates = g["date"].to_numpy()
                keys = list(zip(g["doc_id"], g["sent_id"]))
                xs, ys, sims = _pairs_above(X, idx, event_similarity, g["doc_id"].to_numpy())
                keep = (gran[xs] == gran[ys]) & (dates[xs] != dates[ys])
                # a sentence that carries both dates ("10 April ... 12 April") does not contradict the other
                keep &= np.array(
                    [
                        dates[y] not in sent_dates[keys[x]] and dates[x] not in sent_dates[keys[y]]
                        for x, y in zip(xs, ys)
                    ],
                    dtype=bool,
                )
                for x, y, sim in zip(xs[keep], ys[keep], sims[keep]):
                    a, b = d.loc[idx[x]], d.loc[idx[y]]
                    fa, fb = pd.Timestamp(a["first_day"]), pd.Timestamp(b["first_day"])
                    gap = abs((fb - fa).days) / 365.25
                    rows.append(
                        (
                            a["family_id"],
                            "event date",
                            a["doc_id"],
                            a["timex"],
                            a["date"],
                            b["doc_id"],
                            b["timex"],
                            b["date"],
                            round(gap, 2),
                            round(float(sim), 3),
                            False,
                            a["sentence"],
                            b["sentence"],
                        )
                    )
    if not rows:
        return empty
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(
        ["family_id", "context_similarity", "gap_years"], ascending=[True, False, False], kind="stable"
    ).reset_index(drop=True)


def conflict_view(conf: pd.DataFrame, width: int = 160) -> pd.DataFrame:
    """``conflicts`` for reading: one column per side, ``doc · "claim" → implied start · sentence`` (the
    sentence clipped to ``width`` characters), beside ``family_id``, ``kind``, ``gap_years`` and
    ``context_similarity``. Plain text: display it as a DataFrame, which escapes it."""
    cols = ["family_id", "kind", "gap_years", "context_similarity", "side_a", "side_b"]
    if conf is None or len(conf) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})

    def side(doc, claim, implies, sentence):
        return [f'{d} · "{c}" → {i} · {clip(t, width)}' for d, c, i, t in zip(doc, claim, implies, sentence)]

    out = conf.loc[:, ["family_id", "kind", "gap_years", "context_similarity"]].copy()
    out["side_a"] = side(conf["doc_a"], conf["claim_a"], conf["implies_a"], conf["sentence_a"])
    out["side_b"] = side(conf["doc_b"], conf["claim_b"], conf["implies_b"], conf["sentence_b"])
    return out.loc[:, cols]


# ----------------------------------------------------------------------------------------------------------------
# charts (matplotlib; labels are plain text, never HTML)
# ----------------------------------------------------------------------------------------------------------------


def _axes(ax, figsize):
    import matplotlib.pyplot as plt

    if ax is None:
        _fig, ax = plt.subplots(figsize=figsize)
    return ax


def _message(ax, text: str):
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, wrap=True)
    ax.set_axis_off()
    return ax


def plot_publications(docs: pd.DataFrame, freq: str | None = None, ax=None, max_sources: int = 8):
    """Stacked bars of articles per period by source (the biggest ``max_sources``; the rest as "other")."""
    ax = _axes(ax, (9, 3.5))
    table = articles_over_time(docs, freq)
    if table.empty:
        return _message(ax, "No publication dates in this corpus: nothing to place on a time axis.")
    if table.shape[1] > max_sources:
        keep = table.sum().sort_values(ascending=False).index[: max_sources - 1]
        other = table.drop(columns=keep).sum(axis=1)
        table = table.loc[:, keep].assign(other=other)
    bottom = np.zeros(len(table))
    x = table.index.to_numpy()
    span = (x.max() - x.min()) if len(x) > 1 else pd.Timedelta(days=1)
    width = max(span / max(len(x), 1) * 0.8, pd.Timedelta(hours=12))
    for col in table.columns:
        ax.bar(x, table[col].to_numpy(), bottom=bottom, width=width, label=str(col)[:40])
        bottom += table[col].to_numpy()
    ax.set_ylabel("articles")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize="small", ncols=2, frameon=False)
    ax.figure.autofmt_xdate()
    return ax


def plot_family_spread(pubs: pd.DataFrame, ax=None, max_families: int = 20, label_chars: int = 28):
    """One row per story family (the largest ``max_families`` with dates): each version at its publication
    time, the origin as a star, so the spread of a story and the lag of its copies show at a glance."""
    have = pubs.loc[pubs["published"].notna()] if pubs is not None and len(pubs) else pd.DataFrame()
    if have.empty:
        return _message(_axes(ax, (9, 2)), "No publication dates: the spread of each story over time is unknown.")
    sizes = have.groupby("family_id")["doc_id"].size().sort_values(ascending=False, kind="stable")
    fams = list(sizes.index[:max_families])
    ax = _axes(ax, (9, 0.4 * len(fams) + 1.5))
    for y, fam in enumerate(fams):
        g = have.loc[have["family_id"] == fam]
        x = pd.to_datetime(g["published"]).dt.tz_localize(None)
        ax.plot([x.min(), x.max()], [y, y], color="lightgrey", lw=1, zorder=1)
        origin = (g["doc_id"] == g["origin_id"]).to_numpy()
        ax.scatter(x[~origin], [y] * int((~origin).sum()), s=25, color="tab:blue", zorder=2)
        ax.scatter(x[origin], [y] * int(origin.sum()), s=90, marker="*", color="tab:red", zorder=3)
    ax.set_yticks(range(len(fams)))
    ax.set_yticklabels([str(f)[:label_chars] for f in fams], fontsize="small")
    ax.set_xlabel("published (star: origin)")
    ax.grid(axis="x", alpha=0.3)
    ax.figure.autofmt_xdate()
    return ax


def plot_events(ev: pd.DataFrame, ax=None, max_lanes: int = 25, label_chars: int = 28):
    """One lane per document, a marker per dated sentence at its date (day: dot, month: square, year: bar);
    sentences merged into one event across documents are joined by a line."""
    if ev is None or len(ev) == 0:
        return _message(_axes(ax, (9, 2)), "No sentence in these documents carries a resolved date.")
    lanes = ev.groupby("doc_id")["event_id"].size().sort_values(ascending=False).index[:max_lanes]
    e = ev.loc[ev["doc_id"].isin(lanes)].copy()
    order = sorted(lanes, key=str)
    ax = _axes(ax, (9, 0.45 * len(order) + 1.5))
    ypos = {d: i for i, d in enumerate(order)}
    e["y"] = e["doc_id"].map(ypos)
    e["x"] = pd.to_datetime(e["first_day"])
    for gran, marker, size in (("day", "o", 40), ("month", "s", 36), ("year", "|", 160)):
        g = e.loc[e["granularity"] == gran]
        if len(g):
            ax.scatter(g["x"], g["y"], marker=marker, s=size, label=gran, zorder=3)
    for _, g in e.groupby("event_id"):
        if g["doc_id"].nunique() > 1:
            g = g.sort_values("y")
            ax.plot(g["x"], g["y"], color="grey", lw=0.8, zorder=2)
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels([str(d)[:label_chars] for d in order], fontsize="small")
    ax.set_xlabel("date the sentence refers to")
    # a few references to the distant past would squeeze the story into one pixel: zoom on the bulk
    x = e["x"].sort_values()
    lo = x.quantile(0.1)
    if len(x) >= 10 and (x.max() - lo) * 4 < (x.max() - x.min()):
        pad = max((x.max() - lo) * 0.05, pd.Timedelta(days=1))
        ax.set_xlim(lo - pad, x.max() + pad)
        older = int((x < lo - pad).sum())
        ax.set_xlabel(f"date the sentence refers to ({older} references to earlier dates are off the left edge)")
    ax.legend(fontsize="small", frameon=False, loc="upper left")
    ax.grid(axis="x", alpha=0.3)
    ax.figure.autofmt_xdate()
    return ax


def plot_key_dates(kd: pd.DataFrame, ax=None):
    """Stems at the key dates, as tall as their score."""
    ax = _axes(ax, (9, 3))
    if kd is None or len(kd) == 0:
        return _message(ax, "No key dates: no expression in the corpus resolves to a day.")
    x = pd.to_datetime(kd["date"])
    ax.vlines(x, 0, kd["score"].astype(float), color="tab:blue")
    ax.scatter(x, kd["score"].astype(float), zorder=3)
    ax.set_ylabel("score")
    ax.figure.autofmt_xdate()
    return ax
