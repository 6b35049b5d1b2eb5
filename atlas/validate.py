"""Checks of a whole data set; each problem names the file, row and field.

Used by ``atlas validate``, by the store before anything is written, and by imports.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from atlas import geo
from atlas.dataset import DataSet, Number, Problem, message_text, split_ids
from atlas.iati.codelists import codes
from atlas.model import (
    POINTLESS_PRECISIONS,
    REGIONLESS_PRECISIONS,
    TABLES,
    TABLES_BY_NAME,
    Qualifier,
    TableSpec,
)

DATE_PATTERN = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
MARKUP_PATTERN = re.compile(r"<\s*[A-Za-z!/?]|&#?\w+;|javascript:", re.IGNORECASE)
# Control characters: tab and line feed are text, the rest is not (NUL cuts strings short in C
# libraries, ESC drives terminals, a lone CR splits a CSV row). Files' CRLF inside a cell is read
# as LF. Unicode format characters such as the RTL override are text.
CONTROL_PATTERN = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
# Every cell text_problem refuses holds one of these characters (a control character, the "<"
# or "&" of markup, the ":" of "javascript:", the "=" of a formula) or is too long.
_SUSPECT_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f<&:=]")
MAX_TEXT = 5000
NON_NEGATIVE = {
    "projects": ["budget_amount"],
    "funding_flows": ["amount"],
    "results": ["value"],
    "context_facts": ["value"],
}


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

    def add(self, spec: TableSpec, index: int | None, field: str | None,
            message: Message) -> None:
        row = None if index is None else _line(self.data[spec.name], index)
        code, params = message
        self.problems.append(Problem.coded(f"{self.folder}/{spec.file_name}", row, field, code,
                                           **params))


# A message code and its parameters (see ``Problem``).
Message = tuple[str, dict[str, Any]]


def message(code: str, /, **params: Any) -> Message:
    """A message code with its parameters, as the checks pass them around."""
    return code, params


def _missing(values: pd.Series) -> np.ndarray:
    """``is_missing`` for a whole column: None, pandas NA, NaN or ""."""
    if values.dtype.kind in "biufcmM":  # numbers, booleans, times: never ""
        return values.isna().to_numpy(dtype=bool)
    cells = values.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(cells, skipna=False) == "string":  # the usual text column
        return np.asarray(cells == "", dtype=bool)
    # pandas compares a missing value with "" as False instead of raising.
    return values.isna().to_numpy(dtype=bool) | values.eq("").to_numpy(dtype=bool)


def _as_text(values: pd.Series) -> pd.Series:
    """``str`` of every cell, as an object column (cheap when the cells already are text)."""
    cells = values.to_numpy(dtype=object)
    if not _is_text(cells).all():
        cells = np.array([str(v) for v in cells], dtype=object)
    return pd.Series(cells, index=values.index, dtype=object)


def _is_text(cells: np.ndarray) -> np.ndarray:
    """Which cells hold a str (the usual case, all of them, is answered without a loop)."""
    if pd.api.types.infer_dtype(cells, skipna=False) == "string":
        return np.ones(len(cells), dtype=bool)
    return np.fromiter((isinstance(v, str) for v in cells), dtype=bool, count=len(cells))


# Joins a column's cells into one text for a single scan; not itself a suspect character.
_CELL_SEPARATOR = "\uffff"


def _text_problems(values: pd.Series, filled: np.ndarray) -> list[tuple[int, Message]]:
    """(row position, reason) of every filled text cell ``text_problem`` refuses.

    One scan of the whole column finds the cells with a suspect character; ``text_problem``
    then judges and words only those (and the too long ones).
    """
    cells = values.to_numpy(dtype=object)
    texts = np.where(filled & _is_text(cells), cells, "")
    if not len(texts):
        return []
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    joined = _CELL_SEPARATOR.join(texts)
    hits = [m.start() for m in _SUSPECT_CHARACTER.finditer(joined)]
    suspects = set(np.searchsorted(starts, hits, side="right") - 1)
    suspects.update(np.flatnonzero(lengths > MAX_TEXT))
    found = []
    for i in sorted(suspects):
        why = text_refusal(texts[i]) if texts[i] else None
        if why:
            found.append((int(i), why))
    return found


def _check_cells(report: _Report, spec: TableSpec, df: pd.DataFrame) -> None:
    for column in spec.columns:
        values = df[column.name]
        empty = _missing(values)
        # (row, rule) orders the messages as the row-by-row check did: per row, rule order.
        found: list[tuple[int, int, Message]] = []
        if column.required and column.type != "bool":
            found += [(int(i), 0, message("prob_required")) for i in np.flatnonzero(empty)]
        if column.choices:
            wrong = ~empty & ~_as_text(values).isin(column.choices).to_numpy(dtype=bool)
            found += [(int(i), 1, choice_refusal(values.iat[i], column.choices))
                      for i in np.flatnonzero(wrong)]
        if column.type in ("text", "ids"):
            found += [(i, 2, why) for i, why in _text_problems(values, ~empty)]
        for i, _, why in sorted(found, key=lambda f: (f[0], f[1])):
            report.add(spec, i, column.name, why)


def listed_choices(choices: tuple[str, ...]) -> str:
    """The allowed values as a message names them: a long list (ISO currencies) by its first
    entries and its length."""
    if len(choices) <= 12:
        return ", ".join(choices)
    return ", ".join(choices[:12]) + f" … ({len(choices)} codes)"


def choice_refusal(value: Any, choices: tuple[str, ...]) -> Message:
    """The refusal of a value that is not one of a column's choices (a long list, such as
    ISO currencies, named by its first entries and its length)."""
    if len(choices) <= 12:
        return message("prob_not_a_choice", value=repr(value), choices=", ".join(choices))
    return message("prob_not_a_choice_many", value=repr(value), choices=", ".join(choices[:12]),
                   count=len(choices))


def formula_refusal(text: str) -> Message:
    """The refusal of a formula (a cell or text starting with "="), showing its start."""
    shown = text.strip()
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    return message("prob_formula", value=repr(shown))


def formula_message(text: str) -> str:
    """``formula_refusal`` in English."""
    return english(formula_refusal(text))


def english(found: Message) -> str:
    """A message in English, as the command line prints it."""
    code, params = found
    return message_text(code, "en", params)


def text_refusal(value: str) -> Message | None:
    """Why a text cell is refused, or None: the one rule for files, imports and forms."""
    control = CONTROL_PATTERN.search(value)
    if control:
        return message("prob_control_character", character=f"U+{ord(control.group()):04X}",
                       position=str(control.start() + 1))
    if MARKUP_PATTERN.search(value):
        return message("prob_markup")
    if value.lstrip().startswith("="):
        return formula_refusal(value)
    if len(value) > MAX_TEXT:
        return message("prob_too_long", limit=MAX_TEXT)
    return None


def text_problem(value: str) -> str | None:
    """``text_refusal`` in English (None: the text is accepted)."""
    found = text_refusal(value)
    return None if found is None else english(found)


def _check_keys(report: _Report, spec: TableSpec, df: pd.DataFrame) -> None:
    key = list(spec.key)
    involved = df.duplicated(key, keep=False).to_numpy(dtype=bool)
    if not involved.any():
        return
    # Only the rows sharing a key with another are walked, with the row-by-row rule.
    seen: dict[tuple[Any, ...], int] = {}
    rows = np.flatnonzero(involved)
    for i, value in zip(rows, df[key].iloc[rows].itertuples(index=False, name=None),
                        strict=True):
        if value in seen:
            report.add(spec, int(i), spec.key[-1],
                       message("prob_duplicate_id", id="/".join(map(str, value)),
                               line=str(_line(df, seen[value]))))
        else:
            seen[value] = int(i)


def _known_ids(data: DataSet, ref: str, regions: gpd.GeoDataFrame) -> set[str]:
    table, column = ref.split(".")
    if table == "regions":
        return set(regions["code"])
    values = data[table][column]
    return set(_as_text(values[~_missing(values)]))


def _ids_of(values: pd.Series) -> pd.Series:
    """Every id of an ids column (``split_ids`` of each cell), indexed by its row's position,
    in row order and, within a row, in the cell's order.

    Each distinct cell is split once (most rows cite the same few sources); the rows then
    take their ids by index arithmetic.
    """
    cells = values.to_numpy(dtype=object)
    positions = np.flatnonzero(_is_text(cells))
    codes, distinct = pd.factorize(cells[positions])
    ids_of_cell = [split_ids(cell) for cell in distinct]
    counts = np.array([len(ids) for ids in ids_of_cell], dtype=np.int64)
    every_id = np.array([i for ids in ids_of_cell for i in ids], dtype=object)
    first_id = np.cumsum(counts) - counts
    per_row = counts[codes]
    within = np.arange(per_row.sum()) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    ids = every_id[np.repeat(first_id[codes], per_row) + within]
    return pd.Series(ids, index=np.repeat(positions, per_row), dtype=object)


def _check_references(report: _Report, spec: TableSpec, df: pd.DataFrame,
                      regions: gpd.GeoDataFrame) -> None:
    for column in spec.columns:
        if not column.references:
            continue
        known = _known_ids(report.data, column.references, regions)
        values = df[column.name]
        if column.type == "ids":
            refs = _ids_of(values)
        else:
            filled = ~_missing(values)
            refs = _as_text(values[filled]).set_axis(np.flatnonzero(filled))
        for i, ref_id in refs[~refs.isin(known)].items():
            report.add(spec, int(i), column.name,
                       message("prob_unknown_reference", value=repr(ref_id),
                               reference=column.references))


def _numbers(values: pd.Series) -> np.ndarray:
    """A numeric column as float64 (missing: NaN), for comparisons on the whole column."""
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _emit(report: _Report, spec: TableSpec,
          found: list[tuple[int, int, str, Message]]) -> None:
    """Report (row, rule, field, message) findings in row order, then rule order."""
    for i, _, field, why in sorted(found, key=lambda f: (f[0], f[1])):
        report.add(spec, i, field, why)


def _check_figures(report: _Report) -> None:
    for table, columns in NON_NEGATIVE.items():
        spec, df = TABLES_BY_NAME[table], report.data[table]
        for column in columns:
            values = df[column]
            negative = ~_missing(values) & (_numbers(values) < 0)
            for i in np.flatnonzero(negative):
                report.add(spec, int(i), column,
                           message("prob_negative", value=float(values.iat[i])))
    checks = [("projects", "budget_amount", "budget_qualifier", "budget_basis", "budget_currency"),
              ("funding_flows", "amount", "qualifier", "basis", "currency"),
              ("results", "value", "qualifier", "basis", None),
              ("context_facts", "value", "qualifier", None, None)]
    for table, value_col, q_col, basis_col, currency_col in checks:
        spec, df = TABLES_BY_NAME[table], report.data[table]
        has_value = ~_missing(df[value_col])
        qualifier = df[q_col]
        unknown = qualifier.eq(Qualifier.UNKNOWN).to_numpy(dtype=bool)
        stated = ~_missing(qualifier)
        found = [(int(i), 0, value_col, message("prob_value_but_unknown"))
                 for i in np.flatnonzero(unknown & has_value)]
        found += [(int(i), 1, value_col, message("prob_empty_but_qualified",
                                                  qualifier=str(qualifier.iat[i])))
                  for i in np.flatnonzero(stated & ~unknown & ~has_value)]
        if basis_col:
            derived = qualifier.eq(Qualifier.DERIVED).to_numpy(dtype=bool)
            found += [(int(i), 2, basis_col, message("prob_derived_without_basis"))
                      for i in np.flatnonzero(derived & _missing(df[basis_col]))]
        if currency_col:
            found += [(int(i), 3, currency_col, message("prob_amount_without_currency"))
                      for i in np.flatnonzero(has_value & _missing(df[currency_col]))]
        _emit(report, spec, found)
    results = report.data["results"]
    percent = results["unit"].eq("percent").to_numpy(dtype=bool) \
        & ~_missing(results["value"]) & (_numbers(results["value"]) > 100)
    for i in np.flatnonzero(percent):
        report.add(TABLES_BY_NAME["results"], int(i), "value", message("prob_percent_over_100"))


def _check_inferences(report: _Report) -> None:
    """An inferred role or money route must say why it is read so: without the reason a reader
    cannot tell our reading from the source's words."""
    for table, q_col, basis_col in (("participants", "role_qualifier", "role_basis"),
                                    ("funding_flows", "route_qualifier", "route_basis")):
        spec, df = TABLES_BY_NAME[table], report.data[table]
        inferred = df[q_col].eq("inferred").to_numpy(dtype=bool)
        for i in np.flatnonzero(inferred & _missing(df[basis_col])):
            report.add(spec, int(i), basis_col, message("prob_inferred_without_basis"))


def _whole_part(values: pd.Series) -> np.ndarray:
    """``int(value)`` of each cell as float64 (truncated towards zero; missing: NaN)."""
    return np.trunc(_numbers(values))


def _check_sdgs(report: _Report) -> None:
    spec, df = TABLES_BY_NAME["project_sdgs"], report.data["project_sdgs"]
    goal = _whole_part(df["goal"])
    unknown_goal = ~_missing(df["goal"]) & ~((goal >= 1) & (goal <= 17))
    for i in np.flatnonzero(unknown_goal):
        report.add(spec, int(i), "goal", message("prob_sdg_unknown", goal=str(df["goal"].iat[i])))
    goals = sorted(int(g) for g in report.data["sdgs"]["goal"].dropna())
    if goals != list(range(1, 18)):
        report.add(TABLES_BY_NAME["sdgs"], None, "goal", message("prob_sdgs_incomplete"))


def _date_key(text: str) -> tuple[int, int, int]:
    parts = [int(p) for p in text.split("-")]
    return (parts + [0, 0])[0], (parts + [0, 0])[1] if len(parts) > 1 else 0, \
        parts[2] if len(parts) > 2 else 0


class _Dates:
    """A date column, each distinct value read once (a table has few distinct dates)."""

    def __init__(self, values: pd.Series) -> None:
        codes, distinct = pd.factorize(values.to_numpy(dtype=object))
        cells = [*distinct, ""]  # code -1 (None, NaN) picks the last entry: an empty cell
        given = np.array([bool(v) for v in cells], dtype=bool)
        well_formed = np.array([isinstance(v, str) and bool(DATE_PATTERN.match(v))
                                for v in cells], dtype=bool)
        keys = np.array([(*_date_key(v), len(v.split("-"))) if ok else (0, 0, 0, 0)
                         for v, ok in zip(cells, well_formed, strict=True)], dtype=np.int64)
        self.given = given[codes]
        self.malformed = self.given & ~well_formed[codes]
        self.year, self.month, self.day, self.parts = keys[codes].T


def _ends_before_start(start: _Dates, end: _Dates) -> np.ndarray:
    """The row-by-row rule on whole columns: the end's date, compared with the start's to the
    end's precision (year, month or day), is earlier."""
    same_year, same_month = end.year == start.year, end.month == start.month
    return (end.year < start.year) | (same_year & (end.parts >= 2) & (
        (end.month < start.month) | (same_month & (end.parts >= 3) & (end.day < start.day))))


def _check_dates(report: _Report) -> None:
    for table in ("projects", "phases"):
        spec, df = TABLES_BY_NAME[table], report.data[table]
        start, end = _Dates(df["start"]), _Dates(df["end"])
        found = [(int(i), rule, col, message("prob_bad_date", value=repr(df[col].iat[i])))
                 for rule, (col, dates) in enumerate((("start", start), ("end", end)))
                 for i in np.flatnonzero(dates.malformed)]
        comparable = start.given & end.given & ~start.malformed & ~end.malformed
        found += [(int(i), 2, "end", message("prob_ends_before_start", end=str(df["end"].iat[i]),
                                              start=str(df["start"].iat[i])))
                  for i in np.flatnonzero(comparable & _ends_before_start(start, end))]
        _emit(report, spec, found)
    spec, df = TABLES_BY_NAME["funding_flows"], report.data["funding_flows"]
    year = _whole_part(df["year"])
    implausible = ~_missing(df["year"]) & ~((year >= 1991) & (year <= 2100))
    for i in np.flatnonzero(implausible):
        report.add(spec, int(i), "year", message("prob_implausible_year",
                                                 year=str(df["year"].iat[i])))


def _check_budgets(report: _Report) -> None:
    """A donor's share may not exceed the budget it is a share of."""
    projects = report.data["projects"]
    flows = report.data["funding_flows"]
    if flows.empty:
        return
    # A repeated project id is reported by the key check; its first row is the project here.
    first = projects.drop_duplicates("project_id").set_index("project_id")
    project = flows["project_id"]
    known = project.isin(first.index).to_numpy(dtype=bool)
    budget = _numbers(project.map(first["budget_amount"]))
    budget_currency = project.map(first["budget_currency"])
    same_currency = flows["currency"].eq(budget_currency).to_numpy(dtype=bool)
    # A flow is a donor's share when nothing flows into its giver within the project.
    fed = pd.MultiIndex.from_arrays([project, flows["to_org_id"]])
    top = ~pd.MultiIndex.from_arrays([project, flows["from_org_id"]]).isin(fed)
    amount = _numbers(flows["amount"])
    share = known & top & same_currency & ~_missing(flows["amount"]) & ~np.isnan(budget)
    spec = TABLES_BY_NAME["funding_flows"]
    for i in np.flatnonzero(share & (amount > budget + 0.005)):
        report.add(spec, int(i), "amount", message(
            "prob_share_over_budget", amount=Number(float(amount[i]), 0),
            currency=str(flows["currency"].iat[i]), budget=Number(float(budget[i]), 0)))
    # Summed in flow order, as before, so totals (and their rounding) are the same.
    per_project: dict[str, float] = defaultdict(float)
    for pid, value in zip(project.to_numpy()[share], amount[share], strict=True):
        per_project[pid] += value
    summed = pd.Series(per_project, dtype="float64")
    total = first["budget_amount"].reindex(summed.index).to_numpy(dtype="float64")
    over = summed.to_numpy() > total + 0.005
    if over.any():
        positions = pd.Series(np.arange(len(projects)), index=projects["project_id"])
        positions = positions[~positions.index.duplicated()]
        for pid, shares, budget_of in zip(summed.index[over], summed[over], total[over],
                                          strict=True):
            report.add(TABLES_BY_NAME["projects"], int(positions[pid]), "budget_amount",
                       message("prob_shares_over_budget", shares=Number(float(shares), 0),
                               budget=Number(float(budget_of), 0)))


def _check_site_extent(report: _Report) -> None:
    """Where a site's point, region and level are required, or must be empty, by its precision.

    A site of a whole region or of the whole country has no point: one typed there would be
    drawn and counted as if the project worked at that spot.
    """
    spec, df = TABLES_BY_NAME["sites"], report.data["sites"]
    precision = _as_text(df["precision"])
    national = precision.isin(REGIONLESS_PRECISIONS).to_numpy(dtype=bool)
    whole_region = precision.eq("region").to_numpy(dtype=bool)
    pointless = precision.isin(POINTLESS_PRECISIONS).to_numpy(dtype=bool)
    level = _as_text(df["level"]).to_numpy(dtype=object)
    found: list[tuple[int, int, str, Message]] = []
    for rule, column in enumerate(("lon", "lat")):
        empty = _missing(df[column])
        found += [(int(i), rule, column, message("prob_required"))
                  for i in np.flatnonzero(empty & ~pointless)]
        found += [(int(i), rule, column,
                   message("prob_point_of_national" if national[i] else "prob_point_of_region",
                           precision=str(precision.iat[i])))
                  for i in np.flatnonzero(~empty & pointless)]
    no_region = _missing(df["region_code"])
    found += [(int(i), 2, "region_code", message("prob_required"))
              for i in np.flatnonzero(no_region & ~national)]
    found += [(int(i), 2, "region_code", message("prob_region_of_national"))
              for i in np.flatnonzero(~no_region & national)]
    for extent, flag in (("national", national), ("region", whole_region)):
        found += [(int(i), 3, "level", message("prob_level_mismatch", level=str(level[i]),
                                               precision=extent))
                  for i in np.flatnonzero(flag & (level != extent) & ~_missing(df["level"]))]
    _emit(report, spec, found)


def _check_points(report: _Report, regions_full: gpd.GeoDataFrame) -> None:
    names = dict(zip(regions_full["code"], regions_full["name_en"], strict=True))
    for table in ("sites", "places"):
        spec, df = TABLES_BY_NAME[table], report.data[table]
        if df.empty:
            continue
        lon, lat = _numbers(df["lon"]), _numbers(df["lat"])
        ok = (lon >= -180) & (lon <= 180) & (lat >= -90) & (lat <= 90)
        if table == "sites":  # a point given to a pointless site is refused on its own
            pointless = _as_text(df["precision"]).isin(POINTLESS_PRECISIONS).to_numpy(dtype=bool)
            lon, lat = np.where(pointless, np.nan, lon), np.where(pointless, np.nan, lat)
            ok &= ~pointless
        for i in np.flatnonzero(~ok & ~np.isnan(lon) & ~np.isnan(lat)):
            report.add(spec, int(i), "lat", message("prob_bad_lat_lon", lat=str(df["lat"].iat[i]),
                                                    lon=str(df["lon"].iat[i])))
        rows = np.flatnonzero(ok)
        if not len(rows):
            continue
        computed = geo.region_of_xy(lon[rows], lat[rows], regions_full)
        in_kz = np.ones(len(rows), dtype=bool) if table == "sites" else \
            df["country"].to_numpy(dtype=object)[rows] == "KZ"
        stated = df["region_code"].to_numpy(dtype=object)[rows]
        outside = in_kz & pd.isna(computed)
        misplaced = in_kz & ~outside & ~_missing(pd.Series(stated, dtype=object)) \
            & (computed != stated)
        inside = ~in_kz & pd.notna(computed)
        # Only points outside need the swapped test: a hint on their message.
        swapped = np.full(len(rows), None, dtype=object)
        swapped[outside] = geo.region_of_xy(lat[rows][outside], lon[rows][outside], regions_full)
        for k in np.flatnonzero(outside | misplaced | inside):
            row = int(rows[k])
            where = {"lat": Number(float(lat[row]), 5), "lon": Number(float(lon[row]), 5)}
            if outside[k]:
                code = "prob_outside_kz_swapped" if swapped[k] is not None else \
                    "prob_outside_kz"
                report.add(spec, row, "lon", message(code, **where))
            elif misplaced[k]:
                report.add(spec, row, "region_code", message(
                    "prob_wrong_region", **where, region=str(computed[k]),
                    stated=str(stated[k]), region_name=names.get(computed[k], computed[k]),
                    stated_name=names.get(stated[k], stated[k])))
            else:
                report.add(spec, row, "country", message("prob_inside_kz", **where))


def _check_links(report: _Report) -> None:
    sites = report.data["sites"]
    results = report.data["results"]
    # As a dict built row by row: a repeated id means its last row.
    site_project = sites.drop_duplicates("site_id", keep="last").set_index("site_id")["project_id"]
    result_project = results.drop_duplicates("result_id", keep="last") \
        .set_index("result_id")["project_id"]
    project = results["project_id"].to_numpy(dtype=object)
    site_ids = _ids_of(results["site_ids"])
    listed = site_ids[site_ids.isin(site_project.index)]
    owner = listed.map(site_project).to_numpy(dtype=object)
    other = owner != project[listed.index.to_numpy(dtype=np.int64)]
    found = [(int(i), 0, "site_ids", message("prob_site_of_other_project", site=repr(sid)))
             for i, sid in listed[other].items()]
    parent = results["parent_result_id"]
    has_parent = (~_missing(parent) & parent.isin(result_project.index)).to_numpy(dtype=bool)
    parent_project = parent.map(result_project).to_numpy(dtype=object)
    foreign = np.zeros(len(results), dtype=bool)
    foreign[has_parent] = parent_project[has_parent] != project[has_parent]
    found += [(int(i), 1, "parent_result_id", message("prob_parent_of_other_project"))
              for i in np.flatnonzero(foreign)]
    _emit(report, TABLES_BY_NAME["results"], found)
    projects = report.data["projects"]["project_id"]
    for i in np.flatnonzero(~projects.isin(set(sites["project_id"])).to_numpy(dtype=bool)):
        report.add(TABLES_BY_NAME["projects"], int(i), "project_id",
                   message("prob_project_without_site"))
    flows = report.data["funding_flows"]
    to_itself = flows["from_org_id"].eq(flows["to_org_id"]).to_numpy(dtype=bool)
    for i in np.flatnonzero(to_itself):
        report.add(TABLES_BY_NAME["funding_flows"], int(i), "to_org_id",
                   message("prob_flow_to_itself"))


# An IATI identifier: no spaces or line breaks (the standard's rule), and a sane length.
_IATI_IDENTIFIER = re.compile(r"^\S{1,200}$")


def _check_iati(report: _Report) -> None:
    """IATI identifiers name one project or organization each; sectors are DAC 5-digit codes."""
    for table, column in (("projects", "iati_identifier"), ("organizations", "iati_ref")):
        spec = TABLES_BY_NAME[table]
        values = report.data[table][column]
        filled = ~_missing(values)
        text = _as_text(values)
        for i in np.flatnonzero(filled & ~text.str.match(_IATI_IDENTIFIER).to_numpy(dtype=bool)):
            report.add(spec, int(i), column,
                       message("prob_bad_iati_identifier", value=repr(text.iat[i][:40])))
        repeated = filled & text.duplicated(keep=False).to_numpy(dtype=bool)
        first: dict[str, int] = {}
        for i in np.flatnonzero(repeated):
            value = text.iat[i]
            if value in first:
                report.add(spec, int(i), column, message(
                    "prob_iati_identifier_repeated", value=repr(value),
                    line=str(_line(report.data[table], first[value]))))
            else:
                first[value] = int(i)
    sectors = _ids_of(report.data["projects"]["sectors"])
    unknown = sectors[~sectors.isin(set(codes("Sector")))]
    for i, code in unknown.items():
        report.add(TABLES_BY_NAME["projects"], int(i), "sectors",
                   message("prob_unknown_sector", value=repr(code)))


def validate(data: DataSet, regions_full: gpd.GeoDataFrame | None = None,
             folder: str = "geodata") -> list[Problem]:
    """Every problem in the data set (empty list: valid); files are named under ``folder``."""
    regions_full = geo.load_regions("full") if regions_full is None else regions_full
    report = _Report(data, folder)
    for spec in TABLES:
        df = data[spec.name]
        _check_cells(report, spec, df)
        _check_keys(report, spec, df)
        _check_references(report, spec, df, regions_full)
    _check_figures(report)
    _check_inferences(report)
    _check_sdgs(report)
    _check_dates(report)
    _check_budgets(report)
    _check_site_extent(report)
    _check_points(report, regions_full)
    _check_links(report)
    _check_iati(report)
    return report.problems
