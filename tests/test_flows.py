"""Flow legs and Sankey bands follow the same chains as the totals (atlas.flows)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from atlas.dataset import DataSet
from atlas.figures import Figure, total
from atlas.flows import (
    KAZAKHSTAN_BOX,
    OTHERS,
    FlowLeg,
    FlowMap,
    SankeyBand,
    SankeyData,
    SankeyNode,
    _downstream,
    _enter_box,
    band_filters,
    flow_legs,
    fold_sankey,
    org_anchor,
    sankey_data,
)
from atlas.model import Qualifier
from atlas.query import (
    IMPLEMENTING_ROLES,
    CountedFlow,
    Filters,
    counted_flows,
    donor_ids,
    filtered_site_shares,
    implementer_ids,
    matching_projects,
    primary_donor,
    project_flows,
    summarize,
)
from atlas.snapshot import Snapshot, build_snapshot
from atlas.synth import synthesize
from tests.scans import ColumnScans


def test_anchor_is_home_in_kazakhstan_entry_point_or_map_edge(snap: Snapshot) -> None:
    argo = org_anchor(snap, "argo")
    # ARGO's card gives an Astana phone (area code 7172).
    assert argo and argo.how == "home" and argo.place_id == "astana"
    eu = org_anchor(snap, "eu")
    assert eu and eu.how == "entry" and eu.place_id == "astana"
    assert (eu.lon, eu.lat) == (71.44598, 51.1801)
    # FLGR has no office here: it enters at the western edge, on the line Sofia -> Astana.
    flgr = org_anchor(snap, "flgr", toward=(argo.lon, argo.lat))
    assert flgr and flgr.how == "edge" and flgr.place_id == "sofia"
    assert flgr.lon == KAZAKHSTAN_BOX[0] and 46.5 < flgr.lat < 47.0
    assert org_anchor(snap, "cofunders-not-named") is None


def test_edge_point_is_where_the_line_enters_the_box() -> None:
    box = (0.0, 0.0, 10.0, 10.0)
    assert _enter_box((-10.0, 5.0), (5.0, 5.0), box) == (0.0, 5.0)
    assert _enter_box((5.0, 20.0), (5.0, 5.0), box) == (5.0, 10.0)
    assert _enter_box((-10.0, -10.0), (5.0, 5.0), box) == (0.0, 0.0)


def test_eu_legs_reach_its_nineteen_sites_with_its_whole_money(snap: Snapshot) -> None:
    legs = flow_legs(snap, Filters(donors=("eu",)), "EUR").legs
    funding = [leg for leg in legs if leg.kind == "funding"]
    # The EU enters the map at Astana, ARGO's home: only its grant to Aktau has a length.
    assert sorted(leg.flow_id for leg in funding) == ["f-abd-eu"]
    assert all(leg.donor_id == "eu" and leg.start.how == "entry" for leg in funding)
    sites = [leg for leg in legs if leg.kind == "site"]
    assert len(sites) == 19 and {leg.donor_id for leg in sites} == {"eu"}
    # The site legs carry the same money as the headline, split the same way.
    assert total(leg.figure for leg in sites).value == pytest.approx(1_232_570)
    regions = {snap.sites.set_index("site_id").at[leg.to_id, "region_code"] for leg in sites}
    assert regions == {"KAZ008", "KAZ011", "KAZ013", "KAZ014"}


def test_ministry_chain_is_drawn_with_its_lower_bound(snap: Snapshot) -> None:
    legs = flow_legs(snap, Filters(donors=("misd",)), "KZT").legs
    funding = {leg.flow_id: leg for leg in legs if leg.kind == "funding"}
    # MISD and CISC are both in Astana: no line between them; CISC -> Zhaiyk tany is drawn.
    assert set(funding) == {"f-wko-state-grant"}
    leg = funding["f-wko-state-grant"]
    assert leg.donor_id == "misd"
    assert leg.figure.qualifier is Qualifier.AT_LEAST
    assert leg.figure.value == pytest.approx(2_850_000)
    sites = [leg for leg in legs if leg.kind == "site"]
    assert len(sites) == 3 and {leg.from_id for leg in sites} == {"zhaiyk-tany"}
    assert total(leg.figure for leg in sites).value == pytest.approx(2_850_000)


def test_unknown_grant_is_drawn_unknown_and_unplaced_flows_are_listed(snap: Snapshot) -> None:
    fm = flow_legs(snap, Filters(donors=("tco",)), "EUR")
    (tco,) = [leg for leg in fm.legs if leg.kind == "funding"]
    assert tco.flow_id == "f-ps-tco" and not tco.figure.is_known
    # EFCA's grants to initiative groups have no place of their own: listed, not invented.
    assert [f.flow_id for f in fm.unplaced] == ["f-ps-mini-projects"]


def test_co_implementers_are_tied_to_the_lead(snap: Snapshot) -> None:
    legs = flow_legs(snap, Filters(implementers=("flgr",)), "EUR").legs
    partners = {leg.from_id: leg for leg in legs if leg.kind == "partner"}
    assert set(partners) == {"ecocenter", "flgr", "lgdc"}
    assert all(leg.to_id == "argo" and not leg.figure.is_known for leg in partners.values())
    assert partners["flgr"].start.how == "edge"


def test_sankey_for_the_eu(snap: Snapshot) -> None:
    data = sankey_data(snap, Filters(donors=("eu",)), "EUR")
    bands = {(b.source.id, b.target.id): b.figure for b in data.bands}
    assert {k: v.value for k, v in bands.items()} == pytest.approx({
        ("donor:eu", "via:argo"): 820_000,
        ("donor:eu", "via:civil-alliance-mangystau"): 412_570,
        ("via:argo", "region:KAZ008"): 210_000,
        ("via:argo", "region:KAZ011"): 410_000,
        ("via:argo", "region:KAZ013"): 200_000,
        ("via:civil-alliance-mangystau", "region:KAZ014"): 412_570,
    })
    # 400,000 + 420,000 as stated: a whole grant is not marked as a computed share.
    assert bands[("donor:eu", "via:argo")].qualifier is Qualifier.EXACT
    assert [n.id for n in data.nodes][:1] == ["donor:eu"]
    assert data.not_drawn == []


def test_sankey_matches_the_map_totals_and_lists_unknowns(snap: Snapshot) -> None:
    data = sankey_data(snap, Filters(), "KZT")
    summary = summarize(snap, Filters(), "KZT")
    into_regions: dict[str, list] = {}  # type: ignore[type-arg]
    for b in data.bands:
        if b.target.kind == "region":
            into_regions.setdefault(b.target.key, []).append(b.figure)
    for row in summary.regions.itertuples():
        if row.funding.value is not None:
            assert total(into_regions[row.code]).value == pytest.approx(row.funding.value)
    ministry = [b for b in data.bands if b.source.id == "donor:misd"]
    assert len(ministry) == 1 and ministry[0].target.id == "via:cisc"
    assert ministry[0].figure.qualifier is Qualifier.AT_LEAST
    assert ministry[0].figure.value == pytest.approx(2_850_000)
    assert {f.flow_id for f in data.not_drawn} == {"f-ps-tco", "f-ps-akimats"}
    # Co-financing bands are kept apart from the EU's, so each keeps its donor's colour.
    argo_karaganda = [b for b in data.bands
                      if (b.source.id, b.target.id) == ("via:argo", "region:KAZ011")]
    assert {b.donor_id for b in argo_karaganda} == {"eu", "cofunders-not-named"}


def test_sankey_follows_the_region_filter(snap: Snapshot) -> None:
    data = sankey_data(snap, Filters(donors=("eu",), regions=("KAZ011",)), "EUR")
    bands = {(b.source.id, b.target.id): b.figure.value for b in data.bands}
    assert bands == pytest.approx({("donor:eu", "via:argo"): 410_000,
                                   ("via:argo", "region:KAZ011"): 410_000})


def test_a_band_becomes_map_filters(snap: Snapshot) -> None:
    data = sankey_data(snap, Filters(), "EUR")
    impl = set(implementer_ids(snap))
    by_ends = {(b.source.id, b.target.id, b.donor_id): b for b in data.bands}
    eu_argo = band_filters(by_ends[("donor:eu", "via:argo", "eu")], impl, Filters())
    assert (eu_argo.donors, eu_argo.implementers, eu_argo.regions) == (("eu",), ("argo",), ())
    argo_kzo = band_filters(by_ends[("via:argo", "region:KAZ013", "eu")], impl, Filters())
    assert (argo_kzo.donors, argo_kzo.implementers, argo_kzo.regions) == \
        ((), ("argo",), ("KAZ013",))
    # CISC is a grant operator, not an implementer: its band shows the money it passes on.
    cisc = band_filters(by_ends[("via:cisc", "region:KAZ020", "misd")], impl, Filters())
    assert (cisc.donors, cisc.regions) == (("cisc",), ("KAZ020",))


def test_an_organization_abroad_without_a_home_is_not_invented(dataset: DataSet) -> None:
    orgs = dataset["organizations"]
    orgs.loc[orgs["org_id"] == "eu", "map_entry_place_id"] = ""
    snap = build_snapshot(dataset, "t")
    eu = org_anchor(snap, "eu", toward=(71.0, 51.0))
    # Brussels -> Astana enters from the west edge, not at a made-up office.
    assert eu and eu.how == "edge" and eu.lon == KAZAKHSTAN_BOX[0]


# --- agreement with a row-by-row reference on a generated data set ---------------------------
# Legs and bands are now built from per-snapshot indexes and grouped site shares; the
# reference below is the project-by-project computation they replaced.

def _ref_chain_donor(flows: list[CountedFlow], flow: CountedFlow,
                     chosen: set[str]) -> str | None:
    into: dict[str, list[CountedFlow]] = defaultdict(list)
    for f in flows:
        into[f.to_org_id].append(f)
    org, seen = flow.from_org_id, {flow.from_org_id}
    while True:
        if org in chosen:
            return org
        parents = [f.from_org_id for f in into.get(org, []) if f.from_org_id not in seen]
        if not parents:
            return org
        org = parents[0]
        seen.add(org)


def _ref_flow_legs(snap: Snapshot, filters: Filters, currency: str) -> FlowMap:
    project_ids = matching_projects(snap, filters)
    shares = filtered_site_shares(snap, filters, currency, project_ids)
    project_ids = [p for p in project_ids if p in set(shares["project_id"])]
    sites = snap.sites.set_index("site_id")
    parts = snap.table("participants")
    known_donors = set(donor_ids(snap))
    chosen = set(filters.donors)
    out = FlowMap()
    for pid in project_ids:
        flows = project_flows(snap, pid, currency)
        counted = counted_flows(snap, pid, filters.donors, currency)
        drawn = _downstream(flows, counted) if chosen else flows
        mine = parts.loc[parts["project_id"] == pid]
        leads = list(mine.loc[mine["role"] == "lead", "org_id"])
        lead_anchor = org_anchor(snap, leads[0]) if leads else None
        first_site = shares.loc[shares["project_id"] == pid, "site_id"].iloc[0]
        project_point = (float(sites.at[first_site, "lon"]), float(sites.at[first_site, "lat"]))
        for f in drawn:
            to_anchor = org_anchor(snap, f.to_org_id, project_point)
            toward = (to_anchor.lon, to_anchor.lat) if to_anchor else project_point
            from_anchor = org_anchor(snap, f.from_org_id, toward)
            if (from_anchor and to_anchor
                    and (from_anchor.lon, from_anchor.lat) == (to_anchor.lon, to_anchor.lat)):
                continue
            if from_anchor is None or to_anchor is None:
                out.unplaced.append(f)
                continue
            donor = _ref_chain_donor(flows, f, chosen)
            out.legs.append(FlowLeg(
                "funding", pid, f.from_org_id, f.to_org_id, from_anchor,
                (to_anchor.lon, to_anchor.lat), donor if donor in known_donors else None,
                f.figure, f.flow_id, f.conversion, to_anchor))
        if lead_anchor is None:
            continue
        colour_donor = primary_donor(snap, pid, chosen or known_donors)
        for share in shares.loc[shares["project_id"] == pid].itertuples():
            site = sites.loc[share.site_id]
            out.legs.append(FlowLeg(
                "site", pid, lead_anchor.org_id, share.site_id, lead_anchor,
                (float(site["lon"]), float(site["lat"])), colour_donor, share.funding))
        partners = mine.loc[mine["role"].isin(IMPLEMENTING_ROLES)
                            & ~mine["org_id"].isin(leads), "org_id"]
        for org in sorted(set(partners)):
            anchor = org_anchor(snap, org, (lead_anchor.lon, lead_anchor.lat))
            if anchor is not None:
                out.legs.append(FlowLeg("partner", pid, org, lead_anchor.org_id, anchor,
                                        (lead_anchor.lon, lead_anchor.lat), None,
                                        Figure.unknown(), end_anchor=lead_anchor))
    return out


def _ref_sankey(snap: Snapshot, filters: Filters, currency: str) -> SankeyData:
    project_ids = matching_projects(snap, filters)
    shares = filtered_site_shares(snap, filters, currency, project_ids)
    sites_per_project = snap.sites.groupby("project_id").size()
    parts: dict[tuple[SankeyNode, SankeyNode, str], list[Figure]] = defaultdict(list)
    projects: dict[tuple[SankeyNode, SankeyNode, str], set[str]] = defaultdict(set)
    not_drawn: list[CountedFlow] = []
    for pid in dict.fromkeys(shares["project_id"]):
        mine = shares.loc[shares["project_id"] == pid]
        n = int(sites_per_project[pid])
        for f in counted_flows(snap, pid, filters.donors, currency):
            if f.figure.value is None:
                not_drawn.append(f)
                continue
            donor, via = SankeyNode("donor", f.from_org_id), SankeyNode("via", f.to_org_id)
            first = (donor, via, f.from_org_id)
            parts[first].append(f.figure.scaled(len(mine) / n, split=True))
            projects[first].add(pid)
            for region in mine["region_code"]:
                key = (via, SankeyNode("region", str(region)), f.from_org_id)
                parts[key].append(f.figure.scaled(1 / n, split=True))
                projects[key].add(pid)
    bands = [SankeyBand(a, b, total(figs), tuple(sorted(projects[(a, b, d)])), d)
             for (a, b, d), figs in parts.items()]
    order = {"donor": 0, "via": 1, "region": 2}
    nodes = sorted({n for b in bands for n in (b.source, b.target)},
                   key=lambda n: (order[n.kind], n.key))
    bands.sort(key=lambda b: (order[b.source.kind], b.source.key, b.target.key, b.donor_id))
    return SankeyData(nodes, bands, not_drawn)


@pytest.fixture(scope="module")
def generated() -> Snapshot:
    return build_snapshot(synthesize(300, seed=3), "generated-3")


def _some_filters(snap: Snapshot) -> list[Filters]:
    donor = snap.table("funding_flows")["from_org_id"].value_counts().index[0]
    sdg = int(snap.table("project_sdgs")["goal"].value_counts().index[0])
    region = str(snap.sites["region_code"].value_counts().index[0])
    return [Filters(), Filters(donors=(donor,)), Filters(sdgs=(sdg,)),
            Filters(regions=(region,)), Filters(years=(2016, 2019)),
            Filters(donors=(donor,), regions=(region, "KAZ011"))]


@pytest.mark.parametrize("currency", ["EUR", "KZT", "USD"])
def test_sankey_and_legs_agree_with_the_row_by_row_reference(generated: Snapshot,
                                                             currency: str) -> None:
    for filters in _some_filters(generated):
        assert sankey_data(generated, filters, currency) == _ref_sankey(generated, filters,
                                                                        currency), filters
        assert flow_legs(generated, filters, currency) == _ref_flow_legs(generated, filters,
                                                                         currency), filters


def test_sankey_and_legs_do_not_scan_whole_columns_per_project(
        generated: Snapshot, monkeypatch: pytest.MonkeyPatch) -> None:
    sankey_data(generated, Filters())
    flow_legs(generated, Filters())  # the lookups are built once per snapshot
    scans = ColumnScans(monkeypatch)
    sankey_data(generated, Filters())
    flow_legs(generated, Filters())
    assert scans.count < len(generated.table("projects")) / 2


# --- a Sankey folded to what a reader can follow ----------------------------------------------


def _column_totals(data: SankeyData) -> dict[str, float]:
    sums: dict[str, float] = defaultdict(float)
    for b in data.bands:
        sums[f"{b.source.kind}>{b.target.kind}"] += b.figure.value or 0.0
    return dict(sums)


def test_folding_keeps_every_amount_and_at_most_keep_plus_one_nodes_a_column(
        generated: Snapshot) -> None:
    data = sankey_data(generated, Filters(), "EUR")
    folding = fold_sankey(data, keep=5)
    kinds = defaultdict(list)
    for n in folding.data.nodes:
        kinds[n.kind].append(n.key)
    assert len([n for n in data.nodes if n.kind == "donor"]) > 6  # there is something to fold
    assert all(len(keys) <= 6 for keys in kinds.values())
    assert kinds["donor"][-1] == OTHERS
    assert sum(folding.folded.values()) == len(data.nodes) - len(folding.data.nodes) + len(
        folding.folded)
    before, after = _column_totals(data), _column_totals(folding.data)
    assert before.keys() == after.keys()
    for key, value in before.items():
        assert after[key] == pytest.approx(value)
    # The largest donor keeps its name and its own bands.
    largest = max((n for n in data.nodes if n.kind == "donor"),
                  key=lambda n: sum(b.figure.value or 0 for b in data.bands if b.source == n))
    assert largest in folding.data.nodes
    # Merged bands keep the weakest qualifier of what they merge, and every project.
    merged = [b for b in folding.data.bands if b.source == SankeyNode("donor", OTHERS)]
    assert {p for b in merged for p in b.project_ids} == {
        p for b in data.bands if b.source.kind == "donor" and b.source not in folding.data.nodes
        for p in b.project_ids}


def test_folding_a_small_sankey_changes_nothing(snap: Snapshot) -> None:
    data = sankey_data(snap, Filters(), "EUR")
    folding = fold_sankey(data)
    assert folding.data == data and folding.folded == {}


def test_a_view_with_no_projects_has_no_legs_and_no_bands(snap: Snapshot) -> None:
    nothing = Filters(years=(1900, 1900))
    assert matching_projects(snap, nothing) == []
    legs = flow_legs(snap, nothing)
    assert legs.legs == [] and legs.unplaced == []
    bands = sankey_data(snap, nothing)
    assert bands.bands == [] and bands.nodes == []
