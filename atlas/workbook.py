"""The Excel download of the current view: one readable sheet per table, numbers kept as numbers.

Every amount or count is a number cell followed by its qualifier in words, so a donor can sum
a column and still see how well each figure is known; an unknown figure is an empty cell with
the qualifier "unknown", never 0. Text cells that a spreadsheet would read as a formula
(= + - @) are stored as plain text: names come from data and may be hostile.
"""

from __future__ import annotations

import io
import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from atlas.cards import budget_figure, project_records, projects_table, rate_sources_in
from atlas.dataset import is_missing, split_ids
from atlas.exports import filtered_sites
from atlas.figures import Figure, format_number
from atlas.formulas import FORMULA_START
from atlas.i18n import LANGUAGE_NAMES, localized, localized_note, string_keys, t
from atlas.query import (
    Filters,
    counted_flows,
    flow_conversion,
    matching_projects,
    project_funding,
    project_reach,
)
from atlas.snapshot import Snapshot
from atlas.xlsx_cells import EXCEL_CELL_CHARS
from atlas.xlsx_writer import AMOUNT, PLAIN, TEXT, WHOLE_AMOUNT, Column, Sheet, write_xlsx

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAX_WIDTH = 60

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


_KEYS = frozenset(string_keys())


def _word(key: str, lang: str, fallback: str = "") -> str:
    """A localized word for a data code; the code itself when there is none."""
    return t(key, lang) if key in _KEYS else fallback


def qualifier_word(figure: Figure, lang: str) -> str:
    """The qualifier of a figure in words ("exact", "at least", "unknown"...)."""
    return t(f"xl_q_{figure.qualifier.value}", lang)


def _number(figure: Figure) -> float | None:
    return figure.value if figure.is_known else None


def _sheet_name(key: str, lang: str) -> str:
    """A localized sheet name Excel accepts: no []:*?/\\ and at most 31 characters."""
    return _SHEET_FORBIDDEN.sub(" ", t(key, lang)).strip()[:31] or key[:31]


def _q(header: str, lang: str) -> str:
    """The header of the qualifier column that follows ``header``."""
    return f"{header} – {t('xl_qualifier', lang)}"


def _goal_names(snap: Snapshot, lang: str) -> dict[str, str]:
    """Each project's goals in rank order ("3. Good health; 5. ..."), built once per workbook:
    filtering the goals table per project (or per site) made a sheet of 10,000 rows quadratic."""
    sdgs = snap.table("project_sdgs").sort_values("rank", kind="stable")
    names = snap.table("sdgs").set_index("goal")
    words = {g: f"{int(g)}. {localized(names.loc[g], 'name', lang)}"
             for g in dict.fromkeys(sdgs["goal"])}
    goals: dict[str, list[str]] = {}
    for pid, goal in zip(sdgs["project_id"], sdgs["goal"], strict=True):
        goals.setdefault(pid, []).append(words[goal])
    return {pid: "; ".join(texts) for pid, texts in goals.items()}


def _source_titles(titles: Mapping[str, str], ids: Sequence[str]) -> str:
    return "; ".join(titles[s] for s in dict.fromkeys(ids) if s in titles)


def _titles_of_sources(snap: Snapshot) -> dict[str, str]:
    sources = snap.table("sources")
    return {sid: str(title) for sid, title in zip(sources["source_id"], sources["title"],
                                                   strict=True)}


def _project_titles(snap: Snapshot, lang: str) -> dict[str, str]:
    return {r["project_id"]: localized(r, "title", lang)
            for r in snap.table("projects").to_dict("records")}


def _projects_sheet(snap: Snapshot, ids: list[str], filters: Filters, lang: str,
                    currency: str) -> tuple[pd.DataFrame, set[str]]:
    table = projects_table(snap, ids, lang, filters.donors, currency)
    records = project_records(snap)
    budget_h, funding_h = t("col_budget", lang), f"{t('col_funding', lang)} ({currency})"
    reach_h = t("col_reach", lang)
    goal_names = _goal_names(snap, lang)
    budgets = [budget_figure(records[pid]) for pid in ids]
    funding = [project_funding(snap, pid, filters.donors, currency) for pid in ids]
    reach = [project_reach(snap, pid) for pid in ids]

    def shown(key: str) -> list[Any]:
        return table[t(key, lang)].tolist() if ids else []

    columns = {
        t("col_project", lang): shown("col_project"),
        t("col_iati_identifier", lang): [records[pid]["iati_identifier"] or "" for pid in ids],
        t("col_donors", lang): shown("col_donors"),
        t("col_implementers", lang): shown("col_implementers"),
        t("col_period", lang): shown("col_period"),
        t("col_status", lang): shown("col_status"),
        budget_h: [_number(f) for f in budgets],
        t("col_currency", lang): [records[pid]["budget_currency"] or "" for pid in ids],
        _q(budget_h, lang): [qualifier_word(f, lang) for f in budgets],
        funding_h: [_number(f) for f in funding],
        _q(funding_h, lang): [qualifier_word(f, lang) for f in funding],
        reach_h: [_number(f) for f in reach],
        _q(reach_h, lang): [qualifier_word(f, lang) for f in reach],
        t("col_regions", lang): shown("col_regions"),
        t("col_sdgs", lang): [goal_names.get(pid, "") for pid in ids],
    }
    return _frame(columns), {budget_h, funding_h, reach_h}


def _frame(columns: Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    """A sheet from its columns, typed as a frame of the same rows would be."""
    rows = list(zip(*columns.values(), strict=True))
    return pd.DataFrame(rows, columns=list(columns))


def _words(codes: Sequence[str], prefix: str, lang: str) -> list[str]:
    """``_word(prefix + code)`` for each code, translating each distinct code once."""
    found = {c: _word(f"{prefix}{c}", lang, c) for c in dict.fromkeys(codes)}
    return [found[c] for c in codes]


def _sites_sheet(snap: Snapshot, ids: list[str], filters: Filters, lang: str,
                 currency: str) -> tuple[pd.DataFrame, set[str]]:
    sites = filtered_sites(snap, filters, lang, currency)
    if len(sites):
        sites = sites.loc[sites["project_id"].isin(ids)]
    funding_h = f"{t('tooltip_funding', lang)} ({currency})"
    reach_h = t("tooltip_reach", lang)
    share_col = f"funding_share_{currency.lower()}"
    goal_names = _goal_names(snap, lang)
    sites_in_project = snap.sites["project_id"].value_counts().to_dict()
    split_rules: dict[str, str] = {}

    def split_rule(pid: str) -> str:
        if pid not in split_rules:
            split_rules[pid] = t("xl_split_rule", lang, n=int(sites_in_project.get(pid, 0)))
        return split_rules[pid]

    def column(name: str) -> list[Any]:
        return sites[name].tolist() if len(sites) else []

    pids = column("project_id")
    funding = [Figure.of(v, q) for v, q in zip(column(share_col),
                                               column("funding_share_qualifier"), strict=True)]
    reach = [Figure.of(v, q) for v, q in zip(column("people_reached_share"),
                                             column("people_reached_share_qualifier"),
                                             strict=True)]
    columns = {
        t("col_site", lang): column("site"),
        t("xl_level", lang): _words(column("level"), "xl_level_", lang),
        t("xl_district", lang): column("district"),
        t("filter_region", lang): column("region"),
        t("col_precision", lang): _words(column("precision"), "precision_", lang),
        t("col_basis", lang): column("location_basis"),
        t("col_project", lang): column("project"),
        t("col_status", lang): _words(column("status"), "status_", lang),
        t("xl_start", lang): column("start"),
        t("xl_end", lang): column("end"),
        t("col_donors", lang): column("donors"),
        t("col_implementers", lang): column("implementers"),
        t("col_sdgs", lang): [goal_names.get(p, "") for p in pids],
        funding_h: [_number(f) for f in funding],
        _q(funding_h, lang): [qualifier_word(f, lang) for f in funding],
        reach_h: [_number(f) for f in reach],
        _q(reach_h, lang): [qualifier_word(f, lang) for f in reach],
        t("xl_split", lang): [split_rule(p) for p in pids],
        t("card_sources", lang): column("sources"),
        t("xl_lon", lang): column("lon"),
        t("xl_lat", lang): column("lat"),
    }
    return _frame(columns), {funding_h, reach_h}


def _flows_sheet(snap: Snapshot, ids: list[str], filters: Filters, lang: str,
                 currency: str) -> tuple[pd.DataFrame, set[str]]:
    orgs = snap.organization_names(lang)
    titles = _project_titles(snap, lang)
    source_titles = _titles_of_sources(snap)
    # One pass over the table: grouping it per project made 10,000 small frames.
    by_project: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in snap.table("funding_flows").sort_values("flow_id", kind="stable") \
            .to_dict("records"):
        by_project[f["project_id"]].append(f)
    stated_h, converted_h = t("xl_amount_stated", lang), t("xl_amount_in", lang, cur=currency)
    counted_h = t("xl_counted_amount", lang, cur=currency)
    counted_word = t("xl_counted", lang)
    upstream_word, not_selected_word = t("xl_upstream", lang), t("xl_not_selected", lang)
    no_rate = t("no_rate", lang)
    rows = []
    for pid in ids:
        mine = by_project.get(pid, [])
        counted = {c.flow_id: c for c in counted_flows(snap, pid, filters.donors, currency)}
        receivers = {f["to_org_id"] for f in mine}
        for f in mine:
            c = flow_conversion(snap, f, currency)
            if f["flow_id"] in counted:
                how = counted_word
                counted_figure: Figure | None = counted[f["flow_id"]].figure
            else:
                how = upstream_word if f["from_org_id"] in receivers else not_selected_word
                counted_figure = None
            if c.changed_currency and c.original.is_known:
                rate = c.rate
                rate_source = "; ".join(rate_sources_in(snap, [c], lang)) if c.has_rate \
                    else no_rate
            else:
                rate, rate_source = None, ""
            rows.append((
                titles[pid],
                orgs.get(f["from_org_id"], f["from_org_id"]),
                orgs.get(f["to_org_id"], f["to_org_id"]),
                _word(f"xl_kind_{f['kind']}", lang, f["kind"]),
                _number(c.original),
                f["currency"] or "",
                qualifier_word(c.original, lang),
                None if is_missing(f["year"]) else int(f["year"]),
                _number(c.converted),
                qualifier_word(c.converted, lang),
                rate,
                rate_source,
                how,
                None if counted_figure is None else _number(counted_figure),
                "" if counted_figure is None else qualifier_word(counted_figure, lang),
                _word(f"xl_fstatus_{f['status']}", lang, f["status"]),
                localized_note(f, lang, "basis", "year_basis", "note"),
                _source_titles(source_titles, split_ids(f["source_ids"])),
            ))
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
    records = results.to_dict("records")
    labels = {r["result_id"]: localized(r, "label", lang) for r in records}
    chosen = set(ids)
    order = {pid: i for i, pid in enumerate(ids)}
    mine = [r for r in records
            if r["project_id"] in chosen or chosen & set(split_ids(r["joint_project_ids"]))]

    def key(r: dict[str, Any]) -> tuple[int, str, int, str]:
        # Each breakdown row right after the result it breaks down.
        top = r["parent_result_id"] or r["result_id"]
        return (order.get(r["project_id"], len(order)), top, 1 if r["parent_result_id"] else 0,
                r["result_id"])

    value_h = t("xl_value", lang)
    units: dict[str, str] = {}
    rows = []
    for r in sorted(mine, key=key):
        figure = Figure.of(r["value"], r["qualifier"], r["basis"])
        unit = str(r["unit"])
        if unit not in units:
            units[unit] = _word(f"xl_unit_{unit}", lang, unit)
        joint = [p for p in split_ids(r["joint_project_ids"]) if p in titles]
        rows.append((
            titles[r["project_id"]],
            labels[r["result_id"]],
            _number(figure),
            qualifier_word(figure, lang),
            units[unit],
            labels.get(r["parent_result_id"], ""),
            "; ".join(titles[p] for p in joint),
            r["as_of"],
            localized_note(r, lang, "basis", "note"),
            _source_titles(source_titles, split_ids(r["source_ids"])),
        ))
    columns = [t("col_project", lang), t("xl_result", lang), value_h, _q(value_h, lang),
               t("xl_unit", lang), t("xl_breakdown_of", lang), t("xl_joint", lang),
               t("xl_as_of", lang), t("col_basis", lang), t("card_sources", lang)]
    return pd.DataFrame(rows, columns=columns), {value_h}


def _cited_sources(snap: Snapshot, ids: list[str]) -> list[str]:
    """Every source behind the chosen projects: the projects, sites, flows, roles, results."""
    chosen = set(ids)
    cited: list[str] = []
    for name in ("projects", "participants", "funding_flows", "results", "sites"):
        table = snap.table(name)
        rows = table.loc[table["project_id"].isin(chosen)]
        if name == "results":
            joint = table["joint_project_ids"].map(lambda v: bool(chosen & set(split_ids(v))))
            rows = table.loc[table["project_id"].isin(chosen) | joint]
        cited.extend(s for v in rows["source_ids"] for s in split_ids(v))
    return list(dict.fromkeys(cited))


def _sources_sheet(snap: Snapshot, ids: list[str], lang: str) -> pd.DataFrame:
    sources = snap.table("sources").set_index("source_id")
    rows = [{
        t("col_source", lang): sources.at[s, "title"],
        t("col_publisher", lang): sources.at[s, "publisher"],
        t("col_date", lang): sources.at[s, "date"],
        t("col_link", lang): sources.at[s, "url"],
        t("col_language", lang): LANGUAGE_NAMES.get(sources.at[s, "language"],
                                                   sources.at[s, "language"]),
    } for s in _cited_sources(snap, ids) if s in sources.index]
    columns = [t("col_source", lang), t("col_publisher", lang), t("col_date", lang),
               t("col_link", lang), t("col_language", lang)]
    return pd.DataFrame(rows, columns=columns)


def filters_in_words(snap: Snapshot, filters: Filters, lang: str) -> list[tuple[str, str]]:
    """Each chosen filter as (label, readable values); empty when nothing is filtered."""
    orgs = snap.organization_names(lang)
    regions = snap.region_names(lang)
    sdgs = snap.table("sdgs").set_index("goal")
    out = []
    if filters.donors:
        out.append((t("filter_donor", lang), "; ".join(orgs.get(o, o) for o in filters.donors)))
    if filters.sdgs:
        out.append((t("filter_sdg", lang), "; ".join(
            f"{g}. {localized(sdgs.loc[g], 'name', lang)}" if g in sdgs.index else str(g)
            for g in filters.sdgs)))
    if filters.regions:
        out.append((t("filter_region", lang),
                    "; ".join(regions.get(r, r) for r in filters.regions)))
    if filters.implementers:
        out.append((t("filter_implementer", lang),
                    "; ".join(orgs.get(o, o) for o in filters.implementers)))
    if filters.years:
        out.append((t("filter_years", lang), f"{filters.years[0]} – {filters.years[1]}"))
    if filters.statuses:
        out.append((t("filter_status", lang),
                    "; ".join(_word(f"status_{s}", lang, s) for s in filters.statuses)))
    return out


def _about_sheet(snap: Snapshot, ids: list[str], filters: Filters, lang: str, currency: str,
                 selected: bool, notes: Sequence[tuple[str, str]] = ()) -> pd.DataFrame:
    projects = project_records(snap)
    rows: list[tuple[str, str]] = [
        (t("app_title", lang), t("xl_about_intro", lang)),
        (t("data_version", lang), snap.version),
        (t("currency", lang), currency),
        (t("xl_exported", lang), datetime.now().strftime("%Y-%m-%d %H:%M")),
    ]
    chosen = filters_in_words(snap, filters, lang)
    if chosen:
        rows.extend((f"{t('filters', lang)}: {label}", value) for label, value in chosen)
    else:
        rows.append((t("filters", lang), t("xl_no_filters", lang)))
    if selected:
        rows.append((t("xl_selected", lang), "; ".join(
            localized(projects[p], "title", lang) for p in ids)))
    rows.extend([
        (t("kpi_projects", lang), str(len(ids))),
        (t("xl_rules", lang), t("xl_rules_text", lang)),
        (t("xl_numbers", lang), t("xl_numbers_text", lang)),
        *notes,
    ])
    return pd.DataFrame(rows, columns=[t("xl_item", lang), t("xl_value", lang)])


def _clean_text(value: str) -> str:
    """Drop characters an .xlsx file cannot hold (control characters)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _cell_values(values: list[Any]) -> list[Any]:
    """A column's values as cells hold them: text without control characters and no longer
    than a cell holds, no empty text (a truly empty cell, not an empty string), infinities
    as words, as pandas wrote them."""
    values = [v[:EXCEL_CELL_CHARS - 1] + "…" if isinstance(v, str) and len(v) > EXCEL_CELL_CHARS
              else v for v in values]
    text = [v for v in values if isinstance(v, str)]
    # One search of the whole column: almost every column holds no control character at all.
    dirty = bool(text) and ILLEGAL_CHARACTERS_RE.search("\n".join(text)) is not None
    out: list[Any] = []
    for v in values:
        if isinstance(v, str):
            v = _clean_text(v) if dirty else v
            out.append(v or None)
        elif v is None or v is pd.NA or v is pd.NaT:
            out.append(None)
        elif isinstance(v, float) and not math.isfinite(v):
            out.append(None if math.isnan(v) else ("inf" if v > 0 else "-inf"))
        else:
            out.append(v)
    return out


def _width(header: str, values: list[Any]) -> float:
    """A column wide enough for its longest entry (up to ``_MAX_WIDTH``)."""
    longest = max((len(str(v)) for v in values if v is not None), default=0)
    return min(_MAX_WIDTH, max(len(header), longest) + 2)


def _amount_style(value: Any) -> int:
    if isinstance(value, int | float):
        return WHOLE_AMOUNT if float(value).is_integer() else AMOUNT
    return _text_style(value)


def _text_style(value: Any) -> int:
    # Text a spreadsheet would read as a formula stays text.
    return TEXT if isinstance(value, str) and value.startswith(FORMULA_START) else PLAIN


def _sheet(name: str, frame: pd.DataFrame, amounts: set[str], note: str = "") -> Sheet:
    """A sheet of ``frame``: amounts with thousands separators, formula-looking text as text;
    ``note`` below the table."""
    columns = []
    for name_of, header in zip(frame.columns, (_clean_text(str(c)) for c in frame.columns),
                               strict=True):
        cells = _cell_values(frame[name_of].tolist())
        style = _amount_style if header in amounts else _text_style
        columns.append(Column(header, _width(header, cells), cells,
                              [style(v) for v in cells], _text_style(header)))
    return Sheet(name, columns, note)


# A sheet longer than this is cut, and says so: a spreadsheet of hundreds of thousands of rows
# opens slowly, filters and sorts slower still, and takes as long to make.
MAX_SHEET_ROWS = 50_000


def rows_left_out_note(kept: int, total: int, lang: str) -> str:
    """What a sheet cut to ``kept`` of ``total`` rows says about the rows it left out."""
    return t("xl_rows_left_out", lang, kept=format_number(kept, lang),
             total=format_number(total, lang), left=format_number(total - kept, lang))


def view_workbook(snap: Snapshot, filters: Filters, lang: str = "en", currency: str = "EUR",
                  project_ids: Sequence[str] | None = None) -> bytes:
    """The current view as an .xlsx file: Projects, Sites, Funding flows, Results, Sources, About.

    The projects are those matching ``filters``, or exactly ``project_ids`` when given (sites
    are then those of the matching projects that are among ``project_ids``). A sheet of more
    than ``MAX_SHEET_ROWS`` rows keeps its first rows and says, below them and on the About
    sheet, how many it left out.
    """
    ids = list(project_ids) if project_ids is not None else matching_projects(snap, filters)
    known = set(snap.table("projects")["project_id"])
    ids = [p for p in dict.fromkeys(ids) if p in known]
    projects, projects_amounts = _projects_sheet(snap, ids, filters, lang, currency)
    sites, sites_amounts = _sites_sheet(snap, ids, filters, lang, currency)
    flows, flows_amounts = _flows_sheet(snap, ids, filters, lang, currency)
    results, results_amounts = _results_sheet(snap, ids, lang)
    tables: list[tuple[str, pd.DataFrame, set[str]]] = [
        ("xl_sheet_projects", projects, projects_amounts),
        ("xl_sheet_sites", sites, sites_amounts),
        ("xl_sheet_flows", flows, flows_amounts),
        ("xl_sheet_results", results, results_amounts),
        ("xl_sheet_sources", _sources_sheet(snap, ids, lang), set()),
    ]
    sheets: list[Sheet] = []
    notes: list[tuple[str, str]] = []
    for key, frame, amounts in tables:
        name, note = _sheet_name(key, lang), ""
        if len(frame) > MAX_SHEET_ROWS:
            note = rows_left_out_note(MAX_SHEET_ROWS, len(frame), lang)
            notes.append((name, note))
            frame = frame.iloc[:MAX_SHEET_ROWS]
        sheets.append(_sheet(name, frame, amounts, note))
    about = _about_sheet(snap, ids, filters, lang, currency, project_ids is not None, notes)
    sheets.append(_sheet(_sheet_name("xl_sheet_about", lang), about, set()))
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    return buffer.getvalue()
