"""A project's budget and who covers which part of it, as a horizontal plotly bar.

``bar_figure`` draws plain ``Bar`` data; ``budget_bars`` turns ``BudgetShares`` into bars.
Only known amounts become bars: a share whose amount is not stated is listed by the page,
never drawn as a 0-length bar. Derived amounts are hatched and say "(derived)".
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import plotly.graph_objects as go

from atlas.figures import format_figure
from atlas.i18n import t
from atlas.project_detail import REST_COLOUR, BudgetShares

BUDGET_COLOUR = "#b9c4cf"
# A legend entry is broken into lines of at most this many characters, between words: a
# phone's screen (390 px) cut one longer line off at its edge ("… 28 000 EUR (расчё").
LEGEND_LINE_CHARS = 40
LEGEND_LINE_PX = 16  # the height a legend line adds to the chart


@dataclass(frozen=True)
class Bar:
    """One bar segment: its row (bars of a row stack), amount and how it is labelled."""

    row: str
    name: str  # legend entry: who, with the amount and its qualifier
    value: float
    text: str  # shown inside the bar where it fits
    hover: str = ""
    colour: str = "#888888"
    derived: bool = False


def _plain(text: str) -> str:
    """Data text for plotly, which reads a few HTML tags in labels: escaped, lines broken."""
    return escape(text).replace("; ", ";<br>")


def legend_lines(text: str) -> list[str]:
    """A legend entry's lines: broken between words (never inside "28 000 EUR", whose
    spaces are no-break spaces), each at most ``LEGEND_LINE_CHARS`` where words allow."""
    return textwrap.wrap(text, LEGEND_LINE_CHARS, break_long_words=False,
                         break_on_hyphens=False) or [text]


def bar_figure(bars: Sequence[Bar], *, axis_title: str = "", lang: str = "en") -> go.Figure:
    """Horizontal stacked bars, rows top to bottom and segments left to right as given.

    The legend lists each segment below the bars, its text broken into short lines; the
    whole text is also in the segment's hover."""
    fig = go.Figure()
    rows = list(dict.fromkeys(b.row for b in bars))
    extra_lines = 0
    for bar in bars:
        lines = legend_lines(bar.name)
        extra_lines += len(lines) - 1
        fig.add_trace(go.Bar(
            x=[bar.value], y=[escape(bar.row)], orientation="h",
            name="<br>".join(escape(line) for line in lines),
            text=[escape(bar.text)], textposition="inside", insidetextanchor="middle",
            hovertext=[_plain(bar.hover or bar.name)], hoverinfo="text",
            marker={
                "color": bar.colour,
                "line": {"color": "#ffffff", "width": 1},
                # Overlay: hatching drawn over the bar's own colour, not instead of it.
                "pattern": {"shape": "/" if bar.derived else "", "fillmode": "overlay",
                            "solidity": 0.3, "fgcolor": "rgba(255,255,255,0.75)"},
            },
        ))
    fig.update_layout(
        barmode="stack",
        height=110 + 46 * len(rows) + 24 * len(bars) + LEGEND_LINE_PX * extra_lines,
        margin={"l": 8, "r": 16, "t": 8, "b": 8},
        xaxis={"title": {"text": escape(axis_title)}, "rangemode": "tozero",
               "tickformat": ",.0f", "nticks": 6},
        yaxis={"categoryorder": "array", "categoryarray": [escape(r) for r in rows[::-1]],
               "automargin": True},
        legend={"orientation": "h", "yanchor": "top", "y": -0.35, "x": 0,
                "traceorder": "normal"},
        uniformtext={"mode": "hide", "minsize": 11},
        # Thousands as each language writes them: 1,000 / 1 000.
        separators=", " if lang in ("ru", "kk") else ".,",
    )
    return fig


def budget_bars(shares: BudgetShares, lang: str) -> list[Bar]:
    """The budget (top row) and the known shares covering it (second row), as bars."""
    currency = shares.currency
    budget_row = t("projects_bar_budget", lang)
    shares_row = t("projects_bar_shares", lang)
    bars = []
    if shares.budget.is_known and shares.budget.value is not None:
        amount = format_figure(shares.budget, lang, currency)
        bars.append(Bar(budget_row, f"{budget_row}: {amount}", shares.budget.value,
                        format_figure(shares.budget, lang, currency, compact=True),
                        shares.budget_conversion or amount, BUDGET_COLOUR,
                        shares.budget.derived))
    for s in shares.shares:
        if s.figure.value is None:  # not drawn: the page lists it as not stated
            continue
        amount = format_figure(s.figure, lang, currency)
        hover = "; ".join(x for x in (f"{s.name}: {amount}", s.kind, s.conversion, s.basis)
                          if x)
        bars.append(Bar(shares_row, f"{s.name}: {amount}", s.figure.value,
                        format_figure(s.figure, lang, currency, compact=True), hover, s.colour,
                        s.figure.derived))
    if shares.rest is not None and shares.rest.value is not None:
        label = t("projects_budget_rest", lang)
        amount = format_figure(shares.rest, lang, currency)
        bars.append(Bar(shares_row, f"{label}: {amount}", shares.rest.value,
                        format_figure(shares.rest, lang, currency, compact=True),
                        f"{label}: {amount}", REST_COLOUR, True))
    return bars


def budget_chart(shares: BudgetShares, lang: str) -> go.Figure | None:
    """The budget bar of a project, or None when no amount is known to draw."""
    bars = budget_bars(shares, lang)
    return bar_figure(bars, axis_title=shares.currency, lang=lang) if bars else None
