"""Cutting a family that holds two stories: two dense groups joined by many unlikely links are cut apart; one
story with a few weak links stays whole; small families are left alone."""

from __future__ import annotations

import importlib

import numpy as np

cut = importlib.import_module("helpers.neardup.families.story_cut")


def _two_groups(within: float, across: float, size: int = 5):
    """Two groups of ``size`` documents, every pair linked: P ``within`` inside a group, ``across`` between."""
    rows, cols, prob = [], [], []
    for i in range(2 * size):
        for j in range(i + 1, 2 * size):
            rows.append(i)
            cols.append(j)
            prob.append(within if (i < size) == (j < size) else across)
    return np.array(rows), np.array(cols), np.array(prob)


def test_two_stories_joined_by_unlikely_links_are_cut_apart():
    rows, cols, prob = _two_groups(0.9, 0.2)
    got = cut.cut_two_story_families(np.zeros(10, np.int64), rows, cols, prob, threshold=0.3, min_size=4)
    assert got.tolist() == [0] * 5 + [1] * 5


def test_links_across_at_the_threshold_or_above_keep_the_family():
    rows, cols, prob = _two_groups(0.9, 0.35)
    got = cut.cut_two_story_families(np.zeros(10, np.int64), rows, cols, prob, threshold=0.3, min_size=4)
    assert set(got) == {0}


def test_a_cut_part_is_tried_again_and_small_families_stay():
    rows, cols, prob = _two_groups(0.9, 0.1, size=6)
    # the second group holds two stories of three documents each
    third = (rows >= 6) & (cols >= 6) & ((rows < 9) != (cols < 9))
    prob = np.where(third, 0.1, prob)
    got = cut.cut_two_story_families(np.zeros(12, np.int64), rows, cols, prob, threshold=0.3, min_size=4)
    assert got.tolist() == [0] * 6 + [1] * 3 + [2] * 3
    assert set(cut.cut_two_story_families(np.zeros(12, np.int64), rows, cols, prob, 0.3, min_size=13)) == {0}
    assert set(cut.cut_two_story_families(np.zeros(12, np.int64), rows, cols, prob, 0.3, min_size=0)) == {0}
