from __future__ import annotations

import random

import numpy as np
import pytest

from atlas.figures import Figure, FigureColumns, format_figure, group_totals, total
from atlas.model import Qualifier


def test_exact_sum_stays_exact() -> None:
    assert total([Figure(60), Figure(50)]) == Figure(110, Qualifier.EXACT)


def test_approximate_makes_sum_approximate() -> None:
    result = total([Figure(3000, "approximate"), Figure(5400)])
    assert result.value == 8400 and result.qualifier is Qualifier.APPROXIMATE


def test_unknown_is_never_zero() -> None:
    assert total([Figure.unknown(), Figure.unknown()]) == Figure.unknown()
    assert total([]) == Figure.unknown()
    with_unknown = total([Figure(400_000), Figure.unknown()])
    assert with_unknown.value == 400_000 and with_unknown.qualifier is Qualifier.AT_LEAST


def test_at_least_dominates_approximate() -> None:
    result = total([Figure(300, "at_least"), Figure(90, "approximate")])
    assert result.qualifier is Qualifier.AT_LEAST and result.value == 390


def test_derived_is_remembered() -> None:
    result = total([Figure(400_000), Figure(28_000, "derived")])
    assert result.derived and result.qualifier is Qualifier.DERIVED


def test_split_of_exact_figure_is_derived() -> None:
    share = Figure(5400).scaled(1 / 3, split=True)
    assert share.value == pytest.approx(1800) and share.qualifier is Qualifier.DERIVED
    assert Figure(3000, "approximate").scaled(0.5, split=True).qualifier is Qualifier.APPROXIMATE


def test_unknown_figure_cannot_carry_a_value_and_known_needs_one() -> None:
    assert Figure(5, "unknown").value is None
    with pytest.raises(ValueError):
        Figure(None, "exact")


@pytest.mark.parametrize(
    ("figure", "lang", "expected"),
    [
        (Figure(3000, "approximate"), "en", "≈ 3,000"),
        (Figure(300, "at_least"), "en", "at least 300"),
        (Figure(300, "at_least"), "ru", "не менее 300"),
        (Figure(300, "at_least"), "kk", "кемінде 300"),
        (Figure(1_232_570), "ru", "1\u00a0232\u00a0570"),
        (Figure.unknown(), "en", "unknown"),
        (Figure(412_570, "derived"), "en", "412,570 (derived)"),
    ],
)
def test_display_keeps_the_qualifier(figure: Figure, lang: str, expected: str) -> None:
    assert format_figure(figure, lang) == expected


def test_compact_display() -> None:
    assert format_figure(Figure(300, "at_least"), "en", compact=True) == "300+"
    assert format_figure(Figure(400_000), "en", "EUR", compact=True) == "400,000 EUR"


def _random_figures(rng: random.Random, n: int) -> list[Figure]:
    out = []
    for _ in range(n):
        q = rng.choice(list(Qualifier))
        if q is Qualifier.UNKNOWN:
            out.append(Figure(None, q, derived=rng.random() < 0.3))
        else:
            out.append(Figure(rng.choice([0.1, 1 / 3, 7.0, 1e6 / 7, rng.uniform(0, 1e7)]), q,
                              derived=rng.random() < 0.3))
    return out


def test_column_totals_are_total_to_the_last_bit() -> None:
    rng = random.Random(11)
    figures = _random_figures(rng, 2000)
    groups = [rng.randrange(40) for _ in figures]  # some groups stay empty
    got = group_totals(FigureColumns.of(figures), np.array(groups), 45).figures()
    for g in range(45):
        assert got[g] == total(f for f, h in zip(figures, groups, strict=True) if h == g), g
    assert got[44] == Figure.unknown()


def test_column_shares_are_figure_scaled() -> None:
    rng = random.Random(5)
    figures = _random_figures(rng, 500)
    factors = np.array([rng.choice([1.0, 0.5, 1 / 3, 1 / 7]) for _ in figures])
    got = FigureColumns.of(figures).scaled(factors).figures()
    expected = [f.scaled(x, split=True) for f, x in zip(figures, factors.tolist(), strict=True)]
    assert got == expected
