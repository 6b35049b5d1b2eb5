"""Downloads of the explorer view: one row per matching site, its project and its shares."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas.exports import filtered_sites, sites_csv, sites_geojson
from atlas.query import Filters, donor_ids
from atlas.snapshot import Snapshot, build_snapshot
from atlas.synth import synthesize
from tests.exports_reference import sites_row_by_row
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
