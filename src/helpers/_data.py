"""Access to the data files shipped inside the package (word lists, lexicons)."""

from __future__ import annotations

from functools import cache
from importlib import resources


def data_path(name: str):
    """Path-like handle of a shipped data file."""
    return resources.files("helpers") / "data" / name


@cache
def word_list(name: str) -> frozenset[str]:
    """A shipped one-entry-per-line list; blank lines and ``#`` comments ignored."""
    text = data_path(name).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
