"""Downloads of what the viewer sees: the filtered sites with their project fields."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from atlas.cards import budget_figure
from atlas.dataset import split_ids
from atlas.figures import format_figure
from atlas.formulas import inert_csv
from atlas.i18n import localized
from atlas.query import FUNDING_ROLES, IMPLEMENTING_ROLES, Filters, filtered_site_shares
from atlas.snapshot import Snapshot


def _orgs_by_role(snap: Snapshot, project_id: str, roles: tuple[str, ...], lang: str) -> str:
    parts = snap.table("participants")
    names = snap.organization_names(lang)
    ids = parts.loc[(parts["project_id"] == project_id) & parts["role"].isin(roles), "org_id"]
    return "; ".join(dict.fromkeys(names[i] for i in ids))


def filtered_sites(snap: Snapshot, filters: Filters, lang: str = "en",
                   currency: str = "EUR") -> gpd.GeoDataFrame:
    """Matching sites with readable project fields and their share of funding and reach."""
    shares = filtered_site_shares(snap, filters, currency)
    sites = snap.sites.set_index("site_id")
    projects = snap.table("projects").set_index("project_id")
    sdgs = snap.table("project_sdgs")
    regions = snap.region_names(lang)
    sources = snap.table("sources").set_index("source_id")
    rows = []
    for share in shares.itertuples():
        site = sites.loc[share.site_id]
        project = projects.loc[share.project_id]
        goals = sdgs.loc[sdgs["project_id"] == share.project_id].sort_values("rank")["goal"]
        source_ids = list(dict.fromkeys(split_ids(site["source_ids"])
                                        + split_ids(project["source_ids"])))
        rows.append({
            "site_id": share.site_id,
            "site": localized(site, "name", lang),
            "level": site["level"],
            "district": site["district_en"],
            "region_code": site["region_code"],
            "region": regions.get(site["region_code"], site["region_code"]),
            "precision": site["precision"],
            "location_basis": site["location_basis"],
            "project_id": share.project_id,
            "project": localized(project, "title", lang),
            "status": project["status"],
            "start": project["start"],
            "end": project["end"],
            "donors": _orgs_by_role(snap, share.project_id, FUNDING_ROLES, lang),
            "implementers": _orgs_by_role(snap, share.project_id, IMPLEMENTING_ROLES, lang),
            "sdgs": ";".join(str(int(g)) for g in goals),
            "budget": format_figure(
                budget_figure(project), lang, str(project["budget_currency"] or "")),
            f"funding_share_{currency.lower()}": share.funding.value,
            "funding_share_qualifier": share.funding.qualifier.value,
            "people_reached_share": share.reach.value,
            "people_reached_share_qualifier": share.reach.qualifier.value,
            "split_rule": f"project figures split in equal shares across its "
                          f"{share.sites_in_project} site(s)",
            "sources": " | ".join(
                f"{sources.at[s, 'title']} {sources.at[s, 'url']}".strip() for s in source_ids),
            "lon": site["lon"],
            "lat": site["lat"],
        })
    frame = pd.DataFrame(rows)
    if frame.empty:
        return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy([], []), crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
                            crs="EPSG:4326")


def sites_geojson(gdf: gpd.GeoDataFrame) -> str:
    """GeoJSON text (RFC 7946: longitude, latitude) of exported sites."""
    data = json.loads(gdf.drop(columns=["lon", "lat"], errors="ignore").to_json(na="null"))
    return json.dumps(data, ensure_ascii=False, indent=1)


def sites_csv(gdf: gpd.GeoDataFrame) -> str:
    """CSV text of exported sites (coordinates as lon/lat columns)."""
    return inert_csv(pd.DataFrame(gdf.drop(columns="geometry")))


def write_sites(gdf: gpd.GeoDataFrame, fmt: str, out: Path) -> None:
    """Write exported sites as ``geojson`` or ``csv``."""
    text = sites_geojson(gdf) if fmt == "geojson" else sites_csv(gdf)
    out.write_text(text, encoding="utf-8")
