"""The map drawn in Python with matplotlib: PNG and PDF exports that need no browser.

The same layers as the interactive map (``map_layers``): regions shaded by the chosen metric,
sites sized by people reached, money flows if asked, and the same legend, laid out as a page
with a title, the figures, the filters in words, the data date and a sources line. Drawn in a
conic projection centred on Kazakhstan, so the country keeps the shape people know from wall
maps (in plain longitude/latitude it is stretched east to west by about half).
"""

from __future__ import annotations

import io
import textwrap
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import matplotlib
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from shapely.geometry import Polygon, box

from atlas.cards import SourceLink, filters_in_words, view_sources
from atlas.figures import format_figure, format_number
from atlas.i18n import t
from atlas.maps import style
from atlas.maps.areas import AREA_COLOUR
from atlas.maps.explorer import Bounds, MapLayers, MapOptions, map_layers
from atlas.maps.labels import Box, LabelCandidate, place_labels, text_size
from atlas.maps.legend import LegendSection
from atlas.query import Filters, summarize
from atlas.snapshot import Snapshot
from atlas.tour import view_figures

# Lambert conformal conic with standard parallels through the south and the north of the
# country; metres, so marker sizes and label offsets do not depend on latitude.
DISPLAY_CRS = ("+proj=lcc +lat_1=45 +lat_2=51 +lat_0=48 +lon_0=67 +datum=WGS84 +units=m "
               "+no_defs")
SEA = "#dfe8ee"  # the interactive map's background
TEXT = "#111111"
MUTED = "#444444"
# Bundled with matplotlib and covering Cyrillic, Kazakh letters (ә, ғ, қ, ң, ө, ұ, ү, һ, і)
# included, so the export looks the same on every machine.
FONT = "DejaVu Sans"
# Sites are named when there are at most this many markers: a printed page has room for a
# couple more names than the projector map (MAX_LABELLED_SITES there).
MAX_LABELLED_SITES_PRINTED = 14
# Up to this many sites each is its own marker, drawn exactly as the maps always were; more
# are drawn as one collection: an artist per site made a map of 10,000 sites take minutes.
MAX_SITE_ARTISTS = 200
# A white outline keeps a label readable on dark fills and under flow lines.
HALO = patheffects.withStroke(linewidth=2.5, foreground="white")


def plain_text() -> AbstractContextManager[None]:
    """Matplotlib settings under which data is text, never markup: "$5 or $10" in a name must
    not turn into mathematics (text made inside keeps the setting when drawn later)."""
    return matplotlib.rc_context({"text.parse_math": False, "text.usetex": False})


@dataclass(frozen=True)
class PageText:
    """The words around the map: title, figures, filters, data date and sources."""

    title: str
    figures: str
    filters: str
    data_line: str
    sources: str


def page_text(snap: Snapshot, filters: Filters, options: MapOptions, title: str | None = None,
              today: date | None = None) -> PageText:
    """The page's words for a filtered view, in ``options.lang``."""
    lang, currency = options.lang, options.currency
    summary = summarize(snap, filters, currency)
    funding, reach = view_figures(snap, filters, summary)
    figures = " · ".join([
        f"{t('kpi_funding', lang)}: {format_figure(funding, lang, currency)}",
        f"{t('kpi_projects', lang)}: {len(summary.project_ids)}",
        f"{t('kpi_sites', lang)}: {summary.sites}",
        f"{t('kpi_reach', lang)}: {format_figure(reach, lang)}",
    ])
    data_line = (f"{t('data_version', lang)}: {snap.version} · "
                 f"{(today or date.today()).isoformat()} · {t('split_rule', lang)}")
    return PageText(
        title=title or t("app_title", lang),
        figures=figures,
        filters=f"{t('filters', lang)}: {filters_in_words(snap, filters, lang)}",
        data_line=data_line,
        sources=sources_line(view_sources(snap, summary.project_ids, lang), lang),
    )


def sources_line(sources: list[SourceLink], lang: str) -> str:
    """"Sources: publisher, date; …", one entry per document."""
    entries = []
    for s in sources:
        publisher = s.publisher.split(" (")[0] if s.publisher else s.title
        entries.append(f"{publisher}, {s.date}" if s.date else publisher)
    return f"{t('card_sources', lang)}: " + "; ".join(dict.fromkeys(entries))


def _dash(pattern: object) -> tuple[float, tuple[float, ...]] | str:
    """A Leaflet dashArray ("3 3") as a matplotlib line style; no pattern (None/NaN) is solid."""
    if not isinstance(pattern, str) or not pattern:
        return "solid"
    return (0.0, tuple(float(x) for x in pattern.split()))


def _view_box(layers: MapLayers, bounds: Bounds | None, aspect: float) -> Bounds:
    """The projected box to show: ``bounds`` (or the whole country), widened to ``aspect``."""
    if bounds is None:
        x0, y0, x1, y1 = layers.regions.to_crs(DISPLAY_CRS).total_bounds
    else:
        frame = gpd.GeoSeries([box(*bounds)], crs="EPSG:4326").segmentize(0.25)
        x0, y0, x1, y1 = frame.to_crs(DISPLAY_CRS).total_bounds
    pad = 0.02 * max(x1 - x0, y1 - y0)
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    width, height = x1 - x0, y1 - y0
    if width / height < aspect:
        grow = (height * aspect - width) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = (width / aspect - height) / 2
        y0, y1 = y0 - grow, y1 + grow
    return (x0, y0, x1, y1)


def draw_map(ax: Axes, layers: MapLayers, lang: str, bounds: Bounds | None = None, *,
             scale: float = 1.0) -> None:
    """Draw regions, flows and sites on ``ax`` and move it to ``bounds`` (whole country if None).

    Sites are labelled with their names when there are few enough to read (a project's map),
    regions with their names where the view has projects.
    """
    regions = layers.regions.to_crs(DISPLAY_CRS)
    ax.set_facecolor(SEA)
    regions.plot(ax=ax, color=list(regions["fill"]), edgecolor=style.BORDER,
                 linewidth=0.8 * scale, zorder=1)
    fig_w, fig_h = ax.get_figure().get_size_inches()  # type: ignore[union-attr]
    pos = ax.get_position()
    aspect = (pos.width * fig_w) / (pos.height * fig_h)
    x0, y0, x1, y1 = _view_box(layers, bounds, aspect)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_color(style.BORDER)

    view = box(x0, y0, x1, y1)
    for r in regions.itertuples():
        if r.fill == style.NO_DATA:
            continue
        point = r.geometry.representative_point()
        if not view.contains(point):
            continue
        ax.annotate(_short_region(str(getattr(r, f"name_{lang}"))), (point.x, point.y),
                    ha="center", va="center", fontsize=8 * scale, color=TEXT,
                    fontfamily=FONT, zorder=2, annotation_clip=True, path_effects=[HALO])

    if layers.areas is not None and not layers.areas.empty:
        # A region a project covers as a whole: hatched inside a dashed outline, as the
        # interactive map outlines it (never a marker at an invented point).
        layers.areas.to_crs(DISPLAY_CRS).plot(
            ax=ax, facecolor="none", edgecolor=AREA_COLOUR, hatch="//", linestyle="--",
            linewidth=1.6 * scale, zorder=2)

    if layers.flows is not None and not layers.flows.empty:
        flows = layers.flows.to_crs(DISPLAY_CRS)
        lines = flows.loc[~flows["kind"].str.startswith("anchor")]
        for f in lines.itertuples():
            xs, ys = f.geometry.xy
            ax.plot(xs, ys, color=f.colour, linewidth=0.75 * f.weight * scale,
                    alpha=f.opacity, linestyle=_dash(f.dash), solid_capstyle="round", zorder=3)
        anchors = flows.loc[flows["kind"].str.startswith("anchor")]
        for a in anchors.itertuples():
            size = 2 * 0.75 * float(a.radius) * scale
            ax.scatter([a.geometry.x], [a.geometry.y], s=size ** 2, c=[a.fill],
                       edgecolors="#1f1f1f", linewidths=1.0 * scale, zorder=4)

    points = layers.points.to_crs(DISPLAY_CRS)
    if not points.empty:
        # Big markers first, so a small one at the same place stays visible on top.
        points = points.sort_values("radius", ascending=False)
        if len(points) <= MAX_SITE_ARTISTS:
            for p in points.itertuples():
                size = 2 * 0.75 * float(p.radius) * scale
                ax.scatter([p.geometry.x], [p.geometry.y], s=size ** 2, c=[p.fill],
                           alpha=p.fill_opacity, edgecolors="#1f1f1f",
                           linewidths=1.0 * scale, linestyle=_dash(p.dash), zorder=5)
        else:
            _draw_many_sites(ax, points, scale)
        if len(points) <= MAX_LABELLED_SITES_PRINTED:
            _label_sites(ax, points, view, scale)


# Site names in print: type size and the white box behind each name (its padding, in ems).
LABEL_FONT_PT, LABEL_PAD_EM = 7.5, 0.15
_VA = {"top": "top", "middle": "center", "bottom": "bottom"}
_HA = {"start": "left", "center": "center", "end": "right"}


def _label_sites(ax: Axes, points: gpd.GeoDataFrame, view: Polygon, scale: float) -> None:
    """Name the sites in view where the names overlap no other (``atlas.maps.labels``):
    placed in points on the page, as the map is drawn, with the larger reach named first."""
    fig = ax.get_figure()
    assert fig is not None
    ax.apply_aspect()  # the axes' final place, so screen positions are those of the drawing
    to_pt = 72.0 / fig.dpi
    fig_height = float(fig.get_size_inches()[1]) * 72.0  # type: ignore[union-attr]
    shown = [p for p in points.itertuples() if view.contains(p.geometry)]
    font = LABEL_FONT_PT * scale
    pad = 2 * LABEL_PAD_EM * font
    texts = [textwrap.shorten(str(p.label), 40, placeholder="…") for p in shown]
    candidates = []
    for p, text in zip(shown, texts, strict=True):
        x, y = ax.transData.transform((p.geometry.x, p.geometry.y)) * to_pt
        width, height = text_size(text, font)
        radius = 0.75 * float(p.radius) * scale
        candidates.append(LabelCandidate(float(x), float(fig_height - y), radius,
                                         width + pad, height + pad, radius))
    (left, bottom), (right, top) = ax.get_window_extent().get_points() * to_pt
    frame = Box(float(left), float(fig_height - top), float(right), float(fig_height - bottom))
    for p, text, c, at in zip(shown, texts, candidates, place_labels(candidates, frame),
                              strict=True):
        if at is None:
            continue
        # The anchor sits at the box's edge: the text starts half a pad inside it.
        inset = pad / 2 * {"start": 1, "center": 0, "end": -1}[at.align]
        lift = {"top": -pad / 2, "middle": 0.0, "bottom": pad / 2}[at.baseline]
        ax.annotate(text, (p.geometry.x, p.geometry.y),
                    xytext=(at.x - c.x + inset, c.y - at.y + lift), textcoords="offset points",
                    ha=_HA[at.align], va=_VA[at.baseline],
                    fontsize=font, color=TEXT, fontfamily=FONT, zorder=6,
                    annotation_clip=True,
                    bbox={"boxstyle": f"round,pad={LABEL_PAD_EM}", "fc": "white", "ec": "none",
                          "alpha": 0.75})


def _draw_many_sites(ax: Axes, points: gpd.GeoDataFrame, scale: float) -> None:
    """All sites as one collection, drawn in ``points``' order (big markers first)."""
    sizes = 2 * 0.75 * points["radius"].to_numpy(dtype=float) * scale
    ax.scatter(points.geometry.x.to_numpy(), points.geometry.y.to_numpy(), s=sizes ** 2,
               c=list(points["fill"]), alpha=points["fill_opacity"].to_numpy(dtype=float),
               edgecolors="#1f1f1f", linewidths=1.0 * scale,
               linestyles=[_dash(d) for d in points["dash"]], zorder=5)


_REGION_WORDS = (" Region", " (city)", " область", " облысы", "город ", " қаласы")


def _short_region(name: str) -> str:
    for word in _REGION_WORDS:
        name = name.replace(word, "")
    return name


def draw_legend(ax: Axes, sections: list[LegendSection], title: str, *,
                scale: float = 1.0, wrap: int = 34) -> None:
    """The map's legend as a column of swatches and labels, top to bottom on ``ax``."""
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    fig_h = ax.get_figure().get_size_inches()[1]  # type: ignore[union-attr]
    height_in = ax.get_position().height * fig_h
    line = (0.16 * scale) / height_in  # one line of legend text, in axes units
    y = 1.0

    def text(x: float, words: str, **kwargs: object) -> int:
        wrapped = textwrap.wrap(words, wrap) or [""]
        settings: dict[str, object] = {"fontsize": 8.5 * scale, "color": TEXT, **kwargs}
        ax.text(x, y, "\n".join(wrapped), va="top", ha="left", fontfamily=FONT,
                linespacing=1.25, transform=ax.transAxes, **settings)  # type: ignore[arg-type]
        return len(wrapped)

    y -= line * 1.2 * text(0.0, title, fontweight="bold", fontsize=10 * scale)
    for section in sections:
        y -= line * 0.4
        y -= line * 1.1 * text(0.0, section.title, fontweight="bold")
        for s in section.swatches:
            cy = y - line * 0.5
            if s.shape == "line":
                ax.add_line(Line2D([0.0, 0.09], [cy, cy], color=s.colour,
                                   linewidth=max(s.size, 1) * 0.75 * scale,
                                   linestyle=(0, (3, 2)) if s.outline_dashed else "solid",
                                   transform=ax.transAxes))
            elif s.shape == "circle":
                # A marker, not a patch: its size is in points, so it stays round.
                ax.add_line(Line2D([0.045], [cy], marker="o", markersize=s.size * 0.85 * scale,
                                   markerfacecolor=s.colour, markeredgecolor="#1f1f1f",
                                   markeredgewidth=0.8 * scale, linestyle="none",
                                   transform=ax.transAxes))
            else:
                ax.add_patch(Rectangle((0.01, cy - line * 0.35), 0.07, line * 0.7,
                                       facecolor=s.colour, edgecolor="#555555",
                                       linewidth=0.6 * scale, transform=ax.transAxes))
            y -= line * 1.05 * text(0.12, s.label)
        if section.note:
            y -= line * 1.05 * text(0.0, section.note, color=MUTED, fontsize=7.5 * scale)


def print_legend(layers: MapLayers, lang: str) -> list[LegendSection]:
    """The map's legend for print; a map of many sites also says why they carry no names."""
    sites = len(layers.points)
    if sites <= MAX_SITE_ARTISTS:
        return list(layers.legend)
    note = t("legend_sites_unnamed", lang, sites=format_number(sites, lang),
             limit=MAX_LABELLED_SITES_PRINTED)
    return [*layers.legend, LegendSection(t("kpi_sites", lang), (), note)]


def map_page(snap: Snapshot, filters: Filters, options: MapOptions, *,
             title: str | None = None, today: date | None = None,
             width_in: float = 16.0, height_in: float = 9.0) -> MplFigure:
    """A whole page: title, figures and filters above, the map and its legend, sources below."""
    with plain_text():
        return _map_page(snap, filters, options, title, today, width_in, height_in)


def _map_page(snap: Snapshot, filters: Filters, options: MapOptions, title: str | None,
              today: date | None, width_in: float, height_in: float) -> MplFigure:
    layers = map_layers(snap, filters, options)
    words = page_text(snap, filters, options, title, today)
    fig = MplFigure(figsize=(width_in, height_in))
    FigureCanvasAgg(fig)
    fig.patch.set_facecolor("white")
    wrap = int(width_in * 12)
    fig.text(0.015, 0.975, words.title, fontsize=22, fontweight="bold", va="top",
             fontfamily=FONT, color=TEXT)
    fig.text(0.015, 0.915, words.figures, fontsize=13, va="top", fontfamily=FONT, color=TEXT)
    fig.text(0.015, 0.878, textwrap.shorten(words.filters, wrap, placeholder="…"), fontsize=11,
             va="top", fontfamily=FONT, color=MUTED)
    map_ax = fig.add_axes((0.015, 0.1, 0.74, 0.75))
    draw_map(map_ax, layers, options.lang, options.bounds)
    legend_ax = fig.add_axes((0.77, 0.1, 0.22, 0.75))
    draw_legend(legend_ax, print_legend(layers, options.lang), t("legend", options.lang))
    sources = textwrap.wrap(words.sources, int(width_in * 13))
    fig.text(0.015, 0.082, "\n".join(sources[:3]), fontsize=8.5, va="top", fontfamily=FONT,
             color=MUTED, linespacing=1.3)
    fig.text(0.015, 0.012, textwrap.shorten(words.data_line, int(width_in * 14),
                                            placeholder="…"),
             fontsize=8, va="bottom", fontfamily=FONT, color=MUTED)
    return fig


def figure_bytes(fig: MplFigure, fmt: str, dpi: float = 200) -> bytes:
    """``fig`` as PNG or PDF bytes (PDF text stays text: fonts embedded as TrueType).

    Make ``fig``'s text under ``plain_text()``: text keeps the setting it was made with.
    """
    buffer = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42, "svg.fonttype": "none"}):
        fig.savefig(buffer, format=fmt, dpi=dpi, facecolor=fig.get_facecolor())
    return buffer.getvalue()


def map_png(snap: Snapshot, filters: Filters, options: MapOptions, *, width_px: int = 3200,
            title: str | None = None, today: date | None = None) -> bytes:
    """The map page as a PNG ``width_px`` wide (16:9)."""
    fig = map_page(snap, filters, options, title=title, today=today)
    return figure_bytes(fig, "png", dpi=width_px / fig.get_size_inches()[0])


def map_pdf(snap: Snapshot, filters: Filters, options: MapOptions, *,
            title: str | None = None, today: date | None = None) -> bytes:
    """The map page as a one-page vector PDF (16 × 9 inches)."""
    return figure_bytes(map_page(snap, filters, options, title=title, today=today), "pdf")
