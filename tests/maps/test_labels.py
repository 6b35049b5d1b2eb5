"""Site names placed so that none overlaps another: the greedy rule by importance."""

from __future__ import annotations

import itertools
import random

from atlas.maps.labels import (
    PLACEMENT_CODES,
    Box,
    LabelCandidate,
    mercator_px,
    place_labels,
    text_size,
    zoom_placements,
)


def _candidate(x: float, y: float, importance: float, text: str = "Karkaraly",
               radius: float = 6) -> LabelCandidate:
    width, height = text_size(text, 15)
    return LabelCandidate(x, y, radius, width, height, importance)


def _crowd(seed: int, n: int = 14, spread: float = 220) -> list[LabelCandidate]:
    rng = random.Random(seed)
    return [_candidate(rng.uniform(0, spread), rng.uniform(0, spread), rng.uniform(1, 30),
                       "x" * rng.randint(4, 24), rng.uniform(4, 20)) for _ in range(n)]


def test_no_two_placed_names_overlap_in_a_crowd() -> None:
    for seed in range(40):
        candidates = _crowd(seed)
        boxes = [p.box for p in place_labels(candidates) if p is not None]
        assert boxes
        for a, b in itertools.combinations(boxes, 2):
            assert not a.overlaps(b), (seed, a, b)


def test_the_most_important_name_is_always_placed() -> None:
    for seed in range(40):
        candidates = _crowd(seed, spread=60)  # so crowded that most names must be left out
        top = max(range(len(candidates)), key=lambda i: candidates[i].importance)
        placements = place_labels(candidates, Box(0, 0, 60, 60))
        assert placements[top] is not None, seed
        assert sum(p is not None for p in placements) < len(candidates)


def test_sites_far_apart_are_all_named_towards_the_middle() -> None:
    west, east = _candidate(0, 0, 1), _candidate(1000, 0, 2)
    placements = place_labels([west, east])
    assert [p.align if p else None for p in placements] == ["start", "end"]
    assert placements[0] and placements[0].box.left > 0  # right of the western marker
    assert placements[1] and placements[1].box.right < 1000


def test_a_name_does_not_cover_another_site_s_marker() -> None:
    # The second site sits just right of the first: the first's name goes elsewhere.
    first, beside = _candidate(100, 100, 9), _candidate(130, 100, 1, radius=5)
    placed = place_labels([first, beside])[0]
    assert placed is not None
    assert not placed.box.overlaps(Box(125, 95, 135, 105))


def test_names_stay_inside_the_frame_when_they_can() -> None:
    near_edge = _candidate(5, 50, 1)
    placed = place_labels([near_edge], Box(0, 0, 400, 100))[0]
    assert placed is not None and placed.box.inside(Box(0, 0, 400, 100))


def test_zoom_placements_never_overlap_at_any_zoom_step() -> None:
    # GLocal-like: a few sites in one region, close at the country's zoom, apart up close.
    lons, lats = [75.2, 75.3, 75.25, 74.9, 76.0], [49.4, 49.45, 49.3, 49.9, 48.8]
    names = ["Karkaraly", "Egindybulak", "Koyandy", "Karaganda", "Balkhash"]
    radii = [14, 9, 7, 12, 5]
    sets = zoom_placements(lons, lats, radii, names, 15, 3, 12)
    assert len(sets) == 37
    counts = []
    for step, at in enumerate(sets):
        zoom = 3 + step * 0.25
        boxes = []
        for lon, lat, name, p in zip(lons, lats, names, at, strict=True):
            if p is None:
                continue
            x, y = mercator_px(lon, lat, zoom)
            width, height = text_size(name, 15)
            align, baseline = PLACEMENT_CODES[int(p[2])]
            left = x + p[0] - (width if align == "end" else 0)
            top = y + p[1] - {"top": 0, "middle": height / 2, "bottom": height}[baseline]
            boxes.append(Box(left, top, left + width, top + height))
        for a, b in itertools.combinations(boxes, 2):
            assert not a.overlaps(b), zoom
        assert at[0] is not None  # the largest site is always named
        counts.append(len(boxes))
    assert counts[0] < counts[-1] == len(names)  # zooming in makes room for every name
