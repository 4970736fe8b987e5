"""WARC files (``.warc``, ``.warc.gz``: Common Crawl News, Browsertrix, Heritrix) to raw records, read with warcio.

Each HTTP response that is an HTML page (status 2xx) becomes one record: its main text extracted by trafilatura,
``url`` from ``WARC-Target-URI``, ``source`` the site (the URL's host without ``www.``) and ``published`` the
page's own date when it gives one, else ``WARC-Date`` (when the page was captured: for a news crawl, the day it
was published or soon after). The ``doc_id`` is the URL without its scheme and fragment, so the same article in
two crawls keeps its id. A second response for a URL already read is listed in the skipped table as a
duplicate, as is each HTML page without main text; responses that are not pages (images, scripts, redirects)
are counted in one skipped row per file; requests, metadata and revisit records are not inputs. A truncated or
malformed file keeps the records read before the damage and lists the damaged record or where reading stopped
(warcio stops quietly at a cut gzip member, so the bytes read are checked against the file's size).
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from .decode import decode_bytes
from .html import html_main_text
from .schema import RawRecord, skip_row

log = logging.getLogger(__name__)

__all__ = ["is_warc", "read_warc", "url_doc_id", "WARC_SUFFIXES"]

WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_warc(path: Path) -> bool:
    """True for a ``.warc`` or ``.warc.gz`` file."""
    return path.name.lower().endswith(WARC_SUFFIXES)


def url_doc_id(url: str) -> str:
    """A document id from a URL: host and path (and query), without scheme, ``www.``, fragment or final slash."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    rest = parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
    return host + rest if host else url.strip()


def read_warc(path: Path, max_bytes: int) -> tuple[list[RawRecord], list[dict]]:
    """The HTML pages of one WARC file as raw records, and the skipped-table rows of what did not become one."""
    from warcio.archiveiterator import ArchiveIterator

    records: list[RawRecord] = []
    skipped: list[dict] = []
    first_seen: dict[str, str] = {}
    not_pages: Counter = Counter()
    n = 0
    consumed = 0  # bytes of the file accounted for by whole records
    with open(path, "rb") as fh:
        try:
            records_iter = ArchiveIterator(fh)
            for rec in records_iter:
                kept = len(records), len(skipped)
                if rec.rec_type == "response":
                    n += 1
                    _read_response(rec, path, f"response {n}", max_bytes, first_seen, not_pages, records, skipped)
                records_iter.read_to_end(rec)
                missing = getattr(rec.raw_stream, "limit", 0) or 0
                if missing > 0:  # the file ends inside this record: what was read of it is not the page
                    del records[kept[0] :], skipped[kept[1] :]
                    reason = f"truncated record: {missing:,} of its {rec.length:,} bytes missing"
                    skipped.append(skip_row(path, reason, f"record after response {n - 1}"))
                consumed = records_iter.get_record_offset() + records_iter.get_record_length()
        except Exception as exc:  # warcio's ArchiveLoadFailed, zlib/gzip errors, EOFError on a cut file
            log.warning("WARC file %s is damaged after response %d", path, n, exc_info=True)
            skipped.append(skip_row(path, f"truncated or malformed WARC: {type(exc).__name__}: {exc}", f"after {n}"))
        else:
            size = path.stat().st_size
            if consumed < size:  # warcio stops quietly at a cut gzip member: say what was not read
                reason = f"truncated or malformed WARC: {size - consumed:,} bytes after byte {consumed:,} not read"
                skipped.append(skip_row(path, reason, f"after {n}"))
    if not_pages:
        summary = ", ".join(f"{kind} {count}" for kind, count in not_pages.most_common())
        skipped.append(skip_row(path, f"{sum(not_pages.values())} responses that are not HTML pages ({summary})"))
    return records, skipped


def _read_response(rec, path, label, max_bytes, first_seen, not_pages, records, skipped) -> None:
    """One response record: a page appended to ``records``, or its reason to ``skipped`` / ``not_pages``."""
    status = rec.http_headers.get_statuscode() if rec.http_headers else ""
    content_type = (rec.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if not status.startswith("2"):
        not_pages[f"HTTP {status or '?'}"] += 1
        return
    if content_type and content_type not in HTML_TYPES:
        not_pages[content_type] += 1
        return
    url = rec.rec_headers.get_header("WARC-Target-URI") or ""
    doc_id = url_doc_id(url) or f"{path.name}:{label}"
    if doc_id in first_seen:
        skipped.append(skip_row(path, f"duplicate URL {url} (first as {first_seen[doc_id]})", label))
        return
    body = rec.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        skipped.append(skip_row(path, f"page over the size limit ({max_bytes:,} bytes)", label))
        return
    page, why = decode_bytes(body)
    if page is None:
        skipped.append(skip_row(path, why, label))
        return
    first_seen[doc_id] = label
    raw = RawRecord(
        doc_id=doc_id,
        text=page,
        path=str(path),
        record=label,
        url=url,
        source=urlsplit(url).netloc.lower().removeprefix("www."),
    )
    got, refused = html_main_text(raw)
    if got and not got[0].published:
        got[0].published = rec.rec_headers.get_header("WARC-Date") or None
    records += got
    skipped += refused
