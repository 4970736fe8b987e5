"""Temporal expressions over the documents table: every document tagged at its own anchor date, counts of what
stayed unresolved, and the documents' families and publication times the other steps share."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .anchoring import reference_dates
from .tagger import RULE_ERRORS, tag
from .values import is_resolved

__all__ = ["TIMEX_COLUMNS", "timexes", "timex_summary", "anchoring_summary", "family_table", "published"]

TIMEX_COLUMNS = ["start", "end", "text", "type", "value", "mod"]
TIMEXES_OUT = ["doc_id", *TIMEX_COLUMNS, "reference_date", "resolved"]


def empty_timexes() -> pd.DataFrame:
    """A :func:`timexes` table with no rows."""
    out = pd.DataFrame({c: pd.Series(dtype="object") for c in TIMEXES_OUT})
    return out.astype({"start": "int64", "end": "int64", "resolved": "bool", "reference_date": "datetime64[ns]"})


def timexes(docs: pd.DataFrame, reference_date=None) -> pd.DataFrame:
    """All temporal expressions: ``doc_id``, the tagger's columns, ``reference_date`` and ``resolved``.

    Each document is tagged against its own publication date, else ``reference_date``; a document with neither
    is tagged without an anchor, so its relative expressions ("on Friday") stay unresolved. A document the
    tagger fails on is left out with a warning naming it. ``attrs["rule_errors"]`` counts the expressions left
    out because a rule raised an error (logged as they happen).
    """
    if docs is None or len(docs) == 0:
        return empty_timexes()
    errors_before = RULE_ERRORS.total
    refs = reference_dates(docs, reference_date)
    frames = []
    for doc_id, text, ref in zip(docs["doc_id"], docs["text"], refs.to_numpy()):
        if not isinstance(text, str) or not text.strip():
            continue
        ref_day = None if pd.isna(ref) else pd.Timestamp(ref).strftime("%Y-%m-%d")
        try:
            found = tag(text, ref_day)
        except Exception as exc:  # one bad document must not sink the run: say which, keep going
            warnings.warn(f"temporal tagging failed for document {doc_id!r}: {exc!r}; it is left out", stacklevel=2)
            continue
        if found is None or len(found) == 0:
            continue
        found = found.loc[:, [c for c in TIMEX_COLUMNS if c in found.columns]].copy()
        found.insert(0, "doc_id", str(doc_id))
        found["reference_date"] = pd.NaT if ref_day is None else pd.Timestamp(ref_day)
        frames.append(found)
    if not frames:
        out = empty_timexes()
    else:
        out = pd.concat(frames, ignore_index=True)
        for c in TIMEX_COLUMNS:
            if c not in out.columns:
                out[c] = ""
        for c in ("mod", "value", "type"):
            out[c] = out[c].fillna("").astype(str)
        out["resolved"] = np.array([is_resolved(k, v) for k, v in zip(out["type"], out["value"])], dtype=bool)
        out["reference_date"] = pd.to_datetime(out["reference_date"])
        out = out.loc[:, TIMEXES_OUT].astype({"start": "int64", "end": "int64", "resolved": "bool"})
    out.attrs["rule_errors"] = RULE_ERRORS.total - errors_before
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
