"""The budget bar: built from plain data, only known amounts drawn, derived ones hatched."""

from __future__ import annotations

import pytest

from atlas.charts.budget import (
    BUDGET_COLOUR,
    LEGEND_LINE_CHARS,
    Bar,
    bar_figure,
    budget_bars,
    budget_chart,
)
from atlas.figures import Figure
from atlas.model import Qualifier
from atlas.project_detail import REST_COLOUR, BudgetShares, budget_shares
from atlas.snapshot import Snapshot
from tests.maps.conftest import HOSTILE


def test_glocal_bar_is_the_budget_over_its_shares(snap: Snapshot) -> None:
    fig = budget_chart(budget_shares(snap, "glocal", "en", "EUR"), "en")
    assert fig is not None
    assert [(tr.y[0], tr.x[0], tr.marker.pattern.shape) for tr in fig.data] == [
        ("Budget", 428_000, ""),
        ("Covered by", 400_000, ""),
        ("Covered by", 28_000, "/"),  # derived: hatched
    ]
    assert [tr.name.replace("<br>", " ") for tr in fig.data] == [
        "Budget: 428,000 EUR",
        "European Union: 400,000 EUR",
        "Co-financing (funder not named in the source): 28,000 EUR (derived)",
    ]
    assert fig.data[0].marker.color == BUDGET_COLOUR
    assert fig.data[1].marker.color == "#003399"  # the EU's colour on the map too
    assert fig.layout.barmode == "stack" and fig.layout.xaxis.title.text == "EUR"
    assert list(fig.layout.yaxis.categoryarray) == ["Covered by", "Budget"]  # budget on top


def test_bars_follow_the_display_currency(snap: Snapshot) -> None:
    rate = snap.rates.rate("EUR", "KZT", 2024)
    fig = budget_chart(budget_shares(snap, "glocal", "ru", "KZT"), "ru")
    assert fig is not None
    assert [tr.x[0] for tr in fig.data] == pytest.approx(
        [428_000 * rate, 400_000 * rate, 28_000 * rate])
    assert fig.layout.xaxis.title.text == "KZT"
    assert fig.layout.separators == ", "  # 1 000 000 in Russian
    assert fig.data[1].name.replace("\u00a0", " ").startswith("Европейский Союз: ")
    assert "1 EUR = " in fig.data[1].hovertext[0]


@pytest.mark.parametrize("project_id", ["wko-rural-ngo-capacity", "efca-public-spaces"])
def test_unknown_amounts_are_not_drawn(snap: Snapshot, project_id: str) -> None:
    shares = budget_shares(snap, project_id, "en", "EUR")
    assert shares.not_stated and budget_bars(shares, "en") == []
    assert budget_chart(shares, "en") is None  # no chart of 0-length bars


def test_rest_of_a_budget_is_a_hatched_bar() -> None:
    shares = BudgetShares(
        currency="EUR", budget=Figure(100.0), budget_stated="100 EUR", budget_conversion="",
        budget_basis="", shares=(), not_stated=(), rest=Figure(40.0, Qualifier.DERIVED))
    bars = budget_bars(shares, "en")
    assert [(b.value, b.colour, b.derived) for b in bars] == [
        (100.0, BUDGET_COLOUR, False), (40.0, REST_COLOUR, True)]
    assert bars[1].name == "Not covered by the stated shares: 40 EUR (derived)"


def test_figure_from_plain_bars() -> None:
    fig = bar_figure([Bar("A", "a", 10.0, "10"), Bar("B", "b", 5.0, "5", derived=True),
                      Bar("A", "c", 2.0, "2")], axis_title="USD")
    assert [(tr.y[0], tr.x[0]) for tr in fig.data] == [("A", 10.0), ("B", 5.0), ("A", 2.0)]
    assert [tr.marker.pattern.shape for tr in fig.data] == ["", "/", ""]
    assert list(fig.layout.yaxis.categoryarray) == ["B", "A"]
    assert fig.layout.separators == ".,"


def test_data_text_is_escaped() -> None:
    fig = bar_figure([Bar(HOSTILE, HOSTILE, 1.0, HOSTILE, HOSTILE)])
    trace = fig.data[0]
    for text in (trace.name, trace.text[0], trace.hovertext[0], trace.y[0]):
        assert "<script>" not in text and "<img" not in text and "&lt;script&gt;" in text


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("project_id", ["glocal", "eu-tald-east-central"])
def test_legend_lines_are_short_enough_for_a_phone(snap: Snapshot, project_id: str,
                                                   lang: str) -> None:
    # "Софинансирование (источник не назван): 28 000 EUR (расчёт)" ran off a 390 px screen,
    # cut at "(расчё". Broken between words, each line fits; the hover keeps the whole text.
    fig = budget_chart(budget_shares(snap, project_id, lang, "EUR"), lang)
    assert fig is not None
    for trace in fig.data:
        lines = trace.name.split("<br>")
        assert all(len(line) <= LEGEND_LINE_CHARS for line in lines), lines
        if len(lines) > 1:  # the hover holds the whole text on one line
            assert " ".join(lines) in trace.hovertext[0].split("<br>")[0]
    assert any("<br>" in trace.name for trace in fig.data)
    # The amount is never broken across lines.
    assert all("EUR" not in line or any(c.isdigit() for c in line)
               for trace in fig.data for line in trace.name.split("<br>"))
