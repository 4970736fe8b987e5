"""Story families on a real LocalCluster (two worker processes): the same families table as one process."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")

from helpers.corpus import load_corpus  # noqa: E402
from helpers.distributed import cluster, story_families_dask, story_vectors_dask  # noqa: E402
from helpers.neardup.families import families  # noqa: E402
from helpers.neardup.families.candidates import CandidateParams, ann_available  # noqa: E402
from helpers.neardup.families.documents import prepare_documents  # noqa: E402
from helpers.neardup.families.vectors import story_vectors  # noqa: E402

pytestmark = pytest.mark.dask
REPO = Path(__file__).resolve().parents[1]
STORIES = REPO.parent / "shared" / "benchmarks" / "stories"


def _real_docs(n: int) -> pd.DataFrame:
    """``n`` real news articles (DUC 2004 then ECB+), or a skip when ../shared is absent."""
    parts = []
    for name in ("duc2004.jsonl", "ecbplus_dev.jsonl"):
        if not (STORIES / name).exists():
            pytest.skip(f"development data absent: {STORIES / name}")
        parts.append(pd.read_json(STORIES / name, lines=True, dtype=False)[["doc_id", "full_text"]])
    d = pd.concat(parts, ignore_index=True).rename(columns={"full_text": "text"}).head(n)
    d["doc_id"] = [f"d{i}" for i in range(len(d))]
    return d


@pytest.fixture(scope="module")
def client():
    with cluster(workers=2, quiet=True) as c:
        yield c


def test_needs_a_cluster():
    with pytest.raises(RuntimeError, match="active Dask cluster"):
        story_families_dask(pd.DataFrame({"doc_id": ["a"], "text": ["x"]}))


def test_vectors_on_the_workers_hold_the_same_values(client):
    d = prepare_documents(_real_docs(300))
    one, two = story_vectors(d), story_vectors_dask(d, partition_rows=70)
    assert one.names == two.names
    for a, b in ((one.words, two.words), (one.specifics, two.specifics)):
        assert a.shape == b.shape and (a != b).nnz == 0


def test_sample_families_identical(client):
    docs = load_corpus(REPO / "data" / "sample")
    pd.testing.assert_frame_equal(story_families_dask(docs), families(docs))


@pytest.mark.skipif(not ann_available(), reason="the 'scale' extra (hnswlib, numba) is not installed")
@pytest.mark.parametrize("after_decay", [False, True], ids=["all-time", "windows"])
def test_real_documents_identical_with_approximate_candidates(client, monkeypatch, after_decay):
    docs = _real_docs(300)
    rng = np.random.default_rng(3)  # dated, over more than three time windows: with edges chosen after the time
    # decay, the search runs per window on the workers; by default every document is searched among all
    docs["published"] = pd.Timestamp("2020-01-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 400, len(docs)), "D")
    cands = CandidateParams(engine="ann", choose_after_decay=after_decay)
    on_cluster = story_families_dask(docs, candidates=cands)
    from helpers.neardup.families import candidates as C
    from helpers.neardup.families import similarity as S

    for module in (C, S):  # the same call with no cluster: vectors, copies and search in this process
        monkeypatch.setattr(module, "current_client", lambda: None)
    pd.testing.assert_frame_equal(on_cluster, families(docs, candidates=cands))
