"""Backups of the store while the app runs, and putting one back (``atlas backup FILE``,
``atlas restore FILE``).

The backup file format: **a backup is itself an SQLite store file** (one self-contained file,
rollback journal, no ``-wal``), whatever engine the store runs on. It holds every table of the
store's database with every row, as they were at one instant, and it can be checked, opened
and read with any SQLite tool, or used as a store directly (``atlas --store FILE summary``).

- An SQLite store is copied with SQLite's online backup API in one step, inside one read
  transaction: a consistent copy while the app goes on writing (in WAL mode readers never
  block writers).
- A PostgreSQL store is copied table by table into a new SQLite file inside one REPEATABLE
  READ READ ONLY transaction (one snapshot of the whole database, taken without any lock that
  would stop a writer), streaming the rows in batches (bounded memory at 100,000 sites).
  Tables and columns are found by reflection, not taken from the current model, so a store
  of any schema version (an older one about to be upgraded) is copied whole; column types
  become SQLite's (integers INTEGER, floats FLOAT, flags BOOLEAN, text TEXT), as an SQLite
  store declares them.

Either way the file is written beside the target under a hidden temporary name, flushed to
disk, and renamed into place at the end: a kill or a full disk at any moment leaves the
target as it was (an older backup there is untouched) and no half-written file at its name.
An existing target is only replaced with ``force``.

``restore_backup`` checks a backup before it touches the store (an SQLite file, intact, with
the atlas's tables and columns, of the schema revision this code is at, holding a data set
that validates) and then replaces the store's whole content in one transaction under the
store's write lock: app servers running on the store see the old data or the restored data,
never a mix, and take the restored data at their next page run (its data version is new).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite as sqlite_dialect

try:  # who is writing a temporary file (absent on Windows: leftovers are then kept)
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

from atlas import migrate
from atlas.dataset import DataSet, frame_from_columns, pause_at_step
from atlas.model import TABLES
from atlas.store import (
    _POSITIONAL,
    _SQLITE_HEADER,
    BUSY_SECONDS,
    CONNECT_SECONDS,
    SqlStore,
    StoreError,
    StoreReadOnly,
    _backup_path,
    _metadata,
    _pause_before_commit,
    _sqlite_file,
    _sync_folder,
    content_hash,
    store_error_of,
    store_location,
)

# Rows copied per batch from a server database (memory stays bounded whatever the size).
BATCH_ROWS = 5_000
_PART = ".part-"  # infix of the hidden temporary file a backup is written to


class BackupError(Exception):
    """A backup or a restore could not be made; nothing was changed. ``str()`` is one English
    line for the command line."""


class BackupExists(BackupError):
    """The target file exists and replacing it was not asked for."""


@dataclass(frozen=True)
class BackupReport:
    """What ``write_backup`` wrote."""

    tables: int  # tables in the backup
    rows: int  # rows in all of them
    bytes: int  # size of the backup file
    target: Path | None = None
    seconds: float = 0.0


def write_backup(source: str | Path, target: Path, *, force: bool = False) -> BackupReport:
    """Write a consistent copy of the store at ``source`` (an SQLite file's path, or a
    database URL) to the SQLite file ``target``, while the app may go on using the store.

    Works on a store of any schema version (it is copied by reflection, never upgraded or
    changed). ``target`` is written under a temporary name beside it and renamed at the end;
    an existing ``target`` is replaced only with ``force`` (BackupExists otherwise). Raises
    BackupError or StoreError (the store cannot be read) with nothing written at ``target``.
    """
    started = time.perf_counter()
    target = Path(os.path.abspath(target))
    url = store_location(source)
    file = _sqlite_file(url)
    if file is not None and file == target:
        raise BackupError(f"{target} is the store itself; give the backup another name")
    if target.is_dir():
        raise BackupError(f"{target} is a folder; give the backup a file name")
    if target.exists() and not force:
        raise BackupExists(f"{target} exists; nothing was written (use --force to replace it)")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"cannot make the folder {target.parent}: "
                          f"{exc.strerror or exc}") from exc
    _remove_abandoned_parts(target)
    mode = 0o600 if file is None else _mode_of(file)
    with _temporary_beside(target, mode) as part:
        _pause_backup("copying")
        if file is not None:
            _copy_sqlite(file, part)
        else:
            _copy_server(url, part)
        tables, rows = _count(part)
        with open(part, "rb+") as handle:
            os.fsync(handle.fileno())
        _pause_backup("copied")
        if force:
            os.replace(part, target)
        else:
            _link_new(part, target)
        _sync_folder(target.parent)
    _pause_backup("renamed")
    return BackupReport(tables, rows, target.stat().st_size, target,
                        time.perf_counter() - started)


# --- writing the file aside ----------------------------------------------------------------


def _link_new(part: Path, target: Path) -> None:
    """Give ``part`` the name ``target`` unless a file appeared there meanwhile."""
    try:
        os.link(part, target)  # atomic, and fails if the name is taken
    except FileExistsError:
        raise BackupExists(f"{target} exists; nothing was written (use --force to "
                           "replace it)") from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise BackupExists(f"{target} exists; nothing was written (use --force to "
                               "replace it)") from None
        os.replace(part, target)


def _mode_of(path: Path) -> int:
    """The permission bits of the store file: its backup holds the same password hashes."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode) & 0o666
    except OSError:
        return 0o600


@contextlib.contextmanager
def _temporary_beside(target: Path, mode: int) -> Iterator[Path]:
    """A new empty file next to ``target`` under a hidden name, locked (flock) for as long as
    it is being written, removed at the end whatever happens (if it was not renamed)."""
    part = target.with_name(f".{target.name}{_PART}{os.getpid()}-{secrets.token_hex(4)}")
    fd = os.open(part, os.O_RDWR | os.O_CREAT | os.O_EXCL, mode)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)  # a later backup leaves a file being written alone
        yield part
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{part}{suffix}").unlink(missing_ok=True)
        os.close(fd)


def _remove_abandoned_parts(target: Path) -> None:
    """Temporary files of backups to ``target`` that were killed: no one holds their lock."""
    if fcntl is None:  # pragma: no cover
        return
    for leftover in target.parent.glob(f".{glob_escape(target.name)}{_PART}*"):
        if leftover.name.endswith(("-journal", "-wal", "-shm")):
            continue
        try:
            fd = os.open(leftover, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # another backup is writing it
        else:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{leftover}{suffix}").unlink(missing_ok=True)
        finally:
            os.close(fd)


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def _count(path: Path) -> tuple[int, int]:
    """(tables, rows) in the SQLite file at ``path``; BackupError unless it is intact."""
    conn = sqlite3.connect(path)
    try:
        check = conn.execute("PRAGMA quick_check(1)").fetchall()
        if [tuple(r) for r in check] != [("ok",)]:
            raise BackupError(f"the copy is damaged ({check[0][0] if check else 'no answer'}); "
                              "the store itself may be: nothing was written")
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        rows = sum(conn.execute(f"SELECT count(*) FROM {_quoted(n)}").fetchone()[0]
                   for n in names)
        return len(names), int(rows)
    finally:
        conn.close()


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- SQLite: the online backup API ---------------------------------------------------------


def _copy_sqlite(file: Path, part: Path) -> None:
    """Every page of the store at ``file`` into ``part``, in one step (one read transaction:
    a consistent state, while writers go on in WAL mode)."""
    if not file.is_file():
        raise BackupError(f"there is no store at {file}; nothing was written")
    with open(file, "rb") as handle:
        if handle.read(len(_SQLITE_HEADER)) != _SQLITE_HEADER:
            raise BackupError(f"{file} is not an SQLite database; nothing was written")
    try:
        source = sqlite3.connect(f"file:{quote(str(file))}?mode=ro", uri=True,
                                 timeout=BUSY_SECONDS)
        copy = sqlite3.connect(part)
        try:
            source.backup(copy)  # pages=-1: the whole database in one step
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            copy.close()
            source.close()
    except sqlite3.Error as exc:
        mapped = store_error_of(exc, file)
        if mapped is None:
            raise BackupError(f"cannot copy {file}: {exc}") from exc
        raise mapped from exc


# --- PostgreSQL (any SQLAlchemy database): reflected tables into an SQLite file ------------


def _copy_server(url: str, part: Path) -> None:
    """Every table of the database at ``url`` into the SQLite file ``part``, from one
    snapshot (REPEATABLE READ READ ONLY), in batches of BATCH_ROWS rows."""
    shown = sa.engine.make_url(url).render_as_string(hide_password=True)
    options: dict[str, Any] = {"poolclass": sa.pool.NullPool}
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "postgresql":
        options["isolation_level"] = "REPEATABLE READ"
        if "connect_timeout" not in parsed.query:
            options["connect_args"] = {"connect_timeout": CONNECT_SECONDS}
    engine = sa.create_engine(parsed, **options)
    out = sqlite3.connect(part, isolation_level=None)
    try:
        out.execute("PRAGMA journal_mode=OFF")  # a temporary file: synced once at the end
        out.execute("PRAGMA synchronous=OFF")
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                # The first statement of the transaction: its snapshot is taken at the next.
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            metadata = sa.MetaData()
            metadata.reflect(bind=conn, views=False)
            out.execute("BEGIN")
            for table in metadata.sorted_tables:
                copied = _sqlite_table(table)
                out.execute(str(sa.schema.CreateTable(copied).compile(
                    dialect=sqlite_dialect.dialect())).strip())
                _copy_rows(conn, table, copied, out)
                _pause_backup(f"wrote {table.name}")
            out.execute("COMMIT")
            conn.rollback()
        out.execute("PRAGMA journal_mode=DELETE")
    except sa.exc.DBAPIError as exc:
        mapped = store_error_of(exc.orig, shown) if exc.orig is not None else None
        if mapped is None:
            raise BackupError(f"cannot read {shown}: {str(exc.orig or exc).strip()}") from exc
        raise mapped from exc
    except StoreError:
        raise
    finally:
        out.close()
        engine.dispose()


def _sqlite_type(column: sa.Column[Any]) -> sa.types.TypeEngine[Any]:
    """The SQLite type a store declares for a column of this kind."""
    kind = column.type
    if isinstance(kind, sa.Integer):
        return sa.Integer()
    if isinstance(kind, sa.Boolean):
        return sa.Boolean()
    if isinstance(kind, sa.Float | sa.Numeric):
        return sa.Float()
    if isinstance(kind, sa.LargeBinary):
        return sa.LargeBinary()
    return sa.Text()


def _sqlite_table(table: sa.Table) -> sa.Table:
    """``table``'s columns, nullability and primary key, in SQLite's types (no server
    defaults: their SQL is the server's own)."""
    columns = [sa.Column(c.name, _sqlite_type(c), nullable=c.nullable) for c in table.columns]
    keys = [c.name for c in table.primary_key.columns]
    extra = [sa.PrimaryKeyConstraint(*keys)] if keys else []
    return sa.Table(table.name, sa.MetaData(), *columns, *extra)


def _plain(value: Any) -> Any:
    """A value SQLite can hold (numbers, text, bytes as they are; decimals as floats)."""
    if value is None or isinstance(value, int | float | str | bytes):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, memoryview):
        return value.tobytes()
    return str(value.isoformat() if hasattr(value, "isoformat") else value)


def _copy_rows(conn: sa.Connection, table: sa.Table, copied: sa.Table,
               out: sqlite3.Connection) -> None:
    """Every row of ``table``, in key order (as a store built from files holds them)."""
    query = sa.select(*table.columns)
    order = []
    for column in table.primary_key.columns:
        text = isinstance(column.type, sa.String) and conn.dialect.name == "postgresql"
        order.append(column.collate("C") if text else column)
    if order:
        query = query.order_by(*order)
    plain: Callable[[Any], Any] | None = None
    if not all(isinstance(c.type, sa.Integer | sa.Float | sa.Boolean | sa.String)
               for c in table.columns):
        plain = _plain
    names = ", ".join(_quoted(c.name) for c in copied.columns)
    marks = ", ".join("?" * len(copied.columns))
    insert = f"INSERT INTO {_quoted(copied.name)} ({names}) VALUES ({marks})"
    result = conn.execution_options(yield_per=BATCH_ROWS).execute(query)
    for batch in result.partitions():
        rows = [tuple(row) for row in batch] if plain is None else \
            [tuple(plain(v) for v in row) for row in batch]
        out.executemany(insert, rows)


def _pause_backup(step: str) -> None:
    """Test seam: ATLAS_PAUSE_BACKUP="<step>=<seconds>" names every step on stderr and waits
    at that one (e.g. "copied=60"), so a test can kill the process at that very step."""
    pause_at_step(os.environ.get("ATLAS_PAUSE_BACKUP"), "backup", step)


# --- restoring -------------------------------------------------------------------------------


class BackupRefused(BackupError):
    """The file is not a backup this atlas can restore (see ``check_backup``); nothing was
    changed."""


@dataclass(frozen=True)
class CheckedBackup:
    """A backup file that passed every check, and the data set it holds."""

    path: Path
    revision: migrate.StoredRevision
    data_version: str
    data: DataSet
    rows: int


@dataclass(frozen=True)
class RestoreReport:
    """What ``restore_backup`` did."""

    where: str  # the store: its file, or its URL without the password
    rows: int
    data_version: str  # the store's new data version
    kept: Path | None  # the copy kept of the store's content before the restore
    seconds: float = 0.0


def check_backup(path: Path) -> CheckedBackup:
    """The backup at ``path`` after checking it, or BackupRefused saying what is wrong.

    Checked, in order: a file that exists and is not empty; an SQLite database (its header:
    a web page or a spreadsheet saved under the name is not); intact (SQLite's full integrity
    check: a truncated or damaged file is not); holding the atlas's tables (another program's
    database is not); of the schema revision this atlas is at (an older one must be upgraded
    first, a newer one needs a newer atlas); then its contents: a data version, every value of
    the type of its column, accounts with a known role, and a data set that validates.
    """
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise BackupRefused(f"there is no file {name}")
    if not path.is_file():
        raise BackupRefused(f"{name} is not a file")
    with open(path, "rb") as handle:
        head = handle.read(512)
    if not head:
        raise BackupRefused(f"{name} is empty (0 bytes): not an atlas backup")
    if not head.startswith(_SQLITE_HEADER):
        looks = " (it looks like a web page or XML)" if head.lstrip()[:1] == b"<" else \
            " (it looks like a zip archive, e.g. a spreadsheet)" if head[:2] == b"PK" else ""
        raise BackupRefused(f"{name} is not an SQLite database{looks}: not an atlas backup")
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupRefused(f"{name} cannot be opened: {exc}") from exc
    try:
        return _checked(conn, path)
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(f"{name} is damaged or cut short ({exc}): it cannot be "
                            "restored") from exc
    finally:
        conn.close()


def _checked(conn: sqlite3.Connection, path: Path) -> CheckedBackup:
    from atlas.auth import ROLES
    from atlas.validate import validate

    name = str(path)
    problems = [r[0] for r in conn.execute("PRAGMA integrity_check(3)")]
    if problems != ["ok"]:
        raise BackupRefused(f"{name} is damaged or cut short ({'; '.join(problems)}): it "
                            "cannot be restored")
    present = {r[0]: {c[1] for c in conn.execute(f"PRAGMA table_info({_quoted(r[0])})")}
               for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    model = _metadata()[0]  # the tables and columns of this code's schema
    if not set(present) & set(model.tables):
        tables = ", ".join(sorted(present)[:5]) or "no tables"
        raise BackupRefused(f"{name} holds none of the atlas's tables ({tables}): it is not an "
                            "atlas backup")
    stored = _stored_revision(conn, present, name)
    if migrate.is_newer(stored):
        raise BackupRefused(f"{name} is of schema revision {stored.shown()}, made by a newer "
                            f"atlas than this one (which knows revisions up to "
                            f"{migrate.head()}): restore it with that newer atlas")
    if not migrate.is_current(stored):
        raise BackupRefused(
            f"{name} is of an older schema ({stored.shown()}) and this atlas is at "
            f"{migrate.head()}: upgrade a copy of it first (`atlas --store COPY.sqlite "
            "upgrade`), then restore that copy")
    missing = [f"{t.name}.{c.name}" if t.name in present else t.name
               for t in model.sorted_tables for c in t.columns
               if t.name not in present or c.name not in present[t.name]]
    if missing:
        shown = ", ".join(dict.fromkeys(missing[:6]))
        raise BackupRefused(f"{name} lacks {shown} of schema revision {stored.shown()}: it "
                            "is not a complete atlas backup")
    meta = dict(conn.execute("SELECT key, value FROM atlas_meta").fetchall())
    data_version = str(meta.get("data_version") or "")
    if not re.fullmatch(r"[1-9]\d*-[0-9a-f]+", data_version):
        raise BackupRefused(f"{name} holds no data set (data version {data_version or 'none'!r})"
                            ": it cannot be restored")
    data: DataSet = {}
    rows = 0
    for spec in TABLES:
        names = ", ".join(_quoted(c) for c in spec.column_names)
        found = conn.execute(f"SELECT {names} FROM {_quoted(spec.name)}").fetchall()
        rows += len(found)
        columns = zip(*found, strict=True) if found else ([] for _ in spec.columns)
        try:
            data[spec.name] = frame_from_columns(spec, dict(zip(spec.column_names, columns,
                                                                strict=True)))
        except (ValueError, TypeError) as exc:
            raise BackupRefused(f"{name}: the table {spec.name} holds a value of the wrong "
                                f"type ({exc}): it cannot be restored") from exc
    bad_roles = [r[0] for r in conn.execute("SELECT name FROM atlas_users WHERE role NOT IN "
                                            f"({', '.join('?' * len(ROLES))})", ROLES)]
    if bad_roles:
        raise BackupRefused(f"{name}: the account(s) {', '.join(bad_roles[:5])} have no known "
                            "role: it cannot be restored")
    invalid = validate(data)
    if invalid:
        listed = "; ".join(str(p) for p in invalid[:3])
        raise BackupRefused(f"{name} holds a data set with {len(invalid)} problem(s) ({listed}"
                            f"{'; …' if len(invalid) > 3 else ''}): it cannot be restored")
    for table in ("atlas_users", "atlas_changes", "atlas_change_rows", "atlas_row_versions",
                  "atlas_login_throttle"):
        rows += conn.execute(f"SELECT count(*) FROM {_quoted(table)}").fetchone()[0]
    return CheckedBackup(path, stored, data_version, data, rows)


def _stored_revision(conn: sqlite3.Connection, present: dict[str, set[str]],
                     name: str) -> migrate.StoredRevision:
    """The schema revision the backup records (alembic_version), else the number of a store
    from before the migrations (atlas_meta schema_version; none is schema 1)."""
    if "alembic_version" in present:
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        if len(rows) != 1:
            raise BackupRefused(f"{name}: its alembic_version holds {len(rows)} revisions: it "
                                "is not an atlas backup")
        return migrate.StoredRevision(str(rows[0][0]))
    row = conn.execute("SELECT value FROM atlas_meta WHERE key = 'schema_version'").fetchone() \
        if "atlas_meta" in present else None
    text = None if row is None else row[0]
    try:
        number = 1 if text is None else int(text)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise BackupRefused(f"{name}: its schema version is {text!r}: it is not an atlas "
                            "backup")
    return migrate.StoredRevision(migrate.LEGACY.get(number), number)


def restore_backup(path: Path, where: str | Path | None = None) -> RestoreReport:
    """Put the backup at ``path`` back into the store at ``where`` (an SQLite file or a
    database URL; default: the configured store), after ``check_backup``.

    The store's whole content (data, accounts, history, row versions) becomes the backup's, in
    one transaction under the store's write lock: app servers running on it see the old data
    or the restored data, never a mix, and its new data version makes them take the restored
    data at their next page run. Before that, under the same lock, a copy of what is replaced
    is written (``write_backup``): next to an SQLite store as ``<name>-backup-<time>.sqlite``,
    next to ``path`` for a server database. A missing SQLite store is created.
    """
    started = time.perf_counter()
    checked = check_backup(path)
    url = store_location(where)
    file = _sqlite_file(url)
    if file is not None and file.exists() and os.path.samefile(file, checked.path):
        raise BackupRefused(f"{path} is the store itself: there is nothing to restore")
    store = SqlStore(url)
    try:
        if store.read_only:
            raise StoreReadOnly(store.where)
        kept = None
        with store.writing() as conn:
            if not store.never_used(conn):
                database = sa.engine.make_url(url).database or "store"
                kept = _backup_path(file) if file is not None else \
                    _backup_path(checked.path.with_name(f"{database}.sqlite"))
                write_backup(url, kept)  # the state under the lock: what is replaced
            version = _replace_with_backup(store, conn, checked)
            _pause_before_commit()
        return RestoreReport(store.where, checked.rows, version, kept,
                             time.perf_counter() - started)
    finally:
        store.engine.dispose()


def _replace_with_backup(store: SqlStore, conn: sa.Connection, checked: CheckedBackup) -> str:
    """Every table of the store emptied and filled from the backup (rows in batches); returns
    the new data version (the counter goes on from the store's, so caches see a change)."""
    counter = int((store._meta(conn, "data_version") or "0").split("-")[0])
    for table in reversed(store.metadata.sorted_tables):
        conn.execute(sa.delete(table))
    source = sqlite3.connect(f"file:{quote(str(checked.path.resolve()))}?mode=ro", uri=True)
    try:
        for table in store.metadata.sorted_tables:
            _fill(conn, table, source)
    finally:
        source.close()
    version = f"{counter + 1}-{content_hash(checked.data)}"
    store._set_meta(conn, "data_version", version)
    store._set_meta(conn, "last_change", f"restored from {checked.path.name}")
    if conn.dialect.name == "postgresql":
        _reset_sequences(conn, store.metadata)
    return version


def _fill(conn: sa.Connection, table: sa.Table, source: sqlite3.Connection) -> None:
    """The rows of ``table`` from the backup, in batches of BATCH_ROWS (flags as booleans,
    which PostgreSQL will not take as 0 and 1)."""
    names = [c.name for c in table.columns]
    flags = [i for i, c in enumerate(table.columns) if isinstance(c.type, sa.Boolean)]
    quoted = conn.dialect.identifier_preparer.quote
    mark = _POSITIONAL.get(conn.dialect.paramstyle, "?")
    insert = (f"INSERT INTO {quoted(table.name)} ({', '.join(quoted(n) for n in names)}) "
              f"VALUES ({', '.join([mark] * len(names))})")
    cursor = source.execute(f"SELECT {', '.join(_quoted(n) for n in names)} "
                            f"FROM {_quoted(table.name)}")
    while batch := cursor.fetchmany(BATCH_ROWS):
        if flags:
            batch = [tuple(bool(v) if i in flags and v is not None else v
                           for i, v in enumerate(row)) for row in batch]
        conn.exec_driver_sql(insert, batch)


def _reset_sequences(conn: sa.Connection, metadata: sa.MetaData) -> None:
    """Each serial column's sequence after the highest value restored (the next change gets
    the next number, not one the history holds)."""
    for table in metadata.sorted_tables:
        for column in table.columns:
            sequence = conn.execute(sa.select(sa.func.pg_get_serial_sequence(
                table.name, column.name))).scalar()
            if sequence:
                highest = conn.execute(sa.select(sa.func.max(column))).scalar()
                conn.execute(sa.select(sa.func.setval(sequence, highest or 1,
                                                      highest is not None)))
