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
from atlas.paths import REPO_ROOT
from atlas.store import SqlStore, content_hash, sqlite_url
from tests.databases import StoreMaker
from tests.test_store_safety import PASSWORD, edit, wait_for_line


def staffed(store: SqlStore) -> tuple[SqlStore, auth.Account]:
    """The store with an account and one saved edit, as the app leaves it."""
    alice = auth.add_user(store, "alice", "admin", PASSWORD)
    edit(store, alice, "Edited by alice")
    return store, alice


def state(store: SqlStore) -> tuple[str, str, int, list[tuple[str, str, str]]]:
    """What a backup must keep: data version, content, history and accounts."""
    return (store.data_version(), content_hash(store.load()), len(store.history()),
            auth.list_users(store))


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

