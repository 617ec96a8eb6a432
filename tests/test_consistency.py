"""The same name in the same context links the same way everywhere in a build.

The linker decides from the article and the knowledge base alone (no state carried from
one article to the next), so the same name in the same context gets the same decision in
any article, in any order; an article where the evidence for it was too thin leaves the
name unlinked, and the entity layer joins it to the one entity the build links that name
to (`kg.corpus`). Together: one entity per name and context, whatever the order.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import kg
from kg.extract.gazetteer import country_table
from kg.link.importers import import_file
from kg.link.kb import KnowledgeBase
from kg.link.linker import KBLinker
from kg.store import open_store

from .conftest import make_article
from .test_corpus import quads

UK_LABOUR, NORWAY_LABOUR = "Q999004001", "Q999004002"  # ours, not Wikidata's
BRITISH = {
    "a": "The Labour Party won the vote in Britain, and Labour leaders celebrated in London.",
    "b": "Labour lost two seats in Britain on Thursday, and Labour officials blamed the weather.",
    "c": "Voters in Britain backed Labour again, British papers said.",
}
NORWEGIAN = "The Labour Party won the vote in Norway, and Labour leaders celebrated in Oslo."


def _country(iso2: str) -> str:
    qid = country_table().by_iso2[iso2].qid
    assert qid
    return qid


@pytest.fixture(scope="module")
def kb_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kb-consistency")
    rows = [
        {"qid": UK_LABOUR, "label": "Labour Party", "aliases": ["Labour"], "type": "ORG", "popularity": 0.5,
         "country": _country("GB"), "description": "political party in the United Kingdom"},
        {"qid": NORWAY_LABOUR, "label": "Labour Party", "aliases": ["Labour"], "type": "ORG", "popularity": 0.6,
         "country": _country("NO"), "description": "political party in Norway"},
    ]  # fmt: skip
    (folder / "kb.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with KnowledgeBase(folder / "kb.sqlite") as kb:
        import_file(kb, folder / "kb.jsonl")
    return folder / "kb.sqlite"


def _labour(graph: kg.KnowledgeGraph) -> set[str]:
    """QIDs the entities named Labour (Party) stand for, as the store has them."""
    rows = graph.query(
        """PREFIX kg: <https://kg.example.org/ontology#> PREFIX owl: <http://www.w3.org/2002/07/owl#>
           SELECT DISTINCT ?a ?item WHERE { ?r a kg:Reference ; kg:name ?n ; kg:refersTo ?e .
             FILTER(STRSTARTS(?n, "Labour")) GRAPH ?a { ?r kg:refersTo ?e } OPTIONAL { ?e owl:sameAs ?item } }"""
    )
    return {str(r["item"]).rsplit("/", 1)[-1] if r["item"] is not None else "unlinked" for r in rows}


def test_a_decision_carries_no_state_from_other_articles(analyse, kb_path: Path) -> None:
    with KnowledgeBase(kb_path, read_only=True) as kb:
        alone = KBLinker(kb).link(analyse(BRITISH["a"]))
        linker = KBLinker(kb)
        linker.link(analyse(NORWEGIAN))
        after = linker.link(analyse(BRITISH["a"]))
    assert {n.label: n.qid for n in alone.nodes} == {n.label: n.qid for n in after.nodes}
    assert {n.label: n.qid for n in alone.nodes}.get("Labour Party") == UK_LABOUR


def test_one_name_one_context_one_entity_in_any_order(kb_path: Path) -> None:
    settings = kg.Settings(linker="kb", kb_path=str(kb_path))
    articles = [kg.Article(text=text, source_id=key, source="<test>") for key, text in BRITISH.items()]
    stores = []
    for seed in range(3):
        order = articles[:]
        random.Random(seed).shuffle(order)
        graph = kg.build(order, store=open_store(None), settings=settings)
        assert _labour(graph) == {UK_LABOUR}  # linked or joined, every British Labour is the British party
        stores.append(quads(graph.store))
    assert stores[0] == stores[1] == stores[2]


def test_another_context_links_another_way(kb_path: Path) -> None:
    settings = kg.Settings(linker="kb", kb_path=str(kb_path))
    graph = kg.build([make_article(NORWEGIAN)], settings=settings)
    assert _labour(graph) == {NORWAY_LABOUR}
