"""Fit the frame models of helpers.framing (helpers/data/framing_calibration.json) on labelled frame data.

    python scripts/fit_frame_calibration.py [--methods tfidf,minilm] [--shared ../shared]

Media Frames dimensions (scheme ``mfc``): one logistic model with the same weights for every frame (features:
lexicon hits, exemplar similarity and the learned vocabulary of ``scripts/fit_frame_vocabulary.py``, see
``helpers.framing.dimensions.FEATURES``) plus a per-frame prior (the logit of the frame's base rate in the
labels, with a fitted weight; frames no set labels get the mean rate), fitted on the labelled cells of
both development sets pooled: GVFC headlines and climate-narratives articles, their frames mapped onto MFC
dimensions by ``helpers/data/framing_gvfc_mfc.csv`` (unmapped dimensions are not labelled there and not used).
Generic frames (scheme ``generic``): the same model form fitted on climate-narratives' five generic frames.
The decision threshold of each model maximises micro-F1 of its decision rule on the same cells.
Held-out numbers are in ``benchmarks/frames_validity.py``; the numbers printed here are fits on all data.

Your own labels: a CSV with ``text`` and one 0/1 column per frame (MFC dimension names, or the generic frames),
``--labels FILE --scheme mfc|generic`` fits on it instead (blank cells are not labelled). Deterministic
(liblinear, fixed seed); the JSON holds only numbers, never a pickle.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.framing import devsets
from helpers.framing.analyse import SCORED_FRAMES
from helpers.framing.dimensions import CALIBRATION, FEATURES, document_evidence, fit_frame_model, frame_features

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "helpers" / "data" / CALIBRATION


def features_and_labels(docs: pd.DataFrame, labels: pd.DataFrame, scheme: str, frames: list[str], method: str):
    """The feature array and (labels, known) arrays of one labelled set."""
    counts, words, sims, vocab = document_evidence(docs, scheme, frames, method)
    order = pd.factorize(sims["doc_id"])[1]
    F = frame_features(counts, words, sims, frames, vocab=vocab)
    L = labels.reindex(index=order, columns=frames).to_numpy(float)
    return F, np.nan_to_num(L), ~np.isnan(L)


def development_sets(shared: Path) -> dict:
    gvfc = devsets.read_gvfc(shared / "benchmarks" / "frames" / "gvfc" / "english.csv")
    climate = devsets.read_climate(shared / "benchmarks" / "frames" / "climate-narratives" / "articles_metadata.tsv")
    return {"gvfc": gvfc, "climate": climate}


def fit_scheme(sets: list[tuple], scheme: str, frames: list[str], method: str) -> dict:
    parts = [features_and_labels(docs, lab, scheme, frames, method) for docs, lab in sets]
    F, L, K = (np.concatenate([p[i] for p in parts]) for i in range(3))
    model = fit_frame_model(F, L, K, frames)
    return {"model": model.to_json(), "labelled_cells": int(K.sum()), "positives": int(L[K].sum())}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--methods", default="tfidf,minilm")
    ap.add_argument("--shared", default=str(REPO.parent / "shared"))
    ap.add_argument("--labels", help="your own labelled CSV (text + one 0/1 column per frame)")
    ap.add_argument("--scheme", default="mfc", choices=["mfc", "generic"])
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args(argv)
    out = Path(args.out)
    data = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {"models": {}}
    methods = [m for m in args.methods.split(",") if m]
    if args.labels:
        raw = pd.read_csv(args.labels)
        docs = pd.DataFrame(
            {"doc_id": [f"l{i}" for i in range(len(raw))], "title": "", "text": raw["text"].astype(str)}
        )
        frames = SCORED_FRAMES if args.scheme == "mfc" else devsets.GENERIC_FRAMES
        labels = raw.reindex(columns=frames).set_axis(docs["doc_id"])
        for method in methods:
            fit = fit_scheme([(docs, labels)], args.scheme, frames, method)
            data["models"].setdefault(args.scheme, {})[method] = {**fit, "fitted_on": f"{args.labels} ({date.today()})"}
    else:
        sets = development_sets(Path(args.shared))
        gvfc_docs, gvfc_mfc = sets["gvfc"]
        climate_docs, climate_mfc, climate_generic = sets["climate"]
        for method in methods:
            mfc = fit_scheme([(gvfc_docs, gvfc_mfc), (climate_docs, climate_mfc)], "mfc", SCORED_FRAMES, method)
            generic = fit_scheme([(climate_docs, climate_generic)], "generic", devsets.GENERIC_FRAMES, method)
            data["models"].setdefault("mfc", {})[method] = {
                **mfc,
                "fitted_on": "GVFC english.csv (1,300 headlines) + climate-narratives (428 articles), mapped onto "
                "MFC dimensions by framing_gvfc_mfc.csv",
            }
            data["models"].setdefault("generic", {})[method] = {
                **generic,
                "fitted_on": "climate-narratives (428 articles), its five generic frames",
            }
            print(method, "mfc", mfc["model"]["coef"], "threshold", mfc["model"]["threshold"])
            print(method, "generic", generic["model"]["coef"], "threshold", generic["model"]["threshold"])
    data["about"] = (
        "Frame models of helpers.framing.dimensions: logistic weights over standardised features "
        f"{FEATURES} (mean, scale), one model per scheme and exemplar method, fitted by "
        "scripts/fit_frame_calibration.py (see its docstring to refit on your own labels)."
    )
    out.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
