"""Command line: ``python -m helpers run --corpus PATH --out reports/NAME [--params FILE.yaml] [-p key=value ...]``
and ``python -m helpers params`` (every notebook's parameters and defaults)."""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from pathlib import Path

import yaml

from .report import NOTEBOOKS, notebook_dir, notebook_parameters, run_pipeline

__all__ = ["build_parser", "main", "read_params_file", "resolve_paths"]


def _yaml_value(value):
    """A YAML scalar as a notebook takes it: a date (YAML reads 2024-12-06 as one) becomes its ISO string."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def _parse_assignment(text: str) -> tuple[str, object]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected key=value, got {text!r}")
    key, _, value = text.partition("=")
    # YAML scalars: 0.5 -> float, 5 -> int, true -> bool, anything else -> string.
    parsed = yaml.safe_load(value) if value.strip() else ""
    if isinstance(parsed, (dict, list)) or parsed is None:
        parsed = value
    return key.strip(), _yaml_value(parsed)


def resolve_paths(params: dict, base: Path) -> dict:
    """Parameters with every relative path that names an existing file made absolute against ``base``.

    The notebooks run in ``notebooks/``, so a lexicon given as ``data/examples/x.csv`` must be resolved where
    the user wrote it: against the working directory (``-p``) or the parameters file's folder (``--params``).
    Values that name no existing file are passed as they are.
    """
    out = {}
    for key, value in params.items():
        if isinstance(value, str) and value and not Path(value).is_absolute() and (base / value).is_file():
            value = str((base / value).resolve())
        out[key] = value
    return out


def read_params_file(path: Path) -> dict:
    """The notebook parameters of a YAML file (``key: value`` per line), relative file paths read against the
    file's folder; ValueError when it cannot be read or holds no mapping."""
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read parameters file {path}: {exc}") from exc
    if not isinstance(loaded, dict):
        raise ValueError(f"{path} must hold a mapping of parameter: value")
    return resolve_paths({k: _yaml_value(v) for k, v in loaded.items()}, path.resolve().parent)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m helpers", description="storytrace: run the notebooks on a corpus and render HTML reports."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the four notebooks on a corpus and render the reports")
    run.add_argument("--corpus", required=True, help="folder or file (.txt/.md/.html files, .jsonl, .csv, .parquet)")
    run.add_argument("--out", required=True, help="run folder to write, e.g. reports/mycorpus")
    run.add_argument("--params", type=Path, help="YAML file of notebook parameters")
    run.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        type=_parse_assignment,
        metavar="KEY=VALUE",
        help="one notebook parameter (repeatable; overrides --params)",
    )
    run.add_argument(
        "--notebooks",
        help=f"comma-separated subset, e.g. 01_tokenise,02_near_duplicates (default: all {len(NOTEBOOKS)})",
    )
    run.add_argument(
        "--workers",
        type=int,
        help="run the near-duplicate step, and the story families' tokenising and neighbour search (from "
        "CandidateParams.ann_from documents), on a local Dask cluster with N workers",
    )
    run.add_argument("--scheduler", help="address of an existing Dask scheduler, e.g. tcp://10.0.0.5:8786")
    run.add_argument(
        "--jobs",
        type=int,
        help="notebooks run at the same time where none reads the other's tables (03 and 04): 1 runs them one "
        "after another (default: 2 with two or more CPUs, else 1)",
    )
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    sub.add_parser("params", help="list every notebook's parameters and defaults")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "params":
        _print_parameters()
        return 0
    try:
        params = read_params_file(args.params) if args.params else {}
        params.update(resolve_paths(dict(args.param), Path.cwd()))
        if not Path(args.corpus).exists():
            raise ValueError(f"corpus not found: {args.corpus}")
        notebooks = _chosen_notebooks(args.notebooks)
        with _dask_cluster(args) as client:
            if client is not None:  # one cluster for the whole run; the notebooks connect to its scheduler
                params["scheduler"] = client.scheduler.address
            manifest = run_pipeline(
                args.corpus,
                args.out,
                params=params,
                notebooks=notebooks,
                progress=not args.no_progress,
                jobs=args.jobs,
            )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return _report(manifest, Path(args.out))


def _print_parameters() -> None:
    for name in NOTEBOOKS:
        print(f"{name}:")
        for key, default in notebook_parameters(notebook_dir() / f"{name}.ipynb").items():
            print(f"  {key} = {default}")


def _chosen_notebooks(subset: str | None) -> list[str] | None:
    if not subset:
        return None
    notebooks = [n.strip() for n in subset.split(",")]
    bad = [n for n in notebooks if n not in NOTEBOOKS]
    if bad:
        raise ValueError(f"unknown notebook(s) {', '.join(bad)}; choose from {', '.join(NOTEBOOKS)}")
    return notebooks


def _dask_cluster(args):
    """A Dask cluster for the run when ``--workers`` or ``--scheduler`` asks for one, else no cluster."""
    if not (args.workers or args.scheduler):
        return nullcontext(None)
    from .distributed import cluster

    return cluster(args.workers, args.scheduler)


def _report(manifest: dict, out: Path) -> int:
    """Print each notebook's status and time; 0 when every notebook ran, else 1."""
    for nb in manifest["notebooks"]:
        line = f"  {nb['status']:7} {nb['seconds']:6.1f} s  {nb['name']}"
        if nb["error"]:
            line += f"  ({nb['error'].splitlines()[0]})"
        print(line)
    print(f"{'done' if manifest['status'] == 'ok' else 'FAILED'} in {manifest['seconds']:.1f} s: {out / 'index.html'}")
    if manifest["status"] != "ok":
        failed = [nb["name"] for nb in manifest["notebooks"] if nb["status"] != "ok"]
        print(f"error: notebook(s) failed: {', '.join(failed)}; partial output in {out / 'notebooks'}", file=sys.stderr)
        return 1
    return 0
