"""Where site names go on a map, so that no two names overlap.

One rule for every map that names sites (the Present page's live map, the PNG and PDF
exports, the slides): the most important site is named first (the larger reach, i.e. the
larger marker), then each next one in the first of a few places beside its marker whose box
overlaps no name already placed and no other marker; a name with no such place is left out
(its site still has its marker and tooltip). Everything is in screen units (pixels or
points, y downwards) for the view the map is drawn at, since overlap is a matter of the
screen, not of the ground.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

# An average glyph is about six tenths of the font size wide (Latin and Cyrillic, regular
# and semibold); a little more keeps the estimate on the safe side.
GLYPH_WIDTH_EM = 0.62
LINE_HEIGHT_EM = 1.25
GAP = 3.0  # between a marker's edge and its name

Align = Literal["start", "end"]  # the anchor is the text's start (left) or end (right) edge


@dataclass(frozen=True)
class LabelCandidate:
    """A site to name: its marker's centre and radius on screen, the name's box size, and
    how much it matters (larger first)."""

    x: float
    y: float
    radius: float
    width: float
    height: float
    importance: float


@dataclass(frozen=True)
class Box:
    """An axis-aligned box on screen (y downwards)."""

    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        """True when the two boxes share more than an edge."""
        return (self.left < other.right and other.left < self.right
                and self.top < other.bottom and other.top < self.bottom)

    def inside(self, other: Box) -> bool:
        """True when this box lies wholly within ``other``."""
        return (self.left >= other.left and self.right <= other.right
                and self.top >= other.top and self.bottom <= other.bottom)


@dataclass(frozen=True)
class Placement:
    """Where a name goes: its anchor point on screen, which edge of the text sits there
    (``start``: the text runs right of the anchor; ``end``: left of it), the anchor's
    height in the text (``top``/``middle``/``bottom``) and the box it takes."""

    x: float
    y: float
    align: Align
    baseline: Literal["top", "middle", "bottom"]
    box: Box


def text_size(text: str, font_size: float) -> tuple[float, float]:
    """The estimated width and height of one line of ``text`` at ``font_size``."""
    return (len(text) * GLYPH_WIDTH_EM * font_size + 2.0, LINE_HEIGHT_EM * font_size)


def _positions(c: LabelCandidate, towards_left: bool) -> list[Placement]:
    """The places tried for one name, best first: beside the marker on the side facing the
    middle of the map, the other side, then above and below on either side."""
    gap = c.radius + GAP
    w, h = c.width, c.height

    def right(dy: float, baseline: Literal["top", "middle", "bottom"]) -> Placement:
        top = c.y + dy - {"top": 0.0, "middle": h / 2, "bottom": h}[baseline]
        return Placement(c.x + gap, c.y + dy, "start", baseline,
                         Box(c.x + gap, top, c.x + gap + w, top + h))

    def left(dy: float, baseline: Literal["top", "middle", "bottom"]) -> Placement:
        top = c.y + dy - {"top": 0.0, "middle": h / 2, "bottom": h}[baseline]
        return Placement(c.x - gap, c.y + dy, "end", baseline,
                         Box(c.x - gap - w, top, c.x - gap, top + h))

    beside = [left(0, "middle"), right(0, "middle")]
    if not towards_left:
        beside.reverse()
    lift = c.radius * 0.7
    corners = [right(-lift, "bottom"), right(lift, "top"), left(-lift, "bottom"),
               left(lift, "top")]
    return beside + corners


def _marker_box(c: LabelCandidate) -> Box:
    return Box(c.x - c.radius, c.y - c.radius, c.x + c.radius, c.y + c.radius)


def place_labels(candidates: Sequence[LabelCandidate],
                 frame: Box | None = None) -> list[Placement | None]:
    """A place for each candidate's name, or None where it would overlap (see the module).

    Greedy by importance (ties keep the given order): no two placed boxes overlap, no box
    covers another site's marker, and, with a ``frame``, boxes stay inside it. The most
    important name is always placed (in its best place inside the frame, else its first).
    """
    result: list[Placement | None] = [None] * len(candidates)
    if not candidates:
        return result
    order = sorted(range(len(candidates)), key=lambda i: -candidates[i].importance)
    markers = [_marker_box(c) for c in candidates]
    middle = (min(c.x for c in candidates) + max(c.x for c in candidates)) / 2
    placed: list[Box] = []
    for rank, i in enumerate(order):
        c = candidates[i]
        # Names run towards the middle of the group of sites rather than off the map.
        options = _positions(c, towards_left=c.x > middle)
        if frame is not None:
            options = [p for p in options if p.box.inside(frame)] or \
                (options[:1] if rank == 0 else [])
        others = [m for j, m in enumerate(markers) if j != i]
        free = [o for o in options if not any(o.box.overlaps(b) for b in (*placed, *others))]
        # The first name has nothing to give way to but markers: it goes in its best place.
        chosen = free[0] if free else options[0] if rank == 0 else None
        if chosen is not None:
            result[i] = chosen
            placed.append(chosen.box)
    return result


# Web Mercator at Leaflet's scale: the world is 256 × 2^zoom pixels wide.
_TILE = 256.0


def mercator_px(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """A point's position in Leaflet's pixel space at ``zoom`` (y downwards)."""
    scale = _TILE * 2 ** zoom
    x = (lon + 180.0) / 360.0 * scale
    lat = max(-85.05, min(85.05, lat))
    s = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale
    return x, y


# The live map's zoom steps (Leaflet's zoomSnap) and range: a set of places for each step,
# so the names shown never overlap at whatever zoom the map is at.
ZOOM_STEP = 0.25
# How a placement is sent to the browser: one small code for its align and baseline.
PLACEMENT_CODES: tuple[tuple[Align, str], ...] = tuple(
    (align, baseline) for align in ("start", "end") for baseline in ("top", "middle", "bottom"))


def zoom_placements(lons: Sequence[float], lats: Sequence[float], radii: Sequence[float],
                    names: Sequence[str], font_px: float, min_zoom: float,
                    max_zoom: float) -> list[list[list[float] | None]]:
    """For each zoom step from ``min_zoom`` to ``max_zoom``: each site's name offset from
    its marker as ``[dx, dy, code]`` (pixels; ``code`` indexes ``PLACEMENT_CODES``), or None
    where the name is left out at that zoom. Importance is the marker's radius (reach)."""
    steps = int(round((max_zoom - min_zoom) / ZOOM_STEP)) + 1
    sizes = [text_size(name, font_px) for name in names]
    result = []
    for step in range(steps):
        zoom = min_zoom + step * ZOOM_STEP
        xy = [mercator_px(lon, lat, zoom) for lon, lat in zip(lons, lats, strict=True)]
        candidates = [LabelCandidate(x, y, r, w, h, r) for (x, y), r, (w, h)
                      in zip(xy, radii, sizes, strict=True)]
        at: list[list[float] | None] = []
        for c, p in zip(candidates, place_labels(candidates), strict=True):
            at.append(None if p is None else [round(p.x - c.x, 1), round(p.y - c.y, 1),
                                              PLACEMENT_CODES.index((p.align, p.baseline))])
        result.append(at)
    return result
