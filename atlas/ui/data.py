"""The store and the snapshot the pages read, cached per store and data version.

Every page gets the store through here, so a store that cannot be used (damaged, lacking part
of its schema, deleted or replaced while the app runs, busy, read-only for the staff pages)
is shown as a message in the reader's language, and the page stops there: never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import streamlit as st

from atlas.i18n import t
from atlas.paths import store_path
from atlas.snapshot import Snapshot, build_snapshot
from atlas.store import SqlStore, StoreError, StoreReadOnly, open_store
from atlas.ui.state import current_language
from atlas.ui.text import md


@st.cache_resource(show_spinner=False)
def _store(path: str) -> SqlStore:
    return open_store(Path(path))


@st.cache_resource(show_spinner=False, max_entries=4)
def _snapshot(path: str, version: str) -> Snapshot:
    store = _store(path)
    return build_snapshot(store.load(), version)


def store_message(code: str, params: dict[str, Any], lang: str) -> str:
    """A StoreError's message (its ``code`` and ``params``) in ``lang``, as Markdown."""
    return t(code, lang, **{name: md(value) for name, value in params.items()})


def _refuse(exc: StoreError) -> NoReturn:
    st.error(store_message(exc.code, exc.params, current_language()))
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover


def _open() -> SqlStore:
    """The store, still the file at its path (StoreReplaced otherwise)."""
    store = _store(str(store_path()))
    store.check_in_place()
    return store


def current_store() -> SqlStore:
    """The store the staff pages read and write (a read-only store stops them: logging in,
    saving and importing all write)."""
    try:
        store = _open()
    except StoreError as exc:
        _refuse(exc)
    if store.read_only:
        _refuse(StoreReadOnly(store.path))
    return store


def current_snapshot() -> Snapshot:
    """The snapshot of the current data version (rebuilt only when the data changes)."""
    try:
        store = _open()
        return _snapshot(str(store_path()), store.data_version())
    except StoreError as exc:
        _refuse(exc)
