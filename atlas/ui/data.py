"""The store and the snapshot the pages read, cached per store and data version.

Every page gets the store through here, so a store that cannot be used (damaged, lacking part
of its schema, deleted or replaced while the app runs, busy, read-only for the staff pages)
is shown as a message in the reader's language, and the page stops there: never a traceback.
"""

from __future__ import annotations

import logging
from typing import Any, NoReturn

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from atlas.cards import projects_table
from atlas.charts.sankey import flow_table, sankey_figure
from atlas.flows import SankeyData, sankey_data
from atlas.i18n import t
from atlas.query import Filters, Summary, summarize
from atlas.snapshot import Snapshot, build_snapshot
from atlas.store import SqlStore, StoreError, StoreReadOnly, open_store, store_location
from atlas.ui.state import current_language
from atlas.ui.text import md

_log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def _store(location: str) -> SqlStore:
    """One store (and connection pool) per location, an SQLite file's URL or a database's."""
    return open_store(location)


@st.cache_resource(show_spinner=False, max_entries=4)
def _snapshot(location: str, version: str) -> Snapshot:
    store = _store(location)
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
    store = _store(store_location())
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


def _current() -> Snapshot:
    """The snapshot of the store's current data version, read from the database on every run
    (so a change saved through another app server shows at once); raises StoreError."""
    return _snapshot(store_location(), _open().data_version())


def current_snapshot() -> Snapshot:
    """The snapshot of the current data version (rebuilt only when the data changes)."""
    try:
        return _current()
    except StoreError as exc:
        _refuse(exc)


def warm_up() -> None:
    """Import the pages' libraries and load the snapshot, its indexes and the summary of the
    whole atlas into the shared caches (run by the server while it starts): at 10,000 sites
    the first page run otherwise spends seconds importing folium and plotly and seconds more
    reading the store."""
    try:
        # The libraries only: a module that declares a Streamlit component (streamlit-folium,
        # so any page module) must be imported first by a page run, or the server never
        # registers the component and the browser gets a 404 for it.
        import atlas.charts.sankey  # noqa: F401  (plotly)
        import atlas.maps.explorer  # noqa: F401  (folium)

        view_summary(_current(), Filters(), "EUR")
    except Exception:  # the first page run reports the problem, in the reader's language
        _log.warning("warming up failed; the first page run loads the data", exc_info=True)


# --- what several widgets of one page run read: computed once per view -----------------------
# Keyed on small hashable values (the snapshot's version and identity, a frozen Filters, the
# language and currency); the snapshot itself is passed unhashed (leading underscore), since
# hashing or pickling a whole data version would cost more than the query. A rerun that
# changed nothing computes nothing. The results are shared between sessions: never modify one.

VIEWS = 16  # a few views per session (the explorer, a tour step, a Sankey band) for a few users


@st.cache_resource(show_spinner=False, max_entries=VIEWS)
def _summary(_snap: Snapshot, version: str, snap_id: int, filters: Filters,
             currency: str) -> Summary:
    return summarize(_snap, filters, currency)


@st.cache_resource(show_spinner=False, max_entries=VIEWS)
def _projects_table(_snap: Snapshot, version: str, snap_id: int, filters: Filters, lang: str,
                    currency: str) -> pd.DataFrame:
    summary = view_summary(_snap, filters, currency)
    return projects_table(_snap, summary.project_ids, lang, filters.donors, currency)


@st.cache_resource(show_spinner=False, max_entries=VIEWS)
def _sankey(_snap: Snapshot, version: str, snap_id: int, filters: Filters,
            currency: str) -> SankeyData:
    return sankey_data(_snap, filters, currency)


def view_summary(snap: Snapshot, filters: Filters, currency: str) -> Summary:
    """``summarize`` of a view, computed once per data version, filters and currency."""
    return _summary(snap, snap.version, id(snap), filters, currency)


def view_projects_table(snap: Snapshot, filters: Filters, lang: str,
                        currency: str) -> pd.DataFrame:
    """The projects table of a view (its matching projects), computed once per view."""
    return _projects_table(snap, snap.version, id(snap), filters, lang, currency)


@st.cache_resource(show_spinner=False, max_entries=2 * VIEWS)
def _sankey_view(_snap: Snapshot, version: str, snap_id: int, filters: Filters, lang: str,
                 currency: str, what: str) -> Any:
    data = view_sankey(_snap, filters, currency)
    if what == "figure":
        return sankey_figure(_snap, data, lang, currency)
    return flow_table(_snap, data, lang, currency)


def view_sankey_figure(snap: Snapshot, filters: Filters, lang: str, currency: str) -> go.Figure:
    """The Sankey figure of a view (plotly validates every band: slow to build on each rerun)."""
    return _sankey_view(snap, snap.version, id(snap), filters, lang, currency, "figure")


def view_flow_table(snap: Snapshot, filters: Filters, lang: str, currency: str) -> pd.DataFrame:
    """The Sankey's bands as a table (the phone's view of it), made once per view: folding and
    naming every band again took a tenth of a second at 10,000 sites, on every rerun."""
    return _sankey_view(snap, snap.version, id(snap), filters, lang, currency, "table")


def view_sankey(snap: Snapshot, filters: Filters, currency: str) -> SankeyData:
    """The Sankey bands of a view, computed once per data version, filters and currency."""
    return _sankey(snap, snap.version, id(snap), filters, currency)
