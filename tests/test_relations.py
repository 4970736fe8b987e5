"""Relation labels of a derivative against its relative (helpers.neardup.families.pairs)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pandas as pd
import pytest

from helpers.neardup.families import RELATIONS, RelationParams, classify_relation
from helpers.neardup.families import origin_training as ot
from helpers.neardup.families.pairs import relation_evidence, relation_features

fam_mod = importlib.import_module("helpers.neardup.families")
REPO = Path(__file__).resolve().parents[1]
PAN13 = REPO.parent / "shared" / "benchmarks" / "pan13-train"

SENTENCES = [
    "Flooding in the river town of Kellerby forced 1,240 residents from their homes on Tuesday, officials said.",
    "The mayor, Anna Brook, said the water rose 2.3 metres in six hours at the old bridge.",
    "Police said two people were taken to hospital with minor injuries after their car was swept away.",
    "The Environment Agency said 14 flood warnings remained in place across the county on Wednesday.",
    "Local farmer Tom Hale said he had lost 300 sheep when the river burst its banks near his farm.",
    "Rail services between Kellerby and Marston were suspended, the operator said, and the A614 road was closed.",
    "Volunteers from the Red Cross opened a shelter for 400 people in the Kellerby sports hall.",
    "Forecasters expect another 40 millimetres of rain over the weekend, which could raise the river again.",
]
TEXT = " ".join(SENTENCES)


def _features(derivative: str, relative: str = TEXT) -> dict:
    docs = pd.DataFrame({"doc_id": ["d", "r"], "text": [derivative, relative]})
    ctx, _, pairs, cues = ot.given_family_tables(docs, pd.Series(["f", "f"]), style=pd.Series(dtype=float))
    pair = next(pairs.itertuples(index=False))
    return relation_features(ctx, pair, "d", "r", ctx.d.set_index("doc_id"), cues.set_index("doc_id"))


def _base(**kw) -> dict:
    """Features of a loose rewrite of similar length; tests change what they are about."""
    f = dict(
        same_text=False,
        jaccard=0.02,
        containment_a=0.03,
        containment_b=0.03,
        words_a=0.6,
        bigrams_a=0.2,
        len_a=100,
        len_b=110,
        cover_a=0.6,
        cover_b=0.55,
        specifics_a=0.9,
        order=0.5,
        copied_a=0.0,
        sentences_a=8,
        new_sentences=0,
        new_specifics="",
        external=False,
        a_scraped=False,
        a_credits="",
        a_summary_cue=False,
        a_quotes=0,
        b_quotes=0,
        a_machine_style=0.9,
    )
    f.update(kw)
    return f


@pytest.mark.parametrize(
    "changes, label",
    [
        (dict(same_text=True), "copy"),
        (dict(jaccard=0.93), "copy"),
        (dict(jaccard=0.6, containment_a=0.75), "near-verbatim copy"),
        (dict(jaccard=0.3, containment_a=0.95, len_a=40), "excerpt"),
        (dict(a_scraped=True, len_b=0), "excerpt"),
        (dict(len_a=40, cover_a=0.8), "summary"),
        (dict(a_credits="www.example.com", len_a=120), "summary"),
        (dict(words_a=0.9, bigrams_a=0.45), "near-verbatim copy"),
        (dict(cover_a=0.2, specifics_a=0.3, a_machine_style=0.1), "same story"),
        (dict(cover_a=0.2, specifics_a=0.3, a_machine_style=float("nan")), "same story"),
        (dict(cover_a=0.2, specifics_a=0.3), "rewrite"),  # reads machine-written: generated, not reporting
        (dict(new_sentences=4, len_a=150, cover_b=0.7), "expanded rewrite"),
        (dict(new_sentences=4, len_a=150, cover_b=0.2), "rewrite"),  # adds, but does not keep the relative
        (dict(new_sentences=4, external=True), "expanded rewrite"),
        (dict(cover_a=0.95, cover_b=0.9, order=0.95), "paraphrase"),
        (dict(cover_a=0.95, cover_b=0.9, order=float("nan")), "rewrite"),
        (dict(cover_a=0.95, cover_b=0.9, order=0.2), "rewrite"),
        (dict(), "rewrite"),
    ],
)
def test_rules(changes, label):
    f = _base(**changes)
    assert classify_relation(f) == label
    assert label in RELATIONS
    got, evidence = relation_evidence(f)
    assert got == label and "content words" in evidence or f["len_b"] == 0


def test_cut_offs_are_parameters():
    f = _base(len_a=50, cover_a=0.8)
    assert classify_relation(f) == "summary"
    assert classify_relation(f, RelationParams(summary_length_ratio=0.3)) != "summary"


def test_texts_copy_excerpt_near_verbatim_summary_paraphrase():
    assert classify_relation(_features(TEXT)) == "copy"
    edited = TEXT.replace("Tuesday", "Monday").replace("300 sheep", "350 sheep").replace("minor", "light")
    assert classify_relation(_features(edited)) == "near-verbatim copy"
    assert classify_relation(_features(" ".join(SENTENCES[:3]))) == "excerpt"
    summary = (
        "Kellerby flooding forced 1,240 residents from their homes and suspended rail services to Marston. "
        "Another 40 millimetres of rain is expected, forecasters said."
    )
    assert classify_relation(_features(summary)) == "summary"
    paraphrase = " ".join(
        [
            "On Tuesday floodwater in Kellerby, a riverside community, drove 1,240 people out of houses, they say.",
            "According to mayor Anna Brook, near the old bridge levels climbed 2.3 metres within six hours.",
            "Two people needed hospital care for slight injuries when floodwater carried their car off, police say.",
            "By Wednesday 14 flood alerts still covered the county, according to the Environment Agency.",
            "Tom Hale, who farms locally, saw 300 sheep perish as the river overflowed beside his farm.",
            "Trains linking Kellerby and Marston stopped running, the operator reported, and the A614 was shut.",
            "Red Cross volunteers set up emergency shelter for 400 people inside the Kellerby sports hall.",
            "Meteorologists predict a further 40 millimetres of rain this weekend, possibly lifting the river again.",
        ]
    )
    f = _features(paraphrase)
    assert classify_relation(f) == "paraphrase", relation_evidence(f)[1]

    def shuffle(sentence: str) -> str:  # PAN13-style random obfuscation: neighbouring words swapped here and there
        w = sentence.split()
        for i in range(1, len(w) - 1, 5):
            w[i], w[i + 1] = w[i + 1], w[i]
        return " ".join(w)

    assert classify_relation(_features(" ".join(shuffle(s) for s in SENTENCES))) == "near-verbatim copy"


def test_pairs_table_has_relation_evidence_and_derivative():
    from helpers.corpus import load_corpus

    t = fam_mod.trace(load_corpus(REPO / "data" / "sample"), with_passages=False)
    assert {"relation", "evidence", "derivative"} <= set(t.pairs.columns)
    assert set(t.pairs["relation"]) <= set(RELATIONS)
    assert t.pairs["evidence"].str.contains("content words").all()


@pytest.mark.skipif(not PAN13.exists(), reason="PAN13 training corpus not available")
def test_pan13_verbatim_reuse_is_a_copy():
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from lineage import _pan_cases
    finally:
        sys.path.pop(0)
    labels = [classify_relation(_features(c["derivative"], c["relative"])) for c in _pan_cases("02-no-obfuscation", 8)]
    assert labels == ["copy"] * 8
