"""The entity layer as data: references, descriptions and assertions. No I/O here.

An article does not describe the store's entities; it *refers* to them (`Reference`):
"in this article, this entity is called Tony Blair, is a Person, is also called Mr
Blair, and I linked it to Q…". An entity's description in the entity graph is decided
from all its references (`describe`), so it does not depend on the order articles came
in; the facts between entities in the entity graph are the plain triples of the primary
fact nodes of all articles (`assertions`), each once.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.term import Node as RDFNode

from kg.rdf.namespaces import KG, OWL, RDF, RDFS, SKOS, WD, Minter

__all__ = ["MAX_ALIASES", "Reference", "Tally", "assertions", "describe", "reference_triples"]

Triple = tuple[RDFNode, RDFNode, RDFNode]

MAX_ALIASES = 50
"""Aliases kept on an entity, the most used first."""
GENERIC_TYPES = frozenset({"Entity", "Agent", "Place"})
"""Types that give way to a specific one given by another article ("Place" to "City")."""
_ENTITY_QID = re.compile(r"/entity/(Q[1-9]\d*)$")


@dataclass(frozen=True, slots=True)
class Reference:
    """What one article says of one entity of the store.

    Attributes:
        iri: the reference node, in the article's graph.
        node: the entity as the article names it (the QID IRI when linked, else the IRI
            of its name, or the entity another article linked that name to).
        name_node: the IRI of the entity's name in this article, linked or not: an
            unlinked name meets the entity that other articles link it to on it.
        qid: the Wikidata item this article linked the entity to, if it did.
        label, type, aliases: the name, ontology class and other names in this article.
    """

    iri: URIRef
    node: URIRef
    name_node: URIRef
    qid: str | None
    label: str
    type: str
    aliases: tuple[str, ...] = ()


def reference_triples(reference: Reference) -> list[Triple]:
    """The reference as it is stored in the article's graph."""
    r = reference.iri
    out: list[Triple] = [
        (r, RDF.type, KG.Reference),
        (r, KG.refersTo, reference.node),
        (r, KG.nameNode, reference.name_node),
        (r, KG.name, Literal(reference.label)),
        (r, KG.entityType, KG[reference.type]),
    ]
    out += [(r, KG.alias, Literal(alias)) for alias in reference.aliases]
    if reference.qid:
        out.append((r, KG.linkedTo, WD[reference.qid]))
    return out


@dataclass
class Tally:
    """How many references give an entity each name, type and alias."""

    names: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    aliases: Counter[str] = field(default_factory=Counter)

    def add(self, reference: Reference, *, sign: int = 1) -> None:
        """Count one more reference (``sign=-1``: one fewer)."""
        self.names[reference.label] += sign
        self.types[reference.type] += sign
        for alias in dict.fromkeys(reference.aliases):
            self.aliases[alias] += sign
        if sign < 0:
            for counter in (self.names, self.types, self.aliases):
                for key in [k for k, n in counter.items() if n <= 0]:
                    del counter[key]

    def copy(self) -> Tally:
        return Tally(Counter(self.names), Counter(self.types), Counter(self.aliases))

    def __bool__(self) -> bool:
        return bool(self.names)


def _label(names: Counter[str]) -> str:
    """The name most references use; on a tie the longer ("Tony Blair" over "Blair")."""
    return min(names, key=lambda n: (-names[n], -len(n), n))


def _type(types: Counter[str]) -> str:
    """The type most references give, a specific one over a generic one."""
    specific = [t for t in types if t not in GENERIC_TYPES]
    pool = specific or list(types)
    return min(pool, key=lambda t: (-types[t], t))


def describe(entity: URIRef, tally: Tally) -> list[Triple]:
    """The entity's description in the entity graph: type, label, aliases, Wikidata item."""
    if not tally:
        return []
    label = _label(tally.names)
    out: list[Triple] = [(entity, RDF.type, KG[_type(tally.types)]), (entity, RDFS.label, Literal(label))]
    others = tally.aliases + Counter({n: c for n, c in tally.names.items() if n != label})
    others.pop(label, None)
    for alias in sorted(others, key=lambda a: (-others[a], a))[:MAX_ALIASES]:
        out.append((entity, SKOS.altLabel, Literal(alias)))
    qid = _ENTITY_QID.search(str(entity))
    if qid:
        out.append((entity, OWL.sameAs, WD[qid.group(1)]))
    return out


def assertions(triples: Iterable[Triple], minter: Minter) -> list[Triple]:
    """The plain triples between entities of the store that the primary fact nodes among
    ``triples`` state, one per fact node (they belong to the entity graph, once)."""
    facts: dict[RDFNode, dict[RDFNode, RDFNode]] = {}
    wanted = {RDF.subject, RDF.predicate, RDF.object, KG.primary}
    for s, p, o in triples:
        if p in wanted:
            facts.setdefault(s, {})[p] = o
    out: list[Triple] = []
    for parts in facts.values():
        if len(parts) < 4 or parts[KG.primary] != Literal(True):
            continue
        subject, obj = parts[RDF.subject], parts[RDF.object]
        if minter.in_article(subject) or minter.in_article(obj):
            continue
        out.append((subject, parts[RDF.predicate], obj))
    return out
