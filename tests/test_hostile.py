"""Hostile text in every free-text field stays text: in map HTML, tables, cards and pages.

Two layers are tested. Editing refuses markup with a message naming the field, and accepts
the hostile strings that are plain text (quotes, very long, right-to-left). Behind that, the
renderers escape everything anyway: a store written directly with markup in every field (as a
broken import or a hand-edited database could) still renders inert.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas import auth, editing
from atlas.auth import Account
from atlas.cards import project_card, projects_table
from atlas.charts.sankey import sankey_figure
from atlas.dataset import DataSet, read_dataset
from atlas.flows import sankey_data
from atlas.maps.explorer import MapOptions, explorer_map
from atlas.model import TABLES, TableSpec
from atlas.paths import REPO_ROOT
from atlas.query import Filters
from atlas.snapshot import build_snapshot
from atlas.store import InvalidData, SqlStore, open_store
from atlas.ui.text import md

MARKUP = [
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "[click](javascript:alert(1))",
]
PLAIN_BUT_HOSTILE = [
    "\"double\" 'single' `back` **bold** _under_ $math$ :red[x] # not a heading",
    "\u202eRTL override \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",
    "long " * 1000,
]
# Columns that hold codes, dates or links, not free text (their own rules apply).
CODED = {"date", "url", "country", "region_code", "status_as_of", "start", "end", "targets",
         "indicator", "unit", "as_of", "year", "colour", "themes",
         "iati_identifier", "iati_ref"}  # identifiers with their own rule (no spaces)


def free_text_columns(spec: TableSpec) -> list[str]:
    return [c.name for c in spec.columns
            if c.type == "text" and not c.choices and c.name not in spec.key
            and not c.name.endswith(("_id", "_ids")) and c.name not in CODED]


def hostile_dataset(strings: list[str]) -> DataSet:
    data, problems = read_dataset(REPO_ROOT / "geodata")
    assert problems == []
    for spec in TABLES:
        frame = data[spec.name].copy()
        for i, column in enumerate(free_text_columns(spec)):
            frame[column] = [f"{strings[(i + n) % len(strings)]} {n}" for n in range(len(frame))]
        data[spec.name] = frame
    return data


TAGS = ("<script>alert", "<img src=x onerror", "<svg onload")
LINK = "](javascript:"  # a live link only where Markdown is rendered


def assert_inert(text: str, markdown: bool = False) -> None:
    """No hostile payload appears unescaped: each raw occurrence is a Markdown-escaped one
    (a backslash before it); JSON (\\u003c) and HTML (&lt;) escapes do not match at all."""
    for payload in (*TAGS, LINK) if markdown else TAGS:
        for match in re.finditer(re.escape(payload), text):
            before = text[max(0, match.start() - 1):match.start()]
            assert before == "\\", (payload, text[max(0, match.start() - 60):match.end() + 20])


def test_editing_refuses_markup_in_every_free_text_field(tmp_path: Path) -> None:
    store = open_store(tmp_path / "atlas.sqlite")
    auth.add_user(store, "alice", "editor", "correct horse battery")
    alice = Account("alice", "editor")
    version = store.data_version()
    data = store.load()
    for table in editing.EDITABLE_TABLES:
        spec = next(s for s in TABLES if s.name == table)
        row = editing.normalized_row(table, data[table].iloc[0].to_dict())
        for column in free_text_columns(spec):
            for markup in MARKUP[:2]:
                with pytest.raises(InvalidData) as exc:
                    editing.save_row(store, alice, table, {**row, column: markup}, 0)
                assert any(p.field == column and "markup" in p.message
                           for p in exc.value.problems), (table, column)
    assert store.data_version() == version


def test_plain_hostile_text_is_saved_and_shown_as_typed(tmp_path: Path) -> None:
    store = open_store(tmp_path / "atlas.sqlite")
    auth.add_user(store, "alice", "editor", "correct horse battery")
    alice = Account("alice", "editor")
    data = store.load()
    for table in editing.EDITABLE_TABLES:
        spec = next(s for s in TABLES if s.name == table)
        frame = data[table]
        row = editing.normalized_row(table, frame.iloc[0].to_dict())
        changed = {c: PLAIN_BUT_HOSTILE[i % 3] for i, c in enumerate(free_text_columns(spec))}
        if changed:
            editing.save_row(store, alice, table, {**row, **changed}, 0)
    snap = build_snapshot(store.load(), store.data_version())
    titles = snap.table("projects").set_index("project_id")["title_en"]
    assert PLAIN_BUT_HOSTILE[0] in set(titles) or PLAIN_BUT_HOSTILE[1] in set(titles)
    html = explorer_map(snap, Filters(), MapOptions(flows=True)).get_root().render()
    assert_inert(html)
    for pid in snap.table("projects")["project_id"]:
        card = project_card(snap, pid, "en")
        assert md(card.title).replace("\\", "") == card.title  # shown exactly as typed


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store written directly (no validation) with markup in every free-text field."""
    path = tmp_path_factory.mktemp("hostile") / "atlas.sqlite"
    store = SqlStore(f"sqlite:///{path}")
    store.replace_all(hostile_dataset(MARKUP + PLAIN_BUT_HOSTILE), reason="hostile test")
    return path


def test_renderers_escape_markup_that_got_into_the_store(hostile_store: Path) -> None:
    store = SqlStore(f"sqlite:///{hostile_store}")
    snap = build_snapshot(store.load(), store.data_version())
    for options in (MapOptions(flows=True), MapOptions(colour_by="sdg", metric="reach")):
        assert_inert(explorer_map(snap, Filters(), options).get_root().render())
    assert_inert(sankey_figure(snap, sankey_data(snap, Filters()), "en").to_json())
    table = projects_table(snap, list(snap.table("projects")["project_id"]), "en")
    assert isinstance(table, pd.DataFrame)  # st.dataframe shows cells as text, never HTML
    for pid in snap.table("projects")["project_id"]:
        card = project_card(snap, pid, "en")
        for text in (card.title, card.summary, *(p.note for p in card.partners),
                     *(r.label for r in card.results)):
            assert_inert(md(text), markdown=True)


def test_exports_keep_hostile_text_as_text(hostile_store: Path) -> None:
    """PNG/PDF (matplotlib), PPTX and HTML of a store with markup and "$math$" everywhere."""
    import io

    from pptx import Presentation

    from atlas.render import export_bytes

    store = SqlStore(f"sqlite:///{hostile_store}")
    snap = build_snapshot(store.load(), store.data_version())
    options = MapOptions(flows=True)
    assert export_bytes(snap, Filters(), options, "png").startswith(b"\x89PNG")
    assert export_bytes(snap, Filters(), options, "pdf").startswith(b"%PDF")
    deck = Presentation(io.BytesIO(export_bytes(snap, Filters(), options, "pptx")))
    titles = [s.shapes.title.text for s in deck.slides]
    assert any(title.startswith(MARKUP[0]) for title in titles)  # text, not markup
    assert_inert(export_bytes(snap, Filters(), options, "html").decode())


def test_dollar_signs_in_names_are_printed_not_typeset(bundled: DataSet) -> None:
    """Matplotlib would typeset "$5 or $10$" as mathematics; the exports print it as typed."""
    import io

    from pypdf import PdfReader

    from atlas.render import export_bytes

    data = {name: frame.copy() for name, frame in bundled.items()}
    sites = data["sites"]
    sites.loc[sites["project_id"] == "glocal", "name_en"] = "Costs $5 or $10 a_b^c"
    snap = build_snapshot(data, "dollars")
    pdf = export_bytes(snap, Filters(projects=("glocal",)), MapOptions(), "pdf")
    assert "Costs $5 or $10 a_b^c" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


@pytest.mark.parametrize("page", ["streamlit_app.py", "pages/2_Projects.py",
                                  "pages/3_Organizations.py", "pages/1_Sources.py",
                                  "pages/7_Present.py", "pages/7_Present.py?play=1"])
def test_pages_render_hostile_store_inert(hostile_store: Path, page: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATLAS_STORE", str(hostile_store))
    monkeypatch.chdir(REPO_ROOT)
    at = AppTest.from_file(str(REPO_ROOT / "streamlit_app.py"), default_timeout=60)
    page, _, play = page.partition("?play=")
    if page != "streamlit_app.py":
        at.switch_page(page)
    at.query_params["project"] = "glocal"
    at.query_params["org"] = "argo"
    if play:  # presenting GLocal's step
        at.query_params.update({"play": play, "order": "glocal", "step": "1"})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption] + \
        [s.value for s in at.subheader]
    # A wrapped table's cells are Markdown too (st.table).
    texts += [str(cell) for table in at.table for cell in table.value.to_numpy().ravel()]
    assert texts
    for text in texts:
        assert_inert(str(text), markdown=True)
    for html in at.get("html"):
        assert_inert(html.proto.body)


def test_no_page_lets_data_into_raw_html() -> None:
    for path in (REPO_ROOT / "atlas" / "ui").glob("*.py"):
        assert "unsafe_allow_html=True" not in path.read_text(), path
