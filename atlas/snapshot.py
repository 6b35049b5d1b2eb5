"""An immutable, query-ready view of one version of the data set.

The store hands out a ``Snapshot``; views never touch the store directly. It carries the
tables, the rate table and the sites as a GeoDataFrame (EPSG:4326) with the region computed
from each point next to the region the data states.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd

from atlas import geo
from atlas.dataset import DataSet
from atlas.money import RateTable

T = TypeVar("T")


@dataclass(frozen=True)
class Snapshot:
    """One data version: read-only tables plus derived geometry."""

    version: str
    tables: Mapping[str, pd.DataFrame]
    rates: RateTable
    sites: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame  # display geometry, one row per first-level unit
    # What queries derive from this version (indexes, lookups), built once and shared by
    # every view of it; a snapshot is never edited, so nothing here goes stale.
    _derived: dict[Hashable, Any] = field(default_factory=dict, init=False, repr=False,
                                          compare=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False,
                                   compare=False)

    def table(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def derived(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()`` computed once for this snapshot under ``key`` (thread-safe).

        The result is shared by every caller: it must not be modified.
        """
        try:
            return self._derived[key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        with self._lock:  # re-entrant: one index may be built from another
            if key not in self._derived:
                self._derived[key] = build()
            return self._derived[key]  # type: ignore[no-any-return]

    def organization_names(self, lang: str) -> dict[str, str]:
        """Organization id -> name in ``lang`` (English where a translation is missing)."""
        def build() -> dict[str, str]:
            from atlas.i18n import localized

            orgs = self.tables["organizations"]
            return {r["org_id"]: localized(r, "name", lang) for r in orgs.to_dict("records")}

        return dict(self.derived(("organization_names", lang), build))

    def region_names(self, lang: str) -> dict[str, str]:
        """Region code -> display name in ``lang``."""
        return dict(self.derived(("region_names", lang), lambda: dict(
            zip(self.regions["code"], self.regions[f"name_{lang}"], strict=True))))


def sites_frame(sites: pd.DataFrame) -> gpd.GeoDataFrame:
    """Sites as points in EPSG:4326, with ``computed_region`` from the full boundaries.

    A site without a point (a whole region, the whole country) has geometry None and no
    computed region: a NaN point would look like a place to every reader of the geometry.
    """
    lon = pd.to_numeric(sites["lon"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    lat = pd.to_numeric(sites["lat"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    points = np.asarray(gpd.points_from_xy(lon, lat), dtype=object)
    points[np.isnan(lon) | np.isnan(lat)] = None
    gdf = gpd.GeoDataFrame(sites.copy(), geometry=gpd.GeoSeries(points, index=sites.index),
                           crs="EPSG:4326")
    gdf["computed_region"] = pd.Series(geo.region_of_xy(lon, lat, geo.load_regions("full")),
                                       index=gdf.index, dtype=object)
    return gdf


def _without_attrs(df: pd.DataFrame) -> pd.DataFrame:
    # A parser's line numbers mean nothing to a view, and pandas copies attrs on every step.
    df.attrs = {}
    return df


def build_snapshot(data: DataSet, version: str) -> Snapshot:
    """Freeze a data set into a snapshot (copies, so later edits cannot leak in)."""
    tables = {name: _without_attrs(df.copy()) for name, df in data.items()}
    return Snapshot(
        version=version,
        tables=MappingProxyType(tables),
        rates=RateTable.from_frame(tables["rates"]),
        sites=sites_frame(tables["sites"]),
        regions=geo.load_regions("display"),
    )
