"""The store under hostile conditions: rebuilds over staff work, a store deleted, replaced,
damaged or changed by hand under the app, two writers at once, a read-only folder, and
``atlas export-data`` killed or out of disk space in the middle.

Every test works on its own copy of one store built from geodata/ per module.
"""

from __future__ import annotations

import errno
import os
import selectors
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from atlas import auth, dataset, editing
from atlas import store as store_module
from atlas.cli import main
from atlas.dataset import DataSet, table_to_csv
from atlas.i18n import t
from atlas.importing import plan_from_store, read_upload
from atlas.migrate import StoredRevision, head
from atlas.model import INFERENCE_COLUMNS, NOTE_TRANSLATION_COLUMNS, TABLES, TABLES_BY_NAME
from atlas.paths import REPO_ROOT
from atlas.store import (
    BuildRefused,
    RowChange,
    SqlStore,
    StoreBusy,
    StoreDamaged,
    StoreReadOnly,
    StoreReplaced,
    StoreSchemaMismatch,
    StoreTooNew,
    StoreTooOld,
    UpgradeResult,
    build_store,
    content_hash,
    open_store,
    sqlite_url,
    upgrade_store,
)
from tests.databases import StoreMaker

GEODATA = REPO_ROOT / "geodata"
EXAMPLE = REPO_ROOT / "examples" / "import" / "kuryk-mini-projects.xlsx"
PASSWORD = "a-long-password"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "atlas.sqlite"
    build_store(path, GEODATA)
    return path


@pytest.fixture()
def store_file(template: Path, tmp_path: Path) -> Path:
    """A private copy of a freshly built store (built stores have no -wal: one file)."""
    path = tmp_path / "store" / "atlas.sqlite"
    path.parent.mkdir()
    shutil.copyfile(template, path)
    return path


def staff_work(path: Path) -> tuple[SqlStore, auth.Account]:
    """The store at ``path`` with an account and one edit, as the app holds it."""
    store = SqlStore(sqlite_url(path))
    alice = auth.add_user(store, "alice", "admin", PASSWORD)
    edit(store, alice, "Edited by alice")
    return store, alice


def edit(store: SqlStore, account: auth.Account, title: str) -> None:
    project = store.load()["projects"].sort_values("project_id").iloc[0].to_dict()
    version = store.row_version("projects", (project["project_id"],)).version
    editing.save_row(store, account, "projects", {**project, "title_en": title}, version)


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Rows of ``sql`` read straight from the file, with a connection closed right after."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def execute(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for sql in statements:
            conn.execute(sql)
    finally:
        conn.close()


def cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``atlas ARGS`` in a process of its own."""
    return subprocess.run([sys.executable, "-m", "atlas.cli", *args], cwd=REPO_ROOT,
                          env={**os.environ, "PYTHONPATH": str(REPO_ROOT), **env},
                          capture_output=True, text=True, timeout=300)


def wait_for_line(proc: subprocess.Popen[bytes], text: str, seconds: float = 120) -> None:
    """Read the process's stderr until ``text`` shows (no fixed sleeps)."""
    assert proc.stderr is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stderr, selectors.EVENT_READ)
    deadline = time.monotonic() + seconds
    buffer = b""
    while time.monotonic() < deadline:
        if selector.select(timeout=0.5):
            chunk = os.read(proc.stderr.fileno(), 4096)
            if not chunk:
                break
            buffer += chunk
            if text.encode() in buffer:
                return
    raise AssertionError(f"no {text!r} within {seconds} s; got {buffer!r}")


@pytest.fixture()
def paused() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes a test starts paused; killed at the end whatever happened."""
    procs: list[subprocess.Popen[bytes]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)


def start_paused(procs: list[subprocess.Popen[bytes]], args: list[str], line: str,
                 **env: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "atlas.cli", *args], cwd=REPO_ROOT,
                            env={**os.environ, "PYTHONPATH": str(REPO_ROOT), **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    procs.append(proc)
    wait_for_line(proc, line)
    return proc


# --- build-store never destroys staff work -----------------------------------------------------


def test_build_store_refuses_a_store_with_accounts_and_edits(
        store_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app, _ = staff_work(store_file)
    version = app.data_version()
    assert main(["--store", str(store_file), "build-store"]) == 1
    err = capsys.readouterr().err
    assert "holds 1 account(s) and 1 recorded change(s)" in err and "--force" in err
    assert err.count("\n") == 1
    assert query(store_file, "SELECT name FROM atlas_users") == [("alice",)]
    assert query(store_file, "SELECT count(*) FROM atlas_changes") == [(1,)]
    assert app.data_version() == version
    assert not list(store_file.parent.glob("*backup*"))


def test_build_store_force_backs_up_then_rewrites_the_store_the_app_holds_open(
        store_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app, alice = staff_work(store_file)  # the app's store: open connections, a -wal
    edit(app, alice, "Edited again")
    assert Path(f"{store_file}-wal").exists()
    inode = store_file.stat().st_ino
    assert main(["--store", str(store_file), "build-store", "--force"]) == 0
    [backup] = store_file.parent.glob("atlas-backup-*.sqlite")
    assert f"kept a copy of the previous store: {backup}" in capsys.readouterr().out
    assert query(backup, "SELECT name FROM atlas_users") == [("alice",)]
    assert query(backup, "SELECT count(*) FROM atlas_changes") == [(2,)]
    # Rewritten in place: the app's connections see the rebuilt data, no foreign log.
    assert auth.list_users(app) == [] and app.history() == []
    assert store_file.stat().st_ino == inode
    assert app.data_version().startswith("4-")  # the counter goes on: caches see a change
    assert query(store_file, "PRAGMA integrity_check") == [("ok",)]
    auth.add_user(app, "alice", "editor", PASSWORD)
    with pytest.raises(ValueError, match="exists already"):
        auth.add_user(SqlStore(sqlite_url(store_file)), "alice", "editor", PASSWORD)
    assert [u[0] for u in auth.list_users(SqlStore(sqlite_url(store_file)))] == ["alice"]


def test_a_killed_rebuild_leaves_the_store_as_it_was(
        store_file: Path, paused: list[subprocess.Popen[bytes]]) -> None:
    app, _ = staff_work(store_file)
    version = app.data_version()
    proc = start_paused(paused, ["--store", str(store_file), "build-store", "--force"],
                        "atlas: pausing before commit", ATLAS_PAUSE_BEFORE_COMMIT="60")
    proc.kill()
    proc.wait(timeout=30)
    assert app.data_version() == version and [u[0] for u in auth.list_users(app)] == ["alice"]
    assert len(app.history()) == 1
    assert list(store_file.parent.glob("*.building-*"))  # left by the kill ...
    assert cli("--store", str(store_file), "build-store", "--force").returncode == 0
    assert not list(store_file.parent.glob("*.building-*"))  # ... and cleared by the next


def test_a_log_left_beside_a_missing_store_is_not_replayed_into_the_new_one(
        tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE intruder (x)")
    conn.executemany("INSERT INTO intruder VALUES (?)", [(i,) for i in range(2000)])
    path = tmp_path / "atlas.sqlite"
    for suffix in ("-wal", "-shm"):
        shutil.copyfile(f"{other}{suffix}", f"{path}{suffix}")
    conn.close()
    build_store(path, GEODATA)
    assert query(path, "PRAGMA integrity_check") == [("ok",)]
    names = {r[0] for r in query(path, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert "intruder" not in names and "atlas_users" in names


def test_build_store_refuses_while_a_running_app_holds_the_deleted_store(
        store_file: Path) -> None:
    app, _ = staff_work(store_file)
    store_file.unlink()  # the app's connections still have the old file and its -wal
    done = cli("--store", str(store_file), "build-store")
    assert done.returncode == 1 and "a running atlas still has" in done.stderr
    app.engine.dispose()
    assert cli("--store", str(store_file), "build-store").returncode == 0
    assert query(store_file, "PRAGMA integrity_check") == [("ok",)]


def test_build_stores_run_in_parallel_both_finish_with_one_intact_store(tmp_path: Path) -> None:
    path = tmp_path / "atlas.sqlite"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "atlas.cli", "--store", str(path),
                               "build-store"], cwd=REPO_ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas.sqlite"]
    assert query(path, "PRAGMA integrity_check") == [("ok",)]


def test_build_store_if_missing_leaves_any_existing_file(store_file: Path) -> None:
    staff_work(store_file)
    assert build_store(store_file, GEODATA, if_missing=True).built is False
    assert query(store_file, "SELECT name FROM atlas_users") == [("alice",)]


# --- the store deleted or replaced under the app -----------------------------------------------


def test_a_save_into_a_deleted_store_is_refused(store_file: Path) -> None:
    app, alice = staff_work(store_file)
    store_file.unlink()
    with pytest.raises(StoreReplaced) as info:
        edit(app, alice, "Lost work")
    assert info.value.code == "store_replaced"
    assert "deleted or replaced" in str(info.value)


def test_a_save_into_a_replaced_store_is_refused_and_the_new_file_untouched(
        store_file: Path, template: Path) -> None:
    app, alice = staff_work(store_file)
    newcomer = store_file.with_name("newcomer.sqlite")
    shutil.copyfile(template, newcomer)
    os.replace(newcomer, store_file)
    with pytest.raises(StoreReplaced):
        app.check_in_place()  # what the pages ask first
    with pytest.raises(StoreReplaced):
        edit(app, alice, "Lost work")
    with pytest.raises(StoreReplaced):
        auth.add_user(app, "bob", "editor", PASSWORD)
    assert query(store_file, "SELECT count(*) FROM atlas_changes") == [(0,)]
    assert query(store_file, "SELECT count(*) FROM atlas_users") == [(0,)]


# --- schema drift, versions and upgrades -------------------------------------------------------


@pytest.mark.parametrize(("sql", "named"), [
    ("DROP TABLE atlas_changes", "atlas_changes"),
    ("DROP TABLE sites", "sites"),
    ("ALTER TABLE atlas_users DROP COLUMN role", "atlas_users.role"),
    ("ALTER TABLE projects DROP COLUMN title_kk", "projects.title_kk"),
])
def test_schema_drift_is_refused_by_name_and_never_recreated_empty(
        store_file: Path, sql: str, named: str, capsys: pytest.CaptureFixture[str]) -> None:
    execute(store_file, sql)
    with pytest.raises(StoreSchemaMismatch) as info:
        open_store(store_file)
    assert named in info.value.params["missing"].split(", ")
    assert main(["--store", str(store_file), "summary"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and named in err and "Traceback" not in err
    table = named.split(".")[0]
    if "." not in named:  # still missing: nothing was created in its place
        assert not query(store_file, f"SELECT name FROM sqlite_master WHERE name = '{table}'")


# What version 3 added: IATI identifiers, DAC sectors and IATI body types.
_IATI_COLUMNS = (("projects", "iati_identifier"), ("projects", "sectors"),
                 ("organizations", "iati_ref"), ("organizations", "iati_type"))


# Columns a version-2 store gains on its way to the current schema.
_ADDED_LATER = _IATI_COLUMNS + NOTE_TRANSLATION_COLUMNS + INFERENCE_COLUMNS


def make_version_5(path: Path) -> None:
    """The store as code before summary codes made it: changes with their English line only
    (and, as every store from before the migrations, no alembic_version)."""
    execute(path, "DROP TABLE alembic_version",
            "ALTER TABLE atlas_changes DROP COLUMN summary_code",
            "ALTER TABLE atlas_changes DROP COLUMN summary_params",
            "UPDATE atlas_meta SET value = '5' WHERE key = 'schema_version'")


def make_version_4(path: Path) -> None:
    """The store as code before inferred roles and routes made it."""
    make_version_5(path)
    execute(path, *(f"ALTER TABLE {table} DROP COLUMN {column}"
                    for table, column in INFERENCE_COLUMNS),
            "UPDATE atlas_meta SET value = '4' WHERE key = 'schema_version'")


def make_version_3(path: Path) -> None:
    """The store as code before the ru/kk notes made it."""
    make_version_4(path)
    execute(path, *(f"ALTER TABLE {table} DROP COLUMN {column}"
                    for table, column in NOTE_TRANSLATION_COLUMNS),
            "UPDATE atlas_meta SET value = '3' WHERE key = 'schema_version'")


def make_version_2(path: Path) -> None:
    """The store as code before the IATI columns made it."""
    make_version_3(path)
    execute(path, *(f"ALTER TABLE {table} DROP COLUMN {column}" for table, column in _IATI_COLUMNS),
            "UPDATE atlas_meta SET value = '2' WHERE key = 'schema_version'")


def make_version_1(path: Path) -> None:
    """The store as code before the login throttle and the credential made it."""
    make_version_2(path)
    execute(path, "DROP TABLE atlas_login_throttle",
            "ALTER TABLE atlas_users DROP COLUMN credential",
            "DELETE FROM atlas_meta WHERE key = 'schema_version'",
            "INSERT INTO atlas_users (name, role, password_hash, created_at, failed_logins, "
            "blocked_until) VALUES ('alice', 'admin', 'h1', '2024-01-01T00:00:00Z', 0, 0), "
            "('bob', 'editor', 'h2', '2024-01-01T00:00:00Z', 0, 0)")


def upgraded(path: Path, legacy: int) -> SqlStore:
    """The store at ``path``, of schema ``legacy`` from before the migrations: refused when
    opened (naming `atlas upgrade`, nothing written), then upgraded, then opened."""
    before = path.read_bytes()
    with pytest.raises(StoreTooOld) as info:
        open_store(path)
    assert "atlas upgrade" in str(info.value)
    assert f"schema_version {legacy} (no revision recorded)" in info.value.detail
    assert path.read_bytes() == before
    result = upgrade_store(path, path.with_name("backup.sqlite"))
    assert (result.before, result.after) == (f"schema_version {legacy} (no revision recorded)",
                                             head())
    assert result.backup is not None and result.backup.exists()
    store = open_store(path)
    assert store.revision == StoredRevision(head())
    assert query(path, "SELECT version_num FROM alembic_version") == [(head(),)]
    # Code from before the migrations reads this number: schema 6 is what it knows.
    assert query(path, "SELECT value FROM atlas_meta WHERE key = 'schema_version'") \
        == [("6",)]
    return store


def upgraded_again(path: Path) -> UpgradeResult:
    """``atlas upgrade`` on a store it has upgraded: nothing more to do, nothing written."""
    before = {table: query(path, f"SELECT * FROM {table} ORDER BY rowid")
              for table in ("atlas_users", "atlas_changes", "atlas_meta", "projects")}
    result = upgrade_store(path, path.with_name("again.sqlite"))
    assert not result.upgraded and result.before == result.after == head()
    assert not path.with_name("again.sqlite").exists()
    assert {table: query(path, f"SELECT * FROM {table} ORDER BY rowid")
            for table in before} == before
    return result


def test_a_version_1_store_is_upgraded_in_place(store_file: Path) -> None:
    make_version_1(store_file)
    data_before = query(store_file, "SELECT * FROM projects ORDER BY project_id")
    store = upgraded(store_file, 1)
    credentials = dict(query(store_file, "SELECT name, credential FROM atlas_users"))
    assert set(credentials) == {"alice", "bob"}
    assert credentials["alice"] != credentials["bob"]
    assert all(len(c) >= 32 for c in credentials.values())
    assert query(store_file, "SELECT count(*) FROM atlas_login_throttle") == [(0,)]
    old_columns = ", ".join(c for c in TABLES_BY_NAME["projects"].column_names
                            if ("projects", c) not in _ADDED_LATER)
    assert query(store_file, f"SELECT {old_columns} FROM projects ORDER BY project_id") \
        == data_before
    assert [u[0] for u in auth.list_users(store)] == ["alice", "bob"]
    upgraded_again(store_file)
    assert dict(query(store_file, "SELECT name, credential FROM atlas_users")) == credentials


def test_a_version_2_store_gains_the_iati_columns_and_keeps_every_row(store_file: Path) -> None:
    make_version_2(store_file)
    projects_before = query(store_file, "SELECT * FROM projects ORDER BY project_id")
    orgs_before = query(store_file, "SELECT * FROM organizations ORDER BY org_id")
    store = upgraded(store_file, 2)
    data = store.load()
    for table, column in _IATI_COLUMNS:
        assert column in data[table].columns
        assert query(store_file, f"SELECT count(*) FROM {table} WHERE {column} IS NOT NULL "
                     f"AND {column} != ''") == [(0,)]
    old = [c for c in TABLES_BY_NAME["projects"].column_names
           if ("projects", c) not in _ADDED_LATER]
    assert query(store_file, f"SELECT {', '.join(old)} FROM projects ORDER BY project_id") \
        == projects_before
    old = [c for c in TABLES_BY_NAME["organizations"].column_names
           if ("organizations", c) not in _ADDED_LATER]
    assert query(store_file, f"SELECT {', '.join(old)} FROM organizations ORDER BY org_id") \
        == orgs_before
    # The upgraded store takes IATI identifiers like a new one.
    store.apply_changes([RowChange("projects", ("efca-public-spaces",),
                                   {**data["projects"].set_index("project_id")
                                    .loc["efca-public-spaces"].to_dict(),
                                    "project_id": "efca-public-spaces",
                                    "iati_identifier": "KZ-TEST-1"},
                                   base_version=store.row_versions("projects").get(
                                       ("efca-public-spaces",), 0))],
                        user="alice", kind="edit", summary="iati id")
    assert query(store_file, "SELECT iati_identifier FROM projects WHERE "
                 "project_id = 'efca-public-spaces'") == [("KZ-TEST-1",)]


def _upgraded_keeping_rows(store_file: Path, legacy: int, added: tuple[tuple[str, str], ...],
                           newer: tuple[tuple[str, str], ...]) -> tuple[SqlStore, DataSet]:
    """Upgrade an older store and check it: the current revision, the ``added`` columns
    present and empty, and every row of their tables unchanged in the columns older than
    ``newer``. Returns the store and what it loads."""
    tables = sorted({table for table, _ in added})
    before = {table: query(store_file, f"SELECT * FROM {table} ORDER BY rowid")
              for table in tables}
    store = upgraded(store_file, legacy)
    data = store.load()
    for table, column in added:
        assert column in data[table].columns
        assert (data[table][column] == "").all(), (table, column)
    for table in tables:
        old = [c for c in TABLES_BY_NAME[table].column_names if (table, c) not in newer]
        assert query(store_file, f"SELECT {', '.join(old)} FROM {table} ORDER BY rowid") \
            == before[table]
    return store, data


def test_a_version_3_store_gains_the_ru_kk_notes_and_keeps_every_row(store_file: Path) -> None:
    make_version_3(store_file)
    store, data = _upgraded_keeping_rows(store_file, 3, NOTE_TRANSLATION_COLUMNS,
                                         NOTE_TRANSLATION_COLUMNS + INFERENCE_COLUMNS)
    # The upgraded store keeps a Russian note like a new one.
    row = data["participants"].iloc[0].to_dict()
    key = (row["project_id"], row["org_id"], row["role"])
    store.apply_changes([RowChange("participants", key, {**row, "note_ru": "Примечание"},
                                   base_version=store.row_versions("participants").get(key, 0))],
                        user="alice", kind="edit", summary="ru note")
    assert "Примечание" in set(store.load()["participants"]["note_ru"])
    upgraded_again(store_file)


def test_a_version_4_store_gains_inferred_roles_and_routes_and_keeps_every_row(
        store_file: Path) -> None:
    make_version_4(store_file)
    store, data = _upgraded_keeping_rows(store_file, 4, INFERENCE_COLUMNS, INFERENCE_COLUMNS)
    # The upgraded store takes an inferred route like a new one.
    row = data["funding_flows"].iloc[0].to_dict()
    key = (row["flow_id"],)
    store.apply_changes([RowChange("funding_flows", key,
                                   {**row, "route_qualifier": "inferred", "route_basis": "why"},
                                   base_version=store.row_versions("funding_flows").get(key, 0))],
                        user="alice", kind="edit", summary="inferred route")
    assert "inferred" in set(store.load()["funding_flows"]["route_qualifier"])
    upgraded_again(store_file)


def test_a_version_5_store_gets_the_messages_of_its_recorded_changes(store_file: Path) -> None:
    """The upgrade reads each recorded English summary once: an edit, an import and an undo
    get their message code and parameters; a line in no known form keeps none (shown as
    stored). The English lines stay as they were."""
    store, alice = staff_work(store_file)
    report = plan_from_store(store, read_upload(EXAMPLE.name, EXAMPLE.read_bytes()))
    imported = editing.apply_import(store, alice, report.changes(), report.summary_message())
    undo = editing.undo(store, alice, imported.change_id)
    project = store.load()["projects"].sort_values("project_id").iloc[-1].to_dict()
    store.apply_changes([RowChange("projects", (project["project_id"],),
                                   {**project, "title_en": "By hand"})],
                        user="alice", kind="edit", summary="fixed by hand")
    written = {r.change_id: r for r in store.history()}
    assert [r.message is not None for r in written.values()] == [False, True, True, True]
    store.engine.dispose()
    lines = query(store_file, "SELECT change_id, summary FROM atlas_changes ORDER BY 1")
    make_version_5(store_file)
    assert not [c for c in query(store_file, "PRAGMA table_info(atlas_changes)")
                if str(c[1]).startswith("summary_")]

    store = upgraded(store_file, 5)
    assert query(store_file, "SELECT change_id, summary FROM atlas_changes ORDER BY 1") == lines
    read = {r.change_id: r for r in store.history()}
    for change_id, record in written.items():  # the same messages as when they were written
        assert read[change_id].message == record.message, record.summary
    assert read[undo.change_id].message.params["undone"] == report.summary_message()
    assert query(store_file, "SELECT summary_code, summary_params FROM atlas_changes "
                 "WHERE summary = 'fixed by hand'") == [(None, None)]
    upgraded_again(store_file)


def test_a_read_only_older_store_is_refused_and_not_upgraded(
        store_file: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A store that cannot be written is not upgraded: opening it says to run `atlas upgrade`,
    and the upgrade says it is read-only, with nothing written, not even a backup."""
    staff_work(store_file)[0].engine.dispose()
    make_version_5(store_file)
    before = store_file.read_bytes()
    monkeypatch.setenv("ATLAS_STORE_READ_ONLY", "1")
    with pytest.raises(StoreTooOld):
        open_store(store_file)
    assert main(["--store", str(store_file), "upgrade"]) == 1
    err = capsys.readouterr().err
    assert "read-only" in err and err.count("\n") == 1 and "Traceback" not in err
    assert store_file.read_bytes() == before
    assert not [p for p in store_file.parent.iterdir() if "backup" in p.name]


def test_a_store_of_a_newer_revision_is_refused(
        store_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A revision this code does not know (made by a newer atlas) is refused, by the app, by
    every command and by `atlas upgrade` alike, saying the atlas must be updated."""
    execute(store_file, "UPDATE alembic_version SET version_num = '0099_future'")
    before = store_file.read_bytes()
    with pytest.raises(StoreTooNew) as info:
        open_store(store_file)
    assert info.value.params == {"found": "0099_future", "known": head()}
    for command in (["summary"], ["upgrade"]):
        assert main(["--store", str(store_file), *command]) == 1
        err = capsys.readouterr().err
        assert "newer version of the atlas" in err and "update the atlas" in err
        assert err.count("\n") == 1 and "Traceback" not in err
    assert store_file.read_bytes() == before


def test_a_store_from_before_the_migrations_with_a_higher_number_is_refused(
        store_file: Path) -> None:
    execute(store_file, "DROP TABLE alembic_version",
            "UPDATE atlas_meta SET value = '7' WHERE key = 'schema_version'")
    with pytest.raises(StoreTooNew) as info:
        open_store(store_file)
    assert info.value.params == {"found": 7, "known": head()}


@pytest.mark.parametrize("sql", [
    "UPDATE atlas_meta SET value = 'six' WHERE key = 'schema_version'",
    "UPDATE atlas_meta SET value = '0' WHERE key = 'schema_version'",
])
def test_a_nonsense_schema_number_is_damage(store_file: Path, sql: str) -> None:
    execute(store_file, "DROP TABLE alembic_version", sql)
    with pytest.raises(StoreDamaged, match="schema_version"):
        open_store(store_file)


# --- two writers at once -----------------------------------------------------------------------


def test_a_write_while_an_import_is_being_written_is_refused_as_busy(
        store_file: Path, paused: list[subprocess.Popen[bytes]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from atlas.ui.import_page import apply_outcome

    _, alice = staff_work(store_file)
    monkeypatch.setattr(store_module, "BUSY_SECONDS", 0.5)
    start_paused(paused, ["--store", str(store_file), "import", str(EXAMPLE)],
                 "atlas: pausing before commit", ATLAS_PAUSE_BEFORE_COMMIT="120")
    app = SqlStore(sqlite_url(store_file))  # opening only reads: fine while locked
    with pytest.raises(StoreBusy) as info:
        edit(app, alice, "Saved while an import is written")
    assert info.value.code == "store_busy"
    report = plan_from_store(app, read_upload(EXAMPLE.name, EXAMPLE.read_bytes()))
    level, message, change = apply_outcome(app, alice, report, "ru")
    assert (level, message, change) == ("error", t("store_busy", "ru"), None)
    second = cli("--store", str(store_file), "import", str(EXAMPLE))
    assert second.returncode == 1
    assert "Another import or save is being written" in second.stderr
    assert "Traceback" not in second.stderr and "OperationalError" not in second.stderr
    assert query(store_file, "SELECT count(*) FROM atlas_changes") == [(1,)]


# --- a damaged store ---------------------------------------------------------------------------


def damage(path: Path, how: str) -> None:
    if how == "empty":
        path.write_bytes(b"")
    elif how == "truncated":
        with path.open("r+b") as handle:
            handle.truncate(path.stat().st_size // 2)
    elif how == "header":
        with path.open("r+b") as handle:
            handle.seek(16)
            handle.write(b"\xff" * 8)
    elif how == "page":
        with path.open("r+b") as handle:
            handle.seek(2 * 4096)
            handle.write(os.urandom(4096))
    else:
        path.write_text("project_id,title_en\nnot,a database\n")


@pytest.mark.parametrize("how", ["empty", "truncated", "header", "page", "csv"])
def test_a_damaged_store_is_one_line_and_exit_1_on_the_cli(
        store_file: Path, how: str, capsys: pytest.CaptureFixture[str]) -> None:
    damage(store_file, how)
    with pytest.raises(StoreDamaged):
        open_store(store_file)
    for command in (["summary"], ["export-data", "--out", str(store_file.parent / "out")]):
        assert main(["--store", str(store_file), *command]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"atlas: {store_file}: The atlas data store is damaged")
        assert "atlas build-store --force" in err and err.count("\n") == 1
    assert not (store_file.parent / "out").exists()


def test_a_damaged_store_is_kept_as_a_copy_when_rebuilt(store_file: Path) -> None:
    damage(store_file, "header")
    broken = store_file.read_bytes()
    with pytest.raises(BuildRefused, match="--force"):
        build_store(store_file, GEODATA)
    result = build_store(store_file, GEODATA, force=True)
    assert result.backup is not None and result.backup.read_bytes() == broken
    assert query(store_file, "PRAGMA integrity_check") == [("ok",)]


# --- a read-only store -------------------------------------------------------------------------


def test_a_store_opened_read_only_reads_and_refuses_every_write(
        store_file: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The seam: ATLAS_STORE_READ_ONLY opens it as a read-only folder would."""
    staff_work(store_file)
    before = query(store_file, "SELECT value FROM atlas_meta WHERE key = 'data_version'")
    monkeypatch.setenv("ATLAS_STORE_READ_ONLY", "1")
    store = open_store(store_file)
    assert store.read_only and len(store.load()["projects"]) == 5
    with pytest.raises(StoreReadOnly):
        edit(store, auth.Account("alice", "admin"), "Not saved")
    with pytest.raises(StoreReadOnly):
        auth.add_user(store, "bob", "editor", PASSWORD)
    assert main(["--store", str(store_file), "summary", "--json"]) == 0
    assert main(["--store", str(store_file), "import", str(EXAMPLE)]) == 1
    assert "read-only" in capsys.readouterr().err
    assert query(store_file, "SELECT value FROM atlas_meta WHERE key = 'data_version'") == before


def _can_mount() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount --bind / /mnt 2>/dev/null "
                            "|| mount --bind /tmp /tmp"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount(), reason="no user and mount namespaces here")
def test_a_store_in_a_read_only_mounted_folder_is_read_and_never_written(
        store_file: Path) -> None:
    """A real read-only bind mount (in a private mount namespace), which stops root too."""
    folder = store_file.parent
    script = (f'mount --bind "{folder}" "{folder}" && '
              f'mount -o remount,bind,ro "{folder}" && '
              f'! touch "{folder}/probe" 2>/dev/null && exec "$@"')

    def read_only(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["unshare", "-rm", "sh", "-c", script, "sh", sys.executable, "-m", "atlas.cli",
             "--store", str(store_file), *args], cwd=REPO_ROOT, capture_output=True,
            text=True, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, timeout=300)

    before = store_file.read_bytes()
    summary = read_only("summary")
    assert summary.returncode == 0, summary.stderr
    assert "projects: 5" in summary.stdout
    refused = read_only("import", str(EXAMPLE))
    assert refused.returncode == 1 and "read-only" in refused.stderr
    assert store_file.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["atlas.sqlite"]


@pytest.mark.skipif(not _can_mount(), reason="no user and mount namespaces here")
def test_a_write_to_a_store_on_a_full_disk_says_the_disk_is_full(
        template: Path, tmp_path: Path) -> None:
    """A real full disk: a 1.2 MB tmpfs (in a private mount namespace) filled up."""
    folder = tmp_path / "full"
    folder.mkdir()
    store_file = folder / "atlas.sqlite"
    script = (f'mount -t tmpfs -o size=1200k tmpfs "{folder}" && '
              f'cp "{template}" "{store_file}" && '
              f'avail=$(df -k --output=avail "{folder}" | tail -1) && '
              f'dd if=/dev/zero of="{folder}/filler" bs=1k count=$((avail - 4)) 2>/dev/null; '
              f'"$@"; echo "rc=$?"; rm "{folder}/filler"; '
              f'"$1" -c "import sqlite3; print(sqlite3.connect(\'{store_file}\')'
              f'.execute(\'SELECT count(*) FROM atlas_changes\').fetchall())"')
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script, "sh", sys.executable, "-m", "atlas.cli",
         "--store", str(store_file), "import", str(EXAMPLE)], cwd=REPO_ROOT,
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        timeout=300)
    assert "rc=1" in done.stdout and "[(0,)]" in done.stdout, (done.stdout, done.stderr)
    assert "The disk of the data store is full" in done.stderr
    assert "Traceback" not in done.stderr


# --- export-data: all files or none -------------------------------------------------------------


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture()
def export_case(new_store: StoreMaker, tmp_path: Path) -> tuple[SqlStore, Path, dict[str, bytes],
                                                               dict[str, bytes]]:
    """(store with an edit, on each engine; a copy of geodata/; its files now; the files an
    export writes)."""
    store = new_store()
    edit(store, auth.add_user(store, "alice", "admin", PASSWORD), "Edited by alice")
    folder = tmp_path / "data" / "geodata"
    shutil.copytree(GEODATA, folder)
    old = files_of(folder)
    data = store.load()
    new = {**old, **{s.file_name: table_to_csv(s, data[s.name]).encode() for s in TABLES}}
    assert new != old
    return store, folder, old, new


def store_state(store: SqlStore) -> tuple[str, str, int, list[tuple[str, str, str]]]:
    """Data version, content, history and accounts: what a killed command must leave."""
    return (store.data_version(), content_hash(store.load()), len(store.history()),
            auth.list_users(store))


EXPORT_STEPS = [f"wrote {TABLES[0].file_name}", f"wrote {TABLES[len(TABLES) // 2].file_name}",
                f"wrote {TABLES[-1].file_name}", "swapping", "swapped"]


@pytest.mark.parametrize("step", EXPORT_STEPS)
def test_export_data_killed_at_any_step_leaves_the_old_or_the_new_files(
        export_case: tuple[SqlStore, Path, dict[str, bytes], dict[str, bytes]], step: str,
        paused: list[subprocess.Popen[bytes]], capsys: pytest.CaptureFixture[str]) -> None:
    store, folder, old, new = export_case
    before = store_state(store)
    proc = start_paused(paused, ["--store", store.url, "export-data", "--out",
                                 str(folder)], f"atlas: export {step}",
                        ATLAS_PAUSE_EXPORT=f"{step}=60")
    proc.kill()  # SIGKILL: no cleanup of any kind
    proc.wait(timeout=30)
    assert proc.returncode == -9
    found = files_of(folder)
    assert found == (new if step == "swapped" else old)  # byte for byte
    assert store_state(store) == before
    assert main(["validate", "--geodata", str(folder)]) == 0
    # The next export clears what the killed one left and completes.
    assert main(["--store", store.url, "export-data", "--out", str(folder)]) == 0
    assert files_of(folder) == new
    assert sorted(p.name for p in folder.parent.iterdir()) == ["geodata"]
    capsys.readouterr()


def test_export_data_on_a_full_disk_leaves_the_old_files(
        export_case: tuple[SqlStore, Path, dict[str, bytes], dict[str, bytes]],
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    store, folder, old, _ = export_case
    real_write = dataset._write_file
    written: list[str] = []

    def disk_fills_up(path: Path, text: str) -> None:
        written.append(path.name)
        if len(written) == 3:  # the disk fills up in the middle of a row of the third file
            real_write(path, text[: len(text) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real_write(path, text)

    monkeypatch.setattr(dataset, "_write_file", disk_fills_up)
    assert main(["--store", store.url, "export-data", "--out", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "unchanged" in err and err.count("\n") == 1
    assert files_of(folder) == old
    assert sorted(p.name for p in folder.parent.iterdir()) == ["geodata"]


def test_export_data_finishes_a_swap_cut_between_its_two_renames(
        export_case: tuple[SqlStore, Path, dict[str, bytes], dict[str, bytes]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Where there is no atomic exchange: a kill between the renames leaves no geodata/ at
    all, and the next run puts the old folder back before writing."""
    store, folder, old, new = export_case
    monkeypatch.setattr(dataset, "_exchange", lambda first, second: False)
    left = folder.with_name(f".{folder.name}{dataset._OLD}123-abcd")
    os.rename(folder, left)  # what the kill leaves
    assert main(["--store", store.url, "export-data", "--out", str(folder)]) == 0
    assert files_of(folder) == new
    assert not left.exists()
    assert sorted(p.name for p in folder.parent.iterdir()) == ["geodata"]
    assert old != new
