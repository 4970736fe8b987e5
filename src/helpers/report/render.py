"""Executed notebooks to self-contained HTML pages: no code cells, no scripts, a Content-Security-Policy.

nbconvert's lab template brings scripts (MathJax, Mermaid, require.js from a CDN) that would need the network;
they are removed, and a policy that forbids every script (``script-src 'none'``) and allows only embedded
images is added to each page, so an article that contains ``<script>`` shows it as text.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["CSP", "CSP_META", "render_html", "strip_scripts"]

CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
    "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
)
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
# Tables left-aligned and top-aligned (long corpus text reads better), <mark> highlights, a readable width.
NOTEBOOK_STYLE = (
    "<style>body .jp-RenderedHTMLCommon:not(.jp-RenderedMarkdown) td,"
    "body .jp-RenderedHTMLCommon:not(.jp-RenderedMarkdown) th,"
    "body .jp-RenderedHTMLCommon:not(.jp-RenderedMarkdown) tr{text-align:left;vertical-align:top}"
    ".jp-RenderedHTMLCommon mark{background:#ffe08a;padding:0 1px}"
    "body{max-width:1400px;margin:0 auto}</style>"
)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_REMOTE_LINK = re.compile(r"<link\b[^>]*href=\"https?://[^>]*>", re.IGNORECASE)


def strip_scripts(page: str) -> str:
    """``page`` without script elements or remote stylesheets, with the CSP and the notebook style in its head."""
    page = _REMOTE_LINK.sub("", _SCRIPT.sub("", page))
    return page.replace("<head>", "<head>\n" + CSP_META, 1).replace("</head>", NOTEBOOK_STYLE + "\n</head>", 1)


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
    out_html.write_text(strip_scripts(body), encoding="utf-8")
    return out_html
