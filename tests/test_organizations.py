"""Organizations: roles, money given (counted once) and received, regions, search."""

from __future__ import annotations

from typing import Any

import pytest

from atlas.figures import Figure, format_figure, total
from atlas.listing import list_view, search
from atlas.model import Qualifier
from atlas.money import Conversion, RateTable
from atlas.organizations import (
    ORGANIZATION_SORTS,
    ROLE_GROUPS,
    filter_list,
    filter_profiles,
    in_role_group,
    organization_list,
    organization_profile,
    organization_profiles,
)
from atlas.query import Filters, counted_flows, flow_book, flow_conversion, summarize
from atlas.snapshot import Snapshot, build_snapshot
from atlas.synth import synthesize


def test_eu_gives_what_the_map_counts(snap: Snapshot) -> None:
    eu = organization_profile(snap, "eu", "en", "EUR")
    assert eu.kind == "multilateral_donor" and eu.roles == ("funder",)
    assert eu.gives.value == pytest.approx(1_232_570)
    assert eu.gives.is_known and eu.gives.qualifier is not Qualifier.AT_LEAST
    assert eu.gives.value == pytest.approx(summarize(snap, Filters(donors=("eu",))).funding.value)
    assert len(eu.projects) == 3
    assert eu.regions == ("East Kazakhstan Region", "Karaganda Region", "Kyzylorda Region",
                          "Mangystau Region")
    assert eu.receives is None and eu.received == []  # nothing recorded, not "unknown"
    assert eu.is_donor and not eu.is_implementer
    assert eu.home.place == "Brussels" and not eu.home.assumed


def test_region_names_follow_the_language(snap: Snapshot) -> None:
    eu = organization_profile(snap, "eu", "ru")
    assert "Карагандинская область" in eu.regions
    assert eu.name == "Европейский Союз" and eu.home.place == "Брюссель"


def test_argo_leads_two_projects_and_receives_from_the_eu(snap: Snapshot) -> None:
    argo = organization_profile(snap, "argo", "en", "EUR")
    leads = [i for i in argo.projects if "lead" in i.roles]
    assert len(leads) == 2
    assert argo.received_by_source["eu"].value == pytest.approx(820_000)
    assert argo.received_by_source["eu"].qualifier is Qualifier.EXACT
    assert argo.is_implementer and not argo.is_donor
    # Its home is read from the card's Astana phone code: evidence, not an assumption.
    assert argo.home.place == "Astana" and not argo.home.assumed
    assert "7172" in argo.home.basis
    ecocenter = organization_profile(snap, "ecocenter", "en")
    assert ecocenter.home.assumed or "phone" in ecocenter.home.basis.lower()
    # What it pays entrepreneurs is money it received: marked as passed on.
    assert argo.given and all(g.passed_on for g in argo.given)


def test_misd_money_is_a_lower_bound_in_kzt(snap: Snapshot) -> None:
    misd = organization_profile(snap, "misd", "en", "KZT")
    assert misd.gives.qualifier is Qualifier.AT_LEAST
    assert misd.gives.value is not None and misd.gives.value >= 2_850_000
    assert format_figure(misd.gives, "en", "KZT").startswith("at least 2,850,000 KZT")
    assert misd.regions == ("West Kazakhstan Region",)


def test_tco_grant_is_unknown_never_zero(snap: Snapshot) -> None:
    tco = organization_profile(snap, "tco", "en", "EUR")
    assert tco.gives == Figure.unknown()
    assert tco.gives.value is None
    assert format_figure(tco.gives, "en") == "unknown"
    efca = organization_profile(snap, "efca", "en", "EUR")
    assert efca.received_by_source["tco"] == Figure.unknown()
    assert efca.receives == Figure.unknown()


def test_roles_and_kinds_filter(snap: Snapshot) -> None:
    profiles = organization_profiles(snap, "en")
    assert len(profiles) == len(snap.table("organizations"))
    donors = {p.org_id for p in filter_profiles(profiles, group="donors")}
    assert {"eu", "misd", "cisc", "tco", "akimats-mangystau"} <= donors
    assert "argo" not in donors
    implementers = {p.org_id for p in filter_profiles(profiles, group="implementers")}
    assert {"argo", "ecocenter", "efca", "zhaiyk-tany"} <= implementers
    assert "eu" not in implementers
    ngos = filter_profiles(profiles, kinds=("ngo",), group="implementers")
    assert ngos and all(p.kind == "ngo" for p in ngos)


@pytest.mark.parametrize("query", ["Еуропалық", "европейский", "european", "EU"])
def test_search_in_any_language(snap: Snapshot, query: str) -> None:
    found = filter_profiles(organization_profiles(snap, "kk"), query=query)
    assert "eu" in {p.org_id for p in found}


def test_profiles_follow_the_currency(snap: Snapshot) -> None:
    eur = organization_profile(snap, "eu", "en", "EUR")
    kzt = organization_profile(snap, "eu", "en", "KZT")
    assert kzt.gives.value is not None and eur.gives.value is not None
    assert kzt.gives.value > 100 * eur.gives.value
    assert {g.flow.figure.value for g in kzt.given} != {g.flow.figure.value for g in eur.given}


def test_list_order_puts_funders_first(snap: Snapshot) -> None:
    profiles = organization_profiles(snap, "en")
    first = profiles[0]
    assert "funder" in first.roles
    recipients = [i for i, p in enumerate(profiles) if p.roles == ("recipient",)]
    funders = [i for i, p in enumerate(profiles) if "funder" in p.roles]
    assert max(funders) < min(recipients)


# --- the list from whole columns, against the row-by-row reference -------------------------

@pytest.fixture(scope="module")
def generated() -> Snapshot:
    return build_snapshot(synthesize(300, seed=3), "generated")


def _same(fast: Figure | None, slow: Figure | None) -> None:
    if slow is None:
        assert fast is None
        return
    assert fast is not None
    assert (fast.qualifier, fast.derived) == (slow.qualifier, slow.derived)
    assert fast.value == pytest.approx(slow.value)


@pytest.mark.parametrize("currency", ["EUR", "KZT", "USD"])
def test_list_and_profiles_count_the_flow_books_figures(
        generated: Snapshot, currency: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The list and the profiles read each flow's figures from ``query.flow_book`` (built once
    per currency, shared with the map): with the book built they convert no amount again."""
    book = flow_book(generated, currency).flows
    conversions = 0
    real = RateTable.try_convert

    def counting(self: RateTable, *args: Any, **kwargs: Any) -> Conversion:
        nonlocal conversions
        conversions += 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(RateTable, "try_convert", counting)
    listed = organization_list(generated, "en", currency).set_index("org_id")
    profiles = [organization_profile(generated, org, "en", currency)
                for org in generated.table("organizations")["org_id"]]
    assert conversions == 0
    for p in profiles:
        gives = [g.flow for g in p.given]
        assert gives == [c for pid in (i.project_id for i in p.projects)
                         for c in book.get(pid, ()) if c.from_org_id == p.org_id]
        _same(listed.at[p.org_id, "gives"], total(c.figure for c in gives) if gives else None)
    given = {g.flow.figure.qualifier for p in profiles for g in p.given}
    assert {Qualifier.EXACT, Qualifier.AT_LEAST} <= given


@pytest.mark.parametrize("currency", ["KZT", "USD"])
def test_money_received_agrees_with_each_flow_converted_row_by_row(generated: Snapshot,
                                                                   currency: str) -> None:
    flows = generated.table("funding_flows").sort_values(["project_id", "flow_id"])
    listed = organization_list(generated, "ru", currency).set_index("org_id")
    for org in generated.table("organizations")["org_id"]:
        into = flows.loc[flows["to_org_id"] == org].to_dict("records")
        reference = [(f["flow_id"], f["project_id"], f["from_org_id"],
                      flow_conversion(generated, f, currency)) for f in into]
        profile = organization_profile(generated, org, "ru", currency)
        assert [(r.flow_id, r.project_id, r.from_org_id, r.conversion)
                for r in profile.received] == reference
        assert all(r.figure == r.conversion.converted for r in profile.received)
        expected = total(c.converted for *_, c in reference) if reference else None
        _same(profile.receives, expected)
        _same(listed.at[org, "receives"], expected)


@pytest.mark.parametrize(("lang", "currency"), [("en", "EUR"), ("ru", "KZT"), ("kk", "USD")])
def test_list_columns_agree_with_each_profile(generated: Snapshot, lang: str,
                                             currency: str) -> None:
    listed = organization_list(generated, lang, currency)
    profiles = organization_profiles(generated, lang, currency)
    assert list(listed["org_id"]) == [p.org_id for p in profiles]
    for row, p in zip(listed.to_dict("records"), profiles, strict=True):
        assert (row["name"], row["acronym"], row["kind"], row["roles"]) == \
            (p.name, p.acronym, p.kind, p.roles)
        _same(row["gives"], p.gives)
        _same(row["receives"], p.receives)
        assert row["project_count"] == len(p.projects)
        assert row["regions"] == p.regions
        assert (row["is_donor"], row["is_implementer"]) == (p.is_donor, p.is_implementer)
        for group in ROLE_GROUPS:
            kept = set(filter_list(listed, group=group)["org_id"])
            assert (p.org_id in kept) == in_role_group(p, group)
    gives = {row["gives"].qualifier for row in listed.to_dict("records") if row["gives"]}
    assert {Qualifier.EXACT, Qualifier.AT_LEAST, Qualifier.UNKNOWN} & gives


@pytest.mark.parametrize("currency", ["EUR", "KZT"])
def test_profile_gives_what_counted_flows_counts(generated: Snapshot, currency: str) -> None:
    """The profile's money given, per project, is ``query.counted_flows`` with the
    organization as the one donor (the reference, one table scan per project)."""
    for org in generated.table("organizations")["org_id"]:
        profile = organization_profile(generated, org, "en", currency)
        for item in profile.projects:
            reference = counted_flows(generated, item.project_id, (org,), currency)
            mine = [g.flow for g in profile.given if g.flow.project_id == item.project_id]
            assert mine == reference
            _same(item.gives, total(c.figure for c in reference) if reference else None)


def test_list_search_and_kinds(generated: Snapshot) -> None:
    listed = organization_list(generated, "kk", "EUR")
    found = search(filter_list(listed, kinds=("ngo",)), "eu")
    profiles = filter_profiles(organization_profiles(generated, "kk"), kinds=("ngo",), query="eu")
    assert list(found["org_id"]) == [p.org_id for p in profiles]
    assert list(search(listed, "Еуропалық")["org_id"]) == ["eu"]


def test_a_nationwide_site_is_named_among_an_organizations_regions() -> None:
    from tests.pointless import pointless_snapshot

    snap = pointless_snapshot()
    argo = organization_profile(snap, "argo", "en")
    assert "across Kazakhstan" in argo.regions and "" not in argo.regions
    listed = organization_list(snap, "en").set_index("org_id")
    assert "across Kazakhstan" in listed.at["argo", "regions"]


def test_the_list_sorts_names_in_kazakh_order(snap: Snapshot) -> None:
    listed = organization_list(snap, "kk", "EUR")
    names = list(list_view(listed, "", ORGANIZATION_SORTS["name"])["name"])
    # Қ is a letter of its own between К and Л, not after Я as its code point would put it.
    first_letters = [n.strip("«»\"' ")[0].upper() for n in names]
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZАӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"
    assert first_letters == sorted(first_letters, key=alphabet.index)
    assert "Қ" in first_letters and first_letters.index("Қ") < first_letters.index("Ш")
