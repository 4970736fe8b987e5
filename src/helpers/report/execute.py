"""Executing one notebook with papermill: an encrypted kernel channel, a progress bar that names the running step,
and the time of each step read back from the executed notebook.

A *step* is the run of code cells under one Markdown heading (``## Families``): the bar shows the step running,
and ``step_times`` sums papermill's per-cell durations by step for ``manifest.json``.

The kernel: ipykernel warns "Kernel is running over TCP without encryption" whenever its ZeroMQ sockets listen on
TCP without CurveZMQ keys, which is jupyter_client's default (``KernelManager.transport_encryption = "disabled"``).
The runner asks the kernel manager to provision CurveZMQ keys (ipykernel's kernelspec declares
``supported_encryption: ["curve"]``), so the channel is encrypted and the kernel has nothing to warn about. Where
pyzmq lacks Curve support, the kernel talks over IPC sockets (files in a private temporary folder) instead of TCP.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

__all__ = ["ENGINE_NAME", "kernel_config", "step_names", "step_times", "longest_steps", "execute"]

log = logging.getLogger(__name__)
ENGINE_NAME = "storytrace"
FIRST_STEP = "setup"  # the name of code cells before the first heading
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def kernel_config():
    """traitlets configuration for the kernel manager: CurveZMQ-encrypted TCP, else IPC sockets."""
    import zmq
    from traitlets.config import Config

    cfg = Config()
    if zmq.has("curve"):
        cfg.KernelManager.transport_encryption = "auto"
    else:
        cfg.KernelManager.transport = "ipc"
        cfg.KernelManager.ip = str(Path(tempfile.mkdtemp(prefix="storytrace-kernel-")) / "kernel")
    return cfg


def step_names(cells) -> list[str]:
    """For each cell of a notebook, the last Markdown heading at or before it (``FIRST_STEP`` before any)."""
    names, current = [], FIRST_STEP
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            headings = _HEADING.findall(cell.get("source") or "")
            if headings:
                current = headings[-1].strip().strip("*_`")
        names.append(current)
    return names


def step_times(nb) -> list[dict]:
    """``[{"step": heading, "seconds": s}]`` in notebook order: papermill's cell durations summed by step."""
    out: list[dict] = []
    for name, cell in zip(step_names(nb.cells), nb.cells):
        if cell.get("cell_type") != "code":
            continue
        seconds = (cell.get("metadata", {}).get("papermill") or {}).get("duration") or 0.0
        if out and out[-1]["step"] == name:
            out[-1]["seconds"] += seconds
        else:
            out.append({"step": name, "seconds": seconds})
    return [{"step": s["step"], "seconds": round(s["seconds"], 2)} for s in out]


def _register_engine() -> None:
    """A papermill engine that names the running step in the notebook's progress bar."""
    from papermill.engines import NBClientEngine, papermill_engines

    class StepEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            steps = step_names(nb_man.nb.cells)
            cell_start = nb_man.cell_start

            def named_cell_start(cell, cell_index=None, **kw):
                cell_start(cell, cell_index, **kw)
                if nb_man.pbar is not None and cell_index is not None:
                    nb_man.pbar.set_postfix_str(steps[cell_index][:40])

            nb_man.cell_start = named_cell_start
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    papermill_engines.register(ENGINE_NAME, StepEngine)


def execute(
    source: Path,
    executed: Path,
    parameters: dict,
    kernel_name: str,
    cwd: Path,
    bar_label: str | None,
    bar_position: int = 0,
    env: dict[str, str] | None = None,
    niceness: int = 0,
):
    """Run ``source`` into ``executed`` with papermill, its kernel started in ``cwd`` with ``env`` added to this
    process's environment (and ``niceness`` added to its own, where ``nice`` exists); ``bar_label`` shows a progress
    bar (None: no bar) on line ``bar_position`` (notebooks running at the same time each have their own line). Raises
    what papermill raises. Nothing process-wide changes (papermill's own ``cwd`` option would change this process's
    working directory), so notebooks can run in threads at the same time."""
    import papermill as pm

    _register_engine()
    progress: bool | dict = False
    if bar_label is not None:
        progress = {
            "desc": bar_label,
            "unit": "cell",
            "leave": True,
            "bar_format": _BAR_FORMAT,
            "position": bar_position,
        }
    pm.execute_notebook(
        str(source),
        str(executed),
        parameters=parameters,
        kernel_name=kernel_name,
        engine_name=ENGINE_NAME,
        progress_bar=progress,
        resources={"metadata": {"path": str(cwd)}},  # nbclient starts the kernel there
        kernel_manager_class=_manager_with_env(env or {}, niceness),
        request_save_on_cell_execute=False,
        config=kernel_config(),
    )


def _manager_with_env(env: dict[str, str], niceness: int = 0):
    """jupyter_client's kernel manager, launching its kernel with ``env`` added to the environment (and through
    ``nice -n niceness`` when asked and ``nice`` exists)."""
    from jupyter_client.manager import AsyncKernelManager

    nice = shutil.which("nice") if niceness else None

    class KernelManagerWithEnv(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd, **kw):
            kw["env"] = {**(kw.get("env") or os.environ), **env}
            if nice:
                kernel_cmd = [nice, "-n", str(niceness), *kernel_cmd]
            out = await super()._async_launch_kernel(kernel_cmd, **kw)
            if nice:
                _lower_session_priority(getattr(self.provisioner, "process", None), niceness)
            return out

    return KernelManagerWithEnv


def _lower_session_priority(process, niceness: int) -> None:
    """Give a kernel's session (its autogroup, on Linux) the ``niceness`` too: the kernel starts a session of its
    own, and where the scheduler groups processes by session (``kernel.sched_autogroup_enabled``) a process's own
    niceness only orders it within its session, so without this it would still take a full share of the CPU
    against another kernel's session."""
    pid = getattr(process, "pid", None)
    autogroup = Path(f"/proc/{pid}/autogroup")
    if pid is None or not autogroup.is_file():
        return
    try:
        autogroup.write_text(str(niceness))
    except OSError as exc:  # not permitted here: the kernel keeps its own niceness only
        log.debug("could not lower the priority of kernel %s's session: %s", pid, exc)


_BAR_FORMAT = "{desc:<20} {percentage:3.0f}%|{bar:20}| {n_fmt}/{total_fmt} cells [{elapsed}{postfix}]"


def longest_steps(steps: list[dict], n: int = 3, min_seconds: float = 1.0) -> list[dict]:
    """The ``n`` longest steps of at least ``min_seconds``, longest first."""
    return sorted((s for s in steps if s["seconds"] >= min_seconds), key=lambda s: -s["seconds"])[:n]
