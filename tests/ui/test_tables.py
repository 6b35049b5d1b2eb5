"""Shared table settings: money cells stay numbers while showing their own texts."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from pandas.io.formats.style import Styler

from atlas.ui.tables import styled_texts


def _shown(styler: Styler) -> list[list[str]]:
    """The text of every body cell, row by row, as a page would show it."""
    lines = styler.to_string(delimiter="|").splitlines()[1:]
    return [line.split("|")[1:] for line in lines]


def test_each_cell_shows_its_own_text() -> None:
    # Equal numbers with different texts ("6 653" and "6 653+"), missing numbers, -inf.
    frame = pd.DataFrame({"gives": [6653.0, 6653.0, math.nan, -math.inf, 6653.0, 10.0],
                          "count": [1, 2, 3, 1, 2, 3]})
    texts = {"gives": ["6 653", "6 653+", "—", "unknown", "6 653", "≈ 10"],
             "count": ["one", "two", "three", "one", "two", "three"]}
    assert _shown(styled_texts(frame, texts)) == [list(row) for row in
                                                  zip(texts["gives"], texts["count"],
                                                      strict=True)]


def test_a_column_is_formatted_in_one_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """A call of Styler.format a cell made a 50-row page of the Organizations list twice as
    slow: a column takes one call, and a cell only when an equal number shows another text."""
    calls = []
    real = Styler.format

    def counted(self: Styler, *args: object, **kwargs: object) -> Styler:
        if kwargs.get("subset") is not None:  # (the Styler's own set-up passes none)
            calls.append(kwargs["subset"])
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Styler, "format", counted)
    rows = 50
    frame = pd.DataFrame({"a": [float(i) for i in range(rows)], "b": [1.0] * rows})
    texts = {"a": [f"{i}" for i in range(rows)],
             "b": ["1"] * (rows - 1) + ["1+"]}
    shown = _shown(styled_texts(frame, texts))
    assert len(calls) == 3  # a column each, and the one "1+" whose number is also "1"
    assert [row[1] for row in shown] == texts["b"]
