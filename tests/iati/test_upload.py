"""The IATI file as an import: the report, all-or-nothing apply, history and undo, the command
line, the round trip with the export, and hostile files refused with nothing changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from atlas import auth, editing, importing
from atlas.cli import main
from atlas.dataset import read_dataset, table_to_csv
from atlas.figures import Figure
from atlas.i18n import t
from atlas.iati import read
from atlas.iati.write import activities_xml
from atlas.model import TABLES, TABLES_BY_NAME
from atlas.paths import REPO_ROOT
from atlas.snapshot import Snapshot
from atlas.store import SqlStore, build_store_from_geodata
from tests.iati import hostile

KZ_FILE = hostile.DATA / "kz-test-activities.xml"
# The tables of a project's own facts: an atlas with none of them is "empty"; the reference
# tables (SDGs, rates, places) stay, as in any atlas.
PROJECT_TABLES = ("sources", "organizations", "projects", "phases", "project_sdgs",
                  "participants", "sites", "funding_flows", "results", "context_facts")


@pytest.fixture
def store(tmp_path: Path) -> SqlStore:
    made, _ = build_store_from_geodata(tmp_path / "atlas.sqlite", REPO_ROOT / "geodata")
    return made


@pytest.fixture
def empty_store(tmp_path: Path) -> SqlStore:
    folder = tmp_path / "empty-geodata"
    shutil.copytree(REPO_ROOT / "geodata", folder)
    for name in PROJECT_TABLES:
        spec = TABLES_BY_NAME[name]
        (folder / spec.file_name).write_text(",".join(spec.column_names) + "\n")
    made, _ = build_store_from_geodata(tmp_path / "empty.sqlite", folder)
    return made


def check(store: SqlStore, content: bytes, name: str = "activities.xml",
          country: str = "KZ") -> importing.ImportReport:
    return importing.check_upload(store, name, content, country=country)


def test_the_caps_agree() -> None:
    assert importing.IATI_MAX_BYTES == read.MAX_BYTES


def test_a_kazakhstan_activity_is_reported_row_by_row_then_applied_and_undone(
        store: SqlStore) -> None:
    before = store.load()
    version = store.data_version()
    report = check(store, KZ_FILE.read_bytes(), KZ_FILE.name)
    assert report.ok, report.lines()
    assert report.counts == {"new": 13, "changed": 0, "unchanged": 0, "rejected": 0}
    # Every row is named by its activity and element, not by a row number.
    sites = [r for r in report.rows if r.entity == "sites"]
    assert [r.where for r in sites] == ["activity XX-TEST-KZ-001, location[1]"]
    assert sites[0].after is not None and sites[0].after["region_code"] == "KAZ014"
    assert (sites[0].after["lon"], sites[0].after["lat"]) == (51.17392, 43.66105)
    # The summary says what was kept, and the notes what was not placed, in any language.
    summary = report.coded_notes[0]
    assert summary.severity == "summary" and dict(summary.params)["kept"] == 1
    codes = {n.code for n in report.coded_notes}
    assert any("country" in c for c in codes)  # the Uzbek activity, left out with its reason
    for note in report.coded_notes:
        for lang in ("ru", "kk"):
            assert t(note.code, lang, **dict(note.params)) != note.english
    assert store.data_version() == version  # checking wrote nothing
    admin = auth.add_user(store, "alice", "admin", "a long enough passphrase 1")
    applied = editing.apply_import(store, admin, report.changes(), report.summary_message())
    data = store.load()
    project = data["projects"].set_index("project_id").loc["xx-test-kz-001"]
    assert project["iati_identifier"] == "XX-TEST-KZ-001"
    assert project["title_kk"] == "Ауылдық су кеңестері, Маңғыстау"
    gbp = data["funding_flows"].set_index("flow_id").loc["xx-test-kz-001-t2"]
    assert (gbp["amount"], gbp["currency"]) == (15000, "GBP")  # kept, never converted here
    # Stated figures are shown as stated: a basis would mark them as computed by the atlas.
    result = data["results"].set_index("result_id").loc["xx-test-kz-001-r1-1"]
    assert (project["budget_qualifier"], project["budget_basis"]) == ("exact", "")
    assert (gbp["qualifier"], gbp["basis"], result["qualifier"], result["basis"]) == \
        ("exact", "", "exact", "")
    assert not Figure.of(project["budget_amount"], "exact", project["budget_basis"]).derived
    assert store.change(applied.change_id).kind == "import"
    # The same file again changes nothing.
    again = check(store, KZ_FILE.read_bytes(), KZ_FILE.name)
    assert again.ok and not again.changes() and again.count("unchanged") >= 10
    # A newer file changes the project it holds, field by field.
    newer = KZ_FILE.read_bytes().replace(b"Village water councils, Mangystau",
                                         b"Village water councils, Mangystau Region")
    changed = check(store, newer, KZ_FILE.name)
    assert [(r.entity, [d.field for d in r.differences]) for r in changed.rows
            if r.status == "changed"] == [("projects", ["title_en"])]
    editing.undo(store, admin, applied.change_id)
    after_undo = store.load()
    for spec in TABLES:
        assert table_to_csv(spec, after_undo[spec.name]) == table_to_csv(spec, before[spec.name])


def test_the_bundled_export_comes_back_equal_into_an_empty_atlas(
        snap: Snapshot, empty_store: SqlStore) -> None:
    xml = activities_xml(snap, list(snap.table("projects")["project_id"]))
    report = check(empty_store, xml, "atlas-export.xml")
    assert report.ok, report.lines()[:20]
    importing.apply_import(empty_store, report, "test")
    bundled, _ = read_dataset(REPO_ROOT / "geodata")
    restored = empty_store.load()
    for name in PROJECT_TABLES:
        if name == "context_facts":  # a region's setting, not a project's: not in IATI
            continue
        spec = TABLES_BY_NAME[name]
        assert table_to_csv(spec, restored[name]) == table_to_csv(spec, bundled[name]), name
    # And into the full atlas it is the same data: nothing to change.
    full, _ = build_store_from_geodata(Path(str(empty_store.path) + "-full.sqlite"),
                                       REPO_ROOT / "geodata")
    again = check(full, xml, "atlas-export.xml")
    assert again.ok and not again.changes(), again.lines()[:20]


@pytest.mark.parametrize(("path", "country"), [
    (hostile.ANNOTATED_EXAMPLE, "AF"),
    (hostile.DPORTAL_100, "CD"),
    (hostile.DPORTAL_100, "SL"),
    (hostile.ANNOTATED_EXAMPLE, "KZ"),
    (hostile.DPORTAL_100, "KZ"),
])
def test_the_samples_give_a_report_never_a_traceback(store: SqlStore, path: Path,
                                                     country: str) -> None:
    version = store.data_version()
    report = check(store, path.read_bytes(), path.name, country)
    lines = "\n".join(report.lines())
    assert "Traceback" not in lines and "could not be checked" not in lines, lines[:2000]
    assert report.coded_notes or report.problems
    if country == "KZ":  # neither file has a Kazakhstan activity: it says so, by its code
        assert [p.code for p in report.problems] == ["iati_nothing_kept"]
    else:  # placed for the report, but the map draws Kazakhstan only: never applied
        assert report.rows and not report.ok
    assert store.data_version() == version


def _swapped_kazakhstan_activity() -> bytes:
    return KZ_FILE.read_bytes().replace(b"<pos>43.66105 51.17392</pos>",
                                        b"<pos>51.17392 43.66105</pos>")


@pytest.mark.parametrize(("content", "expected"), [
    (hostile.malformed(), "iati_malformed"),
    (hostile.billion_laughs(), "iati_doctype"),
    (hostile.external_entity(), "iati_doctype"),
    (hostile.oversized(), "prob_imp_too_big"),
    (hostile.organisation_file(), "iati_root_organisations"),
    (hostile.kml(), "iati_root_kml"),
    (_swapped_kazakhstan_activity(), None),
], ids=["malformed", "entity-bomb", "external-entity", "50MB", "organisation-file", "kml",
        "swapped-pos"])
def test_hostile_files_get_one_clear_message_and_change_nothing(
        store: SqlStore, content: bytes, expected: str | None) -> None:
    before = {spec.name: table_to_csv(spec, df) for spec, df in
              ((TABLES_BY_NAME[n], d) for n, d in store.load().items())}
    report = check(store, content)
    assert not report.ok
    if expected is None:  # the swapped point: named by the validator, with the activity
        lines = report.lines()
        assert any("swapped" in line.casefold() for line in lines), lines
    else:
        assert [p.code for p in report.problems][:1] == [expected], report.lines()
        assert "/etc/passwd" not in "\n".join(report.lines()) or expected != "iati_doctype"
        assert "root:" not in "\n".join(report.lines())
    with pytest.raises(importing.ImportRefused):
        importing.apply_import(store, report, "test")
    after = {spec.name: table_to_csv(spec, df) for spec, df in
             ((TABLES_BY_NAME[n], d) for n, d in store.load().items())}
    assert after == before


def test_the_command_line_imports_a_publisher_file(store: SqlStore,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--store", str(store.path), "import", str(KZ_FILE)]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "13 new" in out and "activity XX-TEST-KZ-001, location[1]: new sites" in out
    assert "dry run: nothing written" in out
    assert main(args) == 0
    assert "applied as change #" in capsys.readouterr().out
    assert main([*args, "--country", "af"]) == 1  # another country: the map draws KZ only
    assert "nothing written" in capsys.readouterr().out
    projects = store.load()["projects"]
    assert isinstance(projects, pd.DataFrame)
    assert "XX-TEST-KZ-001" in set(projects["iati_identifier"])
