"""The IATI download offered on the map and Projects pages: the projects in view as IATI 2.03
activity XML, with what the export says about them beneath the button."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from atlas.i18n import localized, t
from atlas.iati.write import (
    REPORTING_ORG_SETTING,
    Note,
    Publisher,
    PublisherSettingError,
    activities_xml,
    configured_publisher,
    export_notes,
)
from atlas.snapshot import Snapshot
from atlas.ui.text import md

IATI_FILE_NAME = "atlas-iati-activities.xml"
IATI_MIME = "application/xml"


def _notes(snap: Snapshot, project_ids: Sequence[str], publisher: Publisher | None) -> list[Note]:
    # Once per data version, view and publisher: a rerun of the page must not regroup the rows.
    # The view is keyed by a digest, so each remembered view costs a few bytes, not its ids.
    view = hashlib.sha256("\n".join(project_ids).encode()).hexdigest()
    return snap.derived(("iati_export_notes", view, publisher),
                        lambda: export_notes(snap, project_ids, publisher=publisher))


def render_iati_download(place: DeltaGenerator, snap: Snapshot,
                         project_ids: Callable[[], list[str]], lang: str, key: str) -> None:
    """The IATI button in ``place`` (the file is made only when clicked) and, folded beneath
    it, what the export says (placeholder publisher, generated identifiers, qualifiers...)."""
    try:
        publisher = configured_publisher()
    except PublisherSettingError:
        place.warning(t("iati_publisher_setting_bad", lang, setting=REPORTING_ORG_SETTING))
        return
    ids = project_ids()
    if not ids:  # an activity file needs one activity: no button, and the reason
        place.caption(t("iati_note_no_projects", lang))
        return
    place.download_button(
        t("iati_download", lang),
        lambda: activities_xml(snap, ids, publisher=publisher),
        IATI_FILE_NAME, IATI_MIME, on_click="ignore", key=key,
        help=t("iati_download_help", lang))
    notes = _notes(snap, ids, publisher)
    if notes:
        with place.expander(t("iati_notes_title", lang)):
            for code, params in notes:
                st.caption(md(t(code, lang, **_readable(snap, params, lang))))


def _readable(snap: Snapshot, params: dict[str, object], lang: str) -> dict[str, object]:
    """A note's values for a reader: projects named by their titles in ``lang``, not by ids."""
    ids = params.get("project_ids")
    if not isinstance(ids, tuple):
        return params
    titles = snap.table("projects").set_index("project_id")
    named = [localized(titles.loc[pid].to_dict(), "title", lang) if pid in titles.index
             else str(pid) for pid in ids]
    more = " …" if int(str(params.get("count", len(ids)))) > len(ids) else ""
    return {**params, "projects": "; ".join(named) + more}
