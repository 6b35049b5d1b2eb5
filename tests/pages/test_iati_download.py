"""The IATI download on the map and Projects pages: the button, the file it gives (the projects
in view, valid 2.03) and what the export says, in the viewer's language."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from atlas.i18n import LANGUAGES, t
from atlas.iati.write import REPORTING_ORG_SETTING
from atlas.snapshot import Snapshot
from atlas.ui import iati_export
from tests.pages.support import open_page, run

PROJECTS = "pages/2_Projects.py"


def iati_button(at: AppTest, lang: str) -> object:
    found = [b for b in at.get("download_button") if b.proto.label == t("iati_download", lang)]
    assert len(found) == 1, [b.proto.label for b in at.get("download_button")]
    return found[0]


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", ["streamlit_app.py", PROJECTS])
def test_the_iati_button_is_on_both_pages(page: str, lang: str) -> None:
    at = run(open_page(page, lang=lang))
    button = iati_button(at, lang)
    assert button.proto.HasField("deferred_file_id")  # made only when clicked
    # What the export says is there, in the viewer's language (placeholder publisher).
    assert t("iati_notes_title", lang) in [e.label for e in at.expander]
    assert "XX\\-ATLAS" in captions(at)


@pytest.mark.parametrize("page", ["streamlit_app.py", PROJECTS])
def test_the_file_holds_the_projects_in_view(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[bytes] = []
    asked: list[list[str]] = []
    original_xml, original_notes = iati_export.activities_xml, iati_export._notes

    def notes(snap: Snapshot, ids: list[str], publisher: object) -> object:
        asked.append(list(ids))
        return original_notes(snap, ids, publisher)  # type: ignore[arg-type]

    def xml(*args: Any, **kwargs: Any) -> bytes:
        built.append(original_xml(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(iati_export, "_notes", notes)
    monkeypatch.setattr(iati_export, "activities_xml", xml)
    at = run(open_page(page, donor="tco"))
    assert built == []  # nothing is made before a click
    iati_button(at, "en")
    # The page hands the button the ids of its view: the file is made from exactly these.
    assert asked == [["efca-public-spaces"]]


def test_a_malformed_publisher_setting_is_said_not_raised(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REPORTING_ORG_SETTING, "not an identifier")
    at = run(open_page(PROJECTS, lang="kk"))
    assert t("iati_publisher_setting_bad", "kk", setting=REPORTING_ORG_SETTING) in [
        w.value for w in at.warning]
    assert not [b for b in at.get("download_button")
                if b.proto.label == t("iati_download", "kk")]


def _empty_view() -> None:
    import streamlit as st

    from atlas.ui.data import current_snapshot
    from atlas.ui.iati_export import render_iati_download

    render_iati_download(st.container(), current_snapshot(), lambda: [], "ru", "empty_iati")


def test_an_empty_view_offers_no_file_and_says_why() -> None:
    # The schema needs one activity: an empty file would not be valid IATI.
    at = run(AppTest.from_function(_empty_view, default_timeout=60))
    assert not at.get("download_button")
    assert [c.value for c in at.caption] == [t("iati_note_no_projects", "ru")]
