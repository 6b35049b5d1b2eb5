from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import pandas as pd
import pytest

from atlas import query
from atlas.dataset import split_ids
from atlas.figures import Figure, total
from atlas.model import Qualifier
from atlas.query import (
    FUNDING_ROLES,
    IMPLEMENTING_ROLES,
    CountedFlow,
    Filters,
    counted_flows,
    donor_ids,
    filtered_site_shares,
    flow_conversion,
    matching_projects,
    primary_donor,
    project_flows,
    project_funding,
    project_reach,
    project_years,
    region_totals,
    site_shares,
    summarize,
)
from atlas.snapshot import Snapshot, build_snapshot
from atlas.synth import synthesize
from tests.pointless import (
    NATIONAL_PROJECT,
    NATIONAL_SITE,
    REGION_CODE,
    REGION_PROJECT,
    REGION_SITE,
    pointless_snapshot,
)
from tests.scans import ColumnScans


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
    assert regions["sites"].sum() == everything.sites == 26


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


# --- agreement with a row-by-row reference on a generated data set ---------------------------
# The query layer works on whole columns and per-snapshot indexes. The reference below is the
# straightforward computation it replaced (one project at a time, filtering whole tables): on
# a generated data set both must give the same projects, shares, totals and flows, to the bit.

def _ref_project_flows(snap: Snapshot, project_id: str, currency: str) -> list[CountedFlow]:
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


def _ref_counted_flows(snap: Snapshot, project_id: str, donors: Sequence[str],
                       currency: str) -> list[CountedFlow]:
    flows = _ref_project_flows(snap, project_id, currency)
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


def _ref_project_funding(snap: Snapshot, project_id: str, donors: Sequence[str],
                         currency: str) -> Figure:
    flows = _ref_counted_flows(snap, project_id, donors, currency)
    return total(f.figure for f in flows) if flows else Figure.unknown()


def _ref_reach_results(snap: Snapshot, project_id: str) -> pd.DataFrame:
    results = snap.table("results")
    return results.loc[(results["project_id"] == project_id) & results["counts_as_reach"]
                       & (results["parent_result_id"] == "")]


def _ref_project_reach(snap: Snapshot, project_id: str) -> Figure:
    rows = _ref_reach_results(snap, project_id)
    return total(Figure.of(r.value, r.qualifier, r.basis) for r in rows.itertuples()) \
        if len(rows) else Figure.unknown()


def _ref_matching_projects(snap: Snapshot, filters: Filters) -> list[str]:
    projects = snap.table("projects")
    parts = snap.table("participants")
    flows = snap.table("funding_flows")
    keep = set(projects["project_id"])
    if filters.projects:
        keep &= set(filters.projects)
    if filters.donors:
        by_role = parts.loc[parts["role"].isin(FUNDING_ROLES)
                            & parts["org_id"].isin(filters.donors), "project_id"]
        by_flow = flows.loc[flows["from_org_id"].isin(filters.donors), "project_id"]
        keep &= set(by_role) | set(by_flow)
    if filters.sdgs:
        sdgs = snap.table("project_sdgs")
        keep &= set(sdgs.loc[sdgs["goal"].isin(filters.sdgs), "project_id"])
    if filters.regions:
        keep &= set(snap.sites.loc[snap.sites["region_code"].isin(filters.regions),
                                   "project_id"])
    if filters.implementers:
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
    return [pid for pid in projects.sort_values("title_en")["project_id"] if pid in keep]


def _ref_site_shares(snap: Snapshot, project_ids: Sequence[str], donors: Sequence[str],
                     currency: str) -> list[dict[str, Any]]:
    sites = snap.sites
    rows = []
    for pid in project_ids:
        project_sites = sites.loc[sites["project_id"] == pid]
        if project_sites.empty:
            continue
        n = len(project_sites)
        funding = _ref_project_funding(snap, pid, donors, currency).scaled(1 / n, split=True)
        reach_shares: dict[str, list[Figure]] = defaultdict(list)
        for r in _ref_reach_results(snap, pid).itertuples():
            applies = split_ids(r.site_ids) or list(project_sites["site_id"])
            share = Figure.of(r.value, r.qualifier, r.basis).scaled(1 / len(applies), split=True)
            for sid in applies:
                reach_shares[sid].append(share)
        for s in project_sites.itertuples():
            reach = total(reach_shares[s.site_id]) if reach_shares.get(s.site_id) \
                else Figure.unknown()
            rows.append({"site_id": s.site_id, "project_id": pid, "region_code": s.region_code,
                         "funding": funding, "reach": reach, "sites_in_project": n})
    return rows


def _ref_region_totals(shares: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in shares:
        groups[s["region_code"]].append(s)
    return [{"code": code,
             "projects": len({s["project_id"] for s in group}),
             "sites": len(group),
             "funding": total(s["funding"] for s in group),
             "reach": total(s["reach"] for s in group)}
            for code, group in sorted(groups.items())]


def _ref_summary(snap: Snapshot, filters: Filters, currency: str) -> dict[str, Any]:
    project_ids = _ref_matching_projects(snap, filters)
    shares = _ref_site_shares(snap, project_ids, filters.donors, currency)
    if filters.regions:
        shares = [s for s in shares if s["region_code"] in filters.regions]
        project_ids = [p for p in project_ids if p in {s["project_id"] for s in shares}]
    parts = snap.table("participants")
    return {
        "project_ids": project_ids,
        "shares": shares,
        "sites": len(shares),
        "organizations": len(set(parts.loc[parts["project_id"].isin(project_ids), "org_id"])),
        "funding": total(s["funding"] for s in shares) if shares else Figure.unknown(),
        "reach": total(s["reach"] for s in shares) if shares else Figure.unknown(),
        "regions": _ref_region_totals(shares),
        "flows": [f for pid in project_ids
                  for f in _ref_counted_flows(snap, pid, filters.donors, currency)],
    }


_GENERATED: dict[int, Snapshot] = {}


def _generated(seed: int) -> Snapshot:
    if seed not in _GENERATED:
        _GENERATED[seed] = build_snapshot(synthesize(300, seed=seed), f"generated-{seed}")
    return _GENERATED[seed]


@pytest.fixture(scope="module", params=[0, 2])
def generated(request: pytest.FixtureRequest) -> Snapshot:
    return _generated(request.param)


def _generated_filters(snap: Snapshot) -> list[Filters]:
    """Filters that pick real parts of a generated set: its busiest donor, SDG and so on."""
    parts = snap.table("participants")
    flows = snap.table("funding_flows")
    donor = flows["from_org_id"].value_counts().index[0]
    second = sorted(set(donor_ids(snap)) - {donor})[0]
    sdg = int(snap.table("project_sdgs")["goal"].value_counts().index[0])
    region = str(snap.sites["region_code"].value_counts().index[0])
    implementer = str(parts.loc[parts["role"] == "lead", "org_id"].value_counts().index[0])
    some = tuple(snap.table("projects")["project_id"].iloc[::7])
    return [
        Filters(),
        Filters(donors=(donor,)),
        Filters(donors=(donor, second)),
        Filters(sdgs=(sdg,)),
        Filters(regions=(region,)),
        Filters(years=(2018, 2020)),
        Filters(implementers=(implementer,)),
        Filters(statuses=("ongoing",)),
        Filters(projects=some),
        Filters(donors=(donor,), sdgs=(sdg,), regions=(region, "KAZ011"), years=(2015, 2024)),
    ]


def _share_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{**r, "sites_in_project": int(r["sites_in_project"])}
            for r in frame.to_dict("records")]


@pytest.mark.parametrize(("seed", "currency"),
                         [(0, "EUR"), (0, "KZT"), (0, "USD"), (2, "KZT")])
def test_summary_agrees_with_the_row_by_row_reference(seed: int, currency: str) -> None:
    generated = _generated(seed)
    for filters in _generated_filters(generated):
        expected = _ref_summary(generated, filters, currency)
        got = summarize(generated, filters, currency)
        assert got.project_ids == expected["project_ids"], filters
        assert (got.sites, got.organizations) == (expected["sites"], expected["organizations"])
        # Figures compare value (exactly), qualifier and derived flag.
        assert got.funding == expected["funding"], filters
        assert got.people_reached == expected["reach"], filters
        assert got.regions.to_dict("records") == expected["regions"], filters
        assert got.flows == expected["flows"], filters
        shares = filtered_site_shares(generated, filters, currency)
        assert _share_records(shares) == expected["shares"], filters
        assert region_totals(shares).to_dict("records") == expected["regions"], filters


def test_generated_sets_exercise_every_qualifier() -> None:
    # The agreement tests mean little unless shares of every kind were compared, over the sets
    # they run on together (an exact share is rare: a project of one site with a stated budget).
    seen: set[Qualifier] = set()
    for seed in (0, 2):
        shares = filtered_site_shares(_generated(seed), Filters(), "KZT")
        seen |= {f.qualifier for f in (*shares["funding"], *shares["reach"])}
        reach = shares["reach"]
        assert any(f.derived for f in reach) and any(not f.derived for f in reach)
    assert {Qualifier.EXACT, Qualifier.DERIVED, Qualifier.APPROXIMATE, Qualifier.AT_LEAST,
            Qualifier.UNKNOWN} <= seen


@pytest.mark.parametrize("currency", ["EUR", "KZT", "USD"])
def test_project_figures_agree_with_the_row_by_row_reference(generated: Snapshot,
                                                             currency: str) -> None:
    donors = tuple(donor_ids(generated)[:3])
    for pid in generated.table("projects")["project_id"]:
        assert project_flows(generated, pid, currency) == _ref_project_flows(generated, pid,
                                                                             currency)
        for chosen in ((), donors):
            assert counted_flows(generated, pid, chosen, currency) == \
                _ref_counted_flows(generated, pid, chosen, currency)
            assert project_funding(generated, pid, chosen, currency) == \
                _ref_project_funding(generated, pid, chosen, currency)
        assert project_reach(generated, pid) == _ref_project_reach(generated, pid)


def test_primary_donor_agrees_with_the_row_by_row_reference(generated: Snapshot) -> None:
    donors = set(donor_ids(generated))
    parts = generated.table("participants")
    for pid in generated.table("projects")["project_id"]:
        flows = [f for f in _ref_counted_flows(generated, pid, (), "EUR")
                 if f.from_org_id in donors]
        if flows:
            expected = max(flows, key=lambda f: (f.figure.value or 0, f.from_org_id)).from_org_id
        else:
            funders = parts.loc[(parts["project_id"] == pid) & parts["org_id"].isin(donors)]
            expected = None if funders.empty else str(funders["org_id"].iloc[0])
        assert primary_donor(generated, pid) == expected


def test_flows_are_converted_once_per_snapshot_and_currency(
        generated: Snapshot, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each view used to convert and walk every project's flows again: the work of a page grew
    # with (projects x views). Now the snapshot keeps them, per display currency.
    fresh = build_snapshot({name: generated.table(name) for name in generated.tables}, "fresh")
    calls = []
    real = query.flow_conversion
    monkeypatch.setattr(query, "flow_conversion",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    for filters in (Filters(), Filters(sdgs=(16,)), Filters()):
        summarize(fresh, filters, "KZT")
    assert len(calls) == len(fresh.table("funding_flows"))


def test_summary_does_not_scan_whole_columns_per_project(
        generated: Snapshot, monkeypatch: pytest.MonkeyPatch) -> None:
    summarize(generated, Filters())  # the indexes are built once per snapshot
    scans = ColumnScans(monkeypatch)
    summarize(generated, Filters())
    summarize(generated, Filters(regions=("KAZ011",)))
    site_shares(generated, list(generated.table("projects")["project_id"]))
    assert scans.count < len(generated.table("projects")) / 2


# --- sites without a point ----------------------------------------------------------------------


def test_a_whole_region_site_counts_for_its_region_and_a_nationwide_one_for_none() -> None:
    snap = pointless_snapshot()
    karaganda = Filters(regions=(REGION_CODE,))
    assert REGION_PROJECT in matching_projects(snap, karaganda)
    shares = filtered_site_shares(snap, karaganda)
    assert REGION_SITE in set(shares["site_id"]) and NATIONAL_SITE not in set(shares["site_id"])
    for code in pointless_snapshot().regions["code"]:
        in_region = filtered_site_shares(snap, Filters(regions=(code,)))
        assert NATIONAL_SITE not in set(in_region["site_id"])
    summary = query.summarize(snap, Filters())
    regions = summary.regions.set_index("code")
    assert "" not in regions.index and None not in regions.index
    assert int(regions["sites"].sum()) == summary.sites - 1  # the nationwide site: no region
    # The nationwide site alone is in no region: a region filter never finds its project by it.
    assert query.summarize(snap, Filters(regions=("",))).sites == 0


def test_sites_without_a_point_leave_the_totals_as_they_were(snap: Snapshot) -> None:
    with_them = pointless_snapshot()
    for filters in (Filters(), Filters(donors=("eu",)), Filters(projects=(NATIONAL_PROJECT,))):
        before = query.summarize(snap, filters, "EUR")
        after = query.summarize(with_them, filters, "EUR")
        assert after.funding.value == pytest.approx(before.funding.value)
        assert after.funding.qualifier == before.funding.qualifier
        assert after.people_reached.value == pytest.approx(before.people_reached.value)
        assert after.project_ids == before.project_ids
    # The project's money is split over one more site, and still adds up to it once.
    shares = filtered_site_shares(with_them, Filters(projects=(NATIONAL_PROJECT,)))
    assert total(shares["funding"]).value == pytest.approx(
        query.project_funding(with_them, NATIONAL_PROJECT).value)


# --- the numbers beside filter choices ------------------------------------------------------

def _choices(snap: Snapshot) -> dict[str, list[Any]]:
    """Every choice of each filter list, and one no data has."""
    index = query.project_index(snap)
    known = [y for y in (*index.start, *index.end) if y == y]
    return {
        "donors": donor_ids(snap) + ["no-such-donor"],
        "sdgs": [int(g) for g in snap.table("sdgs")["goal"]],
        "regions": sorted(set(snap.sites["region_code"]) - {""}) + ["KAZ999"],
        "implementers": query.implementer_ids(snap),
        "statuses": sorted(set(snap.table("projects")["status"])) + ["no-such-status"],
        "years": list(range(int(min(known)) - 1, int(max(known)) + 2)),
    }


def _brute_choice_counts(snap: Snapshot, filters: Filters) -> dict[str, dict[Any, int]]:
    """``choice_counts`` the slow way: ``matching_projects`` once per choice."""
    from dataclasses import replace

    out: dict[str, dict[Any, int]] = {}
    for facet, options in _choices(snap).items():
        out[facet] = {choice: len(matching_projects(snap, replace(
            filters, **{facet: (choice, choice) if facet == "years" else (choice,)})))
            for choice in options}
    return out


def _fast_choice_counts(snap: Snapshot, filters: Filters) -> dict[str, dict[Any, int]]:
    counts = query.choice_counts(snap, filters)
    return {facet: {c: counts[facet].get(c, 0) for c in options}
            for facet, options in _choices(snap).items()}


@pytest.mark.parametrize("seed", [3, 4])
def test_choice_counts_match_a_brute_force_count(seed: int) -> None:
    snap = _generated(seed)
    donors = donor_ids(snap)
    regions = sorted(set(snap.sites["region_code"]) - {""})
    views = [
        Filters(),
        Filters(donors=(donors[0],)),
        Filters(donors=tuple(donors[:2]), sdgs=(4, 8), regions=(regions[0],)),
        Filters(regions=tuple(regions[:3]), years=(2019, 2021), statuses=("ongoing",)),
        Filters(sdgs=(5,), implementers=(query.implementer_ids(snap)[0],), years=(2015, 2030)),
    ]
    for filters in views:
        assert _fast_choice_counts(snap, filters) == _brute_choice_counts(snap, filters), filters


def test_choice_counts_on_the_bundled_data(snap: Snapshot) -> None:
    filters = Filters(donors=("eu",), sdgs=(5,))
    assert _fast_choice_counts(snap, filters) == _brute_choice_counts(snap, filters)
    # A facet's own choice does not narrow its own counts: other goals are still counted.
    assert len(query.choice_counts(snap, Filters(sdgs=(5,)))["sdgs"]) > 1
