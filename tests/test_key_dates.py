"""Tests of the learned key-date ranker: the shipped model, the features it reads, falling back to the mention
score, refitting on labelled collections (Timeline17 layout), and bad inputs."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from helpers import timeline as tl
from helpers._data import data_path
from helpers.timeline.ranking import (
    BURST_FEATURES,
    FEATURE_DESCRIPTIONS,
    MODEL_FEATURES,
    DateRanker,
    KeyDateParams,
    date_evidence,
    date_features,
    fit,
    load_ranker,
)
from helpers.timeline.ranking.features import burst


def _corpus() -> pd.DataFrame:
    """Dated reports: 2012-02-03 (shelling) is named by date in many later reports; 2012-02-09 is the busiest
    publication day, and a week of heavy coverage follows 2012-02-15, which few sentences name."""
    rows = []
    for i in range(6):
        pub = pd.Timestamp("2012-02-04") + pd.Timedelta(days=i)
        rows.append((f"r{i}", pub, f"Shelling of Homs began on February 3, 2012, activists said ({i})."))
    for i in range(5):
        rows.append((f"b{i}", pd.Timestamp("2012-02-09"), f"Markets were calm and traders waited ({i})."))
    for i in range(8):
        pub = pd.Timestamp("2012-02-15") + pd.Timedelta(days=i % 4)
        rows.append((f"w{i}", pub, f"The vote of February 15, 2012 drew crowds, officials said ({i})."))
    docs = pd.DataFrame(rows, columns=["doc_id", "published", "text"])
    return docs.assign(published=pd.to_datetime(docs["published"], utc=True), source="wire")


def test_shipped_ranker_loads_and_reads_documented_features():
    ranker = load_ranker()
    assert ranker.features == MODEL_FEATURES
    assert all(f in FEATURE_DESCRIPTIONS for f in ranker.features)
    raw = json.loads(data_path("timeline_key_dates_ranker.json").read_text())
    assert raw["format"] == "storytrace-key-date-ranker/1" and len(raw["coef"]) == len(MODEL_FEATURES)
    # more mentions and later reports of a day raise its score (the signs the literature and the fit agree on),
    # its own count and its burst against the fortnight around it moving together
    days = pd.Series(pd.date_range("2012-01-01", periods=31))
    base = pd.DataFrame({"day": days, **{f: np.ones(31) for f in ranker.features}})
    for name in BURST_FEATURES:
        raised = np.ones(31)
        raised[15] = 3.0
        table = base.assign(**{name: raised})
        for b in BURST_FEATURES:
            table[f"{b}_burst"] = burst(days, table[b].to_numpy(float), KeyDateParams().burst_days)
        before = base.assign(
            **{f"{b}_burst": burst(days, np.ones(31), KeyDateParams().burst_days) for b in BURST_FEATURES}
        )
        assert ranker.score(table)[15] > ranker.score(before)[15], name


def test_key_dates_use_the_learned_ranker_on_dated_corpora():
    docs = _corpus()
    kd = tl.key_dates(docs, n=3)
    evidence = date_evidence(docs, None, None, None, None, None, None, None, KeyDateParams())
    table = date_features(docs, evidence)
    scores = load_ranker().score(table)
    expected = table.assign(s=scores).sort_values(["s", "date"], ascending=[False, True])["date"].head(3)
    assert kd["date"].tolist() == sorted(expected)  # key_dates is the shipped ranker's top 3, in date order
    assert kd.set_index("date")["score"].round(3).to_dict() == {
        d: round(s, 3) for d, s in zip(table["date"], scores) if d in set(kd["date"])
    }
    assert "2012-02-03" in set(kd["date"]) and "2012-02-15" in set(kd["date"])
    mentions = tl.key_dates(docs, n=3, ranker="mentions")
    assert set(mentions["date"]) <= set(evidence["date"])  # the mention score only ranks mentioned days


def test_a_chosen_day_nobody_mentions_is_summarised_by_its_articles():
    docs = _corpus()
    kd = tl.key_dates(docs, n=len(date_features(docs, None)) + 10).set_index("date")
    assert kd.loc["2012-02-09", "n_mentions"] == 0  # only published on, never mentioned
    assert kd.loc["2012-02-09", "sentence_1"].startswith("Markets were calm")
    assert kd.loc["2012-02-09", "doc_1"].startswith("b")


def test_a_ranker_scores_with_the_burst_window_it_was_fitted_with(tmp_path):
    docs = _corpus()
    evidence = date_evidence(docs, None, None, None, None, None, None, None, KeyDateParams())
    narrow = date_features(docs, evidence, params=KeyDateParams(burst_days=3))
    wide = date_features(docs, evidence, params=KeyDateParams(burst_days=31))
    assert not np.allclose(narrow["mentions_burst"], wide["mentions_burst"])  # the window matters here
    ranker = DateRanker(("mentions_burst",), np.zeros(1), np.ones(1), np.ones(1), {"burst_days": 3})
    path = ranker.write(tmp_path / "narrow.json")
    expected = narrow.sort_values(["mentions_burst", "date"], ascending=[False, True])["date"].head(3)
    kd = tl.key_dates(docs, n=3, ranker_file=str(path), burst_days=31)  # the file's window wins
    assert kd["date"].tolist() == sorted(expected)


def test_without_publication_dates_the_mention_score_is_used():
    docs = _corpus().drop(columns="published")
    learned = tl.key_dates(docs, n=5)
    mentions = tl.key_dates(docs, n=5, ranker="mentions")
    pd.testing.assert_frame_equal(learned, mentions)


def test_ranker_settings_are_checked(tmp_path):
    docs = _corpus()
    with pytest.raises(ValueError, match="unknown ranker 'best'"):
        tl.key_dates(docs, ranker="best")
    bad = tmp_path / "ranker.json"
    bad.write_text(json.dumps({"format": "storytrace-key-date-ranker/1", "features": ["mentions"], "coef": [1]}))
    with pytest.raises(ValueError, match=str(bad)):
        tl.key_dates(docs, ranker_file=str(bad))
    bad.write_text("{not json")
    with pytest.raises(ValueError, match="cannot be read"):
        tl.key_dates(docs, ranker_file=str(bad))
    with pytest.raises(ValueError, match="unknown or no features"):
        DateRanker.from_dict({"format": "storytrace-key-date-ranker/1", "features": ["mood"], "coef": [1.0]})


def test_features_are_scaled_to_the_collection():
    docs = _corpus()
    table = date_features(docs, date_evidence(docs, None, None, None, None, None, None, None, KeyDateParams()))
    doubled = pd.concat([docs, docs.assign(doc_id=docs["doc_id"] + "x")], ignore_index=True)
    table2 = date_features(doubled, date_evidence(doubled, None, None, None, None, None, None, None, KeyDateParams()))
    # twice the same articles: the publication volume (relative to the mean day) does not change, and a sentence
    # repeated on one publication day (a syndicated copy) is one mention
    pd.testing.assert_series_equal(table["published_week"], table2["published_week"])
    pd.testing.assert_series_equal(table["mentions"], table2["mentions"])


def _listing_corpus() -> pd.DataFrame:
    """One programme listing published 2012-03-05 names "today" in twenty sentences; 2012-03-01 is named by
    eight reports published after it, once each."""
    listing = " ".join(f"Programme {i} airs today at noon on channel {i}." for i in range(20))
    rows = [("listing", pd.Timestamp("2012-03-05"), listing)]
    for i in range(8):
        pub = pd.Timestamp("2012-03-02") + pd.Timedelta(days=i)
        rows.append((f"r{i}", pub, f"The dam failed on March 1, 2012, engineers said ({i})."))
    docs = pd.DataFrame(rows, columns=["doc_id", "published", "text"])
    return docs.assign(published=pd.to_datetime(docs["published"], utc=True), source="wire")


def _mentions(docs, cap):
    params = KeyDateParams(mentions_per_document=cap)
    table = date_features(docs, date_evidence(docs, None, None, None, None, None, None, None, params), params=params)
    return table.set_index("date")["mentions"]


def test_one_document_mentions_a_day_at_most_the_cap():
    docs = _listing_corpus()
    uncapped, capped = _mentions(docs, None), _mentions(docs, 5.0)
    assert uncapped["2012-03-05"] == pytest.approx(np.log1p(20))  # twenty sentences of one listing
    assert capped["2012-03-05"] == pytest.approx(np.log1p(5))  # one witness, counted at most five times
    assert capped["2012-03-01"] == uncapped["2012-03-01"] == pytest.approx(np.log1p(8))  # eight witnesses
    # the unsupervised score counts every mention (the cap is the learned ranker's)
    mentions = tl.key_dates(docs, n=2, ranker="mentions", mentions_per_document=5.0).set_index("date")
    assert mentions.loc["2012-03-05", "score"] == pytest.approx(np.log1p(20), abs=1e-3)


def test_a_ranker_scores_with_the_cap_it_was_fitted_with(tmp_path):
    docs = _listing_corpus()
    by_mentions = DateRanker(("mentions",), np.zeros(1), np.ones(1), np.ones(1), {"mentions_per_document": 5.0})
    capped = by_mentions.write(tmp_path / "capped.json")
    uncapped = DateRanker(("mentions",), np.zeros(1), np.ones(1), np.ones(1), {}).write(tmp_path / "old.json")
    # a file without a recorded cap was fitted before the cap: its mentions are not capped, whatever is asked
    assert tl.key_dates(docs, n=1, ranker_file=str(uncapped), mentions_per_document=5.0)["date"].tolist() == [
        "2012-03-05"
    ]
    assert tl.key_dates(docs, n=1, ranker_file=str(capped), mentions_per_document=None)["date"].tolist() == [
        "2012-03-01"
    ]


def test_days_before_the_collection_are_marked():
    docs = _corpus()  # first publication day 2012-02-04; 2012-02-03 is named by later reports
    table = date_features(docs, date_evidence(docs, None, None, None, None, None, None, None, KeyDateParams()))
    flag = table.set_index("date")["before_collection"]
    assert flag["2012-02-03"] == 1.0
    assert (flag.drop("2012-02-03") == 0.0).all()
    undated = date_features(docs.drop(columns="published"), None)
    assert (undated["before_collection"] == 0.0).all()


# ------------------------------------------------------------------------------------------ refitting
def _write_collection(root, name, days, gold_days):
    """A Timeline17-layout collection: one article per (day, text), a timeline listing ``gold_days``."""
    for i, (day, text) in enumerate(days):
        folder = root / name / "InputDocs" / day
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    (root / name / "timelines").mkdir(parents=True, exist_ok=True)
    lines = []
    for d in gold_days:
        lines += [d, f"Something happened on {d} .", "-" * 32]
    (root / name / "timelines" / "tl.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _labelled(root):
    for k, topic in enumerate(("storm_bbc", "storm_cnn", "vote_bbc")):
        base = pd.Timestamp("2013-05-01") + pd.Timedelta(days=40 * k)
        key, busy = base + pd.Timedelta(days=2), base + pd.Timedelta(days=9)
        days = [
            ((key + pd.Timedelta(days=j)).strftime("%Y-%m-%d"), f"It struck on {key:%B %-d, %Y}, officials said.")
            for j in range(1, 8)
        ]
        days += [(busy.strftime("%Y-%m-%d"), f"Nothing much happened ({j}).") for j in range(6)]
        _write_collection(root, topic, days, [key.strftime("%Y-%m-%d")])


def test_refit_on_labelled_collections_is_deterministic_and_round_trips(tmp_path):
    _labelled(tmp_path)
    docs, gold = fit.load_collections(tmp_path)
    assert sorted(docs["collection"].unique()) == ["storm_bbc", "storm_cnn", "vote_bbc"]
    assert set(docs["subject"]) == {"storm", "vote"} and len(gold) == 3
    assert gold["summary"].str.startswith("Something happened on").all()
    rows = fit.candidate_rows(docs, gold)
    assert rows.groupby("collection")["label"].sum().tolist() == [1, 1, 1]
    ranker = fit.fit_ranker(rows)
    again = fit.fit_ranker(rows)
    np.testing.assert_array_equal(ranker.coef, again.coef)
    path = ranker.write(tmp_path / "mine.json")
    loaded = load_ranker(path)
    np.testing.assert_allclose(loaded.score(rows), ranker.score(rows), rtol=1e-6)
    # with each topic held out, the gold day of the held-out collection still ranks first
    scores = fit.held_out_scores(rows, "topic")
    top = rows.assign(s=scores).sort_values("s", ascending=False).groupby("collection").head(1)
    assert top["label"].tolist() == [1, 1, 1]
    kd = tl.key_dates(docs.loc[docs["collection"] == "vote_bbc"], n=1, ranker_file=str(path))
    assert kd["date"].tolist() == gold.loc[gold["collection"] == "vote_bbc", "date"].tolist()


def test_fitting_without_any_gold_day_says_so(tmp_path):
    _labelled(tmp_path)
    docs, gold = fit.load_collections(tmp_path)
    rows = fit.candidate_rows(docs, gold.assign(date="1999-01-01"))
    with pytest.raises(ValueError, match="no labelled day"):
        fit.fit_ranker(rows)
