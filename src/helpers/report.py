"""Run the notebooks headlessly and render the run folder: HTML reports, ``index.html``, ``manifest.json``.

A run folder looks like::

    reports/NAME/
      index.html            run summary: corpus, documents, skipped inputs, each notebook's status and time
      manifest.json         parameters, versions, input checksum, timings, status of each notebook
      01_tokenise.html ...  each notebook rendered without code cells
      notebooks/*.ipynb     the executed notebooks (partial output kept when one fails)
      tables/*.csv          every table the notebooks wrote
      cache/                documents loaded once per run

Every page is self-contained and offline: no script runs in it (a Content-Security-Policy forbids all
scripts), images are embedded, and corpus text is escaped before it reaches HTML.
"""

from __future__ import annotations

import hashlib
import html
import importlib.metadata as md
import json
import platform
import re
import sys
import time
import traceback
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "NOTEBOOKS",
    "notebook_dir",
    "write_table",
    "read_table",
    "load_documents",
    "corpus_checksum",
    "notebook_parameters",
    "render_html",
    "run_pipeline",
    "NotebookResult",
    "CSP",
]

NOTEBOOKS = ["01_tokenise", "02_near_duplicates", "03_timelines", "04_framing"]
TITLES = {
    "01_tokenise": "Corpus and tokens",
    "02_near_duplicates": "Near-duplicates and derivation",
    "03_timelines": "Timelines",
    "04_framing": "Framing",
}
CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
    "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
)
_CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
_NB_STYLE = (
    "<style>body .jp-RenderedHTMLCommon:not(.jp-RenderedMarkdown) td,"
    "body .jp-RenderedHTMLCommon:not(.jp-RenderedMarkdown) th,"
    "body .jp-RenderedHTMLCommon:not(.jp-RenderedMarkdown) tr{text-align:left;vertical-align:top}"
    ".jp-RenderedHTMLCommon mark{background:#ffe08a;padding:0 1px}"
    "body{max-width:1400px;margin:0 auto}</style>"
)
QUESTIONS = {
    "01_tokenise": "What is in the corpus: documents, sources, lengths, skipped inputs, removed boilerplate, distinctive words.",
    "02_near_duplicates": "Which articles are the same story, which copies which, which is the origin, and what each copy added or dropped.",
    "03_timelines": "When each version appeared, which dates and durations each asserts, and where versions disagree.",
    "04_framing": "How each version frames the event, and how the framing shifts from the original to each copy.",
}


def notebook_dir() -> Path:
    """The folder holding the notebooks: ``notebooks/`` of the checkout."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "notebooks" / f"{NOTEBOOKS[0]}.ipynb").is_file():
            return parent / "notebooks"
    raise FileNotFoundError(
        "notebooks/ folder not found next to the helpers package (install from a checkout, editable)"
    )


# ------------------------------------------------------------------------------------------ tables
def write_table(df: pd.DataFrame, run_dir: str | Path, name: str, index: bool = False) -> Path:
    """Write ``df`` to ``run_dir/tables/<name>.csv`` (UTF-8) and return the path."""
    path = Path(run_dir) / "tables" / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(df).to_csv(path, index=index)
    return path


def read_table(run_dir: str | Path, name: str) -> pd.DataFrame | None:
    """An earlier notebook's table of this run, or None when it was not written."""
    path = Path(run_dir) / "tables" / f"{name}.csv"
    if not path.is_file():
        return None
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def corpus_checksum(path: str | Path) -> str:
    """SHA-256 over the relative paths and bytes of every input file (and metadata.csv)."""
    from .corpus import list_inputs

    path = Path(path)
    h = hashlib.sha256()
    root = path if path.is_dir() else path.parent
    files = list_inputs(path)
    if path.is_dir() and (path / "metadata.csv").is_file():
        files = sorted(files + [path / "metadata.csv"])
    for f in files:
        h.update(f.relative_to(root).as_posix().encode())
        h.update(b"\0")
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\0")
    return h.hexdigest()


def load_documents(corpus: str | Path, run_dir: str | Path | None = None, **load_options):
    """The documents of ``corpus``, loaded once per run folder and cached there (keyed by checksum and
    options), so every notebook of a run reads the same table. Returns :class:`helpers.corpus.Documents`."""
    from .corpus import Documents, load_corpus

    if run_dir is None:
        return load_corpus(corpus, **load_options)
    cache = Path(run_dir) / "cache"
    key = hashlib.sha256(
        json.dumps([corpus_checksum(corpus), sorted(load_options.items())], default=str).encode()
    ).hexdigest()[:16]
    files = {name: cache / f"{name}-{key}.pkl" for name in ("documents", "skipped", "boilerplate")}
    if all(f.is_file() for f in files.values()):
        docs = Documents(pd.read_pickle(files["documents"]))
        docs.skipped = pd.read_pickle(files["skipped"])
        docs.boilerplate = pd.read_pickle(files["boilerplate"])
        return docs
    docs = load_corpus(corpus, **load_options)
    cache.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(docs).to_pickle(files["documents"])
    docs.skipped.to_pickle(files["skipped"])
    docs.boilerplate.to_pickle(files["boilerplate"])
    return docs


# ------------------------------------------------------------------------------------------ notebooks
def notebook_parameters(nb_path: str | Path) -> dict[str, Any]:
    """Parameters declared in a notebook's ``parameters`` cell, with their defaults."""
    import papermill as pm

    return {name: info["default"] for name, info in pm.inspect_notebook(str(nb_path)).items()}


def _strip_scripts(page: str) -> str:
    # The template's own scripts (MathJax, Mermaid, require.js) would need the network; drop them all.
    page = re.sub(r"<script\b[^>]*>.*?</script\s*>", "", page, flags=re.IGNORECASE | re.DOTALL)
    page = re.sub(r"<link\b[^>]*href=\"https?://[^>]*>", "", page, flags=re.IGNORECASE)
    return page.replace("<head>", "<head>\n" + _CSP_META, 1).replace("</head>", _NB_STYLE + "\n</head>", 1)


def render_html(executed: str | Path, out_html: str | Path, title: str | None = None) -> Path:
    """Render an executed notebook to self-contained HTML without code cells."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(executed), as_version=4)
    exporter = HTMLExporter(
        template_name="lab",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title or Path(executed).stem}})
    out_html = Path(out_html)
    out_html.write_text(_strip_scripts(body), encoding="utf-8")
    return out_html


@dataclass
class NotebookResult:
    name: str
    status: str = "not run"  # ok | failed | not run
    seconds: float = 0.0
    error: str = ""
    html: str = ""
    notebook: str = ""


def _error_summary(exc: BaseException) -> str:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    evalue = re.sub(r"\x1b\[[0-9;]*m", "", str(evalue))
    return f"{ename}: {evalue}".strip()[:2000]


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in (
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
    ):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            pass
    return out


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
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    corpus = Path(corpus).resolve()
    out = Path(out).resolve()
    (out / "notebooks").mkdir(parents=True, exist_ok=True)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    params = dict(params or {})
    nb_dir = Path(notebook_folder) if notebook_folder else notebook_dir()
    names = notebooks or NOTEBOOKS
    missing = [n for n in names if not (nb_dir / f"{n}.ipynb").is_file()]
    if missing:
        raise ValueError(f"notebook(s) not found in {nb_dir}: {', '.join(missing)}")
    declared = {name: notebook_parameters(nb_dir / f"{name}.ipynb") for name in names}
    # a parameter of a notebook left out of this run is not unknown (one parameters file serves every subset)
    every = [n for n in NOTEBOOKS if (nb_dir / f"{n}.ipynb").is_file() and n not in declared]
    known = set().union(*declared.values(), *(notebook_parameters(nb_dir / f"{n}.ipynb") for n in every))
    unknown = sorted(set(params) - known)
    if unknown:
        raise ValueError(
            f"unknown parameter(s): {', '.join(unknown)}; the notebooks take: {', '.join(sorted(known - {'corpus', 'run_dir'}))}"
        )
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
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(names), desc="storytrace", unit="notebook")
    for name in names:
        res = NotebookResult(name=name, notebook=f"notebooks/{name}.ipynb", html=f"{name}.html")
        if bar is not None:
            bar.set_postfix_str(name)
        nb_params = {k: v for k, v in params.items() if k in declared[name]}
        nb_params.update(corpus=str(corpus), run_dir=str(out))
        executed = out / res.notebook
        t0 = time.perf_counter()
        try:
            pm.execute_notebook(
                str(nb_dir / f"{name}.ipynb"),
                str(executed),
                parameters=nb_params,
                kernel_name=kernel_name,
                progress_bar=False,
                cwd=str(nb_dir),
                request_save_on_cell_execute=False,
            )
            res.status = "ok"
        except PapermillExecutionError as exc:
            res.status, res.error = "failed", _error_summary(exc)
        except Exception as exc:  # noqa: BLE001 - kernel death, missing kernel...: report, keep going
            res.status, res.error = "failed", _error_summary(exc) + "\n" + traceback.format_exc(limit=3)
        res.seconds = round(time.perf_counter() - t0, 2)
        if executed.is_file():
            try:
                render_html(executed, out / res.html, title=TITLES.get(name, name))
            except Exception as exc:  # noqa: BLE001
                res.html = ""
                res.error = (res.error + "\n" if res.error else "") + f"rendering failed: {_error_summary(exc)}"
                res.status = "failed"
        else:
            res.html = ""
        results.append(res)
        if bar is not None:
            bar.update(1)
            if res.status != "ok":
                bar.write(f"{name} failed: {res.error.splitlines()[0] if res.error else ''}")
    if bar is not None:
        bar.close()
    finished = datetime.now(UTC)
    manifest["finished"] = finished.isoformat(timespec="seconds")
    manifest["seconds"] = round((finished - started).total_seconds(), 2)
    manifest["notebooks"] = [asdict(r) for r in results]
    manifest["status"] = "ok" if all(r.status == "ok" for r in results) else "failed"
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str), encoding="utf-8")
    write_index(out, manifest)
    return manifest


# ------------------------------------------------------------------------------------------ index.html
def _table_html(df: pd.DataFrame, max_rows: int = 200) -> str:
    if df is None or df.empty:
        return "<p class='muted'>none</p>"
    more = f"<p class='muted'>… {len(df) - max_rows} more rows in the CSV</p>" if len(df) > max_rows else ""
    return df.head(max_rows).to_html(index=False, escape=True, border=0, classes="tbl") + more


_STYLE = """
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1d1d1f}
h1{margin-bottom:.2em} .muted{color:#666} table.tbl{border-collapse:collapse;margin:.5em 0;font-size:13px}
table.tbl th,table.tbl td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
.ok{color:#0a7d28;font-weight:600} .failed{color:#b00020;font-weight:600} .not{color:#666}
.card{border:1px solid #ddd;border-radius:8px;padding:.8em 1.2em;margin:1em 0} pre{white-space:pre-wrap;background:#f6f6f6;padding:.6em}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em} dt{font-weight:600}
"""


def write_index(out: str | Path, manifest: dict) -> Path:
    """Write ``index.html``: run summary, links to each notebook's report, skipped inputs, tables."""
    out = Path(out)
    e = html.escape
    docs = read_table(out, "documents")
    skipped = read_table(out, "skipped")
    n_docs = "?" if docs is None else str(len(docs))
    n_skipped = "?" if skipped is None else str(len(skipped))
    status = manifest.get("status", "?")
    rows = []
    for nb in manifest.get("notebooks", []):
        cls = {"ok": "ok", "failed": "failed"}.get(nb["status"], "not")
        link = (
            f'<a href="{e(nb["html"])}">{e(TITLES.get(nb["name"], nb["name"]))}</a>'
            if nb.get("html")
            else e(TITLES.get(nb["name"], nb["name"]))
        )
        err = f"<pre>{e(nb['error'])}</pre>" if nb.get("error") else ""
        rows.append(
            f"<tr><td>{e(nb['name'])}</td><td>{link}</td><td>{e(QUESTIONS.get(nb['name'], ''))}</td><td class='{cls}'>{e(nb['status'])}</td>"
            f"<td>{nb['seconds']:.1f} s</td><td>{err}</td></tr>"
        )
    tables = sorted(p.name for p in (out / "tables").glob("*.csv"))
    table_links = " · ".join(f'<a href="tables/{e(t)}">{e(t)}</a>' for t in tables) or "none"
    params = manifest.get("parameters") or {}
    params_html = (
        "".join(f"<dt>{e(str(k))}</dt><dd>{e(str(v))}</dd>" for k, v in params.items())
        or "<dd class='muted'>defaults</dd>"
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">{_CSP_META}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>storytrace run: {e(out.name)}</title><style>{_STYLE}</style></head>
<body>
<h1>storytrace run: {e(out.name)}</h1>
<p class="muted">How one story is copied, excerpted, summarised, rewritten and reframed across outlets.</p>
<div class="card"><h2>Run summary</h2><dl>
<dt>Status</dt><dd class="{"ok" if status == "ok" else "failed"}">{e(status)}</dd>
<dt>Corpus</dt><dd>{e(manifest.get("corpus", ""))}</dd>
<dt>Documents</dt><dd>{e(n_docs)}</dd>
<dt>Skipped inputs</dt><dd>{e(n_skipped)}</dd>
<dt>Started</dt><dd>{e(manifest.get("started", ""))}</dd>
<dt>Total time</dt><dd>{manifest.get("seconds", 0):.1f} s</dd>
<dt>Input SHA-256</dt><dd><code>{e(manifest.get("input_sha256", ""))}</code></dd>
</dl></div>
<h2>Notebooks</h2>
<table class="tbl"><tr><th>notebook</th><th>report</th><th>question</th><th>status</th><th>time</th><th>error</th></tr>{"".join(rows)}</table>
<h2>Parameters</h2><dl>{params_html}</dl>
<h2>Skipped inputs</h2>
<p class="muted">Every input file or record that did not become a document, with the reason.</p>
{_table_html(skipped) if skipped is not None else "<p class='muted'>not available (the corpus notebook did not write it)</p>"}
<h2>Tables</h2><p>{table_links}</p>
<p class="muted">Parameters, versions and timings: <a href="manifest.json">manifest.json</a>.</p>
</body></html>
"""
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
