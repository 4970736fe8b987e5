"""``run_pipeline``: the notebooks executed in order by papermill in this process, each rendered to HTML, and
the run's ``manifest.json`` and ``index.html`` written.

A failing notebook keeps its partial output, is marked failed (with its error) in the manifest and the index,
and the notebooks after it still run.
"""

from __future__ import annotations

import importlib.metadata as md
import json
import logging
import platform
import re
import sys
import time
import traceback
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .checksum import corpus_checksum
from .execute import execute, longest_steps, step_times
from .index import write_index
from .notebooks import NOTEBOOKS, TITLES, declared_parameters, notebook_dir
from .render import render_html

log = logging.getLogger(__name__)

__all__ = ["run_pipeline", "NotebookResult", "VERSIONED_PACKAGES"]

# The packages whose versions the manifest records (the ones that shape the results or the pages).
VERSIONED_PACKAGES = (
    "storytrace",
    "pandas",
    "numpy",
    "nltk",
    "papermill",
    "nbconvert",
    "matplotlib",
    "scikit-learn",
    "trafilatura",
    "dask",
    "distributed",
)
MAX_ERROR_CHARS = 2000  # of one notebook's error message kept in the manifest and the index


@dataclass
class NotebookResult:
    """How one notebook of a run went (a row of ``manifest.json``'s ``notebooks``)."""

    name: str
    status: str = "not run"  # ok | failed | not run
    seconds: float = 0.0
    error: str = ""
    html: str = ""
    notebook: str = ""
    steps: list[dict] = field(default_factory=list)  # [{"step": heading, "seconds": s}] in notebook order


def run_pipeline(
    corpus: str | Path,
    out: str | Path,
    params: dict[str, Any] | None = None,
    notebooks: list[str] | None = None,
    progress: bool = True,
    kernel_name: str = "python3",
    notebook_folder: str | Path | None = None,
) -> dict:
    """Execute the notebooks in order with papermill (in this process) and render the run folder.

    Parameters are passed to each notebook that declares them; ``corpus`` and ``run_dir`` always are.
    A failing notebook keeps its partial output, is marked failed in ``index.html`` and ``manifest.json``,
    and the notebooks after it still run. Returns the manifest (``manifest["status"]`` is ``ok`` or
    ``failed``). ``notebook_folder`` runs notebooks from another folder (default: the checkout's).
    """
    corpus = Path(corpus).resolve()
    out = Path(out).resolve()
    (out / "notebooks").mkdir(parents=True, exist_ok=True)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    params = dict(params or {})
    nb_dir = Path(notebook_folder) if notebook_folder else notebook_dir()
    names = notebooks or NOTEBOOKS
    declared = declared_parameters(nb_dir, names, params)
    started = datetime.now(UTC)
    manifest: dict[str, Any] = {
        "corpus": str(corpus),
        "out": str(out),
        "started": started.isoformat(timespec="seconds"),
        "command": " ".join(sys.argv),
        "parameters": params,
        "versions": _versions(),
        "input_sha256": corpus_checksum(corpus),
        "notebooks": [],
    }
    results: list[NotebookResult] = []
    for name in names:
        nb_params = {k: v for k, v in params.items() if k in declared[name]}
        nb_params.update(corpus=str(corpus), run_dir=str(out))
        res = _run_notebook(nb_dir, name, out, nb_params, kernel_name, progress)
        results.append(res)
        if progress:
            _print_steps(res)
    finished = datetime.now(UTC)
    manifest["finished"] = finished.isoformat(timespec="seconds")
    manifest["seconds"] = round((finished - started).total_seconds(), 2)
    manifest["notebooks"] = [asdict(r) for r in results]
    manifest["status"] = "ok" if all(r.status == "ok" for r in results) else "failed"
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str), encoding="utf-8")
    write_index(out, manifest)
    return manifest


def _run_notebook(
    nb_dir: Path, name: str, out: Path, nb_params: dict, kernel_name: str, progress: bool = False
) -> NotebookResult:
    """Execute one notebook into ``out/notebooks`` and render it; any failure is recorded, never raised."""
    from papermill.exceptions import PapermillExecutionError

    res = NotebookResult(name=name, notebook=f"notebooks/{name}.ipynb", html=f"{name}.html")
    executed = out / res.notebook
    t0 = time.perf_counter()
    try:
        execute(nb_dir / f"{name}.ipynb", executed, nb_params, kernel_name, nb_dir, name if progress else None)
        res.status = "ok"
    except PapermillExecutionError as exc:  # a cell raised: its traceback is in the executed notebook
        res.status, res.error = "failed", _error_summary(exc)
    except Exception as exc:  # the kernel died, is missing, timed out...: recorded in the manifest, run goes on
        log.exception("notebook %s could not be executed", name)
        res.status, res.error = "failed", _error_summary(exc) + "\n" + traceback.format_exc(limit=3)
    res.seconds = round(time.perf_counter() - t0, 2)
    if not executed.is_file():
        res.html = ""
        return res
    try:
        import nbformat

        res.steps = step_times(nbformat.read(str(executed), as_version=4))
        render_html(executed, out / res.html, title=TITLES.get(name, name))
    except Exception as exc:  # nbconvert failed on this notebook: recorded, the other pages still render
        log.exception("notebook %s could not be rendered", name)
        res.html = ""
        res.error = (res.error + "\n" if res.error else "") + f"rendering failed: {_error_summary(exc)}"
        res.status = "failed"
    return res


def _print_steps(res: NotebookResult) -> None:
    """Below a notebook's bar: its status, time and longest steps (stderr, where the bars are)."""
    longest = " · ".join(f"{s['step']} {s['seconds']:.1f} s" for s in longest_steps(res.steps))
    status = "" if res.status == "ok" else f"{res.status.upper()}: {res.error.splitlines()[0] if res.error else ''}  "
    print(f"  {status}{res.seconds:.1f} s" + (f"; longest steps: {longest}" if longest else ""), file=sys.stderr)


def _error_summary(exc: BaseException) -> str:
    """``Name: message`` of an error (a notebook cell's own error name and value when papermill reports one)."""
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    evalue = re.sub(r"\x1b\[[0-9;]*m", "", str(evalue))
    return f"{ename}: {evalue}".strip()[:MAX_ERROR_CHARS]


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in VERSIONED_PACKAGES:
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            continue
    return out
