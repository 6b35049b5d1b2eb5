"""Where the money goes: the legs of the map's flows layer and the bands of the Sankey diagram.

Both follow the funding chains of ``atlas.query`` so they tell the same story as the totals:
- a *funding leg* is one stated flow between two organizations that have a place on the map;
- a *site leg* carries a project's money from its lead implementer to each of its sites, in
  the same equal shares that the region totals use;
- a *partner leg* ties a co-implementer to the lead it works with (its money is not stated).

Organizations based abroad enter the map at a stated entry point when they have one (the EU at
its Delegation in Astana), else at the edge of the map on the straight line from their home
(FLGR from Sofia enters at the western edge).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from atlas.figures import QUALIFIERS_BY_STRENGTH, Figure, strength, total
from atlas.model import Qualifier
from atlas.money import Conversion
from atlas.query import (
    IMPLEMENTING_ROLES,
    CountedFlow,
    Filters,
    counted_flows,
    donor_ids,
    filtered_share_columns,
    matching_projects,
    primary_donor,
    project_flows,
    project_index,
)
from atlas.snapshot import Snapshot

# lon_min, lat_min, lon_max, lat_max: the frame of the explorer map.
KAZAKHSTAN_BOX = (46.5, 40.6, 87.3, 55.4)

AnchorKind = Literal["home", "entry", "edge"]
LegKind = Literal["funding", "site", "partner"]


@dataclass(frozen=True)
class Anchor:
    """Where an organization appears on the map, and why there."""

    org_id: str
    lon: float
    lat: float
    how: AnchorKind
    place_id: str  # the home or entry place; for "edge", the home abroad


@dataclass(frozen=True)
class FlowLeg:
    """One line of the flows layer."""

    kind: LegKind
    project_id: str
    from_id: str  # an organization
    to_id: str  # an organization, or a site for site legs
    start: Anchor
    end: tuple[float, float]  # lon, lat
    donor_id: str | None  # whose money it carries (colours the line); None if unnamed/none
    figure: Figure  # in the display currency; unknown for partner legs
    flow_id: str = ""
    conversion: Conversion | None = None
    end_anchor: Anchor | None = None  # for funding legs: where the recipient sits


@dataclass
class FlowMap:
    """The legs to draw, and the flows that have no place on the map (and why)."""

    legs: list[FlowLeg] = field(default_factory=list)
    unplaced: list[CountedFlow] = field(default_factory=list)
    # Site ids of the sites in view that have no point (a whole region, the whole country):
    # no site leg goes to them, since its end would be an invented point.
    pointless_sites: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Places:
    """Where organizations are: their home and entry places, and each place's country and
    point (built once per snapshot)."""

    homes: dict[str, tuple[Any, Any]]  # org id -> (home place id, map entry place id)
    places: dict[str, tuple[str, float, float]]  # place id -> (country, lon, lat)


def _place_book(snap: Snapshot) -> _Places:
    def build() -> _Places:
        orgs = snap.table("organizations")
        places = snap.table("places")
        return _Places(
            dict(zip(orgs["org_id"], zip(orgs["home_place_id"], orgs["map_entry_place_id"],
                                         strict=True), strict=True)),
            {pid: (country, float(lon), float(lat)) for pid, country, lon, lat in zip(
                places["place_id"], places["country"], places["lon"], places["lat"],
                strict=True)})

    return snap.derived("flows.places", build)


def _enter_box(outside: tuple[float, float], inside: tuple[float, float],
               box: tuple[float, float, float, float] = KAZAKHSTAN_BOX) -> tuple[float, float]:
    """Where the straight line from ``outside`` to ``inside`` crosses into ``box`` (lon/lat)."""
    (x0, y0), (x1, y1) = outside, inside
    dx, dy = x1 - x0, y1 - y0
    t_enter = 0.0
    # Liang-Barsky: the latest entering crossing over the four edges.
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p < 0:
            t_enter = max(t_enter, q / p)
    return (round(x0 + t_enter * dx, 5), round(y0 + t_enter * dy, 5))


def org_anchor(snap: Snapshot, org_id: str,
               toward: tuple[float, float] | None = None) -> Anchor | None:
    """Where ``org_id`` is drawn: its home in Kazakhstan, its entry point, or the map edge.

    ``toward`` (lon, lat) is where its line goes; it decides the edge point of an organization
    abroad with no entry point. None when the organization has no stated place.
    """
    book = _place_book(snap)
    home, entry = book.homes[org_id]
    if not home or home not in book.places:
        return None
    country, lon, lat = book.places[home]
    if country == "KZ":
        return Anchor(org_id, lon, lat, "home", home)
    if entry and entry in book.places:
        _, entry_lon, entry_lat = book.places[entry]
        return Anchor(org_id, entry_lon, entry_lat, "entry", entry)
    target = toward or ((KAZAKHSTAN_BOX[0] + KAZAKHSTAN_BOX[2]) / 2,
                        (KAZAKHSTAN_BOX[1] + KAZAKHSTAN_BOX[3]) / 2)
    edge_lon, edge_lat = _enter_box((lon, lat), target)
    return Anchor(org_id, edge_lon, edge_lat, "edge", home)


def _flows_into(flows: Sequence[CountedFlow]) -> dict[str, list[CountedFlow]]:
    into: dict[str, list[CountedFlow]] = defaultdict(list)
    for f in flows:
        into[f.to_org_id].append(f)
    return into


def _chain_donor(into: dict[str, list[CountedFlow]], flow: CountedFlow,
                 chosen: set[str]) -> str | None:
    """The donor at the top of the chain ``flow`` belongs to (a chosen one if any);
    ``into`` is the project's flows by recipient (``_flows_into``)."""
    org, seen = flow.from_org_id, {flow.from_org_id}
    while True:
        if org in chosen:
            return org
        parents = [f.from_org_id for f in into.get(org, []) if f.from_org_id not in seen]
        if not parents:
            return org
        org = parents[0]
        seen.add(org)


def _downstream(flows: Sequence[CountedFlow], roots: Sequence[CountedFlow]) -> list[CountedFlow]:
    """``roots`` and every flow paid out of them, in flow order."""
    keep = {f.flow_id for f in roots}
    frontier = {f.to_org_id for f in roots}
    while frontier:
        nxt = {f.to_org_id for f in flows if f.from_org_id in frontier and f.flow_id not in keep}
        keep |= {f.flow_id for f in flows if f.from_org_id in frontier}
        frontier = nxt
    return [f for f in flows if f.flow_id in keep]


def _by_project(project_ids: np.ndarray) -> dict[str, np.ndarray]:
    """Positions of each project's entries, projects in order of first appearance."""
    codes, ids = pd.factorize(pd.Series(project_ids, dtype=object))
    if not len(ids):
        return {}  # an empty view: np.split would still give one (empty) part
    order = np.argsort(codes, kind="stable")
    cuts = np.cumsum(np.bincount(codes, minlength=len(ids)))[:-1]
    return {str(pid): rows for pid, rows in zip(ids, np.split(order, cuts), strict=True)}


def flow_legs(snap: Snapshot, filters: Filters, currency: str = "EUR") -> FlowMap:
    """The legs of the flows layer for a filtered view, amounts in ``currency``."""
    project_ids = matching_projects(snap, filters)
    shares = filtered_share_columns(snap, filters, currency, project_ids)
    shares_of = _by_project(shares.project_ids)
    project_ids = [p for p in project_ids if p in shares_of]
    index = project_index(snap)
    lons = snap.sites["lon"].to_numpy(dtype=float)[shares.rows]
    lats = snap.sites["lat"].to_numpy(dtype=float)[shares.rows]
    funding = shares.funding.figures()
    parts = snap.table("participants")
    part_orgs = parts["org_id"].to_numpy(dtype=object)
    part_roles = parts["role"].to_numpy(dtype=object)
    known_donors = set(donor_ids(snap))
    chosen = set(filters.donors)
    anchors: dict[tuple[str, tuple[float, float] | None], Anchor | None] = {}

    def anchor(org: str, toward: tuple[float, float] | None = None) -> Anchor | None:
        key = (org, toward)
        if key not in anchors:
            anchors[key] = org_anchor(snap, org, toward)
        return anchors[key]

    out = FlowMap()
    for pid in project_ids:
        flows = project_flows(snap, pid, currency)
        into = _flows_into(flows)
        counted = counted_flows(snap, pid, filters.donors, currency)
        drawn = _downstream(flows, counted) if chosen else flows
        rows = index.rows("participants", pid)
        roles, orgs = part_roles[rows], part_orgs[rows]
        leads = [str(o) for o, r in zip(orgs, roles, strict=True) if r == "lead"]
        lead_anchor = anchor(leads[0]) if leads else None
        mine = shares_of[pid]
        placed = mine[~(np.isnan(lons[mine]) | np.isnan(lats[mine]))]
        # Where the project's money goes when its recipient has no place: its first site
        # with a point; a project with none leaves the direction to ``org_anchor``.
        project_point = (float(lons[placed[0]]), float(lats[placed[0]])) if len(placed) \
            else None

        for f in drawn:
            to_anchor = anchor(f.to_org_id, project_point)
            toward = (to_anchor.lon, to_anchor.lat) if to_anchor else project_point
            from_anchor = anchor(f.from_org_id, toward)
            if (from_anchor and to_anchor
                    and (from_anchor.lon, from_anchor.lat) == (to_anchor.lon, to_anchor.lat)):
                continue  # same city (the ministry and CISC in Astana): no line to draw
            if from_anchor is None or to_anchor is None:
                # Unnamed co-funders and beneficiary groups have no place of their own: the
                # site legs show where their money ends up.
                out.unplaced.append(f)
                continue
            donor = _chain_donor(into, f, chosen)
            out.legs.append(FlowLeg(
                "funding", pid, f.from_org_id, f.to_org_id, from_anchor,
                (to_anchor.lon, to_anchor.lat), donor if donor in known_donors else None,
                f.figure, f.flow_id, f.conversion, to_anchor))

        if lead_anchor is None:
            continue
        colour_donor = primary_donor(snap, pid, chosen or known_donors)
        out.pointless_sites.extend(
            str(sid) for sid in shares.site_ids[np.setdiff1d(mine, placed)].tolist())
        for i in placed.tolist():
            out.legs.append(FlowLeg(
                "site", pid, lead_anchor.org_id, str(shares.site_ids[i]), lead_anchor,
                (float(lons[i]), float(lats[i])), colour_donor, funding[i]))
        partners = {str(o) for o, r in zip(orgs, roles, strict=True)
                    if r in IMPLEMENTING_ROLES and o not in leads}
        for org in sorted(partners):
            partner = anchor(org, (lead_anchor.lon, lead_anchor.lat))
            if partner is not None:
                out.legs.append(FlowLeg("partner", pid, org, lead_anchor.org_id, partner,
                                        (lead_anchor.lon, lead_anchor.lat), None,
                                        Figure.unknown(), end_anchor=lead_anchor))
    return out


# --- Sankey ---------------------------------------------------------------------------------

NodeKind = Literal["donor", "via", "region"]
_COLUMN = {"donor": 0, "via": 1, "region": 2}  # the Sankey's columns, left to right


@dataclass(frozen=True)
class SankeyNode:
    kind: NodeKind
    key: str  # organization id or region code

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.key}"


@dataclass(frozen=True)
class SankeyBand:
    """One band: money from a donor to the organization it pays, or from there to a region."""

    source: SankeyNode
    target: SankeyNode
    figure: Figure
    project_ids: tuple[str, ...]
    donor_id: str  # whose money it is (colours the band)


class _Tally:
    """A running ``total`` of known figures (a band sums one share per site: thousands)."""

    __slots__ = ("values", "weakest", "derived")

    def __init__(self) -> None:
        self.values: list[float] = []
        self.weakest = strength(Qualifier.EXACT)
        self.derived = False

    def add(self, figure: Figure, times: int = 1) -> None:
        assert figure.value is not None
        self.values.extend([figure.value] * times)
        self.weakest = max(self.weakest, strength(figure.qualifier))
        self.derived = self.derived or figure.derived

    def total(self) -> Figure:
        """What ``total`` gives for the figures added (summed in the order added)."""
        return Figure(float(sum(self.values)), QUALIFIERS_BY_STRENGTH[self.weakest],
                      derived=self.derived)


@dataclass
class SankeyData:
    nodes: list[SankeyNode]
    bands: list[SankeyBand]
    not_drawn: list[CountedFlow]  # counted flows whose amount is not stated


def sankey_data(snap: Snapshot, filters: Filters, currency: str = "EUR") -> SankeyData:
    """Donor -> grant operator or lead implementer -> region, for a filtered view.

    Each counted flow (the top of its chain, as in the totals) is split in the project's equal
    site shares and follows them into the regions, so the right-hand side matches the map's
    region totals. A flow whose amount is not stated cannot be a band: it is listed instead.
    """
    project_ids = matching_projects(snap, filters)
    shares = filtered_share_columns(snap, filters, currency, project_ids)
    index = project_index(snap)
    # One band per source, target and donor: a band's colour says whose money it is. Keys are
    # plain strings (source kind, source, target kind, target, donor): hashed per site share.
    parts: dict[tuple[str, str, str, str, str], _Tally] = defaultdict(_Tally)
    projects: dict[tuple[str, str, str, str, str], set[str]] = defaultdict(set)
    not_drawn: list[CountedFlow] = []
    for pid, mine in _by_project(shares.project_ids).items():
        n = len(index.rows("sites", pid))
        in_regions = Counter(shares.region_codes[mine].tolist())
        for f in counted_flows(snap, pid, filters.donors, currency):
            if f.figure.value is None:
                not_drawn.append(f)
                continue
            # The part of the flow that reaches the regions in view (all of it, unsplit, when
            # every site is in view, so an exact grant stays exact).
            first = ("donor", f.from_org_id, "via", f.to_org_id, f.from_org_id)
            parts[first].add(f.figure.scaled(len(mine) / n, split=True))
            projects[first].add(pid)
            share = f.figure.scaled(1 / n, split=True)
            for region, sites in in_regions.items():
                key = ("via", f.to_org_id, "region", str(region), f.from_org_id)
                parts[key].add(share, sites)  # one share per site, as the totals sum them
                projects[key].add(pid)
    bands = [SankeyBand(SankeyNode(a_kind, a), SankeyNode(b_kind, b),  # type: ignore[arg-type]
                        tally.total(), tuple(sorted(projects[key])), d)
             for key, tally in parts.items() for a_kind, a, b_kind, b, d in (key,)]
    nodes = sorted({n for b in bands for n in (b.source, b.target)},
                   key=lambda n: (_COLUMN[n.kind], n.key))
    bands.sort(key=lambda b: (_COLUMN[b.source.kind], b.source.key, b.target.key, b.donor_id))
    return SankeyData(nodes, bands, not_drawn)


OTHERS = "*"  # the key of the node that stands for a column's folded nodes
MAX_NODES_PER_COLUMN = 12


@dataclass
class FoldedSankey:
    """A Sankey small enough to read: ``data`` with each column's smaller nodes folded into
    one node keyed ``OTHERS``; ``folded`` says how many nodes each such node stands for."""

    data: SankeyData
    folded: dict[str, int]  # node id -> how many nodes it stands for


def fold_sankey(data: SankeyData, keep: int = MAX_NODES_PER_COLUMN) -> FoldedSankey:
    """``data`` with only the ``keep`` largest nodes of each column (by the money through them);
    the rest of a column becomes one "others" node, and bands between the same nodes merge.

    Thousands of donors make a Sankey of thousands of hair-thin bands that no one can read (and
    that takes seconds to draw); folding keeps every amount: each column's total is unchanged.
    """
    through: dict[str, list[Figure]] = defaultdict(list)
    for b in data.bands:
        through[b.source.id].append(b.figure)
        through[b.target.id].append(b.figure)
    kept: set[str] = set()
    for kind in _COLUMN:
        column = [n for n in data.nodes if n.kind == kind]
        column.sort(key=lambda n: (-sum(f.value or 0.0 for f in through[n.id]), n.key))
        # Folding a single node into "others" would hide a name and save nothing.
        kept.update(n.id for n in (column if len(column) <= keep + 1 else column[:keep]))
    folded: Counter[str] = Counter()
    replace: dict[str, SankeyNode] = {}
    for n in data.nodes:
        if n.id not in kept:
            replace[n.id] = SankeyNode(n.kind, OTHERS)
            folded[replace[n.id].id] += 1
    if not replace:
        return FoldedSankey(data, {})
    merged: dict[tuple[str, str, str], list[SankeyBand]] = defaultdict(list)
    for b in data.bands:
        source = replace.get(b.source.id, b.source)
        target = replace.get(b.target.id, b.target)
        donor = OTHERS if SankeyNode("donor", b.donor_id).id in replace else b.donor_id
        merged[(source.id, target.id, donor)].append(
            SankeyBand(source, target, b.figure, b.project_ids, donor))
    bands = []
    for group in merged.values():
        first = group[0]
        if len(group) == 1:
            bands.append(first)
            continue
        projects = tuple(sorted({p for b in group for p in b.project_ids}))
        bands.append(SankeyBand(first.source, first.target, total(b.figure for b in group),
                                projects, first.donor_id))
    nodes = sorted({n for b in bands for n in (b.source, b.target)},
                   key=lambda n: (_COLUMN[n.kind], n.key == OTHERS, n.key))
    bands.sort(key=lambda b: (_COLUMN[b.source.kind], b.source.key == OTHERS, b.source.key,
                              b.target.key == OTHERS, b.target.key, b.donor_id))
    return FoldedSankey(SankeyData(nodes, bands, data.not_drawn), dict(folded))


def band_filters(band: SankeyBand, implementers: set[str], base: Filters) -> Filters:
    """The filters that show one Sankey band on the map, on top of the current ``base``."""
    via = band.source.key if band.source.kind == "via" else band.target.key
    donors = (band.source.key,) if band.source.kind == "donor" else base.donors
    # A band into the country as a whole (nationwide sites) narrows to no region: a region
    # filter never matches a nationwide site.
    regions = (band.target.key,) if band.target.kind == "region" and band.target.key \
        else base.regions
    impl = (via,) if via in implementers else base.implementers
    if via not in implementers and band.source.kind == "via":
        donors = (via,)  # a grant operator: show the money that goes out of it
    return Filters(donors=tuple(donors), sdgs=base.sdgs, regions=tuple(regions),
                   implementers=tuple(impl), years=base.years, statuses=base.statuses)
