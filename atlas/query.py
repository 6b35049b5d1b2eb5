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

import numpy as np
import pandas as pd

from atlas.dataset import split_ids
from atlas.figures import Figure, FigureColumns, group_totals, total
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


# --- indexes, built once per snapshot -------------------------------------------------------
# Every view asks per-project questions of a few tables; filtering a whole table once per
# project made a summary of 10,000 sites quadratic. These are built on first use and kept
# with the snapshot (``Snapshot.derived``), which never changes.

@dataclass(frozen=True)
class ProjectIndex:
    """The projects of a snapshot: order, years, and where each one's rows are."""

    ids: np.ndarray  # project ids in table order
    by_title: np.ndarray  # positions (into ``ids``) in title order
    start: np.ndarray  # first year per project, NaN when unknown
    end: np.ndarray  # last year per project, NaN when unknown
    sites: dict[str, np.ndarray]  # project id -> its rows of ``snap.sites`` (table order)
    flows: dict[str, np.ndarray]
    participants: dict[str, np.ndarray]
    results: dict[str, np.ndarray]
    sdgs: dict[str, np.ndarray]

    def rows(self, kind: str, project_id: str) -> np.ndarray:
        """Positions of a project's rows in the table ``kind`` (e.g. "participants")."""
        found: dict[str, np.ndarray] = getattr(self, kind)
        return found.get(project_id, _NO_ROWS)


_NO_ROWS = np.array([], dtype=np.intp)


def rows_by_project(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Project id -> positions of its rows in ``frame`` (table order)."""
    codes, ids = pd.factorize(frame["project_id"])
    placed = np.flatnonzero(codes >= 0)
    order = placed[np.argsort(codes[placed], kind="stable")]  # table order within a project
    cuts = np.cumsum(np.bincount(codes[placed], minlength=len(ids)))[:-1]
    return {str(pid): rows for pid, rows in zip(ids, np.split(order, cuts), strict=True)}


def project_index(snap: Snapshot) -> ProjectIndex:
    """The snapshot's ``ProjectIndex`` (built on first use, then shared)."""
    def build() -> ProjectIndex:
        projects = snap.table("projects")
        years = [project_years({"start": a, "end": b, "status_as_of": c}) for a, b, c in zip(
            projects["start"].tolist(), projects["end"].tolist(),
            projects["status_as_of"].tolist(), strict=True)]
        ids = projects["project_id"].to_numpy(dtype=object)
        by_title = projects.reset_index(drop=True).sort_values("title_en").index.to_numpy()
        return ProjectIndex(
            ids=ids,
            by_title=by_title,
            start=np.array([np.nan if a is None else a for a, _ in years], dtype=float),
            end=np.array([np.nan if b is None else b for _, b in years], dtype=float),
            sites=rows_by_project(snap.sites),
            flows=rows_by_project(snap.table("funding_flows")),
            participants=rows_by_project(snap.table("participants")),
            results=rows_by_project(snap.table("results")),
            sdgs=rows_by_project(snap.table("project_sdgs")),
        )

    return snap.derived("project_index", build)


def donor_ids(snap: Snapshot) -> list[str]:
    """Organizations with a funding role (funder, grant operator): the donor filter's choices.

    Implementers that pass money on (e.g. to entrepreneurs) are not donors; an unnamed
    co-funder is not an organization anyone can pick.
    """
    def build() -> tuple[str, ...]:
        parts = snap.table("participants")
        orgs = snap.table("organizations").set_index("org_id")
        funders = set(parts.loc[parts["role"].isin(FUNDING_ROLES), "org_id"])
        return tuple(sorted(o for o in funders if orgs.at[o, "kind"] != "unspecified"))

    return list(snap.derived("donor_ids", build))


def donor_ranking(snap: Snapshot) -> list[str]:
    """The donors (``donor_ids``), largest first by the known money they give across the whole
    atlas in EUR (ties and donors of unknown amounts by id): the same order whatever the
    filters, so a ranking-based choice (which donors get a colour of their own) is stable."""
    def build() -> tuple[str, ...]:
        given: dict[str, float] = defaultdict(float)
        for counted in flow_book(snap, "EUR").flows.values():
            for f in counted:
                given[f.from_org_id] += f.figure.value or 0.0
        return tuple(sorted(donor_ids(snap), key=lambda d: (-given.get(d, 0.0), d)))

    return list(snap.derived("donor_ranking", build))


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


def _region_choice(filters: Filters) -> set[str]:
    """The region codes a region filter matches: a nationwide site (no code) is in none."""
    return set(filters.regions) - {""}


def matching_projects(snap: Snapshot, filters: Filters) -> list[str]:
    """Ids of the projects that pass every filter, in title order."""
    index = project_index(snap)
    ids = pd.Series(index.ids)
    keep = np.ones(len(ids), dtype=bool)

    def among(chosen: Iterable[str]) -> np.ndarray:
        return ids.isin(set(chosen)).to_numpy()

    if filters.projects:
        keep &= among(filters.projects)
    if filters.donors:
        keep &= among(projects_of_donors(snap, filters.donors))
    if filters.sdgs:
        sdgs = snap.table("project_sdgs")
        keep &= among(sdgs.loc[sdgs["goal"].isin(filters.sdgs), "project_id"])
    if filters.regions:
        sites = snap.sites
        keep &= among(sites.loc[sites["region_code"].isin(_region_choice(filters)),
                                "project_id"])
    if filters.implementers:
        parts = snap.table("participants")
        mask = parts["role"].isin(IMPLEMENTING_ROLES) & parts["org_id"].isin(filters.implementers)
        keep &= among(parts.loc[mask, "project_id"])
    if filters.statuses:
        projects = snap.table("projects")
        keep &= among(projects.loc[projects["status"].isin(filters.statuses), "project_id"])
    if filters.years:
        lo, hi = filters.years
        # NaN (an unknown year) fails every comparison: such a project is left out.
        keep &= (index.end >= lo) & (index.start <= hi)
    return [str(p) for p in index.ids[index.by_title[keep[index.by_title]]]]


def flow_conversion(snap: Snapshot, flow: dict[str, Any], currency: str) -> Conversion:
    """A flow's stated amount converted to ``currency`` with its year's annual rate.

    No rate for its year (or no year) gives an unknown converted figure, never a guess.
    """
    figure = Figure.of(flow["amount"], flow["qualifier"], flow["basis"])
    year = None if pd.isna(flow["year"]) else int(flow["year"])
    return snap.rates.try_convert(figure, str(flow["currency"] or ""), currency, year)


def _with_lower_bounds(snap: Snapshot, project_id: str, records: list[dict[str, Any]],
                       currency: str) -> tuple[CountedFlow, ...]:
    """A project's flows (in flow-id order) as ``project_flows`` describes them."""
    out_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    conversions = {}
    for f in records:
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
    for f in records:
        conversion = conversions[f["flow_id"]]
        figure = conversion.converted
        if not figure.is_known:
            bound = lower_bound(f["to_org_id"], frozenset({f["to_org_id"]}))
            if bound > 0:
                figure = Figure(bound, Qualifier.AT_LEAST, derived=True)
        out.append(CountedFlow(f["flow_id"], project_id, f["from_org_id"], figure,
                               f["to_org_id"], conversion))
    return tuple(out)


def _top_of_chains(flows: Sequence[CountedFlow], donors: Iterable[str]) -> list[CountedFlow]:
    """The flows a total counts, as ``counted_flows`` describes them."""
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


@dataclass(frozen=True)
class FlowBook:
    """Every project's flows in one display currency, and what counts without a donor filter."""

    flows: dict[str, tuple[CountedFlow, ...]]  # project id -> project_flows
    counted: dict[str, tuple[CountedFlow, ...]]  # project id -> counted_flows, no donors
    funding: dict[str, Figure]  # project id -> project_funding, no donors


# What counting a flow reads of it (a row of funding_flows without its prose).
_FLOW_FIELDS = ("flow_id", "project_id", "from_org_id", "to_org_id", "amount", "currency",
                "qualifier", "basis", "year")


def flow_book(snap: Snapshot, currency: str) -> FlowBook:
    """The snapshot's ``FlowBook`` in ``currency`` (built on first use, then shared)."""
    def build() -> FlowBook:
        table = snap.table("funding_flows").sort_values("flow_id")
        by_project: dict[str, list[dict[str, Any]]] = defaultdict(list)
        columns = [c for c in _FLOW_FIELDS if c in table.columns]
        for values in zip(*(table[c].tolist() for c in columns), strict=True):
            f = dict(zip(columns, values, strict=True))
            by_project[f["project_id"]].append(f)
        flows = {pid: _with_lower_bounds(snap, pid, records, currency)
                 for pid, records in by_project.items()}
        counted = {pid: tuple(_top_of_chains(mine, ())) for pid, mine in flows.items()}
        funding = {pid: total(f.figure for f in mine) for pid, mine in counted.items() if mine}
        return FlowBook(flows, counted, funding)

    return snap.derived(("flow_book", currency), build)


def project_flows(snap: Snapshot, project_id: str, currency: str = "EUR") -> list[CountedFlow]:
    """Every flow of a project with its figure in ``currency``, in flow-id order.

    A flow whose amount is unknown (or has no rate) gets as its figure the lower bound of what
    it is known to carry: the known money its recipient passes on ("at least"), else unknown.
    """
    return list(flow_book(snap, currency).flows.get(project_id, ()))


def counted_flows(
    snap: Snapshot, project_id: str, donors: Sequence[str] = (), currency: str = "EUR"
) -> list[CountedFlow]:
    """The flows of a project that a total counts: once, at the top of each chain.

    With ``donors``, a flow counts when it starts at a selected donor and no flow upstream of
    it does; without, when nothing flows into its source within the project.
    """
    book = flow_book(snap, currency)
    if not donors:
        return list(book.counted.get(project_id, ()))
    return _top_of_chains(book.flows.get(project_id, ()), donors)


def project_funding(
    snap: Snapshot, project_id: str, donors: Sequence[str] = (), currency: str = "EUR"
) -> Figure:
    """Money entering a project from the selected donors (all when none), counted once."""
    if not donors:
        return flow_book(snap, currency).funding.get(project_id, Figure.unknown())
    flows = counted_flows(snap, project_id, donors, currency)
    return total(f.figure for f in flows) if flows else Figure.unknown()


def primary_donor(snap: Snapshot, project_id: str,
                  donors: set[str] | None = None) -> str | None:
    """The donor whose counted money into the project is largest (first funder if none known)."""
    donors = set(donor_ids(snap)) if donors is None else donors
    flows = [f for f in counted_flows(snap, project_id) if f.from_org_id in donors]
    if flows:
        return max(flows, key=lambda f: (f.figure.value or 0, f.from_org_id)).from_org_id
    rows = project_index(snap).rows("participants", project_id)
    orgs = snap.table("participants")["org_id"].to_numpy()[rows]
    return next((str(o) for o in orgs if o in donors), None)


def _is_reach(results: pd.DataFrame) -> pd.Series:
    """Headline people-reached results (breakdown rows excluded)."""
    return results["counts_as_reach"] & (results["parent_result_id"] == "")


@dataclass(frozen=True)
class ReachIndex:
    """People reached, per project and per site (its shares of its project's results)."""

    projects: dict[str, Figure]  # project id -> project_reach (absent: unknown)
    sites: FigureColumns  # one figure per row of ``snap.sites``


def reach_index(snap: Snapshot) -> ReachIndex:
    """The snapshot's ``ReachIndex`` (built on first use, then shared)."""
    def build() -> ReachIndex:
        index = project_index(snap)
        results = snap.table("results")
        headline = results.loc[_is_reach(results)]
        site_ids = snap.sites["site_id"].to_numpy(dtype=object)
        mine: dict[str, list[Figure]] = defaultdict(list)
        site_rows: dict[str, dict[str, int]] = {}  # project id -> site id -> row
        shares: list[Figure] = []
        counts: list[int] = []
        blocks: list[np.ndarray] = []
        for pid, value, qualifier, basis, named in zip(
                *(headline[c].tolist() for c in ("project_id", "value", "qualifier", "basis",
                                                  "site_ids")), strict=True):
            figure = Figure.of(value, qualifier, basis)
            mine[pid].append(figure)
            rows = index.sites.get(pid)
            if rows is None:
                continue
            # A result names the sites it applies to, else it applies to all of its project's
            # (site ids are the sites table's key, so an id is one row of its project).
            applies = split_ids(named)
            if applies:
                if pid not in site_rows:  # once per project, however many results name sites
                    site_rows[pid] = dict(zip(site_ids[rows].tolist(), rows.tolist(),
                                              strict=True))
                at = site_rows[pid]
                block = np.array([at[sid] for sid in applies if sid in at], dtype=np.intp)
            else:
                block = rows
            shares.append(figure.scaled(1 / (len(applies) or len(rows)), split=True))
            counts.append(len(block))
            blocks.append(block)
        per_share = FigureColumns.of(shares).take(
            np.repeat(np.arange(len(shares)), np.array(counts, dtype=np.intp)))
        at_site = np.concatenate(blocks) if blocks else _NO_ROWS
        per_site = group_totals(per_share, at_site, len(site_ids))
        return ReachIndex({pid: total(figures) for pid, figures in mine.items()}, per_site)

    return snap.derived("reach_index", build)


def project_reach(snap: Snapshot, project_id: str) -> Figure:
    """People reached by a project: its headline reach results, unknown if it reports none."""
    return reach_index(snap).projects.get(project_id, Figure.unknown())


@dataclass(frozen=True)
class ShareColumns:
    """Site shares as columns: one entry per site of the given projects."""

    rows: np.ndarray  # positions in ``snap.sites``
    site_ids: np.ndarray
    project_ids: np.ndarray
    region_codes: np.ndarray
    sites_in_project: np.ndarray
    funding: FigureColumns
    reach: FigureColumns

    def where(self, mask: np.ndarray) -> ShareColumns:
        """The shares where ``mask`` is true."""
        return ShareColumns(self.rows[mask], self.site_ids[mask], self.project_ids[mask],
                            self.region_codes[mask],
                            self.sites_in_project[mask], self.funding.take(mask),
                            self.reach.take(mask))

    def frame(self) -> pd.DataFrame:
        """The public form (``site_shares``): Figure objects in ``funding`` and ``reach``."""
        return pd.DataFrame({
            "site_id": self.site_ids,
            "project_id": self.project_ids,
            "region_code": self.region_codes,
            "funding": self.funding.figures(),
            "reach": self.reach.figures(),
            "sites_in_project": self.sites_in_project,
        }, columns=list(_SHARE_COLUMNS))


_SHARE_COLUMNS = ("site_id", "project_id", "region_code", "funding", "reach", "sites_in_project")


def share_columns(snap: Snapshot, project_ids: Sequence[str], donors: Sequence[str] = (),
                  currency: str = "EUR") -> ShareColumns:
    """``site_shares`` as columns, without making a Figure per site."""
    index = project_index(snap)
    with_sites = [p for p in project_ids if p in index.sites]
    blocks = [index.sites[p] for p in with_sites]
    counts = np.array([len(b) for b in blocks], dtype=np.intp)
    rows = np.concatenate(blocks) if blocks else _NO_ROWS
    funding = FigureColumns.of(project_funding(snap, p, donors, currency) for p in with_sites)
    of_site = np.repeat(np.arange(len(with_sites)), counts)
    n = np.repeat(counts, counts)
    sites = snap.sites
    return ShareColumns(
        rows=rows,
        site_ids=sites["site_id"].to_numpy(dtype=object)[rows],
        project_ids=np.array(with_sites, dtype=object)[of_site],
        region_codes=sites["region_code"].to_numpy(dtype=object)[rows],
        sites_in_project=n.astype(np.int64),
        funding=funding.take(of_site).scaled(1 / n),
        reach=reach_index(snap).sites.take(rows),
    )


def site_shares(
    snap: Snapshot, project_ids: Sequence[str], donors: Sequence[str] = (), currency: str = "EUR"
) -> pd.DataFrame:
    """One row per site of the given projects with its share of funding and people reached."""
    return share_columns(snap, project_ids, donors, currency).frame()


_REGION_COLUMNS = ["code", "projects", "sites", "funding", "reach"]


def _region_totals(region_codes: np.ndarray, project_ids: np.ndarray, funding: FigureColumns,
                   reach: FigureColumns) -> pd.DataFrame:
    if not len(region_codes):
        return pd.DataFrame([], columns=_REGION_COLUMNS)
    # A site without a region code (a nationwide one) belongs to no region's total; its
    # share still counts once in the view's overall figures.
    stated = pd.Series(region_codes, dtype=object)
    codes, regions = pd.factorize(stated.where(stated != "", None), sort=True)
    placed = codes >= 0
    groups = codes[placed]
    n = len(regions)
    pairs = pd.DataFrame({"g": groups, "p": project_ids[placed]}).dropna().drop_duplicates()
    return pd.DataFrame({
        "code": list(regions),
        "projects": np.bincount(pairs["g"].to_numpy(), minlength=n),
        "sites": np.bincount(groups, minlength=n),
        "funding": group_totals(funding.take(placed), groups, n).figures(),
        "reach": group_totals(reach.take(placed), groups, n).figures(),
    }, columns=_REGION_COLUMNS)


def region_totals(shares: pd.DataFrame) -> pd.DataFrame:
    """Per region: projects, sites, funding and people reached, from site shares."""
    return _region_totals(shares["region_code"].to_numpy(dtype=object),
                          shares["project_id"].to_numpy(dtype=object),
                          FigureColumns.of(shares["funding"]), FigureColumns.of(shares["reach"]))


def filtered_share_columns(snap: Snapshot, filters: Filters, currency: str = "EUR",
                           project_ids: Sequence[str] | None = None) -> ShareColumns:
    """``filtered_site_shares`` as columns."""
    if project_ids is None:
        project_ids = matching_projects(snap, filters)
    shares = share_columns(snap, project_ids, filters.donors, currency)
    if filters.regions:
        shares = shares.where(pd.Series(shares.region_codes, dtype=object)
                              .isin(_region_choice(filters)).to_numpy())
    return shares


def filtered_site_shares(snap: Snapshot, filters: Filters, currency: str = "EUR",
                         project_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Site shares for the matching projects (pass them if already known), in chosen regions."""
    return filtered_share_columns(snap, filters, currency, project_ids).frame()


def _overall(figures: FigureColumns) -> Figure:
    if not len(figures):
        return Figure.unknown()
    return group_totals(figures, np.zeros(len(figures), dtype=np.intp), 1).figures()[0]


def summarize(snap: Snapshot, filters: Filters, currency: str = "EUR") -> Summary:
    """Headline figures and per-region totals for a filtered view."""
    project_ids = matching_projects(snap, filters)
    shares = filtered_share_columns(snap, filters, currency, project_ids)
    if filters.regions:
        in_view = set(shares.project_ids.tolist())
        project_ids = [p for p in project_ids if p in in_view]
    parts = snap.table("participants")
    orgs = set(parts.loc[parts["project_id"].isin(project_ids), "org_id"])
    return Summary(
        project_ids=project_ids,
        sites=len(shares.rows),
        organizations=len(orgs),
        funding=_overall(shares.funding),
        people_reached=_overall(shares.reach),
        currency=currency,
        regions=_region_totals(shares.region_codes, shares.project_ids, shares.funding,
                               shares.reach),
        flows=[f for pid in project_ids
               for f in counted_flows(snap, pid, filters.donors, currency)],
    )


# --- how many projects each filter choice would give ------------------------------------------

CHOICE_FACETS = ("donors", "sdgs", "regions", "implementers", "statuses", "years")


@dataclass(frozen=True)
class _Memberships:
    """Per filter facet, the (project position, choice) pairs that make a project pass it."""

    pairs: dict[str, tuple[np.ndarray, np.ndarray]]


def _memberships(snap: Snapshot) -> _Memberships:
    """Built once per snapshot: each facet's pairs, deduplicated (a project with two sites in
    one region counts once for it)."""
    def build() -> _Memberships:
        index = project_index(snap)
        position = {str(p): i for i, p in enumerate(index.ids.tolist())}

        def pairs(project_ids: pd.Series, choices: pd.Series) -> tuple[np.ndarray, np.ndarray]:
            frame = pd.DataFrame({"p": project_ids.astype(str).map(position),
                                  "c": choices.to_numpy()}).dropna().drop_duplicates()
            return frame["p"].to_numpy(np.intp), frame["c"].to_numpy(dtype=object)

        parts = snap.table("participants")
        flows = snap.table("funding_flows")
        funding = parts.loc[parts["role"].isin(FUNDING_ROLES)]
        implementing = parts.loc[parts["role"].isin(IMPLEMENTING_ROLES)]
        sdgs = snap.table("project_sdgs")
        sites = snap.sites.loc[snap.sites["region_code"].fillna("") != ""]
        projects = snap.table("projects")
        return _Memberships({
            # As ``projects_of_donors``: a funding role or the source of a flow.
            "donors": pairs(pd.concat([funding["project_id"], flows["project_id"]]),
                            pd.concat([funding["org_id"], flows["from_org_id"]])),
            "sdgs": pairs(sdgs["project_id"], sdgs["goal"].astype(int)),
            "regions": pairs(sites["project_id"], sites["region_code"]),
            "implementers": pairs(implementing["project_id"], implementing["org_id"]),
            "statuses": pairs(projects["project_id"], projects["status"]),
        })

    return snap.derived("choice_memberships", build)


def _facet_masks(snap: Snapshot, filters: Filters) -> dict[str, np.ndarray]:
    """Per facet, which projects pass it (all do when nothing is chosen in it)."""
    index = project_index(snap)
    book = _memberships(snap)
    n = len(index.ids)

    def passing(facet: str, chosen: Iterable[object]) -> np.ndarray:
        projects, choices = book.pairs[facet]
        keep = np.zeros(n, dtype=bool)
        keep[projects[pd.Series(choices, dtype=object).isin(set(chosen)).to_numpy()]] = True
        return keep

    everyone = np.ones(n, dtype=bool)
    masks = {
        "donors": passing("donors", filters.donors) if filters.donors else everyone,
        "sdgs": passing("sdgs", filters.sdgs) if filters.sdgs else everyone,
        "regions": passing("regions", _region_choice(filters)) if filters.regions else everyone,
        "implementers": (passing("implementers", filters.implementers)
                         if filters.implementers else everyone),
        "statuses": passing("statuses", filters.statuses) if filters.statuses else everyone,
        "years": everyone,
        "projects": (pd.Series(index.ids).isin(set(filters.projects)).to_numpy()
                     if filters.projects else everyone),
    }
    if filters.years:
        lo, hi = filters.years
        masks["years"] = (index.end >= lo) & (index.start <= hi)
    return masks


def choice_counts(snap: Snapshot, filters: Filters) -> dict[str, dict[Any, int]]:
    """For each filter facet (``CHOICE_FACETS``), how many projects each of its choices would
    give with the other filters as they are: the number beside a choice in a filter list.

    A choice absent from a facet's dict gives none. ``years`` counts the projects running in
    each year. One pass over each facet's membership pairs, whatever the number of choices.
    """
    masks = _facet_masks(snap, filters)
    book = _memberships(snap)
    index = project_index(snap)
    counts: dict[str, dict[Any, int]] = {}
    for facet in CHOICE_FACETS:
        others = np.logical_and.reduce([m for f, m in masks.items() if f != facet])
        if facet == "years":
            counts[facet] = _year_counts(index.start[others], index.end[others])
            continue
        projects, choices = book.pairs[facet]
        kept = others[projects]
        found = pd.Series(choices[kept], dtype=object).value_counts(sort=False)
        counts[facet] = {k: int(v) for k, v in found.items()}
    return counts


def _year_counts(start: np.ndarray, end: np.ndarray) -> dict[Any, int]:
    """Per year, how many of the spans [start, end] cover it (unknown years cover none)."""
    known = ~np.isnan(start) & ~np.isnan(end) & (end >= start)
    if not known.any():
        return {}
    first, last = start[known].astype(int), end[known].astype(int)
    lo, hi = int(first.min()), int(last.max())
    steps = np.zeros(hi - lo + 2, dtype=np.int64)
    np.add.at(steps, first - lo, 1)
    np.add.at(steps, last - lo + 1, -1)
    running = np.cumsum(steps)[:-1]
    return {lo + i: int(c) for i, c in enumerate(running) if c}
