import json
import logging

import pandas as pd
import pytest

import helpers.corpus.boilerplate as boilerplate_module
import helpers.corpus.cleaning as cleaning_module
import helpers.corpus.html as html_module
import helpers.corpus.inputs as inputs_module
from helpers._data import DataFileError, read_data_text, word_list
from helpers.corpus import (
    Documents,
    apply_metadata,
    boilerplate_patterns,
    decode_bytes,
    duplicate_ids,
    load_corpus,
    read_metadata,
    repeated_lines,
)
from helpers.text import clean_text

ARTICLE = (
    "Rebels advanced on the city on Tuesday, officials said.\n\n"
    "The government denied the reports and said its forces held the line.\n"
)


def write(path, text, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def reasons(docs):
    return dict(
        zip(
            docs.skipped["path"].str.rsplit("/", n=1).str[-1]
            + docs.skipped["record"].map(lambda r: f"#{r}" if r else ""),
            docs.skipped["reason"],
        )
    )


def test_sample_loads_with_titles_and_boilerplate_removed(sample_dir):
    docs = load_corpus(sample_dir)
    assert isinstance(docs, Documents)
    assert list(docs.columns) == ["doc_id", "title", "text", "source", "url", "published", "path"]
    assert len(docs) == 5 and docs["doc_id"].is_unique and docs.skipped.empty
    assert str(docs["published"].dtype) == "datetime64[ns, UTC]"
    copy = docs.set_index("doc_id").loc["004_9db785d974846cbd"]
    assert copy["title"] == "As Assad’s Regime in Syria Needs Help, Iran Exits"
    removed = docs.boilerplate[docs.boilerplate["doc_id"] == "004_9db785d974846cbd"]
    assert len(removed) == 10  # site header + nine scraper/paywall/comment lines
    assert removed["reason"].str.startswith("site header").sum() == 1
    for junk in ("enable JavaScript", "Already a subscriber", "Leave a Reply", "Content is protected"):
        assert junk not in copy["text"]
    assert "Hassan Shemshadi" in copy["text"]  # the story itself is kept
    assert copy["source"] == "george magazine"  # inferred from its own site-header line
    # Nothing of the other versions was removed as boilerplate; the title line left the body.
    assert set(docs.boilerplate["doc_id"]) == {"004_9db785d974846cbd"}
    rewrite = docs.set_index("doc_id").loc["000_12a88f75db66299b"]
    assert rewrite["title"] == "In Syrian Regime’s Hour of Need, Iran Heads For the Exits"
    assert not rewrite["text"].startswith("In Syrian Regime")


def test_text_markdown_and_metadata(tmp_path):
    write(tmp_path / "a.txt", "Headline A\n\n" + ARTICLE)
    write(tmp_path / "b.md", "# Headline B\n\n" + ARTICLE)
    write(
        tmp_path / "metadata.csv",
        "doc_id,source,url,published,title\n"
        "a,Outlet A,http://a.example/1,2024-12-06T10:00:00-05:00,Given title\n"
        "b,Outlet B,,2024-12-07,\n",
    )
    docs = load_corpus(tmp_path).set_index("doc_id")
    assert docs.loc["a", "title"] == "Given title"
    assert docs.loc["b", "title"] == "# Headline B"
    assert docs.loc["a", "source"] == "Outlet A" and docs.loc["a", "url"] == "http://a.example/1"
    assert docs.loc["a", "published"] == pd.Timestamp("2024-12-06T15:00:00Z")
    assert docs.loc["b", "published"] == pd.Timestamp("2024-12-07T00:00:00Z")
    assert docs.loc["a", "text"].startswith("Headline A")  # metadata title given: first line stays text


def test_html_main_text_extracted(tmp_path):
    page = f"""<html><head><title>Rebels advance | Daily Planet</title>
    <meta property="og:site_name" content="Daily Planet"></head><body>
    <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
    <article><h1>Rebels advance on the city</h1>
    <p>{"Rebels advanced on the city on Tuesday, officials said, in a push that surprised the government. " * 3}</p>
    <p>{"The government denied the reports and said its forces held the line around the capital. " * 3}</p></article>
    <footer>Copyright 2024 Daily Planet. All rights reserved. <a href="/privacy">Privacy</a></footer>
    <script>var tracking = 1;</script></body></html>"""
    write(tmp_path / "page.html", page)
    docs = load_corpus(tmp_path)
    assert len(docs) == 1
    text = docs["text"].iloc[0]
    assert "Rebels advanced on the city" in text and "forces held the line" in text
    assert "Sport" not in text and "tracking" not in text and "All rights reserved" not in text
    assert docs["source"].iloc[0] == "Daily Planet"


def test_jsonl_csv_parquet_and_mixed_folder(tmp_path):
    recs = [
        {"id": "j1", "text": ARTICLE, "source": "S1", "published": "2024-12-06"},
        {"id": "j2", "body": "wrong field"},
        {"id": "j3", "text": "Second article text about other events entirely."},
    ]
    lines = [json.dumps(r) for r in recs]
    lines.insert(1, '{"id": "broken", "text": "unterminated')
    write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    write(
        tmp_path / "table.csv",
        'doc_id,headline,content,outlet\nc1,CSV headline,"A CSV article, with a comma.",Outlet C\n',
    )
    pd.DataFrame(
        {"doc_id": ["p1"], "text": ["A parquet article."], "published": [pd.Timestamp("2024-01-01", tz="UTC")]}
    ).to_parquet(tmp_path / "part.parquet")
    write(tmp_path / "note.txt", ARTICLE)
    docs = load_corpus(tmp_path)
    got = docs.set_index("doc_id")
    assert set(got.index) == {"j1", "j3", "c1", "p1", "note"}
    assert got.loc["c1", "title"] == "CSV headline" and got.loc["c1", "source"] == "Outlet C"
    assert got.loc["j1", "source"] == "S1" and got.loc["j1", "published"] == pd.Timestamp("2024-12-06", tz="UTC")
    assert got.loc["p1", "text"] == "A parquet article."
    r = reasons(docs)
    assert r["feed.jsonl#line 2"].startswith("malformed JSONL line")
    assert r["feed.jsonl#line 3"] == "empty text"  # record without the text field is listed, not dropped


def test_csv_without_text_column(tmp_path):
    write(tmp_path / "t.csv", "id,headline\n1,Only a headline\n")
    write(tmp_path / "ok.txt", ARTICLE)
    docs = load_corpus(tmp_path)
    assert list(docs["doc_id"]) == ["ok"]
    assert reasons(docs)["t.csv"].startswith("no text column")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
def test_encodings(tmp_path, encoding):
    text = (
        "Café owners in Zürich said the “crisis” cost €2 million — naïvely.\n"
        if encoding not in {"latin-1"}
        else "Café owners in Zürich said the crisis was naïve; it cost 2 million.\n"
    )
    write(tmp_path / "doc.txt", text * 3, encoding=encoding)
    docs = load_corpus(tmp_path)
    assert len(docs) == 1, docs.skipped
    assert "Café owners in Zürich" in docs["text"].iloc[0]
    assert "naïv" in docs["text"].iloc[0]


def test_bad_inputs_are_listed_not_dropped(tmp_path):
    write(tmp_path / "good.txt", ARTICLE)
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "blank.txt", "   \n\n  \t\n")
    write(tmp_path / "binary.txt", bytes(range(256)) * 40)
    write(tmp_path / "garbage.txt", bytes([0x80 + (i * 37) % 120 for i in range(4000)]))
    write(tmp_path / "huge.txt", "word " * 300_000)
    write(tmp_path / "image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    write(tmp_path / "sub" / "good.md", ARTICLE)  # same stem in another folder: distinct id
    write(
        tmp_path / "dups.jsonl",
        json.dumps({"id": "good", "text": "Another good article."})
        + "\n"
        + json.dumps({"id": "x1", "text": "First."})
        + "\n"
        + json.dumps({"id": "x1", "text": "Again."})
        + "\n",
    )
    write(tmp_path / "only_junk.txt", "Leave a Reply\nPlease enable JavaScript in your browser settings.\n")
    docs = load_corpus(tmp_path, max_bytes=1_000_000)
    r = reasons(docs)
    assert set(docs["doc_id"]) == {"good", "sub/good", "x1"}
    assert r["empty.txt"] == "empty file"
    assert r["blank.txt"].startswith("no text")
    assert r["binary.txt"].startswith("binary file")
    assert r["garbage.txt"] == "undecodable bytes: no text encoding fits"
    assert r["huge.txt"].startswith("file over the size limit")
    assert r["image.png"].startswith("unsupported file type")
    assert r["good.txt"].startswith("duplicate doc_id 'good' (first in")  # inputs are read in sorted order
    assert r["dups.jsonl#line 3"].startswith("duplicate doc_id 'x1'")
    assert r["only_junk.txt"] == "no text left after removing boilerplate"
    n_inputs = 12  # ten files, one of them holding three records
    assert len(docs) + len(docs.skipped) == n_inputs


def test_empty_folder_and_missing_path(tmp_path):
    docs = load_corpus(tmp_path)
    assert docs.empty and list(docs.columns)[:3] == ["doc_id", "title", "text"]
    with pytest.raises(FileNotFoundError):
        load_corpus(tmp_path / "nope")


def test_repeated_short_lines_are_boilerplate_but_copied_paragraphs_are_not(tmp_path):
    para = "Iran began evacuating its military commanders and personnel from Syria on Friday, officials said."
    for i in range(4):
        write(
            tmp_path / f"d{i}.txt",
            f"Title {i}\n\nUnique story text number {i} about events.\n{para}\nShare this story with friends\n",
        )
    docs = load_corpus(tmp_path)
    assert all(para in t for t in docs["text"])
    assert (docs.boilerplate["line"] == "Share this story with friends").sum() == 4
    assert docs.boilerplate["reason"].str.startswith("repeated in 4 documents").all()
    assert repeated_lines(["a b\nc", "a b\nd"], min_docs=2) == {"a b": 2}


def test_unicode_normalisation():
    assert clean_text("ﬁne\u00a0day\u200b\r\nnext\u3000line ") == "fine day\nnext line"
    text, enc = decode_bytes("é".encode("utf-16"))
    assert text == "é" and enc == "utf-16"


def test_documents_table_keeps_its_side_tables_through_slicing(sample_dir):
    docs = load_corpus(sample_dir)
    sub = docs[docs["doc_id"] != "004_9db785d974846cbd"]
    assert isinstance(sub, Documents) and len(sub) == len(docs) - 1
    assert sub.boilerplate is docs.boilerplate and sub.skipped is docs.skipped


# ------------------------------------------------------------------------------------------ shared steps
def test_duplicate_ids_keep_the_first_and_name_it():
    records = pd.DataFrame(
        {"doc_id": ["a", "b", "a", "a"], "path": ["f1", "f2", "f3", "f4"], "record": ["", "", "line 2", ""]}
    )
    duplicate, skipped = duplicate_ids(records)
    assert duplicate.tolist() == [False, False, True, True]
    assert skipped.to_dict("records") == [
        {"path": "f3", "record": "line 2", "reason": "duplicate doc_id 'a' (first in f1)"},
        {"path": "f4", "record": "", "reason": "duplicate doc_id 'a' (first in f1)"},
    ]


def test_metadata_needs_doc_id_and_fills_only_non_empty_values(tmp_path):
    (tmp_path / "metadata.csv").write_text("id,source\na,X\n", encoding="utf-8")
    with pytest.raises(ValueError, match="doc_id column"):
        read_metadata(tmp_path)
    (tmp_path / "metadata.csv").write_text("doc_id,source,url\na,Meta A,\na,second row loses,\n", encoding="utf-8")
    meta = read_metadata(tmp_path)
    raw = pd.DataFrame({"doc_id": ["a", "b"], "source": ["own a", "own b"], "url": ["u-a", "u-b"]})
    out = apply_metadata(raw, meta)
    assert out["source"].tolist() == ["Meta A", "own b"] and out["url"].tolist() == ["u-a", "u-b"]
    assert read_metadata(tmp_path / "nowhere") is None


# ------------------------------------------------------------------------------------------ loud failures
@pytest.fixture
def patterns_file(monkeypatch):
    """Replace the shipped boilerplate patterns by a given text (the cache is cleared before and after)."""

    def use(text):
        monkeypatch.setattr(boilerplate_module, "read_data_text", lambda name: text)
        boilerplate_patterns.cache_clear()

    yield use
    boilerplate_patterns.cache_clear()


@pytest.mark.parametrize(
    "text,message",
    [
        ("# comment\nscraper  \\benable javascript\\b\n", "line 2: expected <category><TAB>"),
        ("paywall\t(unclosed\n", "line 1: invalid regular expression"),
        ("# only comments\n\n", "holds no pattern"),
    ],
)
def test_a_broken_pattern_file_is_an_error_not_an_empty_regex(patterns_file, text, message):
    patterns_file(text)
    with pytest.raises(DataFileError, match=message):
        boilerplate_patterns()


def test_shipped_patterns_load(patterns_file):
    patterns_file(read_data_text(boilerplate_module.PATTERNS_FILE))
    categories = {category for category, _ in boilerplate_patterns()}
    assert {"paywall", "scraper", "cookie", "comment form"} <= categories


def test_a_missing_or_empty_shipped_file_is_an_error(monkeypatch):
    with pytest.raises(DataFileError, match="helpers/data/no_such_list.txt cannot be read"):
        read_data_text("no_such_list.txt")
    monkeypatch.setattr("helpers._data.read_data_text", lambda name: "# nothing but a comment\n")
    with pytest.raises(DataFileError, match="holds no entry"):
        word_list.__wrapped__("empty_list.txt")


def test_an_unexpected_error_on_one_input_is_logged_counted_and_listed(tmp_path, monkeypatch, caplog):
    write(tmp_path / "a.txt", ARTICLE)
    write(tmp_path / "b.txt", "POISON-READ\n" + ARTICLE)
    write(tmp_path / "c.txt", "Other headline\n\nPOISON-CLEAN " + ARTICLE)
    real_decode, real_clean = inputs_module.decode_bytes, cleaning_module.clean_text

    def decode(data):
        if b"POISON-READ" in data:
            raise RuntimeError("reader bug")
        return real_decode(data)

    def clean(text):
        if "POISON-CLEAN" in text:
            raise KeyError("cleaner bug")
        return real_clean(text)

    monkeypatch.setattr(inputs_module, "decode_bytes", decode)
    monkeypatch.setattr(cleaning_module, "clean_text", clean)
    with caplog.at_level(logging.WARNING, logger="helpers.corpus"):
        docs = load_corpus(tmp_path)
    assert list(docs["doc_id"]) == ["a"]
    r = reasons(docs)
    assert r["b.txt"] == "unexpected error while reading: RuntimeError: reader bug"
    assert r["c.txt"] == "unexpected error while cleaning: KeyError: 'cleaner bug'"
    tracebacks = [rec for rec in caplog.records if rec.levelno == logging.ERROR and rec.exc_info]
    assert sorted(str(rec.exc_info[1]) for rec in tracebacks) == ["'cleaner bug'", "reader bug"]
    assert "2 input(s) lost to unexpected errors" in caplog.text


def test_a_failing_html_extraction_is_logged_and_listed(tmp_path, monkeypatch, caplog):
    write(tmp_path / "page.html", "<html><body><p>" + ARTICLE + "</p></body></html>")
    write(tmp_path / "a.txt", ARTICLE)

    def extract(page):
        raise ValueError("lxml choked")

    monkeypatch.setattr(html_module, "extract_html", extract)
    with caplog.at_level(logging.WARNING, logger="helpers.corpus"):
        docs = load_corpus(tmp_path)
    assert list(docs["doc_id"]) == ["a"]
    assert reasons(docs)["page.html"] == "HTML extraction failed: ValueError: lxml choked"
    assert any("HTML extraction failed for" in rec.getMessage() and rec.exc_info for rec in caplog.records)


def test_patterns_are_skipped_only_when_they_cannot_match(sample_dir):
    """pattern_category skips a pattern on an ASCII line without any string the pattern requires: the same
    category as running every pattern, on the sample's lines and on furniture in odd cases and scripts."""
    from helpers.corpus.boilerplate import boilerplate_patterns, pattern_category, required_strings

    assert required_strings(r"\b(log|sign) ?in(to)? (to|with) (continue|read|your)\b") == {"continue", "read", "your"}
    assert required_strings(r"(a|b)?\w+") is None  # nothing is required
    lines = [line.strip() for p in sorted(sample_dir.glob("*.txt")) for line in p.read_text().splitlines()]
    lines += [
        "SUBSCRIBE NOW to keep reading",
        "Share this article",
        "© 2024 Example News. All Rights Reserved.",
        "Privacy Policy | Terms of Use",
        "Ⓒ Déjà vu: Subscribe to our Newsletter",
        "İnstagram: follow us on it",
        "3 Comments",
        "Read more",
        "advertisement ---",
    ]

    def every_pattern(line):
        return next((category for category, rx in boilerplate_patterns() if rx.search(line)), None)

    assert [pattern_category(line) for line in lines] == [every_pattern(line) for line in lines]
    assert sum(pattern_category(line) is not None for line in lines) >= 8


def test_title_is_the_first_line_that_is_not_furniture(tmp_path):
    """A media-player notice or a line repeated across the site is not the headline."""
    for i in range(3):
        body = f"Rebels advanced on city {i} on Tuesday, officials said.\n\nThe government of region {i} denied it.\n"
        write(tmp_path / f"p{i}.txt", f"Can not play media.\nGet our app today\nHeadline number {i}\n\n{body}")
    docs = load_corpus(tmp_path)
    assert list(docs["title"]) == ["Headline number 0", "Headline number 1", "Headline number 2"]
    assert set(docs.boilerplate["line"]) == {"Can not play media.", "Get our app today"}
    assert not docs["text"].str.contains("Headline number|Can not play").any()
