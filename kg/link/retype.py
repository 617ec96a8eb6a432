"""The knowledge-base type of a linked entity corrects the type NER gave it.

spaCy's small model calls "Linux" a person and "Meghan Markle" an organisation; once the
linker has tied the node to a Wikidata item, the item's type is the better reading. The
node takes the ontology class of the item's coarse type (and place subtype), and the
article's facts that no longer fit the node's new class go: those whose property's
``rdfs:domain`` or ``rdfs:range`` in ``ontology/kg.ttl`` it falls outside of, and the
document-level guesses made for its old class ("an organisation of the article's
country").
"""

from __future__ import annotations

import dataclasses
import functools
from importlib import resources

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.link.kb import KBEntity
from kg.model import PLACE_TYPES, ArticleGraph, Key

__all__ = ["kb_class", "retype"]

KG = "https://kg.example.org/ontology#"
BY_TYPE = {"PER": "Person", "ORG": "Organization", "EVENT": "Event", "WORK": "Entity", "OTHER": "Entity"}
BY_SUBTYPE = {"country": "Country", "region": "AdminRegion", "city": "City"}


def kb_class(node_type: str, entity: KBEntity) -> str:
    """The ontology class a node of ``node_type`` linked to ``entity`` should have."""
    if entity.type == "LOC":
        if entity.subtype in BY_SUBTYPE:
            return BY_SUBTYPE[entity.subtype]
        return node_type if node_type in PLACE_TYPES else "Place"
    if entity.type == "ORG" and node_type == "Facility":
        return node_type  # an airport or a hospital is both
    if entity.type in ("WORK", "OTHER") and node_type not in ("Person", "Organization", "Agent"):
        return node_type if node_type != "Agent" else "Entity"
    return BY_TYPE.get(entity.type, node_type)


@functools.cache
def _ontology() -> tuple[dict[str, frozenset[str]], dict[str, tuple[str | None, str | None]]]:
    """Each class's superclasses (itself included), and each property's domain and range."""
    graph = Graph()
    graph.parse(data=resources.files("kg").joinpath("ontology", "kg.ttl").read_text(encoding="utf-8"), format="turtle")

    def local(term: object) -> str | None:
        return str(term)[len(KG) :] if isinstance(term, URIRef) and str(term).startswith(KG) else None

    parents: dict[str, set[str]] = {}
    for cls in graph.subjects(RDF.type, OWL.Class):
        name = local(cls)
        if name:
            parents[name] = {p for p in map(local, graph.objects(cls, RDFS.subClassOf)) if p}
    ancestors: dict[str, frozenset[str]] = {}
    for name in parents:
        seen, todo = {name}, [name]
        while todo:
            for parent in parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        ancestors[name] = frozenset(seen)
    ranges: dict[str, tuple[str | None, str | None]] = {}
    for prop in set(graph.subjects(RDFS.domain, None)) | set(graph.subjects(RDFS.range, None)):
        name = local(prop)
        if name:
            ranges[name] = (local(graph.value(prop, RDFS.domain)), local(graph.value(prop, RDFS.range)))
    return ancestors, ranges


def _fits(cls: str, wanted: str | None) -> bool:
    ancestors, _ = _ontology()
    return wanted is None or wanted in ancestors.get(cls, frozenset({cls}))


def retype(graph: ArticleGraph, linked: dict[Key, KBEntity]) -> ArticleGraph:
    """The graph with linked nodes typed as their entities are, and the facts that no
    longer fit them dropped."""
    changed: dict[Key, str] = {}
    nodes = []
    for node in graph.nodes:
        entity = linked.get(node.key)
        new = kb_class(node.type, entity) if entity is not None else node.type
        if new != node.type:
            changed[node.key] = new
            node = dataclasses.replace(node, type=new)
        nodes.append(node)
    if not changed:
        return graph
    _, ranges = _ontology()
    facts = []
    for f in graph.facts:
        domain, range_ = ranges.get(f.predicate, (None, None))
        if f.subject in changed and (not _fits(changed[f.subject], domain) or f.extractor.startswith("document.")):
            continue
        if isinstance(f.object, Key) and f.object in changed and not _fits(changed[f.object], range_):
            continue
        facts.append(f)
    return dataclasses.replace(graph, nodes=tuple(nodes), facts=tuple(facts))
