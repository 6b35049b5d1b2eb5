"""Sites without a point on the map: a whole region outlined, the whole country in the legend,
and never a marker or a line end at an invented point."""

from __future__ import annotations

import math

import geopandas as gpd
import pytest
from shapely.geometry import Point

from atlas.dataset import DataSet
from atlas.flows import flow_legs
from atlas.maps.explorer import MapOptions, explorer_map, map_layers
from atlas.maps.project_sites import project_sites_map
from atlas.maps.sites import site_data
from atlas.query import Filters
from atlas.snapshot import Snapshot, build_snapshot
from tests.maps.conftest import decoded_sites, layer_data, site_layers
from tests.pointless import (
    NATIONAL_SITE,
    REGION_CODE,
    REGION_PROJECT,
    has_nan,
    with_pointless_sites,
)


@pytest.fixture(scope="module")
def pointless_snap(bundled: DataSet) -> Snapshot:
    return build_snapshot(with_pointless_sites(bundled), "pointless")


def render(snap: Snapshot, **options: object) -> str:
    fmap = explorer_map(snap, Filters(), MapOptions(**options))  # type: ignore[arg-type]
    return str(fmap.get_root().render())


def _coordinates(value: object) -> list[float]:
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, list):
        return [x for v in value for x in _coordinates(v)]
    return []


def test_no_marker_and_no_line_end_for_a_site_without_a_point(snap: Snapshot,
                                                             pointless_snap: Snapshot) -> None:
    html = render(pointless_snap, flows=True)
    (sites,) = site_layers(html)
    (before,) = site_layers(render(snap, flows=True))
    assert sites["n"] == before["n"]  # the two new sites add no marker
    for marker in decoded_sites(sites):
        assert 46 < marker["lon"] < 88 and 40 < marker["lat"] < 56
    for collection in layer_data(html):
        for feature in collection["features"]:
            assert feature["geometry"] is not None
            numbers = _coordinates(feature["geometry"]["coordinates"])
            assert numbers and all(math.isfinite(x) for x in numbers)
    assert not has_nan(html)


def test_a_whole_region_site_outlines_its_region_with_the_project_named(
        pointless_snap: Snapshot) -> None:
    html = render(pointless_snap)
    areas = [f for fc in layer_data(html) for f in fc["features"]
             if f["properties"]["layer"] == "area"]
    assert [f["properties"]["code"] for f in areas] == [REGION_CODE]
    tooltip = areas[0]["properties"]["tooltip"]
    assert "Karaganda Region" in tooltip and "Across the whole region" in tooltip
    title = pointless_snap.table("projects").set_index("project_id") \
        .at[REGION_PROJECT, "title_en"]
    assert title in tooltip.replace("&#x27;", "'")
    assert areas[0]["properties"]["style"]["dashArray"]
    assert areas[0]["properties"]["style"]["fill"] is False


@pytest.mark.parametrize(("lang", "line"), [
    ("en", "Projects nationwide: 1"),
    ("ru", "Проекты по всей стране: 1"),
    ("kk", "Бүкіл ел бойынша жобалар: 1"),
])
def test_nationwide_projects_are_a_legend_line(pointless_snap: Snapshot, lang: str,
                                               line: str) -> None:
    html = render(pointless_snap, lang=lang)
    assert line in html
    layers = map_layers(pointless_snap, Filters(), MapOptions(lang=lang))
    assert layers.areas is not None and list(layers.areas["code"]) == [REGION_CODE]


def test_a_map_without_pointless_sites_has_no_outline_nor_line(snap: Snapshot) -> None:
    html = render(snap)
    assert "Projects nationwide" not in html
    assert all(f["properties"]["layer"] != "area" for fc in layer_data(html)
               for f in fc["features"])


def test_flow_legs_leave_out_pointless_sites_and_say_so(pointless_snap: Snapshot) -> None:
    flow_map = flow_legs(pointless_snap, Filters())
    ends = [leg.end for leg in flow_map.legs]
    assert all(math.isfinite(x) for end in ends for x in end)
    assert NATIONAL_SITE not in {leg.to_id for leg in flow_map.legs}
    layers = map_layers(pointless_snap, Filters(), MapOptions(flows=True))
    notes = " ".join(section.note for section in layers.legend)
    assert f"Money to {len(flow_map.pointless_sites)} sites that cover a whole region" in notes


def test_a_project_with_only_pointless_sites_still_draws_its_flows(
        pointless_snap: Snapshot, bundled: DataSet) -> None:
    data = with_pointless_sites(bundled)
    sites = data["sites"]
    data["sites"] = sites.loc[(sites["project_id"] != "glocal")
                              | (sites["site_id"] == NATIONAL_SITE)].reset_index(drop=True)
    only_national = build_snapshot(data, "only-national")
    flow_map = flow_legs(only_national, Filters(projects=("glocal",)))
    assert [leg for leg in flow_map.legs if leg.kind == "site"] == []
    assert flow_map.pointless_sites == [NATIONAL_SITE]
    html = str(explorer_map(only_national, Filters(projects=("glocal",)),
                            MapOptions(flows=True)).get_root().render())
    assert not has_nan(html) and "Projects nationwide: 1" in html


def test_project_map_of_a_whole_region_site_is_zoomed_to_the_region(
        pointless_snap: Snapshot) -> None:
    html = str(project_sites_map(pointless_snap, REGION_PROJECT).get_root().render())
    assert any(f["properties"]["layer"] == "area" for fc in layer_data(html)
               for f in fc["features"])
    assert not has_nan(html)


def test_the_sites_layer_never_packs_a_missing_point() -> None:
    points = gpd.GeoDataFrame(
        {"site_ids": [["a"], ["b"]], "project_id": ["p", "p"], "radius": [5.0, 5.0],
         "fill": ["#003399"] * 2, "dash": [None, None]},
        geometry=[Point(51, 46), None], crs="EPSG:4326")
    data = site_data(points)
    assert data["n"] == 1
    assert [(m["lon"], m["lat"]) for m in decoded_sites(data)] == [(51.0, 46.0)]


def test_ten_thousand_sites_with_five_percent_without_a_point_build_the_map() -> None:
    from atlas.synth import synthesize

    data = synthesize(10_000, seed=7, pointless_share=0.05)
    snap = build_snapshot(data, "scale-pointless")
    pointless = snap.sites["precision"].isin(["region", "national"])
    assert 400 < int(pointless.sum()) < 600
    layers = map_layers(snap, Filters(), MapOptions(flows=True))
    assert layers.areas is not None and len(layers.areas) > 10
    html = str(explorer_map(snap, Filters(), MapOptions(flows=True)).get_root().render())
    (sites,) = site_layers(html)
    assert sites["n"] == len(layers.points) and "cluster" in sites
    markers = decoded_sites(sites)
    assert all(46 < m["lon"] < 88 and 40 < m["lat"] < 56 for m in markers)
    assert not has_nan(html) and "Projects nationwide: " in html


def test_a_hostile_project_title_in_an_outline_tooltip_stays_text(bundled: DataSet) -> None:
    from tests.maps.conftest import HOSTILE

    data = with_pointless_sites(bundled)
    projects = data["projects"]
    projects.loc[projects["project_id"] == REGION_PROJECT, "title_en"] = HOSTILE
    html = render(build_snapshot(data, "hostile-area"))
    (area,) = [f for fc in layer_data(html) for f in fc["features"]
               if f["properties"]["layer"] == "area"]
    assert "<script>" not in area["properties"]["tooltip"]
    assert "&lt;script&gt;" in area["properties"]["tooltip"]
    assert "<script>alert" not in html
