"""One store shared by several processes, as app servers on one database share it, on SQLite
and on PostgreSQL: an edit saved by one process is read by another at once (the data version
lives in the database, not in a process), a save prepared before another process saved the
same row is refused naming who, and two imports at once are written one after the other, or
the second is refused as busy, never half."""

from __future__ import annotations

import csv
import io
import json
import os
import selectors
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from atlas import auth
from atlas.model import TABLES_BY_NAME
from atlas.paths import REPO_ROOT
from atlas.store import SqlStore, content_hash
from tests.databases import StoreMaker

EXAMPLE = REPO_ROOT / "examples" / "import" / "kuryk-mini-projects.xlsx"
# A new result, in a file of its own: a second import that touches other rows than EXAMPLE.
RESULT = {
    "result_id": "r-test-shared", "project_id": "efca-public-spaces",
    "indicator": "mini_projects", "label_en": "Test mini-projects",
    "label_ru": "Тестовые мини-проекты", "label_kk": "Сынақ шағын жобалар", "value": "3",
    "unit": "projects", "qualifier": "exact", "site_ids": "s-ps-kuryk", "phase": "2",
    "counts_as_reach": "false", "source_ids": "efca-public-spaces-2020",
}
ENV = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}


def read_line(stream: Any, seconds: float, text: bytes = b"\n") -> bytes:
    """What ``stream`` gives until ``text`` shows (polled; never a fixed sleep)."""
    selector = selectors.DefaultSelector()
    selector.register(stream, selectors.EVENT_READ)
    deadline = time.monotonic() + seconds
    buffer = b""
    while time.monotonic() < deadline:
        if selector.select(timeout=0.5):
            chunk = os.read(stream.fileno(), 1 if text == b"\n" else 4096)
            if not chunk:
                break
            buffer += chunk
            if text in buffer:
                return buffer
    raise AssertionError(f"no {text!r} within {seconds} s; got {buffer!r}")


@dataclass
class Worker:
    """``tests.store_worker``: one process holding the store open."""

    proc: subprocess.Popen[bytes]
    ready: dict[str, Any] = field(default_factory=dict)

    def ask(self, command: str, seconds: float = 180) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command.encode() + b"\n")
        self.proc.stdin.flush()
        return dict(json.loads(read_line(self.proc.stdout, seconds)))


@pytest.fixture()
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes a test starts; killed at the end whatever happened."""
    procs: list[subprocess.Popen[bytes]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)


@pytest.fixture()
def worker(processes: list[subprocess.Popen[bytes]]) -> Callable[..., Worker]:
    def start(url: str, user: str, busy_seconds: float = 120) -> Worker:
        proc = subprocess.Popen([sys.executable, "-m", "tests.store_worker", url, user,
                                 str(busy_seconds)], cwd=REPO_ROOT, env=ENV,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        processes.append(proc)
        started = Worker(proc)
        started.ready = json.loads(read_line(proc.stdout, 180))
        return started
    return start


def paused_import(processes: list[subprocess.Popen[bytes]], url: str, seconds: float
                  ) -> subprocess.Popen[bytes]:
    """``atlas import EXAMPLE`` stopped with its transaction open (the write lock held) for
    ``seconds``, once it says so."""
    proc = subprocess.Popen([sys.executable, "-m", "atlas.cli", "--store", url, "import",
                             str(EXAMPLE)], cwd=REPO_ROOT,
                            env={**ENV, "ATLAS_PAUSE_BEFORE_COMMIT": str(seconds)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    processes.append(proc)
    read_line(proc.stderr, 180, b"atlas: pausing before commit")
    return proc


def results_file(folder: Path) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, TABLES_BY_NAME["results"].column_names)
    writer.writeheader()
    writer.writerow(RESULT)
    path = folder / "results.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def state(store: SqlStore) -> tuple[str, str, int]:
    return store.data_version(), content_hash(store.load()), len(store.history())


def with_staff(store: SqlStore) -> SqlStore:
    for name in ("alice", "bob"):
        auth.add_user(store, name, "editor", "correct horse battery")
    return store


def test_an_edit_saved_by_one_process_is_read_by_another_at_once(
        new_store: StoreMaker, worker: Callable[..., Worker]) -> None:
    url = with_staff(new_store()).url
    a, b = worker(url, "alice"), worker(url, "bob")
    first = a.ask("read")
    assert b.ask("prepare")["version"] == 0
    assert "change" in b.ask("save Renamed by bob")
    seen = a.ask("read")
    assert seen["title"] == "Renamed by bob"
    assert seen["version"] != first["version"]
    assert int(seen["version"].split("-")[0]) == int(first["version"].split("-")[0]) + 1


def test_a_save_prepared_before_another_process_saved_is_refused_naming_who(
        new_store: StoreMaker, worker: Callable[..., Worker]) -> None:
    store = with_staff(new_store())
    a, b = worker(store.url, "alice"), worker(store.url, "bob")
    a.ask("prepare")
    b.ask("prepare")
    assert "change" in b.ask("save Bob's title")
    assert a.ask("save Alice's title")["stale"] == "bob"
    assert a.ask("read")["title"] == "Bob's title"
    assert [r.user for r in store.history()] == ["bob"]


def test_two_imports_at_once_are_written_one_after_the_other(
        new_store: StoreMaker, worker: Callable[..., Worker],
        processes: list[subprocess.Popen[bytes]], tmp_path: Path) -> None:
    store = new_store()
    counter = int(store.data_version().split("-")[0])
    b = worker(store.url, "bob")  # warm before the first import starts
    first = paused_import(processes, store.url, 4)
    # The first import holds the write lock for 4 s: the second waits for it, then goes on.
    second = b.ask(f"import {results_file(tmp_path)}")
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert b"applied as change #1" in out
    assert second["change"] == 2, second
    history = store.history()
    assert [(r.change_id, r.user) for r in reversed(history)] == [
        (1, history[-1].user), (2, "bob")]
    assert history[-1].user.endswith("(command line)")
    results = set(store.load()["results"]["result_id"])
    assert {"r-test-shared", "r-example-kuryk-mini-projects"} <= results
    assert int(store.data_version().split("-")[0]) == counter + 2


def test_an_import_while_another_is_written_is_refused_as_busy_and_nothing_is_half_written(
        new_store: StoreMaker, worker: Callable[..., Worker],
        processes: list[subprocess.Popen[bytes]], tmp_path: Path) -> None:
    store = new_store()
    before = state(store)
    b = worker(store.url, "bob", busy_seconds=0.5)
    first = paused_import(processes, store.url, 120)
    assert b.ask(f"import {results_file(tmp_path)}")["error"] == "store_busy"
    first.kill()  # SIGKILL in the middle of its write: the server rolls it back
    first.wait(timeout=30)
    assert first.returncode == -9
    assert state(store) == before
    # ... and the store takes the import now (PostgreSQL may have used up change number 1:
    # its sequences do not roll back).
    assert "change" in b.ask(f"import {results_file(tmp_path)}")
    assert [r.user for r in store.history()] == ["bob"]
