from __future__ import annotations

import pytest

from atlas.figures import Figure, format_figure, total
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
