"""storytrace helpers: the logic behind the notebooks, one package per stage.

``corpus`` (load) → ``tokenise`` → ``neardup`` (lexical copies, passages, story families) → ``timeline``
(temporal expressions, events, key dates, conflicts) → ``framing`` → ``report`` (papermill runs, HTML).
Shared: ``text`` (the one text layer), ``charts``, ``show`` (escaped display), ``cluster``/``distributed`` (Dask).
Importing the package changes no global setting.
"""

__version__ = "0.1.0"
