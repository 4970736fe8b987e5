"""Access to the data files shipped inside the package (word lists, lexicons, patterns).

A shipped file that is missing, unreadable or empty means a broken installation: reading it raises
:class:`DataFileError` naming the file, never an empty list that would quietly change every result.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["DataFileError", "data_path", "read_data_text", "word_list"]


class DataFileError(RuntimeError):
    """A data file shipped with the package is missing, unreadable or malformed."""


def data_path(name: str):
    """Path-like handle of a shipped data file."""
    return resources.files("helpers") / "data" / name


def read_data_text(name: str) -> str:
    """The text of a shipped data file (UTF-8); :class:`DataFileError` when it cannot be read."""
    try:
        return data_path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(
            f"shipped data file helpers/data/{name} cannot be read ({type(exc).__name__}: {exc}); "
            "the installation is incomplete: reinstall storytrace (pip install -e .)"
        ) from exc


@cache
def word_list(name: str) -> frozenset[str]:
    """A shipped one-entry-per-line list; blank lines and ``#`` comments ignored. An empty list is an error."""
    text = read_data_text(name)
    words = frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    if not words:
        raise DataFileError(f"shipped data file helpers/data/{name} holds no entry")
    return words
