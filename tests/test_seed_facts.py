"""The figures of the five source documents, as the atlas must show them."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas.figures import Figure
from atlas.query import Filters, project_funding, project_reach, summarize
from atlas.snapshot import Snapshot


def result(snap: Snapshot, result_id: str) -> pd.Series:
    rows = snap.table("results").set_index("result_id")
    return rows.loc[result_id]


def project(snap: Snapshot, project_id: str) -> pd.Series:
    return snap.table("projects").set_index("project_id").loc[project_id]


def flow(snap: Snapshot, flow_id: str) -> pd.Series:
    return snap.table("funding_flows").set_index("flow_id").loc[flow_id]


def test_glocal_eu_grant_of_budget(snap: Snapshot) -> None:
    p = project(snap, "glocal")
    assert (p.budget_amount, p.budget_currency, p.budget_qualifier) == (428_000, "EUR", "exact")
    assert p.start == "2024-04-15"
    eu = flow(snap, "f-glocal-eu")
    assert (eu.from_org_id, eu.amount, eu.currency, eu.qualifier) == ("eu", 400_000, "EUR",
                                                                        "exact")
    assert project_funding(snap, "glocal", ("eu",)) == Figure(400_000)


def test_east_central_project_card(snap: Snapshot) -> None:
    p = project(snap, "eu-tald-east-central")
    assert p.contract_number == "CSO-LA/2016/382-029"
    assert (p.start, p.end) == ("2017-02", "2020-01")
    assert p.budget_amount == 470_000 and flow(snap, "f-eca-eu").amount == 420_000
    expected = {
        "r-eca-trained-planning": (60, "exact"),
        "r-eca-plans": (10, "exact"),
        "r-eca-stakeholders": (300, "at_least"),  # "300-ден астам": more than 300
        "r-eca-plans-implemented": (40, "exact"),
        "r-eca-trained-business": (50, "exact"),
        "r-eca-entrepreneurs": (11, "exact"),
        "r-eca-entrepreneurs-amount": (12_000_000, "exact"),
        "r-eca-service-users": (3000, "approximate"),  # "шамамен 3000"
        "r-eca-su-single-mothers": (400, "approximate"),  # "400-ге жуық"
        "r-eca-su-pensioners": (800, "exact"),
        "r-eca-su-unemployed": (300, "exact"),
        "r-eca-su-disabled": (150, "exact"),
        "r-eca-study-tour": (8, "exact"),
        "r-eca-info-events": (8, "exact"),
    }
    for rid, (value, qualifier) in expected.items():
        r = result(snap, rid)
        assert (r.value, r.qualifier) == (value, qualifier), rid
    assert result(snap, "r-eca-plans-implemented").unit == "percent"
    assert result(snap, "r-eca-entrepreneurs-amount").unit == "KZT"
    children = snap.table("results").query("parent_result_id == 'r-eca-service-users'")
    assert len(children) == 4


def test_joint_eu_figures_and_derived_mangystau_share(snap: Snapshot) -> None:
    for rid, value, qualifier in [("r-eu-joint-plans", 23, "exact"),
                                  ("r-eu-joint-discussions", 90, "approximate"),
                                  ("r-eu-joint-entrepreneurs", 33, "exact"),
                                  ("r-eu-joint-amount", 32_000_000, "at_least")]:
        r = result(snap, rid)
        assert (r.value, r.qualifier, r.joint_project_ids) == (value, qualifier,
                                                               "auyldy-birlese-damytu")
    p = project(snap, "auyldy-birlese-damytu")
    assert (p.budget_amount, p.budget_qualifier) == (458_412, "derived")
    assert "928,412" in p.budget_basis and "470,000" in p.budget_basis
    eu = flow(snap, "f-abd-eu")
    assert (eu.amount, eu.qualifier) == (412_570, "derived") and "832,570" in eu.basis
    assert result(snap, "r-abd-entrepreneurs").value == 22
    amount = result(snap, "r-abd-entrepreneurs-amount")
    assert (amount.value, amount.qualifier) == (20_000_000, "at_least") and amount.basis


def test_west_kazakhstan_small_grants_and_unknown_budget(snap: Snapshot) -> None:
    p = project(snap, "wko-rural-ngo-capacity")
    assert p.budget_qualifier == "unknown" and pd.isna(p.budget_amount)  # unknown, never 0
    assert result(snap, "r-wko-small-grants").value == 5
    assert result(snap, "r-wko-grant-size").value == 570_000
    grants = flow(snap, "f-wko-small-grants")
    assert (grants.amount, grants.qualifier) == (2_850_000, "derived")
    assert grants.status == "planned"
    chain = snap.table("funding_flows").query("project_id == 'wko-rural-ngo-capacity'")
    assert set(zip(chain.from_org_id, chain.to_org_id, strict=True)) == {
        ("misd", "cisc"), ("cisc", "zhaiyk-tany"), ("zhaiyk-tany", "rural-ngos-wko")}


def test_public_spaces_both_stages(snap: Snapshot) -> None:
    p = project(snap, "efca-public-spaces")
    assert p.budget_qualifier == "unknown" and p.start == "2018-09"
    assert len(snap.table("phases").query("project_id == 'efca-public-spaces'")) == 2
    for rid, value, phase in [("r-ps-mini-projects-1", 10, 1), ("r-ps-participants-1", 350, 1),
                              ("r-ps-beneficiaries", 5400, 1), ("r-ps-applications-1", 17, 1),
                              ("r-ps-applications-2", 53, 2), ("r-ps-mini-projects-2", 18, 2)]:
        r = result(snap, rid)
        assert (r.value, r.qualifier, r.phase) == (value, "exact", phase), rid
    sites = set(snap.sites.query("project_id == 'efca-public-spaces'")["name_en"])
    assert sites == {"Fort-Shevchenko", "Bautino", "Borankul", "Kuryk"}
    assert project_reach(snap, "efca-public-spaces") == Figure(5400)


def test_every_project_has_sources_sdgs_sites_and_trilingual_titles(snap: Snapshot) -> None:
    projects = snap.table("projects")
    assert set(projects.project_id) == {"glocal", "eu-tald-east-central",
                                        "auyldy-birlese-damytu", "wko-rural-ngo-capacity",
                                        "efca-public-spaces"}
    sdgs = snap.table("project_sdgs")
    for p in projects.itertuples():
        assert p.source_ids and p.title_en and p.title_ru and p.title_kk
        assert not sdgs.query("project_id == @p.project_id").empty
        assert all(sdgs.query("project_id == @p.project_id").rationale.str.len() > 20)
        assert not snap.sites.query("project_id == @p.project_id").empty


def test_every_site_lies_in_its_stated_region(snap: Snapshot) -> None:
    mismatched = snap.sites.loc[snap.sites.computed_region != snap.sites.region_code]
    assert mismatched.empty, mismatched[["site_id", "region_code", "computed_region"]]


def test_no_invented_points(snap: Snapshot) -> None:
    """Places without a verified point sit at their district centre and say so."""
    sites = snap.sites.set_index("site_id")
    for sid in ["s-glocal-kamystybas", "s-ps-borankul", "s-eca-kozhokhovo", "s-eca-zharaspai"]:
        assert sites.at[sid, "precision"] == "district_centre"
        assert "No verified point" in sites.at[sid, "location_basis"]
    assert sites.at["s-ps-borankul", "lon"] == pytest.approx(55.2)  # Beineu, not the lead


def test_eu_donor_view_matches_the_sources(snap: Snapshot) -> None:
    s = summarize(snap, Filters(donors=("eu",)))
    assert s.funding.value == pytest.approx(400_000 + 420_000 + 412_570)  # = 400,000 + 832,570
    assert set(s.project_ids) == {"glocal", "eu-tald-east-central", "auyldy-birlese-damytu"}
    by_region = {r.code: r.funding.value for r in s.regions.itertuples()}
    assert by_region == pytest.approx({"KAZ011": 410_000, "KAZ008": 210_000,
                                       "KAZ013": 200_000, "KAZ014": 412_570})


# --- issue 14: what the data adds on top of the sources, said as such -----------------------

def _site(snap: Snapshot, site_id: str) -> pd.Series:
    return snap.sites.set_index("site_id").loc[site_id]


def test_auyldy_birlese_damytu_has_the_seven_pilot_villages_of_the_release(
        snap: Snapshot) -> None:
    sites = snap.sites.loc[snap.sites.project_id == "auyldy-birlese-damytu"]
    assert set(sites.name_en) == {"Batyr", "Bayandy", "Kyzyltobe", "Mangystau", "Akshukur",
                                  "Bautino", "Fort-Shevchenko"}
    assert set(sites.region_code) == set(sites.computed_region) == {"KAZ014"}
    assert set(sites.loc[sites.district_en == "Munaily", "name_en"]) == {
        "Batyr", "Bayandy", "Kyzyltobe", "Mangystau"}
    mangystau = _site(snap, "s-abd-mangystau")
    assert mangystau.precision == "settlement" and "geonameid=608880" in mangystau.location_basis
    for sid, centre in (("s-abd-batyr", "Mangystau"), ("s-abd-bayandy", "Mangystau"),
                        ("s-abd-kyzyltobe", "Mangystau"), ("s-abd-akshukur", "Fort-Shevchenko")):
        s = _site(snap, sid)
        assert s.precision == "district_centre", sid
        assert f"centre of its district, {centre}" in s.location_basis, sid
        assert s.location_basis_ru and s.location_basis_kk and s.note_ru and s.note_kk
    source = snap.table("sources").set_index("source_id").loc["eeas-mangystau-2018"]
    assert "eeas.europa.eu" in source.note and "Mangistau region" in source.note
    assert "not recorded" in source.note  # no invented address


def test_more_sites_split_the_same_money_in_equal_shares(snap: Snapshot) -> None:
    s = summarize(snap, Filters(regions=("KAZ014",)))
    assert s.funding.value == pytest.approx(458_412)  # the project's budget, as before
    from atlas.query import filtered_share_columns, matching_projects
    f = Filters(projects=("auyldy-birlese-damytu",))
    shares = filtered_share_columns(snap, f, "EUR", matching_projects(snap, f))
    assert len(shares.site_ids) == 7
    assert {round(float(v), 2) for v in shares.funding.value} == {round(458_412 / 7, 2)}


INFERRED_ROLES = {("auyldy-birlese-damytu", "civil-alliance-mangystau", "lead"),
                  ("eu-tald-east-central", "argo", "lead"),
                  ("wko-rural-ngo-capacity", "zhaiyk-tany", "lead"),
                  ("wko-rural-ngo-capacity", "misd", "funder")}
INFERRED_ROUTES = {"f-abd-eu", "f-abd-cofinancing", "f-abd-entrepreneurs", "f-eca-eu",
                   "f-eca-cofinancing", "f-eca-entrepreneurs", "f-wko-state-grant",
                   "f-wko-small-grants", "f-wko-ministry"}


def test_inferred_roles_and_routes_are_marked_with_their_reason(snap: Snapshot) -> None:
    parts = snap.table("participants")
    inferred = parts.loc[parts.role_qualifier == "inferred"]
    assert set(zip(inferred.project_id, inferred.org_id, inferred.role, strict=True)) \
        == INFERRED_ROLES
    assert set(parts.role_qualifier) == {"stated", "inferred"}
    flows = snap.table("funding_flows")
    assert set(flows.loc[flows.route_qualifier == "inferred", "flow_id"]) == INFERRED_ROUTES
    for frame, basis in ((inferred, "role_basis"),
                         (flows.loc[flows.route_qualifier == "inferred"], "route_basis")):
        for lang in ("", "_ru", "_kk"):
            assert (frame[basis + lang] != "").all(), basis + lang
    assert "support of" in flows.set_index("flow_id").at["f-wko-ministry", "route_basis"]


def test_argo_lives_in_astana_by_its_phone_code_and_assumptions_stay_assumed(
        snap: Snapshot) -> None:
    orgs = snap.table("organizations").set_index("org_id")
    assert orgs.at["argo", "home_place_id"] == "astana"
    assert "7172" in orgs.at["argo", "home_basis"] and "7172" in orgs.at["argo", "home_basis_ru"]
    for org in ("civil-alliance-mangystau", "zhaiyk-tany"):
        assert "assumed" in orgs.at[org, "home_basis"], org


def test_joint_budget_and_eu_share_have_their_own_rows_and_are_not_counted_twice(
        snap: Snapshot) -> None:
    budget, eu = result(snap, "r-eu-joint-budget"), result(snap, "r-eu-joint-eu-share")
    assert (budget.value, budget.unit, budget.qualifier) == (928_412, "EUR", "exact")
    assert (eu.value, eu.unit, eu.qualifier) == (832_570, "EUR", "exact")
    for r in (budget, eu):
        assert r.joint_project_ids == "auyldy-birlese-damytu" and not r.counts_as_reach
    s = summarize(snap, Filters())
    assert s.funding.value == pytest.approx(1_363_065.29, abs=0.01)  # as before the rows
    assert s.people_reached.value == 8_400


def test_card_shows_the_joint_budget_beside_the_derived_split(snap: Snapshot) -> None:
    from atlas.cards import project_card
    card = project_card(snap, "auyldy-birlese-damytu", "ru")
    joint = {r.label: r.value for r in card.results if r.joint_with}
    assert joint["Общий бюджет обоих проектов ЕС"] == "928\u00a0412 EUR"
    assert joint["Вклад ЕС в оба проекта ЕС"] == "832\u00a0570 EUR"
    assert card.budget.startswith("458\u00a0412")


def test_mangystau_plans_state_their_assumption_in_one_unit(snap: Snapshot) -> None:
    plans = result(snap, "r-abd-plans")
    assert (plans.value, plans.unit) == (13, "plans") and result(snap, "r-eca-plans").unit \
        == "plans"
    assert "one plan per village" in plans.basis
    assert "один план" in plans.basis_ru and "бір жоспар" in plans.basis_kk


def test_a_derived_lower_bound_says_both(snap: Snapshot) -> None:
    from atlas.cards import project_card
    r = result(snap, "r-abd-entrepreneurs-amount")
    figure = Figure.of(r.value, r.qualifier, r.basis)
    assert figure.qualifier == "at_least" and figure.derived
    card = project_card(snap, "auyldy-birlese-damytu", "ru")
    line = next(x for x in card.results if x.label.startswith("Сумма финансовой поддержки"))
    assert line.value == "не менее 20\u00a0000\u00a0000 KZT (расчёт)"
    assert line.note.startswith("рассчитано так: Более 32 млн KZT")


def test_small_slips_of_names_and_words(snap: Snapshot) -> None:
    assert _site(snap, "s-eca-pervomaisky").name_ru == "Первомайский сельский округ"
    orgs = snap.table("organizations").set_index("org_id")
    assert "Support of the Initiative\"" in orgs.at["support-initiative", "name_en"]
    assert "«Бастаманы қолдау»" in orgs.at["support-initiative", "name_kk"]
    facts = snap.table("context_facts").set_index("fact_id")
    six = facts.loc["c-wko-social-order-2018"]
    assert "in the source's words" in six.label_en and "5.3 times" in six.note
    assert "5,3 раза" in six.note_ru and "5,3 есе" in six.note_kk
    for fid in ("c-kz-rural-projects-2019", "c-kz-rural-villages-2019"):
        assert "inferred from the date of the conference" in facts.at[fid, "note"]
        assert facts.at[fid, "note_ru"] and facts.at[fid, "note_kk"]
