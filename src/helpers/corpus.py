"""Load a corpus into the documents table that every step shares.

``load_corpus(path)`` reads a folder of ``.txt``/``.md``/``.html`` files, a ``.jsonl``/``.csv``/``.parquet``
file, or a folder mixing them, and returns one row per article:

``doc_id`` (unique, stable: the file name or the input's id column), ``title``, ``text`` (cleaned body),
``source``, ``url``, ``published`` (timezone-aware, UTC, or missing) and ``path``.

Nothing disappears silently: every input file or record that does not become a document is listed in
``documents.skipped`` (``path``, ``record``, ``reason``), and every line removed as boilerplate is listed in
``documents.boilerplate`` (``doc_id``, ``line_no``, ``line``, ``reason``).

The building blocks (``list_inputs``, ``read_inputs``, ``repeated_lines``, ``clean``) are public so the
same loading runs per partition on a Dask cluster (``helpers.distributed``).
"""

from __future__ import annotations

import codecs
import json
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ._data import data_path

log = logging.getLogger(__name__)

__all__ = [
    "Documents",
    "load_corpus",
    "list_inputs",
    "read_inputs",
    "repeated_lines",
    "clean",
    "decode_bytes",
    "normalise_text",
    "DOC_COLUMNS",
    "SKIPPED_COLUMNS",
    "BOILERPLATE_COLUMNS",
]

DOC_COLUMNS = ["doc_id", "title", "text", "source", "url", "published", "path"]
SKIPPED_COLUMNS = ["path", "record", "reason"]
BOILERPLATE_COLUMNS = ["doc_id", "line_no", "line", "reason"]
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TABLE_SUFFIXES = {".jsonl", ".ndjson", ".csv", ".tsv", ".parquet", ".json"}
METADATA_NAME = "metadata.csv"
PARAMS_NAME = "params.yaml"  # a corpus's run parameters, kept beside its files (python -m helpers run --params)
IGNORED_NAMES = {METADATA_NAME, PARAMS_NAME, "readme.md", "readme.txt", "license", "license.txt", ".ds_store"}
TEXT_FIELDS = ("text", "full_text", "body", "content", "article", "maintext", "story")
ID_FIELDS = ("doc_id", "id", "uid", "article_id", "guid")
META_FIELDS = {
    "title": ("title", "headline"),
    "source": ("source", "outlet", "site", "domain", "sitename", "publisher"),
    "url": ("url", "link", "canonical_url"),
    "published": ("published", "date", "pub_date", "publication_date", "published_at", "datetime", "timestamp"),
}
DEFAULT_MAX_BYTES = 20_000_000  # one document (a text or HTML file, or one record's text)
DEFAULT_MAX_TABLE_BYTES = 4_000_000_000  # one JSONL/CSV/Parquet file


class Documents(pd.DataFrame):
    """The documents table, carrying the ``skipped`` and ``boilerplate`` tables of the load."""

    _metadata = ["skipped", "boilerplate"]

    @property
    def _constructor(self):
        return Documents


@dataclass
class _Raw:
    doc_id: str
    text: str
    path: str
    record: str = ""
    title: str = ""
    source: str = ""
    url: str = ""
    published: object = None
    from_html: bool = False


# --------------------------------------------------------------------------------------------- decoding
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_bytes(data: bytes) -> tuple[str | None, str]:
    """Decode a document's bytes. Returns ``(text, encoding)`` or ``(None, reason)``.

    Order: a byte-order mark (UTF-8/16/32), strict UTF-8, then charset detection (charset-normalizer)
    which covers cp1252/latin-1 and other legacy encodings. Binary data (NUL or many control bytes) and
    bytes no encoding explains are refused with a reason.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                return None, f"undecodable bytes: {enc} byte-order mark but invalid data ({exc.reason})"
    sample = data[:65536]
    if b"\x00" in sample:
        return None, "binary file (contains NUL bytes)"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None:
        from charset_normalizer import from_bytes

        matches = list(from_bytes(data[:2_000_000]))
        if not matches:
            return None, "undecodable bytes: no text encoding fits"
        best = min(matches, key=lambda m: m.chaos)
        # Short Western texts fit several code pages equally well; prefer Windows-1252 / Latin-1,
        # by far the commonest legacy encodings of news pages, when they read about as cleanly.
        for preferred in ("cp1252", "latin_1", "iso8859_15"):
            alt = next((m for m in matches if m.encoding == preferred), None)
            if alt is not None and alt.chaos <= best.chaos + 0.05:
                best = alt
                break
        enc = best.encoding
        if best.chaos > 0.25:
            return None, f"undecodable bytes: best guess {enc} reads as garbage (chaos {best.chaos:.2f})"
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            return None, f"undecodable bytes: not valid {enc}"
    else:
        enc = "utf-8"
    controls = len(_CONTROL.findall(text[:65536]))
    if controls > max(8, 0.02 * min(len(text), 65536)):
        return None, "binary file (many control characters)"
    return text, enc


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")


def normalise_text(text: str) -> str:
    """Unicode NFKC; line endings to ``\\n``; zero-width and control characters dropped; runs of spaces
    collapsed; trailing spaces stripped. Typographic quotes are kept (the tokeniser folds them)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _ZERO_WIDTH.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --------------------------------------------------------------------------------------------- inputs
def list_inputs(path: str | Path) -> list[Path]:
    """Input files under ``path`` (a file or a folder, searched recursively), sorted, metadata excluded."""
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"corpus not found: {path}")
    files = [
        p
        for p in path.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(path).parts)
        and p.name.lower() not in IGNORED_NAMES
    ]
    return sorted(files)


def _skip(path, reason, record="") -> dict:
    return {"path": str(path), "record": str(record), "reason": reason}


def _pick(columns: Iterable[str], wanted: Iterable[str], override: str | None = None) -> str | None:
    cols = {str(c).lower(): c for c in columns}
    if override:
        return cols.get(override.lower())
    for name in wanted:
        if name in cols:
            return cols[name]
    return None


def _read_html(text: str, path: Path) -> tuple[str | None, dict]:
    import trafilatura

    doc = trafilatura.bare_extraction(
        text, include_comments=False, include_tables=False, favor_precision=True, with_metadata=True
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


def _read_table(path: Path, max_bytes: int, text_field, id_field) -> tuple[list[_Raw], list[dict]]:
    raws: list[_Raw] = []
    skipped: list[dict] = []
    suffix = path.suffix.lower()
    stem = path.stem
    if suffix in {".jsonl", ".ndjson", ".json"}:
        records = []
        with open(path, "rb") as fh:
            if suffix == ".json":
                try:
                    data = json.loads(fh.read().decode("utf-8-sig"))
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    return [], [_skip(path, f"malformed JSON: {exc}")]
                items = data if isinstance(data, list) else [data]
                records = [(i + 1, r) for i, r in enumerate(items)]
            else:
                for line_no, line in enumerate(fh, start=1):
                    if not line.strip():
                        continue
                    try:
                        rec = json.loads(line.decode("utf-8-sig"))
                    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                        skipped.append(_skip(path, f"malformed JSONL line: {exc}", f"line {line_no}"))
                        continue
                    if not isinstance(rec, dict):
                        skipped.append(_skip(path, "JSONL line is not an object", f"line {line_no}"))
                        continue
                    records.append((line_no, rec))
        frame = pd.DataFrame([r for _, r in records]) if records else pd.DataFrame()
        labels = [f"line {n}" if suffix != ".json" else f"item {n}" for n, _ in records]
    else:
        try:
            if suffix == ".parquet":
                frame = pd.read_parquet(path)
            else:
                raw_bytes = path.read_bytes()
                text, enc = decode_bytes(raw_bytes)
                if text is None:
                    return [], [_skip(path, enc)]
                import io

                frame = pd.read_csv(
                    io.StringIO(text),
                    sep="\t" if suffix == ".tsv" else ",",
                    dtype=str,
                    keep_default_na=False,
                    on_bad_lines="warn",
                    engine="python",
                )
        except Exception as exc:  # noqa: BLE001 - any reader failure is reported, never raised
            return [], [_skip(path, f"unreadable {suffix[1:]} file: {type(exc).__name__}: {exc}")]
        offset = 2 if suffix in {".csv", ".tsv"} else 1
        labels = [f"row {i + offset}" for i in range(len(frame))]
    if frame.empty:
        return [], skipped + [_skip(path, "no records")]
    text_col = _pick(frame.columns, TEXT_FIELDS, text_field)
    if text_col is None:
        looked = text_field or ", ".join(TEXT_FIELDS)
        return [], skipped + [
            _skip(path, f"no text column (looked for: {looked}; found: {', '.join(map(str, frame.columns))})")
        ]
    id_col = _pick(frame.columns, ID_FIELDS, id_field)
    meta_cols = {k: _pick(frame.columns, v) for k, v in META_FIELDS.items()}
    for i, label in enumerate(labels):
        row = frame.iloc[i]
        value = row[text_col]
        if value is None or (isinstance(value, float) and pd.isna(value)):
            skipped.append(_skip(path, "empty text", label))
            continue
        text = str(value)
        if len(text.encode("utf-8", "ignore")) > max_bytes:
            skipped.append(_skip(path, f"text over the size limit ({max_bytes:,} bytes)", label))
            continue
        rid = row[id_col] if id_col is not None else None
        doc_id = (
            str(rid).strip()
            if rid is not None and str(rid).strip() not in {"", "nan", "None"}
            else f"{stem}:{label.split()[-1]}"
        )
        raw = _Raw(doc_id=doc_id, text=text, path=str(path), record=label)
        for key, col in meta_cols.items():
            if col is not None and row[col] is not None and not (isinstance(row[col], float) and pd.isna(row[col])):
                setattr(raw, key, row[col] if key == "published" else str(row[col]))
        raws.append(raw)
    return raws, skipped


def read_inputs(
    paths: Iterable[Path],
    max_bytes: int = DEFAULT_MAX_BYTES,
    text_field: str | None = None,
    id_field: str | None = None,
    root: Path | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read input files into raw records (decoded, not yet cleaned) and a skipped table.

    Raw columns: ``doc_id``, ``text``, ``title``, ``source``, ``url``, ``published``, ``path``, ``record``,
    ``from_html``. Text and HTML files become one record each, with ``doc_id`` from the file name
    (relative path without suffix when files in different folders share a name).
    """
    raws: list[_Raw] = []
    skipped: list[dict] = []
    for path in paths:
        path = Path(path)
        suffix = path.suffix.lower()
        try:
            size = path.stat().st_size
        except OSError as exc:
            skipped.append(_skip(path, f"unreadable: {exc}"))
            continue
        if suffix in TABLE_SUFFIXES:
            if size > DEFAULT_MAX_TABLE_BYTES:
                skipped.append(_skip(path, f"file over the size limit ({DEFAULT_MAX_TABLE_BYTES:,} bytes)"))
                continue
            r, s = _read_table(path, max_bytes, text_field, id_field)
            raws += r
            skipped += s
            continue
        if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
            skipped.append(_skip(path, f"unsupported file type '{suffix or path.name}'"))
            continue
        if size == 0:
            skipped.append(_skip(path, "empty file"))
            continue
        if size > max_bytes:
            skipped.append(_skip(path, f"file over the size limit ({size:,} > {max_bytes:,} bytes)"))
            continue
        text, enc = decode_bytes(path.read_bytes())
        if text is None:
            skipped.append(_skip(path, enc))
            continue
        doc_id = path.stem
        if root is not None:
            rel = path.relative_to(root).with_suffix("")
            doc_id = rel.as_posix() if len(rel.parts) > 1 else rel.name
        raw = _Raw(doc_id=doc_id, text=text, path=str(path))
        if suffix in HTML_SUFFIXES:
            try:
                body, meta = _read_html(text, path)
            except Exception as exc:  # noqa: BLE001
                skipped.append(_skip(path, f"HTML extraction failed: {type(exc).__name__}: {exc}"))
                continue
            if not body:
                skipped.append(_skip(path, "HTML page without main text"))
                continue
            raw.text, raw.from_html = body, True
            for key, value in meta.items():
                if value:
                    setattr(raw, key, value)
        raws.append(raw)
    frame = pd.DataFrame([r.__dict__ for r in raws], columns=list(_Raw.__dataclass_fields__))
    return frame, pd.DataFrame(skipped, columns=SKIPPED_COLUMNS)


# --------------------------------------------------------------------------------------------- cleaning
def _load_patterns() -> list[tuple[str, re.Pattern]]:
    patterns = []
    for line in data_path("boilerplate_patterns.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        category, _, regex = line.partition("\t")
        patterns.append((category.strip(), re.compile(regex.strip(), re.IGNORECASE)))
    return patterns


_PATTERNS: list[tuple[str, re.Pattern]] | None = None


def _line_key(line: str) -> str:
    return re.sub(r"\W+", " ", line.casefold()).strip()


def repeated_lines(texts: Iterable[str], min_docs: int = 3, max_words: int = 12) -> Counter:
    """Counts of short lines (at most ``max_words`` words) that occur in at least ``min_docs`` documents.

    Such lines (footers, share bars, site slogans) are boilerplate. Long lines are never counted: copied
    paragraphs are the evidence the near-duplicate step needs.
    """
    counts: Counter = Counter()
    for text in texts:
        keys = {_line_key(line) for line in text.split("\n")}
        counts.update(k for k in keys if k and len(k.split()) <= max_words)
    return Counter({k: n for k, n in counts.items() if n >= min_docs})


def _looks_like_title(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 25 and len(line) <= 200 and not line.rstrip().endswith((".", ":", ";", ","))


def _site_header(line: str, title: str) -> str | None:
    """If ``line`` is the title followed by a site name ("Title | Site", "Title at Site"), return the site."""
    if not title or not line.startswith(title) or line == title:
        return None
    rest = line[len(title) :].strip()
    m = re.match(r"^(?:[|\-–—:•·]+|at|on|via|from)\s+(.{2,60})$", rest, re.IGNORECASE)
    return m.group(1).strip() if m else None


def clean(
    raw: pd.DataFrame, repeated: Counter | None = None, remove_boilerplate: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Normalise text, take titles, remove boilerplate lines. Returns ``(documents, boilerplate, skipped)``.

    Boilerplate removed (each line listed in the boilerplate table with its reason): lines matching the
    shipped scraper/paywall/cookie/comment-form patterns (``helpers/data/boilerplate_patterns.txt``), a
    site-header line that repeats the title with a site name, and short lines repeated across documents
    (``repeated``, from :func:`repeated_lines`).
    """
    global _PATTERNS
    if _PATTERNS is None:
        _PATTERNS = _load_patterns()
    repeated = repeated or Counter()
    docs, removed, skipped = [], [], []
    for rec in raw.itertuples(index=False):
        text = normalise_text(rec.text)
        lines = text.split("\n")
        title = normalise_text(rec.title) if isinstance(rec.title, str) and rec.title else ""
        source = rec.source if isinstance(rec.source, str) else ""
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        title_from_text = False
        if not title and first is not None:
            title = lines[first] if len(lines[first]) <= 200 else lines[first][:197].rstrip() + "…"
            title_from_text = True
        keep: list[str] = []
        for line_no, line in enumerate(lines, start=1):
            stripped = line.strip()
            if not stripped:
                keep.append(line)
                continue
            if title_from_text and first is not None and line_no == first + 1 and _looks_like_title(stripped):
                continue  # the headline becomes the title, not body text
            reason = None
            if remove_boilerplate:
                site = _site_header(stripped, title)
                if site and line_no <= 6:
                    reason = "site header (title + site name)"
                    if not source:
                        source = site
                else:
                    for category, pattern in _PATTERNS:
                        if pattern.search(stripped) and len(stripped.split()) <= 40:
                            reason = f"pattern: {category}"
                            break
                    if reason is None:
                        key = _line_key(stripped)
                        if key in repeated:
                            reason = f"repeated in {repeated[key]} documents"
            if reason:
                removed.append({"doc_id": rec.doc_id, "line_no": line_no, "line": stripped, "reason": reason})
            else:
                keep.append(line)
        body = re.sub(r"\n{3,}", "\n\n", "\n".join(keep)).strip()
        if not body:
            why = "no text left after removing boilerplate" if text else "no text (only whitespace or markup)"
            skipped.append(_skip(rec.path, why, rec.record))
            continue
        docs.append(
            {
                "doc_id": str(rec.doc_id),
                "title": title,
                "text": body,
                "source": source,
                "url": rec.url if isinstance(rec.url, str) else "",
                "published": rec.published,
                "path": rec.path if not rec.record else f"{rec.path}#{rec.record}",
            }
        )
    documents = pd.DataFrame(docs, columns=DOC_COLUMNS)
    return (
        documents,
        pd.DataFrame(removed, columns=BOILERPLATE_COLUMNS),
        pd.DataFrame(skipped, columns=SKIPPED_COLUMNS),
    )


# --------------------------------------------------------------------------------------------- metadata
def _parse_published(values: pd.Series) -> tuple[pd.Series, list[int]]:
    """Timezone-aware UTC timestamps; naive values are taken as UTC. Returns the series and bad positions."""
    out = []
    bad = []
    for i, v in enumerate(values):
        if v is None or (isinstance(v, float) and pd.isna(v)) or (isinstance(v, str) and not v.strip()):
            out.append(pd.NaT)
            continue
        try:
            ts = pd.Timestamp(v)
            if pd.isna(ts):
                out.append(pd.NaT)
                continue
            ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
            out.append(ts)
        except (ValueError, TypeError, OverflowError):
            out.append(pd.NaT)
            bad.append(i)
    return pd.Series(pd.to_datetime(out, utc=True), index=values.index).astype("datetime64[ns, UTC]"), bad


def _read_metadata(folder: Path) -> pd.DataFrame | None:
    meta_path = folder / METADATA_NAME
    if not meta_path.is_file():
        return None
    meta = pd.read_csv(meta_path, dtype=str, keep_default_na=False)
    if "doc_id" not in meta.columns:
        raise ValueError(f"{meta_path}: metadata.csv needs a doc_id column")
    return meta


# --------------------------------------------------------------------------------------------- entry point
def load_corpus(
    path: str | Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    text_field: str | None = None,
    id_field: str | None = None,
    remove_boilerplate: bool = True,
    min_repeat_docs: int = 3,
    show_progress: bool = False,
) -> Documents:
    """Load a corpus (folder or file) into the documents table; see the module docstring.

    ``metadata.csv`` beside text files supplies ``source``, ``url``, ``published`` and ``title`` by
    ``doc_id`` (its non-empty values win over what the files say). Duplicate ``doc_id``s are skipped after
    the first, with the reason naming the first.
    """
    path = Path(path)
    root = path if path.is_dir() else path.parent
    files = list_inputs(path)
    if show_progress:
        from tqdm.auto import tqdm

        files = tqdm(files, desc="reading", unit="file")
    raw, skipped = read_inputs(
        files, max_bytes=max_bytes, text_field=text_field, id_field=id_field, root=root if path.is_dir() else None
    )
    extra_skips = []
    # Duplicate ids: keep the first, list the rest.
    if not raw.empty:
        dup = raw["doc_id"].duplicated(keep="first")
        if dup.any():
            first_path = raw.drop_duplicates("doc_id").set_index("doc_id")["path"]
            for rec in raw[dup].itertuples(index=False):
                extra_skips.append(
                    _skip(rec.path, f"duplicate doc_id '{rec.doc_id}' (first in {first_path[rec.doc_id]})", rec.record)
                )
            raw = raw[~dup].reset_index(drop=True)
    # Metadata.
    meta = _read_metadata(root)
    if meta is not None and not raw.empty:
        meta = meta.drop_duplicates("doc_id").set_index("doc_id")
        for col in ("title", "source", "url", "published"):
            if col in meta.columns:
                values = raw["doc_id"].map(meta[col])
                has = values.notna() & (values.astype(str).str.strip() != "")
                raw.loc[has, col] = values[has]
        unknown = sorted(set(meta.index) - set(raw["doc_id"]))
        if unknown:
            log.warning("metadata.csv names %d doc_id(s) with no document: %s", len(unknown), ", ".join(unknown[:10]))
    repeated = (
        repeated_lines(raw["text"].map(normalise_text), min_docs=min_repeat_docs)
        if (remove_boilerplate and len(raw) >= min_repeat_docs)
        else Counter()
    )
    docs, boiler, skipped_clean = clean(raw, repeated=repeated, remove_boilerplate=remove_boilerplate)
    docs["published"], bad = _parse_published(docs["published"])
    for i in bad:
        log.warning("unparseable publication date for %s; left missing", docs["doc_id"].iloc[i])
    skipped_all = pd.concat(
        [df for df in (skipped, pd.DataFrame(extra_skips, columns=SKIPPED_COLUMNS), skipped_clean) if not df.empty]
        or [pd.DataFrame(columns=SKIPPED_COLUMNS)],
        ignore_index=True,
    )
    out = Documents(docs.reset_index(drop=True))
    out.skipped = skipped_all
    out.boilerplate = boiler
    if len(skipped_all):
        log.warning("%d input(s) skipped; see documents.skipped", len(skipped_all))
    return out
