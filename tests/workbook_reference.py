"""The Excel download as it was built: rows looked up one by one and written cell by cell,
then every cell visited again. The brute-force reference the streamed workbook is compared
with (tests only; slow on purpose, never used by the atlas)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from atlas.cards import budget_figure, projects_table, rate_sources_in
from atlas.dataset import is_missing, split_ids
from atlas.figures import Figure
from atlas.formulas import FORMULA_START
from atlas.i18n import localized, localized_note, t
from atlas.query import (
    Filters,
    counted_flows,
    flow_conversion,
    matching_projects,
    project_funding,
    project_reach,
)
from atlas.snapshot import Snapshot
from atlas.workbook import (
    _MAX_WIDTH,
    _about_sheet,
    _goal_names,
    _number,
    _project_titles,
    _q,
    _sheet_name,
    _source_titles,
    _sources_sheet,
    _titles_of_sources,
    _word,
    qualifier_word,
)
from tests.exports_reference import sites_row_by_row


def _projects_sheet(snap: Snapshot, ids: list[str], filters: Filters, lang: str,
                    currency: str) -> tuple[pd.DataFrame, set[str]]:
    table = projects_table(snap, ids, lang, filters.donors, currency)
    projects = snap.table("projects").set_index("project_id")
    budget_h, funding_h = t("col_budget", lang), f"{t('col_funding', lang)} ({currency})"
    reach_h = t("col_reach", lang)
    goal_names = _goal_names(snap, lang)
    rows = []
    for pid, row in zip(ids, table.to_dict("records"), strict=True):
        p = projects.loc[pid]
        budget = budget_figure(p)
        funding = project_funding(snap, pid, filters.donors, currency)
        reach = project_reach(snap, pid)
        rows.append({
            t("col_project", lang): row[t("col_project", lang)],
            t("col_iati_identifier", lang): p["iati_identifier"] or "",
            t("col_donors", lang): row[t("col_donors", lang)],
            t("col_implementers", lang): row[t("col_implementers", lang)],
            t("col_period", lang): row[t("col_period", lang)],
            t("col_status", lang): row[t("col_status", lang)],
            budget_h: _number(budget),
            t("col_currency", lang): p["budget_currency"] or "",
            _q(budget_h, lang): qualifier_word(budget, lang),
            funding_h: _number(funding),
            _q(funding_h, lang): qualifier_word(funding, lang),
            reach_h: _number(reach),
            _q(reach_h, lang): qualifier_word(reach, lang),
            t("col_regions", lang): row[t("col_regions", lang)],
            t("col_sdgs", lang): goal_names.get(pid, ""),
        })
    columns = [t("col_project", lang), t("col_iati_identifier", lang), t("col_donors", lang),
               t("col_implementers", lang),
               t("col_period", lang), t("col_status", lang), budget_h, t("col_currency", lang),
               _q(budget_h, lang), funding_h, _q(funding_h, lang), reach_h, _q(reach_h, lang),
               t("col_regions", lang), t("col_sdgs", lang)]
    return pd.DataFrame(rows, columns=columns), {budget_h, funding_h, reach_h}


def _sites_sheet(snap: Snapshot, ids: list[str], filters: Filters, lang: str,
                 currency: str) -> tuple[pd.DataFrame, set[str]]:
    sites = sites_row_by_row(snap, filters, lang, currency)
    if len(sites):
        sites = sites.loc[sites["project_id"].isin(ids)]
    funding_h = f"{t('tooltip_funding', lang)} ({currency})"
    reach_h = t("tooltip_reach", lang)
    share_col = f"funding_share_{currency.lower()}"
    goal_names = _goal_names(snap, lang)
    sites_in_project = snap.sites["project_id"].value_counts().to_dict()
    rows = []
    for s in sites.drop(columns="geometry").to_dict("records"):
        funding = Figure.of(s[share_col], s["funding_share_qualifier"])
        reach = Figure.of(s["people_reached_share"], s["people_reached_share_qualifier"])
        rows.append({
            t("col_site", lang): s["site"],
            t("xl_level", lang): _word(f"xl_level_{s['level']}", lang, s["level"]),
            t("xl_district", lang): s["district"],
            t("filter_region", lang): s["region"],
            t("col_precision", lang): _word(f"precision_{s['precision']}", lang, s["precision"]),
            t("col_basis", lang): s["location_basis"],
            t("col_project", lang): s["project"],
            t("col_status", lang): _word(f"status_{s['status']}", lang, s["status"]),
            t("xl_start", lang): s["start"],
            t("xl_end", lang): s["end"],
            t("col_donors", lang): s["donors"],
            t("col_implementers", lang): s["implementers"],
            t("col_sdgs", lang): goal_names.get(s["project_id"], ""),
            funding_h: _number(funding),
            _q(funding_h, lang): qualifier_word(funding, lang),
            reach_h: _number(reach),
            _q(reach_h, lang): qualifier_word(reach, lang),
            t("xl_split", lang): t("xl_split_rule", lang,
                                   n=int(sites_in_project.get(s["project_id"], 0))),
            t("card_sources", lang): s["sources"],
            t("xl_lon", lang): s["lon"],
            t("xl_lat", lang): s["lat"],
        })
    columns = [t("col_site", lang), t("xl_level", lang), t("xl_district", lang),
               t("filter_region", lang), t("col_precision", lang), t("col_basis", lang),
               t("col_project", lang), t("col_status", lang), t("xl_start", lang),
               t("xl_end", lang), t("col_donors", lang), t("col_implementers", lang),
               t("col_sdgs", lang), funding_h, _q(funding_h, lang), reach_h, _q(reach_h, lang),
               t("xl_split", lang), t("card_sources", lang), t("xl_lon", lang),
               t("xl_lat", lang)]
    return pd.DataFrame(rows, columns=columns), {funding_h, reach_h}


def _flows_sheet(snap: Snapshot, ids: list[str], filters: Filters, lang: str,
                 currency: str) -> tuple[pd.DataFrame, set[str]]:
    orgs = snap.organization_names(lang)
    titles = _project_titles(snap, lang)
    source_titles = _titles_of_sources(snap)
    flows = snap.table("funding_flows")
    by_project = dict(iter(flows.groupby("project_id", sort=False)))
    stated_h, converted_h = t("xl_amount_stated", lang), t("xl_amount_in", lang, cur=currency)
    counted_h = t("xl_counted_amount", lang, cur=currency)
    rows = []
    for pid in ids:
        if pid not in by_project:
            continue
        mine = by_project[pid].sort_values("flow_id").to_dict("records")
        counted = {c.flow_id: c for c in counted_flows(snap, pid, filters.donors, currency)}
        receivers = {f["to_org_id"] for f in mine}
        for f in mine:
            c = flow_conversion(snap, f, currency)
            if f["flow_id"] in counted:
                how = t("xl_counted", lang)
                counted_figure = counted[f["flow_id"]].figure
            else:
                how = t("xl_upstream" if f["from_org_id"] in receivers else "xl_not_selected",
                        lang)
                counted_figure = None
            if c.changed_currency and c.original.is_known:
                rate = c.rate
                rate_source = "; ".join(rate_sources_in(snap, [c], lang)) if c.has_rate \
                    else t("no_rate", lang)
            else:
                rate, rate_source = None, ""
            rows.append({
                t("col_project", lang): titles[pid],
                t("xl_from", lang): orgs.get(f["from_org_id"], f["from_org_id"]),
                t("xl_to", lang): orgs.get(f["to_org_id"], f["to_org_id"]),
                t("xl_kind", lang): _word(f"xl_kind_{f['kind']}", lang, f["kind"]),
                stated_h: _number(c.original),
                t("col_currency", lang): f["currency"] or "",
                _q(stated_h, lang): qualifier_word(c.original, lang),
                t("col_year", lang): None if is_missing(f["year"]) else int(f["year"]),
                converted_h: _number(c.converted),
                _q(converted_h, lang): qualifier_word(c.converted, lang),
                t("xl_rate", lang, cur=currency): rate,
                t("xl_rate_source", lang): rate_source,
                t("xl_counting", lang): how,
                counted_h: None if counted_figure is None else _number(counted_figure),
                _q(counted_h, lang): "" if counted_figure is None
                else qualifier_word(counted_figure, lang),
                t("col_status", lang): _word(f"xl_fstatus_{f['status']}", lang, f["status"]),
                t("col_basis", lang): localized_note(f, lang, "basis", "year_basis", "note"),
                t("card_sources", lang): _source_titles(source_titles,
                                                        split_ids(f["source_ids"])),
            })
    columns = [t("col_project", lang), t("xl_from", lang), t("xl_to", lang), t("xl_kind", lang),
               stated_h, t("col_currency", lang), _q(stated_h, lang), t("col_year", lang),
               converted_h, _q(converted_h, lang), t("xl_rate", lang, cur=currency),
               t("xl_rate_source", lang), t("xl_counting", lang), counted_h,
               _q(counted_h, lang), t("col_status", lang), t("col_basis", lang),
               t("card_sources", lang)]
    return pd.DataFrame(rows, columns=columns), {stated_h, converted_h, counted_h}


def _results_sheet(snap: Snapshot, ids: list[str], lang: str) -> tuple[pd.DataFrame, set[str]]:
    results = snap.table("results")
    titles = _project_titles(snap, lang)
    source_titles = _titles_of_sources(snap)
    labels = {r["result_id"]: localized(r, "label", lang) for r in results.to_dict("records")}
    chosen = set(ids)
    order = {pid: i for i, pid in enumerate(ids)}
    mine = [r for r in results.to_dict("records")
            if r["project_id"] in chosen or chosen & set(split_ids(r["joint_project_ids"]))]

    def key(r: dict[str, Any]) -> tuple[int, str, int, str]:
        # Each breakdown row right after the result it breaks down.
        top = r["parent_result_id"] or r["result_id"]
        return (order.get(r["project_id"], len(order)), top, 1 if r["parent_result_id"] else 0,
                r["result_id"])

    value_h = t("xl_value", lang)
    rows = []
    for r in sorted(mine, key=key):
        figure = Figure.of(r["value"], r["qualifier"], r["basis"])
        unit = str(r["unit"])
        joint = [p for p in split_ids(r["joint_project_ids"]) if p in titles]
        rows.append({
            t("col_project", lang): titles[r["project_id"]],
            t("xl_result", lang): labels[r["result_id"]],
            value_h: _number(figure),
            _q(value_h, lang): qualifier_word(figure, lang),
            t("xl_unit", lang): _word(f"xl_unit_{unit}", lang, unit),
            t("xl_breakdown_of", lang): labels.get(r["parent_result_id"], ""),
            t("xl_joint", lang): "; ".join(titles[p] for p in joint),
            t("xl_as_of", lang): r["as_of"],
            t("col_basis", lang): localized_note(r, lang, "basis", "note"),
            t("card_sources", lang): _source_titles(source_titles, split_ids(r["source_ids"])),
        })
    columns = [t("col_project", lang), t("xl_result", lang), value_h, _q(value_h, lang),
               t("xl_unit", lang), t("xl_breakdown_of", lang), t("xl_joint", lang),
               t("xl_as_of", lang), t("col_basis", lang), t("card_sources", lang)]
    return pd.DataFrame(rows, columns=columns), {value_h}


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop characters an .xlsx file cannot hold (control characters) from text cells."""
    def fix(value: object) -> object:
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
    out = frame.map(fix)
    out.columns = [fix(c) for c in frame.columns]
    return out


def _finish(ws: Worksheet, amounts: set[str]) -> None:
    """Make formula-looking text plain text, format amounts, size columns, freeze the header."""
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if value == "":
                cell.value = None  # a truly empty cell, not an empty string
            elif isinstance(value, str) and value.startswith(FORMULA_START):
                cell.data_type = "s"
                cell.quotePrefix = True
            elif isinstance(value, int | float) and cell.row > 1 \
                    and headers[cell.column - 1] in amounts:
                cell.number_format = "#,##0" if float(value).is_integer() else "#,##0.00"
    for i, header in enumerate(headers, start=1):
        cells = [str(c.value) for (c,) in ws.iter_rows(min_col=i, max_col=i) if c.value is not None]
        width = max([len(str(header or ""))] + [len(v) for v in cells])
        ws.column_dimensions[get_column_letter(i)].width = min(_MAX_WIDTH, width + 2)
    ws.freeze_panes = "A2"
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions


def workbook_cell_by_cell(snap: Snapshot, filters: Filters, lang: str = "en", currency: str = "EUR",
                  project_ids: Sequence[str] | None = None) -> bytes:
    """``view_workbook`` as it was: sheets built row by row, written by pandas cell by cell,
    then every cell visited again to format it."""
    ids = list(project_ids) if project_ids is not None else matching_projects(snap, filters)
    known = set(snap.table("projects")["project_id"])
    ids = [p for p in dict.fromkeys(ids) if p in known]
    projects, projects_amounts = _projects_sheet(snap, ids, filters, lang, currency)
    sites, sites_amounts = _sites_sheet(snap, ids, filters, lang, currency)
    flows, flows_amounts = _flows_sheet(snap, ids, filters, lang, currency)
    results, results_amounts = _results_sheet(snap, ids, lang)
    sheets: list[tuple[str, pd.DataFrame, set[str]]] = [
        ("xl_sheet_projects", projects, projects_amounts),
        ("xl_sheet_sites", sites, sites_amounts),
        ("xl_sheet_flows", flows, flows_amounts),
        ("xl_sheet_results", results, results_amounts),
        ("xl_sheet_sources", _sources_sheet(snap, ids, lang), set()),
        ("xl_sheet_about",
         _about_sheet(snap, ids, filters, lang, currency, project_ids is not None), set()),
    ]
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for key, frame, amounts in sheets:
            name = _sheet_name(key, lang)
            _clean(frame).to_excel(writer, sheet_name=name, index=False)
            _finish(writer.sheets[name], amounts)
    return buffer.getvalue()
