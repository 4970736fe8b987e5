"""helpers.charts: a chart function draws corpus text as plain text and leaves every other setting alone."""

from __future__ import annotations

import matplotlib
import pytest

from helpers.charts import chart


@pytest.fixture
def settings():
    """matplotlib's interactive mode and mathtext setting, put back after the test."""
    saved = matplotlib.is_interactive(), matplotlib.rcParams["text.parse_math"]
    yield
    matplotlib.interactive(saved[0])
    matplotlib.rcParams["text.parse_math"] = saved[1]


def test_chart_parses_no_mathtext_and_keeps_what_the_backend_sets(settings):
    @chart
    def draw():
        assert matplotlib.rcParams["text.parse_math"] is False
        matplotlib.interactive(True)  # what Jupyter's inline backend does when the first figure is made
        return "drawn"

    matplotlib.interactive(False)
    matplotlib.rcParams["text.parse_math"] = True
    assert draw() == "drawn"
    assert matplotlib.rcParams["text.parse_math"] is True  # put back
    assert matplotlib.is_interactive()  # not undone: otherwise no chart after the first is shown in Jupyter


def test_chart_puts_the_setting_back_after_an_error(settings):
    @chart
    def broken():
        raise RuntimeError("bad data")

    matplotlib.rcParams["text.parse_math"] = True
    with pytest.raises(RuntimeError, match="bad data"):
        broken()
    assert matplotlib.rcParams["text.parse_math"] is True
