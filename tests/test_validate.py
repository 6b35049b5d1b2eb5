from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from atlas import geo
from atlas.dataset import DataSet, Problem
from atlas.synth import synthesize
from atlas.validate import validate
from tests.pointless import NATIONAL_SITE, REGION_SITE, with_pointless_sites
from tests.validate_reference import validate_row_by_row


def problems_for(data: DataSet) -> list[Problem]:
    return validate(data)


def only(problems: list[Problem], field: str) -> Problem:
    matching = [p for p in problems if p.field == field]
    assert len(matching) == 1, problems
    return matching[0]


def row_of(data: DataSet, table: str, key_col: str, key: str) -> int:
    return int(data[table].index[data[table][key_col] == key][0])


def test_bundled_data_is_valid(dataset: DataSet) -> None:
    assert problems_for(dataset) == []


def test_sdg_18_is_refused(dataset: DataSet) -> None:
    dataset["project_sdgs"].loc[0, "goal"] = 18
    p = only(problems_for(dataset), "goal")
    assert p.file == "geodata/project_sdgs.csv" and p.row == 2
    assert "SDG 18 does not exist" in p.message


def test_negative_amount_is_refused(dataset: DataSet) -> None:
    i = row_of(dataset, "funding_flows", "flow_id", "f-glocal-eu")
    dataset["funding_flows"].loc[i, "amount"] = -5
    problems = problems_for(dataset)
    assert any(p.field == "amount" and "negative" in p.message and p.row == i + 2
               for p in problems)


def test_point_outside_kazakhstan(dataset: DataSet) -> None:
    i = row_of(dataset, "sites", "site_id", "s-ps-kuryk")
    dataset["sites"].loc[i, ["lon", "lat"]] = [37.6, 55.75]  # Moscow
    p = only(problems_for(dataset), "lon")
    assert p.file == "geodata/sites.csv" and p.row == i + 2 and "outside Kazakhstan" in p.message


def test_swapped_latitude_and_longitude_are_recognised(dataset: DataSet) -> None:
    i = row_of(dataset, "sites", "site_id", "s-glocal-karkaralinsk")
    dataset["sites"].loc[i, ["lon", "lat"]] = [49.41244, 75.47228]
    problems = problems_for(dataset)
    assert any("swapped" in p.message and p.row == i + 2 for p in problems), problems


def test_point_in_another_region(dataset: DataSet) -> None:
    i = row_of(dataset, "sites", "site_id", "s-ps-kuryk")
    dataset["sites"].loc[i, "region_code"] = "KAZ020"
    p = only(problems_for(dataset), "region_code")
    assert "Mangystau Region (KAZ014)" in p.message and "West Kazakhstan" in p.message


def test_html_in_a_name_is_refused(dataset: DataSet) -> None:
    dataset["organizations"].loc[0, "name_en"] = "<img src=x onerror=alert(1)>"
    p = only(problems_for(dataset), "name_en")
    assert p.file == "geodata/organizations.csv" and p.row == 2 and "markup" in p.message


def test_dates_out_of_order(dataset: DataSet) -> None:
    i = row_of(dataset, "projects", "project_id", "eu-tald-east-central")
    dataset["projects"].loc[i, "end"] = "2016-05"
    p = only(problems_for(dataset), "end")
    assert "before it starts" in p.message


def test_malformed_date(dataset: DataSet) -> None:
    dataset["projects"].loc[0, "start"] = "spring 2017"
    assert "not a date" in only(problems_for(dataset), "start").message


def test_donor_share_above_budget(dataset: DataSet) -> None:
    i = row_of(dataset, "funding_flows", "flow_id", "f-glocal-eu")
    dataset["funding_flows"].loc[i, "amount"] = 500_000
    problems = problems_for(dataset)
    assert any(p.field == "amount" and "more than the project's budget" in p.message
               for p in problems)
    assert any(p.field == "budget_amount" and "add up to" in p.message for p in problems)


def test_unknown_must_not_carry_a_value_nor_a_known_lack_one(dataset: DataSet) -> None:
    i = row_of(dataset, "funding_flows", "flow_id", "f-ps-tco")
    dataset["funding_flows"].loc[i, "amount"] = 0.0
    dataset["funding_flows"].loc[i, "currency"] = "KZT"
    assert "qualifier says unknown" in only(problems_for(dataset), "amount").message
    j = row_of(dataset, "projects", "project_id", "glocal")
    dataset["projects"].loc[j, "budget_amount"] = float("nan")
    assert any("use 'unknown' (never 0)" in p.message for p in problems_for(dataset))


def test_derived_figure_needs_its_basis(dataset: DataSet) -> None:
    i = row_of(dataset, "results", "result_id", "r-abd-plans")
    dataset["results"].loc[i, "basis"] = ""
    assert "must say how" in only(problems_for(dataset), "basis").message


def test_unknown_reference(dataset: DataSet) -> None:
    dataset["participants"].loc[0, "org_id"] = "no-such-org"
    p = only(problems_for(dataset), "org_id")
    assert "'no-such-org' is not in organizations.org_id" in p.message


def test_duplicate_id(dataset: DataSet) -> None:
    import pandas as pd

    sites = dataset["sites"]
    dataset["sites"] = pd.concat([sites, sites.iloc[[0]]], ignore_index=True)
    assert any("duplicate id" in p.message for p in problems_for(dataset))


@pytest.mark.parametrize("qualifier", ["roughly", "", "EXACT"])
def test_qualifier_must_be_known(dataset: DataSet, qualifier: str) -> None:
    dataset["results"].loc[0, "qualifier"] = qualifier
    assert any(p.field == "qualifier" for p in problems_for(dataset))


def test_problem_text_names_file_row_and_field() -> None:
    assert str(Problem("geodata/sites.csv", 5, "lat", "bad")) == "geodata/sites.csv:5: lat: bad"


# --- whole-column checks agree with the row-by-row ones ----------------------------------------


def damaged(data: DataSet, seed: int) -> DataSet:
    """``data`` with random rows broken in every way validation knows."""
    rng = np.random.default_rng(seed)
    out = {name: df.copy() for name, df in data.items()}

    def rows(table: str, k: int) -> list[int]:
        n = len(out[table])
        return [int(i) for i in rng.choice(n, size=min(k, n), replace=False)]

    def put(table: str, column: str, values: list[Any]) -> None:
        for i, value in zip(rows(table, len(values)), values, strict=False):
            out[table].at[i, column] = value

    put("sites", "name_en", ["", "<b>x</b>", "=1+2", "a\x07b", "x" * 5001, "&amp;",
                             "JAVA\u017fCRIPT:x", " =SUM(A1)", "a: b", "x=y"])
    put("sites", "precision", ["nowhere", ""])
    put("sites", "region_code", ["KAZ099", "KAZ001", ""])
    put("sites", "project_id", ["no-such-project", ""])
    put("sites", "source_ids", ["s-unknown; ", "; ;", "", "src-x;src-y"])
    put("sites", "site_id", [out["sites"].at[0, "site_id"], out["sites"].at[1, "site_id"]])
    for i, (lon, lat) in zip(rows("sites", 4), [(37.6, 55.75), (49.4, 75.4), (500.0, 1.0),
                                                 (np.nan, 48.0)], strict=True):
        out["sites"].loc[i, ["lon", "lat"]] = [lon, lat]
    # Sites without a point, each combination of precision, point, region and level.
    extents = [("national", np.nan, "national", ""), ("national", 50.0, "settlement", "KAZ014"),
               ("region", np.nan, "region", "KAZ011"), ("region", np.nan, "district", ""),
               ("region", 71.5, "region", "KAZ011"), ("settlement", np.nan, "settlement", "")]
    for i, (precision, lon, level, region) in zip(rows("sites", len(extents)), extents,
                                                  strict=True):
        for column, value in (("precision", precision), ("lon", lon), ("lat", lon),
                              ("level", level), ("region_code", region)):
            out["sites"].at[i, column] = value
    put("places", "country", ["KZ", "DE"])
    put("projects", "status", ["done"])
    put("projects", "start", ["2019-13", "20x", "2020-05-01", "2021"])
    put("projects", "end", ["2018", "2019-1", "2001-02", "2020-12-31"])
    put("projects", "budget_amount", [-5.0, np.nan, 1e15])
    put("projects", "budget_qualifier", ["unknown", "derived", "exact"])
    put("projects", "budget_basis", ["", ""])
    put("projects", "budget_currency", ["", "GBP"])
    put("phases", "end", ["1990"])
    put("funding_flows", "amount", [-1.0, np.nan, 1e14, 2e14])
    put("funding_flows", "qualifier", ["unknown", "at_least", "derived"])
    put("funding_flows", "currency", ["", "XXX"])
    put("funding_flows", "year", [1900, 2200])
    put("funding_flows", "to_org_id", [out["funding_flows"].at[2, "from_org_id"], "org-missing"])
    put("funding_flows", "flow_id", [out["funding_flows"].at[3, "flow_id"]])
    put("results", "unit", ["percent"] * 3)
    put("results", "value", [150.0, -3.0])
    put("results", "qualifier", ["unknown", "derived"])
    put("results", "site_ids", [str(out["sites"].at[5, "site_id"]), "no-site;",
                                str(out["sites"].at[9, "site_id"]) + ";x"])
    put("results", "parent_result_id", [str(out["results"].at[0, "result_id"]), "no-result"])
    put("project_sdgs", "goal", [18, 0, -2])
    put("project_sdgs", "project_id", ["nobody"])
    put("participants", "role", ["boss"])
    put("organizations", "kind", ["cartel", ""])
    put("organizations", "home_place_id", ["nowhere"])
    put("context_facts", "qualifier", ["exact", "unknown"])
    put("context_facts", "value", [np.nan])
    without_sites = out["sites"]["project_id"].iloc[-1]
    out["sites"] = out["sites"].loc[out["sites"]["project_id"] != without_sites] \
        .reset_index(drop=True)
    return out


@pytest.fixture(scope="module")
def generated() -> DataSet:
    return synthesize(300, seed=3)


@pytest.mark.parametrize("seed", range(4))
def test_whole_column_checks_agree_with_the_row_by_row_checks(generated: DataSet,
                                                              seed: int) -> None:
    data = damaged(generated, seed)
    problems = validate(data)
    assert problems == validate_row_by_row(data, geo.load_regions("full"))
    assert len(problems) > 60  # every kind of damage found, in the same order and words


def test_bad_rows_inside_a_big_table_keep_their_messages_and_lines() -> None:
    data = synthesize(3000, seed=2)
    sites = data["sites"]
    last = len(sites) - 1
    sites.loc[last, ["lon", "lat"]] = [37.6, 55.75]
    sites.at[last - 1, "name_en"] = "<script>"
    sites.at[last - 2, "site_id"] = sites.at[7, "site_id"]
    results = data["results"]
    known_source = data["sources"].at[0, "source_id"]
    results.at[len(results) - 1, "source_ids"] = f"no-source; {known_source};other-source"
    problems = [str(p) for p in validate(data)]
    assert problems == [
        f"geodata/sites.csv:{last + 1}: name_en: contains HTML or script markup; plain text only",
        f"geodata/sites.csv:{last}: site_id: duplicate id {sites.at[7, 'site_id']} "
        "(first on line 9)",
        f"geodata/results.csv:{len(results) + 1}: source_ids: 'no-source' is not in "
        "sources.source_id",
        f"geodata/results.csv:{len(results) + 1}: source_ids: 'other-source' is not in "
        "sources.source_id",
        f"geodata/sites.csv:{last + 2}: lon: point (55.75000 N, 37.60000 E) is outside "
        "Kazakhstan",
    ]


def test_text_rules_word_only_the_cells_a_column_scan_flags(
        generated: DataSet, monkeypatch: pytest.MonkeyPatch) -> None:
    # Row by row, every text cell of a clean 300-site set went through text_problem (some
    # 20,000 calls; 2 million at 100,000 sites); the column scan hands it only the suspects.
    import atlas.validate as validation

    calls: list[str] = []
    text_refusal = validation.text_refusal

    def counted(value: str) -> validation.Message | None:
        calls.append(value)
        return text_refusal(value)

    monkeypatch.setattr(validation, "text_refusal", counted)
    data = {name: df.copy() for name, df in generated.items()}
    data["sites"].at[3, "name_en"] = "<b>bold</b>"
    problems = validate(data)
    assert [p.message for p in problems] == ["contains HTML or script markup; plain text only"]
    assert "<b>bold</b>" in calls
    assert all(any(c in value for c in "<&:=") or len(value) > 5000 for value in calls)


def test_iati_identifiers_are_unique_and_without_spaces(dataset: DataSet) -> None:
    projects, orgs = dataset["projects"], dataset["organizations"]
    projects.loc[0, "iati_identifier"] = "XI-IATI-EC_INTPA-2017-1"
    projects.loc[1, "iati_identifier"] = "XI-IATI-EC_INTPA-2017-1"
    projects.loc[2, "iati_identifier"] = "KZ 123"
    orgs.loc[0, "iati_ref"] = "XM-DAC-41114"
    orgs.loc[3, "iati_ref"] = "XM-DAC-41114"
    problems = [p for p in problems_for(dataset) if p.field in ("iati_identifier", "iati_ref")]
    assert [(p.file, p.row, p.field) for p in problems] == [
        ("geodata/projects.csv", 4, "iati_identifier"),
        ("geodata/projects.csv", 3, "iati_identifier"),
        ("geodata/organizations.csv", 5, "iati_ref"),
    ]
    assert "not an IATI identifier" in problems[0].message
    assert "already on line 2" in problems[1].message


def test_sectors_are_dac_codes_and_iati_types_are_codes(dataset: DataSet) -> None:
    dataset["projects"].loc[0, "sectors"] = "15150;99999"
    dataset["organizations"].loc[0, "iati_type"] = "NGO"
    problems = problems_for(dataset)
    assert "'99999' is not an OECD DAC 5-digit sector code" in only(problems, "sectors").message
    assert "'NGO' is not one of: 10, 11, 15" in only(problems, "iati_type").message


def test_any_iso_currency_is_held_even_without_a_rate(dataset: DataSet) -> None:
    i = row_of(dataset, "funding_flows", "flow_id", "f-glocal-eu")
    dataset["funding_flows"].loc[i, "currency"] = "GBP"
    assert [p for p in problems_for(dataset) if p.field == "currency"] == []
    dataset["funding_flows"].loc[i, "currency"] = "XYZ"
    message = only(problems_for(dataset), "currency").message
    assert "'XYZ' is not one of: AED" in message and "(176 codes)" in message


# --- sites without a point (precision "region" and "national") ---------------------------------


def test_national_and_region_sites_without_a_point_are_valid(dataset: DataSet) -> None:
    assert problems_for(with_pointless_sites(dataset)) == []


def _pointless(dataset: DataSet, site_id: str, **changes: Any) -> tuple[list[Problem], int]:
    data = with_pointless_sites(dataset)
    i = row_of(data, "sites", "site_id", site_id)
    for column, value in changes.items():
        data["sites"].at[i, column] = value
    return problems_for(data), i + 2


@pytest.mark.parametrize(("site_id", "changes", "field", "words"), [
    (NATIONAL_SITE, {"lon": 71.4, "lat": 51.1}, "lon",
     "must be empty for a site of precision 'national': it covers the whole country, so a "
     "point would be an invented one"),
    (NATIONAL_SITE, {"lat": 51.1}, "lat", "must be empty for a site of precision 'national'"),
    (REGION_SITE, {"lon": 73.1, "lat": 49.8}, "lon",
     "must be empty for a site of precision 'region': it covers a whole region, so a point "
     "would be an invented one"),
    (NATIONAL_SITE, {"region_code": "KAZ011"}, "region_code",
     "must be empty for a site of precision 'national': it covers the whole country, "
     "not one region"),
    (REGION_SITE, {"region_code": ""}, "region_code", "is required but empty"),
    (NATIONAL_SITE, {"level": "settlement"}, "level",
     "'settlement' does not fit precision 'national': use level 'national'"),
    (REGION_SITE, {"level": "district"}, "level",
     "'district' does not fit precision 'region': use level 'region'"),
    (REGION_SITE, {"precision": "settlement", "level": "settlement"}, "lon",
     "is required but empty"),
])
def test_each_wrong_combination_of_precision_point_region_and_level(
        dataset: DataSet, site_id: str, changes: dict[str, Any], field: str, words: str) -> None:
    problems, line = _pointless(dataset, site_id, **changes)
    p = only(problems, field)
    assert (p.file, p.row) == ("geodata/sites.csv", line)
    assert words in p.message


def test_a_point_given_to_a_pointless_site_is_reported_once(dataset: DataSet) -> None:
    # Outside Kazakhstan and in no region: the only word is that it must not be there at all.
    problems, _ = _pointless(dataset, REGION_SITE, lon=37.6, lat=55.75)
    assert [p.field for p in problems] == ["lon", "lat"]


def test_a_site_with_a_point_still_needs_its_point_and_region(dataset: DataSet) -> None:
    i = row_of(dataset, "sites", "site_id", "s-ps-kuryk")
    dataset["sites"].at[i, "lat"] = np.nan
    dataset["sites"].at[i, "region_code"] = ""
    problems = problems_for(dataset)
    assert {(p.field, p.message) for p in problems} == {
        ("lat", "is required but empty"), ("region_code", "is required but empty")}


@pytest.mark.parametrize(("table", "key_col", "key", "qualifier", "basis"), [
    ("participants", "org_id", "argo", "role_qualifier", "role_basis"),
    ("funding_flows", "flow_id", "f-glocal-eu", "route_qualifier", "route_basis")])
def test_an_inferred_role_or_route_needs_its_reason(
        dataset: DataSet, table: str, key_col: str, key: str, qualifier: str,
        basis: str) -> None:
    i = row_of(dataset, table, key_col, key)
    dataset[table].loc[i, [qualifier, basis]] = ["inferred", ""]
    assert "must say why" in only(problems_for(dataset), basis).message
    dataset[table].loc[i, basis] = "Our reading of the source."
    assert problems_for(dataset) == []
