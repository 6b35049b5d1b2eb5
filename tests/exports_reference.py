"""``atlas.exports.filtered_sites`` as it was, site by site: the brute-force reference the
column-wise export is compared with (tests only; slow on purpose, never used by the atlas)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from atlas.cards import budget_figure
from atlas.dataset import split_ids
from atlas.figures import format_figure
from atlas.i18n import localized
from atlas.query import FUNDING_ROLES, IMPLEMENTING_ROLES, Filters, filtered_site_shares
from atlas.snapshot import Snapshot


def orgs_by_role_one_by_one(snap: Snapshot, project_id: str, roles: tuple[str, ...],
                             lang: str) -> str:
    parts = snap.table("participants")
    names = snap.organization_names(lang)
    ids = parts.loc[(parts["project_id"] == project_id) & parts["role"].isin(roles), "org_id"]
    return "; ".join(dict.fromkeys(names[i] for i in ids))


def sites_row_by_row(snap: Snapshot, filters: Filters, lang: str,
                      currency: str) -> gpd.GeoDataFrame:
    """The export as it was computed: whole tables filtered again for every site."""
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
            "district": localized(site, "district", lang),
            "region_code": site["region_code"],
            "region": regions.get(site["region_code"], site["region_code"]),
            "precision": site["precision"],
            "location_basis": localized(site, "location_basis", lang),
            "project_id": share.project_id,
            "project": localized(project, "title", lang),
            "iati_identifier": project["iati_identifier"],
            "status": project["status"],
            "start": project["start"],
            "end": project["end"],
            "donors": orgs_by_role_one_by_one(snap, share.project_id, FUNDING_ROLES, lang),
            "implementers": orgs_by_role_one_by_one(snap, share.project_id,
                                                     IMPLEMENTING_ROLES, lang),
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
    points = [None if pd.isna(lon) or pd.isna(lat) else Point(lon, lat)
              for lon, lat in zip(frame["lon"], frame["lat"], strict=True)]
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points, index=frame.index),
                            crs="EPSG:4326")
