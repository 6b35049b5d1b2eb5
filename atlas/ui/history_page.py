"""The History page: every change to the data, newest first, with filters and undo.

Staff only (``require_login``): viewers get the login form and nothing of the history.
URL state: ``user``, ``table``, ``kind`` (repeatable), ``from`` and ``to`` (ISO dates) and
``q`` (text in the summary), plus ``lang`` and ``cur``.

Undo asks for a confirmation, then calls ``atlas.editing.undo``, which checks the account
against the store again (an admin may undo any change, an editor only their own) and refuses
when a row was changed again since. The data version bumps, so every view shows the restored
data on its next run.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.auth import Account, PermissionDenied, SessionExpired
from atlas.change_summary import IMPORT_COUNTS, SummaryMessage
from atlas.edit_forms import column_label
from atlas.editing import may_undo, undo
from atlas.figures import format_number
from atlas.history import (
    EMPTY,
    KINDS,
    HistoryEntry,
    HistoryFilters,
    describe,
    filter_history,
    reference_names,
    tables_of,
    users_of,
)
from atlas.i18n import t
from atlas.model import TABLES_BY_NAME
from atlas.store import ChangeRecord, ChangeRefused, InvalidData, StaleEdit, StoreError
from atlas.ui.builtin_text import date_placeholder_css
from atlas.ui.chrome import page_frame
from atlas.ui.data import current_snapshot, current_store
from atlas.ui.paging import page_controls, paged, paged_table
from atlas.ui.problems import changed_by, problem_text, refusal_text
from atlas.ui.session import current_account, require_login
from atlas.ui.state import (
    Day,
    ManyOf,
    Text,
    declare_page,
    init_from_url,
    url_notice,
    write_url,
)
from atlas.ui.tables import field_lines, wrapped_table
from atlas.ui.text import md

HISTORY_LIMIT = 2000  # changes read from the store
ROWS_PAGE = 20  # added or removed rows of a table shown at a time in a change's details
SHOWN = 50  # changes listed at once; the filters narrow the rest
NAMED_TABLES = ("projects", "organizations", "sites", "places", "results")

_CONFIRM = "h_confirm"  # the change whose undo waits for confirmation
_OUTCOME = "h_outcome"  # (change id, level, message) of the last undo, shown once

USER, TABLE, KIND = ManyOf("user"), ManyOf("table"), ManyOf("kind", KINDS)
FROM, TO, QUERY = Day("from"), Day("to"), Text("q")
declare_page("pages/5_History.py", USER, TABLE, KIND, FROM, TO, QUERY)


def table_label(table: str, lang: str) -> str:
    """A table's name in ``lang``."""
    return t(f"hist_table_{table}", lang)


def message_text(message: SummaryMessage, lang: str) -> str:
    """A change's summary message in ``lang``: tables by their names, counts grouped the
    language's way."""
    params = dict(message.params)
    if "table" in params:
        params["row"] = row_text(params.pop("table"), str(params.pop("key")), lang)
    if "tables" in params:
        params["tables"] = ", ".join(table_label(x, lang) for x in params["tables"]) \
            or t("hist_sum_no_tables", lang)
    for count in IMPORT_COUNTS:
        if count in params:
            params[count] = format_number(params[count], lang)
    if isinstance(params.get("undone"), SummaryMessage):
        params["undone"] = message_text(params["undone"], lang)
    return t(message.code, lang, **params)


def summary_text(message: SummaryMessage | None, stored: str, lang: str) -> str:
    """A change's summary as the reader of ``lang`` reads it: its message in ``lang``, or,
    for a change recorded without one (by some other tool), its ``stored`` line as it is."""
    return stored if message is None else message_text(message, lang)


def undo_outcome(account: Account | None, change_id: int, lang: str) -> tuple[str, str]:
    """Undo one change for ``account``; (level, message) saying what happened."""
    try:
        applied = undo(current_store(), account, change_id)
    except StaleEdit as exc:
        row = f"{table_label(exc.table, lang)} {'/'.join(exc.key)}"
        return "error", t("hist_undo_stale", lang, row=row, user=changed_by(exc.changed_by, lang),
                          at=exc.changed_at or EMPTY)
    except SessionExpired:
        return "error", t("auth_session_ended", lang)
    except PermissionDenied as exc:  # logged out, account removed, or neither admin nor author
        return "error", t("hist_undo_denied", lang, reason=refusal_text(exc.code, exc.params,
                                                                        lang))
    except InvalidData as exc:
        problems = "; ".join(problem_text(p, lang) for p in exc.problems[:5])
        return "error", t("hist_undo_invalid", lang, problems=problems)
    except ChangeRefused as exc:  # no such change (an id from an older page), an undo, undone
        return "error", t("hist_undo_refused", lang, reason=refusal_text(exc.code, exc.params,
                                                                         lang))
    except StoreError as exc:  # busy, read-only, replaced, damaged: nothing was written
        return "error", t(exc.code, lang, **exc.params)
    return "success", t("hist_undo_done", lang, id=change_id, new=applied.change_id)


def _ask(change_id: int) -> None:
    st.session_state[_CONFIRM] = change_id


def _cancel() -> None:
    st.session_state.pop(_CONFIRM, None)


def _do_undo(change_id: int, lang: str) -> None:
    st.session_state.pop(_CONFIRM, None)
    st.session_state[_OUTCOME] = (change_id, *undo_outcome(current_account(), change_id, lang))


def _show_outcome(level: str, message: str) -> None:
    if level == "success":
        st.success(md(message))
    elif level == "error":
        st.error(md(message))


def _filters(records: list[ChangeRecord], lang: str) -> HistoryFilters:
    users, tables = users_of(records), tables_of(records)
    init_from_url("h_user", USER.among(users))
    init_from_url("h_table", TABLE.among(tables))
    init_from_url("h_kind", KIND)
    init_from_url("h_from", FROM)
    init_from_url("h_to", TO)
    init_from_url("h_q", QUERY)
    ss = st.session_state
    # A value seeded from an older URL may name a user or table no longer offered.
    ss["h_user"] = [u for u in ss["h_user"] if u in users]
    ss["h_table"] = [x for x in ss["h_table"] if x in tables]

    c1, c2, c3 = st.columns(3)
    c1.multiselect(t("hist_user", lang), users, key="h_user", placeholder=t("all", lang))
    c2.multiselect(t("hist_table", lang), tables, key="h_table", placeholder=t("all", lang),
                   format_func=lambda x: table_label(x, lang))
    c3.multiselect(t("hist_kind", lang), KINDS, key="h_kind", placeholder=t("all", lang),
                   format_func=lambda k: t(f"hist_kind_{k}", lang))
    d1, d2, d3 = st.columns([1, 1, 2])
    if css := date_placeholder_css(lang):
        st.html(css)
    # The URL's dates are read within the same bounds, so a seeded date always fits.
    d1.date_input(t("hist_from", lang), key="h_from", format="YYYY-MM-DD",
                  min_value=FROM.earliest, max_value=FROM.latest)
    d2.date_input(t("hist_to", lang), key="h_to", format="YYYY-MM-DD",
                  min_value=TO.earliest, max_value=TO.latest)
    d3.text_input(t("hist_search", lang), key="h_q")
    return HistoryFilters(tuple(ss["h_user"]), tuple(ss["h_table"]), tuple(ss["h_kind"]),
                          ss["h_from"], ss["h_to"], ss["h_q"])


def _counts(entry: HistoryEntry, lang: str) -> str:
    parts = [t(f"hist_rows_{a}", lang, n=format_number(entry.count(a), lang))
             for a in ("added", "changed", "removed") if entry.count(a)]
    return " · ".join(parts)


def row_text(table: str, key: str, lang: str) -> str:
    """A row as a person names it: its table in ``lang`` and its id."""
    return f"{table_label(table, lang)} · {key}"


def changed_fields(entry: HistoryEntry, lang: str) -> pd.DataFrame:
    """One line per changed field of the changed rows: row, name, field, before, after."""
    return pd.DataFrame([{
        t("hist_col_row", lang): row_text(row.table, row.key_text, lang),
        t("hist_col_name", lang): row.name or EMPTY,
        t("hist_col_field", lang): column_label(field.field, lang, row.table),
        t("hist_col_before", lang): field.before,
        t("hist_col_after", lang): field.after,
    } for row in entry.rows if row.action == "changed" for field in row.fields])


def whole_rows(entry: HistoryEntry, action: str, table: str, lang: str) -> pd.DataFrame:
    """The rows of ``table`` a change added (their values) or removed (what they held), as a
    wrapped table's Markdown cells: the row's name, then every field as "field: value" lines
    (names in ``lang``), whole however many columns the table has."""
    spec = TABLES_BY_NAME[table]
    names, fields = [], []
    for row in entry.rows:
        if row.action != action or row.table != table:
            continue
        values = {f.field: (f.after if action == "added" else f.before) for f in row.fields}
        names.append(md(row.name or EMPTY))
        fields.append(field_lines((column_label(c, lang, table), values.get(c, EMPTY))
                                  for c in spec.column_names))
    return pd.DataFrame({t("hist_col_name", lang): names, t("hist_col_fields", lang): fields})


def _details(entry: HistoryEntry, lang: str) -> None:
    changed = changed_fields(entry, lang)
    if not changed.empty:
        paged_table(changed, f"h_changed_{entry.change_id}", ROWS_PAGE, lang)
    elif any(r.action == "changed" for r in entry.rows):
        st.caption(t("hist_no_fields", lang))
    for action in ("added", "removed"):
        for table in dict.fromkeys(r.table for r in entry.rows if r.action == action):
            heading = t(f"hist_whole_{action}", lang, table=table_label(table, lang))
            st.markdown(f"**{md(heading)}**")
            rows = whole_rows(entry, action, table, lang)
            key = f"h_rows_{entry.change_id}_{action}_{table}"
            listed = paged(rows, f"{key}_page", ROWS_PAGE)
            wrapped_table(listed.rows, key)
            page_controls(listed, f"{key}_page", lang)


def _undo_controls(record: ChangeRecord, account: Account, lang: str) -> None:
    if record.kind == "undo" or record.undone_by is not None or not may_undo(account, record):
        return
    cid = record.change_id
    if st.session_state.get(_CONFIRM) == cid:
        st.warning(t("hist_undo_confirm", lang, id=cid))
        b1, b2, _ = st.columns([1, 1, 4])
        b1.button(t("hist_undo_yes", lang), key=f"h_undo_yes_{cid}", type="primary",
                  on_click=_do_undo, args=(cid, lang))
        b2.button(t("hist_undo_cancel", lang), key=f"h_undo_cancel_{cid}", on_click=_cancel)
    else:
        st.button(t("hist_undo", lang, id=cid), key=f"h_undo_{cid}", on_click=_ask,
                  args=(cid,))


def _entry(record: ChangeRecord, entry: HistoryEntry, account: Account, lang: str,
           outcome: tuple[int, str, str] | None) -> bool:
    """One change in a box; True when the outcome of its undo was shown in it."""
    with st.container(border=True):
        head = [f"**#{entry.change_id}**", md(entry.when), md(entry.user),
                f"**{md(t(f'hist_kind_{entry.kind}', lang))}**"]
        st.markdown(" · ".join(head))
        st.markdown(md(summary_text(entry.message, entry.summary, lang)))
        notes = [_counts(entry, lang)]
        if entry.undo_of is not None:
            notes.append(t("hist_undo_of", lang, id=entry.undo_of))
        if entry.undone_by is not None:
            notes.append(t("hist_undone_by", lang, id=entry.undone_by))
        st.caption(md(" · ".join(n for n in notes if n)))
        with st.expander(t("hist_details", lang, n=format_number(len(entry.rows), lang)),
                         expanded=len(entry.rows) <= 2):
            _details(entry, lang)
        _undo_controls(record, account, lang)
        # Where the editor clicked, so it is in view however far down the list they were.
        if outcome is not None and outcome[0] == record.change_id:
            _show_outcome(outcome[1], outcome[2])
            return True
    return False


def render_history() -> None:
    """The list of changes (staff only), with filters in the URL and undo buttons."""
    lang = page_frame("hist_title")
    st.title(t("hist_title", lang))  # the title only: the history itself needs a login
    account = require_login(lang)
    st.caption(t("hist_intro", lang))
    outcome = st.session_state.pop(_OUTCOME, None)
    top = st.empty()  # the outcome of an undo whose change the filters hide
    records = current_store().history(limit=HISTORY_LIMIT)
    filters = _filters(records, lang)
    shown = filter_history(records, filters,
                           lambda r: summary_text(r.message, r.summary, lang))
    snap = current_snapshot()
    names = reference_names({n: snap.table(n) for n in NAMED_TABLES}, lang)
    if not records:
        st.info(t("hist_empty", lang))
    elif not shown:
        st.info(t("hist_none", lang))
    else:
        st.caption(t("hist_count", lang, n=format_number(len(shown), lang),
                           total=format_number(len(records), lang)))
        if len(shown) > SHOWN:
            st.caption(t("hist_more", lang, n=format_number(SHOWN, lang)))
        for record in shown[:SHOWN]:
            if _entry(record, describe(record, lang, names), account, lang, outcome):
                outcome = None
    if outcome is not None:
        with top.container():
            _show_outcome(outcome[1], outcome[2])

    ss = st.session_state
    write_url({
        "user": list(ss["h_user"]),
        "table": list(ss["h_table"]),
        "kind": list(ss["h_kind"]),
        "from": ss["h_from"].isoformat() if ss["h_from"] else None,
        "to": ss["h_to"].isoformat() if ss["h_to"] else None,
        "q": ss["h_q"].strip() or None,
    })
    url_notice(lang)
