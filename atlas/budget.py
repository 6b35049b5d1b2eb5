"""Run one piece of work in a child process with a wall-clock and a memory limit.

Work on a hostile input (an uploaded file) must never take the server down: ``run_within`` runs
it in a child process, waits at most the budget's seconds, and kills the child when it is over.
Memory is held two ways. The parent watches the child's resident memory and kills it when its
growth passes the budget: the child inherits address space reserved but unused (allocator
arenas of a parent that loaded the store, Arrow's pool), so work can grow by hundreds of MB
without reserving any more. Its address space is limited too (RLIMIT_AS: an allocation past
the limit fails with MemoryError at once), for growth faster than the watch. The caller gets
the result, or ``OverBudget`` saying which limit was reached.

The child is forked. A single-threaded caller (the command line) forks itself: cheap, and safe
without other threads. A multi-threaded one (the Streamlit server) must not fork itself (a lock
held by another thread stays locked in the child), so its children are forked by
multiprocessing's fork server: a single-threaded process started on the first call, with the
``preload`` modules imported once, so later calls do not pay for the imports again. That server
also imports the main script once (as multiprocessing does), so the main script must keep its
work under ``if __name__ == "__main__":``, as Streamlit's, pytest's and atlas's scripts do.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Literal, TypeVar

T = TypeVar("T")
Method = Literal["fork", "forkserver"]

_preloaded = False
_NEAR_LIMIT = 64 * 1024 * 1024
_WATCH_SECONDS = 0.02  # how often the parent reads the child's resident memory
_preload_lock = threading.Lock()


@dataclass(frozen=True)
class Budget:
    """What one piece of work may take: seconds of wall clock, and bytes of memory (resident,
    and address space) beyond what the child process holds when it starts."""

    seconds: float
    memory_bytes: int


@dataclass(frozen=True)
class Usage:
    """What the work took: seconds (start of the child to its answer) and the child's peak
    resident memory above what it held when it started."""

    seconds: float
    peak_bytes: int


class OverBudget(Exception):
    """The work was stopped: ``limit`` is "time", "memory" or "ended" (the child died, e.g.
    killed by a signal, before answering)."""

    def __init__(self, limit: Literal["time", "memory", "ended"], budget: Budget,
                 detail: str = "", exit_code: int | None = None) -> None:
        super().__init__(f"over budget ({limit}){': ' + detail if detail else ''}")
        self.limit = limit
        self.budget = budget
        self.detail = detail  # English, for the log and the command line
        self.exit_code = exit_code  # of the child that ended: negative, the signal's number


class WorkFailed(Exception):
    """The work raised an exception in the child; ``child_traceback`` is its traceback."""

    def __init__(self, message: str, child_traceback: str) -> None:
        super().__init__(message)
        self.child_traceback = child_traceback


def _status_kb(field: str, pid: int | str = "self") -> int:
    """A memory figure of a process (this one by default) from /proc, in KB (0 when unknown)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _reserve_only_what_is_used() -> None:
    """Make Arrow (pandas' strings) allocate with the system allocator in this process.

    RLIMIT_AS counts address space reserved, not used: Arrow's default allocator (mimalloc)
    reserves about 1 GB on its first allocation, which would count as memory the work used.
    """
    os.environ["ARROW_DEFAULT_MEMORY_POOL"] = "system"  # if pyarrow is imported later
    arrow = sys.modules.get("pyarrow")
    if arrow is not None:
        arrow.set_memory_pool(arrow.system_memory_pool())


def _child(conn: Connection, fn: Callable[..., Any], args: tuple[Any, ...],
           memory_bytes: int) -> None:
    """In the child: limit the address space, run the work, send back what happened."""
    _reserve_only_what_is_used()
    start_kb = _status_kb("VmRSS")
    conn.send(("started", start_kb))  # the parent's memory watch counts from here
    limit = _status_kb("VmSize") * 1024 + memory_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    began = time.perf_counter()
    try:
        outcome: tuple[Any, ...] = ("ok", fn(*args))
    except MemoryError:
        outcome = ("memory",)
    except BaseException as exc:  # sent to the parent, which raises WorkFailed
        # Near the limit, running out of address space shows as other errors too: a lazy
        # import whose library cannot be mapped raises ImportError, an mmap OSError.
        if limit - _status_kb("VmSize") * 1024 < _NEAR_LIMIT:
            outcome = ("memory",)
        else:
            outcome = ("error", f"{type(exc).__name__}: {exc}", traceback.format_exc())
    peak = max(0, _status_kb("VmHWM") - start_kb) * 1024
    try:
        conn.send((*outcome[:1], Usage(time.perf_counter() - began, peak), *outcome[1:]))
    except MemoryError:
        conn.send(("memory", Usage(time.perf_counter() - began, peak)))
    conn.close()


def _method() -> Method:
    return "fork" if threading.active_count() == 1 else "forkserver"


def _context(method: Method, preload: Sequence[str]) -> Any:
    global _preloaded
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        with _preload_lock:
            if not _preloaded:
                # "__main__" too: without it every child would import the main script again.
                ctx.set_forkserver_preload(["__main__", *preload])
                _preloaded = True
    return ctx


def run_measured(budget: Budget, fn: Callable[..., T], *args: Any,
                 preload: Sequence[str] = (), method: Method | None = None
                 ) -> tuple[T, Usage]:
    """``fn(*args)`` run in a child process within ``budget``, and what it took.

    ``fn`` and its arguments and result must pickle (a module-level function). Raises
    OverBudget when the child is stopped or dies, WorkFailed when ``fn`` raises, OSError when
    no child can be started. ``method`` forces how the child is made (tests).
    """
    ctx = _context(method or _method(), preload)
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(sender, fn, args, budget.memory_bytes),
                        daemon=True)
    answered = False
    try:
        child.start()
        sender.close()  # the child holds the only sending end: its death reads as EOF here
        outcome = _watch(child, receiver, budget)
        answered = True
    finally:
        if answered:
            child.join(5)  # it is exiting; killed below if it does not
        if child.is_alive():
            child.kill()
        if child.pid is not None:
            child.join()
        receiver.close()
        sender.close()
    if outcome[0] == "ok":
        return outcome[2], outcome[1]
    if outcome[0] == "memory":
        raise OverBudget("memory", budget)
    raise WorkFailed(outcome[2], outcome[3])


def _watch(child: Any, receiver: Connection, budget: Budget) -> tuple[Any, ...]:
    """The child's answer, waiting at most the budget's seconds and killing nothing itself:
    raises OverBudget when time runs out, the child's resident memory grows past the budget
    or the child dies before answering."""
    deadline = time.monotonic() + budget.seconds
    start_kb: int | None = None
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise OverBudget("time", budget)
        if receiver.poll(min(left, _WATCH_SECONDS)):
            try:
                message = receiver.recv()
            except EOFError:
                child.join(5)
                code = child.exitcode
                detail = f"signal {-code}" if code is not None and code < 0 else f"exit {code}"
                raise OverBudget("ended", budget, detail, code) from None
            if message[0] != "started":
                return tuple(message)
            start_kb = message[1]
        elif start_kb is not None and child.pid is not None:
            grown = _status_kb("VmRSS", child.pid) - start_kb
            if grown * 1024 > budget.memory_bytes:
                raise OverBudget("memory", budget)


def run_within(budget: Budget, fn: Callable[..., T], *args: Any,
               preload: Sequence[str] = (), method: Method | None = None) -> T:
    """``fn(*args)`` run in a child process within ``budget`` (see ``run_measured``)."""
    return run_measured(budget, fn, *args, preload=preload, method=method)[0]


def spawn_cost(method: Method, preload: Sequence[str] = (), runs: int = 5) -> list[float]:
    """Seconds to start a child, run nothing and get its answer, ``runs`` times (the first
    fork-server run includes starting the server and its preload)."""
    costs = []
    for _ in range(runs):
        began = time.perf_counter()
        run_within(Budget(60, 256 * 1024 * 1024), os.getpid, preload=preload, method=method)
        costs.append(time.perf_counter() - began)
    return costs
