"""Lexicons (frames, story frames, stance markers) and finding their terms in a token table.

A lexicon is a table ``category, term, match, key, n``: ``match`` is ``stem`` (inflections match through the
Snowball stemmer) or ``exact`` (normalised word forms only); ``key`` is the term's forms joined by spaces and ``n``
its number of words. Files are CSV/TSV (columns ``frame`` or ``category``, ``term``, optional ``match``; ``#``
comment lines) or YAML (``{frame: [term, ...]}``). A file that cannot be read or is malformed raises
:class:`LexiconError` naming the file and the problem.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .._data import data_path
from ..text import is_punct, normalise, stem, word_spans
from .documents import word_tokens

__all__ = [
    "MFC_FRAMES",
    "NEGATORS",
    "MATCH_COLUMNS",
    "MFC_LEXICON",
    "STANCE_LEXICON",
    "GENERIC_LEXICON",
    "LexiconError",
    "MatchParams",
    "term_key",
    "load_lexicon",
    "as_lexicon",
    "optional_lexicon",
    "honorifics",
    "shipped_honorifics",
    "match_terms",
    "form_codes",
]

MFC_FRAMES = [
    "Economic",
    "Capacity and resources",
    "Morality",
    "Fairness and equality",
    "Legality, constitutionality and jurisprudence",
    "Policy prescription and evaluation",
    "Crime and punishment",
    "Security and defense",
    "Health and safety",
    "Quality of life",
    "Cultural identity",
    "Public opinion",
    "Political",
    "External regulation and reputation",
    "Other",
]
NEGATORS = frozenset({"not", "n't", "no", "never", "without", "nor", "neither"})
MATCH_COLUMNS = ["doc_id", "sent_id", "pos", "length", "start", "end", "category", "term", "text", "negated"]
MATCH_MODES = ("stem", "exact")
TERM_TYPES = (str, int, float)  # YAML reads "1967" as a number: still a term
MFC_LEXICON = "framing_mfc.csv"
STANCE_LEXICON = "framing_stance.csv"
GENERIC_LEXICON = "framing_generic.csv"


class LexiconError(ValueError):
    """A lexicon that cannot be read or is malformed; the message names the file (or input) and the problem."""


@dataclass(frozen=True)
class MatchParams:
    """How lexicon hits are matched.

    ``negation_window``: a hit preceded within this many words of its sentence by a negator (:data:`NEGATORS`) is
    marked ``negated`` and not scored ("not a withdrawal", "without abandoning"). Set by hand in the first
    version of the framing stage (three words covers "not a complete ..."), not tuned on labelled data.
    """

    negation_window: int = 3


def term_key(term: str, match: str = "stem") -> str:
    """The forms a term matches, joined by spaces: its Treebank words, normalised (and stemmed for ``stem``)."""
    folded = normalise(str(term).strip())
    forms = [normalise(folded[s:e]) for s, e in word_spans(folded)]
    forms = [f for f in forms if not is_punct(f)]
    return " ".join(stem(f) for f in forms) if match == "stem" else " ".join(forms)


# ----------------------------------------------------------------------------------------------- loading
def _read_yaml(path, where: str) -> pd.DataFrame:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LexiconError(f"{where}: not valid YAML ({exc})") from exc
    if not isinstance(data, Mapping):
        raise LexiconError(f"{where}: a YAML lexicon maps each frame to a list of terms, got {type(data).__name__}")
    return _from_mapping(data, where)


def _read_table(path, where: str) -> pd.DataFrame:
    tsv = str(path).endswith(".tsv")
    sep, kind = ("\t", "TSV") if tsv else (",", "CSV")
    try:
        with path.open(encoding="utf-8") as fh:
            return pd.read_csv(fh, comment="#", sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.EmptyDataError as exc:
        raise LexiconError(f"{where}: empty (no header line)") from exc
    except pd.errors.ParserError as exc:
        raise LexiconError(f"{where}: not a valid {kind} table ({exc})") from exc


def _read_file(path, where: str) -> pd.DataFrame:
    try:
        if str(path).endswith((".yaml", ".yml")):
            return _read_yaml(path, where)
        return _read_table(path, where)
    except UnicodeDecodeError as exc:
        raise LexiconError(f"{where}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise LexiconError(f"{where}: cannot be read ({exc.strerror or exc})") from exc


def _from_mapping(data: Mapping, where: str) -> pd.DataFrame:
    rows = []
    for category, terms in data.items():
        terms = [terms] if isinstance(terms, str | int | float) else terms
        if not isinstance(terms, list | tuple | set | frozenset) or not all(isinstance(t, TERM_TYPES) for t in terms):
            raise LexiconError(f"{where}: frame {category!r} must list its terms (words or phrases), got {terms!r}")
        rows.extend((str(category), str(t)) for t in terms)
    return pd.DataFrame(rows, columns=["category", "term"])


def _validated(df: pd.DataFrame, where: str, must_have_terms: bool) -> pd.DataFrame:
    """The lexicon table with ``key`` and ``n``; raises :class:`LexiconError` on anything malformed."""
    df = df.rename(columns={"frame": "category"})
    if not {"category", "term"} <= set(df.columns):
        raise LexiconError(f"{where}: needs columns 'frame' (or 'category') and 'term', found {list(df.columns)}")
    if "match" not in df.columns:
        df = df.assign(match="stem")
    df = df[["category", "term", "match"]].astype(str)
    df["match"] = df["match"].str.strip().str.lower().replace({"": "stem"})
    bad = ~df["match"].isin(MATCH_MODES)
    if bad.any():
        raise LexiconError(f"{where}: match must be 'stem' or 'exact', got {sorted(set(df.loc[bad, 'match']))}")
    df["category"] = df["category"].str.strip()
    df["term"] = df["term"].str.strip()
    blank = (df["term"] == "") | (df["category"] == "")
    if blank.any():
        first = df[blank].iloc[0]
        raise LexiconError(
            f"{where}: {int(blank.sum())} row(s) with an empty frame or term "
            f"(first: frame={first['category']!r}, term={first['term']!r})"
        )
    df["key"] = [term_key(t, m) for t, m in zip(df["term"], df["match"])]
    df["n"] = [len(k.split()) for k in df["key"]]
    wordless = df["n"] == 0
    if wordless.any():
        raise LexiconError(f"{where}: terms with no word in them can never match: {df.loc[wordless, 'term'].tolist()}")
    if must_have_terms and df.empty:
        raise LexiconError(f"{where}: has no terms")
    return df.drop_duplicates(["category", "key", "match"]).reset_index(drop=True)


@lru_cache(maxsize=8)
def _shipped(name: str) -> pd.DataFrame:
    """A shipped lexicon, read and validated once per process."""
    where = f"shipped lexicon {name}"
    return _validated(_read_file(data_path(name), where), where, must_have_terms=True)


def load_lexicon(source=None, default: str = MFC_LEXICON, extend=None) -> pd.DataFrame:
    """A lexicon as a table ``category, term, match, key, n``.

    ``source``: ``None`` (the shipped ``default`` file), a path to a CSV/TSV/YAML file, a dict
    ``{category: [terms]}`` or a DataFrame (columns ``frame`` or ``category``, ``term``, optional ``match``).
    ``extend`` adds entries (same forms) to ``source``. Raises :class:`LexiconError` when a file cannot be read,
    is malformed or has no terms, and when any entry has an empty frame or term or an unknown ``match``.
    """
    if isinstance(source, pd.DataFrame):
        df = _validated(source, "lexicon given as a table", must_have_terms=False)
    elif isinstance(source, Mapping):
        df = _validated(_from_mapping(source, "lexicon given as a dict"), "lexicon given as a dict", False)
    elif source is None:
        df = _shipped(default).copy()
    else:
        path = Path(source)
        where = f"lexicon file {path}"
        df = _validated(_read_file(path, where), where, must_have_terms=True)
    if extend is not None:
        df = pd.concat([df, load_lexicon(extend)], ignore_index=True).drop_duplicates(["category", "key", "match"])
    return df.reset_index(drop=True)


def as_lexicon(source=None, default: str = MFC_LEXICON) -> pd.DataFrame:
    """``source`` itself when it is already a loaded lexicon (has ``key``), else :func:`load_lexicon` of it."""
    if isinstance(source, pd.DataFrame) and "key" in source:
        return source
    return load_lexicon(source, default=default)


def optional_lexicon(source) -> pd.DataFrame:
    """A lexicon that is only used when given (story frames): ``None`` or ``{}`` give an empty lexicon."""
    if source is None or (isinstance(source, Mapping) and not source):
        return load_lexicon(pd.DataFrame(columns=["category", "term"]))
    return as_lexicon(source)


def honorifics(stance_lexicon: pd.DataFrame) -> frozenset[str]:
    """The titles ("mr", "president", "dr") of a loaded stance lexicon: its ``honorific`` keys."""
    return frozenset(stance_lexicon.loc[stance_lexicon["category"] == "honorific", "key"])


def shipped_honorifics() -> frozenset[str]:
    """The titles of the shipped stance lexicon."""
    return honorifics(load_lexicon(None, default=STANCE_LEXICON))


# ----------------------------------------------------------------------------------------------- matching
def _no_matches() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in MATCH_COLUMNS})


def form_codes(w: pd.DataFrame) -> dict[str, tuple[np.ndarray, dict[str, int]]]:
    """For the ``norm``, ``stem`` and ``doc_id`` columns of a word-token table: integer codes (one per distinct
    value, in order of first appearance) and the value -> code map. Made once, they serve every lexicon matched on
    the same table (``codes=``)."""
    out = {}
    for column in ("norm", "stem", "doc_id"):
        codes, uniques = pd.factorize(w[column].to_numpy(object))
        out[column] = (codes.astype(np.int64), {u: k for k, u in enumerate(uniques)})
    return out


def _window_hash(codes: np.ndarray, length: int) -> np.ndarray:
    """A 64-bit hash of the ``length`` codes starting at each position (wrapping multiply-add)."""
    m = len(codes) - length + 1
    h = np.zeros(m, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(length):
            h = h * np.uint64(1_000_003) + (codes[j : j + m].astype(np.uint64) + np.uint64(1))
    return h


@dataclass(frozen=True)
class _Compiled:
    """A lexicon ready for matching: per ``(match, n)``, its distinct keys and their words; and per distinct
    ``(match, key)`` (numbered in ``key_id``), the categories it counts for (in lexicon order) and its first term."""

    groups: tuple[tuple[str, int, tuple[tuple[str, ...], ...], np.ndarray], ...]  # match, n, key words, key ids
    first: np.ndarray  # key id -> its first row in ``categories``
    count: np.ndarray  # key id -> how many categories
    categories: np.ndarray
    terms: np.ndarray  # key id -> first term


_COMPILED: dict[bytes, _Compiled] = {}
_SEEN: dict[int, tuple] = {}  # id of a lexicon table -> (weak reference to it, its content key)


def _compiled(lexicon: pd.DataFrame) -> _Compiled:
    """:class:`_Compiled` of ``lexicon``, made once per content (a run matches the same few lexicons on many
    small tables: the framing shift matches every aligned pair's sentences). The content key (a hash per row)
    is remembered for the table object itself while it lives."""
    table = lexicon[["category", "term", "match", "key", "n"]]
    seen = _SEEN.get(id(lexicon))
    if seen is not None and seen[0]() is lexicon and seen[1] == len(lexicon):
        key = seen[2]
    else:
        key = pd.util.hash_pandas_object(table.astype(str), index=False).to_numpy().tobytes()
        if len(_SEEN) > 64:
            _SEEN.clear()
        _SEEN[id(lexicon)] = (weakref.ref(lexicon), len(lexicon), key)
    found = _COMPILED.get(key)
    if found is None:
        if len(_COMPILED) > 32:
            _COMPILED.clear()
        found = _COMPILED[key] = _compile(table)
    return found


def _compile(lexicon: pd.DataFrame) -> _Compiled:
    ids = pd.MultiIndex.from_frame(lexicon[["match", "key"]].astype(str)).drop_duplicates()
    key_id = {k: i for i, k in enumerate(ids)}
    groups = []
    for (mode, length), grp in lexicon.groupby(["match", "n"], sort=False):
        keys = grp.drop_duplicates("key")["key"].to_numpy(object)
        kid = np.array([key_id[(str(mode), str(k))] for k in keys], dtype=np.int64)
        groups.append((str(mode), int(length), tuple(tuple(k.split()) for k in keys), kid))
    cats = lexicon.drop_duplicates(["match", "key", "category"])
    cat_kid = np.array([key_id[(str(m), str(k))] for m, k in zip(cats["match"], cats["key"])], dtype=np.int64)
    order = np.argsort(cat_kid, kind="stable")  # each key's categories together, in lexicon order
    firsts = lexicon.drop_duplicates(["match", "key"])
    terms = np.empty(len(ids), dtype=object)
    terms[[key_id[(str(m), str(k))] for m, k in zip(firsts["match"], firsts["key"])]] = firsts["term"].to_numpy(object)
    count = np.bincount(cat_kid, minlength=len(ids))
    return _Compiled(
        groups=tuple(groups),
        first=np.r_[0, np.cumsum(count)[:-1]] if len(ids) else np.zeros(0, np.int64),
        count=count,
        categories=cats["category"].to_numpy(object)[order],
        terms=terms,
    )


def _candidates(w: pd.DataFrame, lexicon: pd.DataFrame, doc: np.ndarray, codes: dict | None) -> pd.DataFrame:
    """Every (word position, length, category, term) whose forms equal a lexicon key within one sentence.

    Forms become integer codes; the keys of each length are found by a hash of the code window, then checked
    code by code (so a hash collision never makes a hit). A key of several categories gives a row for each."""
    sent = w["sent_id"].to_numpy()
    codes = form_codes(w) if codes is None else codes
    forms = {"stem": codes["stem"], "exact": codes["norm"]}
    lex = _compiled(lexicon)
    found_pos, found_len, found_kid = [], [], []
    for mode, length, key_words, kid in lex.groups:
        word_codes, index = forms[mode]
        if len(word_codes) < length:
            continue
        key_codes = [[index.get(x, -1) for x in k] for k in key_words]
        usable = [k for k, c in enumerate(key_codes) if min(c) >= 0]
        if not usable:
            continue
        kc = np.array([key_codes[k] for k in usable], dtype=np.int64)
        kh = _window_hash(kc.ravel(), length)[::length] if length > 1 else kc[:, 0].astype(np.uint64) + np.uint64(1)
        order = np.argsort(kh, kind="stable")
        kh_sorted = kh[order]
        h = _window_hash(word_codes, length)
        slot = np.clip(np.searchsorted(kh_sorted, h), 0, len(kh_sorted) - 1)
        pos = np.flatnonzero(kh_sorted[slot] == h)
        which = order[slot[pos]]
        ok = np.ones(len(pos), bool)
        for j in range(length):
            ok &= word_codes[pos + j] == kc[which, j]
        if length > 1:
            last = pos + length - 1
            ok &= (doc[pos] == doc[last]) & (sent[pos] == sent[last])
        pos, which = pos[ok], which[ok]
        found_pos.append(pos)
        found_len.append(np.full(len(pos), length, dtype=np.int64))
        found_kid.append(kid[np.array(usable, dtype=np.int64)[which]])
    if not found_pos:
        return pd.DataFrame(columns=["pos", "length", "category", "term"])
    pos, length, kid = (np.concatenate(x) for x in (found_pos, found_len, found_kid))
    n = lex.count[kid]  # a hit of a key with several categories is one row per category
    hit = np.repeat(np.arange(len(kid)), n)
    within = np.arange(len(hit)) - np.repeat(np.cumsum(n) - n, n)
    return pd.DataFrame(
        {
            "pos": pos[hit],
            "length": length[hit],
            "category": lex.categories[lex.first[kid][hit] + within],
            "term": lex.terms[kid][hit],
        }
    )


def _accept(pos: np.ndarray, length: np.ndarray, n: int) -> np.ndarray:
    """Which spans to keep, longest first then leftmost, so that no word is in two kept spans (spans given in
    that order; the same span may repeat, and is kept or dropped as a whole)."""
    keep = np.zeros(len(pos), bool)
    used = np.zeros(n + 1, np.int64)
    for L in np.unique(length)[::-1]:
        idx = np.flatnonzero(length == L)
        cum = np.concatenate([[0], np.cumsum(used[:n])])
        free = (cum[pos[idx] + L] - cum[pos[idx]]) == 0
        idx = idx[free]
        if L > 1 and len(idx):  # spans of this length that overlap one another: leftmost wins
            p = pos[idx]
            starts = np.unique(p)
            taken, last_end = [], -1
            for q in starts:
                if q >= last_end:
                    taken.append(q)
                    last_end = q + L
            idx = idx[np.isin(p, taken)]
        keep[idx] = True
        for j in range(int(L)):
            used[pos[idx] + j] = 1
    return keep


def _resolve_overlaps(cand: pd.DataFrame, n: int, overlap: str) -> pd.DataFrame:
    """Longest first, then leftmost: a word belongs to one hit (per category with ``overlap="category"``); a span
    matching a key of several categories counts for each of them."""
    cand = cand.sort_values(["length", "pos", "category"], ascending=[False, True, True], kind="stable")
    cand = cand.reset_index(drop=True)
    if overlap == "global":
        spans = cand.drop_duplicates(["pos", "length"])
        kept = spans[_accept(spans["pos"].to_numpy(), spans["length"].to_numpy(), n)][["pos", "length"]]
        return cand.merge(kept, on=["pos", "length"])
    out = []
    for _, g in cand.groupby("category", sort=False):
        g = g.drop_duplicates(["pos", "length"])
        out.append(g[_accept(g["pos"].to_numpy(), g["length"].to_numpy(), n)])
    return pd.concat(out, ignore_index=True) if out else cand.iloc[0:0]


def match_terms(
    toks: pd.DataFrame,
    lexicon: pd.DataFrame,
    texts: Mapping[str, str] | None = None,
    overlap: str = "global",
    negation: bool = True,
    params: MatchParams | None = None,
    codes: dict | None = None,
) -> pd.DataFrame:
    """All lexicon hits in a tokens table (from ``helpers.tokenise.tokens``), one row per hit and category.

    Multi-word terms match consecutive word tokens of one sentence (punctuation skipped). ``overlap="global"``:
    a word belongs to at most one hit (longest first, then leftmost); ``"category"``: the same within each
    category only. ``pos``/``length`` index the word tokens of the document; ``start``/``end`` are offsets into
    the text given to ``tokens``; ``text`` is the matched text (from ``texts[doc_id]`` when given).
    ``codes``: :func:`form_codes` of the word tokens of ``toks``, when already made.
    """
    params = params or MatchParams()
    w = word_tokens(toks)
    if w.empty or lexicon.empty:
        return _no_matches()
    doc = codes["doc_id"][0] if codes is not None and "doc_id" in codes else pd.factorize(w["doc_id"])[0]
    rows = _resolve_overlaps(_candidates(w, lexicon, doc, codes), len(w), overlap)
    if rows.empty:
        return _no_matches()
    sent = w["sent_id"].to_numpy()
    pos = rows["pos"].to_numpy(np.int64)
    length = rows["length"].to_numpy(np.int64)
    last = pos + length - 1
    out = pd.DataFrame(
        {
            "doc_id": w["doc_id"].to_numpy(object)[pos],
            "sent_id": sent[pos],
            "pos": pos - np.searchsorted(doc, doc[pos]),  # word index within the document
            "length": length,
            "start": w["start"].to_numpy()[pos],
            "end": w["end"].to_numpy()[last],
            "category": rows["category"].to_numpy(object),
            "term": rows["term"].to_numpy(object),
        }
    )
    if texts is not None:
        out["text"] = [texts[d][s:e] for d, s, e in zip(out["doc_id"], out["start"], out["end"])]
    else:
        tokstr = w["token"].to_numpy(object)
        out["text"] = [" ".join(tokstr[a : b + 1]) for a, b in zip(pos, last)]
    neg = np.zeros(len(out), bool)
    if negation:
        isneg = w["norm"].isin(NEGATORS).to_numpy()
        for k in range(1, params.negation_window + 1):
            q = pos - k
            valid = q >= 0
            qq = np.where(valid, q, 0)
            neg |= valid & (doc[qq] == doc[pos]) & (sent[qq] == sent[pos]) & isneg[qq]
    out["negated"] = neg
    return out.sort_values(["doc_id", "start", "category"], kind="stable").reset_index(drop=True)
