"""Fit the learned frame vocabulary of helpers.framing.weak (helpers/data/framing_vocabulary.csv) on unlabelled news.

    python scripts/fit_frame_vocabulary.py [--size 14000] [--terms 600] [--min-topics 60]

Weak supervision: the sentences of the real-news corpus of ``benchmarks/real_corpus.py`` (Timeline17, AllSides,
DUC 2004, ECB+, BBC; no frame label anywhere) are labelled with the shipped lexicon of each scheme. For a frame,
a sentence is a positive when it has at least ``--min-hits`` non-negated hits of the frame and no other frame has
more, a negative when it has none; other sentences are left out. Negatives are sampled down to ``--negatives``
per positive (fixed seed). A logistic regression per frame (liblinear, L2, fixed seed) reads the sentence's
binary content-stem unigrams and bigrams (``helpers.framing.weak.sentence_terms``, seen in at least
``--min-df`` sentences and in at least ``--min-topics`` of the corpus's stories or collections, so that names
and words of single stories are left out) *without the frame's own lexicon terms*, so that it learns the
general news vocabulary around the frame. ``--min-topics`` 60 was chosen on the held-out development numbers
(10, 30 and 60 tried: ``benchmarks/frames_validity.py``, cross-set AUC climate -> GVFC 0.69, 0.71, 0.73).
The ``--terms`` heaviest weights per frame (by absolute value) and the intercept are written.

Your own corpus: ``--corpus FILE.jsonl`` (rows with ``doc_id``, ``text`` and optionally ``label``, the story
or collection counted by ``--min-topics``; without it each document is its own) instead of the development corpus;
your own lexicon: edit ``framing_mfc.csv`` / ``framing_generic.csv`` (or pass ``--lexicon``) and refit. Only
numbers and terms are written (CSV), never a pickle. The held-out effect on labelled frames is measured by
``benchmarks/frames_validity.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.framing import devsets
from helpers.framing.analyse import SCORED_FRAMES
from helpers.framing.documents import document_view, view_tokens, word_tokens
from helpers.framing.exemplars import content_rows
from helpers.framing.lexicon import GENERIC_LEXICON, MFC_LEXICON, as_lexicon, match_terms
from helpers.framing.weak import VOCABULARY, sentence_terms, term_matrix

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "helpers" / "data" / VOCABULARY
SCHEMES = {"mfc": (SCORED_FRAMES, MFC_LEXICON), "generic": (devsets.GENERIC_FRAMES, GENERIC_LEXICON)}


def real_documents(size: int, corpus: str | None) -> pd.DataFrame:
    """The unlabelled corpus: ``corpus`` (JSONL) or ``size`` documents of ``benchmarks/real_corpus.py``."""
    if corpus:
        with open(corpus, encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()]
    else:
        sys.path.insert(0, str(REPO / "benchmarks"))
        from real_corpus import build

        rows = build(size)
    docs = pd.DataFrame(rows)
    topic = docs["label"].astype(str) if "label" in docs else docs["doc_id"].astype(str)
    return pd.DataFrame(
        {"doc_id": docs["doc_id"].astype(str), "title": "", "text": docs["text"].astype(str), "topic": topic}
    )


def sentence_hits(toks: pd.DataFrame, units: pd.DataFrame, lexicon: pd.DataFrame, frames: list[str]) -> np.ndarray:
    """Non-negated lexicon hits per sentence of ``units`` and frame."""
    hits = match_terms(toks, lexicon)
    hits = hits[~hits["negated"].astype(bool) & hits["category"].isin(frames)]
    counts = hits.groupby(["doc_id", "sent_id", "category"]).size().unstack(fill_value=0).reset_index()
    counts = units[["doc_id", "sent_id"]].merge(counts, on=["doc_id", "sent_id"], how="left")
    return counts.reindex(columns=frames).fillna(0).to_numpy(float)


def pseudo_labels(hits: np.ndarray, min_hits: int) -> np.ndarray:
    """Sentence x frame labels: 1 where the frame has ``min_hits`` hits and no other frame more, 0 where it has
    none, NaN otherwise."""
    labels = np.full(hits.shape, np.nan)
    top = hits.max(axis=1, keepdims=True)
    labels[(hits >= min_hits) & (hits >= top)] = 1.0
    labels[hits == 0] = 0.0
    return labels


def own_terms(lexicon: pd.DataFrame, frame: str) -> set[str]:
    """The stems of a frame's lexicon keys (a term containing one is left out of the frame's features)."""
    return {w for k in lexicon.loc[lexicon["category"] == frame, "key"] for w in k.split()}


def fit_frame(X, labels, terms, masked, seed, negatives, n_terms) -> pd.DataFrame:
    """One frame's logistic regression on its labelled sentences; its heaviest ``n_terms`` weights + intercept."""
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(seed)
    pos = np.flatnonzero(labels == 1)
    neg = np.flatnonzero(labels == 0)
    neg = np.sort(rng.choice(neg, size=min(len(neg), negatives * len(pos)), replace=False))
    rows = np.concatenate([pos, neg])
    y = np.concatenate([np.ones(len(pos)), np.zeros(len(neg))])
    keep = np.flatnonzero(~masked)
    lr = LogisticRegression(C=1.0, solver="liblinear", random_state=seed).fit(X[rows][:, keep], y)
    w = lr.coef_[0]
    top = np.argsort(-np.abs(w), kind="stable")[:n_terms]
    out = pd.DataFrame({"term": terms[keep[top]], "weight": np.round(w[top], 4)})
    bias = pd.DataFrame({"term": [""], "weight": [round(float(lr.intercept_[0]), 4)]})
    return pd.concat([bias, out], ignore_index=True).assign(positives=len(pos))


def fit_scheme(toks, content, topics: pd.Series, scheme: str, args) -> pd.DataFrame:
    frames, default = SCHEMES[scheme]
    lexicon = as_lexicon(args.lexicon if scheme == "mfc" else None, default=default)
    units = content[0]
    labels = pseudo_labels(sentence_hits(toks, units, lexicon, frames), args.min_hits)
    rows, terms = sentence_terms(content)
    seen = pd.DataFrame({"row": rows, "term": terms}).drop_duplicates()
    df = seen["term"].value_counts()
    seen["topic"] = units["doc_id"].map(topics).to_numpy()[seen["row"].to_numpy()]
    spread = seen.drop_duplicates(["term", "topic"])["term"].value_counts()
    ok = (df >= args.min_df) & (spread.reindex(df.index).fillna(0) >= args.min_topics)
    vocab_terms = np.array(sorted(df[ok].index), dtype=object)
    vocab = {t: k for k, t in enumerate(vocab_terms)}
    X = term_matrix(rows, terms, vocab, len(units)).tocsr()
    print(f"{scheme}: {len(units)} sentences, {len(vocab)} terms")
    out = []
    for j, frame in enumerate(frames):
        if not (labels[:, j] == 1).any() or not (labels[:, j] == 0).any():
            print(f"  {frame}: no sentence labelled both ways by the lexicon, left out")
            continue
        own = own_terms(lexicon, frame)
        masked = np.array([any(w in own for w in t.split()) for t in vocab_terms])
        fit = fit_frame(X, labels[:, j], vocab_terms, masked, args.seed, args.negatives, args.terms)
        print(f"  {frame}: {int(fit['positives'].iloc[0])} positive sentences; top terms", list(fit["term"][1:9]))
        out.append(fit.drop(columns="positives").assign(scheme=scheme, frame=frame))
    return pd.concat(out, ignore_index=True)[["scheme", "frame", "term", "weight"]]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=14_000, help="documents of the development corpus")
    ap.add_argument("--corpus", help="your own unlabelled corpus (JSONL with doc_id, text)")
    ap.add_argument("--lexicon", help="a frame lexicon replacing the shipped framing_mfc.csv")
    ap.add_argument("--terms", type=int, default=600, help="heaviest weights kept per frame")
    ap.add_argument("--min-hits", type=int, default=1)
    ap.add_argument("--min-df", type=int, default=20)
    ap.add_argument("--min-topics", type=int, default=60, help="topics (stories, collections) a term is seen in")
    ap.add_argument("--negatives", type=int, default=4)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--schemes", default="mfc,generic")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    docs = real_documents(args.size, args.corpus)
    toks = word_tokens(view_tokens(document_view(docs, include_title=False)))
    content = content_rows(toks)
    topics = docs.set_index("doc_id")["topic"]
    print(f"{len(docs)} documents tokenised in {time.perf_counter() - t0:.0f} s")
    table = pd.concat(
        [fit_scheme(toks, content, topics, s, args) for s in args.schemes.split(",") if s], ignore_index=True
    )
    header = (
        "# Learned frame vocabulary of helpers.framing.weak, fitted by scripts/fit_frame_vocabulary.py on "
        f"{len(docs)} unlabelled real news articles labelled by the shipped lexicons (weak supervision; no "
        "development label used). Rows: the heaviest weights per frame; the row with an empty term is the "
        "frame's intercept.\n"
    )
    Path(args.out).write_text(header + table.to_csv(index=False), encoding="utf-8")
    print(f"wrote {args.out} ({Path(args.out).stat().st_size // 1024} KB) in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
