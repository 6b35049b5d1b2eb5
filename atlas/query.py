"""Questions the views ask of a snapshot: which projects match, and honest totals.

Rules (DESIGN.md section 3):
- money is counted once, at the top of each chain: a sub-grant paid out of a grant is not
  counted again; with a donor filter, at the highest flow that starts at a selected donor;
- an unknown amount is never 0: its lower bound is what it is known to pay on, else unknown;
- a project-level figure not reported per site is split in equal shares across the sites it
  applies to, so region totals add up to project totals and nothing is counted twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from atlas.dataset import split_ids
from atlas.figures import Figure, total
from atlas.model import Qualifier
from atlas.money import Conversion
from atlas.snapshot import Snapshot

FUNDING_ROLES = ("funder", "grant_operator")
IMPLEMENTING_ROLES = ("lead", "co_implementer")


@dataclass(frozen=True)
class Filters:
    """What the viewer chose; empty means "all"."""

    donors: tuple[str, ...] = ()
    sdgs: tuple[int, ...] = ()
    regions: tuple[str, ...] = ()
    implementers: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    statuses: tuple[str, ...] = ()
    # Narrows to these projects (a presentation step shows one project); not a sidebar filter.
    projects: tuple[str, ...] = ()


@dataclass(frozen=True)
class CountedFlow:
    """A flow counted in a total, with its value in the display currency.

    ``figure`` is what the total counts: the converted amount, or for an unknown amount the
    lower bound of what it is known to pay on; ``conversion`` says how the stated amount was
    converted (or that its year has no rate).
    """

    flow_id: str
    project_id: str
    from_org_id: str
    figure: Figure
    to_org_id: str = ""
    conversion: Conversion | None = None


@dataclass
class Summary:
    """Headline figures for a filtered view."""

    project_ids: list[str]
    sites: int
    organizations: int
    funding: Figure
    people_reached: Figure
    currency: str
    regions: pd.DataFrame
    flows: list[CountedFlow]  # what the funding total counts, with each conversion

    def as_json(self, region_names: dict[str, str]) -> dict[str, Any]:
        """The CLI contract of ``atlas summary --json`` (money in EUR, by contract)."""
        if self.currency != "EUR":
            raise ValueError("the summary contract reports EUR; summarize with currency='EUR'")
        return {
            "projects": len(self.project_ids),
            "sites": self.sites,
            "organizations": self.organizations,
            "funding_eur": _json_number(self.funding),
            "funding_eur_qualifier": self.funding.qualifier.value,
            "people_reached": _json_number(self.people_reached),
            "people_reached_qualifier": self.people_reached.qualifier.value,
            "project_ids": list(self.project_ids),
            "regions": [
                {
                    "code": r.code,
                    "name_en": region_names.get(r.code, r.code),
                    "projects": int(r.projects),
                    "funding_eur": _json_number(r.funding),
                }
                for r in self.regions.itertuples()
            ],
        }


def _json_number(figure: Figure) -> float | int | None:
    if figure.value is None:
        return None
    value = round(figure.value, 2)
    return int(value) if float(value).is_integer() else value


def project_years(project: pd.Series | dict[str, Any]) -> tuple[int | None, int | None]:
    """First and last year a project runs; an open end runs to its status date."""
    def year(text: object) -> int | None:
        s = str(text or "")
        return int(s[:4]) if s[:4].isdigit() else None

    start = year(project["start"])
    end = year(project["end"]) or year(project["status_as_of"]) or start
    return start, end


def donor_ids(snap: Snapshot) -> list[str]:
    """Organizations with a funding role (funder, grant operator): the donor filter's choices.

    Implementers that pass money on (e.g. to entrepreneurs) are not donors; an unnamed
    co-funder is not an organization anyone can pick.
    """
    parts = snap.table("participants")
    orgs = snap.table("organizations").set_index("org_id")
    funders = set(parts.loc[parts["role"].isin(FUNDING_ROLES), "org_id"])
    return sorted(o for o in funders if orgs.at[o, "kind"] != "unspecified")


def implementer_ids(snap: Snapshot) -> list[str]:
    """Organizations that lead or co-implement a project."""
    parts = snap.table("participants")
    return sorted(set(parts.loc[parts["role"].isin(IMPLEMENTING_ROLES), "org_id"]))


def projects_of_donors(snap: Snapshot, donors: Iterable[str]) -> set[str]:
    """Projects a donor funds: as a participant with a funding role or as a flow's source."""
    chosen = set(donors)
    parts = snap.table("participants")
    flows = snap.table("funding_flows")
    by_role = parts.loc[parts["role"].isin(FUNDING_ROLES) & parts["org_id"].isin(chosen)]
    by_flow = flows.loc[flows["from_org_id"].isin(chosen)]
    return set(by_role["project_id"]) | set(by_flow["project_id"])


def matching_projects(snap: Snapshot, filters: Filters) -> list[str]:
    """Ids of the projects that pass every filter, in title order."""
    projects = snap.table("projects")
    keep = set(projects["project_id"])
    if filters.projects:
        keep &= set(filters.projects)
    if filters.donors:
        keep &= projects_of_donors(snap, filters.donors)
    if filters.sdgs:
        sdgs = snap.table("project_sdgs")
        keep &= set(sdgs.loc[sdgs["goal"].isin(filters.sdgs), "project_id"])
    if filters.regions:
        sites = snap.sites
        keep &= set(sites.loc[sites["region_code"].isin(filters.regions), "project_id"])
    if filters.implementers:
        parts = snap.table("participants")
        mask = parts["role"].isin(IMPLEMENTING_ROLES) & parts["org_id"].isin(filters.implementers)
        keep &= set(parts.loc[mask, "project_id"])
    if filters.statuses:
        keep &= set(projects.loc[projects["status"].isin(filters.statuses), "project_id"])
    if filters.years:
        lo, hi = filters.years
        for p in projects.to_dict("records"):
            start, end = project_years(p)
            if start is None or end is None or end < lo or start > hi:
                keep.discard(p["project_id"])
    ordered = projects.sort_values("title_en")["project_id"]
    return [pid for pid in ordered if pid in keep]


def flow_conversion(snap: Snapshot, flow: dict[str, Any], currency: str) -> Conversion:
    """A flow's stated amount converted to ``currency`` with its year's annual rate.

    No rate for its year (or no year) gives an unknown converted figure, never a guess.
    """
    figure = Figure.of(flow["amount"], flow["qualifier"], flow["basis"])
    year = None if pd.isna(flow["year"]) else int(flow["year"])
    return snap.rates.try_convert(figure, str(flow["currency"] or ""), currency, year)


def project_flows(snap: Snapshot, project_id: str, currency: str = "EUR") -> list[CountedFlow]:
    """Every flow of a project with its figure in ``currency``, in flow-id order.

    A flow whose amount is unknown (or has no rate) gets as its figure the lower bound of what
    it is known to carry: the known money its recipient passes on ("at least"), else unknown.
    """
    flows = snap.table("funding_flows")
    records = flows.loc[flows["project_id"] == project_id].sort_values("flow_id")
    out_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    conversions = {}
    for f in records.to_dict("records"):
        out_of[f["from_org_id"]].append(f)
        conversions[f["flow_id"]] = flow_conversion(snap, f, currency)

    def lower_bound(org: str, seen: frozenset[str]) -> float:
        bound = 0.0
        for f in out_of.get(org, []):
            if f["to_org_id"] in seen:
                continue
            figure = conversions[f["flow_id"]].converted
            if figure.is_known and figure.value is not None:
                bound += figure.value
            else:
                bound += lower_bound(f["to_org_id"], seen | {f["to_org_id"]})
        return bound

    out = []
    for f in records.to_dict("records"):
        conversion = conversions[f["flow_id"]]
        figure = conversion.converted
        if not figure.is_known:
            bound = lower_bound(f["to_org_id"], frozenset({f["to_org_id"]}))
            if bound > 0:
                figure = Figure(bound, Qualifier.AT_LEAST, derived=True)
        out.append(CountedFlow(f["flow_id"], project_id, f["from_org_id"], figure,
                               f["to_org_id"], conversion))
    return out


def counted_flows(
    snap: Snapshot, project_id: str, donors: Sequence[str] = (), currency: str = "EUR"
) -> list[CountedFlow]:
    """The flows of a project that a total counts: once, at the top of each chain.

    With ``donors``, a flow counts when it starts at a selected donor and no flow upstream of
    it does; without, when nothing flows into its source within the project.
    """
    flows = project_flows(snap, project_id, currency)
    into: dict[str, list[CountedFlow]] = defaultdict(list)
    for f in flows:
        into[f.to_org_id].append(f)
    chosen = set(donors)

    def upstream_has_donor(org: str, seen: frozenset[str]) -> bool:
        for f in into.get(org, []):
            src = f.from_org_id
            if src in seen:
                continue
            if src in chosen or upstream_has_donor(src, seen | {src}):
                return True
        return False

    if chosen:
        return [f for f in flows if f.from_org_id in chosen
                and not upstream_has_donor(f.from_org_id, frozenset({f.from_org_id}))]
    return [f for f in flows if not into.get(f.from_org_id)]


def project_funding(
    snap: Snapshot, project_id: str, donors: Sequence[str] = (), currency: str = "EUR"
) -> Figure:
    """Money entering a project from the selected donors (all when none), counted once."""
    flows = counted_flows(snap, project_id, donors, currency)
    return total(f.figure for f in flows) if flows else Figure.unknown()


def primary_donor(snap: Snapshot, project_id: str,
                  donors: set[str] | None = None) -> str | None:
    """The donor whose counted money into the project is largest (first funder if none known)."""
    donors = set(donor_ids(snap)) if donors is None else donors
    flows = [f for f in counted_flows(snap, project_id) if f.from_org_id in donors]
    if flows:
        return max(flows, key=lambda f: (f.figure.value or 0, f.from_org_id)).from_org_id
    parts = snap.table("participants")
    funders = parts.loc[(parts["project_id"] == project_id) & parts["org_id"].isin(donors)]
    return None if funders.empty else str(funders["org_id"].iloc[0])


def _reach_results(snap: Snapshot, project_id: str) -> pd.DataFrame:
    """A project's headline people-reached results (breakdown rows excluded)."""
    results = snap.table("results")
    return results.loc[
        (results["project_id"] == project_id)
        & results["counts_as_reach"]
        & (results["parent_result_id"] == "")
    ]


def project_reach(snap: Snapshot, project_id: str) -> Figure:
    """People reached by a project: its headline reach results, unknown if it reports none."""
    rows = _reach_results(snap, project_id)
    return total(Figure.of(r.value, r.qualifier, r.basis) for r in rows.itertuples()) \
        if len(rows) else Figure.unknown()


def site_shares(
    snap: Snapshot, project_ids: Sequence[str], donors: Sequence[str] = (), currency: str = "EUR"
) -> pd.DataFrame:
    """One row per site of the given projects with its share of funding and people reached."""
    sites = snap.sites
    rows = []
    for pid in project_ids:
        project_sites = sites.loc[sites["project_id"] == pid]
        if project_sites.empty:
            continue
        n = len(project_sites)
        funding = project_funding(snap, pid, donors, currency).scaled(1 / n, split=True)
        reach_shares: dict[str, list[Figure]] = defaultdict(list)
        for r in _reach_results(snap, pid).itertuples():
            applies = split_ids(r.site_ids) or list(project_sites["site_id"])
            share = Figure.of(r.value, r.qualifier, r.basis).scaled(1 / len(applies), split=True)
            for sid in applies:
                reach_shares[sid].append(share)
        for s in project_sites.itertuples():
            reach = total(reach_shares[s.site_id]) if reach_shares.get(s.site_id) \
                else Figure.unknown()
            rows.append({
                "site_id": s.site_id,
                "project_id": pid,
                "region_code": s.region_code,
                "funding": funding,
                "reach": reach,
                "sites_in_project": n,
            })
    return pd.DataFrame(
        rows, columns=["site_id", "project_id", "region_code", "funding", "reach",
                       "sites_in_project"])


def region_totals(shares: pd.DataFrame) -> pd.DataFrame:
    """Per region: projects, sites, funding and people reached, from site shares."""
    out = []
    for code, group in shares.groupby("region_code", sort=True):
        out.append({
            "code": code,
            "projects": group["project_id"].nunique(),
            "sites": len(group),
            "funding": total(group["funding"]),
            "reach": total(group["reach"]),
        })
    return pd.DataFrame(out, columns=["code", "projects", "sites", "funding", "reach"])


def filtered_site_shares(snap: Snapshot, filters: Filters, currency: str = "EUR",
                         project_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Site shares for the matching projects (pass them if already known), in chosen regions."""
    if project_ids is None:
        project_ids = matching_projects(snap, filters)
    shares = site_shares(snap, project_ids, filters.donors, currency)
    if filters.regions:
        shares = shares.loc[shares["region_code"].isin(filters.regions)]
    return shares.reset_index(drop=True)


def summarize(snap: Snapshot, filters: Filters, currency: str = "EUR") -> Summary:
    """Headline figures and per-region totals for a filtered view."""
    project_ids = matching_projects(snap, filters)
    shares = filtered_site_shares(snap, filters, currency, project_ids)
    if filters.regions:
        project_ids = [p for p in project_ids if p in set(shares["project_id"])]
    parts = snap.table("participants")
    orgs = set(parts.loc[parts["project_id"].isin(project_ids), "org_id"])
    return Summary(
        project_ids=project_ids,
        sites=len(shares),
        organizations=len(orgs),
        funding=total(shares["funding"]) if len(shares) else Figure.unknown(),
        people_reached=total(shares["reach"]) if len(shares) else Figure.unknown(),
        currency=currency,
        regions=region_totals(shares),
        flows=[f for pid in project_ids
               for f in counted_flows(snap, pid, filters.donors, currency)],
    )
