"""The networkx view of a store: facts as edges with their sources, centrality,
communities, components, and chains of facts between two entities (`kg path`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import kg
from kg import analytics
from kg.cli import EXIT_ERROR, EXIT_OK, main

from .conftest import EXAMPLES

ARTICLES = [
    kg.Article(
        text="Gunmen killed 10 people at a market in the city of Maiduguri in Nigeria on Monday. "
        "The militant group Boko Haram claimed responsibility for the attack.",
        title="Market attack",
        date=dt.date(2019, 1, 8),
        source_id="market",
        url="https://news.example/market",
    ),
    kg.Article(
        text="Angela Merkel, the Chancellor of Germany, met Emmanuel Macron in Paris on Friday.",
        title="Leaders meet",
        date=dt.date(2018, 5, 4),
        source_id="leaders",
    ),
]


@pytest.fixture(scope="module")
def two() -> kg.KnowledgeGraph:
    return kg.build(ARTICLES, settings=kg.Settings(linker="none"))


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("example") / "kg.oxigraph"
    assert main(["build", str(EXAMPLES / "news"), "--store", str(store), "--no-progress"]) == EXIT_OK
    return store


def labelled(graph: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    return {(graph.nodes[s]["label"], d["predicate"], graph.nodes[o]["label"]) for s, o, d in graph.edges(data=True)}


def test_facts_are_edges_with_their_sentence_and_article(two: kg.KnowledgeGraph) -> None:
    g = two.to_networkx()
    assert isinstance(g, nx.MultiDiGraph)
    assert ("Angela Merkel", "nationality", "Germany") in labelled(g)
    meeting = next(n for n, t in g.nodes(data="type") if t == "Meeting")
    assert {(d["predicate"], g.nodes[o]["label"]) for _, o, d in g.out_edges(meeting, data=True)} >= {
        ("agent", "Angela Merkel"),
        ("target", "Emmanuel Macron"),
    }
    (s, o, key, data), *_ = [
        e
        for e in g.edges(keys=True, data=True)
        if e[3]["predicate"] == "nationality" and g.nodes[e[0]]["label"] == "Angela Merkel"
    ]
    assert "/fact/" in key and data["property"] == "https://kg.example.org/ontology#nationality"
    assert data["sentence"].startswith("Angela Merkel, the Chancellor of Germany")
    assert (data["title"], data["date"], data["source"]) == ("Leaders meet", "2018-05-04", "id:leaders")
    assert g.nodes[o]["type"] == "Country" and g.nodes[s]["type"] == "Person"
    assert 0 < data["confidence"] <= 1


def test_an_open_relation_keeps_its_verb() -> None:
    graph = kg.build([kg.Article(text="Microsoft bought Skype for $8.5bn.", source_id="deal")])
    g = graph.to_networkx()
    graph.close()
    (data,) = [d for *_, d in g.edges(data=True)]
    assert data["predicate"] == "buy" and data["property"] == "https://kg.example.org/ontology#relatedTo"


def test_one_edge_per_fact_not_per_triple() -> None:
    text = "Angela Merkel, the Chancellor of Germany, spoke on Monday."
    graph = kg.build(
        [kg.Article(text=text, source_id="one"), kg.Article(text=text + " She left.", source_id="two")],
        settings=kg.Settings(linker="none"),
    )
    g = graph.to_networkx()
    graph.close()
    nationality = [d for _, _, d in g.edges(data=True) if d["predicate"] == "nationality"]
    assert sorted(d["source"] for d in nationality) == ["id:one", "id:two"]


def test_selection_by_confidence_and_date(two: kg.KnowledgeGraph) -> None:
    sure = two.to_networkx(min_confidence=0.68)
    assert "Emmanuel Macron" not in {sure.nodes[o]["label"] for _, o in sure.edges()}  # the target, at 0.65
    assert ("Angela Merkel", "nationality", "Germany") in labelled(sure)  # 0.7
    recent = two.to_networkx(since=dt.date(2019, 1, 1))
    assert {d["title"] for *_, d in recent.edges(data=True)} == {"Market attack"}
    older = two.to_networkx(until=dt.date(2018, 12, 31))
    assert {d["title"] for *_, d in older.edges(data=True)} == {"Leaders meet"}


def test_components_centrality_and_communities(two: kg.KnowledgeGraph) -> None:
    g = two.to_networkx()
    parts = analytics.components(g)
    assert parts.count == 2 and sum(parts.sizes) + parts.isolated == g.number_of_nodes()
    by_degree = {c.label: c.facts for c in analytics.central(g, top=3, by="degree")}
    assert by_degree["Nigeria"] == 5 and by_degree["Attack in Maiduguri (2019-01-07)"] == 5
    ranked = analytics.central(g, top=3)
    assert ranked[0].pagerank >= ranked[1].pagerank >= ranked[2].pagerank > 0
    groups = analytics.communities(g)
    assert groups == analytics.communities(two.to_networkx())  # seeded: the same every run
    merkel = next(c for c in groups if "Angela Merkel" in c.labels)
    assert "Maiduguri" not in merkel.labels


def test_path_explains_the_example_sentence_by_sentence(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["path", str(example), "islamic state", "Tajikistan"]) == EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Islamic State → Tajikistan: 3 facts"
    assert out[1].startswith("1. Islamic State —claimedResponsibilityFor→ Bombing in Kerman")
    assert out[2] == "   “The Islamic State group claimed responsibility for the bombings on Thursday.”"
    assert out[4].startswith("2. Bombing in Kerman (2024-01-03) —perpetrator→ suicide bomber")
    assert "asserted by Ministry of Intelligence" in out[4]
    assert out[7].startswith("3. suicide bomber —nationality→ Tajikistan")
    assert out[8] == (
        "   “Iran's Ministry of Intelligence said on Friday that one of the two suicide bombers was a Tajik national.”"
    )
    assert out[9].startswith("   Iran says a Tajik national was among the Kerman suicide bombers, 2024-01-05, https://")


def test_path_by_qid_walks_facts_backwards(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["path", str(example), "isis-k", "Q863"]) == EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "ISIS-K → Tajikistan: 3 facts"
    assert out[1].startswith("1. ISIS-K ←perpetrator— Bombing in Kerman")


def test_path_says_when_nothing_connects(
    two: kg.KnowledgeGraph, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "kg.oxigraph"
    copy = kg.store.open_store(store)
    copy.apply(kg.store.ChangeSet(insert=tuple(_quads(two))))
    copy.close()
    assert main(["path", str(store), "Angela Merkel", "Nigeria"]) == EXIT_ERROR
    assert "no chain of facts connects Angela Merkel and Nigeria" in capsys.readouterr().err
    assert main(["path", str(store), "Emmanuel Macron", "germany"]) == EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Emmanuel Macron → Germany: 3 facts"
    assert out[1].startswith("1. Emmanuel Macron ←target— Meeting: Angela Merkel → Emmanuel Macron")
    assert out[4].startswith("2. Meeting: Angela Merkel → Emmanuel Macron (2018-05-04) —agent→ Angela Merkel")
    assert out[7].startswith("3. Angela Merkel —nationality→ Germany")
    assert main(["path", str(store), "Nobody Known", "Nigeria"]) == EXIT_ERROR
    assert "no entity called 'Nobody Known'" in capsys.readouterr().err


def _quads(graph: kg.KnowledgeGraph) -> Iterator[tuple[Any, ...]]:
    result = graph.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    yield from result.rows


def test_stats_lists_central_entities_communities_and_components(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats", str(example), "--top", "3"]) == EXIT_OK
    out = capsys.readouterr().out
    assert re.search(r"^components \d+ connected by facts, largest \d+ nodes", out, re.MULTILINE)
    central = out.split("most central (PageRank):\n", 1)[1].splitlines()
    assert "Iran (Country, Q794)" in central[0]
    assert "communities (Louvain) of 3 nodes or more: " in out
