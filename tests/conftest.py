"""Shared fixtures: the bundled data set, a snapshot of it, a private store, and fresh stores
holding the bundled data on each engine (SQLite, and PostgreSQL on a throwaway server)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from atlas.dataset import DataSet, read_dataset
from atlas.paths import REPO_ROOT
from atlas.snapshot import Snapshot, build_snapshot
from atlas.store import SqlStore, build_store, sqlite_url
from tests.databases import PostgresServer, StoreMaker, postgres_server

GEODATA = REPO_ROOT / "geodata"
# What tests that take the ``engine`` fixture (or a store made from it) run on; ``-m "not
# postgresql"`` leaves the server out.
ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


@pytest.fixture(autouse=True)
def private_store(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Never touch the developer's .atlas/ store (or database server) from a test."""
    path = tmp_path_factory.getbasetemp() / "store" / "atlas.sqlite"
    monkeypatch.setenv("ATLAS_STORE", str(path))
    monkeypatch.delenv("ATLAS_DATABASE_URL", raising=False)
    return path


@pytest.fixture(scope="session")
def bundled() -> DataSet:
    data, problems = read_dataset(GEODATA)
    assert problems == []
    return data


@pytest.fixture()
def dataset(bundled: DataSet) -> DataSet:
    """A fresh copy of the bundled data set that a test may change."""
    return {name: df.copy() for name, df in bundled.items()}


@pytest.fixture(scope="session")
def snap(bundled: DataSet) -> Snapshot:
    return build_snapshot(bundled, "test")


# --- stores on both engines ----------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres(bundled: DataSet) -> Iterator[PostgresServer]:
    """The throwaway PostgreSQL server of this test session (skipped without PostgreSQL,
    failed in CI)."""
    with postgres_server(bundled) as server:
        yield server


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built SQLite store of the bundled data, copied by every test that wants one."""
    path = tmp_path_factory.mktemp("template") / "atlas.sqlite"
    build_store(path, GEODATA)
    return path


def _store_maker(engine: str, request: pytest.FixtureRequest,
                 folder: Path) -> Iterator[StoreMaker]:
    """Makes stores holding the built bundled data on ``engine``; each its own file or
    database, gone at the end."""
    made: list[tuple[SqlStore, str | None]] = []
    server: PostgresServer | None = None
    template: Path | None = None
    if engine == "postgresql":
        server = request.getfixturevalue("postgres")
    else:
        template = request.getfixturevalue("sqlite_template")

    def make() -> SqlStore:
        if server is not None:
            name = server.new_database()
            made.append((SqlStore(server.url(name)), name))
        else:
            assert template is not None
            path = folder / f"store-{len(made)}" / "atlas.sqlite"
            path.parent.mkdir(parents=True)
            shutil.copyfile(template, path)
            made.append((SqlStore(sqlite_url(path)), None))
        return made[-1][0]

    yield make
    for store, name in made:
        store.engine.dispose()
        if server is not None and name is not None:
            server.drop_database(name)


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """The database engine a test runs on: each test taking it runs on both."""
    return str(request.param)


@pytest.fixture()
def new_store(engine: str, request: pytest.FixtureRequest,
              tmp_path: Path) -> Iterator[StoreMaker]:
    """Makes fresh stores (the built bundled data) on the test's engine."""
    yield from _store_maker(engine, request, tmp_path)


@pytest.fixture()
def empty_location(engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a store does not exist yet, on the test's engine: an SQLite file's path in a
    folder not made yet, or an empty PostgreSQL database's URL."""
    if engine == "sqlite":
        yield str(tmp_path / "nested" / "atlas.sqlite")
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    name = server.new_database(template=None)
    yield server.url(name)
    server.drop_database(name)


@pytest.fixture(scope="module", params=ENGINES)
def module_store_maker(request: pytest.FixtureRequest,
                       tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreMaker]:
    """Makes stores on each engine that live as long as the test module."""
    yield from _store_maker(str(request.param), request, tmp_path_factory.mktemp("stores"))
