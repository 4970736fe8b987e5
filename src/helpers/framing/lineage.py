"""Which document to compare with which: each derivative against its parent, from the lineage of notebook 02
when there is one."""

from __future__ import annotations

import pandas as pd

from .documents import resolve_doc

__all__ = ["PAIR_COLUMNS", "lineage_pairs"]

PAIR_COLUMNS = ["child", "parent", "family_id", "how"]
RUN_TABLES = ("lineage", "families", "pairs")  # run-folder tables read for a lineage, the first usable one wins


def _from_parent_column(t: pd.DataFrame, child_col: str, known: set, how: str) -> pd.DataFrame:
    if "compared_with" in t:  # notebook 02: a member whose original is outside the corpus is compared with this one
        outside = ~t["parent"].astype(str).isin(known) & t["compared_with"].fillna("").astype(str).ne("")
        t = t.assign(parent=t["parent"].where(~outside, t["compared_with"]))
    p = t[[child_col, "parent"] + (["family_id"] if "family_id" in t else [])].rename(columns={child_col: "child"})
    parent = p["parent"].astype(str)
    p = p[p["parent"].notna() & (parent != "") & (parent != p["child"].astype(str))]
    p = p.astype({"child": str, "parent": str})
    p = p[p["child"].isin(known) & p["parent"].isin(known)]
    if "family_id" not in p:
        p["family_id"] = p["parent"]
    return p.assign(how=how)[PAIR_COLUMNS]  # may be empty: no derivatives


def _from_family_origins(t: pd.DataFrame, known: set, how: str) -> pd.DataFrame:
    rows = []
    for fam, g in t.groupby("family_id", sort=False):
        if "is_origin" in g:
            is_origin = g["is_origin"].astype(str).str.lower().isin(["true", "1"])
        else:
            is_origin = g["role"].astype(str).str.lower().str.contains("origin")
        origins = g.loc[is_origin.to_numpy(), "doc_id"].astype(str).tolist()
        if not origins or origins[0] not in known:
            continue
        rows.extend((d, origins[0], fam, how + " (against family origin)") for d in g["doc_id"].astype(str))
    return pd.DataFrame([r for r in rows if r[0] != r[1] and r[0] in known], columns=PAIR_COLUMNS)  # may be empty


def _pairs_from_table(t: pd.DataFrame | None, known: set, how: str) -> pd.DataFrame | None:
    """Pairs from a table with a ``parent`` column, or from a families table (each member against its family's
    origin: ``is_origin`` or ``role`` "origin"); None when the table has neither."""
    if t is None or len(t) == 0:
        return None
    t = t.copy()
    t.columns = [str(c) for c in t.columns]
    child_col = "child" if "child" in t else ("doc_id" if "doc_id" in t else None)
    if child_col and "parent" in t:
        return _from_parent_column(t, child_col, known, how)
    if {"doc_id", "family_id"} <= set(t.columns) and ({"role", "is_origin"} & set(t.columns)):
        return _from_family_origins(t, known, how)
    return None


def lineage_pairs(
    docs: pd.DataFrame,
    run_dir=None,
    families: pd.DataFrame | None = None,
    lineage: pd.DataFrame | None = None,
    origin_doc: str | None = None,
) -> pd.DataFrame:
    """Which document to compare with which: ``child, parent, family_id, how``.

    Sources, the first one found wins: an explicit ``lineage`` table (``doc_id``/``child`` and ``parent``; where
    the parent is an original outside the corpus, its ``compared_with`` member when it has one);
    ``families``; the run folder's ``lineage``, ``families`` or ``pairs`` table (a ``parent`` column, else every
    member against the family's origin: ``is_origin`` or ``role`` "origin"); ``origin_doc`` (every other document
    against it); otherwise every other document against the earliest published (or first) one, with ``how``
    saying so. A lineage that has no derivatives (every story a single document) gives no pairs. A run-folder
    table that cannot be read raises.
    """
    ids = docs["doc_id"].astype(str).tolist()
    known = set(ids)
    for t, how in ((lineage, "lineage given"), (families, "families given")):
        got = _pairs_from_table(t, known, how)
        if got is not None:
            return got.reset_index(drop=True)
    if run_dir is not None:
        from ..report import read_table

        for name in RUN_TABLES:
            got = _pairs_from_table(read_table(run_dir, name), known, f"{name}.csv")
            if got is not None:
                return got.reset_index(drop=True)
    if origin_doc:
        origin, how = resolve_doc(docs, origin_doc), "against origin_doc parameter"
    elif "published" in docs and docs["published"].notna().any():
        origin = str(docs.loc[docs["published"].idxmin(), "doc_id"])
        how = "no lineage found: against the earliest published document"
    else:
        origin, how = ids[0], "no lineage found: against the first document (set origin_doc)"
    return pd.DataFrame([(d, origin, origin, how) for d in ids if d != origin], columns=PAIR_COLUMNS)
