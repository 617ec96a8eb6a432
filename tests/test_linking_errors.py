"""The wrong links issue 12 names, on sentences of our own in the same shapes.

Each case has the wrong entity in the knowledge base and, where the right one exists,
the right one too; the entities are ours (synthetic QIDs, Q999003xxx) and the countries
are the package's (their QIDs read from ``countries.tsv`` through the country table).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from kg.extract.gazetteer import country_table
from kg.link.kb import KnowledgeBase
from kg.link.linker import KBLinker
from kg.model import ArticleGraph

from .kbs import entity_kb


def _country(iso2: str) -> str:
    qid = country_table().by_iso2[iso2].qid
    assert qid
    return qid


def _class(label: str) -> str:
    """A class QID as ``kg/link/classes.tsv`` (made from the shared slice) gives it."""
    from importlib import resources

    text = resources.files("kg.link").joinpath("classes.tsv").read_text(encoding="utf-8")
    return next(line.split("\t")[0] for line in text.splitlines() if line.split("\t")[1:2] == [label])


def entities() -> list[dict[str, object]]:
    us, city, state = _country("US"), _class("city"), _class("state of the United States")
    return [
        # a famous namesake of a knight's first name, and the knight himself
        {"qid": "Q999003001", "label": "Walter Quayle", "aliases": ["Walter"], "type": "PER", "popularity": 0.8,
         "description": "American animator and film director"},
        {"qid": "Q999003002", "label": "Walter Pelling", "type": "PER", "popularity": 0.2,
         "description": "British civil servant, head of the National Audit Office"},
        # an actress with a surname an MP shares
        {"qid": "Q999003003", "label": "Marion Hollis", "aliases": ["Hollis"], "type": "PER", "popularity": 0.9,
         "description": "English actress"},
        # a US legislator with the name of a British presenter (who is not in this base)
        {"qid": "Q999003004", "label": "Gareth Pryce", "type": "PER", "country": _country("US")},
        {"qid": "Q999003005", "label": "BBC", "type": "ORG", "popularity": 0.8,
         "description": "British public service broadcaster"},
        # two lower houses of one name
        {"qid": "Q999003006", "label": "House of Commons", "type": "ORG", "popularity": 0.6,
         "aliases": ["Canadian House of Commons"], "description": "lower house of the Parliament of Canada"},
        {"qid": "Q999003007", "label": "House of Commons", "type": "ORG", "popularity": 0.3,
         "aliases": ["British House of Commons", "UK House of Commons"],
         "description": "lower house of the Parliament of the United Kingdom"},
        # "Parliament" as another country's
        {"qid": "Q999003008", "label": "Parliament of Sri Lanka", "aliases": ["Parliament"], "type": "ORG",
         "popularity": 0.7, "description": "legislature of Sri Lanka"},
        {"qid": "Q999003009", "label": "Parliament of the United Kingdom", "type": "ORG", "popularity": 0.4,
         "aliases": ["UK Parliament", "British Parliament"], "description": "legislature of the United Kingdom"},
        # two towns of one name, in two states
        {"qid": "Q999003010", "label": "Fairhaven", "type": "LOC", "p31": [city], "popularity": 0.6, "country": us,
         "located_in": "Q999003013", "description": "town in Connecticut, United States"},
        {"qid": "Q999003011", "label": "Fairhaven", "type": "LOC", "p31": [city], "popularity": 0.4, "country": us,
         "located_in": "Q999003012", "description": "city in Solano County, California, United States"},
        {"qid": "Q999003012", "label": "California", "type": "LOC", "p31": [state], "popularity": 1.0, "country": us,
         "description": "state of the United States of America"},
        {"qid": "Q999003013", "label": "Connecticut", "type": "LOC", "p31": [state], "popularity": 0.9,
         "country": us, "description": "state of the United States of America"},
        # a city and the county of its name
        {"qid": "Q999003015", "label": "Ventura", "type": "LOC", "p31": [city], "popularity": 0.9, "country": us,
         "description": "city in California, United States"},
        {"qid": "Q999003016", "label": "Ventura County", "type": "LOC", "popularity": 0.5, "country": us,
         "description": "county in California, United States"},
        # software that NER reads as a person
        {"qid": "Q999003014", "label": "Penguix", "type": "OTHER", "popularity": 0.9,
         "description": "family of open-source operating systems for servers"},
    ]  # fmt: skip


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    base = entity_kb(tmp_path_factory.mktemp("kb-errors"), entities())
    yield base
    base.close()


Analyse = Callable[[str], ArticleGraph]


def links(analyse: Analyse, kb: KnowledgeBase, text: str) -> dict[str, str | None]:
    graph = KBLinker(kb).link(analyse(text))
    return {n.label: n.qid for n in graph.nodes if n.kind == "entity"}


def test_a_knight_is_not_a_famous_namesake(analyse: Analyse, kb: KnowledgeBase) -> None:
    # "Sir John Bourn (National Audit Office) → John Lasseter"
    found = links(analyse, kb, "Sir Walter Pelling, the head of the National Audit Office, said the project was late.")
    assert "Q999003001" not in found.values()
    assert found.get("Walter Pelling", found.get("Sir Walter Pelling")) == "Q999003002"  # the honorific dropped


def test_a_surname_alone_is_not_another_person(analyse: Analyse, kb: KnowledgeBase) -> None:
    # "Edward Leigh → Vivien Leigh"
    found = links(
        analyse, kb, "Edmund Hollis, who chairs the committee, called the report damning. Hollis said ministers erred."
    )
    assert "Q999003003" not in found.values()


def test_a_name_of_another_country_s_person_stays_unlinked(analyse: Analyse, kb: KnowledgeBase) -> None:
    # "Jonathan Ross the BBC presenter → a US legislator"
    text = "Gareth Pryce will return to his BBC chat show in London on Friday, British papers said."
    found = links(analyse, kb, text)
    assert found.get("Gareth Pryce") is None
    assert found.get("BBC") == "Q999003005"


def test_an_institution_is_the_article_country_s(analyse: Analyse, kb: KnowledgeBase) -> None:
    # "House of Commons in a British article → the Canadian one although the UK's is in the KB"
    found = links(analyse, kb, "MPs in the House of Commons voted on the bill, and Britain's prime minister spoke.")
    assert found.get("House of Commons") == "Q999003007"


def test_parliament_is_never_another_country_s(analyse: Analyse, kb: KnowledgeBase) -> None:
    # '"Parliament" → Parliament of Sri Lanka'
    british = links(analyse, kb, "Parliament will debate the budget next week, a minister said in Britain.")
    assert british.get("Parliament") in (None, "Q999003009")
    assert "Q999003008" not in british.values()
    nowhere = links(analyse, kb, "Parliament will debate the budget next week, a minister said.")
    assert nowhere.get("Parliament") is None  # no country, no parliament


def test_a_town_is_the_one_in_the_state_the_article_names(analyse: Analyse, kb: KnowledgeBase) -> None:
    # '"Fairfield, California" → Fairfield, Connecticut'
    found = links(analyse, kb, "Firefighters battled a blaze in Fairhaven, California, on Sunday.")
    assert found.get("Fairhaven") == "Q999003011"
    other = links(analyse, kb, "Firefighters battled a blaze in Fairhaven, Connecticut, on Sunday.")
    assert other.get("Fairhaven") == "Q999003010"


def test_a_county_of_a_plural_kind_is_the_county(analyse: Analyse, kb: KnowledgeBase) -> None:
    # "Los Angeles" of "Los Angeles, Orange, ... Counties" → the city of Los Angeles
    found = links(analyse, kb, "Fires burned in Ventura, Orange and San Bernardino Counties in California on Monday.")
    assert found.get("Ventura County") == "Q999003016"
    assert "Q999003015" not in found.values()


def test_the_kb_type_corrects_the_ner_type(analyse: Analyse, kb: KnowledgeBase) -> None:
    # '"Linux" typed as a Person'
    text = "Penguix, the open-source operating system, runs most servers in Britain. Engineers say Penguix is stable, "
    text += "and British banks use it."
    graph = analyse(text)
    before = next(n for n in graph.nodes if n.label == "Penguix")
    assert before.type == "Person"  # what the small model reads
    assert any(f.subject == before.key and f.predicate == "nationality" for f in graph.facts)  # a guess for a person
    # a lower threshold than the shipped one: the correction, not the confidence, is tested here
    linked = KBLinker(kb, threshold=0.5).link(graph)
    node = next(n for n in linked.nodes if n.label == "Penguix")
    assert node.qid == "Q999003014" and node.type == "Entity"
    assert not any(f.subject == node.key and f.predicate == "nationality" for f in linked.facts)
