"""Graph stores: `open_store(spec)` → Oxigraph in memory or on disk.

Each article's triples live in one named graph (the article IRI), and the entity layer
in one more (`kg.corpus`). Every change is a `ChangeSet` applied as one transaction, so
a failed or killed write leaves the store as it was. Queries see the union of all graphs
as the default graph. A remote SPARQL endpoint store belongs here too, behind the same
`Store` surface: a change set is one SPARQL 1.1 update.

Oxigraph in memory replaces rdflib's memory store for one-off builds: the entity layer
runs a few SPARQL reads per article, which rdflib answers 20-400 times slower
(TOOLCHAIN.md); the rdflib `Dataset` view stays available through oxrdflib.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node as RDFNode

from kg.errors import QueryError, StoreError
from kg.oxeval import XSD_STRING, Plain, Reply, evaluate, plain

__all__ = ["ChangeSet", "OxigraphStore", "Plain", "Quad", "QueryResult", "Store", "open_store"]

logger = logging.getLogger(__name__)

Triple = tuple[RDFNode, RDFNode, RDFNode]
Quad = tuple[RDFNode, RDFNode, RDFNode, URIRef]
FLUSH_SECONDS = 2.0
"""Oxigraph keeps writes in memory until a flush: flushing at least this often bounds the
memory of a long build and what a killed one loses (a flush costs 17-35 ms here)."""
COMPACT_AFTER = 500
"""Writes after which closing the store compacts it (Oxigraph's `optimize`): many small
transactions leave many small files behind, and queries on the BBC corpus ran 6-20 %
faster once compacted (2.3 s to compact 1.4 million quads)."""
_SAFE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True)
class QueryResult:
    """A SPARQL result: rows for SELECT, a boolean for ASK, triples for CONSTRUCT/DESCRIBE.

    ``raw`` holds the rows as `Plain` tuples, which is all an output format needs;
    ``rows`` gives them as rdflib terms, made on first use.
    """

    kind: str
    variables: tuple[str, ...] = ()
    raw: tuple[tuple[Plain | None, ...], ...] = field(default=(), repr=False)
    boolean: bool | None = None
    triples: tuple[Triple, ...] = field(default=())
    truncated: bool = False
    """The row cap cut the result: more rows (or triples) matched than it holds."""

    @property
    def rows(self) -> tuple[tuple[RDFNode | None, ...], ...]:
        cached = self.__dict__.get("_rows")
        if cached is None:
            cached = tuple(tuple(_from_plain(t) for t in row) for row in self.raw)
            object.__setattr__(self, "_rows", cached)
        return cached

    def plain(self) -> Iterator[tuple[Plain | None, ...]]:
        yield from self.raw

    def __iter__(self) -> Iterator[dict[str, RDFNode | None]]:
        for row in self.rows:
            yield dict(zip(self.variables, row, strict=True))

    def __len__(self) -> int:
        return len(self.raw) if self.kind == "select" else len(self.triples)


def result_of(reply: Reply) -> QueryResult:
    """The `QueryResult` of an evaluation (`kg.oxeval.evaluate`); its error as `QueryError`
    (`MemoryError` when it ran out of memory)."""
    if reply.error == "syntax":
        raise QueryError(f"SPARQL syntax error: {reply.message}")
    if reply.error == "memory":
        raise MemoryError
    if reply.error is not None:
        if "SELECT projection" in reply.message:
            raise QueryError(
                f"query failed: a bound variable must also be selected ({reply.message}): add it to the SELECT clause"
            )
        raise QueryError(f"query failed: {reply.message}")
    if reply.kind == "graph":
        triples = tuple(tuple(_from_plain(t) for t in row) for row in reply.rows)
        return QueryResult("graph", triples=triples, truncated=reply.truncated)  # type: ignore[arg-type]
    return QueryResult(reply.kind, reply.variables, reply.rows, reply.boolean, truncated=reply.truncated)


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Changes applied to a store as one transaction: the graphs in ``drop`` are emptied,
    then ``delete`` is removed, then ``insert`` added."""

    drop: tuple[URIRef, ...] = ()
    delete: tuple[Quad, ...] = ()
    insert: tuple[Quad, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.drop or self.delete or self.insert)


class Store(Protocol):
    """What every store offers the rest of `kg`."""

    location: str

    def apply(self, changes: ChangeSet) -> None: ...
    def replace_graph(self, graph: URIRef, triples: Sequence[Triple]) -> None: ...
    def query(
        self, sparql: str, *, bindings: Mapping[str, RDFNode] | None = None, max_rows: int | None = None
    ) -> QueryResult: ...
    def graphs(self) -> list[URIRef]: ...
    def triples(self) -> Iterator[Triple]: ...
    def dataset(self) -> Dataset: ...
    def quad_count(self) -> int: ...
    def serialize(self, destination: IO[bytes], fmt: str, *, prefixes: Mapping[str, str] | None = None) -> None: ...
    def flush(self) -> None: ...
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
        if datatype == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.DefaultGraph):
        return None
    raise StoreError(f"unexpected term from Oxigraph: {term!r}")


def _from_plain(term: Plain | None) -> RDFNode | None:
    if term is None:
        return None
    kind, value, datatype, language = term
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if language:
        return Literal(value, lang=language)
    return Literal(value, datatype=URIRef(datatype)) if datatype else Literal(value)


def plain_bindings(bindings: Mapping[str, RDFNode] | None) -> dict[str, Plain]:
    """Bound variables as `Plain` terms, checked by Oxigraph's term constructors."""
    out: dict[str, Plain] = {}
    for name, value in (bindings or {}).items():
        term = plain(_to_ox(value))
        if term is None:  # pragma: no cover - _to_ox never makes a default graph
            raise StoreError(f"cannot bind ?{name} to {value!r}")
        out[name] = term
    return out


def _graph_name(graph: URIRef) -> str:
    if not _SAFE_IRI.match(str(graph)):
        raise StoreError(f"not a graph IRI kg would mint: {graph!r}")
    return str(graph)


# ---------------------------------------------------------------------------- oxigraph


class OxigraphStore:
    """Oxigraph on disk, or in memory with ``path=None``, through pyoxigraph."""

    def __init__(self, path: Path | None, *, read_only: bool = False, flush_seconds: float = FLUSH_SECONDS) -> None:
        self.location = str(path) if path else "memory"
        self.flush_seconds = flush_seconds
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
        self._path = path
        self._flushed = time.monotonic()
        self._writes = 0

    @property
    def path(self) -> Path | None:
        """The store's directory; ``None`` in memory."""
        return self._path

    def apply(self, changes: ChangeSet) -> None:
        """Apply ``changes`` as one SPARQL update, which Oxigraph runs as one transaction:
        a failure or a kill at any point leaves the store as it was before.

        The update is written with Oxigraph's own term serialisation (N-Triples escaping
        that its parser reads back exactly), from terms that pass its IRI and literal
        checks: article text reaches the store as data, never as SPARQL syntax.
        """
        if self.read_only:
            raise StoreError(f"{self.location}: store is open read-only")
        if not changes:
            return
        try:
            if changes.drop or changes.delete:
                update = _update_text(changes)
            else:  # inserts alone: Oxigraph's `extend` is one transaction too, with no text to parse
                quads = _ox_quads(changes.insert)
        except (ValueError, TypeError, StoreError) as exc:
            raise StoreError(f"{self.location}: cannot write: {exc}") from exc
        try:
            if changes.drop or changes.delete:
                self._store.update(update)
            else:
                self._store.extend(quads)
        except (OSError, ValueError, SyntaxError) as exc:
            raise StoreError(f"{self.location}: writing failed: {exc}") from exc
        self._writes += 1
        if self._path is not None and time.monotonic() - self._flushed >= self.flush_seconds:
            self.flush()

    def replace_graph(self, graph: URIRef, triples: Sequence[Triple]) -> None:
        """Replace the named graph ``graph`` by ``triples``, all or nothing."""
        self.apply(ChangeSet(drop=(graph,), insert=tuple((s, p, o, graph) for s, p, o in triples)))

    def query(
        self, sparql: str, *, bindings: Mapping[str, RDFNode] | None = None, max_rows: int | None = None
    ) -> QueryResult:
        """Run a query over the union of all graphs; with ``max_rows``, read at most that
        many rows (or triples) and mark the result `QueryResult.truncated` if more matched."""
        return result_of(self.evaluate(sparql, bindings=plain_bindings(bindings), max_rows=max_rows))

    def evaluate(self, sparql: str, *, bindings: dict[str, Plain] | None = None, max_rows: int | None = None) -> Reply:
        """Oxigraph's answer as a `kg.oxeval.Reply`, for a caller that ships it elsewhere."""
        return evaluate(self._store, sparql, bindings=bindings, max_rows=max_rows)

    def update(self, sparql: str) -> None:
        """Run a SPARQL update as it is, as one transaction (`kg serve --allow-update`).
        kg's entity layer does not follow such changes; `apply` is how kg writes."""
        if self.read_only:
            raise StoreError(f"{self.location}: store is open read-only")
        try:
            self._store.update(sparql)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise StoreError(f"{self.location}: update failed: {exc}") from exc
        self._writes += 1
        self.flush()

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

    def serialize(self, destination: IO[bytes], fmt: str, *, prefixes: Mapping[str, str] | None = None) -> None:
        """Write every quad as ``fmt`` (`FORMATS`), with ``prefixes`` where the format has them."""
        _, native = FORMATS[fmt]
        if native is None:
            _serialize_rdflib(self.dataset(), destination, fmt, prefixes or {})
            return
        self._store.dump(destination, native, prefixes=dict(prefixes or {}) if native == ox.RdfFormat.TRIG else None)

    def flush(self) -> None:
        """Write Oxigraph's buffers to disk: what a kill after this cannot lose."""
        if not self.read_only and self._path is not None:
            self._store.flush()
        self._flushed = time.monotonic()

    def close(self) -> None:
        self.flush()
        if self._writes >= COMPACT_AFTER and self._path is not None and not self.read_only:
            logger.info("%s: compacting after %d writes", self.location, self._writes)
            self._store.optimize()
        del self._store


# ---------------------------------------------------------------------------- updates


def _nt(term: RDFNode) -> str:
    """A term as Oxigraph writes it in N-Triples (IRIs checked, literals escaped)."""
    return str(_to_ox(term))


OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def _term_cache() -> Callable[[RDFNode], OxTerm]:
    """A converter to Oxigraph terms (IRIs checked) that converts each distinct term once:
    terms repeat across a change set (predicates, sentences, articles). An IRI is its own
    key; a literal is keyed by its text, since rdflib's ``Literal("01", datatype=xsd:integer)``
    equals ``Literal("1", ...)``, which Oxigraph keeps apart. Blank nodes are refused: a
    store written by kg has none, so that every change can name what it removes."""
    iris: dict[str, ox.NamedNode] = {}
    others: dict[tuple[object, ...], OxTerm] = {}

    def term(t: RDFNode) -> OxTerm:
        if type(t) is URIRef:
            found_iri = iris.get(t)
            if found_iri is None:
                found_iri = iris[t] = ox.NamedNode(t)
            return found_iri
        key = (type(t), str(t), getattr(t, "datatype", None), getattr(t, "language", None))
        found = others.get(key)
        if found is None:
            if isinstance(t, BNode):
                raise ValueError("blank nodes cannot be written as data")
            found = others[key] = _to_ox(t)
        return found

    return term


def _ox_quads(quads: Sequence[Quad]) -> list[ox.Quad]:
    """Quads as Oxigraph terms, each distinct term converted once."""
    term = _term_cache()
    return [ox.Quad(term(s), term(p), term(o), term(g)) for s, p, o, g in quads]  # type: ignore[arg-type]


def _update_text(changes: ChangeSet) -> str:
    """One SPARQL update for a change set: drops, then ``DELETE DATA``, then ``INSERT DATA``."""
    parts = [f"DROP SILENT GRAPH <{_graph_name(g)}>" for g in changes.drop]
    term = _term_cache()

    for verb, quads in (("DELETE", changes.delete), ("INSERT", changes.insert)):
        by_graph: dict[URIRef, list[str]] = {}
        for s, p, o, g in quads:
            lines = by_graph.get(g)
            if lines is None:
                lines = by_graph[g] = []
            lines.append(f"{term(s)} {term(p)} {term(o)} .")
        if by_graph:
            body = "\n".join(
                f"GRAPH <{_graph_name(g)}> {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items()
            )
            parts.append(f"{verb} DATA {{\n{body}\n}}")
    return " ;\n".join(parts)


def _serialize_rdflib(dataset: Dataset, destination: IO[bytes], fmt: str, prefixes: Mapping[str, str]) -> None:
    name, _ = FORMATS[fmt]
    if fmt == "ttl":
        union = Graph()
        for prefix, namespace in prefixes.items():
            union.bind(prefix, namespace)
        for graph in dataset.graphs():
            union += graph
        union.serialize(destination, format=name)
        return
    dataset.serialize(destination, format=name)


def open_store(
    spec: str | Path | None = None, *, read_only: bool = False, flush_seconds: float = FLUSH_SECONDS
) -> Store:
    """Open a store by spec.

    Args:
        spec: ``None`` or ``"memory"`` for Oxigraph in memory; a directory path for
            Oxigraph on disk (created if missing). ``http(s)://`` endpoints are not
            supported yet and are refused with a clear error.
        read_only: open an existing on-disk store for reading only (several readers may
            share a store; one writer at a time).
        flush_seconds: how often writes reach the disk (`FLUSH_SECONDS`); 0 flushes
            after every article.
    """
    if spec is None or str(spec) == "memory":
        return OxigraphStore(None)
    text = str(spec)
    if text.startswith(("http://", "https://")):
        raise StoreError(f"{text}: remote SPARQL endpoint stores are not supported yet")
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: a store is a directory, and this is a file")
    return OxigraphStore(path, read_only=read_only, flush_seconds=flush_seconds)
