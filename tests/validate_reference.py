"""The checks of ``atlas.validate`` as they were, row by row: the brute-force reference the
whole-column checks are compared with (tests only; slow on purpose, never used by the atlas)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from atlas import geo
from atlas.dataset import DataSet, Problem, is_missing, split_ids
from atlas.model import TABLES, TABLES_BY_NAME, Qualifier, TableSpec
from atlas.validate import DATE_PATTERN, NON_NEGATIVE, listed_choices, text_problem


def region_of_points_by_index(
    points: gpd.GeoDataFrame, regions: gpd.GeoDataFrame
) -> pd.Series:
    """``geo.region_of_points`` as it was: a spatial-index join, point by point."""
    # Positional spatial join: independent of (possibly duplicated) labels in points.index.
    pos, reg = regions.sindex.query(points.geometry, predicate="intersects")
    hits = pd.Series(regions["code"].to_numpy()[reg], index=pos)
    # Border points hit both neighbours; the minimum makes the answer independent of row order.
    first = hits.groupby(level=0).min()
    codes = np.full(len(points), None, dtype=object)
    codes[first.index.to_numpy()] = first.to_numpy()
    return pd.Series(codes, index=points.index, name="code", dtype=object)


def _line(df: pd.DataFrame, index: int) -> int:
    """The CSV line of a row: from the parser when known, else header + position."""
    lines = df.attrs.get("lines")
    if lines and index < len(lines):
        return int(lines[index])
    return index + 2


class _Report:
    def __init__(self, data: DataSet, folder: str) -> None:
        self.data = data
        self.folder = folder
        self.problems: list[Problem] = []

    def add(self, spec: TableSpec, index: int | None, field: str | None, message: str) -> None:
        row = None if index is None else _line(self.data[spec.name], index)
        self.problems.append(Problem(f"{self.folder}/{spec.file_name}", row, field, message))


def _check_cells(report: _Report, spec: TableSpec, df: pd.DataFrame) -> None:
    for column in spec.columns:
        values = df[column.name]
        for i, value in enumerate(values):
            empty = is_missing(value)
            if column.required and empty and column.type != "bool":
                report.add(spec, i, column.name, "is required but empty")
                continue
            if empty:
                continue
            if column.choices and str(value) not in column.choices:
                report.add(spec, i, column.name,
                           f"{value!r} is not one of: {listed_choices(column.choices)}")
            if column.type in ("text", "ids") and isinstance(value, str):
                why = text_problem(value)
                if why:
                    report.add(spec, i, column.name, why)


def _check_keys(report: _Report, spec: TableSpec, df: pd.DataFrame) -> None:
    seen: dict[tuple[Any, ...], int] = {}
    for i, key in enumerate(df[list(spec.key)].itertuples(index=False, name=None)):
        if key in seen:
            report.add(spec, i, spec.key[-1],
                       f"duplicate id {'/'.join(map(str, key))} (first on line "
                       f"{_line(df, seen[key])})")
        else:
            seen[key] = i


def _known_ids(data: DataSet, ref: str, regions: gpd.GeoDataFrame) -> set[str]:
    table, column = ref.split(".")
    if table == "regions":
        return set(regions["code"])
    return {str(v) for v in data[table][column] if not is_missing(v)}


def _check_references(report: _Report, spec: TableSpec, df: pd.DataFrame,
                      regions: gpd.GeoDataFrame) -> None:
    for column in spec.columns:
        if not column.references:
            continue
        known = _known_ids(report.data, column.references, regions)
        for i, value in enumerate(df[column.name]):
            if is_missing(value):
                continue
            ids = split_ids(value) if column.type == "ids" else [str(value)]
            for ref_id in ids:
                if ref_id not in known:
                    report.add(spec, i, column.name,
                               f"{ref_id!r} is not in {column.references}")


def _check_figures(report: _Report) -> None:
    for table, columns in NON_NEGATIVE.items():
        spec, df = TABLES_BY_NAME[table], report.data[table]
        for column in columns:
            for i, value in enumerate(df[column]):
                if not is_missing(value) and value < 0:
                    report.add(spec, i, column,
                               f"is negative ({value:g}); amounts and counts are >= 0")
    checks = [("projects", "budget_amount", "budget_qualifier", "budget_basis", "budget_currency"),
              ("funding_flows", "amount", "qualifier", "basis", "currency"),
              ("results", "value", "qualifier", "basis", None),
              ("context_facts", "value", "qualifier", None, None)]
    for table, value_col, q_col, basis_col, currency_col in checks:
        spec, df = TABLES_BY_NAME[table], report.data[table]
        for i, row in enumerate(df.to_dict("records")):
            has_value = not is_missing(row[value_col])
            q = row[q_col]
            if q == Qualifier.UNKNOWN and has_value:
                report.add(spec, i, value_col, "has a value but its qualifier says unknown")
            if q and q != Qualifier.UNKNOWN and not has_value:
                report.add(spec, i, value_col,
                           f"is empty but its qualifier is {q!r}: use 'unknown' (never 0)")
            if q == Qualifier.DERIVED and basis_col and not row[basis_col]:
                report.add(spec, i, basis_col, "a derived figure must say how it was derived")
            if currency_col and has_value and not row[currency_col]:
                report.add(spec, i, currency_col, "an amount needs its currency")
    results = report.data["results"]
    for i, row in enumerate(results.to_dict("records")):
        if row["unit"] == "percent" and not is_missing(row["value"]) and row["value"] > 100:
            report.add(TABLES_BY_NAME["results"], i, "value", "a percentage above 100")


def _check_sdgs(report: _Report) -> None:
    spec, df = TABLES_BY_NAME["project_sdgs"], report.data["project_sdgs"]
    for i, goal in enumerate(df["goal"]):
        if not is_missing(goal) and not 1 <= int(goal) <= 17:
            report.add(spec, i, "goal", f"SDG {goal} does not exist (goals are 1 to 17)")
    goals = sorted(int(g) for g in report.data["sdgs"]["goal"].dropna())
    if goals != list(range(1, 18)):
        report.add(TABLES_BY_NAME["sdgs"], None, "goal", "must list exactly the goals 1 to 17")


def _date_key(text: str) -> tuple[int, int, int]:
    parts = [int(p) for p in text.split("-")]
    return (parts + [0, 0])[0], (parts + [0, 0])[1] if len(parts) > 1 else 0, \
        parts[2] if len(parts) > 2 else 0


def _check_dates(report: _Report) -> None:
    for table, pairs in (("projects", [("start", "end")]), ("phases", [("start", "end")])):
        spec, df = TABLES_BY_NAME[table], report.data[table]
        for i, row in enumerate(df.to_dict("records")):
            for start_col, end_col in pairs:
                start, end = row[start_col], row[end_col]
                bad = False
                for col in (start_col, end_col):
                    if row[col] and not DATE_PATTERN.match(row[col]):
                        report.add(spec, i, col, f"{row[col]!r} is not a date like 2019, "
                                   "2019-10 or 2019-10-01")
                        bad = True
                if not bad and start and end and _date_key(end)[:len(end.split("-"))] < \
                        _date_key(start)[:len(end.split("-"))]:
                    report.add(spec, i, end_col, f"ends ({end}) before it starts ({start})")
    spec, df = TABLES_BY_NAME["funding_flows"], report.data["funding_flows"]
    for i, year in enumerate(df["year"]):
        if not is_missing(year) and not 1991 <= int(year) <= 2100:
            report.add(spec, i, "year", f"{year} is not a plausible year")


def _check_budgets(report: _Report) -> None:
    """A donor's share may not exceed the budget it is a share of."""
    projects = report.data["projects"].set_index("project_id")
    flows = report.data["funding_flows"]
    into = defaultdict(set)
    for f in flows.itertuples():
        into[(f.project_id, f.to_org_id)].add(f.from_org_id)
    spec = TABLES_BY_NAME["funding_flows"]
    per_project: dict[str, float] = defaultdict(float)
    for i, f in enumerate(flows.itertuples()):
        if f.project_id not in projects.index:
            continue
        p = projects.loc[f.project_id]
        same_currency = f.currency == p["budget_currency"]
        top = not into.get((f.project_id, f.from_org_id))
        if top and same_currency and not is_missing(f.amount) \
                and not is_missing(p["budget_amount"]):
            per_project[f.project_id] += f.amount
            if f.amount > p["budget_amount"] + 0.005:
                report.add(spec, i, "amount", f"{f.amount:,.0f} {f.currency} is more than the "
                           f"project's budget of {p['budget_amount']:,.0f}")
    for pid, summed in per_project.items():
        budget = projects.at[pid, "budget_amount"]
        if summed > budget + 0.005:
            report.add(TABLES_BY_NAME["projects"],
                       list(report.data["projects"]["project_id"]).index(pid), "budget_amount",
                       f"donors' shares add up to {summed:,.0f}, "
                       f"more than the budget {budget:,.0f}")


def _check_site_extent(report: _Report) -> None:
    spec = TABLES_BY_NAME["sites"]
    found = []
    for i, row in enumerate(report.data["sites"].to_dict("records")):
        precision = str(row["precision"])
        pointless = precision in ("region", "national")
        what = "the whole country" if precision == "national" else "a whole region"
        for rule, column in enumerate(("lon", "lat")):
            if is_missing(row[column]) and not pointless:
                found.append((i, rule, column, "is required but empty"))
            elif not is_missing(row[column]) and pointless:
                found.append((i, rule, column, f"must be empty for a site of precision "
                              f"{precision!r}: it covers {what}, so a point would be an "
                              "invented one"))
        if is_missing(row["region_code"]) and precision != "national":
            found.append((i, 2, "region_code", "is required but empty"))
        elif not is_missing(row["region_code"]) and precision == "national":
            found.append((i, 2, "region_code", "must be empty for a site of precision "
                          "'national': it covers the whole country, not one region"))
        if pointless and not is_missing(row["level"]) and row["level"] != precision:
            found.append((i, 3, "level", f"{str(row['level'])!r} does not fit precision "
                          f"{precision!r}: use level {precision!r}"))
    for i, _, field, message in sorted(found, key=lambda f: (f[0], f[1])):
        report.add(spec, i, field, message)


def _check_points(report: _Report, regions_full: gpd.GeoDataFrame) -> None:
    names = dict(zip(regions_full["code"], regions_full["name_en"], strict=True))
    for table in ("sites", "places"):
        spec, df = TABLES_BY_NAME[table], report.data[table]
        if df.empty:
            continue
        ok = df["lon"].between(-180, 180) & df["lat"].between(-90, 90)
        given = df["lon"].notna() & df["lat"].notna()
        if table == "sites":
            given &= ~df["precision"].isin(["region", "national"])
            ok &= given
        for i in df.index[~ok & given]:
            report.add(spec, int(i), "lat", f"({df.at[i, 'lat']}, {df.at[i, 'lon']}) is not a "
                       "valid latitude/longitude")
        valid = df.loc[ok]
        if valid.empty:
            continue
        points = gpd.GeoDataFrame(valid, geometry=gpd.points_from_xy(valid["lon"], valid["lat"]),
                                  crs="EPSG:4326")
        found = region_of_points_by_index(points, regions_full)
        swapped = region_of_points_by_index(
            gpd.GeoDataFrame(valid, geometry=gpd.points_from_xy(valid["lat"], valid["lon"]),
                             crs="EPSG:4326"), regions_full)
        for i, computed, swap in zip(valid.index, found, swapped, strict=True):
            in_kz = table == "sites" or valid.at[i, "country"] == "KZ"
            stated = valid.at[i, "region_code"]
            where = f"({valid.at[i, 'lat']:.5f} N, {valid.at[i, 'lon']:.5f} E)"
            if in_kz and computed is None:
                hint = " - latitude and longitude look swapped" if swap is not None else ""
                report.add(spec, int(i), "lon", f"point {where} is outside Kazakhstan{hint}")
            elif in_kz and stated and computed != stated:
                report.add(spec, int(i), "region_code",
                           f"point {where} lies in {names.get(computed, computed)} ({computed}), "
                           f"not in the stated {names.get(stated, stated)} ({stated})")
            elif not in_kz and computed is not None:
                report.add(spec, int(i), "country", f"point {where} lies inside Kazakhstan")


def _check_links(report: _Report) -> None:
    sites = report.data["sites"]
    results = report.data["results"]
    site_project = dict(zip(sites["site_id"], sites["project_id"], strict=True))
    spec = TABLES_BY_NAME["results"]
    by_id = dict(zip(results["result_id"], results["project_id"], strict=True))
    for i, row in enumerate(results.to_dict("records")):
        for sid in split_ids(row["site_ids"]):
            if sid in site_project and site_project[sid] != row["project_id"]:
                report.add(spec, i, "site_ids", f"site {sid!r} belongs to another project")
        parent = row["parent_result_id"]
        if parent and by_id.get(parent, row["project_id"]) != row["project_id"]:
            report.add(spec, i, "parent_result_id", "the parent result is another project's")
    projects_with_sites = set(sites["project_id"])
    pspec = TABLES_BY_NAME["projects"]
    for i, pid in enumerate(report.data["projects"]["project_id"]):
        if pid not in projects_with_sites:
            report.add(pspec, i, "project_id", "has no site: every project needs at least one")
    fspec = TABLES_BY_NAME["funding_flows"]
    for i, f in enumerate(report.data["funding_flows"].itertuples()):
        if f.from_org_id == f.to_org_id:
            report.add(fspec, i, "to_org_id", "money cannot flow from an organization to itself")


def validate_row_by_row(data: DataSet, regions_full: gpd.GeoDataFrame | None = None,
                        folder: str = "geodata") -> list[Problem]:
    """The row-by-row validation as it was before the checks ran on whole columns."""
    regions_full = geo.load_regions("full") if regions_full is None else regions_full
    report = _Report(data, folder)
    for spec in TABLES:
        df = data[spec.name]
        _check_cells(report, spec, df)
        _check_keys(report, spec, df)
        _check_references(report, spec, df, regions_full)
    _check_figures(report)
    _check_sdgs(report)
    _check_dates(report)
    _check_budgets(report)
    _check_site_extent(report)
    _check_points(report, regions_full)
    _check_links(report)
    return report.problems
