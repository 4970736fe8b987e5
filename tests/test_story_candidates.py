"""Story-graph candidates: approximate neighbours scored exactly (``families.candidates``) against all pairs."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from helpers.neardup.families import candidates as C
from helpers.neardup.families import similarity as S
from helpers.neardup.families.clustering import story_clusters
from helpers.neardup.families.decay import epoch_days
from helpers.neardup.families.params import FamilyParams
from helpers.neardup.families.similarity import story_similarity

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "benchmarks"
needs_ann = pytest.mark.skipif(not C.ann_available(), reason="the 'scale' extra (hnswlib, numba) is not installed")


def _real_docs(n: int) -> pd.DataFrame:
    """``n`` real news articles (DUC 2004 and ECB+), or a skip when ../shared is absent."""
    rows = []
    for name in ("duc2004.jsonl", "ecbplus_dev.jsonl"):
        path = SHARED / "stories" / name
        if not path.exists():
            pytest.skip(f"development data absent: {path}")
        rows.append(pd.read_json(path, lines=True, dtype=False)[["doc_id", "full_text"]])
    d = pd.concat(rows, ignore_index=True).rename(columns={"full_text": "text"}).head(n)
    d["doc_id"] = [f"d{i}" for i in range(len(d))]
    return d


def test_time_groups_cover_every_document_once_and_keep_the_undated_with_all():
    days = pd.to_datetime(["2020-01-01", "2020-01-02", "2020-06-01", "2021-01-01", None, "2020-03-15"], utc=True)
    groups = C.time_groups(pd.Series(days), window=30.0)
    queries = np.sort(np.concatenate([q for q, _ in groups]))
    assert queries.tolist() == list(range(6))
    for q, ix in groups:
        assert 4 in ix  # the undated document is a candidate of everyone
        if 4 in q:
            assert len(ix) == 6  # ... and is compared with all
        if 0 in q:
            assert 1 in ix and 3 not in ix  # a year away is outside the window
    one = C.time_groups(pd.Series(pd.to_datetime(["2020-01-01", "2020-01-05"], utc=True)), window=30.0)
    assert len(one) == 1 and len(one[0][1]) == 2


def test_window_is_where_the_time_decay_makes_an_edge_negligible():
    p = FamilyParams()
    w = C.window_days(p)
    assert 0.5 ** ((w - p.time_window_days) / p.time_halflife_days) == pytest.approx(p.min_raw)


@needs_ann
def test_pair_dots_are_the_sparse_dot_products():
    from scipy import sparse

    X = sparse.random(50, 400, density=0.05, format="csr", dtype=np.float32, random_state=3)
    cands = np.array([[1, 2, -1], [0, 49, 7]])
    got = C.pair_dots(X, np.array([0, 5]), cands)
    want = np.array([[(X[0] @ X[j].T).toarray()[0, 0] if j >= 0 else 0 for j in row] for row in cands])
    want[1] = [(X[5] @ X[j].T).toarray()[0, 0] for j in cands[1]]
    assert np.allclose(got, want, atol=1e-6)


@needs_ann
@pytest.mark.parametrize("build_threads", [1, 2])
def test_ann_candidates_find_the_exact_neighbours_and_the_same_families(build_threads):
    """Also with the index built in two threads (a graph that varies from run to run)."""
    docs = _real_docs(400)
    p = FamilyParams(candidates=C.CandidateParams(build_threads=build_threads))
    exact = story_similarity(docs, p, candidates="exact")
    ann = story_similarity(docs, p, candidates="ann")
    E, A = exact.raw.tocoo(), ann.raw.tocsr()
    strong = E.data >= 0.2
    assert (np.asarray(A[E.row[strong], E.col[strong]]).ravel() > 0).mean() >= 0.98
    fe = story_clusters(docs, p, similarity=exact)["family_id"]
    fa = story_clusters(docs, p, similarity=ann)["family_id"]
    assert adjusted_rand_score(fe, fa) >= 0.98
    assert np.abs(exact.background - ann.background).max() < 0.05


@needs_ann
def test_both_engines_can_choose_edges_after_the_time_decay():
    docs = _real_docs(300)
    rng = np.random.default_rng(3)  # dated over more than three windows: the approximate search runs per window
    docs["published"] = pd.Timestamp("2020-01-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 400, len(docs)), "D")
    p = FamilyParams(candidates=C.CandidateParams(choose_after_decay=True))
    days = epoch_days(docs["published"])
    graphs = {e: story_similarity(docs, p, candidates=e) for e in ("exact", "ann")}
    for sim in graphs.values():
        G = sim.raw.tocoo()
        story_edge = G.data < p.copy_link_raw  # lexical copy links join documents whatever their dates
        # the decayed similarity of every story edge reaches min_raw, so none is further apart than a window
        assert (G.data[story_edge] >= p.min_raw - 1e-6).all()
        assert (np.abs(days[G.row] - days[G.col])[story_edge] <= C.window_days(p)).all()
    fe, fa = (story_clusters(docs, p, similarity=graphs[e])["family_id"] for e in ("exact", "ann"))
    assert adjusted_rand_score(fe, fa) >= 0.98


@needs_ann
def test_by_default_dated_documents_are_searched_among_all_as_the_exact_path_chooses():
    docs = _real_docs(300)
    rng = np.random.default_rng(3)  # dated over more than three windows
    docs["published"] = pd.Timestamp("2020-01-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 400, len(docs)), "D")
    p = FamilyParams()  # edges chosen by the raw similarity, over all time
    assert len(C.search_groups(docs["published"], p)) == 1
    graphs = {e: story_similarity(docs, p, candidates=e) for e in ("exact", "ann")}
    E, A = graphs["exact"].raw.tocoo(), graphs["ann"].raw.tocsr()
    days = epoch_days(docs["published"])
    far = (np.abs(days[E.row] - days[E.col]) > C.window_days(p)) & (E.data < p.copy_link_raw)
    assert far.sum() > 100  # the exact path keeps edges months apart (decayed) ...
    assert (np.asarray(A[E.row[far], E.col[far]]).ravel() > 0).mean() >= 0.95  # ... and so do the candidates
    fe, fa = (story_clusters(docs, p, similarity=graphs[e])["family_id"] for e in ("exact", "ann"))
    assert adjusted_rand_score(fe, fa) >= 0.98


def test_undated_documents_keep_the_raw_similarity_as_the_key():
    from scipy import sparse

    X = sparse.random(40, 300, density=0.08, format="csr", dtype=np.float32, random_state=1)
    X = sparse.csr_matrix(X / np.sqrt(X.multiply(X).sum(axis=1)).A)
    p = FamilyParams(candidates="exact")
    none = S._exact_edges(X, X, None, p)
    nan = S._exact_edges(X, X, None, p, np.full(40, np.nan))
    for a, b in zip(none[0], nan[0]):
        assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert np.array_equal(none[1], nan[1])


def test_auto_stays_exact_below_the_threshold_and_an_unknown_engine_is_an_error():
    p = FamilyParams()
    assert S._candidate_engine(100, p) == "exact"
    with pytest.raises(ValueError, match="candidates must be"):
        S._candidate_engine(100, replace(p, candidates=C.CandidateParams(engine="fast")))


def test_missing_scale_extra_falls_back_to_exact_with_a_message(monkeypatch, caplog):
    monkeypatch.setattr(S, "ann_available", lambda: False)
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["one two three", "one two four", "five six"]})
    with caplog.at_level(logging.WARNING):
        sim = story_similarity(docs, FamilyParams(), candidates="ann")
    assert "scale" in caplog.text and "pairwise" in caplog.text
    assert sim.raw.shape == (3, 3)


@needs_ann
def test_lexical_copies_found_beside_the_approximate_graph_are_the_ones_found_after(sample_dir, monkeypatch):
    """Without a cluster the copy step runs in a thread while the index is built; the similarity is the same as
    with the copies computed after the graph (and the thread did run)."""
    from helpers.corpus import load_corpus

    docs = load_corpus(sample_dir)
    copy = docs.iloc[[0]].assign(doc_id="copy", text="Shared from the wire. " + docs["text"].iloc[0])
    docs = pd.concat([docs, copy], ignore_index=True)
    p = S._with_engine(len(docs), FamilyParams(), "ann")
    threads, real = [], S._lexical_pairs

    def spy(*args):
        import threading

        threads.append(threading.current_thread().name)
        return real(*args)

    monkeypatch.setattr(S, "_lexical_pairs", spy)
    beside = story_similarity(docs, p)
    monkeypatch.setattr(S, "_lexical_beside", lambda d, p: None)
    after = story_similarity(docs, p)
    assert threads[0].startswith("lexical-copies") and threads[1] == "MainThread"
    assert len(beside.lexical) and beside.lexical.equals(after.lexical)
    assert (beside.scaled != after.scaled).nnz == 0 and (beside.raw != after.raw).nnz == 0
