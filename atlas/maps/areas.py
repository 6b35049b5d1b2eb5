"""Sites without a point: a whole region is outlined on the map, the whole country is a legend
line. Neither is ever drawn at a point, since any point would be an invented one.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import geopandas as gpd
import numpy as np
import pandas as pd
from jinja2 import Template

from atlas.i18n import t
from atlas.maps.layers import GeoJsonLayer, feature_collection, require_wgs84
from atlas.maps.legend import LegendSection, Swatch
from atlas.maps.texts import localized_texts
from atlas.query import ShareColumns
from atlas.snapshot import Snapshot

AREA_COLOUR = "#7a1f5c"  # the outline of a region a project covers as a whole
AREA_DASH = "8 5"
# A tooltip names this many projects; the rest are counted ("+N more").
MAX_NAMED_PROJECTS = 5


@dataclass(frozen=True)
class PointlessSites:
    """The sites in view that have no point, by what they cover."""

    areas: gpd.GeoDataFrame  # display regions covered as a whole: code, tooltip, style, ...
    region_projects: tuple[str, ...]  # projects with a whole-region site in view
    national_projects: tuple[str, ...]  # projects with a nationwide site in view


def _project_list(titles: list[str], lang: str) -> str:
    shown = ", ".join(titles[:MAX_NAMED_PROJECTS])
    rest = len(titles) - MAX_NAMED_PROJECTS
    return shown + (" " + t("area_more_projects", lang, n=rest) if rest > 0 else "")


def pointless_sites(snap: Snapshot, shares: ShareColumns, lang: str = "en") -> PointlessSites:
    """The whole-region and nationwide sites among ``shares`` (whole columns; bounded by the
    regions, not the sites: one outline per region however many sites cover it)."""
    rows = shares.rows
    known = rows >= 0
    precision = np.full(len(rows), "", dtype=object)
    precision[known] = snap.sites["precision"].to_numpy(dtype=object)[rows[known]]
    whole_region = precision == "region"
    national = precision == "national"
    projects = pd.Series(shares.project_ids, dtype=object)
    region_projects = tuple(pd.unique(projects[whole_region]).tolist())
    national_projects = tuple(pd.unique(projects[national]).tolist())
    pairs = pd.DataFrame({"code": shares.region_codes[whole_region],
                          "project_id": shares.project_ids[whole_region]}).drop_duplicates()
    regions = snap.regions
    areas = regions.loc[regions["code"].isin(set(pairs["code"]))].copy()
    titles = dict(zip(snap.table("projects")["project_id"].tolist(),
                      localized_texts(snap, "projects", "title", lang).tolist(), strict=True))
    by_region = {code: sorted(titles.get(p, p) for p in group["project_id"])
                 for code, group in pairs.groupby("code", sort=False)}
    areas["projects"] = [len(by_region[c]) for c in areas["code"]]
    areas["tooltip"] = [
        f"<b>{escape(name)}</b><br>{escape(t('area_whole_region', lang))}: "
        f"{escape(_project_list(by_region[code], lang))}"
        for code, name in zip(areas["code"], areas[f"name_{lang}"], strict=True)]
    areas["style"] = [{"color": AREA_COLOUR, "weight": 2.5, "dashArray": AREA_DASH,
                       "fill": False} for _ in range(len(areas))]
    return PointlessSites(areas, region_projects, national_projects)


def pointless_legend(found: PointlessSites, lang: str) -> LegendSection | None:
    """The legend lines of sites without a point (None when the view has none)."""
    swatches = []
    if found.region_projects:
        swatches.append(Swatch(AREA_COLOUR, t("legend_whole_region", lang,
                                              n=len(found.region_projects)),
                               "line", size=2.5, outline_dashed=True))
    if found.national_projects:
        swatches.append(Swatch("#ffffff", t("legend_nationwide", lang,
                                            n=len(found.national_projects)),
                               "square", outline_dashed=True))
    if not swatches:
        return None
    return LegendSection(t("legend_pointless", lang), tuple(swatches),
                         t("legend_pointless_note", lang))


class AreasLayer(GeoJsonLayer):
    """Dashed, unfilled outlines with a tooltip on the outline (the region's own tooltip stays
    reachable inside it)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.geoJSON({{ this.data_json }}, {
    renderer: {{ this.canvas }},
    style: function (feature) { return feature.properties.style; },
    onEachFeature: function (feature, layer) {
        layer.bindTooltip(feature.properties.tooltip, {sticky: true});
    }
}).addTo({{ this._parent.get_name() }});
{% endmacro %}
"""
    )


def areas_layer(areas: gpd.GeoDataFrame, name: str = "areas") -> AreasLayer:
    """Layer from ``PointlessSites.areas`` (EPSG:4326)."""
    require_wgs84(areas, "areas")
    areas = areas.assign(layer="area")
    return AreasLayer(feature_collection(areas, ["code", "layer", "tooltip", "style"]), name)
