"""A slide deck (PPTX) for a talk: title, overview map, one slide per tour step, sources.

Built from the same tour steps as the Present page, with maps drawn by ``atlas.maps.static``,
so the deck opens in PowerPoint and LibreOffice with no internet and says what the page says.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from atlas.figures import format_number
from atlas.i18n import t
from atlas.maps.explorer import MapOptions, map_layers
from atlas.maps.static import draw_legend, draw_map, figure_bytes, plain_text, print_legend
from atlas.query import Filters
from atlas.snapshot import Snapshot
from atlas.tour import TourBy, TourStep, derivations, ordered_keys, tour_keys, tour_steps

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)
TEXT = RGBColor(0x11, 0x11, 0x11)
MUTED = RGBColor(0x44, 0x44, 0x44)
ACCENT = RGBColor(0x08, 0x51, 0x9C)  # the darkest blue of the map's scale
TITLE_ONLY = 5  # the default template's "Title Only" layout
MAP_DPI = 160


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#")[:6].upper())


# A slide names at most this many organizations or projects in one list; a view of thousands
# of projects would otherwise shrink the list to unreadable type (regions are at most 20).
MAX_NAMES_ON_SLIDE = 12


def listed(names: Sequence[str], lang: str) -> str:
    """Names joined for a slide: the first ``MAX_NAMES_ON_SLIDE``, then how many more."""
    shown = "; ".join(names[:MAX_NAMES_ON_SLIDE])
    more = len(names) - MAX_NAMES_ON_SLIDE
    return f"{shown}; {t('list_more', lang, n=format_number(more, lang))}" if more > 0 \
        else shown


def _title(slide: Any, text: str, size: int = 28) -> None:
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = MARGIN, Inches(0.25), \
        WIDTH - 2 * MARGIN, Inches(1.0)
    shape.text = text
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size = Pt(size if len(text) <= 55 else size - 6)
            run.font.bold = True
            run.font.color.rgb = TEXT


def _text(slide: Any, left: int, top: int, width: int, height: int,
          lines: Sequence[tuple[str, int, bool, RGBColor]]) -> Any:
    """A text box of (text, size in pt, bold, colour) paragraphs."""
    box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
    frame = box.text_frame
    frame.word_wrap = True
    for i, (words, size, bold, colour) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = words
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = colour
        paragraph.space_after = Pt(2)
    return box


def _map_picture(snap: Snapshot, step: TourStep, options: MapOptions, width_in: float,
                 height_in: float, *, legend: bool) -> bytes:
    """The step's map (and legend, on the overview) as a PNG sized for its place on the slide."""
    from matplotlib.figure import Figure as MplFigure

    options = step.map_options(options)
    layers = map_layers(snap, step.filters, options)
    with plain_text():
        # No drawing canvas until the picture is saved: geopandas asks the canvas to redraw
        # after plotting the regions, and an Agg canvas drew every map twice.
        fig = MplFigure(figsize=(width_in, height_in))
        map_width = 0.72 if legend else 1.0
        ax = fig.add_axes((0.0, 0.0, map_width, 1.0))
        draw_map(ax, layers, options.lang, options.bounds, scale=1.15)
        # The map has no ticks; a hidden axis is not asked to lay out the ticks it lacks.
        ax.xaxis.set_visible(False)
        ax.yaxis.set_visible(False)
        if legend:
            draw_legend(fig.add_axes((0.74, 0.0, 0.26, 1.0)), print_legend(layers, options.lang),
                        t("legend", options.lang), wrap=34, scale=1.1)
    return figure_bytes(fig, "png", dpi=MAP_DPI)


def _figures(slide: Any, step: TourStep, left: int, top: int, width: int,
             value_size: int = 18) -> int:
    """Key figures as label-over-value pairs in two columns; returns the height used."""
    column = width // 2
    row = Inches(0.5) + Pt(value_size * 1.3)
    for i, figure in enumerate(step.figures):
        x = left + (i % 2) * column
        y = top + (i // 2) * row
        lines = [(figure.label, 12, False, MUTED), (figure.value, value_size, True, ACCENT)]
        if figure.note:
            lines.append((figure.note, 11, False, MUTED))
        _text(slide, x, y, column - Inches(0.15), row, lines)
    return int(row * ((len(step.figures) + 1) // 2))


BADGE_HEIGHT, BADGE_GAP = Inches(0.5), Inches(0.08)


def _sdg_badges(slide: Any, step: TourStep, left: int, bottom: int, width: int) -> int:
    """SDG badges in their official colours, stacked up from ``bottom``; returns their top."""
    columns = 1 if len(step.sdgs) <= 3 else 2
    rows = (len(step.sdgs) + columns - 1) // columns
    top = bottom - rows * (BADGE_HEIGHT + BADGE_GAP)
    badge_width = (width - (columns - 1) * BADGE_GAP) // columns
    for i, badge in enumerate(step.sdgs):
        x = left + (i % columns) * (badge_width + BADGE_GAP)
        y = top + (i // columns) * (BADGE_HEIGHT + BADGE_GAP)
        shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Emu(x), Emu(y),
                                       Emu(badge_width), Emu(BADGE_HEIGHT))
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(badge.colour)
        shape.line.fill.background()
        frame = shape.text_frame
        frame.margin_left = frame.margin_right = Inches(0.1)
        frame.margin_top = frame.margin_bottom = Inches(0.02)
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        paragraph = frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.LEFT
        run = paragraph.add_run()
        run.text = f"{badge.goal} · {badge.name}"
        run.font.size = Pt(12 if columns == 1 else 11)
        run.font.bold = True
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    return int(top)


def _speaker_notes(slide: Any, step: TourStep, lang: str) -> None:
    """What to say, for the presenter's view: the figures with their notes and the sources."""
    lines = [step.title, step.subtitle]
    lines += [f"{f.label}: {f.value}" + (f" ({f.derivation})" if f.derivation else "")
              for f in step.figures]
    lines += [f"{t('card_sources', lang)}:"]
    lines += [f"- {s.title} ({', '.join(x for x in (s.publisher, s.date, s.url) if x)})"
              for s in step.sources]
    slide.notes_slide.notes_text_frame.text = "\n".join(lines)


def _footer(slide: Any, text: str) -> None:
    _text(slide, MARGIN, HEIGHT - Inches(0.45), WIDTH - 2 * MARGIN, Inches(0.35),
          [(text, 10, False, MUTED)])


def _title_slide(prs: Any, step: TourStep, lang: str, footer: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    _title(slide, step.title, 40)
    _text(slide, MARGIN, Inches(1.35), WIDTH - 2 * MARGIN, Inches(0.6),
          [(step.subtitle, 20, False, MUTED)])
    used = _figures(slide, step, MARGIN, Inches(2.1), WIDTH - 2 * MARGIN, value_size=30)
    lines = []
    if step.donors:
        lines.append((f"{t('col_donors', lang)}: {listed(step.donors, lang)}", 15, False, TEXT))
    if step.items:
        lines.append((f"{t('col_regions', lang)}: {'; '.join(step.items)}", 15, False, TEXT))
    # A figure marked "derived" in its box says from what here, as the Present page does.
    lines += [(line, 12, False, MUTED) for line in derivations(step.figures)]
    if lines:
        top = Inches(2.3) + used
        _fitted(_text(slide, MARGIN, top, WIDTH - 2 * MARGIN, HEIGHT - Inches(0.6) - top,
                      lines))
    _speaker_notes(slide, step, lang)
    _footer(slide, footer)


def _fitted(box: Any) -> Any:
    """Let PowerPoint and LibreOffice shrink the text if it would overflow its box."""
    box.text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    return box


def _overview_slide(prs: Any, snap: Snapshot, step: TourStep, options: MapOptions,
                    footer: str, left_out: str = "") -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    _title(slide, t("tour_overview", options.lang))
    if left_out:
        _text(slide, MARGIN, Inches(0.95), WIDTH - 2 * MARGIN, Inches(0.35),
              [(left_out, 12, False, MUTED)])
    width_in, height_in = 12.3, 5.6
    picture = _map_picture(snap, step, options, width_in, height_in, legend=True)
    slide.shapes.add_picture(io.BytesIO(picture), MARGIN, Inches(1.3), Inches(width_in),
                             Inches(height_in))
    _footer(slide, footer)


MAP_TOP, MAP_WIDTH_IN, MAP_HEIGHT_IN = Inches(1.8), 6.3, 5.1


def _step_slide(prs: Any, snap: Snapshot, step: TourStep, options: MapOptions,
                footer: str) -> None:
    lang = options.lang
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    _title(slide, step.title)
    _text(slide, MARGIN, Inches(1.3), WIDTH - 2 * MARGIN, Inches(0.4),
          [(step.subtitle, 14, False, MUTED)])
    picture = _map_picture(snap, step, options, MAP_WIDTH_IN, MAP_HEIGHT_IN, legend=False)
    slide.shapes.add_picture(io.BytesIO(picture), MARGIN, MAP_TOP, Inches(MAP_WIDTH_IN),
                             Inches(MAP_HEIGHT_IN))
    left = MARGIN + Inches(MAP_WIDTH_IN + 0.3)
    width = WIDTH - left - MARGIN
    top = MAP_TOP + _figures(slide, step, left, MAP_TOP, width)
    bottom = MAP_TOP + Inches(MAP_HEIGHT_IN)
    badges_top = _sdg_badges(slide, step, left, bottom, width) if step.sdgs else bottom
    people = []
    if step.donors:
        people.append((f"{t('col_donors', lang)}: {listed(step.donors, lang)}", 12, False, TEXT))
    if step.implementers:
        people.append((f"{t('col_implementers', lang)}: {listed(step.implementers, lang)}", 12,
                       False, TEXT))
    if step.kind == "region" and step.items:
        people.append((f"{t('tour_projects_here', lang)}: {listed(step.items, lang)}", 12, False,
                       TEXT))
    people += [(line, 10, False, MUTED) for line in derivations(step.figures)]
    if people:
        _fitted(_text(slide, left, top, width, badges_top - top - Inches(0.1), people))
    _speaker_notes(slide, step, lang)
    _footer(slide, footer)


def _sources_slide(prs: Any, steps: Sequence[TourStep], lang: str, footer: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    _title(slide, t("card_sources", lang))
    sources = list(dict.fromkeys(s for step in steps for s in step.sources))
    box = _text(slide, MARGIN, Inches(1.3), WIDTH - 2 * MARGIN, Inches(5.6), [])
    frame = box.text_frame
    for i, s in enumerate(sources):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(6)
        run = paragraph.add_run()
        run.text = s.title
        run.font.size = Pt(14)
        run.font.bold = True
        run.font.color.rgb = TEXT
        detail = paragraph.add_run()
        detail.text = " — " + ", ".join(x for x in (s.publisher, s.date) if x)
        detail.font.size = Pt(12)
        detail.font.color.rgb = MUTED
        if s.url.startswith(("http://", "https://")):
            link = paragraph.add_run()
            link.text = f" {s.url}"
            link.font.size = Pt(12)
            link.hyperlink.address = s.url
    _footer(slide, footer)


# A talk does not get through more steps than this; a longer tour (a view of thousands of
# projects) keeps its first steps in order and the deck says how many it left out.
MAX_DECK_STEPS = 30


def left_out_note(steps: int, lang: str) -> str:
    """What the deck says when a tour of ``steps`` steps is longer than it keeps ("" if not)."""
    if steps <= MAX_DECK_STEPS:
        return ""
    return t("deck_steps_left_out", lang, kept=MAX_DECK_STEPS, total=steps,
             left=steps - MAX_DECK_STEPS)


def slide_deck(snap: Snapshot, filters: Filters, options: MapOptions, by: TourBy = "project",
               order: Sequence[str] | None = None, today: date | None = None) -> bytes:
    """The deck as PPTX bytes: title, overview map, a slide per tour step (the first
    ``MAX_DECK_STEPS``; the overview says how many more there were), sources."""
    lang = options.lang
    keys = ordered_keys(tour_keys(snap, filters, by), order)
    # Only the kept steps are built: a step per project of 10,000 sites would be thousands.
    steps = tour_steps(snap, filters, by, keys[:MAX_DECK_STEPS], lang, options.currency)
    left_out = left_out_note(len(keys), lang)
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    footer = (f"{t('app_title', lang)} · {t('data_version', lang)}: {snap.version} · "
              f"{(today or date.today()).isoformat()}")
    _title_slide(prs, steps[0], lang, footer)
    _overview_slide(prs, snap, steps[0], options, footer, left_out)
    for step in steps[1:]:
        _step_slide(prs, snap, step, options, footer)
    _sources_slide(prs, steps, lang, footer)
    prs.core_properties.title = t("app_title", lang)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
