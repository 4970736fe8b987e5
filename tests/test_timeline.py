"""Tests of helpers.timeline: anchoring, events, key dates, conflicts, publication lags, settings, bad input."""

from __future__ import annotations

import logging
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import timeline as tl
from helpers.show import clip
from helpers.timeline import documents, sentences
from helpers.timeline.documents import empty_timexes
from helpers.timeline.tagger import Timex

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
ISO = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def _sample_docs() -> pd.DataFrame:
    paths = sorted(SAMPLE.glob("*.txt"))
    return pd.DataFrame({"doc_id": [p.stem[:3] for p in paths], "text": [p.read_text(encoding="utf-8") for p in paths]})


def _tx(docs, items, ref="2024-12-06"):
    """Hand-made timex rows: (doc_id, phrase, type, value, mod)."""
    texts = docs.set_index("doc_id")["text"]
    rows = []
    for doc, phrase, kind, value, mod in items:
        s = texts[doc].index(phrase)
        rows.append(
            dict(
                doc_id=doc,
                start=s,
                end=s + len(phrase),
                text=phrase,
                type=kind,
                value=value,
                mod=mod,
                reference_date=pd.Timestamp(ref) if ref else pd.NaT,
                resolved=not value.startswith("X"),
            )
        )
    return pd.DataFrame(rows)


def _iso_tx(docs):
    """Timexes for synthetic documents whose dates are written as ISO days."""
    rows = []
    for doc_id, text in zip(docs["doc_id"], docs["text"]):
        for m in ISO.finditer(text):
            rows.append(
                dict(
                    doc_id=doc_id,
                    start=m.start(),
                    end=m.end(),
                    text=m[1],
                    type="DATE",
                    value=m[1],
                    mod="",
                    reference_date=pd.NaT,
                    resolved=True,
                )
            )
    return pd.DataFrame(rows)


SAMPLE_CLAIMS = [
    ("000", "2011", "DATE", "2011", ""),
    ("000", "nearly a decade", "DURATION", "P1DE", "APPROX"),
    ("003", "over four decades", "DURATION", "P4DE", "MORE_THAN"),
    ("004", "40 years", "DURATION", "P40Y", ""),
    ("004", "On Friday", "DATE", "2024-12-06", ""),
    ("004", "Oct. 7", "DATE", "2023-10-07", ""),
    ("001", "For years", "DURATION", "PXY", ""),
]


# --------------------------------------------------------------------------------------------- values and anchors


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2024-12-06", (date(2024, 12, 6), date(2024, 12, 6), "day")),
        ("2024-12-06T10:30", (date(2024, 12, 6), date(2024, 12, 6), "day")),
        ("2024-02", (date(2024, 2, 1), date(2024, 2, 29), "month")),
        ("2011", (date(2011, 1, 1), date(2011, 12, 31), "year")),
        ("XXXX-10-07", None),
        ("2024-02-30", None),
        ("2024-W48", None),
        ("PRESENT_REF", None),
        ("199X", None),
        ("P40Y", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_value(value, expected):
    assert tl.parse_value(value) == expected


def test_reference_dates_prefer_publication_then_parameter():
    docs = pd.DataFrame(
        {"doc_id": ["a", "b"], "text": ["x", "y"], "published": pd.to_datetime(["2012-03-04 22:00", None], utc=True)}
    )
    refs = tl.reference_dates(docs, "2024-12-06")
    assert refs["a"] == pd.Timestamp("2012-03-04") and refs["b"] == pd.Timestamp("2024-12-06")
    assert pd.isna(tl.reference_dates(docs, "")["b"])
    assert pd.isna(tl.reference_dates(docs.drop(columns="published"), None)).all()


def test_timexes_anchor_each_document_and_count_unresolved(monkeypatch):
    seen = []

    def fake_extract(text, ref, params):
        seen.append(None if ref is None else ref.isoformat())
        s = text.index("Friday")
        value = "XXXX-XX-XX" if ref is None else ref.isoformat()
        return [Timex(s, s + 6, "Friday", "DATE", value, "")]

    monkeypatch.setattr(documents, "extract", fake_extract)
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "text": ["On Friday it rained.", "On Friday.", "   "],
            "published": pd.to_datetime(["2012-03-02", None, None], utc=True),
        }
    )
    tx = tl.timexes(docs)  # no reference date: b stays unresolved
    assert seen == ["2012-03-02", None]  # the empty document is not tagged
    assert list(tx.columns[:7]) == ["doc_id", *tl.TIMEX_COLUMNS]
    assert tx.set_index("doc_id").loc["a", "value"] == "2012-03-02"
    assert tx.set_index("doc_id").loc["b", "value"] == "XXXX-XX-XX"
    assert tx["resolved"].tolist() == [True, False]
    summary = tl.timex_summary(tx).set_index("type")
    assert summary.loc["DATE", "unresolved"] == 1 and summary.loc["DATE", "unresolved_no_reference"] == 1
    # an unresolved value never becomes a dated sentence
    ds = tl.dated_sentences(docs, tx)
    assert ds["doc_id"].tolist() == ["a"] and ds["date"].tolist() == ["2012-03-02"]


# --------------------------------------------------------------------------------------------- conflicts


def test_nearly_a_decade_conflicts_with_2011_hand_made_timexes():
    docs = _sample_docs()
    tx = _tx(docs, SAMPLE_CLAIMS)
    claims = tl.temporal_claims(docs, tx).set_index("claim")
    assert claims.loc["nearly a decade", "kind"] == "duration"
    assert 2014 < claims.loc["nearly a decade", "start_lo"] < claims.loc["nearly a decade", "start_hi"] < 2018
    assert claims.loc["2011", "kind"] == "start"  # "since the beginning of the conflict in Syria in 2011"
    c = tl.conflicts(docs, None, tx)
    pairs = {frozenset((a, b)) for a, b in zip(c["claim_a"], c["claim_b"])}
    assert frozenset(("nearly a decade", "2011")) in pairs
    assert frozenset(("nearly a decade", "40 years")) not in pairs  # different documents, no family given
    fam = pd.DataFrame({"doc_id": docs["doc_id"], "family_id": "story", "role": ""})
    c = tl.conflicts(docs, fam, tx)
    pairs = {frozenset((a, b)) for a, b in zip(c["claim_a"], c["claim_b"])}
    assert frozenset(("nearly a decade", "40 years")) in pairs
    assert frozenset(("nearly a decade", "over four decades")) in pairs
    # "for years" only says "at least two years": it contradicts nothing here
    assert not any("For years" in p for p in pairs)
    # a dated sentence is not a temporal claim: "On Friday" is an event date, not a start
    assert "On Friday" not in set(tl.temporal_claims(docs, tx)["claim"])


def test_conflict_view_puts_each_side_in_one_readable_column():
    docs = _sample_docs()
    fam = pd.DataFrame({"doc_id": docs["doc_id"], "family_id": "story", "role": ""})
    c = tl.conflicts(docs, fam, _tx(docs, SAMPLE_CLAIMS))
    v = tl.conflict_view(c, width=40)
    assert list(v.columns) == ["family_id", "kind", "gap_years", "context_similarity", "side_a", "side_b"]
    assert len(v) == len(c)
    first = c.iloc[0]
    assert v.iloc[0]["side_a"] == f'{first["doc_a"]} · "{first["claim_a"]}" → {first["implies_a"]} · ' + clip(
        first["sentence_a"], 40
    )
    assert v.iloc[0]["side_b"].endswith(" · " + clip(first["sentence_b"], 40))
    assert all(len(side.split(" · ")[-1]) <= 40 for side in v["side_a"])
    assert len(tl.conflict_view(c.iloc[:0])) == 0 and len(tl.conflict_view(None)) == 0


def test_consistent_claims_are_not_conflicts():
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "text": ["The war has ravaged the country for 13 years.", "The war began in 2011 and has not stopped."],
        }
    )
    tx = _tx(docs, [("a", "13 years", "DURATION", "P13Y", ""), ("b", "2011", "DATE", "2011", "")])
    fam = pd.DataFrame({"doc_id": ["a", "b"], "family_id": ["f", "f"]})
    assert len(tl.temporal_claims(docs, tx)) == 2
    assert len(tl.conflicts(docs, fam, tx)) == 0
    # the same duration told three years later would contradict 2011
    tx2 = tx.assign(reference_date=pd.Timestamp("2027-12-06"))
    assert len(tl.conflicts(docs, fam, tx2)) == 1


def test_duration_without_reference_date_is_not_a_claim():
    docs = _sample_docs()
    tx = _tx(docs, SAMPLE_CLAIMS, ref=None)
    claims = tl.temporal_claims(docs, tx)
    assert set(claims["kind"]) == {"start"}  # only the absolute year survives


def test_event_date_conflict_between_versions():
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "text": [
                "Rebels captured the city of Aleppo on 2024-11-29 after a short battle.",
                "Rebels captured the city of Aleppo on 2024-11-30 after a short battle.",
            ],
        }
    )
    fam = pd.DataFrame({"doc_id": ["a", "b"], "family_id": ["f", "f"]})
    c = tl.conflicts(docs, fam, _iso_tx(docs))
    assert c["kind"].tolist() == ["event date"]
    assert {c.loc[0, "implies_a"], c.loc[0, "implies_b"]} == {"2024-11-29", "2024-11-30"}


# --------------------------------------------------------------------------------------------- events


def test_events_merge_same_date_similar_sentences_within_family():
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d"],
            "text": [
                "Iran began evacuating its commanders from Syria on 2024-12-06. Other news followed.",
                "On 2024-12-06 Iran began evacuating commanders from Syria, officials said.",
                "The football club won its match on 2024-12-06 in extra time.",
                "Iran began evacuating its commanders from Syria on 2024-12-06, a copy says.",
            ],
        }
    )
    fam = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "family_id": ["f", "f", "f", "g"]})
    ev = tl.events(docs, fam, _iso_tx(docs))
    by_doc = ev.set_index("doc_id")
    assert by_doc.loc["a", "event_id"] == by_doc.loc["b", "event_id"]
    assert by_doc.loc["a", "n_docs"] == 2
    assert by_doc.loc["c", "event_id"] != by_doc.loc["a", "event_id"]  # same date, different event
    assert by_doc.loc["d", "event_id"] != by_doc.loc["a", "event_id"]  # other family
    assert list(ev.columns) == [
        "event_id",
        "family_id",
        "date",
        "granularity",
        "first_day",
        "doc_id",
        "sent_id",
        "sentence",
        "timex",
        "similarity",
        "n_docs",
        "published",
    ]
    assert by_doc.loc["b", "similarity"] < 1.0 == by_doc.loc["a", "similarity"]  # "a" opens the event


# --------------------------------------------------------------------------------------------- key dates


def _news_corpus():
    """Twelve dated reports: 2012-02-03 is remembered by many later articles, 2012-02-10 by two, the publication
    days themselves are busy but rarely mentioned afterwards; one mention lies far outside the collection."""
    rows = []
    for i in range(8):
        pub = pd.Timestamp("2012-02-04") + pd.Timedelta(days=i)
        rows.append((f"r{i}", pub, f"Shelling of Homs began on 2012-02-03, activists said. Dateline {pub:%Y-%m-%d} ."))
    rows.append(("s1", pd.Timestamp("2012-02-12"), "Envoys met on 2012-02-10 in Cairo to discuss a plan."))
    rows.append(("s2", pd.Timestamp("2012-02-13"), "The envoys who met on 2012-02-10 agreed to talk again."))
    rows.append(("h1", pd.Timestamp("2012-02-13"), "The Assad family took power on 1970-11-13 in a coup."))
    rows.append(("h2", pd.Timestamp("2012-02-14"), "Hafez al-Assad seized power on 1970-11-13 in a coup."))
    return pd.DataFrame(rows, columns=["doc_id", "published", "text"]).assign(
        published=lambda d: pd.to_datetime(d["published"], utc=True)
    )


def test_key_dates_rank_remembered_days_and_stay_in_span():
    docs = _news_corpus()
    kd = tl.key_dates(docs, ranker="mentions", n=2, tx=_iso_tx(docs))
    assert kd["date"].tolist() == ["2012-02-03", "2012-02-10"]
    assert list(kd.columns[:5]) == ["date", "score", "n_docs", "n_mentions", "n_pub_days"]
    row = kd.set_index("date").loc["2012-02-03"]
    assert row["n_docs"] == 8 and "Homs" in row["sentence_1"]
    assert kd.set_index("date").loc["2012-02-10", "sentence_1"] != kd.set_index("date").loc["2012-02-10", "sentence_2"]
    kd_all = tl.key_dates(docs, ranker="mentions", n=50, tx=_iso_tx(docs))
    assert "1970-11-13" not in set(kd_all["date"])  # far before the collection's span
    assert kd_all["date"].is_monotonic_increasing
    kd_auto = tl.key_dates(docs, ranker="mentions", tx=_iso_tx(docs))  # length from the scores: at least three dates
    assert kd_auto["date"].tolist() == ["2012-02-03", "2012-02-04", "2012-02-10"]


def test_key_dates_without_publication_dates_keep_every_day():
    docs = _news_corpus().drop(columns="published")
    kd = tl.key_dates(docs, n=50, tx=_iso_tx(docs))
    assert "1970-11-13" in set(kd["date"])


# --------------------------------------------------------------------------------------------- publication timeline


def test_publication_timeline_lags_behind_origin():
    docs = pd.DataFrame(
        {
            "doc_id": ["o", "c1", "c2", "x"],
            "text": ["a", "b", "c", "d"],
            "source": ["nyt", "farm", "", "bbc"],
            "published": pd.to_datetime(["2024-12-06 10:00", "2024-12-06 16:00", "2024-12-08 10:00", None], utc=True),
        }
    )
    fam = pd.DataFrame({"doc_id": ["o", "c1", "c2"], "family_id": ["F", "F", "F"], "role": ["origin", "copy", "copy"]})
    pt = tl.publication_timeline(docs, fam).set_index("doc_id")
    assert pt.loc["c1", "lag_hours"] == 6 and pt.loc["c2", "lag_hours"] == 48 and pt.loc["o", "lag_hours"] == 0
    assert (pt.loc[["o", "c1", "c2"], "origin_id"] == "o").all()
    assert pt.loc["x", "family_id"] == "x" and np.isnan(pt.loc["x", "lag_hours"])  # own family, no date
    # without a role the earliest member is the origin
    pt2 = tl.publication_timeline(docs, fam.drop(columns="role")).set_index("doc_id")
    assert pt2.loc["c2", "origin_id"] == "o"
    counts = tl.articles_over_time(docs)
    assert counts.to_numpy().sum() == 3 and "(unknown source)" in counts.columns


def test_no_publication_dates_are_not_invented():
    docs = _sample_docs()
    pt = tl.publication_timeline(docs)
    assert pt["lag_hours"].isna().all() and pt["published"].isna().all()
    assert (pt["family_id"] == pt["doc_id"]).all()
    assert tl.articles_over_time(docs).empty


# --------------------------------------------------------------------------------------------- bad input


def test_empty_and_dateless_input():
    empty = pd.DataFrame({"doc_id": pd.Series([], dtype=str), "text": pd.Series([], dtype=str)})
    assert len(tl.timexes(empty)) == 0
    for frame in (tl.events(empty), tl.key_dates(empty), tl.conflicts(empty), tl.publication_timeline(empty)):
        assert len(frame) == 0 and len(frame.columns) > 0
    docs = pd.DataFrame({"doc_id": ["a"], "text": ["No dates here at all."]})
    none = empty_timexes()
    assert len(tl.events(docs, tx=none)) == 0
    assert len(tl.key_dates(docs, tx=none)) == 0
    assert len(tl.conflicts(docs, tx=none)) == 0
    assert len(tl.timex_summary(none)) == 0


def test_charts_without_data_say_why():
    import matplotlib

    matplotlib.use("Agg")
    docs = _sample_docs()
    for ax, says in (
        (tl.plot_publications(docs), "No publication dates"),
        (tl.plot_events(tl.events(docs, tx=empty_timexes())), "No sentence"),
        (tl.plot_key_dates(tl.key_dates(docs, tx=empty_timexes())), "No key dates"),
    ):
        assert not ax.axison and [t.get_text()[: len(says)] for t in ax.texts] == [says]


# --------------------------------------------------------------------------------------------- with the real tagger


def test_sample_conflict_found_with_the_tagger():
    docs = _sample_docs()
    c = tl.conflicts(docs, None, reference_date="2024-12-06")
    same_doc = c.loc[c["doc_a"].eq("000") & c["doc_b"].eq("000")]
    claims = [set(x) for x in zip(same_doc["claim_a"].str.lower(), same_doc["claim_b"].str.lower())]
    assert {"nearly a decade", "2011"} in claims, c


def test_key_dates_drop_datelines_and_timestamps():
    rows = []
    for i in range(4):  # four reports whose only mention of their own day is a dateline or a comment stamp
        pub = pd.Timestamp("2012-03-05") + pd.Timedelta(days=i)
        rows.append(
            (f"d{i}", pub, f"DAMASCUS | {pub:%Y-%m-%d} 7:51 pm BST . Shelling resumed after 2012-03-01 talks failed.")
        )
    rows.append(
        (
            "c1",
            pd.Timestamp("2012-03-09"),
            "Comments: 2012-03-08 - 18:12 What is the point ? Talks on 2012-03-01 failed.",
        )
    )
    docs = pd.DataFrame(rows, columns=["doc_id", "published", "text"]).assign(
        published=lambda d: pd.to_datetime(d["published"], utc=True)
    )
    kd = tl.key_dates(docs, ranker="mentions", n=10, tx=_iso_tx(docs))
    assert kd["date"].tolist() == ["2012-03-01"]
    # the same dates in running text count
    docs2 = docs.assign(text=docs["text"].str.replace(" 7:51 pm BST", " officials said", regex=False))
    kd2 = tl.key_dates(docs2, ranker="mentions", n=10, tx=_iso_tx(docs2), dateline_chars=0)  # no dateline filter
    assert kd2["date"].tolist() == ["2012-03-01", "2012-03-05", "2012-03-06", "2012-03-07", "2012-03-08"]
    same = tl.key_dates(docs2, n=10, tx=_iso_tx(docs2), params=tl.KeyDateParams(dateline_chars=0, ranker="mentions"))
    pd.testing.assert_frame_equal(kd2, same)


def test_similar_pairs_blockwise_equals_full():
    texts = [f"rebels took the town of {w} after heavy fighting" for w in ["Homs", "Hama", "Idlib", "Homs"]] + [
        "the football match ended in a draw"
    ] * 3
    X = sentences.sentence_vectors(texts)
    labels = np.array(["a", "b", "c", "d", "e", "f", "e"])
    idx = np.arange(len(texts))
    full = set(zip(*sentences.similar_pairs(X, idx, 0.3, labels, block_rows=1000)[:2]))
    blocks = set(zip(*sentences.similar_pairs(X, idx, 0.3, labels, block_rows=2)[:2]))
    assert full == blocks and (0, 3) in full and (4, 6) not in full  # same document never pairs


def test_large_family_compares_only_similar_claims():
    n = 60  # more documents than max_family_docs: a topic, not one story's versions
    texts = [
        f"Report {i}: the alliance has lasted for 40 years."
        if i % 2
        else f"Report {i}: the weather station has measured rain since 2011."
        for i in range(n)
    ]
    docs = pd.DataFrame({"doc_id": [f"r{i}" for i in range(n)], "text": texts})
    items = [
        (f"r{i}", "40 years" if i % 2 else "2011", "DURATION" if i % 2 else "DATE", "P40Y" if i % 2 else "2011", "")
        for i in range(n)
    ]
    tx = _tx(docs, items)
    fam = pd.DataFrame({"doc_id": docs["doc_id"], "family_id": "topic"})
    assert len(tl.conflicts(docs, fam, tx, max_family_docs=50)) == 0
    small = tl.conflicts(docs, fam, tx, max_family_docs=100)
    assert len(small) == (n // 2) ** 2  # every 40-year claim against every 2011 claim


def test_without_any_anchor_relative_dates_stay_unresolved_with_the_tagger():
    docs = _sample_docs()
    tx = tl.timexes(docs)  # no publication dates, no reference date
    friday = tx.loc[tx["text"].str.contains("Friday")]
    assert len(friday) and not friday["resolved"].any() and friday["value"].str.startswith("X").all()
    summary = tl.timex_summary(tx).set_index("type")
    assert summary.loc["DATE", "unresolved_no_reference"] == 3
    assert sorted(tx.loc[~tx["resolved"], "text"]) == ["Friday", "Oct. 7", "Today"]
    said = tl.anchoring_summary(docs, tx)
    assert "5 with no anchor date at all" in said
    assert "3 of 26 temporal expressions stay unresolved: 3 in documents with no anchor date" in said
    anchored = tl.timexes(docs, "2024-12-06")
    assert "All 26 temporal expressions are resolved." in tl.anchoring_summary(docs, anchored, "2024-12-06")
    dated = tl.dated_sentences(docs, tx)
    assert set(dated["date"]) == {"2011"}  # only the absolute year anchors a sentence
    assert set(tl.temporal_claims(docs, tx)["kind"]) == {"start"}  # durations need an anchor


def test_a_document_that_breaks_the_tagger_is_reported_and_skipped(monkeypatch, caplog):
    real_extract = documents.extract

    def fragile_extract(text, ref, params):
        if "boom" in text:
            raise ValueError("cannot parse")
        return real_extract(text, ref, params)

    monkeypatch.setattr(documents, "extract", fragile_extract)
    docs = pd.DataFrame({"doc_id": ["ok", "bad", "ok2"], "text": ["The war began in 2011.", "boom", "In 2012."]})
    failures = []
    with caplog.at_level(logging.ERROR, logger="helpers"):
        tx = tl.timexes(docs, "2024-12-06", failures=failures)
    assert tx["doc_id"].tolist() == ["ok", "ok2"] and tx["value"].tolist() == ["2011", "2012"]
    assert failures == [("timeline.tag", "bad", "ValueError: cannot parse")]
    assert tx.attrs["failed_documents"] == 1 and "timeline.tag failed on bad" in caplog.text
    assert tl.timexes(docs, "2024-12-06").attrs["failed_documents"] == 1  # without a list: still counted


def test_family_spread_chart_draws_each_version():
    import matplotlib

    matplotlib.use("Agg")
    docs = pd.DataFrame(
        {
            "doc_id": ["o", "c1", "c2"],
            "text": ["a", "b", "c"],
            "published": pd.to_datetime(["2024-12-06 10:00", "2024-12-06 16:00", "2024-12-08 09:00"], utc=True),
        }
    )
    fam = pd.DataFrame({"doc_id": ["o", "c1", "c2"], "family_id": ["F", "F", "F"], "role": ["origin", "copy", "copy"]})
    ax = tl.plot_family_spread(tl.publication_timeline(docs, fam))
    offsets = [len(c.get_offsets()) for c in ax.collections]
    assert sorted(offsets) == [1, 2]  # the origin star and the two copies
    assert not tl.plot_family_spread(tl.publication_timeline(_sample_docs())).axison  # no dates: a message


@pytest.mark.parametrize(
    "sentence,phrase,kind,value,is_claim",
    [
        ("The Assad family has ruled Syria for 41 years.", "41 years", "DURATION", "P41Y", True),
        ("Greece will struggle with high debt for many years.", "many years", "DURATION", "PXY", False),
        ("It was the worst urban violence for decades.", "decades", "DURATION", "PXDE", False),
        (
            "The threat has hung over it and will for at least two more years.",
            "two more years",
            "DURATION",
            "P2Y",
            False,
        ),
        ("Turkey's borders have been volatile and will be for years to come.", "years", "DURATION", "PXY", False),
        ("It is the worst nuclear accident since the Chernobyl disaster in 1986.", "1986", "DATE", "1986", False),
        ("The Baath Party has dominated Syria since 1963.", "1963", "DATE", "1963", True),
        ("The unrest began in the southern city of Deraa in March 2011.", "March 2011", "DATE", "2011-03", True),
        ("Talks took place in 2011.", "2011", "DATE", "2011", False),
    ],
)
def test_which_expressions_are_claims_about_a_start(sentence, phrase, kind, value, is_claim):
    docs = pd.DataFrame({"doc_id": ["a"], "text": [sentence]})
    claims = tl.temporal_claims(docs, _tx(docs, [("a", phrase, kind, value, "")]))
    assert (len(claims) == 1) == is_claim, claims


def test_a_sentence_with_both_dates_is_not_an_event_date_conflict():
    text = "The deadline is 2012-04-10 and the ceasefire starts on 2012-04-12 , envoys said."
    docs = pd.DataFrame({"doc_id": ["a", "b"], "text": [text, text.replace("envoys", "diplomats")]})
    fam = pd.DataFrame({"doc_id": ["a", "b"], "family_id": ["f", "f"]})
    assert len(tl.conflicts(docs, fam, _iso_tx(docs))) == 0


def test_key_dates_with_families_count_copies_of_one_story_once():
    docs = _news_corpus()
    tx = _iso_tx(docs)
    # eight reports mention 2012-02-03; declare them copies of one story: they now vote once
    fam = pd.DataFrame({"doc_id": [f"r{i}" for i in range(8)], "family_id": "homs-story"})
    alone = tl.key_dates(docs, ranker="mentions", n=50, tx=tx).set_index("date")
    grouped = tl.key_dates(docs, ranker="mentions", n=50, tx=tx, families=fam).set_index("date")
    assert grouped.loc["2012-02-03", "score"] < alone.loc["2012-02-03", "score"]
    assert grouped.loc["2012-02-03", "n_docs"] == 8  # the documents are still counted as documents
    assert grouped.loc["2012-02-10", "score"] == alone.loc["2012-02-10", "score"]


def test_key_dates_remembered_day_beats_a_day_only_reported_on_the_day():
    rows = [(f"a{i}", pd.Timestamp("2012-05-25"), f"Troops shelled Houla on 2012-05-25, report {i}.") for i in range(3)]
    rows += [(f"b{i}", pd.Timestamp("2012-05-20"), f"Talks opened on 2012-05-20, item {i}.") for i in range(3)]
    rows += [
        ("c0", pd.Timestamp("2012-05-28"), "The 2012-05-25 massacre in Houla drew outrage."),
        ("c1", pd.Timestamp("2012-05-30"), "Since the killings of 2012-05-25 envoys have left."),
    ]
    docs = pd.DataFrame(rows, columns=["doc_id", "published", "text"]).assign(
        published=lambda d: pd.to_datetime(d["published"], utc=True)
    )
    kd = tl.key_dates(docs, ranker="mentions", n=10, tx=_iso_tx(docs)).set_index("date")
    assert kd.loc["2012-05-25", "score"] > kd.loc["2012-05-20", "score"]
    assert kd["score"].idxmax() == "2012-05-25"


def test_key_dates_topic_keywords_drop_off_topic_documents():
    rows = [
        (f"s{i}", pd.Timestamp("2011-04-23"), f"Syria forces fired on protesters in Syria on 2011-04-22 ({i}).")
        for i in range(2)
    ]
    rows += [
        (f"j{i}", pd.Timestamp("2011-03-16"), f"Japan's reactor leaked on 2011-03-15 , Japan said ({i}).")
        for i in range(5)
    ]
    docs = pd.DataFrame(rows, columns=["doc_id", "published", "text"]).assign(
        published=lambda d: pd.to_datetime(d["published"], utc=True)
    )
    tx = _iso_tx(docs)
    # off by default: busiest wins
    assert tl.key_dates(docs, ranker="mentions", n=1, tx=tx)["date"].tolist() == ["2011-03-15"]
    on_topic = tl.key_dates(docs, ranker="mentions", n=5, tx=tx, keywords=["syria"])
    assert on_topic["date"].tolist() == ["2011-04-22"]
    # too small to filter
    assert tl.key_dates(docs, ranker="mentions", n=5, tx=tx, keywords="auto")["date"].nunique() == 2


def test_key_dates_bad_keywords_get_a_clear_message():
    docs = _news_corpus()
    with pytest.raises(TypeError, match="keywords"):
        tl.key_dates(docs, ranker="mentions", n=2, tx=_iso_tx(docs), keywords=5)
    assert len(tl.key_dates(docs, ranker="mentions", n=2, tx=_iso_tx(docs), keywords=[])) == 2  # empty list: no filter


# --------------------------------------------------------------------------------------------- settings and errors


def test_settings_are_dataclass_fields_and_unknown_ones_are_refused():
    docs = _news_corpus()
    tx = _iso_tx(docs)
    with pytest.raises(TypeError, match="dateline_char"):
        tl.key_dates(docs, tx=tx, dateline_char=0)  # a typo is an error, not a silently ignored keyword
    with pytest.raises(TypeError, match="tolerance"):
        tl.conflicts(docs, tx=tx, tolerance=3)
    with pytest.raises(AttributeError):
        tl.ConflictParams().tolerance_years = 3  # frozen: settings are values
    story = pd.DataFrame({"doc_id": docs["doc_id"], "family_id": "story"})
    strict = tl.events(docs, story, tx, min_similarity=1.01)  # no two sentences are one event
    assert strict.equals(tl.events(docs, story, tx, params=tl.EventParams(min_similarity=1.01)))
    assert strict["event_id"].nunique() == len(strict) == 20
    assert tl.events(docs, story, tx)["event_id"].nunique() == 10  # e.g. the eight Homs reports are one event


def test_timexes_count_rule_errors_and_the_summary_says_so(monkeypatch):
    from helpers.timeline import RULE_ERRORS, tagger
    from helpers.timeline.rules import Rule, Trigger

    def explode(m, ctx):
        raise KeyError("no such word")

    broken = Rule("broken_rule", re.compile(r"\b2011\b"), Trigger.on_words({"<year4>"}, 0, 0), 9, explode)
    monkeypatch.setattr(tagger, "RULES", (broken, *tagger.RULES))
    docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["The war began in 2011.", "Talks in 2011 and 2012."]})
    RULE_ERRORS.reset()
    tx = tl.timexes(docs, "2024-12-06")
    assert tx.attrs["rule_errors"] == 2 and RULE_ERRORS.counts == {"broken_rule": 2}
    assert tx["text"].tolist() == ["2011", "2011", "2012"]  # the year rule still tags them
    assert "2 expressions were left out because a tagger rule raised an error" in tl.anchoring_summary(docs, tx)
    RULE_ERRORS.reset()


def test_tagger_and_timeline_agree_on_resolved():
    docs = _sample_docs()
    tx = tl.timexes(docs)
    for doc_id, text in zip(docs["doc_id"], docs["text"]):
        own = tl.tag(text)
        assert own["resolved"].tolist() == tx.loc[tx["doc_id"] == doc_id, "resolved"].tolist()


# ------------------------------------------------------------------------------- guarded vectorised steps


def _fragile(real, texts_of):
    """``real``, raising whenever one of its input texts holds the marker of the broken document."""

    def call(*args, **kwargs):
        if any("BOOM" in str(t) for t in texts_of(*args)):
            raise ValueError("cannot process this document")
        return real(*args, **kwargs)

    return call


def _docs_texts(docs, *_):
    return docs["text"]


def _texts(texts, *_):
    return texts


# (step name, the module whose name is patched, the name, how to read the call's texts, the step)
GUARDED_STEPS = [
    ("dated sentences", "events", "SentenceIndex", _docs_texts, lambda d, tx, dated, claims: {"tx": tx}),
    ("events", "events", "sentence_vectors", _texts, lambda d, tx, dated, claims: {"dated": dated}),
    ("key dates", "key_dates", "date_evidence", _docs_texts, lambda d, tx, dated, claims: {"dated": dated, "n": 3}),
    ("temporal claims", "conflicts", "SentenceIndex", _docs_texts, lambda d, tx, dated, claims: {"tx": tx}),
    ("conflicts", "conflicts", "sentence_vectors", _texts, lambda d, tx, dated, c: {"claims": c, "dated": dated}),
]
GUARDED_FUNCS = {
    "dated sentences": tl.dated_sentences,
    "events": tl.events,
    "key dates": tl.key_dates,
    "temporal claims": tl.temporal_claims,
    "conflicts": tl.conflicts,
}


@pytest.mark.parametrize("step, module, name, texts_of, arguments", GUARDED_STEPS, ids=[s[0] for s in GUARDED_STEPS])
def test_a_document_that_breaks_a_vectorised_step_is_listed_and_the_others_unchanged(
    monkeypatch, caplog, step, module, name, texts_of, arguments
):
    import sys

    clean = _sample_docs()
    broken = clean.iloc[[0]].assign(doc_id="bad", text=lambda d: d["text"].str.replace(". ", " BOOM. ", regex=False))
    docs = pd.concat([clean.iloc[:2], broken, clean.iloc[2:]], ignore_index=True)

    def inputs(d):
        tx = tl.timexes(d, "2024-12-06")
        return tx, tl.dated_sentences(d, tx), tl.temporal_claims(d, tx)

    expected = GUARDED_FUNCS[step](clean, **arguments(clean, *inputs(clean)))
    given = arguments(docs, *inputs(docs))  # made before the patch: only the step itself breaks
    target = sys.modules[f"helpers.timeline.{module}"]
    monkeypatch.setattr(target, name, _fragile(getattr(target, name), texts_of))
    with pytest.raises(ValueError):  # unguarded, the broken document fails the whole step
        GUARDED_FUNCS[step](docs, **given)
    calls = []
    counted = GUARDED_FUNCS[step]

    def count(*args, **kwargs):
        calls.append(1)
        return counted(*args, **kwargs)

    failures = []
    with caplog.at_level(logging.ERROR, logger="helpers"):
        got = tl.guarded(step, count, docs, failures, **given)
    assert failures == [(step, "bad", "ValueError: cannot process this document")]
    assert f"{step} failed on bad" in caplog.text
    assert len(got) and "bad" not in set(got.get("doc_id", got.get("doc_1", pd.Series(dtype=object))))
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True))
    assert len(calls) <= 2 + 2 * int(np.ceil(np.log2(len(docs))))  # halving, not one run per document
