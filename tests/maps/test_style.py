"""Colours shared by the layers: every donor that gets a colour gets its own."""

from __future__ import annotations

from atlas.maps.style import DONOR_COLOURS, QUALITATIVE, donor_palette
from atlas.query import donor_ids, donor_ranking, flow_book
from atlas.snapshot import Snapshot, build_snapshot
from atlas.synth import synthesize


def test_few_donors_each_get_a_colour_by_id_order() -> None:
    palette = donor_palette(["b", "eu", "c"])
    assert palette == {"b": QUALITATIVE[0], "c": QUALITATIVE[1], "eu": DONOR_COLOURS["eu"]}


def test_the_bundled_donors_all_have_distinct_colours(snap: Snapshot) -> None:
    palette = donor_palette(donor_ranking(snap))
    assert set(palette) == set(donor_ids(snap))
    assert palette["eu"] == "#003399"
    assert len(set(palette.values())) == len(palette)


def test_with_many_donors_the_largest_get_distinct_colours_and_the_rest_none() -> None:
    snap = build_snapshot(synthesize(3000, seed=1), "generated-1")
    ranked = donor_ranking(snap)
    assert len(ranked) > len(QUALITATIVE) + 1
    palette = donor_palette(ranked)
    assert len(set(palette.values())) == len(palette) == len(QUALITATIVE)
    # The EU keeps its own blue wherever it ranks; the other colours go to the largest others.
    others = [d for d in ranked if d != "eu"]
    assert "eu" in palette
    assert [d for d in others if d in palette] == others[:len(QUALITATIVE) - 1]
    # The ranking is by money given, largest first.
    book_given = dict.fromkeys(ranked, 0.0)
    for flows in flow_book(snap, "EUR").flows.values():
        for f in flows:
            if f.from_org_id in book_given:
                book_given[f.from_org_id] += f.figure.value or 0.0
    values = [book_given[d] for d in ranked]
    assert values == sorted(values, reverse=True)
