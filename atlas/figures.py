"""Figures that remember how well they are known, and sums that do not forget it.

``Figure(3000, "approximate")`` + ``Figure(5400, "exact")`` is ``≈ 8,400``; adding an unknown
makes it "at least"; a sum of nothing but unknowns stays unknown, never 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

from atlas.dataset import is_missing
from atlas.model import Qualifier

# When figures of different qualifiers are summed, the weakest one wins, in this order.
_STRENGTH = {
    Qualifier.EXACT: 0,
    Qualifier.DERIVED: 1,
    Qualifier.AT_MOST: 2,
    Qualifier.APPROXIMATE: 3,
    Qualifier.AT_LEAST: 4,
    Qualifier.UNKNOWN: 5,
}


@dataclass(frozen=True)
class Figure:
    """An amount or count with its qualifier; ``derived`` marks figures we computed."""

    value: float | None
    qualifier: Qualifier = Qualifier.EXACT
    derived: bool = False

    def __post_init__(self) -> None:
        q = Qualifier(self.qualifier)
        object.__setattr__(self, "qualifier", q)
        if q is Qualifier.DERIVED:
            object.__setattr__(self, "derived", True)
        if q is Qualifier.UNKNOWN and self.value is not None:
            object.__setattr__(self, "value", None)
        if q is not Qualifier.UNKNOWN and (self.value is None or math.isnan(self.value)):
            raise ValueError(f"a {q.value} figure needs a value")

    @classmethod
    def unknown(cls) -> Figure:
        return cls(None, Qualifier.UNKNOWN)

    @classmethod
    def of(cls, value: object, qualifier: object, basis: object = "") -> Figure:
        """Build from stored cells (value may be NaN/None for unknowns)."""
        q = Qualifier(str(qualifier)) if qualifier else Qualifier.UNKNOWN
        number = None if is_missing(value) else float(value)  # type: ignore[arg-type]
        if number is None:
            return cls.unknown()
        return cls(number, q, derived=bool(basis) or q is Qualifier.DERIVED)

    @property
    def is_known(self) -> bool:
        return self.qualifier is not Qualifier.UNKNOWN

    def scaled(self, factor: float, *, split: bool = False) -> Figure:
        """This figure times ``factor``; a split share of an exact figure becomes derived."""
        if not self.is_known:
            return self
        assert self.value is not None
        qualifier = self.qualifier
        if split and qualifier is Qualifier.EXACT and factor != 1:
            qualifier = Qualifier.DERIVED
        return replace(self, value=self.value * factor, qualifier=qualifier,
                       derived=self.derived or (split and factor != 1))


def total(figures: Iterable[Figure]) -> Figure:
    """Sum figures honestly: unknowns turn the sum into a lower bound, never into 0."""
    items = list(figures)
    known = [f for f in items if f.is_known]
    if not known:
        return Figure.unknown()
    value = sum(f.value for f in known if f.value is not None)
    weakest = max((f.qualifier for f in items), key=_STRENGTH.__getitem__)
    if weakest is Qualifier.UNKNOWN:
        weakest = Qualifier.AT_LEAST
    elif weakest is Qualifier.AT_MOST and any(f.qualifier is Qualifier.APPROXIMATE for f in known):
        weakest = Qualifier.APPROXIMATE
    return Figure(value, weakest, derived=any(f.derived for f in known))


def format_number(value: float, lang: str = "en", *, decimals: int = 0) -> str:
    """Group thousands the way each language writes them (1,000 / 1 000)."""
    text = f"{value:,.{decimals}f}"
    if lang in ("ru", "kk"):
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


_WORDS = {
    "unknown": {"en": "unknown", "ru": "неизвестно", "kk": "белгісіз"},
    "at_least": {"en": "at least", "ru": "не менее", "kk": "кемінде"},
    "at_most": {"en": "at most", "ru": "не более", "kk": "көп дегенде"},
    "derived": {"en": "derived", "ru": "расчёт", "kk": "есептелген"},
}


def format_figure(
    figure: Figure, lang: str = "en", unit: str = "", *, compact: bool = False
) -> str:
    """Display text that keeps the qualifier: "≈ 3,000", "at least 300" / "300+", "unknown"."""
    if not figure.is_known:
        return _WORDS["unknown"][lang]
    assert figure.value is not None
    decimals = 0 if abs(figure.value) >= 100 or figure.value.is_integer() else 1
    number = format_number(figure.value, lang, decimals=decimals)
    suffix = f" {unit}" if unit else ""
    q = figure.qualifier
    if q is Qualifier.APPROXIMATE:
        text = f"≈ {number}{suffix}"
    elif q is Qualifier.AT_LEAST:
        text = f"{number}+{suffix}" if compact else f"{_WORDS['at_least'][lang]} {number}{suffix}"
    elif q is Qualifier.AT_MOST:
        text = f"≤ {number}{suffix}" if compact else f"{_WORDS['at_most'][lang]} {number}{suffix}"
    else:
        text = f"{number}{suffix}"
    if figure.derived and not compact:
        text += f" ({_WORDS['derived'][lang]})"
    return text


def derived_note(figure: Figure, lang: str = "en") -> str:
    """The word that marks a figure we computed ("derived"), or "" for one stated as such.

    Goes beside a compact figure, which keeps "≈" and "+" but has no room for the word.
    """
    return _WORDS["derived"][lang] if figure.is_known and figure.derived else ""
