"""Run the notebooks headlessly and render the run folder: HTML reports, ``index.html``, ``manifest.json``.

A run folder looks like::

    reports/NAME/
      index.html            findings first (families, added content, dates, conflicts, framing), then the run
      manifest.json         parameters, versions, input checksum, status and time of each notebook and step
      01_tokenise.html ...  each notebook rendered without code cells
      notebooks/*.ipynb     the executed notebooks (partial output kept when one fails)
      tables/*.csv          every table the notebooks wrote
      cache/*.parquet       documents, tokens and sentences made once per run (data only: never pickle)

Every page is self-contained and offline: no script runs in it (a Content-Security-Policy forbids all
scripts), images are embedded, and corpus text is escaped before it reaches HTML.

Modules: ``notebooks`` (which notebooks, their parameters, which may run at the same time), ``tables`` (a run's
CSV tables), ``cache`` (the documents, tokens and sentences of a run, as Parquet), ``checksum`` (the input's
SHA-256), ``execute`` (one notebook through papermill: encrypted kernel channel, step progress, step times), ``run``
(the notebooks in order, 04 beside 02 and then 03 with ``jobs=2``; manifest), ``waiting`` (a notebook started beside
one it reads waits for it), ``render`` (nbconvert without code,
CSP), ``findings`` (the front page's findings from the tables) and ``index`` (``index.html``).
"""

from .cache import cached_table, documents_key, load_documents, load_sentences, load_tokens
from .checksum import corpus_checksum
from .index import write_index
from .notebooks import NOTEBOOKS, QUESTIONS, TITLES, notebook_dir, notebook_parameters
from .render import CSP, render_html
from .run import NotebookResult, run_pipeline
from .tables import append_failures, read_table, write_table
from .waiting import wait_for_notebooks

__all__ = [
    "NOTEBOOKS",
    "TITLES",
    "QUESTIONS",
    "notebook_dir",
    "write_table",
    "read_table",
    "append_failures",
    "load_documents",
    "load_tokens",
    "load_sentences",
    "cached_table",
    "documents_key",
    "corpus_checksum",
    "notebook_parameters",
    "render_html",
    "run_pipeline",
    "write_index",
    "NotebookResult",
    "CSP",
    "wait_for_notebooks",
]
