"""The views a page run shares are computed once per data version, filters and currency."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from atlas.dataset import DataSet
from atlas.query import Filters, summarize
from atlas.snapshot import Snapshot, build_snapshot
from atlas.store import open_store
from atlas.ui import data


@pytest.fixture(autouse=True)
def fresh_caches() -> Iterator[None]:
    caches = (data._summary, data._projects_table, data._sankey, data._sankey_view,
              data._snapshot, data._store)
    for cached in caches:
        cached.clear()
    yield
    for cached in caches:
        cached.clear()


def _counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[object]:
    calls: list[object] = []
    real = getattr(data, name)
    monkeypatch.setattr(data, name, lambda *a, **k: calls.append(a) or real(*a, **k))
    return calls


def test_a_rerun_that_changed_nothing_computes_nothing(snap: Snapshot,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch, "summarize")
    first = data.view_summary(snap, Filters(donors=("eu",)), "KZT")
    again = data.view_summary(snap, Filters(donors=("eu",)), "KZT")  # equal, not the same
    assert again is first and len(calls) == 1
    expected = summarize(snap, Filters(donors=("eu",)), "KZT")
    assert (first.project_ids, first.funding, first.flows) == \
        (expected.project_ids, expected.funding, expected.flows)
    data.view_summary(snap, Filters(donors=("eu",)), "EUR")
    data.view_summary(snap, Filters(), "KZT")
    assert len(calls) == 3


def test_another_snapshot_of_the_same_version_is_its_own_view(
        snap: Snapshot, bundled: DataSet, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch, "summarize")
    other = build_snapshot(bundled, snap.version)
    data.view_summary(snap, Filters(), "EUR")
    data.view_summary(other, Filters(), "EUR")
    assert len(calls) == 2


def test_the_projects_table_and_sankey_reuse_the_view(snap: Snapshot,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    summaries = _counting(monkeypatch, "summarize")
    tables = _counting(monkeypatch, "projects_table")
    bands = _counting(monkeypatch, "sankey_data")
    figures = _counting(monkeypatch, "sankey_figure")
    for _ in range(2):
        table = data.view_projects_table(snap, Filters(sdgs=(16,)), "ru", "USD")
        data.view_summary(snap, Filters(sdgs=(16,)), "USD")
        data.view_sankey(snap, Filters(sdgs=(16,)), "USD")
        data.view_sankey_figure(snap, Filters(sdgs=(16,)), "ru", "USD")
    assert (len(summaries), len(tables), len(bands), len(figures)) == (1, 1, 1, 1)
    assert list(table["project_id"]) == summarize(snap, Filters(sdgs=(16,)), "USD").project_ids


def test_warming_up_leaves_the_first_page_run_nothing_to_load(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "atlas.sqlite"
    open_store(path)
    monkeypatch.setenv("ATLAS_STORE", str(path))
    builds = _counting(monkeypatch, "build_snapshot")
    summaries = _counting(monkeypatch, "summarize")
    data.warm_up()
    assert (len(builds), len(summaries)) == (1, 1)
    snap = data.current_snapshot()  # what the first page run does
    data.view_summary(snap, Filters(), "EUR")
    assert (len(builds), len(summaries)) == (1, 1)
    assert "atlas.maps.explorer" in sys.modules


def test_warming_up_leaves_components_for_the_first_page_run_to_declare(tmp_path: Path) -> None:
    """A Streamlit component declared outside a page run is never served (the map's iframe
    got a 404): warming up must not import one."""
    script = ("import sys; from atlas.ui import data; data.warm_up(); "
              "print(sorted(m for m in sys.modules if m.startswith('streamlit_folium') "
              "or m in ('atlas.ui.explorer', 'atlas.maps.explorer')))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env={**os.environ, "ATLAS_STORE": str(tmp_path / "atlas.sqlite")},
                         timeout=300, check=True)
    assert out.stdout.strip().splitlines()[-1] == "['atlas.maps.explorer']"


def test_a_store_that_cannot_be_read_does_not_stop_the_server(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "atlas.sqlite").write_bytes(b"not a database")
    monkeypatch.setenv("ATLAS_STORE", str(tmp_path / "atlas.sqlite"))
    data.warm_up()  # logs, raises nothing: the first page run shows the message
    assert "warming up failed" in caplog.text
