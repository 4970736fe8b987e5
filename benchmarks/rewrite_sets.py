"""Development rewrite sets: real news, machine versions of some of it, and same-topic articles never rewritten.

Each set mixes, with no dates (as the issue's unseen sets):

- originals of ``rewrites/l2r_news.jsonl`` (BBC articles, XSum) with their machine versions (GPT-3.5-Turbo,
  GPT-4o, Llama-3-70B, Gemini-1.5-Pro);
- originals whose versions are *held out*: same outlet, not rewritten, so they must stay alone;
- real articles of other outlets and topics, picked as each original's nearest neighbours (so the set is as
  hard as the pool allows): same topic where the pool has one, the closest there is otherwise.

The two sets are built differently and share no document, so a model fitted on one is tested on the other:

=========  =======================  =============  ===========================================  ==============
set        l2r stories              versions held  distractor pool                              neighbours by
=========  =======================  =============  ===========================================  ==============
``rw-a``   100 (half, seed 12)      25 originals   Timeline17 Syria, H1N1, Haiti, Michael        content words
                                                   Jackson, financial crisis (BBC, Reuters,
                                                   Guardian, Washington Post)
``rw-b``   the other 100            35 originals   Timeline17 BP oil spill (five outlets), Iraq  names and
                                                   war (Guardian)                                numbers
=========  =======================  =============  ===========================================  ==============

At most one distractor per Timeline17 (topic, day) folder, so that two distractors are unlikely to report the
same event (they are labelled as different stories). Rows: ``doc_id``, ``title`` (empty), ``text``,
``story_id`` (gold story: the original's for its versions, the document's own otherwise), ``kind``
(``original``, a generator name, or ``distractor``), ``role`` (``original``, ``version``, ``held-out original``,
``distractor``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

SHARED = Path(__file__).resolve().parents[2] / "shared"
BENCH = SHARED / "benchmarks"
L2R = BENCH / "rewrites" / "l2r_news.jsonl"
SEED = 12
ROLES_ALONE = ("held-out original", "distractor")  # documents never rewritten: each is a story of its own
SETS = {
    "rw-a": {
        "half": 0,
        "held_out": 25,
        "pool": ["SyrianCrisis_bbc", "SyrianCrisis_reuters", "H1N1_bbc", "H1N1_guardian", "H1N1_reuters",
                 "haiti_bbc", "MJ_bbc", "Finan_washingtonpost"],
        "per_original": 8,
        "by": "words",
    },
    "rw-b": {
        "half": 1,
        "held_out": 35,
        "pool": ["bpoil_bbc", "bpoil_foxnews", "bpoil_guardian", "bpoil_reuters", "bpoil_washingtonpost",
                 "IraqWar_guardian"],
        "per_original": 8,
        "by": "names",
    },
}  # fmt: skip
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)*|\b\d[\d,.]*\d\b|\b\d\b")


def available() -> bool:
    return L2R.exists() and (BENCH / "timeline17").is_dir() and (SHARED / "corpora" / "t17-syria").is_dir()


def _l2r() -> pd.DataFrame:
    rows = [json.loads(line) for line in L2R.read_text(encoding="utf-8").splitlines() if line.strip()]
    return pd.DataFrame(rows)[["doc_id", "text", "story_id", "kind"]]


def _pool(topics: list[str]) -> pd.DataFrame:
    """One article per Timeline17 (topic, day) folder: the first file of the day, detokenised."""
    from real_corpus import detokenise

    rows = []
    for topic in topics:
        base = BENCH / "timeline17" / topic
        if not base.is_dir():
            base = SHARED / "corpora" / "t17-syria" / topic
        for day in sorted((base / "InputDocs").iterdir()):
            for path in sorted(day.glob("*.txt")):
                text = detokenise(path.read_text(encoding="utf-8", errors="replace"))
                if len(text.split()) >= 80:  # an article, not a stub
                    rows.append({"doc_id": f"t17/{topic}/{day.name}/{path.stem}", "text": text, "folder": day.name})
                    break
    return pd.DataFrame(rows)


def _names(text: str) -> str:
    """Capitalised words not starting a sentence, and numbers: a crude name/number view for the neighbours."""
    return " ".join(m.group().replace(" ", "_") for m in _NAME.finditer(text))


def _nearest(originals: pd.DataFrame, pool: pd.DataFrame, k: int, by: str) -> pd.DataFrame:
    """Round robin over the originals: each takes its nearest pool article not yet taken, ``k`` rounds."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = list(originals["text"]) + list(pool["text"])
    if by == "names":
        texts = [_names(t) for t in texts]
        vec = TfidfVectorizer(lowercase=True, token_pattern=r"\S+", sublinear_tf=True)
    else:
        vec = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2)
    X = vec.fit_transform(texts)
    n = len(originals)
    sim = (X[:n] @ X[n:].T).toarray()
    order = np.argsort(-sim, axis=1, kind="stable")
    taken: set[int] = set()
    cursor = np.zeros(n, dtype=int)
    for _ in range(k):
        for i in range(n):
            while cursor[i] < order.shape[1] and order[i, cursor[i]] in taken:
                cursor[i] += 1
            if cursor[i] < order.shape[1]:
                taken.add(int(order[i, cursor[i]]))
    return pool.iloc[sorted(taken)]


def build(name: str) -> pd.DataFrame:
    """One development rewrite set (see the module docstring), in a fixed shuffled order."""
    spec = SETS[name]
    l2r = _l2r()
    rng = np.random.default_rng(SEED)
    stories = np.array(sorted(l2r["story_id"].unique()))
    stories = stories[rng.permutation(len(stories))]
    half = len(stories) // 2
    mine = stories[:half] if spec["half"] == 0 else stories[half:]
    held = set(rng.choice(sorted(mine), size=spec["held_out"], replace=False).tolist())
    sub = l2r[l2r["story_id"].isin(set(mine))]
    sub = sub[(sub["kind"] == "original") | ~sub["story_id"].isin(held)].copy()
    sub["role"] = np.where(
        sub["kind"] != "original", "version", np.where(sub["story_id"].isin(held), "held-out original", "original")
    )
    originals = sub[sub["kind"] == "original"]
    dis = _nearest(originals, _pool(spec["pool"]), spec["per_original"], spec["by"])
    dis = pd.DataFrame(
        {"doc_id": dis["doc_id"], "text": dis["text"], "story_id": dis["doc_id"], "kind": "distractor"}
    ).assign(role="distractor")
    out = pd.concat([sub, dis], ignore_index=True)
    out.insert(1, "title", "")
    return out.iloc[np.random.default_rng(SEED + 1).permutation(len(out))].reset_index(drop=True)
