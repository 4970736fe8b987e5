"""The time decay of story similarity, one definition for the graph and for the choice of its edges.

Dated pairs lose similarity with the days between them: none within ``time_window_days``, then halved every
``time_halflife_days``; a pair with an undated document keeps it. With ``CandidateParams.choose_after_decay`` both
candidate engines choose each document's edges and background by the *decayed* similarity (exact: over all
documents; approximate: inside the time windows, which hold every pair the decay leaves above ``min_raw``), so
they read the same graph; by default they choose by the raw similarity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["epoch_days", "decay_factor", "pair_decay"]


def epoch_days(published: pd.Series) -> np.ndarray:
    """Days since 1970 of each date (float64; NaN when undated)."""
    return (published - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds().to_numpy() / 86400.0


def decay_factor(gap_days: np.ndarray, p) -> np.ndarray:
    """The decay of pairs ``gap_days`` apart (1 where the gap is NaN: an undated document)."""
    gap = np.asarray(gap_days, dtype=np.float64)
    out = np.power(0.5, np.maximum(0.0, np.nan_to_num(gap) - p.time_window_days) / p.time_halflife_days)
    return np.where(np.isnan(gap), 1.0, out)


def pair_decay(days: np.ndarray | None, rows: np.ndarray, cols: np.ndarray, p) -> np.ndarray | None:
    """The decay of the pairs ``(rows[i], cols[...])`` (broadcast; -1 columns count as undated), or None when no
    document is dated (nothing decays)."""
    if days is None or not np.isfinite(days).any():
        return None
    dc = np.where(cols >= 0, days[np.where(cols >= 0, cols, 0)], np.nan)
    return decay_factor(np.abs(days[rows] - dc), p)
