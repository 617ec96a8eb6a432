"""Stores: change sets applied whole or not at all; graphs replaced as a whole; queries read-only."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef

from kg.errors import QueryError, StoreError
from kg.query.sparql import run
from kg.store import ChangeSet, open_store

G1 = URIRef("https://kg.example.org/article/0123456789abcdef0123")
G2 = URIRef("https://kg.example.org/article/fedcba9876543210fedc")
P = URIRef("https://kg.example.org/ontology#p")


def t(s: str, o: object) -> tuple:
    return (URIRef(f"https://kg.example.org/entity/{s}"), P, Literal(o))


@pytest.fixture(params=["memory", "oxigraph"])
def store(request, tmp_path: Path):
    s = open_store(None if request.param == "memory" else tmp_path / "kg.oxigraph")
    yield s
    s.close()


def count(store) -> int:
    return int(str(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"]))


def test_replace_is_idempotent_and_per_graph(store) -> None:
    store.replace_graph(G1, [t("a", 1), t("b", 2)])
    store.replace_graph(G2, [t("c", 3)])
    store.replace_graph(G1, [t("a", 1), t("b", 2)])
    assert count(store) == 3
    store.replace_graph(G1, [t("a", 9)])
    assert count(store) == 2
    assert sorted(map(str, store.graphs())) == sorted([str(G1), str(G2)])


def test_failed_write_leaves_the_store_as_it_was(store) -> None:
    store.replace_graph(G1, [t("a", 1), t("b", 2)])
    broken = [t("a", 5), (URIRef("https://kg.example.org/entity/x"), P, object())]
    with pytest.raises(StoreError):
        store.replace_graph(G1, broken)
    bad_iri = [t("a", 5), (URIRef("https://kg.example.org/entity/x> <y"), P, Literal(1))]
    with pytest.raises(StoreError):
        store.replace_graph(G1, bad_iri)
    assert count(store) == 2


def test_blank_nodes_are_refused_in_inserts_and_updates(store) -> None:
    store.replace_graph(G1, [t("a", 1)])
    for blank in [(BNode("b1"), P, Literal(2)), (t("a", 1)[0], P, BNode("b2"))]:
        with pytest.raises(StoreError, match="blank nodes"):
            store.apply(ChangeSet(insert=((*t("c", 3), G2), (*blank, G2))))
        with pytest.raises(StoreError, match="blank nodes"):
            store.replace_graph(G1, [t("a", 5), blank])
    assert count(store) == 1
    assert [str(o) for _, _, o in store.triples()] == ["1"]


def test_a_change_set_is_one_transaction(store) -> None:
    store.replace_graph(G1, [t("a", 1)])
    store.replace_graph(G2, [t("b", 2)])
    changes = ChangeSet(
        drop=(G1,),
        delete=((*t("b", 2), G2),),
        insert=((*t("c", 'quote " and \\ and } ; DROP ALL'), G2), (*t("d", "\x00\x1b[31m"), G1)),
    )
    store.apply(changes)
    rows = {(str(r["s"]).rsplit("/", 1)[-1], str(r["o"])) for r in store.query("SELECT ?s ?o WHERE { ?s ?p ?o }")}
    assert rows == {("c", 'quote " and \\ and } ; DROP ALL'), ("d", "\x00\x1b[31m")}


def test_bindings_are_substituted_not_formatted(store) -> None:
    store.replace_graph(G1, [t("a", 'x" } ; DROP ALL ; #'), t("b", "y")])
    result = run(store, "SELECT ?s ?o WHERE { ?s ?p ?o }", bindings={"o": Literal('x" } ; DROP ALL ; #')})
    assert [str(r["s"]).rsplit("/", 1)[-1] for r in result] == ["a"]


def test_bad_sparql_names_the_position(store) -> None:
    with pytest.raises(QueryError, match=r"(?i)syntax error.*(1:|line 1)"):
        store.query("SELECT ?x WHERE { ?x ?y }")


def test_service_and_updates_are_refused(store) -> None:
    with pytest.raises(QueryError, match="SERVICE"):
        run(store, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    run(store, 'SELECT * WHERE { ?s ?p "SERVICE" }')  # the word inside a string is fine
    with pytest.raises(QueryError, match="update"):
        run(store, "DROP ALL")


def test_read_only_and_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store here"):
        open_store(tmp_path / "missing", read_only=True)
    writer = open_store(tmp_path / "kg.oxigraph")
    writer.replace_graph(G1, [t("a", 1)])
    writer.close()
    reader = open_store(tmp_path / "kg.oxigraph", read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        reader.replace_graph(G1, [t("b", 1)])
    reader.close()


def test_remote_stores_are_not_pretended(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not supported yet"):
        open_store("http://localhost:7878")
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="directory"):
        open_store(tmp_path / "file")
