"""The key-date ranker: a linear score over the features of :mod:`.features`, fitted as a pairwise logistic
regression (a day of a journalist's timeline against a day of the same collection that is not) by
``scripts/fit_key_dates.py``. Its parameters are plain JSON (``helpers/data/timeline_key_dates_ranker.json``);
nothing is unpickled. A malformed file is an error naming it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..._data import DataFileError, data_path
from .features import FEATURE_DESCRIPTIONS

__all__ = ["MODEL_FILE", "FORMAT", "DateRanker", "load_ranker"]

MODEL_FILE = "timeline_key_dates_ranker.json"
FORMAT = "storytrace-key-date-ranker/1"


@dataclass(frozen=True)
class DateRanker:
    """score = sum(coef * (feature - mean) / scale): only the order of the days matters."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    meta: dict = field(default_factory=dict)

    def score(self, table: pd.DataFrame) -> np.ndarray:
        """The score of each row of a :func:`~.features.date_features` table."""
        missing = [f for f in self.features if f not in table.columns]
        if missing:
            raise ValueError(f"the ranker needs the features {missing}; compute them with text=True")
        x = table.loc[:, list(self.features)].to_numpy(dtype=float)
        return ((x - self.mean) / self.scale) @ self.coef

    def to_dict(self) -> dict:
        return {
            "format": FORMAT,
            "features": list(self.features),
            "descriptions": {f: FEATURE_DESCRIPTIONS.get(f, "") for f in self.features},
            "mean": [round(float(v), 8) for v in self.mean],
            "scale": [round(float(v), 8) for v in self.scale],
            "coef": [round(float(v), 8) for v in self.coef],
            "meta": self.meta,
        }

    @classmethod
    def from_dict(cls, data: dict, source: str = "the ranker") -> DateRanker:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            found = data.get("format") if isinstance(data, dict) else type(data).__name__
            raise ValueError(f"{source} is not a key-date ranker (format {found!r}, expected {FORMAT!r})")
        features = tuple(data.get("features", ()))
        unknown = [f for f in features if f not in FEATURE_DESCRIPTIONS]
        if not features or unknown:
            raise ValueError(f"{source}: unknown or no features {unknown or features}")
        arrays = {}
        for key in ("mean", "scale", "coef"):
            arr = np.asarray(data.get(key, ()), dtype=float)
            if arr.shape != (len(features),) or not np.isfinite(arr).all():
                raise ValueError(f"{source}: {key!r} must be {len(features)} finite numbers")
            arrays[key] = arr
        if (arrays["scale"] <= 0).any():
            raise ValueError(f"{source}: 'scale' must be positive")
        return cls(features, arrays["mean"], arrays["scale"], arrays["coef"], dict(data.get("meta", {})))

    def write(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")
        return path


@cache
def _shipped() -> DateRanker:
    try:
        data = json.loads(data_path(MODEL_FILE).read_text(encoding="utf-8"))
        return DateRanker.from_dict(data, f"helpers/data/{MODEL_FILE}")
    except (OSError, ValueError) as exc:
        raise DataFileError(f"shipped key-date ranker helpers/data/{MODEL_FILE} cannot be used: {exc}") from exc


def load_ranker(path: str | Path | None = None) -> DateRanker:
    """The shipped ranker, or the one written to ``path`` by ``scripts/fit_key_dates.py --out``."""
    if path is None:
        return _shipped()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"key-date ranker {path} cannot be read: {exc}") from exc
    return DateRanker.from_dict(data, str(path))
