"""The flows layer: curved lines from donors to implementers to sites, width by amount.

Legs that share both ends and a donor (the EU's two grants to ARGO, Astana -> Almaty) are
merged into one line whose amount is their honest total and whose tooltip lists each. Lines
curve to the right of their direction of travel, so a flow and its way back never overlap.

A view of thousands of projects would draw thousands of lines no one can tell apart (and
megabytes of tooltips): above ``MAX_FLOW_LINES`` lines, the legs to sites are grouped by
donor, implementer (where the line starts) and region into one line ending at the centre of
those sites, and tooltips name a few projects and count the rest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from html import escape

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from jinja2 import Template
from shapely.geometry import LineString, Point

from atlas.cards import conversion_in_words, inferred_note
from atlas.figures import Figure, format_figure, format_number, total
from atlas.flows import Anchor, FlowLeg, FlowMap
from atlas.i18n import t
from atlas.maps import style
from atlas.maps.layers import GeoJsonLayer, feature_collection, require_wgs84, script_json
from atlas.maps.legend import LegendSection, Swatch
from atlas.maps.texts import localized_by_id
from atlas.query import donor_ids, donor_ranking, project_index
from atlas.snapshot import Snapshot

FLOW_PROPERTIES = ["layer", "kind", "colour", "weight", "dash", "opacity", "radius", "tooltip"]
MIN_WEIGHT, MAX_WEIGHT = 1.5, 12.0
PARTNER_COLOUR = "#5a5a5a"
# Long dashes: who pays whom is our reading, not stated (short ones: amount not stated).
UNKNOWN_DASH = "5 5"


def inferred_dash(weight: float) -> str:
    """Dashes for a line of ``weight`` px whose route is inferred: the gap is wider than the
    line, or the round caps of a wide line close it and the line reads as solid."""
    dash, gap = max(12.0, 2.5 * weight), max(8.0, 2.0 * weight)
    return f"{dash:g} {gap:g}"
ANCHOR_FILL = {"home": "#ffffff", "entry": "#ffd400", "edge": "#ffd400"}
# Above this many lines a map is a tangle: site legs are grouped by donor, start and region.
MAX_FLOW_LINES = 300
# What a grouped map's tooltip lists before "…and N more" (its size stays bounded).
TOOLTIP_ITEMS = 3
# Organizations named at one anchor point, and legend entries per list, on a grouped map.
ANCHOR_NAMES = 6
LEGEND_ITEMS = 8
# The most lines a grouped map draws (the widest ones): about 1.5 MB with their tooltips.
MAX_DRAWN_LINES = 1500
# Points per arc: 24 segments read as a smooth curve; a grouped map draws thousands of
# lines, where 12 look the same at the explorer's zoom and halve the data.
ARC_STEPS, GROUPED_ARC_STEPS = 24, 12


def flow_weight(value: float | None, largest: float) -> float:
    """Line width in pixels, proportional to the amount; unknown amounts get the minimum."""
    if value is None or largest <= 0:
        return MIN_WEIGHT
    return MIN_WEIGHT + (MAX_WEIGHT - MIN_WEIGHT) * max(value, 0) / largest


def arc_coordinates(starts: np.ndarray, ends: np.ndarray, bends: np.ndarray,
                    steps: int = ARC_STEPS) -> np.ndarray:
    """Quadratic curves from each start to each end (lon/lat rows), bulging to the right:
    shape (lines, steps + 1, 2), unrounded."""
    starts, ends = np.asarray(starts, dtype=float), np.asarray(ends, dtype=float)
    middle = (starts + ends) / 2
    delta = ends - starts
    bends = np.asarray(bends, dtype=float)[:, None]
    # The right-hand normal of the direction of travel: (dy, -dx).
    control = middle + np.stack([delta[:, 1], -delta[:, 0]], axis=1) * bends
    u = np.array([i / steps for i in range(steps + 1)])
    a, b, c = ((1 - u) ** 2)[None, :, None], (2 * (1 - u) * u)[None, :, None], (u**2)[None, :, None]
    return (a * starts[:, None, :] + b * control[:, None, :]) + c * ends[:, None, :]


def arcs(starts: np.ndarray, ends: np.ndarray, bends: np.ndarray,
         steps: int = ARC_STEPS) -> np.ndarray:
    """``arc`` for many lines at once: an array of LineStrings."""
    coords = arc_coordinates(starts, ends, bends, steps)
    if not len(coords):
        return np.array([], dtype=object)
    # Python's round, not numpy's: the same digits as one arc at a time, to the last bit.
    rounded = np.array([round(v, 5) for v in coords.ravel().tolist()]).reshape(coords.shape)
    return shapely.linestrings(rounded)


def arc(start: tuple[float, float], end: tuple[float, float], bend: float = 0.18,
        steps: int = ARC_STEPS) -> LineString:
    """A quadratic curve from ``start`` to ``end`` (lon/lat), bulging to the right."""
    line: LineString = arcs(np.array([start]), np.array([end]), np.array([bend]), steps)[0]
    return line


@dataclass
class _Line:
    kind: str
    start: Anchor
    end: tuple[float, float]
    donor_id: str | None
    legs: list[FlowLeg]
    region: str | None = None  # a grouped site line: the region of its sites
    sites: int = 0  # a grouped site line: how many sites it stands for

    @cached_property
    def figure(self) -> Figure:
        return total(leg.figure for leg in self.legs)


def _merge(legs: Iterable[FlowLeg]) -> list[_Line]:
    lines: dict[tuple[object, ...], _Line] = {}
    for leg in legs:
        key = (leg.kind, leg.start.lon, leg.start.lat, leg.end, leg.donor_id, leg.to_id)
        if key not in lines:
            lines[key] = _Line(leg.kind, leg.start, leg.end, leg.donor_id, [])
        lines[key].legs.append(leg)
    return list(lines.values())


def _grouped(legs: list[FlowLeg], region_of: Callable[[str], str]) -> list[_Line]:
    """Funding and partner legs merged as ``_merge`` does; site legs grouped by donor, start
    anchor and the region of the site, each group ending at the centre of its sites."""
    site_legs = [leg for leg in legs if leg.kind == "site"]
    lines = _merge(leg for leg in legs if leg.kind != "site")
    groups: dict[tuple[object, ...], list[FlowLeg]] = defaultdict(list)
    for leg in site_legs:
        groups[(leg.donor_id, leg.start, region_of(leg.to_id))].append(leg)
    for (donor, start, region), group in groups.items():
        points = list(dict.fromkeys(leg.end for leg in group))
        end = (round(sum(x for x, _ in points) / len(points), 5),
               round(sum(y for _, y in points) / len(points), 5))
        lines.append(_Line("site", start, end, donor, group,  # type: ignore[arg-type]
                           region=str(region), sites=len({leg.to_id for leg in group})))
    return lines


def _bend(line: _Line) -> float:
    return 0.12 if line.kind == "site" else 0.18


def _drawn_lines(snap: Snapshot, flow_map: FlowMap) -> tuple[list[_Line], bool]:
    """The lines to draw, and whether site legs were grouped (too many lines otherwise)."""
    ends = {(leg.kind, leg.start.lon, leg.start.lat, leg.end, leg.donor_id, leg.to_id)
            for leg in flow_map.legs}
    if len(ends) <= MAX_FLOW_LINES:
        return _merge(flow_map.legs), False
    regions = snap.derived("maps.flows.site_regions", lambda: dict(zip(
        snap.sites["site_id"].tolist(), snap.sites["region_code"].tolist(), strict=True)))
    return _grouped(flow_map.legs, lambda site: str(regions.get(site, ""))), True


class _Names:
    """Display names of organizations, sites, places and projects in one language, from the
    per-snapshot name tables the site layer reads too (``atlas.maps.texts``)."""

    def __init__(self, snap: Snapshot, lang: str) -> None:
        self.snap = snap
        self.lang = lang
        self.orgs = snap.organization_names(lang)

    def site(self, site_id: str) -> str | None:
        return localized_by_id(self.snap, "sites", "site_id", "name", self.lang).get(site_id)

    def place(self, place_id: str) -> str:
        return localized_by_id(self.snap, "places", "place_id", "name", self.lang).get(
            place_id, place_id)

    def project(self, project_id: str) -> str:
        return localized_by_id(self.snap, "projects", "project_id", "title", self.lang)[
            project_id]

    def site_count(self, project_id: str) -> int:
        return len(project_index(self.snap).rows("sites", project_id)) or 1

    def end(self, leg: FlowLeg) -> str:
        return self.site(leg.to_id) or self.orgs.get(leg.to_id, leg.to_id)


def inferred_routes(snap: Snapshot, lang: str) -> dict[str, str]:
    """Flow id -> "our reading, not stated: <why>" (the card's words) for each money flow
    whose route (who pays whom) is our reading rather than the source's words."""
    def build() -> dict[str, str]:
        flows = snap.table("funding_flows")
        if "route_qualifier" not in flows.columns:
            return {}
        rows = flows.loc[flows["route_qualifier"].eq("inferred")].to_dict("records")
        return {str(r["flow_id"]): inferred_note(r, lang, "route_qualifier", "route_basis")
                for r in rows}
    return snap.derived(("maps.flows.inferred_routes", lang), build)


def _line_inferred(line: _Line, inferred: dict[str, str]) -> bool:
    """A money line any of whose flows has an inferred route: drawn as such."""
    return line.kind != "partner" and any(leg.flow_id in inferred for leg in line.legs)


def _leg_detail(leg: FlowLeg, names: _Names, currency: str, converted: bool = True) -> str:
    lang = names.lang
    amount = format_figure(leg.figure, lang, currency)
    if leg.kind == "site":
        n = names.site_count(leg.project_id)
        return f"{amount} ({t('flow_site_share', lang, n=n)})"
    c = leg.conversion
    if converted and c is not None and c.original.is_known and c.changed_currency:
        return f"{amount}: {conversion_in_words(names.snap, c, lang)}"
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
        rows += [escape(names.project(leg.project_id)) for leg in line.legs]
        rows.append(f"<i>{escape(t('flow_partner_money', lang))}</i>")
        return "<br>".join(rows)
    rows = [f"<b>{escape(head)}</b>"]
    if len(line.legs) > 1:
        rows.append(f"{escape(t('flow_total', lang))}: "
                    f"<b>{escape(format_figure(line.figure, lang, currency))}</b>")
    inferred = inferred_routes(names.snap, lang)
    for leg in line.legs:
        rows.append(f"{escape(names.project(leg.project_id))}: "
                    f"{escape(_leg_detail(leg, names, currency))}")
        if leg.flow_id in inferred:
            rows.append(f"<i>{escape(inferred[leg.flow_id])}</i>")
    if first.start.how != "home":
        rows.append(f"<i>{escape(_anchor_text(first.start, names))}</i>")
    return "<br>".join(rows)


def _more(rows: list[str], hidden: int, lang: str) -> list[str]:
    return [*rows, f"<i>{escape(t('list_more', lang, n=hidden))}</i>"] if hidden > 0 else rows


def _by_project(legs: list[FlowLeg]) -> list[tuple[str, Figure]]:
    """Each project's total over ``legs``, largest first (unknown amounts last)."""
    figures: dict[str, list[Figure]] = defaultdict(list)
    for leg in legs:
        figures[leg.project_id].append(leg.figure)
    totals = [(pid, total(fs)) for pid, fs in figures.items()]
    return sorted(totals, key=lambda item: -(item[1].value if item[1].value is not None
                                             else -np.inf))


def _grouped_tooltip(line: _Line, names: _Names, currency: str) -> str:
    """A tooltip of bounded size: the head, the total and the largest few projects."""
    lang = names.lang
    first = line.legs[0]
    source = names.orgs.get(first.from_id, first.from_id)
    if line.kind == "partner":
        rows = [f"<b>{escape(source)}</b> · "
                f"{escape(t('flow_partner_of', lang, lead=names.orgs.get(first.to_id, '')))}"]
        projects = list(dict.fromkeys(leg.project_id for leg in line.legs))
        rows += [escape(names.project(p)) for p in projects[:TOOLTIP_ITEMS]]
        rows = _more(rows, len(projects) - TOOLTIP_ITEMS, lang)
        rows.append(f"<i>{escape(t('flow_partner_money', lang))}</i>")
        return "<br>".join(rows)
    if line.kind == "site" and line.region is not None:
        region = names.snap.region_names(lang).get(line.region) or line.region
        head = t("flow_group_head", lang, org=source, region=region,
                 n=format_number(line.sites, lang))
    else:
        head = f"{source} → {names.end(first)}"
    rows = [f"<b>{escape(head)}</b>"]
    if line.kind == "site" and line.donor_id:
        rows.append(escape(t("flow_group_donor", lang,
                             donor=names.orgs.get(line.donor_id, line.donor_id))))
    rows.append(f"{escape(t('flow_total', lang))}: "
                f"<b>{escape(format_figure(line.figure, lang, currency))}</b>")
    if line.kind == "site":
        per_project = _by_project(line.legs)
        rows += [f"{escape(names.project(pid))}: {escape(format_figure(f, lang, currency))}"
                 for pid, f in per_project[:TOOLTIP_ITEMS]]
        rows = _more(rows, len(per_project) - TOOLTIP_ITEMS, lang)
    else:
        largest = sorted(line.legs, key=lambda leg: -(leg.figure.value if leg.figure.value
                                                       is not None else -np.inf))
        # Amounts only: how each was converted is in the explorer's note on conversions, and
        # a rate's sources would make each tooltip ten times longer.
        rows += [f"{escape(names.project(leg.project_id))}: "
                 f"{escape(_leg_detail(leg, names, currency, converted=False))}"
                 for leg in largest[:TOOLTIP_ITEMS]]
        rows = _more(rows, len(line.legs) - TOOLTIP_ITEMS, lang)
    if first.start.how != "home":
        rows.append(f"<i>{escape(_anchor_text(first.start, names))}</i>")
    return "<br>".join(rows)


def _anchor_text(anchor: Anchor, names: _Names) -> str:
    lang = names.lang
    org = names.orgs[anchor.org_id]
    place = names.place(anchor.place_id)
    if anchor.how == "entry":
        return t("flow_enters_at", lang, org=org, place=place)
    if anchor.how == "edge":
        return t("flow_enters_edge", lang, org=org, place=place)
    return f"{org} — {place}"


def _known_sums(lines: list[_Line]) -> list[float]:
    """Each line's sum of known amounts (0 if none), which orders a grouped map's lines;
    summed as whole columns, so that ``total`` runs only for the lines that are drawn (its
    last bit may differ from ``total``'s, which only matters between equal lines)."""
    if not lines:
        return []
    values = np.array([leg.figure.value for ln in lines for leg in ln.legs], dtype=float)
    codes = np.repeat(np.arange(len(lines)), [len(ln.legs) for ln in lines])
    sums: list[float] = np.bincount(codes, weights=np.nan_to_num(values),
                                    minlength=len(lines)).tolist()
    return sums


def flow_features(snap: Snapshot, flow_map: FlowMap, lang: str = "en",
                  currency: str = "EUR") -> gpd.GeoDataFrame:
    """Lines (merged legs, or grouped ones on a large view) and the organizations' anchor
    points, with style and tooltip; ``amount`` is a line's total (NaN if unknown or none),
    ``not_drawn`` how many of a grouped view's thinnest lines were left out."""
    names = _Names(snap, lang)
    # flow_legs keeps only known donors, so this is the map's own donor palette.
    palette = style.donor_palette(donor_ranking(snap))
    lines, grouped = _drawn_lines(snap, flow_map)
    # Thick lines first, so thin ones stay visible (and hoverable) on top of them.
    weights = _known_sums(lines) if grouped else [ln.figure.value or 0 for ln in lines]
    order = sorted(range(len(lines)), key=weights.__getitem__, reverse=True)
    # Past a few thousand lines even grouped ones are a blur (100,000 sites: 19,000 lines,
    # 9 MB): the thinnest (and the co-implementer lines, which carry no amount) go unseen.
    not_drawn = max(len(order) - MAX_DRAWN_LINES, 0) if grouped else 0
    order = order[:len(order) - not_drawn]
    figures = {i: lines[i].figure for i in order}
    money = [value for i in order if lines[i].kind != "partner"
             and (value := figures[i].value) is not None and value]
    largest = max(money, default=0.0)
    tooltip = _grouped_tooltip if grouped else _tooltip
    inferred = inferred_routes(snap, lang)
    rows = []
    for i in order:
        line, figure = lines[i], figures[i]
        known = figure.value is not None
        dash: str | None
        dashed = False
        if line.kind == "partner":
            colour, weight, dash, opacity = PARTNER_COLOUR, 1.2, "2 5", 0.8
        else:
            colour = palette.get(line.donor_id or "", style.UNCOLOURED)
            weight = flow_weight(figure.value, largest)
            dashed = _line_inferred(line, inferred)
            dash = inferred_dash(weight) if dashed else (None if known else UNKNOWN_DASH)
            opacity = 0.7
        rows.append({
            "kind": line.kind, "colour": colour, "weight": round(weight, 2), "dash": dash,
            "opacity": opacity, "radius": None, "tooltip": tooltip(line, names, currency),
            "inferred": line.kind != "partner" and dashed,
            "amount": figure.value if line.kind != "partner" and known else np.nan,
            "bend": _bend(line), "grouped": grouped, "not_drawn": not_drawn,
        })
    geometry = list(arcs(
        np.array([(lines[i].start.lon, lines[i].start.lat) for i in order]).reshape(-1, 2),
        np.array([lines[i].end for i in order]).reshape(-1, 2),
        np.array([_bend(lines[i]) for i in order]),
        GROUPED_ARC_STEPS if grouped else ARC_STEPS))
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
        ordered = sorted(group, key=lambda a: names.orgs[a.org_id])
        shown = ordered[:ANCHOR_NAMES] if grouped else ordered
        texts = [escape(_anchor_text(a, names)) for a in shown]
        rows.append({
            "kind": f"anchor_{how}", "colour": "#1f1f1f", "weight": 1.5, "dash": None,
            "opacity": 1.0, "radius": 6.5 if how != "home" else 4.5, "fill": ANCHOR_FILL[how],
            "tooltip": "<br>".join(_more(texts, len(ordered) - len(shown), lang)),
            "amount": np.nan, "bend": np.nan, "grouped": grouped, "not_drawn": not_drawn,
        })
        geometry.append(Point(lon, lat))
    frame = pd.DataFrame(rows, columns=[*FLOW_PROPERTIES[1:], "fill", "amount", "bend",
                                        "grouped", "not_drawn", "inferred"])
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


class FlowsLayer(GeoJsonLayer):
    """Lines and anchor points on the shared canvas (under the sites, above the regions)."""

    curve_steps = 0  # set: lines come as their two ends and a bend, curved in the browser

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.geoJSON({{ this.data_json }}, {
{%- if this.curve_steps %}
    filter: function (feature) {
        // A grouped map sends each line as its two ends and its bend; the curve is the
        // quadratic of ``arc`` (Python), drawn here: a tenth of the data of its points.
        var p = feature.properties, c = feature.geometry.coordinates;
        if (p.bend && c.length === 2) {
            var x0 = c[0][0], y0 = c[0][1], x1 = c[1][0], y1 = c[1][1];
            var cx = (x0 + x1) / 2 + (y1 - y0) * p.bend, cy = (y0 + y1) / 2 - (x1 - x0) * p.bend;
            var n = {{ this.curve_steps }}, points = [];
            for (var i = 0; i <= n; i++) {
                var u = i / n, a = (1 - u) * (1 - u), b = 2 * (1 - u) * u, d = u * u;
                points.push([a * x0 + b * cx + d * x1, a * y0 + b * cy + d * y1]);
            }
            feature.geometry.coordinates = points;
        }
        return true;
    },
{%- endif %}
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
{%- if this.curve_steps %}
        // Rows come separated by newlines (a "<br>" is 14 bytes in escaped JSON).
        layer.bindTooltip(feature.properties.tooltip.split("\\n").join("<br>"), {sticky: true});
{%- else %}
        layer.bindTooltip(feature.properties.tooltip, {sticky: true});
{%- endif %}
    }
}).addTo({{ this._parent.get_name() }});
{% endmacro %}
"""
    )


def flows_layer(features: gpd.GeoDataFrame, name: str = "flows") -> FlowsLayer:
    """Layer from ``flow_features`` output (tooltips are escaped HTML)."""
    require_wgs84(features, "flows")
    features = features.assign(layer="flow")
    if not ("grouped" in features.columns and features["grouped"].any()):
        return FlowsLayer(feature_collection(features, [*FLOW_PROPERTIES, "fill"]), name)
    # Thousands of lines: each goes as its two ends and its bend (the browser draws the
    # curve), and without spaces after separators.
    lines = ~features["kind"].str.startswith("anchor").to_numpy()
    geometry = features.geometry.to_numpy().copy()
    if lines.any():
        ends = shapely.get_coordinates(geometry[lines]).reshape(-1, GROUPED_ARC_STEPS + 1, 2)
        geometry[lines] = shapely.linestrings(ends[:, [0, -1], :])
    features = features.set_geometry(gpd.GeoSeries(geometry, index=features.index,
                                                    crs=features.crs))
    # Escaped text holds no newline of its own that matters: one would become a line break.
    features["tooltip"] = features["tooltip"].str.replace("<br>", "\n", regex=False)
    layer = FlowsLayer(feature_collection(features, [*FLOW_PROPERTIES, "fill", "bend"]), name)
    layer.data_json = script_json(layer.data, compact=True)
    layer.curve_steps = GROUPED_ARC_STEPS
    return layer


def _named(names: list[str], lang: str, limit: int | None) -> str:
    """Names joined by commas, the rest counted ("…and 12 more") past ``limit``."""
    if limit is None or len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} {t('list_more', lang, n=len(names) - limit)}"


def flows_legend(snap: Snapshot, flow_map: FlowMap, features: gpd.GeoDataFrame, lang: str,
                 currency: str) -> LegendSection:
    """The legend section of the flows layer: width, colours, dashes and where donors enter
    (and, on a grouped map, the rule by which site lines are grouped)."""
    names = _Names(snap, lang)
    lines = features.loc[~features["kind"].str.startswith("anchor")]
    money = lines.loc[lines["kind"] != "partner"]
    grouped = bool("grouped" in features.columns and features["grouped"].any())
    limit = LEGEND_ITEMS if grouped else None
    swatches = []
    widest = float(money["amount"].max()) if "amount" in money.columns and len(money) else 0.0
    if widest and widest == widest:  # NaN when no line has a known amount
        swatches.append(Swatch("#555555", t("flow_width", lang, amount=format_figure(
            Figure(widest), lang, currency)), "line", MAX_WEIGHT / 2))
    palette = style.donor_palette(donor_ranking(snap))
    donors = set(donor_ids(snap))
    donors_of: dict[str, set[str]] = defaultdict(set)
    others: set[str] = set()  # donors past the palette: one grey "other donors" line
    for donor in {leg.donor_id for leg in flow_map.legs if leg.donor_id}:
        colour = palette.get(donor)
        if colour is not None:
            donors_of[colour].add(donor)
        elif donor in donors:
            others.add(donor)
    for colour in dict.fromkeys(money["colour"]):
        label = _named([names.orgs[d] for d in sorted(donors_of.get(colour, ()))], lang, limit)
        if not label and colour == style.UNCOLOURED and others:
            label = t("other_donors", lang, n=len(others))
        swatches.append(Swatch(colour, label or t("flow_unnamed_funder", lang), "line", 4))
    if money["dash"].eq(UNKNOWN_DASH).any():
        swatches.append(Swatch("#555555", t("amount_not_stated", lang), "line", 2,
                               outline_dashed=True))
    if "inferred" in money.columns and money["inferred"].fillna(False).astype(bool).any():
        swatches.append(Swatch("#555555", t("legend_flow_inferred", lang), "line", 2,
                               outline_dashed=True))
    if (lines["kind"] == "partner").any():
        swatches.append(Swatch(PARTNER_COLOUR, t("flow_partner_legend", lang), "line", 1,
                               outline_dashed=True))
    anchors = {leg.start for leg in flow_map.legs} | \
        {leg.end_anchor for leg in flow_map.legs if leg.end_anchor}
    abroad = sorted((a for a in anchors if a.how != "home"), key=lambda a: (a.how, a.org_id))
    shown = abroad if limit is None else abroad[:limit]
    for a in shown:
        swatches.append(Swatch(ANCHOR_FILL[a.how], _anchor_text(a, names), "circle"))
    if len(abroad) > len(shown):
        swatches.append(Swatch(ANCHOR_FILL["entry"],
                               t("list_more", lang, n=len(abroad) - len(shown)), "circle"))
    swatches.append(Swatch(ANCHOR_FILL["home"], t("flow_home", lang), "circle", 9))
    note = f"{t('flow_note', lang)} {t('legend_home_assumed', lang)}"
    if grouped:
        note = f"{note} {t('flow_grouped_rule', lang, limit=MAX_FLOW_LINES, n=TOOLTIP_ITEMS)}"
        not_drawn = int(features["not_drawn"].max())
        if not_drawn:
            note = f"{note} {t('flow_not_drawn', lang, n=format_number(not_drawn, lang))}"
    if flow_map.pointless_sites:
        note = f"{note} " + t("flows_pointless_left_out", lang,
                              n=format_number(len(flow_map.pointless_sites), lang))
    return LegendSection(t("flows_layer", lang), tuple(swatches), note)
