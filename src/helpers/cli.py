"""Command line: ``python -m helpers run --corpus PATH --out reports/NAME [--params FILE.yaml] [-p key=value ...]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from .report import NOTEBOOKS, notebook_dir, notebook_parameters, run_pipeline


def _parse_assignment(text: str) -> tuple[str, object]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected key=value, got {text!r}")
    key, _, value = text.partition("=")
    # YAML scalars: 0.5 -> float, 5 -> int, true -> bool, anything else -> string.
    parsed = yaml.safe_load(value) if value.strip() else ""
    if isinstance(parsed, (dict, list)) or parsed is None:
        parsed = value
    if hasattr(parsed, "isoformat"):  # YAML turns 2024-12-06 into a date; notebooks take strings
        parsed = parsed.isoformat()
    return key.strip(), parsed


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
    run.add_argument("--workers", type=int, help="run the near-duplicate step on a local Dask cluster with N workers")
    run.add_argument("--scheduler", help="address of an existing Dask scheduler, e.g. tcp://10.0.0.5:8786")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    sub.add_parser("params", help="list every notebook's parameters and defaults")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "params":
        for name in NOTEBOOKS:
            print(f"{name}:")
            for key, default in notebook_parameters(notebook_dir() / f"{name}.ipynb").items():
                print(f"  {key} = {default}")
        return 0
    params: dict = {}
    if args.params:
        loaded = yaml.safe_load(args.params.read_text(encoding="utf-8")) or {}
        if not isinstance(loaded, dict):
            print(f"error: {args.params} must hold a mapping of parameter: value", file=sys.stderr)
            return 2
        params.update({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in loaded.items()})
    params.update(dict(args.param))
    if not Path(args.corpus).exists():
        print(f"error: corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    notebooks = [n.strip() for n in args.notebooks.split(",")] if args.notebooks else None
    if notebooks:
        bad = [n for n in notebooks if n not in NOTEBOOKS]
        if bad:
            print(f"error: unknown notebook(s) {', '.join(bad)}; choose from {', '.join(NOTEBOOKS)}", file=sys.stderr)
            return 2
    try:
        if args.workers or args.scheduler:
            # One cluster for the whole run (started here, or the user's); notebooks connect to its scheduler.
            from .distributed import cluster

            with cluster(args.workers, args.scheduler) as client:
                params["scheduler"] = client.scheduler.address
                manifest = run_pipeline(
                    args.corpus, args.out, params=params, notebooks=notebooks, progress=not args.no_progress
                )
        else:
            manifest = run_pipeline(
                args.corpus, args.out, params=params, notebooks=notebooks, progress=not args.no_progress
            )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
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
