"""HTML pages to main text: trafilatura keeps the article body and reads its title, site name, URL and date."""

from __future__ import annotations

import logging

from .schema import RawRecord, skip_row

log = logging.getLogger(__name__)

__all__ = ["html_main_text", "extract_html"]


def html_main_text(raw: RawRecord) -> tuple[list[RawRecord], list[dict]]:
    """``raw`` with its HTML reduced to the page's main text and metadata (filling only fields ``raw`` leaves
    empty), or the skipped-table row saying why it has none."""
    try:
        body, meta = extract_html(raw.text)
    except Exception as exc:  # trafilatura and lxml fail in many ways on hostile pages: list the page, go on
        log.warning("HTML extraction failed for %s", raw.path, exc_info=True)
        return [], [skip_row(raw.path, f"HTML extraction failed: {type(exc).__name__}: {exc}", raw.record)]
    if not body:
        return [], [skip_row(raw.path, "HTML page without main text", raw.record)]
    raw.text, raw.from_html = body, True
    for key, value in meta.items():
        if value and not getattr(raw, key):
            setattr(raw, key, value)
    return [raw], []


def extract_html(page: str) -> tuple[str | None, dict]:
    """The main text of an HTML page and its ``title``, ``source`` (site name), ``url`` and ``published``."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        page, include_comments=False, include_tables=False, favor_precision=True, with_metadata=True
    )
    if doc is None:
        return None, {}
    if not isinstance(doc, dict):
        doc = doc.as_dict()
    meta = {
        "title": doc.get("title") or "",
        "source": doc.get("sitename") or "",
        "url": doc.get("url") or "",
        "published": doc.get("date") or None,
    }
    return doc.get("text") or "", meta
