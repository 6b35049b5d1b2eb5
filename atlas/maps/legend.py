"""A legend box in the map corner, from plain-text entries (escaped here, never raw)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from jinja2 import Template

from atlas.maps.layers import VerbatimMacro, script_json


@dataclass(frozen=True)
class Swatch:
    """One legend line: a colour patch (square or circle) and its label."""

    colour: str
    label: str
    shape: str = "square"  # or "circle", or "line" (size is then the line's width)
    size: float = 12
    outline_dashed: bool = False


@dataclass(frozen=True)
class LegendSection:
    title: str
    swatches: tuple[Swatch, ...]
    note: str = ""


def legend_html(sections: list[LegendSection]) -> str:
    """The legend's inner HTML; every label is escaped."""
    parts = []
    for section in sections:
        parts.append(f'<div class="atlas-legend-title">{escape(section.title)}</div>')
        for s in section.swatches:
            if s.shape == "line":
                style = "dashed" if s.outline_dashed else "solid"
                parts.append(
                    '<div class="atlas-legend-row">'
                    f'<span style="display:inline-block;width:22px;height:0;'
                    f'border-top:{max(s.size, 1):.0f}px {style} {escape(s.colour)};'
                    'vertical-align:middle;margin-right:6px"></span>'
                    f"{escape(s.label)}</div>"
                )
                continue
            radius = "50%" if s.shape == "circle" else "2px"
            border = "1px dashed #1f1f1f" if s.outline_dashed else "1px solid #555"
            parts.append(
                '<div class="atlas-legend-row">'
                f'<span style="display:inline-block;width:{s.size:.0f}px;height:{s.size:.0f}px;'
                f'background:{escape(s.colour)};border:{border};border-radius:{radius};'
                'vertical-align:middle;margin-right:6px"></span>'
                f"{escape(s.label)}</div>"
            )
        if section.note:
            parts.append(f'<div class="atlas-legend-note">{escape(section.note)}</div>')
    return "".join(parts)


class Legend(VerbatimMacro):
    """A Leaflet control holding the legend HTML."""

    _template = Template(
        """
{% macro header(this, kwargs) %}
<style>
.atlas-legend{background:rgba(255,255,255,.92);padding:6px 8px;border-radius:6px;
 box-shadow:0 1px 4px rgba(0,0,0,.3);font:{{ this.font_px }}px/1.3 system-ui,sans-serif;
 max-width:{{ this.font_px * 19 }}px;
 max-height:55vh;overflow:auto}
.atlas-legend summary{cursor:pointer;font-weight:600}
.atlas-legend-title{font-weight:600;margin:4px 0 3px}
.atlas-legend-row{margin:2px 0;display:flex;align-items:flex-start}
.atlas-legend-row>span{flex:none;margin-top:1px}
.atlas-legend-note{color:#555;margin-top:3px;white-space:normal}
</style>
{% endmacro %}
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.control({position: "topleft"});
{{ this.get_name() }}.onAdd = function () {
    var div = L.DomUtil.create("details", "atlas-legend");
    div.innerHTML = {{ this.html_json }};
    // Open where the map has room beside Kazakhstan; on narrow maps it would hide regions.
    div.open = {{ this._parent.get_name() }}.getSize().x >= {{ this.open_from_width }};
    L.DomEvent.disableClickPropagation(div);
    return div;
};
{{ this.get_name() }}.addTo({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, sections: list[LegendSection], title: str = "Legend",
                 open_from_width: int = 900, font_px: int = 11) -> None:
        super().__init__()
        self._name = "legend"
        self.font_px = int(font_px)
        self.html = f"<summary>{escape(title)}</summary>" + legend_html(sections)
        self.html_json = script_json(self.html)  # not |tojson: see ``script_json``
        self.open_from_width = int(open_from_width)
