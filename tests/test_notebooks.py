"""Committed notebooks: no outputs, a parameters cell, prose, and no import tricks."""

import re
from pathlib import Path

import nbformat
import pytest

from helpers.report import NOTEBOOKS, notebook_parameters

NB_DIR = Path(__file__).resolve().parents[1] / "notebooks"


def test_the_four_notebooks_exist():
    assert sorted(p.stem for p in NB_DIR.glob("*.ipynb")) == NOTEBOOKS


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_committed_clean(name):
    nb = nbformat.read(str(NB_DIR / f"{name}.ipynb"), as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "committed with outputs"
    assert "parameters" in code[0].metadata.get("tags", []), "first code cell must be tagged 'parameters'"
    params = notebook_parameters(NB_DIR / f"{name}.ipynb")
    assert {"corpus", "run_dir"} <= set(params)
    assigned = [line.split("=")[0].strip() for line in code[0].source.splitlines() if re.match(r"^\w+\s*=", line)]
    assert sorted(params) == sorted(assigned), "papermill could not parse every parameter (quotes or '=' in a comment?)"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    markdown = [c for c in nb.cells if c.cell_type == "markdown"]
    assert len(markdown) >= 3, "say how to read each table and chart"
    source = "\n".join(c.source for c in code)
    assert "sys.path" not in source and "%run" not in source
    # Notebooks stay short: the logic lives in helpers.
    assert sum(len(c.source.splitlines()) for c in code) < 200


def test_notebook_01_draws_through_helpers():
    """Charts live in plot functions (helpers.charts.chart): the corpus notebook has no plotting code of its own."""
    nb = nbformat.read(str(NB_DIR / "01_tokenise.ipynb"), as_version=4)
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "plot_document_lengths(" in source
    assert "matplotlib" not in source and "plt." not in source
