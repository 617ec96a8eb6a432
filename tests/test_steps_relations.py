"""Relation steps (`kg.extract.relations`) and the attribution finishers
(`kg.extract.attribution`), on sentences of our own."""

from __future__ import annotations

import pytest

from kg.model import Key

from .steps import found, graph

# (sentence, facts (subject, property, object, extractor) that must be found)
CASES = [
    # relations.patterns
    ("Mark Rutte, the Dutch prime minister, said the cabinet would meet on Tuesday.",
     {("Mark Rutte", "nationality", "Netherlands", "nationality.appos_demonym")}),
    ("The bureau, based in The Hague, employs 400 people.", {("bureau", "locatedIn", "Hague", "located.based_in")}),
    # relations.titles
    ("President Emmanuel Macron visited the factory in Lyon.",
     {("Emmanuel Macron", "positionHeld", "President", "title.position")}),
    # relations.descriptions
    ("Anna Kowalski is a Polish lawyer who works for a firm in Warsaw.",
     {("Anna Kowalski", "nationality", "Poland", "nationality.copula_description")}),
    # relations.state_offices
    ("Zhou Enlai, the Premier of China, met the delegation in Beijing.",
     {("Zhou Enlai", "nationality", "China", "nationality.state_office")}),
    # relations.comma_places
    ("The company opened an office in Reno, Nevada, last year.", {("Reno", "locatedIn", "Nevada", "located.comma")}),
    ("Sacramento, California, in the United States, declared an emergency.",
     {("Sacramento", "locatedIn", "California", "located.comma")}),
    # relations.in_places
    ("She was born in Buttenhausen in Münsingen in 1950.",
     {("Buttenhausen", "locatedIn", "Münsingen", "located.in_surface")}),
    # relations.open
    ("Volkswagen built a factory in Monterrey.", {("Volkswagen", "relatedTo", "Monterrey", "open.svo")}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_relation_facts(nlp, text: str, expected: set[tuple[str, str, str, str]]) -> None:
    facts = found(graph(nlp, text))
    assert expected <= facts, sorted(facts)


def test_a_relative_clause_names_the_person(nlp) -> None:
    """relations.named_relative: "a citizen of Tajikistan, whom officials named as X" is X."""
    g = graph(nlp, "Officers detained a citizen of Tajikistan, whom local authorities named as Rahim Nazarov.")
    facts = found(g)
    assert ("Rahim Nazarov", "nationality", "Tajikistan", "nationality.citizen_noun_of") in facts, sorted(facts)


def test_open_relations_keep_their_verb(nlp) -> None:
    g = graph(nlp, "Volkswagen built a factory in Monterrey.")
    assert [f.verb for f in g.facts if f.predicate == "relatedTo"] == ["build in"]


# attribution finishers: (sentence, subject, property, object, speaker label or None, hedged)
ATTRIBUTION = [
    # attribution.sources: who says so
    ("The ministry said it had arrested eleven people.", "Arrest", "arrestedCount", "11", "ministry", False),
    ("Police in Lagos said the Tajikistani suspect had been detained.", "Tajikistani suspect", "nationality",
     "Tajikistan", "Police", False),
    # attribution.hedged_arguments: "alleged", a modal
    ("The alleged bomber was arrested in Konduga on Monday.", "Arrest in Konduga (2024-01-01)", "arrested", "bomber",
     None, True),
    ("Police may have arrested the suspect in Lagos.", "Arrest in Lagos", "agent", "Police", None, True),
    # attribution.unverifiable: the next sentence says it cannot be verified
    ("The group said it carried out the attack. The claim could not be independently verified.", "Attack",
     "perpetrator", "group", "group", True),
]  # fmt: skip


@pytest.mark.parametrize(("text", "subject", "predicate", "obj", "speaker", "hedged"), ATTRIBUTION)
def test_attribution(nlp, text: str, subject: str, predicate: str, obj: str, speaker: str | None, hedged: bool) -> None:
    g = graph(nlp, text)
    labels = {n.key: n.label for n in g.nodes}
    facts = [
        f
        for f in g.facts
        if labels.get(f.subject) == subject
        and f.predicate == predicate
        and (labels.get(f.object) if isinstance(f.object, Key) else str(f.object.value)) == obj
    ]
    assert facts, sorted(found(g))
    assert (labels.get(facts[0].speaker) if facts[0].speaker else None, facts[0].hedged) == (speaker, hedged)
