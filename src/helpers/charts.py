"""What every chart function shares: corpus text in labels is plain text, and a chart gets its own axes.

Chart functions are decorated with :func:`chart`, which draws them with mathtext parsing off ("$2011 ... $5"
in a headline must not be read as mathtext, or crash), without changing any global matplotlib setting.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable)

__all__ = ["chart", "axes", "message"]

PLAIN_TEXT = {"text.parse_math": False}


def chart(func: F) -> F:
    """Decorator: run a chart function with corpus text drawn as plain text (no mathtext).

    Only the settings in ``PLAIN_TEXT`` are set and put back afterwards. (``matplotlib.rc_context`` would put
    back every setting, undoing what the backend itself sets during the first plot: in Jupyter, the inline
    backend turns on interactive mode then, and with it undone no later chart is shown.)
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        import matplotlib

        before = {key: matplotlib.rcParams[key] for key in PLAIN_TEXT}
        matplotlib.rcParams.update(PLAIN_TEXT)
        try:
            return func(*args, **kwargs)
        finally:
            matplotlib.rcParams.update(before)

    return wrapper  # type: ignore[return-value]


def axes(ax=None, figsize: tuple[float, float] = (8, 4)):
    """``ax`` itself, or the axes of a new figure of ``figsize``."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def message(ax, text: str):
    """An empty chart that says why it is empty (plain text, centred); returns ``ax``."""
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, wrap=True)
    ax.set_axis_off()
    return ax
