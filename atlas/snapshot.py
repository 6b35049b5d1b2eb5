"""An immutable, query-ready view of one version of the data set.

The store hands out a ``Snapshot``; views never touch the store directly. It carries the
tables, the rate table and the sites as a GeoDataFrame (EPSG:4326) with the region computed
from each point next to the region the data states.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import geopandas as gpd
import pandas as pd

from atlas import geo
from atlas.dataset import DataSet
from atlas.money import RateTable


@dataclass(frozen=True)
class Snapshot:
    """One data version: read-only tables plus derived geometry."""

    version: str
    tables: Mapping[str, pd.DataFrame]
    rates: RateTable
    sites: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame  # display geometry, one row per first-level unit

    def table(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def organization_names(self, lang: str) -> dict[str, str]:
        from atlas.i18n import localized

        orgs = self.tables["organizations"]
        return {r["org_id"]: localized(r, "name", lang) for r in orgs.to_dict("records")}

    def region_names(self, lang: str) -> dict[str, str]:
        return dict(zip(self.regions["code"], self.regions[f"name_{lang}"], strict=True))


def sites_frame(sites: pd.DataFrame) -> gpd.GeoDataFrame:
    """Sites as points in EPSG:4326, with ``computed_region`` from the full boundaries."""
    gdf = gpd.GeoDataFrame(
        sites.copy(),
        geometry=gpd.points_from_xy(sites["lon"], sites["lat"]),
        crs="EPSG:4326",
    )
    gdf["computed_region"] = geo.region_of_points(gdf, geo.load_regions("full")).to_numpy()
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
