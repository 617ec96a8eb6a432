"""One graph across articles: articles named by their source, each entity once.

The store holds one named graph per article and one for the entity layer
(``<base>graph/entities``). Writing or removing an article is one `ChangeSet`, applied
as one transaction, that also keeps the entity layer right:

- **Identity.** A linked entity is one node (its QID IRI) in the whole store; a named,
  unlinked one is one node per type and normalised name. An unlinked name joins the
  entity that the rest of the store links that name to, when exactly one entity is
  linked under it (two people with one name and two QIDs stay apart, and so do the
  unlinked mentions of the name). When that changes (the first article linking the
  name arrives, a second QID appears, the linking article goes), the articles that use
  the name are rewritten to the new node: the state of the store never depends on the
  order articles came in. An article keeps its own name node when the entity is also
  linked in that very article under another name, or when two of its names would meet
  on one entity: that keeps every rewrite reversible.
- **Descriptions.** An entity's type, label and aliases are decided from all the
  references articles make to it (`kg.rdf.entities.describe`) and written once in the
  entity graph, with the facts between entities that at least one article asserts. An
  entity no article refers to any more disappears.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from rdflib import Literal, URIRef
from rdflib.term import Node as RDFNode

from kg.errors import StoreError
from kg.rdf.build import ArticleRDF
from kg.rdf.entities import Reference, Tally, assertions, describe
from kg.rdf.namespaces import KG, Minter
from kg.store import ChangeSet, Quad, Store

__all__ = ["LAYOUT", "Corpus", "Stored"]

logger = logging.getLogger(__name__)

Triple = tuple[RDFNode, RDFNode, RDFNode]

LAYOUT = 2
"""Version of the store layout; a store with articles and another version must be rebuilt."""

PREFIXES = """PREFIX kg: <https://kg.example.org/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
ARTICLES = (
    PREFIXES
    + """SELECT ?a ?origin ?digest WHERE {
  GRAPH ?a { ?a a kg:Article ; dcterms:identifier ?origin ; kg:textDigest ?digest }
}"""
)
OLD_ARTICLES = PREFIXES + "ASK { ?a a kg:Article FILTER NOT EXISTS { ?a kg:textDigest ?d } }"
LAYOUT_OF = PREFIXES + "SELECT ?v WHERE { GRAPH ?g { ?g kg:layout ?v } }"
REFERENCES = (
    PREFIXES
    + """SELECT ?g ?r ?node ?nameNode ?q ?name ?type WHERE {
  GRAPH ?g { ?r a kg:Reference ; kg:refersTo ?node ; kg:nameNode ?nameNode ; kg:name ?name ; kg:entityType ?type .
             OPTIONAL { ?r kg:linkedTo ?q } }
}"""
)
ALIASES = PREFIXES + "SELECT ?g ?r ?alias WHERE { GRAPH ?g { ?r a kg:Reference ; kg:alias ?alias } }"
LINKED_UNDER = (
    PREFIXES
    + """SELECT DISTINCT ?g ?n ?e WHERE {
  VALUES ?n { %s }
  GRAPH ?g { ?r kg:nameNode ?n ; kg:linkedTo ?q ; kg:refersTo ?e }
}"""
)
USING_NAMES = (
    PREFIXES
    + """SELECT DISTINCT ?g WHERE {
  VALUES ?n { %s }
  GRAPH ?g { ?r kg:nameNode ?n ; kg:refersTo ?e . FILTER NOT EXISTS { ?r kg:linkedTo ?q } }
}"""
)
TOUCHING = (
    PREFIXES
    + """SELECT ?g ?s ?p ?o WHERE {
  VALUES ?x { %s }
  GRAPH ?g { { ?x ?p ?o BIND(?x AS ?s) } UNION { ?s ?p ?x BIND(?x AS ?o) } }
  FILTER(?p != kg:nameNode)
}"""
)
TALLY = (
    PREFIXES
    + """SELECT ?e ?what ?value (COUNT(DISTINCT ?r) AS ?n) WHERE {
  VALUES ?e { %s }
  GRAPH ?g {
    ?r kg:refersTo ?e .
    { ?r kg:name ?value BIND("name" AS ?what) } UNION { ?r kg:entityType ?value BIND("type" AS ?what) }
    UNION { ?r kg:alias ?value BIND("alias" AS ?what) }
  }
  FILTER(?g NOT IN (%s))
} GROUP BY ?e ?what ?value"""
)
ASSERTED = (
    PREFIXES
    + """SELECT DISTINCT ?s ?p ?o WHERE {
  VALUES ?s { %s }
  GRAPH ?g { ?f rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:primary true }
  FILTER(?g NOT IN (%s))
}"""
)
GRAPH_FACTS = (
    PREFIXES
    + """SELECT ?g ?s ?p ?o WHERE {
  GRAPH ?g { ?f rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:primary true }
}"""
)
DESCRIBED = "SELECT ?layer ?s ?p ?o WHERE { VALUES ?s { %s } GRAPH ?layer { ?s ?p ?o } }"

CHUNK = 400
"""IRIs per VALUES block."""


@dataclass(frozen=True, slots=True)
class Stored:
    """An article as the store holds it: its graph, its source and the digest of its text."""

    graph: URIRef
    origin: str
    digest: str


def _values(terms: Iterable[RDFNode], *, separator: str = " ") -> str:
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


def _chunks(terms: Iterable[RDFNode]) -> Iterable[list[RDFNode]]:
    items = sorted(set(terms), key=str)
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


class Corpus:
    """Writes and removes articles in a store, keeping the entity layer right.

    Args:
        store: the store (one writer at a time).
        minter: the IRIs of the build (`Settings.base_iri`).
    """

    def __init__(self, store: Store, minter: Minter) -> None:
        self.store = store
        self.minter = minter
        self.layer = minter.entities_graph()

    # ------------------------------------------------------------------ reading

    def articles(self) -> dict[str, Stored]:
        """Every article in the store, by source (``id:…``, ``url:…``, ``file:…``)."""
        self.check_layout()
        out: dict[str, Stored] = {}
        for row in self.store.query(ARTICLES):
            graph = row["a"]
            assert isinstance(graph, URIRef)
            out[str(row["origin"])] = Stored(graph, str(row["origin"]), str(row["digest"]))
        return out

    def check_layout(self) -> None:
        """Refuse a store written by a kg with another layout (rebuilding it is the way)."""
        versions = {str(row["v"]) for row in self.store.query(LAYOUT_OF)}
        if versions - {str(LAYOUT)} or self.store.query(OLD_ARTICLES).boolean:
            raise StoreError(
                f"{self.store.location}: written by another version of kg (store layout "
                f"{', '.join(sorted(versions)) or 1}, this kg writes {LAYOUT}); build it again into a new store"
            )

    def _references(self, graph: URIRef) -> list[Reference]:
        aliases: dict[RDFNode, list[str]] = defaultdict(list)
        for row in self.store.query(ALIASES, bindings={"g": graph}):
            aliases[row["r"]].append(str(row["alias"]))  # type: ignore[index]
        out = []
        for row in self.store.query(REFERENCES, bindings={"g": graph}):
            q = row["q"]
            out.append(
                Reference(
                    iri=row["r"],  # type: ignore[arg-type]
                    node=row["node"],  # type: ignore[arg-type]
                    name_node=row["nameNode"],  # type: ignore[arg-type]
                    qid=str(q).rsplit("/", 1)[-1] if q is not None else None,
                    label=str(row["name"]),
                    type=str(row["type"]).rsplit("#", 1)[-1],
                    aliases=tuple(sorted(aliases.get(row["r"], ()))),  # type: ignore[arg-type]
                )
            )
        return out

    def _select(
        self, template: str, terms: Iterable[RDFNode], *rest: str, bindings: Mapping[str, RDFNode] | None = None
    ) -> list[dict[str, RDFNode | None]]:
        """Rows of a query with a ``VALUES`` block of ``terms``, in chunks."""
        rows: list[dict[str, RDFNode | None]] = []
        for chunk in _chunks(terms):
            rows += list(self.store.query(template % (_values(chunk), *rest), bindings=bindings))
        return rows

    # ------------------------------------------------------------------ writing

    def write(self, rdf: ArticleRDF) -> None:
        """Write (or replace) one article and bring the entity layer up to date."""
        self.store.apply(self._changes(rdf.graph, rdf))

    def remove(self, graph: URIRef) -> None:
        """Remove one article and what only it said of the store's entities."""
        self.store.apply(self._changes(graph, None))

    def _changes(self, graph: URIRef, new: ArticleRDF | None) -> ChangeSet:
        old_refs = self._references(graph)
        new_refs = list(new.references) if new is not None else []
        canon = _Canon(self, graph, new_refs)
        names = {r.name_node for r in old_refs} | {r.name_node for r in new_refs}
        canon.load(names)
        changed = {n for n in names if canon.before(n) != canon.after(n)}
        rewrites = self._rewrites(changed, graph, canon)

        delete: list[Quad] = [q for r in rewrites for q in r.delete]
        insert: list[Quad] = [q for r in rewrites for q in r.insert]
        new_triples: list[Triple] = []
        if new is not None:
            mapping = _assign(new_refs, canon.after)
            new_refs = [replace(r, node=mapping.get(r.node, r.node)) for r in new_refs]
            new_triples = [_map(t, mapping) for t in new.triples]
            insert += [(*t, graph) for t in new_triples]
            insert.append((graph, KG.layout, Literal(LAYOUT), graph))

        entities = {r.node for r in [*old_refs, *new_refs]}
        for rewrite in rewrites:
            entities |= {r.node for r in [*rewrite.before, *rewrite.after]}
        layer_delete, layer_insert = self._layer(entities, graph, new_refs, new_triples, rewrites)
        return ChangeSet(drop=(graph,), delete=tuple(delete + layer_delete), insert=tuple(insert + layer_insert))

    def _rewrites(self, changed: set[URIRef], graph: URIRef, canon: _Canon) -> list[_Rewrite]:
        """The other articles whose names now stand for another node, and their new triples."""
        if not changed:
            return []
        using = sorted({row["g"] for row in self._select(USING_NAMES, changed)} - {graph}, key=str)
        out = []
        for other in using:
            assert isinstance(other, URIRef)
            refs = self._references(other)
            canon.load({r.name_node for r in refs})
            mapping = _assign(refs, canon.after)
            if not mapping:
                continue
            touching = _triples(self.store.query(TOUCHING % _values(mapping), bindings={"g": other}))
            facts = _triples(self.store.query(GRAPH_FACTS, bindings={"g": other}))
            out.append(
                _Rewrite(
                    graph=other,
                    before=refs,
                    after=[replace(r, node=mapping.get(r.node, r.node)) for r in refs],
                    delete=[(*t, other) for t in touching],
                    insert=[(*_map(t, mapping), other) for t in touching],
                    facts=[_map(t, mapping) for t in facts],
                )
            )
            logger.debug("%s: %d names now stand for another node", other, len(mapping))
        return out

    def _layer(
        self,
        entities: set[URIRef],
        graph: URIRef,
        new_refs: list[Reference],
        new_triples: list[Triple],
        rewrites: list[_Rewrite],
    ) -> tuple[list[Quad], list[Quad]]:
        """What the entity graph loses and gains for ``entities`` after the change."""
        if not entities:
            return [], []
        excluded = _values([graph, *(r.graph for r in rewrites)], separator=", ")
        tallies: dict[RDFNode, Tally] = defaultdict(Tally)
        for row in self._select(TALLY, entities, excluded):
            what, value, entity = str(row["what"]), str(row["value"]), row["e"]
            assert entity is not None
            tally = tallies[entity]
            counter = {"name": tally.names, "type": tally.types, "alias": tally.aliases}[what]
            counter[value.rsplit("#", 1)[-1] if what == "type" else value] += int(str(row["n"]))
        for ref in [*new_refs, *(r for rewrite in rewrites for r in rewrite.after)]:
            if ref.node in entities:
                tallies[ref.node].add(ref)

        asserted = {t for t in _triples(self._select(ASSERTED, entities, excluded)) if not self.minter.in_article(t[2])}
        asserted |= assertions(new_triples, self.minter)
        for rewrite in rewrites:
            asserted |= {t for t in rewrite.facts if not (self.minter.in_article(t[0]) or self.minter.in_article(t[2]))}
        desired: set[Triple] = {t for t in asserted if t[0] in entities}
        for entity in entities:
            desired |= set(describe(entity, tallies.get(entity, Tally())))
        current = set(_triples(self._select(DESCRIBED, entities, bindings={"layer": self.layer})))
        return [(*t, self.layer) for t in current - desired], [(*t, self.layer) for t in desired - current]


@dataclass(frozen=True, slots=True)
class _Rewrite:
    """Another article whose unlinked names now stand for other nodes."""

    graph: URIRef
    before: list[Reference]
    after: list[Reference]
    delete: list[Quad]
    insert: list[Quad]
    facts: list[Triple]
    """Its primary facts (subject, predicate, object), with the new nodes."""


class _Canon:
    """Which node a name stands for, before and after the change of one article: the one
    entity linked under that name in the store, or the name's own node."""

    def __init__(self, corpus: Corpus, graph: URIRef, new_refs: list[Reference]) -> None:
        self.corpus = corpus
        self.graph = graph
        self.linked: dict[RDFNode, list[tuple[RDFNode | None, RDFNode | None]]] = {}
        self.new_linked: dict[URIRef, set[URIRef]] = defaultdict(set)
        for ref in new_refs:
            if ref.qid:
                self.new_linked[ref.name_node].add(ref.node)

    def load(self, names: Iterable[URIRef]) -> None:
        todo = [n for n in names if n not in self.linked]
        for n in todo:
            self.linked[n] = []
        for row in self.corpus._select(LINKED_UNDER, todo):
            name = row["n"]
            assert name is not None
            self.linked[name].append((row["g"], row["e"]))

    def before(self, name: URIRef) -> URIRef:
        return _single({e for _, e in self.linked[name]}, name)

    def after(self, name: URIRef) -> URIRef:
        entities = {e for g, e in self.linked[name] if g != self.graph} | self.new_linked.get(name, set())
        return _single(entities, name)


def _single(entities: set[RDFNode | None], name: URIRef) -> URIRef:
    if len(entities) == 1:
        entity = next(iter(entities))
        assert isinstance(entity, URIRef)
        return entity
    return name


def _assign(refs: list[Reference], after: Callable[[URIRef], URIRef]) -> dict[URIRef, URIRef]:
    """Node changes for the unlinked references of one article, given what names stand for.

    An unlinked name takes the entity the store links it to, unless the article links
    that entity itself (under another name) or another of its names takes it too; then
    it keeps its own node. Returns ``{current node: new node}`` for the references that move.
    """
    linked = {r.node for r in refs if r.qid}
    wanted = {r.name_node: after(r.name_node) for r in refs if not r.qid}
    takers = Counter(e for n, e in wanted.items() if e != n)
    mapping: dict[URIRef, URIRef] = {}
    for ref in refs:
        if ref.qid:
            continue
        target = wanted[ref.name_node]
        if target != ref.name_node and (target in linked or takers[target] > 1):
            target = ref.name_node
        if target != ref.node:
            mapping[ref.node] = target
    return mapping


def _map(triple: Triple, mapping: Mapping[URIRef, URIRef]) -> Triple:
    """The triple with its nodes moved; a reference's name node stays what it is."""
    s, p, o = triple
    if p == KG.nameNode:
        return triple
    return (
        mapping.get(s, s) if isinstance(s, URIRef) else s,
        p,
        mapping.get(o, o) if isinstance(o, URIRef) else o,
    )


def _triples(rows: Iterable[Mapping[str, RDFNode | None]]) -> list[Triple]:
    """``(?s, ?p, ?o)`` of result rows (all bound)."""
    out = []
    for row in rows:
        s, p, o = row["s"], row["p"], row["o"]
        assert s is not None and p is not None and o is not None
        out.append((s, p, o))
    return out
