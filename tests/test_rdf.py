"""RDF: IRIs by source and by entity, provenance back to the text, the entity layer kept
apart from the article graph, SHACL shapes that pass and that catch errors."""

from __future__ import annotations

import dataclasses

from rdflib import Graph, Literal, URIRef

from kg.corpus import Corpus
from kg.rdf.build import ArticleRDF, article_rdf
from kg.rdf.entities import assertions
from kg.rdf.namespaces import KG, NIF, RDF, RDFS, Minter
from kg.store import open_store
from kg.validate import validate

TEXT = (
    "Two blasts struck the city of Kerman on Wednesday, killing about 90 people. "
    "The Islamic State group claimed responsibility for the attack."
)
MINTER = Minter("https://kg.example.org/")


def rdf_of(analyse, text: str = TEXT) -> ArticleRDF:
    return article_rdf(analyse(text), minter=MINTER)


def stored(*articles: ArticleRDF) -> Graph:
    """The union of the store's graphs after writing ``articles``."""
    store = open_store(None)
    corpus = Corpus(store, MINTER)
    for rdf in articles:
        corpus.write(rdf)
    g = Graph()
    for triple in store.triples():
        g.add(triple)
    return g


def test_articles_are_named_by_source_not_by_text(analyse) -> None:
    graph = analyse(TEXT)
    a = article_rdf(
        dataclasses.replace(graph, article=dataclasses.replace(graph.article, source_id="one")), minter=MINTER
    )
    b = article_rdf(
        dataclasses.replace(graph, article=dataclasses.replace(graph.article, source_id="two")), minter=MINTER
    )
    assert a.graph != b.graph
    assert (a.graph, KG.textDigest, Literal(graph.article.digest)) in a.triples
    assert (b.graph, KG.textDigest, Literal(graph.article.digest)) in b.triples


def test_named_entities_are_referred_to_not_described(analyse) -> None:
    rdf = rdf_of(analyse)
    islamic_state = URIRef("https://kg.example.org/entity/organization/islamic-state")
    assert [r.label for r in rdf.references if r.node == islamic_state] == ["Islamic State"]
    assert not [t for t in rdf.triples if t[0] == islamic_state and t[1] in (RDF.type, RDFS.label)]
    g = stored(rdf)
    assert (islamic_state, RDF.type, KG.Organization) in g
    assert list(g.objects(islamic_state, RDFS.label)) == [Literal("Islamic State")]


def test_every_fact_leads_back_to_its_sentence(analyse) -> None:
    rdf = rdf_of(analyse)
    g = Graph()
    for triple in rdf.triples:
        g.add(triple)
    between_entities = set(assertions(rdf.triples, MINTER))
    text = str(next(g.objects(predicate=NIF.isString)))
    facts = list(g.subjects(RDF.type, KG.Fact))
    assert facts
    for fact in facts:
        sentence = g.value(fact, KG.sentence)
        begin, end = int(str(g.value(sentence, NIF.beginIndex))), int(str(g.value(sentence, NIF.endIndex)))
        assert text[begin:end] == str(g.value(sentence, NIF.anchorOf))
        subject, predicate, obj = g.value(fact, RDF.subject), g.value(fact, RDF.predicate), g.value(fact, RDF.object)
        if g.value(fact, KG.primary) == Literal(True):
            assert (subject, predicate, obj) in g or (subject, predicate, obj) in between_entities
    assert between_entities <= set(stored(rdf))


def test_mentions_point_at_their_text(analyse) -> None:
    g = stored(rdf_of(analyse))
    text = str(next(g.objects(predicate=NIF.isString)))
    for mention in g.subjects(RDF.type, NIF.Phrase):
        begin, end = int(str(g.value(mention, NIF.beginIndex))), int(str(g.value(mention, NIF.endIndex)))
        assert text[begin:end] == str(g.value(mention, NIF.anchorOf))


def test_shapes_pass_and_catch(analyse) -> None:
    g = stored(rdf_of(analyse))
    assert validate(g).conforms
    event = next(g.subjects(KG.deaths, None))
    g.add((event, KG.deaths, Literal(91)))  # two death tolls on one event
    fact = next(g.subjects(RDF.type, KG.Fact))
    g.set((fact, KG.confidence, Literal(1.5)))
    entity = URIRef("https://kg.example.org/entity/organization/islamic-state")
    g.add((entity, RDFS.label, Literal("IS")))  # an entity described twice
    outcome = validate(g)
    assert not outcome.conforms
    assert {line.split()[0] for line, _ in outcome.summary} >= {"deaths", "confidence", "label"}


def test_a_named_event_and_a_kind_of_person_conform(analyse) -> None:
    # "the Winter Olympics" is an event one across the store; "lawyers" a mention with only a kind
    graph = analyse("Turin will host the Winter Olympics in 2006, lawyers for the city said.")
    assert any(n.type == "Event" and n.key.in_corpus for n in graph.nodes)
    lawyers = next(m for m in graph.mentions if m.text == "lawyers")
    graph = dataclasses.replace(graph, concepts={lawyers.id: "Q999004001"}, mention_node={
        k: v for k, v in graph.mention_node.items() if k != lawyers.id})  # fmt: skip
    outcome = validate(stored(article_rdf(graph, minter=MINTER)))
    assert outcome.conforms, outcome.report
