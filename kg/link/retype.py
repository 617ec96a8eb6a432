"""The knowledge-base type of a linked entity corrects the type NER gave it.

spaCy's small model calls "Linux" a person and "Meghan Markle" an organisation; once the
linker has tied the node to a Wikidata item, the item's type is the better reading. The
node takes the ontology class of the item's coarse type (and place subtype), and the
article's facts that no longer fit the node's new class go: those whose property's
``rdfs:domain`` or ``rdfs:range`` in ``ontology/kg.ttl`` it falls outside of (classes compared through
`kg.ontology`), and the
document-level guesses made for its old class ("an organisation of the article's
country").
"""

from __future__ import annotations

import dataclasses
import functools
from importlib import resources

from kg.link.kb import KBEntity
from kg.model import ArticleGraph, Key
from kg.ontology import is_a, is_place

__all__ = ["kb_class", "retype"]

KG = "https://kg.example.org/ontology#"
_DOMAIN = "http://www.w3.org/2000/01/rdf-schema#domain"
_RANGE = "http://www.w3.org/2000/01/rdf-schema#range"
BY_TYPE = {"PER": "Person", "ORG": "Organization", "EVENT": "Event", "WORK": "Entity", "OTHER": "Entity"}
BY_SUBTYPE = {"country": "Country", "region": "AdminRegion", "city": "City"}


def kb_class(node_type: str, entity: KBEntity) -> str:
    """The ontology class a node of ``node_type`` linked to ``entity`` should have."""
    if entity.type == "LOC":
        if entity.subtype in BY_SUBTYPE:
            return BY_SUBTYPE[entity.subtype]
        return node_type if is_place(node_type) else "Place"
    if entity.type == "ORG" and node_type == "Facility":
        return node_type  # an airport or a hospital is both
    if entity.type in ("WORK", "OTHER") and node_type not in ("Person", "Organization", "Agent"):
        return node_type if node_type != "Agent" else "Entity"
    return BY_TYPE.get(entity.type, node_type)


@functools.cache
def _domains_and_ranges() -> dict[str, tuple[str | None, str | None]]:
    """Each kg property's ``rdfs:domain`` and ``rdfs:range`` (kg classes only) in ``ontology/kg.ttl``."""
    import pyoxigraph as ox

    data = resources.files("kg").joinpath("ontology", "kg.ttl").read_bytes()
    out: dict[str, list[str | None]] = {}
    for triple in ox.parse(data, format=ox.RdfFormat.TURTLE):
        s, p, o = triple.subject, triple.predicate, triple.object
        if not (isinstance(s, ox.NamedNode) and s.value.startswith(KG)) or p.value not in (_DOMAIN, _RANGE):
            continue
        cls = o.value[len(KG) :] if isinstance(o, ox.NamedNode) and o.value.startswith(KG) else None
        out.setdefault(s.value[len(KG) :], [None, None])[0 if p.value == _DOMAIN else 1] = cls
    return {prop: (pair[0], pair[1]) for prop, pair in out.items()}


def _fits(cls: str, wanted: str | None) -> bool:
    return wanted is None or is_a(cls, wanted)


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
    ranges = _domains_and_ranges()
    facts = []
    for f in graph.facts:
        domain, range_ = ranges.get(f.predicate, (None, None))
        if f.subject in changed and (not _fits(changed[f.subject], domain) or f.extractor.startswith("document.")):
            continue
        if isinstance(f.object, Key) and f.object in changed and not _fits(changed[f.object], range_):
            continue
        facts.append(f)
    return dataclasses.replace(graph, nodes=tuple(nodes), facts=tuple(facts))
