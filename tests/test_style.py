"""helpers.style: the machine-style score, its evidence, its features, the shipped JSON model and refitting."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from helpers.corpus import load_corpus
from helpers.style import MODEL_FEATURES, feature_table, load_model, machine_style, machine_style_evidence
from helpers.style import fit as style_fit
from helpers.style.features import MIN_WORDS, document_features, split_body
from helpers.style.model import StyleModel
from helpers.style.ngrams import skeleton

# Written for these tests: a paragraph in the register of instruction-tuned model output, and a wire-style news
# paragraph (named people, numbers, quotes, plain attribution).
MACHINE = """**A Turning Point for Coastal Towns**

In today's rapidly evolving landscape, coastal communities are facing a pivotal moment. Moreover, the recent
storms have underscored the crucial importance of robust infrastructure, highlighting the need for comprehensive
planning. It is important to note that local leaders play a crucial role in fostering resilience, ensuring that
residents can navigate the challenges ahead. Furthermore, the situation serves as a testament to the multifaceted
nature of climate adaptation, which not only protects homes but also strengthens the social fabric.

**Looking Ahead**

Overall, these developments showcase a significant shift in priorities. Additionally, experts emphasize that
innovative solutions will be essential. Ultimately, whether it is through new sea walls or nature-based approaches,
the path forward remains to be seen, and only time will tell how these vibrant communities will adapt."""

HUMAN = """Fishermen in Port Ellery spent Tuesday hauling boats out of the harbour after the third storm in a month
tore through the breakwater, leaving a 40-metre gap. "We lost two moorings on Sunday and another one last night,"
said Tom Reddaway, 58, who has fished the bay since 1987. The council's engineer, Priya Mand, told a meeting on
Monday that repairs would cost about £2.4m and could not start before April. Insurers have paid out on 17 claims so
far, according to the harbour office. Mr Reddaway said he would keep his boat on the slipway until the work was
done. "I'm not taking the chance again," he said."""


@pytest.fixture(scope="module")
def sample_docs():
    return load_corpus(ROOT / "data" / "sample")


def test_scores_are_probabilities_and_deterministic():
    docs = pd.DataFrame({"doc_id": ["m", "h"], "text": [MACHINE, HUMAN]})
    first = machine_style(docs)
    second = machine_style(docs)
    assert list(first.columns) == ["doc_id", "machine_style", "style_evidence", "reason"]
    assert first["machine_style"].between(0, 1).all()
    pd.testing.assert_frame_equal(first, second)


def test_machine_register_scores_above_news_paragraph():
    scores = machine_style({"m": MACHINE, "h": HUMAN}).set_index("doc_id")["machine_style"]
    assert scores["m"] > 0.8
    assert scores["h"] < 0.5
    assert scores["m"] > scores["h"]


def test_short_empty_and_non_english_get_nan_and_a_reason():
    welsh = (
        "Mae'r cyngor wedi cyhoeddi y bydd y ffordd ar gau am dair wythnos tra bod gwaith atgyweirio yn digwydd. " * 8
    )
    out = machine_style(["", "Too short to judge.", "x" * 10, welsh, None]).set_index("doc_id")
    assert out["machine_style"].isna().all()
    assert out.loc[0, "reason"] == "empty text"
    assert out.loc[1, "reason"].startswith("too short to judge")
    assert "English" in out.loc[3, "reason"]
    assert out.loc[4, "reason"] == "empty text"
    assert (out["style_evidence"] == "").all()


def test_huge_document_is_scored_from_its_start():
    huge = (HUMAN + "\n\n") * 2000  # about 1.4 million characters
    out = machine_style([huge])
    assert out.loc[0, "reason"] == ""
    assert 0 <= out.loc[0, "machine_style"] <= 1
    assert document_features(huge)["n_words"] < 4000  # only the first MAX_CHARS are read


def test_evidence_explains_the_score():
    ev = machine_style_evidence({"m": MACHINE, "h": HUMAN}, top=5)
    assert list(ev.groupby("doc_id").size()) == [5, 5]
    m = ev[ev["doc_id"] == "m"]
    assert m["rank"].tolist() == [1, 2, 3, 4, 5]
    assert (m["contribution"].abs().diff().dropna() <= 1e-12).all()  # largest effect first
    assert (m["points_to"] == np.where(m["contribution"] > 0, "machine", "human")).all()
    # the machine paragraph's strongest evidence points to machine, the news paragraph's to human
    assert m.iloc[0]["points_to"] == "machine"
    assert ev[ev["doc_id"] == "h"].iloc[0]["points_to"] == "human"
    # contributions add up to the score: sum over every feature + the constant (both parts' intercepts on the
    # stacked scale), calibrated = machine_style
    model = load_model()
    table = feature_table({"m": MACHINE}, ngrams=True)
    hand, ngram = model.contributions(table, table["ngrams"].tolist())
    assert ngram.shape[1] == len(model.ngrams) + len(model.words) and len(model.words) > 0
    decision = hand.sum() + ngram.sum() + model.offset
    assert model.calibrate(np.array([decision]))[0] == pytest.approx(m["machine_style"].iloc[0])
    unjudged = machine_style_evidence(["too short"])
    assert unjudged.empty and "contribution" in unjudged.columns


def test_shipped_model_is_small_json_matching_the_features():
    path = ROOT / "src" / "helpers" / "data" / "machine_style_model.json"
    raw = path.read_bytes()
    assert len(raw) < 1_000_000
    data = json.loads(raw)  # plain JSON: nothing to unpickle
    assert data["features"] == MODEL_FEATURES
    model = load_model()
    assert model.features == tuple(MODEL_FEATURES)
    assert len(model.ngrams) > 100 and all(t[:2] in ("w:", "s:") for t in model.ngrams)
    assert np.isfinite(model.coef).all() and np.isfinite(model.ngram_coef).all()
    assert model.calibration[0] > 0  # a higher decision value means more machine-like
    assert StyleModel.from_dict(model.to_dict()).to_dict() == model.to_dict()
    with pytest.raises(ValueError):
        StyleModel.from_dict({**data, "coef": data["coef"][:-1]})


def test_sample_machine_rewrites_score_above_the_human_article(sample_docs):
    scores = machine_style(sample_docs).set_index("doc_id")["machine_style"]
    human = scores[scores.index.str.startswith("004")].iloc[0]
    rewrites = scores[scores.index.str[:3].isin(["000", "001", "002"])]
    assert len(rewrites) == 3
    assert (rewrites > human).all(), scores.to_dict()
    assert human < 0.5


def test_body_drops_headings_and_an_unfinished_last_sentence():
    doc = split_body("## Big News Today\n\nThe first sentence ends here. The second one too. The third is cut mid")
    assert doc.body == "The first sentence ends here. The second one too."
    assert doc.heading_lines == 1 and doc.titlecase_headings == 1
    layout_blind = document_features(HUMAN.replace("\n", " "))
    with_lines = document_features(HUMAN)
    assert {f: layout_blind[f] for f in MODEL_FEATURES} == {f: with_lines[f] for f in MODEL_FEATURES}


def test_marker_classes_count_inflections_and_phrases():
    base = "The council met on Monday and the plan was approved by the members after a long debate. " * 6
    row = document_features(base + "Moreover, the decision underscores a pivotal shift. It is important to note this.")
    plain = document_features(base)
    assert row["additive_connective_rate"] > 0 and plain["additive_connective_rate"] == 0
    assert row["excess_vocabulary_rate"] > 0  # "underscores" by stem, "pivotal"
    assert row["signposting_rate"] > 0
    assert math.isclose(row["fw_the"], 100 * row["n_words"] ** -1 * (6 * 3 + 1), rel_tol=1e-9)


def test_a_dash_between_words_counts_the_same_however_it_is_typed():
    base = "The council met on Monday and the plan was approved by the members after a long debate. " * 6
    typed = {
        form: document_features(base + f"The vote was close{form}closer than expected. It passed.")["dash_rate"]
        for form in ("—", " — ", " - ", " – ", " -- ")
    }
    assert len(set(typed.values())) == 1 and typed["—"] > 0
    assert document_features(base + "A well-known 1990-2000 plan passed. It passed.")["dash_rate"] == 0


def test_skeleton_keeps_function_words_and_shapes():
    assert skeleton("Not only did Iran leave, but 40 officers went.") == [
        "not",
        "only",
        "did",
        "C",
        "x",
        ",",
        "but",
        "0",
        "x",
        "x",
        ".",
    ]


def test_generator_splits_hold_out_generator_and_domains():
    frame = pd.DataFrame(
        {
            "label": [0, 1, 1, 0, 1, 1, 0, 1, 1],
            "generator": ["human", "g1", "g2"] * 3,
            "domain": ["a"] * 3 + ["b"] * 3 + ["c"] * 3,
        }
    )
    frame["group"] = frame["domain"]
    splits = list(style_fit.generator_splits(frame, k=3))
    assert len(splits) == 6
    for held, train, test in splits:
        assert not set(frame.loc[train, "domain"]) & set(frame.loc[test, "domain"])
        assert held not in set(frame.loc[train, "generator"])
        assert set(frame.loc[test, "generator"]) <= {held, "human"}


def test_labels_are_read_in_common_spellings(tmp_path):
    path = tmp_path / "l.csv"
    pd.DataFrame({"body": ["a", "b", "c", "d"], "machine": ["machine", "human", "1", "false"]}).to_csv(path)
    frame = style_fit.load_labelled(path)
    assert frame["label"].tolist() == [1, 0, 1, 0]
    pd.DataFrame({"text": ["a", "b"], "label": ["yes", "no"]}).to_csv(path)
    with pytest.raises(ValueError, match="unreadable label"):
        style_fit.load_labelled(path)


def test_refit_on_a_tiny_labelled_set_end_to_end(tmp_path):
    rng = np.random.default_rng(0)
    rows = []
    for i in range(24):
        # vary the texts so the two classes differ in style, not in a fixed string
        m_sentences = MACHINE.replace("\n", " ").split(". ")
        h_sentences = HUMAN.replace("\n", " ").split(". ")
        rows.append({"text": ". ".join(rng.permutation(m_sentences)), "label": "machine", "pair": i})
        rows.append({"text": ". ".join(rng.permutation(h_sentences)), "label": "human", "pair": i})
    data = tmp_path / "mine.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    out = tmp_path / "model.json"
    cmd = [sys.executable, str(ROOT / "scripts" / "fit_machine_style.py"), "--labelled", str(data)]
    cmd += ["--group-column", "pair", "--out", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    first = out.read_bytes()
    data_json = json.loads(first)
    assert data_json["features"] == MODEL_FEATURES and data_json["meta"]["training_texts"] == 48
    assert not first.startswith(b"\x80")  # not a pickle
    scores = machine_style({"m": MACHINE, "h": HUMAN}, model=out).set_index("doc_id")["machine_style"]
    assert scores["m"] > scores["h"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0 and out.read_bytes() == first  # deterministic


def test_min_words_threshold():
    words = " ".join(["The plan was approved by the council on Monday."] * 12).split()
    just_under = " ".join(words[: MIN_WORDS - 1])
    assert document_features(just_under)["reason"].startswith("too short")


def test_a_document_whose_analysis_fails_is_listed_and_the_others_scored(monkeypatch, sample_docs):
    import helpers.style.features as features

    real = features.analyse

    def breaks_on_boom(text, *rest):
        if "BOOM" in text:
            raise ValueError("bad")
        return real(text, *rest)

    monkeypatch.setattr(features, "analyse", breaks_on_boom)
    docs = pd.concat([sample_docs[["doc_id", "text"]], pd.DataFrame({"doc_id": ["x"], "text": ["BOOM " * 80]})])
    failures: list = []
    out = machine_style(docs.reset_index(drop=True), failures=failures).set_index("doc_id")
    assert failures == [("machine style", "x", "ValueError: bad")]
    assert math.isnan(out.loc["x", "machine_style"]) and "could not be analysed" in out.loc["x", "reason"]
    assert out.drop("x")["machine_style"].notna().all()


def test_vocabulary_counts_of_all_documents_at_once_equal_the_per_document_counts(sample_docs):
    from helpers.style.ngrams import VocabularyCounter, count_matrix, ngram_counts

    bodies = [split_body(t).body for t in sample_docs["text"]] + [MACHINE, HUMAN, "", "the", "the the the"]
    vocabulary = sorted({t for b in bodies for t in ngram_counts(b)})[::3]  # a third of every kind and length
    counter = VocabularyCounter(vocabulary)
    fast = counter.matrix([counter.token_codes(b) for b in bodies])
    slow = count_matrix([ngram_counts(b) for b in bodies], vocabulary)
    assert fast.shape == slow.shape and fast.sum() > 100
    assert abs(fast - slow).sum() == 0


def test_mattr_equals_the_sliding_window_definition():
    from collections import Counter

    from helpers.style.features import _mattr

    def sliding(words, window=50):
        if len(words) <= window:
            return len(set(words)) / max(len(words), 1)
        return sum(len(Counter(words[i : i + window])) for i in range(len(words) - window + 1)) / (
            (len(words) - window + 1) * window
        )

    rng = np.random.default_rng(3)
    for n in (0, 1, 49, 50, 51, 137, 600):
        words = [f"w{k}" for k in rng.zipf(1.6, size=n)]
        assert _mattr(words) == pytest.approx(sliding(words), rel=1e-12)


def test_stacked_parts_add_up_and_a_model_file_without_the_words_part_still_scores():
    model = load_model()
    assert len(model.words) > 1000 and all(t.startswith("t:") for t in model.words)
    data = model.to_dict()
    style_only = StyleModel.from_dict({k: v for k, v in data.items() if k not in ("words", "stack")})
    assert style_only.words == () and style_only.offset == pytest.approx(style_only.intercept)
    table = feature_table({"m": MACHINE, "h": HUMAN}, ngrams=True)
    counts = table["ngrams"].tolist()
    hand, both = model.contributions(table, counts)
    (style_mean, style_sd), (word_mean, word_sd) = model.stack
    style_part = style_only.decision(table, counts)
    word_part = np.asarray(both[:, len(model.ngrams) :].sum(axis=1)).ravel() * word_sd + model.word_intercept
    stacked = (style_part - style_mean) / style_sd + (word_part - word_mean) / word_sd
    assert model.decision(table, counts) == pytest.approx(stacked)
    assert word_part[0] > word_part[1]  # the all-words part alone also reads the machine paragraph as machine
