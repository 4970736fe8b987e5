"""``index.html``: the start page of a run folder. It opens with the run's findings (documents and skipped inputs,
story families, added content, key dates, conflicts, framing contrasts), each linking to its section below
(:mod:`helpers.report.findings`), then the run summary, each notebook's report and time, parameters and tables.
Every value from the corpus or the run is escaped; every long table shows its top rows and links to its CSV."""

from __future__ import annotations

import html
from pathlib import Path

from .findings import findings
from .notebooks import QUESTIONS, TITLES
from .render import CSP_META
from .tables import read_table

__all__ = ["write_index"]


_STYLE = """
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#1d1d1f}
h1{margin-bottom:.2em} .muted{color:#666} table.tbl{border-collapse:collapse;margin:.5em 0;font-size:13px}
table.tbl th,table.tbl td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
.ok{color:#0a7d28;font-weight:600} .failed{color:#b00020;font-weight:600} .not{color:#666}
.card{border:1px solid #ddd;border-radius:8px;padding:.8em 1.2em;margin:1em 0}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.6em}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em} dt{font-weight:600}
ul.findings li{margin:.35em 0} section{margin-top:2em} h3{margin-bottom:.2em}
"""
_NOTEBOOK_HEADER = (
    "<tr><th>notebook</th><th>report</th><th>question</th><th>status</th><th>time</th><th>error</th></tr>"
)


def write_index(out: str | Path, manifest: dict) -> Path:
    """Write ``index.html``: findings first (each linking to its section), run summary, notebooks, parameters,
    the findings' sections, tables."""
    out = Path(out)
    e = html.escape
    docs = read_table(out, "documents")
    skipped = read_table(out, "skipped")
    n_docs = "?" if docs is None else f"{len(docs):,}"
    n_skipped = "?" if skipped is None else f"{len(skipped):,}"
    status = manifest.get("status", "?")
    rows = "".join(_notebook_row(nb) for nb in manifest.get("notebooks", []))
    tables = sorted(p.name for p in (out / "tables").glob("*.csv"))
    table_links = " · ".join(f'<a href="tables/{e(t)}">{e(t)}</a>' for t in tables) or "none"
    params = manifest.get("parameters") or {}
    params_html = (
        "".join(f"<dt>{e(str(k))}</dt><dd>{e(str(v))}</dd>" for k, v in params.items())
        or "<dd class='muted'>defaults</dd>"
    )
    found = findings(out)
    findings_html = "".join(f"<li><b>{e(f.title)}</b>: {f.line}</li>" for f in found)
    sections_html = "".join(f'<section id="{e(f.anchor)}"><h2>{e(f.title)}</h2>{f.section}</section>' for f in found)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">{CSP_META}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>storytrace run: {e(out.name)}</title><style>{_STYLE}</style></head>
<body>
<h1>storytrace run: {e(out.name)}</h1>
<p class="muted">How one story is copied, excerpted, summarised, rewritten and reframed across outlets.</p>
<div class="card"><h2>Findings</h2><ul class="findings">{findings_html}</ul>
<p class="muted">Each finding links to its section below; the notebooks' pages have the detail.</p></div>
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
<table class="tbl">{_NOTEBOOK_HEADER}{rows}</table>
{sections_html}
<h2>Parameters</h2><dl>{params_html}</dl>
<h2>Tables</h2><p>{table_links}</p>
<p class="muted">Parameters, versions and timings (each notebook's steps too):
<a href="manifest.json">manifest.json</a>.</p>
</body></html>
"""
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def _notebook_row(nb: dict) -> str:
    """One notebook's row: name, link to its page (when rendered), question, status, time, error."""
    e = html.escape
    cls = {"ok": "ok", "failed": "failed"}.get(nb["status"], "not")
    title = e(TITLES.get(nb["name"], nb["name"]))
    link = f'<a href="{e(nb["html"])}">{title}</a>' if nb.get("html") else title
    err = f"<pre>{e(nb['error'])}</pre>" if nb.get("error") else ""
    return (
        f"<tr><td>{e(nb['name'])}</td><td>{link}</td><td>{e(QUESTIONS.get(nb['name'], ''))}</td>"
        f"<td class='{cls}'>{e(nb['status'])}</td><td>{nb['seconds']:.1f} s</td><td>{err}</td></tr>"
    )
