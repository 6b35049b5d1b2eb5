"""Site names placed so that none overlaps another: the greedy rule by importance."""

from __future__ import annotations

import itertools
import math
import random

from atlas.maps.labels import Box, LabelCandidate, place_labels, text_size


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


def test_the_most_important_name_chooses_first() -> None:
    # Two sites one above the other want the same place right of their markers: the one
    # that reaches more people gets it, the other goes elsewhere.
    lesser, greater = _candidate(100, 100, 1, radius=3), _candidate(100, 112, 2, radius=3)
    placed_lesser, placed_greater = place_labels([lesser, greater])
    assert placed_greater is not None and (placed_greater.align, placed_greater.baseline) == (
        "start", "middle")
    assert placed_lesser is not None and not placed_lesser.box.overlaps(placed_greater.box)


def test_no_name_lies_over_another_site_s_marker_not_even_the_first() -> None:
    # A site ringed by others: any place for its name covers one of their markers. Laid
    # there, the name would seem to name that site; it is left out (its tooltip stays).
    ring = [_candidate(100 + 30 * math.cos(a * math.pi / 8), 100 + 30 * math.sin(a * math.pi / 8),
                       1, "x", radius=10) for a in range(16)]
    placements = place_labels([_candidate(100, 100, 9), *ring])
    assert placements[0] is None


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


def test_a_name_with_no_room_beside_its_marker_goes_above_or_below() -> None:
    # The map's edge is just right of the site and another marker just left of it: the
    # name was left out; it has room above and below.
    frame = Box(0, 0, 320, 200)
    site, neighbour = _candidate(250, 100, 9, "Belousovka"), _candidate(225, 100, 1)
    placed = place_labels([site, neighbour], frame)[0]
    assert placed is not None and placed.align == "center"
    assert placed.box.inside(frame)
    assert placed.box.bottom <= 100 - 6 or placed.box.top >= 100 + 6


def test_a_marker_drawn_over_another_is_named_beside_the_stack() -> None:
    # East Kazakhstan at the laptop's zoom: Belousovka's marker lies under Glubokoe's, ten
    # pixels apart; Pervomaisky sits above them. Every name is placed, none over a marker.
    frame = Box(0, 0, 500, 300)
    sites = [_candidate(400, 110, 23, "Pervomaisky rural district +1", radius=23),
             _candidate(418, 145, 23, "Glubokoe township +1", radius=23),
             _candidate(428, 145, 18, "Belousovka township", radius=18)]
    placements = place_labels(sites, frame)
    assert all(p is not None for p in placements), placements
    for i, p in enumerate(placements):
        assert p is not None and p.box.inside(frame)
        for j, other in enumerate(sites):
            assert i == j or not p.box.covers(other.x, other.y, other.radius), (i, j)
    boxes = [p.box for p in placements if p is not None]
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)


def test_a_name_may_pass_the_corner_of_a_marker_s_box_but_not_the_marker() -> None:
    box = Box(0, 0, 10, 10)
    assert not box.covers(16, 16, 8)  # the circle's box overlaps the corner, the circle not
    assert box.covers(16, 5, 8)


def test_no_name_goes_under_a_map_control() -> None:
    # The folded legend sits at the map's top left: on a phone it hid "Баутино" beside it.
    legend = Box(10, 80, 150, 100)
    site = _candidate(60, 105, 9, "Bautino")
    free = place_labels([site])[0]
    assert free is not None and free.box.overlaps(legend)  # its best place, were it free
    placed = place_labels([site], blocked=[legend])[0]
    assert placed is not None and not placed.box.overlaps(legend)
