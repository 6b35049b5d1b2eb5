from __future__ import annotations

import pytest

from atlas.dataset import DataSet, Problem
from atlas.validate import validate


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
    assert "'no-such-org' is not a known organizations.org_id" in p.message


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
