"""Fixtures of the AppTest modules: each module gets a private store built from geodata/."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas.snapshot import Snapshot, build_snapshot
from atlas.store import open_store
from tests.pages.support import ROOT


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This module's own store, built once from geodata/."""
    path = tmp_path_factory.mktemp("atlas-apptest") / "atlas.sqlite"
    open_store(path)
    return path


@pytest.fixture(autouse=True)
def app_env(store_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every app run reads the module's store, from the repo root (AppTest's relative paths)."""
    monkeypatch.setenv("ATLAS_STORE", str(store_file))
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def app_snap(store_file: Path) -> Snapshot:
    """The snapshot the app shows, for expectations computed with the library."""
    store = open_store(store_file)
    return build_snapshot(store.load(), store.data_version())
