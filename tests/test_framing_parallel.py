"""Framing on two processes gives the one-process tables: the per-document profile of ``analyse``, the story frames
of each family and the framing shift of each pair, each spread over a worker process."""

from __future__ import annotations

import importlib

import pandas as pd
import pytest
from test_tokenise import _with_worker

from helpers import framing as F
from helpers.corpus import load_corpus
from helpers.parallel import JOBS_VARIABLE

analyse_module = importlib.import_module("helpers.framing.analyse")
story_module = importlib.import_module("helpers.framing.story")
shift_module = importlib.import_module("helpers.framing.shift")


@pytest.fixture(scope="module")
def corpus(sample_dir) -> pd.DataFrame:
    """The sample three times over, in a shuffled order (ids not sorted: the chunks' rows must be put back in the
    one-process order), with one document in another script and one without text."""
    docs = load_corpus(sample_dir)
    copies = [docs.assign(doc_id=docs["doc_id"] + f"-{k}") for k in range(3)]
    docs = pd.concat(copies, ignore_index=True).sample(frac=1, random_state=7).reset_index(drop=True)
    docs.loc[3, "text"] = "Это совсем другой текст на русском языке, не английский. " * 20
    docs.loc[5, "text"] = ""
    return docs


def _each_way(monkeypatch, tmp_path, run, *modules):
    """``run()`` with one process and with two (a worker taking at least one chunk): both results."""
    got = {}
    for jobs in ("1", "2"):
        monkeypatch.setenv(JOBS_VARIABLE, jobs)
        marker = _with_worker(monkeypatch, tmp_path, *modules) if jobs == "2" else None
        got[jobs] = run()
        assert marker is None or marker.exists(), "no worker process took a chunk"
        if marker is not None:
            marker.unlink()
    return got["1"], got["2"]


def test_analyse_on_two_processes_is_the_one_process_analysis(monkeypatch, tmp_path, corpus):
    monkeypatch.setattr(analyse_module, "MIN_PARALLEL_DOCS", 0)
    one, two = _each_way(monkeypatch, tmp_path, lambda: F.analyse(corpus), analyse_module)
    assert not one.table["english"].all() and len(one.attributions) and len(one.actors) and len(one.frame_hits)
    for name, value in vars(one).items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, getattr(two, name), check_exact=True, obj=name)
        else:
            assert value == getattr(two, name), name


def test_story_frames_and_shift_on_two_processes_are_the_one_process_tables(monkeypatch, tmp_path, corpus):
    monkeypatch.setattr(story_module, "MIN_PARALLEL_FAMILIES", 0)
    monkeypatch.setattr(shift_module, "MIN_PARALLEL_PAIRS", 0)
    res = F.analyse(corpus)
    groups = pd.DataFrame({"doc_id": corpus["doc_id"], "family_id": corpus["doc_id"].str[-1]})  # three families
    texts = dict(zip(res.view["doc_id"], res.view["text"]))
    one, two = _each_way(monkeypatch, tmp_path, lambda: F.story_frames(res.tokens, texts, groups), story_module)
    assert one["family_id"].nunique() == 3
    pd.testing.assert_frame_equal(one, two, check_exact=True)
    english = corpus.drop(index=[3, 5])  # the other script and the empty text are not read as parents
    parent = sorted(english["doc_id"])[0]
    pairs = [(child, parent) for child in sorted(corpus["doc_id"]) if child != parent]

    def shift():
        failures: list = []
        table = F.framing_shift(corpus, pairs, matcher="frame", story_phrases=F.story_lexicon(one), failures=failures)
        return table, failures

    (t1, f1), (t2, f2) = _each_way(monkeypatch, tmp_path, shift, shift_module)
    assert (t1["kind"] == "frame-aligned").sum() > 20
    pd.testing.assert_frame_equal(t1, t2, check_exact=True)
    assert f1 == f2
