"""The learned story similarity: the shipped model loads and scores, its probabilities rise with the evidence of one
story, refitting from a small labelled file works and is deterministic, and families run on it."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

fam_mod = importlib.import_module("helpers.neardup.families")
sm = importlib.import_module("helpers.neardup.families.story_model")
REPO = Path(__file__).resolve().parents[1]

STORY = (
    "Firefighters rescued 14 miners in Oakridge on Tuesday after the Halvorsen Coal shaft collapsed. Rescue chief "
    "Maria Lund said the crews worked for 30 hours. The miners were taken to St Brendan hospital in Oakridge. "
    "Halvorsen Coal said heavy rain had weakened the shaft. Lund praised the volunteers from nearby Millbrook."
)
REWRITE = (
    "After the Halvorsen Coal shaft gave way, 14 miners were rescued in Oakridge on Tuesday by firefighters. The "
    "crews had worked for 30 hours, rescue chief Maria Lund said. St Brendan hospital in Oakridge took in the "
    "miners. Heavy rain weakened the shaft, according to Halvorsen Coal. Volunteers from Millbrook were praised."
)
LEAD = "Fourteen miners trapped at the Halvorsen Coal shaft in Oakridge were brought out alive by firefighters Tuesday."
OTHER = (
    "Coal prices rose again this week as mines across the region cut output. Analysts at Kestrel Bank said demand "
    "from power stations remained strong. Several mine owners warned of higher costs. The regional coal board will "
    "meet in March to discuss safety rules. Miners' unions asked for new inspections of old shafts."
)


def _row(**values) -> pd.DataFrame:
    """A feature row; the corpus-relative features follow their absolute ones, at the training data's typical
    corpus median (the model's mean of the feature minus its mean relative value)."""
    m = sm.load_story_model()
    mean = dict(zip(m.features, m.mean))
    base = {f: 0.0 for f in sm.FEATURES}
    base.update(log_raw=np.log(0.3), scaled=0.8, words=0.3, specifics=0.2)
    base.update(log_background_min=np.log(0.15), log_background_max=np.log(0.2), log_min_words=5.0)
    base.update(values)
    for f in sm.RELATIVE:
        base[f + "_rel"] = base[f] - (mean[f] - mean[f + "_rel"])
    return pd.DataFrame([base])


def test_the_shipped_model_loads_and_scores():
    m = sm.load_story_model()
    assert m.features == sm.FEATURES
    assert len(m.coef) == len(m.mean) == len(m.scale) == len(sm.FEATURES)
    p = m.probability(pd.concat([_row(), _row(log_raw=np.log(0.9))], ignore_index=True))
    assert p.shape == (2,) and ((p > 0) & (p < 1)).all()
    assert m.meta.get("pairs", 0) > 1000  # fitted on the development sets' candidate pairs


def _pair(raw: float, background: float = 0.2, facts: float = 0.0) -> pd.DataFrame:
    """A constructed candidate pair: cosines ``raw``, each side's background, and ``facts`` (0-1) of shared
    sentences and rare names and numbers, the features moving together as they do."""
    return _row(
        log_raw=np.log(raw),
        scaled=raw / background / 1.5,
        words=raw,
        specifics=raw,
        log_background_min=np.log(background),
        log_background_max=np.log(background),
        coverage=facts,
        specifics_share=facts,
        rare_shared=np.log1p(8 * facts),
        rare_specificity=facts,
    )


def test_probability_rises_with_the_evidence_of_one_story():
    m = sm.load_story_model()
    closer = [m.probability(_pair(raw))[0] for raw in (0.15, 0.3, 0.45, 0.6, 0.8)]
    assert np.all(np.diff(closer) > 0), closer
    facts = [m.probability(_pair(0.3, facts=f))[0] for f in (0.0, 0.25, 0.5, 0.75, 1.0)]
    assert np.all(np.diff(facts) > 0), facts
    # the same cosine means less in a crowded topic (a higher background)
    assert m.probability(_pair(0.3, background=0.1))[0] > m.probability(_pair(0.3, background=0.25))[0]


def test_a_rewrite_is_more_likely_the_same_story_than_a_same_topic_article():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": [STORY, REWRITE, OTHER]})
    sim = fam_mod.story_similarity(docs)
    P = sm.story_probability(docs, sim).toarray()
    assert np.allclose(P, P.T)
    assert P[0, 1] > 0.5 and P[0, 1] > P[0, 2] and P[0, 1] > P[1, 2]


def _labelled(tmp_path: Path) -> Path:
    rows = []
    for s in range(6):
        rows.append({"doc_id": f"s{s}a", "text": STORY.replace("14", str(10 + s)), "story_id": f"s{s}"})
        rows.append({"doc_id": f"s{s}b", "text": REWRITE.replace("14", str(10 + s)), "story_id": f"s{s}"})
        rows.append({"doc_id": f"o{s}", "text": OTHER.replace("March", f"week {s}"), "story_id": f"o{s}"})
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return path


def test_refitting_from_a_small_labelled_file_is_deterministic(tmp_path):
    sys.path.insert(0, str(REPO / "scripts"))
    fit = importlib.import_module("fit_story_model")
    labelled = _labelled(tmp_path)
    outs = [tmp_path / "m1.json", tmp_path / "m2.json"]
    for out in outs:
        assert fit.main(["--labelled", str(labelled), "--out", str(out)]) == 0
    assert outs[0].read_text() == outs[1].read_text()
    m = sm.load_story_model(str(outs[0]))
    assert m.meta["pairs"] > 0 and m.meta["data"].startswith("your labels")
    # the refitted model drives families
    docs = pd.read_json(labelled, lines=True)
    got = fam_mod.story_clusters(docs, fam_mod.FamilyParams(story_model=str(outs[0])))
    assert len(got) == len(docs) and got["family_id"].between(0, len(docs) - 1).all()


def test_a_bad_model_file_says_what_is_wrong(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "something else"}))
    with pytest.raises(ValueError, match="not a story model"):
        sm.load_story_model(str(bad))
    with pytest.raises(FileNotFoundError, match="fit_story_model"):
        sm.load_story_model(str(tmp_path / "missing.json"))


def test_families_on_the_learned_similarity_keep_the_sample_one_family(sample_dir):
    from helpers.corpus import load_corpus

    docs = load_corpus(sample_dir)
    fam = fam_mod.families(docs, story_model="shipped")
    assert set(fam.columns) >= {"doc_id", "family_id", "role"}
    assert len(fam) == 5 and fam["family_id"].nunique() == 1


def test_clustering_on_the_probabilities_gives_a_families_table(sample_dir):
    from helpers.corpus import load_corpus

    docs = load_corpus(sample_dir)
    got = fam_mod.story_clusters(docs, fam_mod.FamilyParams(story_model="shipped", story_use="cluster"))
    assert list(got.columns) == ["doc_id", "family_id"] and len(got) == 5
    with pytest.raises(ValueError, match="story_use"):
        fam_mod.story_clusters(docs, fam_mod.FamilyParams(story_model="shipped", story_use="both"))


def test_a_link_whose_evidence_fails_is_kept_and_listed(sample_dir, monkeypatch):
    from helpers.corpus import load_corpus
    from helpers.neardup.semantic import SentenceMatcher

    def broken(self, a, b):
        raise ValueError("hostile text")

    docs = load_corpus(sample_dir)
    strict = fam_mod.FamilyParams(story_threshold=0.99)  # few links of the sample are that sure
    working = fam_mod.story_clusters(docs, strict)["family_id"]
    assert working.nunique() > 1
    monkeypatch.setattr(SentenceMatcher, "coverage", broken)
    failures: list = []
    fam = fam_mod.story_clusters(docs, strict, failures=failures)
    assert failures and all("hostile text" in str(f) for f in failures)
    # a link whose coverage was needed and failed is kept (the others are decided without it)
    size = fam.groupby("family_id")["doc_id"].transform("size")
    failed = {doc for _, doc, _ in failures}
    assert (size[fam["doc_id"].isin(failed)] > 1).all()
    assert fam["family_id"].nunique() < working.nunique()


def test_logit_range_bounds_every_value_of_the_unknown_features():
    m = sm.load_story_model()
    rng = np.random.default_rng(0)
    X = pd.concat([_pair(float(r), facts=float(f)) for r, f in rng.uniform(0.1, 0.9, (20, 2))], ignore_index=True)
    lo, hi = m.logit_range(X, sm.EXPENSIVE)
    assert (hi - lo > 0.1).all()  # the expensive features can move the decision
    for value in (0.0, 0.3, 1.0):
        logit = np.log(1 / m.probability(X.assign(passage8=value, coverage=1 - value)) - 1) * -1
        assert ((lo - 1e-9 <= logit) & (logit <= hi + 1e-9)).all()


def test_the_bounded_split_decides_as_with_every_feature_computed():
    """The split computes passages and sentence coverage only where they can change a family; the families are
    those of P(same story) over every link with every feature."""
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    rows = []
    for s in range(6):
        rows.append({"doc_id": f"s{s}a", "text": STORY.replace("14", str(10 + s))})
        rows.append({"doc_id": f"s{s}b", "text": REWRITE.replace("14", str(10 + s)).replace("Tuesday", f"day {s}")})
        rows.append({"doc_id": f"o{s}", "text": OTHER.replace("March", f"week {s}")})
    docs = pd.DataFrame(rows)
    p = fam_mod.FamilyParams(story_model=None, snippet_words=5)
    sim = fam_mod.story_similarity(docs, p)
    labels = fam_mod.story_clusters(docs, p, similarity=sim)["family_id"].to_numpy()
    fam = pd.DataFrame({"doc_id": sim.doc_ids, "family_id": labels})
    X = sm.pair_features(docs, sim, p, families=fam)
    m = sm.load_story_model()
    keep = m.probability(X) >= sm.story_threshold(p)
    assert len(X) and not keep.all()  # some link is split: the check can fail
    n = len(labels)
    graph = sparse.coo_matrix((np.ones(keep.sum()), (X["i"][keep], X["j"][keep])), shape=(n, n))
    want = connected_components(graph, directed=False)[1]
    got = sm.split_unlikely_links(labels, docs, sim, p, model=m)
    assert np.array_equal(got, want)


def test_only_links_between_two_snippets_are_kept_unjudged():
    """A snippet's link to an article is judged like any other (a distractor article's short neighbour does not
    ride into its family on a link too short to judge); a link between two snippets is kept. (The lead is no
    excerpt of either article: a lexical copy is always kept, see below.)"""
    from helpers.neardup.families.documents import prepared

    docs = prepared(
        pd.DataFrame(
            {
                "doc_id": ["story", "rewrite", "lead"],
                "text": [STORY, REWRITE, LEAD],
            }
        )
    )
    never = sm.StoryModel(list(sm.FEATURES), np.zeros(len(sm.FEATURES)), np.ones(len(sm.FEATURES)),
                          np.zeros(len(sm.FEATURES)), -20.0)  # fmt: skip
    one_family = np.zeros(3, dtype=np.int64)
    lead_words = int(docs["n_words"].iloc[2])
    assert lead_words < docs["n_words"].iloc[:2].min()
    lead_is_snippet = fam_mod.FamilyParams(snippet_words=lead_words + 1)
    sim = fam_mod.story_similarity(docs, lead_is_snippet)
    assert sim.raw[0, 2] > 0 and sim.raw[1, 2] > 0  # the lead is linked to both articles
    split = sm.split_unlikely_links(one_family, docs, sim, lead_is_snippet, model=never)
    assert len(set(split)) == 3  # every link judged unlikely, the lead's too
    all_snippets = fam_mod.FamilyParams(snippet_words=10_000)
    sim = fam_mod.story_similarity(docs, all_snippets)
    assert len(set(sm.split_unlikely_links(one_family, docs, sim, all_snippets, model=never))) == 1


def test_a_lexical_copy_is_never_split_off():
    """Copies are one story: a model that finds every link unlikely still leaves a copy in its original's family,
    while the rewrite (no shared wording run) is split off."""
    from helpers.neardup.families.documents import prepared

    copy = STORY.replace("Rescue", "Rescue workers and")
    docs = prepared(pd.DataFrame({"doc_id": ["story", "copy", "rewrite"], "text": [STORY, copy, REWRITE]}))
    never = sm.StoryModel(list(sm.FEATURES), np.zeros(len(sm.FEATURES)), np.ones(len(sm.FEATURES)),
                          np.zeros(len(sm.FEATURES)), -20.0)  # fmt: skip
    p = fam_mod.FamilyParams(snippet_words=1)
    sim = fam_mod.story_similarity(docs, p)
    assert len(sim.lexical)  # the copy is found as one
    split = sm.split_unlikely_links(np.zeros(3, dtype=np.int64), docs, sim, p, model=never)
    assert split[0] == split[1] != split[2]


def test_the_family_cut_computes_no_expensive_feature_for_a_copy(monkeypatch):
    """A copy's P is 1 in the family cut whatever its features say, so its passages and sentence coverage are never
    computed there (they were, for every copy link of a large family); the families are the same."""
    from helpers.neardup.families.documents import prepared

    copies = [STORY.replace("Rescue", f"Rescue team {k} and") for k in range(4)]
    docs = prepared(pd.DataFrame({"doc_id": ["story", *(f"copy{k}" for k in range(4)), "rewrite"],
                                  "text": [STORY, *copies, REWRITE]}))  # fmt: skip
    p = fam_mod.FamilyParams(snippet_words=1, story_cut_min=3)
    sim = fam_mod.story_similarity(docs, p)
    asked = []
    real = sm._expensive_feature

    def spy(name, X, todo, *args):
        asked.append(X["lexical_copy"].to_numpy()[todo])
        return real(name, X, todo, *args)

    monkeypatch.setattr(sm, "_expensive_feature", spy)
    split = sm.split_unlikely_links(np.zeros(len(docs), dtype=np.int64), docs, sim, p)
    assert asked and not any(a.any() for a in asked)  # some feature was computed, none for a copy
    assert len(set(split[:5])) == 1  # the story and its copies stay one family


def test_a_model_file_with_features_this_version_drops_says_to_refit(tmp_path):
    data = sm.load_story_model().to_json()
    data["features"] = ["log_rank_min", *data["features"][1:]]  # a model fitted before stop 24
    path = tmp_path / "old_model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="refit it with scripts/fit_story_model.py"):
        sm.load_story_model(str(path))


def test_matchers_of_one_split_read_each_text_into_sentences_once(monkeypatch):
    """Two coverage matchers over overlapping documents with one ``spans`` dict split each text once, and build
    the same sentence tables as matchers that split on their own."""
    from helpers.neardup import semantic

    docs = pd.DataFrame({"doc_id": ["story", "rewrite", "other"], "text": [STORY, REWRITE, OTHER]})
    alone = [semantic.SentenceMatcher(docs.iloc[a:b]).sentences for a, b in ((0, 2), (1, 3))]
    split, real = [], semantic.sentence_spans
    monkeypatch.setattr(semantic, "sentence_spans", lambda text, *a: split.append(text) or real(text, *a))
    spans: dict = {}
    shared = [semantic.SentenceMatcher(docs.iloc[a:b], spans=spans).sentences for a, b in ((0, 2), (1, 3))]
    assert sorted(split) == sorted(docs["text"])  # the rewrite, in both, was split once
    for x, y in zip(alone, shared):
        pd.testing.assert_frame_equal(x, y)
