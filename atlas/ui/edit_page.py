"""The Edit data page: staff add, change and remove rows; admins manage accounts.

Nothing here is the real protection: ``require_login`` only decides what is drawn, and every
write goes through ``atlas.editing`` (or ``atlas.auth.require`` for accounts), which checks
the account against the store again. A save carries the row version read when the form was
opened, so a save over someone else's newer change is refused, never silently applied.

URL: ``table`` (the table chosen) and ``row`` (the row open in the form, ``new`` for a new
one), ``q`` and ``page`` (the search and page of the table's rows), plus ``lang`` and ``cur``.

A table may hold 100,000 rows: the overview and the row picker show one page of the rows a
search keeps, never the whole table, from indexes built once per data version
(``atlas.edit_forms.row_list``); a reference to a large table is searched, then picked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from html import escape
from typing import Any

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from atlas import auth, gazetteer
from atlas.auth import Account, PermissionDenied
from atlas.edit_forms import (
    LOCATION_COLUMNS,
    LONG_TEXT,
    NON_NEGATIVE,
    OVERVIEW,
    ROW_KEY,
    ROW_LABEL,
    ROW_POSITION,
    Field,
    choice_label,
    code_labels,
    column_label,
    computed_region,
    currency_choices,
    differences,
    form_fields,
    form_values,
    key_text,
    location_from_click,
    location_from_place,
    overview,
    password_problem,
    place_choice_label,
    place_names,
    problem_lines,
    readable_number,
    readable_time,
    reference_labels,
    reference_matches,
    reference_names,
    row_from_values,
    row_list,
    row_page,
    row_position,
    site_location_hint,
    site_needs,
    snapshot_row,
    suggest_id,
)
from atlas.editing import EDITABLE_TABLES, remove_row, save_row
from atlas.figures import format_number
from atlas.i18n import t
from atlas.listing import MAX_QUERY_LENGTH, ListPage
from atlas.maps import style
from atlas.maps.assets import offline_map
from atlas.maps.explorer import KAZAKHSTAN_BOUNDS
from atlas.maps.regions import regions_layer
from atlas.model import TABLES_BY_NAME
from atlas.snapshot import Snapshot
from atlas.store import InvalidData, StaleEdit, StoreError, now_text, row_key
from atlas.ui.chrome import page_frame
from atlas.ui.data import current_snapshot, current_store, store_message
from atlas.ui.paging import page_controls
from atlas.ui.problems import changed_by, problem_text, refusal_text
from atlas.ui.session import current_account, require_login
from atlas.ui.state import (
    MAX_VALUE_LENGTH,
    MAX_VALUES,
    OneOf,
    Param,
    Parsed,
    Text,
    WholeNumber,
    declare_page,
    init_from_url,
    write_url,
)
from atlas.ui.tables import (
    decimal_text,
    markdown_cells,
    show_grid,
    shown_texts,
    wrapped_table,
)
from atlas.ui.text import md

NEW = "new"
TABLE = "e_table"
OPENED = "e_opened"  # (table, row) whose values the form holds
BASE = "e_base"  # the row version read when it was opened
OLD_KEY = "e_old_key"  # its key then (None: a new row)
OUTCOME = "e_outcome"  # what the last save or removal did
CLICK_SEEN = "e_click_seen"  # the last map click already applied
QUERY = "e_query"  # the search through the chosen table's rows
PAGE = "e_page"  # the page of those rows shown
MAP_HEIGHT = 340
PAGE_SIZE = 50  # rows of the overview a page, and so of the row picker
MAX_PAGE = 1_000_000  # a page number beyond the last page shows the last page
OVERVIEW_KEY = "e_overview"  # the container of the overview's wrapped table
COORDINATE_DECIMALS = 6  # a point's longitude and latitude to about 10 cm
LARGE_REFERENCE = 500  # a reference with more choices than this is searched, then picked
REFERENCE_MATCHES = 50  # matches of such a search offered at most


@dataclass(frozen=True)
class RowKey(Param):
    """A row's key text the table holds, or ``new``; else none. Which keys the table holds
    is asked of an index (``holds``), so a table of any size is never listed to check one."""

    holds: Callable[[str], bool] = lambda key: False  # none until bound to a table

    def within(self, holds: Callable[[str], bool]) -> RowKey:
        """This parameter bound to the rows ``holds`` says the table has."""
        return replace(self, holds=holds)

    def _parse(self, raw: Sequence[str]) -> Parsed:
        values = [v.strip() for v in raw[:MAX_VALUES]
                  if isinstance(v, str) and len(v) <= MAX_VALUE_LENGTH]
        for index, value in enumerate(values):
            if value == NEW or self.holds(value):
                return Parsed(value, index > 0 or len(values) < len(raw))
        return Parsed(None, True)


TABLE_PARAM = OneOf("table", EDITABLE_TABLES, "projects")
ROW_PARAM = RowKey("row")  # bound to the chosen table's rows when read
QUERY_PARAM = Text("q", max_length=MAX_QUERY_LENGTH)
PAGE_PARAM = WholeNumber("page", default=1, low=1, high=MAX_PAGE)
declare_page("pages/4_Edit.py", TABLE_PARAM, ROW_PARAM, QUERY_PARAM, PAGE_PARAM)


def _field_key(table: str, column: str) -> str:
    return f"ef_{table}_{column}"


def _row_widget(table: str) -> str:
    return f"e_row_{table}"


# --- opening a row --------------------------------------------------------------------------

def _seed(table: str, values: dict[str, Any]) -> None:
    for column, value in values.items():
        st.session_state[_field_key(table, column)] = value


def _open(table: str, row: str | None) -> None:
    """Fill the form with ``row`` as stored now, and remember its version.

    The version is read before the values, so the values are never older than the version
    a later save claims to start from.
    """
    ss = st.session_state
    ss[OPENED] = (table, row)
    ss.pop(OUTCOME, None)
    ss.pop("e_rm_ok", None)
    if row is None:
        return
    if row == NEW:
        values = form_values(table, None)
        for column in TABLES_BY_NAME[table].columns:
            if column.name in ("qualifier", "budget_qualifier"):
                values[column.name] = "unknown"  # honest until a figure is entered
        _seed(table, values)
        ss[BASE], ss[OLD_KEY] = 0, None
        return
    store = current_store()
    found = snapshot_row(current_snapshot(), table, row)
    if found is None:
        ss[OPENED] = (table, None)
        return
    key = row_key(TABLES_BY_NAME[table], found)
    version = store.row_version(table, key).version
    # Re-read after the version: a change that landed in between is then in the values.
    found = snapshot_row(current_snapshot(), table, row) or found
    _seed(table, form_values(table, found))
    ss[BASE], ss[OLD_KEY] = version, key


def _form_row(table: str) -> dict[str, Any]:
    ss = st.session_state
    values = {c: ss.get(_field_key(table, c)) for c in TABLES_BY_NAME[table].column_names}
    return row_from_values(table, values)


# --- actions (callbacks: they run before the page is drawn, so it shows their result) -------

def _save(table: str) -> None:
    ss = st.session_state
    store, account = current_store(), current_account()
    row = _form_row(table)
    old_key = ss.get(OLD_KEY)
    new = old_key is None
    try:
        applied = save_row(store, account, table, row, int(ss.get(BASE, 0)), new=new,
                           old_key=old_key)
    except InvalidData as exc:
        ss[OUTCOME] = {"kind": "invalid", "problems": exc.problems}
        return
    except StaleEdit as exc:
        exists = new or exc.key != old_key
        ss[OUTCOME] = {"kind": "exists" if exists else "stale", "who": exc.changed_by,
                       "when": exc.changed_at, "key": exc.key, "theirs": exc.current,
                       "mine": row}
        return
    except PermissionDenied as exc:
        ss[OUTCOME] = {"kind": "denied", "code": exc.code, "params": exc.params}
        return
    except StoreError as exc:  # busy, read-only, replaced, damaged: nothing was written
        ss[OUTCOME] = {"kind": "store", "code": exc.code, "params": exc.params}
        return
    key = row_key(TABLES_BY_NAME[table], row)
    ss[_row_widget(table)] = key_text(key)
    _open(table, key_text(key))
    ss[OUTCOME] = {"kind": "saved", "change": applied.change_id}


def _remove(table: str) -> None:
    ss = st.session_state
    store, account = current_store(), current_account()
    key = ss.get(OLD_KEY)
    if key is None:
        return
    try:
        applied = remove_row(store, account, table, key, int(ss.get(BASE, 0)))
    except InvalidData as exc:
        ss[OUTCOME] = {"kind": "invalid", "problems": exc.problems}
        return
    except StaleEdit as exc:
        ss[OUTCOME] = {"kind": "stale", "who": exc.changed_by, "when": exc.changed_at,
                       "key": exc.key, "theirs": exc.current, "mine": _form_row(table)}
        return
    except PermissionDenied as exc:
        ss[OUTCOME] = {"kind": "denied", "code": exc.code, "params": exc.params}
        return
    except StoreError as exc:
        ss[OUTCOME] = {"kind": "store", "code": exc.code, "params": exc.params}
        return
    ss[_row_widget(table)] = None
    _open(table, None)
    ss[OUTCOME] = {"kind": "removed", "change": applied.change_id}


def _load_theirs(table: str, key: str) -> None:
    """Open the row as stored now (the other editor's version), dropping what was typed."""
    st.session_state[_row_widget(table)] = key
    _open(table, key)


def _add_again(table: str) -> None:
    """The row was removed meanwhile: keep the typed values and save them as a new row."""
    ss = st.session_state
    ss[BASE], ss[OLD_KEY] = 0, None
    ss.pop(OUTCOME, None)


def _use_place(table: str, place: gazetteer.GazetteerPlace) -> None:
    ss = st.session_state
    loc = location_from_place(place)
    _seed(table, {k: v for k, v in loc.items() if v is not None})
    names = place_names(place)
    for lang in ("en", "ru", "kk"):
        if not str(ss.get(_field_key(table, f"name_{lang}")) or "").strip():
            ss[_field_key(table, f"name_{lang}")] = names[lang]
    if ss.get(OLD_KEY) is None and not str(ss.get(_field_key(table, "site_id")) or "").strip():
        existing = current_snapshot().table("sites")["site_id"].astype(str)
        ss[_field_key(table, "site_id")] = suggest_id("s", names["en"], existing)


# --- drawing the form -----------------------------------------------------------------------

def _keep_values(table: str) -> None:
    """Re-assign the form's values: they then survive a rerun in which a widget's label
    changed (the language) instead of falling back to the widget default."""
    ss = st.session_state
    for column in TABLES_BY_NAME[table].column_names:
        key = _field_key(table, column)
        if key in ss:
            ss[key] = ss[key]


def _label(column: str, required: bool, lang: str, table: str | None = None) -> str:
    return column_label(column, lang, table) + (" *" if required else "")


def _problem_captions(column: str, problems: dict[str, list[str]]) -> None:
    for message in problems.get(column, []):
        st.caption(f":red[{md(message)}]")


def _select_options(table: str, field: Field, snap: Snapshot, lang: str,
                    current: Any) -> tuple[list[str], dict[str, str]]:
    """Options of a choice or reference, with labels; optional ones start with an empty one."""
    if field.references:
        labels = reference_labels(snap, field.references, lang)
    else:
        choices = field.choices
        if field.name in ("currency", "budget_currency"):
            choices = currency_choices(snap.table("rates"))
        labels = {c: choice_label(table, field.name, c, lang) for c in choices}
    options = list(labels)
    if not field.required:
        options = ["", *options]
        labels[""] = "—"
    if isinstance(current, str) and current not in options:
        options.append(current)  # shown as stored, so nothing is dropped without notice
        labels[current] = current
    return options, labels


def _found_options(table: str, field: Field, snap: Snapshot, lang: str,
                   current: Any) -> tuple[list[str], dict[str, str]]:
    """A search box for a reference to a large table, and the picker's options: the value
    (or values) held now and the first matches of the search, never the whole table."""
    ref = str(field.references)
    names = reference_names(snap, ref, lang)
    query = st.text_input(t("edit_ref_find", lang, n=format_number(len(names), lang)),
                          key=f"{_field_key(table, field.columns[0])}_find",
                          max_chars=MAX_QUERY_LENGTH, placeholder=t("edit_ref_hint", lang))
    held = [v for v in (current if isinstance(current, list) else [current])
            if isinstance(v, str) and v]
    matches: list[str] = []
    if query.strip():
        found = reference_matches(snap, ref, lang, query, REFERENCE_MATCHES)
        matches = found.ids
        _matches_note(found, lang)
    options = list(dict.fromkeys([*held, *matches]))
    if field.kind != "ids" and not field.required:
        options = ["", *options]
    labels = {v: names.get(v, v) for v in options}
    labels[""] = "—"
    return options, labels


def _matches_note(found: ListPage, lang: str) -> None:
    """Under a reference search: nothing found, or only the first matches offered."""
    if not found.total:
        st.caption(md(t("edit_ref_none", lang)))
    elif found.total > len(found.rows):
        st.caption(md(t("edit_ref_more", lang, shown=format_number(len(found.rows), lang),
                        total=format_number(found.total, lang))))


def _widget(table: str, field: Field, snap: Snapshot, lang: str,
            problems: dict[str, list[str]], *, required: bool | None = None,
            help_text: str | None = None) -> None:
    """The input of ``field``; ``required`` marks its label when a rule of the row, not the
    column, requires it (a site's region, by its precision), ``help_text`` explains that rule."""
    ss = st.session_state
    key = _field_key(table, field.columns[0])
    label = _label(field.name, field.required if required is None else required, lang, table)
    if field.kind == "names":
        cols = st.columns(3)
        box = st.text_area if field.name in LONG_TEXT else st.text_input
        for col, column in zip(cols, field.columns, strict=True):
            with col:
                box(_label(column, column.endswith("_en"), lang), key=_field_key(table, column))
                _problem_captions(column, problems)
        return
    large = field.references is not None and \
        len(reference_names(snap, field.references, lang)) > LARGE_REFERENCE
    if field.kind in ("choice", "reference"):
        if large:
            options, labels = _found_options(table, field, snap, lang, ss.get(key))
        else:
            options, labels = _select_options(table, field, snap, lang, ss.get(key))
        if ss.get(key) is not None and ss.get(key) not in options:
            ss[key] = None
        st.selectbox(label, options, key=key, index=None,
                     format_func=lambda x: labels.get(x, str(x)),
                     placeholder=t("edit_choose", lang), help=help_text)
    elif field.kind == "ids" and field.references is None:  # codes of a list (DAC sectors)
        labels = code_labels(table, field.columns[0])
        current = [v for v in ss.get(key) or [] if v not in labels]
        labels.update({v: v for v in current})
        # No "Select all": a row never cites every code, and Streamlit says it in English only.
        st.multiselect(label, list(labels), key=key, format_func=lambda x: labels.get(x, str(x)),
                       placeholder=t("edit_choose", lang), select_all=False)
    elif field.kind == "ids":
        ref = str(field.references)
        if large:
            options, labels = _found_options(table, field, snap, lang, ss.get(key))
        else:
            labels = reference_labels(snap, ref, lang)
            current = [v for v in ss.get(key) or [] if v not in labels]
            labels.update({v: v for v in current})
            options = list(labels)
        st.multiselect(label, options, key=key, format_func=lambda x: labels.get(x, str(x)),
                       placeholder=t("edit_choose", lang), select_all=False)
    elif field.kind == "number":
        minimum = 0.0 if field.name in NON_NEGATIVE else None
        value = st.number_input(label, key=key, value=None, min_value=minimum, step=1.0,
                                format="%.2f", placeholder=t("edit_unknown", lang),
                                help=t("edit_empty_unknown", lang)
                                if field.name in NON_NEGATIVE else None)
        # The box shows no thousands separators: the figure is repeated readably.
        st.caption(md(readable_number(value) if value is not None else t("edit_unknown", lang)))
    elif field.kind == "integer":
        st.number_input(label, key=key, value=None, step=1, placeholder="—")
    elif field.kind == "bool":
        st.checkbox(label, key=key)
    elif field.kind == "long_text":
        st.text_area(label, key=key, height=80)
    else:
        st.text_input(label, key=key)
    _problem_captions(field.columns[0], problems)


def _location_map(table: str, snap: Snapshot, lang: str) -> dict[str, Any] | None:
    """A small offline map of the regions with the site's point; returns st_folium's state."""
    ss = st.session_state
    lon, lat = ss.get(_field_key(table, "lon")), ss.get(_field_key(table, "lat"))
    point = [float(lat), float(lon)] if lon is not None and lat is not None else None
    fmap = offline_map(lang, location=point or [48.0, 67.0],
                       zoom_start=6 if point else 4, min_zoom=3, max_zoom=13,
                       control_scale=True, scroll_wheel_zoom=True)
    regions = snap.regions.copy()
    stated = ss.get(_field_key(table, "region_code"))
    regions["tooltip"] = [escape(str(n)) for n in regions[f"name_{lang}"]]
    # The stated region is tinted, so a point outside it is seen before saving.
    regions["style"] = [{"fillColor": style.SEQUENTIAL[0] if code == stated else style.NO_DATA,
                         "color": style.BORDER, "weight": 1, "fillOpacity": 0.9}
                        for code in regions["code"]]
    regions_layer(regions).add_to(fmap)
    fmap.get_root().header.add_child(folium.Element(  # type: ignore[attr-defined]
        "<style>.leaflet-container{background:#dfe8ee;cursor:crosshair}</style>"))
    project = ss.get(_field_key(table, "project_id"))
    sites = snap.table("sites")
    for s in sites.loc[sites["project_id"] == project].to_dict("records"):
        if pd.isna(s["lon"]) or pd.isna(s["lat"]):
            continue  # a whole-region or nationwide site has no point to show
        folium.CircleMarker([s["lat"], s["lon"]], radius=4, color="#555", weight=1,
                            fill=True, fill_opacity=0.7,
                            tooltip=escape(str(s[f"name_{lang}"] or s["name_en"]))).add_to(fmap)
    if point:
        folium.CircleMarker(point, radius=8, color="#c0392b", weight=3, fill=True,
                            fill_opacity=0.5,
                            tooltip=escape(t("edit_this_site", lang))).add_to(fmap)
    else:
        fmap.fit_bounds(KAZAKHSTAN_BOUNDS)
    result = st_folium(fmap, key=_map_key(), height=MAP_HEIGHT,
                       use_container_width=True, returned_objects=["last_clicked"])
    return result if isinstance(result, dict) else None


def _map_key() -> str:
    """One map per opened row, so a click made for another row is not applied to this one."""
    return f"e_map_{(st.session_state.get(OPENED) or (None, None))[1]}"


def _last_click(state: Any) -> Any:
    return state.get("last_clicked") if isinstance(state, dict) else None


def _apply_click(table: str, clicked: Any, account: Account) -> bool:
    """A new click on the map places the site there (each click once); True if it did."""
    ss = st.session_state
    if not isinstance(clicked, dict) or clicked.get("lat") is None:
        return False
    event = (ss.get(OPENED), round(float(clicked["lng"]), 6), round(float(clicked["lat"]), 6))
    if ss.get(CLICK_SEEN) == event:
        return False
    ss[CLICK_SEEN] = event
    loc = location_from_click(float(clicked["lng"]), float(clicked["lat"]), account.name,
                              now_text()[:10])
    _seed(table, {k: v for k, v in loc.items() if v is not None})
    if not ss.get(_field_key(table, "precision")):
        ss[_field_key(table, "precision")] = "settlement"
    return True


def _location_block(table: str, snap: Snapshot, lang: str, account: Account,
                    problems: dict[str, list[str]]) -> None:
    """Where the site is: pick a gazetteer place or click the map; the region is computed
    from the point and shown next to the stated one."""
    ss = st.session_state
    fields = {f.name: f for f in form_fields(TABLES_BY_NAME[table])}
    regions = snap.region_names(lang)
    st.markdown(f"**{md(t('edit_location', lang))}**")
    # The map's last state is in the session before it is drawn: a click made on the last
    # run moves the point now, so the map below already shows it there.
    _apply_click(table, _last_click(ss.get(_map_key())), account)
    find, where = st.columns([2, 3])
    with find:
        query = st.text_input(t("edit_gz_search", lang), key="e_gz_q",
                              placeholder=t("edit_gz_hint", lang))
        places = gazetteer.search(query, snap.table("places"), lang) if query.strip() else []
        if query.strip() and not places:
            st.caption(md(t("edit_gz_none", lang)))
        if places:
            if not isinstance(ss.get("e_gz_pick"), int) or ss["e_gz_pick"] >= len(places):
                ss["e_gz_pick"] = 0
            pick = st.selectbox(t("edit_gz_results", lang), range(len(places)),
                                key="e_gz_pick",
                                format_func=lambda i: place_choice_label(places[i], regions, lang))
            st.button(t("edit_gz_use", lang), key="e_gz_use", on_click=_use_place,
                      args=(table, places[pick or 0]))
        st.caption(md(t("edit_map_hint", lang)))
    with where:
        state = _location_map(table, snap, lang)
    if _apply_click(table, _last_click(state), account):
        st.rerun()  # a click the session did not hold yet: draw the map again with it
    # What is required follows the precision chosen (drawn below, held since the last run),
    # as the validator's rule does: no point for a whole region, nor a region for the country.
    precision = ss.get(_field_key(table, "precision"))
    needs = site_needs(precision)
    c_lon, c_lat, c_region = st.columns([1, 1, 2])
    with c_lon:
        st.number_input(_label("lon", needs.point, lang), key=_field_key(table, "lon"),
                        value=None, min_value=-180.0, max_value=180.0, step=0.0001,
                        format="%.5f", help=t("edit_point_help", lang))
        _problem_captions("lon", problems)
    with c_lat:
        st.number_input(_label("lat", needs.point, lang), key=_field_key(table, "lat"),
                        value=None, min_value=-90.0, max_value=90.0, step=0.0001,
                        format="%.5f", help=t("edit_point_help", lang))
        _problem_captions("lat", problems)
    lon, lat = ss.get(_field_key(table, "lon")), ss.get(_field_key(table, "lat"))
    computed = computed_region(lon, lat)
    with c_region:
        _widget(table, fields["region_code"], snap, lang, problems, required=needs.region,
                help_text=t("edit_region_help", lang))
        stated = ss.get(_field_key(table, "region_code"))
        if lon is None or lat is None:
            pass
        elif computed is None:
            st.warning(md(t("edit_region_outside", lang)))
        else:
            st.markdown(md(t("edit_region_computed", lang,
                             region=f"{regions.get(computed, computed)} ({computed})")))
            if stated and stated != computed:
                st.warning(md(t("edit_region_mismatch", lang,
                                computed=regions.get(computed, computed),
                                stated=regions.get(stated, stated))))
    if hint := site_location_hint(precision, lang):
        st.caption(md(hint))
    c_precision, c_basis = st.columns([1, 3])
    with c_precision:
        _widget(table, fields["precision"], snap, lang, problems)
    with c_basis:
        _widget(table, fields["location_basis"], snap, lang, problems)


def _form(table: str, snap: Snapshot, lang: str, account: Account) -> None:
    ss = st.session_state
    _keep_values(table)
    outcome = ss.get(OUTCOME) or {}
    problems: dict[str, list[str]] = {}
    if outcome.get("kind") == "invalid":
        for column, text in problem_lines(outcome["problems"], table, lang,
                                         lambda p: problem_text(p, lang)):
            if column:
                problems.setdefault(column, []).append(text.split(": ", 1)[-1])
    short: list[Field] = []

    def flush() -> None:
        # Short inputs three to a line, so the form stays compact.
        for start in range(0, len(short), 3):
            cols = st.columns(3)
            for col, field in zip(cols, short[start:start + 3], strict=False):
                with col:
                    _widget(table, field, snap, lang, problems)
        short.clear()

    for field in form_fields(TABLES_BY_NAME[table]):
        if table == "sites" and field.name in LOCATION_COLUMNS:
            if field.name == "region_code":
                flush()
                _location_block(table, snap, lang, account, problems)
            continue
        if field.kind in ("names", "long_text", "ids"):
            flush()
            _widget(table, field, snap, lang, problems)
        else:
            short.append(field)
    flush()
    st.caption(md(t("edit_required_note", lang)))


def _outcome(table: str, lang: str) -> None:
    """What the last save or removal did, next to the form."""
    outcome = st.session_state.get(OUTCOME)
    if not outcome:
        return
    kind = outcome["kind"]
    if kind in ("saved", "removed"):
        st.success(md(t(f"edit_{kind}", lang, change=outcome["change"])))
        st.caption(md(t("edit_history_hint", lang)))
    elif kind == "denied":
        st.error(md(t("edit_denied", lang, reason=refusal_text(outcome["code"],
                                                               outcome["params"], lang))))
    elif kind == "store":
        st.error(store_message(outcome["code"], outcome["params"], lang))
    elif kind == "invalid":
        lines = problem_lines(outcome["problems"], table, lang,
                                         lambda p: problem_text(p, lang))
        st.error(md(t("edit_invalid", lang)) + "\n\n" +
                 "\n".join(f"- {md(text)}" for _, text in lines))
    elif kind in ("stale", "exists"):
        who, key = changed_by(outcome["who"], lang), key_text(outcome["key"])
        when = readable_time(outcome["when"]) or "—"
        theirs = outcome["theirs"]
        if kind == "exists":
            st.error(md(t("edit_exists", lang, row=key)))
        elif theirs is None:
            st.error(md(t("edit_stale_removed", lang, who=who, when=when)))
        else:
            st.error(md(t("edit_stale", lang, who=who, when=when)))
        if theirs is not None:
            diffs = differences(table, outcome["mine"], theirs)
            if diffs:
                # Wrapped: a changed note is read whole, both versions side by side.
                wrapped_table(markdown_cells(pd.DataFrame({
                    t("edit_diff_field", lang): [column_label(c, lang, table)
                                                 for c, _, _ in diffs],
                    t("edit_diff_mine", lang): [_shown(v, lang) for _, v, _ in diffs],
                    t("edit_diff_theirs", lang): [_shown(v, lang) for _, _, v in diffs],
                })), "e_conflict")
            st.button(t("edit_load_theirs", lang), key="e_load_theirs", on_click=_load_theirs,
                      args=(table, key))
        else:
            st.button(t("edit_add_again", lang), key="e_add_again", on_click=_add_again,
                      args=(table,))


def _shown(value: Any, lang: str) -> str:
    """A value of the conflict table: a number the reader's way ("30", "51,173925")."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return decimal_text(value, lang, 6)
    return "—" if value is None or value == "" else str(value)


def _version_note(table: str, lang: str) -> None:
    ss = st.session_state
    key = ss.get(OLD_KEY)
    if key is None:
        st.caption(md(t("edit_adding", lang)))
        return
    version = current_store().row_version(table, key)
    if version.version == 0:
        st.caption(md(t("edit_version_never", lang)))
    else:
        st.caption(md(t("edit_version", lang, version=version.version, who=version.changed_by,
                        when=readable_time(version.changed_at))))
    if version.version != ss.get(BASE) and not ss.get(OUTCOME):
        st.warning(md(t("edit_changed_since", lang, who=version.changed_by,
                        when=readable_time(version.changed_at))))
        st.button(t("edit_load_theirs", lang), key="e_load_now", on_click=_load_theirs,
                  args=(table, key_text(key)))


def _new_table() -> None:
    """Another table: its rows from the first page, unsearched."""
    st.session_state[QUERY] = ""
    st.session_state[PAGE] = 1


def _first_page() -> None:
    st.session_state[PAGE] = 1


def _overview(table: str, snap: Snapshot, lang: str, listed: ListPage, query: str) -> None:
    """The page's rows of the table, how many the search keeps, and the page controls."""
    total = len(snap.table(table))
    if query.strip():
        st.caption(md(t("edit_search_count", lang, n=format_number(listed.total, lang),
                        total=format_number(total, lang))))
        if not listed.total:
            st.info(md(t("edit_search_none", lang)))
            return
    rows = snap.table(table).iloc[listed.rows[ROW_POSITION].to_numpy()]
    frame, formats = overview_numbers(table, overview(table, snap, lang, rows), lang)
    # A wrapped table: every cell whole, a row as tall as its own text, the amounts
    # right-aligned; on a phone each row's cells stack. Rows are edited in the form below.
    wrapped_table(markdown_cells(pd.DataFrame(shown_texts(frame, formats))),
                  OVERVIEW_KEY, right=list(formats), tight=True)
    page_controls(listed, PAGE, lang)


def overview_numbers(table: str, frame: pd.DataFrame, lang: str) -> tuple[
        pd.DataFrame, dict[str, Callable[[object], str]]]:
    """The overview with its number columns as numbers (right-aligned, empty ones shown as a
    dash, never "None") and how each is written in ``lang``: amounts and coordinates grouped
    ("458 412", "51,2"), whole numbers such as years and goals as they are ("2017")."""
    frame = frame.copy()
    formats: dict[str, Callable[[object], str]] = {}
    types = {c.name: c.type for c in TABLES_BY_NAME[table].columns}
    for column in OVERVIEW[table]:
        kind = types.get(column)
        if kind not in ("int", "float"):
            continue
        label = column_label(column, lang, table)
        frame[label] = pd.to_numeric(frame[label], errors="coerce").astype(float)
        decimals = 0 if kind == "int" else COORDINATE_DECIMALS if column in ("lon", "lat") \
            else 2
        formats[label] = partial(_number_cell, lang=lang, decimals=decimals)
    return frame, formats


def _number_cell(value: object, lang: str, decimals: int) -> str:
    """A number of the overview: a whole one as it is ("2017", a year or a goal), another
    grouped with up to ``decimals`` decimals; blank when missing."""
    if not decimals:
        return "" if pd.isna(value) else str(int(value))  # type: ignore[call-overload,arg-type]
    return decimal_text(value, lang, decimals)


def _data_section(snap: Snapshot, lang: str, account: Account) -> dict[str, Any]:
    ss = st.session_state
    init_from_url(TABLE, TABLE_PARAM)
    if ss.get(TABLE) not in EDITABLE_TABLES:
        ss[TABLE] = "projects"
    table = st.selectbox(t("edit_table", lang), EDITABLE_TABLES, key=TABLE,
                         format_func=lambda x: t(f"etable_{x}", lang), on_change=_new_table)
    init_from_url(QUERY, QUERY_PARAM)
    init_from_url(PAGE, PAGE_PARAM)
    query = st.text_input(t("edit_search", lang), key=QUERY, max_chars=MAX_QUERY_LENGTH,
                          on_change=_first_page, help=t("edit_search_help", lang))
    listed = row_page(snap, table, lang, query, ss.get(PAGE) or 1, PAGE_SIZE)
    ss[PAGE] = listed.page
    _overview(table, snap, lang, listed, query)
    widget = _row_widget(table)
    init_from_url(widget, ROW_PARAM.within(lambda key: row_position(snap, table, key)
                                           is not None))
    chosen = ss.get(widget)
    if chosen is not None and chosen != NEW and row_position(snap, table, chosen) is None:
        ss[widget] = None
    # Opened before the picker is drawn: a row that vanished meanwhile is unpicked.
    if ss.get(OPENED) != (table, ss.get(widget)):
        _open(table, ss.get(widget))
        if ss.get(OPENED) != (table, ss.get(widget)):
            ss[widget] = None
    # The picker offers this page's rows, and the row open now wherever it is.
    labels = {NEW: t("edit_new_row", lang)}
    current = ss.get(widget)
    if current is not None and current != NEW:
        position = row_position(snap, table, current)
        labels[current] = current if position is None else \
            str(row_list(snap, table, lang)[ROW_LABEL].iat[position])
    labels.update(zip(listed.rows[ROW_KEY].to_list(), listed.rows[ROW_LABEL].to_list(),
                      strict=True))
    row = st.selectbox(t("edit_pick_row", lang), list(labels), key=widget, index=None,
                       format_func=lambda x: labels.get(x, str(x)),
                       placeholder=t("edit_pick_placeholder", lang))
    if len(snap.table(table)) > PAGE_SIZE:
        st.caption(md(t("edit_pick_hint", lang)))
    if row is not None:
        st.subheader(md(labels[row]))
        _version_note(table, lang)
        _form(table, snap, lang, account)
        save, confirm, remove = st.columns([2, 2, 1], vertical_alignment="center")
        save.button(t("edit_save", lang), key="e_save", type="primary", on_click=_save,
                    args=(table,))
        if row != NEW:
            confirm.checkbox(t("edit_remove_confirm", lang), key="e_rm_ok")
            remove.button(t("edit_remove", lang), key="e_remove", on_click=_remove,
                          args=(table,), disabled=not ss.get("e_rm_ok"))
    if ss.get(OPENED, (None,))[0] == table:
        _outcome(table, lang)
    return {"table": table, "row": row, "q": query or None,
            "page": listed.page if listed.page > 1 else None}


# --- accounts -------------------------------------------------------------------------------

ACC_OUTCOME = "acc_outcome"


def _admin_now(account: Account) -> bool:
    """Whether the store (not only this session) says the account is an admin."""
    try:
        auth.require(current_store(), account, "admin")
    except PermissionDenied:
        return False
    return True


def _account_action(lang: str, done: str, action: Any, *args: Any) -> None:
    """Run an account action after checking, against the store, that an admin asks."""
    ss = st.session_state
    store = current_store()
    try:
        auth.require(store, current_account(), "admin")
        action(store, *args)
    except PermissionDenied as exc:  # no longer an admin, logged out, session ended
        ss[ACC_OUTCOME] = ("error", t("edit_denied", lang, reason=refusal_text(
            exc.code, exc.params, lang)))
    except auth.AccountRefused as exc:  # a password rule, a taken name: in the reader's language
        ss[ACC_OUTCOME] = ("error", t("acc_failed", lang,
                                      reason=refusal_text(exc.code, exc.params, lang)))
    except StoreError as exc:  # busy, read-only, replaced: the account was not changed
        ss[ACC_OUTCOME] = ("error", t(exc.code, lang, **exc.params))  # shown through md()
    else:
        ss[ACC_OUTCOME] = ("success", done)


def _new_password(lang: str, name: str, password: str, again: str) -> str | None:
    problem = password_problem(name, password, again)
    if problem is None:
        return None
    return t(problem, lang, n=auth.MIN_PASSWORD_LENGTH) if problem == "acc_pw_short" \
        else t(problem, lang)


def _add_account(lang: str) -> None:
    ss = st.session_state
    name = str(ss.get("acc_new_name") or "").strip()
    refused = _new_password(lang, name, ss.get("acc_new_pw") or "", ss.get("acc_new_pw2") or "")
    if refused:
        ss[ACC_OUTCOME] = ("error", refused)
        return
    _account_action(lang, t("acc_added", lang, name=name), auth.add_user, name,
                    ss.get("acc_new_role") or "editor", ss.get("acc_new_pw") or "")


def _change_role(lang: str) -> None:
    ss = st.session_state
    name, role = ss.get("acc_role_user"), ss.get("acc_role_new")
    me = current_account()
    if not name or not role:
        return
    if me is not None and name == me.name:
        ss[ACC_OUTCOME] = ("error", t("acc_not_self", lang))
        return
    _account_action(lang, t("acc_role_changed", lang, name=name, role=t(f"role_{role}", lang)),
                    auth.set_role, name, role)


def _remove_account(lang: str) -> None:
    ss = st.session_state
    name = ss.get("acc_rm_user")
    me = current_account()
    if not name or not ss.get("acc_rm_ok"):
        return
    if me is not None and name == me.name:
        ss[ACC_OUTCOME] = ("error", t("acc_not_self", lang))
        return
    _account_action(lang, t("acc_removed", lang, name=name), auth.remove_user, name)
    ss.pop("acc_rm_ok", None)


def _set_password(lang: str) -> None:
    ss = st.session_state
    name = ss.get("acc_pw_user")
    if not name:
        return
    refused = _new_password(lang, name, ss.get("acc_pw_new") or "", ss.get("acc_pw_new2") or "")
    if refused:
        ss[ACC_OUTCOME] = ("error", refused)
        return
    _account_action(lang, t("acc_pw_set", lang, name=name), auth.set_password, name,
                    ss.get("acc_pw_new") or "")


def _accounts_section(lang: str, account: Account) -> None:
    """Admins: the accounts, and adding, re-roling, removing and re-passwording them."""
    ss = st.session_state
    users = auth.list_users(current_store())
    names = [u[0] for u in users]
    outcome = ss.pop(ACC_OUTCOME, None)
    if outcome:
        (st.success if outcome[0] == "success" else st.error)(md(outcome[1]))
    show_grid(pd.DataFrame({
        t("acc_col_name", lang): names,
        t("acc_col_role", lang): [t(f"role_{u[1]}", lang) if u[1] in auth.ROLES else u[1]
                                  for u in users],
        t("acc_col_created", lang): [u[2] for u in users],
    }))
    roles = list(auth.ROLES)

    def role_name(role: str) -> str:
        return t(f"role_{role}", lang)

    add, change = st.columns(2)
    with add, st.form("acc_add", clear_on_submit=True):
        st.markdown(f"**{md(t('acc_add', lang))}**")
        st.text_input(t("acc_name", lang), key="acc_new_name")
        st.selectbox(t("acc_role", lang), roles, key="acc_new_role", format_func=role_name)
        st.text_input(t("acc_password", lang), type="password", key="acc_new_pw")
        st.text_input(t("acc_password_again", lang), type="password", key="acc_new_pw2")
        st.form_submit_button(t("acc_add_button", lang), key="acc_add_go",
                              on_click=_add_account, args=(lang,))
    with change:
        st.markdown(f"**{md(t('acc_change_role', lang))}**")
        others = [n for n in names if n != account.name]
        st.selectbox(t("acc_account", lang), others, key="acc_role_user", index=None,
                     placeholder=t("edit_choose", lang))
        st.selectbox(t("acc_new_role", lang), roles, key="acc_role_new", format_func=role_name)
        st.button(t("acc_role_button", lang), key="acc_role_go", on_click=_change_role,
                  args=(lang,))
        st.markdown(f"**{md(t('acc_remove', lang))}**")
        st.selectbox(t("acc_account", lang), others, key="acc_rm_user", index=None,
                     placeholder=t("edit_choose", lang))
        st.checkbox(t("acc_remove_confirm", lang), key="acc_rm_ok")
        st.button(t("acc_remove_button", lang), key="acc_rm_go", on_click=_remove_account,
                  args=(lang,), disabled=not ss.get("acc_rm_ok"))
    with st.form("acc_pw", clear_on_submit=True):
        st.markdown(f"**{md(t('acc_set_password', lang))}**")
        c1, c2, c3 = st.columns(3)
        c1.selectbox(t("acc_account", lang), names, key="acc_pw_user")
        c2.text_input(t("acc_password", lang), type="password", key="acc_pw_new")
        c3.text_input(t("acc_password_again", lang), type="password", key="acc_pw_new2")
        st.form_submit_button(t("acc_pw_button", lang), key="acc_pw_go",
                              on_click=_set_password, args=(lang,))


# --- the page -------------------------------------------------------------------------------

def render_edit() -> None:
    """The Edit data page: a login first; then tables and forms; accounts for admins."""
    lang = page_frame("edit_title")
    st.title(t("edit_title", lang))
    account = require_login(lang)
    snap = current_snapshot()
    st.caption(t("edit_intro", lang))  # an interface string with `code`, no data
    if _admin_now(account):
        data_tab, accounts_tab = st.tabs([t("edit_tab_data", lang),
                                          t("edit_tab_accounts", lang)])
        with data_tab:
            params = _data_section(snap, lang, account)
        with accounts_tab:
            _accounts_section(lang, account)
    else:
        outcome = st.session_state.pop(ACC_OUTCOME, None)
        if outcome:  # an account action refused because the store no longer says admin
            st.error(md(outcome[1]))
        params = _data_section(snap, lang, account)
    write_url(params)
