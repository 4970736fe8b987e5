"""Per-document pure steps on the machine's cores: consecutive chunks of the documents, one per process, results
back in input order.

``in_chunks(func, items, weights)`` splits ``items`` into consecutive chunks (balanced by ``weights``, e.g.
characters of text), runs ``func`` on them in this process and in spawned ones (spawn: safe inside a Jupyter
kernel, whose threads a fork would copy half-held), and returns the results in chunk order for the caller to
concatenate. ``func`` must be a
module-level function (it is pickled by name) that gives for a chunk what it would give as part of the whole,
so that the concatenated result is the one-process result.

How many processes: the ``processes`` argument, else the environment variable :data:`JOBS_VARIABLE`, else one.
``run_pipeline`` sets it in each kernel to the run's ``jobs`` (2 by default on two or more CPUs; ``--jobs 1`` or
``STORYTRACE_JOBS=1`` for one process): on a quiet machine at 10,000 real documents it saves notebook 01 about 4 s
and notebook 02 about 5 s, on a busy one it loses (README, *The whole run on two cores*). In a plain Python session
it stays one process unless the variable is set. Below ``min_items`` items one process does it all: starting a
process (about 2.5 CPU s to import pandas and NLTK) must pay for itself.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np

__all__ = ["JOBS_VARIABLE", "usable_cpus", "available_processes", "in_chunks", "chunk_bounds"]

log = logging.getLogger(__name__)
JOBS_VARIABLE = "STORYTRACE_JOBS"
STARTUP_POLL_S = 0.05  # how often a starting worker's thread checks whether any chunk is left for it
CHUNKS_PER_PROCESS = 8  # chunks per process: small enough to even out a worker's start-up, few enough to cost little
IDLE_EXIT_S = 30.0  # a worker kept for the next call (``keep``) ends after this long without a chunk
T = TypeVar("T")
R = TypeVar("R")


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def available_processes() -> int:
    """:data:`JOBS_VARIABLE` when set (at least 1), else 1."""
    try:
        return max(1, int(os.environ.get(JOBS_VARIABLE, "").strip() or 1))
    except ValueError:
        return 1


def chunk_bounds(weights: Sequence[float], parts: int) -> list[tuple[int, int]]:
    """``parts`` consecutive ``(start, end)`` ranges over ``weights`` with about equal sums (none empty when there
    are at least ``parts`` items)."""
    n = len(weights)
    parts = max(1, min(parts, n))
    total = np.cumsum(np.asarray(weights, dtype=float) + 1e-9)
    cuts = np.searchsorted(total, total[-1] * np.arange(1, parts) / parts, side="right") if n else []
    bounds, start = [], 0
    for i, cut in enumerate(cuts):
        cut = int(min(max(cut, start + 1), n - (parts - 1 - i)))  # at least one item per chunk
        bounds.append((start, cut))
        start = cut
    bounds.append((start, n))
    return bounds


def in_chunks(
    func: Callable[[Sequence[T]], R],
    items: Sequence[T],
    weights: Sequence[float] | None = None,
    *,
    min_items: int,
    processes: int | None = None,
    chunks_per_process: int = CHUNKS_PER_PROCESS,
    largest_first: bool = False,
    keep: bool = False,
) -> list[R]:
    """``[func(chunk) for chunk in consecutive chunks of items]`` on several processes; ``[func(items)]`` with fewer
    than ``min_items`` items or one process. ``weights`` (default: one per item) balance the chunks.

    This process works through the chunks from the first; each spawned worker, once it has started (imports,
    models), is handed the last chunk nobody has begun, then the next, until the two ends meet: a slow start
    costs the run nothing but that worker's share, and no process waits for another by more than a chunk. With
    ``largest_first`` (items whose costs differ a lot, e.g. pairs of documents of very different lengths) every
    process takes the heaviest chunk nobody has begun instead, so that one long chunk does not end the call alone.
    With ``keep`` the workers are kept for the next call in this process (which then needs no start-up: a notebook
    step followed by another that spreads its work), each ending once idle for :data:`IDLE_EXIT_S` seconds.
    A chunk whose worker dies is done here. An exception in a chunk is raised here."""
    processes = available_processes() if processes is None else max(1, processes)
    if processes == 1 or len(items) < max(min_items, 2):
        return [func(items)]
    w = np.asarray(weights if weights is not None else [1.0] * len(items), dtype=float)
    bounds = chunk_bounds(w, processes * chunks_per_process)
    chunks = [items[a:b] for a, b in bounds]
    heaviest = np.argsort([-w[a:b].sum() for a, b in bounds], kind="stable").tolist() if largest_first else None
    queue = _Chunks(len(chunks), heaviest)
    servers = [
        threading.Thread(target=_serve_worker, args=(func, chunks, queue, keep), daemon=True)
        for _ in range(processes - 1)
    ]
    for server in servers:
        server.start()
    try:
        while (i := queue.take(first=True)) is not None:
            queue.done(i, func(chunks[i]))
    finally:  # on an error here too: no worker takes another chunk, and each is stopped before this returns
        queue.close()
        for server in servers:
            server.join()
    for i in queue.orphans():  # a worker died holding it
        queue.done(i, func(chunks[i]))
    return queue.results()


class _Chunks:
    """Which chunks are taken (this process from the front, workers from the back; or everyone the next of
    ``order``) and their results."""

    def __init__(self, n: int, order: list[int] | None = None):
        self._lock = threading.Lock()
        self._front, self._back = 0, n
        self._order = order
        self._results: dict[int, object] = {}
        self._errors: dict[int, BaseException] = {}
        self._taken: set[int] = set()
        self.n = n

    def take(self, first: bool) -> int | None:
        with self._lock:
            if self._front >= self._back:
                return None
            if first or self._order is not None:
                self._front += 1
                i = self._front - 1
            else:
                self._back -= 1
                i = self._back
            i = i if self._order is None else self._order[i]
            self._taken.add(i)
            return i

    def close(self) -> None:
        """No chunk is handed out any more."""
        with self._lock:
            self._back = min(self._back, self._front)

    def exhausted(self) -> bool:
        with self._lock:
            return self._front >= self._back

    def done(self, i: int, result: object = None, error: BaseException | None = None) -> None:
        with self._lock:
            if error is None:
                self._results[i] = result
            else:
                self._errors[i] = error

    def orphans(self) -> list[int]:
        with self._lock:
            return sorted(self._taken - set(self._results) - set(self._errors))

    def results(self) -> list:
        if self._errors:
            raise self._errors[min(self._errors)]
        return [self._results[i] for i in range(self.n)]


class _Worker:
    """A spawned worker process and this process's end of its pipe; ``ready`` once it has said so (imports done)."""

    def __init__(self):
        ctx = multiprocessing.get_context("spawn")
        self.conn, theirs = ctx.Pipe()
        self.process = ctx.Process(target=_work, args=(theirs, IDLE_EXIT_S), daemon=True)
        self.process.start()
        theirs.close()
        self.ready = False

    def wait_ready(self, give_up: Callable[[], bool]) -> bool:
        """Whether it is ready, waiting for it to start unless ``give_up()`` says no chunk is left for it."""
        while not self.ready:
            if self.conn.poll(STARTUP_POLL_S):
                self.conn.recv()
                self.ready = True
            elif give_up() or not self.process.is_alive():
                return False
        return True

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


_kept: list[_Worker] = []  # workers kept after a call (``keep``) for the next one in this process
_kept_lock = threading.Lock()


def _a_worker() -> _Worker:
    """A kept worker that is still alive, else a new one."""
    with _kept_lock:
        while _kept:
            worker = _kept.pop()
            if worker.process.is_alive():
                return worker
            worker.stop()
    return _Worker()


def _serve_worker(func: Callable, chunks: list, queue: _Chunks, keep: bool = False) -> None:
    """A thread of this process feeding one spawned worker (a kept one when there is one) chunks from the back
    until none is left; then the worker is stopped, or with ``keep`` kept for the next call (a worker still
    starting when none is left too)."""
    worker = None
    try:
        worker = _a_worker()
        if not worker.wait_ready(queue.exhausted):
            return
        while (i := queue.take(first=False)) is not None:
            worker.conn.send((func, chunks[i]))
            ok, value = worker.conn.recv()
            queue.done(i, value) if ok else queue.done(i, error=value)
    except Exception as exc:  # the worker could not start (e.g. in a daemon process) or died: its chunk is left here
        log.warning("a worker process failed (%s: %s); its chunk is done in this process", type(exc).__name__, exc)
        if worker is not None:
            worker.stop()
            worker = None
    finally:
        if worker is not None:
            if keep and worker.process.is_alive():
                with _kept_lock:
                    _kept.append(worker)
            else:
                worker.stop()


def _work(conn, idle_exit_s: float) -> None:
    """A spawned worker: says it is ready, then runs each ``(func, chunk)`` it is sent and sends the result back,
    until it is sent ``None``, its parent is gone, or nothing comes for ``idle_exit_s`` seconds (on one process: a
    worker starts no workers of its own)."""
    os.environ[JOBS_VARIABLE] = "1"
    conn.send(True)
    try:
        while conn.poll(idle_exit_s):
            message = conn.recv()
            if message is None:
                break
            func, chunk = message
            try:
                conn.send((True, func(chunk)))
            except Exception as exc:  # raised again in the parent, by chunk order
                conn.send((False, exc))
    except (EOFError, OSError):  # the parent has gone
        pass
