"""Enrichment: Wikidata facts of linked entities, in their own graph; and the kb commands."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import kg
from kg.cli import EXIT_OK, main
from kg.link.enrich import enrich
from kg.link.importers import import_file
from kg.link.kb import KnowledgeBase

from .conftest import make_article

FIXTURES = Path(__file__).parent / "fixtures"
TEXT = "Two blasts struck the city of Kerman in Iran on Wednesday, the news agency Reuters reported."


@pytest.fixture
def kb_path(tmp_path: Path) -> Path:
    path = tmp_path / "kb.sqlite"
    with KnowledgeBase(path) as kb:
        import_file(kb, FIXTURES / "kb_entities.jsonl")
    return path


def wikidata_graph(graph: kg.KnowledgeGraph) -> dict[str, set[str]]:
    rows = graph.query("""SELECT ?s ?p ?o WHERE { GRAPH <https://kg.example.org/graph/wikidata> { ?s ?p ?o } }""")
    out: dict[str, set[str]] = {}
    for r in rows:
        out.setdefault(str(r["p"]).rsplit("/", 1)[-1].rsplit("#", 1)[-1], set()).add(str(r["o"]))
    return out


def test_enrich_from_the_kb_is_idempotent(tmp_path: Path, kb_path: Path) -> None:
    settings = kg.Settings(linker="kb", kb_path=str(kb_path))
    graph = kg.build([make_article(TEXT)], store=tmp_path / "kg.oxigraph", settings=settings)
    with KnowledgeBase(kb_path, read_only=True) as kb:
        assert enrich(graph.store, kb, base_iri=settings.base_iri) == (2, 3)  # Kerman, Reuters; Iran not in this base
        quads = graph.store.quad_count()
        enrich(graph.store, kb, base_iri=settings.base_iri)
        assert graph.store.quad_count() == quads
    facts = wikidata_graph(graph)
    assert facts["description"] >= {"city in Kerman Province, Iran", "news agency"}
    graph.close()


class _Sparql(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        return

    def do_GET(self) -> None:
        body = {
            "head": {"vars": ["item", "label", "description", "classes", "country"]},
            "results": {
                "bindings": [
                    {
                        "item": {"type": "uri", "value": "http://www.wikidata.org/entity/Q999000001"},
                        "label": {"type": "literal", "value": "Kerman", "xml:lang": "en"},
                        "description": {"type": "literal", "value": "city (from the endpoint)", "xml:lang": "en"},
                        "classes": {"type": "literal", "value": "http://www.wikidata.org/entity/Q515"},
                    }
                ]
            },
        }
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def test_federated_enrichment_asks_the_endpoint(tmp_path: Path, kb_path: Path, capsys) -> None:
    store = tmp_path / "kg.oxigraph"
    settings = kg.Settings(linker="kb", kb_path=str(kb_path))
    kg.build([make_article(TEXT)], store=store, settings=settings).close()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Sparql)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        assert main(["enrich", str(store), "--federated", endpoint]) == EXIT_OK
    finally:
        server.shutdown()
        server.server_close()
    assert "Wikidata facts for 1 of 3 linked entities" in capsys.readouterr().out
    graph = kg.open_graph(store)
    facts = wikidata_graph(graph)
    graph.close()
    assert facts["description"] == {"city (from the endpoint)"} and facts["P31"] == {
        "http://www.wikidata.org/entity/Q515"
    }


def test_kb_commands(tmp_path: Path, capsys) -> None:
    kb = str(tmp_path / "kb.sqlite")
    assert (
        main(["kb", "--kb", kb, "import", "--bare", str(FIXTURES / "kb_entities.jsonl"), str(FIXTURES / "dump.json")])
        == EXIT_OK
    )
    out = capsys.readouterr()
    assert "9 entities imported" in out.out and "4 entities imported, 2 skipped" in out.out
    assert "dump.json:4: malformed JSON" in out.err
    assert main(["kb", "--kb", kb, "stats"]) == EXIT_OK
    assert "13 entities" in capsys.readouterr().out
    assert main(["kb", "--kb", kb, "lookup", "kerman"]) == EXIT_OK
    assert capsys.readouterr().out.count("Kerman") >= 2
    assert main(["kb", "--kb", kb, "lookup", "Revolutionary Guard"]) == EXIT_OK
    assert "Islamic Revolutionary Guard Corps" in capsys.readouterr().out
    assert main(["kb", "--kb", kb, "import", str(tmp_path / "nope.json")]) == 1
    assert "no such file" in capsys.readouterr().err
