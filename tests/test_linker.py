"""Linking: the ranker on fixtures, and the seed article against the knowledge base of the
shared data (QIDs read from the shared gazetteer, never written here)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import kg
from kg.link.importers import CsvMapping, import_file
from kg.link.kb import KnowledgeBase
from kg.link.linker import KBLinker

from .conftest import make_article

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def fixture_kb(tmp_path_factory) -> Iterator[KnowledgeBase]:
    path = tmp_path_factory.mktemp("kb") / "kb.sqlite"
    with KnowledgeBase(path) as kb:
        import_file(kb, FIXTURES / "kb_entities.jsonl")
    kb = KnowledgeBase(path, read_only=True)
    yield kb
    kb.close()


def linked(analyse, kb: KnowledgeBase, text: str) -> dict[str, tuple[str, float]]:
    graph = KBLinker(kb).link(analyse(text))
    return {n.label: (n.qid, n.link_score) for n in graph.nodes if n.qid}  # type: ignore[misc]


def test_city_beats_province_for_a_bare_place_name(analyse, fixture_kb: KnowledgeBase) -> None:
    links = linked(analyse, fixture_kb, "Two blasts struck the city of Kerman in Iran on Wednesday.")
    assert links["Kerman"][0] == "Q999000001"


def test_a_concept_is_not_the_group(analyse, fixture_kb: KnowledgeBase) -> None:
    links = linked(analyse, fixture_kb, "The Islamic State claimed responsibility for the attack.")
    assert "Islamic State" not in links  # "Islamic state" (a form of government) stays a non-link


def test_people_are_not_places_and_acronyms_are_found(analyse, fixture_kb: KnowledgeBase) -> None:
    links = linked(
        analyse,
        fixture_kb,
        "Qasem Soleimani, the commander of the IRGC's Quds Force, was killed in Iraq. Soleimani was 62, Iran said.",
    )  # an acronym made from a name is weak evidence: the article's country (Iran) supports it
    assert links["Qasem Soleimani"][0] == "Q999000005"
    assert links.get("Soleimani", ("Q999000005",))[0] == "Q999000005"  # the surname is the man, never the village
    assert links["Quds Force"][0] == "Q999000004"
    assert all(0.0 < score <= 1.0 for _, score in links.values())


def test_an_acronym_finds_the_name_it_abbreviates(analyse, fixture_kb: KnowledgeBase) -> None:
    graph = analyse("Commanders of the IRGC met in Tehran, Iran said.")
    decisions = {d.node.label: d for d in KBLinker(fixture_kb).explain(graph)}
    best = decisions["IRGC"].ranked[0]
    assert best.candidate.entity.qid == "Q999000007" and best.candidate.kind == "acronym"


def test_weak_candidates_stay_unlinked(analyse, fixture_kb: KnowledgeBase) -> None:
    links = linked(analyse, fixture_kb, "Shoppers crowded into Bazaar on Monday.")
    assert "Bazaar" not in links  # one name, no context, unknown popularity: below the threshold


@pytest.fixture(scope="module")
def shared_kb(tmp_path_factory, shared: Path) -> Path:
    data = shared / "data"
    path = tmp_path_factory.mktemp("kb-shared") / "kb.sqlite"
    places = data / "countries-states-cities"
    with KnowledgeBase(path) as kb:
        import_file(kb, places / "countries.csv", mapping=CsvMapping(subtype="country", population_column="population"))
        for name, subtype in (("states.csv", "region"), ("cities_major.csv", "city")):
            mapping = CsvMapping(subtype=subtype, country_column="country_code", population_column="population")
            import_file(kb, places / name, mapping=mapping)
        import_file(kb, data / "wikidata-slice" / "entities.jsonl")
    return path


def _gazetteer_qid(shared: Path, file: str, name: str, country: str | None = None) -> str:
    with (shared / "data" / "countries-states-cities" / file).open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["name"] == name and (country is None or row.get("country_code") == country):
                return row["wikiDataId"]
    raise LookupError(name)


def test_seed_article_links_what_the_gazetteer_holds(shared: Path, shared_kb: Path) -> None:
    expected = {
        "Iran": _gazetteer_qid(shared, "countries.csv", "Iran"),
        "Tajikistan": _gazetteer_qid(shared, "countries.csv", "Tajikistan"),
        "Afghanistan": _gazetteer_qid(shared, "countries.csv", "Afghanistan"),
        "Kerman": _gazetteer_qid(shared, "cities_major.csv", "Kerman", "IR"),
        "Shiraz": _gazetteer_qid(shared, "cities_major.csv", "Shiraz", "IR"),
    }
    us = _gazetteer_qid(shared, "countries.csv", "United States")
    settings = kg.Settings(linker="kb", kb_path=str(shared_kb))
    graph = kg.build([shared / "seed" / "kerman-2024-01-05.jsonl"], settings=settings)
    rows = graph.query(
        """PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
           SELECT ?label ?item WHERE { ?e owl:sameAs ?item ; rdfs:label ?label }"""
    )
    links = {str(r["label"]): str(r["item"]).rsplit("/", 1)[-1] for r in rows}
    graph.close()
    for label, qid in expected.items():
        assert links.get(label) == qid, (label, links)
    # nothing else is linked: Islamic State, Qasem Soleimani and the IRGC are not in this base
    assert set(links.values()) <= {*expected.values(), us}


def test_tajikistani_mention_points_at_the_linked_country(shared: Path, shared_kb: Path) -> None:
    settings = kg.Settings(linker="kb", kb_path=str(shared_kb))
    graph = kg.build([make_article("One of the bombers held Tajikistani nationality.")], settings=settings)
    rows = graph.query(
        """PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
           PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>
           SELECT ?item WHERE { ?m nif:anchorOf "Tajikistani" ; itsrdf:taIdentRef ?e . ?e owl:sameAs ?item }"""
    )
    assert [str(r["item"]).rsplit("/", 1)[-1] for r in rows] == [_gazetteer_qid(shared, "countries.csv", "Tajikistan")]
    graph.close()


PLACES = [
    {"qid": "Q999100001", "label": "Iran", "type": "LOC", "subtype": "country", "popularity": 0.9},
    {
        "qid": "Q999100002",
        "label": "Kerman Province",
        "type": "LOC",
        "subtype": "region",
        "country": "Q999100001",
        "popularity": 0.6,
    },
    {
        "qid": "Q999100003",
        "label": "Kerman",
        "type": "LOC",
        "subtype": "city",
        "country": "Q999100001",
        "located_in": "Q999100002",
        "popularity": 0.7,
    },
]


@pytest.fixture(scope="module")
def places_kb(tmp_path_factory) -> Iterator[KnowledgeBase]:
    folder = tmp_path_factory.mktemp("kb-places")
    (folder / "places.jsonl").write_text("".join(json.dumps(item) + "\n" for item in PLACES), encoding="utf-8")
    with KnowledgeBase(folder / "kb.sqlite") as kb:
        import_file(kb, folder / "places.jsonl")
    kb = KnowledgeBase(folder / "kb.sqlite", read_only=True)
    yield kb
    kb.close()


def placements(analyse, kb: KnowledgeBase, text: str) -> set[tuple[str, str, str, str]]:
    graph = KBLinker(kb).link(analyse(text))
    labels = {n.key: n.label for n in graph.nodes}
    return {
        (labels[f.subject], f.predicate, labels[f.object], f.extractor)
        for f in graph.facts
        if f.object in labels and f.predicate in ("country", "locatedIn")
    }


def test_the_knowledge_base_places_a_linked_city_in_the_region_the_article_names(
    analyse, places_kb: KnowledgeBase
) -> None:
    text = "Two blasts struck the city of Kerman on Wednesday, officials in Kerman Province said."
    facts = placements(analyse, places_kb, text)
    assert ("Kerman", "locatedIn", "Kerman Province", "kb.located_in") in facts
    assert not {f for f in facts if f[0] == "Kerman Province" and f[2] == "Kerman"}  # never the other way round


def test_the_knowledge_base_adds_nothing_the_article_does_not_name(analyse, places_kb: KnowledgeBase) -> None:
    text = "Two blasts struck the city of Kerman on Wednesday, killing dozens of people."
    facts = placements(analyse, places_kb, text)
    assert not {f for f in facts if f[3].startswith("kb.")}  # no province or country named: nothing to point at


def test_what_referred_to_a_place_read_as_its_team_is_not_left_dangling(analyse) -> None:
    """ "... against Brazil. It is very difficult ...": the place's node goes once its one name
    is the team's; the pronoun the coreference gave it must not point at a node that is gone
    (a KeyError that lost the whole build of 150 BBC articles)."""
    from kg.link.metonymy import split_teams
    from kg.rdf.build import article_rdf
    from kg.rdf.namespaces import Minter

    text = (
        "The only way to get better is by playing, as in World Cup quarter-finals against Brazil. "
        "It is very difficult for any player to come on as a substitute."
    )
    graph = split_teams(analyse(text))
    keys = {n.key for n in graph.nodes}
    assert all(key in keys for key in graph.mention_node.values())
    assert article_rdf(graph, minter=Minter("https://kg.example.org/")).triples  # writes


# (text, names read as teams, names read as places); "cup" and "league" make an article about sport
TEAMS = [
    ("England captain Tom Hale was injured in training on Tuesday.", {"England"}, set()),
    ("In the cup match on Saturday, Portugal beat Denmark 2-1 in Lisbon.", {"Portugal", "Denmark"}, {"Lisbon"}),
    ("The league season opened in Madrid, where Norway play Austria on Sunday.", {"Norway", "Austria"}, {"Madrid"}),
    ("At the indoor cup in Boston, he beat Canada's Tom Reid by four seconds.", set(), {"Canada", "Boston"}),
    ("Portugal beat Denmark in the talks on fishing quotas, officials said.", set(), {"Portugal", "Denmark"}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "teams", "places"), TEAMS)
def test_places_that_stand_for_their_teams(analyse, text: str, teams: set[str], places: set[str]) -> None:
    from kg.link.metonymy import team_mentions

    graph = analyse(text)
    read = team_mentions(graph)
    named = {m.text: m.id in read for m in graph.mentions if m.kind == "name"}
    assert {name for name, team in named.items() if team} == teams, named
    assert places <= {name for name, team in named.items() if not team}, named
