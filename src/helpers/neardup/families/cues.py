"""What a document's own text says about where it comes from: credit lines, scraped-page furniture, summary cues,
quotes and attributions (first-hand reporting), and its machine style (:mod:`helpers.style`)."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from ..._data import data_path
from ...style import machine_style
from .documents import prepared

__all__ = ["document_cues", "with_machine_style", "CUE_COLUMNS", "STYLE_COLUMNS"]

CUE_COLUMNS = ["doc_id", "credits", "credit_line", "scraped", "summary_cue", "named_quotes", "quotes", "attributions"]
STYLE_COLUMNS = ["machine_style", "style_evidence", "style_reason"]

_ATTRIBUTION = re.compile(
    r"^\s*(?![*•+\-–]\s|\d{1,2}[.)]\s)"  # not a list item: "* Source: EU fund" in a fact box names no text's source
    r"(?:\W{0,3})(?:original(?:ly)?\s+(?:source|article|story|report)|source|sources|via|read more(?: at)?|"
    r"summari[sz]ed from|adapted from|reprinted from|republished from|first (?:published|appeared) (?:in|on|at)|"
    r"this (?:article|story) (?:was|first) (?:originally )?(?:published|appeared) (?:in|on|by))"
    r"\s*[:\-–—]?\s*(?P<src>\S.{0,80}?)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_ACCORDING = re.compile(
    r"\b(?:according to|reported by|first reported by|as reported by)\s+(?:the\s+)?"
    r"(?P<src>(?:[A-Z][\w.&'-]+\s?){1,4})"
)
_OUTLET_HINT = re.compile(
    r"\b(?:times|post|news|journal|herald|guardian|reuters|associated press|ap|afp|bbc|cnn|"
    r"tribune|telegraph|gazette|agency|magazine|daily|[a-z0-9-]+\.(?:com|org|net|co\.uk))\b",
    re.IGNORECASE,
)
_NAMED_QUOTE = re.compile(
    r"[\"“][^\"”]{20,}[\"”],?\s+(?:said|says|told|added|according to)\s+(?:[A-Z][\w.'-]+\s?){1,4}|"
    r"(?:[A-Z][\w.'-]+\s){1,3}(?:said|says|told)\b[^.\n]{0,60}[\"“][^\"”]{20,}[\"”]|"
    r"[\"“][^\"”]{20,}[\"”],?\s+(?:[A-Z][\w.'-]+\s?){1,4}[^.\n]{0,120}?\b(?:said|says|told)\b"
)
_QUOTE = re.compile(r"[\"“][^\"”]{15,}[\"”]")  # a direct quotation (not a scare-quoted word)
_ATTRIBUTION_VERB = re.compile(r"\b(?:said|says|told|according to)\b", re.IGNORECASE)  # a statement given a source
_SUMMARY_CUE = re.compile(r"\b(?:tl;?dr|in summary|summary:|key (?:points|takeaways):?|in brief:)", re.IGNORECASE)
_MAX_CREDIT_WORDS = 8  # a credit line names an outlet, not a sentence
_FURNITURE_LINE_WORDS = 40  # paywall/scraper notices are short lines ...
_FURNITURE_LINES = 2  # ... and a scraped copy carries at least this many


@lru_cache(maxsize=1)
def _furniture_patterns() -> list[re.Pattern]:
    """The shipped paywall and scraper line patterns (``boilerplate_patterns.txt``, ``category<TAB>regex``)."""
    lines = data_path("boilerplate_patterns.txt").read_text(encoding="utf-8").splitlines()
    entries = (line.partition("\t") for line in lines if line.strip() and not line.startswith("#"))
    return [re.compile(rx.strip(), re.IGNORECASE) for cat, _, rx in entries if cat.strip() in ("paywall", "scraper")]


def _credit(text: str) -> tuple[str, bool]:
    """The source a text credits and whether a credit line names it ("Original Source: ...", the last such line);
    else an outlet it cites ("according to <outlet>"), or ""."""
    credits = ""
    for m in _ATTRIBUTION.finditer(text):
        src = m.group("src").strip(" .*_")
        if src and len(src.split()) <= _MAX_CREDIT_WORDS:
            credits = src
    if credits:
        return credits, True
    for m in _ACCORDING.finditer(text):
        src = m.group("src").strip()
        if _OUTLET_HINT.search(src):
            return src, False
    return "", False


def _has_furniture(text: str) -> bool:
    lines = [ln for ln in text.split("\n") if ln.strip() and len(ln.split()) <= _FURNITURE_LINE_WORDS]
    patterns = _furniture_patterns()
    return sum(1 for ln in lines if any(rx.search(ln) for rx in patterns)) >= _FURNITURE_LINES


def document_cues(docs: pd.DataFrame, prepared_docs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per document: ``credits`` (the source it credits, "" if none), ``credit_line`` (a line credits it, as in
    "Original Source: ...", rather than a passing "according to <outlet>"), ``scraped`` (paywall/scraper furniture:
    the text is a scraped copy, usually truncated; from the corpus's ``boilerplate`` table when it has one, or
    found in the text), ``summary_cue``, ``named_quotes`` (direct quotes attributed to a named speaker:
    independent reporting), ``quotes`` (direct quotations), ``attributions`` (statements given a source: "said",
    "told", "according to"; news writing attributes, machine rewrites often drop or generalise the source)."""
    d = prepared_docs if prepared_docs is not None else prepared(docs)
    boiler = getattr(docs, "boilerplate", None)
    scraped_ids: set[str] = set()
    if isinstance(boiler, pd.DataFrame) and {"doc_id", "reason"} <= set(boiler.columns):
        hit = boiler["reason"].astype(str).str.contains("paywall|scraper", case=False, regex=True)
        scraped_ids = set(boiler.loc[hit, "doc_id"].astype(str))
    rows = [
        (
            doc_id,
            *_credit(text),
            bool(doc_id in scraped_ids or _has_furniture(text)),
            bool(_SUMMARY_CUE.search(text)),
            len(_NAMED_QUOTE.findall(text)),
            len(_QUOTE.findall(text)),
            len(_ATTRIBUTION_VERB.findall(text)),
        )
        for doc_id, text in zip(d["doc_id"], d["full"])
    ]
    return pd.DataFrame(rows, columns=CUE_COLUMNS)


def with_machine_style(
    cues: pd.DataFrame,
    d: pd.DataFrame,
    ids=None,
    failures: list | None = None,
    model=None,
    unscored: str = "not scored",
) -> pd.DataFrame:
    """``cues`` with each document's machine style (:func:`helpers.style.machine_style`: ``machine_style`` 0-1, a
    style signal, not proof; ``style_evidence``; ``style_reason``: why a document was not judged). Only documents
    in ``ids`` are scored (None: all; the others get NaN and ``unscored`` as reason); a document whose analysis
    fails is appended to ``failures``. ``model``: a machine-style model or its JSON file (None: the shipped one)."""
    wanted = d if ids is None else d[d["doc_id"].isin(set(ids))]
    out = cues.drop(columns=[c for c in STYLE_COLUMNS if c in cues.columns])
    scored = pd.DataFrame(columns=["doc_id", *STYLE_COLUMNS])
    if len(wanted):
        s = machine_style(wanted[["doc_id", "text"]], model=model, failures=failures)
        scored = s.rename(columns={"reason": "style_reason"})[["doc_id", *STYLE_COLUMNS]]
    out = out.merge(scored, on="doc_id", how="left")
    out["machine_style"] = out["machine_style"].astype(float)
    missing = out["style_reason"].isna()
    out.loc[missing, "style_evidence"] = ""
    out.loc[missing, "style_reason"] = unscored
    out["machine_style"] = np.where(missing, np.nan, out["machine_style"])
    return out
