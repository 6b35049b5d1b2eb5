"""The Import page: upload a spreadsheet, read the row-by-row report, then apply it.

Staff only (``require_login``). Nothing is written until the editor presses "Apply": the page
first shows what the file would do (new rows, changed rows with their differences,
unchanged rows, rejected rows with row, field and reason), computed by ``atlas.importing``
against the store's current data. Applying goes through ``atlas.editing.apply_import``, which
checks the account and the row versions again and writes everything in one transaction.

URL state: ``entity`` (the table chosen for the file; none: the file or sheet name decides),
plus ``lang`` and ``cur``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from atlas import importing
from atlas.auth import Account, PermissionDenied
from atlas.dataset import Problem
from atlas.edit_forms import column_label
from atlas.editing import EDITABLE_TABLES, apply_import
from atlas.history import EMPTY, display_value, reference_names, row_name
from atlas.i18n import t
from atlas.importing import ImportReport, ReportNote
from atlas.store import InvalidData, SqlStore, StaleEdit, StoreError
from atlas.ui.builtin_text import uploader_css
from atlas.ui.chrome import page_frame
from atlas.ui.data import current_store
from atlas.ui.history_page import row_text, table_label
from atlas.ui.paging import page_controls, paged, paged_table
from atlas.ui.problems import (
    changed_by,
    field_label,
    place_text,
    problem_text,
    refusal_text,
    table_of,
)
from atlas.ui.session import current_account, require_login
from atlas.ui.state import OneOf, declare_page, init_from_url, shared_params, write_url
from atlas.ui.tables import field_lines, wrapped_table
from atlas.ui.text import md

AUTO = "auto"  # no table chosen: the file or sheet name decides
UPLOAD_TYPES = ("csv", "xlsx", "geojson", "xml")
UPLOADER_BOX = "imp_uploader"  # the uploader's container, which its words are scoped to
ENTITIES = tuple(e for e in importing.EDITED_ENTITIES if e in EDITABLE_TABLES)
HISTORY_PAGE = "pages/5_History.py"
ENTITY = OneOf("entity", ENTITIES, AUTO)
declare_page("pages/6_Import.py", ENTITY)

_UPLOAD = "imp_upload"  # (file name, bytes) of the file being checked
_CHECKED = "imp_checked"  # the last report and what it was computed from
_OUTCOME = "imp_outcome"  # (level, message, change id) of the last apply
_NONCE = "imp_nonce"  # bumped to empty the uploader after an apply
# An IATI import's notes by kind, in the order the page shows them, and how many lines each
# kind lists (a publisher file can leave out thousands of transactions).
NOTE_SEVERITIES = ("left_out", "not_placed", "assumed")
MAX_NOTES_SHOWN = 500
NEW_PAGE = 20  # new rows of a table shown at a time, each with all its fields


@dataclass(frozen=True)
class Checked:
    """A report and the inputs it was computed from (recomputed when any of them changes)."""

    signature: tuple[str, str, str, str]  # file name, content hash, entity, data version
    report: ImportReport


def check_file(store: SqlStore, filename: str, content: bytes,
               entity: str | None) -> ImportReport:
    """What importing the file would do to the store now; writes nothing. The file is read in
    a child process within the import budget, so no file can take the server down."""
    return importing.check_upload(store, filename, content, entity)


def blocked_tables(report: ImportReport) -> list[str]:
    """Tables of the file that imports may not change here (reference tables)."""
    return sorted({r.entity for r in report.rows if r.entity not in EDITABLE_TABLES})


def can_apply(report: ImportReport) -> bool:
    """True when the report may be applied: nothing rejected, something to change."""
    return report.ok and not blocked_tables(report) and bool(report.changes())


_ORIGIN = re.compile(r"^activity (?P<activity>.+?)(, (?P<element>[^,]+))?$")
_FILE_ORIGIN = re.compile(r"^file (?P<file>.+)$")


def where(unit: str, row: int | None, lang: str, origin: str = "") -> str:
    """Where in the file: "row 3" (a spreadsheet's numbering), "feature 2" (GeoJSON), or an
    IATI activity and element ("activity XM-DAC-1-2, location[2]")."""
    if origin:
        whole_file = _FILE_ORIGIN.match(origin)
        if whole_file is not None:
            return t("imp_where_file", lang, file=whole_file["file"])
        found = _ORIGIN.match(origin)
        if found is None:
            return origin
        if found["element"] is None:
            return t("imp_where_activity_only", lang, activity=found["activity"])
        return t("imp_where_activity", lang, activity=found["activity"],
                 element=found["element"])
    if row is None:
        return ""
    return t("imp_where_feature" if unit == "feature" else "imp_where_row", lang, n=row)


def file_problem_text(problem: Problem, lang: str, unit: str = "row",
                      upload: str | None = None) -> str:
    """A problem of the file as a whole, in the reader's language, with its place: the file
    (a reader may upload several) or its sheet (of the workbook ``upload``), and its row and
    field where it has one."""
    table = table_of(problem, upload)
    place = [place_text(problem.file, lang, upload), where(unit, problem.row, lang),
             field_label(problem, lang, table)]
    text = problem_text(problem, lang, table)
    shown = ", ".join(p for p in place if p)
    return f"{shown}: {text}" if shown else text


def note_text(note: ReportNote, lang: str) -> str:
    """A note of an IATI import, in the reader's language."""
    return t(note.code, lang, **dict(note.params))


def notes_table(notes: list[ReportNote], lang: str) -> pd.DataFrame:
    """One line per note: the activity, the element and what the import did with it."""
    return pd.DataFrame([{
        t("imp_col_activity", lang): n.activity or "",
        t("imp_col_element", lang): n.element or "",
        t("imp_col_note", lang): note_text(n, lang),
    } for n in notes[:MAX_NOTES_SHOWN]])


def rejected_table(report: ImportReport, lang: str) -> pd.DataFrame:
    """One line per reason a row was rejected: row, table, key, field, reason."""
    lines = []
    for r in report.rows:
        if r.status != "rejected":
            continue
        for p in r.problems:
            lines.append({
                t("imp_col_row", lang): where(r.unit, p.row or r.row, lang, r.origin),
                t("hist_col_row", lang): row_text(r.entity, "/".join(r.key), lang),
                t("hist_col_field", lang): field_label(p, lang, r.entity),
                t("imp_col_reason", lang): problem_text(p, lang, r.entity),
            })
    return pd.DataFrame(lines)


def new_table(report: ImportReport, entity: str, names: Any, lang: str) -> pd.DataFrame:
    """The new rows of one table as they would be added, as a wrapped table's Markdown
    cells: where each is in the file and its name, then every column as "field: value"
    lines (names in ``lang``)."""
    rows = [r for r in report.rows if r.status == "new" and r.entity == entity]
    return pd.DataFrame({
        t("imp_col_row", lang): [md(where(r.unit, r.row, lang, r.origin)) for r in rows],
        t("hist_col_name", lang): [md(row_name(entity, r.after, lang, names)) for r in rows],
        t("hist_col_fields", lang): [field_lines(
            (column_label(k, lang, entity), display_value(entity, k, v, lang))
            for k, v in (r.after or {}).items()) for r in rows],
    })


def changed_table(report: ImportReport, names: Any, lang: str) -> pd.DataFrame:
    """One line per changed field: row, table, key, name, field, before, after."""
    lines = []
    for r in report.rows:
        if r.status != "changed":
            continue
        for d in r.differences:
            lines.append({
                t("imp_col_row", lang): where(r.unit, r.row, lang, r.origin),
                t("hist_col_row", lang): row_text(r.entity, "/".join(r.key), lang),
                t("hist_col_name", lang): row_name(r.entity, r.after, lang, names),
                t("hist_col_field", lang): column_label(d.field, lang, r.entity),
                t("hist_col_before", lang): d.before or EMPTY,
                t("hist_col_after", lang): d.after or EMPTY,
            })
    return pd.DataFrame(lines)


def apply_outcome(store: SqlStore, account: Account | None, report: ImportReport,
                  lang: str) -> tuple[str, str, int | None]:
    """Apply a checked report for ``account``: (level, message, change id or None)."""
    if not can_apply(report):
        return "error", t("imp_not_ok", lang), None
    try:
        applied = apply_import(store, account, report.changes(), report.summary_message())
    except PermissionDenied as exc:
        return "error", t("imp_denied", lang, reason=refusal_text(exc.code, exc.params,
                                                                  lang)), None
    except StaleEdit as exc:
        row = f"{table_label(exc.table, lang)} {'/'.join(exc.key)}"
        return "error", t("imp_stale", lang, row=row, user=changed_by(exc.changed_by, lang),
                          at=exc.changed_at or EMPTY), None
    except InvalidData as exc:
        problems = "; ".join(file_problem_text(p, lang) for p in exc.problems[:5])
        return "error", t("imp_invalid", lang, problems=problems), None
    except StoreError as exc:  # e.g. another import being written: nothing was written
        return "error", t(exc.code, lang, **exc.params), None  # shown through md()
    return "success", t("imp_done", lang, id=applied.change_id, n=applied.rows), \
        applied.change_id


def _uploader_key() -> str:
    return f"imp_file_{st.session_state.get(_NONCE, 0)}"


def _take_upload() -> None:
    """Keep the uploaded file's name and bytes (the uploader is emptied after an apply)."""
    file = st.session_state.get(_uploader_key())
    st.session_state[_UPLOAD] = None if file is None else (file.name, file.getvalue())
    st.session_state.pop(_CHECKED, None)


def _report(store: SqlStore, entity: str | None, lang: str) -> ImportReport | None:
    upload = st.session_state.get(_UPLOAD)
    if not upload:
        return None
    name, content = upload
    signature = (name, hashlib.sha256(content).hexdigest(), entity or "",
                 store.data_version())
    checked = st.session_state.get(_CHECKED)
    if not isinstance(checked, Checked) or checked.signature != signature:
        with st.spinner(t("imp_checking", lang)):
            checked = Checked(signature, check_file(store, name, content, entity))
        st.session_state[_CHECKED] = checked
    return checked.report


def _apply(lang: str) -> None:
    checked = st.session_state.get(_CHECKED)
    if not isinstance(checked, Checked):
        return
    level, message, change_id = apply_outcome(current_store(), current_account(),
                                              checked.report, lang)
    st.session_state[_OUTCOME] = (level, message, change_id)
    st.session_state.pop(_CHECKED, None)  # checked again against the new data, if kept
    if change_id is not None:
        st.session_state.pop(_UPLOAD, None)
        st.session_state[_NONCE] = st.session_state.get(_NONCE, 0) + 1


def _outcome(lang: str) -> None:
    level, message, change_id = st.session_state.pop(_OUTCOME, (None, "", None))
    if level == "success":
        st.success(md(message))
        keep = {k: v for k, v in shared_params().items() if v}
        st.page_link(HISTORY_PAGE, label=f"{t('imp_to_history', lang)} →", query_params=keep)
    elif level == "error":
        st.error(md(message))


def _templates(entity: str, lang: str) -> None:
    if entity == AUTO:
        st.caption(t("imp_template_pick", lang))
        return
    c1, c2, _ = st.columns([1, 1, 3])
    c1.download_button(t("imp_template_csv", lang), importing.template(entity, "csv"),
                       file_name=f"{entity}.csv", mime="text/csv", key=f"imp_tpl_csv_{entity}")
    c2.download_button(
        t("imp_template_xlsx", lang), importing.template(entity, "xlsx"),
        file_name=f"{entity}.xlsx", key=f"imp_tpl_xlsx_{entity}",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _show_notes(report: ImportReport, lang: str) -> None:
    """An IATI import's notes: its summary, then what it left out, could not place or assumed,
    each kind folded with its count."""
    for note in report.coded_notes:
        if note.severity == "summary":
            st.info(md(note_text(note, lang)))
    for severity in NOTE_SEVERITIES:
        notes = [n for n in report.coded_notes if n.severity == severity]
        if not notes:
            continue
        with st.expander(t(f"imp_notes_{severity}", lang, n=len(notes))):
            paged_table(notes_table(notes, lang), f"imp_notes_{severity}", NEW_PAGE, lang)
            if len(notes) > MAX_NOTES_SHOWN:
                st.caption(t("imp_notes_more", lang, n=len(notes) - MAX_NOTES_SHOWN))


def show_report(report: ImportReport, store: SqlStore, lang: str) -> None:
    """The report of a checked file, before anything is written; the apply button if ok."""
    st.subheader(t("imp_report", lang, file=md(report.filename)))
    for problem in report.problems[:MAX_NOTES_SHOWN]:
        st.error(md(file_problem_text(problem, lang, upload=report.filename)))
    if report.problems and not report.rows:
        _show_notes(report, lang)
        st.info(t("imp_refused", lang))
        return
    counts = report.counts
    cols = st.columns(4)
    for col, status in zip(cols, ("new", "changed", "unchanged", "rejected"), strict=True):
        col.metric(t(f"imp_count_{status}", lang), counts[status])
    for note in report.notes:
        st.caption(md(file_problem_text(note, lang, upload=report.filename)))
    _show_notes(report, lang)

    rejected = rejected_table(report, lang)
    if not rejected.empty:
        st.markdown(f"**{md(t('imp_rejected', lang))}**")
        paged_table(rejected, "imp_rejected", NEW_PAGE, lang)
    names = reference_names(store.load(), lang)
    entities = list(dict.fromkeys(r.entity for r in report.rows if r.status == "new"))
    for entity in entities:
        st.markdown(f"**{md(t('imp_new', lang, table=table_label(entity, lang)))}**")
        key = f"imp_new_{entity}"
        listed = paged(new_table(report, entity, names, lang), f"{key}_page", NEW_PAGE)
        wrapped_table(listed.rows, key)
        page_controls(listed, f"{key}_page", lang)
    changed = changed_table(report, names, lang)
    if not changed.empty:
        st.markdown(f"**{md(t('imp_changed', lang))}**")
        paged_table(changed, "imp_changed", NEW_PAGE, lang)
    if counts["unchanged"]:
        st.caption(t("imp_unchanged", lang, n=counts["unchanged"]))

    blocked = blocked_tables(report)
    if blocked:
        st.error(t("imp_blocked", lang,
                   tables=", ".join(table_label(b, lang) for b in blocked)))
    elif not report.ok:
        st.warning(t("imp_fix_first", lang))
    elif not report.changes():
        st.info(t("imp_nothing", lang))
    else:
        st.button(t("imp_apply", lang, n=len(report.changes())), type="primary",
                  key="imp_apply", on_click=_apply, args=(lang,))


def render_import() -> None:
    """Choose a table, get its template, upload a file, read the report, apply it."""
    lang = page_frame("imp_title")
    st.title(t("imp_title", lang))  # the title only: the rest needs a login
    require_login(lang)
    store = current_store()
    st.caption(t("imp_intro", lang, mb=importing.MAX_BYTES // (1024 * 1024),
                 rows=str(importing.MAX_ROWS)))
    st.caption(t("imp_iati_intro", lang, mb=importing.IATI_MAX_BYTES // (1024 * 1024)))
    _outcome(lang)

    init_from_url("imp_entity", ENTITY)
    entity = st.selectbox(
        t("imp_entity", lang), (AUTO, *ENTITIES), key="imp_entity",
        format_func=lambda e: t("imp_entity_auto", lang) if e == AUTO else table_label(e, lang))
    _templates(entity, lang)
    # The import limit, so the browser refuses a bigger file before sending it.
    # (Each type's own limit is checked on the server: the browser knows one number.)
    limit = max(1, importing.IATI_MAX_BYTES // (1024 * 1024))
    with st.container(key=UPLOADER_BOX):
        file = st.file_uploader(t("imp_file", lang), type=list(UPLOAD_TYPES),
                                key=_uploader_key(), on_change=_take_upload,
                                max_upload_size=limit)
        if css := uploader_css(lang, f".st-key-{UPLOADER_BOX}", UPLOAD_TYPES, limit,
                               None if file is None else file.size):
            st.html(css)  # its limit line and the file's size in the reader's language
    report = _report(store, None if entity == AUTO else entity, lang)
    if report is not None:
        show_report(report, store, lang)
    write_url({"entity": None if entity == AUTO else entity})
