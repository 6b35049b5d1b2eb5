"""The snapshot the pages read, cached per store and data version."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from atlas.paths import store_path
from atlas.snapshot import Snapshot, build_snapshot
from atlas.store import SqlStore, open_store


@st.cache_resource(show_spinner=False)
def _store(path: str) -> SqlStore:
    return open_store(Path(path))


@st.cache_resource(show_spinner=False, max_entries=4)
def _snapshot(path: str, version: str) -> Snapshot:
    store = _store(path)
    return build_snapshot(store.load(), version)


def current_store() -> SqlStore:
    """The store the app reads and staff write to."""
    return _store(str(store_path()))


def current_snapshot() -> Snapshot:
    """The snapshot of the current data version (rebuilt only when the data changes)."""
    path = str(store_path())
    return _snapshot(path, _store(path).data_version())
