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
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from rdflib import Literal, URIRef
from rdflib.term import Node as RDFNode

from kg.errors import StoreError
from kg.layer import Contribution, EntityLayer, chunks, in_values
from kg.rdf.build import ArticleRDF
from kg.rdf.entities import Reference, assertions
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
EXISTS = "ASK { GRAPH ?g { ?s ?p ?o } }"
LAYOUT_OF = PREFIXES + "SELECT ?v WHERE { GRAPH ?g { ?g kg:layout ?v } }"
REFERENCES = (
    PREFIXES
    + """SELECT ?g ?r ?node ?nameNode ?q ?name ?type WHERE {
  GRAPH ?g { ?r a kg:Reference ; kg:refersTo ?node ; kg:nameNode ?nameNode ; kg:name ?name ; kg:entityType ?type .
             OPTIONAL { ?r kg:linkedTo ?q } }
}"""
)
ALIASES = PREFIXES + "SELECT ?g ?r ?alias WHERE { GRAPH ?g { ?r a kg:Reference ; kg:alias ?alias } }"
FACTS = (
    PREFIXES
    + """SELECT ?g ?f ?s ?p ?o WHERE {
  GRAPH ?g { ?f rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:primary true }
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


@dataclass(frozen=True, slots=True)
class Stored:
    """An article as the store holds it: its graph, its source and the digest of its text."""

    graph: URIRef
    origin: str
    digest: str


@dataclass(frozen=True, slots=True)
class _Rewrite:
    """Another article whose unlinked names now stand for other nodes."""

    graph: URIRef
    before: Contribution
    after: Contribution
    delete: list[Quad]
    insert: list[Quad]


class Corpus:
    """Writes and removes articles in a store, keeping the entity layer right.

    Args:
        store: the store (one writer at a time).
        minter: the IRIs of the build (`Settings.base_iri`).
    """

    def __init__(self, store: Store, minter: Minter) -> None:
        self.store = store
        self.minter = minter
        self.layer = EntityLayer(store, minter)

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

    def _contribution(self, graph: URIRef) -> Contribution:
        """What an article in the store says of the store's entities."""
        aliases: dict[RDFNode, list[str]] = {}
        for row in self.store.query(ALIASES, bindings={"g": graph}):
            aliases.setdefault(row["r"], []).append(str(row["alias"]))  # type: ignore[arg-type]
        refs = []
        for row in self.store.query(REFERENCES, bindings={"g": graph}):
            q = row["q"]
            refs.append(
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
        facts = [
            t
            for t in _triples(self.store.query(FACTS, bindings={"g": graph}))
            if not (self.minter.in_article(t[0]) or self.minter.in_article(t[2]))
        ]
        return Contribution(refs, facts)

    def audit(self) -> list[str]:
        """What is wrong with the entity layer, read from the store afresh (see `EntityLayer.audit`)."""
        return self.layer.audit()

    # ------------------------------------------------------------------ writing

    def write(self, rdf: ArticleRDF) -> None:
        """Write (or replace) one article and bring the entity layer up to date."""
        self._apply(rdf.graph, rdf)

    def remove(self, graph: URIRef) -> None:
        """Remove one article and what only it said of the store's entities."""
        self._apply(graph, None)

    def _apply(self, graph: URIRef, new: ArticleRDF | None) -> None:
        old = self._contribution(graph)
        new_refs = list(new.references) if new is not None else []
        canon = _Canon(self.layer, old.refs, new_refs)
        names = {r.name_node for r in [*old.refs, *new_refs]}
        canon.load(names)
        changed = {n for n in names if canon.before(n) != canon.after(n)}
        rewrites = self._rewrites(changed, graph, canon)

        delete: list[Quad] = [q for r in rewrites for q in r.delete]
        insert: list[Quad] = [q for r in rewrites for q in r.insert]
        after = Contribution()
        if new is not None:
            mapping = _assign(new_refs, canon.after)
            triples = [_map(t, mapping) for t in new.triples] if mapping else list(new.triples)
            after = Contribution([replace(r, node=mapping.get(r.node, r.node)) for r in new_refs],
                                 assertions(triples, self.minter))  # fmt: skip
            insert += [(*t, graph) for t in triples]
            insert.append((graph, KG.layout, Literal(LAYOUT), graph))
        plan = self.layer.plan(
            Contribution([*old.refs, *(r for w in rewrites for r in w.before.refs)],
                         [*old.facts, *(f for w in rewrites for f in w.before.facts)]),
            Contribution([*after.refs, *(r for w in rewrites for r in w.after.refs)],
                         [*after.facts, *(f for w in rewrites for f in w.after.facts)]),
        )  # fmt: skip
        exists = bool(old.refs) or bool(self.store.query(EXISTS, bindings={"g": graph}).boolean)
        self.store.apply(
            ChangeSet(drop=(graph,) if exists else (), delete=tuple(delete + plan.delete),
                      insert=tuple(insert + plan.insert))
        )  # fmt: skip
        plan.commit()

    def _rewrites(self, changed: set[URIRef], graph: URIRef, canon: _Canon) -> list[_Rewrite]:
        """The other articles whose names now stand for another node, and their new triples."""
        if not changed:
            return []
        using: set[RDFNode | None] = set()
        for chunk in chunks(changed):
            using |= {row["g"] for row in self.store.query(USING_NAMES % in_values(chunk))}
        out = []
        for other in sorted(using - {graph}, key=str):
            assert isinstance(other, URIRef)
            before = self._contribution(other)
            canon.load({r.name_node for r in before.refs})
            mapping = _assign(before.refs, canon.after)
            if not mapping:
                continue
            touching = _triples(self.store.query(TOUCHING % in_values(mapping), bindings={"g": other}))
            after = Contribution(
                [replace(r, node=mapping.get(r.node, r.node)) for r in before.refs],
                [_map(t, mapping) for t in before.facts],
            )
            out.append(
                _Rewrite(
                    graph=other,
                    before=before,
                    after=after,
                    delete=[(*t, other) for t in touching],
                    insert=[(*_map(t, mapping), other) for t in touching],
                )
            )
            logger.debug("%s: %d names now stand for another node", other, len(mapping))
        return out


class _Canon:
    """Which node a name stands for, before and after the change of one article: the one
    entity linked under that name in the store, or the name's own node."""

    def __init__(self, layer: EntityLayer, old_refs: list[Reference], new_refs: list[Reference]) -> None:
        self.layer = layer
        self.linked: dict[RDFNode, Counter[RDFNode]] = {}
        self.delta: dict[RDFNode, Counter[RDFNode]] = {}
        for sign, refs in ((-1, old_refs), (1, new_refs)):
            for ref in refs:
                if ref.qid:
                    self.delta.setdefault(ref.name_node, Counter())[ref.node] += sign

    def load(self, names: Iterable[URIRef]) -> None:
        self.linked.update(self.layer.linked(n for n in names if n not in self.linked))

    def before(self, name: URIRef) -> URIRef:
        return _single(+self.linked[name], name)

    def after(self, name: URIRef) -> URIRef:
        counts = self.linked[name] + Counter()
        counts.update(self.delta.get(name, Counter()))
        return _single(+counts, name)


def _single(entities: Counter[RDFNode], name: URIRef) -> URIRef:
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
