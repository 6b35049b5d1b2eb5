"""What a project card and the projects table say, as plain data (no Streamlit here)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from atlas.dataset import split_ids
from atlas.figures import Figure, format_figure
from atlas.i18n import data_text, in_english_mark, localized, localized_note, string_keys, t
from atlas.money import Conversion, describe_conversion, rate_note
from atlas.query import (
    FUNDING_ROLES,
    IMPLEMENTING_ROLES,
    CountedFlow,
    Filters,
    flow_conversion,
    project_funding,
    project_index,
    project_reach,
    rows_by_project,
)
from atlas.snapshot import Snapshot

ROLE_ORDER = ("funder", "grant_operator", "lead", "co_implementer", "partner", "recipient")


@dataclass(frozen=True)
class ResultLine:
    label: str
    value: str
    note: str = ""
    joint_with: str = ""
    children: tuple[ResultLine, ...] = ()


@dataclass(frozen=True)
class Partner:
    role: str
    name: str
    as_stated: str
    note: str


@dataclass(frozen=True)
class MoneyLine:
    source: str
    target: str
    amount: str
    converted: str
    note: str


@dataclass(frozen=True)
class SdgBadge:
    goal: int
    name: str
    colour: str
    targets: str
    rationale: str


@dataclass(frozen=True)
class SourceLink:
    title: str
    publisher: str
    date: str
    url: str


@dataclass(frozen=True)
class ProjectCard:
    """Everything the card shows, already in the viewer's language."""

    project_id: str
    title: str
    summary: str
    status: str
    period: str
    budget: str
    budget_note: str
    contract: str
    method: str
    partners: list[Partner] = field(default_factory=list)
    money: list[MoneyLine] = field(default_factory=list)
    sdgs: list[SdgBadge] = field(default_factory=list)
    results: list[ResultLine] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)
    context: list[ResultLine] = field(default_factory=list)
    sources: list[SourceLink] = field(default_factory=list)
    iati_identifier: str = ""  # the activity a donor publishes it as, if any
    # "How this was computed": technical provenance (rate sources and the like), kept out of
    # the main text and shown folded.
    details: list[str] = field(default_factory=list)



def method_label(method: object, lang: str) -> str:
    """A project's method in plain words: a known method code ("TALD") spelled out in ``lang``,
    any other text as it is."""
    code = str(method or "").strip()
    key = f"method_{code}"
    return t(key, lang) if code and key in _METHOD_KEYS else code


_METHOD_KEYS = frozenset(k for k in string_keys() if k.startswith("method_"))

def budget_figure(project: pd.Series | dict) -> Figure:  # type: ignore[type-arg]
    return Figure.of(project["budget_amount"], project["budget_qualifier"],
                     project["budget_basis"])


def status_text(project: pd.Series | dict, lang: str) -> str:  # type: ignore[type-arg]
    text = t(f"status_{project['status']}", lang)
    if project["status_as_of"]:
        text += f" ({t('as_of', lang)} {project['status_as_of']})"
    return text


def period_text(project: pd.Series | dict, lang: str) -> str:  # type: ignore[type-arg]
    start = project["start"] or "?"
    end = project["end"] or t("open_end", lang)
    return f"{start} – {end}"


def role_label(role: str, lang: str) -> str:
    """A participant's role as the card names it; "grant operator" says what one does."""
    return t("role_grant_operator_explained" if role == "grant_operator" else f"role_{role}",
             lang)


def is_inferred(record: Mapping[str, Any], qualifier: str) -> bool:
    """Whether a participant's role or a flow's route is our reading rather than stated."""
    return str(record.get(qualifier) or "") == "inferred"


def inferred_note(record: Mapping[str, Any], lang: str, qualifier: str, basis: str) -> str:
    """"our reading, not stated: <why>" for an inferred role or route, in ``lang`` (the words
    the card, the flows map and the Sankey share); "" for a stated one."""
    if not is_inferred(record, qualifier):
        return ""
    # The basis is a sentence; its full stop would end the card's line before what follows.
    why = localized_note(record, lang, basis).replace(".;", ";").removesuffix(".")
    return t("inferred_because", lang, basis=why)


def participant_role(record: Mapping[str, Any], lang: str) -> str:
    """The role as the card names it; an inferred role never reads like a stated one."""
    role = role_label(str(record["role"]), lang)
    return t("role_inferred", lang, role=role) if is_inferred(record, "role_qualifier") \
        else role


def figure_note(record: Mapping[str, Any], lang: str, figure: Figure, basis: str,
                *notes: str) -> str:
    """The basis and notes shown beside a figure, in ``lang``: a derived figure's basis says
    that it is what the figure was computed from; marked "(in English)" once if need be."""
    texts = [data_text(record, f, lang) for f in (basis, *notes)]
    parts = [x.text for x in texts]
    if figure.is_known and figure.derived and parts[0]:
        parts[0] = t("derived_from", lang, basis=parts[0])
    text = "; ".join(p for p in parts if p)
    return f"{text} {in_english_mark(lang)}" if any(x.fell_back for x in texts) else text


def figure_text(value: object, qualifier: object, basis: object, unit: str, lang: str) -> str:
    """A stored value with its qualifier and unit, as the card writes it ("≈ 3,000", "25%")."""
    figure = Figure.of(value, qualifier, basis)
    if unit == "percent":
        text = format_figure(figure, lang)
        return text.replace(" (", "% (", 1) if " (" in text else text + "%"
    # The currency goes with the number, before "(derived)": "at least 20,000,000 KZT (derived)".
    return format_figure(figure, lang, unit if unit in ("KZT", "EUR", "USD") else "")


# --- per-snapshot lookups: a card or a table row reads a project's rows, never whole tables --

def project_records(snap: Snapshot) -> dict[str, dict[str, Any]]:
    """Project id -> its row of the projects table (shared: do not modify)."""
    return snap.derived("cards.project_records", lambda: {
        str(p["project_id"]): p for p in snap.table("projects").to_dict("records")})


_NO_ROWS = np.array([], dtype=np.intp)


def project_participants(snap: Snapshot, project_id: str) -> list[tuple[str, str]]:
    """(org id, role) of each participant of a project, in table order, read through the
    project index (no scan of the participants table)."""
    def build() -> tuple[np.ndarray, np.ndarray]:
        parts = snap.table("participants")
        return parts["org_id"].to_numpy(dtype=object), parts["role"].to_numpy(dtype=object)

    orgs, roles = snap.derived("cards.participant_columns", build)
    rows = project_index(snap).rows("participants", project_id)
    return list(zip(orgs[rows].tolist(), roles[rows].tolist(), strict=True))


def _project_rows(snap: Snapshot, name: str, project_id: str) -> pd.DataFrame:
    """A project's rows of ``name`` ("participants", "funding_flows", ...), in table order."""
    kind = {"funding_flows": "flows", "project_sdgs": "sdgs"}.get(name, name)
    table = snap.sites if name == "sites" else snap.table(name)
    return table.iloc[project_index(snap).rows(kind, project_id)]


def _result_row_index(snap: Snapshot) -> dict[str, np.ndarray]:
    """Project id -> positions of its results and those it shares (joint), in table order."""
    def build() -> dict[str, np.ndarray]:
        results = snap.table("results")
        rows: dict[str, set[int]] = defaultdict(set)
        for i, (pid, joint) in enumerate(zip(results["project_id"].tolist(),
                                             results["joint_project_ids"].tolist(),
                                             strict=True)):
            rows[pid].add(i)
            for other in split_ids(joint):
                rows[other].add(i)
        return {pid: np.array(sorted(found), dtype=np.intp) for pid, found in rows.items()}

    return snap.derived("cards.result_rows", build)


def _result_rows(snap: Snapshot, project_id: str) -> pd.DataFrame:
    """The results of a project and those it shares with others (joint), in table order."""
    found = _result_row_index(snap).get(project_id)
    return snap.table("results").iloc[found if found is not None else _NO_ROWS]


def sdg_goals(snap: Snapshot) -> dict[str, tuple[int, ...]]:
    """Project id -> its SDG goals, main goal first (shared: do not modify)."""
    def build() -> dict[str, tuple[int, ...]]:
        # By rank, then table order: a project's rows sorted on their own give the same.
        ranked = snap.table("project_sdgs").sort_values("rank", kind="stable")
        goals: dict[str, list[int]] = defaultdict(list)
        for pid, goal in zip(ranked["project_id"].tolist(), ranked["goal"].tolist(),
                             strict=True):
            goals[pid].append(int(goal))
        return {pid: tuple(found) for pid, found in goals.items()}

    return snap.derived("cards.sdg_goals", build)


def _region_codes(snap: Snapshot) -> dict[str, tuple[str, ...]]:
    """Project id -> the codes of the regions its sites are in, sorted."""
    def build() -> dict[str, tuple[str, ...]]:
        codes = snap.sites["region_code"].to_numpy(dtype=object)
        return {pid: tuple(sorted(set(codes[rows].tolist())))
                for pid, rows in project_index(snap).sites.items()}

    return snap.derived("cards.region_codes", build)


def where_text(precision: str, region_code: str, regions: Mapping[str, str], lang: str) -> str:
    """Where a site is, in words: its region, or what a site without a point covers."""
    if precision == "national":
        return t("where_national", lang)
    region = regions.get(region_code, region_code)
    if precision == "region":
        return f"{region}: {t('where_whole_region', lang)}"
    return region


def site_line(site: Mapping[str, Any], regions: Mapping[str, str], lang: str) -> str:
    """A site on a card: name, where it is and how exactly that is known."""
    where = where_text(str(site["precision"]), str(site["region_code"] or ""), regions, lang)
    return (f"{localized(site, 'name', lang)} — {where} "
            f"({t('precision_' + str(site['precision']), lang)})")


def project_card(snap: Snapshot, project_id: str, lang: str, currency: str = "EUR") -> ProjectCard:
    """The card of one project in ``lang``."""
    project = project_records(snap)[project_id]
    orgs = snap.organization_names(lang)
    parts = _project_rows(snap, "participants", project_id).copy()
    parts["order"] = parts["role"].map(ROLE_ORDER.index)
    partners = [
        Partner(participant_role(r, lang), orgs[r["org_id"]], r["role_as_stated"],
                "; ".join(x for x in (inferred_note(r, lang, "role_qualifier", "role_basis"),
                                      localized_note(r, lang, "note")) if x))
        for r in parts.sort_values(["order", "org_id"]).to_dict("records")
    ]
    money = []
    conversions: list[Conversion] = []
    flows = _project_rows(snap, "funding_flows", project_id)
    for f in flows.sort_values("flow_id").to_dict("records"):
        original = Figure.of(f["amount"], f["qualifier"], f["basis"])
        amount = format_figure(original, lang, f["currency"] or "")
        c = flow_conversion(snap, f, currency)
        converted = ""
        if original.is_known and c.changed_currency:
            # Year and rate, or that its year has no rate; the rate's source goes to the
            # card's details, once.
            conversions.append(c)
            plain = replace(c, source="")
            converted = rate_note(plain, lang) if not c.has_rate else \
                f"{format_figure(c.converted, lang, currency)} ({rate_note(plain, lang)})"
        # How the amount is known first, then who pays whom, if that is our reading.
        note = "; ".join(x for x in (figure_note(f, lang, original, "basis", "note"),
                                     inferred_note(f, lang, "route_qualifier", "route_basis"))
                         if x)
        money.append(MoneyLine(orgs[f["from_org_id"]], orgs[f["to_org_id"]], amount, converted,
                               note))
    sdg_names = snap.table("sdgs").set_index("goal")
    sdgs = [
        SdgBadge(int(r["goal"]), localized(sdg_names.loc[r["goal"]], "name", lang),
                 sdg_names.at[r["goal"], "colour"], r["targets"].replace(";", ", "),
                 localized_note(r, lang, "rationale"))
        for r in _project_rows(snap, "project_sdgs", project_id).sort_values("rank")
        .to_dict("records")
    ]
    mine = _result_rows(snap, project_id)
    titles = project_records(snap)
    lines = []
    # People reached first, then the project's own results, then figures shared with others.
    top = mine.loc[mine["parent_result_id"] == ""].assign(
        _order=lambda d: [0 if reach else (2 if joint else 1)
                          for reach, joint in zip(d["counts_as_reach"], d["joint_project_ids"],
                                                  strict=True)])
    for r in top.sort_values(["_order", "result_id"], kind="stable").to_dict("records"):
        children = tuple(
            ResultLine(localized(c, "label", lang),
                       figure_text(c["value"], c["qualifier"], c["basis"], c["unit"], lang),
                       figure_note(c, lang, Figure.of(c["value"], c["qualifier"], c["basis"]),
                                   "basis", "note"))
            for c in mine.loc[mine["parent_result_id"] == r["result_id"]].to_dict("records")
        )
        others = [p for p in [r["project_id"], *split_ids(r["joint_project_ids"])]
                  if p != project_id]
        joint = ", ".join(localized(titles[p], "title", lang) for p in others)
        note = figure_note(r, lang, Figure.of(r["value"], r["qualifier"], r["basis"]),
                           "basis", "note")
        if r["as_of"]:
            note = "; ".join(x for x in (note, f"{t('as_of', lang)} {r['as_of']}") if x)
        lines.append(ResultLine(localized(r, "label", lang),
                                figure_text(r["value"], r["qualifier"], r["basis"], r["unit"],
                                             lang), note, joint, children))
    sites = _project_rows(snap, "sites", project_id)
    regions = snap.region_names(lang)
    site_lines = [site_line(s, regions, lang) for s in sites.to_dict("records")]
    facts = snap.table("context_facts")
    fact_rows = snap.derived("cards.fact_rows", lambda: rows_by_project(facts))
    context = [
        ResultLine(f"{localized(c, 'label', lang)} ({c['year']})",
                   figure_text(c["value"], c["qualifier"], "", c["unit"], lang),
                   localized_note(c, lang, "note"))
        for c in facts.iloc[fact_rows.get(project_id, _NO_ROWS)].to_dict("records")
    ]
    sources = source_links(snap, project_source_ids(snap, project_id), lang)
    budget = budget_figure(project)
    used = rate_sources_in(snap, conversions, lang)
    details = [t("card_rates_from", lang, sources="; ".join(used))] if used else []
    return ProjectCard(
        project_id=project_id,
        title=localized(project, "title", lang),
        summary=localized_note(project, lang, "summary"),
        status=status_text(project, lang),
        period=period_text(project, lang),
        budget=format_figure(budget, lang, project["budget_currency"] or ""),
        budget_note=figure_note(project, lang, budget, "budget_basis"),
        contract=project["contract_number"],
        iati_identifier=project["iati_identifier"] or "",
        method=method_label(project["method"], lang),
        partners=partners,
        money=money,
        sdgs=sdgs,
        results=lines,
        sites=site_lines,
        context=context,
        sources=sources,
        details=details,
    )


def conversion_in_words(snap: Snapshot, c: Conversion, lang: str) -> str:
    """``describe_conversion`` with the rate's sources in ``lang``."""
    return describe_conversion(replace(c, source="; ".join(rate_sources_in(snap, [c], lang))),
                               lang)


def rate_sources_in(snap: Snapshot, conversions: list[Conversion], lang: str) -> list[str]:
    """Where the annual rates these conversions used come from, in ``lang``, each once."""
    def build() -> dict[tuple[int, str], str]:
        return {(int(r["year"]), str(r["currency"])): localized_note(r, lang, "source")
                for r in snap.table("rates").to_dict("records")}

    sources = snap.derived(("cards.rate_sources", lang), build)
    found: dict[str, None] = {}
    for c in conversions:
        if c.rate is None or c.year is None:
            continue
        for currency in (c.from_currency, c.to_currency):
            if sources.get((c.year, currency)):
                found[sources[(c.year, currency)]] = None
    return list(found)


def project_source_ids(snap: Snapshot, project_id: str) -> list[str]:
    """The sources a project's card cites: the project's own, its results' and its sites'."""
    return list(_cited_sources(snap)[project_id])


def _cited_sources(snap: Snapshot) -> dict[str, tuple[str, ...]]:
    def build() -> dict[str, tuple[str, ...]]:
        result_sources = snap.table("results")["source_ids"].tolist()
        site_sources = snap.sites["source_ids"].tolist()
        result_rows = _result_row_index(snap)
        site_rows = project_index(snap).sites
        out = {}
        for pid, project in project_records(snap).items():
            ids = split_ids(project["source_ids"])
            for i in result_rows.get(pid, ()):
                ids += split_ids(result_sources[i])
            for i in site_rows.get(pid, ()):
                ids += split_ids(site_sources[i])
            out[pid] = tuple(dict.fromkeys(ids))
        return out

    return snap.derived("cards.cited_sources", build)


def source_links(snap: Snapshot, source_ids: list[str], lang: str = "en") -> list[SourceLink]:
    """The sources with these ids, in the order given, their publishers in ``lang``."""
    def build() -> dict[str, SourceLink]:
        return {str(s["source_id"]): SourceLink(s["title"], localized_note(s, lang, "publisher"),
                                                s["date"], s["url"])
                for s in snap.table("sources").to_dict("records")}

    links = snap.derived(("cards.source_links", lang), build)
    return [links[s] for s in source_ids]


def view_sources(snap: Snapshot, project_ids: list[str], lang: str = "en") -> list[SourceLink]:
    """Every source the cards of these projects cite, each once, in project order."""
    ids = [s for pid in project_ids for s in project_source_ids(snap, pid)]
    return source_links(snap, list(dict.fromkeys(ids)), lang)


def filters_in_words(snap: Snapshot, filters: Filters, lang: str) -> str:
    """The chosen filters as a sentence fragment ("Donor: European Union · SDG: 16"), or "all"."""
    orgs = snap.organization_names(lang)
    regions = snap.region_names(lang)
    sdgs = snap.table("sdgs").set_index("goal")
    parts = []
    if filters.donors:
        parts.append(f"{t('filter_donor', lang)}: " + ", ".join(orgs[d] for d in filters.donors))
    if filters.sdgs:
        parts.append(f"{t('filter_sdg', lang)}: " + ", ".join(
            f"{g} {localized(sdgs.loc[g], 'name', lang)}" for g in filters.sdgs))
    if filters.regions:
        parts.append(f"{t('filter_region', lang)}: " + ", ".join(regions[r]
                                                              for r in filters.regions))
    if filters.implementers:
        parts.append(f"{t('filter_implementer', lang)}: " + ", ".join(
            orgs[o] for o in filters.implementers))
    if filters.years:
        parts.append(f"{t('filter_years', lang)}: {filters.years[0]}–{filters.years[1]}")
    if filters.statuses:
        parts.append(f"{t('filter_status', lang)}: " + ", ".join(
            t(f"status_{s}", lang) for s in filters.statuses))
    return " · ".join(parts) or t("all", lang)


def projects_table(snap: Snapshot, project_ids: list[str], lang: str,
                   donors: tuple[str, ...] = (), currency: str = "EUR") -> pd.DataFrame:
    """One readable row per project (labels, not codes) for tables and downloads."""
    projects = project_records(snap)
    orgs = snap.organization_names(lang)
    regions = snap.region_names(lang)
    goals = sdg_goals(snap)
    region_codes = _region_codes(snap)
    columns = [t("col_project", lang), t("col_donors", lang), t("col_implementers", lang),
               t("col_period", lang), t("col_status", lang), t("col_budget", lang),
               f"{t('col_funding', lang)} ({currency})", t("col_reach", lang),
               t("col_regions", lang), t("col_sdgs", lang), "project_id"]
    rows = []
    for pid in project_ids:
        p = projects[pid]
        taking_part = project_participants(snap, pid)
        rows.append((
            localized(p, "title", lang),
            "; ".join(orgs[o] for o, r in taking_part if r in FUNDING_ROLES),
            "; ".join(orgs[o] for o, r in taking_part if r in IMPLEMENTING_ROLES),
            period_text(p, lang),
            status_text(p, lang),
            format_figure(budget_figure(p), lang, p["budget_currency"] or ""),
            format_figure(project_funding(snap, pid, donors, currency), lang),
            format_figure(project_reach(snap, pid), lang),
            "; ".join(regions[c] if c else t("where_national", lang)
                      for c in region_codes.get(pid, ())),
            ", ".join(str(g) for g in goals.get(pid, ())),
            pid,
        ))
    return pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame()


def conversion_lines(snap: Snapshot, flows: list[CountedFlow], lang: str) -> list[str]:
    """How each amount in a total got there: original, rate, year and source, or why not."""
    orgs = snap.organization_names(lang)
    titles = project_records(snap)
    lines = []
    for f in flows:
        head = (f"{orgs[f.from_org_id]} → {orgs.get(f.to_org_id, f.to_org_id)} "
                f"({localized(titles[f.project_id], 'title', lang)})")
        c = f.conversion
        if c is None or not c.original.is_known:
            detail = t("amount_not_stated", lang)
            if f.figure.is_known:
                detail += "; " + t("counted_as_passed_on", lang,
                                   amount=format_figure(f.figure, lang, c.to_currency if c else ""))
        else:
            detail = conversion_in_words(snap, c, lang)
        lines.append(f"{head}: {detail}")
    return lines
