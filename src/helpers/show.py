"""Safe display helpers for notebooks: corpus text is hostile, so everything here escapes it.

pandas ``Styler`` and IPython ``Markdown`` do not escape; ``DataFrame`` display does. Use these helpers
whenever corpus text is put into HTML or Markdown output.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from IPython.display import HTML, display

__all__ = ["escape", "clip", "highlight_html", "note", "html_block", "top_rows", "MAX_ROWS"]

MAX_ROWS = 200  # rows of a long table shown on a page (a page of 10,000 documents stays a few MB)


def escape(text: object) -> str:
    """HTML-escape any value (quotes included)."""
    return html.escape("" if text is None else str(text), quote=True)


def clip(text: object, width: int) -> str:
    """``text`` on one line (runs of whitespace made one space), cut to ``width`` characters with "…" (plain
    text: escape it, or display it in a DataFrame, before it reaches HTML)."""
    t = " ".join(str(text).split()) if isinstance(text, str) else ""
    return t if len(t) <= width else t[: max(width - 1, 0)].rstrip() + "\u2026"


def highlight_html(
    text: str, spans: Iterable[tuple[int, int]], css_class: str = "hl", titles: Iterable[str] | None = None
) -> str:
    """Escaped ``text`` with ``<mark>`` around each (start, end) span; overlapping spans are merged."""
    spans = sorted((max(0, int(s)), min(len(text), int(e))) for s, e in spans if e > s)
    titles = list(titles) if titles is not None else None
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out, pos = [], 0
    for i, (s, e) in enumerate(merged):
        out.append(escape(text[pos:s]))
        title = f' title="{escape(titles[i])}"' if titles and i < len(titles) else ""
        out.append(f'<mark class="{escape(css_class)}"{title}>{escape(text[s:e])}</mark>')
        pos = e
    out.append(escape(text[pos:]))
    return "".join(out)


def html_block(fragment: str) -> None:
    """Display an HTML fragment that the caller built from escaped parts."""
    display(HTML(fragment))


def note(text: str) -> None:
    """Display a short plain-text note (escaped), e.g. a message naming skipped inputs."""
    display(HTML(f"<p>{escape(text)}</p>"))


def top_rows(df, max_rows: int = MAX_ROWS, csv_name: str | None = None):
    """The first ``max_rows`` rows of ``df`` for display; when there are more, first a note saying how many are
    shown and where the rest are (``tables/<csv_name>.csv``). Pages of a large corpus stay small this way."""
    if len(df) > max_rows:
        where = f"; all {len(df):,} in tables/{csv_name}.csv" if csv_name else ""
        note(f"The first {max_rows:,} of {len(df):,} rows{where}.")
        return df.head(max_rows)
    return df
