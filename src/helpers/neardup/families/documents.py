"""The documents table as the families steps read it, and the names and numbers ("specifics") of a text."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import pandas as pd

from ...text import STOPWORDS, content_stems, normalise

__all__ = ["prepare_documents", "name_lexicon", "name_counts", "names_from_counts", "specifics", "specific_phrases"]


def prepare_documents(docs: pd.DataFrame) -> pd.DataFrame:
    """Validated copy: ``doc_id`` (str, unique), ``text``, ``title``, ``source``, ``url`` (str), ``published`` (UTC
    or NaT), ``full`` (the title, unless the text starts with it, and the text: what is analysed) and
    ``n_words`` (content words of the text)."""
    if not isinstance(docs, pd.DataFrame):
        raise TypeError("docs must be a documents table (pandas DataFrame with doc_id and text)")
    if "doc_id" not in docs.columns or "text" not in docs.columns:
        raise ValueError("docs needs the columns doc_id and text")
    out = pd.DataFrame(
        {"doc_id": docs["doc_id"].astype(str).to_numpy(), "text": docs["text"].fillna("").astype(str).to_numpy()}
    )
    if out["doc_id"].duplicated().any():
        dups = out.loc[out["doc_id"].duplicated(), "doc_id"].unique()[:5]
        raise ValueError(f"doc_id must be unique; repeated: {', '.join(dups)}")
    for col in ("title", "source", "url"):
        out[col] = docs[col].fillna("").astype(str).to_numpy() if col in docs.columns else ""
    if "published" in docs.columns:
        out["published"] = pd.to_datetime(docs["published"], utc=True, errors="coerce").to_numpy()
        out["published"] = pd.to_datetime(out["published"], utc=True)
    else:
        out["published"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns, UTC]")
    full = []
    for title, text in zip(out["title"], out["text"]):
        t = title.strip()
        full.append(text if not t or text.lstrip().startswith(t) else t + "\n" + text)
    out["full"] = full
    out["n_words"] = [len(content_stems(t)) for t in out["text"]]
    return out


def prepared(docs: pd.DataFrame) -> pd.DataFrame:
    """``docs`` itself when already prepared (it has ``full``), else :func:`prepare_documents`."""
    return docs if "full" in docs.columns else prepare_documents(docs)


# words (letters with inner apostrophes), numbers, and the punctuation that starts a new sentence
_WORD = r"[^\W\d_]+(?:['’][^\W\d_]+)*"
_NUMBER = r"\d+(?:[.,:]\d+)*"
_TOKEN = re.compile(rf"{_WORD}|{_NUMBER}|[.!?:;\"“”\n]")
_PUNCT = '.!?:;"“”\n'
_WORD_OR_NUMBER = re.compile(f"{_WORD}|{_NUMBER}")
# the first word or number after the start of a text or a sentence break, with no word or number between
_SENTENCE_FIRST = re.compile(rf"(?:\A|[.!?:\n])[\W_]*?({_WORD}|{_NUMBER})")


@lru_cache(maxsize=500_000)
def _name_key(w: str) -> str:
    """A name's normal form, without a possessive 's."""
    w = normalise(w)
    return w[:-2] if w.endswith("'s") else w


def name_counts(texts) -> tuple[Counter, Counter]:
    """How often each word is written capitalised mid-sentence, and in lower case (the counts behind
    :func:`name_lexicon`; they add up over batches of texts). Counted per distinct token: every occurrence, less
    those that open a sentence (regular expressions and C counters; no Python step per word)."""
    tokens, firsts = Counter(), Counter()
    for t in texts:
        tokens.update(_WORD_OR_NUMBER.findall(t))
        firsts.update(_SENTENCE_FIRST.findall(t))
    cap, low = Counter(), Counter()
    for w, c in tokens.items():
        if w[0].isdigit():
            continue
        if w[0].isupper():
            if c > firsts[w]:
                cap[_name_key(w)] += c - firsts[w]
        else:
            low[_name_key(w)] += c
    return cap, low


def names_from_counts(cap: Counter, low: Counter) -> frozenset[str]:
    """The name lexicon of :func:`name_counts`' counts."""
    return frozenset(w for w, c in cap.items() if c > low[w] and w not in STOPWORDS and len(w) > 1)


def name_lexicon(texts) -> frozenset[str]:
    """Words the corpus writes capitalised mid-sentence more often than in lower case (names, places, outlets)."""
    return names_from_counts(*name_counts(texts))


@lru_cache(maxsize=500_000)
def _specific_key(w: str) -> str:
    """A word's or number's key among :func:`specifics` (numbers prefixed ``#``)."""
    return "#" + w.replace(",", "") if w[0].isdigit() else _name_key(w)


def specifics(text: str, names: frozenset[str]) -> list[str]:
    """Names (from ``names``) and numbers of a text, normalised, in order (numbers prefixed ``#``)."""
    return [k for k in map(_specific_key, _WORD_OR_NUMBER.findall(text)) if k[0] == "#" or k in names]


def _joined(words: list[str], gap: str) -> bool:
    """Whether a word after ``words`` with ``gap`` between continues their phrase: a space, a hyphen ("Al-Qaeda"),
    or the dot of a short capitalised abbreviation ("Dr. Khalil"); the joiner is added to ``words``' last word."""
    g = gap.strip()
    if not g:
        joiner = " " if gap else ""
    elif g == "-" or (g == "." and len(words[-1]) <= 3 and words[-1][0].isupper()):
        joiner = gap.replace("\n", " ")
    else:
        return False
    words[-1] += joiner
    return True


def specific_phrases(text: str, keys, new=None) -> list[str]:
    """The names and numbers of ``text`` whose :func:`specifics` key is in ``keys`` (with ``new``: in ``new``), as
    the text writes them: each within its run of capitalised words and numbers, joined across spaces, hyphens and
    an abbreviation's dot ("United States", "Al-Qaeda", "Dr. Sarah Khalil", "June 2"), a possessive 's dropped,
    each phrase once, in order. What a reader sees of a set of specifics."""
    wanted = keys if new is None else new
    out: dict[str, None] = {}
    words: list[str] = []
    hit, last_end = False, 0

    def close():
        if words and hit:
            out["".join(words).strip()] = None

    for m in _TOKEN.finditer(text):
        w = m.group()
        if len(w) == 1 and w in _PUNCT:
            continue
        key = _specific_key(w)
        if not (key in keys or (w[0].isupper() and w.lower() not in STOPWORDS)):
            continue
        if not words or not _joined(words, text[last_end : m.start()]):
            close()
            words, hit = [], False
        words.append(re.sub(r"['’]s$", "", w))
        hit = hit or key in wanted
        last_end = m.end()
    close()
    return list(out)
