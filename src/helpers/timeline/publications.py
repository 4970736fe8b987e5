"""When each version of a story appeared: lags behind the family's origin, and articles per period."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .documents import family_table, published

__all__ = ["publication_timeline", "articles_over_time"]


def _origin(members: pd.DataFrame) -> pd.Series | None:
    """The member whose role is "origin", else the earliest published one (a lone member is its own origin)."""
    is_origin = members["role"].str.lower().eq("origin")
    if is_origin.any():
        return members.loc[is_origin.idxmax()]
    if members["published"].notna().any():
        return members.loc[members["published"].idxmin()]
    return members.iloc[0] if len(members) == 1 else None


def publication_timeline(docs: pd.DataFrame, families: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per document: ``family_id``, ``role``, ``doc_id``, ``source``, ``title``, ``published``,
    ``origin_id``, ``lag_hours`` (behind the family's origin) and ``order`` (rank of appearance in the family).

    The origin is the member whose role is "origin" (from the near-duplicates step), else the earliest
    published member. Without publication dates lags and orders stay empty (NaN), never invented.
    """
    cols = ["family_id", "role", "doc_id", "source", "title", "published", "origin_id", "lag_hours", "order"]
    if docs is None or len(docs) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    out = family_table(docs, families)
    d = docs.reset_index(drop=True)
    for column in ("source", "title"):
        out[column] = d[column].fillna("").astype(str).to_numpy() if column in d.columns else ""
    out["published"] = published(d).to_numpy()
    out["published"] = pd.to_datetime(out["published"], utc=True)
    origins, lags, orders = [], [], []
    for _, members in out.groupby("family_id", sort=False):
        origin = _origin(members)
        origin_published = origin["published"] if origin is not None else pd.NaT
        if pd.notna(origin_published):
            lag = (members["published"] - origin_published).dt.total_seconds() / 3600.0
        else:
            lag = pd.Series(np.nan, index=members.index)
        origins.append(pd.Series(origin["doc_id"] if origin is not None else "", index=members.index))
        lags.append(lag)
        orders.append(members["published"].rank(method="min"))
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
