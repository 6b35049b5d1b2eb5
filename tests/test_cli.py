from __future__ import annotations

import json
from pathlib import Path

import pytest

from atlas.cli import main


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    assert main(["summary", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_summary_contract(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(capsys)
    assert set(out) == {"projects", "sites", "organizations", "funding_eur",
                        "funding_eur_qualifier", "people_reached", "people_reached_qualifier",
                        "project_ids", "regions"}
    assert (out["projects"], out["sites"]) == (5, 26)
    assert isinstance(out["funding_eur"], int | float)
    assert out["funding_eur_qualifier"] == "at_least"  # TCO's and the ministry's amounts unknown
    assert out["people_reached_qualifier"] == "at_least"
    for region in out["regions"]:
        assert set(region) == {"code", "name_en", "projects", "funding_eur"}


@pytest.mark.parametrize("donor", ["eu", "EU", "European Union", "Европейский Союз"])
def test_summary_by_donor_name_or_id(capsys: pytest.CaptureFixture[str], donor: str) -> None:
    out = run_json(capsys, "--donor", donor)
    assert out["funding_eur"] == 1_232_570
    assert sorted(out["project_ids"]) == ["auyldy-birlese-damytu", "eu-tald-east-central",
                                          "glocal"]
    assert [r["code"] for r in out["regions"]] == ["KAZ008", "KAZ011", "KAZ013", "KAZ014"]


@pytest.mark.parametrize("region", ["KAZ014", "Mangystau", "Mangystau Region",
                                    "Маңғыстау облысы"])
def test_summary_by_region_name_or_code(capsys: pytest.CaptureFixture[str], region: str) -> None:
    out = run_json(capsys, "--region", region)
    assert sorted(out["project_ids"]) == ["auyldy-birlese-damytu", "efca-public-spaces"]


def test_summary_by_sdg(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_json(capsys, "--sdg", "11")["project_ids"] == ["glocal", "efca-public-spaces"]


def test_unknown_funding_is_null_never_zero(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(capsys, "--donor", "tco")
    assert out["funding_eur"] is None and out["funding_eur_qualifier"] == "unknown"


def test_bad_filters_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "--json", "--sdg", "18"]) == 2
    assert "SDG 18 does not exist" in capsys.readouterr().err
    assert main(["summary", "--donor", "Nobody"]) == 2


def test_export_geojson_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "eu.geojson"
    assert main(["export", "--format", "geojson", "--donor", "eu", "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert len(data["features"]) == 19
    first = data["features"][0]
    assert first["geometry"]["type"] == "Point"
    assert {"project", "donors", "region", "precision", "sources"} <= set(first["properties"])
    csv_out = tmp_path / "sites.csv"
    assert main(["export", "--format", "csv", "--region", "Karaganda", "--out",
                 str(csv_out), "--lang", "ru"]) == 0
    text = csv_out.read_text()
    assert text.count("\n") == 7 and "Карагандинская область" in text


def test_validate_and_export_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert main(["export-data", "--out", str(tmp_path)]) == 0
    geodata = Path(__file__).resolve().parent.parent / "geodata"
    for path in geodata.glob("*.csv"):
        assert (tmp_path / path.name).read_text() == path.read_text()


def test_validate_reports_file_row_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    geodata = Path(__file__).resolve().parent.parent / "geodata"
    for path in geodata.iterdir():
        if path.suffix in (".csv", ".geojson"):
            (tmp_path / path.name).write_bytes(path.read_bytes())
    sites = tmp_path / "sites.csv"
    lines = sites.read_text().splitlines(keepends=True)
    line = next(i for i, text in enumerate(lines, 1) if "KAZ014,51.68116,43.18032" in text)
    sites.write_text(sites.read_text().replace("KAZ014,51.68116,43.18032",
                                               "KAZ014,151.68116,43.18032"))
    assert main(["validate", "--geodata", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path.name}/sites.csv:{line}: lon: " in out and "outside Kazakhstan" in out
