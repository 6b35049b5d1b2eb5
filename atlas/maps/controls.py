"""Small map behaviours of our own: a scale bar in the viewer's language, popups on touch.

Leaflet's scale control writes "km" and "mi" in English whatever the page's language, and its
hover tooltips stay open after a tap on a phone (there is no "mouse out" to close them).
"""

from __future__ import annotations

from jinja2 import Template

from atlas.i18n import t
from atlas.maps.layers import VerbatimMacro, script_json


def scale_units(lang: str) -> dict[str, str]:
    """The scale bar's words in ``lang``: kilometre and metre, and the thousands separator
    ``format_number`` writes in that language."""
    return {"km": t("map_scale_km", lang), "m": t("map_scale_m", lang),
            "thousands": "," if lang == "en" else "\u00a0"}


class MetricScale(VerbatimMacro):
    """Leaflet's scale bar, metric only, its units in the viewer's language.

    Leaflet measures and rounds (``L.Control.Scale``); only the label it writes is ours.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map, units) {
    var Scale = L.Control.Scale.extend({
        _updateMetric: function (maxMeters) {
            var meters = this._getRoundNum(maxMeters), km = meters >= 1000;
            var value = String(km ? meters / 1000 : meters)
                .replace(/\\B(?=(\\d{3})+(?!\\d))/g, units.thousands);
            this._updateScale(this._mScale, value + "\\u00a0" + (km ? units.km : units.m),
                              meters / maxMeters);
        }
    });
    new Scale({metric: true, imperial: false}).addTo(map);
})({{ this._parent.get_name() }}, {{ this.units }});
{% endmacro %}
""")

    def __init__(self, lang: str) -> None:
        super().__init__()
        self._name = "metric_scale"
        self.units = script_json(scale_units(lang), compact=True)


class TouchPopups(VerbatimMacro):
    """On a device without hover (a phone), every tooltip of the map becomes a popup.

    A tap opens a hover tooltip but nothing ever closes it: it stayed over the map. A popup
    shows the same text, closes with a tap elsewhere, and is closed when the map zooms.
    Layers added later (a redraw of the sites) are converted as they arrive.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map) {
    if (!window.matchMedia || !window.matchMedia("(hover: none)").matches) return;
    function toPopup(layer) {
        var tip = layer.getTooltip && layer.getTooltip();
        if (!tip || tip.options.permanent) return;
        var content = tip._content;
        layer.unbindTooltip();
        layer.bindPopup(content, {maxWidth: Math.max(160, Math.min(300, map.getSize().x - 60)),
                                  className: "atlas-touch-popup"});
    }
    map.eachLayer(toPopup);
    map.on("layeradd", function (e) { toPopup(e.layer); });
    map.on("zoomstart", function () { map.closePopup(); });
    window.atlasTouchPopups = true;
})({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self) -> None:
        super().__init__()
        self._name = "touch_popups"


class FitView(VerbatimMacro):
    """The map fitted to ``bounds`` (``[[south, west], [north, east]]``) at the size it has
    on the screen, in the part of it its top-left controls leave free, and fitted again when that
    size or the legend's changes (a window resized, a phone turned, the legend opened) until
    someone moves the map.

    The legend opens in the top-left corner of a wide map (a projector's, the explorer's on
    a laptop): fitted to the whole map, Kazakhstan's west and its sites lay under it; folded
    on a phone, its button and the zoom buttons covered a region's markers. The bounds go
    right of the corner's controls or below them, whichever shows them larger. Add it after
    the legend; ``max_zoom``: the closest zoom the fit may take; ``around_markers``: the
    bounds are a step's sites or region, whose largest marker is kept whole clear of the
    controls and the edges (not the whole country's outline).
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map, bounds, maxZoom, aroundMarkers) {
    var ours = false, moved = false;
    // The controls of the top-left corner: the zoom buttons and the legend, open or folded
    // (on a phone the folded legend's button covered markers and Kazakhstan's west).
    function padding() {
        var corner = map.getContainer().querySelector(".leaflet-top.leaflet-left"),
            frame = map.getContainer().getBoundingClientRect(), right = 0, bottom = 0;
        var controls = corner ? corner.children : [];
        for (var i = 0; i < controls.length; i++) {
            var box = controls[i].getBoundingClientRect();
            if (!box.width || !box.height) continue;
            right = Math.max(right, box.right - frame.left);
            bottom = Math.max(bottom, box.bottom - frame.top);
        }
        var m = margin();
        var beside = L.point(right ? right + 8 + m : m, m),
            below = L.point(m, right ? bottom + 8 + m : m);
        return map.getBoundsZoom(bounds, false, beside.add([m, m]))
            >= map.getBoundsZoom(bounds, false, below.add([m, m])) ? beside : below;
    }
    // Bounds drawn around sites keep the largest marker whole inside the free part: a
    // marker at the bounds' edge otherwise reached under the controls by its radius.
    function margin() {
        var largest = 0;
        if (aroundMarkers) {
            map.eachLayer(function (l) {
                if (l instanceof L.CircleMarker) largest = Math.max(largest, l.getRadius());
            });
        }
        return Math.ceil(largest);
    }
    var fittedPadding = null, waiting = false;
    function fit() {
        // A fit asked for while one zooms would be dropped by Leaflet: it follows that one.
        if (map._animatingZoom) {
            if (!waiting) {
                waiting = true;
                map.once("zoomend", function () {
                    L.Util.requestAnimFrame(function () { waiting = false; fit(); });
                });
            }
            return;
        }
        ours = true;
        fittedPadding = padding();
        var m = margin();
        map.once("moveend", function () { ours = false; });
        map.fitBounds(bounds, {paddingTopLeft: fittedPadding, paddingBottomRight: L.point(m, m),
                               maxZoom: maxZoom});
    }
    map.on("movestart", function () { if (!ours) moved = true; });
    map.on("resize", function () { if (!moved) fit(); });
    // The legend's box changes after the first fit when its frame is given its height later
    // (its longest lists scroll within a share of the frame's height), or when it is opened.
    var legend = map.getContainer().querySelector(".atlas-legend");
    if (legend && window.ResizeObserver) {
        new ResizeObserver(function () {
            if (!moved && !padding().equals(fittedPadding)) fit();
        }).observe(legend);
    }
    fit();
})({{ this._parent.get_name() }}, L.latLngBounds({{ this.bounds }}), {{ this.max_zoom }},
  {{ this.around_markers }});
{% endmacro %}
""")

    def __init__(self, bounds: list[list[float]], max_zoom: int | None = None,
                 around_markers: bool = False) -> None:
        super().__init__()
        self._name = "fit_view"
        self.bounds = script_json(bounds)
        self.max_zoom = script_json(max_zoom)  # null: no limit but the map's
        # Bounds drawn around sites: their largest marker is kept whole in the free part.
        self.around_markers = script_json(around_markers)
