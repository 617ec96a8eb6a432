"""Evaluating one SPARQL query on a pyoxigraph store, in-process or as a worker process.

`evaluate` is the one place that asks Oxigraph for a query's result (the store's
`kg.store.OxigraphStore.query` and the worker both call it); its answer is a `Reply`
of plain tuples, which pickles fast and needs neither rdflib nor the rest of `kg`.

Run as a script (``python kg/oxeval.py``), this module is the worker that
`kg.query.limits` starts for a store on disk: it reads a pickled `Request` on stdin,
opens the store read-only itself (a handle inherited through ``fork`` may have its locks
held by a thread that does not exist in the child), caps its own memory, and writes a
pickled `Reply` on stdout. It imports nothing of `kg`, so it starts in about 0.1 s.
With ``--loop PATH`` it is a long-lived worker of `kg serve` (`kg.query.pool`): one store
opened once, one query after another.
"""

from __future__ import annotations

import itertools
import os
import pickle
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import IO, TypeVar

import pyoxigraph as ox

Plain = tuple[str, str, "str | None", "str | None"]
"""A term as text: kind (``uri``, ``bnode``, ``literal``), value, datatype, language."""
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Request:
    """A query for the worker: the store, the query, its bindings and bounds."""

    path: str
    sparql: str
    bindings: dict[str, Plain] = field(default_factory=dict)
    max_rows: int | None = None
    memory_mb: int | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """What a query gave, or why it gave nothing.

    ``error`` is ``None`` on success, else ``"syntax"``, ``"failed"`` or ``"memory"``
    with ``message``; ``kind`` is ``select``, ``ask`` or ``graph`` (rows are triples).
    """

    kind: str = "select"
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Plain | None, ...], ...] = ()
    boolean: bool | None = None
    truncated: bool = False
    error: str | None = None
    message: str = ""


def plain(term: object) -> Plain | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value, None, None)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value, None, None)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        return ("literal", term.value, None if datatype == XSD_STRING else datatype, term.language)
    if isinstance(term, ox.DefaultGraph):
        return None
    raise TypeError(f"unexpected term from Oxigraph: {term!r}")


def term(value: Plain) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    kind, text, datatype, language = value
    if kind == "uri":
        return ox.NamedNode(text)
    if kind == "bnode":
        return ox.BlankNode(text)
    if language:
        return ox.Literal(text, language=language)
    return ox.Literal(text, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(text)


def evaluate(
    store: ox.Store, sparql: str, *, bindings: dict[str, Plain] | None = None, max_rows: int | None = None
) -> Reply:
    """Run ``sparql`` over the union of the store's graphs; with ``max_rows``, read at most
    that many rows (or triples) and mark the reply truncated if more matched."""
    try:
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): term(v) for k, v in (bindings or {}).items()
        }
        result = store.query(sparql, use_default_graph_as_union=True, substitutions=substitutions)
        if isinstance(result, ox.QueryBoolean):
            return Reply("ask", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            names = tuple(v.value for v in result.variables)
            rows = _take(result, max_rows)  # values in the order of the variables
            return Reply(
                "select",
                names,
                tuple(tuple(plain(t) for t in row) for row in rows[:max_rows]),
                truncated=max_rows is not None and len(rows) > max_rows,
            )
        found = _take(result, max_rows)
        triples = tuple((plain(t.subject), plain(t.predicate), plain(t.object)) for t in found[:max_rows])
        return Reply("graph", rows=triples, truncated=max_rows is not None and len(found) > max_rows)
    except SyntaxError as exc:
        return Reply(error="syntax", message=str(exc))
    except MemoryError:
        return Reply(error="memory")
    except (OSError, ValueError, TypeError, RuntimeError) as exc:  # evaluation is lazy: errors come here too
        return Reply(error="failed", message=str(exc))


def _take(results: Iterable[T], limit: int | None) -> list[T]:
    """At most ``limit + 1`` items (one more tells that there were more); all without a limit."""
    return list(results if limit is None else itertools.islice(results, limit + 1))


def cap_memory(megabytes: int) -> None:
    """Let this process grow by at most ``megabytes`` of address space from now on."""
    import resource

    with open("/proc/self/statm", encoding="ascii") as statm:
        virtual = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = virtual + megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def quiet() -> None:
    """Native code that runs out of memory writes to stderr before it aborts, and so does a
    fault handler: the parent says what happened, in one line."""
    import faulthandler

    faulthandler.disable()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def send(fd: int, reply: Reply) -> int:
    """Write ``reply`` to ``fd`` (as a tuple of its fields: unpickling a class would import
    its module, and with it `kg`); the exit status the process should end with."""
    try:
        data = pickle.dumps(tuple(getattr(reply, f.name) for f in fields(Reply)), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
    except MemoryError:
        return 3
    except OSError:
        return 1
    return 0


def receive(data: bytes) -> Reply:
    """The `Reply` that `send` wrote."""
    return Reply(*pickle.loads(data))


def request_bytes(request: Request) -> bytes:
    return pickle.dumps({f.name: getattr(request, f.name) for f in fields(Request)})


OPEN_ATTEMPTS = 5
"""A read-only open that meets the writer rewriting its manifest sees a "corrupted" file
(seen under load in the tests); reading it again a moment later works."""


def _open(path: str) -> ox.Store | str:
    """The store at ``path``, read-only, or why it cannot be opened."""
    for attempt in range(OPEN_ATTEMPTS):
        try:
            return ox.Store.read_only(path)
        except BaseException as exc:  # pyo3 turns a Rust panic into a BaseException
            if attempt == OPEN_ATTEMPTS - 1:
                return f"{type(exc).__name__}: {exc}"
            time.sleep(0.05 * (attempt + 1))  # the writer was rewriting its manifest: read it again
    raise AssertionError("unreachable")


def _worker() -> int:  # pragma: no cover - runs as its own process
    quiet()
    out = sys.stdout.fileno()
    request = Request(**pickle.load(sys.stdin.buffer))
    store = _open(request.path)
    if isinstance(store, str):
        return send(out, Reply(error="failed", message=f"cannot open the store: {store}"))
    if request.memory_mb is not None:
        cap_memory(request.memory_mb)
    try:
        reply = evaluate(store, request.sparql, bindings=request.bindings, max_rows=request.max_rows)
    except BaseException as exc:
        reply = Reply(error="failed", message=f"{type(exc).__name__}: {exc}")
    return send(out, reply)


def write_frame(stream: IO[bytes], data: bytes) -> None:
    """One length-prefixed message (the loop worker's protocol)."""
    stream.write(len(data).to_bytes(8, "big") + data)
    stream.flush()


def _loop(path: str) -> int:  # pragma: no cover - runs as its own process
    """A long-lived worker (`kg.query.pool`): the store opened once, then one length-prefixed
    pickled ``{"request": Request fields, "allow_service": ...}`` after another on stdin,
    each checked (`kg.query.check.check_query`: a refusal is ``Reply(error="refused")``)
    and answered by a pickled `Reply` on stdout, with the memory cap set afresh before
    each query. Checking here parses in this process, beside the other workers, rather
    than in the server's. It ends at the end of its input, or after a query ran out of
    memory (the pool starts another)."""
    quiet()
    from kg.errors import QueryError
    from kg.query.check import check_query

    source, sink = sys.stdin.buffer, sys.stdout.buffer
    store = _open(path)
    ready = Reply(error="failed", message=f"cannot open the store: {store}") if isinstance(store, str) else Reply()
    write_frame(sink, pickle.dumps(tuple(getattr(ready, f.name) for f in fields(Reply))))
    if isinstance(store, str):
        return 1
    while True:
        header = source.read(8)
        if len(header) < 8:
            return 0
        message = pickle.loads(source.read(int.from_bytes(header, "big")))
        request = Request(**message["request"])
        try:
            check_query(request.sparql, allow_service=message["allow_service"])
        except QueryError as exc:
            write_frame(sink, pickle.dumps(tuple(getattr(Reply(error="refused", message=str(exc)), f.name)
                                                 for f in fields(Reply))))  # fmt: skip
            continue
        if request.memory_mb is not None:
            cap_memory(request.memory_mb)
        try:
            reply = evaluate(store, request.sparql, bindings=request.bindings, max_rows=request.max_rows)
        except BaseException as exc:
            reply = Reply(error="failed", message=f"{type(exc).__name__}: {exc}")
        try:
            write_frame(sink, pickle.dumps(tuple(getattr(reply, f.name) for f in fields(Reply))))
        except MemoryError:
            return 3
        if reply.error == "memory":
            return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(_loop(sys.argv[2]) if sys.argv[1:2] == ["--loop"] else _worker())
