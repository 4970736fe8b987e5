"""Safe display helpers for notebooks: corpus text is hostile, so everything here escapes it.

pandas ``Styler`` and IPython ``Markdown`` do not escape; ``DataFrame`` display does. Use these helpers
whenever corpus text is put into HTML or Markdown output.
"""
from __future__ import annotations

import html
from typing import Iterable

from IPython.display import HTML, display

__all__ = ["escape", "highlight_html", "note", "html_block"]


def escape(text: object) -> str:
    """HTML-escape any value (quotes included)."""
    return html.escape("" if text is None else str(text), quote=True)


def highlight_html(text: str, spans: Iterable[tuple[int, int]], css_class: str = "hl",
                   titles: Iterable[str] | None = None) -> str:
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
