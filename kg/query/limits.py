"""Bounds on a user's query: time, rows and memory.

Oxigraph evaluates a query in native code that neither a signal nor another thread can
stop (a ``SIGALRM`` set for one second did not interrupt a three-way ``COUNT`` in two
minutes). So a bounded query runs in a process of its own, which caps its address
space, reads at most ``max_rows`` rows and sends them back; the caller waits at most
``timeout`` seconds and kills it otherwise. A runaway query costs that process, never
the caller's memory or time.

- A store on disk is queried by a worker (`kg.oxeval` run as a script, about 0.1 s to
  start) that opens the store read-only itself. Forking the caller instead would hand
  the child a database handle whose locks a background thread may hold at that moment
  (tried: the child hung after a write).
- A store in memory exists only in the caller, so the query runs in a forked copy of it
  (an in-memory Oxigraph store has no background threads).

The queries kg runs itself (the entity layer, statistics, the HTML view) are trusted
and run in-process, with `UNLIMITED`. Where ``fork`` is not available an in-memory
store is queried in-process with the row cap only, and a warning says so.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rdflib.term import Node as RDFNode

from kg import oxeval
from kg.errors import QueryError, QueryLimitError
from kg.settings import Settings
from kg.store import QueryResult, Store, plain_bindings, result_of

__all__ = ["UNLIMITED", "QueryLimits", "bounded_query"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class QueryLimits:
    """Bounds of one query; ``None`` leaves that bound off.

    Attributes:
        timeout: seconds until the query is stopped (`QueryLimitError`).
        max_rows: rows (or triples) kept; a result with more is cut and marked
            `QueryResult.truncated`.
        memory_mb: memory the query may take beyond what its process had when it
            started; a query that needs more is stopped (`QueryLimitError`).
    """

    timeout: float | None = 30.0
    max_rows: int | None = 1_000_000
    memory_mb: int | None = 1024

    @classmethod
    def from_settings(cls, settings: Settings) -> QueryLimits:
        """The limits of `Settings` (``query_timeout``, ``query_max_rows``,
        ``query_memory_mb``), where 0 leaves that bound off."""
        return cls(settings.query_timeout or None, settings.query_max_rows or None, settings.query_memory_mb or None)

    @property
    def bounded(self) -> bool:
        """Time or memory is bounded, which takes a process of its own."""
        return self.timeout is not None or self.memory_mb is not None


UNLIMITED = QueryLimits(None, None, None)
"""For the queries kg runs itself."""

_CAN_FORK = hasattr(os, "fork") and sys.platform.startswith("linux")
_FORKING = threading.Lock()
_warned: list[bool] = []


def bounded_query(
    store: Store, sparql: str, *, bindings: Mapping[str, RDFNode] | None = None, limits: QueryLimits = UNLIMITED
) -> QueryResult:
    """Run ``sparql`` on ``store`` within ``limits``.

    Raises:
        QueryError: the query is malformed or failed.
        QueryLimitError: it ran over its time or memory.
    """
    path = getattr(store, "path", None)
    evaluate: Callable[..., oxeval.Reply] | None = getattr(store, "evaluate", None)
    if not limits.bounded or evaluate is None or (path is None and not _CAN_FORK):
        if limits.bounded and not _warned:
            _warned.append(True)
            logger.warning("queries on this store run in-process: time and memory are not bounded, only rows")
        return store.query(sparql, bindings=bindings, max_rows=limits.max_rows)
    plain = plain_bindings(bindings)
    if path is not None:
        store.flush()  # the worker reads what is on disk
        request = oxeval.Request(str(path), sparql, plain, limits.max_rows, limits.memory_mb)
        payload, status = _in_worker(request, limits)
    else:
        payload, status = _in_fork(lambda: evaluate(sparql, bindings=plain, max_rows=limits.max_rows), limits)
    if not payload:
        raise _died(status, limits)
    try:
        return result_of(oxeval.receive(payload))
    except MemoryError:
        raise _over_memory(limits) from None


def _in_worker(request: oxeval.Request, limits: QueryLimits) -> tuple[bytes, int]:
    with _FORKING:
        worker = subprocess.Popen(
            [sys.executable, oxeval.__file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            close_fds=True,
        )
    assert worker.stdin is not None and worker.stdout is not None
    try:
        worker.stdin.write(oxeval.request_bytes(request))
        worker.stdin.close()
        payload = _receive(worker.stdout.fileno(), limits.timeout)
    except BrokenPipeError:
        payload = b""
    except BaseException:
        worker.kill()
        worker.wait()
        raise
    finally:
        worker.stdout.close()
    code = worker.wait()
    return payload, (code & 0xFF) << 8 if code >= 0 else -code  # as `os.waitpid` reports it


def _in_fork(run: Callable[[], oxeval.Reply], limits: QueryLimits) -> tuple[bytes, int]:
    with _FORKING:  # no other thread forks while our write end is open: its child would hold it
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; coverage does not follow a fork
            os.close(read)
            os._exit(_child(write, run, limits))
        os.close(write)
    try:
        payload = _receive(read, limits.timeout)
    except BaseException:
        _kill(pid)
        raise
    finally:
        os.close(read)
    return payload, _reap(pid)


def _child(fd: int, run: Callable[[], oxeval.Reply], limits: QueryLimits) -> int:  # pragma: no cover
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C reaches the caller, which kills us
        oxeval.quiet()
        if limits.memory_mb is not None:
            oxeval.cap_memory(limits.memory_mb)
        reply = run()
    except MemoryError:
        reply = oxeval.Reply(error="memory")
    except BaseException as exc:
        reply = oxeval.Reply(error="failed", message=f"{type(exc).__name__}: {exc}")
    return oxeval.send(fd, reply)


def _receive(fd: int, timeout: float | None) -> bytes:
    """Everything written to ``fd`` until it closes, or `QueryLimitError` at ``timeout``."""
    deadline = None if timeout is None else time.monotonic() + timeout
    chunks: list[bytes] = []
    while True:
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            raise QueryLimitError(f"query stopped after {timeout:g} s, its time limit (--timeout, KG_QUERY_TIMEOUT)")
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    _reap(pid)


def _reap(pid: int) -> int:
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            return status
        except InterruptedError:
            continue
        except ChildProcessError:
            return 0


_OUT_OF_MEMORY = frozenset({signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGKILL})
"""How a process dies when an allocation fails (Rust aborts; the kernel may kill it)."""


def _over_memory(limits: QueryLimits) -> QueryLimitError:
    return QueryLimitError(
        f"query stopped: it needed more than {limits.memory_mb:,} MB, its memory limit "
        "(--max-memory, KG_QUERY_MEMORY_MB)"
    )


def _died(status: int, limits: QueryLimits) -> QueryError:
    """Why a query's process ended without an answer."""
    signalled = os.WIFSIGNALED(status) and os.WTERMSIG(status) in _OUT_OF_MEMORY
    if limits.memory_mb is not None and (signalled or (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 3)):
        return _over_memory(limits)
    if os.WIFSIGNALED(status):
        return QueryError(f"query failed: its process ended by signal {signal.Signals(os.WTERMSIG(status)).name}")
    return QueryError(f"query failed: its process ended with exit status {os.WEXITSTATUS(status)}")
