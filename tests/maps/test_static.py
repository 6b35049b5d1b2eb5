"""The map drawn with matplotlib: PNG and PDF pages with the right size, words and regions."""

from __future__ import annotations

import io
import warnings
from datetime import date

import pytest
from PIL import Image
from pypdf import PdfReader

from atlas.maps import style
from atlas.maps.explorer import MapOptions, map_layers
from atlas.maps.static import _view_box, map_pdf, map_png, page_text, sources_line
from atlas.query import Filters
from atlas.snapshot import Snapshot

EU = Filters(donors=("eu",))
TODAY = date(2026, 12, 2)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def test_png_is_wide_enough_and_draws_the_regions(snap: Snapshot) -> None:
    png = map_png(snap, Filters(), MapOptions(), today=TODAY)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.width >= 3000 and image.width / image.height == pytest.approx(16 / 9, 0.01)
    colours = dict((c, n) for n, c in image.getcolors(maxcolors=1 << 20) or [])
    # Regions without projects, and every class of the funding scale, fill real areas.
    assert colours.get(_rgb(style.NO_DATA), 0) > 100_000
    for fill in style.SEQUENTIAL:
        assert colours.get(_rgb(fill), 0) > 2_000, fill


def test_png_width_is_chosen(snap: Snapshot) -> None:
    png = map_png(snap, EU, MapOptions(), width_px=4000, today=TODAY)
    assert Image.open(io.BytesIO(png)).width == 4000


def test_pdf_is_one_page_with_title_figures_filters_date_and_sources(snap: Snapshot) -> None:
    pdf = map_pdf(snap, EU, MapOptions(flows=True), today=TODAY)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    for words in ("Kazakhstan Project Atlas", "1,232,570 EUR (derived)", "Projects: 3",
                  "Sites: 19", "at least 3,000", "Donor: European Union", "2026-12-02",
                  "Sources:", "Optimism, 2020",
                  "Money flows", "Legend"):
        assert words in text, words
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (float(width), float(height)) == (16 * 72, 9 * 72)


def test_kazakh_and_russian_pages_have_every_glyph(snap: Snapshot) -> None:
    for lang in ("kk", "ru"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            pdf = map_pdf(snap, EU, MapOptions(lang=lang, currency="KZT"), today=TODAY)
        assert not [w for w in caught if "missing from" in str(w.message)], lang
        text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        assert ("Қазақстан жобалар атласы" if lang == "kk" else "Атлас проектов Казахстана") \
            in text


def test_page_text_keeps_unknown_and_qualifiers(snap: Snapshot) -> None:
    words = page_text(snap, Filters(projects=("wko-rural-ngo-capacity",)),
                      MapOptions(currency="KZT"), today=TODAY)
    assert "at least 2,850,000 KZT (derived)" in words.figures
    assert "People reached: unknown" in words.figures
    assert words.sources.startswith("Sources: Zhaik Press, 2019-10-01")


def test_sources_line_names_each_document_once(snap: Snapshot) -> None:
    from atlas.cards import view_sources

    line = sources_line(view_sources(snap, ["glocal", "glocal"]), "en")
    assert line == "Sources: Civil Society Development Association ARGO, 2024-06"


def test_view_box_holds_the_bounds_at_the_axes_shape(snap: Snapshot) -> None:
    layers = map_layers(snap, EU, MapOptions())
    whole = _view_box(layers, None, 16 / 9)
    zoomed = _view_box(layers, (50.0, 43.0, 52.0, 45.0), 16 / 9)
    for x0, y0, x1, y1 in (whole, zoomed):
        assert (x1 - x0) / (y1 - y0) == pytest.approx(16 / 9)
    assert zoomed[2] - zoomed[0] < (whole[2] - whole[0]) / 5


def test_many_sites_are_one_collection_without_names_and_the_legend_says_why() -> None:
    from matplotlib.collections import PathCollection
    from matplotlib.figure import Figure as MplFigure

    from atlas.maps.static import MAX_SITE_ARTISTS, draw_map, print_legend
    from atlas.snapshot import build_snapshot
    from atlas.synth import synthesize

    many = build_snapshot(synthesize(300, seed=3), "many")
    layers = map_layers(many, Filters(), MapOptions(lang="kk"))
    assert len(layers.points) > MAX_SITE_ARTISTS
    fig = MplFigure(figsize=(8, 5))
    ax = fig.add_axes((0, 0, 1, 1))
    draw_map(ax, layers, "kk")
    sites = [c for c in ax.collections if isinstance(c, PathCollection) and c.get_zorder() == 5]
    assert len(sites) == 1 and len(sites[0].get_offsets()) == len(layers.points)
    names = set(layers.points["label"])
    assert not any(text.get_text() in names for text in ax.texts)
    note = print_legend(layers, "kk")[-1].note
    assert "нүктелермен" in note and "14" in note


def test_a_whole_region_is_hatched_inside_a_dashed_outline() -> None:
    from atlas.maps.areas import AREA_COLOUR
    from atlas.maps.static import map_page
    from tests.pointless import pointless_snapshot

    fig = map_page(pointless_snapshot(), Filters(), MapOptions())
    map_ax = fig.axes[0]
    hatched = [c for c in map_ax.collections if c.get_hatch() == "//"]
    assert len(hatched) == 1
    (edge,) = {tuple(round(x, 3) for x in rgba) for rgba in hatched[0].get_edgecolor()}
    assert edge[:3] == tuple(round(int(AREA_COLOUR[i:i + 2], 16) / 255, 3) for i in (1, 3, 5))
    legend = " ".join(t.get_text() for t in fig.axes[1].texts)
    assert "Projects nationwide: 1" in legend


def test_site_names_in_print_are_placed_by_the_collision_rule(
        snap: Snapshot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The PNG names sites where ``place_labels`` says, and none where it leaves a name out."""
    from atlas.maps import labels, static

    calls: list[int] = []

    def left_out_but_the_first(candidates, frame=None):  # type: ignore[no-untyped-def]
        calls.append(len(candidates))
        return [p if i == 0 else None
                for i, p in enumerate(labels.place_labels(candidates, frame))]

    monkeypatch.setattr(static, "place_labels", left_out_but_the_first)
    from matplotlib.figure import Figure as MplFigure

    options = MapOptions(metric="projects", bounds=(72.0, 45.0, 85.0, 52.0))
    layers = map_layers(snap, Filters(projects=("eu-tald-east-central",)), options)
    fig = MplFigure(figsize=(8, 5))
    ax = fig.add_axes((0, 0, 1, 1))
    static.draw_map(ax, layers, "en", options.bounds)
    names = [a for a in ax.texts if a.get_zorder() == 6]
    assert calls and calls[0] >= 2
    assert len(names) == 1
    map_png(snap, Filters(projects=("glocal",)), MapOptions(metric="projects"), width_px=800)
    assert len(calls) == 2
