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
the atlas's tables and columns, of the schema version this code expects, holding a data set
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

from atlas.dataset import pause_at_step
from atlas.store import (
    _SQLITE_HEADER,
    BUSY_SECONDS,
    CONNECT_SECONDS,
    StoreError,
    _sqlite_file,
    _sync_folder,
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
