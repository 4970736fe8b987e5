import importlib.metadata as md
import json
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import helpers.report.cache as cache_module
from helpers import cli
from helpers.corpus import load_corpus
from helpers.report import CSP, corpus_checksum, load_documents, read_table, render_html, run_pipeline, write_table

SRC = Path(__file__).resolve().parents[1] / "src" / "helpers"


def test_tables_round_trip(tmp_path):
    df = pd.DataFrame({"doc_id": ["a", "b"], "score": [0.5, 1.0], "text": ["x,y", '"q"']})
    path = write_table(df, tmp_path, "pairs")
    assert path == tmp_path / "tables" / "pairs.csv"
    pd.testing.assert_frame_equal(read_table(tmp_path, "pairs"), df)
    assert read_table(tmp_path, "missing") is None


def test_parameter_parsing():
    args = cli.build_parser().parse_args(
        [
            "run",
            "--corpus",
            "c",
            "--out",
            "o",
            "-p",
            "threshold=0.4",
            "-p",
            "reference_date=2024-12-06",
            "-p",
            "name=abc",
            "-p",
            "flag=true",
        ]
    )
    assert dict(args.param) == {"threshold": 0.4, "reference_date": "2024-12-06", "name": "abc", "flag": True}


def _notebook(path, cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell('corpus = ""\nrun_dir = ""\nmessage = "hello"', metadata={"tags": ["parameters"]})
    ]
    nb.cells += [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))


@pytest.mark.slow
def test_failing_notebook_keeps_partial_output_and_marks_the_run(tmp_path, sample_dir):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _notebook(
        nbs / "01_tokenise.ipynb",
        ["print('first cell ran:', message)", "raise RuntimeError('deliberate <b>failure</b>')", "print('never')"],
    )
    _notebook(nbs / "02_near_duplicates.ipynb", ["print('second notebook still runs')"])
    out = tmp_path / "run"
    manifest = run_pipeline(
        sample_dir,
        out,
        params={"message": "hi"},
        progress=False,
        notebook_folder=nbs,
        notebooks=["01_tokenise", "02_near_duplicates"],
    )
    assert manifest["status"] == "failed"
    first, second = manifest["notebooks"]
    assert first["status"] == "failed" and "RuntimeError" in first["error"] and "deliberate" in first["error"]
    assert second["status"] == "ok"
    executed = nbformat.read(str(out / "notebooks" / "01_tokenise.ipynb"), as_version=4)
    outputs = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs)
    assert "first cell ran: hi" in outputs and "never" not in outputs  # partial output kept
    page = (out / "index.html").read_text()
    assert "failed" in page and "deliberate &lt;b&gt;failure&lt;/b&gt;" in page and "<b>failure" not in page
    saved = json.loads((out / "manifest.json").read_text())
    assert saved["status"] == "failed" and saved["parameters"] == {"message": "hi"}
    assert saved["input_sha256"] == corpus_checksum(sample_dir)
    assert saved["versions"]["papermill"] == md.version("papermill")
    assert (out / "01_tokenise.html").is_file()


def test_unknown_parameter_is_refused(tmp_path, sample_dir):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _notebook(nbs / "01_tokenise.ipynb", [])
    with pytest.raises(ValueError, match="unknown parameter.*bogus"):
        run_pipeline(
            sample_dir,
            tmp_path / "out",
            params={"bogus": 1},
            progress=False,
            notebook_folder=nbs,
            notebooks=["01_tokenise"],
        )


def test_render_html_has_no_code_no_scripts_and_a_csp(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Heading"),
        nbformat.v4.new_code_cell(
            "secret_code_line = 1",
            outputs=[nbformat.v4.new_output("display_data", data={"text/html": "<p>shown</p>", "text/plain": "shown"})],
        ),
    ]
    src = tmp_path / "nb.ipynb"
    nbformat.write(nb, str(src))
    page = render_html(src, tmp_path / "nb.html").read_text()
    assert "Heading" in page and "shown" in page
    assert "secret_code_line" not in page
    assert "<script" not in page.lower()
    assert CSP in page and "script-src 'none'" in CSP


def test_parameters_file_must_be_a_readable_mapping(tmp_path, capsys):
    listed = tmp_path / "list.yaml"
    listed.write_text("- a\n- b\n", encoding="utf-8")
    args = ["run", "--corpus", str(tmp_path), "--out", str(tmp_path / "o")]
    assert cli.main([*args, "--params", str(listed)]) == 2
    assert "must hold a mapping" in capsys.readouterr().err
    assert cli.main([*args, "--params", str(tmp_path / "missing.yaml")]) == 2
    assert "cannot read parameters file" in capsys.readouterr().err
    dated = tmp_path / "dated.yaml"
    dated.write_text("reference_date: 2024-12-06\nthreshold: 0.4\n", encoding="utf-8")
    assert cli.read_params_file(dated) == {"reference_date": "2024-12-06", "threshold": 0.4}


def test_relative_file_parameters_are_read_where_the_user_wrote_them(tmp_path, monkeypatch):
    """Notebooks run in notebooks/: a relative lexicon path is resolved against the params file or the cwd."""
    (tmp_path / "lex").mkdir()
    (tmp_path / "lex" / "story.csv").write_text("frame,term,match\nexit,exits,stem\n", encoding="utf-8")
    params = tmp_path / "params.yaml"
    params.write_text("story_frames: lex/story.csv\nmethod: tfidf\nmissing: lex/none.csv\n", encoding="utf-8")
    got = cli.read_params_file(params)
    assert got == {
        "story_frames": str(tmp_path / "lex" / "story.csv"),
        "method": "tfidf",  # names no file: passed as written
        "missing": "lex/none.csv",
    }
    monkeypatch.chdir(tmp_path / "lex")
    assert cli.resolve_paths({"story_frames": "story.csv", "n": 3}, Path.cwd()) == {
        "story_frames": str(tmp_path / "lex" / "story.csv"),
        "n": 3,
    }


# ------------------------------------------------------------------------------------------ documents cache
def _messy_corpus(root: Path) -> Path:
    """Documents with boilerplate, a skipped input and a publication date: every cached table has rows."""
    root.mkdir()
    for i in range(3):
        (root / f"d{i}.txt").write_text(
            f"Headline {i}\n\nStory {i} about the rebels' advance on the city.\nShare this story with friends\n",
            encoding="utf-8",
        )
    (root / "empty.txt").write_text("", encoding="utf-8")
    (root / "metadata.csv").write_text("doc_id,published\nd0,2024-12-06T10:00:00+01:00\n", encoding="utf-8")
    return root


def test_cache_is_parquet_and_round_trips_the_three_tables(tmp_path, monkeypatch):
    corpus = _messy_corpus(tmp_path / "corpus")
    run = tmp_path / "run"
    expected = load_corpus(corpus)
    assert len(expected) == 3 and len(expected.skipped) == 1 and len(expected.boilerplate) == 3
    first = load_documents(corpus, run)
    files = sorted((run / "cache").iterdir())
    assert [f.suffix for f in files] == [".parquet"] * 3
    assert all(f.read_bytes()[:4] == b"PAR1" for f in files)  # Parquet's magic, not a pickle (b"\x80")

    def no_reload(*args, **kwargs):
        raise AssertionError("the corpus was loaded again instead of read from the cache")

    monkeypatch.setattr(cache_module, "load_corpus", no_reload)
    second = load_documents(corpus, run)
    for got in (first, second):
        pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(expected))
        pd.testing.assert_frame_equal(got.skipped, expected.skipped)
        pd.testing.assert_frame_equal(got.boilerplate, expected.boilerplate)
    assert second["published"].notna().sum() == 1


class _Payload:
    """Unpickling this runs code: it writes the marker file."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "pickle from the run folder was loaded"))


def test_a_planted_pickle_in_the_run_folder_is_never_loaded(tmp_path, caplog):
    corpus = _messy_corpus(tmp_path / "corpus")
    run = tmp_path / "run"
    marker = tmp_path / "PWNED"
    files = cache_module.cache_files(corpus, run, {})
    files["documents"].parent.mkdir(parents=True)
    payload = pickle.dumps(_Payload(marker))
    for path in files.values():
        path.with_suffix(".pkl").write_bytes(payload)  # where the pickle cache used to be
        path.write_bytes(payload)  # and under the Parquet name
    docs = load_documents(corpus, run)
    assert not marker.exists()
    assert list(docs["doc_id"]) == ["d0", "d1", "d2"]
    assert "documents cache in" in caplog.text and "unreadable" in caplog.text
    assert all(f.read_bytes()[:4] == b"PAR1" for f in files.values())  # rebuilt as Parquet


def test_no_module_reads_a_pickle():
    readers = re.compile(r"\b(?:pickle\.loads?|read_pickle|joblib\.load|cloudpickle\.loads?|dill\.loads?)\b")
    found = [
        f"{path.relative_to(SRC)}:{no}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if readers.search(line)
    ]
    assert found == []


def test_failed_table_gathers_each_notebooks_failures(tmp_path):
    from helpers.failures import each_document, failure_table
    from helpers.report import append_failures, read_table

    failures: list = []
    done = each_document(
        "double", [("a", 1), ("b", "x"), ("c", 3)], lambda v: v * 2 if isinstance(v, int) else 1 / 0, failures
    )
    assert done == [("a", 2), ("c", 6)]
    append_failures(failure_table(failures), tmp_path, "02_near_duplicates")
    append_failures(failure_table([]), tmp_path, "03_timelines")
    append_failures(failure_table([("tag", "z", "ValueError: bad")]), tmp_path, "03_timelines")
    append_failures(failure_table([("tag", "y", "KeyError: 'k'")]), tmp_path, "03_timelines")  # a rerun replaces
    got = read_table(tmp_path, "failed")
    assert got.to_dict("records") == [
        {
            "notebook": "02_near_duplicates",
            "step": "double",
            "doc_id": "b",
            "error": "ZeroDivisionError: division by zero",
        },
        {"notebook": "03_timelines", "step": "tag", "doc_id": "y", "error": "KeyError: 'k'"},
    ]


def test_cached_table_is_built_once_per_key(tmp_path):
    from helpers.report import cached_table, documents_key

    docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["one", "two"]})
    calls = []

    def build():
        calls.append(1)
        return pd.DataFrame({"doc_id": ["a", "b"], "n": [len(calls), len(calls)]})

    first = cached_table(tmp_path, "counts", documents_key(docs), build)
    again = cached_table(tmp_path, "counts", documents_key(docs), build)
    assert len(calls) == 1 and again.equals(first)
    changed = docs.assign(text=["one", "three"])
    assert documents_key(changed) != documents_key(docs)
    assert cached_table(tmp_path, "counts", documents_key(changed), build)["n"].tolist() == [2, 2]
    assert sorted(p.suffix for p in (tmp_path / "cache").iterdir()) == [".parquet", ".parquet"]
    (next((tmp_path / "cache").iterdir())).write_bytes(b"not parquet")  # a broken file is rebuilt, not fatal
    cached_table(tmp_path, "counts", documents_key(docs), build)
    cached_table(tmp_path, "counts", documents_key(changed), build)
    assert len(calls) == 3


# ------------------------------------------------------------------------------------------ front page
def _manifest():
    return {"status": "ok", "corpus": "c", "notebooks": [], "parameters": {}, "seconds": 1.0}


def test_front_page_without_tables_says_not_computed(tmp_path):
    from helpers.report import write_index
    from helpers.report.findings import findings

    (tmp_path / "tables").mkdir()
    page = write_index(tmp_path, _manifest()).read_text()
    found = findings(tmp_path)
    assert [f.anchor for f in found] == ["documents", "families", "added", "key-dates", "conflicts", "framing"]
    assert all("not computed" in f.line for f in found)
    assert page.index("Findings") < page.index("Run summary")


def test_front_page_findings_link_to_capped_escaped_sections(tmp_path):
    from helpers.report import write_index

    n = 40
    docs = pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(n)],
            "title": ["<script>alert(1)</script>"] + [f"Story {i}" for i in range(1, n)],
            "source": ["a"] * 30 + ["b"] * 10,
            "published": ["2024-12-06"] * n,
        }
    )
    write_table(docs, tmp_path, "documents")
    write_table(pd.DataFrame({"path": ["x.pdf"], "record": [""], "reason": ["binary file"]}), tmp_path, "skipped")
    write_table(pd.DataFrame(columns=["notebook", "step", "doc_id", "error"]), tmp_path, "failed")
    families = pd.DataFrame(
        {
            "doc_id": docs["doc_id"],
            "family_id": [0] * 5 + [1] * 3 + list(range(2, 34)),  # 5, 3, then 32 singles... and 2-member ones
            "role": "x",
            "machine_style": [True, True, False, False, False] + [False] * 35,
        }
    )
    families.loc[8:37, "family_id"] = [2 + i // 2 for i in range(30)]  # fifteen families of two
    write_table(families, tmp_path, "families")
    lineage = pd.DataFrame(
        {
            "doc_id": docs["doc_id"],
            "family_id": families["family_id"],
            "parent": ["external: example.com"] + ["d0"] * (n - 1),
            "relation": ["excerpt", "rewrite", "rewrite", "summary", "duplicate"] + ["rewrite"] * (n - 5),
            "is_origin": [True] + [False] * (n - 1),
        }
    )
    write_table(lineage, tmp_path, "lineage")
    added = pd.DataFrame(
        {
            "doc_id": ["d1"] * 14 + ["d2"] * 6,
            "parent": "d0",
            "sentence": ["Dr. <b>Khalil</b> said so."] * 20,
            "new_specifics": ["Dr. Khalil"] * 5 + ["Paris, 2024"] * 9 + ["Paris, Dr. Khalil"] * 6,
        }
    )
    write_table(added, tmp_path, "added_content")
    page = write_index(tmp_path, _manifest()).read_text()
    assert "<script>alert(1)" not in page and "&lt;b&gt;Khalil" in page
    assert '<a href="#families">17 story families with two or more versions</a>' in page
    assert "origin external: example.com" in page and "(3 rewrite, 1 summary)" not in page  # origin excluded
    assert "(2 rewrite, 1 duplicate, 1 summary)" in page  # the relation mix of the largest family
    assert "40%" in page  # machine-style share of the largest family
    assert 'The first 15 of 17 rows (families, largest first). All: <a href="tables/families.csv">' in page
    assert 'The first 15 of 20 rows. All: <a href="tables/added_content.csv">' in page
    # the name in most of one version's added sentences, not the first row's
    assert "most repeated: “Paris” in 9 added sentences of d1" in page
    assert "1 input skipped" in page and "0 document steps failed" in page
    assert "not computed (no tables/key_dates.csv in this run)" in page
    # a table that changed shape: the finding says so, the page is still written
    write_table(pd.DataFrame({"x": [1]}), tmp_path, "families")
    page = write_index(tmp_path, _manifest()).read_text()
    assert "families.csv has no doc_id/family_id" in page


def test_tokens_and_sentences_are_split_in_one_pass_and_cached(tmp_path, monkeypatch, sample_dir):
    import helpers.tokenise as tokenise_module
    from helpers.report import load_sentences, load_tokens

    docs = load_corpus(sample_dir)
    toks = load_tokens(docs, tmp_path)

    def refuse(*args, **kwargs):
        raise AssertionError("sentences were split again")

    monkeypatch.setattr(tokenise_module, "sentences", refuse)
    monkeypatch.setattr(tokenise_module, "sentences_and_tokens", refuse)
    sents = load_sentences(docs, tmp_path)
    pd.testing.assert_frame_equal(load_tokens(docs, tmp_path), toks)
    assert len(sents) == toks.groupby("doc_id")["sent_id"].nunique().sum()
    assert sorted(p.name.split("-")[0] for p in (tmp_path / "cache").iterdir()) == ["sentences", "tokens"]


def test_documents_cache_is_shared_whether_defaults_are_given_or_not(tmp_path, monkeypatch):
    corpus = _messy_corpus(tmp_path / "corpus")
    run = tmp_path / "run"
    first = load_documents(corpus, run, text_field=None, max_bytes=20_000_000)  # as notebook 01 passes them

    def no_reload(*args, **kwargs):
        raise AssertionError("the corpus was loaded again")

    monkeypatch.setattr(cache_module, "load_corpus", no_reload)
    pd.testing.assert_frame_equal(pd.DataFrame(load_documents(corpus, run)), pd.DataFrame(first))  # as 02-04 do
    assert cache_module.cache_files(corpus, run, {"max_bytes": 5}) != cache_module.cache_files(corpus, run, {})


def test_the_load_options_of_notebook_01_hold_for_the_later_notebooks(tmp_path, monkeypatch):
    """``-p text_field body`` reaches notebook 01 only; 02-04 call load_documents without options and must read
    the same documents (the bodies), not a reload that guesses another text field."""
    corpus = tmp_path / "corpus.jsonl"
    rows = [
        {"id": f"d{i}", "text": f"Teaser {i}.", "body": f"The full body of article {i}, a sentence long." * 3}
        for i in range(3)
    ]
    corpus.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    run = tmp_path / "run"
    first = load_documents(corpus, run, text_field="body", max_bytes=20_000_000)
    assert first["text"].str.startswith("The full body").all()

    def no_reload(*args, **kwargs):
        raise AssertionError("the corpus was loaded again")

    monkeypatch.setattr(cache_module, "load_corpus", no_reload)
    later = load_documents(corpus, run)
    pd.testing.assert_frame_equal(pd.DataFrame(later), pd.DataFrame(first))


def test_unreadable_recorded_load_options_mean_the_defaults(tmp_path, caplog):
    corpus = _messy_corpus(tmp_path / "corpus")
    run = tmp_path / "run"
    (run / "cache").mkdir(parents=True)
    (run / "cache" / "load_options.json").write_text("{not json", encoding="utf-8")
    with caplog.at_level("WARNING"):
        docs = load_documents(corpus, run)
    assert len(docs) > 0 and "unreadable" in caplog.text


def _append_rows(run_dir: str, notebook: str, n: int) -> None:
    from helpers.failures import failure_table
    from helpers.report import append_failures

    for i in range(n):  # each call reads, merges and rewrites failed.csv: a lost update would drop rows
        append_failures(failure_table([("step", f"{notebook}-{j}", "E: x") for j in range(i + 1)]), run_dir, notebook)


def test_failures_appended_from_processes_at_once_are_all_kept(tmp_path):
    import multiprocessing

    names = [f"{i:02d}_nb" for i in range(6)]
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_append_rows, args=(str(tmp_path), name, 15)) for name in reversed(names)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    got = read_table(tmp_path, "failed")
    assert got["notebook"].tolist() == [name for name in names for _ in range(15)]  # all rows, in notebook order
    assert got["doc_id"].tolist() == [f"{name}-{j}" for name in names for j in range(15)]


def test_a_notebook_starts_once_what_it_reads_has_finished_or_beside_it():
    from helpers.report.notebooks import NOTEBOOKS, may_start, waits_for

    def startable(started, finished, names=NOTEBOOKS):
        return [n for n in names if n not in started and may_start(n, names, set(started), set(finished))]

    assert startable([], []) == ["01_tokenise"]
    # 02 needs only 01's documents: it starts beside 01 and waits for them; 04 starts beside 02 and waits for its end
    assert startable(["01_tokenise"], []) == ["02_near_duplicates"]
    assert waits_for("02_near_duplicates", NOTEBOOKS, set()) == ["01_tokenise:documents"]
    assert startable(["01_tokenise", "02_near_duplicates"], []) == []  # 03 and 04 read all of 01
    assert startable(["01_tokenise", "02_near_duplicates"], ["01_tokenise"]) == ["04_framing"]
    assert waits_for("04_framing", NOTEBOOKS, {"01_tokenise"}) == ["02_near_duplicates:done"]
    both = ["01_tokenise", "02_near_duplicates"]
    assert startable([*both, "04_framing"], both) == ["03_timelines"]
    assert waits_for("03_timelines", NOTEBOOKS, set(both)) == []
    # notebooks of a run only wait for notebooks of that run
    assert startable([], [], ["03_timelines", "04_framing"]) == ["03_timelines", "04_framing"]
    assert startable([], [], ["01_tokenise", "04_framing"]) == ["01_tokenise"]


def test_waiting_for_a_notebook_ends_with_its_mark_or_the_runner(tmp_path, monkeypatch):
    import threading
    import time

    from helpers.report.waiting import clear_marks, mark, mark_done, wait_for_notebooks, waited_seconds

    monkeypatch.delenv("STORYTRACE_WAITS_FOR", raising=False)
    assert wait_for_notebooks(tmp_path) < 0.5  # outside a run: nothing to wait for
    monkeypatch.setenv("STORYTRACE_WAITS_FOR", "02_near_duplicates:done")
    monkeypatch.setenv("STORYTRACE_NOTEBOOK", "04_framing")
    monkeypatch.setenv("STORYTRACE_RUNNER_PID", str(os.getpid()))
    threading.Timer(1.0, mark_done, args=(tmp_path, "02_near_duplicates")).start()
    t0 = time.perf_counter()
    waited = wait_for_notebooks(tmp_path)
    assert waited >= 0.9 and time.perf_counter() - t0 >= 0.9  # waited for the mark
    assert waited_seconds(tmp_path, "04_framing") == round(waited, 2)
    clear_marks(tmp_path)  # a new run: the documents mark, or the end of the notebook that would make it, ends a wait
    monkeypatch.setenv("STORYTRACE_WAITS_FOR", "01_tokenise:documents")
    threading.Timer(0.5, mark, args=(tmp_path, "documents")).start()
    assert 0.4 <= wait_for_notebooks(tmp_path) < 5
    clear_marks(tmp_path)
    threading.Timer(0.5, mark_done, args=(tmp_path, "01_tokenise")).start()
    assert 0.4 <= wait_for_notebooks(tmp_path) < 5
    clear_marks(tmp_path)  # with no mark coming, the runner's death ends it
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    monkeypatch.setenv("STORYTRACE_RUNNER_PID", str(dead.pid))
    assert wait_for_notebooks(tmp_path) < 0.5
    assert waited_seconds(tmp_path, "03_timelines") == 0.0


_APPEND = (
    "import pandas as pd, time\nfrom helpers.report import append_failures\n"
    "append_failures(pd.DataFrame([{{'step': 's', 'doc_id': '{doc}', 'error': 'E: {doc}'}}]), run_dir, '{nb}')"
)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [2, 1])
def test_notebooks_at_the_same_time_fail_alone_and_keep_run_order(tmp_path, sample_dir, jobs):
    """03 and 04 run together (jobs=2): 03 appends a failure row and raises, 04 sleeps, checks its kernel's folder and
    environment, appends and finishes; then a kernel that dies outright does not stop the notebook beside it."""
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _notebook(
        nbs / "03_timelines.ipynb",
        [_APPEND.format(doc="d3", nb="03_timelines"), "raise RuntimeError('deliberate 03')"],
    )
    checks = (  # the kernel starts in the notebooks' folder and knows its notebook
        "import os, time; time.sleep(2)\n"
        f"assert os.getcwd() == {str(nbs)!r}, os.getcwd()\n"
        "assert os.environ['STORYTRACE_NOTEBOOK'] == '04_framing'"
    )
    _notebook(nbs / "04_framing.ipynb", [checks, _APPEND.format(doc="d4", nb="04_framing")])
    out = tmp_path / "run"
    cwd = Path.cwd()
    manifest = run_pipeline(
        sample_dir, out, progress=False, notebook_folder=nbs, notebooks=["03_timelines", "04_framing"], jobs=jobs
    )
    assert Path.cwd() == cwd  # the runner's working directory never changed
    assert manifest["jobs"] == jobs
    third, fourth = manifest["notebooks"]
    assert (third["name"], third["status"], fourth["name"], fourth["status"]) == (
        "03_timelines",
        "failed",
        "04_framing",
        "ok",
    )
    assert "deliberate 03" in third["error"]
    assert (third["started"] == fourth["started"]) == (jobs == 2)  # started together only when concurrent
    assert read_table(out, "failed")[["notebook", "doc_id"]].to_dict("records") == [
        {"notebook": "03_timelines", "doc_id": "d3"},
        {"notebook": "04_framing", "doc_id": "d4"},
    ]
    assert (out / "03_timelines.html").is_file() and (out / "04_framing.html").is_file()
    page = (out / "index.html").read_text()
    assert page.index('href="03_timelines.html"') < page.index('href="04_framing.html"')
    if jobs == 2:
        _notebook(nbs / "03_timelines.ipynb", ["import os; os._exit(1)"])  # the kernel dies
        manifest = run_pipeline(
            sample_dir, out, progress=False, notebook_folder=nbs, notebooks=["03_timelines", "04_framing"], jobs=2
        )
        assert [nb["status"] for nb in manifest["notebooks"]] == ["failed", "ok"]


@pytest.mark.slow
def test_notebooks_start_beside_the_ones_they_read_and_wait_for_what_they_need(tmp_path, sample_dir):
    """With jobs=2: 02 starts with 01 and goes on once 01 has cached the documents (01 then has one process for its
    per-document steps); 04 starts when 01 ends, beside 02, and waits for 02 before reading its table; 03 starts
    once 02 is done."""
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    load = "import os, time\nfrom helpers.report import load_documents, read_table, wait_for_notebooks, write_table\n"
    _notebook(
        nbs / "01_tokenise.ipynb",
        [
            load + "docs = load_documents(corpus, run_dir)\nassert os.environ['STORYTRACE_JOBS'] == '1'",
            "for _ in range(1200):  # until 02 has loaded the documents beside it\n"
            "    if os.path.exists(os.path.join(run_dir, '02.loaded')):\n        break\n    time.sleep(0.1)\n"
            "open(os.path.join(run_dir, '01.end'), 'w').close()",
        ],
    )
    _notebook(
        nbs / "02_near_duplicates.ipynb",
        [
            load + "wait_for_notebooks(run_dir)\ndocs = load_documents(corpus, run_dir)\n"
            "assert not os.path.exists(os.path.join(run_dir, '01.end'))  # 01 still runs\n"
            "assert os.environ['STORYTRACE_WAITS_FOR'] == '01_tokenise:documents'\n"
            "open(os.path.join(run_dir, '02.loaded'), 'w').close()",
            "import pandas as pd\nfor _ in range(600):  # until 04 has started beside it\n"
            "    if os.path.exists(os.path.join(run_dir, '04.started')):\n        break\n    time.sleep(0.1)\n"
            "time.sleep(1)\nwrite_table(pd.DataFrame({'x': [2]}), run_dir, 'lineage')",
        ],
    )
    _notebook(nbs / "03_timelines.ipynb", [load + "assert read_table(run_dir, 'lineage') is not None"])
    _notebook(
        nbs / "04_framing.ipynb",
        [
            load
            + "assert read_table(run_dir, 'lineage') is None\nopen(os.path.join(run_dir, '04.started'), 'w').close()",
            "wait_for_notebooks(run_dir)\nassert read_table(run_dir, 'lineage')['x'].tolist() == [2]",
        ],
    )
    manifest = run_pipeline(sample_dir, tmp_path / "run", progress=False, notebook_folder=nbs, jobs=2)
    first, second, third, fourth = manifest["notebooks"]  # listed in run order
    assert [nb["status"] for nb in manifest["notebooks"]] == ["ok"] * 4, manifest["notebooks"]
    assert first["started"] == second["started"] < fourth["started"] < third["started"]
    assert fourth["waited"] > 0.5 and first["waited"] == third["waited"] == 0  # 02's wait may end at once
    assert not (tmp_path / "run" / ".marks").exists()


def test_jobs_must_be_positive(tmp_path, sample_dir):
    with pytest.raises(ValueError, match="jobs must be 1 or more"):
        run_pipeline(sample_dir, tmp_path / "out", progress=False, jobs=0)


def test_the_added_content_finding_survives_names_that_are_only_separators():
    from helpers.report.findings import _most_repeated_addition

    odd = pd.DataFrame({"doc_id": ["d1", "d2"], "new_specifics": [" , ", ", "]})
    assert _most_repeated_addition(odd) is None
    mixed = pd.DataFrame({"doc_id": ["d1", "d1", "d2"], "new_specifics": ["Paris, ", "Paris", "Rome"]})
    assert _most_repeated_addition(mixed) == ("d1", "Paris", 2)
