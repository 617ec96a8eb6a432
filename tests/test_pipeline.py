"""The pipeline: chunking keeps offsets, long articles parse like short ones, the Python API."""

from __future__ import annotations

import itertools

import pytest

import kg
from kg.pipeline import chunk_spans

from .conftest import EXAMPLES


@pytest.mark.parametrize("words", [5, 20, 150])
def test_chunks_cover_the_text_exactly(words: int) -> None:
    text = ("First paragraph has a few words. Another sentence here.\n\n" * 7) + "Last one. " * 80
    spans = chunk_spans(text, words)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert "".join(text[s:e] for s, e in spans) == text


def test_a_long_article_keeps_its_offsets(nlp) -> None:
    body = (EXAMPLES / "news" / "kerman-2024-01-05.md").read_text(encoding="utf-8").split("---", 2)[2]
    text = "\n\n".join([body.strip()] * 4)
    graph = kg.build([kg.Article(text=text, source="<test>")], settings=kg.Settings(chunk_words=40))
    rows = graph.query(
        """PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
           SELECT ?b ?e ?anchor WHERE { ?m nif:beginIndex ?b ; nif:endIndex ?e ; nif:anchorOf ?anchor }"""
    )
    assert len(rows) > 50
    for row in rows:
        assert text[int(str(row["b"])) : int(str(row["e"]))] == str(row["anchor"])
    graph.close()


def test_python_api(tmp_path) -> None:
    with kg.build([EXAMPLES / "news"], store=tmp_path / "kg.oxigraph") as graph:
        assert graph.report.articles == 1 and graph.report.skipped == 0
        rows = list(graph.query(EXAMPLES / "queries" / "entity.rq", name="Qasem Soleimani"))
        assert any(r["predicate"] and str(r["predicate"]) == "commanderOf" for r in rows)
        assert len(graph.graph) > 300  # the rdflib view of the same store
        assert (graph.serialize(format="nq") or "").count("\n") == graph.stats()["quads"]


def test_one_path_is_one_input() -> None:
    """A string is a path, not a sequence of one-character paths."""
    with kg.build(str(EXAMPLES / "news")) as graph:
        assert (graph.report.built, graph.report.skipped) == (1, 0)
        assert graph.stats()["articles"] == 1
