"""Graph stores: `open_store(spec)` → in-memory rdflib or Oxigraph on disk.

Each article's triples live in one named graph (the article IRI); writing an article
replaces that graph as one transaction, so re-ingesting changes nothing and a failed
write leaves the store as it was. Queries see the union of all graphs as the default
graph. A remote SPARQL endpoint store belongs here too, behind the same `Store` surface.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node as RDFNode

from kg.errors import QueryError, StoreError

__all__ = ["MemoryStore", "OxigraphStore", "QueryResult", "Store", "open_store"]

logger = logging.getLogger(__name__)

Triple = tuple[RDFNode, RDFNode, RDFNode]
STAGING = "urn:kg:staging:"
FLUSH_EVERY = 50
"""Articles between flushes of Oxigraph's write buffers (without them memory grows with the build)."""
_SAFE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True, slots=True)
class QueryResult:
    """A SPARQL result: rows for SELECT, a boolean for ASK, triples for CONSTRUCT/DESCRIBE."""

    kind: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[RDFNode | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[Triple, ...] = field(default=())

    def __iter__(self) -> Iterator[dict[str, RDFNode | None]]:
        for row in self.rows:
            yield dict(zip(self.variables, row, strict=True))

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples)


class Store(Protocol):
    """What every store offers the rest of `kg`."""

    location: str

    def replace_graph(self, graph: URIRef, triples: Sequence[Triple]) -> None: ...
    def query(self, sparql: str, *, bindings: Mapping[str, RDFNode] | None = None) -> QueryResult: ...
    def graphs(self) -> list[URIRef]: ...
    def triples(self) -> Iterator[Triple]: ...
    def dataset(self) -> Dataset: ...
    def quad_count(self) -> int: ...
    def serialize(self, destination: IO[bytes], fmt: str) -> None: ...
    def close(self) -> None: ...


FORMATS = {
    "ttl": ("turtle", None),
    "trig": ("trig", ox.RdfFormat.TRIG),
    "nq": ("nquads", ox.RdfFormat.N_QUADS),
    "jsonld": ("json-ld", None),
}
"""Output format → (rdflib serializer, pyoxigraph format when it can write it directly)."""


# ---------------------------------------------------------------------------- terms


def _to_ox(term: RDFNode) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise StoreError(f"cannot store term {term!r}")


def _from_ox(term: object) -> RDFNode | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.DefaultGraph):
        return None
    raise StoreError(f"unexpected term from Oxigraph: {term!r}")


def _graph_name(graph: URIRef) -> str:
    if not _SAFE_IRI.match(str(graph)):
        raise StoreError(f"not a graph IRI kg would mint: {graph!r}")
    return str(graph)


# ---------------------------------------------------------------------------- oxigraph


class OxigraphStore:
    """Oxigraph on disk (or in memory with ``path=None``), through pyoxigraph."""

    def __init__(self, path: Path | None, *, read_only: bool = False) -> None:
        self.location = str(path) if path else "memory (oxigraph)"
        self.read_only = read_only
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                if not path.exists():
                    raise StoreError(f"{path}: no store here (build one with `kg build ... --store {path}`)")
                self._store = ox.Store.read_only(str(path))
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as exc:
            raise StoreError(f"{path}: cannot open the store: {exc}") from exc
        self._writes = 0
        if not read_only:
            self._drop_staging()

    def _drop_staging(self) -> None:
        for graph in list(self._store.named_graphs()):
            if isinstance(graph, ox.NamedNode) and graph.value.startswith(STAGING):
                logger.warning("%s: removing an interrupted write (%s)", self.location, graph.value)
                self._store.remove_graph(graph)

    def replace_graph(self, graph: URIRef, triples: Sequence[Triple]) -> None:
        """Replace the named graph ``graph`` by ``triples``, all or nothing.

        The triples go into a staging graph in one transaction, then one SPARQL
        ``MOVE`` (itself a transaction) swaps it in; a crash in between leaves only the
        staging graph, which the next writer removes.
        """
        if self.read_only:
            raise StoreError(f"{self.location}: store is open read-only")
        target = ox.NamedNode(_graph_name(graph))
        self._writes += 1
        if self._writes % FLUSH_EVERY == 0:
            self._store.flush()  # write buffers to disk: memory stays flat over long builds
        if not self._store.contains_named_graph(target):
            # nothing to replace: one transactional insert is all or nothing already
            try:
                self._store.extend([ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), target) for s, p, o in triples])  # type: ignore[arg-type]
            except (OSError, ValueError) as exc:
                raise StoreError(f"{self.location}: writing {graph} failed: {exc}") from exc
            return
        staging = ox.NamedNode(f"{STAGING}{uuid.uuid4().hex}")
        try:
            quads = [ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), staging) for s, p, o in triples]  # type: ignore[arg-type]
            self._store.extend(quads)
            # Both names are IRIs kg minted (validated above): no text from articles here.
            self._store.update(f"MOVE SILENT GRAPH {staging} TO {target}")
        except (OSError, ValueError, SyntaxError) as exc:
            self._store.remove_graph(staging)
            raise StoreError(f"{self.location}: writing {graph} failed: {exc}") from exc
        except BaseException:
            self._store.remove_graph(staging)
            raise

    def query(self, sparql: str, *, bindings: Mapping[str, RDFNode] | None = None) -> QueryResult:
        try:
            result = self._store.query(
                sparql,
                use_default_graph_as_union=True,
                substitutions={ox.Variable(k): _to_ox(v) for k, v in (bindings or {}).items()},
            )
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}") from exc
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = tuple(v.value for v in result.variables)
            rows = tuple(tuple(_from_ox(solution[v]) for v in variables) for solution in result)
            return QueryResult("select", variables=variables, rows=rows)
        triples = tuple((_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)) for t in result)
        return QueryResult("graph", triples=triples)  # type: ignore[arg-type]

    def graphs(self) -> list[URIRef]:
        return [URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)]

    def triples(self) -> Iterator[Triple]:
        """Every triple of every graph, as rdflib terms (plain literals stay plain)."""
        for quad in self._store.quads_for_pattern(None, None, None, None):
            yield _from_ox(quad.subject), _from_ox(quad.predicate), _from_ox(quad.object)  # type: ignore[misc]

    def dataset(self) -> Dataset:
        from oxrdflib import OxigraphStore as RdflibOxigraph

        return Dataset(store=RdflibOxigraph(store=self._store), default_union=True)

    def quad_count(self) -> int:
        return len(self._store)

    def serialize(self, destination: IO[bytes], fmt: str) -> None:
        _, native = FORMATS[fmt]
        if native is None:
            _serialize_rdflib(self.dataset(), destination, fmt)
            return
        self._store.dump(destination, native, prefixes=_prefixes() if native == ox.RdfFormat.TRIG else None)

    def flush(self) -> None:
        if not self.read_only:
            self._store.flush()

    def close(self) -> None:
        self.flush()
        del self._store


# ---------------------------------------------------------------------------- rdflib memory


class MemoryStore:
    """An in-memory rdflib `Dataset`: for one-off runs and small graphs."""

    def __init__(self) -> None:
        self.location = "memory"
        self._dataset = Dataset(default_union=True)
        from kg.rdf.namespaces import prefixes

        for prefix, namespace in prefixes("https://kg.example.org/").items():
            self._dataset.bind(prefix, namespace)

    def replace_graph(self, graph: URIRef, triples: Sequence[Triple]) -> None:
        fresh = Graph(identifier=_graph_name(graph))
        try:
            for triple in triples:
                fresh.add(triple)
        except (AssertionError, TypeError, ValueError) as exc:  # rdflib asserts on bad terms
            raise StoreError(f"{self.location}: writing {graph} failed: {exc}") from exc
        self._dataset.remove_graph(graph)
        target = self._dataset.graph(graph)
        target += fresh

    def query(self, sparql: str, *, bindings: Mapping[str, RDFNode] | None = None) -> QueryResult:
        from pyparsing import ParseException

        try:
            result = self._dataset.query(sparql, initBindings=dict(bindings or {}))  # type: ignore[arg-type]
            if result.type == "ASK":
                return QueryResult("ask", boolean=bool(result.askAnswer))
            if result.type == "SELECT":
                variables = tuple(str(v) for v in result.vars or ())
                rows = tuple(tuple(row.asdict().get(v) for v in variables) for row in result)  # type: ignore[union-attr]
                return QueryResult("select", variables=variables, rows=rows)
            return QueryResult("graph", triples=tuple(result.graph or ()))
        except ParseException as exc:
            raise QueryError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}") from exc
        except Exception as exc:  # rdflib raises bare Exceptions, lazily, for unsupported features
            raise QueryError(f"query failed: {exc}") from exc

    def graphs(self) -> list[URIRef]:
        return [g.identifier for g in self._dataset.graphs() if isinstance(g.identifier, URIRef) and len(g)]

    def dataset(self) -> Dataset:
        return self._dataset

    def triples(self) -> Iterator[Triple]:
        for graph in self._dataset.graphs():
            yield from graph

    def quad_count(self) -> int:
        return sum(len(g) for g in self._dataset.graphs())

    def serialize(self, destination: IO[bytes], fmt: str) -> None:
        _serialize_rdflib(self._dataset, destination, fmt)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None


def _prefixes() -> dict[str, str]:
    from kg.rdf.namespaces import prefixes

    return prefixes("https://kg.example.org/")


def _serialize_rdflib(dataset: Dataset, destination: IO[bytes], fmt: str) -> None:
    name, _ = FORMATS[fmt]
    if fmt == "ttl":
        union = Graph()
        for prefix, namespace in _prefixes().items():
            union.bind(prefix, namespace)
        for graph in dataset.graphs():
            union += graph
        union.serialize(destination, format=name)
        return
    dataset.serialize(destination, format=name)


def open_store(spec: str | Path | None = None, *, read_only: bool = False) -> Store:
    """Open a store by spec.

    Args:
        spec: ``None`` or ``"memory"`` for an in-memory rdflib dataset; a directory path
            for Oxigraph on disk (created if missing). ``http(s)://`` endpoints are not
            supported yet and are refused with a clear error.
        read_only: open an existing on-disk store for reading only (several readers may
            share a store; one writer at a time).
    """
    if spec is None or str(spec) == "memory":
        return MemoryStore()
    text = str(spec)
    if text.startswith(("http://", "https://")):
        raise StoreError(f"{text}: remote SPARQL endpoint stores are not supported yet")
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: a store is a directory, and this is a file")
    return OxigraphStore(path, read_only=read_only)
