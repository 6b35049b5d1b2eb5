"""The generated data sets: valid as they are, exactly the size asked for, and repeatable."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from atlas.cli import main
from atlas.dataset import read_dataset
from atlas.flows import flow_legs
from atlas.query import Filters
from atlas.snapshot import build_snapshot
from atlas.synth import plan_size, synthesize
from atlas.validate import validate


@pytest.fixture(scope="module")
def small() -> dict[str, pd.DataFrame]:
    return synthesize(300, seed=3)


def test_holds_exactly_the_sites_asked_for_with_the_bundled_data_first(small):
    bundled, _ = read_dataset(Path(__file__).parent.parent / "geodata")
    assert len(small["sites"]) == 300
    assert set(bundled["projects"]["project_id"]) < set(small["projects"]["project_id"])
    generated = small["projects"].loc[small["projects"]["project_id"].str.startswith("syn-")]
    assert len(generated) == plan_size(300, len(bundled["sites"])).projects


def test_is_valid_as_generated(small):
    assert validate(small) == []


def test_every_project_has_a_site_a_funder_and_a_lead(small):
    projects = set(small["projects"]["project_id"])
    assert set(small["sites"]["project_id"]) == projects
    parts = small["participants"]
    assert set(parts.loc[parts["role"] == "funder", "project_id"]) >= \
        {p for p in projects if p.startswith("syn-")}
    assert set(parts.loc[parts["role"] == "lead", "project_id"]) >= \
        {p for p in projects if p.startswith("syn-")}


def test_keeps_unknowns_unknown_and_mixes_currencies(small):
    flows = small["funding_flows"]
    unknown = flows.loc[flows["qualifier"] == "unknown"]
    assert len(unknown) and unknown["amount"].isna().all()
    assert set(flows["currency"]) >= {"EUR", "KZT", "USD"}
    assert flows["year"].isna().any()  # a flow without a year has no rate
    budgets = small["projects"]
    assert budgets.loc[budgets["budget_qualifier"] == "unknown", "budget_amount"].isna().all()


def test_organizations_have_a_long_tail(small):
    leads = small["participants"].query("role == 'lead'")["org_id"].value_counts()
    assert leads.iloc[0] >= 4 * leads.median()


def test_most_organizations_live_in_a_town_of_the_set_so_money_flows_can_be_drawn(small):
    orgs = small["organizations"]
    generated = orgs[orgs["org_id"].str.match(r"syn-(donor|ngo|akimat)-")]
    towns = set(small["places"].loc[small["places"]["country"] == "KZ", "place_id"])
    homes = generated["home_place_id"].replace("", None).dropna()
    assert set(homes) <= towns
    assert 0.7 < len(homes) / len(generated) < 0.95  # a few have no known home, as real ones
    snap = build_snapshot(small, "v")
    starts = {leg.start.how for leg in flow_legs(snap, Filters()).legs}
    assert "home" in starts


def test_same_seed_same_data_other_seed_other_data():
    first, again, other = synthesize(120, seed=1), synthesize(120, seed=1), synthesize(120, seed=2)
    for name in first:
        pd.testing.assert_frame_equal(first[name], again[name])
    assert not first["sites"]["lon"].equals(other["sites"]["lon"])


def test_synth_command_writes_a_folder_that_validates(tmp_path, capsys):
    out = tmp_path / "syn"
    assert main(["synth", "60", "--out", str(out), "--seed", "4"]) == 0
    assert (out / "regions_full.geojson").exists()
    assert main(["validate", "--geodata", str(out)]) == 0
    assert "60 sites" in capsys.readouterr().err


def test_synth_command_refuses_a_size_below_the_bundled_set(tmp_path, capsys):
    assert main(["synth", "10", "--out", str(tmp_path / "x")]) == 2
    assert "26" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "words"), [
    (["synth", "1000000000"], "at most 1,000,000 sites"),
    (["synth", "60", "--seed", "-1"], "seed"),
])
def test_synth_command_refuses_a_huge_size_or_a_negative_seed(tmp_path, capsys, args, words):
    assert main([*args, "--out", str(tmp_path / "x")]) == 2
    assert words in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_synth_command_says_when_it_cannot_write(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["synth", "60", "--out", str(blocker / "x")]) == 1
    assert "cannot write" in capsys.readouterr().err


@pytest.mark.parametrize("seed", range(6))
def test_results_name_only_sites_of_their_own_project(seed):
    # Seed 1 once named a site past the end of the table: a one-site project came last.
    data = synthesize(300, seed=seed)
    site_project = dict(zip(data["sites"]["site_id"], data["sites"]["project_id"], strict=True))
    named = data["results"].loc[data["results"]["site_ids"] != ""]
    assert len(named)
    for project_id, site_ids in zip(named["project_id"], named["site_ids"], strict=True):
        assert {site_project[s] for s in site_ids.split(";")} == {project_id}


def test_a_share_of_generated_sites_can_have_no_point() -> None:
    plain = synthesize(500, seed=3)
    data = synthesize(500, seed=3, pointless_share=0.1)
    sites = data["sites"]
    national = sites["precision"] == "national"
    whole_region = sites["precision"] == "region"
    assert national.sum() > 5 and whole_region.sum() > 5
    assert sites.loc[national | whole_region, ["lon", "lat"]].isna().all().all()
    assert (sites.loc[national, "region_code"] == "").all()
    assert (sites.loc[whole_region, "region_code"] != "").all()
    assert validate(data) == []
    # Everything else is the seed's data as it always was.
    for name in data:
        if name != "sites":
            pd.testing.assert_frame_equal(data[name], plain[name])
    kept = ~(national | whole_region)
    pd.testing.assert_frame_equal(sites.loc[kept], plain["sites"].loc[kept])


@pytest.mark.parametrize("share", [-0.1, 1.5])
def test_a_share_outside_zero_to_one_is_refused(share: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        synthesize(100, pointless_share=share)


def test_cli_synth_writes_sites_without_a_point(tmp_path: Path) -> None:
    assert main(["synth", "300", "--out", str(tmp_path), "--pointless-share", "0.2"]) == 0
    data, problems = read_dataset(tmp_path)
    assert problems == [] and validate(data) == []
    assert data["sites"]["precision"].isin(["region", "national"]).sum() > 10
