"""Exports: GraphML and GEXF that networkx reads back as they were written, a facts CSV and
DataFrame with IRIs, QIDs and sources, RDF in four syntaxes, and CONSTRUCT as Turtle."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib

import kg
from kg.cli import EXIT_OK, main
from kg.export import FACT_COLUMNS, export, write_graph

TEXT = (
    "Iran's Ministry of Intelligence said on Friday that one of the two suicide bombers was a Tajik national. "
    'The Islamic State group claimed responsibility for the bombing in Kerman, calling it "a blow".'
)


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> kg.KnowledgeGraph:
    store = tmp_path_factory.mktemp("export") / "kg.oxigraph"
    article = kg.Article(text=TEXT, title="Kerman & <after>", source_id="kerman", url="https://news.example/k")
    kg.build([article], store=str(store), settings=kg.Settings(linker="none")).close()
    return kg.open_graph(store)  # read-only: the CLI may open it beside this one


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_formats_round_trip_through_networkx(graph: kg.KnowledgeGraph, fmt: str) -> None:
    g = graph.to_networkx()
    buffer = io.BytesIO()
    write_graph(g, buffer, fmt)
    buffer.seek(0)
    back = nx.read_graphml(buffer, force_multigraph=True) if fmt == "graphml" else nx.read_gexf(buffer)
    assert isinstance(back, nx.MultiDiGraph)
    assert set(back.nodes) == set(g.nodes)
    assert sorted(back.edges(keys=True)) == sorted(g.edges(keys=True))
    for node, data in g.nodes(data=True):
        assert back.nodes[node] == {k: v for k, v in data.items() if v is not None}
    for s, o, key, data in g.edges(keys=True, data=True):
        read = {k: v for k, v in back.edges[s, o, key].items() if k != "id"}  # GEXF numbers its edges
        assert read == {k: v for k, v in data.items() if v is not None}
    assert any(d.get("qid") == "Q863" for _, d in back.nodes(data=True))
    assert any(d["sentence"].startswith("The Islamic State group") for *_, d in back.edges(data=True))


def test_facts_csv_has_iris_qids_articles_and_sentences(graph: kg.KnowledgeGraph, tmp_path: Path) -> None:
    out = tmp_path / "facts.csv"
    assert main(["export", graph.store.location, "-o", str(out)]) == EXIT_OK
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == FACT_COLUMNS
    nationality = next(r for r in rows if r["predicate"] == "nationality")
    assert nationality["object"] == "https://kg.example.org/entity/Q863" and nationality["object_qid"] == "Q863"
    assert (
        nationality["object_label"] == "Tajikistan" and nationality["asserted_by_label"] == "Ministry of Intelligence"
    )
    assert nationality["subject"].startswith("https://kg.example.org/article/")
    assert nationality["sentence"].startswith("Iran's Ministry of Intelligence said")
    assert (nationality["title"], nationality["source"], nationality["url"]) == (
        "Kerman & <after>",
        "id:kerman",
        "https://news.example/k",
    )
    assert int(nationality["end"]) > int(nationality["begin"]) >= 0
    values = [r for r in rows if r["object_datatype"]]
    assert all(r["object_label"] == "" for r in values)


def test_dataframe(graph: kg.KnowledgeGraph) -> None:
    pytest.importorskip("pandas")
    frame = graph.to_dataframe()
    assert tuple(frame.columns) == FACT_COLUMNS
    assert "Q863" in set(frame["object_qid"].dropna())
    assert frame["confidence"].between(0, 1).all()


@pytest.mark.parametrize(("fmt", "syntax"), [("ttl", "ttl"), ("trig", "trig"), ("nq", "nq"), ("jsonld", "jsonld")])
def test_rdf_exports_parse(graph: kg.KnowledgeGraph, tmp_path: Path, fmt: str, syntax: str) -> None:
    out = tmp_path / f"kg.{fmt}"
    export(graph.store, out, fmt)
    parsed = list(ox.parse(path=str(out), format=ox.RdfFormat.from_extension(syntax)))
    if fmt == "ttl":  # one graph: the union
        assert len(parsed) == len({(q.subject, q.predicate, q.object) for q in graph.store._store})  # type: ignore[attr-defined]
    else:
        assert len(parsed) == graph.store.quad_count()


def test_construct_prints_turtle_that_parses(graph: kg.KnowledgeGraph, capsys: pytest.CaptureFixture[str]) -> None:
    query = (
        "PREFIX kg: <https://kg.example.org/ontology#> "
        "PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> "
        "CONSTRUCT { ?s kg:said ?text } WHERE { ?s nif:anchorOf ?text }"
    )
    assert main(["query", graph.store.location, query]) == EXIT_OK
    turtle = capsys.readouterr().out
    assert turtle.startswith("@prefix ")
    parsed = rdflib.Graph().parse(data=turtle, format="turtle")
    assert rdflib.Literal(
        'The Islamic State group claimed responsibility for the bombing in Kerman, calling it "a blow".'
    ) in set(parsed.objects())
    assert len(list(ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE))) == len(parsed)
    assert main(["query", graph.store.location, query, "--format", "json"]) == EXIT_OK
    assert isinstance(json.loads(capsys.readouterr().out), list)  # JSON-LD
    assert main(["query", graph.store.location, query, "--format", "nt"]) == EXIT_OK
    assert len(capsys.readouterr().out.strip().splitlines()) == len(parsed)
