"""Backups while the app runs, and restores, on SQLite and on PostgreSQL: a backup is an
SQLite store file holding one consistent state of every table (of any schema version), written
aside and renamed, never over an existing file unasked; a killed backup leaves the store and
an older backup untouched."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from atlas import auth, backup
from atlas.backup import BackupError, BackupExists, write_backup
from atlas.cli import main
from atlas.paths import REPO_ROOT
from atlas.store import SqlStore, content_hash, sqlite_url
from tests.databases import StoreMaker
from tests.test_store_safety import PASSWORD, edit, execute, wait_for_line
from tests.test_store_safety import store_state as state


def staffed(store: SqlStore) -> tuple[SqlStore, auth.Account]:
    """The store with an account and one saved edit, as the app leaves it."""
    alice = auth.add_user(store, "alice", "admin", PASSWORD)
    edit(store, alice, "Edited by alice")
    return store, alice


def raw_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read by reflection, sorted: what a backup must hold."""
    engine = sa.create_engine(url)
    try:
        metadata = sa.MetaData()
        with engine.connect() as conn:
            metadata.reflect(bind=conn)
            return {t.name: sorted((tuple(r) for r in conn.execute(sa.select(t))), key=repr)
                    for t in metadata.sorted_tables}
    finally:
        engine.dispose()


def opened(path: Path) -> SqlStore:
    return SqlStore(sqlite_url(path))


# --- write_backup -------------------------------------------------------------------------


def test_a_backup_is_an_sqlite_store_holding_every_table_and_row(
        new_store: StoreMaker, tmp_path: Path) -> None:
    store, _ = staffed(new_store())
    before = state(store)
    target = tmp_path / "backups" / "atlas-backup.sqlite"
    report = write_backup(store.url, target)
    assert target.read_bytes()[:16] == b"SQLite format 3\x00"
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no -wal, no -journal
    rows = raw_rows(sqlite_url(target))
    assert report.tables == len(rows) and report.rows == sum(map(len, rows.values()))
    assert report.bytes == target.stat().st_size and report.target == target
    # Every row of every table, the same values as in the store.
    assert rows == raw_rows(store.url)
    # ... and it opens as a store holding the same state.
    assert state(opened(target)) == before
    assert state(store) == before


def test_a_backup_of_any_schema_version_copies_what_is_there(
        new_store: StoreMaker, tmp_path: Path) -> None:
    """Tables and columns are read from the database, not from the current model: an older
    store (here: version 5, before summary codes) with a table of another tool is copied as
    it is, and not upgraded by the backup."""
    store = new_store()
    with store.engine.begin() as conn:
        for sql in ("ALTER TABLE atlas_changes DROP COLUMN summary_code",
                    "ALTER TABLE atlas_changes DROP COLUMN summary_params",
                    "UPDATE atlas_meta SET value = '5' WHERE key = 'schema_version'",
                    "CREATE TABLE other_tool (id INTEGER PRIMARY KEY, note TEXT NOT NULL, "
                    "ratio FLOAT)",
                    "INSERT INTO other_tool VALUES (1, 'kept', 0.5), (2, 'also', NULL)"):
            conn.exec_driver_sql(sql)
    store.engine.dispose()
    target = tmp_path / "old.sqlite"
    write_backup(store.url, target)
    rows = raw_rows(sqlite_url(target))
    assert rows["other_tool"] == [(1, "kept", 0.5), (2, "also", None)]
    assert ("schema_version", "5") in rows["atlas_meta"]
    columns = [c[1] for c in sqlite3.connect(target).execute("PRAGMA table_info(atlas_changes)")]
    assert "summary_code" not in columns and "user" in columns
    assert rows == raw_rows(store.url)  # the store itself was not upgraded either


def test_a_backup_refuses_to_replace_a_file_unless_forced(
        new_store: StoreMaker, tmp_path: Path) -> None:
    store = new_store()
    (tmp_path / "backups").mkdir()
    target = tmp_path / "backups" / "b.sqlite"
    target.write_bytes(b"an older backup")
    with pytest.raises(BackupExists, match="exists"):
        write_backup(store.url, target)
    assert target.read_bytes() == b"an older backup"
    write_backup(store.url, target, force=True)
    assert raw_rows(sqlite_url(target)) == raw_rows(store.url)
    assert sorted(p.name for p in target.parent.iterdir()) == ["b.sqlite"]


def test_a_backup_of_no_store_or_of_another_file_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "b.sqlite"
    with pytest.raises(BackupError, match="no store at"):
        write_backup(tmp_path / "missing.sqlite", target)
    page = tmp_path / "page.sqlite"
    page.write_text("<!doctype html><html></html>")
    with pytest.raises(BackupError, match="not an SQLite database"):
        write_backup(page, target)
    with pytest.raises(BackupError, match="the store itself"):
        write_backup(page, page)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.sqlite"]


def test_a_backup_copies_a_server_database_in_small_batches(
        new_store: StoreMaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        engine: str) -> None:
    if engine == "sqlite":
        pytest.skip("an SQLite store is copied page by page by SQLite's backup API")
    monkeypatch.setattr(backup, "BATCH_ROWS", 7)
    store = new_store()
    write_backup(store.url, tmp_path / "b.sqlite")
    assert raw_rows(sqlite_url(tmp_path / "b.sqlite")) == raw_rows(store.url)


def test_a_server_backup_is_one_snapshot_while_others_write(
        new_store: StoreMaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        engine: str) -> None:
    """An edit committed by another connection after the first table was copied shows in no
    table of the backup: all tables are read from one snapshot."""
    if engine == "sqlite":
        pytest.skip("SQLite copies in one step (see the test of backups during edits)")
    store, alice = staffed(new_store())
    before = state(store)
    real_pause = backup._pause_backup
    edited: list[str] = []

    def edit_meanwhile(step: str) -> None:
        real_pause(step)
        if step.startswith("wrote ") and not edited:
            edit(store, alice, "Saved during the backup")
            edited.append(step)

    monkeypatch.setattr(backup, "_pause_backup", edit_meanwhile)
    write_backup(store.url, tmp_path / "b.sqlite")
    assert edited and state(store) != before
    assert state(opened(tmp_path / "b.sqlite")) == before


def test_backups_taken_while_an_editor_saves_are_each_one_consistent_state(
        new_store: StoreMaker, tmp_path: Path) -> None:
    """Every backup taken while edits are saved holds one state: its data version names the
    content it holds and its history has as many changes as the counter moved."""
    store, alice = staffed(new_store())
    first_counter = int(store.data_version().split("-")[0]) - 1
    done = threading.Event()
    failures: list[BaseException] = []

    def editor() -> None:
        try:
            for i in range(8):
                edit(store, alice, f"Edit {i}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=editor)
    thread.start()
    taken = 0
    while not done.is_set() or taken < 2:
        copy = write_backup(store.url, tmp_path / f"b{taken}.sqlite").target
        assert copy is not None
        held = opened(copy)
        version = held.data_version()
        assert version.split("-")[1] == content_hash(held.load())
        assert len(held.history()) == int(version.split("-")[0]) - first_counter
        held.engine.dispose()
        taken += 1
    thread.join()
    assert not failures, failures


# --- killed in the middle ----------------------------------------------------------------------


def start_paused(args: list[str], line: str, **env: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "atlas.cli", *args], cwd=REPO_ROOT,
                            env={**os.environ, "PYTHONPATH": str(REPO_ROOT), **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for_line(proc, line)
    except BaseException:
        proc.kill()
        proc.wait(timeout=30)
        raise
    return proc


@pytest.mark.parametrize("step", ["copying", "copied"])
def test_a_backup_killed_in_the_middle_leaves_the_store_and_an_older_backup_untouched(
        new_store: StoreMaker, tmp_path: Path, step: str, engine: str) -> None:
    store, _ = staffed(new_store())
    before = state(store)
    folder = tmp_path / "backups"
    folder.mkdir()
    target = folder / "nightly.sqlite"
    old = b"SQLite format 3\x00 yesterday's backup"
    target.write_bytes(old)
    # On PostgreSQL, also between two tables of its snapshot.
    pause = "wrote atlas_meta" if engine == "postgresql" and step == "copying" else step
    proc = start_paused(["--store", store.url, "backup", str(target), "--force"],
                        f"atlas: backup {pause}", ATLAS_PAUSE_BACKUP=f"{pause}=60")
    proc.kill()  # SIGKILL: no cleanup of any kind
    proc.wait(timeout=30)
    assert proc.returncode == -9
    assert target.read_bytes() == old
    assert state(store) == before
    # What it left is a hidden temporary file, which the next backup removes.
    assert all(p.name.startswith(".nightly.sqlite.part-") for p in folder.iterdir()
               if p != target)
    write_backup(store.url, target, force=True)
    assert [p.name for p in folder.iterdir()] == ["nightly.sqlite"]
    assert state(opened(target)) == before


def test_a_backup_leaves_alone_the_temporary_file_of_a_backup_still_running(
        new_store: StoreMaker, tmp_path: Path) -> None:
    store = new_store()
    target = tmp_path / "b.sqlite"
    proc = start_paused(["--store", store.url, "backup", str(target)], "atlas: backup copied",
                        ATLAS_PAUSE_BACKUP="copied=60")
    try:
        running = [p for p in tmp_path.iterdir() if p.name.startswith(".b.sqlite.part-")]
        assert len(running) == 1
        write_backup(store.url, tmp_path / "b.sqlite", force=True)
        assert running[0].exists()
    finally:
        proc.kill()
        proc.wait(timeout=30)



# --- restore -------------------------------------------------------------------------------


def test_restore_puts_the_backup_back_into_the_store_an_app_holds_open(
        new_store: StoreMaker, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store, alice = staffed(new_store())
    backed_up = state(store)
    target = tmp_path / "backups" / "b.sqlite"
    write_backup(store.url, target)
    edit(store, alice, "Edited after the backup")
    auth.add_user(store, "bob", "editor", PASSWORD)
    replaced = state(store)
    app = SqlStore(store.url)  # an app server running on the store all along
    seen = app.data_version()
    assert main(["--store", store.url, "restore", str(target)]) == 0
    out = capsys.readouterr().out
    assert "restored" in out and "kept a copy of the replaced store" in out
    version, content, changes, users = state(store)
    assert (content, changes, users) == backed_up[1:]
    # A new data version, after every one the store had: the app reads the restored data.
    assert int(version.split("-")[0]) == int(seen.split("-")[0]) + 1
    assert app.data_version() == version and content_hash(app.load()) == backed_up[1]
    # The history goes on from the restored one (on PostgreSQL: the sequence was reset).
    edit(app, alice, "Edited after the restore")
    assert [c.change_id for c in store.history()] == [2, 1]
    # The copy kept holds the replaced state.
    kept = Path(out.split("kept a copy of the replaced store: ")[1].split("\n")[0])
    assert state(opened(kept))[1:] == replaced[1:]
    app.engine.dispose()


def test_restore_into_a_missing_store_creates_it(tmp_path: Path, new_store: StoreMaker,
                                                 engine: str) -> None:
    if engine == "postgresql":
        pytest.skip("an SQLite file is created; a server database is made by its admin")
    store, _ = staffed(new_store())
    write_backup(store.url, tmp_path / "b.sqlite")
    fresh = tmp_path / "new" / "atlas.sqlite"
    assert main(["--store", str(fresh), "restore", str(tmp_path / "b.sqlite")]) == 0
    assert state(opened(fresh))[1:] == state(store)[1:]


def _bad_backups(good: Path, folder: Path) -> dict[str, tuple[Path, str]]:
    """Files that must not be restored, and what the refusal says about each."""
    cases: dict[str, tuple[Path, str]] = {}

    def case(name: str, says: str, content: bytes | None = None) -> Path:
        path = folder / name
        path.write_bytes(good.read_bytes() if content is None else content)
        cases[name] = (path, says)
        return path

    cases["missing.sqlite"] = (folder / "missing.sqlite", "there is no file")
    case("empty.sqlite", "is empty (0 bytes)", b"")
    case("page.sqlite", "not an SQLite database (it looks like a web page",
         b"<!DOCTYPE html><html><body>Not found</body></html>")
    case("sheet.sqlite", "not an SQLite database (it looks like a zip", b"PK\x03\x04" + b"x" * 99)
    whole = good.read_bytes()
    case("cut.sqlite", "damaged or cut short", whole[: len(whole) // 2])
    damaged = bytearray(whole)
    for page in range(2, len(whole) // 4096):  # every page after the first, scribbled on
        damaged[page * 4096 + 8: page * 4096 + 64] = b"\xff" * 56
    case("scribbled.sqlite", "damaged or cut short", bytes(damaged))
    other = folder / "other.sqlite"
    execute(other, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    cases["other.sqlite"] = (other, "holds none of the atlas's tables (moz_places)")
    execute(case("older.sqlite", "of an older schema (schema_version 5 (no revision recorded)) "
                 "and this atlas is at 0006_summary_codes: upgrade a copy of it first"),
            "DROP TABLE alembic_version",
            "ALTER TABLE atlas_changes DROP COLUMN summary_code",
            "ALTER TABLE atlas_changes DROP COLUMN summary_params",
            "UPDATE atlas_meta SET value = '5' WHERE key = 'schema_version'")
    execute(case("newer.sqlite", "made by a newer atlas"),
            "UPDATE alembic_version SET version_num = '0099_future'")
    execute(case("lacking.sqlite", "lacks sites"), "DROP TABLE sites")
    execute(case("unbuilt.sqlite", "holds no data set"),
            "UPDATE atlas_meta SET value = '0' WHERE key = 'data_version'")
    execute(case("typed.sqlite", "the table project_sdgs holds a value of the wrong type"),
            "UPDATE project_sdgs SET rank = 'first' WHERE rank = 1")
    execute(case("invalid.sqlite", "holds a data set with 1 problem(s) (geodata/sites.csv"),
            "UPDATE sites SET lat = 12.5 WHERE rowid = (SELECT min(rowid) FROM sites)")
    execute(case("roles.sqlite", "have no known role"), "UPDATE atlas_users SET role = 'root'")
    return cases


def test_restore_refuses_what_is_not_a_good_backup_and_leaves_the_store_untouched(
        new_store: StoreMaker, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store, _ = staffed(new_store())
    good = tmp_path / "good.sqlite"
    write_backup(store.url, good)
    edit(store, auth.Account("alice", "admin"), "After the backup")
    before = state(store)
    folder = tmp_path / "bad"
    folder.mkdir()
    for name, (path, says) in _bad_backups(good, folder).items():
        assert main(["--store", store.url, "restore", str(path)]) == 1, name
        captured = capsys.readouterr()
        assert captured.out == "", name
        assert says in captured.err, (name, captured.err)
        assert captured.err.endswith("the store was not changed\n"), (name, captured.err)
        assert captured.err.count("\n") == 1 and "Traceback" not in captured.err, name
        assert state(store) == before, name
    # No copy of the store was made for a refused restore.
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".sqlite") == ["good.sqlite"]


def test_a_restore_killed_before_it_commits_leaves_the_store_as_it_was(
        new_store: StoreMaker, tmp_path: Path) -> None:
    store, alice = staffed(new_store())
    write_backup(store.url, tmp_path / "b.sqlite")
    edit(store, alice, "After the backup")
    before = state(store)
    proc = start_paused(["--store", store.url, "restore", str(tmp_path / "b.sqlite")],
                        "atlas: pausing before commit", ATLAS_PAUSE_BEFORE_COMMIT="60")
    proc.kill()
    proc.wait(timeout=30)
    assert state(store) == before
