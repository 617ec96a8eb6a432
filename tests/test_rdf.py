"""RDF: stable IRIs, provenance back to the text, SHACL shapes that pass and that catch errors."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.rdf.build import article_triples
from kg.rdf.namespaces import KG, NIF, RDF, Minter
from kg.validate import validate

TEXT = (
    "Two blasts struck the city of Kerman on Wednesday, killing about 90 people. "
    "The Islamic State group claimed responsibility for the attack."
)


def graph_of(analyse, text: str = TEXT) -> Graph:  # type: ignore[no-untyped-def]
    g = Graph()
    for triple in article_triples(analyse(text), minter=Minter("https://kg.example.org/")):
        g.add(triple)
    return g


def test_same_text_same_graph(analyse) -> None:  # type: ignore[no-untyped-def]
    assert isomorphic(graph_of(analyse), graph_of(analyse))


def test_named_entities_have_global_iris(analyse) -> None:  # type: ignore[no-untyped-def]
    g = graph_of(analyse)
    assert (URIRef("https://kg.example.org/entity/organization/islamic-state"), RDF.type, KG.Organization) in g


def test_every_fact_leads_back_to_its_sentence(analyse) -> None:  # type: ignore[no-untyped-def]
    g = graph_of(analyse)
    text = str(next(g.objects(predicate=NIF.isString)))
    facts = list(g.subjects(RDF.type, KG.Fact))
    assert facts
    for fact in facts:
        sentence = g.value(fact, KG.sentence)
        begin, end = int(g.value(sentence, NIF.beginIndex)), int(g.value(sentence, NIF.endIndex))
        assert text[begin:end] == str(g.value(sentence, NIF.anchorOf))
        subject, predicate, obj = g.value(fact, RDF.subject), g.value(fact, RDF.predicate), g.value(fact, RDF.object)
        if g.value(fact, KG.primary) == Literal(True):
            assert (subject, predicate, obj) in g


def test_mentions_point_at_their_text(analyse) -> None:  # type: ignore[no-untyped-def]
    g = graph_of(analyse)
    text = str(next(g.objects(predicate=NIF.isString)))
    for mention in g.subjects(RDF.type, NIF.Phrase):
        begin, end = int(g.value(mention, NIF.beginIndex)), int(g.value(mention, NIF.endIndex))
        assert text[begin:end] == str(g.value(mention, NIF.anchorOf))


def test_shapes_pass_and_catch(analyse) -> None:  # type: ignore[no-untyped-def]
    g = graph_of(analyse)
    assert validate(g).conforms
    event = next(g.subjects(KG.deaths, None))
    g.add((event, KG.deaths, Literal(91)))  # two death tolls on one event
    fact = next(g.subjects(RDF.type, KG.Fact))
    g.set((fact, KG.confidence, Literal(1.5)))
    outcome = validate(g)
    assert not outcome.conforms
    assert {line.split()[0] for line, _ in outcome.summary} >= {"deaths", "confidence"}
