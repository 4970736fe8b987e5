"""When each version of a story appeared: lags behind the family's origin, and articles per period."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .documents import family_table, published

__all__ = ["publication_timeline", "articles_over_time"]


def _origins(out: pd.DataFrame) -> pd.Series:
    """Origin ``doc_id`` of each row's family ("" when unknown): the member whose role is "origin", else the
    earliest published one; a lone undated member is its own origin. One sort, no loop over families."""
    is_origin = out["role"].str.lower().eq("origin").to_numpy()
    order = pd.DataFrame(
        {
            "family_id": out["family_id"].to_numpy(),
            "not_origin": ~is_origin,
            "undated": out["published"].isna().to_numpy() & ~is_origin,  # among origins, the first listed
            "published": out["published"].where(~is_origin).to_numpy(),
            "position": np.arange(len(out)),
        }
    )
    first = order.sort_values(["family_id", "not_origin", "undated", "published", "position"], kind="stable")
    first = first.drop_duplicates("family_id")
    size = out["family_id"].value_counts()
    known = ~first["not_origin"] | ~first["undated"] | (first["family_id"].map(size) == 1)
    origin = pd.Series(out["doc_id"].to_numpy()[first["position"].to_numpy()], index=first["family_id"].to_numpy())
    return out["family_id"].map(origin.where(known.to_numpy(), "")).fillna("")


def publication_timeline(docs: pd.DataFrame, families: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per document: ``family_id``, ``role``, ``doc_id``, ``source``, ``title``, ``published``,
    ``origin_id``, ``lag_hours`` (behind the family's origin) and ``order`` (rank of appearance in the family).

    The origin is the member whose role is "origin" (from the near-duplicates step), else the earliest
    published member. Without publication dates lags and orders stay empty (NaN), never invented. Linear in the
    number of documents (one sort and group-wise ranks).
    """
    cols = ["family_id", "role", "doc_id", "source", "title", "published", "origin_id", "lag_hours", "order"]
    if docs is None or len(docs) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    out = family_table(docs, families)
    d = docs.reset_index(drop=True)
    for column in ("source", "title"):
        out[column] = d[column].fillna("").astype(str).to_numpy() if column in d.columns else ""
    out["published"] = pd.to_datetime(published(d).to_numpy(), utc=True)
    out["origin_id"] = _origins(out).astype(str).to_numpy()
    when = out.set_index("doc_id")["published"]
    when = when[~when.index.duplicated()]
    origin_published = out["origin_id"].map(when)
    out["lag_hours"] = ((out["published"] - origin_published).dt.total_seconds() / 3600.0).astype(float)
    out["order"] = out.groupby("family_id", sort=False)["published"].rank(method="min").astype(float)
    out = out.sort_values(["family_id", "published", "doc_id"], na_position="last", kind="stable")
    return out.loc[:, cols].reset_index(drop=True)


def articles_over_time(docs: pd.DataFrame, freq: str | None = None) -> pd.DataFrame:
    """Articles per period (rows) and source (columns); empty when no document has a publication date.

    ``freq`` defaults to days, weeks or months depending on the span of the corpus.
    """
    if docs is None or len(docs) == 0:
        return pd.DataFrame()
    d = docs.reset_index(drop=True)
    times = published(d)
    known = times.notna()
    if not known.any():
        return pd.DataFrame()
    source = d["source"].fillna("").astype(str) if "source" in d.columns else pd.Series("", index=d.index)
    source = source.where(source.str.len() > 0, "(unknown source)")
    if freq is None:
        span = (times[known].max() - times[known].min()).days
        freq = "D" if span <= 60 else ("W" if span <= 730 else "MS")
    periods = times[known].dt.tz_convert("UTC").dt.tz_localize(None).dt.to_period(freq if freq != "MS" else "M")
    table = pd.crosstab(periods.dt.start_time.to_numpy(), source[known].to_numpy())
    table.index.name = "period"
    table.columns.name = "source"
    return table
