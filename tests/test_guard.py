"""What a user's query may do: checks on its parse, and bounds on its time, rows and memory."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from kg.errors import QueryError, QueryLimitError
from kg.query.check import check_query
from kg.query.sparql import QueryLimits, format_result, run
from kg.store import OxigraphStore, open_store

EX = "http://example.org/"


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    """2,000 triples in memory: a two-way cross product has 4 million rows, three ways 8 billion."""
    store = open_store(None)
    assert isinstance(store, OxigraphStore)
    quads = [
        ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(f"value {i}"), ox.NamedNode(f"{EX}g"))
        for i in range(2000)
    ]
    store._store.extend(quads)
    return store


class _Endpoint(http.server.BaseHTTPRequestHandler):
    """A SPARQL endpoint on loopback that answers one binding and counts its requests."""

    hits: ClassVar[list[str]] = []

    def _answer(self) -> None:
        type(self).hits.append(self.path)
        body = json.dumps(
            {"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": EX + "remote"}}]}}
        )
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def endpoint() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Endpoint.hits = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


SERVICE_PLACES = [
    "SELECT * WHERE { SERVICE <{e}> { ?s ?p ?o } }",
    "SELECT * WHERE { ?a ?b ?c FILTER EXISTS { SERVICE SILENT <{e}> { ?s ?p ?o } } }",
    "SELECT * WHERE { { SELECT ?s WHERE { OPTIONAL { SERVICE <{e}> { ?s ?p ?o } } } } }",
    "ASK { MINUS { SERVICE <{e}> { ?s ?p ?o } } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o BIND(EXISTS { SERVICE <{e}> { ?a ?b ?c } } AS ?z) }",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY (EXISTS { SERVICE <{e}> { ?a ?b ?c } })",
    "SELECT * WHERE { ?s ?p ?o } GROUP BY ?s HAVING (EXISTS { SERVICE <{e}> { } })",
    "PREFIX r: <{e}> SELECT * WHERE { SERVICE r: { ?s ?p ?o } }",
    "SELECT * WHERE { VALUES ?x { <{e}> } SERVICE ?x { ?s ?p ?o } }",
    # the bypass of the old check: `\\#` in a name read as the start of a comment
    "PREFIX ex: <http://e/> SELECT ?s WHERE { OPTIONAL { ?x ex:a\\# ?y } SERVICE <{e}> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE\n# a comment\n<{e}> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("template", SERVICE_PLACES)
def test_service_is_refused_wherever_the_query_puts_it(store, endpoint, template) -> None:
    with pytest.raises(QueryError):
        run(store, template.replace("{e}", endpoint), limits=QueryLimits(timeout=10))
    assert _Endpoint.hits == []


def test_an_allowed_endpoint_is_called_and_no_other(store, endpoint) -> None:
    query = f"SELECT ?s WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}"
    result = run(store, query, allow_service=[endpoint], limits=QueryLimits(timeout=10))
    assert [str(r["s"]) for r in result] == [EX + "remote"]
    assert len(_Endpoint.hits) == 1
    with pytest.raises(QueryError, match="not allowed"):
        run(store, query, allow_service=["http://127.0.0.1:9/other"])
    with pytest.raises(QueryError, match="not allowed"):  # a variable endpoint could be any host
        run(store, "SELECT * WHERE { BIND(<http://x/> AS ?e) SERVICE ?e { ?s ?p ?o } }", allow_service=[endpoint])
    assert len(_Endpoint.hits) == 1


def test_words_that_look_like_service_or_updates_are_data(store) -> None:
    run(store, 'SELECT * WHERE { ?s ?p "SERVICE <http://x/> { }" } # SERVICE INSERT DROP')
    run(store, "SELECT ?insert ?drop WHERE { ?insert ?p ?drop } LIMIT 1")


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://a/> <http://b/> <http://c/> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <http://example.org/g>",
        "PREFIX ex: <http://e/> WITH <http://g/> DELETE { ?s ?p ?o } INSERT { ?s ex:q ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused_and_change_nothing(store, update) -> None:
    before = store.quad_count()
    with pytest.raises(QueryError, match="update"):
        run(store, update)
    assert store.quad_count() == before


def test_a_malformed_query_gets_the_parsers_position(store) -> None:
    with pytest.raises(QueryError, match=r"line 2, column \d+"):
        run(store, "SELECT ?s\nWHERE { ?s ?p }")


def test_the_parse_gives_form_and_variables() -> None:
    checked = check_query("PREFIX ex: <http://e/> ASK { ?who ex:said ?what FILTER(?what != 'x') }")
    assert checked.form == "ask"
    assert checked.variables == {"who", "what"}


def test_a_runaway_query_stops_at_its_time_limit(store) -> None:
    started = time.monotonic()
    with pytest.raises(QueryLimitError, match="after 1 s"):
        run(store, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", limits=QueryLimits(timeout=1))
    assert time.monotonic() - started < 20  # unbounded, it runs for hours
    assert len(run(store, "SELECT ?s WHERE { ?s ?p ?o }", limits=QueryLimits(timeout=10))) == 2000  # still usable


def test_rows_over_the_cap_are_cut_and_the_result_says_so(store) -> None:
    result = run(store, "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f }", limits=QueryLimits(max_rows=7))
    assert len(result) == 7 and result.truncated
    whole = run(store, "SELECT ?s WHERE { ?s ?p ?o }", limits=QueryLimits(max_rows=2000))
    assert len(whole) == 2000 and not whole.truncated
    triples = run(
        store, "CONSTRUCT { ?a <http://x/p> ?d } WHERE { ?a ?b ?c . ?d ?e ?f }", limits=QueryLimits(max_rows=3)
    )
    assert len(triples) == 3 and triples.truncated


def test_a_query_over_its_memory_is_stopped(store) -> None:
    query = "SELECT ?a ?c ?d ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"  # sorts 4 million rows
    with pytest.raises(QueryLimitError, match="more than 64 MB"):
        run(store, query, limits=QueryLimits(timeout=60, memory_mb=64))


def test_the_child_sees_what_the_caller_wrote(tmp_path: Path) -> None:
    for location in (None, tmp_path / "disk.oxigraph"):
        store = open_store(location)
        store.replace_graph(URIRef(EX + "g1"), [(URIRef(EX + "a"), URIRef(EX + "p"), Literal("x\x1by"))])
        rows = list(run(store, "SELECT ?o WHERE { ?s ?p ?o }", limits=QueryLimits(timeout=10)))
        assert [str(r["o"]) for r in rows] == ["x\x1by"]
        store.close()


def test_control_characters_never_reach_a_terminal_raw(store) -> None:
    mem = open_store(None)
    evil = "bell\x07 esc\x1b[2J nul\x00 csi\x9b6n rtl\u202etxt.exe"
    mem.replace_graph(URIRef(EX + "g"), [(URIRef(EX + "a"), URIRef(EX + "title"), Literal(evil))])
    result = run(mem, "SELECT ?t WHERE { ?a ?p ?t }")
    table = format_result(result, "table")
    for raw in ("\x07", "\x1b", "\x00", "\x9b", "\u202e"):
        assert raw not in table
    assert "esc\\x1b[2J" in table and "\\u202e" in table
    csv_text = format_result(result, "csv")
    assert evil in csv_text  # exact when written to a file or a pipe
    assert "\x1b" not in format_result(result, "csv", terminal=True)
    json_text = format_result(result, "json")
    assert "\x9b" not in json_text and "\u202e" not in json_text and "\x1b" not in json_text
    assert json.loads(json_text)["results"]["bindings"][0]["t"]["value"] == evil  # the same value


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pseudo-terminal")
def test_kg_query_on_a_terminal_prints_escapes(tmp_path: Path) -> None:
    import pty

    query = tmp_path / "evil.rq"
    query.write_text('SELECT ?t WHERE { BIND("ring\\u0007 clear\\u001b[2J" AS ?t) }', encoding="utf-8")
    out = b""
    for fmt in ("table", "csv", "json"):
        main_fd, child_fd = pty.openpty()
        kg = Path(sys.executable).with_name("kg")
        proc = subprocess.run([str(kg), "query", "memory", str(query), "--format", fmt], stdout=child_fd,
                              stderr=child_fd, timeout=60, check=False)  # fmt: skip
        os.close(child_fd)
        while True:
            try:
                chunk = os.read(main_fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        os.close(main_fd)
        assert proc.returncode == 0, out
    assert b"\x1b" not in out and b"\x07" not in out
    assert b"\\x1b[2J" in out or b"\\u001b[2J" in out
