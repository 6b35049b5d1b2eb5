"""The flows layer: curved lines from donors to implementers to sites, width by amount.

Legs that share both ends and a donor (the EU's two grants to ARGO, Astana -> Almaty) are
merged into one line whose amount is their honest total and whose tooltip lists each. Lines
curve to the right of their direction of travel, so a flow and its way back never overlap.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from html import escape

import geopandas as gpd
import pandas as pd
from jinja2 import Template
from shapely.geometry import LineString, Point

from atlas.figures import Figure, format_figure, total
from atlas.flows import Anchor, FlowLeg, FlowMap
from atlas.i18n import t
from atlas.maps import style
from atlas.maps.layers import GeoJsonLayer, feature_collection, require_wgs84
from atlas.maps.legend import LegendSection, Swatch
from atlas.maps.texts import localized_by_id
from atlas.money import describe_conversion
from atlas.query import donor_ids
from atlas.snapshot import Snapshot

FLOW_PROPERTIES = ["layer", "kind", "colour", "weight", "dash", "opacity", "radius", "tooltip"]
MIN_WEIGHT, MAX_WEIGHT = 1.5, 12.0
PARTNER_COLOUR = "#5a5a5a"
ANCHOR_FILL = {"home": "#ffffff", "entry": "#ffd400", "edge": "#ffd400"}


def flow_weight(value: float | None, largest: float) -> float:
    """Line width in pixels, proportional to the amount; unknown amounts get the minimum."""
    if value is None or largest <= 0:
        return MIN_WEIGHT
    return MIN_WEIGHT + (MAX_WEIGHT - MIN_WEIGHT) * max(value, 0) / largest


def arc(start: tuple[float, float], end: tuple[float, float], bend: float = 0.18,
        steps: int = 24) -> LineString:
    """A quadratic curve from ``start`` to ``end`` (lon/lat), bulging to the right."""
    (x0, y0), (x1, y1) = start, end
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    dx, dy = x1 - x0, y1 - y0
    cx, cy = mx + dy * bend, my - dx * bend  # right-hand normal
    points = []
    for i in range(steps + 1):
        u = i / steps
        a, b, c = (1 - u) ** 2, 2 * (1 - u) * u, u**2
        points.append((round(a * x0 + b * cx + c * x1, 5), round(a * y0 + b * cy + c * y1, 5)))
    return LineString(points)


@dataclass
class _Line:
    kind: str
    start: Anchor
    end: tuple[float, float]
    donor_id: str | None
    legs: list[FlowLeg]

    @property
    def figure(self) -> Figure:
        return total(leg.figure for leg in self.legs)


def _merge(legs: list[FlowLeg]) -> list[_Line]:
    lines: dict[tuple[object, ...], _Line] = {}
    for leg in legs:
        key = (leg.kind, leg.start.lon, leg.start.lat, leg.end, leg.donor_id, leg.to_id)
        if key not in lines:
            lines[key] = _Line(leg.kind, leg.start, leg.end, leg.donor_id, [])
        lines[key].legs.append(leg)
    return list(lines.values())


class _Names:
    """Display names of organizations, sites, places and projects in one language."""

    def __init__(self, snap: Snapshot, lang: str) -> None:
        self.lang = lang
        self.orgs = snap.organization_names(lang)
        # Whole columns, once per snapshot: a lookup per row took seconds at 100,000 sites.
        self.sites = localized_by_id(snap, "sites", "site_id", "name", lang)
        self.places = localized_by_id(snap, "places", "place_id", "name", lang)
        self.projects = localized_by_id(snap, "projects", "project_id", "title", lang)
        self.site_counts = snap.sites.groupby("project_id").size().to_dict()

    def end(self, leg: FlowLeg) -> str:
        return self.sites.get(leg.to_id) or self.orgs.get(leg.to_id, leg.to_id)


def _leg_detail(leg: FlowLeg, names: _Names, currency: str) -> str:
    lang = names.lang
    amount = format_figure(leg.figure, lang, currency)
    if leg.kind == "site":
        n = names.site_counts.get(leg.project_id, 1)
        return f"{amount} ({t('flow_site_share', lang, n=n)})"
    c = leg.conversion
    if c is not None and c.original.is_known and c.changed_currency:
        return f"{amount}: {describe_conversion(c, lang)}"
    if c is not None and not c.original.is_known and leg.figure.is_known:
        return f"{amount} ({t('amount_not_stated', lang)}; {t('flow_bound', lang)})"
    return amount


def _tooltip(line: _Line, names: _Names, currency: str) -> str:
    lang = names.lang
    first = line.legs[0]
    head = f"{names.orgs[first.from_id]} → {names.end(first)}"
    if line.kind == "partner":
        rows = [f"<b>{escape(names.orgs[first.from_id])}</b> · "
                f"{escape(t('flow_partner_of', lang, lead=names.orgs[first.to_id]))}"]
        rows += [escape(names.projects[leg.project_id]) for leg in line.legs]
        rows.append(f"<i>{escape(t('flow_partner_money', lang))}</i>")
        return "<br>".join(rows)
    rows = [f"<b>{escape(head)}</b>"]
    if len(line.legs) > 1:
        rows.append(f"{escape(t('flow_total', lang))}: "
                    f"<b>{escape(format_figure(line.figure, lang, currency))}</b>")
    for leg in line.legs:
        rows.append(f"{escape(names.projects[leg.project_id])}: "
                    f"{escape(_leg_detail(leg, names, currency))}")
    if first.start.how != "home":
        rows.append(f"<i>{escape(_anchor_text(first.start, names))}</i>")
    return "<br>".join(rows)


def _anchor_text(anchor: Anchor, names: _Names) -> str:
    lang = names.lang
    org = names.orgs[anchor.org_id]
    place = names.places.get(anchor.place_id, anchor.place_id)
    if anchor.how == "entry":
        return t("flow_enters_at", lang, org=org, place=place)
    if anchor.how == "edge":
        return t("flow_enters_edge", lang, org=org, place=place)
    return f"{org} — {place}"


def flow_features(snap: Snapshot, flow_map: FlowMap, lang: str = "en",
                  currency: str = "EUR") -> gpd.GeoDataFrame:
    """Lines (merged legs) and the organizations' anchor points, with style and tooltip."""
    names = _Names(snap, lang)
    # flow_legs keeps only known donors, so this is the map's own donor palette.
    palette = style.donor_palette(donor_ids(snap))
    lines = _merge(flow_map.legs)
    money = [ln.figure.value for ln in lines if ln.kind != "partner" and ln.figure.value]
    largest = max(money, default=0.0)
    rows = []
    # Thick lines first, so thin ones stay visible (and hoverable) on top of them.
    for line in sorted(lines, key=lambda ln: -(ln.figure.value or 0)):
        figure = line.figure
        known = figure.value is not None
        dash: str | None
        if line.kind == "partner":
            colour, weight, dash, opacity = PARTNER_COLOUR, 1.2, "2 5", 0.8
        else:
            colour = palette.get(line.donor_id or "", style.UNCOLOURED)
            weight = flow_weight(figure.value, largest)
            dash = None if known else "5 5"
            opacity = 0.7
        rows.append({
            "kind": line.kind, "colour": colour, "weight": round(weight, 2), "dash": dash,
            "opacity": opacity, "radius": None, "tooltip": _tooltip(line, names, currency),
            "geometry": arc((line.start.lon, line.start.lat), line.end,
                            bend=0.12 if line.kind == "site" else 0.18),
        })
    anchors: dict[tuple[str, float, float], Anchor] = {}
    for leg in flow_map.legs:
        for a in (leg.start, leg.end_anchor):
            if a is not None:
                anchors.setdefault((a.org_id, a.lon, a.lat), a)
    by_point: dict[tuple[float, float], list[Anchor]] = defaultdict(list)
    for a in anchors.values():
        by_point[(a.lon, a.lat)].append(a)
    for (lon, lat), group in sorted(by_point.items()):
        how = "entry" if any(a.how == "entry" for a in group) else \
            ("edge" if any(a.how == "edge" for a in group) else "home")
        tooltip = "<br>".join(escape(_anchor_text(a, names)) for a in
                              sorted(group, key=lambda a: names.orgs[a.org_id]))
        rows.append({
            "kind": f"anchor_{how}", "colour": "#1f1f1f", "weight": 1.5, "dash": None,
            "opacity": 1.0, "radius": 6.5 if how != "home" else 4.5, "fill": ANCHOR_FILL[how],
            "tooltip": tooltip, "geometry": Point(lon, lat),
        })
    frame = pd.DataFrame(rows, columns=[*FLOW_PROPERTIES[1:], "fill", "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


class FlowsLayer(GeoJsonLayer):
    """Lines and anchor points on the shared canvas (under the sites, above the regions)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.geoJSON({{ this.data_json }}, {
    style: function (feature) {
        var p = feature.properties;
        return {renderer: {{ this.canvas }}, color: p.colour, weight: p.weight,
                opacity: p.opacity, dashArray: p.dash || null, lineCap: "round"};
    },
    pointToLayer: function (feature, latlng) {
        var p = feature.properties;
        return L.circleMarker(latlng, {
            renderer: {{ this.canvas }}, radius: p.radius, color: p.colour, weight: p.weight,
            fillColor: p.fill, fillOpacity: 1
        });
    },
    onEachFeature: function (feature, layer) {
        layer.bindTooltip(feature.properties.tooltip, {sticky: true});
    }
}).addTo({{ this._parent.get_name() }});
{% endmacro %}
"""
    )


def flows_layer(features: gpd.GeoDataFrame, name: str = "flows") -> FlowsLayer:
    """Layer from ``flow_features`` output (tooltips are escaped HTML)."""
    require_wgs84(features, "flows")
    features = features.assign(layer="flow")
    return FlowsLayer(feature_collection(features, [*FLOW_PROPERTIES, "fill"]), name)


def flows_legend(snap: Snapshot, flow_map: FlowMap, features: gpd.GeoDataFrame, lang: str,
                 currency: str) -> LegendSection:
    """The legend section of the flows layer: width, colours, dashes and where donors enter."""
    names = _Names(snap, lang)
    lines = features.loc[~features["kind"].str.startswith("anchor")]
    money = lines.loc[lines["kind"] != "partner"]
    swatches = []
    widest = max((ln.figure.value or 0 for ln in _merge(flow_map.legs) if ln.kind != "partner"),
                 default=0.0)
    if widest:
        swatches.append(Swatch("#555555", t("flow_width", lang, amount=format_figure(
            Figure(widest), lang, currency)), "line", MAX_WEIGHT / 2))
    palette = style.donor_palette(donor_ids(snap))
    for colour in dict.fromkeys(money["colour"]):
        donors = sorted({leg.donor_id for leg in flow_map.legs
                         if leg.donor_id and palette.get(leg.donor_id) == colour})
        label = ", ".join(names.orgs[d] for d in donors) or t("flow_unnamed_funder", lang)
        swatches.append(Swatch(colour, label, "line", 4))
    if money["dash"].notna().any():
        swatches.append(Swatch("#555555", t("amount_not_stated", lang), "line", 2,
                               outline_dashed=True))
    if (lines["kind"] == "partner").any():
        swatches.append(Swatch(PARTNER_COLOUR, t("flow_partner_legend", lang), "line", 1,
                               outline_dashed=True))
    anchors = {leg.start for leg in flow_map.legs} | \
        {leg.end_anchor for leg in flow_map.legs if leg.end_anchor}
    for a in sorted((a for a in anchors if a.how != "home"), key=lambda a: (a.how, a.org_id)):
        swatches.append(Swatch(ANCHOR_FILL[a.how], _anchor_text(a, names), "circle"))
    swatches.append(Swatch(ANCHOR_FILL["home"], t("flow_home", lang), "circle", 9))
    return LegendSection(t("flows_layer", lang), tuple(swatches), t("flow_note", lang))
