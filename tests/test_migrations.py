"""The store's schema revisions (atlas.migrate, atlas/migrations) and ``atlas upgrade``, on
SQLite and on PostgreSQL: today's store keeps every edit and every history row through the
upgrade; the oldest store upgrades to the very schema a new store has; a store older or newer
than the code is refused, saying what to do; the upgrade backs the store up first, under the
write lock, and a failed backup or a failed migration leaves the store as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from atlas import auth, editing, migrate
from atlas import store as store_module
from atlas.cli import main
from atlas.dataset import DataSet
from atlas.importing import plan_from_store, read_upload
from atlas.paths import REPO_ROOT
from atlas.store import (
    _PG_WRITE_LOCK,
    SqlStore,
    StoreTooNew,
    StoreTooOld,
    open_store,
    upgrade_store,
)
from tests.databases import StoreMaker
from tests.legacy_stores import (
    added_after,
    execute,
    make_legacy,
    make_todays_store,
    query,
    url_of,
)

EXAMPLE = REPO_ROOT / "examples" / "import" / "kuryk-mini-projects.xlsx"
PASSWORD = "a-long-password"
TODAY = migrate.StoredRevision("0006_summary_codes", 6)


def every_row(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but alembic_version, in a stable order."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            names = [n for n in sa.inspect(conn).get_table_names() if n != "alembic_version"]
            quote = conn.dialect.identifier_preparer.quote
            return {name: sorted((tuple(r) for r in conn.exec_driver_sql(
                f"SELECT * FROM {quote(name)}")), key=repr) for name in names}
    finally:
        engine.dispose()


def schema_of(url: str) -> dict[str, Any]:
    """Tables, their columns (type as the database declares it, nullable, default) and primary
    keys, read back from the database; with the revision and number the store records."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            tables = {}
            for name in inspector.get_table_names():
                columns = {c["name"]: (c["type"].compile(dialect=conn.dialect), c["nullable"],
                                       _default(c.get("default")))
                           for c in inspector.get_columns(name)}
                tables[name] = (columns, inspector.get_pk_constraint(name)["constrained_columns"])
            return {"tables": tables,
                    "revision": conn.exec_driver_sql(
                        "SELECT version_num FROM alembic_version").all()
                    if "alembic_version" in tables else None,
                    "number": conn.exec_driver_sql(
                        "SELECT value FROM atlas_meta WHERE key = 'schema_version'").all()}
    finally:
        engine.dispose()


def _default(default: str | None) -> str | None:
    """A column a migration added to a table with rows declares DEFAULT '' (what its rows got);
    the model's own text columns declare none, as every row is written whole. Both are an
    empty text: they compare as no default."""
    return None if default in ("''", "''::text") else default


def todays_store(location: str, bundled: DataSet) -> SqlStore:
    """Today's store at ``location``: schema 6 as that code made it (no revision recorded),
    filled with the bundled data as `atlas build-store` filled it."""
    make_todays_store(location)
    store = SqlStore(url_of(location), any_revision=True)
    assert store.revision == TODAY
    store.replace_all(bundled, reason="built from geodata")
    return store


def staff_edits(store: SqlStore) -> list[int]:
    """Accounts, saves, an addition, a removal, an import and undos, through the editing API
    (as the pages make them); returns the changes' ids."""
    alice = auth.add_user(store, "alice", "admin", PASSWORD)
    bob = auth.add_user(store, "bob", "editor", PASSWORD)
    with pytest.raises(auth.LoginRefused):  # counted in atlas_login_throttle
        auth.authenticate(store, "bob", "a-wrong-password", client="10.0.0.1")
    data = store.load()
    project = editing.normalized_row("projects", data["projects"].set_index(
        "project_id", drop=False).loc["efca-public-spaces"].to_dict())
    site = editing.normalized_row("sites", data["sites"].iloc[0].to_dict())
    ids = [editing.save_row(store, alice, "projects", {**project, "title_kk": "Жаңа атау",
                                                       "note_ru": "Примечание «1»"}, 0).change_id,
           editing.save_row(store, bob, "sites", {**site, "note": "checked & “quoted”"},
                            0).change_id]
    source = editing.normalized_row("sources", {**data["sources"].iloc[0].to_dict(),
                                                "source_id": "src-added-by-bob"})
    ids.append(editing.save_row(store, bob, "sources", source, 0, new=True).change_id)
    ids.append(editing.remove_row(store, bob, "sources", ("src-added-by-bob",), 1).change_id)
    report = plan_from_store(store, read_upload(EXAMPLE.name, EXAMPLE.read_bytes()))
    imported = editing.apply_import(store, alice, report.changes(), report.summary_message())
    ids.append(imported.change_id)
    ids.append(editing.undo(store, alice, imported.change_id).change_id)
    ids.append(editing.undo(store, bob, ids[1]).change_id)
    return ids


# --- the key test: today's store through `atlas upgrade` -------------------------------------


def test_todays_store_keeps_every_edit_and_history_row_through_the_upgrade(
        empty_location: str, bundled: DataSet, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    url = url_of(empty_location)
    store = todays_store(empty_location, bundled)
    ids = staff_edits(store)
    history = store.history()
    data = store.load()
    assert len(history) == len(ids) == 7 and all(r.message is not None for r in history)
    rows = every_row(url)
    assert len(rows["atlas_change_rows"]) > len(ids) and len(rows["atlas_row_versions"]) > 3
    assert rows["atlas_login_throttle"] and len(rows["atlas_users"]) == 2
    store.engine.dispose()

    # The code refuses it until it is upgraded, naming the command; nothing is written.
    with pytest.raises(StoreTooOld):
        open_store(empty_location)
    assert main(["--store", empty_location, "summary"]) == 1
    err = capsys.readouterr().err
    assert "atlas upgrade" in err and err.count("\n") == 1 and "Traceback" not in err
    assert every_row(url) == rows

    backup = tmp_path / "before-upgrade.sqlite"
    assert main(["--store", empty_location, "upgrade", "--backup", str(backup)]) == 0
    out = capsys.readouterr().out
    assert f"backed up {store.where} to {backup}" in out
    assert (f"upgraded {store.where} from schema_version 6 (no revision recorded) to "
            f"{migrate.head()}") in out

    # Every row of every table is there as it was (only the revision is recorded now) ...
    assert every_row(url) == rows
    assert query(url, "SELECT version_num FROM alembic_version") == [(migrate.head(),)]
    # ... the store opens, and reads back every value and every change as before.
    upgraded = open_store(empty_location)
    assert upgraded.revision == migrate.StoredRevision(migrate.head())
    assert upgraded.history() == history
    after = upgraded.load()
    for name, frame in data.items():
        assert after[name].equals(frame), name
    projects = after["projects"].set_index("project_id")
    assert projects.at["efca-public-spaces", "title_kk"] == "Жаңа атау"
    assert projects.at["efca-public-spaces", "note_ru"] == "Примечание «1»"
    assert [u[0] for u in auth.list_users(upgraded)] == ["alice", "bob"]
    assert auth.authenticate(upgraded, "alice", PASSWORD) is not None
    # ... and takes new work, recorded after the old.
    site = editing.normalized_row("sites", after["sites"].iloc[1].to_dict())
    change = editing.save_row(upgraded, auth.Account("alice", "admin"), "sites",
                              {**site, "note": "after the upgrade"}, 0)
    assert change.change_id == max(ids) + 1

    # The backup is the store as it was before: schema 6, no revision, every change.
    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("SELECT count(*) FROM sqlite_master "
                            "WHERE name = 'alembic_version'").fetchone() == (0,)
        assert copy.execute("SELECT count(*) FROM atlas_changes").fetchone() == (len(ids),)
    finally:
        copy.close()

    # A second upgrade says the store is current, and does nothing.
    rows = every_row(url)
    assert main(["--store", empty_location, "upgrade", "--backup",
                 str(tmp_path / "again.sqlite")]) == 0
    assert (f"{upgraded.where} is at revision {migrate.head()}, this version's: nothing to do"
            in capsys.readouterr().out)
    assert every_row(url) == rows and not (tmp_path / "again.sqlite").exists()


# --- the oldest store, and the same schema whichever way a store came to the head ------------


def test_the_oldest_store_upgrades_to_the_schema_a_new_store_has(
        new_store: StoreMaker, empty_location: str, tmp_path: Path) -> None:
    made = new_store()
    url = made.url
    made.engine.dispose()
    make_legacy(url, 1)
    execute(url, "INSERT INTO atlas_users (name, role, password_hash, created_at, "
                 "failed_logins, blocked_until) VALUES "
                 "('alice', 'admin', 'h1', '2024-01-01T00:00:00Z', 0, 0), "
                 "('bob', 'editor', 'h2', '2024-01-01T00:00:00Z', 2, 0)")
    kept = every_row(url)
    with pytest.raises(StoreTooOld):
        SqlStore(url)
    result = upgrade_store(url, tmp_path / "backup.sqlite")
    assert result.before == "schema_version 1 (no revision recorded)"
    assert result.after == migrate.head()

    # Every row of schema 1 is kept; what later versions added is empty, and every account
    # got a credential of its own.
    rows = every_row(url)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        for table, before in kept.items():
            if table == "atlas_meta":
                continue
            old = [c["name"] for c in sa.inspect(conn).get_columns(table)
                   if (table, c["name"]) not in added_after(1)]
            quote = conn.dialect.identifier_preparer.quote
            assert sorted((tuple(r) for r in conn.exec_driver_sql(
                f"SELECT {', '.join(map(quote, old))} FROM {quote(table)}")),
                key=repr) == before, table
    engine.dispose()
    credentials = dict(query(url, "SELECT name, credential FROM atlas_users"))
    assert len(set(credentials.values())) == 2 and all(len(c) >= 32
                                                       for c in credentials.values())
    assert rows["atlas_login_throttle"] == []

    # A store made new (from the code's model) has the very same schema.
    SqlStore(url_of(empty_location)).engine.dispose()
    new = schema_of(url_of(empty_location))
    assert schema_of(url) == new
    assert new["revision"] == [(migrate.head(),)] and new["number"] == [("6",)]
    assert "atlas_sessions" not in new["tables"]  # made on first login, outside the revisions


def test_the_migrations_alone_make_the_schema_of_a_new_store(
        new_store: StoreMaker, empty_location: str) -> None:
    """Every migration from an empty database makes what the code's model makes: a model
    changed without a migration (or a migration without the model) fails here."""
    from alembic import command

    if "://" not in empty_location:
        Path(empty_location).parent.mkdir(parents=True)
    engine = sa.create_engine(url_of(empty_location))
    with engine.begin() as conn:
        command.upgrade(migrate._config(conn), "head")
    engine.dispose()
    made = new_store()
    made.engine.dispose()
    assert schema_of(url_of(empty_location)) == schema_of(made.url)


def test_the_revisions_are_the_migrations_chain() -> None:
    """Opening a store compares its revision with REVISIONS, without loading alembic: they
    must be alembic's own chain, and the numbers of older stores map onto its first six."""
    assert list(migrate.REVISIONS) == migrate.chain()
    assert list(migrate.LEGACY) == [1, 2, 3, 4, 5, 6]
    assert list(migrate.LEGACY.values()) == list(migrate.REVISIONS[:6])


@pytest.mark.parametrize("version", [2, 3, 4, 5])
def test_every_number_from_before_the_migrations_upgrades(new_store: StoreMaker,
                                                          version: int) -> None:
    made = new_store()
    url = made.url
    made.engine.dispose()
    reference = schema_of(url)
    make_legacy(url, version)
    with pytest.raises(StoreTooOld) as info:
        SqlStore(url)
    assert f"schema_version {version} (no revision recorded)" in info.value.detail
    assert upgrade_store(url).upgraded  # the backup next to the store, or in .atlas/
    assert schema_of(url)["tables"].keys() == reference["tables"].keys()
    assert open_store(url).revision == migrate.StoredRevision(migrate.head())


# --- refused when older or newer --------------------------------------------------------------


def test_a_store_of_a_newer_revision_is_refused_by_every_command(
        new_store: StoreMaker, capsys: pytest.CaptureFixture[str]) -> None:
    made = new_store()
    url = made.url
    made.engine.dispose()
    execute(url, "UPDATE alembic_version SET version_num = '0099_future'")
    with pytest.raises(StoreTooNew) as info:
        open_store(url)
    assert info.value.params == {"found": "0099_future", "known": migrate.head()}
    for command in (["summary"], ["user", "list"], ["export-data", "--out", "/nonexistent"],
                    ["upgrade"]):
        assert main(["--store", url, *command]) == 1, command
        err = capsys.readouterr().err
        assert "newer version of the atlas" in err and "update the atlas" in err, command
        assert err.count("\n") == 1 and "Traceback" not in err
    assert query(url, "SELECT version_num FROM alembic_version") == [("0099_future",)]


def test_an_older_store_is_refused_by_every_command_but_the_upgrade(
        new_store: StoreMaker, capsys: pytest.CaptureFixture[str]) -> None:
    made = new_store()
    url = made.url
    made.engine.dispose()
    make_legacy(url, 5)
    rows = every_row(url)
    for command in (["summary"], ["user", "list"], ["export-data", "--out", "/nonexistent"],
                    ["export", "--format", "csv", "--out", "/nonexistent/x.csv"]):
        assert main(["--store", url, *command]) == 1, command
        err = capsys.readouterr().err
        assert "older schema" in err and "atlas upgrade" in err, command
        assert err.count("\n") == 1 and "Traceback" not in err
    assert every_row(url) == rows


# --- the backup first, under the lock; nothing upgraded when it fails -------------------------


def _lock_is_held(url: str) -> bool:
    """True when another connection holds the store's write lock."""
    file = store_module._sqlite_file(url)
    if file is not None:
        conn = sqlite3.connect(file, timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc)
            return True
        finally:
            conn.close()
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            got = conn.execute(sa.select(sa.func.pg_try_advisory_xact_lock(_PG_WRITE_LOCK)))
            return not got.scalar_one()
    finally:
        engine.dispose()


def test_the_upgrade_writes_the_backup_first_under_the_write_lock(
        new_store: StoreMaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = new_store()
    url = made.url
    made.engine.dispose()
    make_legacy(url, 4)
    seen: list[tuple[bool, list[tuple[Any, ...]]]] = []
    real = store_module._write_backup

    def watched(source: str, target: Path) -> None:
        # Before anything is migrated, while no other writer can get in.
        seen.append((_lock_is_held(url), query(url, "SELECT value FROM atlas_meta WHERE "
                                                    "key = 'schema_version'")))
        real(source, target)

    monkeypatch.setattr(store_module, "_write_backup", watched)
    backup = tmp_path / "b.sqlite"
    result = upgrade_store(url, backup)
    assert seen == [(True, [("4",)])]
    assert result.backup == backup and backup.exists()
    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("SELECT value FROM atlas_meta WHERE key = 'schema_version'"
                            ).fetchall() == [("4",)]
    finally:
        copy.close()
    assert not _lock_is_held(url)


def test_a_failed_backup_upgrades_nothing(new_store: StoreMaker, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    made = new_store()
    url = made.url
    made.engine.dispose()
    make_legacy(url, 3)
    before = schema_of(url), every_row(url)
    # A folder where the backup file should be: the backup is refused.
    assert main(["--store", url, "upgrade", "--backup", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"the backup could not be written to {tmp_path}" in err
    assert "nothing was upgraded" in err and err.count("\n") == 1 and "Traceback" not in err
    assert (schema_of(url), every_row(url)) == before
    assert not _lock_is_held(url)


def test_a_failed_migration_leaves_the_store_as_it_was(new_store: StoreMaker, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    """A store of schema 2 that someone gave a column of schema 6 by hand: the last migration
    fails after three others ran, and none of them lands (one transaction)."""
    made = new_store()
    url = made.url
    made.engine.dispose()
    make_legacy(url, 2)
    execute(url, "ALTER TABLE atlas_changes ADD COLUMN summary_code TEXT")
    before = schema_of(url), every_row(url)
    backup = tmp_path / "b.sqlite"
    assert main(["--store", url, "upgrade", "--backup", str(backup)]) == 1
    err = capsys.readouterr().err
    assert "upgrade of the atlas data store failed and was undone" in err
    assert f"the backup written first is {backup}" in err and "summary_code" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert (schema_of(url), every_row(url)) == before
    assert backup.exists()


def test_the_default_backup_is_next_to_an_sqlite_store(tmp_path: Path, bundled: DataSet,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    location = str(tmp_path / "store" / "atlas.sqlite")
    todays_store(location, bundled).engine.dispose()
    assert main(["--store", location, "upgrade"]) == 0
    [backup] = (tmp_path / "store").glob("atlas-backup-*.sqlite")
    assert f"backed up {location} to {backup}" in capsys.readouterr().out


def test_an_upgrade_of_no_store_says_so(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    location = tmp_path / "none" / "atlas.sqlite"
    assert main(["--store", str(location), "upgrade"]) == 1
    err = capsys.readouterr().err
    assert "atlas build-store" in err and not location.exists()


def test_build_store_replaces_an_older_store_without_staff_work(
        tmp_path: Path, bundled: DataSet, capsys: pytest.CaptureFixture[str]) -> None:
    """`atlas build-store` (a rebuild from geodata/) still works on an older store: the new
    content is the current revision."""
    location = str(tmp_path / "atlas.sqlite")
    todays_store(location, bundled).engine.dispose()
    assert main(["--store", location, "build-store"]) == 0
    assert open_store(location).revision == migrate.StoredRevision(migrate.head())
