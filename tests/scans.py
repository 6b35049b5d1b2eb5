"""A probe for tests: counts comparisons of long columns while a view runs."""

from __future__ import annotations

import pandas as pd
import pytest


class ColumnScans:
    """Counts comparisons of long columns (``frame[col] == value``, ``min_rows`` rows or more)
    while active.

    A view that compares a whole column with each project's id in turn is quadratic in the
    number of projects; the query layer reads per-project rows from indexes instead.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch, min_rows: int = 80) -> None:
        self.count = 0
        real = pd.Series.__eq__

        def counting(series: pd.Series, other: object) -> object:
            if len(series) >= min_rows:
                self.count += 1
            return real(series, other)

        monkeypatch.setattr(pd.Series, "__eq__", counting)
