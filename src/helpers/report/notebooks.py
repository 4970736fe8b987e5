"""The notebooks of a run: their names and order, titles, the question each answers, where they live, and the
parameters each declares."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = [
    "NOTEBOOKS",
    "TITLES",
    "QUESTIONS",
    "READS",
    "STARTS_EARLY",
    "YIELDS_TO",
    "YIELD_NICENESS",
    "reads",
    "may_start",
    "waits_for",
    "notebook_dir",
    "notebook_parameters",
    "declared_parameters",
]

NOTEBOOKS = ["01_tokenise", "02_near_duplicates", "03_timelines", "04_framing"]
TITLES = {
    "01_tokenise": "Corpus and tokens",
    "02_near_duplicates": "Near-duplicates and derivation",
    "03_timelines": "Timelines",
    "04_framing": "Framing",
}
QUESTIONS = {
    "01_tokenise": (
        "What is in the corpus: documents, sources, lengths, skipped inputs, removed boilerplate, distinctive words."
    ),
    "02_near_duplicates": (
        "Which articles are the same story, which copies which, which is the origin, "
        "and what each copy added or dropped."
    ),
    "03_timelines": "When each version appeared, which dates and durations each asserts, and where versions disagree.",
    "04_framing": "How each version frames the event, and how the framing shifts from the original to each copy.",
}
# The notebooks whose tables (and caches) each notebook reads: 03 and 04 need only 01's and 02's, so they can run
# at the same time.
READS = {
    "01_tokenise": (),
    "02_near_duplicates": ("01_tokenise",),
    "03_timelines": ("01_tokenise", "02_near_duplicates"),
    "04_framing": ("01_tokenise", "02_near_duplicates"),
}
# Notebooks that start beside a notebook they read, and what they wait for (``report.wait_for_notebooks``) before
# going on: ``documents`` (the run's documents are cached: 02 needs nothing else of 01) or ``done`` (the notebook has
# ended). 04 starts beside 02 (kernel, imports, documents) and waits for 02 before its token table and framing: with
# both kernels' framing and families in memory at once a 10,000-document run peaked at 5.1 GB.
STARTS_EARLY = {
    "02_near_duplicates": {"01_tokenise": "documents"},
    "04_framing": {"02_near_duplicates": "done"},
}
# A notebook that runs beside a longer one gives it the CPU: its kernel starts at niceness YIELD_NICENESS when the
# other is running. 03 starts when 02 ends, beside 04 (10,000 real documents: 28 CPU s against 04's 58 and 04's
# per-document steps on two processes): the run ends when 04 does, and 03 fills the time 04 leaves a core free.
YIELDS_TO = {"03_timelines": "04_framing"}
YIELD_NICENESS = 10
RUN_PARAMETERS = {"corpus", "run_dir"}  # every notebook takes these; the runner always sets them


def reads(name: str, names: list[str]) -> list[str]:
    """The notebooks of a run of ``names`` (in run order) whose tables ``name`` reads (a notebook not in
    :data:`READS` reads every one before it)."""
    return [n for n in READS.get(name, names[: names.index(name)]) if n in names]


def may_start(name: str, names: list[str], started: set[str], finished: set[str]) -> bool:
    """Whether ``name`` may start now: every notebook it reads has finished, or (:data:`STARTS_EARLY`) has started,
    so that a notebook only ever waits for one that is running."""
    early = STARTS_EARLY.get(name, {})
    return all(n in finished or (n in early and n in started) for n in reads(name, names))


def waits_for(name: str, names: list[str], finished: set[str]) -> list[str]:
    """What ``name``, starting now, waits for: ``notebook:documents`` or ``notebook:done`` for each notebook it
    reads that has not finished (``STORYTRACE_WAITS_FOR``, read by ``report.wait_for_notebooks``)."""
    early = STARTS_EARLY.get(name, {})
    return [f"{n}:{early.get(n, 'done')}" for n in reads(name, names) if n not in finished]


def notebook_dir() -> Path:
    """The folder holding the notebooks: ``notebooks/`` of the checkout."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "notebooks" / f"{NOTEBOOKS[0]}.ipynb").is_file():
            return parent / "notebooks"
    raise FileNotFoundError(
        "notebooks/ folder not found next to the helpers package (install from a checkout, editable)"
    )


def notebook_parameters(nb_path: str | Path) -> dict[str, Any]:
    """Parameters declared in a notebook's ``parameters`` cell, with their defaults."""
    import papermill as pm

    return {name: info["default"] for name, info in pm.inspect_notebook(str(nb_path)).items()}


def declared_parameters(nb_dir: Path, names: list[str], params: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The parameters each of ``names`` declares, after checking that the notebooks exist and that every key of
    ``params`` is a parameter of some notebook (of this run or not: one parameters file serves every subset).
    Raises ValueError naming what is missing or unknown."""
    missing = [n for n in names if not (nb_dir / f"{n}.ipynb").is_file()]
    if missing:
        raise ValueError(f"notebook(s) not found in {nb_dir}: {', '.join(missing)}")
    declared = {name: notebook_parameters(nb_dir / f"{name}.ipynb") for name in names}
    others = [n for n in NOTEBOOKS if n not in declared and (nb_dir / f"{n}.ipynb").is_file()]
    known = set().union(*declared.values(), *(notebook_parameters(nb_dir / f"{n}.ipynb") for n in others))
    unknown = sorted(set(params) - known)
    if unknown:
        takes = ", ".join(sorted(known - RUN_PARAMETERS))
        raise ValueError(f"unknown parameter(s): {', '.join(unknown)}; the notebooks take: {takes}")
    return declared
