"""The shipped queries on a corpus of several articles: every row once, and rows that do
not multiply with the number of articles that mention an entity."""

from __future__ import annotations

from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

import kg
from kg.store import open_store

from .conftest import EXAMPLES
from .test_resume import versions

ARTICLES = [kg.Article(text=r["text"], title=r["title"], source_id=r["id"]) for r in versions()[0]]
"""The fixture corpus four times over, each copy a little different: 36 articles."""
ONCE = ARTICLES[: len(ARTICLES) // 4]
STATEMENT = kg.Article(
    text="The interior ministry released a statement on Friday. It said that 14 people had been arrested.",
    source_id="statement",
)
"""An article with a statement, in both corpora: every shipped query has something to find."""
SHIPPED = sorted(EXAMPLES.joinpath("queries").glob("*.rq")) + sorted(
    Path(str(p)) for p in resources.files("kg.query").joinpath("queries").iterdir() if p.name.endswith(".rq")
)
BIND = {"entity.rq": {"name": "QASEM soleimani"}, "find_entity.rq": {"name": "qasem SOLEIMANI"}}
PREFIXES = """PREFIX kg: <https://kg.example.org/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""


def graph_of(articles: list[kg.Article]) -> kg.KnowledgeGraph:
    return kg.build(articles, store=open_store(None), settings=kg.Settings(linker="none"))


@pytest.fixture(scope="module")
def four() -> kg.KnowledgeGraph:
    return graph_of([*ARTICLES, STATEMENT])


@pytest.fixture(scope="module")
def one() -> kg.KnowledgeGraph:
    return graph_of([*ONCE, STATEMENT])


def rows(graph: kg.KnowledgeGraph, query: Path) -> list[tuple[object, ...]]:
    return list(graph.query(query, **BIND.get(query.name, {})).rows)


@pytest.mark.parametrize("query", SHIPPED, ids=lambda p: p.name)
def test_every_row_once(four: kg.KnowledgeGraph, query: Path) -> None:
    result = rows(four, query)
    assert result, f"{query.name} found nothing"
    repeated = [row for row, n in Counter(result).items() if n > 1]
    assert not repeated, f"{query.name}: {len(repeated)} rows repeated, e.g. {repeated[0]}"


def test_rows_follow_facts_not_articles(one: kg.KnowledgeGraph, four: kg.KnowledgeGraph) -> None:
    for graph in (one, four):
        primary = graph.query(PREFIXES + "SELECT (COUNT(?f) AS ?n) WHERE { ?f a kg:Fact ; kg:primary true }")
        assert len(rows(graph, EXAMPLES / "queries" / "facts.rq")) == int(str(primary.rows[0][0]))
        about = graph.query(
            PREFIXES + "SELECT ?name (COUNT(?f) AS ?n) WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?name . "
            "{ ?f rdf:subject ?e } UNION { ?f rdf:object ?e } } GROUP BY ?name",
            name="Qasem Soleimani",
        )
        assert len(rows(graph, EXAMPLES / "queries" / "entity.rq")) == int(str(about.rows[0][1]))
    claims_once = rows(one, EXAMPLES / "queries" / "claims.rq")
    claims = four.query(EXAMPLES / "queries" / "claims.rq")
    assert len(claims) == len(claims_once) == 2  # Islamic State and the Taliban, however many reports
    assert {int(str(r["reports"])) for r in claims} == {4}


def test_entities_are_counted_once(one: kg.KnowledgeGraph, four: kg.KnowledgeGraph) -> None:
    named = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?t FILTER(STRSTARTS(STR(?e), STR(ent:))) }"
    named = "PREFIX ent: <https://kg.example.org/entity/> " + named
    assert four.query(named).rows == one.query(named).rows
    nodes = {str(r["label"]): int(str(r["articles"])) for r in four.query("viz_nodes")}
    assert nodes["Qasem Soleimani"] == 8 and nodes["Tony Blair"] == 12
    assert four.stats()["articles"] == 37 == four.report.built
    assert four.stats()["facts"] == four.report.facts


def test_the_entity_layer_agrees_with_the_articles(four: kg.KnowledgeGraph) -> None:
    from kg.corpus import Corpus
    from kg.rdf.namespaces import Minter

    assert Corpus(four.store, Minter(four.settings.base_iri)).audit() == []
