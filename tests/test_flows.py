"""Flow legs and Sankey bands follow the same chains as the totals (atlas.flows)."""

from __future__ import annotations

import pytest

from atlas.dataset import DataSet
from atlas.figures import total
from atlas.flows import (
    KAZAKHSTAN_BOX,
    _enter_box,
    band_filters,
    flow_legs,
    org_anchor,
    sankey_data,
)
from atlas.model import Qualifier
from atlas.query import Filters, implementer_ids, summarize
from atlas.snapshot import Snapshot, build_snapshot


def test_anchor_is_home_in_kazakhstan_entry_point_or_map_edge(snap: Snapshot) -> None:
    argo = org_anchor(snap, "argo")
    assert argo and argo.how == "home" and argo.place_id == "almaty"
    eu = org_anchor(snap, "eu")
    assert eu and eu.how == "entry" and eu.place_id == "astana"
    assert (eu.lon, eu.lat) == (71.44598, 51.1801)
    # FLGR has no office here: it enters at the western edge, on the line Sofia -> Almaty.
    flgr = org_anchor(snap, "flgr", toward=(argo.lon, argo.lat))
    assert flgr and flgr.how == "edge" and flgr.place_id == "sofia"
    assert flgr.lon == KAZAKHSTAN_BOX[0] and 42.6 < flgr.lat < 43.3
    assert org_anchor(snap, "cofunders-not-named") is None


def test_edge_point_is_where_the_line_enters_the_box() -> None:
    box = (0.0, 0.0, 10.0, 10.0)
    assert _enter_box((-10.0, 5.0), (5.0, 5.0), box) == (0.0, 5.0)
    assert _enter_box((5.0, 20.0), (5.0, 5.0), box) == (5.0, 10.0)
    assert _enter_box((-10.0, -10.0), (5.0, 5.0), box) == (0.0, 0.0)


def test_eu_legs_reach_its_fourteen_sites_with_its_whole_money(snap: Snapshot) -> None:
    legs = flow_legs(snap, Filters(donors=("eu",)), "EUR").legs
    funding = [leg for leg in legs if leg.kind == "funding"]
    assert sorted(leg.flow_id for leg in funding) == ["f-abd-eu", "f-eca-eu", "f-glocal-eu"]
    assert all(leg.donor_id == "eu" and leg.start.how == "entry" for leg in funding)
    sites = [leg for leg in legs if leg.kind == "site"]
    assert len(sites) == 14 and {leg.donor_id for leg in sites} == {"eu"}
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
