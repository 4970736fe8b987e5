import json

import nbformat
import pandas as pd
import pytest

from helpers import cli
from helpers.report import CSP, read_table, render_html, run_pipeline, write_table


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
    assert len(saved["input_sha256"]) == 64 and saved["versions"]["papermill"]
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
