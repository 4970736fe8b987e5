"""Attribution: who each reported statement is attributed to (a named person or outlet, an anonymous source, or
nobody), and the turns of interview transcripts."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..text import normalise
from .lexicon import shipped_honorifics
from .names import WordArrays, clean_name, phrase_spans, proper_noun_phrases

__all__ = ["AttributionParams", "ATTRIBUTION_COLUMNS", "attributions", "speaker_turns"]

ATTRIBUTION_COLUMNS = ["doc_id", "sent_id", "start", "end", "kind", "source", "cue"]
INVERTED_CUES = frozenset({"according to", "said", "says", "added", "wrote", "writes", "stated", "noted", "explained"})
DETERMINERS = frozenset({"a", "an", "the", "his", "her", "their", "its", "our"})
PREPOSITIONS = frozenset(
    "of in on at from to into over across with by for against about toward towards near within throughout".split()
)
SPEAKER = re.compile(
    r"^[ \t*_>#-]*([A-Z][\w.'\u2019-]*(?:[ \t]+[A-Z][\w.'\u2019-]*){0,3})[ \t]*[*_]*[ \t]*:[ \t]*[*_]*[ \t]*(\S.*)$",
    re.MULTILINE,
)


@dataclass(frozen=True)
class AttributionParams:
    """Windows and counts of the attribution rules. Set by hand in the first version of the framing stage on the
    sample and checked on BBC/Reuters Syria news (commit daa97d8); not tuned on labelled data.

    - ``apposition_after``: a source noun at most this many words after a person's name, with a determiner in
      between, describes that person ("Hassan Shemshadi, an expert on ..."), so it is no anonymous source.
    - ``apposition_before``: the same for a source noun at most this many words before the name ("analyst X").
    - ``speaker_min_words``: an interview turn ("**Dr. Khalil:** ...") needs at least this many words after the
      colon (shorter ones are labels: "Source: Reuters").
    - ``speaker_min_turns``, ``speaker_min_name_words``: a speaker label without a title must recur this many
      times and have this many words to count as a person ("Host:" alone does not).
    """

    apposition_after: int = 4
    apposition_before: int = 3
    speaker_min_words: int = 3
    speaker_min_turns: int = 2
    speaker_min_name_words: int = 2


def speaker_turns(view: pd.DataFrame, titles: frozenset, params: AttributionParams | None = None) -> list[tuple]:
    """Interview-style speaker turns ("**Dr. Khalil:** ...") by a named speaker: ``(doc_id, label, start, end)``."""
    p = params or AttributionParams()
    rows = []
    for doc_id, text in zip(view["doc_id"], view["text"]):
        found = [(m.group(1).strip(), m.start(1), m.end(1), m.group(2)) for m in SPEAKER.finditer(text)]
        freq = Counter(f[0] for f in found)
        for label, s, e, rest in found:
            if len(rest.split()) < p.speaker_min_words:
                continue
            titled = normalise(label.split()[0]).rstrip(".") in titles
            if titled or (freq[label] >= p.speaker_min_turns and len(label.split()) >= p.speaker_min_name_words):
                rows.append((doc_id, label, s, e))
    return rows


class _CueSentence:
    """One sentence with reporting cues: its normalised words and the word spans of its cues."""

    def __init__(self, norms: list[str], pos, length, texts, base: int):
        self.norms = norms
        self.spans = [(int(p) - base, int(p) - base + int(n) - 1) for p, n in zip(pos, length)]
        self.cue_words = {k for s, e in self.spans for k in range(s, e + 1)}
        cue_texts = [normalise(t) for t in texts]
        self.after_only = all(t == "according to" for t in cue_texts)  # the source follows the cue
        self.inverted = any(t in INVERTED_CUES for t in cue_texts)  # "said Reuters" is possible
        self.first_cue = self.spans[0][0]

    def distance(self, s0: int, e0: int) -> int:
        """Words between the span ``s0..e0`` and the nearest cue (0 when adjacent or overlapping)."""
        return min(max(cs - e0 - 1, s0 - ce - 1, 0) for cs, ce in self.spans)


def _is_apposition(a: int, person: dict, norms: list[str], p: AttributionParams) -> bool:
    after = (
        person["end_w"] <= a <= person["end_w"] + p.apposition_after and set(norms[person["end_w"] : a]) & DETERMINERS
    )
    return bool(after) or person["start_w"] - p.apposition_before <= a < person["start_w"]


def _after_preposition(phrase: dict, norms: list[str]) -> bool:
    """The phrase is the object of a preposition ("the battlefields of Syria", "run by the Red Crescent")."""
    k = phrase["start_w"] - 1
    while k >= 0 and norms[k] in DETERMINERS:
        k -= 1
    return k >= 0 and norms[k] in PREPOSITIONS and not (k >= 1 and norms[k - 1] == "according")


def _modifies_source_noun(phrase: dict, norms: list[str], anon_idx: set) -> bool:
    """A non-person name before a source noun ("Iranian officials", "Iranian and regional officials")."""
    end, nxt = phrase["end_w"], norms[phrase["end_w"] : phrase["end_w"] + 3]
    coordinated = len(nxt) >= 3 and nxt[0] in ("and", "or") and (end + 2) in anon_idx
    return not phrase["person"] and (end in anon_idx or coordinated)


def _candidates(sent: _CueSentence, phrases: list[dict], anons: list[tuple[int, str]]) -> list[tuple]:
    """``(distance to the cue, priority, kind, source)`` of each possible source of the sentence."""
    anon_idx = {a for a, _ in anons}
    cands = []
    for ph in phrases:
        if sent.after_only and ph["start_w"] < sent.first_cue:
            continue
        if _after_preposition(ph, sent.norms) or _modifies_source_noun(ph, sent.norms, anon_idx):
            continue
        if any(k in sent.cue_words for k in range(ph["start_w"], ph["end_w"])):
            continue
        dist = sent.distance(ph["start_w"], ph["end_w"] - 1)
        if ph["person"]:
            cands.append((dist, 0, "named", clean_name(ph["words"])))
        elif dist == 0 and (ph["end_w"] <= sent.first_cue or sent.inverted):
            cands.append((dist, 1, "named", clean_name(ph["words"])))  # "Reuters reported", "said Reuters"
    for a, text in anons:
        if a in sent.cue_words or (sent.after_only and a < sent.first_cue):
            continue
        cands.append((sent.distance(a, a), 2, "anonymous", text))
    return cands


def attributions(
    view: pd.DataFrame,
    toks: pd.DataFrame,
    stance_hits: pd.DataFrame,
    honorifics: frozenset | None = None,
    known_caps: set | None = None,
    lower_seen: set | None = None,
    params: AttributionParams | None = None,
    arrays: WordArrays | None = None,
) -> pd.DataFrame:
    """Attributed statements: ``doc_id, sent_id, start, end, kind, source, cue``.

    A sentence with a reporting cue ("said", "according to", "told", ...) is attributed to the nearest source:
    a person's name (two or more capitalised words, or a title + name), a proper noun right next to the cue
    ("Reuters reported"), or an anonymous source noun ("a source familiar with", "officials", "analysts").
    Demonyms modifying a source noun ("Iranian officials") and appositions ("Hassan Shemshadi, an expert") are
    resolved to the head; "..., he said" goes to the last person named as a source in the document. Interview
    speaker turns by a named speaker count as named attributions (cue ``speaker``). ``kind``: ``named``,
    ``anonymous`` or ``unattributed``. ``known_caps``/``lower_seen`` default to what ``toks`` itself shows.
    """
    p = params or AttributionParams()
    titles = shipped_honorifics() if honorifics is None else honorifics
    W = WordArrays(toks) if arrays is None else arrays  # ``arrays``: WordArrays(toks) already made
    own = known_caps is None and lower_seen is None  # then every sentence's phrases are read at once
    known_caps = W.known_caps if known_caps is None else known_caps
    lower_seen = W.lower_seen if lower_seen is None else lower_seen
    phrases_of = (
        _all_phrases(W, titles)
        if own
        else lambda lo, hi: proper_noun_phrases(W, lo, hi, titles, known_caps, lower_seen)
    )
    rows = []
    last_person: dict[str, str] = {}
    rep = stance_hits[stance_hits["category"] == "reporting"]
    anon = stance_hits[stance_hits["category"] == "anonymous"]
    anon_pos: dict[tuple, list] = {}
    for d, s, pos, text in zip(anon["doc_id"], anon["sent_id"], anon["pos"], anon["text"]):
        anon_pos.setdefault((d, s), []).append((pos, text))
    rep = rep.sort_values(["doc_id", "sent_id", "start"], kind="stable")
    r_doc, r_sent = rep["doc_id"].to_numpy(object), rep["sent_id"].to_numpy()
    r_pos, r_len, r_text = rep["pos"].to_numpy(), rep["length"].to_numpy(), rep["text"].to_numpy(object)
    change = (r_doc[1:] != r_doc[:-1]) | (r_sent[1:] != r_sent[:-1])
    bounds = np.flatnonzero(np.r_[True, change, True]) if len(rep) else np.zeros(0, np.int64)
    for a, b in zip(bounds[:-1], bounds[1:]):
        d, s = r_doc[a], r_sent[a]
        if (d, s) not in W.index:
            continue
        lo, hi = W.index[(d, s)]
        base = int(W.wpos[lo])
        sent = _CueSentence(W.norm[lo:hi].tolist(), r_pos[a:b], r_len[a:b], r_text[a:b], base)
        anons = [(int(pos) - base, t) for pos, t in anon_pos.get((d, s), [])]
        anon_words = {a for a, _ in anons}
        phrases = [
            ph for ph in phrases_of(lo, hi) if not set(range(ph["start_w"], ph["end_w"])) <= anon_words
        ]  # "Activists said" is anonymous
        persons = [ph for ph in phrases if ph["person"]]
        anons = [(a, t) for a, t in anons if not any(_is_apposition(a, ph, sent.norms, p) for ph in persons)]
        cands = _candidates(sent, phrases, anons)
        cue = "; ".join(dict.fromkeys(r_text[a:b]))
        ss, se = int(W.start[lo]), int(W.end[hi - 1])
        pronoun = any(x in ("he", "she") and sent.distance(i, i) == 0 for i, x in enumerate(sent.norms))
        if cands:
            _, priority, kind, source = min(cands)
            rows.append((d, int(s), ss, se, kind, source, cue))
            if kind == "named" and priority == 0:
                last_person[d] = source
        elif pronoun and d in last_person:  # "..., he said": the last person named as a source in the document
            rows.append((d, int(s), ss, se, "named", last_person[d], cue + " (pronoun)"))
        else:
            rows.append((d, int(s), ss, se, "unattributed", "", cue))
    rows.extend(_speaker_rows(view, W, titles, p))
    out = pd.DataFrame(rows, columns=ATTRIBUTION_COLUMNS)
    return out.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)


def _all_phrases(W: WordArrays, titles: frozenset):
    """:func:`proper_noun_phrases` of a sentence (``lo, hi``), looked up in the phrases of all sentences read at
    once (:func:`phrase_spans`)."""
    start, end, honorific = phrase_spans(W, titles)

    def of(lo: int, hi: int) -> list[dict]:
        a, b = np.searchsorted(start, [lo, hi])
        return [
            {"start_w": s - lo, "end_w": e - lo, "words": list(W.tok[s:e]), "honorific": h, "person": h or e - s >= 2}
            for s, e, h in zip(start[a:b].tolist(), end[a:b].tolist(), honorific[a:b].tolist())
        ]

    return of


def _speaker_rows(view: pd.DataFrame, W: WordArrays, titles: frozenset, p: AttributionParams) -> list[tuple]:
    """Speaker turns as named attributions, with the sentence each starts in (-1 if none)."""
    rows_of = pd.Series(np.arange(W.n)).groupby(W.doc, sort=False).indices if W.n else {}  # each doc's word rows
    rows = []
    for d, label, s, e in speaker_turns(view, titles, p):
        mine = rows_of.get(d)
        sid = -1
        if mine is not None:
            k = int(mine[0]) + int(np.searchsorted(W.start[mine], s))
            sid = int(W.sent[k]) if k < W.n and W.doc[k] == d else -1
        rows.append((d, sid, s, e, "named", label, "speaker"))
    return rows
