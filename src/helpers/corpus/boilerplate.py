"""Boilerplate lines: page furniture matched by the shipped patterns, site headers, short repeated lines.

Three kinds of line are boilerplate: a line matching one of the shipped patterns
(``helpers/data/boilerplate_patterns.txt``: paywall, scraper, cookie, comment form, share bar, newsletter,
navigation, legal), a line near the top that repeats the title with a site name ("Title | Site"), and a short
line found in several documents (footers, share bars, slogans). Long lines are never boilerplate: copied
paragraphs are the evidence the near-duplicate step needs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from .._data import DataFileError, read_data_text
from ..text import clean_text

__all__ = [
    "BoilerplateParams",
    "DEFAULT_PARAMS",
    "PATTERNS_FILE",
    "boilerplate_patterns",
    "line_key",
    "short_line_counts",
    "corpus_line_counts",
    "keep_repeated",
    "repeated_lines",
    "site_header",
    "line_reason",
    "is_furniture",
    "pattern_category",
    "required_strings",
]

PATTERNS_FILE = "boilerplate_patterns.txt"


@dataclass(frozen=True)
class BoilerplateParams:
    """When a line is boilerplate. Set by hand with the first loader (b73f643) on scraped news pages and kept
    since: the sample's scraped copy loses its ten furniture lines and no line of the story (tests/test_corpus.py).
    """

    min_docs: int = 3  # a short line is boilerplate when at least this many documents hold it
    max_words: int = 12  # a line of more words is never counted as a repeated line
    pattern_max_words: int = 40  # a line of more words is never removed by a pattern (it is text, not furniture)
    site_header_lines: int = 6  # a site header ("Title | Site") is looked for in this many first lines


DEFAULT_PARAMS = BoilerplateParams()


@cache
def boilerplate_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """The shipped patterns as ``(category, compiled regex)``. A malformed line raises :class:`DataFileError`
    naming it: a pattern without its tab would be an empty regex, which matches every line."""
    patterns = []
    for line_no, line in enumerate(read_data_text(PATTERNS_FILE).splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        category, tab, regex = line.partition("\t")
        where = f"helpers/data/{PATTERNS_FILE}, line {line_no}"
        if not tab or not category.strip() or not regex.strip():
            raise DataFileError(f"{where}: expected <category><TAB><regular expression>, got {line!r}")
        try:
            patterns.append((category.strip(), re.compile(regex.strip(), re.IGNORECASE)))
        except re.error as exc:
            raise DataFileError(f"{where}: invalid regular expression ({exc})") from exc
    if not patterns:
        raise DataFileError(f"helpers/data/{PATTERNS_FILE} holds no pattern")
    return tuple(patterns)


def required_strings(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Lower-case strings one of which every match of ``pattern`` contains (None when none can be told), read
    from the parsed pattern: literal runs, groups, alternatives whose every branch requires one, repeats of at
    least one. Used to skip a pattern cheaply on an ASCII line that holds none of them."""
    import re._constants as sre
    import re._parser as sre_parse

    def required(items) -> set[str] | None:
        candidates, run = [], []
        for op, av in items:
            if op is sre.LITERAL:
                run.append(chr(av).lower())
                continue
            if run:
                candidates.append({"".join(run)})
                run = []
            found = None
            if op is sre.SUBPATTERN:
                found = required(av[-1])
            elif op is sre.BRANCH:
                branches = [required(alt) for alt in av[1]]
                found = set().union(*branches) if all(branches) else None
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
                found = required(av[2])
            if found:
                candidates.append(found)
        if run:
            candidates.append({"".join(run)})
        return max(candidates, key=lambda c: min(map(len, c))) if candidates else None

    found = required(sre_parse.parse(pattern, flags).data)
    return frozenset(found) if found and all(found) else None


@cache
def _pattern_needs() -> tuple[frozenset[str] | None, ...]:
    return tuple(required_strings(rx.pattern, rx.flags) for _, rx in boilerplate_patterns())


def pattern_category(line: str) -> str | None:
    """The category of the first shipped pattern that matches ``line``, or None. On an ASCII line a pattern
    whose required strings (:func:`required_strings`) are all absent is skipped without running it."""
    lowered = line.lower() if line.isascii() else None
    for (category, pattern), needs in zip(boilerplate_patterns(), _pattern_needs()):
        if lowered is not None and needs is not None and not any(n in lowered for n in needs):
            continue
        if pattern.search(line):
            return category
    return None


def line_key(line: str) -> str:
    """The form under which two lines count as the same: case-folded, punctuation and spacing ignored."""
    return re.sub(r"\W+", " ", line.casefold()).strip()


def short_line_counts(texts: Iterable[str], max_words: int = BoilerplateParams.max_words) -> Counter:
    """In how many of ``texts`` each short line (at most ``max_words`` words, by :func:`line_key`) occurs."""
    counts: Counter = Counter()
    for text in texts:
        keys = {line_key(line) for line in text.split("\n")}
        counts.update(k for k in keys if k and len(k.split()) <= max_words)
    return counts


def corpus_line_counts(raw_texts: Iterable[str]) -> Counter:
    """:func:`short_line_counts` of raw (uncleaned) texts, cleaned as :func:`helpers.corpus.clean` cleans them."""
    return short_line_counts(clean_text(t) for t in raw_texts)


def keep_repeated(counts: Counter, min_docs: int) -> Counter:
    """The lines of ``counts`` found in at least ``min_docs`` documents."""
    return Counter({k: n for k, n in counts.items() if n >= min_docs})


def repeated_lines(
    texts: Iterable[str], min_docs: int = BoilerplateParams.min_docs, max_words: int = BoilerplateParams.max_words
) -> Counter:
    """Counts of short lines (at most ``max_words`` words) that occur in at least ``min_docs`` documents.

    Such lines (footers, share bars, site slogans) are boilerplate. Long lines are never counted: copied
    paragraphs are the evidence the near-duplicate step needs.
    """
    return keep_repeated(short_line_counts(texts, max_words), min_docs)


def site_header(line: str, title: str) -> str | None:
    """If ``line`` is the title followed by a site name ("Title | Site", "Title at Site"), return the site."""
    if not title or not line.startswith(title) or line == title:
        return None
    rest = line[len(title) :].strip()
    m = re.match(r"^(?:[|\-–—:•·]+|at|on|via|from)\s+(.{2,60})$", rest, re.IGNORECASE)
    return m.group(1).strip() if m else None


def is_furniture(line: str, repeated: Counter, params: BoilerplateParams = DEFAULT_PARAMS) -> bool:
    """True when the stripped ``line`` is boilerplate whatever the title: a shipped pattern or a repeated line."""
    if len(line.split()) <= params.pattern_max_words and pattern_category(line):
        return True
    return line_key(line) in repeated


def line_reason(
    line: str, line_no: int, title: str, repeated: Counter, params: BoilerplateParams = DEFAULT_PARAMS
) -> tuple[str | None, str | None]:
    """Why the stripped ``line`` (1-based ``line_no``) is boilerplate, or None; and the site a site header names."""
    site = site_header(line, title)
    if site and line_no <= params.site_header_lines:
        return "site header (title + site name)", site
    if len(line.split()) <= params.pattern_max_words:
        category = pattern_category(line)
        if category:
            return f"pattern: {category}", None
    key = line_key(line)
    if key in repeated:
        return f"repeated in {repeated[key]} documents", None
    return None, None
