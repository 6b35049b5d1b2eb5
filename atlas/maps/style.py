"""Colours, class breaks and marker sizes shared by the map layers and their legends."""

from __future__ import annotations

import math
from collections.abc import Sequence

# Sequential blues that stay distinct on a projector (light -> dark), ColorBrewer "Blues".
SEQUENTIAL = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#f2f0eb"  # regions with no matching project
UNCOLOURED = "#888888"  # sites and flows with no donor or goal to colour them by
NOT_STATED = "#e8dcc4"  # regions with projects whose figure is not stated
BORDER = "#6b6b6b"
# Regions a single project works in: light, so donor-coloured markers stand out on it.
CONTEXT_FILL = SEQUENTIAL[1]
# Okabe-Ito: distinguishable with common colour-vision deficiencies.
QUALITATIVE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
               "#000000")
DONOR_COLOURS = {"eu": "#003399"}  # the EU's own blue; others take the qualitative palette


def class_breaks(values: Sequence[float], classes: int = len(SEQUENTIAL)) -> list[float]:
    """Upper bounds of up to ``classes`` classes over the positive values (quantiles)."""
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return []
    unique = sorted(set(positive))
    if len(unique) <= classes:
        return unique
    breaks = []
    for k in range(1, classes + 1):
        index = min(len(positive) - 1, math.ceil(k * len(positive) / classes) - 1)
        breaks.append(positive[index])
    return sorted(set(breaks))


def class_colour(value: float, breaks: Sequence[float]) -> str:
    """Fill colour of a value given the class breaks from ``class_breaks``."""
    if value <= 0 or not breaks:
        return NO_DATA
    palette = SEQUENTIAL[-len(breaks):] if len(breaks) < len(SEQUENTIAL) else SEQUENTIAL
    for colour, upper in zip(palette, breaks, strict=False):
        if value <= upper:
            return colour
    return palette[-1]


def donor_palette(donor_ids: Sequence[str]) -> dict[str, str]:
    """A stable colour per donor id (same donor, same colour, whatever the filters).

    ``donor_ids`` is ranked, largest first (``atlas.query.donor_ranking``). There are only so
    many colours a reader can tell apart: with more donors than that, the largest get one each
    and the rest get none (drawn ``UNCOLOURED``, the legend's "other donors"), never a colour
    another donor already has.
    """
    free = [c for c in QUALITATIVE if c not in DONOR_COLOURS.values()]
    own = [d for d in donor_ids if d in DONOR_COLOURS]
    others = [d for d in donor_ids if d not in DONOR_COLOURS][:len(free) - len(own)]
    # Colours by position in id order, own-coloured donors holding a place too: fewer than
    # ``len(free)`` donors in all, so no two share one.
    return {donor: DONOR_COLOURS.get(donor, free[i])
            for i, donor in enumerate(sorted([*own, *others]))}


MIN_RADIUS, MAX_RADIUS, UNKNOWN_RADIUS = 5.0, 24.0, 6.0


def reach_radius(value: float | None, largest: float) -> float:
    """Marker radius in pixels: area proportional to people reached."""
    if value is None or largest <= 0:
        return UNKNOWN_RADIUS
    return MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(max(value, 0) / largest)
