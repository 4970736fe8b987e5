"""Is a document English? Framing's lexicons are English, so other languages are flagged and not scored."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from ..text import STOPWORDS, normalise

__all__ = ["LanguageParams", "language_check"]

# Words of letters only (digits and "_" end a word): the language evidence. helpers.text.WORD keeps digits.
LETTER_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class LanguageParams:
    """Thresholds of the offline English check. All set by hand in the first version of the framing stage
    (English news prose has a third to a half of its words in the stopword list), not tuned on labelled data.

    - ``min_stopword_ratio``: a Latin-script text with a smaller share of English stopwords is not English.
    - ``min_words``: shorter texts are not checked (kept as English, with a note that rates are unstable).
    - ``min_latin``: a text with a smaller share of Latin letters is in another script.
    - ``latin_limit``: code points below this are Latin letters (Basic Latin to Latin Extended-B).
    - ``max_chars``: only the first this many characters of a text are read (plenty to tell a language; a
      document of megabytes costs no more than a page).
    """

    min_stopword_ratio: float = 0.12
    min_words: int = 8
    min_latin: float = 0.5
    latin_limit: int = 0x250
    max_chars: int = 5000


@lru_cache(maxsize=1)
def _bmp_letters() -> np.ndarray:
    """Whether each code point of the Basic Multilingual Plane is a letter (:data:`LETTER`), made once."""
    return np.array([bool(LETTER.match(chr(c))) for c in range(0x10000)], dtype=bool)


def _letters(text: str, limit: int) -> tuple[int, int]:
    """How many characters of ``text`` are letters (:data:`LETTER`), and how many of those have a code point below
    ``limit``: counted as an array of code points, not character by character."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    bmp = points < 0x10000
    letter = np.zeros(len(points), bool)
    letter[bmp] = _bmp_letters()[points[bmp]]
    for k in np.flatnonzero(~bmp):  # beyond the BMP (emoji, rare scripts): one by one
        letter[k] = bool(LETTER.match(chr(points[k])))
    return int(letter.sum()), int(np.count_nonzero(letter & (points < limit)))


def _verdict(words: list[str], latin: float, ratio: float, p: LanguageParams) -> tuple[bool, str]:
    if not words:
        return True, "empty: nothing to score"
    if latin < p.min_latin:
        return False, f"non-English: mostly non-Latin script ({latin:.0%} Latin letters)"
    if len(words) < p.min_words:
        return True, f"very short ({len(words)} words): language not checked, rates unstable"
    if ratio < p.min_stopword_ratio:
        return False, f"non-English: few English function words (stopword ratio {ratio:.2f} < {p.min_stopword_ratio})"
    return True, ""


def language_check(docs: pd.DataFrame, params: LanguageParams | None = None) -> pd.DataFrame:
    """Is each document English? ``doc_id, n_words, stopword_ratio, latin_ratio, english, reason``.

    Offline heuristic: English prose has many English function words; text in another script, or Latin-script
    text with few English stopwords, is flagged with the reason. Documents too short to tell are kept as English
    and say so. Thresholds: :class:`LanguageParams`.
    """
    p = params or LanguageParams()
    rows = []
    for doc_id, text in zip(docs["doc_id"].astype(str), docs["text"].fillna("").astype(str)):
        text = text[: p.max_chars]
        words = LETTER_WORD.findall(normalise(text))
        letters, latin_letters = _letters(text, p.latin_limit)
        latin = latin_letters / letters if letters else 1.0
        ratio = sum(w in STOPWORDS for w in words) / len(words) if words else 0.0
        english, reason = _verdict(words, latin, ratio, p)
        rows.append((doc_id, len(words), round(ratio, 3), round(latin, 3), english, reason))
    return pd.DataFrame(rows, columns=["doc_id", "n_words", "stopword_ratio", "latin_ratio", "english", "reason"])
