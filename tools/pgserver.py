"""A throwaway PostgreSQL server, for the tests (tests/databases.py) and the bench
(tools/bench.py).

A real server (Debian's ``postgresql`` package, or any PostgreSQL binaries): initdb and pg_ctl
on a temporary folder, listening on no TCP port, only on a unix socket inside that folder,
with fsync off (a throwaway database need not survive a power cut). Every database is made
with CREATE DATABASE, optionally copied from a template database (a file copy, far faster
than a build).

PostgreSQL refuses to run as root, so as root (CI, this machine) the server runs as the
``postgres`` account the package creates (else ``nobody``), which owns the folder.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUPERUSER = "atlas"
TEMPLATE = "atlas_template"
_names = itertools.count(1)


def postgres_bin() -> Path | None:
    """The folder of initdb, pg_ctl and postgres: ATLAS_TEST_PG_BIN if set (only that one),
    else the newest of Debian's /usr/lib/postgresql/*/bin, else the one on PATH."""
    given = os.environ.get("ATLAS_TEST_PG_BIN")
    candidates = [Path(given)] if given else []

    def version(folder: Path) -> int:
        found = re.search(r"/(\d+)/bin$", str(folder))
        return int(found.group(1)) if found else 0

    if not given:
        candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version,
                             reverse=True)
        on_path = shutil.which("initdb")
        if on_path:
            candidates.append(Path(on_path).parent)
    for folder in candidates:
        if all(os.access(folder / tool, os.X_OK) for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _server_account() -> str | None:
    """The account to run the server as (None: this one, which is not root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    return None


@dataclass
class PostgresServer:
    """A running throwaway server; ``url(name)`` is a database's SQLAlchemy URL."""

    bin: Path
    folder: Path
    account: str | None

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", self.account, "--"] if self.account else []
        return subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120,
                              cwd=self.folder)

    def start(self) -> None:
        if self.account:
            shutil.chown(self.folder, user=self.account)
        done = self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", SUPERUSER,
                         "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "-N")
        if done.returncode:
            raise RuntimeError(f"initdb failed: {done.stdout}{done.stderr}")
        options = (f"-c listen_addresses='' -c unix_socket_directories='{self.folder}' "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=100")
        done = self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l",
                         str(self.folder / "server.log"), "-w", "-t", "60", "-o", options,
                         "start")
        if done.returncode:
            log = (self.folder / "server.log").read_text(errors="replace") \
                if (self.folder / "server.log").exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {done.stdout}{done.stderr}{log}")

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                  "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@/{database}?host={self.folder}"

    def admin(self, sql: str) -> None:
        """One statement outside any transaction (CREATE/DROP DATABASE), on ``postgres``."""
        import psycopg

        with psycopg.connect(host=str(self.folder), user=SUPERUSER, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def new_database(self, template: str | None = TEMPLATE) -> str:
        """A new database (a copy of ``template``; empty if None); returns its name."""
        name = f"atlas_test_{os.getpid()}_{next(_names)}"
        self.admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template
                                                    else ""))
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def make_template(self, data: Any) -> None:
        """The template database: a store holding the data set ``data``, as ``atlas
        build-store`` fills it."""
        from atlas.store import SqlStore

        name = self.new_database(template=None)
        store = SqlStore(self.url(name))
        store.replace_all(data, reason="built from geodata")
        store.engine.dispose()
        self.admin(f'ALTER DATABASE "{name}" RENAME TO "{TEMPLATE}"')


@contextlib.contextmanager
def started_server(data: Any = None) -> Iterator[PostgresServer]:
    """A started server on a new temporary folder (with the template database holding the
    data set ``data``, if given), stopped and removed at the end. RuntimeError when there are
    no PostgreSQL binaries or the server does not start."""
    folder = postgres_bin()
    if folder is None:
        raise RuntimeError("PostgreSQL is not installed (no initdb; Debian: apt-get install "
                           "postgresql)")
    # A short path of its own: a unix socket's path must stay under about 100 characters.
    server = PostgresServer(folder, Path(tempfile.mkdtemp(prefix="atlas-pg-")),
                            _server_account())
    try:
        server.start()
        if data is not None:
            server.make_template(data)
        yield server
    finally:
        server.stop()
