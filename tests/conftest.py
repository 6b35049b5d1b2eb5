"""Shared fixtures: the bundled data set, a snapshot of it, and a private store."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas.dataset import DataSet, read_dataset
from atlas.paths import REPO_ROOT
from atlas.snapshot import Snapshot, build_snapshot

GEODATA = REPO_ROOT / "geodata"


@pytest.fixture(autouse=True)
def private_store(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Never touch the developer's .atlas/ store from a test."""
    path = tmp_path_factory.getbasetemp() / "store" / "atlas.sqlite"
    monkeypatch.setenv("ATLAS_STORE", str(path))
    return path


@pytest.fixture(scope="session")
def bundled() -> DataSet:
    data, problems = read_dataset(GEODATA)
    assert problems == []
    return data


@pytest.fixture()
def dataset(bundled: DataSet) -> DataSet:
    """A fresh copy of the bundled data set that a test may change."""
    return {name: df.copy() for name, df in bundled.items()}


@pytest.fixture(scope="session")
def snap(bundled: DataSet) -> Snapshot:
    return build_snapshot(bundled, "test")
