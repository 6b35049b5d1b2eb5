"""Downloads of what the viewer sees: the filtered sites with their project fields."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from atlas.cards import sdg_goals
from atlas.dataset import split_ids
from atlas.figures import Figure, format_figure
from atlas.formulas import inert_csv
from atlas.i18n import DEFAULT_LANGUAGE, localized_note_column
from atlas.query import FUNDING_ROLES, IMPLEMENTING_ROLES, Filters, filtered_share_columns
from atlas.snapshot import Snapshot


@dataclass(frozen=True)
class ProjectFields:
    """The readable project fields of an export row, one entry per project (table order)."""

    position: dict[str, int]  # project id -> its entry
    title: np.ndarray
    iati_identifier: np.ndarray
    status: np.ndarray
    start: np.ndarray
    end: np.ndarray
    donors: np.ndarray
    implementers: np.ndarray
    sdgs: np.ndarray
    budget: np.ndarray
    source_ids: list[list[str]]


def _names_by_role(snap: Snapshot, roles: tuple[str, ...], lang: str) -> dict[str, str]:
    """Project id -> its organizations in these roles ("A; B"), in participants-table order."""
    parts = snap.table("participants")
    names = snap.organization_names(lang)
    chosen = parts.loc[parts["role"].isin(roles)]
    found: dict[str, dict[str, None]] = defaultdict(dict)
    for pid, org in zip(chosen["project_id"].tolist(), chosen["org_id"].tolist(), strict=True):
        found[pid][names[org]] = None
    return {pid: "; ".join(orgs) for pid, orgs in found.items()}


def _localized_values(table: pd.DataFrame, field: str, lang: str) -> np.ndarray:
    """``localized(row, field, lang)`` for every row of ``table``."""
    own = table[f"{field}_{lang}"].tolist()
    english = table[f"{field}_{DEFAULT_LANGUAGE}"].tolist()
    return np.array([str(a or b or "") for a, b in zip(own, english, strict=True)], dtype=object)


def project_fields(snap: Snapshot, lang: str) -> ProjectFields:
    """Every project's export fields in ``lang``, built once per snapshot and language: looking
    them up per site made an export of 10,000 sites scan the participants table 20,000 times."""
    def build() -> ProjectFields:
        projects = snap.table("projects")
        ids = projects["project_id"].tolist()
        donors = _names_by_role(snap, FUNDING_ROLES, lang)
        implementers = _names_by_role(snap, IMPLEMENTING_ROLES, lang)
        goals = sdg_goals(snap)
        budgets = [format_figure(Figure.of(amount, qualifier, basis), lang, str(unit or ""))
                   for amount, qualifier, basis, unit in zip(
                       *(projects[c].tolist() for c in ("budget_amount", "budget_qualifier",
                                                        "budget_basis", "budget_currency")),
                       strict=True)]

        def per_project(found: dict[str, str]) -> np.ndarray:
            return np.array([found.get(pid, "") for pid in ids], dtype=object)

        return ProjectFields(
            position={pid: i for i, pid in enumerate(ids)},
            title=_localized_values(projects, "title", lang),
            iati_identifier=projects["iati_identifier"].to_numpy(dtype=object),
            status=projects["status"].to_numpy(dtype=object),
            start=projects["start"].to_numpy(dtype=object),
            end=projects["end"].to_numpy(dtype=object),
            donors=per_project(donors),
            implementers=per_project(implementers),
            sdgs=per_project({pid: ";".join(str(g) for g in found)
                              for pid, found in goals.items()}),
            budget=np.array(budgets, dtype=object),
            source_ids=[split_ids(v) for v in projects["source_ids"].tolist()],
        )

    return snap.derived(("exports.project_fields", lang), build)


def _source_texts(snap: Snapshot) -> dict[str, str]:
    """Source id -> "title url" as an export row cites it."""
    sources = snap.table("sources")
    return {str(sid): f"{title} {url}".strip() for sid, title, url in zip(
        sources["source_id"].tolist(), sources["title"].tolist(), sources["url"].tolist(),
        strict=True)}


def filtered_sites(snap: Snapshot, filters: Filters, lang: str = "en",
                   currency: str = "EUR") -> gpd.GeoDataFrame:
    """Matching sites with readable project fields and their share of funding and reach."""
    shares = filtered_share_columns(snap, filters, currency)
    if not len(shares.rows):
        return gpd.GeoDataFrame(pd.DataFrame(), geometry=gpd.points_from_xy([], []),
                                crs="EPSG:4326")
    sites = snap.sites.iloc[shares.rows]
    fields = project_fields(snap, lang)
    at = np.array([fields.position[p] for p in shares.project_ids.tolist()], dtype=np.intp)
    regions = snap.region_names(lang)
    codes = sites["region_code"].tolist()
    texts = _source_texts(snap)
    cited = [
        " | ".join(texts[s] for s in dict.fromkeys(split_ids(own) + fields.source_ids[p])
                   if s in texts)
        for own, p in zip(sites["source_ids"].tolist(), at.tolist(), strict=True)]
    funding, reach = shares.funding.figures(), shares.reach.figures()
    frame = pd.DataFrame({
        "site_id": shares.site_ids,
        "site": _localized_values(sites, "name", lang),
        "level": sites["level"].to_numpy(dtype=object),
        "district": _localized_values(sites, "district", lang),
        "region_code": np.array(codes, dtype=object),
        "region": np.array([regions.get(c, c) if c else "" for c in codes], dtype=object),
        "precision": sites["precision"].to_numpy(dtype=object),
        "location_basis": localized_note_column(sites, "location_basis", lang, mark=False)
        .to_numpy(dtype=object),
        "project_id": shares.project_ids,
        "project": fields.title[at],
        "iati_identifier": fields.iati_identifier[at],
        "status": fields.status[at],
        "start": fields.start[at],
        "end": fields.end[at],
        "donors": fields.donors[at],
        "implementers": fields.implementers[at],
        "sdgs": fields.sdgs[at],
        "budget": fields.budget[at],
        f"funding_share_{currency.lower()}": [f.value for f in funding],
        "funding_share_qualifier": [f.qualifier.value for f in funding],
        "people_reached_share": [f.value for f in reach],
        "people_reached_share_qualifier": [f.qualifier.value for f in reach],
        "split_rule": [f"project figures split in equal shares across its {n} site(s)"
                       for n in shares.sites_in_project.tolist()],
        "sources": np.array(cited, dtype=object),
        "lon": sites["lon"].to_numpy(dtype=float),
        "lat": sites["lat"].to_numpy(dtype=float),
    })
    # The snapshot's geometry: a site without a point (a whole region, the whole country)
    # has none, and is written as a GeoJSON feature with a null geometry.
    return gpd.GeoDataFrame(frame, geometry=sites.geometry.to_numpy(), crs="EPSG:4326")


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
