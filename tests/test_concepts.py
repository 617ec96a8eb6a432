"""Posts and kinds of people linked to their Wikidata items (`kg.link.concepts`).

The items are ours (synthetic QIDs, Q999004xxx) with the classes of
``kg/link/concepts.tsv`` (read from it, not written here); sentences of our own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import resources

import pytest
from rdflib import URIRef

from kg.link.kb import KnowledgeBase
from kg.link.linker import KBLinker
from kg.model import ArticleGraph, Key
from kg.rdf.build import article_rdf
from kg.rdf.namespaces import ITSRDF, Minter

from .kbs import entity_kb


def _class(label: str) -> str:
    text = resources.files("kg.link").joinpath("concepts.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    return next(row[0] for row in rows if row[1:2] == [label])


def entities() -> list[dict[str, object]]:
    profession, position, office = _class("profession"), _class("position"), _class("public office")
    corporate, nationality, population = _class("corporate title"), _class("nationality"), _class("human population")
    return [
        {"qid": "Q999004001", "label": "lawyer", "aliases": ["attorney"], "p31": [profession], "popularity": 0.9},
        {"qid": "Q999004002", "label": "attorney at law", "aliases": ["attorney"], "p31": [profession],
         "popularity": 0.2},
        {"qid": "Q999004003", "label": "Prime Minister of the United Kingdom", "p31": [office],
         "aliases": ["British Prime Minister"]},
        {"qid": "Q999004004", "label": "prime minister", "p31": [position], "popularity": 0.8},
        {"qid": "Q999004005", "label": "president", "p31": [position], "popularity": 0.9,
         "description": "leader of a state"},
        {"qid": "Q999004006", "label": "president", "p31": [corporate], "popularity": 0.9,
         "description": "leader of an organisation"},
        {"qid": "Q999004007", "label": "disc jockey", "aliases": ["DJ"],
         "description": "person who plays recorded music for an audience"},
        {"qid": "Q999004008", "label": "Britons", "p31": [nationality, population],
         "description": "citizens or residents of the United Kingdom"},
        {"qid": "Q999004009", "label": "Britons", "p31": [population],
         "description": "Celtic people of Iron Age Britain"},
        {"qid": "Q999004010", "label": "judge", "aliases": ["justice"], "p31": [profession]},
        {"qid": "Q999004011", "label": "executive", "p31": [profession]},
        {"qid": "Q999004012", "label": "reporter", "description": "a newspaper's column of court reports"},
        {"qid": "Q999004013", "label": "boss", "p31": [position]},
        {"qid": "Q999004015", "label": "chief executive officer", "aliases": ["chief executive"], "p31": [corporate]},
        {"qid": "Q999004014", "label": "model", "description": "person employed to display products"},
    ]  # fmt: skip


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    base = entity_kb(tmp_path_factory.mktemp("kb-concepts"), entities())
    yield base
    base.close()


Analyse = Callable[[str], ArticleGraph]


def posts(graph: ArticleGraph) -> dict[str, str | None]:
    return {n.label: n.qid for n in graph.nodes if n.type == "Position"}


def kinds(graph: ArticleGraph) -> dict[str, str]:
    """Head word → the item of its kind."""
    text = graph.article.text
    return {text[m.head_start : m.head_end]: graph.concepts[m.id] for m in graph.mentions if m.id in graph.concepts}


def test_a_post_at_a_state_is_that_state_s_post(analyse: Analyse, kb: KnowledgeBase) -> None:
    graph = KBLinker(kb).link(analyse("British Prime Minister David Cameron lost the vote in London on Thursday."))
    assert posts(graph) == {"Prime Minister": "Q999004003"}
    holder = next(n.key for n in graph.nodes if n.label == "David Cameron")
    assert any(f.subject == holder and f.predicate == "positionHeld" and f.object.value == "Q999004003"
               for f in graph.facts)  # fmt: skip


def test_a_post_named_with_no_place_is_the_kind_of_post(analyse: Analyse, kb: KnowledgeBase) -> None:
    linker = KBLinker(kb)
    assert posts(linker.link(analyse("Legendary DJ Casey Kasem has died at the age of 82."))) == {
        "Legendary DJ": "Q999004007"  # the description makes it a kind of person; "Legendary" only describes him
    }
    assert posts(linker.link(analyse("Justice Kim Hargrave adjourned the hearing until Monday."))) == {
        "Justice": "Q999004010"
    }


def test_a_capital_title_before_one_word_stays_unlinked(analyse: Analyse, kb: KnowledgeBase) -> None:
    # the NER took "Yuan" of "Executive Yuan" for a person with the title "Executive"
    graph = KBLinker(kb).link(analyse("Executive Yuan spokesperson Hu Yu-wei said that the firm would pay."))
    assert "Q999004011" not in posts(graph).values()


def test_an_organisation_s_head_noun_is_no_one_s_name(analyse: Analyse, kb: KnowledgeBase) -> None:
    graph = KBLinker(kb).link(analyse("Justice Department spokeswoman Tracy Schmaler said the lawsuit had no merit."))
    assert "Department" not in {n.label for n in graph.nodes}
    assert "Q999004010" not in posts(graph).values()  # no judge


def test_nominal_mentions_of_kinds_of_people(analyse: Analyse, kb: KnowledgeBase) -> None:
    graph = KBLinker(kb).link(
        analyse("A lawyer for the family said reporters had waited outside. She hired an attorney.")
    )
    found = kinds(graph)
    assert found["lawyer"] == "Q999004001"
    assert found["attorney"] == "Q999004001"  # two items have the alias; the lawyer is far more popular
    assert "reporters" not in found  # an item without a class whose description is not of a person


def test_a_name_two_kinds_share_stays_unlinked(analyse: Analyse, kb: KnowledgeBase) -> None:
    graph = KBLinker(kb).link(analyse("The president of the club resigned on Monday after the vote."))
    assert "president" not in kinds(graph)


def test_a_plural_demonym_is_the_people_of_its_country(analyse: Analyse, kb: KnowledgeBase) -> None:
    graph = KBLinker(kb).link(analyse("Most Britons think the plan is reckless, a poll showed on Monday."))
    assert kinds(graph) == {"Britons": "Q999004008"}
    adjective = KBLinker(kb).link(analyse("A British poll showed on Monday that the plan was unpopular."))
    assert kinds(adjective) == {}


def test_kinds_are_written_as_class_references(analyse: Analyse, kb: KnowledgeBase) -> None:
    graph = KBLinker(kb).link(analyse("A family lawyer said the court had erred."))
    triples = article_rdf(graph, minter=Minter("https://kg.example.org/")).triples
    refs = [(s, o) for s, p, o in triples if p == ITSRDF.taClassRef]
    assert refs == [(refs[0][0], URIRef("http://www.wikidata.org/entity/Q999004001"))]
    anchors = {str(o) for s, p, o in triples if s == refs[0][0] and str(p).endswith("anchorOf")}
    assert anchors == {"lawyer"}


def test_a_partitive_is_not_annotated_on_its_quantifier(analyse: Analyse, kb: KnowledgeBase) -> None:
    # "one of the lawyers" is headed by "one", which names no kind
    graph = KBLinker(kb).link(analyse("One of the lawyers said the ruling would be appealed."))
    assert "One" not in kinds(graph)


def test_a_post_named_with_its_organisation_is_not_the_kind(analyse: Analyse, kb: KnowledgeBase) -> None:
    # "Yukos boss" is the post at Yukos, not every boss: only words describing the holder are dropped
    graph = KBLinker(kb).link(analyse("Yukos boss Mikhail Petrov said the company would appeal the tax bill."))
    assert "Q999004013" not in posts(graph).values()


def test_only_people_are_annotated_with_kinds(analyse: Analyse, kb: KnowledgeBase) -> None:
    # the car "models" are no fashion models
    graph = KBLinker(kb).link(analyse("Initially, the carmaker said it would produce 100,000 Mini models a year."))
    assert "models" not in kinds(graph)


def test_a_post_at_an_organisation_has_its_kind(analyse: Analyse, kb: KnowledgeBase) -> None:
    graph = KBLinker(kb).link(analyse("Jane Marlowe, the chief executive of Acme Logistics, said profits rose."))
    post = next(n for n in graph.nodes if n.type == "Position" and n.label == "chief executive")
    assert post.qid is None  # the post at Acme stays its own ...
    kinds_of = {(f.subject, f.object) for f in graph.facts if f.predicate == "postKind"}
    assert kinds_of == {(post.key, Key.wikidata("Q999004015"))}  # ... of the kind "chief executive officer"
    kind = next(n for n in graph.nodes if n.key == Key.wikidata("Q999004015"))
    assert (kind.type, kind.label) == ("Position", "chief executive officer")
