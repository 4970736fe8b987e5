"""Tests of helpers.framing: lexicon matching, stance, attribution, actors, keyness, framing shift, bad input."""

from __future__ import annotations

import importlib
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import framing as F
from helpers.framing.shift import SUMMARY_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
STORY_FRAMES = ROOT / "data" / "examples" / "story_frames_iran_syria.csv"  # the sample story's own frame words
STORY_FRAME_NAMES = ["exit/abandonment", "recalibration/scaling back", "continued support"]


def _docs(**texts) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": list(texts), "text": list(texts.values())})


@pytest.fixture(scope="module")
def sample():
    from helpers.corpus import load_corpus

    return load_corpus(SAMPLE)


@pytest.fixture(scope="module")
def result(sample):
    return F.analyse(sample)


@pytest.fixture(scope="module")
def story_result(sample):
    return F.analyse(sample, story_frames=STORY_FRAMES)


def _row(result, prefix):
    t = result.table
    return t[t["doc_id"].str.startswith(prefix)].iloc[0]


# ----------------------------------------------------------------------------------------------- lexicon
def test_shipped_lexicon_covers_the_15_mfc_frames():
    lex = F.load_lexicon()
    assert set(lex["category"]) <= set(F.MFC_FRAMES)
    assert len(set(lex["category"])) == 14  # "Other" is the residual category: no default terms
    assert lex.groupby("category").size().min() >= 15
    stance = F.load_lexicon(None, default="framing_stance.csv")
    assert set(stance["category"]) == {"hedge", "booster", "reporting", "anonymous", "honorific"}


def test_phrases_and_inflections_match(tmp_path):
    lex = F.load_lexicon({"retreat": ["head for the exits", "scale back"]})
    docs = _docs(
        a="Iran heads for the exits. Tehran is scaling back. Iran scaled back again.",
        b="Heading for the exit, they said. Nothing here is scaled.",
    )
    r = F.analyse(docs, lexicon=lex, story_frames={})
    hits = r.frame_hits
    assert hits.groupby("doc_id").size().to_dict() == {"a": 3, "b": 1}
    # offsets point at the matched words of the text field
    row = hits[hits["doc_id"] == "b"].iloc[0]
    assert docs.loc[1, "text"][row["start"] : row["end"]] == "Heading for the exit"
    # the same lexicon from a CSV file and from YAML
    (tmp_path / "lex.csv").write_text("# comment\nframe,term,match\nretreat,head for the exits,stem\n")
    (tmp_path / "lex.yaml").write_text("retreat:\n  - scale back\n")
    assert F.load_lexicon(tmp_path / "lex.csv")["key"].tolist() == ["head for the exit"]
    assert F.load_lexicon(tmp_path / "lex.yaml")["key"].tolist() == ["scale back"]


@pytest.mark.parametrize(
    "name, content, problem",
    [
        ("missing.csv", None, "cannot be read"),
        ("latin1.csv", "frame,term\nx,caf\xe9\n".encode("latin-1"), "not UTF-8"),
        ("empty.csv", "", "empty (no header line)"),
        ("columns.csv", "name,word\nx,y\n", "needs columns 'frame' (or 'category') and 'term'"),
        ("match.csv", "frame,term,match\nx,y,fuzzy\n", "match must be 'stem' or 'exact', got ['fuzzy']"),
        ("blank.csv", "frame,term\nx,\n", "1 row(s) with an empty frame or term"),
        ("wordless.csv", "frame,term\nx,--\n", "terms with no word in them can never match: ['--']"),
        ("noterms.csv", "frame,term\n", "has no terms"),
        ("list.yaml", "- a\n- b\n", "maps each frame to a list of terms, got list"),
        ("nested.yaml", "x:\n  y: z\n", "frame 'x' must list its terms (words or phrases)"),
        ("broken.yaml", "x: [a, b\n", "not valid YAML"),
    ],
)
def test_a_bad_lexicon_file_raises_an_error_naming_the_file_and_the_problem(tmp_path, name, content, problem):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(F.LexiconError) as err:
        F.load_lexicon(path)
    assert str(path) in str(err.value) and problem in str(err.value)
    with pytest.raises(F.LexiconError):  # the same through analyse: nothing falls back to a default
        F.analyse(_docs(a="The war went on."), story_frames=path)


def test_longest_match_wins_and_negation_is_not_scored():
    lex = F.load_lexicon(
        {"exit": ["withdrawal"], "stay": ["not a complete withdrawal"], "x": ["security"], "y": ["security council"]}
    )
    docs = _docs(a="It is not a complete withdrawal. The Security Council met. There was no withdrawal.")
    r = F.analyse(docs, lexicon=lex, story_frames={})
    h = r.frame_hits
    assert sorted(h["category"]) == ["exit", "stay", "y"]
    assert h.sort_values("start")["text"].tolist() == ["not a complete withdrawal", "Security Council", "withdrawal"]
    assert h.loc[h["category"] == "exit", "negated"].item()  # "no withdrawal"
    row = r.table.iloc[0]
    assert row["exit"] == 0 and row["stay"] > 0 and row["x"] == 0 and row["y"] > 0


def test_exact_terms_do_not_match_other_inflections():
    lex = F.load_lexicon(pd.DataFrame({"frame": ["f", "g"], "term": ["sunni", "jobs"], "match": ["exact", "exact"]}))
    r = F.analyse(_docs(a="A sunny day. Sunni leaders. A job and more jobs."), lexicon=lex, story_frames={})
    assert r.frame_hits["text"].tolist() == ["Sunni", "jobs"]


# ----------------------------------------------------------------------------------------------- the sample
def test_story_frames_are_optional_and_not_loaded_by_default(result, story_result):
    assert result.story_frame_names == [] and result.story_lexicon.empty
    assert not set(STORY_FRAME_NAMES) & set(result.table.columns)
    assert not (result.frame_hits["lexicon"] == "story").any()
    assert story_result.story_frame_names == STORY_FRAME_NAMES
    # the MFC part of the profile does not depend on whether story frames are given
    pd.testing.assert_frame_equal(result.table, story_result.table.drop(columns=STORY_FRAME_NAMES))


def test_sample_exit_and_recalibration_frames_with_the_example_story_frames(story_result):
    r4, r1 = _row(story_result, "004"), _row(story_result, "001")
    assert r4["exit/abandonment"] > r1["exit/abandonment"]
    assert r4["recalibration/scaling back"] < r1["recalibration/scaling back"]
    assert set(F.MFC_FRAMES) <= set(story_result.table.columns)


def test_sample_named_attribution_004_lost_in_001(result):
    a = result.attributions
    named = {d[:3]: set(g["source"]) for d, g in a[a["kind"] == "named"].groupby("doc_id")}
    assert "Hassan Shemshadi" in named["004"]
    assert not any("Shemshadi" in s for s in named.get("001", set()))
    assert _row(result, "004")["named_sources"] == 1 and _row(result, "001")["named_sources"] == 4
    # 001 leans on anonymous sourcing ("a source familiar with the situation", "some analysts believe")
    anon = set(a[(a["kind"] == "anonymous") & a["doc_id"].str.startswith("001")]["source"].str.lower())
    assert {"source", "analysts"} <= anon
    # 004's "according to Iranian and regional officials" is anonymous, not a named "Iranian"
    src4 = a[a["doc_id"].str.startswith("004") & (a["cue"] == "according to")]
    assert src4["kind"].tolist() == ["anonymous"] and src4["source"].tolist() == ["officials"]
    assert _row(result, "004")["quotes"] == 2


def test_sample_hedging(result):
    h4 = _row(result, "004")["hedges_per_1k"]
    assert _row(result, "000")["hedges_per_1k"] > h4
    assert _row(result, "002")["hedges_per_1k"] > h4


def test_sample_actor_aliases_merge(result):
    m = result.actors
    assad = m[m["mention"].str.contains("Assad")]
    assert set(assad["actor"]) == {"Bashar al-Assad"}
    assert set(assad["mention"]) == {"Bashar al-Assad", "al-Assad", "Assad"}  # "Mr. al-Assad": title dropped
    khalil = m[m["mention"].str.contains("Khalil")]
    assert set(khalil["actor"]) == {"Sarah Khalil"}
    assert "Iran" in set(m.loc[m["mention"] == "Iranian", "actor"])
    top4 = result.salience[result.salience["doc_id"].str.startswith("004")].iloc[0]
    assert top4["actor"] == "Iran"


def test_actor_alias_parameter_overrides():
    docs = _docs(a="Bashar al-Assad spoke. Later Mr. al-Assad left. The Syrian President waved.")
    view = F.document_view(docs)
    m = F.actors(view, F.view_tokens(view))
    assert m["actor"].tolist() == ["Bashar al-Assad", "Bashar al-Assad", "Syrian President"]
    m2 = F.actors(view, F.view_tokens(view), aliases={"Syrian President": "Bashar al-Assad"})
    assert m2["actor"].tolist() == ["Bashar al-Assad"] * 3


def test_phrase_spans_read_every_sentence_as_proper_noun_phrases_does(sample):
    from helpers.framing.lexicon import shipped_honorifics
    from helpers.framing.names import WordArrays, phrase_spans, proper_noun_phrases

    tricky = _docs(
        a="On Monday I met Mr. Obama and President Bashar al-Assad. Despite that, Syrian President Assad spoke.",
        b="The Iranian-backed Houthis said of King Abdullah of Jordan: We leave in May. NATO Chief Jens Stoltenberg",
        c='"Officials" (Reuters) Host: Welcome back to Tehran, said Dr. Ali bin Talal. President',
    )
    titles = shipped_honorifics()
    nameless = _docs(x="a quiet day. nothing else happened here.")
    for docs in (sample, tricky, nameless):
        view = F.document_view(docs)
        W = WordArrays(F.view_tokens(view))
        expected = [
            (lo + ph["start_w"], lo + ph["end_w"], ph["honorific"])
            for lo, hi in W.bounds
            for ph in proper_noun_phrases(W, lo, hi, titles, W.known_caps)
        ]
        assert list(zip(*(x.tolist() for x in phrase_spans(W, titles)))) == expected
        assert len(expected) > 5 or docs is nameless


def test_actor_aliases_from_the_notebook_parameter():
    assert F.aliases_from_text(" Syrian leader : Bashar al-Assad ;IRGC:Revolutionary Guards; ") == {
        "Syrian leader": "Bashar al-Assad",
        "IRGC": "Revolutionary Guards",
    }
    assert F.aliases_from_text("") == {}
    with pytest.raises(ValueError, match="mention:actor"):
        F.aliases_from_text("Syrian leader = Bashar al-Assad")


def test_sentiment_uses_vader_lexicon_shipped_by_vadersentiment():
    s = F.sentiment(["This is a wonderful, great and happy result.", "A horrible, deadly and tragic attack.", ""])
    assert s[0] > 0.5 and s[1] < -0.5 and np.isnan(s[2])


# ----------------------------------------------------------------------------------------------- keyness
def test_keyness_log_odds_matches_formula_and_is_antisymmetric():
    docs = _docs(a="exit exit exit exit exit war war talks", b="recalibration recalibration war war war talks talks")
    k = F.keyness(docs, ["a"], ["b"], alpha0=2.0, drop_stopwords=False)
    assert k["term"].tolist() == ["exit", "talks", "war", "recalibration"]
    assert k.iloc[0]["z"] > 1.96 and (k["z"].iloc[1:] < 0).all()
    assert k["favours"].tolist() == ["A", "B", "B", "B"]
    # Monroe et al. (2008) eq. 16 and 20, by hand for "war"
    ya, yb, na, nb = 2, 3, 8, 7
    alpha = 2.0 * (5 + 0.01) / (15 + 4 * 0.01)
    delta = np.log((ya + alpha) / (na + 2 - ya - alpha)) - np.log((yb + alpha) / (nb + 2 - yb - alpha))
    z = delta / np.sqrt(1 / (ya + alpha) + 1 / (yb + alpha))
    assert k.set_index("term").at["war", "z"] == pytest.approx(z)
    k2 = F.keyness(docs, ["b"], ["a"], alpha0=2.0, drop_stopwords=False).set_index("term")
    assert k2.at["exit", "z"] == pytest.approx(-k.set_index("term").at["exit", "z"])


def test_log_odds_orders_ties_by_term_whatever_the_input_order():
    from helpers.framing.keyness import log_odds

    same = pd.Series({"war": 2, "exit": 2, "talks": 1})
    k = log_odds(same, same.copy(), same + same)
    assert k["term"].tolist() == ["exit", "talks", "war"] and (k["z"] == 0).all()
    k = log_odds(pd.Series({"b": 3, "a": 1}), pd.Series({"c": 2, "a": 1}), pd.Series({"a": 2, "b": 3, "c": 2}))
    assert k["term"].tolist() == ["b", "a", "c"] and k["count_b"].tolist() == [0, 1, 2]


def test_match_terms_gives_a_row_per_category_and_follows_a_changed_lexicon():
    from helpers.framing.lexicon import load_lexicon, match_terms
    from helpers.tokenise import tokens

    toks = tokens(pd.DataFrame({"doc_id": ["d"], "text": ["The economy and the border crisis."]}))
    lex = load_lexicon(
        pd.DataFrame({"category": ["Economic", "Security", "Economic"], "term": ["crisis", "crisis", "economy"]})
    )
    hits = match_terms(toks, lex)
    assert list(zip(hits["term"], hits["category"])) == [
        ("economy", "Economic"),
        ("crisis", "Economic"),
        ("crisis", "Security"),
    ]
    other = load_lexicon(
        pd.DataFrame({"category": ["Security", "Security", "Economic"], "term": ["border", "crisis", "economy"]})
    )
    hits = match_terms(toks, other)  # same size, other content: matched afresh
    assert list(zip(hits["term"], hits["category"])) == [
        ("economy", "Economic"),
        ("border", "Security"),
        ("crisis", "Security"),
    ]


def test_story_surface_form_is_the_commonest_and_the_first_seen_on_a_tie():
    from helpers.framing.story import _most_common

    got = _most_common(pd.Series(["k", "k", "k", "j", "j"]), pd.Series(["b  c", "a", "a", "x", "y"]))
    assert got == {"k": "a", "j": "x"}


def test_keyness_prior_follows_its_parameters():
    docs = _docs(a="exit exit exit exit exit war war talks", b="recalibration recalibration war war war talks talks")
    default = F.keyness(docs, ["a"], ["b"], drop_stopwords=False).set_index("term")
    # the default prior: a tenth of the mean group size (7.5 words) is 0.75 pseudo-counts, clipped up to 1
    same = F.keyness(docs, ["a"], ["b"], alpha0=1.0, drop_stopwords=False).set_index("term")
    pd.testing.assert_frame_equal(default, same)
    wider = F.keyness(docs, ["a"], ["b"], drop_stopwords=False, params=F.KeynessParams(min_alpha0=50.0))
    assert abs(wider.set_index("term").at["exit", "z"]) < abs(default.at["exit", "z"])  # more shrinkage


def test_origin_keyness_compares_the_commonest_parent_with_its_children(sample):
    pairs = F.lineage_pairs(sample, origin_doc="004")
    origin, k = F.origin_keyness(sample, pairs)
    assert origin == sample["doc_id"].iloc[4]
    expected = F.keyness(sample, [origin], sorted(pairs["child"]), label_a=origin[:12], label_b="its derivatives")
    pd.testing.assert_frame_equal(k, expected)
    assert F.origin_keyness(sample, pairs.iloc[0:0])[0] == ""


def test_keyness_on_sample_groups(sample):
    k = F.keyness(sample, ["004"], label_a="004", label_b="rest")
    assert list(k.columns) == ["term", "count_a", "count_b", "per_1k_a", "per_1k_b", "log_odds", "se", "z", "favours"]
    assert k["z"].is_monotonic_decreasing
    assert not k["term"].str.fullmatch(r"\d+").any()
    top = k.head(10)
    assert (top["per_1k_a"] > top["per_1k_b"]).all()


# ----------------------------------------------------------------------------------------------- shift
@pytest.fixture(scope="module")
def shift_000(sample):
    return F.framing_shift(sample, [("000", "004")], story_frames=STORY_FRAMES)


def test_shift_000_against_004_shows_substituted_wording(shift_000):
    s = shift_000
    assert len(s) and set(s.columns) == set(F.SHIFT_COLUMNS)
    swaps = s[s["swapped"] != ""].set_index(["a_sent_id", "b_sent_id"])
    # the event: 004 says Iran is abandoning, relinquishing, evacuating; 000 tells it as distancing, reducing
    assert swaps.at[(4, 0), "swapped"] == (
        "exit/abandonment: abandoning | exit/abandonment: relinquishing | exit/abandonment: turnabout"
        " \u2192 continued support: longtime ally | recalibration/scaling back: distancing itself"
    )
    assert swaps.at[(3, 5), "swapped"] == "exit/abandonment: evacuating \u2192 recalibration/scaling back: reduced"
    assert "exit/abandonment: evacuating" in swaps.at[(3, 5), "frame_terms_removed"].split("; ")
    assert swaps["cross_frame"].all()
    # the rewrite adds hedges and drops the attribution to officials (004's sentence 3)
    assert s["hedge_change"].sum() == 5
    dropped = s[s["attribution_change"] == "dropped"]
    assert set(dropped["a_sent_id"]) == {3} and set(dropped["attribution_a"]) == {"anonymous: officials"}


def test_shift_summary(sample, shift_000, story_result):
    summ = F.shift_summary(shift_000, story_result)
    row = summ.iloc[0]
    assert row["child"].startswith("000") and row["parent"].startswith("004")
    assert (row["net_hedging"], row["attribution_dropped"], row["frame_swaps"], row["cross_frame_swaps"]) == (
        3,
        1,
        6,
        6,
    )
    assert "abandoning | relinquishing | turnabout \u2192 longtime ally | distancing itself" in row["swapped_terms"]
    assert ": " not in row["swapped_terms"]  # terms only, frame names stripped
    assert row["d_exit/abandonment"] < 0 < row["d_recalibration/scaling back"]
    assert row["named_sources_lost"] == "Hassan Shemshadi"


def test_shift_without_story_frames_lists_frame_terms_but_no_swaps(sample, result):
    s = F.framing_shift(sample, [("000", "004")])
    assert len(s) and (s["swapped"] == "").all() and not s["cross_frame"].any()
    assert not s["frame_terms_removed"].str.contains("exit/abandonment").any()
    assert s["frame_terms_added"].str.contains("Security and defense: ").any()
    summ = F.shift_summary(s, result)
    assert list(summ.columns) == [*SUMMARY_COLUMNS, "d_hedges_per_1k", "d_sensationalism", "named_sources_lost"]
    assert summ["frame_swaps"].tolist() == [0]


def test_a_failing_pair_is_logged_counted_and_left_out(sample, caplog):
    def matcher(docs, parent, child):
        if child.startswith("001"):
            raise RuntimeError("broken matcher")
        return F.align_sentences(docs, parent, child)

    with caplog.at_level(logging.ERROR, logger="helpers"), pytest.warns(UserWarning) as warned:
        s = F.framing_shift(sample, [("000", "004"), ("001", "004")], matcher=matcher)
    assert set(s["child"].str[:3]) == {"000"}
    message = str(warned[0].message)
    assert "1 document(s) failed" in message and "framing shift (1: 001_" in message
    assert "broken matcher" in caplog.text


def test_frame_aware_alignment_pairs_the_event_sentences_only_with_story_frames(sample):
    al = F.align_sentences(sample, "004", "000", story_frames=STORY_FRAMES)
    assert list(al.columns) == F.ALIGN_COLUMNS
    hit = al[al["a_text"].str.contains("abandoning") & al["b_text"].str.contains("distancing itself")]
    assert len(hit) == 1 and hit["score"].item() >= F.AlignParams().threshold
    # the two tellings share few words: without the story frames' event bonus they do not align
    plain = F.align_sentences(sample, "004", "000")
    assert not plain["a_text"].str.contains("abandoning").any()
    strict = F.align_sentences(sample, "004", "000", STORY_FRAMES, F.AlignParams(threshold=0.9))
    assert strict.empty


def test_lineage_pairs_from_tables_and_fallbacks(sample):
    ids = sample["doc_id"].tolist()
    fam = pd.DataFrame({"doc_id": ids, "family_id": "f1", "role": ["copy", "copy", "copy", "copy", "origin"]})
    p = F.lineage_pairs(sample, families=fam)
    assert set(p["parent"]) == {ids[4]} and len(p) == 4
    lin = pd.DataFrame({"doc_id": ids, "parent": [ids[4], ids[0], ids[4], ids[4], ""], "family_id": "f1"})
    p2 = F.lineage_pairs(sample, lineage=lin)
    assert dict(zip(p2["child"], p2["parent"]))[ids[1]] == ids[0] and ids[4] not in set(p2["child"])
    p3 = F.lineage_pairs(sample, origin_doc="004")
    assert set(p3["parent"]) == {ids[4]} and "origin_doc" in p3["how"].iloc[0]
    p4 = F.lineage_pairs(sample, run_dir="/nonexistent/run")
    assert len(p4) == 4 and "no lineage" in p4["how"].iloc[0]


def test_lineage_pairs_read_from_the_run_folder(sample, tmp_path):
    from helpers.report import write_table

    ids = sample["doc_id"].tolist()
    lin = pd.DataFrame(
        {
            "doc_id": ids,
            "family_id": 0,
            "parent": ["external: www.nytimes.com", ids[0], ids[0], ids[4], ids[0]],
            "is_origin": [True, False, False, False, False],
        }
    )
    write_table(lin, tmp_path, "lineage")
    p = F.lineage_pairs(sample, run_dir=tmp_path)
    assert dict(zip(p["child"], p["parent"])) == {ids[1]: ids[0], ids[2]: ids[0], ids[3]: ids[4], ids[4]: ids[0]}
    assert (p["how"] == "lineage.csv").all()
    p4 = F.lineage_pairs(sample, run_dir=tmp_path / "empty")
    assert len(p4) == 4 and "no lineage" in p4["how"].iloc[0]


# ----------------------------------------------------------------------------------------------- concordance
def test_kwic_and_concordance(result):
    k = F.kwic(result, "heading for the exits")
    assert k["keyword"].tolist() == ["Heads For the Exits", "head for the exits", "heading for the exits"]
    assert k["field"].tolist() == ["title", "text", "text"]
    row = k[k["doc_id"].str.startswith("004") & (k["field"] == "text")].iloc[0]
    text4 = result.view.set_index("doc_id").at[row["doc_id"], "text"]
    tl = result.view.set_index("doc_id").at[row["doc_id"], "title_len"]
    assert text4[tl + row["start"] : tl + row["end"]] == "heading for the exits"
    assert row["left"].endswith("Iran is")
    c = F.concordance(result, top=4, per_term=2)
    assert c.groupby(["frame", "term"], sort=False).size().tolist() == [2, 2, 2, 2]
    assert set(c["frame"]) <= set(result.frame_names)
    for row in c.itertuples():  # keyword and offsets agree with the document field
        field = result.view.set_index("doc_id").at[row.doc_id, "text"]
        offset = result.view.set_index("doc_id").at[row.doc_id, "title_len"] if row.field == "text" else 0
        assert field[offset + row.start : offset + row.end] == row.keyword


def test_concordance_puts_story_frames_first(story_result):
    c = F.concordance(story_result, top=3, per_term=1)
    assert set(c["frame"]) <= set(STORY_FRAME_NAMES) and len(c) == 3


# ----------------------------------------------------------------------------------------------- bad input
def test_bad_input_is_flagged_not_crashing():
    docs = _docs(
        empty="",
        one="Hello",
        es="El gobierno de Irán ha comenzado a retirar a sus asesores militares de Siria, según fuentes "
        "oficiales y analistas de la región.",
        ru="Иран начал эвакуацию своих военных из Сирии, сообщили источники в регионе.",
        plain="The cat sat on the mat and looked at the sunny garden for a while.",
    )
    r = F.analyse(docs)
    t = r.table.set_index("doc_id")
    assert t.loc[["es", "ru"], "english"].tolist() == [False, False]
    assert t.loc[["es", "ru"], "Security and defense"].isna().all()
    assert t.loc["ru", "note"].startswith("non-English") and t.loc["es", "note"].startswith("non-English")
    modelled = [f for f in r.frame_names if f != "Other"]
    assert (t.loc["empty", modelled] == 0).all() and t.at["empty", "Other"] == 1  # nothing to score: zeros
    model = F.dimensions.frame_model("mfc", "tfidf")
    priors_alone = 1 / (1 + np.exp(-(model.intercept + model.prior_coef * model.prior_logits(modelled))))
    # no frame evidence: scores no higher than the frames' priors would give (common frames stay above rare
    # ones), and no frame used
    assert (t.loc[["one", "plain"], modelled].to_numpy() <= priors_alone + 0.1).all()
    assert (t.loc[["empty", "one", "plain"], "frames"] == "").all()
    assert "very short" in t.loc["one", "note"] and "empty" in t.loc["empty", "note"]
    assert F.framing_shift(docs, [("one", "plain")]).empty
    with pytest.raises(ValueError):
        F.analyse(docs.iloc[0:0])


def test_a_document_that_fails_in_a_step_is_logged_counted_and_not_scored(monkeypatch, caplog):
    module = importlib.import_module("helpers.framing.profile")  # the per-document part of analyse
    real = module.sentence_sentiment

    def sentence_sentiment(sentences, params=None):
        if sentences["text"].str.contains("broken").any():
            raise ValueError("unreadable text")
        return real(sentences, params)

    monkeypatch.setattr(module, "sentence_sentiment", sentence_sentiment)
    docs = _docs(ok="A wonderful and happy day for everyone here.", bad="A broken text that cannot be scored.")
    with caplog.at_level(logging.ERROR, logger="helpers"):
        r = F.analyse(docs)
    # the step ran on all documents at once, failed, found "bad" by halving and ran on the others: only "bad" is lost
    assert r.failures.to_dict("records") == [
        {"step": "sentiment", "doc_id": "bad", "error": "ValueError: unreadable text"}
    ]
    assert r.notes == ["1 document(s) failed and were left out (see the log): sentiment (1: bad)"]
    assert "unreadable text" in caplog.text
    t = r.table.set_index("doc_id")
    assert t.at["ok", "sentiment"] > 0.5 and np.isnan(t.at["bad", "sentiment"])
    assert t.at["bad", "sensationalism"] >= 0  # the other steps still scored it


def test_parameters_reach_their_step():
    docs = _docs(a='He said: "We will not leave this country under any circumstances at all." Then he left.')
    assert F.analyse(docs).table.at[0, "quotes"] == 1
    strict = F.FramingParams(stance=F.StanceParams(min_quote_words=20))
    assert F.analyse(docs, params=strict).table.at[0, "quotes"] == 0
    lang = F.language_check(docs, F.LanguageParams(min_stopword_ratio=0.9))
    assert not lang.at[0, "english"] and "stopword ratio" in lang.at[0, "reason"]


def test_framing_table_columns(result, sample):
    t = result.table
    need = [
        "doc_id",
        *F.MFC_FRAMES,
        "frames",
        *F.GENERIC_COLUMNS,
        "generic_frames",
        "hedges_per_1k",
        "boosters_per_1k",
        "named_sources",
        "anonymous_sources",
        "quotes",
        "sentiment",
        "sensationalism",
        "n_words",
        "english",
        "note",
    ]
    assert list(t.columns) == need
    assert t["doc_id"].tolist() == sample["doc_id"].tolist()
    assert t["sentiment"].between(-1, 1).all()
    scores = t[[*F.MFC_FRAMES, *F.GENERIC_COLUMNS, "sensationalism"]]
    assert ((scores >= 0) & (scores <= 1)).all().all()


def test_lexicon_can_be_extended_or_replaced(tmp_path):
    docs = _docs(a="The football match was played despite the war. Fans chanted in the stadium.")
    ext = F.analyse(docs, extend_lexicon={"Sports": ["football match", "stadium"]}, story_frames={})
    assert {"Sports", *F.MFC_FRAMES} <= set(ext.table.columns)
    assert ext.table.loc[0, "Sports"] > 0 and ext.table.loc[0, "Security and defense"] > 0
    (tmp_path / "mine.csv").write_text("frame,term\nSports,stadium\n")
    rep = F.analyse(docs, lexicon=tmp_path / "mine.csv", story_frames={})
    assert "Security and defense" not in rep.table.columns and rep.table.loc[0, "Sports"] > 0


def test_attribution_rules_on_general_news_patterns():
    docs = _docs(
        a="Activists said the army shelled the town. The shelling continued, activists said. "
        "Prime Minister Recep Tayyip Erdogan said Ankara had run out of patience. "
        "The talks will continue next week, he said. "
        "Many refugees are in a camp run by the Red Crescent, says the BBC's Owen Bennett-Jones. "
        "Reuters reported heavy fighting. Some dissenting accounts say the violence began earlier. "
        "The town fell, according to Reuters."
    )
    r = F.analyse(docs, story_frames={})
    a = r.attributions.set_index("sent_id")
    assert a.loc[0, "kind"] == "anonymous" and a.loc[1, "kind"] == "anonymous"  # "Activists said" is no name
    assert (a.loc[2, "kind"], a.loc[2, "source"]) == ("named", "Recep Tayyip Erdogan")
    assert (a.loc[3, "kind"], a.loc[3, "source"]) == ("named", "Recep Tayyip Erdogan")  # "he said"
    assert a.loc[3, "cue"].endswith("(pronoun)")
    assert a.loc[4, "source"] == "Owen Bennett-Jones"  # not the Red Crescent, object of "run by"
    assert (a.loc[5, "kind"], a.loc[5, "source"]) == ("named", "Reuters")
    assert a.loc[6, "kind"] == "unattributed"
    assert (a.loc[7, "kind"], a.loc[7, "source"]) == ("named", "Reuters")


def test_actors_ignore_sentence_openers_and_do_not_merge_places_into_names():
    docs = _docs(
        a="Despite the war, Syria held elections. Officials in Syria met. President Assad spoke. "
        "New York Times reporters visited Syria. despite everything, officials were calm. "
        "Bashar al-Assad left. Assad returned."
    )
    view = F.document_view(docs)
    m = F.actors(view, F.view_tokens(view))
    assert "Despite" not in set(m["mention"]) and "Officials" not in set(m["mention"])
    assert set(m.loc[m["mention"] == "Syria", "actor"]) == {"Syria"}
    assert set(m.loc[m["mention"] == "Assad", "actor"]) == {"Bashar al-Assad"}  # "President Assad": a person


def test_lineage_without_derivatives_gives_no_pairs(sample):
    ids = sample["doc_id"].tolist()
    singles = pd.DataFrame({"doc_id": ids, "family_id": range(5), "parent": "", "is_origin": True})
    assert F.lineage_pairs(sample, lineage=singles).empty
    assert F.framing_shift(sample, F.lineage_pairs(sample, lineage=singles)).empty
    assert F.shift_summary(F.framing_shift(sample, [])).empty


def test_keyness_comparisons_by_outlet(sample):
    docs = sample.assign(source=["a", "a", "b", "b", ""])
    k = F.keyness_comparisons(docs, None, top=3)
    assert set(k["comparison"]) == {"outlet a vs other outlets", "outlet b vs other outlets"}
    assert k.groupby("comparison").size().max() <= 6


def test_same_output_in_processes_with_different_hash_seeds(tmp_path):
    script = textwrap.dedent(
        f"""
        from helpers import framing as F
        from helpers.corpus import load_corpus
        docs = load_corpus({str(SAMPLE)!r})
        r = F.analyse(docs, story_frames={str(STORY_FRAMES)!r})
        print(r.table.to_csv(), r.actors.to_csv(), r.attributions.to_csv())
        print(F.framing_shift(docs, [("000", "004")], story_frames={str(STORY_FRAMES)!r}).to_csv())
        """
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
        assert proc.returncode == 0, proc.stderr
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1]


def test_same_input_same_output(sample):
    small = sample.iloc[[3, 4]]
    a, b = F.analyse(small), F.analyse(small)
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.attributions, b.attributions)
    s1 = F.framing_shift(small, [("003", "004")])
    s2 = F.framing_shift(small, [("003", "004")])
    pd.testing.assert_frame_equal(s1, s2)


def test_charts_draw_corpus_text_as_plain_text_and_say_why_when_empty(result):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = result.table.assign(doc_id=["$x^$ rise", *result.table["doc_id"][1:]])
    with matplotlib.rc_context({"text.parse_math": True}):  # whatever the global setting, labels are plain text
        ax = F.plot_frame_heatmap(table, result.frame_names)
        ax.figure.canvas.draw()  # "$x^$" read as mathtext raises ValueError
    assert ax.get_yticklabels()[0].get_text() == "$x^$ rise"
    assert len(F.plot_stance(table)) == 2
    empty = F.plot_keyness(pd.DataFrame(columns=["term", "z", "favours"]))
    assert "No keyness" in empty.texts[0].get_text()
    assert "No framing shift" in F.plot_shift_summary(pd.DataFrame()).texts[0].get_text()
    assert F.plot_actor_salience(result.salience).get_title() == "Actor salience"
    plt.close("all")


# ----------------------------------------------------------------------------------------------- issue 14
def test_vectorised_vader_gives_nltks_compound_scores(sample):
    from helpers.framing.sentiment import vader
    from helpers.text import sentence_spans

    texts = [t[s:e] for t in sample["text"] for s, e in sentence_spans(t)]
    texts += [  # the rules' corner cases: caps, boosters, negation, "never so", "but", "least", idioms, "kind of"
        "This is NOT good at all!!!",
        "I am kind of happy but mostly sad.",
        "Not so good, never so bad.",
        "At least it is not the worst.",
        "The least good day",
        "He is VERY happy and GREAT",
        "It was the bomb and a kiss of death",
        "good good not good",
        "yeah right, that was cut the mustard",
        "Sort of nice, but very very bad?? Really???",
        "'Great,' he said. \"Terrible.\"",
        "don't like it; isn't nice",
        "",
        "a",
    ]
    nltk = np.array([vader().polarity_scores(t)["compound"] for t in texts])
    np.testing.assert_array_equal(F.vader_compound(texts), nltk)


def test_vader_splits_all_sentences_at_once_as_it_would_one_by_one():
    from helpers.framing.sentiment import vader
    from helpers.framing.vader import _split_all

    texts = ["Good  news", "", "   ", "bad\tday\nhere", "\u2003so\u00a0sad", "x\x1cy", "GREAT!"]
    for batch in (texts, [*texts, "nice\x01one, good"]):  # the second holds the separator: split one by one
        words, n = _split_all(batch)
        assert words.tolist() == [w for t in batch for w in t.split()]
        assert n.tolist() == [len(t.split()) for t in batch]
        nltk = np.array([vader().polarity_scores(t)["compound"] for t in batch])
        np.testing.assert_array_equal(F.vader_compound(batch), nltk)


def test_frame_scores_are_probabilities_from_the_shipped_model(result):
    from helpers.framing import dimensions

    t = result.table.set_index("doc_id")
    model = dimensions.frame_model("mfc", "tfidf")
    for _, row in t.iterrows():  # the decision is the frames at or above the threshold, highest first
        above = row[F.SCORED_FRAMES][row[F.SCORED_FRAMES] >= model.threshold].sort_values(ascending=False)
        assert row["frames"] == "; ".join(above.index)
    assert (t["Security and defense"] > t["Crime and punishment"]).all()  # a war story in every version
    assert set(F.SCORED_FRAMES) <= set(result.sentences.columns)  # per-sentence scores, for the shift
    news = _docs(
        court="The Supreme Court ruled the law unconstitutional and the judge blocked the order.",
        poll="A new poll shows most voters support the measure, and protesters marched in the capital.",
    )
    scores = F.analyse(news).table.set_index("doc_id")
    assert scores.loc["court", F.SCORED_FRAMES].idxmax() == "Legality, constitutionality and jurisprudence"
    assert scores.loc["poll", F.SCORED_FRAMES].idxmax() == "Public opinion"


def test_frame_model_fit_is_deterministic_and_uses_labelled_cells_only():
    from helpers.framing.dimensions import FEATURES, fit_frame_model

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4, len(FEATURES)))
    y = (X[:, :, 0] + 0.3 * rng.normal(size=(60, 4)) > 0).astype(float)
    known = np.ones((60, 4), bool)
    known[:, 3] = False
    y_noise = y.copy()
    y_noise[:, 3] = 1 - y_noise[:, 3]  # unlabelled cells: whatever they hold must not matter
    frames = ["a", "b", "c", "d"]
    a, b = fit_frame_model(X, y, known, frames), fit_frame_model(X, y_noise, known, frames)
    assert a == b and a.coef[0] > 0 and 0.05 <= a.threshold <= 0.95
    assert set(a.priors) == {"a", "b", "c"}  # base rates of the labelled frames only


def test_frame_priors_rank_common_frames_first_on_equal_evidence():
    from helpers.framing.dimensions import FEATURES, fit_frame_model, frame_probabilities

    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 3, len(FEATURES)))
    y = (X[:, :, 0] > 0).astype(float)
    y[:, 0] = (X[:, 0, 0] > -1.0).astype(float)  # frame a: common; frame c: rare
    y[:, 2] = (X[:, 2, 0] > 1.0).astype(float)
    known = np.ones(y.shape, bool)
    m = fit_frame_model(X, y, known, ["a", "b", "c"])
    assert m.priors["a"] > m.priors["b"] > m.priors["c"] and m.prior_coef > 0
    same = np.zeros((1, 3, len(FEATURES)))  # the same evidence for every frame
    p = frame_probabilities(same, m, ["a", "b", "c"])[0]
    assert p[0] > p[1] > p[2]
    assert fit_frame_model(X, y, known, ["a", "b", "c"], priors=False).prior_coef == 0


def test_learned_vocabulary_terms_scores_and_shipped_file():
    from helpers._data import data_path
    from helpers.framing.documents import document_view, view_tokens, word_tokens
    from helpers.framing.exemplars import content_rows
    from helpers.framing.weak import load_vocabulary, sentence_terms, vocabulary_probabilities

    docs = _docs(
        a="Shares fell and quarterly sales dropped. The senator won the vote.",
        b="Nothing here.",
    )
    content = content_rows(word_tokens(view_tokens(document_view(docs, include_title=False))))
    rows, terms = sentence_terms(content)
    units = content[0]
    assert len(units) == 3
    first = set(terms[rows == 0])
    assert {"share", "fell", "quarter", "sale", "drop"} <= first and "sale drop" in first
    assert not any(t.startswith("drop ") for t in terms[rows == 0])  # no bigram across sentences
    frames = ["Economic", "Political", "Morality", "not a frame"]
    p = vocabulary_probabilities(content, frames)
    assert p.shape == (3, 4) and ((p >= 0) & (p <= 1)).all() and (p[:, 3] == 0).all()
    assert p[0, 0] > p[0, 2] and p[1, 1] > p[1, 2]  # markets -> Economic, a vote -> Political
    vocab, W, bias, known = load_vocabulary("mfc")
    assert set(F.SCORED_FRAMES) <= set(known) and set(F.SCORED_FRAMES) <= set(bias)
    assert set(F.devsets.GENERIC_FRAMES) <= set(load_vocabulary("generic")[3])
    assert data_path("framing_vocabulary.csv").stat().st_size < 2_000_000


def test_vocabulary_script_fits_deterministically_on_a_given_corpus(tmp_path):
    import json

    texts = [
        "The economy grew and the market rallied as investors bought shares.",
        "Prices rose and the budget deficit widened, costing taxpayers billions.",
        "Voters backed the senator in the election and the party won the vote.",
        "Nothing in this sentence is about any frame at all, only a cat.",
    ] * 10
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"doc_id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(texts)))
    script = Path(__file__).resolve().parents[1] / "scripts" / "fit_frame_vocabulary.py"
    outs = []
    for k in range(2):
        out = tmp_path / f"v{k}.csv"
        args = ["--corpus", str(corpus), "--min-df", "2", "--min-topics", "2", "--schemes", "mfc", "--out", str(out)]
        proc = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        outs.append(out.read_text())
    assert outs[0] == outs[1]
    table = pd.read_csv(tmp_path / "v0.csv", comment="#", keep_default_na=False)
    assert {"scheme", "frame", "term", "weight"} <= set(table.columns)
    assert "Economic" in set(table["frame"]) and (table["term"] == "").sum() == table["frame"].nunique()


def test_development_sets_mapping_is_written_down_with_where_it_is_loose():
    m = F.devsets.frame_mapping()
    gvfc = m[m["dataset"] == "gvfc"]
    assert sorted(gvfc["code"].astype(int)) == list(range(1, 10))
    assert set(m["mfc_frame"]) <= set(F.MFC_FRAMES)
    assert set(m["fit"]) == {"tight", "loose"}
    assert (m.loc[m["fit"] == "loose", "note"].str.len() > 20).all()  # every loose mapping says why


# Hand-made pairs, written for this test (not measured data): the same content told neutrally and
# sensationally, over several topics and several of the score's parts at a time.
TONE_PAIRS = [
    (
        "The city council approved the budget on Tuesday after a two-hour debate.",
        "SHOCKING: Council rams through a disastrous budget in a chaotic, furious late-night showdown!",
    ),
    (
        "Researchers reported that the new drug reduced symptoms in some patients.",
        "This miracle drug is the biggest breakthrough ever and it will blow your mind!",
    ),
    (
        "The company said quarterly profits fell by 4 percent.",
        "You won't believe how badly this company just crashed: its worst collapse in history!",
    ),
    (
        "Heavy rain caused flooding in parts of the region, officials said.",
        "Catastrophic floods unleash total devastation as terrified residents flee the nightmare!",
    ),
    (
        "The minister disagreed with the opposition's proposal on taxes.",
        "Minister slams and utterly destroys the opposition's outrageous tax scheme!",
    ),
    (
        "The team lost the final by one goal.",
        "Humiliating meltdown! The team suffers its most shameful defeat of all time.",
    ),
    (
        "The senator answered questions about the report at a press conference.",
        "Senator finally admits the explosive truth as the bombshell report sparks fury.",
    ),
    (
        "Prices of some vegetables rose this month because of a poor harvest.",
        "Food prices skyrocket in a terrifying crisis that is absolutely crushing families!",
    ),
]


def test_sensationalism_ranks_the_sensational_version_of_each_hand_made_pair_higher():
    docs = pd.DataFrame(
        {
            "doc_id": [f"{kind}{i}" for i in range(len(TONE_PAIRS)) for kind in ("neutral", "loud")],
            "text": [t for pair in TONE_PAIRS for t in pair],
        }
    )
    r = F.analyse(docs)
    s = r.table.set_index("doc_id")["sensationalism"]
    assert all(s[f"loud{i}"] > s[f"neutral{i}"] for i in range(len(TONE_PAIRS)))
    parts = r.tone.set_index("doc_id")
    assert list(parts.columns[: len(F.TONE_PARTS)]) == F.TONE_PARTS  # the parts are shown, and explain it
    assert (parts.loc["loud0", ["capitals", "exclamations", "alarm", "clickbait"]] > 0).all()
    assert (parts.loc[[f"neutral{i}" for i in range(len(TONE_PAIRS))], "sensationalism"] < 0.5).all()


def test_story_frames_come_from_the_corpus_and_show_the_samples_two_wordings(sample, result):
    lineage = pd.read_csv(ROOT / "tests" / "snapshots" / "sample" / "lineage.csv")
    groups = F.story_groups(sample, lineage)
    texts = dict(zip(result.view["doc_id"], result.view["text"]))
    story = F.story_frames(result.tokens, texts, groups)
    assert list(story.columns) == [*F.STORY_COLUMNS, "key"]
    by_doc = {d[:3]: set(g["phrase"]) for d, g in story.groupby("doc_id")}
    assert "exits" in by_doc["004"] and "scaling back" in by_doc["001"]
    assert not {"scaling back"} & by_doc["004"] and not {"exits"} & by_doc["001"]
    row = story[(story["doc_id"].str.startswith("004")) & (story["phrase"] == "exits")].iloc[0]
    assert row["used_by"] == f"{sample['doc_id'][0]}, {sample['doc_id'][4]}"  # 000 tells it with exits too
    lex = F.story_lexicon(story)
    assert "scale back" in set(lex["term"])  # phrases that set versions apart become the shift's swaps
    # no families: the corpus is one group; a corpus of one document has no story frames
    assert F.story_groups(sample)["family_id"].nunique() == 1
    assert F.story_frames(result.tokens, texts, F.story_groups(sample.iloc[:1])).empty


def test_shift_reports_frame_and_tone_changes(sample, shift_000):
    cols = ["frames_a", "frames_b", "frame_change", "sensationalism_a", "sensationalism_b", "sensationalism_change"]
    assert set(cols) <= set(shift_000.columns)
    s = shift_000
    np.testing.assert_allclose(s["sensationalism_change"], s["sensationalism_b"] - s["sensationalism_a"], atol=2e-4)
    assert s["frames_a"].str.contains("Security and defense").any()
    summ = F.shift_summary(s)
    assert {"frames_gained", "frames_lost", "sensationalism_change"} <= set(summ.columns)


def test_view_tokens_reuse_the_text_tokens():
    from helpers.tokenise import tokens

    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "title": ["A headline: two. Sentences here", "", "Body starts the same way"],
            "text": ["Body one. Second sentence.", "Only body text here.", "Body starts the same way, and more."],
        }
    )
    view = F.document_view(docs)
    direct = F.view_tokens(view)
    reused = F.view_tokens(view, tokens(docs[["doc_id", "text"]]))
    pd.testing.assert_frame_equal(direct, reused, check_dtype=False)


def test_tone_table_of_several_corpora_at_once_equals_each_corpus_alone():
    from helpers.framing.tone import tone_table
    from helpers.tokenise import tokens

    corpora = {
        "x": {"x1": "The NATO summit was a DISASTER, officials said.", "x2": "A disaster for nato."},
        "y": {"y1": "The NATO summit was a DISASTER, officials said.", "y2": "Nothing SHOCKING here."},
    }
    texts = {d: t for c in corpora.values() for d, t in c.items()}
    both = tone_table(tokens(_docs(**texts)), texts, corpus_of={d: c for c, ds in corpora.items() for d in ds})
    alone = pd.concat([tone_table(tokens(_docs(**c)), c) for c in corpora.values()], ignore_index=True)
    pd.testing.assert_frame_equal(both, alone)
    assert both.loc[both["doc_id"] == "x1", "capitals"].item() != both.loc[both["doc_id"] == "y1", "capitals"].item()


def test_learned_vocabulary_reads_bigrams_as_stem_codes_with_the_same_matrix(sample):
    from helpers.framing.exemplars import content_rows
    from helpers.framing.weak import _content_term_matrix, load_vocabulary, sentence_terms, term_matrix

    content = content_rows(F.view_tokens(F.document_view(sample)))
    vocab = load_vocabulary("mfc")[0]
    fast = _content_term_matrix(content, vocab)
    slow = term_matrix(*sentence_terms(content), vocab, len(content[0]))
    for part in ("data", "indices", "indptr"):
        np.testing.assert_array_equal(getattr(fast, part), getattr(slow, part))
    assert fast.nnz > 20


def test_a_comparisons_top_terms_are_log_odds_first_and_last_rows():
    """``keyness_comparisons`` computes each comparison on the terms its groups use: the same rows as
    :func:`log_odds` over their summed counts (ties, absent terms and a group without words included)."""
    from helpers.framing.keyness import _CountMatrix, log_odds

    rng = np.random.default_rng(4)
    terms = [f"t{k:03d}" for k in range(60)] + ["Éclair", "zebra", "apple"]
    rows = [(f"d{d}", t, int(rng.integers(1, 4))) for d in range(12) for t in rng.choice(terms, 15, replace=False)]
    matrix = _CountMatrix(pd.DataFrame(rows, columns=["doc_id", "term", "n"]))
    for a, b, top in [
        (["d0"], ["d1", "d2"], 5),
        (["d3", "d4"], [f"d{k}" for k in range(5, 12)], 15),
        (["d0"], ["x"], 5),
    ]:
        ya, yb = matrix.total(a), matrix.total(b)
        full = log_odds(ya, yb, ya.add(yb, fill_value=0), label_a="A", label_b="B")
        ends = list(range(min(top, len(full)))) + list(range(max(len(full) - top, top), len(full)))
        expected = full.iloc[ends].reset_index(drop=True)
        pd.testing.assert_frame_equal(matrix.top(a, b, top, "A", "B"), expected, check_exact=True)


def test_actor_aliases_do_not_depend_on_the_order_of_the_documents():
    """A lone surname two full names could take (equally frequent, equally long) joins the same one whatever order
    the documents come in."""
    docs = _docs(
        a="Joschka Fischer met the ministers in Berlin today. Mr. Fischer said the talks had failed badly.",
        b="Stanley Fischer met the bankers in Washington today. Mr. Fischer said the rates would rise again.",
    )
    got = []
    for frame in (docs, docs.iloc[::-1].reset_index(drop=True)):
        act = F.analyse(frame).actors
        got.append(act.sort_values(["doc_id", "start"]).reset_index(drop=True)[["doc_id", "mention", "actor"]])
    pd.testing.assert_frame_equal(got[0], got[1])
    assert set(got[0].loc[got[0]["mention"] == "Fischer", "actor"]) == {"Stanley Fischer"}
