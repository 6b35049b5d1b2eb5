"""Stores holding the bundled data on SQLite or on PostgreSQL for the tests, on a throwaway
PostgreSQL server (``tools/pgserver.py``, shared with the bench) started once per test session;
every test gets a database of its own, copied from a template that holds the built bundled
data.

Without PostgreSQL binaries or the psycopg driver the tests that need it skip, except when CI
is set: there they fail, so a CI run never passes without them.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator

import pytest

from atlas.dataset import DataSet
from atlas.store import SqlStore
from tools.pgserver import SUPERUSER, TEMPLATE, PostgresServer, postgres_bin, started_server

__all__ = ["SUPERUSER", "TEMPLATE", "PostgresServer", "StoreMaker", "postgres_server"]

# Makes a fresh store holding the built bundled data (the ``new_store`` fixture).
StoreMaker = Callable[[], SqlStore]


def unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, which must run the PostgreSQL tests."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: the PostgreSQL tests must run)", pytrace=False)
    pytest.skip(reason)


@contextlib.contextmanager
def postgres_server(data: DataSet) -> Iterator[PostgresServer]:
    """A started server with the template database holding ``data`` (skips, or fails in CI,
    when there is no PostgreSQL to start)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("the psycopg driver is not installed")
    if postgres_bin() is None:
        unavailable("PostgreSQL is not installed (no initdb; Debian: apt-get install postgresql)")
    with started_server(data) as server:
        yield server
