"""Currency conversion with annual average rates, always through US dollars.

The rate table (``geodata/rates.csv``) gives units of each currency per USD for each year.
A conversion records the rate and source it used, so any shown figure can say where it came
from; an amount whose year has no rate is not converted (no guessing with another year).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from atlas.figures import Figure, format_figure
from atlas.i18n import t


class MissingRate(LookupError):
    """No annual rate for this currency and year."""


@dataclass(frozen=True)
class Conversion:
    """An amount converted from one currency to another with a stated rate."""

    original: Figure
    from_currency: str
    to_currency: str
    year: int | None
    rate: float | None  # units of to_currency per unit of from_currency; None: no rate
    source: str
    converted: Figure  # unknown when there is no rate: never a guess

    @property
    def has_rate(self) -> bool:
        return self.rate is not None

    @property
    def changed_currency(self) -> bool:
        return self.from_currency != self.to_currency


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

    def try_convert(self, figure: Figure, from_currency: str, to_currency: str,
                    year: int | None) -> Conversion:
        """Like ``convert``, but a missing rate gives an unknown figure with ``rate=None``."""
        if not figure.is_known or not from_currency:
            return Conversion(figure, from_currency, to_currency, year, None, "",
                              Figure.unknown())
        try:
            return self.convert(figure, from_currency, to_currency, year)
        except MissingRate:
            return Conversion(figure, from_currency, to_currency, year, None, "",
                              Figure.unknown())


def _rate_text(c: Conversion, lang: str) -> str:
    """ "1 EUR = 367.515 KZT (rate: ECB)" for a conversion that has a rate."""
    number = f"{c.rate:.6g}"
    if lang in ("ru", "kk"):
        number = number.replace(".", ",")
    text = f"1 {c.from_currency} = {number} {c.to_currency}"
    return f"{text} ({t('rate_source', lang)}: {c.source})" if c.source else text


def rate_note(c: Conversion, lang: str = "en") -> str:
    """The year, rate and source of a conversion: "2017: 1 EUR = 367.515 KZT (rate: ECB)"."""
    year = c.year if c.year is not None else t("no_year", lang)
    if c.rate is None:
        return f"{year}: {t('no_rate', lang)}"
    return f"{year}: {_rate_text(c, lang)}"


def describe_conversion(c: Conversion, lang: str = "en") -> str:
    """One line saying how a figure was converted: original, year, result, rate and source.

    "400,000 EUR (2024) → 203,002,182 KZT; 1 EUR = 507.505 KZT (rate: ...)", or that its
    year has no rate.
    """
    original = format_figure(c.original, lang, c.from_currency)
    if not c.changed_currency or not c.original.is_known:
        return original
    year = c.year if c.year is not None else t("no_year", lang)
    if c.rate is None:
        return f"{original} ({year}): {t('no_rate', lang)}"
    converted = format_figure(c.converted, lang, c.to_currency)
    return f"{original} ({year}) → {converted}; {_rate_text(c, lang)}"
