import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers import text as textlib
from helpers import tokenise
from helpers.corpus import load_corpus


def _sents(text):
    return [text[s:e] for s, e in textlib.sentence_spans(text)]


@pytest.mark.parametrize(
    "text,n",
    [
        ("Now, just as Mr. al-Assad needs help, Iran is leaving. It began.", 2),
        ("It began with the Oct. 7 attack on Israel. Then it spread.", 2),
        ("The U.S. Navy said so. Others disagreed.", 2),
        ("Dr. Khalil spoke for an hour. The host thanked her.", 2),
        ("Gen. Smith and Sen. Jones met Mrs. Brown at 5 p.m. Monday.", 1),
    ],
)
def test_abbreviations_do_not_end_sentences(text, n):
    sents = _sents(text)
    assert len(sents) == n, sents


def test_sentence_split_on_line_breaks_and_headings():
    text = "### A Change in Strategy\nThis shift coincides with an escalation.\n\n**Host:** Welcome back."
    assert _sents(text) == [
        "### A Change in Strategy",
        "This shift coincides with an escalation.",
        "**Host:** Welcome back.",
    ]


def test_offsets_round_trip_on_the_sample(sample_dir):
    docs = load_corpus(sample_dir)
    toks = tokenise.tokens(docs)
    texts = dict(zip(docs["doc_id"], docs["text"]))
    assert len(toks) > 2000
    assert all(texts[d][s:e] == t for d, s, e, t in zip(toks["doc_id"], toks["start"], toks["end"], toks["token"]))
    sents = tokenise.sentences(docs)
    assert all(texts[d][s:e] == t for d, s, e, t in zip(sents["doc_id"], sents["start"], sents["end"], sents["text"]))
    # Every token lies inside its sentence.
    merged = toks.merge(sents, on=["doc_id", "sent_id"], suffixes=("", "_s"))
    assert ((merged["start"] >= merged["start_s"]) & (merged["end"] <= merged["end_s"])).all()


def test_curly_quotes_and_possessives():
    text = "Iran’s stance “is clear,” he said."
    toks = tokenise.tokens(pd.DataFrame({"doc_id": ["a"], "text": [text]}))
    assert toks["token"].tolist()[:3] == ["Iran", "’s", "stance"]
    assert toks["norm"].tolist()[1] == "'s"
    assert "“" in toks["token"].tolist() and "”" in toks["token"].tolist()
    assert toks.loc[toks["token"] == "’s", "is_stop"].all()


def test_normalise_and_stopwords():
    assert textlib.normalise("Ｉran’S") == "iran's"
    assert {"the", "and", "of"} <= textlib.STOPWORDS
    assert "iran" not in textlib.STOPWORDS


def test_shingles():
    w = "a b c d e f".split()
    assert textlib.shingles(w, 5) == ["a b c d e", "b c d e f"]
    assert textlib.shingles(["a", "b"], 5) == ["a b"]
    assert textlib.shingles([], 5) == []
    assert textlib.simple_words("Mr. Al-Assad’s U.S. trip") == ["mr", "al-assad's", "u", "s", "trip"]


def test_empty_and_odd_texts():
    docs = pd.DataFrame({"doc_id": ["e", "p", "w"], "text": ["", "...  !!!", "word"]})
    toks = tokenise.tokens(docs)
    assert set(toks["doc_id"]) == {"w"}
    stats = tokenise.document_stats(docs, toks)
    assert stats.set_index("doc_id").loc["e", "words"] == 0


def test_punkt_can_learn_corpus_abbreviations():
    verbs = ["rose", "fell", "said", "announced", "reported", "hired", "closed", "opened"] * 4
    corpus = " ".join(
        f"Shares of Acme Intl. {verb} on day {i}. Analysts watched the market closely today."
        for i, verb in enumerate(verbs)
    )
    text = "Shares of Acme Intl. rose again. Markets calmed."
    untrained = textlib.sentence_tokenizer()
    trained = textlib.sentence_tokenizer(train_text=corpus)
    assert len(list(untrained.span_tokenize(text))) == 3  # "Intl." ends a sentence for the shipped list
    sentences = [text[s:e] for s, e in trained.span_tokenize(text)]
    assert sentences == ["Shares of Acme Intl. rose again.", "Markets calmed."]
    assert "mr" in trained._params.abbrev_types  # shipped ones are kept


def test_length_chart_draws_corpus_ids_as_plain_text():
    import io

    import matplotlib
    import matplotlib.pyplot

    stats = pd.DataFrame(
        {"doc_id": ["a$\\badcmd$ b", "cost$2011$"], "words": [10, 20], "words_per_sentence": [5.0, None]}
    )
    with matplotlib.rc_context({"text.parse_math": True}):  # as if the user's own setting parsed mathtext
        fig = tokenise.plot_document_lengths(stats)
        fig.savefig(io.BytesIO(), format="png")  # mathtext would fail on \badcmd
    words_ax, sentence_ax = fig.axes
    assert [t.get_text() for t in words_ax.get_yticklabels()] == list(stats["doc_id"])
    assert [b.get_width() for b in words_ax.patches] == [10, 20]
    assert [b.get_width() for b in sentence_ax.patches] == [5.0, 0.0]
    empty = tokenise.plot_document_lengths(stats.iloc[:0])
    assert "No documents" in empty.axes[0].texts[0].get_text()
    matplotlib.pyplot.close("all")


def test_distinctive_terms_pick_unique_names(sample_dir):
    docs = load_corpus(sample_dir)
    terms = tokenise.distinctive_terms(tokenise.tokens(docs), n=5)
    by_doc = terms.groupby("doc_id")["term"].apply(list)
    interview = [d for d in by_doc.index if "khalil" in by_doc[d]]
    assert len(interview) == 1  # the one version that invents an interviewee
    assert not terms["term"].isin(["iran", "syria"]).any()  # in every document: not distinctive


def test_works_without_any_nltk_data(tmp_path):
    code = (
        "import nltk\n"
        "nltk.data.path[:] = []\n"
        "def refuse(*a, **k): raise RuntimeError('download attempted')\n"
        "nltk.download = refuse\n"
        "from helpers import text, tokenise\n"
        "print(len(text.sentence_spans('Mr. Smith went. Dr. Jones too.')), tokenise.words('It\\'s fine.'))"
    )
    env = dict(os.environ, NLTK_DATA=str(tmp_path), HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split()[0] == "2"


def _nltk_spans(sentence):
    from nltk.tokenize import NLTKWordTokenizer

    try:
        return list(NLTKWordTokenizer().span_tokenize(sentence.translate(textlib.QUOTE_FOLD)))
    except ValueError:
        return None


def test_word_spans_are_nltks_treebank_spans(sample_dir):
    """word_spans runs NLTK's own Treebank rules faster; on the sample's sentences and on random strings of the
    characters the rules react to, the spans are NLTK's."""
    import random

    docs = load_corpus(sample_dir)
    sentences = [t[s:e] for t in docs["text"] for s, e in textlib.sentence_spans(t)]
    pieces = list("ab cd.,:;'\"`?!()[]{}<>*-@#$%&\t\u2013»”’é") + [
        "cannot", "gonna", "'tis", " 'twas", "n't", "'ll", "'s", "Gimme", "WANNA ", "more'n", "d'ye", "...", "--",
        "''", "3,5", "U.S.",
    ]  # fmt: skip
    rng = random.Random(7)
    sentences += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 20))) for _ in range(3000)]
    compared = 0
    for sentence in sentences:
        expected = _nltk_spans(sentence)
        if expected is not None:  # NLTK's alignment error: word_spans falls back to a simple split
            assert textlib.word_spans(sentence) == expected, sentence
            compared += 1
    assert compared > 2500


def test_overlong_paragraphs_are_cut_into_bounded_pieces():
    limit = textlib.MAX_PIECE_CHARS
    no_punctuation = "word " * (limit // 2)  # 2.5 limits of text, one line, no sentence end
    spans = textlib.sentence_spans(no_punctuation)
    assert len(spans) == 3 and all(e - s <= limit for s, e in spans)
    assert "".join(no_punctuation[s:e] + " " for s, e in spans).split() == no_punctuation.split()  # nothing lost
    short = "The council met on day 4. " * (2 * limit // 26)  # many short sentences on one line
    spans = textlib.sentence_spans(short)
    assert len(spans) == short.count(".")  # pieces are cut after a sentence end: every sentence whole
    assert {short[s:e] for s, e in spans} == {"The council met on day 4."}
    blob = "x" * (limit + 10)  # not even a space: cut at the limit
    assert textlib.bounded_pieces(blob, 0, len(blob)) == [(0, limit), (limit, limit + 10)]


def test_a_paragraph_under_the_bound_is_split_as_punkt_splits_it(sample_dir):
    """Pieces only change paragraphs over the bound; below it (every real article) the spans are Punkt's."""
    tok = textlib.sentence_tokenizer()
    for text in load_corpus(sample_dir)["text"]:
        expected = []
        for para in re.finditer(r"[^\n]+", text.translate(textlib.QUOTE_FOLD)):
            for s, e in tok.span_tokenize(para.group()):
                chunk = para.group()[s:e]
                if chunk.strip() and re.search(r"\w", chunk):
                    lead = len(chunk) - len(chunk.lstrip())
                    expected.append((para.start() + s + lead, para.start() + s + len(chunk.rstrip())))
        assert textlib.sentence_spans(text) == expected


def _double_chunk(values):
    if "boom" in values:
        raise ValueError("boom in a chunk")
    return [(os.getpid(), v * 2) for v in values]


def _shared_chunk(func, marker: str, chunk):
    """``func(chunk)``; the test's own process first waits until a worker process has taken a chunk (so that both
    take part, however slowly the worker starts)."""
    import multiprocessing
    import time

    if multiprocessing.parent_process() is not None:
        Path(marker).touch()
    else:
        deadline = time.monotonic() + 120
        while not Path(marker).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    return func(chunk)


def _with_worker(monkeypatch, tmp_path, *modules) -> Path:
    """Make ``in_chunks`` in ``modules`` wait for a worker (see ``_shared_chunk``); returns the marker file."""
    from functools import partial

    from helpers import parallel

    marker = tmp_path / "worker-took-a-chunk"
    for module in modules:
        monkeypatch.setattr(
            module,
            "in_chunks",
            lambda func, *a, **k: parallel.in_chunks(partial(_shared_chunk, func, str(marker)), *a, **k),
        )
    return marker


def test_in_chunks_keeps_order_and_spreads_over_processes(monkeypatch, tmp_path):
    import types

    from helpers import parallel
    from helpers.parallel import chunk_bounds

    assert chunk_bounds([1, 1, 1, 1, 10], 2) == [(0, 4), (4, 5)]
    assert chunk_bounds([5, 5], 4) == [(0, 1), (1, 2)]
    here = types.SimpleNamespace(in_chunks=parallel.in_chunks)
    marker = _with_worker(monkeypatch, tmp_path, here)
    items = list(range(40))
    parts = here.in_chunks(_double_chunk, items, min_items=0, processes=2, chunks_per_process=4)
    assert marker.exists() and len(parts) == 8
    assert [v for part in parts for _, v in part] == [v * 2 for v in items]
    assert {pid for part in parts for pid, _ in part} - {os.getpid()}  # a worker did some
    assert len(parallel.in_chunks(_double_chunk, items, min_items=100, processes=2)) == 1  # too few: one call here
    marker.unlink()
    with pytest.raises(ValueError, match="boom in a chunk"):  # raised in the worker (the last chunk), raised here
        here.in_chunks(_double_chunk, [*items, "boom"], min_items=0, processes=2)


def test_tables_on_two_processes_are_the_one_process_tables(monkeypatch, tmp_path, sample_dir):
    """Tokens, sentences, failures and machine style of chunks done partly in a worker process equal the
    one-process ones."""
    from helpers.parallel import JOBS_VARIABLE
    from helpers.style import machine_style, model

    docs = load_corpus(sample_dir)
    docs = pd.concat([docs, docs.assign(doc_id=docs["doc_id"] + "-copy")], ignore_index=True)
    docs.loc[len(docs) - 1, "text"] = None  # a document tokenising fails on, in the last chunk: the worker's
    got = {}
    monkeypatch.setattr(tokenise, "MIN_PARALLEL_DOCS", 0)
    monkeypatch.setattr(model, "MIN_PARALLEL_DOCS", 0)
    for jobs in ("1", "2"):
        monkeypatch.setenv(JOBS_VARIABLE, jobs)
        marker = _with_worker(monkeypatch, tmp_path, tokenise, model) if jobs == "2" else None
        failures: list = []
        sents, toks = tokenise.sentences_and_tokens(docs, failures=failures)
        if marker is not None:
            assert marker.exists()
            marker.unlink()
        style = machine_style(docs.dropna(subset=["text"]))
        assert marker is None or marker.exists()
        got[jobs] = (sents, toks, failures, style)
    for one, two in zip(got["1"], got["2"]):
        if isinstance(one, pd.DataFrame):
            pd.testing.assert_frame_equal(one, two, check_exact=True)
        else:
            assert one == two and len(one) == 1


def _pid_chunk(values):
    return [os.getpid()] * len(values)


def test_a_kept_worker_serves_the_next_call_and_ends_when_idle(monkeypatch, tmp_path):
    """``keep``: the next call's chunks go to the same worker process (no second start-up); a kept worker that
    gets nothing for ``IDLE_EXIT_S`` seconds ends by itself."""
    import time

    from helpers import parallel

    monkeypatch.setattr(parallel, "IDLE_EXIT_S", 3.0)
    monkeypatch.setattr(parallel, "_kept", [])
    items = list(range(400))
    pids = []
    for _ in range(2):
        deadline = time.monotonic() + 120
        while True:  # a worker that is still starting may leave every chunk to this process: ask again
            got = {
                p for part in parallel.in_chunks(_pid_chunk, items, min_items=0, processes=2, keep=True) for p in part
            }
            workers = got - {os.getpid()}
            if workers or time.monotonic() > deadline:
                break
        assert workers, "no worker took a chunk"
        pids.append(workers)
    assert pids[0] == pids[1]  # the same process
    (kept,) = parallel._kept
    kept.process.join(timeout=30)
    assert not kept.process.is_alive()  # idle too long: it ended
    assert parallel.in_chunks(_double_chunk, items[:10], min_items=0, processes=2, keep=True)  # a new one serves
