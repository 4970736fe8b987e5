"""A notebook that starts before an earlier notebook it reads has finished (``notebooks.STARTS_EARLY``: 02 beside
01, 04 beside 02) waits here for what it needs of it: that notebook's end, or the run's documents table.

The runner gives such a kernel what to wait for (``STORYTRACE_WAITS_FOR``: ``notebook:done`` or
``notebook:documents``, comma-separated) and its own process id, and writes a mark in the run folder
(``.marks/<notebook>.done``) when a notebook's execution ends, whether it succeeded or failed; ``load_documents``
marks ``documents`` once the run's documents are cached. :func:`wait_for_notebooks` returns once each wait is over
(its mark is there, or the notebook it waits on has ended) or the runner is gone; outside a run it returns at once.
The seconds waited are written beside the marks for the manifest (:func:`waited_seconds`).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

__all__ = [
    "WAITS_FOR_VARIABLE",
    "RUNNER_VARIABLE",
    "LABEL_VARIABLE",
    "DONE",
    "DOCUMENTS",
    "clear_marks",
    "mark",
    "mark_done",
    "wait_for_notebooks",
    "waited_seconds",
]

WAITS_FOR_VARIABLE = "STORYTRACE_WAITS_FOR"
RUNNER_VARIABLE = "STORYTRACE_RUNNER_PID"
LABEL_VARIABLE = "STORYTRACE_NOTEBOOK"  # the notebook a kernel runs (set by the runner: report.run.KERNEL_LABEL)
DONE = "done"  # a notebook's execution has ended
DOCUMENTS = "documents"  # the run's documents table is cached (report.load_documents)
MARKS_DIR = ".marks"
POLL_SECONDS = 0.2


def _marks(run_dir: str | Path) -> Path:
    return Path(run_dir) / MARKS_DIR


def clear_marks(run_dir: str | Path) -> None:
    """Remove the marks of an earlier run in this folder (a stale mark would let a notebook read old tables)."""
    shutil.rmtree(_marks(run_dir), ignore_errors=True)


def mark(run_dir: str | Path, what: str) -> None:
    """Say that ``what`` is ready (``<notebook>.done``, ``documents``)."""
    folder = _marks(run_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / what).touch()


def mark_done(run_dir: str | Path, notebook: str) -> None:
    """Say that ``notebook`` has finished executing (its tables are written, or it failed)."""
    mark(run_dir, f"{notebook}.{DONE}")


def _runner_alive() -> bool:
    pid = os.environ.get(RUNNER_VARIABLE, "")
    if not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - a process of another user: it exists
        return True
    return True


def _over(folder: Path, wait: str) -> bool:
    notebook, _, what = wait.partition(":")
    return (folder / f"{notebook}.{DONE}").is_file() or (what != DONE and (folder / what).is_file())


def wait_for_notebooks(run_dir: str | Path) -> float:
    """Wait until what this kernel was told to wait for is ready; returns the seconds waited."""
    pending = [w for w in os.environ.get(WAITS_FOR_VARIABLE, "").split(",") if w]
    t0 = time.perf_counter()
    folder = _marks(run_dir)
    while pending and _runner_alive():
        pending = [w for w in pending if not _over(folder, w)]
        if pending:
            time.sleep(POLL_SECONDS)
    waited = time.perf_counter() - t0
    label = os.environ.get(LABEL_VARIABLE, "")
    if label and os.environ.get(WAITS_FOR_VARIABLE):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{label}.waited").write_text(f"{waited:.2f}", encoding="utf-8")
    return waited


def waited_seconds(run_dir: str | Path, notebook: str) -> float:
    """The seconds ``notebook`` waited in :func:`wait_for_notebooks` during this run (0 when it did not)."""
    path = _marks(run_dir) / f"{notebook}.waited"
    try:
        return round(float(path.read_text(encoding="utf-8")), 2)
    except (OSError, ValueError):
        return 0.0
