"""The store on a PostgreSQL server: what the SQLite file's safety tests check, where a server
does it its own way (built in place, upgraded by `atlas upgrade` with its own ALTER TABLE, refused
when too old, too new or lacking a column, a server that cannot be reached said in one line), on a
throwaway server."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from atlas import auth, editing
from atlas.cli import main
from atlas.migrate import StoredRevision, head
from atlas.model import TABLES_BY_NAME
from atlas.store import (
    SqlStore,
    StaleEdit,
    StoreSchemaMismatch,
    StoreServerUnavailable,
    StoreTooNew,
    StoreTooOld,
    open_store,
    upgrade_store,
)
from tests.databases import PostgresServer
from tests.legacy_stores import ADDED_IN, make_legacy

pytestmark = pytest.mark.postgresql
PASSWORD = "a-long-password"


@pytest.fixture()
def database(postgres: PostgresServer) -> Iterator[str]:
    """The URL of a database of its own holding the built bundled data."""
    name = postgres.new_database()
    yield postgres.url(name)
    postgres.drop_database(name)


@pytest.fixture()
def empty_database(postgres: PostgresServer) -> Iterator[str]:
    name = postgres.new_database(template=None)
    yield postgres.url(name)
    postgres.drop_database(name)


def execute(url: str, *statements: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for sql in statements:
            conn.exec_driver_sql(sql)
    engine.dispose()


def query(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.exec_driver_sql(sql)]
    engine.dispose()
    return rows


def test_build_store_fills_an_empty_database_once(
        empty_database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--store", empty_database, "build-store", "--if-missing"]) == 0
    assert "built postgresql+psycopg://" in capsys.readouterr().out
    store = SqlStore(empty_database)
    assert len(store.load()["sites"]) == 26
    version = store.data_version()
    assert main(["--store", empty_database, "build-store", "--if-missing"]) == 0
    assert "store exists" in capsys.readouterr().out
    # Without --if-missing, a store without staff work is built again: the counter goes on.
    assert main(["--store", empty_database, "build-store"]) == 0
    assert store.data_version().split("-")[0] == str(int(version.split("-")[0]) + 1)


def test_build_store_if_missing_leaves_a_database_that_holds_accounts(
        empty_database: str, capsys: pytest.CaptureFixture[str]) -> None:
    # As an SQLite file that exists: `make run` (build-store --if-missing) goes on.
    auth.add_user(SqlStore(empty_database), "alice", "admin", PASSWORD)
    assert main(["--store", empty_database, "build-store", "--if-missing"]) == 0
    assert "store exists" in capsys.readouterr().out
    store = open_store(empty_database)
    assert store.is_empty() and [u[0] for u in auth.list_users(store)] == ["alice"]


def test_build_store_never_replaces_staff_work_in_a_database(
        database: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = SqlStore(database)
    alice = auth.add_user(store, "alice", "admin", PASSWORD)
    project = store.load()["projects"].sort_values("project_id").iloc[0].to_dict()
    editing.save_row(store, alice, "projects", {**project, "title_en": "Kept"}, 0)
    version = store.data_version()
    for force in ([], ["--force"]):
        assert main(["--store", database, "build-store", *force]) == 1
        err = capsys.readouterr().err
        assert "holds 1 account(s) and 1 recorded change(s)" in err
        assert err.count("\n") == 1 and "Traceback" not in err
    assert store.data_version() == version
    assert "Kept" in set(store.load()["projects"]["title_en"])


def test_an_older_store_in_a_database_is_upgraded_in_place(database: str,
                                                           tmp_path: Path) -> None:
    # The schema of version 1: none of the tables and columns any later version added (the
    # login throttle, the credential, the IATI, ru/kk and inference columns...).
    later = [pair for _, columns in ADDED_IN.values() for pair in columns]
    make_legacy(database, 1)
    execute(database,
            "INSERT INTO atlas_users (name, role, password_hash, created_at, failed_logins, "
            "blocked_until) VALUES ('alice', 'admin', 'h1', '2024-01-01T00:00:00Z', 0, 0), "
            "('bob', 'editor', 'h2', '2024-01-01T00:00:00Z', 0, 0)")
    old = ", ".join(f'"{c}"' for c in TABLES_BY_NAME["projects"].column_names
                    if ("projects", c) not in later)
    before = query(database, f"SELECT {old} FROM projects ORDER BY project_id")
    with pytest.raises(StoreTooOld):
        open_store(database)
    assert upgrade_store(database, tmp_path / "backup.sqlite").upgraded
    store = open_store(database)
    assert store.revision == StoredRevision(head())
    assert query(database, "SELECT value FROM atlas_meta WHERE key = 'schema_version'") == [
        ("6",)]
    assert query(database, f"SELECT {old} FROM projects ORDER BY project_id") == before
    data = store.load()
    for table, column in later:
        if table in data:
            assert (data[table][column] == "").all(), (table, column)
    credentials = dict(query(database, "SELECT name, credential FROM atlas_users"))
    assert len(set(credentials.values())) == 2 and all(len(c) >= 32
                                                       for c in credentials.values())
    # Upgraded again: nothing more to do, nothing changed.
    assert not upgrade_store(database, tmp_path / "again.sqlite").upgraded
    assert dict(query(database, "SELECT name, credential FROM atlas_users")) == credentials


def test_a_store_of_a_newer_version_in_a_database_is_refused(
        database: str, capsys: pytest.CaptureFixture[str]) -> None:
    execute(database, "UPDATE alembic_version SET version_num = '0099_future'")
    with pytest.raises(StoreTooNew) as info:
        open_store(database)
    assert info.value.params == {"found": "0099_future", "known": head()}
    assert main(["--store", database, "summary"]) == 1
    assert "newer version of the atlas" in capsys.readouterr().err


def test_a_column_dropped_by_hand_is_refused_by_name(
        database: str, capsys: pytest.CaptureFixture[str]) -> None:
    execute(database, "ALTER TABLE sites DROP COLUMN lat")
    with pytest.raises(StoreSchemaMismatch) as info:
        open_store(database)
    assert info.value.params["missing"] == "sites.lat"
    assert main(["--store", database, "summary"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "sites.lat" in err


def test_a_server_that_cannot_be_reached_is_one_line_without_the_password(
        postgres: PostgresServer, capsys: pytest.CaptureFixture[str]) -> None:
    gone = postgres.url("atlas_no_such_database").replace("atlas@", "atlas:s3cret@")
    with pytest.raises(StoreServerUnavailable) as info:
        SqlStore(gone)
    assert info.value.code == "store_server_unavailable"
    assert "s3cret" not in str(info.value)
    nowhere = "postgresql+psycopg://atlas:s3cret@/atlas?host=/nonexistent-folder"
    assert main(["--store", nowhere, "summary"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "could not be reached" in err
    assert "s3cret" not in err and "Traceback" not in err


def test_a_save_that_waited_for_the_lock_sees_the_change_it_waited_for(
        database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Even where the server's default isolation is stricter than READ COMMITTED: a snapshot
    # taken before the wait would hide the other save from the version check.
    name = sa.engine.make_url(database).database
    execute(database, f"ALTER DATABASE \"{name}\" SET default_transaction_isolation "
                      "= 'repeatable read'")
    first, second = SqlStore(database), SqlStore(database)
    for store, user in ((first, "alice"), (second, "bob")):
        auth.add_user(store, user, "editor", PASSWORD)
    project = editing.normalized_row(
        "projects", first.load()["projects"].sort_values("project_id").iloc[0].to_dict())
    monkeypatch.setenv("ATLAS_PAUSE_BEFORE_COMMIT", "2")
    saving = threading.Thread(target=editing.save_row, args=(
        first, auth.Account("alice", "editor"), "projects", {**project, "title_en": "A"}, 0))
    saving.start()
    try:
        deadline = time.monotonic() + 60
        while not query(database, "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
                                  "AND granted"):
            assert time.monotonic() < deadline, "the first save never took the lock"
            time.sleep(0.01)  # polling another process's lock: nothing to wait on instead
        with pytest.raises(StaleEdit) as info:  # waits for the first, then sees it
            editing.save_row(second, auth.Account("bob", "editor"), "projects",
                             {**project, "title_en": "B"}, 0)
    finally:
        saving.join(timeout=60)
    assert info.value.changed_by == "alice"
    assert [r.user for r in second.history()] == ["alice"]
