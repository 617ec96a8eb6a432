"""The class hierarchy of the kg ontology, read from ``ontology/kg.ttl``: the only copy.

"Is a City a Place?" is asked here and nowhere else: `is_a("City", "Place")`.
Classes are local names in the kg namespace (``"Bombing"``). The file is read on first
use, never at import.
"""

from __future__ import annotations

import functools
from importlib import resources

from kg.rdf.namespaces import KG

__all__ = ["ancestors", "classes", "descendants", "is_a", "is_event", "is_place", "place_types"]

KG_NS = str(KG)
_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_CLASS = "http://www.w3.org/2002/07/owl#Class"


@functools.cache
def _parents() -> dict[str, frozenset[str]]:
    """kg class → its direct kg superclasses."""
    import pyoxigraph as ox

    data = resources.files("kg").joinpath("ontology", "kg.ttl").read_bytes()
    parents: dict[str, set[str]] = {}
    for triple in ox.parse(data, format=ox.RdfFormat.TURTLE):
        s, p, o = triple.subject, triple.predicate, triple.object
        if not isinstance(s, ox.NamedNode) or not s.value.startswith(KG_NS):
            continue
        name = s.value[len(KG_NS) :]
        if p.value == _TYPE and isinstance(o, ox.NamedNode) and o.value == _CLASS:
            parents.setdefault(name, set())
        elif p.value == _SUBCLASS and isinstance(o, ox.NamedNode) and o.value.startswith(KG_NS):
            parents.setdefault(name, set()).add(o.value[len(KG_NS) :])
    return {name: frozenset(up) for name, up in parents.items()}


def classes() -> frozenset[str]:
    """Every class of the kg namespace."""
    return frozenset(_parents())


@functools.cache
def ancestors(cls: str) -> frozenset[str]:
    """``cls`` and every class above it (``"City"`` → City, Place, Entity)."""
    out = {cls}
    frontier = [cls]
    parents = _parents()
    while frontier:
        for parent in parents.get(frontier.pop(), ()):
            if parent not in out:
                out.add(parent)
                frontier.append(parent)
    return frozenset(out)


@functools.cache
def descendants(cls: str) -> frozenset[str]:
    """``cls`` and every class below it (``"Place"`` → Place, Country, AdminRegion, City, Facility)."""
    return frozenset(c for c in _parents() if cls in ancestors(c)) | {cls}


def is_a(cls: str, ancestor: str) -> bool:
    """Whether ``cls`` is ``ancestor`` or one of its subclasses."""
    return ancestor in ancestors(cls)


def place_types() -> frozenset[str]:
    """``kg:Place`` and its subclasses."""
    return descendants("Place")


def is_place(cls: str) -> bool:
    return is_a(cls, "Place")


def is_event(cls: str) -> bool:
    return is_a(cls, "Event")
