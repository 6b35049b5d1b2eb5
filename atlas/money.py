"""Currency conversion with annual average rates, always through US dollars.

The rate table (``geodata/rates.csv``) gives units of each currency per USD for each year.
A conversion records the rate and source it used, so any shown figure can say where it came
from; an amount whose year has no rate is not converted (no guessing with another year).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from atlas.figures import Figure


class MissingRate(LookupError):
    """No annual rate for this currency and year."""


@dataclass(frozen=True)
class Conversion:
    """An amount converted from one currency to another with a stated rate."""

    original: Figure
    from_currency: str
    to_currency: str
    year: int | None
    rate: float  # units of to_currency per unit of from_currency
    source: str
    converted: Figure


@dataclass(frozen=True)
class RateTable:
    """Annual average rates: units of each currency per US dollar."""

    per_usd: dict[tuple[int, str], float]
    sources: dict[tuple[int, str], str]

    @classmethod
    def from_frame(cls, rates: pd.DataFrame) -> RateTable:
        per_usd = {(int(r.year), str(r.currency)): float(r.per_usd) for r in rates.itertuples()}
        per_usd.update({(year, "USD"): 1.0 for year, _ in list(per_usd)})
        sources = {(int(r.year), str(r.currency)): str(r.source) for r in rates.itertuples()}
        return cls(per_usd, sources)

    def rate(self, from_currency: str, to_currency: str, year: int | None) -> float:
        """Units of ``to_currency`` for one unit of ``from_currency`` in ``year``."""
        if from_currency == to_currency:
            return 1.0
        if year is None:
            raise MissingRate(f"no year given for {from_currency} -> {to_currency}")
        try:
            return self.per_usd[(year, to_currency)] / self.per_usd[(year, from_currency)]
        except KeyError:
            raise MissingRate(f"no {year} rate for {from_currency} -> {to_currency}") from None

    def source(self, from_currency: str, to_currency: str, year: int | None) -> str:
        """The sources behind a rate (both legs through USD)."""
        if from_currency == to_currency or year is None:
            return ""
        legs = [self.sources.get((year, c), "") for c in (from_currency, to_currency) if c != "USD"]
        return "; ".join(dict.fromkeys(s for s in legs if s))

    def convert(self, figure: Figure, from_currency: str, to_currency: str,
                year: int | None) -> Conversion:
        """Convert a figure; raises MissingRate rather than guessing a rate."""
        rate = self.rate(from_currency, to_currency, year)
        return Conversion(
            original=figure,
            from_currency=from_currency,
            to_currency=to_currency,
            year=year,
            rate=rate,
            source=self.source(from_currency, to_currency, year),
            converted=figure.scaled(rate),
        )
