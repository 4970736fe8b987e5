"""Temporal claims and conflicts: durations that run up to publication ("for nearly a decade") and start dates
("since 2011") each imply when something started; two claims of one story family whose starts lie too far
apart conflict, as do similar sentences that date one event differently."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from ..show import clip
from .documents import family_of, timexes
from .events import dated_sentences
from .params import with_overrides
from .sentences import SentenceIndex, sentence_vectors, similar_pairs
from .values import parse_duration, parse_value

__all__ = ["ConflictParams", "temporal_claims", "conflicts", "conflict_view"]


@dataclass(frozen=True)
class ConflictParams:
    """Settings of :func:`temporal_claims` and :func:`conflicts`, set by hand on the sample story and the test
    sentences of ``tests/test_timeline.py`` (commits 2c1d045, f46fd72, 6c1e9de, fa26a7b); no benchmark."""

    # start intervals further apart than this (in years) conflict
    tolerance_years: float = 0.5
    # TF-IDF cosine at which two sentences of different documents tell the same event (event-date conflicts)
    event_similarity: float = 0.5
    # a family with more documents or claims than this is a topic rather than one story's versions: there, claims
    # are compared only when their sentences have at least ``large_family_similarity``
    max_family_docs: int = 50
    max_family_claims: int = 100
    large_family_similarity: float = 0.25
    # how much of its stated length a duration allows, as (shortest, longest) shares, by its wording: "nearly",
    # "under", "over", "about", and a bare number (round numbers in news are approximate)
    nearly: tuple[float, float] = (0.75, 1.0)
    under: tuple[float, float] = (0.0, 1.0)
    over: tuple[float, float] = (1.0, 1.5)
    about: tuple[float, float] = (0.75, 1.25)
    bare: tuple[float, float] = (0.85, 1.15)
    # durations shorter than this (in years) are not claims about when something started
    min_claim_years: float = 1.0
    # rows per block when comparing claims (bounds memory; no effect on the result)
    block_rows: int = 500


CLAIM_COLUMNS = ["doc_id", "sent_id", "kind", "claim", "value", "mod", "reference_date", "start_lo", "start_hi"]
CLAIM_COLUMNS += ["implies", "sentence", "start", "end"]
CONFLICT_COLUMNS = ["family_id", "kind", "doc_a", "claim_a", "implies_a", "doc_b", "claim_b", "implies_b"]
CONFLICT_COLUMNS += ["gap_years", "context_similarity", "same_document", "sentence_a", "sentence_b"]

_NEARLY = re.compile(r"\b(nearly|almost|close to|just under|not quite|approaching)\b", re.I)
_ABOUT = re.compile(r"\b(about|around|roughly|some|approximately|circa|or so)\b", re.I)
_OVER = re.compile(r"\b(over|more than|upwards of|at least|well over|in excess of)\b", re.I)
_UNDER = re.compile(r"\b(under|less than|fewer than|at most|up to)\b", re.I)
_DURATION_LEAD = re.compile(r"\b(for|over|lasted|lasting|spanning|spanned|spans|of|past|last)\s*$", re.I)
_DURATION_WORD_LEAD = re.compile(r"\s*(over|more than|for)\b", re.I)
_PERFECT = re.compile(
    r"\b(has|have|had|'s|'ve)\s+(?:\w+\s+){0,2}?(been|\w+ed|\w+en|built|fought|led|held|"
    r"kept|spent|run|won|lost|made|stood|sought|seen|grown|known|done|gone|come|become)\b",
    re.I,
)
_LONG_AFTER = re.compile(r"^\s*-?\s*(long|old)\b", re.I)
_NOT_ANCHORED = re.compile(r"^\s*(ago|later|earlier|before|after|from now|hence|into|of the|to come|ahead)\b", re.I)
_FUTURE_LEAD = re.compile(r"\b(next|coming|another|within|in)\s*$", re.I)
_MODAL_BEFORE = re.compile(r"\b(will|would|could|may|might|shall|going to|'ll)\b[^.;:!?,]*$", re.I)
_SUPERLATIVE_FOR = re.compile(
    r"\b(first|worst|best|biggest|largest|highest|lowest|deadliest|bloodiest|strongest|weakest)\b[^.;:!?]{0,50}$",
    re.I,
)
_FUTURE_PHRASE = re.compile(r"\b(more|next|coming|further)\b", re.I)
# "the worst accident since Chernobyl in 1986", "its highest since early September": a comparison, not a start
_SUPERLATIVE_SINCE = re.compile(
    r"\b(first|worst|best|biggest|largest|highest|lowest|most|least|deadliest|"
    r"bloodiest|strongest|weakest|\w{3,}est)\b[^.;:!?]{0,50}\bsince\b[^.;:!?]*$",
    re.I,
)
_SINCE_LEAD = re.compile(r"\bsince\b[^.;:!?]{0,80}$", re.I)
_SINCE_PHRASE = re.compile(r"\s*since\b", re.I)
_START_LEAD = re.compile(
    r"\b(began|begun|started|erupted|broke out|beginning|start|onset|outbreak|launched|"
    r"founded|established|formed)\b[^.;:!?]{0,60}\b(in|on|since)\s*$",
    re.I,
)


def _fractional_year(d: date) -> float:
    start = date(d.year, 1, 1)
    return d.year + (d - start).days / (date(d.year + 1, 1, 1) - start).days


def _duration_bounds(value: str, mod: str, phrase: str, params: ConflictParams) -> tuple[float, float] | None:
    """(shortest, longest) length in years a duration expression allows, from its value, mod and wording."""
    found = parse_duration(value)
    if found is None or found.years <= 0 or found.clock:  # "for hours" says nothing about a start year
        return None
    length, mod = found.years, (mod or "").upper()
    if found.vague:  # "years", "decades": at least two units, no upper bound
        return length, math.inf
    if _NEARLY.search(phrase):
        shares = params.nearly
    elif _UNDER.search(phrase) or mod in ("LESS_THAN", "EQUAL_OR_LESS"):
        shares = params.under
    elif _OVER.search(phrase) or mod in ("MORE_THAN", "EQUAL_OR_MORE"):
        shares = params.over
    elif _ABOUT.search(phrase) or mod == "APPROX":
        shares = params.about
    else:
        shares = params.bare
    return shares[0] * length, shares[1] * length


def _year_range(lo: float, hi: float) -> str:
    if not np.isfinite(lo):
        return f"before {hi:.1f}"
    if int(math.floor(lo)) == int(math.floor(hi - 1e-9)):
        return f"{int(math.floor(lo))}"
    return f"{lo:.1f}-{hi:.1f}"


def _duration_claim(r, before: str, after: str, params: ConflictParams) -> tuple[float, float, str] | None:
    """(start_lo, start_hi, implies) of a duration that runs up to the reference date ("has ravaged Syria for
    nearly a decade", "a decades-long partnership"); None for other durations."""
    phrase = r.text
    if (
        pd.isna(r.reference_date)
        or _NOT_ANCHORED.search(after)
        or _FUTURE_LEAD.search(before)
        or _FUTURE_PHRASE.search(phrase)
        or _SUPERLATIVE_FOR.search(before)
    ):
        return None
    modal = _MODAL_BEFORE.search(before)  # "will struggle ... for years", unless "that has ravaged ... for"
    if modal and not _PERFECT.search(before[modal.end(1) :]):
        return None
    long_adjective = bool(_LONG_AFTER.search(after)) or phrase.rstrip().lower().endswith("-long")
    lead = bool(_DURATION_LEAD.search(before)) or bool(_DURATION_WORD_LEAD.match(phrase))
    if not (long_adjective or (lead and (_PERFECT.search(before) or _PERFECT.search(after)))):
        return None
    lead_words = re.findall(r"[\w'-]+\s*$", before)
    bounds = _duration_bounds(r.value, r.mod, (lead_words[0] if lead_words else "") + " " + phrase, params)
    if bounds is None or bounds[1] < params.min_claim_years:
        return None
    anchor = _fractional_year(pd.Timestamp(r.reference_date).date())
    lo, hi = anchor - bounds[1], anchor - bounds[0]
    return lo, hi, f"start {_year_range(lo, hi)}"


def _start_claim(r, before: str) -> tuple[float, float, str] | None:
    """(start_lo, start_hi, implies) of a date introduced by "since" or a start word ("began in 2011")."""
    parsed = parse_value(r.value)
    if parsed is None:
        return None
    if not (_SINCE_LEAD.search(before) or _START_LEAD.search(before) or _SINCE_PHRASE.match(r.text)):
        return None
    if _SUPERLATIVE_SINCE.search(before) and not _START_LEAD.search(before):
        return None
    return _fractional_year(parsed.first), _fractional_year(parsed.last + timedelta(days=1)), f"start {r.value[:10]}"


def temporal_claims(
    docs: pd.DataFrame,
    tx: pd.DataFrame | None = None,
    reference_date=None,
    *,
    sentence_index: SentenceIndex | None = None,
    params: ConflictParams | None = None,
    **settings,
) -> pd.DataFrame:
    """Claims about when something started, each as an interval of start years.

    - ``duration``: a duration that runs up to the document's reference date ("for 40 years" in a perfect-tense
      clause, "over four decades", "a decades-long partnership"): start = reference date minus the duration,
      widened by its wording ("nearly": 75-100 %, "over": 100-150 %, "about": 75-125 %, a bare number 85-115 %;
      "years"/"decades" give only a lower bound; see :class:`ConflictParams`).
    - ``start``: a date introduced by "since" or by a start word ("began in 2011", "the beginning of the
      conflict in Syria in 2011"): start = that day, month or year.

    Columns: ``doc_id``, ``sent_id``, ``kind``, ``claim`` (the phrase), ``value``, ``mod``, ``reference_date``,
    ``start_lo``, ``start_hi`` (fractional years), ``implies`` (readable), ``sentence``, ``start``, ``end``.
    Durations in a document without a reference date are skipped (their start cannot be known).
    """
    params = with_overrides(ConflictParams, params, settings)
    if tx is None:
        tx = timexes(docs, reference_date)
    if tx is None or len(tx) == 0 or len(docs) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in CLAIM_COLUMNS})
    index = sentence_index if sentence_index is not None else SentenceIndex(docs)
    rows = []
    for r in tx.loc[tx["type"].isin(["DURATION", "DATE"])].itertuples(index=False):
        doc_id = str(r.doc_id)
        text = index.texts.get(doc_id)
        located = index.locate(doc_id, r.start) if isinstance(text, str) else None
        if located is None:
            continue
        sent_id, a, b = located
        before, after = text[a : int(r.start)], text[int(r.end) : b]
        if r.type == "DURATION":
            kind, claim = "duration", _duration_claim(r, before, after, params)
        else:
            kind, claim = "start", _start_claim(r, before)
        if claim is None:
            continue
        lo, hi, implies = claim
        rows.append(
            (
                doc_id,
                sent_id,
                kind,
                r.text,
                r.value,
                r.mod,
                r.reference_date,
                lo,
                hi,
                implies,
                text[a:b],
                int(r.start),
                int(r.end),
            )
        )
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS)


def _start_gap(pairs, lo, hi, kinds, doc_ids, params: ConflictParams) -> np.ndarray:
    """Which (i, j) pairs of claims start more than ``tolerance_years`` apart (and are not two start dates of one
    document: several start dates inside one document usually describe different things)."""
    i, j = pairs
    gap = np.maximum(lo[j] - hi[i], lo[i] - hi[j])
    both_start = (kinds[i] == "start") & (kinds[j] == "start")
    return (gap > params.tolerance_years) & ~(both_start & (doc_ids[i] == doc_ids[j]))


def _start_conflicts(claims: pd.DataFrame, family: pd.Series, params: ConflictParams) -> list[tuple]:
    """Pairs of claims of one family whose start intervals are more than ``tolerance_years`` apart: every pair in a
    family of at most ``max_family_docs`` documents and ``max_family_claims`` claims, else only pairs whose
    sentences have a TF-IDF cosine of at least ``large_family_similarity`` (found sparsely: a big family costs
    what its similar pairs cost, not the square of its size)."""
    c = claims.reset_index(drop=True).copy()
    c["family_id"] = c["doc_id"].map(family).fillna(c["doc_id"]).astype(str)
    vectors = sentence_vectors(c["sentence"].tolist())
    lo, hi = c["start_lo"].to_numpy(float), c["start_hi"].to_numpy(float)
    kinds, doc_ids = c["kind"].to_numpy(), c["doc_id"].to_numpy()
    family_docs = c.groupby("family_id")["doc_id"].transform("nunique").to_numpy()
    family_claims = c.groupby("family_id")["doc_id"].transform("size").to_numpy()
    pi, pj, pgap = [], [], []
    for idx in c.groupby("family_id", sort=False).indices.values():
        if len(idx) < 2:
            continue
        if family_docs[idx[0]] <= params.max_family_docs and family_claims[idx[0]] <= params.max_family_claims:
            # a story's versions: every pair, in blocks of rows
            for s0 in range(0, len(idx), params.block_rows):
                rows = idx[s0 : s0 + params.block_rows]
                xs, ys = np.nonzero(idx[None, :] > rows[:, None])
                pairs = (rows[xs], idx[ys])
                keep = _start_gap(pairs, lo, hi, kinds, doc_ids, params)
                pi.append(pairs[0][keep])
                pj.append(pairs[1][keep])
        elif vectors is not None:
            # a topic rather than one story: only claims in similar sentences (sparse cosine, not every pair)
            labels = np.arange(len(idx))  # every claim its own label: pairs inside one document count too
            xs, ys, _ = similar_pairs(vectors, idx, params.large_family_similarity, labels, params.block_rows)
            pairs = (idx[xs], idx[ys])
            keep = _start_gap(pairs, lo, hi, kinds, doc_ids, params)
            pi.append(pairs[0][keep])
            pj.append(pairs[1][keep])
    if not sum(len(x) for x in pi):
        return []
    pi, pj = np.concatenate(pi), np.concatenate(pj)
    pgap = np.maximum(lo[pj] - hi[pi], lo[pi] - hi[pj])
    sims = (
        np.asarray(vectors[pi].multiply(vectors[pj]).sum(axis=1)).ravel() if vectors is not None else np.zeros(len(pi))
    )
    keep = np.ones(len(pi), dtype=bool)
    col = {k: c[k].to_numpy() for k in ("family_id", "doc_id", "claim", "implies", "sentence", "kind")}
    return [
        (
            col["family_id"][i],
            "start: " + " vs ".join(sorted([col["kind"][i], col["kind"][j]])),
            col["doc_id"][i],
            col["claim"][i],
            col["implies"][i],
            col["doc_id"][j],
            col["claim"][j],
            col["implies"][j],
            round(float(gap), 1),
            round(float(sim), 3),
            col["doc_id"][i] == col["doc_id"][j],
            col["sentence"][i],
            col["sentence"][j],
        )
        for i, j, gap, sim in zip(pi[keep], pj[keep], pgap[keep], sims[keep])
    ]


def _event_date_conflicts(dated: pd.DataFrame, family: pd.Series, params: ConflictParams) -> list[tuple]:
    """Pairs of similar sentences in different documents of a family that date one event differently."""
    d = dated.reset_index(drop=True).copy()
    d["family_id"] = d["doc_id"].map(family).fillna(d["doc_id"]).astype(str)
    sentence_dates = d.groupby(["doc_id", "sent_id"])["date"].agg(set).to_dict()
    vectors = sentence_vectors(d["sentence"].tolist())
    if vectors is None:
        return []
    rows = []
    several = d.groupby("family_id", sort=False)["doc_id"].transform("nunique").to_numpy() > 1
    for _, group in d.loc[several].groupby("family_id", sort=False):
        idx = group.index.to_numpy()
        granularity, dates = group["granularity"].to_numpy(), group["date"].to_numpy()
        keys = list(zip(group["doc_id"], group["sent_id"]))
        xs, ys, sims = similar_pairs(vectors, idx, params.event_similarity, group["doc_id"].to_numpy())
        keep = (granularity[xs] == granularity[ys]) & (dates[xs] != dates[ys])
        # a sentence that carries both dates ("10 April ... 12 April") does not contradict the other
        keep &= np.array(
            [
                dates[y] not in sentence_dates[keys[x]] and dates[x] not in sentence_dates[keys[y]]
                for x, y in zip(xs, ys)
            ],
            dtype=bool,
        )
        for x, y, sim in zip(xs[keep], ys[keep], sims[keep]):
            a, b = d.loc[idx[x]], d.loc[idx[y]]
            gap = abs((pd.Timestamp(b["first_day"]) - pd.Timestamp(a["first_day"])).days) / 365.25
            rows.append(
                (a["family_id"], "event date", a["doc_id"], a["timex"], a["date"], b["doc_id"], b["timex"], b["date"])
                + (round(gap, 2), round(float(sim), 3), False, a["sentence"], b["sentence"])
            )
    return rows


def conflicts(
    docs: pd.DataFrame,
    families: pd.DataFrame | None = None,
    tx: pd.DataFrame | None = None,
    reference_date=None,
    *,
    claims: pd.DataFrame | None = None,
    dated: pd.DataFrame | None = None,
    params: ConflictParams | None = None,
    **settings,
) -> pd.DataFrame:
    """Temporal claims that disagree within a story family (across its versions, or inside one version).

    - start-year conflicts: two claims (``temporal_claims``) whose start intervals are further apart than
      ``tolerance_years`` ("nearly a decade" in December 2024 starts 2015-2017, "since 2011" starts 2011);
    - event-date conflicts: two similar sentences (TF-IDF cosine >= ``event_similarity``) in different
      documents that date the same event differently at the same granularity.

    Claims about different subjects can also disagree ("for 40 years" of an alliance vs "since 2011" of a war):
    ``context_similarity`` (TF-IDF cosine of the two sentences) helps rank them; read the sentences. In a family
    of more than ``max_family_docs`` documents or ``max_family_claims`` claims (a topic rather than one story's
    versions) claims are compared only when their sentences have a similarity of at least
    ``large_family_similarity``. Settings are :class:`ConflictParams` fields (``params``, or single fields as
    keywords: ``conflicts(docs, families, tolerance_years=1)``).
    Columns: ``family_id``, ``kind``, ``doc_a``, ``claim_a``, ``implies_a``, ``doc_b``, ``claim_b``,
    ``implies_b``, ``gap_years``, ``context_similarity``, ``same_document``, ``sentence_a``, ``sentence_b``.
    """
    params = with_overrides(ConflictParams, params, settings)
    if docs is None or len(docs) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in CONFLICT_COLUMNS})
    index = None
    if tx is None and (claims is None or dated is None):
        tx = timexes(docs, reference_date)
    if claims is None or dated is None:
        index = SentenceIndex(docs)
    if claims is None:
        claims = temporal_claims(docs, tx, reference_date, sentence_index=index, params=params)
    family = family_of(docs, families)
    rows = _start_conflicts(claims, family, params) if len(claims) else []
    if dated is None:
        dated = dated_sentences(docs, tx, reference_date, sentence_index=index)
    if len(dated):
        rows += _event_date_conflicts(dated, family, params)
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in CONFLICT_COLUMNS})
    out = pd.DataFrame(rows, columns=CONFLICT_COLUMNS)
    return out.sort_values(
        ["family_id", "context_similarity", "gap_years"], ascending=[True, False, False], kind="stable"
    ).reset_index(drop=True)


def conflict_view(conf: pd.DataFrame, width: int = 160) -> pd.DataFrame:
    """``conflicts`` for reading: one column per side, ``doc · "claim" → implied start · sentence`` (the
    sentence clipped to ``width`` characters), beside ``family_id``, ``kind``, ``gap_years`` and
    ``context_similarity``. Plain text: display it as a DataFrame, which escapes it."""
    cols = ["family_id", "kind", "gap_years", "context_similarity", "side_a", "side_b"]
    if conf is None or len(conf) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})

    def side(doc, claim, implies, sentence):
        return [f'{d} · "{c}" → {i} · {clip(t, width)}' for d, c, i, t in zip(doc, claim, implies, sentence)]

    out = conf.loc[:, ["family_id", "kind", "gap_years", "context_similarity"]].copy()
    out["side_a"] = side(conf["doc_a"], conf["claim_a"], conf["implies_a"], conf["sentence_a"])
    out["side_b"] = side(conf["doc_b"], conf["claim_b"], conf["implies_b"], conf["sentence_b"])
    return out.loc[:, cols]
