"""The labelled development sets of the frame scores, read as ``documents`` + ``labels`` tables.

* GVFC (Liu et al. 2019): 1,300 English news headlines on U.S. gun violence with up to two of nine frames.
* climate-narratives (Frermann et al. 2023): 428 climate-change articles with five generic frames.

Their frames are mapped onto Media Frames dimensions by ``helpers/data/framing_gvfc_mfc.csv`` (which also says
where the mapping is loose). Labels are 0/1 with NaN where a set says nothing about a frame (GVFC cannot say
whether a headline is about crime, for instance), so that only labelled cells are scored.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .._data import data_path
from .lexicon import MFC_FRAMES

__all__ = ["GENERIC_FRAMES", "frame_mapping", "read_gvfc", "read_climate"]

GENERIC_FRAMES = ["conflict", "human interest", "economic", "morality", "resolution"]
CLIMATE_GENERIC = {"CO": "conflict", "HI": "human interest", "EC": "economic", "MO": "morality", "RE": "resolution"}


def frame_mapping() -> pd.DataFrame:
    """The shipped mapping ``dataset, code, source_frame, mfc_frame, fit, note``."""
    with data_path("framing_gvfc_mfc.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh, comment="#", dtype=str, keep_default_na=False)


def _labels(index: pd.Index, columns: list[str], known: list[str]) -> pd.DataFrame:
    lab = pd.DataFrame(np.nan, index=index, columns=columns)
    lab[known] = 0.0
    return lab


def read_gvfc(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """GVFC ``english.csv`` as documents (``doc_id, title, text``: the headline is the text) and MFC labels."""
    raw = pd.read_csv(path)
    m = frame_mapping()
    m = m[m["dataset"] == "gvfc"]
    to_mfc = {int(c): f for c, f in zip(m["code"], m["mfc_frame"])}
    docs = pd.DataFrame(
        {"doc_id": [f"gvfc-{i}" for i in raw.index], "title": "", "text": raw["news_title"].astype(str).to_numpy()}
    )
    lab = _labels(pd.Index(docs["doc_id"]), MFC_FRAMES, sorted(set(to_mfc.values())))
    for row, (a, b) in enumerate(zip(raw["Q3 Theme1"], raw["Q3 Theme2"])):
        for code in (a, b):
            if code in to_mfc:
                lab.iat[row, lab.columns.get_loc(to_mfc[code])] = 1.0
    return docs, lab


def read_climate(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """climate-narratives ``articles_metadata.tsv`` as documents (``doc_id, title, text, source``), MFC labels
    and generic-frame labels."""
    raw = pd.read_csv(path, sep="\t")
    docs = pd.DataFrame(
        {
            "doc_id": [f"climate-{i}" for i in raw["ID"]],
            "title": "",
            "text": raw["text"].astype(str).to_numpy(),
            "source": raw["source"].astype(str).to_numpy(),
            "bias": raw["mbfc"].astype(str).to_numpy(),
        }
    )
    flags = {k: raw[k].astype(str).str.startswith("True").to_numpy(float) for k in CLIMATE_GENERIC}
    generic = pd.DataFrame({CLIMATE_GENERIC[k]: v for k, v in flags.items()}, index=docs["doc_id"])[GENERIC_FRAMES]
    m = frame_mapping()
    m = m[m["dataset"] == "climate"]
    mfc = _labels(pd.Index(docs["doc_id"]), MFC_FRAMES, sorted(set(m["mfc_frame"])))
    for code, frame in zip(m["code"], m["mfc_frame"]):
        mfc[frame] = flags[code]
    return docs, mfc, generic
