"""Key dates on 13 Timeline17 topics: date F1 of the learned ranker (with each topic, and each subject, held out)
against journalists' timelines, beside the busiest-day and mention-count baselines and the unsupervised mention
score; ROUGE-1/2 of the key dates' sentences against the timelines' sentences.

Data (development sets): the 12 topics of ``shared/benchmarks/timeline17`` (financial crisis, H1N1 x3, Iraq war,
Michael Jackson, BP oil spill x5, Haiti earthquake) and Syria (``shared/corpora/t17-syria``: its BBC and Reuters
collections are one topic, four timelines). ``InputDocs/<publication date>/*.txt``, ``timelines/*.txt``.

Protocol: for each gold timeline, as many days as it lists are selected from its own collection, and date F1
computed (precision = recall when the lengths match). Two settings:
- ``own collection``: every day of the collection's span is a candidate (what ``key_dates`` does on a corpus);
- ``gold span``: articles and days restricted to the timeline's first..last date, the protocol of the published
  numbers (news-tls; DATEWISE, Ghalandari & Ifrim 2020: 0.544 date F1 averaged over Timeline17): it uses gold
  information and is reported to compare with the literature.
Averages: per timeline, and per topic (Syria's four timelines averaged first), the latter the issue's measure.

Methods: busiest publication days; a plain count of day mentions; the unsupervised mention score
(``key_dates(ranker="mentions")``: log(1 + mentions) + log(1 + later reports)); the learned ranker fitted without
the topic (or the subject: the 5 BP oil spill collections, the 3 H1N1 ones) being scored, on the shipped
features and on every feature tried (``ranking.features.FEATURE_DESCRIPTIONS``: spread, sources, position,
topicality ...); the burst window chosen inside each fold among ``BURST_WINDOWS`` (nested: the honest
estimate, since the shipped window was chosen by these held-out runs; "four counts", no burst feature, is one
of the options; the issue-16 nested choice among ``fit.FEATURE_SETS`` is not rerun: it costs 20 x 6 x 12 fits,
its last result is in the README); the issue-16 first-round ranker (four counts, no burst)
held out the same ways; the second-round ranker (mentions not capped per document, no ``before_collection``:
the "before" of this run) held out the same ways, and the third round's two changes (the per-document cap of
mentions, ``KeyDateParams.mentions_per_document``, and the ``before_collection`` feature) chosen inside each
fold among the four combinations (nested: the honest estimate of having chosen them on these data); the
held-out ranker with a temporal diversity constraint
(each pick lowers its neighbouring days' standardised score by a penalty chosen inside each fold among
``DIVERSITY``, 0 allowed); and the shipped ranker in-sample (fitted on all 13 topics: not a held-out
number). The ranker is always fitted on own-collection days. Human agreement: each Syria Reuters timeline
scored against the others.

Summaries (own collection, days chosen by the ranker with the topic held out): for each chosen day its
representative sentences (``key_dates``: central, non-repeating, mentioning the day), against the timeline's
sentences with ROUGE-1/2 F1 (``rouge-score``, stemmed) two ways as news-tls reports them: ``concat`` (all
summaries of the timeline against all gold ones) and ``agreement`` (n-grams count only between summaries of the
same day). Beside it, the lead baseline: the first sentence of each article published that day.

Diagnosis (own collection, topic held out, shipped and issue-16 features): per timeline, how many gold days
are not candidates, chosen, ranked just below the cut (n..2n) or far below, and how many wrong picks lie next to
a gold day or to another pick (clusters of adjacent days).

Run: ``python benchmarks/t17_key_dates.py`` (writes ``benchmarks/results/t17_key_dates.json``; ~16 min on 2 busy cores:
tagging 3,581 articles, then 20 x 7 x 12 fits for the nested choices of burst window and diversity penalty).
"""

from __future__ import annotations

import json
import platform
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
T17 = SHARED / "benchmarks" / "timeline17"
SYRIA = SHARED / "corpora" / "t17-syria"
RESULTS = REPO / "benchmarks" / "results" / "t17_key_dates.json"
DATEWISE = 0.544


def date_prf(selected, gold) -> tuple[float, float, float]:
    s, g = set(selected), set(gold)
    if not s or not g:
        return 0.0, 0.0, 0.0
    tp = len(s & g)
    p, r = tp / len(s), tp / len(g)
    return p, r, (2 * p * r / (p + r) if tp else 0.0)


def top_days(table: pd.DataFrame, score: str, n: int) -> list[str]:
    return table.sort_values([score, "date"], ascending=[False, True])["date"].head(n).tolist()


def busiest_publication_days(docs: pd.DataFrame, n: int) -> list[str]:
    counts = docs["published"].dt.strftime("%Y-%m-%d").value_counts().rename_axis("date").reset_index(name="count")
    return counts.sort_values(["count", "date"], ascending=[False, True])["date"].head(n).tolist()


def mention_count(dated: pd.DataFrame, n: int) -> list[str]:
    """Days most often mentioned (every day-resolved mention counts once)."""
    counts = dated["date"].value_counts().rename_axis("date").reset_index(name="count")
    return counts.sort_values(["count", "date"], ascending=[False, True])["date"].head(n).tolist()


# ------------------------------------------------------------------------------------------ tried variants
BURST_WINDOWS = (3, 5, 7, 15, 31)  # the burst windows compared inside each fold (the shipped one: 15)
DIVERSITY = (0.0, 0.2, 0.5, 1.0)  # adjacent-day penalties compared inside each fold (0: plain top days)
UNCAPPED_COLUMNS = ("mentions", "mentions_burst", "mentions_score")  # what the per-document cap changes


def with_uncapped(table: pd.DataFrame, uncapped: pd.DataFrame) -> pd.DataFrame:
    """``table`` with the columns the per-document cap changes, computed without it, as ``<name>_uncapped``
    (``uncapped``: the same candidate days computed with ``mentions_per_document=None``)."""
    if not (table["date"].to_numpy() == uncapped["date"].to_numpy()).all():
        raise ValueError("the capped and uncapped tables list different candidate days")
    return table.assign(**{f"{c}_uncapped": uncapped[c].to_numpy() for c in UNCAPPED_COLUMNS})


def as_uncapped(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` read as the second round read it: mentions not capped per document."""
    return table.assign(**{c: table[f"{c}_uncapped"] for c in UNCAPPED_COLUMNS})


def round_three_options() -> dict[str, tuple[bool, tuple[str, ...]]]:
    """The four combinations of the third round's changes: (mentions capped per document, features)."""
    from helpers.timeline.ranking import MODEL_FEATURES

    round_two = tuple(f for f in MODEL_FEATURES if f != "before_collection")
    return {
        "round 2": (False, round_two),
        "cap": (True, round_two),
        "before_collection": (False, MODEL_FEATURES),
        "cap + before_collection": (True, MODEL_FEATURES),
    }


def with_burst_windows(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with the burst features at every window of :data:`BURST_WINDOWS` (``mentions_burst_7`` ...),
    computed per collection as ``date_features`` does."""
    from helpers.timeline.ranking import BURST_FEATURES
    from helpers.timeline.ranking.features import burst

    table = table.copy()
    groups = table.groupby("collection").indices if "collection" in table.columns else {None: range(len(table))}
    for w in BURST_WINDOWS:
        for name in BURST_FEATURES:
            values = pd.Series(0.0, index=table.index)
            for index in groups.values():
                part = table.iloc[list(index)]
                values.iloc[list(index)] = burst(part["day"], part[name].to_numpy(float), w)
            table[f"{name}_burst_{w}"] = values
    return table


def window_sets() -> dict[str, tuple[str, ...]]:
    from helpers.timeline.ranking import BURST_FEATURES, fit

    sets = {"four counts": fit.FOUR_COUNTS}
    for w in BURST_WINDOWS:
        sets[f"burst window {w}"] = (*fit.FOUR_COUNTS, *(f"{b}_burst_{w}" for b in BURST_FEATURES))
    return sets


def diverse_top_days(table: pd.DataFrame, scores, n: int, penalty: float) -> list[str]:
    """Greedy top ``n`` days: each pick lowers the (standardised) score of the days next to it by ``penalty``
    (a temporal diversity constraint against clusters of adjacent days; 0: plain top days)."""
    import numpy as np

    scores = np.asarray(scores, dtype=float)
    order = np.lexsort((table["date"].to_numpy(), -scores))
    if penalty <= 0 or len(scores) < 2:
        return table["date"].to_numpy()[order[:n]].tolist()
    z = (scores - scores.mean()) / (scores.std() + 1e-12)
    day = pd.to_datetime(table["day"]).to_numpy().astype("datetime64[D]").astype(np.int64)
    free, near, picked = np.ones(len(z), dtype=bool), np.zeros(len(z)), []
    rank = np.empty(len(z))
    rank[order] = np.arange(len(z))  # ties go to the earlier date, as top_days does
    for _ in range(min(n, len(z))):
        value = np.where(free, z - penalty * near, -np.inf)
        best = np.flatnonzero(value == value.max())
        i = int(best[np.argmin(rank[best])])
        picked.append(i)
        free[i] = False
        near += np.abs(day - day[i]) == 1
    return table["date"].to_numpy()[picked].tolist()


def diversity_f1(rows: pd.DataFrame, gold: pd.DataFrame, scores, penalty: float) -> float:
    """Mean date F1 over the timelines of ``rows``' collections, days picked by :func:`diverse_top_days`."""
    out = []
    for (collection, _), g in gold.loc[gold["collection"].isin(set(rows["collection"]))].groupby(
        ["collection", "timeline"]
    ):
        members = (rows["collection"] == collection).to_numpy()
        dates = set(g["date"])
        out.append(date_prf(diverse_top_days(rows.loc[members], scores[members], len(dates), penalty), dates)[2])
    return sum(out) / len(out) if out else 0.0


def diagnosis(table: pd.DataFrame, scores, dates: list[str]) -> dict:
    """Where the gold days of one timeline are: not candidates, chosen, ranked just below (within 2n) or far;
    and how many wrong picks lie next to a gold day or next to another pick (clusters of adjacent days)."""
    n, gold = len(dates), set(dates)
    ranked = table.assign(_s=scores).sort_values(["_s", "date"], ascending=[False, True])["date"].tolist()
    position = {d: i for i, d in enumerate(ranked)}
    chosen = set(ranked[:n])
    wrong = pd.to_datetime(sorted(chosen - gold))
    gold_days, chosen_days = set(pd.to_datetime(sorted(gold))), set(pd.to_datetime(sorted(chosen)))
    one = pd.Timedelta(days=1)
    missed_ranks = pd.Series([position[d] for d in gold - chosen if d in position], dtype=float)
    return {
        "n_gold": n,
        "candidates": len(ranked),
        "not_candidates": sum(d not in position for d in gold),
        "chosen": len(chosen & gold),
        "ranked_n_to_2n": sum(n <= position.get(d, -1) < 2 * n for d in gold),
        "ranked_beyond_2n": sum(position.get(d, -1) >= 2 * n for d in gold),
        "median_rank_missed": missed_ranks.median() if len(missed_ranks) else None,
        "wrong_next_to_gold": int(sum(d - one in gold_days or d + one in gold_days for d in wrong)),
        "wrong_next_to_pick": int(sum(d - one in chosen_days or d + one in chosen_days for d in wrong)),
        "gold_adjacent_pairs": int(sum(d + one in gold_days for d in gold_days)),
    }


# ------------------------------------------------------------------------------------------ ROUGE
def _ngrams(tokens: list[str], k: int) -> Counter:
    return Counter(tuple(tokens[i : i + k]) for i in range(len(tokens) - k + 1))


def rouge(system: dict[str, str], gold: dict[str, str], tokenize) -> dict[str, float]:
    """ROUGE-1/2 F1 of day summaries: ``concat`` (all against all) and ``agreement`` (same day only)."""
    out = {}
    for k in (1, 2):
        sys_grams = {d: _ngrams(tokenize(t), k) for d, t in system.items()}
        gold_grams = {d: _ngrams(tokenize(t), k) for d, t in gold.items()}
        n_sys = sum(sum(c.values()) for c in sys_grams.values())
        n_gold = sum(sum(c.values()) for c in gold_grams.values())
        concat_hits = sum((sum(sys_grams.values(), Counter()) & sum(gold_grams.values(), Counter())).values())
        same_day = sum(sum((sys_grams[d] & gold_grams[d]).values()) for d in sys_grams if d in gold_grams)
        for name, hits in (("concat", concat_hits), ("agreement", same_day)):
            p, r = (hits / n_sys if n_sys else 0.0), (hits / n_gold if n_gold else 0.0)
            out[f"{name}_rouge{k}"] = round(2 * p * r / (p + r), 4) if hits else 0.0
    return out


def lead_summaries(docs: pd.DataFrame, days: list[str]) -> dict[str, str]:
    """The first sentence of each article published on each day."""
    from helpers.text import sentence_spans

    pub = docs["published"].dt.strftime("%Y-%m-%d")
    out = {}
    for day in days:
        firsts = []
        for text in docs.loc[pub == day, "text"]:
            spans = sentence_spans(text) if isinstance(text, str) else []
            if spans:
                firsts.append(text[spans[0][0] : spans[0][1]].strip())
        out[day] = " ".join(firsts)
    return out


# ------------------------------------------------------------------------------------------ runs
def load_all():
    from helpers.timeline.ranking import fit

    a_docs, a_gold = fit.load_collections(T17)
    b_docs, b_gold = fit.load_collections(SYRIA, topic="SyrianCrisis")
    return pd.concat([a_docs, b_docs], ignore_index=True), pd.concat([a_gold, b_gold], ignore_index=True)


def setting_tables(docs, dated, gold, setting: str) -> dict[tuple[str, str], tuple[pd.DataFrame, pd.DataFrame]]:
    """(candidate features, the collection's documents in the setting) per (collection, timeline); the
    features carry the second round's uncapped mentions beside them (:func:`with_uncapped`)."""
    from helpers.timeline.ranking import KeyDateParams, fit

    no_cap = KeyDateParams(mentions_per_document=None)

    out, cache = {}, {}
    for (collection, timeline), g in gold.groupby(["collection", "timeline"]):
        dates = sorted(set(g["date"]))
        members = docs.loc[docs["collection"] == collection]
        span = (dates[0], dates[-1]) if setting == "gold span" else (None, None)
        if span[0]:
            pub = members["published"].dt.strftime("%Y-%m-%d")
            members = members.loc[(pub >= span[0]) & (pub <= span[1])]
        key = (collection, span)
        if key not in cache:
            d = dated.loc[dated["doc_id"].isin(set(members["doc_id"]))]
            table = fit.collection_features(members, d, span[0], span[1], text=True)
            uncapped = fit.collection_features(members, d, span[0], span[1], params=no_cap, text=True)
            cache[key] = with_burst_windows(with_uncapped(table, uncapped))
        out[(collection, timeline)] = (cache[key], members)
    return out


def main() -> int:
    if not T17.exists() or not SYRIA.exists():
        print(f"SKIP: Timeline17 data not found at {T17} and {SYRIA} (the shared development folder).")
        return 0
    sys.path.insert(0, str(REPO / "src"))  # harmless when helpers is installed (editable)
    from rouge_score import tokenizers

    from helpers import timeline as tl
    from helpers.timeline.key_dates import _representatives
    from helpers.timeline.ranking import KeyDateParams, date_evidence, fit, load_ranker

    docs, gold = load_all()
    topic_of = dict(zip(docs["collection"], docs["topic"]))
    subject_of = dict(zip(docs["collection"], docs["subject"]))
    print(f"{len(docs)} articles, {docs['collection'].nunique()} collections, {docs['topic'].nunique()} topics")
    t0 = time.perf_counter()
    tx = tl.timexes(docs)
    dated = tl.dated_sentences(docs, tx, granularities=("day",))
    t_tag = time.perf_counter() - t0
    print(f"tagged and dated in {t_tag:.0f} s ({len(tx)} expressions, {len(dated)} day-dated sentences)")

    # rankers fitted on own-collection days, one per held-out topic and subject
    t0 = time.perf_counter()
    train = fit.candidate_rows(docs, gold, dated=dated, text=True)
    no_cap = KeyDateParams(mentions_per_document=None)
    uncapped = fit.candidate_rows(docs, gold, dated=dated, text=True, params=no_cap)
    train = with_burst_windows(with_uncapped(train, uncapped))
    held, nested, windows, round3 = {}, {}, window_sets(), round_three_options()
    variant = {True: train, False: as_uncapped(train)}
    for group in ("topic", "subject"):
        for name in sorted(train[group].unique()):
            rest = train.loc[train[group] != name]
            held[(group, name)] = fit.fit_ranker(rest)
            held[(f"{group}, four counts", name)] = fit.fit_ranker(rest, fit.FOUR_COUNTS)
            _, features = round3["round 2"]
            rest_u = variant[False].loc[train[group] != name]
            held[(f"{group}, round 2", name)] = fit.fit_ranker(rest_u, features, mentions_per_document=None)
            # the third round's changes chosen inside the fold (the other groups' held-out F1)
            f1 = {}
            for k, (capped, features) in round3.items():
                inner_k = variant[capped].loc[train[group] != name].reset_index(drop=True)
                f1[k] = fit.collection_f1(inner_k, fit.held_out_scores(inner_k, group, features=features))
            best = max(round3, key=f1.__getitem__)  # ties: the first listed
            capped, features = round3[best]
            held[(f"{group}, round 3 nested", name)] = (
                capped,
                fit.fit_ranker(
                    variant[capped].loc[train[group] != name],
                    features,
                    mentions_per_document=KeyDateParams.mentions_per_document if capped else None,
                ),
            )
            nested[f"round-3 changes, {group} held out: {name}"] = best
            if group == "topic":
                held[("topic, all features tried", name)] = fit.fit_ranker(rest, fit.FEATURE_SETS["all"])
            inner = rest.reset_index(drop=True)
            for kind, options in (("burst window", windows),):
                f1 = {
                    k: fit.collection_f1(inner, fit.held_out_scores(inner, group, features=f))
                    for k, f in options.items()
                }
                best = max(options, key=f1.__getitem__)  # ties: the first listed
                held[(f"{group}, {kind} nested", name)] = fit.fit_ranker(rest, options[best])
                nested[f"{kind}, {group} held out: {name}"] = best
            # temporal diversity: the adjacent-day penalty chosen on the other groups' held-out scores
            inner_scores = fit.held_out_scores(inner, group)
            f1 = {p: diversity_f1(inner, gold, inner_scores, p) for p in DIVERSITY}
            nested[f"diversity penalty, {group} held out: {name}"] = max(DIVERSITY, key=f1.__getitem__)
    shipped = load_ranker()
    t_fit = time.perf_counter() - t0

    rows, summaries, diagnoses = [], [], []
    tokenize = tokenizers.DefaultTokenizer(use_stemmer=True).tokenize
    params = KeyDateParams()
    for setting in ("own collection", "gold span"):
        tables = setting_tables(docs, dated, gold, setting)
        for (collection, timeline), (table, members) in tables.items():
            g = gold.loc[(gold["collection"] == collection) & (gold["timeline"] == timeline)]
            dates = sorted(set(g["date"]))
            n = len(dates)
            d = dated.loc[dated["doc_id"].isin(set(members["doc_id"]))]
            if setting == "gold span":
                d = d.loc[(d["date"] >= dates[0]) & (d["date"] <= dates[-1])]
            topic, subject = topic_of[collection], subject_of[collection]
            selections = {
                "busiest publication days": busiest_publication_days(members, n),
                "mention count": mention_count(d, n),
                "mention score (unsupervised)": top_days(table, "mentions_score", n),
            }
            for label, key in (
                ("learned, topic held out", ("topic", topic)),
                ("learned, subject held out", ("subject", subject)),
                ("issue-16 four counts, topic held out", ("topic, four counts", topic)),
                ("issue-16 four counts, subject held out", ("subject, four counts", subject)),
                ("round-2 ranker (before), topic held out", ("topic, round 2", topic)),
                ("round-2 ranker (before), subject held out", ("subject, round 2", subject)),
                ("learned, all features tried, topic held out", ("topic, all features tried", topic)),
                ("learned, burst window chosen in fold, topic held out", ("topic, burst window nested", topic)),
                ("learned, burst window chosen in fold, subject held out", ("subject, burst window nested", subject)),
            ):
                read = as_uncapped(table) if "round 2" in key[0] else table
                selections[label] = top_days(table.assign(_s=held[key].score(read)), "_s", n)
            for group, name in (("topic", topic), ("subject", subject)):
                capped, ranker = held[(f"{group}, round 3 nested", name)]
                read = table if capped else as_uncapped(table)
                label = f"learned, round-3 changes chosen in fold, {group} held out"
                selections[label] = top_days(table.assign(_s=ranker.score(read)), "_s", n)
            for group, name in (("topic", topic), ("subject", subject)):
                penalty = nested[f"diversity penalty, {group} held out: {name}"]
                chosen = diverse_top_days(table, held[(group, name)].score(table), n, penalty)
                selections[f"learned + diversity penalty chosen in fold, {group} held out"] = chosen
            selections["learned, shipped (in-sample)"] = top_days(table.assign(_s=shipped.score(table)), "_s", n)
            if setting == "own collection":
                for label, key in (
                    ("shipped", ("topic", topic)),
                    ("issue-16 four counts", ("topic, four counts", topic)),
                ):
                    entry = {"ranker": label, "timeline": f"{collection}/{timeline}", "topic": topic}
                    diagnoses.append(entry | diagnosis(table, held[key].score(table), dates))
            for method, chosen in selections.items():
                p, r, f = date_prf(chosen, dates)
                rows.append(
                    {
                        "setting": setting,
                        "topic": topic,
                        "subject": subject,
                        "timeline": f"{collection}/{timeline}",
                        "n_gold": n,
                        "method": method,
                        "ceiling": round(len(set(dates) & set(table["date"])) / n, 3),
                        "f1": round(f, 4),
                    }
                )
            if setting == "own collection":  # summaries of the days the held-out rankers chose
                ev = date_evidence(members, d, None, None, None, None, None, None, params)
                truth = g.groupby("date")["summary"].agg(" ".join).to_dict()
                systems = []
                for label, ranker in (
                    ("", "learned, topic held out"),
                    (", issue-16 days", "issue-16 four counts, topic held out"),
                ):
                    chosen = selections[ranker]
                    reps = _representatives(pd.DataFrame({"date": chosen}), ev, members, 2, params)
                    ours = {r.date: f"{r.sentence_1} {r.sentence_2}".strip() for r in reps.itertuples()}
                    systems.append((f"key_dates sentences{label}", ours))
                    systems.append((f"lead sentence of the day's articles{label}", lead_summaries(members, chosen)))
                for method, system in systems:
                    summaries.append({"timeline": f"{collection}/{timeline}", "topic": topic, "method": method})
                    summaries[-1].update(rouge(system, truth, tokenize))

    res = pd.DataFrame(rows)
    agreement = []
    syria = gold.loc[gold["collection"] == "SyrianCrisis_reuters"].groupby("timeline")["date"].agg(set)
    for a in syria.index:
        for b in syria.index:
            if a < b:
                agreement.append({"pair": f"{a} vs {b}", "f1": round(date_prf(syria[a], syria[b])[2], 3)})

    per_topic = res.groupby(["setting", "method", "topic"], sort=False)["f1"].mean().reset_index()
    by_timeline = res.groupby(["setting", "method"], sort=False)["f1"].mean().unstack("setting")
    by_topic = per_topic.groupby(["setting", "method"], sort=False)["f1"].mean().unstack("setting")
    syria_f1 = per_topic.loc[per_topic["topic"] == "SyrianCrisis"].set_index(["setting", "method"])["f1"]
    pd.set_option("display.width", 200)
    for setting in ("own collection", "gold span"):
        wide = per_topic.loc[per_topic["setting"] == setting].pivot(index="topic", columns="method", values="f1")
        print(f"\nDate F1 per topic, {setting} (Syria: mean of its 4 timelines)")
        print(wide.round(3).to_string())
    print("\nMean date F1 per timeline")
    print(by_timeline.round(3).to_string())
    print("\nMean date F1 per topic (the issue's measure)")
    print(by_topic.round(3).to_string())
    summary_table = pd.DataFrame(summaries)
    rouge_means = summary_table.groupby("method").mean(numeric_only=True)
    print("\nROUGE F1 of the chosen days' summaries against the timelines' sentences (mean over timelines)")
    print(rouge_means.round(4).to_string())
    diag = pd.DataFrame(diagnoses)
    print("\nWhere the gold days are (own collection, topic held out; ranks from 0)")
    print(diag.to_string())
    print(f"\nHuman agreement (Syria Reuters timelines against each other): {[a['f1'] for a in agreement]}")
    print(f"Reference: DATEWISE {DATEWISE} (gold span, Timeline17 average). Goals: unseen >= 0.65, Syria >= 0.4.")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    out = {
        "benchmark": "t17_key_dates",
        "data": ["shared/benchmarks/timeline17", "shared/corpora/t17-syria"],
        "articles": int(len(docs)),
        "topics": int(docs["topic"].nunique()),
        "timelines": int(gold.groupby(["collection", "timeline"]).ngroups),
        "metric": "date F1, as many days selected as the gold timeline lists",
        "mean_f1_per_topic": {s: {m: round(float(v), 4) for m, v in by_topic[s].items()} for s in by_topic.columns},
        "mean_f1_per_timeline": {
            s: {m: round(float(v), 4) for m, v in by_timeline[s].items()} for s in by_timeline.columns
        },
        "syria_f1": {f"{s} / {m}": round(float(v), 4) for (s, m), v in syria_f1.items()},
        "per_timeline": rows,
        "rouge_mean": {m: {k: round(float(v), 4) for k, v in r.items()} for m, r in rouge_means.iterrows()},
        "rouge_per_timeline": summaries,
        "human_agreement_syria_reuters": agreement,
        "chosen_in_fold": nested,
        "diagnosis_own_collection": diagnoses,
        "shipped_ranker": {"features": list(shipped.features), "coef": [round(float(c), 4) for c in shipped.coef]},
        "references": {"datewise_timeline17_avg_gold_span": DATEWISE, "goal_unseen_topics": 0.65, "goal_syria": 0.40},
        "tagging_seconds": round(t_tag, 1),
        "fitting_seconds": round(t_fit, 1),
        "python": platform.python_version(),
    }
    RESULTS.write_text(json.dumps(out, indent=1, default=str) + "\n")
    print(f"\nwrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
