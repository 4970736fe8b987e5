"""Executing a notebook: steps named by the Markdown heading above them, timed from papermill's cell durations,
and the kernel's channel configured so that ipykernel has no transport warning to give."""

import nbformat
import zmq

from helpers.report.execute import FIRST_STEP, kernel_config, longest_steps, step_names, step_times


def _nb():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("# 1. Title\n\nSome prose."),
        nbformat.v4.new_code_cell("load()"),
        nbformat.v4.new_markdown_cell("Prose without a heading."),
        nbformat.v4.new_code_cell("more()"),
        nbformat.v4.new_markdown_cell("## Families\nOne row per document. #not a heading"),
        nbformat.v4.new_code_cell("families()"),
    ]
    for cell, seconds in zip([c for c in nb.cells if c.cell_type == "code"], [0.5, 2.0, 1.25, 4.0]):
        cell.metadata["papermill"] = {"duration": seconds}
    return nb


def test_steps_are_named_by_the_heading_above():
    nb = _nb()
    assert step_names(nb.cells) == [FIRST_STEP, "1. Title", "1. Title", "1. Title", "1. Title", "Families", "Families"]
    assert step_times(nb) == [
        {"step": FIRST_STEP, "seconds": 0.5},
        {"step": "1. Title", "seconds": 3.25},
        {"step": "Families", "seconds": 4.0},
    ]
    assert [s["step"] for s in longest_steps(step_times(nb), n=2)] == ["Families", "1. Title"]


def test_unexecuted_cells_count_zero_seconds():
    nb = _nb()
    del nb.cells[-1].metadata["papermill"]
    assert step_times(nb)[-1] == {"step": "Families", "seconds": 0}


def test_the_kernel_channel_is_encrypted_or_local():
    cfg = kernel_config()
    if zmq.has("curve"):
        assert cfg.KernelManager.transport_encryption == "auto"
    else:
        assert cfg.KernelManager.transport == "ipc"


def test_a_kernel_started_with_a_niceness_runs_at_that_lower_priority(tmp_path):
    """The runner lowers the priority of a notebook that runs beside a longer one (``YIELDS_TO``): its kernel's
    niceness, and its session's where the scheduler shares the CPU between sessions first."""
    import os
    import shutil

    import pytest

    from helpers.report.execute import execute

    if shutil.which("nice") is None:
        pytest.skip("no `nice` command on this system")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("out = ''", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            "import os, pathlib\n"
            "group = pathlib.Path('/proc/self/autogroup')\n"
            "session = group.read_text().split()[-1] if group.is_file() else 'none'\n"
            "open(out, 'w').write(f'{os.nice(0)} {session}')"
        ),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    source = tmp_path / "nice.ipynb"
    nbformat.write(nb, source)
    here = os.nice(0)
    for niceness in (0, 5):
        seen = tmp_path / f"niceness-{niceness}.txt"
        execute(
            source, tmp_path / f"run-{niceness}.ipynb", {"out": str(seen)}, "python3", tmp_path, None, niceness=niceness
        )
        own, session = seen.read_text().split()
        assert int(own) == min(here + niceness, 19)
        if session != "none":  # the scheduler groups by session (Linux autogroup): the session is lowered too
            assert int(session) == niceness
