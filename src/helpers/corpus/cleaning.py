"""Raw records to documents: the body cleaned (:func:`helpers.text.clean_text`), a title taken, boilerplate
lines removed and listed with their reason."""

from __future__ import annotations

import logging
import re
from collections import Counter

import pandas as pd

from ..text import clean_text
from .boilerplate import DEFAULT_PARAMS, BoilerplateParams, is_furniture, line_reason
from .schema import BOILERPLATE_COLUMNS, DOC_COLUMNS, SKIPPED_COLUMNS, skip_row, unexpected_reason

log = logging.getLogger(__name__)

__all__ = ["clean", "TITLE_MAX_CHARS", "TITLE_MAX_WORDS"]

# A first line taken as the title is cut to TITLE_MAX_CHARS; a second line is a headline (and leaves the body)
# when it has at most TITLE_MAX_WORDS words and TITLE_MAX_CHARS characters. Set by hand with the first loader.
TITLE_MAX_CHARS = 200
TITLE_MAX_WORDS = 25


def clean(
    raw: pd.DataFrame,
    repeated: Counter | None = None,
    remove_boilerplate: bool = True,
    params: BoilerplateParams = DEFAULT_PARAMS,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Normalise text, take titles, remove boilerplate lines. Returns ``(documents, boilerplate, skipped)``.

    Boilerplate removed (each line listed in the boilerplate table with its reason): lines matching the
    shipped scraper/paywall/cookie/comment-form patterns (``helpers/data/boilerplate_patterns.txt``), a
    site-header line that repeats the title with a site name, and short lines repeated across documents
    (``repeated``, from :func:`helpers.corpus.repeated_lines`). A record whose cleaning raises an unexpected
    error is logged with its traceback and listed as skipped; the others are cleaned.
    """
    repeated = repeated or Counter()
    docs, removed, skipped = [], [], []
    for rec in raw.itertuples(index=False):
        try:
            doc, lines, refusal = _clean_record(rec, repeated, remove_boilerplate, params)
        except Exception as exc:
            log.exception("unexpected error cleaning %s; listed in the skipped table", rec.doc_id)
            skipped.append(skip_row(rec.path, unexpected_reason("cleaning", exc), rec.record))
            continue
        removed += lines
        if doc is None:
            skipped.append(skip_row(rec.path, refusal, rec.record))
        else:
            docs.append(doc)
    return (
        pd.DataFrame(docs, columns=DOC_COLUMNS),
        pd.DataFrame(removed, columns=BOILERPLATE_COLUMNS),
        pd.DataFrame(skipped, columns=SKIPPED_COLUMNS),
    )


def _clean_record(rec, repeated: Counter, remove_boilerplate: bool, params: BoilerplateParams):
    """One raw record as ``(documents-table row or None, removed lines, why there is no row)``."""
    text = clean_text(rec.text)
    lines = text.split("\n")
    title = clean_text(rec.title) if isinstance(rec.title, str) and rec.title else ""
    source = rec.source if isinstance(rec.source, str) else ""
    # The title, when the record has none: the first line that is not furniture ("Can not play media." on every
    # page of a site is not a headline).
    first = next(
        (
            i
            for i, line in enumerate(lines)
            if line.strip() and not (remove_boilerplate and is_furniture(line.strip(), repeated, params))
        ),
        None,
    )
    headline_line = None  # the line number of a headline that became the title (not body text)
    if not title and first is not None:
        title = _cut(lines[first])
        headline_line = first + 1
    keep: list[str] = []
    removed: list[dict] = []
    for line_no, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            keep.append(line)
            continue
        if line_no == headline_line and _looks_like_title(stripped):
            continue
        reason = None
        if remove_boilerplate:
            reason, site = line_reason(stripped, line_no, title, repeated, params)
            if site and not source:
                source = site
        if reason:
            removed.append({"doc_id": rec.doc_id, "line_no": line_no, "line": stripped, "reason": reason})
        else:
            keep.append(line)
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(keep)).strip()
    if not body:
        refusal = "no text left after removing boilerplate" if text else "no text (only whitespace or markup)"
        return None, removed, refusal
    doc = {
        "doc_id": str(rec.doc_id),
        "title": title,
        "text": body,
        "source": source,
        "url": rec.url if isinstance(rec.url, str) else "",
        "published": rec.published,
        "path": rec.path if not rec.record else f"{rec.path}#{rec.record}",
    }
    return doc, removed, ""


def _cut(line: str) -> str:
    return line if len(line) <= TITLE_MAX_CHARS else line[: TITLE_MAX_CHARS - 3].rstrip() + "…"


def _looks_like_title(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= TITLE_MAX_WORDS
        and len(line) <= TITLE_MAX_CHARS
        and not line.rstrip().endswith((".", ":", ";", ","))
    )
