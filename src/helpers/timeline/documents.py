"""Temporal expressions over the documents table: every document tagged at its own anchor date, counts of what
stayed unresolved, and the documents' families and publication times the other steps share."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..failures import each_document
from .anchoring import DEFAULT_PARAMS, TaggerParams, reference_dates
from .tagger import RULE_ERRORS, extract, timex_frame

__all__ = ["TIMEX_COLUMNS", "timexes", "timex_summary", "anchoring_summary", "family_table", "published"]

TIMEX_COLUMNS = ["start", "end", "text", "type", "value", "mod"]
TIMEXES_OUT = ["doc_id", *TIMEX_COLUMNS, "reference_date", "resolved"]


def empty_timexes() -> pd.DataFrame:
    """A :func:`timexes` table with no rows."""
    out = pd.DataFrame({c: pd.Series(dtype="object") for c in TIMEXES_OUT})
    return out.astype({"start": "int64", "end": "int64", "resolved": "bool", "reference_date": "datetime64[ns]"})


def timexes(
    docs: pd.DataFrame,
    reference_date=None,
    failures: list | None = None,
    params: TaggerParams = DEFAULT_PARAMS,
) -> pd.DataFrame:
    """All temporal expressions: ``doc_id``, the tagger's columns, ``reference_date`` and ``resolved``.

    Each document is tagged against its own publication date, else ``reference_date``; a document with neither
    is tagged without an anchor, so its relative expressions ("on Friday") stay unresolved. A document the
    tagger fails on is left out, logged with its traceback and appended to ``failures`` as ``(step, doc_id,
    error)`` (:mod:`helpers.failures`; ``attrs["failed_documents"]`` counts this call's). ``attrs["rule_errors"]``
    counts the expressions left out because a rule raised an error (logged as they happen).
    """
    if docs is None or len(docs) == 0:
        return empty_timexes()
    errors_before = RULE_ERRORS.total
    failures = [] if failures is None else failures
    failed_before = len(failures)
    refs = reference_dates(docs, reference_date).to_numpy()
    items = [
        (str(doc_id), (text, None if pd.isna(ref) else pd.Timestamp(ref).date()))
        for doc_id, text, ref in zip(docs["doc_id"], docs["text"], refs)
        if isinstance(text, str) and text.strip()
    ]
    done = each_document("timeline.tag", items, lambda item: extract(item[0], item[1], params), failures)
    found = [t for _, found in done for t in found]
    out = timex_frame(found)
    if len(out):
        out.insert(0, "doc_id", np.repeat(np.array([d for d, _ in done], dtype=object), [len(f) for _, f in done]))
        anchor = {doc_id: ref for doc_id, (_, ref) in items}
        out["reference_date"] = pd.to_datetime(out["doc_id"].map(anchor))
        for column in ("doc_id", "text", "type", "value", "mod"):
            out[column] = out[column].fillna("").astype(str)
        out = out.loc[:, TIMEXES_OUT].astype({"start": "int64", "end": "int64", "resolved": "bool"})
    else:
        out = empty_timexes()
    out.attrs["rule_errors"] = RULE_ERRORS.total - errors_before
    out.attrs["failed_documents"] = len(failures) - failed_before
    return out


def timex_summary(tx: pd.DataFrame) -> pd.DataFrame:
    """Counts per type: expressions, resolved, unresolved, and how many of the latter lack a reference date."""
    cols = ["type", "expressions", "resolved", "unresolved", "unresolved_no_reference"]
    if tx is None or len(tx) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object" if c == "type" else "int64") for c in cols})
    counts = pd.DataFrame(
        {
            "type": tx["type"],
            "resolved": tx["resolved"].astype(int),
            "unresolved": (~tx["resolved"]).astype(int),
            "unresolved_no_reference": (tx["reference_date"].isna() & ~tx["resolved"]).astype(int),
        }
    )
    out = counts.groupby("type", sort=True).agg(
        expressions=("resolved", "size"),
        resolved=("resolved", "sum"),
        unresolved=("unresolved", "sum"),
        unresolved_no_reference=("unresolved_no_reference", "sum"),
    )
    return out.reset_index().loc[:, cols]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def anchoring_summary(docs: pd.DataFrame, tx: pd.DataFrame, reference_date=None) -> str:
    """How the documents were anchored, in two or three sentences for a report: documents with a publication
    date, documents with no anchor at all, and how many expressions stayed unresolved (and why)."""
    n_published = int(docs["published"].notna().sum()) if "published" in docs.columns else 0
    n_unanchored = int(reference_dates(docs, reference_date).isna().sum()) if len(docs) else 0
    unresolved = ~tx["resolved"] if len(tx) else pd.Series(dtype=bool)
    no_anchor = int((unresolved & tx["reference_date"].isna()).sum()) if len(tx) else 0
    lines = [
        f"{_plural(len(docs), 'document')}, {n_published} with a publication date; "
        f"{n_unanchored} with no anchor date at all (no publication date and no reference_date)."
    ]
    n_unresolved = int(unresolved.sum())
    if len(tx) and not n_unresolved:
        lines.append(f"All {_plural(len(tx), 'temporal expression')} are resolved.")
    elif len(tx):
        parts = []
        if no_anchor:
            parts.append(f"{no_anchor} in documents with no anchor date (reference_date would anchor them)")
        if n_unresolved - no_anchor:
            parts.append(f"{n_unresolved - no_anchor} in anchored documents (nothing earlier to refer to)")
        lines.append(
            f"{n_unresolved} of {_plural(len(tx), 'temporal expression')} stay unresolved: {'; '.join(parts)}."
        )
    if tx.attrs.get("rule_errors"):
        lines.append(
            f"{tx.attrs['rule_errors']} expressions were left out because a tagger rule raised an error (see the log)."
        )
    return " ".join(lines)


# ------------------------------------------------------------------------------------------ families, publication
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
    out = base.loc[:, ["doc_id"]].merge(fam.drop_duplicates("doc_id"), on="doc_id", how="left")
    missing = out["family_id"].isna()
    out.loc[missing, "family_id"] = out.loc[missing, "doc_id"]
    out["role"] = out["role"].fillna("").astype(str)
    return out


def family_of(docs: pd.DataFrame, families: pd.DataFrame | None) -> pd.Series:
    """``family_id`` by ``doc_id``."""
    return family_table(docs, families).set_index("doc_id")["family_id"]


def published(docs: pd.DataFrame) -> pd.Series:
    """Publication times as UTC timestamps (NaT where unknown), indexed 0..n-1."""
    if "published" not in docs.columns:
        return pd.Series(pd.NaT, index=range(len(docs)), dtype="datetime64[ns, UTC]")
    return pd.to_datetime(docs["published"], utc=True, errors="coerce").reset_index(drop=True)
