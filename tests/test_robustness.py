"""No document can fail a run: each hostile input is placed beside the sample, the whole pipeline runs (all four
notebooks), the input is analysed or listed (skipped or failed), and the sample's own results are unchanged.

Slow (whole runs on megabytes): ``pytest -m slow tests/test_robustness.py``.
"""

import random
import shutil

import pandas as pd
import pytest
from conftest import SAMPLE, run_cli

pytestmark = pytest.mark.slow

WORDS = "council minister rebels city market report officials army village water police school road court".split()
MiB = 1 << 20


def _many_sentences(size: int) -> str:
    """Short varied sentences, a paragraph break every twelve, ``size`` characters."""
    rng, out, n = random.Random(size), [], 0
    while n < size:
        s = f"The {rng.choice(WORDS)} {rng.choice(WORDS)} met on day {len(out) % 97}. "
        out.append(s + ("\n" if len(out) % 12 == 11 else ""))
        n += len(out[-1])
    return "".join(out)


def _one_line(size: int) -> str:
    rng = random.Random(3)
    return " ".join(rng.choice(WORDS) for _ in range(size // 6))  # no punctuation, no line break


def _one_word_lines(n: int) -> str:
    rng = random.Random(4)
    return "\n".join(rng.choice(WORDS) + str(i % 1000) for i in range(n))


FAKE_PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n" + bytes(range(256)) * 64

CASES = {
    "sentences_5mb": lambda: _many_sentences(5 * MiB).encode(),
    "sentences_20mb": lambda: _many_sentences(20 * MiB).encode(),
    "one_line_no_punctuation": lambda: _one_line(5 * MiB).encode(),
    "pdf_named_txt": lambda: FAKE_PDF,
    "million_one_word_lines": lambda: _one_word_lines(1_000_000).encode(),
}
# Per-document results that do not depend on the rest of the corpus: the sample's rows must not change.
PER_DOCUMENT = {"sentences": ["doc_id", "sent_id"], "document_stats": ["doc_id"], "timexes": ["doc_id", "start"]}


def _rows(run, table, keys, doc_ids):
    df = pd.read_csv(run / "tables" / f"{table}.csv", keep_default_na=False, dtype=str)
    df = df[df["doc_id"].isin(doc_ids)]
    return df.assign(**{k: pd.to_numeric(df[k]) for k in keys if k != "doc_id"}).sort_values(keys)


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_document_beside_the_sample_is_analysed_or_listed(case, sample_run, tmp_path):
    reference, _ = sample_run
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus)
    (corpus / f"{case}.txt").write_bytes(CASES[case]())
    out = tmp_path / "run"
    proc = run_cli("run", "--corpus", str(corpus), "--out", str(out), "--params", str(SAMPLE / "params.yaml"),
                   "--no-progress", timeout=3600)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    docs = pd.read_csv(out / "tables" / "documents.csv", keep_default_na=False)
    skipped = pd.read_csv(out / "tables" / "skipped.csv", keep_default_na=False)
    failed = pd.read_csv(out / "tables" / "failed.csv", keep_default_na=False)
    analysed = case in set(docs["doc_id"])
    listed = skipped["path"].str.endswith(f"{case}.txt").any() or case in set(failed["doc_id"])
    assert analysed or listed, (docs["doc_id"].tolist(), skipped, failed)
    if case == "pdf_named_txt":
        assert not analysed and "binary" in skipped["reason"].iloc[0]
    sample_ids = set(pd.read_csv(reference / "tables" / "documents.csv")["doc_id"])
    for table, keys in PER_DOCUMENT.items():
        got, want = _rows(out, table, keys, sample_ids), _rows(reference, table, keys, sample_ids)
        pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True), obj=table)
    # the sample's story family is the same five documents, the hostile one is not in it
    fam = pd.read_csv(out / "tables" / "families.csv")
    sample_families = fam[fam["doc_id"].isin(sample_ids)]["family_id"]
    assert sample_families.nunique() == 1
    assert set(fam[fam["family_id"] == sample_families.iloc[0]]["doc_id"]) == sample_ids
    framing = pd.read_csv(out / "tables" / "framing.csv").set_index("doc_id").loc[sorted(sample_ids)]
    expected = pd.read_csv(reference / "tables" / "framing.csv").set_index("doc_id").loc[sorted(sample_ids)]
    pd.testing.assert_frame_equal(framing, expected, check_dtype=False)  # a note on the new document: object
