"""The store: where the live data set is kept between app runs.

``AtlasStore`` is the interface views and tools use; ``SqlStore`` implements it with SQLAlchemy
Core, so the embedded SQLite file used by default and a PostgreSQL database
(``ATLAS_DATABASE_URL=postgresql+psycopg://...``) share one code path. Every write is a single
transaction that first takes the store's write lock (SQLite's own, or a transaction-scoped
advisory lock on PostgreSQL, so it holds across processes and machines) and bumps the data
version, which is kept in the database and is what snapshot caches key on: every app server
sees every other's writes at its next read.

A store is checked when it is opened (an SQLite file, intact; the schema revision this code has,
with every table and column of it: an older store is refused until ``atlas upgrade`` brings it
up to date, see ``atlas.migrate``) and an SQLite store is guarded while it is open: a
file deleted or replaced under the app, a lock held by another writer, a read-only folder and a
damaged file each become a ``StoreError`` that carries a message for people, never a traceback.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import stat
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd
import sqlalchemy as sa

from atlas import migrate
from atlas.change_summary import SummaryMessage, stored_message
from atlas.dataset import (
    DataSet,
    Problem,
    frame_from_columns,
    frame_from_records,
    is_missing,
    read_dataset,
    table_to_csv,
)
from atlas.i18n import t
from atlas.model import TABLES, TABLES_BY_NAME, Column, TableSpec
from atlas.paths import database_url, geodata_dir, store_path

try:  # advisory locks; absent on Windows, where builds are then not serialised
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

# How long a write waits for another writer (an import, a save, a build) before giving up.
BUSY_SECONDS = 5.0
# How long opening a connection to a database server waits for an answer.
CONNECT_SECONDS = 10
# The key of the write lock on PostgreSQL (a transaction-scoped advisory lock; any number the
# database's other users do not take: the bytes of "atlasKZ1").
_PG_WRITE_LOCK = int.from_bytes(b"atlasKZ1", "big")
_SQLITE_HEADER = b"SQLite format 3\x00"
# SQLite's primary result codes, for turning driver errors into StoreErrors.
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26
_READONLY_DBMOVED = 1032  # a write to a file that was moved or deleted since it was opened

_SQL_TYPES: dict[str, Callable[[], Any]] = {
    "text": sa.Text,
    "ids": sa.Text,
    # 64 bits, as pandas and SQLite hold them (PostgreSQL's INTEGER stops at 2^31 - 1); SQLite
    # files keep declaring INTEGER.
    "int": lambda: sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
    "float": sa.Float,
    "bool": sa.Boolean,
}


class InvalidData(ValueError):
    """The data set did not validate; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class StaleEdit(Exception):
    """A save prepared against an older version of a row: someone changed it in between.

    ``changed_by`` and ``changed_at`` are empty when no one has edited the row since the data
    was built (it was replaced by a rebuild of the store): pages say so in their language.
    """

    def __init__(self, table: str, key: tuple[str, ...], changed_by: str, changed_at: str,
                 current: dict[str, Any] | None) -> None:
        self.table, self.key = table, key
        self.changed_by, self.changed_at, self.current = changed_by, changed_at, current
        what = "removed" if current is None else "changed"
        super().__init__(f"{table} {'/'.join(key)} was {what} by "
                         f"{changed_by or 'a rebuild of the data'}"
                         + (f" at {changed_at}" if changed_at else ""))


class ChangeRefused(ValueError):
    """A recorded change that cannot be undone (there is no such change, it is an undo, or it
    was undone already): ``code`` and ``params`` are the message for the web app (an
    ``atlas.i18n`` key and its values); ``str()`` is the English text, for the command line."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(t(code, "en", **params))
        self.code = code
        self.params = params


class StoreError(Exception):
    """The store cannot do what was asked, and nothing was written.

    ``code`` and ``params`` are the message for the web app (an ``atlas.i18n`` key, rendered
    in the reader's language, without file paths); ``str()`` is one English line for the
    command line, with the file and the technical detail.
    """

    code = "store_damaged"

    def __init__(self, path: Path | str | None, detail: str = "", **params: Any) -> None:
        self.path = None if path is None else str(path)
        self.detail = " ".join(detail.split())  # one line, whatever SQLite said
        self.params = params
        where = f"{self.path}: " if self.path else ""
        english = t(self.code, "en", **params).replace("`", "")
        super().__init__(where + english + (f" ({self.detail})" if self.detail else ""))


class StoreDamaged(StoreError):
    """Not an SQLite file, an empty (0-byte) file, or a damaged one."""

    code = "store_damaged"


class StoreSchemaMismatch(StoreError):
    """Tables or columns of the store's schema are missing (``missing`` names them)."""

    code = "store_schema_missing"


class StoreTooNew(StoreError):
    """Made or upgraded by a newer version of the atlas than this one knows: only newer code
    opens it (``found`` and ``known`` are the store's revision and this code's)."""

    code = "store_schema_newer"


class StoreTooOld(StoreError):
    """Of an older schema revision than this code's: ``atlas upgrade`` brings it up to date
    (the detail says from which revision to which)."""

    code = "store_schema_older"


class StoreUpgradeFailed(StoreError):
    """A migration of ``atlas upgrade`` failed; the store is as it was before."""

    code = "store_upgrade_failed"


class StoreBusy(StoreError):
    """Another writer held the lock for longer than BUSY_SECONDS."""

    code = "store_busy"


class StoreReadOnly(StoreError):
    """The store was opened read-only (read-only folder or ATLAS_STORE_READ_ONLY)."""

    code = "store_read_only"


class StoreReplaced(StoreError):
    """The file at the store's path is no longer the file that was opened (deleted or moved)."""

    code = "store_replaced"


class StoreFull(StoreError):
    """The disk holding the store is full."""

    code = "store_full"


class StoreUnavailable(StoreError):
    """The store file could not be opened, read or written (I/O error, no permission)."""

    code = "store_unavailable"


class BuildRefused(Exception):
    """``atlas build-store`` would destroy staff work or cannot proceed; nothing was changed."""


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the duration (as it was, after)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


class StoreServerUnavailable(StoreUnavailable):
    """The database server could not be reached, or refused the connection."""

    code = "store_server_unavailable"


# PostgreSQL's SQLSTATE codes (and classes, by their first two characters) as StoreErrors.
_PG_ERRORS: dict[str, type[StoreError]] = {
    "55P03": StoreBusy,  # lock_not_available: the write lock was held past lock_timeout
    "40P01": StoreBusy,  # deadlock_detected
    "40001": StoreBusy,  # serialization_failure
    "25006": StoreReadOnly,  # read_only_sql_transaction (a standby, or a read-only role)
    "53100": StoreFull,  # disk_full
    "42P01": StoreSchemaMismatch,  # undefined_table
    "42703": StoreSchemaMismatch,  # undefined_column
    "57P01": StoreServerUnavailable,  # admin_shutdown
    "57P02": StoreServerUnavailable,  # crash_shutdown
    "57P03": StoreServerUnavailable,  # cannot_connect_now (starting up)
    "3D000": StoreServerUnavailable,  # invalid_catalog_name: no such database
    "08": StoreServerUnavailable,  # connection_exception
    "28": StoreServerUnavailable,  # invalid_authorization_specification
    "53": StoreServerUnavailable,  # insufficient_resources (too many connections...)
}


def _server_error_of(exc: BaseException, where: str | None) -> StoreError | None:
    """The StoreError a PostgreSQL driver (psycopg) error means, or None."""
    psycopg = sys.modules.get("psycopg")
    if psycopg is None or not isinstance(exc, psycopg.Error):
        return None
    state = getattr(exc, "sqlstate", None) or ""
    kind = _PG_ERRORS.get(state) or _PG_ERRORS.get(state[:2])
    if kind is None and not state and isinstance(exc, psycopg.OperationalError):
        kind = StoreServerUnavailable  # no answer at all: refused, unreachable, timed out
    if kind is None:
        return None
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if kind is StoreSchemaMismatch:
        return StoreSchemaMismatch(where, text, missing=text)
    return kind(where, text)


def store_error_of(exc: BaseException, path: Path | str | None) -> StoreError | None:
    """The StoreError an SQLite or PostgreSQL driver error means, or None for any other error."""
    if isinstance(exc, StoreError):
        return exc
    if not isinstance(exc, sqlite3.Error):
        return _server_error_of(exc, None if path is None else str(path))
    code = getattr(exc, "sqlite_errorcode", None)
    text = str(exc)
    if code == _READONLY_DBMOVED:
        return StoreReplaced(path, text)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (_BUSY, _LOCKED):
        return StoreBusy(path, text)
    if primary == _READONLY:
        return StoreReadOnly(path, text)
    if primary in (_CORRUPT, _NOTADB):
        return StoreDamaged(path, text)
    if primary == _FULL or (primary == _IOERR and path is not None and _disk_full(path)):
        return StoreFull(path, text)  # a write to a full disk surfaces as an I/O error in WAL
    if primary in (_IOERR, _CANTOPEN):
        return StoreUnavailable(path, text)
    if text.startswith(("no such table", "no such column")):
        return StoreSchemaMismatch(path, text, missing=text.split(":", 1)[-1].strip())
    return None


def _disk_full(path: Path | str) -> bool:
    """True when the disk holding ``path`` has (almost) no room left."""
    try:
        return shutil.disk_usage(Path(path).parent).free < 1024 * 1024
    except OSError:
        return False


@dataclass(frozen=True)
class RowChange:
    """One row to add, change or remove, and the row version the change was prepared against."""

    table: str
    key: tuple[str, ...]  # the key values as text, in the table's key order
    after: dict[str, Any] | None  # the whole new row; None removes it
    base_version: int = 0  # 0: a row nobody has edited since the data was built
    new: bool = False  # an added row: refused if the key exists by the time it is saved


@dataclass(frozen=True)
class RowVersion:
    version: int
    changed_by: str
    changed_at: str


@dataclass(frozen=True)
class AppliedChange:
    change_id: int
    data_version: str
    rows: int


@dataclass(frozen=True)
class ChangeRecord:
    """One entry of the history: who changed what, when, and whether it was undone."""

    change_id: int
    at: str
    user: str
    kind: str  # edit | import | undo
    summary: str  # one English line
    undo_of: int | None
    undone_by: int | None
    rows: tuple[tuple[str, tuple[str, ...], dict[str, Any] | None, dict[str, Any] | None], ...]
    # The summary as a message, to say in the reader's language; None: show ``summary``.
    message: SummaryMessage | None = None


def row_key(spec: TableSpec, row: dict[str, Any]) -> tuple[str, ...]:
    """A row's key as text, the form RowChange and the history use."""
    return tuple(_key_text(row[k]) for k in spec.key)


def _key_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def now_text() -> str:
    """The current time as ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def content_hash(data: DataSet) -> str:
    """A short fingerprint of the canonical form of a data set."""
    digest = hashlib.sha256()
    for spec in TABLES:
        digest.update(table_to_csv(spec, data[spec.name]).encode())
    return digest.hexdigest()[:12]


class AtlasStore(ABC):
    """What the app needs from a store, whatever database is behind it."""

    @abstractmethod
    def data_version(self) -> str:
        """Changes whenever the data changes: the key of every cached snapshot."""

    @abstractmethod
    def load(self) -> DataSet:
        """The whole data set as typed tables."""

    @abstractmethod
    def replace_all(self, data: DataSet, *, reason: str) -> str:
        """Replace the data set in one transaction; returns the new data version."""

    @abstractmethod
    def is_empty(self) -> bool:
        """True before the first data set has been written."""


def _metadata() -> tuple[sa.MetaData, dict[str, sa.Table], sa.Table]:
    metadata = sa.MetaData()
    tables = {}
    for spec in TABLES:
        columns = [
            sa.Column(
                c.name,
                _SQL_TYPES[c.type](),
                primary_key=c.name in spec.key,
                nullable=c.type in ("int", "float"),
            )
            for c in spec.columns
        ]
        tables[spec.name] = sa.Table(spec.name, metadata, *columns)
    meta = sa.Table(
        "atlas_meta",
        metadata,
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    # Accounts, row versions (optimistic locking) and the history of changes.
    sa.Table(
        "atlas_users", metadata,
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False, default=0),
        sa.Column("blocked_until", sa.Float, nullable=False, default=0.0),
        # Random, replaced with every new password (and new with a re-added name): a session
        # that logged in with an older one may no longer act.
        sa.Column("credential", sa.Text, nullable=False, default="", server_default=""),
    )
    # Failed logins counted per account name (known or not, so a lock tells nothing) and per
    # client: each key waits longer after repeated failures, and forgets them after a quiet day.
    sa.Table(
        "atlas_login_throttle", metadata,
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failure", sa.Float, nullable=False),
        sa.Column("blocked_until", sa.Float, nullable=False),
    )
    sa.Table(
        "atlas_row_versions", metadata,
        sa.Column("table_name", sa.Text, primary_key=True),
        sa.Column("row_key", sa.Text, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("changed_by", sa.Text, nullable=False),
        sa.Column("changed_at", sa.Text, nullable=False),
    )
    sa.Table(
        "atlas_changes", metadata,
        sa.Column("change_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("user", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),  # one English line
        sa.Column("undo_of", sa.Integer, nullable=True),
        sa.Column("undone_by", sa.Integer, nullable=True),
        # The summary as a message (atlas.change_summary): its code and its parameters as
        # JSON; empty for a change recorded by another tool, shown as ``summary`` says.
        sa.Column("summary_code", sa.Text, nullable=True),
        sa.Column("summary_params", sa.Text, nullable=True),
    )
    sa.Table(
        "atlas_change_rows", metadata,
        sa.Column("change_id", sa.Integer, primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("table_name", sa.Text, nullable=False),
        sa.Column("row_key", sa.Text, nullable=False),
        sa.Column("before", sa.Text, nullable=True),
        sa.Column("after", sa.Text, nullable=True),
    )
    return metadata, tables, meta


class SqlStore(AtlasStore):
    """The store in any SQLAlchemy database (SQLite file by default).

    A SQLite file that does not exist yet (or a database without the atlas's tables) is
    created with every table, at the head revision; an existing one must hold the atlas schema
    at this code's revision (StoreDamaged, StoreSchemaMismatch, StoreTooOld, StoreTooNew
    otherwise): nothing is upgraded when a store is opened, ``atlas upgrade`` does that.
    ``any_revision`` opens a store of any revision without checking its tables (for the
    upgrade itself, and to see whether a database holds anything at all). ``read_only``
    stores (a read-only folder or file, or ATLAS_STORE_READ_ONLY set) are read without
    writing anything, even the -shm.
    """

    def __init__(self, url: str, *, any_revision: bool = False) -> None:
        self.url = url
        self.metadata, self.tables, self.meta = _metadata()
        self.path = _sqlite_file(url)
        self.read_only = False
        self._immutable = False
        self._identity: tuple[int, int] | None = None
        self.where = str(self.path) if self.path is not None else _shown_url(url)
        if self.path is None:
            self.engine = _server_engine(url)
            sa.event.listen(self.engine, "handle_error", self._translate_error)
            brand_new = True  # a server database: create_all adds only what is missing
        else:
            brand_new = _create_if_missing(self.path)
            self._identity = _check_sqlite_file(self.path, brand_new)
            self.read_only = not brand_new and _read_only_wanted(self.path)
            # Connections are made here (not from the URL) so a vanished file is never
            # silently re-created empty, and every driver error becomes a StoreError.
            self.engine = sa.create_engine(url, future=True, creator=self._connect)
            sa.event.listen(self.engine, "handle_error", self._translate_error)
            # Every transaction, reading or writing, first checks the file is still the store.
            sa.event.listen(self.engine, "begin", self._check_in_place)
            sa.event.listen(self.engine, "commit", self._check_in_place)
        self.revision = self._prepare_schema(brand_new, any_revision)

    # --- opening and guarding the file ------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        assert self.path is not None
        if not self.is_in_place():
            # A new connection would open the file now at the path, beside the old log.
            raise StoreReplaced(self.path)
        options = "mode=ro" + ("&immutable=1" if self._immutable else "") if self.read_only \
            else "mode=rw"
        conn = sqlite3.connect(f"file:{quote(str(self.path))}?{options}", uri=True,
                               timeout=BUSY_SECONDS, check_same_thread=False)
        if not self.read_only:
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
            except sqlite3.Error:
                conn.close()
                raise
        return conn

    def _translate_error(self, context: Any) -> None:
        mapped = store_error_of(context.original_exception, self.where)
        if mapped is not None:
            raise mapped from context.original_exception

    def is_in_place(self) -> bool:
        """True while the file at the store's path is the very file that was opened."""
        if self.path is None or self._identity is None:
            return True
        try:
            found = os.stat(self.path)
        except OSError:
            return False
        return (found.st_dev, found.st_ino) == self._identity

    def check_in_place(self) -> None:
        """StoreReplaced when the store's file was deleted or replaced since it was opened.

        Its connections would go on reading and writing the old file, which nobody will
        open again: every save would be lost. They are retired instead (see below).
        """
        if not self.is_in_place():
            with self.engine.connect() as conn:
                conn.begin()  # the "begin" check retires the connections and raises
            raise StoreReplaced(self.path)

    def _check_in_place(self, conn: sa.Connection, *_: Any) -> None:
        if self.is_in_place():
            return
        # The old file's log is named after the path, so it now sits beside whatever file is
        # there, and SQLite would replay it into that file on its next open (and does not
        # remove it when connections to a moved file close). Empty it into the old file
        # first, through a connection that still has the old file open.
        raw = conn.connection.dbapi_connection
        with contextlib.suppress(sqlite3.Error, AttributeError):
            raw.rollback()  # type: ignore[union-attr]
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
        conn.invalidate()  # closed now, not when the pool is collected
        self.engine.dispose()
        raise StoreReplaced(self.path)

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise StoreReadOnly(self.path)

    def _prepare_schema(self, brand_new: bool, any_revision: bool) -> migrate.StoredRevision:
        """Check the store's revision and schema (creating it in a brand-new file or an empty
        database); returns the revision it records."""
        if self.path is not None and not brand_new:
            self._check_integrity()
        with self.engine.connect() as conn:
            made = self._atlas_tables(conn)
        if not made:
            if not brand_new and self.path is not None:
                raise StoreDamaged(self.path, "it holds no atlas tables")
            self._create()
        with self.engine.connect() as conn:
            stored = self._stored_revision(conn)
            if any_revision:
                return stored
            self._check_revision(stored)
            missing = _missing_schema(self.metadata, self._atlas_tables(conn))
        if missing:
            raise StoreSchemaMismatch(self.where, missing=", ".join(missing))
        return stored

    def _atlas_tables(self, conn: sa.Connection) -> dict[str, set[str]]:
        """The atlas's tables the database holds, with their columns."""
        inspector = sa.inspect(conn)
        return {name: {c["name"] for c in inspector.get_columns(name)}
                for name in inspector.get_table_names() if name in self.metadata.tables}

    def _create(self) -> None:
        """Every table of the model, recorded at the head revision, in one transaction (another
        process making them at the same time waits, then finds them made)."""
        with self._schema_transaction() as conn:
            if self._atlas_tables(conn):
                return
            self.metadata.create_all(conn)
            self._set_meta(conn, "schema_version", str(migrate.LEGACY_SCHEMA_VERSION))
            migrate.stamp_head(conn)

    def _check_revision_known(self, stored: migrate.StoredRevision) -> None:
        """StoreTooNew when the store is of a revision newer than this code knows."""
        if migrate.is_newer(stored):
            raise StoreTooNew(self.where, f"the store is at {stored.shown()}",
                              found=stored.revision or stored.legacy, known=migrate.head())

    def _check_revision(self, stored: migrate.StoredRevision) -> None:
        """StoreTooNew or StoreTooOld unless the store is at this code's revision."""
        self._check_revision_known(stored)
        if not migrate.is_current(stored):
            raise StoreTooOld(self.where, f"the store is at {stored.shown()}; this version "
                              f"of the atlas is at {migrate.head()}")

    def _check_integrity(self) -> None:
        """StoreDamaged unless SQLite finds the file intact (a quick check, about 1 ms/MB)."""
        try:
            with self.engine.connect() as conn:
                rows = conn.exec_driver_sql("PRAGMA quick_check(1)").all()
        except StoreUnavailable:
            if not self.read_only or self._immutable:
                raise
            # A read-only folder where even the -shm cannot be made: read the file as it is.
            self._immutable = True
            self.engine.dispose()
            with self.engine.connect() as conn:
                rows = conn.exec_driver_sql("PRAGMA quick_check(1)").all()
        if [tuple(r) for r in rows] != [("ok",)]:
            raise StoreDamaged(self.path, str(rows[0][0]) if rows else "integrity check failed")

    def _stored_revision(self, conn: sa.Connection) -> migrate.StoredRevision:
        """The revision the store records (StoreDamaged when what it records makes no sense)."""
        try:
            return migrate.stored_revision(conn, self._meta(conn, "schema_version"))
        except ValueError as exc:
            raise StoreDamaged(self.where, str(exc)) from None

    @contextlib.contextmanager
    def _schema_transaction(self) -> Iterator[sa.Connection]:
        """One transaction holding the write lock, also around DDL (which the SQLite driver
        would otherwise run outside any transaction)."""
        with self.engine.connect() as conn:
            if self.engine.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                self._lock_server(conn)
            yield conn
            conn.commit()

    @contextlib.contextmanager
    def writing(self) -> Iterator[sa.Connection]:
        """A write transaction that holds the store's write lock from its first statement, so
        whatever it reads is what it writes over: one writer at a time, in any process on any
        machine. StoreBusy when another writer keeps the lock for BUSY_SECONDS."""
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "sqlite":
                # A first statement that writes: SQLite takes its write lock (waiting up to the
                # busy timeout) before anything is read.
                conn.execute(sa.update(self.meta).where(self.meta.c.key == "data_version")
                             .values(value=self.meta.c.value))
            else:
                self._lock_server(conn)
            yield conn

    def _lock_server(self, conn: sa.Connection) -> None:
        """Take the write lock of a server database: an advisory lock held until the
        transaction ends (released by the server if the process dies). Waits at most
        BUSY_SECONDS: a lock timeout is raised as StoreBusy."""
        if self.engine.dialect.name != "postgresql":  # pragma: no cover - other servers
            return
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(BUSY_SECONDS * 1000)}ms'")
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_WRITE_LOCK)))

    def _meta(self, conn: sa.Connection, key: str) -> str | None:
        row = conn.execute(sa.select(self.meta.c.value).where(self.meta.c.key == key)).first()
        return None if row is None else str(row[0])

    def _set_meta(self, conn: sa.Connection, key: str, value: str) -> None:
        conn.execute(sa.delete(self.meta).where(self.meta.c.key == key))
        conn.execute(sa.insert(self.meta).values(key=key, value=value))

    def data_version(self) -> str:
        with self.engine.connect() as conn:
            return self._meta(conn, "data_version") or "0"

    def is_empty(self) -> bool:
        return self.data_version() == "0"

    def load(self) -> DataSet:
        with self.engine.connect() as conn:
            return self._load(conn)

    def _load(self, conn: sa.Connection) -> DataSet:
        data: DataSet = {}
        quote = conn.dialect.identifier_preparer.quote
        # The collector paused: the rows are tens of thousands of new tuples, which set off
        # collections that each walk the whole heap and find nothing to free.
        with _collector_paused():
            for spec in TABLES:
                names = ", ".join(quote(c) for c in spec.column_names)
                rows = self._fetch_all(
                    conn, f"SELECT {names} FROM {quote(spec.name)}{_key_order(conn, spec)}")
                columns = zip(*rows, strict=True) if rows else ([] for _ in spec.columns)
                # typed_frame makes the 0/1 flags booleans again.
                data[spec.name] = frame_from_columns(spec, dict(zip(spec.column_names, columns,
                                                                    strict=True)))
        return data

    def _fetch_all(self, conn: sa.Connection, sql: str) -> Sequence[Any]:
        """Every row of ``sql`` as the driver's own tuples: SQLAlchemy's Row objects (even
        unprocessed ones) cost a tenth of a load. The statement runs through SQLAlchemy, so
        its checks and error translation still apply; a driver error while the rows are read
        is translated the same way."""
        result = conn.exec_driver_sql(sql)
        try:
            return result.cursor.fetchall()
        except conn.dialect.loaded_dbapi.Error as exc:
            mapped = store_error_of(exc, self.path)
            if mapped is not None:
                raise mapped from exc
            raise sa.exc.DBAPIError.instance(sql, None, exc,
                                             conn.dialect.loaded_dbapi.Error) from exc
        finally:
            result.close()

    def _t(self, name: str) -> sa.Table:
        return self.metadata.tables[name]

    # --- row versions and changes -------------------------------------------------------

    def row_versions(self, table: str) -> dict[tuple[str, ...], int]:
        """Version of every edited row of ``table`` (rows never edited are version 0)."""
        rv = self._t("atlas_row_versions")
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(rv.c.row_key, rv.c.version)
                                .where(rv.c.table_name == table)).all()
        return {tuple(json.loads(k)): int(v) for k, v in rows}

    def row_version(self, table: str, key: tuple[str, ...]) -> RowVersion:
        """Who last changed one row, when, and its version (0 and empty if never edited)."""
        with self.engine.connect() as conn:
            return self._row_version(conn, table, key)

    def _row_version(self, conn: sa.Connection, table: str, key: tuple[str, ...]) -> RowVersion:
        rv = self._t("atlas_row_versions")
        row = conn.execute(sa.select(rv.c.version, rv.c.changed_by, rv.c.changed_at).where(
            (rv.c.table_name == table) & (rv.c.row_key == json.dumps(list(key))))).first()
        return RowVersion(0, "", "") if row is None else RowVersion(int(row[0]), row[1], row[2])

    def _current_row(self, conn: sa.Connection, spec: TableSpec,
                     key: tuple[str, ...]) -> dict[str, Any] | None:
        table = self.tables[spec.name]
        condition = sa.and_(*[_key_match(table.c[k], v, spec) for k, v in zip(spec.key, key,
                                                                            strict=True)])
        row = conn.execute(sa.select(table).where(condition)).mappings().first()
        return None if row is None else dict(row)

    def apply_changes(self, changes: Sequence[RowChange], *, user: str, kind: str,
                      summary: SummaryMessage | str,
                      undo_of: int | None = None) -> AppliedChange:
        """Apply row changes in one transaction, after checking versions and validating.

        ``summary`` says what the change does: a message (kept as its code and parameters,
        with its English line), or a line of text (kept as it is, shown as it is).

        The whole data set with the changes applied must pass ``atlas.validate`` (else
        InvalidData); a change prepared against an older row version raises StaleEdit. Either
        way nothing is written. Every applied change is recorded with its before and after.
        """
        from atlas.validate import validate

        if not changes:
            raise ValueError("nothing to change")
        self._refuse_if_read_only()
        at = now_text()
        # The write lock first, so versions cannot change between check and write.
        with self.writing() as conn:
            befores: list[dict[str, Any] | None] = []
            for change in changes:
                spec = TABLES_BY_NAME[change.table]
                current = self._current_row(conn, spec, change.key)
                version = self._row_version(conn, change.table, change.key)
                exists_as_expected = (current is None) if change.new else (current is not None)
                if change.base_version != version.version or not exists_as_expected:
                    raise StaleEdit(change.table, change.key, version.changed_by,
                                    version.changed_at, current)
                befores.append(current)
            data = _with_changes(self._load(conn), changes)
            problems = validate(data)
            if problems:
                raise InvalidData(problems)
            # Typed once per table, not once per row: an import of thousands of rows.
            afters = _plain_rows([(c.table, c.after) for c in changes])
            plain_befores = _plain_rows([(c.table, b) for c, b in
                                         zip(changes, befores, strict=True)])
            for change, before, after in zip(changes, befores, afters, strict=True):
                self._write_row(conn, change, before is not None, user, at, after)
            change_id = self._record(conn, changes, plain_befores, afters, user, at, kind,
                                     summary, undo_of)
            counter = int((self._meta(conn, "data_version") or "0").split("-")[0]) + 1
            version_text = f"{counter}-{content_hash(data)}"
            self._set_meta(conn, "data_version", version_text)
            self._set_meta(conn, "last_change", f"{kind} #{change_id} by {user}")
            _pause_before_commit()
        return AppliedChange(change_id, version_text, len(changes))

    def _write_row(self, conn: sa.Connection, change: RowChange, exists: bool, user: str,
                   at: str, after: dict[str, Any] | None) -> None:
        spec = TABLES_BY_NAME[change.table]
        table = self.tables[spec.name]
        if exists:
            condition = sa.and_(*[_key_match(table.c[k], v, spec)
                                  for k, v in zip(spec.key, change.key, strict=True)])
            conn.execute(sa.delete(table).where(condition))
        if after is not None:
            conn.execute(sa.insert(table), [after])
        rv = self._t("atlas_row_versions")
        key = json.dumps(list(change.key))
        conn.execute(sa.delete(rv).where((rv.c.table_name == change.table)
                                         & (rv.c.row_key == key)))
        # base_version was checked against the stored version in this transaction.
        conn.execute(sa.insert(rv).values(table_name=change.table, row_key=key,
                                          version=change.base_version + 1, changed_by=user,
                                          changed_at=at))

    def _record(self, conn: sa.Connection, changes: Sequence[RowChange],
                befores: list[dict[str, Any] | None], afters: list[dict[str, Any] | None],
                user: str, at: str, kind: str, summary: SummaryMessage | str,
                undo_of: int | None) -> int:
        """The history entry; ``befores`` and ``afters`` are the rows as the store holds them."""
        ch, rows = self._t("atlas_changes"), self._t("atlas_change_rows")
        said = {"summary": summary, "summary_code": None, "summary_params": None}
        if isinstance(summary, SummaryMessage):
            said = {"summary": summary.english(), "summary_code": summary.code,
                    "summary_params": summary.params_json()}
        result = conn.execute(sa.insert(ch).values(at=at, user=user, kind=kind,
                                                   undo_of=undo_of, **said))
        change_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        conn.execute(sa.insert(rows), [
            {"change_id": change_id, "seq": i, "table_name": c.table,
             "row_key": json.dumps(list(c.key)),
             "before": None if b is None else _json_of(b),
             "after": None if a is None else _json_of(a)}
            for i, (c, b, a) in enumerate(zip(changes, befores, afters, strict=True))
        ])
        if undo_of is not None:
            conn.execute(sa.update(ch).where(ch.c.change_id == undo_of)
                         .values(undone_by=change_id))
        return change_id

    def history(self, limit: int = 500) -> list[ChangeRecord]:
        """The latest changes, newest first, with their rows."""
        ch = self._t("atlas_changes")
        return self._changes(self._select_changes().order_by(ch.c.change_id.desc())
                             .limit(limit))

    def change(self, change_id: int) -> ChangeRecord | None:
        """One entry of the history."""
        ch = self._t("atlas_changes")
        found = self._changes(self._select_changes().where(ch.c.change_id == change_id))
        return found[0] if found else None

    def _select_changes(self) -> sa.Select[Any]:
        return sa.select(self._t("atlas_changes"))

    def _changes(self, query: sa.Select[Any]) -> list[ChangeRecord]:
        rows = self._t("atlas_change_rows")
        with self.engine.connect() as conn:
            heads = conn.execute(query).mappings().all()
            ids = [h["change_id"] for h in heads]
            detail: dict[int, list[Any]] = {i: [] for i in ids}
            if ids:
                for r in conn.execute(sa.select(rows).where(rows.c.change_id.in_(ids))
                                      .order_by(rows.c.change_id, rows.c.seq)).mappings():
                    detail[r["change_id"]].append((
                        r["table_name"], tuple(json.loads(r["row_key"])),
                        None if r["before"] is None else json.loads(r["before"]),
                        None if r["after"] is None else json.loads(r["after"])))
        return [ChangeRecord(h["change_id"], h["at"], h["user"], h["kind"], h["summary"],
                             h["undo_of"], h["undone_by"], tuple(detail[h["change_id"]]),
                             stored_message(h.get("summary_code"), h.get("summary_params")))
                for h in heads]

    def undo_changes(self, change_id: int) -> list[RowChange]:
        """The row changes that put back what ``change_id`` changed.

        Refused (StaleEdit) when a row was changed again since: undoing would overwrite
        someone else's later work; ChangeRefused when there is no such change or it was
        undone already.
        """
        record = self.change(change_id)
        if record is None:
            raise ChangeRefused("hist_undo_no_change", id=change_id)
        if record.undone_by is not None:
            raise ChangeRefused("hist_undo_already", id=change_id, by=record.undone_by)
        out = []
        with self.engine.connect() as conn:
            for table, key, before, after in record.rows:
                spec = TABLES_BY_NAME[table]
                current = self._current_row(conn, spec, key)
                version = self._row_version(conn, table, key)
                now = None if current is None else json.loads(_row_json(spec, current))
                if now != after:
                    raise StaleEdit(table, key, version.changed_by, version.changed_at, current)
                out.append(RowChange(table, key, before, version.version, new=current is None))
        return out

    def replace_all(self, data: DataSet, *, reason: str) -> str:
        self._refuse_if_read_only()
        with self.writing() as conn:
            return self._replace_all(conn, data, reason)

    def _replace_all(self, conn: sa.Connection, data: DataSet, reason: str) -> str:
        counter = int((self._meta(conn, "data_version") or "0").split("-")[0]) + 1
        for spec in reversed(TABLES):
            conn.execute(sa.delete(self.tables[spec.name]))
        for spec in TABLES:
            _insert_rows(conn, self.tables[spec.name], spec, data[spec.name])
        version = f"{counter}-{content_hash(data)}"
        self._set_meta(conn, "data_version", version)
        self._set_meta(conn, "last_change", reason)
        return version

    def never_used(self, conn: sa.Connection) -> bool:
        """True for a store without data, accounts or recorded changes."""
        return (self._meta(conn, "data_version") or "0") == "0" and \
            self.staff_work(conn) == (0, 0)

    def staff_work(self, conn: sa.Connection) -> tuple[int, int]:
        """(accounts, recorded changes) in the store: what a rebuild would throw away."""
        count = sa.select(sa.func.count())
        return (int(conn.execute(count.select_from(self._t("atlas_users"))).scalar_one()),
                int(conn.execute(count.select_from(self._t("atlas_changes"))).scalar_one()))


def _key_order(conn: sa.Connection, spec: TableSpec) -> str:
    """The ORDER BY that reads a server database's rows in key order, as a built SQLite file
    holds them (SQLite reads its rows in the order they were written, which costs nothing)."""
    if conn.dialect.name == "sqlite":
        return ""
    quote = conn.dialect.identifier_preparer.quote
    types = {c.name: c.type for c in spec.columns}
    # Text by code point, as Python sorts it, whatever the database's own collation.
    keys = [quote(k) + (' COLLATE "C"' if types[k] in ("text", "ids") and
                        conn.dialect.name == "postgresql" else "") for k in spec.key]
    return " ORDER BY " + ", ".join(keys)


def _key_match(column: Any, value: str, spec: TableSpec) -> Any:
    kind = next(c.type for c in spec.columns if c.name == column.name)
    if kind == "int":
        return column == int(value)
    if kind == "float":
        return column == float(value)
    return column == value


def _row_json(spec: TableSpec, row: dict[str, Any]) -> str:
    frame = frame_from_records(spec, [row])
    return _json_of(_records(spec, frame)[0])


def _json_of(record: dict[str, Any]) -> str:
    """A stored row as the history keeps it."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def _plain_rows(rows: Sequence[tuple[str, dict[str, Any] | None]]
                ) -> list[dict[str, Any] | None]:
    """Each (table, row) as the store keeps it (typed as its column, no NaN or numpy
    scalars), or None; one typed frame per table, whatever the number of rows."""
    out: list[dict[str, Any] | None] = [None] * len(rows)
    by_table: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for i, (table, row) in enumerate(rows):
        if row is not None:
            by_table.setdefault(table, []).append((i, row))
    for table, numbered in by_table.items():
        spec = TABLES_BY_NAME[table]
        frame = frame_from_records(spec, [row for _, row in numbered])
        positions = [i for i, _ in numbered]
        for i, record in zip(positions, _records(spec, frame), strict=True):
            out[i] = record
    return out


def _with_changes(data: DataSet, changes: Sequence[RowChange]) -> DataSet:
    """A copy of ``data`` with the row changes applied (for validating before writing)."""
    out = dict(data)
    for table in {c.table for c in changes}:
        spec = TABLES_BY_NAME[table]
        frame = out[table]
        mine = [c for c in changes if c.table == table]
        drop = {c.key for c in mine}
        keys = [row_key(spec, r) for r in frame.to_dict("records")]
        kept = frame.loc[[k not in drop for k in keys]]
        added = frame_from_records(spec, [c.after for c in mine if c.after is not None])
        out[table] = pd.concat([kept, added], ignore_index=True) if len(added) else \
            kept.reset_index(drop=True)
    return out


def _pause_before_commit() -> None:
    """Test seam: ATLAS_PAUSE_BEFORE_COMMIT=<seconds> holds the open transaction, so a test
    can kill the process mid-write and check that nothing of it lands."""
    seconds = os.environ.get("ATLAS_PAUSE_BEFORE_COMMIT")
    if seconds:
        print("atlas: pausing before commit", file=sys.stderr, flush=True)
        time.sleep(float(seconds))


def _shown_url(url: str) -> str:
    """A server database's URL as messages may show it: without its password."""
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def _server_engine(url: str) -> sa.Engine:
    """An engine for a server database (PostgreSQL): connections checked before use, so an
    app server outlives a restart of the database server, and a connection attempt that gets
    no answer gives up instead of hanging a page."""
    parsed = sa.engine.make_url(url)
    options: dict[str, Any] = {"future": True, "pool_pre_ping": True}
    if parsed.get_backend_name() == "postgresql":
        # Each statement sees what was committed before it, whatever the server's default:
        # under a stricter level, a write's first statement (taking the lock) would fix a
        # snapshot older than the writer it waited for, and its version checks would miss it.
        options["isolation_level"] = "READ COMMITTED"
        if "connect_timeout" not in parsed.query:
            options["connect_args"] = {"connect_timeout": CONNECT_SECONDS}
    return sa.create_engine(parsed, **options)


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and in-memory SQLite)."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(os.path.abspath(parsed.database))


def _create_if_missing(path: Path) -> bool:
    """Create an empty file at ``path`` if there is none; True when this call created it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644))
    except FileExistsError:
        return False
    return True


def _check_sqlite_file(path: Path, brand_new: bool) -> tuple[int, int]:
    """The file's (device, inode), after checking it can be an SQLite database at all."""
    try:
        found = os.stat(path)
        if stat.S_ISDIR(found.st_mode):
            raise StoreDamaged(path, "it is a folder, not a file")
        with open(path, "rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise StoreUnavailable(path, exc.strerror or str(exc)) from exc
    # Only a file this process has just created may be empty: its tables are made next.
    if not found.st_size and not brand_new:
        raise StoreDamaged(path, "the file is empty (0 bytes)")
    if found.st_size and header != _SQLITE_HEADER:
        raise StoreDamaged(path, "not an SQLite database")
    return found.st_dev, found.st_ino


def _read_only_wanted(path: Path) -> bool:
    """True when the store must be opened read-only: asked for, or no way to write it."""
    if os.environ.get("ATLAS_STORE_READ_ONLY", "").strip().lower() in ("1", "true", "yes"):
        return True
    if not os.access(path, os.W_OK):
        return True
    if os.access(path.parent, os.W_OK):
        return False
    # A read-only folder: writing needs a -wal and a -shm that exist and are writable.
    return not all(os.access(f"{path}{suffix}", os.W_OK) for suffix in ("-wal", "-shm"))


def _missing_schema(metadata: sa.MetaData, present: dict[str, set[str]]) -> list[str]:
    """The tables and table.columns of the model that the store lacks."""
    missing = []
    for table in metadata.sorted_tables:
        if table.name not in present:
            missing.append(table.name)
            continue
        missing += [f"{table.name}.{c.name}" for c in table.columns
                    if c.name not in present[table.name]]
    return missing


def _records(spec: TableSpec, df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain Python values (no NaN, no numpy scalars) for the database driver."""
    names = spec.column_names
    return [dict(zip(names, row, strict=True)) for row in _rows(spec, df)]


def _rows(spec: TableSpec, df: pd.DataFrame) -> list[tuple[Any, ...]]:
    """Rows as tuples of plain Python values in the spec's column order, converted column by
    column (an empty number is NULL, an empty flag false, empty text "")."""
    columns = [_plain_column(column, df[column.name]) for column in spec.columns]
    return list(zip(*columns, strict=True))


def _plain_column(column: Column, values: pd.Series) -> list[Any]:
    if column.type == "float":
        numbers = pd.to_numeric(values).to_numpy(dtype="float64", na_value=np.nan).tolist()
        return [None if x != x else x for x in numbers]
    cells = values.to_numpy(dtype=object)
    if column.type in ("text", "ids") and \
            pd.api.types.infer_dtype(cells, skipna=False) == "string":
        return cells.tolist()  # already text, empty cells ""
    missing = values.isna().to_numpy(dtype=bool)
    if column.type == "int":
        return [None if gone or is_missing(v) else int(v)
                for gone, v in zip(missing, cells, strict=True)]
    if column.type == "bool":
        return [False if gone or is_missing(v) else bool(v)
                for gone, v in zip(missing, cells, strict=True)]
    return ["" if is_missing(v) else str(v) for v in cells]


# Placeholders of the drivers' parameter styles that take a row as a tuple.
_POSITIONAL = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def _insert_rows(conn: sa.Connection, table: sa.Table, spec: TableSpec,
                 df: pd.DataFrame) -> None:
    """All rows of a table in one executemany of tuples: SQLAlchemy's own insert built a
    parameter dict per row, which took longer than the database's writing of them."""
    rows = _rows(spec, df)
    if not rows:
        return
    mark = _POSITIONAL.get(conn.dialect.paramstyle)
    if mark is None:  # a driver that wants named parameters
        conn.execute(sa.insert(table), [dict(zip(spec.column_names, row, strict=True))
                                        for row in rows])
        return
    quote = conn.dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in spec.column_names)
    marks = ", ".join([mark] * len(spec.columns))
    conn.exec_driver_sql(f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", rows)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def store_location(where: Path | str | None = None) -> str:
    """The URL of a store: ``where`` (an SQLite file, or a database URL such as
    ``postgresql+psycopg://atlas@db/atlas``), else ATLAS_DATABASE_URL, else the SQLite file
    ATLAS_STORE (default .atlas/atlas.sqlite)."""
    if where is None:
        return database_url() or sqlite_url(store_path())
    text = str(where)
    return text if "://" in text else sqlite_url(Path(text))


@dataclass(frozen=True)
class BuildResult:
    """What ``build_store`` did."""

    path: Path | str  # the SQLite file, or the server database's URL without its password
    built: bool  # False: the store existed and ``if_missing`` left it as it was
    data_version: str = ""
    seconds: float = 0.0
    backup: Path | None = None  # the copy kept of the store that was replaced


def _valid_geodata(folder: Path) -> DataSet:
    """The data set in ``folder``; InvalidData unless it validates."""
    from atlas.validate import validate

    data, problems = read_dataset(folder)
    problems += validate(data)
    if problems:
        raise InvalidData(problems)
    return data


def build_store(path: Path | str | None = None, folder: Path | None = None, *,
                force: bool = False, if_missing: bool = False) -> BuildResult:
    """Build the store (an SQLite file, or a database URL: see ``store_location``) from
    ``geodata/`` after validating it.

    A missing SQLite store is built aside and renamed into place. An existing one is rewritten
    in place, in one transaction, so connections an app holds see the new data and no other
    database's -wal ever sits beside it. A store holding accounts or recorded changes, or one
    that cannot be read, is replaced only with ``force``, and then only after a backup copy
    is written next to it (BuildRefused otherwise). One build at a time per folder.
    A server database is filled in one transaction under the write lock (see
    ``_build_in_database``).
    """
    started = time.perf_counter()
    folder = folder or geodata_dir()
    url = store_location(path)
    file = _sqlite_file(url)
    if file is None:
        return _build_in_database(url, folder, force=force, if_missing=if_missing,
                                  started=started)
    path = file
    if if_missing and path.exists():
        return BuildResult(path, built=False)
    data = _valid_geodata(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(path):
        if if_missing and path.exists():
            return BuildResult(path, built=False)
        _remove_unfinished_builds(path)
        fresh = _build_aside(path, data, folder)
        try:
            backup = _put_in_place(fresh, path, force)
        finally:
            _remove_with_logs(fresh)
    built = SqlStore(sqlite_url(path))
    version = built.data_version()
    built.engine.dispose()
    return BuildResult(path, True, version, time.perf_counter() - started, backup)


def _build_in_database(url: str, folder: Path, *, force: bool, if_missing: bool,
                       started: float) -> BuildResult:
    """Fill a server database from ``folder`` in one transaction, under the write lock (so
    app servers running on it see the old data or the new, and a build racing another or a
    save waits for it). A store holding accounts or recorded changes is never replaced:
    there is no backup copy to keep of it yet, even with ``force``. With ``if_missing`` only a
    database never used (no data, no accounts, no changes) is filled, as only a missing SQLite
    file is built."""
    if if_missing:
        existing = SqlStore(url, any_revision=True)  # of an older revision: it exists too
        try:
            with existing.engine.connect() as conn:
                if not existing.never_used(conn):
                    return BuildResult(existing.where, built=False)
        finally:
            existing.engine.dispose()
    data = _valid_geodata(folder)  # before any table is made: invalid data leaves no trace
    store = SqlStore(url)
    try:
        with store.writing() as conn:
            if if_missing and not store.never_used(conn):
                return BuildResult(store.where, built=False)  # filled meanwhile by another
            accounts, changes = store.staff_work(conn)
            if accounts or changes:
                also = " (--force does not apply to a database server: it keeps no backup " \
                    "copy of one)" if force else ""
                raise BuildRefused(
                    f"{store.where} holds {accounts} account(s) and {changes} recorded "
                    "change(s) that a rebuild would replace with the bundled data; nothing was "
                    f"changed{also}. Run `atlas export-data` first to keep the edits in "
                    "geodata/, back the database up with `atlas backup FILE`, and empty it "
                    "(DROP OWNED or a new database) to build it again")
            version = store._replace_all(conn, data, f"built from {folder}")
            _pause_before_commit()
    finally:
        store.engine.dispose()
    return BuildResult(store.where, True, version, time.perf_counter() - started)


def build_store_from_geodata(
    path: Path | str | None = None, folder: Path | None = None
) -> tuple[SqlStore, float]:
    """Create the store (a file or a database URL) from ``geodata/`` (never over staff work);
    returns it and seconds."""
    result = build_store(path, folder)
    return SqlStore(store_location(result.path)), result.seconds


def open_store(where: Path | str | None = None) -> SqlStore:
    """The store at ``where`` (an SQLite file or a database URL; default ATLAS_DATABASE_URL,
    else the git-ignored .atlas/atlas.sqlite), built from geodata/ if missing or empty."""
    url = store_location(where)
    file = _sqlite_file(url)
    if file is not None and not file.exists():
        build_store(file, if_missing=True)
        return SqlStore(url)
    store = SqlStore(url)
    if file is None and store.is_empty():
        # A database never used is filled (one holding accounts already is left as it is, as
        # an SQLite file that exists is).
        build_store(url, if_missing=True)
    return store


# --- upgrading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class UpgradeResult:
    """What ``upgrade_store`` did."""

    where: str  # the SQLite file, or the database's URL without its password
    before: str  # the revision the store was at (as messages say it)
    after: str  # the revision it is at now
    backup: Path | None  # the backup written first; None when the store was current already
    seconds: float = 0.0

    @property
    def upgraded(self) -> bool:
        return self.backup is not None


def default_backup_file(where: Path | str | None = None) -> Path:
    """Where ``atlas upgrade`` writes its backup when not told: a new file next to an SQLite
    store (atlas-backup-<time>.sqlite), or for a database in the folder of the default store
    file (``.atlas/``, or ATLAS_STORE's folder), named after the database."""
    url = store_location(where)
    file = _sqlite_file(url)
    if file is not None:
        return _backup_path(file)
    name = sa.engine.make_url(url).database or "database"
    return _backup_path(store_path().parent / f"{Path(name).name}.sqlite")


def _write_backup(source: str, target: Path) -> None:
    """A backup of the store at ``source`` (any revision) into the SQLite file ``target``;
    raises (atlas.backup.BackupError, StoreError, OSError) when it cannot be written."""
    from atlas.backup import write_backup

    write_backup(source, target)


def upgrade_store(where: Path | str | None = None,
                  backup: Path | None = None) -> UpgradeResult:
    """Bring the store at ``where`` (an SQLite file or a database URL, as ``open_store``) to
    this code's schema revision, in place.

    Under the store's write lock, in one transaction: the revision is read, a store at the
    current revision is left as it is; any other is first backed up (to ``backup``, else
    ``default_backup_file``), then migrated, then checked against the model. A backup that
    fails raises with nothing upgraded; a migration that fails (StoreUpgradeFailed, or the
    StoreError its driver error means) leaves the store as it was, the backup kept. StoreTooNew
    for a store of a newer revision than this code knows.
    """
    started = time.perf_counter()
    url = store_location(where)
    file = _sqlite_file(url)
    if file is not None and not file.exists():
        raise StoreUnavailable(file, "there is no store file here (`atlas build-store` makes "
                                     "one)")
    store = SqlStore(url, any_revision=True)
    try:
        store._refuse_if_read_only()
        with store._schema_transaction() as conn:
            # Read under the lock: another upgrade may have run meanwhile.
            stored = store._stored_revision(conn)
            store._check_revision_known(stored)
            if migrate.is_current(stored):
                return UpgradeResult(store.where, stored.shown(), stored.shown(), None)
            target = Path(os.path.abspath(backup or default_backup_file(url)))
            # Nothing can be written while the lock is held: the backup is the very state that
            # is upgraded, and if it fails nothing is.
            _write_backup(url, target)
            try:
                migrate.upgrade(conn, stored)
            except (sa.exc.SQLAlchemyError, migrate.MigrationError) as exc:
                raise StoreUpgradeFailed(store.where, _first_line(exc)) from exc
            missing = _missing_schema(store.metadata, store._atlas_tables(conn))
            if missing:
                raise StoreSchemaMismatch(store.where, f"after the upgrade from "
                                          f"{stored.shown()}", missing=", ".join(missing))
            _pause_before_commit()
        return UpgradeResult(store.where, stored.shown(), migrate.head(), target,
                             time.perf_counter() - started)
    finally:
        store.engine.dispose()


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# --- building ------------------------------------------------------------------------------

_BUILDING = ".building-"  # infix of the files a build writes aside
BUILD_LOCK_SECONDS = 120.0


@contextlib.contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    """Hold the build lock of the store's folder (released by the system if killed)."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        deadline = time.monotonic() + BUILD_LOCK_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise BuildRefused(f"another build of a store in {path.parent} has been "
                                       f"running for {BUILD_LOCK_SECONDS:.0f} s; "
                                       "nothing was changed") from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)  # also releases the lock


def _remove_unfinished_builds(path: Path) -> None:
    """Files left by a build that was killed (under the build lock: none is running)."""
    leftovers = [*path.parent.glob(f"{path.name}{_BUILDING}*"), path.with_suffix(".building")]
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)


def _remove_with_logs(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _build_aside(path: Path, data: DataSet, folder: Path) -> Path:
    """A complete new store in a file of its own next to ``path``, its log merged into it."""
    fresh = path.with_name(f"{path.name}{_BUILDING}{os.getpid()}-{secrets.token_hex(4)}")
    try:
        store = SqlStore(sqlite_url(fresh))
        store.replace_all(data, reason=f"built from {folder}")
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        store.engine.dispose()
        with open(fresh, "rb+") as handle:
            os.fsync(handle.fileno())
    except BaseException:
        _remove_with_logs(fresh)
        raise
    return fresh


def _put_in_place(fresh: Path, path: Path, force: bool) -> Path | None:
    """Make ``fresh``'s content the store at ``path``; returns the backup copy, if one."""
    damage = _damage(path) if path.exists() else None
    if path.exists() and damage is None:
        return _replace_content(fresh, path, force)
    backup = None
    if damage is not None:
        if not force:
            raise BuildRefused(f"{path} cannot be read ({damage}); nothing was changed. "
                               "Run `atlas build-store --force` to keep a copy of it next to it "
                               "and build a new store from geodata/")
        backup = _backup_path(path)
        _copy_file(path, backup)
        if _log_in_use(path):
            raise BuildRefused(f"a running atlas still has {path} open; stop it, then build")
        _remove_with_logs(path)
    elif _log_in_use(path):
        raise BuildRefused(f"a running atlas still has a deleted store open at {path} (its "
                           "-wal and -shm are in use); stop it, then build")
    # A -wal or -shm beside a missing store belongs to another database: SQLite would replay
    # that log into the new file.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(fresh, path)
    _sync_folder(path.parent)
    return backup


def _damage(path: Path) -> str | None:
    """Why the file at ``path`` is not a readable atlas store, or None when it is one."""
    try:
        SqlStore(sqlite_url(path)).engine.dispose()
    except StoreTooOld:
        return None  # readable: a build replaces its content as any other's
    except (StoreDamaged, StoreSchemaMismatch, StoreTooNew, StoreUnavailable) as exc:
        return exc.detail or str(exc)
    return None


def _replace_content(fresh: Path, path: Path, force: bool) -> Path | None:
    """Rewrite the store at ``path`` with the tables and rows of ``fresh``, in one transaction.

    The write lock is taken first, so the accounts and changes counted, the backup copy and
    the replaced content are the same state: no save can land in between and be lost.
    """
    backup = None
    conn = sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True, timeout=BUSY_SECONDS,
                           isolation_level=None)
    try:
        conn.execute("ATTACH DATABASE ? AS fresh", (f"file:{quote(str(fresh))}?mode=ro",))
        conn.execute("BEGIN IMMEDIATE")
        accounts, changes = _staff_work(conn)
        if accounts or changes:
            if not force:
                raise BuildRefused(
                    f"{path} holds {accounts} account(s) and {changes} recorded change(s) that "
                    "a rebuild would replace with the bundled data; nothing was changed. Run "
                    "`atlas export-data` first to keep the edits in geodata/, or "
                    "`atlas build-store --force` to rebuild anyway (a backup copy is kept "
                    "next to the store)")
            backup = _backup_path(path)
            _backup_copy(path, backup)
        counter = _data_counter(conn)
        for kind, name in conn.execute(
                "SELECT type, name FROM main.sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'sqlite_%'").fetchall():
            conn.execute(f"DROP {kind.upper()} main.{_quoted(name)}")
        schema = conn.execute(
            "SELECT type, name, sql FROM fresh.sqlite_master WHERE sql IS NOT NULL "
            "AND name NOT LIKE 'sqlite_%' ORDER BY type = 'table' DESC, rowid").fetchall()
        for kind, name, sql in schema:
            conn.execute(sql)  # unqualified: created in main
            if kind == "table":
                conn.execute(f"INSERT INTO main.{_quoted(name)} "
                             f"SELECT * FROM fresh.{_quoted(name)}")
        fresh_version = conn.execute("SELECT value FROM main.atlas_meta "
                                     "WHERE key = 'data_version'").fetchone()[0]
        # The counter goes on from the replaced store's, so caches keyed on it see a change.
        conn.execute("UPDATE main.atlas_meta SET value = ? WHERE key = 'data_version'",
                     (f"{counter + 1}-{fresh_version.split('-', 1)[1]}",))
        _pause_before_commit()
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        mapped = store_error_of(exc, path)
        if mapped is None:
            raise
        raise mapped from exc
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
    return backup


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _staff_work(conn: sqlite3.Connection) -> tuple[int, int]:
    """(accounts, recorded changes) in the store."""
    accounts = conn.execute("SELECT count(*) FROM main.atlas_users").fetchone()[0]
    changes = conn.execute("SELECT count(*) FROM main.atlas_changes").fetchone()[0]
    return int(accounts), int(changes)


def _data_counter(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM main.atlas_meta WHERE key = 'data_version'").fetchone()
    try:
        return int(str(row[0]).split("-")[0]) if row else 0
    except ValueError:
        return 0


def _backup_path(path: Path) -> Path:
    """A new file next to the store: atlas-backup-20250101T120000Z.sqlite."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.stem}-backup-{stamp}{path.suffix}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-backup-{stamp}-{n}{path.suffix}")
    return candidate


def _new_private_file(path: Path, like: Path) -> None:
    """Create ``path`` empty, readable by no more people than ``like`` (it holds the accounts'
    password hashes)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                     stat.S_IMODE(os.stat(like).st_mode) & 0o666))


def _backup_copy(path: Path, backup: Path) -> None:
    """A consistent copy of the store through SQLite's backup API (safe while it is in use)."""
    _new_private_file(backup, path)
    source = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=BUSY_SECONDS)
    target = sqlite3.connect(backup)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        target.close()
        source.close()
    with open(backup, "rb+") as handle:
        os.fsync(handle.fileno())


def _copy_file(path: Path, backup: Path) -> None:
    """A byte copy of a store SQLite cannot read (with its -wal, if any), kept for rescue."""
    for suffix in ("", "-wal"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            _new_private_file(Path(f"{backup}{suffix}"), source)
            shutil.copyfile(source, f"{backup}{suffix}")


def _log_in_use(path: Path) -> bool:
    """True when another process has the -shm beside ``path`` open as an SQLite database.

    Every connection holds a shared lock on byte 128 of the -shm (SQLite's "DMS" lock) for
    as long as it is open; an exclusive lock is granted only when no process has one.
    """
    if fcntl is None:  # pragma: no cover
        return False
    try:
        fd = os.open(f"{path}-shm", os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 128)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, 128)
        return False
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
