"""The facts the project started from, found by SPARQL in graphs built from the seed
article (someone else's writing, read from ../shared) and from our own example report."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg
from kg.validate import validate

from .conftest import EXAMPLES, SHARED

PREFIXES = """
PREFIX kg:   <https://kg.example.org/ontology#>
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>
PREFIX nif:  <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
"""

# Each fact comes with its source sentence: the fact node's kg:sentence.
EXPECTED = {
    "Islamic State claimed the Kerman attack, 2024-01-03, about 90 killed, 284 injured": """
        ASK {
          ?is rdfs:label "Islamic State" ; kg:claimedResponsibilityFor ?e .
          ?e kg:location/rdfs:label "Kerman" ; kg:date "2024-01-03"^^xsd:date ;
             kg:deaths 90 ; kg:injured 284 .
          ?claim rdf:subject ?is ; rdf:predicate kg:claimedResponsibilityFor ; rdf:object ?e ;
                 kg:sentence/nif:anchorOf ?sentence .
          ?toll rdf:subject ?e ; rdf:predicate kg:deaths ; rdf:object 90 ; kg:approximate true ;
                kg:sentence/nif:anchorOf ?tollSentence .
        }""",
    "a Kerman bomber is Tajik, according to Iran's Ministry of Intelligence": """
        ASK {
          ?e kg:location/rdfs:label "Kerman" ; kg:perpetrator ?bomber .
          ?bomber kg:nationality ?tj .
          ?tj rdfs:label "Tajikistan" ; a kg:Country .
          ?f rdf:subject ?bomber ; rdf:predicate kg:nationality ; rdf:object ?tj ;
             kg:assertedBy ?ministry ; kg:sentence/nif:anchorOf ?sentence .
          ?ministry rdfs:label "Ministry of Intelligence" ; kg:country/rdfs:label "Iran" .
        }""",
    "11 people arrested, according to the ministry": """
        ASK {
          ?arrest a kg:Arrest ; kg:arrestedCount 11 .
          ?f rdf:subject ?arrest ; rdf:predicate kg:arrestedCount ; rdf:object 11 ;
             kg:assertedBy/rdfs:label "Ministry of Intelligence" ; kg:sentence/nif:anchorOf ?sentence .
        }""",
    "ISIS-K carried out the Kerman attack, according to US intelligence": """
        ASK {
          ?e kg:location/rdfs:label "Kerman" ; kg:perpetrator ?k .
          ?k rdfs:label "ISIS-K" .
          ?f rdf:subject ?e ; rdf:predicate kg:perpetrator ; rdf:object ?k ;
             kg:assertedBy/rdfs:label ?source ; kg:sentence/nif:anchorOf ?sentence .
          FILTER(CONTAINS(?source, "US") && CONTAINS(LCASE(?source), "intelligence"))
        }""",
    "ISIS-K is a branch of Islamic State": """
        ASK {
          ?k rdfs:label "ISIS-K" ; kg:branchOf ?is .
          ?is rdfs:label "Islamic State" .
          ?f rdf:subject ?k ; rdf:predicate kg:branchOf ; rdf:object ?is ; kg:sentence/nif:anchorOf ?sentence .
        }""",
    "Qasem Soleimani commanded the Quds Force": """
        ASK {
          ?q rdfs:label "Qasem Soleimani" ; kg:commanderOf ?force .
          ?force rdfs:label "Quds Force" .
          ?f rdf:subject ?q ; rdf:predicate kg:commanderOf ; rdf:object ?force ; kg:sentence/nif:anchorOf ?sentence .
        }""",
    "a Shahcheragh attack in Shiraz by Rahmatullah Nowruzov, a citizen of Tajikistan": """
        ASK {
          ?e kg:location/rdfs:label "Shiraz" ; kg:perpetrator ?r ; kg:target ?site .
          ?site rdfs:label ?siteLabel .
          FILTER(CONTAINS(?siteLabel, "Shahcheragh"))
          ?r rdfs:label "Rahmatullah Nowruzov" ; kg:nationality/rdfs:label "Tajikistan" .
          ?f rdf:subject ?e ; rdf:predicate kg:perpetrator ; rdf:object ?r ; kg:sentence/nif:anchorOf ?sentence .
        }""",
    "the article is dated and sourced": """
        ASK {
          ?a a kg:Article ; <http://purl.org/dc/terms/date> "2024-01-05"^^xsd:date ; nif:isString ?text .
        }""",
}

SOURCES = {
    "seed": SHARED / "seed" / "kerman-2024-01-05.jsonl",
    "example": EXAMPLES / "news" / "kerman-2024-01-05.md",
}


@pytest.fixture(scope="module", params=[("seed", "memory"), ("example", "memory"), ("example", "oxigraph")])
def built(request, tmp_path_factory, nlp):
    source, store_kind = request.param
    path: Path = SOURCES[source]
    if not path.exists():
        pytest.skip(f"{path} is not there (../shared absent)")
    store = None if store_kind == "memory" else tmp_path_factory.mktemp("store") / "kg.oxigraph"
    graph = kg.build([path], store=store)
    yield graph
    graph.close()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_expected_fact(built, name):
    result = built.query(PREFIXES + EXPECTED[name])
    assert result.boolean, f"not found: {name}"


def test_graph_passes_the_shapes(built):
    outcome = validate(built.store.triples())
    assert outcome.conforms, outcome.summary
