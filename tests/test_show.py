"""Tests of helpers.show: escaping and clipping of corpus text for display."""

from __future__ import annotations

from helpers.show import clip, escape, highlight_html


def test_clip_one_line_and_cut_with_ellipsis():
    assert clip("short", 10) == "short"
    assert clip("a  b\n\tc", 10) == "a b c"
    out = clip("word " * 20, 12)
    assert len(out) <= 12 and out.endswith("…") and not out[:-1].endswith(" ")
    assert clip(None, 5) == "" and clip(float("nan"), 5) == ""
    assert clip("<script>", 100) == "<script>"  # plain text: escaping is the caller's job


def test_escape_and_highlight_escape_corpus_text():
    assert escape('<img src=x onerror="a">') == "&lt;img src=x onerror=&quot;a&quot;&gt;"
    html = highlight_html("<b>bold</b> text", [(3, 7)])
    assert "<b>" not in html and "&lt;b&gt;" in html and "<mark" in html
