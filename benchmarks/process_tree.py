"""Resident memory of a benchmark's child process and all its descendants (Dask scheduler, nannies, workers)."""

from __future__ import annotations

import psutil


def tree_memory(proc: psutil.Process, cpu: dict | None = None) -> int:
    """Summed resident set size of ``proc`` and its descendants now, in bytes (0 once it has ended); with ``cpu``,
    also records each process's CPU seconds so far (by pid)."""
    try:
        procs = [proc] + proc.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        try:
            with p.oneshot():
                total += p.memory_info().rss
                if cpu is not None:
                    t = p.cpu_times()
                    cpu[p.pid] = t.user + t.system
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total
