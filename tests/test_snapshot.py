"""A snapshot keeps what queries derive from it: built once, shared by every view."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest

from atlas.snapshot import Snapshot
from tests.pointless import NATIONAL_SITE, REGION_SITE, pointless_snapshot


def test_derived_is_built_once_even_when_threads_ask_together(snap: Snapshot) -> None:
    fresh = replace(snap, version="derived-once")  # a new snapshot starts with nothing derived
    builds = []

    def build() -> tuple[int, ...]:
        builds.append(1)
        time.sleep(0.05)  # widen the window in which a second thread could start a build
        return (1, 2, 3)

    results = []
    threads = [threading.Thread(target=lambda: results.append(fresh.derived("k", build)))
               for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(builds) == 1 and results == [(1, 2, 3)] * 4
    assert fresh.derived("k", build) is results[0] and len(builds) == 1


def test_names_are_copies_of_the_shared_lookup(snap: Snapshot) -> None:
    names = snap.organization_names("en")
    names["eu"] = "changed by a caller"
    assert snap.organization_names("en")["eu"] != "changed by a caller"
    assert snap.region_names("kk") == snap.region_names("kk")


def test_a_site_without_a_point_has_no_geometry_and_no_computed_region() -> None:
    sites = pointless_snapshot().sites.set_index("site_id")
    for site_id in (NATIONAL_SITE, REGION_SITE):
        assert sites.at[site_id, "geometry"] is None
        assert sites.at[site_id, "computed_region"] is None
    assert sites.at["s-ps-kuryk", "geometry"].x == pytest.approx(51.68116)
    assert sites.at["s-ps-kuryk", "computed_region"] == "KAZ014"
