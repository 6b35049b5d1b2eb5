"""Work run within a budget: the result comes back; work over its time or memory is stopped,
its child process gone, and the caller told which limit it reached."""

from __future__ import annotations

import mmap
import os
import signal
import time
from pathlib import Path

import pytest

from atlas.budget import Budget, Method, OverBudget, WorkFailed, run_measured, run_within

MB = 1024 * 1024
METHODS: list[Method] = ["fork", "forkserver"]


def allocate(size: int) -> int:
    return len(bytearray(size))


def sleep_then_return(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def note_pid_then_sleep(path: str, seconds: float) -> None:
    with open(path, "w", encoding="ascii") as out:
        out.write(str(os.getpid()))
    time.sleep(seconds)


def exhaust_then_fail() -> None:
    """Run out of address space, then fail as a lazy import does when its library cannot be
    mapped: ImportError, not MemoryError."""
    hold = []
    try:
        while True:
            hold.append(bytearray(8 * MB))
    except MemoryError:
        pass
    raise ImportError("failed to map segment from shared object")


def arrow_strings_then_allocate(size: int) -> int:
    import pandas as pd

    return int(pd.Series(["Құрық"] * 1000).str.len().sum()) + len(bytearray(size))


# Address space the parent reserved before forking: the child inherits it, so filling it grows
# the child's resident memory without reserving anything (as the arenas of a parent that
# loaded the store do).
_inherited: mmap.mmap | None = None


def fill_inherited_then_wait(size: int, seconds: float) -> int:
    assert _inherited is not None
    for offset in range(0, size, mmap.PAGESIZE):
        _inherited[offset] = 1
    time.sleep(seconds)
    return size


def fail() -> None:
    raise LookupError("no such row")


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.parametrize("method", METHODS)
def test_the_result_comes_back_from_another_process(method: Method) -> None:
    pid, usage = run_measured(Budget(60, 256 * MB), os.getpid, method=method)
    assert pid != os.getpid()
    assert usage.seconds >= 0 and usage.peak_bytes >= 0
    assert run_within(Budget(60, 256 * MB), allocate, 50 * MB, method=method) == 50 * MB


@pytest.mark.parametrize("method", METHODS)
def test_memory_reserved_but_not_used_does_not_count(method: Method) -> None:
    # Arrow's own allocator reserves ~1 GB of address space at its first string array when
    # the limit lets it, leaving nothing for the rest of the work.
    assert run_within(Budget(60, 1024 * MB), arrow_strings_then_allocate, 200 * MB,
                      method=method) == 5000 + 200 * MB


@pytest.mark.parametrize("method", METHODS)
def test_work_over_its_memory_is_stopped_and_the_caller_is_told(method: Method) -> None:
    with pytest.raises(OverBudget) as raised:
        run_within(Budget(60, 128 * MB), allocate, 512 * MB, method=method)
    assert raised.value.limit == "memory"


def test_memory_filled_in_address_space_already_reserved_is_stopped() -> None:
    """The address-space limit cannot see this growth; the parent's watch of resident memory
    does, and stops the work long before it would end by itself."""
    global _inherited
    _inherited = mmap.mmap(-1, 300 * MB)
    try:
        began = time.monotonic()
        with pytest.raises(OverBudget) as raised:
            run_within(Budget(60, 64 * MB), fill_inherited_then_wait, 256 * MB, 30.0,
                       method="fork")
        assert raised.value.limit == "memory"
        assert time.monotonic() - began < 20
    finally:
        _inherited.close()
        _inherited = None


@pytest.mark.parametrize("method", METHODS)
def test_any_failure_at_the_memory_limit_counts_as_memory(method: Method) -> None:
    with pytest.raises(OverBudget) as raised:
        run_within(Budget(60, 128 * MB), exhaust_then_fail, method=method)
    assert raised.value.limit == "memory"


@pytest.mark.parametrize("method", METHODS)
def test_work_over_its_time_is_killed(method: Method, tmp_path: Path) -> None:
    note = tmp_path / "pid"
    # Starting a child can take seconds on a busy machine (a fork server started earlier by the
    # page tests, from a process holding Streamlit, started children in about 2 s): a budget too
    # short to reach the work proves nothing about killing it, so it grows until the work ran.
    for seconds in (3, 10, 30):
        with pytest.raises(OverBudget) as raised:
            run_within(Budget(seconds, 256 * MB), note_pid_then_sleep, str(note), 600,
                       method=method)
        assert raised.value.limit == "time"
        if note.exists():
            break
    assert not Path(f"/proc/{note.read_text()}").exists()  # killed and reaped


@pytest.mark.parametrize("method", METHODS)
def test_an_exception_in_the_work_comes_back_with_its_traceback(method: Method) -> None:
    with pytest.raises(WorkFailed) as raised:
        run_within(Budget(60, 256 * MB), fail, method=method)
    assert str(raised.value) == "LookupError: no such row"
    assert "in fail" in raised.value.child_traceback


@pytest.mark.parametrize("method", METHODS)
def test_a_child_that_dies_is_reported_not_waited_for(method: Method) -> None:
    with pytest.raises(OverBudget) as raised:
        run_within(Budget(60, 256 * MB), die, method=method)
    assert raised.value.limit == "ended" and raised.value.detail == "signal 9"
