"""Tests of helpers.neardup.align: excerpts, edits, reordered passages, offsets, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.neardup.align import align

COLUMNS = ["a_start", "a_end", "b_start", "b_end", "score"]


def _text(seed: int, n_sent: int) -> str:
    rng = np.random.default_rng(seed)
    vocab = [f"{c}{i}" for i in range(4000) for c in ("ka", "mo")][::2]
    sents = []
    for _ in range(n_sent):
        words = [vocab[i] for i in rng.integers(0, len(vocab), rng.integers(10, 22))]
        sents.append(" ".join(words).capitalize() + ".")
    return " ".join(sents)


def _overlap(s1, e1, s2, e2) -> float:
    """Share of [s2, e2) covered by [s1, e1)."""
    return max(0, min(e1, e2) - max(s1, s2)) / (e2 - s2)


def _embedded(passage: str, seed: int) -> tuple[str, int]:
    """``passage`` between two unrelated filler texts (seeds ``seed``, ``seed + 1``), and where it starts."""
    filler = _text(seed, 12)
    return filler + " " + passage + " " + _text(seed + 1, 12), len(filler) + 1


def _one_passage(out, a_span: tuple[int, int], b_span: tuple[int, int]):
    """Assert ``out`` is one passage covering both spans (95 %); return it."""
    assert len(out) == 1, out
    r = out.iloc[0]
    assert _overlap(r.a_start, r.a_end, *a_span) > 0.95
    assert _overlap(r.b_start, r.b_end, *b_span) > 0.95
    return r


def test_excerpt_found_with_offsets():
    src = _text(1, 60)
    filler1, filler2 = _text(2, 15), _text(3, 15)
    passage = src[src.index(".", 2000) + 2 : src.index(".", 3500) + 1]
    susp = filler1 + " " + passage + " " + filler2
    out = align(susp, src)
    assert list(out.columns) == COLUMNS
    assert len(out) == 1
    r = out.iloc[0]
    a0 = len(filler1) + 1
    b0 = src.index(passage)
    assert _overlap(r.a_start, r.a_end, a0, a0 + len(passage)) > 0.95
    assert _overlap(r.b_start, r.b_end, b0, b0 + len(passage)) > 0.95
    assert (r.a_end - r.a_start) < 1.1 * len(passage)
    assert 0.8 < r.score <= 1.0


def test_reordered_and_edited_passages():
    src = _text(4, 80)
    sents = src.split(". ")
    p1 = ". ".join(sents[5:15]) + "."
    p2 = ". ".join(sents[50:62]) + "."
    # light edits in the second passage: drop and substitute a few words
    words = p2.split()
    words = [("zzchanged" if i % 9 == 4 else w) for i, w in enumerate(words) if i % 13 != 7]
    p2e = " ".join(words)
    filler = _text(5, 12)
    susp = p2e + " " + filler + " " + p1  # reordered: later source passage comes first
    out = align(susp, src).sort_values("a_start").reset_index(drop=True)
    assert len(out) == 2, out
    first, second = out.iloc[0], out.iloc[1]
    assert _overlap(first.a_start, first.a_end, 0, len(p2e)) > 0.9
    b2 = src.index(sents[50])
    assert _overlap(first.b_start, first.b_end, b2, b2 + len(p2)) > 0.9
    a1 = susp.index(p1)
    b1 = src.index(p1[:-1])
    assert _overlap(second.a_start, second.a_end, a1, a1 + len(p1)) > 0.9
    assert _overlap(second.b_start, second.b_end, b1, b1 + len(p1)) > 0.9
    assert first.b_start > second.b_start  # reordering preserved


def test_unrelated_texts_give_nothing():
    assert align(_text(6, 40), _text(7, 40)).empty


def test_deterministic():
    src = _text(8, 40)
    susp = _text(9, 10) + " " + src[500:2500]
    out = align(susp, src)
    assert len(out) == 1 and out.equals(align(susp, src))


def test_bad_input():
    t = _text(10, 20)
    for a, b in [("", t), (t, ""), ("", ""), ("word", t), ("word", "word"), ("   \n", "...")]:
        out = align(a, b)
        assert list(out.columns) == COLUMNS and out.empty
    with pytest.raises(TypeError):
        align(None, t)
    same = align(t, t)
    assert len(same) == 1 and same.iloc[0].a_start <= 5 and same.iloc[0].a_end >= len(t) - 5


def test_five_megabyte_document():
    big = _text(11, 60_000)
    assert len(big) > 5_000_000
    passage = big[2_000_000 : 2_000_000 + 3000]
    passage = passage[passage.index(". ") + 2 : passage.rindex(". ") + 1]
    small = _text(12, 10) + " " + passage
    out = align(small, big)
    assert len(out) == 1
    b0 = big.index(passage)
    assert _overlap(out.iloc[0].b_start, out.iloc[0].b_end, b0, b0 + len(passage)) > 0.9


def test_summary_of_copied_sentences_is_one_passage():
    """Copied sentence pairs from three distant places of the source, adjacent in ``a``: one summary passage."""
    src = _text(20, 60)
    sents = src.split(". ")
    summary = ". ".join(". ".join(sents[k : k + 2]) for k in (5, 25, 45)) + "."
    susp, a0 = _embedded(summary, 21)
    b0, b1 = src.index(sents[5]), src.index(sents[46]) + len(sents[46])
    _one_passage(align(susp, src), (a0, a0 + len(summary)), (b0, b1))
    # without the merge, the same input gives three pieces
    assert len(align(susp, src, adjacent_gap=-1)) == 3


def test_copy_next_to_a_topical_sentence_is_not_a_summary():
    """A verbatim passage followed by a sentence loosely like a distant source sentence stays one tight copy."""
    src = _text(20, 60)
    sents = src.split(". ")
    passage = ". ".join(sents[10:16]) + "."
    w = sents[32].split()
    topical = " ".join(w[: len(w) * 2 // 3] + _text(23, 1).split()[:5]).capitalize() + "."
    filler = _text(21, 12)
    susp = filler + " " + passage + " " + topical + " " + _text(22, 12)
    b0, b1 = src.index(sents[10]), src.index(sents[15]) + len(sents[15])
    out = align(susp, src)
    assert len(out) == 1, out
    r = out.iloc[0]
    assert _overlap(r.b_start, r.b_end, b0, b1) > 0.95
    assert (r.b_end - r.b_start) < 1.1 * (b1 - b0)
    assert r.score > 0.9
    # the summary pass alone would have stretched the source side over the topical sentence
    loose = align(susp, src, summary_max_score=1.01).iloc[0]
    assert loose.b_end - loose.b_start > 1.5 * (b1 - b0)


def test_few_shared_words_are_not_reuse():
    """Two sentences on the same topic sharing a handful of words are not a reused passage."""
    sb = (
        "Officials said on Monday that the new bridge over the river would finally open to traffic in the spring, "
        "after years of delays and rising costs that have been a burden for the city."
    )
    sa = (
        "Residents of the city said that they had waited for years and years for the new bridge, and that all of "
        "the delays over the river had become something of a joke in the town by now."
    )
    a = _text(30, 20) + " " + sa + " " + _text(31, 20)
    b = _text(32, 20) + " " + sb + " " + _text(33, 20)
    assert align(a, b).empty
    assert len(align(a, b, min_shared=0)) == 1  # the evidence filter is what drops it


def test_long_passage_beats_a_stronger_short_one_inside_it():
    """An edited six-sentence copy stays one passage although two of its sentences also occur verbatim elsewhere."""
    src = _text(40, 60)
    sents = src.split(". ")
    part = sents[10:16]
    edited = ". ".join(" ".join("zzedit" if i % 6 == 3 else w for i, w in enumerate(s.split())) for s in part) + "."
    src2 = src + " " + ". ".join(part[2:4]) + "."  # two of the sentences again, verbatim, at the end of b
    susp, a0 = _embedded(edited, 41)
    b0, b1 = src.index(part[0]), src.index(part[-1]) + len(part[-1])
    _one_passage(align(susp, src2), (a0, a0 + len(edited)), (b0, b1))
    # on score alone, the verbatim pair of sentences would win and the rest of the copy would be lost
    short = align(susp, src2, overlap_length_weight=0.0).iloc[0]
    assert short.b_start >= len(src)


def test_hard_wrapped_text_keeps_whole_sentences():
    """Line breaks inside sentences (hard-wrapped text) do not cut units; a copy re-wrapped aligns fully."""
    from helpers.neardup.align import prepare_text

    src = _text(43, 40)
    sents = src.split(". ")
    passage = ". ".join(sents[10:18]) + "."
    words = passage.split(" ")
    wrapped = "\n".join(" ".join(words[i : i + 7]) for i in range(0, len(words), 7))
    joined = prepare_text(wrapped, 3, True)
    cut = prepare_text(wrapped, 3, False)
    assert len(joined.spans) <= 8 < len(cut.spans)
    susp, a0 = _embedded(wrapped, 44)
    b0 = src.index(sents[10])
    _one_passage(align(susp, src), (a0, a0 + len(wrapped)), (b0, b0 + len(passage)))


def test_summary_of_short_copied_sentences():
    """Three copied sentences, each too short to count alone, from distant places of the source: one passage."""
    src = _text(20, 60)
    sents = src.split(". ")
    ok = [i for i, s in enumerate(sents) if 110 <= len(s) <= 145]
    pick = [sents[i] for i in (ok[1], ok[len(ok) // 2], ok[-2])]
    summary = ". ".join(pick) + "."
    susp, a0 = _embedded(summary, 21)
    b0, b1 = src.index(pick[0]), src.index(pick[-1]) + len(pick[-1])
    _one_passage(align(susp, src), (a0, a0 + len(summary)), (b0, b1))
    assert align(susp, src, adjacent_min_chars=0).empty  # each piece alone is below min_chars
    assert align(_embedded(pick[0], 21)[0], src).empty  # and one such sentence alone is not reuse


def test_identical_unspaced_script_text():
    """Text with few distinct 'words' (no spaces between words) still aligns with itself: the shared-word evidence
    filter falls back to a share of the words."""
    t = "这是一个关于新桥的测试句子。\n第二句话说的是河上的那座桥。" * 40
    out = align(t, t)
    assert len(out) == 1
    assert out.iloc[0].a_start <= 5 and out.iloc[0].a_end >= len(t) - 5


def test_best_cells_are_each_columns_top_rows_of_a_stable_sort():
    from helpers.framing.align import _best_cells

    rng = np.random.default_rng(0)
    for _ in range(200):  # coarse values: many ties, and many cells below the threshold
        shape = rng.integers(0, 25, size=2)
        sim = np.round(rng.random(shape), 1) * rng.integers(0, 2, size=shape)
        k, threshold = int(rng.integers(1, 4)), float(rng.choice([0.0, 0.3, 0.6]))
        expected = []
        for j in range(sim.shape[1]):
            for i in np.argsort(-sim[:, j], kind="stable")[:k]:
                if sim[i, j] < threshold:
                    break
                expected.append((int(i), int(j)))
        i, j = np.nonzero(np.ones_like(sim))  # every cell, in any order
        rows, cols, scores = _best_cells(i[::-1], j[::-1], sim[i, j][::-1], k, threshold)
        assert list(zip(rows.tolist(), cols.tolist())) == expected
        assert scores.tolist() == [sim[a, b] for a, b in expected]
