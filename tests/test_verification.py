"""Family verification: links inside a family pass on shared facts or on standing out of their topic; a family
is split into the components of its verified links."""

from __future__ import annotations

import importlib
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

fam_mod = importlib.import_module("helpers.neardup.families")
from helpers.neardup.families.verification import EVIDENCE_COLUMNS  # noqa: E402

VP = fam_mod.VerificationParams
CHECK = VP(coverage=0.5, specifics=0.5, background_ratio=3.0, margin=1.8, min_words=0)  # every test on


def _evidence(rows):
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


def test_a_family_splits_where_its_verified_links_fall_apart():
    fam = pd.DataFrame({"doc_id": list("abcdez"), "family_id": [0, 0, 0, 0, 0, 1]})
    weak = {"coverage": 0.1, "specifics": 0.2, "background_ratio": 1.8, "margin": 1.1, "min_words": 300}
    ev = _evidence(
        [
            {"doc_a": "a", "doc_b": "b", **weak, "coverage": 0.9},  # shares sentences both ways
            {"doc_a": "c", "doc_b": "d", **weak, "specifics": 0.8},  # shares names and numbers
            {"doc_a": "b", "doc_b": "c", **weak},  # topic only: the bridge does not hold
            {"doc_a": "d", "doc_b": "e", **weak},  # topic only: e leaves
        ]
    )
    out = fam_mod.verified_families(fam, ev, CHECK)
    assert out["family_id"].tolist() == [0, 0, 1, 1, 2, 3]  # renumbered in order of first document
    # the crowd tests verify a link as well
    crowd = ev.assign(background_ratio=[1.8, 1.8, 5.0, 1.8], margin=[1.1, 1.1, 1.1, 2.5])
    assert fam_mod.verified_families(fam, crowd, CHECK)["family_id"].tolist() == [0, 0, 0, 0, 0, 1]
    # links to texts too short to check are kept
    short = ev.assign(min_words=[300, 300, 50, 300])
    assert fam_mod.verified_families(fam, short, replace(CHECK, min_words=80))["family_id"].tolist() == [
        0,
        0,
        0,
        0,
        1,
        2,
    ]
    # off: the families as clustering made them; a missing coverage (not computed) does not verify
    assert fam_mod.verified_families(fam, ev, VP(enabled=False)) is fam
    assert fam_mod.verified_families(fam, ev.assign(coverage=np.nan), CHECK)["family_id"].nunique() == 5


def _toy(background: float):
    """Four documents: a and b tell one story (b rewrites a), c and d are other days of the same topic."""
    texts = {
        "a": "Firefighters rescued 14 miners in Oakridge on Tuesday. The mine owner Halvorsen Coal said the shaft "
        "collapsed after heavy rain. Rescue chief Maria Lund praised the crews.",
        "b": "On Tuesday, 14 miners were rescued by firefighters in Oakridge. Halvorsen Coal, which owns the mine, "
        "blamed heavy rain for the collapse. Maria Lund, the rescue chief, thanked the crews.",
        "c": "Coal prices rose again this week as traders worried about supply from the region's mines.",
        "d": "A union leader called for safer mines across the region, citing an ageing workforce and old shafts.",
    }
    docs = pd.DataFrame({"doc_id": list(texts), "text": list(texts.values())})
    raw = np.array([[0, 0.7, 0.2, 0.2], [0.7, 0, 0.2, 0.2], [0.2, 0.2, 0, 0.3], [0.2, 0.2, 0.3, 0]], dtype=np.float32)
    R = sparse.csr_matrix(raw)
    lex = pd.DataFrame(columns=["doc_a", "doc_b", "jaccard_est", "jaccard", "containment_a", "containment_b"])
    names = fam_mod.name_lexicon(docs["text"])
    sim = fam_mod.StorySimilarity(
        list(texts), R * 4, R, R, R, lex, None, names, np.full(4, background, dtype=np.float32)
    )
    return docs, sim


def test_link_evidence_measures_facts_and_crowd():
    docs, sim = _toy(0.15)
    fam = pd.DataFrame({"doc_id": list("abcd"), "family_id": [0, 0, 1, 1]})
    d = fam_mod.prepare_documents(docs)
    p = fam_mod.FamilyParams(verification=CHECK)  # the toy texts are short: check them all
    ctx = fam_mod.family_context(d, fam, sim, p)
    ev = fam_mod.link_evidence(fam, sim, ctx, p).set_index(["doc_a", "doc_b"])
    assert list(ev.index) == [("a", "b"), ("c", "d")]  # links inside families only, each once
    ab, cd = ev.loc[("a", "b")], ev.loc[("c", "d")]
    assert ab["coverage"] > 0.5 and ab["specifics"] >= 0.8  # the rewrite keeps the facts
    assert cd["coverage"] == 0 and cd["specifics"] < 0.5
    assert ab["min_words"] == min(d.set_index("doc_id").loc[["a", "b"], "n_words"])
    assert ab["background_ratio"] == pytest.approx(0.7 / 0.15) and cd["background_ratio"] == pytest.approx(2.0)
    # margin: mean similarity to the family over the mean of the (here two) closest non-members
    assert ab["margin"] == pytest.approx(0.7 / 0.2) and cd["margin"] == pytest.approx(0.3 / 0.2)
    out = fam_mod.verify_families(fam, sim, ctx, p)
    assert out["family_id"].tolist() == [0, 0, 1, 2]  # c and d: topic only, split
    # without a measured background (a small corpus) the crowd test cannot fail: nothing is split
    docs0, sim0 = _toy(0.0)
    ctx0 = fam_mod.family_context(d, fam, sim0, p)
    assert fam_mod.verify_families(fam, sim0, ctx0, p)["family_id"].tolist() == [0, 0, 1, 1]


def test_a_link_that_cannot_be_checked_is_kept_and_listed(monkeypatch):
    docs, sim = _toy(0.15)
    fam = pd.DataFrame({"doc_id": list("abcd"), "family_id": [0, 0, 1, 1]})
    p = fam_mod.FamilyParams(verification=CHECK)
    ctx = fam_mod.family_context(fam_mod.prepare_documents(docs), fam, sim, p)

    def broken(a, b):
        raise ValueError("no sentences")

    monkeypatch.setattr(ctx.matcher, "coverage", broken)
    failures: list = []
    out = fam_mod.verify_families(fam, sim, ctx, p, failures)
    assert out["family_id"].tolist() == [0, 0, 1, 1]  # c-d could not be checked: kept, not split
    assert [(f[0], f[1]) for f in failures] == [("family verification", "c")]
    assert "no sentences" in failures[0][2]


def test_family_names_count_only_names_the_family_owns():
    """Shared names that most documents naming them lie outside the family (the topic's) do not count."""
    ids = list("abcdefgh")
    spec = {"a": {"assad", "homs", "#14", "lund", "oakridge"}, "b": {"assad", "homs", "#14", "lund", "oakridge"}}
    spec |= {x: {"assad", "homs"} for x in ids[2:]}  # six other articles of the topic name the same two
    d = pd.DataFrame({"doc_id": ids, "full": "", "n_words": 500})
    edges = [(0, 1, 0.5), (0, 2, 0.45), (1, 3, 0.45)]  # a-b in the family; a and b each near a topic article
    r, c, v = zip(*(e for a, b, x in edges for e in ((a, b, x), (b, a, x))))
    raw = sparse.csr_matrix((v, (r, c)), shape=(8, 8), dtype=np.float32)

    class NoSentences:
        def coverage(self, a, b):
            return 0.0, 0.0

    ctx = fam_mod.FamilyContext(d, NoSentences(), frozenset(), spec)
    lex = pd.DataFrame(columns=["doc_a", "doc_b", "jaccard_est", "jaccard", "containment_a", "containment_b"])
    sim = fam_mod.StorySimilarity(ids, raw, raw, raw, raw, lex, None, frozenset(), np.full(8, 0.4, np.float32))
    fam = pd.DataFrame({"doc_id": ids, "family_id": [0, 0, 1, 2, 3, 4, 5, 6]})
    p = fam_mod.FamilyParams(verification=VP(family_share=0.3))
    ev = fam_mod.link_evidence(fam, sim, ctx, p)
    assert ev["family_names"].tolist() == [3]  # #14, lund, oakridge: 2 of 2 documents; assad, homs: 2 of 8
    names_only = replace(CHECK, specifics=np.inf)  # a and b share all their names (margin 1.1, ratio 1.25)
    assert fam_mod.verified_families(fam, ev, replace(names_only, family_names=3))["family_id"].nunique() == 7
    assert fam_mod.verified_families(fam, ev, replace(names_only, family_names=4))["family_id"].nunique() == 8
