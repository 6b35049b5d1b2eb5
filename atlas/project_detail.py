"""One project in depth, as plain data: search, list rows, budget shares, money chain, timeline.

The Projects page (``atlas/ui/projects_page.py``) draws what these functions return; nothing
here imports Streamlit. Every amount keeps its qualifier, money is shown in the display
currency with the rate it used, and an amount that is not stated is never drawn as 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from atlas.cards import (
    ProjectCard,
    budget_figure,
    figure_text,
    period_text,
    project_card,
    project_participants,
    project_records,
    projects_table,
    rate_sources_in,
    sdg_goals,
    status_text,
)
from atlas.dataset import is_missing
from atlas.exports import filtered_sites, sites_geojson
from atlas.figures import Figure, format_figure, total
from atlas.formulas import inert_csv
from atlas.i18n import localized, localized_note, t
from atlas.listing import project_search_texts, query_words
from atlas.maps.style import donor_palette
from atlas.model import Qualifier
from atlas.money import Conversion, describe_conversion
from atlas.query import (
    FUNDING_ROLES,
    CountedFlow,
    Filters,
    counted_flows,
    donor_ranking,
    flow_conversion,
    project_funding,
    project_index,
    project_years,
)
from atlas.snapshot import Snapshot

UNNAMED_COLOUR = "#9a9a9a"  # a share whose funder is not named (or not a donor we colour)
REST_COLOUR = "#d9d9d9"


# --- search -------------------------------------------------------------------------------

def search_projects(snap: Snapshot, query: str,
                    project_ids: Iterable[str] | None = None) -> list[str]:
    """The projects (of ``project_ids``, in their order) whose search text
    (``listing.project_search_texts``) holds every word of ``query`` (``listing.query_words``),
    case-insensitively, as the projects list searches; an empty query keeps them all."""
    ids = list(snap.table("projects")["project_id"] if project_ids is None else project_ids)
    words = query_words(query)
    if not words:
        return ids
    texts = project_search_texts(snap)
    return [pid for pid in ids if all(w in texts.get(pid, "") for w in words)]


# --- the list -----------------------------------------------------------------------------

@dataclass(frozen=True)
class ProjectRow:
    """One entry of the projects list, in the viewer's language."""

    project_id: str
    title: str
    donors: tuple[str, ...]
    period: str
    status: str
    sdgs: tuple[tuple[int, str, str], ...]  # (goal, name, colour), main goal first
    budget: str  # as stated, with its qualifier ("unknown" when not stated)
    budget_converted: str  # in the display currency with the rate's year; "" if not needed


def _project(snap: Snapshot, project_id: str) -> dict[str, Any]:
    return project_records(snap)[project_id]


def budget_conversion(snap: Snapshot, project: pd.Series | dict[str, Any],
                      currency: str) -> Conversion:
    """A project's stated budget in ``currency`` at the annual rate of its start year.

    A budget has no year of its own; the start year is the one its grants are dated with.
    """
    start, _ = project_years(project)
    return snap.rates.try_convert(budget_figure(project), str(project["budget_currency"] or ""),
                                  currency, start)


def _converted_note(c: Conversion, lang: str) -> str:
    """Short "in the display currency" text: "200,732,000 KZT (2024)", or why there is none."""
    if not c.changed_currency or not c.original.is_known:
        return ""
    if c.rate is None:
        return t("no_rate", lang)
    return (f"{format_figure(c.converted, lang, c.to_currency)} "
            f"{t('projects_at_rate', lang, year=c.year)}")


def conversion_text(c: Conversion, lang: str) -> str:
    """How an amount was converted (original, year, rate), or "" when nothing was converted.

    The rate's sources are left out here: a view lists them once (``rate_sources``) instead
    of repeating them after every amount.
    """
    if not c.original.is_known or not c.changed_currency:
        return ""
    return describe_conversion(replace(c, source=""), lang)


def rate_sources(snap: Snapshot, conversions: Iterable[Conversion],
                 lang: str = "en") -> tuple[str, ...]:
    """The sources of the annual rates these conversions used, in ``lang``, each once."""
    return tuple(rate_sources_in(snap, [c for c in conversions if c.changed_currency], lang))


def project_sdg_badges(snap: Snapshot, project_id: str,
                       lang: str) -> tuple[tuple[int, str, str], ...]:
    """(goal, name, official colour) of a project's SDGs, main goal first."""
    def build() -> dict[int, tuple[str, str]]:
        sdgs = snap.table("sdgs").set_index("goal")
        return {int(g): (localized(sdgs.loc[g], "name", lang), str(sdgs.at[g, "colour"]))
                for g in sdgs.index}

    names = snap.derived(("project_detail.sdg_names", lang), build)
    return tuple((g, *names[g]) for g in sdg_goals(snap).get(project_id, ()))


def project_rows(snap: Snapshot, project_ids: Sequence[str], lang: str,
                 currency: str = "EUR") -> list[ProjectRow]:
    """The list entries of ``project_ids`` (in that order)."""
    projects = project_records(snap)
    orgs = snap.organization_names(lang)
    kinds = dict(zip(snap.table("organizations")["org_id"], snap.table("organizations")["kind"],
                     strict=True))
    rows = []
    for pid in project_ids:
        p = projects[pid]
        funders = [(str(o), str(r)) for o, r in project_participants(snap, pid)
                   if r in FUNDING_ROLES]
        # Named funders first, then grant operators, an unnamed co-funder last.
        funders.sort(key=lambda f: (kinds.get(f[0]) == "unspecified", FUNDING_ROLES.index(f[1]),
                                    orgs[f[0]]))
        rows.append(ProjectRow(
            project_id=pid,
            title=localized(p, "title", lang),
            donors=tuple(dict.fromkeys(orgs[o] for o, _ in funders)),
            period=period_text(p, lang),
            status=status_text(p, lang),
            sdgs=project_sdg_badges(snap, pid, lang),
            budget=format_figure(budget_figure(p), lang, str(p["budget_currency"] or "")),
            budget_converted=_converted_note(budget_conversion(snap, p, currency), lang),
        ))
    return rows


@dataclass(frozen=True)
class ListExports:
    """Downloads of a projects list: one CSV row per project, its sites as GeoJSON."""

    projects_csv: str
    sites_geojson: str
    project_ids: tuple[str, ...]


def list_exports(snap: Snapshot, filters: Filters, project_ids: Sequence[str], lang: str,
                 currency: str = "EUR") -> ListExports:
    """The listed projects (the filters narrowed by a search) as CSV and their sites as GeoJSON.

    Sites follow the filters too: with a region filter, only the sites in those regions.
    """
    ids = list(project_ids)
    table = projects_table(snap, ids, lang, filters.donors, currency)
    sites = filtered_sites(snap, filters, lang, currency)
    if len(sites):
        sites = sites.loc[sites["project_id"].isin(ids)]
    return ListExports(inert_csv(table), sites_geojson(sites), tuple(ids))


# --- budget and who covers it -------------------------------------------------------------

@dataclass(frozen=True)
class BudgetShare:
    """The part of a budget one funder covers: a flow at the top of the project's chain."""

    flow_id: str
    org_id: str
    name: str
    kind: str
    stated: str  # as the source states it, in its own currency ("amount not stated")
    figure: Figure  # in the display currency; unknown when not stated or without a rate
    conversion: str  # original, year, rate and rate source ("" when nothing was converted)
    basis: str  # how a derived share was derived
    colour: str
    note: str = ""  # for a share not drawn: why (not stated / no rate), and any known bound


@dataclass(frozen=True)
class BudgetShares:
    """A project's budget and the shares that cover it, in the display currency."""

    currency: str
    budget: Figure  # unknown when not stated (or no rate for its year): never 0
    budget_stated: str
    budget_conversion: str
    budget_basis: str
    shares: tuple[BudgetShare, ...]  # known amounts: these can be drawn
    not_stated: tuple[BudgetShare, ...]  # unknown amounts: listed as such, never drawn
    rest: Figure | None = None  # the part of a known budget no stated share covers (derived)
    rate_sources: tuple[str, ...] = ()  # of every rate used above, each once


def _flow_kind(kind: str, lang: str) -> str:
    return t(f"fund_kind_{kind}", lang) if kind else ""


def budget_shares(snap: Snapshot, project_id: str, lang: str,
                  currency: str = "EUR") -> BudgetShares:
    """Who covers which part of a project's budget (the flows at the top of its chain)."""
    project = _project(snap, project_id)
    orgs = snap.organization_names(lang)
    palette = donor_palette(donor_ranking(snap))
    flows = snap.table("funding_flows").iloc[project_index(snap).rows("flows", project_id)]
    flows = flows.set_index("flow_id")
    budget_c = budget_conversion(snap, project, currency)
    shares, unknown = [], []
    top = counted_flows(snap, project_id, (), currency)
    for cf in sorted(top, key=_share_order):
        flow = flows.loc[cf.flow_id]
        c = cf.conversion
        assert c is not None
        stated = (format_figure(c.original, lang, c.from_currency) if c.original.is_known
                  else t("amount_not_stated", lang))
        share = BudgetShare(
            flow_id=cf.flow_id,
            org_id=cf.from_org_id,
            name=orgs[cf.from_org_id],
            kind=_flow_kind(str(flow["kind"]), lang),
            stated=stated,
            figure=c.converted,
            conversion=conversion_text(c, lang),
            basis=localized_note(flow, lang, "basis"),
            colour=palette.get(cf.from_org_id, UNNAMED_COLOUR),
        )
        if c.converted.is_known:
            shares.append(share)
            continue
        note = t("no_rate", lang) if c.original.is_known else t("amount_not_stated", lang)
        if cf.figure.is_known:  # an unknown amount known to carry at least what it passes on
            note += "; " + t("counted_as_passed_on", lang,
                             amount=format_figure(cf.figure, lang, currency))
        unknown.append(replace(share, note=note))
    budget = budget_c.converted
    rest = None
    if budget.is_known and shares and not unknown:
        covered = total(s.figure for s in shares)
        gap = (budget.value or 0.0) - (covered.value or 0.0)
        if gap > 0.005 * (budget.value or 0.0):
            rest = Figure(gap, Qualifier.DERIVED)
    return BudgetShares(
        currency=currency,
        budget=budget,
        budget_stated=format_figure(budget_c.original, lang,
                                    str(project["budget_currency"] or "")),
        budget_conversion=conversion_text(budget_c, lang),
        budget_basis=localized_note(project, lang, "budget_basis"),
        shares=tuple(shares),
        not_stated=tuple(unknown),
        rest=rest,
        rate_sources=rate_sources(
            snap, [budget_c, *(cf.conversion for cf in top if cf.conversion is not None)], lang),
    )


def _share_order(cf: CountedFlow) -> tuple[int, float, str]:
    # Largest known share first; unnamed co-financing after named funders of the same size.
    value = cf.figure.value if cf.figure.is_known else -1.0
    return (0 if cf.figure.is_known else 1, -(value or 0.0), cf.flow_id)


# --- the money chain ----------------------------------------------------------------------

@dataclass(frozen=True)
class ChainFlow:
    """One funding flow of a project, and whether totals count it."""

    flow_id: str
    depth: int  # 0 at the top of the chain, +1 for each hand the money passes through
    source: str
    target: str
    kind: str
    year: str
    status: str
    stated: str  # amount as stated with its qualifier, or "amount not stated"
    conversion: str  # into the display currency: original, year, rate, rate source
    counted: bool  # True: counted in totals; False: paid out of money counted upstream
    counted_as: str  # what totals count for it, in the display currency ("" if not counted)
    bound: bool  # counted_as is a lower bound: what this unknown amount is known to pass on
    basis: str
    note: str


@dataclass(frozen=True)
class MoneyChain:
    """A project's funding flows from the top of the chain down, and what totals count."""

    currency: str
    flows: tuple[ChainFlow, ...]
    total: Figure  # money entering the project, counted once (unknown if nothing is stated)
    rate_sources: tuple[str, ...] = ()  # of every rate used above, each once


def _org_depths(flows: list[dict[str, Any]]) -> dict[str, int]:
    """How many hands money has passed through before reaching each organization."""
    targets = {f["to_org_id"] for f in flows}
    depth = {f["from_org_id"]: 0 for f in flows if f["from_org_id"] not in targets}
    changed = True
    while changed:
        changed = False
        for f in flows:
            src, dst = f["from_org_id"], f["to_org_id"]
            if src in depth and dst not in depth:
                depth[dst] = depth[src] + 1
                changed = True
    return depth


def money_chain(snap: Snapshot, project_id: str, lang: str,
                currency: str = "EUR") -> MoneyChain:
    """Every flow of a project (top of the chain first) with its conversion and counting."""
    orgs = snap.organization_names(lang)
    table = snap.table("funding_flows")
    flows = table.iloc[project_index(snap).rows("flows", project_id)].to_dict("records")
    counted = {cf.flow_id: cf for cf in counted_flows(snap, project_id, (), currency)}
    depths = _org_depths(flows)
    out, conversions = [], []
    for f in sorted(flows, key=lambda f: (depths.get(f["from_org_id"], 0), f["flow_id"])):
        c = flow_conversion(snap, f, currency)
        conversions.append(c)
        cf = counted.get(f["flow_id"])
        counted_as = "" if cf is None else format_figure(cf.figure, lang, currency)
        out.append(ChainFlow(
            flow_id=f["flow_id"],
            depth=depths.get(f["from_org_id"], 0),
            source=orgs[f["from_org_id"]],
            target=orgs[f["to_org_id"]],
            kind=_flow_kind(str(f["kind"] or ""), lang),
            year="" if is_missing(f["year"]) else str(int(f["year"])),
            status=t(f"fund_status_{f['status']}", lang) if f["status"] else "",
            stated=(format_figure(c.original, lang, c.from_currency) if c.original.is_known
                    else t("amount_not_stated", lang)),
            conversion=conversion_text(c, lang),
            counted=cf is not None,
            counted_as=counted_as,
            # An unknown amount counted as the known money it passes on: say so.
            bound=cf is not None and not c.original.is_known and cf.figure.is_known,
            basis=localized_note(f, lang, "basis"),
            note=localized_note(f, lang, "note"),
        ))
    return MoneyChain(currency, tuple(out), project_funding(snap, project_id, (), currency),
                      rate_sources(snap, conversions, lang))


# --- timeline -----------------------------------------------------------------------------

@dataclass(frozen=True)
class TimelineEvent:
    """A dated step of a project; dates are ISO and as precise as stated ("2018-09")."""

    date: str
    label: str
    end: str = ""  # a span's end (phases)
    details: tuple[str, ...] = ()


_EVENT_ORDER = {"start": 0, "phase": 1, "results": 2, "status": 3, "end": 4}


def timeline(snap: Snapshot, project_id: str, lang: str) -> list[TimelineEvent]:
    """Start, phases, dated results, and the end or the latest "ongoing as of" report."""
    p = _project(snap, project_id)
    events: list[tuple[str, int, TimelineEvent]] = []

    def add(kind: str, event: TimelineEvent) -> None:
        if event.date:
            events.append((event.date, _EVENT_ORDER[kind], event))

    add("start", TimelineEvent(str(p["start"] or ""), t("projects_tl_start", lang)))
    phases = snap.table("phases")
    for ph in phases.loc[phases["project_id"] == project_id].sort_values("phase").to_dict(
            "records"):
        add("phase", TimelineEvent(str(ph["start"] or ""), localized(ph, "label", lang),
                                   end=str(ph["end"] or "")))
    results = snap.table("results").iloc[project_index(snap).rows("results", project_id)]
    dated = results.loc[(results["parent_result_id"] == "") & (results["as_of"] != "")]
    for as_of, group in dated.groupby("as_of", sort=True):
        lines = tuple(
            f"{figure_text(r['value'], r['qualifier'], r['basis'], r['unit'], lang)} — "
            f"{localized(r, 'label', lang)}"
            for r in group.sort_values("result_id").to_dict("records"))
        add("results", TimelineEvent(str(as_of), t("projects_tl_results", lang), details=lines))
    if p["status"] != "completed" and p["status_as_of"]:
        status = status_text(p, lang)
        add("status", TimelineEvent(str(p["status_as_of"]), status[:1].upper() + status[1:]))
    if p["end"]:
        key = "projects_tl_end" if p["status"] == "completed" else "projects_tl_planned_end"
        add("end", TimelineEvent(str(p["end"]), t(key, lang)))
    return [e for _, _, e in sorted(events, key=lambda x: (x[0], x[1]))]


# --- everything the detail view shows -----------------------------------------------------

@dataclass(frozen=True)
class ProjectDetail:
    """The detail view of one project, in the viewer's language and display currency."""

    card: ProjectCard
    sdgs: tuple[tuple[int, str, str], ...]
    budget: BudgetShares
    chain: MoneyChain
    timeline: tuple[TimelineEvent, ...]


def project_detail(snap: Snapshot, project_id: str, lang: str,
                   currency: str = "EUR") -> ProjectDetail:
    """Everything the Projects page shows about one project."""
    return ProjectDetail(
        card=project_card(snap, project_id, lang, currency),
        sdgs=project_sdg_badges(snap, project_id, lang),
        budget=budget_shares(snap, project_id, lang, currency),
        chain=money_chain(snap, project_id, lang, currency),
        timeline=tuple(timeline(snap, project_id, lang)),
    )
