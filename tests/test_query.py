from __future__ import annotations

import pytest

from atlas.figures import Figure, total
from atlas.model import Qualifier
from atlas.query import (
    Filters,
    counted_flows,
    donor_ids,
    matching_projects,
    project_funding,
    region_totals,
    site_shares,
    summarize,
)
from atlas.snapshot import Snapshot


def test_money_counted_once_at_the_top_of_the_chain(snap: Snapshot) -> None:
    counted = {c.flow_id for c in counted_flows(snap, "eu-tald-east-central")}
    # ARGO's 12 mln KZT to entrepreneurs is paid out of the EU grant: not counted again.
    assert counted == {"f-eca-eu", "f-eca-cofinancing"}
    assert project_funding(snap, "eu-tald-east-central").value == 470_000


def test_donor_filter_counts_at_the_highest_selected_flow(snap: Snapshot) -> None:
    # MISD -> CISC -> Zhaiyk tany -> 5 NGOs: choosing both MISD and CISC counts MISD only.
    both = counted_flows(snap, "wko-rural-ngo-capacity", ("misd", "cisc"))
    assert [c.flow_id for c in both] == ["f-wko-ministry"]
    only_cisc = counted_flows(snap, "wko-rural-ngo-capacity", ("cisc",))
    assert [c.flow_id for c in only_cisc] == ["f-wko-state-grant"]


def test_unknown_amount_is_bounded_below_by_what_it_pays_on(snap: Snapshot) -> None:
    funding = project_funding(snap, "wko-rural-ngo-capacity", (), "KZT")
    assert funding.qualifier is Qualifier.AT_LEAST
    assert funding.value == pytest.approx(5 * 570_000)
    assert project_funding(snap, "efca-public-spaces") == Figure.unknown()


def test_region_totals_add_up_without_double_counting(snap: Snapshot) -> None:
    everything = summarize(snap, Filters())
    regions = everything.regions
    assert total(regions["funding"]).value == pytest.approx(everything.funding.value)
    per_project = total(project_funding(snap, p) for p in everything.project_ids)
    assert per_project.value == pytest.approx(everything.funding.value)
    assert regions["sites"].sum() == everything.sites == 21


def test_equal_split_across_sites(snap: Snapshot) -> None:
    shares = site_shares(snap, ["eu-tald-east-central"], ("eu",))
    assert len(shares) == 10
    assert all(f.value == pytest.approx(42_000) for f in shares["funding"])
    assert all(r.value == pytest.approx(300) and r.qualifier is Qualifier.APPROXIMATE
               for r in shares["reach"])
    by_region = region_totals(shares).set_index("code")
    assert by_region.at["KAZ008", "funding"].value == pytest.approx(210_000)


def test_reach_stated_for_some_sites_goes_only_to_them(snap: Snapshot) -> None:
    shares = site_shares(snap, ["efca-public-spaces"]).set_index("site_id")
    assert shares.at["s-ps-fort-shevchenko", "reach"].value == pytest.approx(1800)
    assert shares.at["s-ps-kuryk", "reach"] == Figure.unknown()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), 5),
        (Filters(donors=("eu",)), 3),
        (Filters(donors=("tco",)), 1),
        (Filters(sdgs=(11,)), 2),
        (Filters(sdgs=(8,)), 2),
        (Filters(regions=("KAZ014",)), 2),
        (Filters(regions=("KAZ006",)), 0),
        (Filters(implementers=("argo",)), 2),
        (Filters(years=(2023, 2025)), 1),
        (Filters(years=(2017, 2018)), 3),
        (Filters(statuses=("completed",)), 2),
        (Filters(donors=("eu",), sdgs=(8,)), 2),
    ],
)
def test_filters(snap: Snapshot, filters: Filters, expected: int) -> None:
    assert len(matching_projects(snap, filters)) == expected


def test_region_filter_limits_totals_to_the_region(snap: Snapshot) -> None:
    karaganda = summarize(snap, Filters(regions=("KAZ011",)))
    assert set(karaganda.project_ids) == {"glocal", "eu-tald-east-central"}
    assert karaganda.funding.value == pytest.approx(428_000 / 2 + 470_000 / 2)
    assert karaganda.sites == 6


def test_people_reached_says_at_least_when_unknowns_are_included(snap: Snapshot) -> None:
    s = summarize(snap, Filters())
    assert s.people_reached.value == pytest.approx(3000 + 5400)
    assert s.people_reached.qualifier is Qualifier.AT_LEAST


def test_donor_choices_are_real_funders(snap: Snapshot) -> None:
    assert donor_ids(snap) == ["akimats-mangystau", "cisc", "eu", "misd", "tco"]
