"""Bytes to text: byte-order marks, strict UTF-8, then charset detection, refusing binary data with a reason.

The numbers below were set by hand with the first loader (commit b73f643) and the cp1252 preference with the
encoding tests (fb7d5d7, ``tests/test_corpus.py::test_encodings``); none was tuned on a corpus.
"""

from __future__ import annotations

import codecs

from ..text import CONTROL

__all__ = ["decode_bytes"]

SNIFF_BYTES = 65_536  # bytes looked at for NUL and control characters (binary data shows early)
DETECT_BYTES = 2_000_000  # bytes handed to charset detection (enough to tell code pages apart, bounded time)
MAX_CHAOS = 0.25  # charset-normalizer's "chaos" above which the best guess reads as garbage
PREFERRED_LEGACY = ("cp1252", "latin_1", "iso8859_15")  # the commonest legacy encodings of news pages
PREFERRED_MARGIN = 0.05  # a preferred encoding wins when its chaos is at most this much above the best
MIN_CONTROLS = 8  # control characters always tolerated (stray form feeds, escapes) ...
CONTROL_SHARE = 0.02  # ... else at most this share of the sniffed characters

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


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
    if b"\x00" in data[:SNIFF_BYTES]:
        return None, "binary file (contains NUL bytes)"
    try:
        text, enc = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, enc = _detect(data)
        if text is None:
            return None, enc
    controls = len(CONTROL.findall(text[:SNIFF_BYTES]))
    if controls > max(MIN_CONTROLS, CONTROL_SHARE * min(len(text), SNIFF_BYTES)):
        return None, "binary file (many control characters)"
    return text, enc


def _detect(data: bytes) -> tuple[str | None, str]:
    """Legacy-encoded bytes by charset detection: ``(text, encoding)`` or ``(None, reason)``."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:DETECT_BYTES]))
    if not matches:
        return None, "undecodable bytes: no text encoding fits"
    best = min(matches, key=lambda m: m.chaos)
    # Short Western texts fit several code pages equally well; prefer Windows-1252 / Latin-1 when they read
    # about as cleanly.
    for preferred in PREFERRED_LEGACY:
        alt = next((m for m in matches if m.encoding == preferred), None)
        if alt is not None and alt.chaos <= best.chaos + PREFERRED_MARGIN:
            best = alt
            break
    enc = best.encoding
    if best.chaos > MAX_CHAOS:
        return None, f"undecodable bytes: best guess {enc} reads as garbage (chaos {best.chaos:.2f})"
    try:
        return data.decode(enc), enc
    except (UnicodeDecodeError, LookupError):
        return None, f"undecodable bytes: not valid {enc}"
