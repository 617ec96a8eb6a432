"""Long-lived query workers for `kg serve`: the limits of `kg query` without a process per query.

`kg.query.limits` runs each bounded query in a new worker process that opens the store
(about 0.5 s a query here, most of it starting Python and opening the store: 16 queries/s
with 8 clients). An endpoint answers many small queries, so `WorkerPool` keeps a few
workers (`kg.oxeval` with ``--loop``), each with the store opened read-only once, and
gives each query to an idle one with the same check (`kg.query.check.check_query`, run in
the worker before Oxigraph sees the query: parsing costs 1-7 ms of Python a query, and
workers parse side by side where the server would parse one at a time) and the same
bounds: the row cap is applied by the
worker as it reads the result, the memory cap is set afresh in the worker before each
query, and a query over its time has its worker killed (and replaced): Oxigraph cannot
be interrupted otherwise. A worker that died or ran out of memory is replaced too.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import queue
import select
import subprocess
import sys
import threading
import time
from dataclasses import fields

from kg import oxeval
from kg.errors import QueryError, QueryLimitError, StoreError
from kg.query.check import AllowService
from kg.query.limits import QueryLimits
from kg.store import QueryResult, result_of

__all__ = ["WorkerPool"]

logger = logging.getLogger(__name__)

START_SECONDS = 60.0
"""How long a new worker may take to open the store."""
_STARTING = threading.Lock()


class _Worker:
    """One `kg.oxeval` loop worker over one store."""

    def __init__(self, path: str) -> None:
        with _STARTING:  # one Popen at a time: no other child inherits this one's pipes
            self.proc = subprocess.Popen(
                [sys.executable, oxeval.__file__, "--loop", path],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                close_fds=True,
            )
        ready = self._read(START_SECONDS)
        if ready is None:
            self.kill()
            raise StoreError(f"{path}: a query worker did not start")
        reply = oxeval.Reply(*pickle.loads(ready))
        if reply.error:
            self.kill()
            raise StoreError(f"{path}: {reply.message}")

    def _read(self, timeout: float | None) -> bytes | None:
        """One frame, or ``None`` when the worker closed its output; `TimeoutError` at ``timeout``."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = None if timeout is None else time.monotonic() + timeout
        data = b""
        size: int | None = None
        while size is None or len(data) < size + 8:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not select.select([fd], [], [], wait)[0]:
                raise TimeoutError
            chunk = os.read(fd, 1 << 20 if size is None else max(1, min(1 << 22, size + 8 - len(data))))
            if not chunk:
                return None
            data += chunk
            if size is None and len(data) >= 8:
                size = int.from_bytes(data[:8], "big")
        return data[8 : 8 + size]

    def ask(self, request: oxeval.Request, allow_service: AllowService, timeout: float | None) -> bytes | None:
        """The worker's pickled reply; ``None`` if it died; `TimeoutError` past ``timeout``."""
        assert self.proc.stdin is not None
        fields_ = {f.name: getattr(request, f.name) for f in fields(oxeval.Request)}
        payload = pickle.dumps({"request": fields_, "allow_service": allow_service})
        try:
            oxeval.write_frame(self.proc.stdin, payload)
        except (BrokenPipeError, OSError):
            return None
        return self._read(timeout)

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


class WorkerPool:
    """``size`` workers over the store at ``path``; `query` is thread-safe."""

    def __init__(self, path: str, size: int) -> None:
        self.path = path
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        for _ in range(size):
            self._idle.put(None)  # started on first use
        first = self._start()
        self._idle.get()
        self._idle.put(first)  # one at once: a store that cannot be opened is said at start

    def _start(self) -> _Worker:
        worker = _Worker(self.path)
        with self._lock:
            self._all.append(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock, contextlib.suppress(ValueError):
            self._all.remove(worker)

    def query(self, sparql: str, limits: QueryLimits, *, allow_service: AllowService = False) -> QueryResult:
        """Check ``sparql`` (`kg.query.check.check_query`, in the worker) and evaluate it
        within ``limits``.

        Raises:
            QueryError: malformed or failed; `QueryLimitError` over time or memory.
        """
        worker = self._idle.get()
        try:
            if worker is None or not worker.alive:
                if worker is not None:
                    self._retire(worker)
                worker = self._start()
            request = oxeval.Request(self.path, sparql, {}, limits.max_rows, limits.memory_mb)
            try:
                payload = worker.ask(request, allow_service, limits.timeout)
            except TimeoutError:
                self._retire(worker)
                worker = None
                raise QueryLimitError(
                    f"query stopped after {limits.timeout:g} s, its time limit (KG_QUERY_TIMEOUT)"
                ) from None
            if payload is None:
                self._retire(worker)
                worker = None
                if limits.memory_mb is not None:
                    raise QueryLimitError(
                        f"query stopped: it needed more than {limits.memory_mb:,} MB, its memory limit "
                        "(KG_QUERY_MEMORY_MB)"
                    )
                raise QueryError("query failed: its worker process ended without an answer")
            reply = oxeval.Reply(*pickle.loads(payload))
            if reply.error == "refused":
                raise QueryError(reply.message)
            if reply.error == "memory":
                self._retire(worker)
                worker = None
                raise QueryLimitError(
                    f"query stopped: it needed more than {limits.memory_mb:,} MB, its memory limit (KG_QUERY_MEMORY_MB)"
                )
            try:
                return result_of(reply)
            except MemoryError:
                raise QueryLimitError("query stopped: out of memory") from None
        finally:
            self._idle.put(worker)

    def close(self) -> None:
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:
            worker.kill()
