"""Where site names go on a map, so that no two names overlap.

One rule for every map that names sites (the Present page's live map, the PNG and PDF
exports, the slides): the most important site is named first (the larger reach, i.e. the
larger marker), then each next one in the first of a few places around its marker (beside
it, at its corners, above and below it) whose box stays inside the map, overlaps no name
already placed and covers no other marker. A marker drawn over others (sites a few
kilometres apart at the country's zoom) may also be named around the whole stack. A name
with no such place is left out (its site still has its marker and tooltip). Everything is in
screen units (pixels or points, y downwards) for the view the map is drawn at, since overlap
is a matter of the screen, not of the ground.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

# An average glyph is about six tenths of the font size wide (Latin and Cyrillic, regular
# and semibold): 0.60 to 0.64 in the print's DejaVu Sans ("Форт-Шевченко" 0.64); a little
# more keeps the estimate on the safe side. (The live map measures its names in the browser,
# where its bold type runs to 0.75.)
GLYPH_WIDTH_EM = 0.66
LINE_HEIGHT_EM = 1.25
GAP = 3.0  # between a marker's edge and its name

# The anchor is the text's start (left) edge, its end (right) edge or its middle.
Align = Literal["start", "end", "center"]
Baseline = Literal["top", "middle", "bottom"]


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

    def covers(self, x: float, y: float, radius: float) -> bool:
        """True when the box covers part of the circle at (``x``, ``y``) (a marker)."""
        dx = x - max(self.left, min(x, self.right))
        dy = y - max(self.top, min(y, self.bottom))
        return dx * dx + dy * dy < radius * radius

    def union(self, other: Box) -> Box:
        """The smallest box holding both."""
        return Box(min(self.left, other.left), min(self.top, other.top),
                   max(self.right, other.right), max(self.bottom, other.bottom))

    def inside(self, other: Box) -> bool:
        """True when this box lies wholly within ``other``."""
        return (self.left >= other.left and self.right <= other.right
                and self.top >= other.top and self.bottom <= other.bottom)


@dataclass(frozen=True)
class Placement:
    """Where a name goes: its anchor point on screen, which edge of the text sits there
    (``start``: the text runs right of the anchor; ``end``: left of it; ``center``: either
    side of it), the anchor's height in the text (``top``/``middle``/``bottom``) and the box
    it takes."""

    x: float
    y: float
    align: Align
    baseline: Baseline
    box: Box


def text_size(text: str, font_size: float) -> tuple[float, float]:
    """The estimated width and height of one line of ``text`` at ``font_size``."""
    return (len(text) * GLYPH_WIDTH_EM * font_size + 2.0, LINE_HEIGHT_EM * font_size)


def _positions(c: LabelCandidate, towards_left: bool, around: Box) -> list[Placement]:
    """The places tried for one name around ``around`` (its marker's box, or the box of
    the markers stacked with it), best first: beside it on the side facing the middle of
    the map, the other side, its four corners, then above and below it."""
    w, h = c.width, c.height
    shift = {"top": 0.0, "middle": h / 2, "bottom": h}

    def at(x: float, y: float, align: Align, baseline: Baseline) -> Placement:
        left = x - {"start": 0.0, "center": w / 2, "end": w}[align]
        top = y - shift[baseline]
        return Placement(x, y, align, baseline, Box(left, top, left + w, top + h))

    def right(dy: float, baseline: Baseline) -> Placement:
        return at(around.right + GAP, c.y + dy, "start", baseline)

    def left(dy: float, baseline: Baseline) -> Placement:
        return at(around.left - GAP, c.y + dy, "end", baseline)

    beside = [left(0, "middle"), right(0, "middle")]
    if not towards_left:
        beside.reverse()
    lift = c.radius * 0.7
    corners = [right(-lift, "bottom"), right(lift, "top"), left(-lift, "bottom"),
               left(lift, "top")]
    over_under = [at(c.x, around.top - GAP, "center", "bottom"),
                  at(c.x, around.bottom + GAP, "center", "top")]
    return beside + corners + over_under


def _marker_box(c: LabelCandidate) -> Box:
    return Box(c.x - c.radius, c.y - c.radius, c.x + c.radius, c.y + c.radius)


def _stack(i: int, candidates: Sequence[LabelCandidate], markers: Sequence[Box]) -> Box:
    """The box of candidate ``i``'s marker and of every marker drawn over it."""
    c = candidates[i]
    around = markers[i]
    for j, o in enumerate(candidates):
        if j != i and math.hypot(o.x - c.x, o.y - c.y) < o.radius + c.radius:
            around = around.union(markers[j])
    return around


def place_labels(candidates: Sequence[LabelCandidate], frame: Box | None = None,
                 blocked: Sequence[Box] = ()) -> list[Placement | None]:
    """A place for each candidate's name, or None where it would overlap (see the module).

    Greedy by importance (ties keep the given order): no two placed boxes overlap, no box
    covers another site's marker or a ``blocked`` box (the live map's controls: zoom
    buttons, legend, scale), and, with a ``frame``, boxes stay inside it. The places
    around a marker come first; where none is free, the same places around the stack of
    markers it is drawn with. The most important name gets its best free place; like any
    other, it is left out where it has none (laid over other sites' markers, it would
    seem to name them).
    """
    result: list[Placement | None] = [None] * len(candidates)
    if not candidates:
        return result
    order = sorted(range(len(candidates)), key=lambda i: -candidates[i].importance)
    markers = [_marker_box(c) for c in candidates]
    middle = (min(c.x for c in candidates) + max(c.x for c in candidates)) / 2
    placed: list[Box] = list(blocked)
    for i in order:
        c = candidates[i]
        # Names run towards the middle of the group of sites rather than off the map.
        towards_left = c.x > middle
        options = _positions(c, towards_left, markers[i])
        stack = _stack(i, candidates, markers)
        if stack != markers[i]:
            options += _positions(c, towards_left, stack)
        if frame is not None:
            options = [p for p in options if p.box.inside(frame)]
        others = [o for j, o in enumerate(candidates) if j != i]
        free = [p for p in options
                if not any(p.box.overlaps(b) for b in placed)
                and not any(p.box.covers(o.x, o.y, o.radius) for o in others)]
        if free:
            result[i] = free[0]
            placed.append(free[0].box)
    return result


# The same rule in the browser, for the live map, which places the names again whenever it
# moves, at the size it really has on the screen (the map's box is the frame). A line-by-line
# copy of ``place_labels`` and ``_positions``; tests/browser check that both place alike.
# ``atlasPlaceLabels(candidates, frame, blocked)``: candidates as ``{x, y, radius, width,
# height, importance}``, frame ``[left, top, right, bottom]`` or null, blocked a list of such
# boxes; each place is null or ``{x, y, align, baseline, box: [left, top, right, bottom]}``.
PLACE_LABELS_JS = """
function atlasPlaceLabels(candidates, frame, blocked) {
    var GAP = GAP_PX;
    function overlaps(a, b) {
        return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
    }
    function inside(a, b) {
        return a[0] >= b[0] && a[2] <= b[2] && a[1] >= b[1] && a[3] <= b[3];
    }
    function covers(a, x, y, radius) {
        var dx = x - Math.max(a[0], Math.min(x, a[2])),
            dy = y - Math.max(a[1], Math.min(y, a[3]));
        return dx * dx + dy * dy < radius * radius;
    }
    function positions(c, towardsLeft, around) {
        var w = c.width, h = c.height, shift = {top: 0, middle: h / 2, bottom: h};
        function at(x, y, align, baseline) {
            var left = x - {start: 0, center: w / 2, end: w}[align], top = y - shift[baseline];
            return {x: x, y: y, align: align, baseline: baseline,
                    box: [left, top, left + w, top + h]};
        }
        function right(dy, baseline) { return at(around[2] + GAP, c.y + dy, "start", baseline); }
        function left(dy, baseline) { return at(around[0] - GAP, c.y + dy, "end", baseline); }
        var beside = [left(0, "middle"), right(0, "middle")];
        if (!towardsLeft) beside.reverse();
        var lift = c.radius * 0.7;
        return beside.concat(
            [right(-lift, "bottom"), right(lift, "top"), left(-lift, "bottom"),
             left(lift, "top")],
            [at(c.x, around[1] - GAP, "center", "bottom"),
             at(c.x, around[3] + GAP, "center", "top")]);
    }
    function markerBox(c) {
        return [c.x - c.radius, c.y - c.radius, c.x + c.radius, c.y + c.radius];
    }
    var result = candidates.map(function () { return null; });
    if (!candidates.length) return result;
    var order = candidates.map(function (c, i) { return i; });
    order.sort(function (a, b) {
        return candidates[b].importance - candidates[a].importance || a - b;
    });
    var markers = candidates.map(markerBox);
    var xs = candidates.map(function (c) { return c.x; });
    var middle = (Math.min.apply(null, xs) + Math.max.apply(null, xs)) / 2;
    var placed = (blocked || []).slice();
    order.forEach(function (i) {
        var c = candidates[i], towardsLeft = c.x > middle;
        var options = positions(c, towardsLeft, markers[i]);
        var stack = markers[i];
        candidates.forEach(function (o, j) {
            if (j !== i && Math.hypot(o.x - c.x, o.y - c.y) < o.radius + c.radius) {
                stack = [Math.min(stack[0], markers[j][0]), Math.min(stack[1], markers[j][1]),
                         Math.max(stack[2], markers[j][2]), Math.max(stack[3], markers[j][3])];
            }
        });
        if (stack.join() !== markers[i].join()) {
            options = options.concat(positions(c, towardsLeft, stack));
        }
        if (frame) {
            options = options.filter(function (p) { return inside(p.box, frame); });
        }
        var free = options.filter(function (p) {
            return !placed.some(function (b) { return overlaps(p.box, b); })
                && !candidates.some(function (o, j) {
                    return j !== i && covers(p.box, o.x, o.y, o.radius);
                });
        });
        if (free.length) {
            result[i] = free[0];
            placed.push(free[0].box);
        }
    });
    return result;
}
""".replace("GAP_PX", repr(GAP))
