"""The online Wikidata client against a real loopback server speaking Wikidata's JSON."""

from __future__ import annotations

import bz2
import json
import logging
from pathlib import Path

import pytest

import kg
from kg.link.kb import KnowledgeBase
from kg.link.wikidata import OnlineLinker, WikidataClient, WikidataError, WikidataUnavailableError

from .conftest import SHARED, make_article
from .wikidata_server import FakeWikidata

FIXTURES = Path(__file__).parent / "fixtures"


def entities() -> dict[str, dict]:
    """Entity objects in Wikidata's format: the shared sample when present, else our fixture dump."""
    sample = SHARED / "data" / "wikidata-json-sample" / "sample_wikidata_items.json.bz2"
    if sample.exists():
        with bz2.open(sample, "rt", encoding="utf-8") as f:
            lines = f.read().splitlines()
    else:
        lines = (FIXTURES / "dump.json").read_text(encoding="utf-8").splitlines()
    out = {}
    for raw in lines:
        line = raw.strip().rstrip(",")
        if line.startswith("{"):
            try:
                entity = json.loads(line)
            except json.JSONDecodeError:
                continue
            if entity.get("type") == "item":
                out[entity["id"]] = entity
    return out


@pytest.fixture
def server():
    with FakeWikidata(entities()) as fake:
        yield fake


def client(server: FakeWikidata, waits: list[float], **options: object) -> WikidataClient:
    return WikidataClient(server.url, sleep=waits.append, timeout=0.5, **options)  # type: ignore[arg-type]


def test_search_and_entities(server: FakeWikidata) -> None:
    waits: list[float] = []
    c = client(server, waits)
    some = next(iter(server.entities.values()))
    label = some["labels"]["en"]["value"]
    assert c.search(label) == [some["id"]]
    got = c.entities([some["id"], "Q999999999"])
    assert list(got) == [some["id"]]  # the missing one is left out
    request = server.requests[-1]
    assert request["params"]["maxlag"] == "5" and request["agent"].startswith("kg/")
    assert waits == []


def test_batches_of_fifty(server: FakeWikidata) -> None:
    c = client(server, [])
    c.entities([f"Q{n}" for n in range(1, 121)])
    sizes = [len(r["params"]["ids"].split("|")) for r in server.requests]
    assert sizes == [50, 50, 20]


def test_429_honours_retry_after(server: FakeWikidata) -> None:
    waits: list[float] = []
    server.script.extend(["429", "429"])
    assert client(server, waits).search("nothing") == []
    assert waits == [2.0, 2.0] and len(server.requests) == 3


def test_maxlag_waits_and_retries(server: FakeWikidata) -> None:
    waits: list[float] = []
    server.script.append("maxlag")
    client(server, waits).search("nothing")
    assert waits == [5.0] and len(server.requests) == 2


def test_timeout_is_retried_then_reported(server: FakeWikidata) -> None:
    waits: list[float] = []
    server.script.append("slow")
    assert client(server, waits).search("nothing") == []
    assert len(waits) == 1
    server.script.extend(["slow"] * 3)
    with pytest.raises(WikidataUnavailableError, match="timed out"):
        client(server, [], retries=2).search("nothing")


def test_errors_and_budget(server: FakeWikidata) -> None:
    server.script.append("500")
    with pytest.raises(WikidataError, match="HTTP 500"):
        client(server, []).search("x")
    with pytest.raises(WikidataError, match="budget of 2 spent"):
        c = client(server, [], budget=2)
        for _ in range(3):
            c.search("x")


def test_unreachable() -> None:
    with pytest.raises(WikidataUnavailableError, match="cannot reach"):
        WikidataClient("http://127.0.0.1:9/w/api.php", timeout=0.5, retries=0).search("x")


def test_online_linker_fills_the_kb_and_then_works_offline(tmp_path: Path, server: FakeWikidata, analyse) -> None:
    wanted = ("Chicago", "Testville")  # a city of the shared sample, else of our fixture dump
    target = next(e for e in server.entities.values() if e["labels"].get("en", {}).get("value", "") in wanted)
    name = target["labels"]["en"]["value"]
    text = f"Officials in {name} said the talks would continue."
    kb = KnowledgeBase(tmp_path / "kb.sqlite")
    linker = OnlineLinker(kb, client=client(server, []))
    graph = linker.link(analyse(text))
    assert {n.label: n.qid for n in graph.nodes}.get(name) == target["id"]
    assert target["id"] in kb
    asked = len(server.requests)
    graph = linker.link(analyse(text))  # asked before: no new requests
    assert len(server.requests) == asked
    again = OnlineLinker(kb, client=client(server, []), everything=True)  # another run, the same base
    assert {n.label: n.qid for n in again.link(analyse(text)).nodes}.get(name) == target["id"]
    assert len(server.requests) == asked  # the base remembers what it was searched for
    kb.close()


def test_auto_linker_without_network_warns_once(tmp_path: Path, monkeypatch, caplog) -> None:
    monkeypatch.setenv("KG_WIKIDATA_API", "http://127.0.0.1:9/w/api.php")
    settings = kg.Settings(linker="auto", kb_path=str(tmp_path / "kb.sqlite"))
    articles = [make_article("Police in Springfield arrested two men."), make_article("Officials in Shelbyville met.")]
    with caplog.at_level(logging.WARNING):
        graph = kg.build(articles, settings=settings)
    assert graph.report.articles == 2
    warnings = [r for r in caplog.records if "not reachable" in r.getMessage()]
    assert len(warnings) == 1
    graph.close()
