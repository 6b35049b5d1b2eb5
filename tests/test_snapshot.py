"""A snapshot keeps what queries derive from it: built once, shared by every view."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

from atlas.snapshot import Snapshot


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
