"""Figures that remember how well they are known, and sums that do not forget it.

``Figure(3000, "approximate")`` + ``Figure(5400, "exact")`` is ``≈ 8,400``; adding an unknown
makes it "at least"; a sum of nothing but unknowns stays unknown, never 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

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
        q = self.qualifier
        if type(q) is not Qualifier:  # a lookup by value costs more than the whole check
            q = Qualifier(q)
            object.__setattr__(self, "qualifier", q)
        if q is Qualifier.DERIVED and not self.derived:
            object.__setattr__(self, "derived", True)
        if q is Qualifier.UNKNOWN:
            if self.value is not None:
                object.__setattr__(self, "value", None)
        elif self.value is None or math.isnan(self.value):
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
        return Figure(self.value * factor, qualifier, self.derived or (split and factor != 1))


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


# Qualifiers by strength: column form of figures stores this position instead of the qualifier.
QUALIFIERS_BY_STRENGTH: tuple[Qualifier, ...] = tuple(sorted(_STRENGTH, key=_STRENGTH.__getitem__))
UNKNOWN_STRENGTH = _STRENGTH[Qualifier.UNKNOWN]
_AT_LEAST_STRENGTH = _STRENGTH[Qualifier.AT_LEAST]
_EXACT_STRENGTH = _STRENGTH[Qualifier.EXACT]
_DERIVED_STRENGTH = _STRENGTH[Qualifier.DERIVED]


def strength(qualifier: Qualifier) -> int:
    """Where ``qualifier`` stands from strongest (exact, 0) to weakest (unknown)."""
    return _STRENGTH[qualifier]


@dataclass(frozen=True)
class FigureColumns:
    """Many figures as three aligned arrays, for whole-column sums of thousands of shares.

    ``value`` is NaN where a figure is unknown; ``strength`` is the qualifier's place in
    ``QUALIFIERS_BY_STRENGTH``; ``derived`` is the figure's derived flag.
    """

    value: np.ndarray
    strength: np.ndarray
    derived: np.ndarray

    def __len__(self) -> int:
        return len(self.value)

    @classmethod
    def of(cls, figures: Iterable[Figure]) -> FigureColumns:
        """The columns of these figures."""
        items = list(figures)
        return cls(
            np.array([np.nan if f.value is None else f.value for f in items], dtype=float),
            np.array([_STRENGTH[f.qualifier] for f in items], dtype=np.int8),
            np.array([f.derived for f in items], dtype=bool),
        )

    def take(self, positions: np.ndarray) -> FigureColumns:
        """The figures at ``positions`` (repeats allowed), in that order."""
        return FigureColumns(self.value[positions], self.strength[positions],
                             self.derived[positions])

    def scaled(self, factors: np.ndarray) -> FigureColumns:
        """Each figure's split share, as ``Figure.scaled(factor, split=True)`` gives it."""
        known = self.strength != UNKNOWN_STRENGTH
        split = known & (factors != 1)
        strength_ = np.where(split & (self.strength == _EXACT_STRENGTH), _DERIVED_STRENGTH,
                             self.strength).astype(np.int8)
        value = np.where(known, self.value * factors, np.nan)
        return FigureColumns(value, strength_, self.derived | split)

    def figures(self) -> list[Figure]:
        """The figures as objects; equal figures share one (they are immutable)."""
        made: dict[tuple[float | None, int, bool], Figure] = {}
        out = []
        for value, s, d in zip(self.value.tolist(), self.strength.tolist(),
                               self.derived.tolist(), strict=True):
            key = (None if s == UNKNOWN_STRENGTH else value, s, d)
            figure = made.get(key)
            if figure is None:
                figure = made[key] = Figure(key[0], QUALIFIERS_BY_STRENGTH[s], derived=d)
            out.append(figure)
        return out


def group_totals(columns: FigureColumns, groups: np.ndarray, n_groups: int) -> FigureColumns:
    """``total`` of the figures in each group (``groups[i]`` in ``range(n_groups)``).

    The same rules as ``total``: known values summed in their order (with Python's ``sum``,
    so the result equals ``total`` to the last bit), the weakest qualifier wins, an unknown
    makes a known sum "at least", a group of unknowns (or an empty one) stays unknown.
    """
    groups = np.asarray(groups, dtype=np.intp)
    known = columns.strength != UNKNOWN_STRENGTH
    order = np.argsort(groups, kind="stable")
    known_order = order[known[order]]
    known_groups = groups[known_order]
    values = columns.value[known_order].tolist()
    bounds = np.searchsorted(known_groups, np.arange(n_groups + 1)).tolist()
    sums = np.array([float(sum(values[a:b])) for a, b in zip(bounds[:-1], bounds[1:],
                                                             strict=True)], dtype=float)
    has_known = np.bincount(known_groups, minlength=n_groups)[:n_groups] > 0
    weakest = np.zeros(n_groups, dtype=np.int8)
    np.maximum.at(weakest, groups, columns.strength)
    weakest[weakest == UNKNOWN_STRENGTH] = _AT_LEAST_STRENGTH
    derived = np.bincount(known_groups[columns.derived[known_order]],
                          minlength=n_groups)[:n_groups] > 0
    return FigureColumns(
        np.where(has_known, sums, np.nan),
        np.where(has_known, weakest, UNKNOWN_STRENGTH).astype(np.int8),
        derived & has_known,
    )


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
