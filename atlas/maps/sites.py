"""The sites layer: circle markers on the shared canvas, from compact parallel arrays.

One canvas layer instead of one folium.Marker per site: measured in this project, 10,000
Markers take 41 s to paint and one canvas layer 0.6 s. The data is parallel integer arrays
(fixed-point positions, radius, palette index, dash flag) plus small tables of texts the
tooltip looks up when it opens: a GeoJSON Feature with an HTML tooltip per site made 52 MB of
HTML at 100,000 sites. Every text reaches the page through ``textContent``, never as HTML.

With more than ``MAX_SEPARATE_SITES`` markers, sites closer than ``CLUSTER_CELL_PX`` on the
screen are drawn as one circle with their number (see ``cluster_rule``), recomputed on every
move; at the map's closest zoom every site is drawn.
"""

from __future__ import annotations

import base64
import json
import re
import zlib
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from jinja2 import Template

from atlas.i18n import t
from atlas.maps.labels import PLACE_LABELS_JS
from atlas.maps.layers import GeoJsonLayer, require_wgs84, script_json
from atlas.maps.style import MIN_RADIUS

# Fixed-point positions: 1e-5 degree is about a metre, far below a pixel at the closest zoom;
# with many sites 1e-4 degree (about 11 m, under half a pixel at zoom 12) saves a byte a site.
COORDINATE_SCALE, MANY_SITES_COORDINATE_SCALE = 100_000, 10_000
RADIUS_SCALE = 10  # radius in tenths of a pixel
# Up to this many markers every site is drawn as itself (the bundled data has a few dozen).
MAX_SEPARATE_SITES = 1_000
CLUSTER_CELL_PX = 40
# From this zoom on every site is drawn (the explorer's closest zoom; a folium map without
# tiles does not pass its max_zoom on to Leaflet, which then allows any zoom).
ALL_SITES_ZOOM = 12
MIXED_COLOUR = "#5f5f5f"  # a circle of nearby sites that are not all of one colour
# With many sites the tooltips' and clicks' text tables travel deflated (a third of their
# size) and are inflated in the browser before the first draw; these are those tables.
DEFLATED_TABLES = ("projects", "titles", "nmText", "fText", "hText")
# Optional plain-text columns the tooltip shows; missing ones are empty.
TEXT_COLUMNS = ("name", "title", "funding_text", "reach_text", "precision_text", "label")
# Site names: their type size (the browser places them by atlas.maps.labels' rule, again
# whenever the map moves, so that names never overlap at the view the map is at).
LABEL_FONT_PX = 15


def site_captions(lang: str = "en") -> dict[str, str]:
    """The words of the tooltips in ``lang`` (the layer adds the values)."""
    return {
        "project": t("tooltip_project", lang), "funding": t("tooltip_funding", lang),
        "reach": t("tooltip_reach", lang), "precision": t("tooltip_precision", lang),
        "cluster": t("map_cluster_tooltip", lang, count="{count}"),
        "more": t("map_cluster_more", lang, count="{count}"),
        # Thousands as format_number groups them.
        "thousands": "," if lang == "en" else "\u00a0",
    }


def packed(values: Any, *, delta: bool = False) -> str:
    """Integers as base64 of zig-zag varints (differences from the previous value if
    ``delta``): a small number takes one byte, against three or more characters in JSON."""
    ints = np.asarray(values, dtype=np.int64)
    if delta:
        ints = np.diff(ints, prepend=np.int64(0))
    zigzag = ((ints << 1) ^ (ints >> 63)).astype(np.uint64)
    sizes = np.ones(len(zigzag), dtype=np.int64)
    rest = zigzag >> np.uint64(7)
    while rest.any():
        sizes += rest > 0
        rest >>= np.uint64(7)
    out = np.zeros(int(sizes.sum()), dtype=np.uint8)
    starts = np.cumsum(sizes) - sizes
    for k in range(int(sizes.max(initial=0))):
        has = sizes > k
        low = (zigzag[has] >> np.uint64(7 * k)) & np.uint64(0x7F)
        more = (sizes[has] > k + 1).astype(np.uint64) << np.uint64(7)
        out[starts[has] + k] = (low | more).astype(np.uint8)
    return base64.b64encode(out.tobytes()).decode("ascii")


# The number in a figure's text ("at least 1,234 EUR (derived)"): digits and the separators
# format_number writes between them (comma, point, no-break space).
_NUMBER = re.compile("\\d(?:[\\d,.\u00a0]*\\d)?")


def number_templates(texts: list[str]) -> dict[str, Any]:
    """Texts as the words around their first number (few distinct) plus the number.

    Text ``i`` is ``templates[t[i]][0] + numbers[i] + templates[t[i]][1]``; thousands of
    figure texts share a handful of templates ("{} EUR (derived)").
    """
    parts = []
    for text in texts:
        match = _NUMBER.search(text)
        parts.append((text, "", "") if match is None else
                     (text[:match.start()], match.group(), text[match.end():]))
    template, templates = _table(pd.Series([(head, tail) for head, _, tail in parts],
                                           dtype=object))
    return {"t": packed(template), "templates": [list(pair) for pair in templates],
            # Numbers hold no "|": one string is shorter than a list of strings.
            "numbers": "|".join(number for _, number, _ in parts)}


def deflated_json(value: object) -> str:
    """``value`` as JSON, zlib-deflated and base64-encoded (the browser's
    ``DecompressionStream("deflate")`` reads it back)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return base64.b64encode(zlib.compress(text.encode("utf-8"), 6)).decode("ascii")


def _table(column: pd.Series) -> tuple[list[int], list[Any]]:
    """Index of each value into the list of distinct values (in order of first use)."""
    codes, uniques = pd.factorize(column, sort=False)
    return codes.tolist(), list(uniques)


def site_data(points: gpd.GeoDataFrame, captions: Mapping[str, str] | None = None,
              *, labels: bool = False,
              radius_floor: float = MIN_RADIUS) -> dict[str, Any]:
    """What the browser needs to draw and describe ``points``, as compact arrays and tables.

    ``points`` has ``radius``, ``fill``, ``dash``, ``project_id`` (or ``project_ids``, the
    first is the site's project) and a point geometry; ``TEXT_COLUMNS`` are optional text;
    ``site_ids`` (optional) lists the sites a marker stands for (one when absent).
    """
    # A site without a point (a whole region, the whole country) has no marker: its NaN
    # coordinates would pack as a huge integer, i.e. an invented point far off the map.
    drawable = ~(np.isnan(points.geometry.x.to_numpy(dtype=float))
                 | np.isnan(points.geometry.y.to_numpy(dtype=float)))
    if not drawable.all():
        points = points.loc[drawable]
    n = len(points)
    aggregate = n > MAX_SEPARATE_SITES
    scale = MANY_SITES_COORDINATE_SCALE if aggregate else COORDINATE_SCALE
    frame = pd.DataFrame({
        "lon": np.rint(points.geometry.x.to_numpy() * scale).astype(np.int64),
        "lat": np.rint(points.geometry.y.to_numpy() * scale).astype(np.int64),
        "radius": np.rint(points["radius"].to_numpy(dtype=float) * RADIUS_SCALE).astype(np.int64),
        "fill": points["fill"].to_numpy(),
        "dash": points["dash"].notna().to_numpy(),
        "project": points["project_id"].to_numpy() if "project_id" in points
        else points["project_ids"].str[0].fillna("").to_numpy(),
    })
    # Sites per marker: a marker merges the sites of one project at one point.
    frame["sites"] = points["site_ids"].map(len).to_numpy(dtype=np.int64) \
        if "site_ids" in points else np.ones(n, dtype=np.int64)
    for column in TEXT_COLUMNS:
        frame[column] = points[column].fillna("").astype(str).to_numpy() \
            if column in points else ""
    reach = points["reach_value"] if "reach_value" in points else pd.Series([None] * n)
    frame["reach"] = pd.to_numeric(reach, errors="coerce").to_numpy()
    if aggregate:
        # Drawn cell by cell, so order for short deltas: by project, then west to east.
        frame = frame.sort_values(["project", "lon"], kind="stable")
    else:
        # Big markers first, so a small one at the same place stays clickable on top.
        frame = frame.sort_values("radius", ascending=False, kind="stable")
    colour, palette = _table(frame["fill"])
    precision, precision_texts = _table(frame["precision_text"])
    # Colour, outline and location precision repeat: one index into their combinations.
    style, styles = _table(pd.Series(list(zip(colour, frame["dash"].astype(int).tolist(),
                                               precision, strict=True))))
    project, project_ids = _table(frame["project"])
    firsts = frame.drop_duplicates("project")
    titles = dict(zip(firsts["project"].tolist(), firsts["title"].tolist(), strict=True))
    # Few markers merge several sites: their positions and counts, not a count per marker.
    merged = np.flatnonzero(frame["sites"].to_numpy() > 1)
    data: dict[str, Any] = {
        "n": n,
        "x": packed(frame["lon"], delta=True),
        "y": packed(frame["lat"], delta=True),
        "r": packed(frame["radius"], delta=True),
        "s": packed(style),
        "styles": [list(combination) for combination in styles],
        "qText": precision_texts,
        "p": packed(project, delta=True),
        "palette": palette,
        "projects": project_ids,
        "titles": [titles.get(p, "") for p in project_ids],
        "scale": scale,
        "radiusScale": RADIUS_SCALE,
        "captions": dict(captions or site_captions()),
        "many": {"at": packed(merged, delta=True),
                 "sites": packed(frame["sites"].to_numpy()[merged])},
    }
    codes, texts = _table(frame["name"])
    data["nm"], data["nmText"] = packed(codes, delta=True), texts
    for key, column in (("f", "funding_text"), ("h", "reach_text")):
        codes, texts = _table(frame[column])
        data[key] = packed(codes, delta=True)
        data[key + "Text"] = number_templates(texts)
    if labels:
        data["label"] = frame["label"].tolist()
    if aggregate:
        tables = {key: data.pop(key) for key in DEFLATED_TABLES}
        data["z"] = deflated_json(tables)
        # A circle's people are estimated from its sites' radii (area grows with people
        # reached above ``radius_floor``; dashed: not stated), which the sites carry anyway.
        data["cluster"] = {"cell": CLUSTER_CELL_PX, "mixed": MIXED_COLOUR,
                           "closest": ALL_SITES_ZOOM, "floor": radius_floor}
    return data


class SitesLayer(GeoJsonLayer):
    """Circle markers on the shared canvas; tooltips are built from the lookup tables on hover.

    Every marker carries ``feature.properties`` (``layer``: "site" or "cluster",
    ``project_ids``) so a click reports the site's project (streamlit-folium sends
    ``toGeoJSON()`` of the clicked layer).
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function (map, canvas, d) {
    // Integers packed by atlas.maps.sites.packed: base64 of zig-zag varints.
    function unpack(text, delta) {
        var bytes = atob(text), out = [], value = 0, scale = 1, last = 0;
        for (var i = 0; i < bytes.length; i++) {
            var b = bytes.charCodeAt(i);
            value += (b & 127) * scale;
            if (b & 128) { scale *= 128; continue; }
            var number = value % 2 ? -(value + 1) / 2 : value / 2;
            last = delta ? last + number : number;
            out.push(last);
            value = 0; scale = 1;
        }
        return out;
    }
    var n = d.n, lon = unpack(d.x, true), lat = unpack(d.y, true), proj = unpack(d.p, true),
        name = unpack(d.nm, true), fund = unpack(d.f, true), reach = unpack(d.h, true),
        rad = unpack(d.r, true), style = unpack(d.s), k = d.scale, cap = d.captions;
    // A browser test (and the benchmark) waits for this: true once the sites are on screen.
    window.atlasSitesDrawn = false;
    var sitesOf = new Uint32Array(n).fill(1), manyAt = unpack(d.many.at, true),
        manySites = unpack(d.many.sites);
    for (var q = 0; q < manyAt.length; q++) sitesOf[manyAt[q]] = manySites[q];
    // Called after a draw: the canvas paints on the next animation frame, and so is this
    // flag set (after the paint), with the number of sites the drawn markers stand for.
    function announce(count) {
        L.Util.requestAnimFrame(function () {
            window.atlasSitesDrawnCount = count;
            window.atlasSitesDrawn = true;
        });
    }
    // A text of number_templates: the words around it, the number in between.
    function templated(table) {
        var which = unpack(table.t), numbers = table.numbers.split("|");
        return function (j) {
            var around = table.templates[which[j]];
            return around ? around[0] + numbers[j] + around[1] : "";
        };
    }
    var figureTexts = null;  // decoded on the first tooltip
    function fundText(j) {
        figureTexts = figureTexts || [templated(d.fText), templated(d.hText)];
        return figureTexts[0](j);
    }
    function reachText(j) {
        figureTexts = figureTexts || [templated(d.fText), templated(d.hText)];
        return figureTexts[1](j);
    }
    // The deflated text tables (site_data's "z"), put into d before the first draw; without
    // DecompressionStream the sites are still drawn, their tooltips without texts.
    function inflated() {
        if (!d.z) return Promise.resolve();
        var none = {projects: [], titles: [], nmText: [],
                    fText: {t: "", templates: [], numbers: ""},
                    hText: {t: "", templates: [], numbers: ""}};
        return Promise.resolve().then(function () {
            var bytes = Uint8Array.from(atob(d.z), function (ch) { return ch.charCodeAt(0); });
            var stream = new Blob([bytes]).stream()
                .pipeThrough(new DecompressionStream("deflate"));
            return new Response(stream).text();
        }).then(function (text) {
            Object.assign(d, JSON.parse(text));
        }).catch(function () { Object.assign(d, none); });
    }
    function col(i) { return d.styles[style[i]][0]; }
    function dash(i) { return d.styles[style[i]][1]; }
    var group = L.featureGroup().addTo(map);
    group.atlasLabels = {label: d.label};
    function latlng(i) { return L.latLng(lat[i] / k, lon[i] / k); }
    function grouped(count) {
        return String(count).replace(/\\B(?=(\\d{3})+(?!\\d))/g, cap.thousands);
    }
    function site(i) {
        var m = L.circleMarker(latlng(i), {
            renderer: canvas, radius: rad[i] / d.radiusScale, color: "#1f1f1f", weight: 1.2,
            dashArray: dash(i) ? "3 3" : null, fillColor: d.palette[col(i)],
            fillOpacity: dash(i) ? 0.35 : 0.85
        });
        m.feature = {type: "Feature", properties: {
            layer: "site", project_ids: [d.projects[proj[i]]], site: i}};
        return m;
    }
    function line(box, text, bold) {
        var el = document.createElement(bold ? "b" : "div");
        el.textContent = text;
        box.appendChild(el);
    }
    group.bindTooltip(function (layer) {
        var p = layer.feature.properties, box = document.createElement("div");
        if (p.layer === "cluster") {
            line(box, cap.cluster.replace("{count}", grouped(p.count)), true);
            p.titles.forEach(function (title) { line(box, title); });
            if (p.more) line(box, cap.more.replace("{count}", grouped(p.more)));
            return box;
        }
        var i = p.site;
        line(box, d.nmText[name[i]], true);
        line(box, cap.project + ": " + d.titles[proj[i]]);
        line(box, cap.funding + ": " + fundText(fund[i]));
        line(box, cap.reach + ": " + reachText(reach[i]));
        line(box, cap.precision + ": " + d.qText[d.styles[style[i]][2]]);
        return box;
    }, {sticky: true});

{% if not this.data.cluster %}
    for (var i = 0; i < n; i++) group.addLayer(site(i));
    map.whenReady(function () {
        var count = 0;
        for (var i = 0; i < n; i++) count += sitesOf[i];
        announce(count);
    });
{% else %}
    // Nearby sites as one circle: a screen grid of cluster.cell pixels at the current zoom,
    // only over the visible part of the map, recomputed after every move.
    var counts = L.layerGroup().addTo(map), c = d.cluster, people = new Float64Array(n);
    for (var s = 0; s < n; s++) {
        var above = Math.max(rad[s] / d.radiusScale - c.floor, 0);
        people[s] = dash(s) ? -1 : above * above;
    }
    var wx = new Float64Array(n), wy = new Float64Array(n);
    for (var j = 0; j < n; j++) {
        var w = map.project(latlng(j), 0);
        wx[j] = w.x; wy[j] = w.y;
    }
    // A circle's area grows with the people its sites reach, against the most in view;
    // at most half a grid cell wide, so neighbouring circles rarely hide each other.
    function radius(people, most) {
        if (people < 0 || most <= 0) return 9;
        return 9 + (c.cell / 2 - 11) * Math.sqrt(people / most);
    }
    // Grid cells are drawn at the mean of their sites: two cells whose sites lie on either
    // side of their common edge gave two circles on top of each other, their numbers written
    // over each other. Cells closer than a cell's width join (the smaller into the larger)
    // until none are: circles are at most half a cell wide, so none overlap.
    function join(into, cell) {
        into.markers += cell.markers; into.count += cell.count;
        into.x += cell.x; into.y += cell.y;
        if (cell.people >= 0) into.people = Math.max(into.people, 0) + cell.people;
        if (into.colour !== cell.colour) into.colour = -1;
        cell.projects.forEach(function (p) { into.projects.add(p); });
    }
    function apart(list) {
        var near = c.cell * c.cell, joined = true;
        while (joined) {
            joined = false;
            list.sort(function (a, b) { return b.count - a.count; });
            for (var a = 0; a < list.length; a++) {
                var big = list[a];
                if (big.gone) continue;
                for (var b = a + 1; b < list.length; b++) {
                    var small = list[b];
                    if (small.gone) continue;
                    var dx = big.x / big.markers - small.x / small.markers,
                        dy = big.y / big.markers - small.y / small.markers;
                    if (dx * dx + dy * dy < near) {
                        join(big, small); small.gone = true; joined = true;
                    }
                }
            }
            list = list.filter(function (cell) { return !cell.gone; });
        }
        return list;
    }
    function draw() {
        group.clearLayers();
        counts.clearLayers();
        var zoom = map.getZoom(), scale = Math.pow(2, zoom), px = map.getPixelBounds();
        var pad = c.cell, x0 = px.min.x - pad, y0 = px.min.y - pad, x1 = px.max.x + pad,
            y1 = px.max.y + pad, cols = Math.ceil((x1 - x0) / c.cell) + 1;
        var all = zoom >= Math.min(map.getMaxZoom(), c.closest), cells = new Map(),
            inView = 0;
        for (var i = 0; i < n; i++) {
            var x = wx[i] * scale, y = wy[i] * scale;
            if (x < x0 || x > x1 || y < y0 || y > y1) continue;
            inView += sitesOf[i];
            if (all) { group.addLayer(site(i)); continue; }
            var key = Math.floor((y - y0) / c.cell) * cols + Math.floor((x - x0) / c.cell);
            var cell = cells.get(key);
            if (!cell) {
                cells.set(key, {first: i, markers: 1, count: sitesOf[i], x: x, y: y,
                                people: people[i], colour: col(i),
                                projects: new Set([proj[i]])});
                continue;
            }
            cell.markers++; cell.count += sitesOf[i]; cell.x += x; cell.y += y;
            if (people[i] >= 0) cell.people = Math.max(cell.people, 0) + people[i];
            if (cell.colour !== col(i)) cell.colour = -1;
            cell.projects.add(proj[i]);
        }
        var drawn = [], most = 0, kept = apart(Array.from(cells.values()));
        kept.forEach(function (cell) {
            if (cell.markers > 1) most = Math.max(most, cell.people);
        });
        kept.forEach(function (cell) {
            if (cell.markers === 1) { drawn.push(site(cell.first)); return; }
            var at = map.unproject([cell.x / cell.markers, cell.y / cell.markers], zoom);
            var r = radius(cell.people, most), projects = Array.from(cell.projects);
            var m = L.circleMarker(at, {
                renderer: canvas, radius: r, color: "#1f1f1f", weight: 1.2,
                dashArray: cell.people < 0 ? "3 3" : null,
                fillColor: cell.colour < 0 ? c.mixed : d.palette[cell.colour],
                fillOpacity: cell.people < 0 ? 0.35 : 0.75
            });
            var shown = projects.slice(0, 3);
            // Sites of one project open its card; of several, a click zooms in to them.
            m.feature = {type: "Feature", properties: {
                layer: projects.length === 1 ? "site" : "cluster", count: cell.count,
                project_ids: shown.map(function (p) { return d.projects[p]; }),
                titles: shown.map(function (p) { return d.titles[p]; }),
                more: projects.length - shown.length}};
            drawn.push(m);
            var text = document.createElement("span");
            text.className = "atlas-cluster-count";
            text.textContent = grouped(cell.count);
            L.marker(at, {interactive: false, keyboard: false, icon: L.divIcon({
                className: "atlas-cluster-icon", html: text, iconSize: null,
                iconAnchor: [0, 0]})}).addTo(counts);
        });
        // Big circles first, so a small one beside them stays clickable on top.
        drawn.sort(function (a, b) { return b.getRadius() - a.getRadius(); });
        drawn.forEach(function (m) { group.addLayer(m); });
        announce(inView);
    }
    group.on("click", function (e) {
        var p = e.layer && e.layer.feature && e.layer.feature.properties;
        if (p && p.layer === "cluster") {
            map.setView(e.layer.getLatLng(),
                        Math.min(map.getZoom() + 2, map.getMaxZoom(), c.closest));
        }
    });
    inflated().then(function () {
        map.on("moveend", draw);
        map.whenReady(draw);
    });
{% endif %}
    return group;
})({{ this._parent.get_name() }}, {{ this.canvas }}, {{ this.data_json }});
{% if this.labels %}
// Site names beside the markers (plain text through textContent, never parsed as HTML),
// placed by atlas.maps.labels' rule for the view the map is at, within the map's box: a name
// that has no free place at this view is left out (its site keeps its tooltip), and comes
// back when zooming in makes room for it.
{{ this.place_labels_js }}
(function (map, group, d) {
    var names = L.layerGroup().addTo(map), sizes = {}, ruler = null;
    // A name's box as the browser sets it (the print's estimate ran short of this bold type
    // by a tenth, so the map's edge cut names placed inside it); a little wider, as in print.
    function measured(i) {
        if (!sizes[i]) {
            if (!ruler) {
                ruler = document.createElement("span");
                ruler.className = "atlas-site-ruler";  // set as a name is
                ruler.style.cssText = "position:absolute;left:-10000px;top:0;visibility:hidden";
                document.body.appendChild(ruler);
            }
            ruler.textContent = d.label[i];
            var box = ruler.getBoundingClientRect();
            sizes[i] = [box.width + 2, box.height];
        }
        return sizes[i];
    }
    var shiftX = {start: "0", center: "-50%", end: "-100%"},
        shiftY = {top: "0", middle: "-50%", bottom: "-100%"};
    function place() {
        names.clearLayers();
        var size = map.getSize(), sites = [], candidates = [];
        group.eachLayer(function (layer) {
            var i = layer.feature.properties.site;
            if (!d.label[i]) { return; }
            var at = map.latLngToContainerPoint(layer.getLatLng());
            if (at.x < 0 || at.y < 0 || at.x > size.x || at.y > size.y) { return; }
            sites.push([i, layer]);
            candidates.push({x: at.x, y: at.y, radius: layer.getRadius(),
                             width: measured(i)[0], height: measured(i)[1],
                             importance: layer.getRadius()});
        });
        // In the order of the sites (larger markers first), as the rule's ties keep it.
        var order = sites.map(function (s, k) { return k; })
            .sort(function (a, b) { return sites[a][0] - sites[b][0]; });
        sites = order.map(function (k) { return sites[k]; });
        candidates = order.map(function (k) { return candidates[k]; });
        // The map's controls (zoom buttons, legend, scale) are no place for a name.
        var frame = map.getContainer().getBoundingClientRect(), blocked = [];
        map.getContainer().querySelectorAll(".leaflet-control").forEach(function (control) {
            var r = control.getBoundingClientRect();
            if (r.width && r.height) {
                blocked.push([r.left - frame.left, r.top - frame.top, r.right - frame.left,
                              r.bottom - frame.top]);
            }
        });
        var places = atlasPlaceLabels(candidates, [0, 0, size.x, size.y], blocked);
        window.atlasLabelPlaces = {candidates: candidates, places: places, blocked: blocked,
                                   names: sites.map(function (s) { return d.label[s[0]]; })};
        places.forEach(function (p, k) {
            if (!p) { return; }
            var c = candidates[k], text = document.createElement("span");
            text.className = "atlas-site-label";
            text.style.transform = "translate(" + shiftX[p.align] + "," + shiftY[p.baseline] + ")";
            text.textContent = d.label[sites[k][0]];
            L.marker(sites[k][1].getLatLng(), {
                interactive: false, keyboard: false,
                icon: L.divIcon({className: "atlas-site-label-icon", html: text, iconSize: null,
                                 iconAnchor: [c.x - p.x, c.y - p.y]})
            }).addTo(names);
        });
        // A name the map's edge would cut all the same (a font that came late) is left out
        // (its site keeps its tooltip).
        names.eachLayer(function (marker) {
            var box = marker.getElement().firstChild.getBoundingClientRect();
            if (box.left < frame.left || box.right > frame.right || box.top < frame.top
                    || box.bottom > frame.bottom) {
                marker.getElement().style.visibility = "hidden";
            }
        });
    }
    map.on("zoomend moveend resize", place);
    // The legend opened or folded: it takes another box.
    map.getContainer().addEventListener("toggle", place, true);
    place();
})({{ this._parent.get_name() }}, {{ this.get_name() }}, {{ this.get_name() }}.atlasLabels);
{% endif %}
{% endmacro %}
{% macro header(this, kwargs) %}
<style>
{% if this.data.cluster %}
.atlas-cluster-icon{background:none;border:none;width:0;height:0}
.atlas-cluster-count{position:absolute;transform:translate(-50%,-50%);
 font:700 10px/1 system-ui,sans-serif;color:#fff;white-space:nowrap;
 text-shadow:0 0 2px #000,0 0 2px #000}
{% endif %}
{% if this.labels %}
.atlas-site-label-icon{background:none;border:none}
.atlas-site-label,.atlas-site-ruler{display:inline-block;
 font:600 {{ this.label_font_px }}px/1.2 system-ui,sans-serif;white-space:nowrap}
.atlas-site-label{color:#000;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff}
{% endif %}
</style>
{% endmacro %}
"""
    )

    def __init__(self, data: dict[str, Any], name: str, labels: bool = False) -> None:
        super().__init__(data, name)
        self.labels = labels
        self.label_font_px = LABEL_FONT_PX
        self.place_labels_js = PLACE_LABELS_JS
        self.data_json = script_json(data, compact=True)


def sites_layer(points: gpd.GeoDataFrame, name: str = "sites", labels: bool = False,
                captions: Mapping[str, str] | None = None,
                radius_floor: float = MIN_RADIUS) -> SitesLayer:
    """Layer from points with ``radius``, ``fill``, ``dash``, ``project_ids`` (see
    ``site_data``); ``captions`` are the tooltip's words in the viewer's language.

    ``labels`` writes each site's name (column ``label``, plain text) beside its marker;
    ``radius_floor`` is the radius of a site that reaches no one (see ``site_data``).
    """
    require_wgs84(points, "sites")
    return SitesLayer(site_data(points, captions, labels=labels, radius_floor=radius_floor),
                      name, labels)
