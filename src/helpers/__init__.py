"""storytrace helpers: the logic behind the notebooks (corpus, tokenise, neardup, timex, timeline, framing,
distributed, report, show)."""

__version__ = "0.1.0"


def _plain_text_charts() -> None:
    """Corpus text ends up in chart labels; "$2011 ... $5" must not be parsed as mathtext (or crash)."""
    try:
        import matplotlib
    except ImportError:  # pragma: no cover
        return
    matplotlib.rcParams["text.parse_math"] = False


_plain_text_charts()
