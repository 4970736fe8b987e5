"""The Dask cluster a run uses: start or join one, check its workers, compute with a progress bar.

:func:`cluster` opens a client for the CLI and notebooks (``workers=N`` local processes, or
``scheduler=ADDRESS``), prints the dashboard address and closes everything on exit; :func:`current_client`
is the client a step should use (or None: run in this process); :func:`compute` computes Dask collections
with a progress bar. The stages' Dask code (loading, lexical near-duplicates) imports from here;
:mod:`helpers.distributed` re-exports all of it as the one entry point.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

log = logging.getLogger(__name__)

__all__ = ["cluster", "current_client", "compute"]


def _parse_workers(workers) -> int:
    if workers is None or (isinstance(workers, str) and not workers.strip()):
        return 0
    try:
        n = int(workers)
    except (TypeError, ValueError):
        raise ValueError(
            f"workers must be a whole number of worker processes (0 or empty: one process); got {workers!r}"
        ) from None
    if n < 0:
        raise ValueError(f"workers must be >= 0; got {n}")
    return n


def _helpers_version() -> str:
    """Run on a worker: the helpers version it imports (raises ImportError when helpers is not installed)."""
    import helpers

    return getattr(helpers, "__version__", "?")


def _check_workers(client, ship: bool = True) -> None:
    """Every worker must import ``helpers`` (same version as here); ship the local package if they cannot."""
    import helpers

    try:
        versions = client.run(_helpers_version)
    except ImportError as exc:
        if not ship:
            raise RuntimeError(
                "the Dask workers cannot import 'helpers': install this project in the workers' "
                "environment (pip install -e . or pip install .); see docs/distributed.md"
            ) from exc
        import shutil
        import tempfile

        from distributed.diagnostics.plugin import UploadDirectory

        # UploadDirectory puts <upload>/ on the workers' path: upload a folder *containing* helpers/
        tmp = Path(tempfile.mkdtemp(prefix="storytrace_pkg_")) / "storytrace_pkg"
        shutil.copytree(
            Path(helpers.__file__).parent, tmp / "helpers", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
        log.warning("workers cannot import helpers: uploading %s to them and restarting them", tmp / "helpers")
        client.register_plugin(UploadDirectory(str(tmp), update_path=True, restart_workers=True))
        try:
            versions = client.run(_helpers_version)
        except ImportError as exc2:
            raise RuntimeError(
                "the Dask workers cannot import 'helpers' even after uploading it: install this "
                "project in the workers' environment (see docs/distributed.md)"
            ) from exc2
    mine = getattr(helpers, "__version__", "?")
    other = {v for v in versions.values() if v != mine}
    if other:
        log.warning("workers run helpers %s, this process %s: results may differ", ", ".join(sorted(other)), mine)


@contextmanager
def cluster(
    workers=None,
    scheduler=None,
    *,
    threads_per_worker: int = 1,
    memory_limit="auto",
    ship_package: bool = True,
    profile: bool = False,
    quiet: bool = False,
) -> Iterator[object]:
    """Context manager giving a ``distributed.Client``, or ``None`` for single-process runs.

    ``scheduler="tcp://host:8786"`` (or a scheduler JSON file) connects to an existing cluster;
    ``workers=N`` (N >= 1) starts a LocalCluster of N worker processes, ``threads_per_worker`` threads each;
    neither (``None``, ``0`` or ``""``) yields ``None``: everything runs in this process. The dashboard
    address is printed; clusters started here are closed on exit, an existing cluster is left running.
    Workers must import ``helpers``; if they cannot, ``ship_package`` uploads this package to them (pure
    Python; its dependencies must be there) instead of failing. ``profile``: keep the workers' statistical
    profiler (dashboard "Profile" tab) on a LocalCluster; off by default, it costs ~15% CPU here.

    >>> with cluster(workers=2) as client:          # doctest: +SKIP
    ...     pairs = near_duplicate_pairs(docs_ddf)
    """
    n = _parse_workers(workers)
    scheduler = (scheduler or "").strip() if isinstance(scheduler, str) else scheduler
    if not scheduler and n == 0:
        yield None
        return
    from distributed import Client, LocalCluster

    # p2p shuffles log every start/stop at WARNING level; they are routine here
    logging.getLogger("distributed.shuffle._scheduler_plugin").setLevel(logging.ERROR)
    local = None
    if scheduler:
        if isinstance(scheduler, str) and scheduler.endswith(".json") and Path(scheduler).is_file():
            client = Client(scheduler_file=scheduler)
        else:
            client = Client(scheduler)
        if n:
            log.info("scheduler given: workers=%d ignored (the cluster has its own workers)", n)
    else:
        import dask

        dashboard = ":0" if importlib.util.find_spec("bokeh") else None
        # the workers' statistical profiler costs ~15% CPU on these short NumPy-heavy tasks
        with dask.config.set({"distributed.worker.profile.enabled": bool(profile)}):
            local = LocalCluster(
                n_workers=n,
                threads_per_worker=threads_per_worker,
                processes=True,
                memory_limit=memory_limit,
                dashboard_address=dashboard,
            )
        client = Client(local)
    try:
        _check_workers(client, ship=ship_package)
        if not quiet:
            info = client.scheduler_info()
            nw = len(info.get("workers", {}))
            threads = sum(w.get("nthreads", 0) for w in info.get("workers", {}).values())
            if importlib.util.find_spec("bokeh") or scheduler:
                dash = f"dashboard: {client.dashboard_link}"
            else:
                dash = "no dashboard (pip install 'bokeh>=3.1' for it)"
            print(f"Dask cluster {client.scheduler.address}: {nw} workers, {threads} threads; {dash}", flush=True)
        yield client
    finally:
        client.close()
        if local is not None:
            local.close()


def current_client():
    """The active ``distributed.Client`` (from :func:`cluster` or made by the user), or ``None``."""
    if importlib.util.find_spec("distributed") is None:
        return None
    from distributed import default_client

    try:
        return default_client()
    except ValueError:
        return None


def compute(*collections, progress: bool = True, label: str = ""):
    """``dask.compute`` with a progress bar: distributed's when a client is active, else dask's local one."""
    import dask

    client = current_client()
    if label and progress:
        print(label, flush=True)
    if client is None:
        from dask.diagnostics import ProgressBar

        with ProgressBar(minimum=2, dt=1.0) if progress else nullcontext():
            return dask.compute(*collections)
    futures = client.compute(list(collections))
    if progress:
        from distributed import progress as _progress

        _progress(futures, notebook=False, interval="1s")
        print(flush=True)
    return tuple(client.gather(futures))
