"""The findings of a run for the front page, read from its ``tables/*.csv`` by column name.

Each finding is one line linking to its section; each section shows the top rows of its table with a link to the
CSV. The notebooks' tables change as the stages evolve: a missing table or column makes its finding say "not
computed" instead of failing the page. Every value from the corpus is escaped; long text is clipped.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..show import clip
from .tables import read_table

__all__ = ["Finding", "findings", "TOP_ROWS", "SENTENCE_CHARS"]

TOP_ROWS = 15  # rows of each section's table on the front page (its CSV holds them all)
SENTENCE_CHARS = 220  # characters of a sentence shown in a front-page table
_e = html.escape


@dataclass
class Finding:
    """One line of the front page (HTML, escaped) and the section it links to."""

    anchor: str
    title: str
    line: str
    section: str


def findings(run_dir: str | Path) -> list[Finding]:
    """The front page's findings, in reading order; each survives missing tables and columns."""
    tables = _Tables(Path(run_dir))
    out = []
    for build in (_documents, _families, _added, _key_dates, _conflicts, _framing):
        try:
            out.append(build(tables))
        except (KeyError, ValueError, TypeError) as exc:  # a table changed shape: say so, keep the page
            anchor, title = build.__name__.strip("_"), build.__name__.strip("_").replace("_", " ")
            why = f"not computed: {_e(type(exc).__name__)}: {_e(str(exc))[:200]}"
            out.append(Finding(anchor, title.capitalize(), why, f"<p class='muted'>{why}</p>"))
    return out


class _Tables:
    """The run's tables, read once each (None when absent or unreadable)."""

    def __init__(self, run_dir: Path):
        self.run_dir, self._cache = run_dir, {}

    def __call__(self, name: str) -> pd.DataFrame | None:
        if name not in self._cache:
            try:
                self._cache[name] = read_table(self.run_dir, name)
            except (OSError, ValueError, pd.errors.ParserError):
                self._cache[name] = None
        return self._cache[name]

    def titles(self) -> dict:
        docs = self("documents")
        if docs is None or "title" not in docs.columns:
            return {}
        return dict(zip(docs["doc_id"].astype(str), docs["title"].fillna("").astype(str)))


# ------------------------------------------------------------------------------------------ helpers
def _missing(name: str) -> str:
    return f"not computed (no tables/{name}.csv in this run)"


def _has(df: pd.DataFrame | None, *columns: str) -> bool:
    return df is not None and all(c in df.columns for c in columns)


def _table(df: pd.DataFrame, csv: str | None, total: int | None = None, note: str = "") -> str:
    """Escaped HTML of the first ``TOP_ROWS`` rows, with a note and a link to the CSV when there are more."""
    total = len(df) if total is None else total
    link = f' <a href="tables/{_e(csv)}.csv">tables/{_e(csv)}.csv</a>' if csv else ""
    shown = df.head(TOP_ROWS)
    more = f"The first {len(shown):,} of {total:,} rows" if total > len(shown) else _plural(total, "row")
    caption = f"<p class='muted'>{more}{(' (' + _e(note) + ')') if note else ''}.{' All:' if link else ''}{link}</p>"
    if shown.empty:
        return caption
    return caption + shown.to_html(index=False, escape=True, border=0, classes="tbl", na_rep="")


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def _section(anchor: str, title: str, line: str, body: str) -> Finding:
    return Finding(anchor, title, line, body)


def _link(anchor: str, text: str) -> str:
    return f'<a href="#{anchor}">{text}</a>'


# ------------------------------------------------------------------------------------------ findings
def _documents(t: _Tables) -> Finding:
    docs, skipped, failed = t("documents"), t("skipped"), t("failed")
    if docs is None:
        return _section(
            "documents", "Documents", _missing("documents"), f"<p class='muted'>{_missing('documents')}</p>"
        )
    parts = [_link("documents", _plural(len(docs), "document"))]
    body = ""
    if "source" in docs.columns:
        sources = docs["source"].fillna("").replace("", "(unknown)").value_counts()
        parts.append(f"from {_plural(len(sources), 'source')}")
        body += "<h3>Sources</h3>" + _table(
            sources.rename_axis("source").reset_index(name="documents"), None, note="sources, most documents first"
        )
    if "published" in docs.columns:
        dates = pd.to_datetime(docs["published"], errors="coerce", utc=True).dropna()
        if len(dates):
            parts.append(f"published {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}")
    n_skipped = 0 if skipped is None else len(skipped)
    n_failed = 0 if failed is None else len(failed)
    parts.append(f"{_plural(n_skipped, 'input')} skipped" if skipped is not None else "skipped inputs not computed")
    if failed is not None:
        parts.append(f"{_plural(n_failed, 'document step')} failed")
    body += "<h3>Skipped inputs</h3>" + (
        _table(skipped, "skipped", note="inputs that did not become a document, with the reason")
        if skipped is not None and len(skipped)
        else "<p class='muted'>none</p>"
    )
    body += "<h3>Failed steps</h3>" + (
        _table(failed, "failed", note="documents a step could not process (left out of that step)")
        if failed is not None and len(failed)
        else "<p class='muted'>none</p>"
    )
    return _section("documents", "Documents", ", ".join(parts) + ".", body)


def _families(t: _Tables) -> Finding:
    fam, lin, titles = t("families"), t("lineage"), t.titles()
    if not _has(fam, "doc_id", "family_id"):
        msg = _missing("families") if fam is None else "not computed (families.csv has no doc_id/family_id)"
        return _section("families", "Story families", msg, f"<p class='muted'>{msg}</p>")
    sizes = fam.groupby("family_id").size().sort_values(ascending=False, kind="stable")
    multi = sizes[sizes > 1]
    rows = []
    for family_id, size in multi.head(TOP_ROWS).items():  # the shown families only: linear in the corpus
        members = fam[fam["family_id"] == family_id]
        rows.append({"family": family_id, "versions": int(size), **_origin(lin, family_id, titles)})
        rows[-1]["relations"] = _relation_mix(lin, family_id)
        if "machine_style" in fam.columns:
            rows[-1]["machine-style"] = _share(members["machine_style"])
    table = pd.DataFrame(rows)
    line = _link("families", f"{_plural(len(multi), 'story family', 'story families')} with two or more versions")
    in_families, alone = int(multi.sum()) if len(multi) else 0, int((sizes == 1).sum())
    line += f" ({_plural(in_families, 'document')}; {_plural(alone, 'document')} alone)"
    if len(table):
        top = table.iloc[0]
        line += f"; the largest has {top['versions']} versions, origin {_e(clip(top['origin'], 60))}"
        if top.get("relations"):
            line += f" ({_e(top['relations'])})"
    body = _table(table, "families", total=len(multi), note="families, largest first") if len(table) else ""
    if "machine_style" not in fam.columns:
        body += "<p class='muted'>Machine-style share: not computed (families.csv has no machine_style column).</p>"
    return _section("families", "Story families", line + ".", body or "<p class='muted'>no family of two or more</p>")


def _origin(lin: pd.DataFrame | None, family_id, titles: dict) -> dict:
    if not _has(lin, "family_id", "doc_id", "is_origin"):
        return {"origin": "not computed"}
    rows = lin[(lin["family_id"] == family_id) & lin["is_origin"].astype(str).isin(["True", "true", "1"])]
    if rows.empty:
        return {"origin": "?"}
    doc = str(rows["doc_id"].iloc[0])
    parent = str(rows["parent"].iloc[0]) if "parent" in rows.columns and pd.notna(rows["parent"].iloc[0]) else ""
    origin = parent if parent.startswith("external") else doc
    return {"origin": origin, "origin title": clip(titles.get(doc, ""), 80)}


def _relation_mix(lin: pd.DataFrame | None, family_id) -> str:
    if not _has(lin, "family_id", "relation"):
        return ""
    rel = lin[lin["family_id"] == family_id]
    if "is_origin" in rel.columns:
        rel = rel[~rel["is_origin"].astype(str).isin(["True", "true", "1"])]
    counts = (
        rel["relation"].dropna().astype(str).value_counts().sort_index().sort_values(ascending=False, kind="stable")
    )
    return ", ".join(f"{n} {r}" for r, n in counts.items())


def _share(values: pd.Series) -> str:
    v = values.dropna()
    if v.empty:
        return ""
    flags = v.astype(str).str.lower().isin(["true", "1", "yes"]) if v.dtype == object or v.dtype == bool else v > 0.5
    return f"{flags.mean():.0%}"


def _most_repeated_addition(new) -> tuple[str, str, int] | None:
    """The document and new name or number found in most of its added sentences (a source or claim a version
    brings, not one passing mention), and how many; ties: the first in the table; None when no name is left."""
    names = new["new_specifics"].astype(str).str.split(", ")
    pairs = new[["doc_id"]].assign(name=names).explode("name")
    pairs = pairs[pairs["name"].str.strip() != ""]
    counts = pairs.groupby(["doc_id", "name"], sort=False).size()
    if counts.empty:
        return None
    (doc, name), count = counts.idxmax(), int(counts.max())
    return str(doc), str(name), count


def _added(t: _Tables) -> Finding:
    added = t("added_content")
    if not _has(added, "doc_id", "sentence"):
        msg = _missing("added_content") if added is None else "not computed (added_content.csv changed shape)"
        return _section("added", "Added content", msg, f"<p class='muted'>{msg}</p>")
    new = added
    if "new_specifics" in added.columns:
        new = added[added["new_specifics"].fillna("").astype(str).str.strip() != ""]
    cols = [c for c in ("doc_id", "parent", "sentence", "new_specifics") if c in new.columns]
    shown = new[cols].head(TOP_ROWS).assign(sentence=lambda d: d["sentence"].map(lambda s: clip(s, SENTENCE_CHARS)))
    line = _link("added", f"{_plural(len(new), 'added sentence')} bring new names or numbers")
    line += f", in {_plural(new['doc_id'].nunique(), 'document')} ({len(added):,} added sentences in all)"
    top = _most_repeated_addition(new) if len(new) and "new_specifics" in new.columns else None
    if top:
        doc, name, count = top
        line += f"; most repeated: “{_e(clip(name, 80))}” in {_plural(count, 'added sentence')} of {_e(clip(doc, 40))}"
    return _section("added", "Added content", line + ".", _table(shown, "added_content", total=len(new)))


def _key_dates(t: _Tables) -> Finding:
    key = t("key_dates")
    if not _has(key, "date"):
        msg = _missing("key_dates") if key is None else "not computed (key_dates.csv has no date column)"
        return _section("key-dates", "Key dates", msg, f"<p class='muted'>{msg}</p>")
    cols = [c for c in ("date", "n_docs", "score", "sentence_1", "doc_1") if c in key.columns]
    shown = key[cols].copy()
    if "sentence_1" in shown.columns:
        shown["sentence_1"] = shown["sentence_1"].map(lambda s: clip(s, SENTENCE_CHARS))
    dates = ", ".join(_e(str(d)) for d in key["date"].head(5))
    line = _link("key-dates", f"{_plural(len(key), 'key date')}") + (f": {dates}" if dates else "")
    return _section("key-dates", "Key dates", line + ".", _table(shown, "key_dates", note="days, highest score first"))


def _conflicts(t: _Tables) -> Finding:
    conf = t("conflicts")
    if conf is None:
        return _section(
            "conflicts", "Conflicts", _missing("conflicts"), f"<p class='muted'>{_missing('conflicts')}</p>"
        )
    if "context_similarity" in conf.columns:
        conf = conf.sort_values("context_similarity", ascending=False, kind="stable")
    cols = [c for c in ("doc_a", "claim_a", "implies_a", "doc_b", "claim_b", "implies_b", "gap_years") if c in conf]
    cols += [c for c in ("sentence_a", "sentence_b") if c in conf.columns]
    shown = conf[cols].copy()
    for c in ("sentence_a", "sentence_b"):
        if c in shown.columns:
            shown[c] = shown[c].map(lambda s: clip(s, SENTENCE_CHARS))
    line = _link("conflicts", f"{_plural(len(conf), 'temporal conflict')} within story families")
    if len(conf) and _has(conf, "claim_a", "claim_b"):
        first = conf.iloc[0]
        line += f"; strongest: “{_e(clip(str(first['claim_a']), 50))}” against “{_e(clip(str(first['claim_b']), 50))}”"
    return _section(
        "conflicts", "Conflicts", line + ".", _table(shown, "conflicts", note="most similar sentences first")
    )


def _framing(t: _Tables) -> Finding:
    summary, keyness = t("framing_shift_summary"), t("keyness")
    body, parts = "", []
    if _has(summary, "child", "parent"):
        ranked = summary
        if "d_hedges_per_1k" in summary.columns:
            order = summary["d_hedges_per_1k"].abs().sort_values(ascending=False, kind="stable").index
            ranked = summary.loc[order]
        cols = [
            c
            for c in ("child", "parent", "d_hedges_per_1k", "net_hedging", "attribution_dropped", "named_sources_lost")
            if c in ranked.columns
        ]
        body += "<h3>Framing shift, parent to derivative</h3>" + _table(
            ranked[cols].round(2), "framing_shift_summary", note="derivatives, largest change in hedging first"
        )
        parts.append(_link("framing", f"{_plural(len(summary), 'derivative')} compared with their parent"))
        if len(ranked) and "d_hedges_per_1k" in ranked.columns:
            top = ranked.iloc[0]
            parts.append(
                f"largest shift: {_e(clip(str(top['child']), 40))} {top['d_hedges_per_1k']:+.1f} hedges per 1,000 words"
            )
    if _has(keyness, "comparison", "term", "z"):
        strongest = keyness.reindex(keyness["z"].abs().sort_values(ascending=False, kind="stable").index)
        cols = [c for c in ("comparison", "term", "favours", "z", "count_a", "count_b") if c in strongest.columns]
        body += "<h3>Most distinctive words</h3>" + _table(
            strongest[cols].round(2), "keyness", note="terms, largest |z| first (log-odds with a Dirichlet prior)"
        )
    if not body:
        msg = _missing("framing_shift_summary") + "; " + _missing("keyness")
        return _section("framing", "Framing contrasts", msg, f"<p class='muted'>{msg}</p>")
    line = "; ".join(parts) if parts else _link("framing", "framing contrasts")
    return _section("framing", "Framing contrasts", line + ".", body)
