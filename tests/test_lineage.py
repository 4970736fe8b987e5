"""Origin and lineage (helpers.neardup.families.origins, .originality, .derivation, .origin_training)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

fam_mod = importlib.import_module("helpers.neardup.families")
from helpers.neardup.families import LineageParams, trace  # noqa: E402
from helpers.neardup.families import origin_training as ot  # noqa: E402
from helpers.neardup.families.originality import (  # noqa: E402
    ORIGIN_FEATURES,
    OriginModel,
    load_origin_model,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"

# A human news report (quotes, attributions, exact numbers) and machine-style versions of it.
ORIGINAL = (
    "Flooding in the river town of Kellerby forced 1,240 residents from their homes on Tuesday, officials said. "
    'The mayor, Anna Brook, said the water rose 2.3 metres in six hours. "We have never seen it come up this '
    'fast," she told reporters at the town hall. Police said two people were taken to hospital with minor '
    "injuries. The Environment Agency said 14 flood warnings remained in place across the county on Wednesday. "
    'Local farmer Tom Hale said he had lost 300 sheep. "Everything is under water," he said. Rail services '
    "between Kellerby and Marston were suspended, the operator said, and the A614 road was closed."
)
VERSIONS = {
    "v1": (
        "In a significant development, severe flooding has displaced more than a thousand residents of the town of "
        "Kellerby. Moreover, the water levels rose dramatically within a matter of hours, underscoring the "
        "vulnerability of the region. Several individuals reportedly sustained minor injuries. Furthermore, "
        "numerous flood warnings remain in effect throughout the county. Transportation links have also been "
        "disrupted, highlighting the broader impact of the crisis on the local community."
    ),
    "v2": (
        "Kellerby is grappling with a devastating flood that has forced many residents to evacuate. The rapid rise "
        "of the river has raised serious concerns about the town's preparedness. Additionally, local farmers have "
        "suffered substantial losses of livestock. Authorities have issued numerous warnings across the wider "
        "county. Overall, the situation highlights the growing challenges that communities face in an era of "
        "increasingly extreme weather events."
    ),
    "v3": (
        "Residents of Kellerby are facing an unprecedented crisis as floodwaters swept through the town. The swift "
        "rise of the river underscores the urgent need for improved flood defences. Moreover, essential rail "
        "services have been suspended and a major road has been closed. Emergency services are working tirelessly "
        "to support affected families. Ultimately, the event serves as a stark reminder of the power of nature."
    ),
}


def _family(extra: dict | None = None) -> pd.DataFrame:
    texts = {"orig": ORIGINAL, **VERSIONS, **(extra or {})}
    return pd.DataFrame({"doc_id": list(texts), "text": list(texts.values())})


def _traced(docs: pd.DataFrame, **kw):
    """The trace context and lineage of ``docs`` as one family (clustering is not under test here)."""
    ctx, fam, pairs, cues = ot.given_family_tables(docs, pd.Series(["f"] * len(docs)), **kw)
    return ctx, fam_mod.lineage(ctx, fam, pairs, cues)


def _lineage_of(docs: pd.DataFrame, **kw) -> pd.DataFrame:
    return _traced(docs, **kw)[1].set_index("doc_id")


# ---------------------------------------------------------------------------------------------- sample


@pytest.fixture(scope="module")
def sample_trace():
    from helpers.corpus import load_corpus

    docs = load_corpus(SAMPLE)
    return trace(docs), docs


def test_sample_versions_derive_from_the_external_original_not_from_each_other(sample_trace):
    t, _ = sample_trace
    lin = t.lineage.assign(short=t.lineage["doc_id"].str[:3]).set_index("short")
    external = lin.loc["004", "parent"]
    assert external.startswith("external:") and "nytimes" in external
    assert (lin["parent"] == external).all()  # 000-003 point to the Times original, none to a sibling
    assert lin.loc["004", "is_origin"] and lin.loc["004", "relation"] == "excerpt"
    assert (lin.drop("004")["compared_with"].str[:3] == "004").all()
    assert lin.loc["003", "relation"] == "summary"
    assert lin.loc["000", "relation"] == "rewrite"
    assert lin.loc["001", "relation"] in ("rewrite", "expanded rewrite")
    assert "Sarah Khalil" in lin.loc["001", "evidence"]  # what it adds is named in the evidence


def test_sample_added_content_against_the_family_keeps_the_interview(sample_trace):
    t, docs = sample_trace
    add = t.added
    assert (add["parent"].str.startswith("external:")).all()
    khalil = add[add["doc_id"].str.startswith("001") & add["sentence"].str.contains("Sarah Khalil")]
    assert len(khalil) == 1 and "Khalil" in khalil["new_specifics"].iloc[0]
    first = add[add["new_specifics"] != ""].iloc[0]
    text = docs.set_index("doc_id").loc[first.doc_id, "text"]
    assert text[first.start : first.end] == first.sentence
    # a sentence another member supports came from the original: it is not "added"
    for r in add.itertuples():
        others = [o for o in docs["doc_id"] if o != r.doc_id]
        assert r.best_support < 0.3, (r.doc_id, r.sentence, others)


def test_sample_families_table_carries_machine_style(sample_trace):
    t, _ = sample_trace
    style = t.families.set_index(t.families["doc_id"].str[:3])["machine_style"]
    assert style.between(0, 1).all()
    assert style["004"] < 0.5 < min(style["001"], style["002"], style["003"])  # the human Times text reads human
    ev = t.cues.set_index(t.cues["doc_id"].str[:3])
    assert ev.loc["001", "style_evidence"] and ev.loc["001", "style_reason"] == ""


# ---------------------------------------------------------------------------------------------- lineage rules


def test_rewrites_of_one_original_point_to_it():
    lin = _lineage_of(_family())
    assert lin.loc["orig", "is_origin"] and lin.loc["orig", "parent"] == ""
    assert (lin.drop("orig")["parent"] == "orig").all()
    assert lin.loc["orig", "originality"] > lin.drop("orig")["originality"].max()


def test_a_copy_of_a_rewrite_derives_from_that_rewrite():
    copy = VERSIONS["v2"].rsplit(". ", 2)[0] + "."  # its first sentences, verbatim
    lin = _lineage_of(_family({"copy_of_v2": copy}))
    assert lin.loc["copy_of_v2", "parent"] == "v2"
    assert lin.loc["copy_of_v2", "relation"] == "excerpt"
    assert "carries v2's additions" in lin.loc["copy_of_v2", "evidence"]
    assert (lin.drop(["orig", "copy_of_v2"])["parent"] == "orig").all()


def test_a_rewrite_carrying_a_siblings_additions_derives_from_it():
    added = (
        " Climate scientist Dr. Maria Lopez of Northfield University warned that such floods would return. "
        "Lopez said the Kellerby basin had lost 40 percent of its wetlands since 1990. "
        "Her team at Northfield recorded 17 similar floods in the region over the last decade."
    )
    extra = {"v2": VERSIONS["v2"] + added, "v4": VERSIONS["v3"] + added}
    docs = _family(extra)
    lin = _lineage_of(docs)
    assert lin.loc["orig", "is_origin"]
    later, earlier = ("v4", "v2") if lin.loc["v4", "origin_rank"] > lin.loc["v2", "origin_rank"] else ("v2", "v4")
    assert lin.loc[later, "parent"] == earlier
    assert "lopez" in lin.loc[later, "evidence"] or "own sentences" in lin.loc[later, "evidence"]
    assert lin.loc["v1", "parent"] == "orig"


def test_dated_family_the_earliest_is_the_origin_and_versions_do_not_chain():
    docs = _family().assign(published=pd.to_datetime(["2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04"]))
    lin = _lineage_of(docs)
    assert lin.loc["orig", "is_origin"] and "earliest published" in lin.loc["orig", "evidence"]
    assert (lin.drop("orig")["parent"] == "orig").all()


def test_credit_line_points_to_an_external_original_and_added_content_uses_the_family():
    base = ORIGINAL.split(". ")
    a = ". ".join(base[:-1]) + "."
    b = ". ".join(base[4:]) + " Senator Paul Grant demanded an inquiry into the 1,240 evacuations."
    b += "\nOriginal Source: www.example-news.com"
    c = VERSIONS["v1"]
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": [a, b, c]})
    ctx, lineage = _traced(docs)
    lin = lineage.set_index("doc_id")
    assert set(lin["parent"]) == {"external: www.example-news.com"}
    assert lin.loc["b", "origin_rank"] > 0  # b is a derivative: what it adds is listed
    added, _ = fam_mod.added_dropped(ctx, lineage)
    added_b = added[added["doc_id"] == "b"]
    assert added_b["sentence"].str.contains("Paul Grant").any()
    assert "Paul Grant" in added_b.loc[added_b["sentence"].str.contains("Paul Grant"), "new_specifics"].iloc[0]
    # its sentences that another member carries came from the original: not added
    assert not added_b["sentence"].str.contains("Environment Agency").any()


def test_a_passing_according_to_cites_without_making_the_original_external():
    text = ORIGINAL + " The flood was the worst in 40 years, according to the Kellerby Gazette."
    docs = _family().assign(text=lambda d: d["text"].where(d["doc_id"] != "orig", text))
    lin = _lineage_of(docs)
    assert lin.loc["orig", "parent"] == "" and (lin.drop("orig")["parent"] == "orig").all()


def test_a_tie_in_originality_goes_to_the_member_closest_to_all_the_others():
    from collections import namedtuple

    from helpers.neardup.families.facts import DocumentFacts
    from helpers.neardup.families.origins import _centrality, _most_original_first

    Pair = namedtuple("Pair", "doc_a doc_b story_sim")
    # z is the hub: each version is closer to it than to the other version
    pairs = [Pair("a", "z", 0.8), Pair("b", "z", 0.7), Pair("a", "b", 0.4)]
    central = _centrality(["a", "b", "z"], pairs)
    assert central["z"] == pytest.approx(0.75) and central["z"] > central["a"] > central["b"]
    undated = dict.fromkeys("abz", pd.NaT)
    facts = DocumentFacts(*([{}] * 2), undated, *([{}] * 10))
    tie = dict.fromkeys("abz", 0.0)
    assert _most_original_first(["a", "b", "z"], facts, tie, central) == ["z", "a", "b"]
    assert _most_original_first(["a", "b", "z"], facts, tie) == ["a", "b", "z"]  # no similarities: by id
    assert _most_original_first(["a", "b", "z"], facts, {**tie, "b": 1.0}, central)[0] == "b"  # scores first


def test_a_source_field_in_a_list_is_not_a_credit_line():
    # a fact box ("* Source: EU-wide emergency fund") names where money or data came from, not the text's source
    box = "\n\n**Bridging loan**\n\n* Value: 7bn euros\n* Source: EU-wide emergency fund\n- Via: the central bank"
    docs = _family().assign(text=lambda d: d["text"].where(d["doc_id"] != "v1", d["text"] + box))
    lin = _lineage_of(docs)
    assert lin.loc["orig", "parent"] == "" and (lin.drop("orig")["parent"] == "orig").all()
    cues = fam_mod.document_cues(docs)
    assert cues.set_index("doc_id").loc["v1", "credits"] == ""
    # the same field on a line of its own is a credit line
    line = "\nSource: www.example-news.com"
    cues = fam_mod.document_cues(docs.assign(text=docs["text"] + line))
    assert (cues["credits"] == "www.example-news.com").all() and cues["credit_line"].all()


def test_detail_false_scores_style_only_for_family_members_and_failures_are_listed(monkeypatch):
    import helpers.style.features as features
    from helpers.corpus import load_corpus

    sample = load_corpus(SAMPLE)
    single = "A completely unrelated note about gardening tools, seeds and compost. " * 8
    docs = pd.concat([sample[["doc_id", "text"]], pd.DataFrame({"doc_id": ["single"], "text": [single]})])
    t = trace(docs.reset_index(drop=True), detail=False)
    fam = t.families.set_index("doc_id")
    assert np.isnan(fam.loc["single", "machine_style"]) and fam.drop("single")["machine_style"].notna().all()
    assert t.cues.set_index("doc_id").loc["single", "style_reason"].startswith("not scored")
    real = features.analyse
    broken_doc = sample["doc_id"].iloc[2]
    broken_start = sample["text"].iloc[2][:40]

    def broken(text, *rest):
        if text.startswith(broken_start):
            raise RuntimeError("analysis broke")
        return real(text, *rest)

    monkeypatch.setattr(features, "analyse", broken)
    t2 = trace(docs.reset_index(drop=True), detail=False)
    assert [(s, d) for s, d, _ in t2.failures] == [("machine style", broken_doc)]
    assert np.isnan(t2.families.set_index("doc_id").loc[broken_doc, "machine_style"])
    assert len(t2.lineage) == len(docs)  # the run went on


# ---------------------------------------------------------------------------------------------- the model


def test_shipped_origin_model_is_readable_json_and_weighs_style_against_originality():
    m = load_origin_model()
    assert m.features == ORIGIN_FEATURES
    assert OriginModel.from_dict(json.loads(json.dumps(m.to_dict()))).to_dict() == m.to_dict()
    w = m.weights()
    assert w["machine_style"] < 0 and w["attributions"] > 0 and w["specifics_balance"] > 0
    assert m.meta["families"] >= 100


def test_origin_model_files_with_errors_say_what_is_wrong(tmp_path):
    good = load_origin_model().to_dict()
    with pytest.raises(ValueError, match="format"):
        OriginModel.from_dict({**good, "format": "something else"})
    with pytest.raises(ValueError, match="unknown features"):
        OriginModel.from_dict({**good, "features": ["shoe_size", *good["features"][1:]]})
    with pytest.raises(ValueError, match="values each"):
        OriginModel.from_dict({**good, "coef": good["coef"][:-1]})
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ValueError, match="bad.json"):
        load_origin_model(bad)


def _synthetic_features(n_families: int = 40, seed: int = 3) -> pd.DataFrame:
    rng = np.random.RandomState(seed)
    rows = []
    for f in range(n_families):
        for k in range(4):
            original = k == 0
            rows.append(
                dict(
                    doc_id=f"{f}-{k}",
                    family=f"f{f}",
                    is_original=original,
                    **{name: rng.normal() for name in ORIGIN_FEATURES},
                )
            )
            if original:
                rows[-1]["machine_style"] -= 3  # originals read human ...
                rows[-1]["attributions"] += 2  # ... and attribute their statements
    return pd.DataFrame(rows)


def test_fit_origin_model_learns_the_signal_deterministically():
    feats = _synthetic_features()
    a, b = ot.fit_origin_model(feats), ot.fit_origin_model(feats)
    assert np.array_equal(a.coef, b.coef)
    assert a.weights()["machine_style"] < 0 < a.weights()["attributions"]
    held_out = _synthetic_features(seed=4)
    assert ot.origin_accuracy(held_out, a).mean() >= 0.9
    with pytest.raises(ValueError, match="no family"):
        ot.fit_origin_model(feats[~feats["is_original"]])


def test_refit_from_a_labelled_file_end_to_end(tmp_path):
    rows = []
    for fam in range(3):
        suffix = f" The council meeting number {fam + 7} is set for Friday."
        rows.append(dict(doc_id=f"o{fam}", text=ORIGINAL + suffix, story=f"s{fam}", kind="original"))
        for name, text in VERSIONS.items():
            rows.append(dict(doc_id=f"{name}-{fam}", text=text + suffix, story=f"s{fam}", kind="rewrite"))
    rows.append(dict(doc_id="lonely", text=ORIGINAL, story="alone", kind="rewrite"))  # no original: skipped
    path = tmp_path / "labels.jsonl"
    pd.DataFrame(rows).to_json(path, orient="records", lines=True)
    docs = ot.labelled_documents(path, family_column="story")
    assert docs.attrs["dropped_families"] == 1 and docs["family"].nunique() == 3
    spec = importlib.util.spec_from_file_location("fit_lineage", REPO / "scripts" / "fit_lineage.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    out = tmp_path / "mine.json"
    assert script.main(["--labelled", str(path), "--family-column", "story", "--out", str(out)]) == 0
    mine = load_origin_model(out)
    assert mine.meta["families"] == 3 and mine.meta["data"] == "labels.jsonl"
    lin = trace(_family(), lineage=LineageParams(model=str(out)), with_passages=False).lineage
    assert lin.set_index("doc_id").loc["orig", "is_origin"]
    with pytest.raises(ValueError, match="missing columns"):
        ot.labelled_documents(path, family_column="nope")
