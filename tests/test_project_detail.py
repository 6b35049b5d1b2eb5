"""The Projects page's domain: search, list rows, budget shares, money chain, timeline."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from atlas.cards import budget_figure, period_text, status_text
from atlas.dataset import DataSet
from atlas.figures import Figure, format_figure
from atlas.i18n import LANGUAGES, localized, t
from atlas.model import Qualifier
from atlas.project_detail import (
    ProjectRow,
    _converted_note,
    budget_conversion,
    budget_shares,
    list_exports,
    money_chain,
    project_detail,
    project_rows,
    search_projects,
    timeline,
)
from atlas.query import FUNDING_ROLES, Filters, matching_projects
from atlas.snapshot import Snapshot, build_snapshot
from atlas.synth import synthesize
from tests.scans import ColumnScans

WKO = "wko-rural-ngo-capacity"


def nbsp(text: str) -> str:
    return text.replace("\u00a0", " ")


def test_glocal_budget_is_the_eu_grant_plus_unnamed_co_financing(snap: Snapshot) -> None:
    b = budget_shares(snap, "glocal", "en", "EUR")
    assert b.budget == Figure(428_000, Qualifier.EXACT)
    assert b.budget_stated == "428,000 EUR"
    assert [(s.org_id, s.figure) for s in b.shares] == [
        ("eu", Figure(400_000, Qualifier.EXACT)),
        ("cofunders-not-named", Figure(28_000, Qualifier.DERIVED)),
    ]
    co = b.shares[1]
    assert co.name == "Co-financing (funder not named in the source)"
    assert co.stated == "28,000 EUR (derived)" and "minus the 400,000 EUR EU grant" in co.basis
    assert b.shares[0].basis == ""  # the EU share is stated, not derived
    assert b.not_stated == () and b.rest is None
    assert b.budget_conversion == "" and b.rate_sources == ()  # nothing to convert


def test_glocal_budget_in_kzt_names_year_and_rate(snap: Snapshot) -> None:
    rate = snap.rates.rate("EUR", "KZT", 2024)
    b = budget_shares(snap, "glocal", "en", "KZT")
    assert b.budget.value == pytest.approx(428_000 * rate)
    assert b.budget_stated == "428,000 EUR"  # as stated, in its own currency
    assert b.budget_conversion.startswith("428,000 EUR (2024) → ")
    assert f"1 EUR = {rate:.6g} KZT" in b.budget_conversion
    assert [s.figure.value for s in b.shares] == pytest.approx([400_000 * rate, 28_000 * rate])
    assert b.shares[0].conversion.startswith("400,000 EUR (2024) → ")
    rates = snap.table("rates")
    assert set(b.rate_sources) == set(rates.loc[(rates["year"] == 2024), "source"])


def test_west_kazakhstan_budget_stays_unknown(snap: Snapshot) -> None:
    b = budget_shares(snap, WKO, "en", "KZT")
    assert not b.budget.is_known and b.budget.value is None
    assert b.budget_stated == "unknown"
    assert b.shares == ()  # nothing to draw: no 0-length bar
    [ministry] = b.not_stated
    assert ministry.org_id == "misd" and not ministry.figure.is_known
    assert ministry.stated == "amount not stated"
    assert "at least 2,850,000 KZT" in ministry.note  # what it is known to pass on
    assert b.rest is None


def test_an_uncovered_part_of_a_known_budget_is_derived(dataset: DataSet) -> None:
    flows = dataset["funding_flows"]
    dataset["funding_flows"] = flows.loc[flows["flow_id"] != "f-glocal-cofinancing"]
    b = budget_shares(build_snapshot(dataset, "no-cofinancing"), "glocal", "en", "EUR")
    assert [s.org_id for s in b.shares] == ["eu"]
    assert b.rest == Figure(28_000, Qualifier.DERIVED)


def test_money_chain_of_the_west_kazakhstan_project(snap: Snapshot) -> None:
    chain = money_chain(snap, WKO, "en", "KZT")
    assert [(f.flow_id, f.depth, f.counted) for f in chain.flows] == [
        ("f-wko-ministry", 0, True),  # MISD -> CISC: counted, at the top of the chain
        ("f-wko-state-grant", 1, False),  # CISC -> Zhaiyk tany: paid out of it
        ("f-wko-small-grants", 2, False),  # Zhaiyk tany -> 5 rural NGOs
    ]
    ministry, state_grant, small_grants = chain.flows
    assert ministry.stated == "amount not stated" and ministry.bound
    assert ministry.counted_as == "at least 2,850,000 KZT (derived)"
    assert state_grant.stated == "amount not stated" and state_grant.counted_as == ""
    assert small_grants.stated == "2,850,000 KZT (derived)"
    assert "5 rural NGOs × 570,000 KZT" in small_grants.basis
    assert small_grants.kind == "sub-grant" and small_grants.status == "planned"
    assert small_grants.source == 'Public association "Zhaiyk tany"'
    assert chain.total == Figure(2_850_000, Qualifier.AT_LEAST, derived=True)


def test_money_chain_converts_with_the_flows_year(snap: Snapshot) -> None:
    rate = snap.rates.rate("KZT", "EUR", 2019)
    chain = money_chain(snap, WKO, "en", "EUR")
    assert chain.total.qualifier is Qualifier.AT_LEAST
    assert chain.total.value == pytest.approx(2_850_000 * rate)
    small_grants = chain.flows[2]
    assert small_grants.conversion.startswith("2,850,000 KZT (derived) (2019) → ")
    assert "rate:" not in small_grants.conversion  # sources are listed once, not per amount
    assert chain.rate_sources


def test_money_chain_in_russian(snap: Snapshot) -> None:
    chain = money_chain(snap, WKO, "ru", "KZT")
    assert nbsp(chain.flows[0].counted_as) == "не менее 2 850 000 KZT (расчёт)"
    assert chain.flows[0].stated == "сумма не указана"


@pytest.mark.parametrize(("query", "expected"), [
    ("сельских НПО", [WKO]),  # Russian title fragment
    ("СЕЛЬСКИХ нпо", [WKO]),  # any case
    ("Қоғамдық кеңістіктер", ["efca-public-spaces"]),  # Kazakh title fragment
    ("ҚОҒАМДЫҚ КЕҢІСТІКТЕР", ["efca-public-spaces"]),
    ("Тенгизшевройл", ["efca-public-spaces"]),  # an organization's name
    ("People Scorecard", ["glocal"]),  # the summary
    ("ecocenter", ["eu-tald-east-central", "glocal"]),  # in the given order
    ("ecocenter karkaralinsk", ["glocal"]),  # every word must match
    ("no such project", []),
])
def test_search(snap: Snapshot, query: str, expected: list[str]) -> None:
    ids = sorted(snap.table("projects")["project_id"])
    assert search_projects(snap, query, ids) == expected


def test_empty_search_keeps_the_given_projects(snap: Snapshot) -> None:
    assert search_projects(snap, "  ", ["glocal", WKO]) == ["glocal", WKO]
    assert search_projects(snap, "glocal", [WKO]) == []


def test_list_rows(snap: Snapshot) -> None:
    glocal, spaces = project_rows(snap, ["glocal", "efca-public-spaces"], "ru", "KZT")
    assert nbsp(glocal.budget) == "428 000 EUR"
    assert "KZT" in glocal.budget_converted and "2024" in glocal.budget_converted
    assert glocal.donors[0] == "Европейский Союз"  # named funders before unnamed co-financing
    assert glocal.sdgs[0] == (17, "Партнерство в интересах устойчивого развития", "#19486A")
    assert spaces.budget == "неизвестно" and spaces.budget_converted == ""


def test_timeline_of_public_spaces(snap: Snapshot) -> None:
    events = timeline(snap, "efca-public-spaces", "en")
    assert [(e.date, e.end, e.label) for e in events] == [
        ("2018-09", "", "Start"),
        ("2018-09", "2019-10", "First stage"),
        ("2019-10", "2020-10", "Second stage"),
        ("2020-05-03", "", "Figures reported"),
        ("2020-05-03", "", "Ongoing (as of 2020-05-03)"),
        ("2020-10", "", "Planned end"),
    ]
    assert "5,400 — Beneficiaries using the results of the mini-projects" in events[3].details


def test_timeline_of_a_completed_project_ends(snap: Snapshot) -> None:
    events = timeline(snap, "eu-tald-east-central", "ru")
    assert [(e.date, e.label) for e in events] == [("2017-02", "Начало"),
                                                  ("2020-01", "Окончание")]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_project_in_every_language(snap: Snapshot, lang: str) -> None:
    for pid in snap.table("projects")["project_id"]:
        for currency in ("EUR", "KZT", "USD"):
            d = project_detail(snap, pid, lang, currency)
            assert d.card.title and d.timeline and d.sdgs
            assert d.budget.currency == d.chain.currency == currency


def test_exports_of_a_searched_list(snap: Snapshot) -> None:
    ids = search_projects(snap, "ecocenter", matching_projects(snap, Filters()))
    exports = list_exports(snap, Filters(), ids, "en", "KZT")
    table = pd.read_csv(io.StringIO(exports.projects_csv))
    assert list(table["project_id"]) == ids == ["glocal", "eu-tald-east-central"]  # title order
    assert f"{t('col_funding', 'en')} (KZT)" in table.columns
    sites = json.loads(exports.sites_geojson)["features"]
    assert {f["properties"]["project_id"] for f in sites} == set(ids)
    assert len(sites) == snap.sites["project_id"].isin(ids).sum()


def test_exports_follow_the_region_filter(snap: Snapshot) -> None:
    filters = Filters(regions=("KAZ011",))  # Karaganda
    ids = search_projects(snap, "glocal", matching_projects(snap, filters))
    sites = json.loads(list_exports(snap, filters, ids, "ru").sites_geojson)["features"]
    assert [f["properties"]["site"] for f in sites] == ["Каркаралинск"]


# --- agreement with a row-by-row reference on a generated data set ---------------------------

def _ref_project_rows(snap: Snapshot, project_ids: list[str], lang: str,
                      currency: str) -> list[ProjectRow]:
    projects = snap.table("projects").set_index("project_id")
    parts = snap.table("participants")
    orgs = snap.organization_names(lang)
    kinds = dict(zip(snap.table("organizations")["org_id"], snap.table("organizations")["kind"],
                     strict=True))
    sdgs = snap.table("sdgs").set_index("goal")
    project_sdgs = snap.table("project_sdgs")
    rows = []
    for pid in project_ids:
        p = projects.loc[pid]
        funders = parts.loc[(parts["project_id"] == pid) & parts["role"].isin(FUNDING_ROLES)]
        funders = sorted(funders.itertuples(), key=lambda r: (
            kinds.get(r.org_id) == "unspecified", FUNDING_ROLES.index(r.role), orgs[r.org_id]))
        mine = project_sdgs.loc[project_sdgs["project_id"] == pid].sort_values("rank")
        rows.append(ProjectRow(
            project_id=pid,
            title=localized(p, "title", lang),
            donors=tuple(dict.fromkeys(orgs[r.org_id] for r in funders)),
            period=period_text(p, lang),
            status=status_text(p, lang),
            sdgs=tuple((int(g), localized(sdgs.loc[g], "name", lang),
                        str(sdgs.at[g, "colour"])) for g in mine["goal"]),
            budget=format_figure(budget_figure(p), lang, str(p["budget_currency"] or "")),
            budget_converted=_converted_note(budget_conversion(snap, p, currency), lang),
        ))
    return rows


@pytest.fixture(scope="module")
def generated() -> Snapshot:
    return build_snapshot(synthesize(300, seed=4), "generated-4")


@pytest.mark.parametrize(("lang", "currency"), [("en", "EUR"), ("ru", "KZT"), ("kk", "USD")])
def test_rows_agree_with_the_row_by_row_reference(generated: Snapshot, lang: str,
                                                  currency: str) -> None:
    ids = list(generated.table("projects")["project_id"])
    assert project_rows(generated, ids, lang, currency) == _ref_project_rows(
        generated, ids, lang, currency)
    for pid in ids[::5]:  # every part of the detail view still builds from the indexes
        project_detail(generated, pid, lang, currency)


def test_list_and_search_do_not_scan_whole_columns_per_project(
        generated: Snapshot, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = list(generated.table("projects")["project_id"])
    project_rows(generated, ids, "en")
    search_projects(generated, "a", ids)  # the lookups are built once per snapshot
    scans = ColumnScans(monkeypatch)
    project_rows(generated, ids, "en")
    search_projects(generated, "project", ids)
    for pid in ids:
        project_detail(generated, pid, "en")
    assert scans.count < len(ids)
