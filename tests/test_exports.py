"""Downloads of the explorer view: one row per matching site, its project and its shares."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from atlas.dataset import DataSet
from atlas.exports import filtered_sites, sites_csv, sites_geojson
from atlas.query import Filters, donor_ids
from atlas.snapshot import Snapshot, build_snapshot
from atlas.synth import synthesize
from tests.exports_reference import sites_row_by_row
from tests.pointless import NATIONAL_SITE, REGION_CODE, REGION_SITE, with_pointless_sites
from tests.scans import ColumnScans

_GENERATED: dict[int, Snapshot] = {}


def generated(seed: int) -> Snapshot:
    """A generated set of 300 sites (built once per seed)."""
    if seed not in _GENERATED:
        _GENERATED[seed] = build_snapshot(synthesize(300, seed=seed), f"generated-{seed}")
    return _GENERATED[seed]


def views(snap: Snapshot) -> list[Filters]:
    """Filters that pick real parts of a set: its busiest donor and region, a few projects."""
    donor = snap.table("funding_flows")["from_org_id"].value_counts().index[0]
    other = sorted(set(donor_ids(snap)) - {donor})[0]
    region = str(snap.sites["region_code"].value_counts().index[0])
    sdg = int(snap.table("project_sdgs")["goal"].value_counts().index[0])
    return [Filters(), Filters(donors=(donor, other)), Filters(regions=(region,)),
            Filters(sdgs=(sdg,), years=(2016, 2022)),
            Filters(projects=tuple(snap.table("projects")["project_id"].iloc[::9])),
            Filters(regions=("nowhere",))]


# Every language and currency, each with every kind of view over the seeds.
SETTINGS = (("en", "EUR"), ("kk", "KZT"), ("ru", "USD"))


def _assert_same(snap: Snapshot, filters: Filters, lang: str, currency: str) -> None:
    expected = sites_row_by_row(snap, filters, lang, currency)
    found = filtered_sites(snap, filters, lang, currency)
    pd.testing.assert_frame_equal(pd.DataFrame(found), pd.DataFrame(expected))
    assert sites_csv(found) == sites_csv(expected)
    assert sites_geojson(found) == sites_geojson(expected)


@pytest.mark.parametrize("seed", [0, 2, 5])
def test_generated_sites_agree_with_the_site_by_site_export(seed: int) -> None:
    snap = generated(seed)
    for i, filters in enumerate(views(snap)):
        lang, currency = SETTINGS[(i + seed) % len(SETTINGS)]
        _assert_same(snap, filters, lang, currency)


def test_bundled_sites_agree_with_the_site_by_site_export(snap: Snapshot) -> None:
    for filters in (Filters(), Filters(donors=("eu",)), Filters(regions=("KAZ011",))):
        for lang, currency in (("en", "EUR"), ("ru", "KZT")):
            _assert_same(snap, filters, lang, currency)


def test_the_export_reads_each_project_from_indexes(monkeypatch: pytest.MonkeyPatch) -> None:
    # Looking up a site's donors, implementers and goals by comparing whole columns with its
    # project id made an export of 10,000 sites take minutes.
    snap = generated(2)
    scans = ColumnScans(monkeypatch)
    sites = filtered_sites(snap, Filters(), "ru")
    assert len(sites) == 300
    assert scans.count < 10


def test_a_source_the_sources_table_lacks_is_left_out(snap: Snapshot) -> None:
    sites = snap.sites.copy()
    sites.loc[sites.index[0], "source_ids"] = "no-such-source"
    broken = Snapshot(snap.version, snap.tables, snap.rates, sites, snap.regions)
    row = filtered_sites(broken, Filters(), "en").set_index("site_id").loc[sites.iloc[0]["site_id"]]
    assert "no-such-source" not in row["sources"]
    assert row["sources"]  # the project's own sources are still cited


# --- sites without a point ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def pointless_snap() -> Snapshot:
    from atlas.dataset import read_dataset
    from atlas.paths import geodata_dir

    data, _ = read_dataset(geodata_dir())
    return build_snapshot(with_pointless_sites(data), "pointless")


def test_a_site_without_a_point_is_a_feature_with_null_geometry(
        pointless_snap: Snapshot) -> None:
    sites = filtered_sites(pointless_snap, Filters(), "en")
    features = {f["properties"]["site_id"]: f
                for f in json.loads(sites_geojson(sites))["features"]}
    for site_id in (NATIONAL_SITE, REGION_SITE):
        assert features[site_id]["geometry"] is None
        assert "lon" not in features[site_id]["properties"]
    assert features[REGION_SITE]["properties"]["region_code"] == REGION_CODE
    assert features[NATIONAL_SITE]["properties"]["region"] == ""
    pointed = [f for sid, f in features.items() if sid not in (NATIONAL_SITE, REGION_SITE)]
    assert all(f["geometry"]["type"] == "Point" for f in pointed)
    assert "NaN" not in sites_geojson(sites)


def test_a_site_without_a_point_has_empty_lon_and_lat_in_the_csv(
        pointless_snap: Snapshot) -> None:
    rows = list(csv.DictReader(io.StringIO(sites_csv(filtered_sites(pointless_snap, Filters())))))
    by_id = {r["site_id"]: r for r in rows}
    for site_id in (NATIONAL_SITE, REGION_SITE):
        assert (by_id[site_id]["lon"], by_id[site_id]["lat"]) == ("", "")
    assert by_id[NATIONAL_SITE]["precision"] == "national"
    assert by_id["s-ps-kuryk"]["lon"] != ""


@pytest.mark.parametrize("seed", [1, 4])
def test_generated_pointless_sites_agree_with_the_site_by_site_export(seed: int) -> None:
    snap = build_snapshot(synthesize(300, seed=seed, pointless_share=0.2), f"pointless-{seed}")
    assert snap.sites["lon"].isna().sum() > 10
    for i, filters in enumerate(views(snap)):
        lang, currency = SETTINGS[(i + seed) % len(SETTINGS)]
        _assert_same(snap, filters, lang, currency)


def test_a_projects_iati_identifier_travels_with_its_sites(bundled: DataSet) -> None:
    data = {name: frame.copy() for name, frame in bundled.items()}
    projects = data["projects"]
    projects.loc[projects["project_id"] == "glocal", "iati_identifier"] = "XX-TEST-GLOCAL"
    snap = build_snapshot(data, "iati")
    rows = filtered_sites(snap, Filters())
    ids = dict(zip(rows["project_id"], rows["iati_identifier"], strict=True))
    assert ids["glocal"] == "XX-TEST-GLOCAL" and ids["efca-public-spaces"] == ""
    assert "XX-TEST-GLOCAL" in sites_csv(rows)
    assert '"iati_identifier": "XX-TEST-GLOCAL"' in sites_geojson(rows)
