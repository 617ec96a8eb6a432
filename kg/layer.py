"""The entity layer's bookkeeping: what all articles together say of each entity.

The entity graph (``<base>graph/entities``) is a function of the article graphs: each
entity's description comes from the references articles make to it, and the facts
between entities are those at least one primary fact node states. Recomputing an entity
from the store on every write would read all the articles that mention it (the United
Kingdom is in half of a British corpus), so `EntityLayer` keeps the counts behind it:
references per name, type and alias, fact nodes per triple, and linked references per
name. The counts are read from the store the first time an entity is touched and kept
up to date with each change, in a bounded cache: an entity evicted is read again.
"""

from __future__ import annotations

import logging
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from rdflib import URIRef
from rdflib.term import Node as RDFNode

from kg.errors import StoreError
from kg.rdf.entities import Reference, Tally, describe
from kg.rdf.namespaces import Minter
from kg.store import Quad, Store

__all__ = ["CACHE_SIZE", "Contribution", "EntityLayer", "Plan", "in_values"]

logger = logging.getLogger(__name__)

Triple = tuple[RDFNode, RDFNode, RDFNode]
K = TypeVar("K")
V = TypeVar("V")

CACHE_SIZE = 200_000
"""Entities (and names) whose counts are kept in memory."""
CHUNK = 400
"""IRIs per VALUES block."""

PREFIXES = """PREFIX kg: <https://kg.example.org/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
TALLY = (
    PREFIXES
    + """SELECT ?e ?what ?value (COUNT(DISTINCT ?r) AS ?n) WHERE {
  VALUES ?e { %s }
  GRAPH ?g {
    ?r kg:refersTo ?e .
    { ?r kg:name ?value BIND("name" AS ?what) } UNION { ?r kg:entityType ?value BIND("type" AS ?what) }
    UNION { ?r kg:alias ?value BIND("alias" AS ?what) }
  }
} GROUP BY ?e ?what ?value"""
)
SUPPORT = (
    PREFIXES
    + """SELECT ?s ?p ?o (COUNT(DISTINCT ?f) AS ?n) WHERE {
  VALUES ?s { %s }
  GRAPH ?g { ?f rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:primary true }
} GROUP BY ?s ?p ?o"""
)
LINKED = (
    PREFIXES
    + """SELECT ?n ?e (COUNT(DISTINCT ?r) AS ?k) WHERE {
  VALUES ?n { %s }
  GRAPH ?g { ?r kg:nameNode ?n ; kg:linkedTo ?q ; kg:refersTo ?e }
} GROUP BY ?n ?e"""
)
DESCRIBED = "SELECT ?layer ?s ?p ?o WHERE { VALUES ?s { %s } GRAPH ?layer { ?s ?p ?o } }"
ALL_ENTITIES = (
    PREFIXES
    + """SELECT DISTINCT ?layer ?e WHERE {
  { GRAPH ?g { ?r kg:refersTo ?e } } UNION { GRAPH ?layer { ?e ?p ?o } }
}"""
)


def in_values(terms: Iterable[RDFNode], *, separator: str = " ") -> str:
    """IRIs for a ``VALUES`` block or an ``IN`` list.

    Only IRIs go here, and only those kg minted or read from its own store (entity,
    article and Wikidata IRIs), each checked by rdflib's N-Triples serialisation, which
    refuses characters an IRI cannot hold: no text of an article is ever formatted into
    a query. (pyoxigraph substitutes one value per variable; a set of IRIs has no other
    way into one query.)
    """
    out = []
    for term in terms:
        if not isinstance(term, URIRef):
            raise StoreError(f"not an IRI: {term!r}")
        out.append(term.n3())
    return separator.join(out)


def chunks(terms: Iterable[RDFNode]) -> Iterable[list[RDFNode]]:
    items = sorted(set(terms), key=str)
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


class _Lru(Generic[K, V]):
    """A bounded mapping that forgets what was used least recently."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self.items.get(key)
        if value is not None:
            self.items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self.items[key] = value
        self.items.move_to_end(key)
        while len(self.items) > self.size:
            self.items.popitem(last=False)


@dataclass
class Contribution:
    """What some article graphs say: their references and their primary facts between
    entities (one triple per fact node)."""

    refs: list[Reference] = field(default_factory=list)
    facts: list[Triple] = field(default_factory=list)


@dataclass
class Plan:
    """The entity graph's part of a change, and how the counts move once it is applied."""

    delete: list[Quad]
    insert: list[Quad]
    commit: Callable[[], None]


class EntityLayer:
    """The counts behind the entity graph, read lazily and kept in step with each change.

    Args:
        store: the store; only this object's writes may change it while it is in use
            (Oxigraph allows one writer per store directory).
        minter: the build's IRIs.
        size: how many entities and names to keep counts for.
    """

    def __init__(self, store: Store, minter: Minter, *, size: int = CACHE_SIZE) -> None:
        self.store = store
        self.minter = minter
        self.graph = minter.entities_graph()
        self._tallies: _Lru[RDFNode, Tally] = _Lru(size)
        self._support: _Lru[RDFNode, Counter[tuple[RDFNode, RDFNode]]] = _Lru(size)
        self._linked: _Lru[RDFNode, Counter[RDFNode]] = _Lru(size)
        self._described: _Lru[RDFNode, frozenset[Triple]] = _Lru(size)

    # ------------------------------------------------------------------ reading

    def _rows(self, template: str, terms: Iterable[RDFNode], **bindings: RDFNode) -> Iterable[Mapping]:
        for chunk in chunks(terms):
            yield from self.store.query(template % in_values(chunk), bindings=bindings or None)

    def _load(self, cache: _Lru[RDFNode, V], keys: Iterable[RDFNode], read: Callable[[list[RDFNode]], dict]) -> dict:
        out: dict[RDFNode, V] = {}
        missing = []
        for key in set(keys):
            value = cache.get(key)
            if value is None:
                missing.append(key)
            else:
                out[key] = value
        if missing:
            found = read(missing)
            for key in missing:
                out[key] = found[key]
                cache.put(key, found[key])
        return out

    def linked(self, names: Iterable[RDFNode]) -> dict[RDFNode, Counter[RDFNode]]:
        """Name node → entity → how many references link that name to it."""

        def read(keys: list[RDFNode]) -> dict[RDFNode, Counter[RDFNode]]:
            found: dict[RDFNode, Counter[RDFNode]] = {k: Counter() for k in keys}
            for row in self._rows(LINKED, keys):
                found[row["n"]][row["e"]] = int(str(row["k"]))
            return found

        return self._load(self._linked, names, read)

    def _tally(self, entities: Iterable[RDFNode]) -> dict[RDFNode, Tally]:
        def read(keys: list[RDFNode]) -> dict[RDFNode, Tally]:
            found = {k: Tally() for k in keys}
            for row in self._rows(TALLY, keys):
                tally, what, value = found[row["e"]], str(row["what"]), str(row["value"])
                counter = {"name": tally.names, "type": tally.types, "alias": tally.aliases}[what]
                counter[value.rsplit("#", 1)[-1] if what == "type" else value] += int(str(row["n"]))
            return found

        return self._load(self._tallies, entities, read)

    def _supports(self, entities: Iterable[RDFNode]) -> dict[RDFNode, Counter[tuple[RDFNode, RDFNode]]]:
        def read(keys: list[RDFNode]) -> dict[RDFNode, Counter[tuple[RDFNode, RDFNode]]]:
            found: dict[RDFNode, Counter[tuple[RDFNode, RDFNode]]] = {k: Counter() for k in keys}
            for row in self._rows(SUPPORT, keys):
                if not self.minter.in_article(row["o"]):
                    found[row["s"]][(row["p"], row["o"])] += int(str(row["n"]))
            return found

        return self._load(self._support, entities, read)

    def _descriptions(self, entities: Iterable[RDFNode]) -> dict[RDFNode, frozenset[Triple]]:
        def read(keys: list[RDFNode]) -> dict[RDFNode, frozenset[Triple]]:
            found: dict[RDFNode, set[Triple]] = {k: set() for k in keys}
            for row in self._rows(DESCRIBED, keys, layer=self.graph):
                found[row["s"]].add((row["s"], row["p"], row["o"]))
            return {k: frozenset(v) for k, v in found.items()}

        return self._load(self._described, entities, read)

    def audit(self) -> list[str]:
        """Differences between the entity graph and what the articles say (none, when
        every write went through `plan`): read from the store afresh, not from the cache."""
        fresh = EntityLayer(self.store, self.minter, size=0)
        rows = self.store.query(ALL_ENTITIES, bindings={"layer": self.graph})
        entities = {row["e"] for row in rows if isinstance(row["e"], URIRef)}
        if not entities:
            return []
        tallies, supports = fresh._tally(entities), fresh._supports(entities)
        current = fresh._descriptions(entities)
        out = []
        for entity in sorted(entities, key=str):
            assert isinstance(entity, URIRef)
            want = set(describe(entity, tallies[entity]))
            want |= {(entity, p, o) for (p, o), n in supports[entity].items() if n > 0}
            for t in sorted(current[entity] - want, key=str):
                out.append(f"entity graph has {t[1].n3()} {t[2].n3()} for {entity}, which no article says")
            for t in sorted(want - current[entity], key=str):
                out.append(f"entity graph lacks {t[1].n3()} {t[2].n3()} for {entity}")
        return out

    # ------------------------------------------------------------------ changing

    def plan(self, before: Contribution, after: Contribution) -> Plan:
        """The entity graph's deletions and insertions when the articles that said
        ``before`` say ``after`` instead."""
        entities = {r.node for r in [*before.refs, *after.refs]} | {t[0] for t in [*before.facts, *after.facts]}
        names = {r.name_node for r in [*before.refs, *after.refs] if r.qid}
        tallies = {e: t.copy() for e, t in self._tally(entities).items()}
        supports = {e: Counter(c) for e, c in self._supports(entities).items()}
        linked = {n: Counter(c) for n, c in self.linked(names).items()}
        current = self._descriptions(entities)
        for sign, side in ((-1, before), (1, after)):
            for ref in side.refs:
                tallies[ref.node].add(ref, sign=sign)
                if ref.qid:
                    linked[ref.name_node][ref.node] += sign
            for s, p, o in side.facts:
                supports[s][(p, o)] += sign
        desired: dict[RDFNode, frozenset[Triple]] = {}
        for entity in entities:
            assert isinstance(entity, URIRef)
            triples = set(describe(entity, tallies[entity]))
            triples |= {(entity, p, o) for (p, o), n in supports[entity].items() if n > 0}
            desired[entity] = frozenset(triples)
        delete = [(*t, self.graph) for e in entities for t in current[e] - desired[e]]
        insert = [(*t, self.graph) for e in entities for t in desired[e] - current[e]]

        def commit() -> None:
            for e in entities:
                self._tallies.put(e, tallies[e])
                self._support.put(e, +supports[e])
                self._described.put(e, desired[e])
            for n in names:
                self._linked.put(n, +linked[n])

        return Plan(delete, insert, commit)
