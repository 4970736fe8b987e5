"""helpers.distributed on a real LocalCluster (two worker processes): same pairs, families and documents as
the single-process path, for every near-duplicate setting."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")

from helpers.corpus import load_corpus  # noqa: E402
from helpers.distributed import (  # noqa: E402
    as_dask,
    cluster,
    current_client,
    load_corpus_dask,
    near_duplicate_families_dask,
    near_duplicate_pairs_dask,
)
from helpers.neardup import lexical as L  # noqa: E402
from helpers.neardup import near_duplicate_pairs  # noqa: E402
from helpers.neardup.lexical import LexicalParams  # noqa: E402

pytestmark = pytest.mark.dask


def _corpus(n_orig: int = 500, seed: int = 7) -> pd.DataFrame:
    """Originals, edited copies at several edit rates, excerpts, exact duplicates, empty and odd documents."""
    rng = np.random.default_rng(seed)
    vocab = np.array([f"w{i}" for i in range(3000)] + ["the", "of", "and", "a", "to"] * 40)
    origs = [rng.choice(vocab, size=int(rng.integers(60, 250))) for _ in range(n_orig)]
    texts = [" ".join(w) + "." for w in origs]
    for k in range(0, n_orig, 3):  # edited copies: substitutions at 0-12%
        w = origs[k].copy()
        sub = rng.random(len(w)) < rng.uniform(0.0, 0.12)
        w[sub] = rng.choice(vocab, size=int(sub.sum()))
        texts.append(" ".join(w) + ".")
    for k in range(1, n_orig, 25):  # excerpts: high containment, low Jaccard
        w = origs[k]
        texts.append(" ".join(w[: max(12, len(w) // 4)]))
    texts += [
        texts[5].upper(),
        "  " + texts[5] + "  ",
        texts[5],
        "",
        "   ",
        "Lone",
        "Один два три четыре пять шесть.",
        None,
    ]
    order = rng.permutation(len(texts))
    texts = [texts[i] for i in order]
    return pd.DataFrame({"doc_id": [f"d{i:05d}" for i in range(len(texts))], "text": texts})


@pytest.fixture(scope="module")
def client():
    with cluster(workers=2, quiet=True) as c:
        yield c


def test_cluster_none_and_bad_workers():
    with cluster(None) as c:
        assert c is None
    with cluster(workers=0, scheduler="") as c:
        assert c is None
    with pytest.raises(ValueError, match="workers"):
        with cluster(workers="two"):
            pass


def test_pairs_and_families_identical_on_two_worker_processes(client):
    info = client.scheduler_info()["workers"]
    assert len(info) == 2 and all(w["nthreads"] == 1 for w in info.values())
    assert current_client() is client
    docs = _corpus()
    single = L.near_duplicate_pairs(docs)
    ddf = as_dask(docs, partition_rows=150)
    assert ddf.npartitions >= 4
    pairs, fam = near_duplicate_families_dask(ddf, progress=False, shuffle_method="p2p")
    pd.testing.assert_frame_equal(pairs, single)
    pd.testing.assert_frame_equal(fam, L.components(single, docs["doc_id"]))
    # the comparison is not vacuous: copies, excerpts (containment only) and exact duplicates are found
    assert len(single) > 150
    assert ((single["jaccard"] < 0.5) & (single[["containment_a", "containment_b"]].max(axis=1) >= 0.5)).any()
    assert (single["jaccard"] == 1.0).sum() >= 6
    assert fam["component"].nunique() < len(docs)
    # pairs whose documents sit in different partitions were joined across workers
    pos = pd.Series(np.arange(len(docs)) // 150, index=docs["doc_id"])
    assert (pos[pairs["doc_a"]].to_numpy() != pos[pairs["doc_b"]].to_numpy()).sum() > 50


def test_verification_blocks_of_grouped_partitions_give_the_same_pairs(monkeypatch):
    """Verification in blocks of partition groups (more partitions than groups, blocks split by pair count)
    returns the same pairs as one process; on Dask's local scheduler (no cluster needed)."""
    from helpers.neardup import lexical_dask as LD

    monkeypatch.setattr(LD, "_VERIFY_GROUPS", 3)
    monkeypatch.setattr(LD, "_VERIFY_PAIRS", 7)
    docs = _corpus(n_orig=200)
    ddf = dd.from_pandas(docs, chunksize=40, sort=False)
    assert ddf.npartitions > 3
    cand, _ = LD.candidate_pairs_dask(ddf, progress=False)
    blocks = list(LD._blocks(cand, ddf.npartitions))
    assert max(len(involved) for involved, _ in blocks) > 2  # a block holds the sets of several partitions
    assert sum(len(pairs) for _, pairs in blocks) == len(cand) and len(blocks) > len(cand) // 7
    pd.testing.assert_frame_equal(near_duplicate_pairs_dask(ddf, progress=False), L.near_duplicate_pairs(docs))


def _copy_families(n_orig: int = 120, seed: int = 5) -> pd.DataFrame:
    """Originals with four edited copies and two excerpts each (buckets and samples shared by up to seven
    documents), a footer shared by many documents, and unrelated documents."""
    rng = np.random.default_rng(seed)
    vocab = np.array([f"v{i}" for i in range(4000)])
    footer = list(rng.choice(vocab, size=30))
    texts = []
    for k in range(n_orig):
        w = rng.choice(vocab, size=int(rng.integers(80, 200)))
        texts.append(" ".join(w))
        if k % 3:
            continue
        for rate in (0.02, 0.06, 0.12, 0.25):
            e = w.copy()
            sub = rng.random(len(e)) < rate
            e[sub] = rng.choice(vocab, size=int(sub.sum()))
            texts.append(" ".join(list(e) + (footer if k % 2 else [])))
        texts += [" ".join(w[:30]), " ".join(w[40:52])]
    order = rng.permutation(len(texts))
    return pd.DataFrame({"doc_id": [f"f{i:04d}" for i in range(len(texts))], "text": [texts[i] for i in order]})


# a value other than the default for every setting of LexicalParams (each one changes the table: checked below)
NON_DEFAULT = dict(
    threshold=0.3,
    shingle_size=4,
    num_perm=96,
    seed=11,
    containment_threshold=0.7,
    method="classic",
    sample_every=4,
    min_shared=12,
    max_bucket=2,
    max_sample_df=5,
)


def test_every_setting_is_a_lexical_param_with_a_non_default_value():
    fields = {f.name: f.default for f in dataclasses.fields(LexicalParams)}
    assert set(NON_DEFAULT) == set(fields)
    assert all(NON_DEFAULT[k] != v for k, v in fields.items())


def test_every_parameter_reaches_the_dask_path(client):
    docs = _copy_families()
    single = L.near_duplicate_pairs(docs, **NON_DEFAULT)
    # each setting matters here: dropping any one of them (its default instead) changes the table
    for name, default in ((f.name, f.default) for f in dataclasses.fields(LexicalParams)):
        other = L.near_duplicate_pairs(docs, **{**NON_DEFAULT, name: default})
        assert not other.equals(single), f"{name} does not change the pairs of this corpus"
    ddf = as_dask(docs, partition_rows=90)
    assert ddf.npartitions >= 4
    pd.testing.assert_frame_equal(near_duplicate_pairs_dask(ddf, progress=False, **NON_DEFAULT), single)
    # the same settings as a LexicalParams, and through the dispatching entry point
    params = LexicalParams(**NON_DEFAULT)
    pd.testing.assert_frame_equal(near_duplicate_pairs(ddf, params, progress=False), single)
    pd.testing.assert_frame_equal(near_duplicate_pairs(docs, params), single)
    assert len(single) > 100 and (single["jaccard"] < NON_DEFAULT["threshold"]).any()


def test_unknown_parameter_is_an_error():
    docs = _copy_families(n_orig=6)
    ddf = as_dask(docs, partition_rows=10)
    for table in (docs, ddf):
        with pytest.raises(TypeError, match="unknown near-duplicate parameter.*threshhold"):
            near_duplicate_pairs(table, threshhold=0.7)
    with pytest.raises(TypeError, match="unknown near-duplicate parameter.*batch_size"):
        near_duplicate_pairs(ddf, batch_size=100)  # a single-process memory option: not a Dask one
    with pytest.raises(TypeError, match="helpers.neardup.near_duplicate_pairs"):
        L.near_duplicate_pairs(ddf)  # the single-process function does not silently take a Dask table
    with pytest.raises(ValueError, match="method"):
        near_duplicate_pairs(ddf, method="minhash")


def test_degenerate_inputs(client):
    one = pd.DataFrame({"doc_id": ["a"], "text": ["just one document here"]})
    blank = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "text": ["", " ", None, "one two three four five six"]})
    for docs in (one, blank):
        out = near_duplicate_pairs_dask(as_dask(docs, 2), progress=False)
        pd.testing.assert_frame_equal(out, L.near_duplicate_pairs(one))  # no pairs, same columns and dtypes
    with pytest.raises(ValueError, match="doc_id and text"):
        near_duplicate_pairs_dask(dd.from_pandas(pd.DataFrame({"body": ["x"]}), npartitions=1), progress=False)
    with pytest.raises(ValueError, match="threshold"):
        near_duplicate_pairs_dask(as_dask(one), threshold=0, progress=False)


def test_load_corpus_dask_matches_load_corpus(tmp_path, client):
    root = tmp_path / "corpus"
    (root / "feed").mkdir(parents=True)
    footer = "Share this article on Facebook"
    slogan = "Your trusted daily news"
    for i in range(12):
        body = f"Headline number {i}\n\n" + " ".join(f"word{i}_{j}" for j in range(80)) + f".\n{slogan}\n{footer}\n"
        (root / f"story_{i:02d}.txt").write_text(body, encoding="utf-8")
    (root / "story_03.md").write_text("", encoding="utf-8")  # empty file: skipped
    (root / "notes.bin").write_bytes(b"\x00\x01binary")  # unsupported: skipped
    rows = [
        {
            "id": f"j{i}",
            "title": f"JSON {i}",
            "text": f"Body {i} " + "lorem ipsum " * 30 + f"\n{slogan}",
            "date": f"2024-12-0{1 + i % 9}",
        }
        for i in range(9)
    ]
    rows.append({"id": "story_01", "text": "a duplicate id from the feed"})  # duplicate doc_id: skipped
    with open(root / "feed" / "shard.jsonl", "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r) + "\n")
        fh.write("{not json\n")
    pd.DataFrame({"doc_id": ["story_02"], "source": ["Example Post"], "published": ["2024-12-06T10:00:00Z"]}).to_csv(
        root / "metadata.csv", index=False
    )
    expected = load_corpus(root)
    ddf = load_corpus_dask(root, partition_bytes=4000, progress=False)
    assert ddf.npartitions >= 4  # the repeated-line pass really is a reduction over partitions
    import dask

    docs, skipped, boiler = dask.compute(ddf, ddf.skipped, ddf.boilerplate)
    pd.testing.assert_frame_equal(docs.reset_index(drop=True), pd.DataFrame(expected).reset_index(drop=True))
    pd.testing.assert_frame_equal(
        boiler.reset_index(drop=True).astype(str), expected.boilerplate.reset_index(drop=True).astype(str)
    )
    key = ["path", "record", "reason"]
    got = skipped.astype(str).sort_values(key).reset_index(drop=True)
    assert got.equals(expected.skipped.astype(str).sort_values(key).reset_index(drop=True))
    assert any("duplicate doc_id" in r for r in got["reason"]) and len(got) >= 4
    assert (boiler["reason"].str.startswith("repeated")).sum() >= 12
    assert docs.set_index("doc_id").loc["story_02", "source"] == "Example Post"
    # and the near-duplicate step accepts the loaded frame directly
    pairs = near_duplicate_pairs_dask(ddf, progress=False)
    pd.testing.assert_frame_equal(pairs, L.near_duplicate_pairs(expected))


def test_cluster_connects_to_an_existing_scheduler_and_leaves_it_running(client, capsys):
    with cluster(scheduler=client.scheduler.address) as other:
        assert other is not client
        assert len(other.scheduler_info()["workers"]) == 2
        assert other.submit(sum, [1, 2, 3]).result() == 6
    assert "Dask cluster" in capsys.readouterr().out  # the address (and dashboard) is printed
    assert client.submit(sum, [4, 5]).result() == 9  # the existing cluster is still up
