"""`kg serve`: the SPARQL 1.1 Protocol over a store, with kg's checks and limits.

Starlette routes the requests and uvicorn serves them. Each query gets the check and the
limits of `kg query`: refused on its parse when it is an update or calls a federated
``SERVICE`` (unless allowed), and run within the query timeout, row cap and memory cap
of `Settings`, by long-lived worker processes that hold the store open (`kg.query.pool`;
``workers=0`` takes `kg.query.sparql.run`'s process per query instead). Results are written in the format the
client asks for (``Accept``, or a ``format``/``output`` parameter): SPARQL JSON, XML,
CSV or TSV for SELECT and ASK; Turtle, N-Triples, JSON-LD or RDF/XML for CONSTRUCT and
DESCRIBE. The store is opened where it is, read-only unless updates are allowed.

Oxigraph's own server (``oxigraph serve-read-only``) was tried first: it has a timeout,
but no row cap and no memory cap, and it sends ``SERVICE`` calls out (a request reached
a listener on 127.0.0.1), so it cannot keep kg's promises.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from kg.errors import KGError, QueryError, QueryLimitError, StoreError
from kg.query.check import AllowService, check_update
from kg.query.pool import WorkerPool
from kg.query.results import GRAPH_FORMATS, SOLUTION_FORMATS, serialize_graph, serialize_solutions
from kg.query.sparql import QueryLimits, run
from kg.rdf.namespaces import prefixes
from kg.settings import Settings
from kg.store import QueryResult, Store

__all__ = ["MAX_REQUEST_BYTES", "ServerOptions", "bind", "close_app", "make_app", "negotiate", "serve"]

logger = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 1_000_000
"""Largest query or update text accepted (413 beyond)."""
ALIASES = {
    "application/json": "json",
    "application/sparql-results+json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "jsonld",
    "application/x-json+ld": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/turtle": "ttl",
    "text/n3": "ttl",  # Turtle is N3
    "text/rdf+n3": "ttl",
    "application/n3": "ttl",
}
"""Media types (and ``format=`` names, below) → kg's format names."""
SHORT_NAMES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "ttl", "ttl": "ttl", "n3": "ttl",
               "ntriples": "nt", "nt": "nt", "json-ld": "jsonld", "jsonld": "jsonld", "rdfxml": "rdfxml",
               "rdf": "rdfxml"}  # fmt: skip
DEFAULT_SOLUTIONS = "json"
DEFAULT_GRAPH = "ttl"


@dataclass(frozen=True, slots=True)
class ServerOptions:
    """How the endpoint behaves.

    Attributes:
        settings: the query limits (``query_timeout``, ``query_max_rows``,
            ``query_memory_mb``) and the base IRI.
        allow_update: accept SPARQL updates (the store must be open for writing). They
            change the store directly: kg's entity layer does not follow them.
        allow_service: allow federated ``SERVICE`` calls (all, or to these endpoints).
        cors: answer browsers from other origins.
        workers: long-lived query workers (`kg.query.pool`) for a store on disk that is
            read-only; 0 starts a process per query, as `kg query` does.
    """

    settings: Settings
    allow_update: bool = False
    allow_service: AllowService = False
    cors: bool = False
    workers: int = 2


def _accepted(header: str) -> list[tuple[float, int, str]]:
    out = []
    for i, part in enumerate(header.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            out.append((quality, -i, media.lower()))
    return sorted(out, reverse=True)


def negotiate(accept: str | None, kind: str, explicit: Sequence[str] = ()) -> str | None:
    """The format to answer with for a result of ``kind`` (``select``, ``ask``,
    ``graph``): the first usable ``format``/``output`` parameter (a name such as ``json``
    or a media type; clients such as SPARQLWrapper send several), else the best
    ``Accept`` entry this kind can be written as; ``None`` when nothing acceptable can be
    (406)."""
    usable = GRAPH_FORMATS if kind == "graph" else SOLUTION_FORMATS
    default = DEFAULT_GRAPH if kind == "graph" else DEFAULT_SOLUTIONS
    for value in explicit:
        for part in value.split(","):
            given = part.split(";")[0].strip().lower()
            name = SHORT_NAMES.get(given) or ALIASES.get(given)
            if name in usable:
                return name
    if not accept:
        return default
    for quality, _, media in _accepted(accept):
        if quality <= 0:
            continue
        if media in ("*/*", "application/*", "text/*"):
            return default
        name = ALIASES.get(media)
        if name in usable:
            return name
    return None


def _media(fmt: str) -> str:
    return GRAPH_FORMATS[fmt][0] if fmt in GRAPH_FORMATS else SOLUTION_FORMATS[fmt]


def _problem(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status)


class Endpoint:
    """The request handlers over one store."""

    def __init__(self, store: Store, options: ServerOptions) -> None:
        self.store = store
        self.options = options
        self.prefixes = prefixes(options.settings.base_iri)
        self.limits = QueryLimits.from_settings(options.settings)
        self.pool: WorkerPool | None = None
        path = getattr(store, "path", None)
        if options.workers > 0 and path is not None and not options.allow_update:
            self.pool = WorkerPool(str(path), options.workers)
        self.page = resources.files("kg.query").joinpath("page.html").read_text(encoding="utf-8")

    async def _form(self, request: Request) -> dict[str, list[str]]:
        body = await request.body()
        if len(body) > MAX_REQUEST_BYTES:
            raise _TooLargeError
        return parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)

    async def sparql(self, request: Request) -> Response:
        """``/sparql``: a query by GET (``?query=``) or POST (form or
        ``application/sparql-query``); an update by POST (form ``update=`` or
        ``application/sparql-update``)."""
        params: dict[str, list[str]] = {k: request.query_params.getlist(k) for k in request.query_params}
        query = update = None
        try:
            if request.method == "POST":
                kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
                if kind == "application/x-www-form-urlencoded":
                    form = await self._form(request)
                    params = {**params, **form}
                elif kind == "application/sparql-query":
                    query = await self._text(request)
                elif kind == "application/sparql-update":
                    update = await self._text(request)
                else:
                    return _problem(415, f"unsupported content type {kind or '(none)'!r}: send a form, "
                                         "application/sparql-query or application/sparql-update")  # fmt: skip
        except _TooLargeError:
            return _problem(413, f"request over {MAX_REQUEST_BYTES:,} bytes")
        except UnicodeDecodeError:
            return _problem(400, "the request body is not UTF-8")
        query = query if query is not None else _one(params, "query")
        update = update if update is not None else _one(params, "update")
        if params.get("default-graph-uri") or params.get("named-graph-uri") or params.get("using-graph-uri"):
            return _problem(400, "default-graph-uri and named-graph-uri are not supported: use FROM or GRAPH")
        if update is not None:
            return await self._update(update, request.method)
        if query is None:
            if request.method == "GET" and "text/html" in request.headers.get("accept", ""):
                return self.query_page(request)
            return _problem(400, "no query: give ?query=... (or POST one)")
        if len(query.encode("utf-8")) > MAX_REQUEST_BYTES:
            return _problem(413, f"query over {MAX_REQUEST_BYTES:,} bytes")
        return await self._query(query, request, [*params.get("format", []), *params.get("output", [])])

    async def _text(self, request: Request) -> str:
        body = await request.body()
        if len(body) > MAX_REQUEST_BYTES:
            raise _TooLargeError
        return body.decode("utf-8")

    async def _query(self, query: str, request: Request, explicit: Sequence[str]) -> Response:
        try:
            result = await run_in_threadpool(self._evaluate, query)
        except QueryLimitError as exc:
            return _problem(503, str(exc))
        except QueryError as exc:
            return _problem(400, str(exc))
        except StoreError as exc:
            logger.error("%s", exc)
            return _problem(500, str(exc))
        fmt = negotiate(request.headers.get("accept"), result.kind, explicit)
        if fmt is None:
            usable = GRAPH_FORMATS if result.kind == "graph" else SOLUTION_FORMATS
            names = ", ".join(_media(f) for f in usable)
            return _problem(406, f"cannot write this {result.kind} result as asked; available: {names}")
        body = await run_in_threadpool(self._serialize, result, fmt)
        headers = {"Vary": "Accept"}
        if result.truncated:
            headers["X-KG-Truncated"] = "true"
        media = _media(fmt) + ("; charset=utf-8" if fmt in ("csv", "tsv", "ttl", "nt") else "")
        return Response(body, media_type=media, headers=headers)

    def _evaluate(self, query: str) -> QueryResult:
        if self.pool is None:
            return run(self.store, query, allow_service=self.options.allow_service, limits=self.limits)
        return self.pool.query(query, self.limits, allow_service=self.options.allow_service)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()

    def _serialize(self, result: QueryResult, fmt: str) -> bytes:
        if result.kind == "graph":
            return serialize_graph(result.triples, fmt, prefixes=self.prefixes)
        return serialize_solutions(result, fmt)

    async def _update(self, update: str, method: str) -> Response:
        if method != "POST":
            return _problem(405, "updates are sent by POST")
        if not self.options.allow_update:
            return _problem(403, "this endpoint is read-only (start it with --allow-update to accept updates)")
        if len(update.encode("utf-8")) > MAX_REQUEST_BYTES:
            return _problem(413, f"update over {MAX_REQUEST_BYTES:,} bytes")
        try:
            check_update(update, allow_service=self.options.allow_service)
            await run_in_threadpool(self.store.update, update)  # type: ignore[attr-defined]
        except (QueryError, StoreError) as exc:
            return _problem(400, str(exc))
        return Response(status_code=204)

    def query_page(self, request: Request) -> HTMLResponse:
        """The small query form of the package (no script or style from elsewhere)."""
        return HTMLResponse(
            self.page,
            headers={
                "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; "
                "style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'",
                "X-Content-Type-Options": "nosniff",
            },
        )


class _TooLargeError(Exception):
    pass


def _one(params: Mapping[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    return values[-1] if values else None


def make_app(store: Store, options: ServerOptions) -> Starlette:
    """The ASGI application over ``store`` (`close_app` stops its workers)."""
    endpoint = Endpoint(store, options)
    middleware = []
    if options.cors:
        middleware.append(
            Middleware(
                CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"], allow_headers=["Content-Type"]
            )
        )
    routes = [
        Route("/", endpoint.query_page, methods=["GET"]),
        Route("/sparql", endpoint.sparql, methods=["GET", "POST"]),
        Route("/query", endpoint.sparql, methods=["GET", "POST"]),
        Route("/update", endpoint.sparql, methods=["POST"]),
    ]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.endpoint = endpoint
    return app


def close_app(app: Starlette) -> None:
    """Stop the query workers of an app from `make_app`."""
    app.state.endpoint.close()


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (``port`` 0: any free port; `socket.getsockname` says which)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise KGError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(app: Starlette, sock: socket.socket) -> None:
    """Serve ``app`` on ``sock`` until interrupted."""
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=5)
    uvicorn.Server(config).run(sockets=[sock])
