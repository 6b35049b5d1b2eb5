"""Exports for presenting: a map image (PNG), a map page (PDF), a slide deck (PPTX) and a
single self-contained HTML file of the interactive map.

The HTML file carries Leaflet, the regions, sites, flows, legend and tooltips inline, so
it opens from a USB stick in a hall with no internet and no server; the others are drawn in
Python (matplotlib, python-pptx), so making them needs no browser either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from html import escape
from typing import Literal

import folium

from atlas.cards import filters_in_words
from atlas.figures import format_figure
from atlas.i18n import t
from atlas.maps.explorer import MapOptions, explorer_map
from atlas.query import Filters, summarize
from atlas.snapshot import Snapshot
from atlas.tour import TourBy


def standalone_map_html(snap: Snapshot, filters: Filters, options: MapOptions,
                        today: date | None = None) -> str:
    """The explorer map as one HTML file with a title box: figures, filters, data date."""
    lang, currency = options.lang, options.currency
    options = replace(options, web_tiles=False, height=900)
    fmap = explorer_map(snap, filters, options)
    summary = summarize(snap, filters, currency)
    heading = escape(t("app_title", lang))
    lines = [
        f"{escape(t('kpi_funding', lang))}: "
        f"<b>{escape(format_figure(summary.funding, lang, currency, compact=True))}</b> · "
        f"{escape(t('kpi_projects', lang))}: <b>{len(summary.project_ids)}</b> · "
        f"{escape(t('kpi_reach', lang))}: "
        f"<b>{escape(format_figure(summary.people_reached, lang, compact=True))}</b>",
        escape(filters_in_words(snap, filters, lang)),
        escape(f"{t('data_version', lang)}: {snap.version} · "
               f"{(today or date.today()).isoformat()}"),
    ]
    box = (
        '<div style="position:fixed;top:10px;right:10px;z-index:1000;max-width:420px;'
        "background:rgba(255,255,255,.94);padding:8px 12px;border-radius:6px;"
        'box-shadow:0 1px 4px rgba(0,0,0,.3);font:13px/1.4 system-ui,sans-serif">'
        f'<div style="font-size:17px;font-weight:700">{heading}</div>'
        + "".join(f"<div>{line}</div>" for line in lines) + "</div>"
    )
    fmap.get_root().html.add_child(folium.Element(box))  # type: ignore[attr-defined]
    fmap.get_root().header.add_child(folium.Element(  # type: ignore[attr-defined]
        f"<title>{heading}</title>"))
    return str(fmap.get_root().render())


ExportFormat = Literal["png", "pdf", "pptx", "html"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("png", "pdf", "pptx", "html")
EXPORT_MIME = {
    "png": "image/png",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "html": "text/html",
}
PNG_WIDTH = 3200


def export_bytes(snap: Snapshot, filters: Filters, options: MapOptions, fmt: ExportFormat, *,
                 by: TourBy = "project", order: Sequence[str] | None = None,
                 width_px: int = PNG_WIDTH, today: date | None = None) -> bytes:
    """One export of a filtered view; ``by`` and ``order`` choose the deck's steps."""
    from atlas.maps.static import map_pdf, map_png
    from atlas.slides import slide_deck

    if fmt == "png":
        return map_png(snap, filters, options, width_px=width_px, today=today)
    if fmt == "pdf":
        return map_pdf(snap, filters, options, today=today)
    if fmt == "pptx":
        return slide_deck(snap, filters, options, by, order, today=today)
    if fmt == "html":
        return standalone_map_html(snap, filters, options, today=today).encode("utf-8")
    raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(EXPORT_FORMATS)}")


def export_filename(fmt: ExportFormat, filters: Filters) -> str:
    """A file name that says what the export shows ("atlas-eu.pptx", "atlas-all.png")."""
    parts = [*filters.donors, *(f"sdg{g}" for g in filters.sdgs), *filters.regions,
             *filters.implementers]
    return f"atlas-{'-'.join(parts[:4]) or 'all'}.{fmt}"
