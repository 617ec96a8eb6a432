"""Relation steps (`kg.extract.relations`) and the attribution finishers
(`kg.extract.attribution`), on sentences of our own."""

from __future__ import annotations

import pytest

from kg.model import Key

from .steps import found, graph, plain

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


# affiliations: (sentence, facts (subject, property, object, extractor) that must be found)
AFFILIATIONS = [
    # relations.titles: the title as written, at the organisation or state named before it
    ("Tory shadow education secretary Tim Collins criticised the plan.",
     {("Tim Collins", "positionHeld", "shadow education secretary", "title.position"),
      ("shadow education secretary", "positionAt", "Conservative Party", "title.position_at")}),
    ("Shadow education secretary Tim Collins criticised the plan.",
     {("Tim Collins", "positionHeld", "Shadow education secretary", "title.position")}),
    ("Ex-chat show host Robert Kilroy-Silk will contest the seat.",  # "ex-" says when, as "former" does
     {("Robert Kilroy-Silk", "positionHeld", "chat show host", "title.position")}),
    ("BBC correspondent James Robbins reported from Moscow.",
     {("James Robbins", "employer", "BBC", "title.role"),
      ("correspondent", "positionAt", "BBC", "title.position_at")}),
    ("Turkey's President Recep Erdogan met the delegation.",
     {("Recep Erdogan", "positionHeld", "President", "title.position"),
      ("President", "positionAt", "Turkey", "title.position_at")}),
    ("Labour MP Diane Abbott criticised the plan.",
     {("Diane Abbott", "memberOf", "Labour Party", "title.role"),
      ("Diane Abbott", "positionHeld", "MP", "title.position")}),
    ("Labour MPs Diane Abbott and Bob Marshall-Andrews voted against the bill.",
     {("Diane Abbott", "memberOf", "Labour Party", "title.role"),
      ("Bob Marshall-Andrews", "memberOf", "Labour Party", "title.role")}),
    ("Police spokesman John Smith said the suspect was detained.",
     {("John Smith", "spokespersonOf", "police", "title.role")}),
    ("Analyst Jane Doe of Goldman Sachs said sales were weak.",
     {("Jane Doe", "employer", "Goldman Sachs", "title.role")}),
    ("Republican Kevin McCarthy received 192 votes.",
     {("Kevin McCarthy", "memberOf", "Republican Party", "title.party")}),
    ("Representative Alexandria Ocasio-Cortez (D-NY) voted against the bill.",
     {("Alexandria Ocasio-Cortez", "memberOf", "Democratic Party", "title.party_letter")}),
    # relations.patterns: appositions, copulas, possessives, "of", verbs
    ("John Smith, the chief executive of Acme Corp, resigned on Monday.",
     {("John Smith", "leaderOf", "Acme Corp", "role.appos_of"),
      ("John Smith", "positionHeld", "chief executive", "role.appos_of.position"),
      ("chief executive", "positionAt", "Acme Corp", "role.appos_of.position_at")}),
    ("The chief executive of Acme Corp, John Smith, resigned on Monday.",
     {("John Smith", "leaderOf", "Acme Corp", "role.of_appos_name")}),
    ("Cochilco vice president Patricio Cartagena said demand was strong.",
     {("Patricio Cartagena", "employer", "Cochilco", "role.noun_appos_name")}),
    ("Zhou Enlai, the Premier of China, met the delegation.",
     {("Premier", "positionAt", "China", "role.appos_of.position_at")}),
    ("Labour's Alan Milburn attacked the Tories.",
     {("Alan Milburn", "memberOf", "Labour Party", "member.possessive_name")}),
    ("Peter Brown, who works for Siemens, was arrested.", {("Peter Brown", "employer", "Siemens", "role.work_for")}),
    ("Jane Doe was appointed chief executive of Acme Corp in May.",
     {("Jane Doe", "leaderOf", "Acme Corp", "role.appointed")}),
    ("John Smith became chairman of Acme Corp in 2001.", {("John Smith", "leaderOf", "Acme Corp", "role.become")}),
    ("Mugabe ruled Zimbabwe, serving as its first prime minister.",
     {("prime minister", "positionAt", "Zimbabwe", "role.as_clause_poss.position_at")}),
    ("Thierry Henry plays for Arsenal.", {("Thierry Henry", "memberOf", "Arsenal", "member.play_for")}),
    ("The Supreme Court is led by President Brenda Hale.",
     {("Brenda Hale", "leaderOf", "Supreme Court", "role.led_by")}),
    ("A spokesman for the ministry said the talks had failed.",
     {("spokesman", "spokespersonOf", "ministry", "role.noun_of")}),
    # what a role noun says of one person named in coordination it says of each; plural role nouns
    ("Two Democratic Representatives, Ann Lee and Raj Patel, voted against the bill.",
     {("Ann Lee", "memberOf", "Democratic Party", "role.noun_appos_name"),
      ("Raj Patel", "memberOf", "Democratic Party", "role.noun_appos_name"),
      ("Raj Patel", "positionHeld", "Representative", "role.noun_appos_name.position")}),
    # a party by its member's noun
    ("Mary Jones, a Democrat, opposed the measure.",
     {("Mary Jones", "memberOf", "Democratic Party", "member.a_party")}),
    ("Tom Baker is a Republican from Idaho.", {("Tom Baker", "memberOf", "Republican Party", "member.is_a_party")}),
    # a party among the modifiers before a title
    ("Incumbent Republican US Senator Tom Baker lost the race.",
     {("Tom Baker", "memberOf", "Republican Party", "title.party")}),
    # organisation nouns inside a title
    ("Tory shadow local government secretary Jane Dorrell criticised the council.",
     {("Jane Dorrell", "positionHeld", "shadow local government secretary", "title.position"),
      ("shadow local government secretary", "positionAt", "Conservative Party", "title.position_at")}),
    # "in" after a title of no unit is where the person works
    ("Tom Baker, a professor of law in the University of Leeds, spoke.",
     {("Tom Baker", "employer", "University of Leeds", "role.appos_of")}),
    # role nouns of the lexicon: scientists work for an organisation; owners hold a post of it
    ("Jane Dorrell, an astronomer at NASA, found the comet.", {("Jane Dorrell", "employer", "NASA", "role.appos_of")}),
    ("Tom Baker, owner of Acme Corp, sold the firm.",
     {("Tom Baker", "positionHeld", "owner", "role.appos_of.position"),
      ("owner", "positionAt", "Acme Corp", "role.appos_of.position_at")}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), AFFILIATIONS)
def test_affiliations(nlp, text: str, expected: set[tuple[str, str, str, str]]) -> None:
    facts = found(graph(nlp, text))
    assert expected <= facts, sorted(facts)


# (sentence, a fact that must not be found): titles that say less than they seem to
NOT_AFFILIATIONS = [
    ("Labour Chancellor Gordon Brown presented the budget.", ("Gordon Brown", "leaderOf", "Labour Party")),
    ("Ms Roche, Labour MP for Hornsey and Wood Green, spoke.", ("Ms Roche", "memberOf", "Hornsey and Wood Green")),
    ("Cochilco vice president Patricio Cartagena said it.", ("Patricio Cartagena", "leaderOf", "Cochilco")),
    ("John Smith is a leader of the party.", ("John Smith", "leaderOf", "party")),
    ("British actor John Smith starred in the film.", ("actor", "positionAt", "United Kingdom")),
    # the chairman of a unit in an organisation chairs the unit only
    ("Ann Lee, chairman of the Senate committee on energy in Congress, spoke.", ("chairman", "positionAt", "Congress")),
    # "its" ties a title to an organisation only when the text names one
    ("A firm said its chief executive, Tom Baker, had resigned.", ("Tom Baker", "leaderOf", "firm")),
]  # fmt: skip


@pytest.mark.parametrize(("text", "absent"), NOT_AFFILIATIONS)
def test_titles_that_are_no_affiliation(nlp, text: str, absent: tuple[str, str, str]) -> None:
    assert absent not in plain(graph(nlp, text))


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


def test_unnamed_holders_hold_no_post(nlp) -> None:
    """ "Officials in Leeds", "three other officials of the council": a tie at most, no post."""
    for text in ("Officials in Leeds said the road would reopen.", "Two officials of the council were arrested."):
        assert not [n for n in graph(nlp, text).nodes if n.type == "Position"], text
