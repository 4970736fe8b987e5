"""``run_pipeline``: the notebooks executed by papermill, each rendered to HTML, and the run's ``manifest.json``
and ``index.html`` written.

With ``jobs=1`` the notebooks run one after another. With ``jobs=2`` (the default on a machine with two or more
CPUs) up to two notebooks run at the same time, each in its own kernel driven from a thread of this process (the
kernel's working directory and environment are given to its kernel manager, so nothing process-wide changes): a
notebook starts once the notebooks it reads have finished, or beside one of them (:func:`.notebooks.may_start`): 02
beside 01 once 01 has cached the documents (``waiting.wait_for_notebooks``), 04 beside 02 (its kernel starts and
loads the documents, then waits for 02), 03 once 02 has finished. A
notebook's page is rendered while the next notebooks run. The manifest and the index list them in the run's
order. A failing notebook keeps its partial output, is marked failed
(with its error) in the manifest and the index, and the other notebooks still run, even when its kernel dies.
"""

from __future__ import annotations

import importlib.metadata as md
import json
import logging
import os
import platform
import re
import sys
import threading
import time
import traceback
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..parallel import JOBS_VARIABLE, usable_cpus
from .checksum import corpus_checksum
from .execute import execute, longest_steps, step_times
from .index import write_index
from .notebooks import (
    NOTEBOOKS,
    TITLES,
    YIELD_NICENESS,
    YIELDS_TO,
    declared_parameters,
    may_start,
    notebook_dir,
    waits_for,
)
from .render import render_html
from .waiting import LABEL_VARIABLE, RUNNER_VARIABLE, WAITS_FOR_VARIABLE, clear_marks, mark_done, waited_seconds

log = logging.getLogger(__name__)

__all__ = ["run_pipeline", "default_jobs", "NotebookResult", "VERSIONED_PACKAGES", "KERNEL_LABEL"]

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
# Environment variable naming the notebook a kernel runs (set in its environment and inherited by its workers): lets a
# monitor such as benchmarks/pipeline.py tell the processes of notebooks running at the same time apart.
KERNEL_LABEL = LABEL_VARIABLE


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
    started: float = 0.0  # seconds after the run started (notebooks started at the same time have the same value)
    waited: float = 0.0  # seconds of ``seconds`` spent waiting for an earlier notebook (it started beside it)


def default_jobs() -> int:
    """Notebooks run at the same time by default: 2 when this process may use two or more CPUs, else 1."""
    return 2 if usable_cpus() >= 2 else 1


def run_pipeline(
    corpus: str | Path,
    out: str | Path,
    params: dict[str, Any] | None = None,
    notebooks: list[str] | None = None,
    progress: bool = True,
    kernel_name: str = "python3",
    notebook_folder: str | Path | None = None,
    jobs: int | None = None,
) -> dict:
    """Execute the notebooks with papermill and render the run folder.

    Parameters are passed to each notebook that declares them; ``corpus`` and ``run_dir`` always are.
    A failing notebook keeps its partial output, is marked failed in ``index.html`` and ``manifest.json``,
    and the other notebooks still run. Returns the manifest (``manifest["status"]`` is ``ok`` or
    ``failed``). ``notebook_folder`` runs notebooks from another folder (default: the checkout's). ``jobs``:
    how many notebooks may run at the same time (1: one after another, in this process; default
    :func:`default_jobs`).
    """
    jobs = default_jobs() if jobs is None else int(jobs)
    if jobs < 1:
        raise ValueError(f"jobs must be 1 or more, got {jobs}")
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
        "jobs": jobs,
        "notebooks": [],
    }
    tasks = {}
    for name in names:
        nb_params = {k: v for k, v in params.items() if k in declared[name]}
        nb_params.update(corpus=str(corpus), run_dir=str(out))
        tasks[name] = (nb_dir, name, out, nb_params, kernel_name, progress, jobs)
    clear_marks(out)
    by_name = _run_sequentially(tasks) if jobs == 1 else _run_concurrently(tasks, jobs)
    clear_marks(out)
    results = [by_name[name] for name in names]
    finished = datetime.now(UTC)
    manifest["finished"] = finished.isoformat(timespec="seconds")
    manifest["seconds"] = round((finished - started).total_seconds(), 2)
    manifest["notebooks"] = [asdict(r) for r in results]
    manifest["status"] = "ok" if all(r.status == "ok" for r in results) else "failed"
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str), encoding="utf-8")
    write_index(out, manifest)
    return manifest


def _run_sequentially(tasks: dict[str, tuple]) -> dict[str, NotebookResult]:
    """The notebooks of ``tasks`` (name: ``_execute_notebook``'s arguments) one after another, each rendered."""
    t0 = time.perf_counter()
    results = {}
    for name, task in tasks.items():
        started = round(time.perf_counter() - t0, 2)
        results[name] = _render_notebook(_execute_notebook(*task), task[2])
        results[name].started = started
        if task[5]:
            _print_steps(results[name])
    return results


def _run_concurrently(tasks: dict[str, tuple], jobs: int) -> dict[str, NotebookResult]:
    """The notebooks of ``tasks`` (in run order), up to ``jobs`` executing at a time, each from a thread of its own;
    a notebook starts as soon as :func:`.notebooks.may_start` allows, told what to wait for
    (:func:`.notebooks.waits_for`), and its page is rendered while the others go on. A notebook that another works
    beside (one waiting only for its documents) gets one process for its per-document steps: the other takes the
    second CPU. A notebook starting beside a longer one (:data:`.notebooks.YIELDS_TO`) runs its kernel at a lower
    priority, so the longer one, which ends the run, gets the CPU first."""
    names = list(tasks)
    t0 = time.perf_counter()
    done = threading.Condition()
    started: dict[str, float] = {}
    executed: set[str] = set()
    waits: dict[str, list[str]] = {}
    results: dict[str, NotebookResult] = {}

    def work(name: str, task: tuple, position: int, niceness: int) -> None:
        res = NotebookResult(name=name, status="failed", error="the runner's thread failed")
        try:
            res = _execute_notebook(*task, bar_position=position, waits_for=waits[name], niceness=niceness)
        finally:
            mark_done(task[2], name)
            with done:
                executed.add(name)
                done.notify_all()
        res = _render_notebook(res, task[2])
        with done:
            results[name] = res
            res.started = started[name]
            if task[5]:
                _print_steps(res)

    threads = []
    with done:
        while len(started) < len(names):
            now = round(time.perf_counter() - t0, 2)
            running = len(started) - len(executed)
            picked: list[str] = []
            for name in names:
                if name in started or running + len(picked) >= jobs:
                    continue
                if may_start(name, names, set(started) | set(picked), executed):
                    picked.append(name)
                    waits[name] = waits_for(name, names, executed)
            for position, name in enumerate(picked, start=running):
                beside = any(w.startswith(f"{name}:") and not w.endswith(":done") for ws in waits.values() for w in ws)
                task = (*tasks[name][:6], 1 if beside else jobs)
                longer = YIELDS_TO.get(name)
                niceness = YIELD_NICENESS if longer in started and longer not in executed else 0
                started[name] = now
                thread = threading.Thread(target=work, args=(name, task, position, niceness), daemon=True)
                thread.start()
                threads.append(thread)
            if len(started) < len(names):
                done.wait()
    for thread in threads:
        thread.join()
    return results


def _execute_notebook(
    nb_dir: Path,
    name: str,
    out: Path,
    nb_params: dict,
    kernel_name: str,
    progress: bool = False,
    jobs: int = 1,
    bar_position: int = 0,
    waits_for: list[str] | None = None,
    niceness: int = 0,
) -> NotebookResult:
    """Execute one notebook into ``out/notebooks``; any failure is recorded, never raised. ``waits_for``: running
    notebooks whose tables it reads (it waits for them itself: ``waiting.wait_for_notebooks``); ``niceness``: added
    to the kernel's (its priority lowered)."""
    from papermill.exceptions import PapermillExecutionError

    res = NotebookResult(name=name, notebook=f"notebooks/{name}.ipynb", html=f"{name}.html")
    t0 = time.perf_counter()
    try:
        # the kernel's per-document steps may use as many processes as the run may (unless the caller set it)
        env = {
            KERNEL_LABEL: name,
            JOBS_VARIABLE: os.environ.get(JOBS_VARIABLE) or str(jobs),
            WAITS_FOR_VARIABLE: ",".join(waits_for or []),
            RUNNER_VARIABLE: str(os.getpid()),
        }
        execute(
            nb_dir / f"{name}.ipynb",
            out / res.notebook,
            nb_params,
            kernel_name,
            nb_dir,
            name if progress else None,
            bar_position,
            env,
            niceness,
        )
        res.status = "ok"
    except PapermillExecutionError as exc:  # a cell raised: its traceback is in the executed notebook
        res.status, res.error = "failed", _error_summary(exc)
    except Exception as exc:  # the kernel died, is missing, timed out...: recorded in the manifest, run goes on
        log.exception("notebook %s could not be executed", name)
        res.status, res.error = "failed", _error_summary(exc) + "\n" + traceback.format_exc(limit=3)
    res.seconds = round(time.perf_counter() - t0, 2)
    res.waited = waited_seconds(out, name)
    return res


def _render_notebook(res: NotebookResult, out: Path) -> NotebookResult:
    """Read the step times of an executed notebook and render its page; a rendering failure is recorded."""
    executed = out / res.notebook
    if not res.notebook or not executed.is_file():
        res.html = ""
        return res
    try:
        import nbformat

        res.steps = step_times(nbformat.read(str(executed), as_version=4))
        render_html(executed, out / res.html, title=TITLES.get(res.name, res.name))
    except Exception as exc:  # nbconvert failed on this notebook: recorded, the other pages still render
        log.exception("notebook %s could not be rendered", res.name)
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
