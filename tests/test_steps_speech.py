"""What was said (`kg.extract.events.speech`, `kg.extract.quotes`, the attribution of
quoted facts): statements with speaker, content, addressee and the entities named, on
sentences of our own. Each row names the extractor that made the content, so a step
switched off fails its rows."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.extract import extract
from kg.extract.quotes import quotations
from kg.model import ArticleGraph, Key, Passage
from kg.resolve import resolve

from .steps import article, graph

Said = tuple[str | None, str, bool, str | None, str]
"""(speaker label, content, direct, addressee label, extractor of the content)."""


def statements(g: ArticleGraph) -> set[Said]:
    """Every statement of ``g`` with content, as the query reads it: one row a content."""
    labels = {n.key: n.label for n in g.nodes}
    out = set()
    for node in g.nodes:
        if node.type != "Statement":
            continue
        facts = [f for f in g.facts if f.subject == node.key]
        speaker = next(
            (labels.get(f.object) for f in facts if f.predicate == "speaker" and isinstance(f.object, Key)), None
        )
        to = next(
            (labels.get(f.object) for f in facts if f.predicate == "addressee" and isinstance(f.object, Key)), None
        )
        for f in facts:
            if f.predicate == "content" and isinstance(f.object, Passage):
                out.add((speaker, f.object.text, f.object.direct, to, f.extractor))
    return out


def mentioned(g: ArticleGraph) -> set[str]:
    labels = {n.key: n.label for n in g.nodes}
    return {labels[f.object] for f in g.facts if f.predicate == "mentionsEntity" and isinstance(f.object, Key)}


CASES: list[tuple[str, set[Said]]] = [
    # a quotation before its verb, the speaker inverted, with an apposition
    ('"We will rebuild the school," said Maria Lopez, the mayor of Springfield.',
     {("Maria Lopez", "We will rebuild the school", True, None, "speech.quote")}),
    # a quotation after its verb; whom it was said to
    ('The minister told reporters on Tuesday: "The bridge will reopen in May."',
     {("minister", "The bridge will reopen in May.", True, "reporters", "speech.quote")}),
    # reported speech: the clause without "that"; "told" names the addressee
    ("The minister told reporters on Tuesday that the bridge would reopen in May.",
     {("minister", "the bridge would reopen in May", False, "reporters", "speech.reported")}),
    # the clause's subject, which the parse hung on "says" as its object, is kept
    ("Research firm Gartner says 'phone' fraud, where goods are paid for online or by phone, has risen since May.",
     {("Gartner", "'phone' fraud, where goods are paid for online or by phone, has risen since May", False, None,
       "speech.reported")}),
    # a quotation broken by "he said" is one passage, first to last quoted word
    # a quotation the narrator's words divide is one statement of two passages, without them
    ('"We are ready," Tom Baker said, "and we will win."',
     {("Tom Baker", "We are ready", True, None, "speech.quote"),
      ("Tom Baker", "and we will win.", True, None, "speech.quote")}),
    # a quotation going on in the next sentence of the paragraph is the same statement
    ('"The team played well," the coach said. "We will win the final in Madrid."',
     {("coach", "The team played well", True, None, "speech.quote"),
      ("coach", "We will win the final in Madrid.", True, None, "speech.quote")}),
    # a quotation after reported speech is a new statement by the same speaker
    ('The coach insisted the players were fit. "Nobody is injured and everybody will play on Sunday."',
     {("coach", "the players were fit", False, None, "speech.reported"),
      ("coach", "Nobody is injured and everybody will play on Sunday.", True, None, "speech.continued_quote")}),
    # "according to X, ...": the rest of the clause
    ("According to the fire service, the blaze started in a kitchen in Leeds.",
     {("fire service", "the blaze started in a kitchen in Leeds", False, None, "speech.according_to")}),
    ("The blaze started in a kitchen in Leeds, according to the fire service.",
     {("fire service", "The blaze started in a kitchen in Leeds", False, None, "speech.according_to")}),
    # one statement a speech verb: "X said A, saying B" is two
    ("Ahmed Khan said the vote was rigged, saying that ballots had been burned in Lahore.",
     {("Ahmed Khan", "the vote was rigged", False, None, "speech.reported"),
      ("Ahmed Khan", "ballots had been burned in Lahore", False, None, "speech.reported")}),
    # a participle continuing a passive clause is its subject's words, not its agent's
    ("Anna Berg was dropped by the coach Lukas Brandt, claiming she had a knee injury.",
     {("Anna Berg", "she had a knee injury", False, None, "speech.reported")}),
    # a statement noun and its verb are one statement
    ("In a statement, the ministry said the talks with Egypt had failed.",
     {("ministry", "the talks with Egypt had failed", False, None, "speech.reported")}),
    # the noun's addressee: "in a letter to the mayor"
    ("In a letter to the mayor, the residents wrote that the park had been neglected.",
     {("residents", "the park had been neglected", False, "mayor", "speech.reported")}),
    # the object of some verbs is what was said; a to-clause of others
    ("The union denied the allegations of fraud.",
     {("union", "the allegations of fraud", False, None, "speech.reported")}),
    ("The senator vowed to fight the new tax.",
     {("senator", "to fight the new tax", False, None, "speech.reported")}),
    # a quoted characterisation is the subject's words
    ('The opposition leader called the budget "a disgrace".',
     {("opposition leader", "a disgrace", True, None, "speech.quote")}),
    # "the statement" is the statement named so before (kg.resolve.incidents), not the last one made
    ("Mayor Jane Doe said the bridge would close. The BBC website said the repairs would cost two million euros.",
     {("BBC", "the repairs would cost two million euros", False, None, "speech.reported"),
      ("Jane Doe", "the bridge would close", False, None, "speech.reported")}),
    # a quotation opening while one is open ends it (two paragraphs run into one): still one statement
    ('Maria Rossi said: "I have no regrets. "We did nothing wrong beyond standing up for our rights."',
     {("Maria Rossi", 'I have no regrets. "We did nothing wrong beyond standing up for our rights.', True, None,
       "speech.quote")}),
    # the name that ends "according to ...", whatever the parse
    ("According to Connecticut Senator Richard Blumenthal, the plane was built in 1944.",
     {("Richard Blumenthal", "the plane was built in 1944", False, None, "speech.according_to")}),
    # "Speaking to X, ..." and "told the public" name the addressee
    ("Speaking to reporters in Rome, Anna Bianchi said the deal was done.",
     {("Anna Bianchi", "the deal was done", False, "reporters", "speech.reported")}),
    ("The mayor told the public that the water was safe.",
     {("mayor", "the water was safe", False, "public", "speech.reported")}),
    # the hyphen inside a name is no dash setting it apart from a description
    ("Sea-Eye spokesperson Marta Lindqvist said the boat would sail.",
     {("Marta Lindqvist", "the boat would sail", False, None, "speech.reported")}),
    # a sign the parse takes for a noun ends the reported clause with it
    ("Halvorsen Foods has cut its prices by an average of 12%, according to a study by Norbank.",
     {("Norbank", "Halvorsen Foods has cut its prices by an average of 12%", False, None, "speech.according_to")}),
    # "he said" is the last speaker, not a name the speaker spoke of
    ('Anna Berg said Peter Holm would lead the team. "It is the right choice," she said.',
     {("Anna Berg", "Peter Holm would lead the team", False, None, "speech.reported"),
      ("Anna Berg", "It is the right choice", True, None, "speech.quote")}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_statements(nlp: Language, text: str, expected: set[Said]) -> None:
    assert statements(graph(nlp, text)) == expected


# (text, what must not be a statement's content)
NOT_SAID = [
    # scare quotes are nobody's words
    'The so-called "peace plan" was published in March.',
    # a verb after a full stop does not introduce the quotation before it
    '"The plan is dead." But the minister later said nothing.',
    # "denied funding" is a refusal, not what was said
    "Congress denied funding for the wall.",
    # a document says, it does not speak: no speaker, no statement
    "A new study says that coffee is good for the heart.",
    # a speech act not made, and a question asked or explained, say nothing of its content
    "The ministry has not said whether it will appeal against the ruling.",
    "Professor Ito explained why the robot walked on wheels.",
    "The minister did not say that the plan had failed.",
]


@pytest.mark.parametrize("text", NOT_SAID)
def test_not_statements(nlp: Language, text: str) -> None:
    assert statements(graph(nlp, text)) == set()


@pytest.mark.parametrize(
    ("text", "foretold"),
    [
        ("Ms Berg will claim that the figures are wrong.", True),
        ("The minister is expected to say that the plan has failed.", True),
        ("Ms Berg claimed that the figures were wrong.", False),
        ('"The figures are wrong," Ms Berg said.', False),
    ],
)
def test_a_speech_act_foretold_is_hedged(nlp: Language, text: str, foretold: bool) -> None:
    g = graph(nlp, text)
    said = [f for f in g.facts if f.predicate in ("speaker", "content")]
    assert said and {f.hedged for f in said} == {foretold}, [(f.predicate, f.hedged) for f in said]


def test_the_content_names_its_entities(nlp: Language) -> None:
    g = graph(nlp, '"Germany and France will sign the deal in Paris," Olaf Meyer said.')
    assert mentioned(g) == {"Germany", "France", "Paris"}


def test_the_statement_said_is_the_statement_before(nlp: Language) -> None:
    """ "the statement said" is the statement the Red Cross released: its speaker, one node,
    and no agent called "statement"."""
    g = graph(nlp, 'The Red Cross released a statement on Monday. "Our staff are safe," the statement said.')
    assert statements(g) == {("Red Cross", "Our staff are safe", True, None, "speech.quote")}
    assert [n.label for n in g.nodes if n.type == "Statement"] == ["Statement by Red Cross (2024-01-01)"]
    assert not any(n.label.lower() == "statement" for n in g.nodes if n.kind == "entity")


def test_a_fact_in_a_quotation_is_the_speakers(nlp: Language) -> None:
    """In every sentence of the quotation: the second is not in the parse of the verb."""
    text = (
        'Police said on Monday that two men had been arrested in Kerman. "We arrested them at dawn. '
        'Officers detained three more suspects in Bam," the police chief told reporters.'
    )
    g = graph(nlp, text)
    labels = {n.key: n.label for n in g.nodes}
    stated = {
        (
            str(f.object.value),
            labels.get(f.speaker) if f.speaker else None,
            labels.get(f.statement) if f.statement else None,
        )
        for f in g.facts
        if f.predicate == "arrestedCount" and not isinstance(f.object, Key)
    }
    assert stated == {
        ("2", "Police", "Statement by Police (2024-01-01)"),
        ("3", "police chief", "Statement by police chief"),
    }


def test_a_fact_in_a_quotation_without_attribution_is_stated_in_it(nlp: Language) -> None:
    """attribution.quotations: the second sentence of a quotation hangs from no verb."""
    text = '"Five men were arrested in Tabriz on Friday. We closed the border," Sara Amini told reporters.'
    g = graph(nlp, text)
    labels = {n.key: n.label for n in g.nodes}
    arrests = [f for f in g.facts if f.predicate == "arrestedCount"]
    assert arrests and all(labels.get(f.speaker) == "Sara Amini" for f in arrests if f.speaker)
    assert any(f.statement is not None and labels[f.statement] == "Statement by Sara Amini" for f in arrests)


QUOTES = [
    ('He said: "We will win." Then he left.', ["We will win."]),
    ("“It is over,” she said, “for now.”", ["It is over", "for now."]),
    # a quotation left open at the end of its paragraph runs to that end
    ('He said: "The first part.\n\n"The second part."', ["The first part.", "The second part."]),
    # a straight mark after a space and before a word opens, even while one is open
    ('He said: "No regrets. "We did nothing."', ["No regrets.", "We did nothing."]),
    ('A "scare" word and "two."', ["scare", "two."]),
]


@pytest.mark.parametrize(("text", "spans"), QUOTES)
def test_quotations(nlp: Language, text: str, spans: list[str]) -> None:
    assert [text[q.start : q.end] for q in quotations(nlp(text))] == spans


# (text, the entities the NER made of it, the speaker's label, a label no node has): shapes
# the small model gave in real articles ("on Tuesday Mr Ebbers denied", "Tory Dominic
# Grieve branded ..." with "Dominic" alone a person)
MISSED_SPEAKERS = [
    ("However during the case on Tuesday Mr Ebbott denied the allegations.", [("Tuesday", "DATE")],
     "Mr Ebbott", "Tuesday Mr Ebbott"),
    ('Mr Hale said he acted in good faith but Tory Rupert Ormsby branded the decision as "shameful".',
     [("Hale", "PERSON"), ("Tory", "NORP"), ("Rupert", "PERSON")], "Rupert Ormsby", "Tory Rupert Ormsby"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "ents", "speaker", "not_label"), MISSED_SPEAKERS)
def test_a_speaker_the_ner_missed_is_named_without_the_words_before_it(
    nlp: Language, text: str, ents: list[tuple[str, str]], speaker: str, not_label: str
) -> None:
    doc = nlp(text)
    spans = [doc.char_span(text.index(w), text.index(w) + len(w), label=label) for w, label in ents]
    assert all(span is not None for span in spans)
    doc.ents = [span for span in spans if span is not None]
    g = resolve(extract(doc, article(text)))
    labels = {n.label: n.type for n in g.nodes}
    assert labels.get(speaker) == "Person", labels
    assert not_label not in labels, labels


def test_the_name_a_dash_sets_apart_speaks_not_its_description(nlp: Language) -> None:
    # "EADS - Airbus' majority owner - admitted ...": the parse hangs the name inside the description
    text = "Fiat - Ferrari's majority owner - admitted earlier this year that the plan had failed."
    doc = nlp(text)
    doc.ents = [doc.char_span(0, 4, label="ORG"), doc.char_span(7, 14, label="ORG")]  # type: ignore[list-item]
    g = resolve(extract(doc, article(text)))
    assert ("Fiat", "the plan had failed", False, None, "speech.reported") in statements(g), statements(g)


def test_an_unnamed_speaker_keeps_the_name_its_word_is_built_on(nlp: Language) -> None:
    g = resolve(extract(nlp(text := "One Paris-based trader said the bank was committed."), article(text)))
    speakers = {n.label for f in g.facts if f.predicate == "speaker" for n in g.nodes if n.key == f.object}
    assert speakers == {"Paris-based trader"}, speakers  # not "-based trader"


def test_it_is_estimated_has_no_speaker(nlp: Language) -> None:
    """ "it is estimated that ...": the pleonastic "it" (which coreference may tie to a
    country named in the clause) says nothing; a passive names its speaker with "by"."""
    for text, speaker in [
        ("By 2006, it is estimated that 40% of all UK homes will have broadband.", None),
        ("It was estimated by the ministry that 40% of the homes in Leeds were empty.", "ministry"),
    ]:
        g = graph(nlp, text)
        labels = {n.key: n.label for n in g.nodes}
        (fact,) = [f for f in g.facts if f.predicate == "percentage"]
        assert (labels.get(fact.speaker) if fact.speaker else None) == speaker, text
