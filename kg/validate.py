"""SHACL validation of a built graph against ``ontology/shapes.ttl`` (pyshacl)."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from rdflib import Dataset, Graph
from rdflib.term import Node

__all__ = ["Validation", "ontology", "shapes", "validate"]


@dataclass(frozen=True, slots=True)
class Validation:
    """The outcome: ``summary`` counts violations by property and constraint."""

    conforms: bool
    violations: int
    report: str
    summary: tuple[tuple[str, int], ...] = ()


@functools.cache
def ontology() -> Graph:
    """The kg ontology (``ontology/kg.ttl``)."""
    return Graph().parse(
        data=resources.files("kg").joinpath("ontology", "kg.ttl").read_text(encoding="utf-8"),
        format="turtle",
    )


@functools.cache
def shapes() -> Graph:
    return Graph().parse(
        data=resources.files("kg").joinpath("ontology", "shapes.ttl").read_text(encoding="utf-8"),
        format="turtle",
    )


def validate(data: Graph | Dataset | Iterable[tuple[Node, Node, Node]]) -> Validation:
    """Validate a graph, the union of a dataset's graphs, or triples, against the shapes.

    The ontology is loaded alongside the data so that subclasses count for
    ``sh:targetClass`` and ``sh:class`` (a ``kg:Bombing`` is a ``kg:Event``).
    """
    from pyshacl import validate as shacl

    union = Graph()
    if isinstance(data, Dataset):
        for graph in data.graphs():
            union += graph
    elif isinstance(data, Graph):
        union += data
    else:
        for triple in data:
            union.add(triple)
    union += ontology()  # class hierarchy and individuals (kg:SuicideBombing a kg:AttackMethod)
    conforms, report_graph, text = shacl(
        union,
        shacl_graph=shapes(),
        inference="none",
        advanced=False,
        allow_warnings=False,
    )
    from rdflib.namespace import SH

    results = set(report_graph.subjects(predicate=SH.resultSeverity))
    counts: Counter[str] = Counter()
    for result in results:
        path = report_graph.value(result, SH.resultPath)
        component = report_graph.value(result, SH.sourceConstraintComponent)
        counts[f"{_short(path)} {_short(component)}"] += 1
    return Validation(bool(conforms), len(results), str(text), tuple(counts.most_common()))


def _short(term: object) -> str:
    text = str(term)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]
