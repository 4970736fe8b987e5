"""Lineage and relations on the development rewrites: which member is the original, who derives from whom, and
what each relation is. Side by side with the code before issue 12 (commit ``525a31a``) in the same run.

Measures (development numbers; the project is judged on other rewrite sets of the same kind):

- **origin accuracy**: among stories whose original and versions all share one family, the share whose lineage
  root inside the corpus (members whose parent is empty or external) is the original and nothing else;
  - with *oracle families* (the gold story groups of ``rewrites/l2r_news.jsonl``: lineage apart from clustering),
    with each **generator held out**: for every generator G and each half of the stories, the origin model is
    fitted on the other half's families without G's versions, with machine style from a style model that saw
    neither G nor the rewrites' domain (``NewsArticle``), and tested on this half's full families (so G's version
    is new to both models);
  - on the families ``trace`` produces from the 940 documents (the same held-out models, passed to ``trace``);
- **no chaining**: the share of machine versions whose parent is the original (or external), not a sibling;
- **copies of a version find it**: an excerpt of one version (its first 60 % of sentences, added to the family)
  should derive from that version (the other side of the no-chaining rule);
- **relations**: a confusion table against the labels that exist: PAN13 case types (no obfuscation -> copy,
  random obfuscation -> near-verbatim copy, summary -> summary; translation obfuscation has no label of ours and
  is shown alone), the L2R versions against their originals (paraphrase or rewrite), ECB+ documents of one event
  (same story).

Run: ``python benchmarks/lineage.py [--parts origin,relations] [--no-baseline]``; results are printed and written
to ``benchmarks/results/lineage.json``. Needs ``../shared/benchmarks`` (skips with a message when absent). Takes
about 11 minutes on two busy cores (origin 9, relations 2): the held-out machine-style models are fitted on a seeded
pick of ``STYLE_PER_GROUP`` texts per domain and generator (the shipped model on all of them).
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"
L2R = SHARED / "rewrites" / "l2r_news.jsonl"
MACHINE_TEXT = SHARED / "machine-text"
PAN13 = SHARED / "pan13-train"
ECB = SHARED / "stories" / "ecbplus_dev.jsonl"
RESULTS = REPO / "benchmarks" / "results" / "lineage.json"
BASELINE_COMMIT = "525a31a"  # the code before issue 12
STYLE_DOMAIN = "NewsArticle"  # the machine-text domain holding the L2R rewrites
SEED = 12
EXCERPT_SHARE = 0.6  # an excerpt of a version: its first 60 % of sentences
PAN_PER_TYPE = 150  # PAN13 cases per type in the relation check (all L2R versions are checked)
ECB_PAIRS = 300  # ECB+ same-event document pairs in the relation check
SHORT_ORIGINAL = 60  # words: originals under this are BBC scraps (video captions, score lists), reported apart
STYLE_PER_GROUP = 60  # machine-style training texts per domain and generator (seeded pick; all: about 3x slower)


# ------------------------------------------------------------------------------------------------ data
def load_l2r() -> pd.DataFrame:
    from helpers.neardup.families.origin_training import labelled_documents

    return labelled_documents(L2R)


def version_excerpts(docs: pd.DataFrame, generator: str = "GPT-4o") -> pd.DataFrame:
    """For each story, a copy of the first ``EXCERPT_SHARE`` of one version's sentences (a content farm copying a
    rewrite): ``copy_of`` names the version."""
    from helpers.text import sentence_spans

    rows = []
    for r in docs[docs["kind"] == generator].itertuples(index=False):
        spans = sentence_spans(r.text)
        keep = spans[: max(2, int(round(EXCERPT_SHARE * len(spans))))]
        if len(spans) < 4:
            continue
        rows.append(
            dict(
                doc_id=f"{r.doc_id}-excerpt",
                text=r.text[keep[0][0] : keep[-1][1]],
                family=r.family,
                is_original=False,
                kind="excerpt of " + generator,
                copy_of=r.doc_id,
            )
        )
    return pd.DataFrame(rows)


def halves(families: list[str]) -> dict[str, int]:
    """Each story's half (0/1), seeded."""
    order = np.random.RandomState(SEED).permutation(sorted(families))
    return {f: i % 2 for i, f in enumerate(order)}


# ------------------------------------------------------------------------------------------------ scoring
def roots_and_parents(lin: pd.DataFrame) -> tuple[dict, dict]:
    """Per family: its roots inside the corpus (parent empty or external); per document: its parent."""
    is_root = (lin["parent"] == "") | lin["parent"].str.startswith("external:")
    roots = lin[is_root].groupby("family_id")["doc_id"].agg(list).to_dict()
    return roots, dict(zip(lin["doc_id"], lin["parent"]))


def score_lineage(docs: pd.DataFrame, fam: pd.DataFrame, lin: pd.DataFrame) -> dict:
    """Origin accuracy (stories whose original and versions share one family), no chaining (all versions, and the
    versions of stories whose origin is right) and the share of excerpts of versions that derive from the version,
    from a lineage table."""
    roots, parent = roots_and_parents(lin)
    family_of = dict(zip(fam["doc_id"], fam["family_id"]))
    stories = docs[docs["copy_of"].isna()] if "copy_of" in docs else docs
    ok, n, straight, straight_ok, versions, versions_ok = 0, 0, 0, 0, 0, 0
    long_ok, long_n = 0, 0
    for _, g in stories.groupby("family"):
        fams = {family_of.get(x) for x in g["doc_id"]}
        if len(fams) != 1 or None in fams:
            continue
        n += 1
        original = g.loc[g["is_original"], "doc_id"].iloc[0]
        right = roots.get(fams.pop(), []) == [original]
        ok += right
        if len(g.loc[g["is_original"], "text"].iloc[0].split()) >= SHORT_ORIGINAL:
            long_n += 1
            long_ok += right
        for v in g.loc[~g["is_original"], "doc_id"]:
            p = parent.get(v, "")
            fine = p == original or p.startswith("external:")
            versions += 1
            straight += fine
            versions_ok += right
            straight_ok += fine and right
    out = {"stories": n, "origin_accuracy": ok / n if n else float("nan"), "versions": versions}
    out[f"stories_original_{SHORT_ORIGINAL}_words_plus"] = long_n
    out[f"origin_accuracy_original_{SHORT_ORIGINAL}_words_plus"] = long_ok / long_n if long_n else float("nan")
    out["no_chaining"] = straight / versions if versions else float("nan")
    out["no_chaining_where_origin_right"] = straight_ok / versions_ok if versions_ok else float("nan")
    if "copy_of" in docs:
        ex = docs[docs["copy_of"].notna() & docs["doc_id"].isin(parent)]
        if len(ex):
            out["excerpts"] = len(ex)
            out["excerpt_finds_its_version"] = float(
                np.mean([parent[x] == c for x, c in zip(ex["doc_id"], ex["copy_of"])])
            )
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in out.items()}


# ------------------------------------------------------------------------------------------------ storytrace
def style_models(docs: pd.DataFrame, generators: list[str]) -> dict:
    """Held-out machine-style models: key None (all generators) and each generator left out, none having seen the
    rewrites' domain."""
    from helpers.neardup.families import origin_training as ot

    t = time.perf_counter()
    frame = ot.style_training_frame(MACHINE_TEXT, (STYLE_DOMAIN,), per_group=STYLE_PER_GROUP)
    print(f"  machine-style features of {len(frame)} texts ({time.perf_counter() - t:.0f} s)", flush=True)
    models = {}
    for g in [None, *generators]:
        models[g] = ot.held_out_style_model(frame, [g] if g else [])
        print(f"  style model without {g or STYLE_DOMAIN + ' only'} ({time.perf_counter() - t:.0f} s)", flush=True)
    return models


def oracle_origin(docs: pd.DataFrame, styles: dict, generators: list[str]) -> tuple[dict, dict]:
    """Origin accuracy, no chaining and excerpts with oracle families, each generator held out (two story halves);
    returns the scores and the fold models (for the trace run)."""
    from helpers.neardup.families import origin_training as ot
    from helpers.neardup.families.origins import lineage

    excerpts = version_excerpts(docs)
    alldocs = pd.concat([docs.assign(copy_of=None), excerpts], ignore_index=True)
    ctx, fam, pairs, cues0 = ot.given_family_tables(alldocs, alldocs["family"], style=pd.Series(dtype=float))
    n_words = ctx.d.set_index("doc_id")["n_words"]
    half = halves(docs["family"].unique().tolist())
    results, models = {}, {}
    for g in generators:
        style = ot.style_scores(alldocs, styles[g])
        cues = cues0.assign(machine_style=cues0["doc_id"].map(style).astype(float))
        lin_plain, lin_ex = [], []
        for h in (0, 1):
            train = docs[(docs["family"].map(half) != h) & (docs["kind"] != g)]
            feats = ot.family_features(train[["doc_id", "family", "is_original"]], pairs, cues, n_words)
            model = ot.fit_origin_model(feats)
            models[(g, h)] = model
            test_ids = set(docs.loc[docs["family"].map(half) == h, "doc_id"])
            test_ex = test_ids | set(excerpts.loc[excerpts["family"].map(half) == h, "doc_id"])
            for ids, out in ((test_ids, lin_plain), (test_ex, lin_ex)):
                f = fam[fam["doc_id"].isin(ids)]
                out.append(
                    lineage(ctx, f, pairs[pairs["doc_a"].isin(ids) & pairs["doc_b"].isin(ids)], cues, model=model)
                )
        plain = pd.concat(lin_plain, ignore_index=True)
        res = score_lineage(docs, fam, plain)
        ex = score_lineage(alldocs, fam, pd.concat(lin_ex, ignore_index=True))
        res["excerpts"], res["excerpt_finds_its_version"] = ex["excerpts"], ex["excerpt_finds_its_version"]
        results[g] = res
        print(f"  oracle families, {g} held out: {res}", flush=True)
    return results, models


def trace_origin(docs: pd.DataFrame, styles: dict, models: dict, generators: list[str]) -> dict:
    """Origin accuracy and no chaining on the families ``trace`` forms from the 940 documents, each generator held
    out as in ``oracle_origin`` (the fold's origin and style models given to ``trace``)."""
    from helpers.neardup.families import LineageParams, trace

    half = halves(docs["family"].unique().tolist())
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for g in generators:
            style_path = Path(tmp) / f"style-{g}.json"
            styles[g].write(style_path)
            parts, fams = [], []
            for h in (0, 1):
                model_path = models[(g, h)].write(Path(tmp) / f"origin-{g}-{h}.json")
                t = trace(
                    docs[["doc_id", "text"]],
                    detail=False,
                    lineage=LineageParams(model=str(model_path), style_model=str(style_path)),
                )
                ids = set(docs.loc[docs["family"].map(half) == h, "doc_id"])
                parts.append(t.lineage[t.lineage["doc_id"].isin(ids)])
                fams.append(t.families)
            res = score_lineage(docs, fams[0], pd.concat(parts, ignore_index=True))
            res["families"] = int(fams[0]["family_id"].nunique())
            out[g] = res
            print(f"  trace families, {g} held out: {res}", flush=True)
    return out


# ------------------------------------------------------------------------------------------------ baseline
_BASELINE_SCRIPT = r"""
import importlib, json, sys
import pandas as pd
F = importlib.import_module("helpers.neardup.families")
docs = pd.read_json(sys.argv[1], lines=True, dtype=False)
out = {}
d = F._prepare(docs)
p = F.FamilyParams()
cues = F.document_cues(docs, d)
sim = F.story_similarity(d, p)
codes = {f: i for i, f in enumerate(sorted(docs["family"].unique()))}
fam = pd.DataFrame({"doc_id": d["doc_id"], "family_id": docs["family"].map(codes).to_numpy()})
ctx = F._context(d, fam, sim, p)
pairs = F.pair_table(d, fam, sim, cues, p, ctx=ctx)
lin = F.lineage(d, fam, pairs, cues)
cols = ["doc_id", "family_id", "parent"]
out["oracle"] = {"families": fam.to_dict("list"), "lineage": lin[cols].to_dict("list")}
t = F.trace(docs[["doc_id", "text"]], detail=False)
out["trace"] = {"families": t.families.to_dict("list"), "lineage": t.lineage[cols].to_dict("list")}
print(json.dumps(out))
"""


def baseline_origin(docs: pd.DataFrame) -> dict:
    """The lineage of the code before issue 12 (``git archive`` of ``525a31a``, run in a subprocess) on the same
    oracle families and on its own trace families."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", BASELINE_COMMIT, "src/helpers"], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        path = Path(tmp) / "docs.jsonl"
        docs[["doc_id", "text", "family"]].to_json(path, orient="records", lines=True)
        env = {"PYTHONPATH": str(Path(tmp) / "src"), "PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0"}
        run = subprocess.run(
            [sys.executable, "-c", _BASELINE_SCRIPT, str(path)], capture_output=True, text=True, env=env, cwd=tmp
        )
        if run.returncode:
            raise RuntimeError(f"baseline run failed:\n{run.stderr[-3000:]}")
        got = json.loads(run.stdout.strip().splitlines()[-1])
    out = {}
    for key in ("oracle", "trace"):
        fam = pd.DataFrame(got[key]["families"])
        lin = pd.DataFrame(got[key]["lineage"])
        out[key] = score_lineage(docs, fam, lin)
        print(f"  before issue 12 ({BASELINE_COMMIT}), {key} families: {out[key]}", flush=True)
    return out


# ------------------------------------------------------------------------------------------------ relations
def _pan_cases(folder: str, n: int) -> list[dict]:
    """Up to ``n`` reuse cases of one PAN13 folder (seeded pick): the suspicious passage and its source passage
    (for summaries, the whole source)."""
    files = sorted((PAN13 / folder).glob("*.xml"))
    rows = []
    for x in np.random.RandomState(SEED).permutation(files):
        root = ET.parse(x).getroot()
        feats = [f for f in root.iter("feature") if f.get("name") == "plagiarism" and f.get("this_offset")]
        if not feats:
            continue
        f = feats[0]
        susp = (PAN13 / "susp" / root.get("reference")).read_text(encoding="utf-8", errors="replace")
        src = (PAN13 / "src" / f.get("source_reference")).read_text(encoding="utf-8", errors="replace")
        t0, tl = int(f.get("this_offset")), int(f.get("this_length"))
        s0, sl = int(f.get("source_offset")), int(f.get("source_length"))
        rows.append(dict(case=x.stem, derivative=susp[t0 : t0 + tl], relative=src[s0 : s0 + sl]))
        if len(rows) >= n:
            break
    return rows


def relation_cases() -> pd.DataFrame:
    """(derivative, relative) text pairs with the gold relation class: ``source``, ``gold``, ``case``."""
    cases = []
    for folder, gold in (
        ("02-no-obfuscation", "copy"),
        ("03-random-obfuscation", "near-verbatim copy"),
        ("04-translation-obfuscation", "(translation: no label)"),
        ("05-summary-obfuscation", "summary"),
    ):
        for c in _pan_cases(folder, PAN_PER_TYPE):
            cases.append(dict(source=f"PAN13 {folder[3:]}", gold=gold, **c))
    docs = load_l2r()
    orig = docs[docs["is_original"]].set_index("family")["text"]
    for r in docs[~docs["is_original"]].itertuples(index=False):
        cases.append(
            dict(
                source=f"L2R {r.kind}",
                gold="paraphrase or rewrite",
                case=r.doc_id,
                derivative=r.text,
                relative=orig[r.family],
            )
        )
    ecb = pd.read_json(ECB, lines=True, dtype=False)
    pairs = [
        (a, b)
        for _, g in ecb.groupby("subtopic")
        for a in g.itertuples()
        for b in g.itertuples()
        if a.doc_id < b.doc_id
    ]
    rng = np.random.RandomState(SEED)
    for i in rng.choice(len(pairs), size=min(ECB_PAIRS, len(pairs)), replace=False):
        a, b = pairs[i]
        text = lambda r: re.sub(r" ([,.;:!?'])", r"\1", r.full_text)  # noqa: E731 - detokenise ECB+
        cases.append(
            dict(
                source="ECB+ same event",
                gold="same story",
                case=f"{a.doc_id}|{b.doc_id}",
                derivative=text(a),
                relative=text(b),
            )
        )
    return pd.DataFrame(cases)


def relations() -> dict:
    """Relation labels of every case, each pair traced as a family of two (derivative against relative)."""
    from helpers.neardup.families import origin_training as ot
    from helpers.neardup.families.pairs import classify_relation, relation_features

    cases = relation_cases()
    rows = []
    for i, c in enumerate(cases.itertuples(index=False)):
        rows.append(dict(doc_id=f"d{i}", text=c.derivative, family=str(i)))
        rows.append(dict(doc_id=f"r{i}", text=c.relative, family=str(i)))
    docs = pd.DataFrame(rows)
    ctx, fam, pairs, cues = ot.given_family_tables(docs, docs["family"])  # machine style: the shipped model
    info, c = ctx.d.set_index("doc_id"), cues.set_index("doc_id")
    pidx = {(r.doc_a, r.doc_b): r for r in pairs.itertuples(index=False)}
    labels = []
    for i in range(len(cases)):
        pair = pidx.get((f"d{i}", f"r{i}")) or pidx.get((f"r{i}", f"d{i}"))
        labels.append(classify_relation(relation_features(ctx, pair, f"d{i}", f"r{i}", info, c)))
    cases["predicted"] = labels
    table = pd.crosstab(cases["source"], cases["predicted"])
    print(table.to_string())
    ok = {
        "copy": lambda x: x == "copy",
        "near-verbatim copy": lambda x: x == "near-verbatim copy",
        "summary": lambda x: x == "summary",
        "paraphrase or rewrite": lambda x: x in ("paraphrase", "rewrite"),
        "same story": lambda x: x == "same story",
    }
    agree = {
        src: round(float(np.mean([ok[gold](p) for gold, p in zip(g["gold"], g["predicted"])])), 4)
        for src, g in cases.groupby("source")
        if g["gold"].iloc[0] in ok
    }
    return {
        "confusion": {k: {kk: int(vv) for kk, vv in v.items() if vv} for k, v in table.T.to_dict().items()},
        "agreement": agree,
        "cases": {k: int(v) for k, v in cases["source"].value_counts().sort_index().items()},
    }


# ------------------------------------------------------------------------------------------------ main
def _stored() -> dict:
    """The results file as it is now (another part may have been written meanwhile)."""
    return json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parts", default="origin,relations")
    ap.add_argument("--no-baseline", action="store_true", help="skip the code before issue 12")
    args = ap.parse_args(argv)
    if not L2R.is_file() or not MACHINE_TEXT.is_dir():
        print(f"development data not found under {SHARED}: skipped", file=sys.stderr)
        return 0
    parts = set(args.parts.split(","))
    t0 = time.perf_counter()
    results = dict(
        note="Development numbers: l2r_news, PAN13 train and ECB+ dev are this project's development data. Origin "
        "numbers hold each generator out of both the origin and the machine-style model (and the rewrites' "
        "domain out of the style model); story halves keep training and test stories apart.",
        machine=f"{platform.machine()}, {platform.python_version()}",
    )
    if "origin" in parts:
        docs = load_l2r()
        generators = sorted(g for g in docs["kind"].unique() if g != "original")
        print("origin and lineage (oracle and trace families) ...", flush=True)
        styles = style_models(docs, generators)
        oracle, models = oracle_origin(docs, styles, generators)
        traced = trace_origin(docs, styles, models, generators)
        results["origin"] = {
            "oracle_families": oracle,
            "trace_families": traced,
            "mean_over_held_out_generators": {
                key: {
                    m: round(float(np.mean([r[m] for r in table.values()])), 4)
                    for m in (
                        "origin_accuracy",
                        f"origin_accuracy_original_{SHORT_ORIGINAL}_words_plus",
                        "no_chaining",
                        "no_chaining_where_origin_right",
                        "excerpt_finds_its_version",
                    )
                    if all(m in r for r in table.values())
                }
                for key, table in (("oracle", oracle), ("trace", traced))
            },
        }
        if not args.no_baseline:
            results["origin"]["before_issue_12"] = baseline_origin(docs)
    if "relations" in parts:
        print("relations ...", flush=True)
        results["relations"] = relations()
    seconds = round(time.perf_counter() - t0)
    stored = _stored()  # other parts (perhaps written by another run meanwhile) are kept
    results["seconds"] = {**stored.get("seconds", {}), args.parts: seconds}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({**stored, **results}, indent=1, default=float) + "\n")
    print(f"wrote {RESULTS} ({seconds} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
