"""The documents table every step shares, the side tables of a load, and the raw record read from an input."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "DOC_COLUMNS",
    "DOC_DTYPES",
    "SKIPPED_COLUMNS",
    "BOILERPLATE_COLUMNS",
    "RAW_COLUMNS",
    "UNEXPECTED",
    "Documents",
    "RawRecord",
    "skip_row",
    "unexpected_reason",
    "concat_skipped",
    "empty_documents",
]

DOC_COLUMNS = ["doc_id", "title", "text", "source", "url", "published", "path"]
DOC_DTYPES = {
    "doc_id": "str",
    "title": "str",
    "text": "str",
    "source": "str",
    "url": "str",
    "published": "datetime64[ns, UTC]",
    "path": "str",
}
SKIPPED_COLUMNS = ["path", "record", "reason"]
BOILERPLATE_COLUMNS = ["doc_id", "line_no", "line", "reason"]
UNEXPECTED = "unexpected error"  # how the reason of an input lost to an unforeseen exception starts


class Documents(pd.DataFrame):
    """The documents table, carrying the ``skipped`` and ``boilerplate`` tables of the load."""

    _metadata = ["skipped", "boilerplate"]

    @property
    def _constructor(self):
        return Documents


@dataclass
class RawRecord:
    """One input file or record, decoded but not yet cleaned."""

    doc_id: str
    text: str
    path: str
    record: str = ""  # where in a table file: "line 3", "row 2", "item 1"; empty for a file of its own
    title: str = ""
    source: str = ""
    url: str = ""
    published: object = None
    from_html: bool = False


RAW_COLUMNS = list(RawRecord.__dataclass_fields__)


def skip_row(path, reason: str, record="") -> dict:
    """A row of the skipped table."""
    return {"path": str(path), "record": str(record), "reason": reason}


def unexpected_reason(step: str, exc: BaseException) -> str:
    """The skipped-table reason of an input lost to an exception nobody planned for (also logged)."""
    return f"{UNEXPECTED} while {step}: {type(exc).__name__}: {exc}"


def concat_skipped(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """The skipped tables of several steps, in order, as one table."""
    parts = [df for df in frames if not df.empty]
    return pd.concat(parts or [pd.DataFrame(columns=SKIPPED_COLUMNS)], ignore_index=True)


def empty_documents() -> pd.DataFrame:
    """A documents table without rows, with the column types of a loaded one."""
    return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in DOC_DTYPES.items()})
