"""A news corpus of any size with planted story families, built from REAL sentences in ``../shared``.

    python benchmarks/story_scale_corpus.py --size 100000      # -> benchmarks/.cache/story_scale_100000.parquet

Sentences: every article of Timeline17 (13 topics), AllSides/NeuS snippets, DUC 2004, ECB+ and the L2R news set
(:func:`real_corpus.sources`), split by :func:`helpers.text.sentence_spans`, grouped by *topic* (the Timeline17
topic, the DUC cluster, the ECB+ topic, the AllSides story, the L2R story), so that names, numbers and topic words
are those of real news.

Stories: an *original* is 12-35 sentences of one topic in their source order (a news-length article: 300-900
words), dated uniformly over ``--span-days``. About 40 % of stories have no other version (same-topic
distractors: other stories drawn from the same topic's sentences); the others get 1-7 versions, each dated 0-10
days after the original, one of:

- ``copy``: the same text under another outlet's headline line;
- ``excerpt``: a contiguous 40-70 % of the sentences;
- ``lead``: the first 3-5 sentences (a headline and lead, as aggregators run them);
- ``reordered``: the sentences shuffled, 0-20 % dropped;
- ``rewrite``: 30 % of the sentences replaced by other sentences of the topic and 30 % edited (words dropped,
  neighbouring words swapped), the rest kept.

Deterministic (``--seed``): the same size gives the same corpus. Columns: ``doc_id``, ``title``, ``text``,
``source``, ``published``, ``story`` (the planted family), ``kind``. Written to ``benchmarks/.cache/`` (never
committed). Collages of one topic's sentences are not coherent articles: this corpus measures speed, memory and
agreement between engines, not accuracy against human story labels.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
KINDS = ("copy", "excerpt", "lead", "reordered", "rewrite")


def sentence_pool() -> pd.DataFrame:
    """``topic``, ``sentence`` of every real article (cached as Parquet in ``benchmarks/.cache``)."""
    path = CACHE / "story_scale_sentences.parquet"
    if path.exists():
        return pd.read_parquet(path)
    sys.path.insert(0, str(HERE))
    from real_corpus import sources

    from helpers.text import sentence_spans

    rows = []
    for set_name, docs in sources().items():
        for r in docs:
            topic = f"{set_name}/{r['label']}"
            text = r["text"]
            for s, e in sentence_spans(text):
                sent = " ".join(text[s:e].split())
                if len(sent.split()) >= 5:
                    rows.append((topic, sent))
    pool = pd.DataFrame(rows, columns=["topic", "sentence"])
    CACHE.mkdir(parents=True, exist_ok=True)
    pool.to_parquet(path, index=False)
    return pool


def _edit(sentence: str, rng: np.random.Generator) -> str:
    """A sentence with about 15 % of its words dropped and a pair of neighbouring words swapped."""
    words = sentence.split()
    keep = [w for w in words if rng.random() >= 0.15] or words
    if len(keep) > 3:
        i = int(rng.integers(0, len(keep) - 1))
        keep[i], keep[i + 1] = keep[i + 1], keep[i]
    return " ".join(keep)


def _version(kind: str, sents: list[str], topic: np.ndarray, rng: np.random.Generator) -> list[str]:
    n = len(sents)
    if kind == "copy":
        return list(sents)
    if kind == "excerpt":
        m = max(2, int(n * rng.uniform(0.4, 0.7)))
        start = int(rng.integers(0, n - m + 1))
        return sents[start : start + m]
    if kind == "lead":
        return sents[: int(rng.integers(3, 6))]
    if kind == "reordered":
        order = rng.permutation(n)
        return [sents[i] for i in order if rng.random() >= rng.uniform(0, 0.2)] or list(sents)
    out = []
    for s in sents:  # rewrite
        u = rng.random()
        out.append(str(topic[rng.integers(0, len(topic))]) if u < 0.3 else _edit(s, rng) if u < 0.6 else s)
    return out


COLUMNS = ["doc_id", "title", "text", "source", "published", "story", "kind"]
ROW_GROUP = 50_000  # rows per Parquet row group: writing holds one group of rows (and one of the draft) at a time


def _rows(size: int, rng: np.random.Generator, span_days: int) -> Iterator[tuple]:
    """The ``size`` rows of the corpus in story order (each story's original, then its versions); the last story
    is drawn whole even when cut, so ``rng`` ends in the same state whatever the chunking."""
    pool = sentence_pool()
    topics = {t: g["sentence"].to_numpy() for t, g in pool.groupby("topic", sort=True)}
    names = [t for t, s in topics.items() if len(s) >= 40]  # a topic with enough sentences for a news article
    weight = np.array([len(topics[t]) for t in names], dtype=float)
    weight /= weight.sum()
    start = pd.Timestamp("2020-01-01", tz="UTC")
    made = story = 0
    while made < size:
        topic = topics[names[rng.choice(len(names), p=weight)]]
        m = int(rng.integers(12, 36))
        first = int(rng.integers(0, max(1, len(topic) - 3 * m)))
        picks = np.sort(
            rng.choice(np.arange(first, min(len(topic), first + 3 * m)), size=min(m, len(topic)), replace=False)
        )
        sents = [str(topic[i]) for i in picks]
        day = start + pd.Timedelta(days=float(rng.uniform(0, span_days)))
        rows = [(f"s{story}-0", sents[0], " ".join(sents[1:]), f"site{rng.integers(0, 500)}", day, story, "original")]
        versions = 0 if rng.random() < 0.4 else int(rng.integers(1, 8))
        for v in range(1, versions + 1):
            kind = KINDS[int(rng.integers(0, len(KINDS)))]
            body = _version(kind, sents, topic, rng)
            title = body[0] if kind != "copy" else f"{sents[0]} | site{rng.integers(0, 500)}"
            when = day + pd.Timedelta(days=float(rng.uniform(0, 10)))
            rows.append((f"s{story}-{v}", title, " ".join(body[1:]), f"site{rng.integers(0, 500)}", when, story, kind))
        yield from rows[: size - made]
        made += len(rows)
        story += 1


def _table(rows: list[tuple]) -> pa.Table:
    return pa.Table.from_pandas(pd.DataFrame(rows, columns=COLUMNS), preserve_index=False)


def build(size: int, seed: int = 15, span_days: int = 730) -> pd.DataFrame:
    """``size`` documents with planted families (see the module docstring), in memory: for small sizes."""
    rng = np.random.default_rng(seed)
    docs = pd.DataFrame(list(_rows(size, rng, span_days)), columns=COLUMNS)
    return docs.iloc[rng.permutation(len(docs))].reset_index(drop=True)


def write(path: Path, size: int, seed: int = 15, span_days: int = 730) -> None:
    """:func:`build`'s corpus (the same rows in the same order) written to ``path`` in row groups of
    ``ROW_GROUP`` without holding the table: the rows in story order go to a draft file a group at a time, then
    each shuffled row group gathers its rows from the draft's groups."""
    rng = np.random.default_rng(seed)
    draft = path.with_suffix(".draft.parquet")
    rows, writer = [], None
    for row in _rows(size, rng, span_days):
        rows.append(row)
        if len(rows) == ROW_GROUP:
            table = _table(rows)
            writer = writer or pq.ParquetWriter(draft, table.schema)
            writer.write_table(table)
            rows = []
    if rows or writer is None:
        table = _table(rows)
        writer = writer or pq.ParquetWriter(draft, table.schema)
        writer.write_table(table)
    writer.close()
    order = rng.permutation(size)
    source = pq.ParquetFile(draft)
    with pq.ParquetWriter(path, source.schema_arrow) as out:
        for lo in range(0, size, ROW_GROUP):
            want = order[lo : lo + ROW_GROUP]
            by_group = np.argsort(want // ROW_GROUP, kind="stable")
            pieces = []
            for g in np.unique(want // ROW_GROUP).tolist():
                rows_g = want[by_group][want[by_group] // ROW_GROUP == g] - g * ROW_GROUP
                pieces.append(source.read_row_group(g).take(pa.array(rows_g)))
            gathered = pa.concat_tables(pieces)
            out.write_table(gathered.take(pa.array(np.argsort(by_group, kind="stable"))))
    draft.unlink()


def regroup(path: Path) -> int:
    """Rewrite a corpus file into row groups of ``ROW_GROUP`` rows, streaming (one batch in memory; a file
    written in one row group by the earlier generator is read page by page). Returns the row groups written."""
    source = pq.ParquetFile(path, buffer_size=1 << 20, pre_buffer=False)
    tmp = path.with_suffix(".regroup.parquet")
    groups = 0
    with pq.ParquetWriter(tmp, source.schema_arrow) as out:
        for batch in source.iter_batches(batch_size=ROW_GROUP):
            out.write_table(pa.Table.from_batches([batch]))
            groups += 1
    tmp.replace(path)
    return groups


def cached(size: int, seed: int = 15) -> pd.DataFrame:
    """The corpus of ``size`` documents from ``benchmarks/.cache`` (written there the first time)."""
    path = CACHE / f"story_scale_{size}_{seed}.parquet"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        write(path, size, seed)
    return pd.read_parquet(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--regroup", type=Path, help="rewrite this corpus file into row groups of 50,000 rows, then stop")
    args = ap.parse_args(argv)
    if args.regroup:
        print(f"{args.regroup}: {regroup(args.regroup)} row groups")
        return 0
    if not (HERE.parents[1] / "shared" / "benchmarks").is_dir():
        print("skipped: ../shared/benchmarks not found beside the checkout")
        return 0
    docs = cached(args.size, args.seed)
    words = docs["text"].str.split().str.len()
    print(
        f"{len(docs)} documents, {docs['story'].nunique()} stories, median {int(words.median())} words; "
        f"kinds: {docs['kind'].value_counts().to_dict()}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
