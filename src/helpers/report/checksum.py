"""The input checksum of a run (in ``manifest.json``, and the key of the documents cache)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..corpus.inputs import METADATA_NAME, corpus_root, list_inputs

__all__ = ["corpus_checksum"]

CHUNK_BYTES = 1 << 20


def corpus_checksum(path: str | Path) -> str:
    """SHA-256 over the relative paths and bytes of every input file (and metadata.csv)."""
    path = Path(path)
    root = corpus_root(path)
    files = list_inputs(path)
    if path.is_dir() and (path / METADATA_NAME).is_file():
        files = sorted(files + [path / METADATA_NAME])
    h = hashlib.sha256()
    for f in files:
        h.update(f.relative_to(root).as_posix().encode())
        h.update(b"\0")
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(CHUNK_BYTES), b""):
                h.update(chunk)
        h.update(b"\0")
    return h.hexdigest()
