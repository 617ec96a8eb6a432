"""Event steps (`kg.extract.events`): triggers, roles, arrests, statements, casualties,
dates, claims and perpetrators by role, on sentences of our own. Each row names the
extractor that must have made the fact, so a step switched off fails its rows."""

from __future__ import annotations

import pytest

from .steps import extraction, found, graph

# (sentence, facts (subject, property, object, extractor) that must be found)
CASES = [
    # events.roles: setting, targets, perpetrators, methods, the governing clause
    ("Two blasts struck the city of Kerman on Wednesday, killing 14 people and wounding 30 others.",
     {("Bombing in Kerman (2024-01-03)", "location", "Kerman", "event.location_struck"),
      ("Bombing in Kerman (2024-01-03)", "date", "2024-01-03", "event.time")}),
    ("Boko Haram claimed responsibility for the attack on the market.",
     {("Attack in market", "target", "market", "event.target_on")}),
    ("Gunmen on motorcycles opened fire on traders in Maiduguri, killing nine.",
     {("Shooting in Maiduguri", "perpetrator", "Gunmen", "event.perpetrator_subject")}),
    ("Islamic State's Afghanistan branch was behind the blasts. ISIS-K carried out the bombings, officials said.",
     {("Bombing in Afghanistan", "perpetrator", "ISIS-K", "event.perpetrator_behind"),
      ("Bombing in Afghanistan", "perpetrator", "ISIS-K", "event.perpetrator_carried_out")}),
    ("Two bombs exploded near a mosque in Kano. The attack killed 12 people.",
     {("Bombing in Kano", "location", "mosque", "event.location"),
      ("Bombing in Kano", "location", "Kano", "event.location_within")}),
    # events.roles → arrests
    ("Police arrested five suspects in Konduga on Monday after the attack.",
     {("Arrest in Konduga (2024-01-01)", "agent", "Police", "arrest.agent"),
      ("Arrest in Konduga (2024-01-01)", "arrestedCount", "5", "arrest.count"),
      ("Arrest in Konduga (2024-01-01)", "location", "Konduga", "arrest.location"),
      ("Arrest in Konduga (2024-01-01)", "relatedEvent", "Attack in Konduga", "arrest.related")}),
    # events.statements
    ("The ministry released a statement on Friday.",
     {("Statement by ministry (2024-01-05)", "speaker", "ministry", "statement.speaker")}),
    # events.casualties
    ("Two bombs exploded near a mosque in Kano. The attack killed 12 people.",
     {("Bombing in Kano", "deaths", "12", "casualties.deaths")}),
    ("Two blasts struck the city of Kerman on Wednesday, killing 14 people and wounding 30 others.",
     {("Bombing in Kerman (2024-01-03)", "deaths", "14", "casualties.deaths"),
      ("Bombing in Kerman (2024-01-03)", "injured", "30", "casualties.injured")}),
    # the numeral right before the casualty word is its count, whatever the parse made of it
    ("The bombing caused at least 56 deaths and over 200 injured.",
     {("Bombing", "deaths", "56", "casualties.deaths"), ("Bombing", "injured", "200", "casualties.injured")}),
    ("Police said three people were stabbed to death.", {("Stabbing", "deaths", "3", "casualties.deaths")}),
    # events.sentence_dates
    ("Early on Saturday, police responded to reports of a shooting at a school in Denver.",
     {("Shooting in Denver (2023-12-30)", "date", "2023-12-30", "event.time_sentence")}),
    # a date range: the whole at its precision, and both ends
    ("Heavy flooding hit the region between 3 and 5 January, killing 12 people.",
     {("Disaster in region (2024-01)", "startDate", "2024-01-03", "event.time_range"),
      ("Disaster in region (2024-01)", "endDate", "2024-01-05", "event.time_range"),
      ("Disaster in region (2024-01)", "date", "2024-01", "event.time")}),
    # events.claims
    ("Boko Haram claimed responsibility for the attack on the market.",
     {("Boko Haram", "claimedResponsibilityFor", "Attack in market", "claim.responsibility")}),
    # events.perpetrator_nouns
    ("The perpetrator of the bombing was a member of the group.",
     {("Bombing", "perpetrator", "perpetrator", "event.perpetrator_noun")}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_event_facts(nlp, text: str, expected: set[tuple[str, str, str, str]]) -> None:
    facts = found(graph(nlp, text))
    assert expected <= facts, sorted(facts)


# (sentence, trigger text, event class, marked as another incident)
TRIGGERS = [
    ("Two blasts struck the city of Kerman on Wednesday.", "blasts", "Bombing", False),
    ("Gunmen opened fire on traders in Maiduguri.", "opened", "Shooting", False),
    ("Gunmen killed ten people in the village.", "killed", "Attack", False),
    ("A similar attack hit the town last year.", "attack", "Attack", True),
    ("The ministry released a statement on Friday.", "statement", "Statement", False),
    ("Last week's bombing in Herat killed five people.", "bombing", "Bombing", True),
    ("Police said Monday's bombing in Herat killed five people.", "bombing", "Bombing", False),
    ("Seven people died in last night's attack, police said.", "attack", "Attack", False),
]


@pytest.mark.parametrize(("text", "trigger", "cls", "distinct"), TRIGGERS)
def test_triggers(nlp, text: str, trigger: str, cls: str, distinct: bool) -> None:
    events = [m for m in extraction(nlp, text).mentions if m.kind == "event"]
    hit = [m for m in events if m.text.endswith(trigger)]
    assert hit, events
    assert (hit[0].type, hit[0].distinct) == (cls, distinct)


def test_no_trigger_without_its_cue(nlp) -> None:
    """A "strike" without a military modifier is no attack; "shooting" as a modifier is none."""
    events = [m for m in extraction(nlp, "Workers went on strike at the plant.").mentions if m.kind == "event"]
    assert not [m for m in events if m.type == "Attack"]


# (article text, the event, a date it must not take)
NOT_DATES = [
    # the date belongs to another clause: the visit's, not the attack's
    ("The attack came a day after the president visited Kabul on Tuesday.", "Attack", "2024-01-02"),
    # the dateline is the article's date, not the fire's ("yesterday" is)
    (
        "Friday, January 5, 2024\n\nA fire yesterday morning destroyed 200 homes in Chittagong.",
        "Disaster",
        "2024-01-05",
    ),
]


@pytest.mark.parametrize(("text", "event", "date"), NOT_DATES)
def test_dates_the_text_does_not_give(nlp, text: str, event: str, date: str) -> None:
    facts = found(graph(nlp, text))
    dated = {f for f in facts if f[1] == "date"}
    assert any(f[0].startswith(event) for f in facts), sorted(facts)
    assert not {f for f in dated if f[0].startswith(event) and f[2] == date}, sorted(facts)


def test_dateline_leaves_the_reported_day() -> None:
    from kg.ingest import dateline_span

    text = "Friday, January 5, 2024\xa0\n\nA fire yesterday destroyed 200 homes."
    assert dateline_span(text) == (0, len("Friday, January 5, 2024"))
    assert dateline_span("A fire destroyed homes.\nFriday, January 5, 2024") is None


# events.actions: (sentence, facts that must be found, (type, agent) pairs that must not be)
ACTIONS = [
    ("Opposition leader Geert Wilders criticised the appointment on Wednesday.",
     {("Accusation: Geert Wilders → appointment (2024-01-03)", "agent", "Geert Wilders", "action.agent")}),
    ("Dutch Prime Minister Mark Rutte met French President Emmanuel Macron in Paris on Monday.",
     {("Meeting: Mark Rutte → Emmanuel Macron (2024-01-01)", "target", "Emmanuel Macron", "action.target"),
      ("Meeting: Mark Rutte → Emmanuel Macron (2024-01-01)", "location", "Paris", "event.location")}),
    ("Sigrid Kaag resigned as foreign minister in August.",
     {("Resignation: Sigrid Kaag → foreign minister (2023-08)", "agent", "Sigrid Kaag", "action.agent")}),
    ("A court in Milan sentenced Giuseppe Rossi to four years in prison.",
     {("Sentencing: court → Giuseppe Rossi", "target", "Giuseppe Rossi", "action.target")}),
    ("The United States imposed sanctions on Iran.",
     {("Sanction: United States → Iran", "agent", "United States", "action.agent")}),
    ("Giuseppe Rossi was killed in the attack.",
     {("Death: Giuseppe Rossi", "agent", "Giuseppe Rossi", "action.agent")}),
    # a speech act that is also done: asking someone to act
    ("Mayor Carlos Ruiz asked residents to stay indoors.",
     {("Request: Carlos Ruiz → residents", "target", "residents", "action.target")}),
    # nouns of agent are people ("smugglers"), and an assembly passes what it agrees to
    ("Greece sentenced three smugglers to five years in prison.",
     {("Sentencing: Greece → three smugglers", "target", "three smugglers", "action.target")}),
    ("The Senate passed the bill on Tuesday.",
     {("Agreement: Senate → bill (2024-01-02)", "agent", "Senate", "action.agent")}),
    # a violent verb said of words is criticism
    ("Senator Ann Lee attacked the Labour Party over its record on schools.",
     {("Accusation: Ann Lee → Labour Party", "target", "Labour Party", "action.target")}),
    ("The minister attacked the proposals as a waste of money.",
     {("Accusation: minister → proposals", "agent", "minister", "action.agent")}),
    # nouns that state an action, with the agent after "from" or "by"
    ("The hearing heard an apology from Tom Reed and requests for leniency from his lawyers.",
     {("Concession: Tom Reed", "agent", "Tom Reed", "action.agent")}),
    ("There were many complaints about the Northfield Council from residents.",
     {("Accusation: residents → Northfield Council", "target", "Northfield Council", "action.target")}),
    ("The school received a donation from the Carver Foundation.",
     {("Aid: Carver Foundation", "agent", "Carver Foundation", "action.agent")}),
    # the name in apposition to the subject acts (parsed as an apposition, or as a second subject)
    ("The director Paul Smith criticised Universal for its plans.",
     {("Accusation: Paul Smith → Universal", "agent", "Paul Smith", "action.agent")}),
    ("The novelist Maria Lopez criticised Penguin for the cuts.",
     {("Accusation: Maria Lopez → Penguin", "agent", "Maria Lopez", "action.agent")}),
    # actors named together do a mutual action with one another
    ("Siemens and Alstom joined forces to build trains.",
     {("Cooperation: Siemens → Alstom", "target", "Alstom", "action.target")}),
    # what is criticised or praised is someone's: they are a target too
    ("Senator Ann Lee attacked Labour's new pledges as vacuous.",
     {("Accusation: Ann Lee → Labour Party, Labour's new pledges", "target", "Labour Party", "action.target")}),
    # the names in apposition to a target are the targets
    ("The court convicted two men, Tom Reid and Sam Cole, of fraud.",
     {("Conviction: court → Tom Reid, Sam Cole", "target", "Sam Cole", "action.target")}),
    # a person who drowned, or was found dead, died
    ("Maria Lopez, a student who drowned off Crete, was remembered.",
     {("Death: Maria Lopez", "agent", "Maria Lopez", "action.agent")}),
    ("Giuseppe Rossi was found dead in his flat on Monday.",
     {("Death: Giuseppe Rossi (2024-01-01)", "agent", "Giuseppe Rossi", "action.agent")}),
    ("Finance Minister Tom Baker attended the summit in Brussels.",
     {("Visit: Tom Baker → summit in Brussels", "agent", "Tom Baker", "action.agent")}),
]  # fmt: skip


def test_the_agent_s_own_deed_makes_no_target_of_the_agent(nlp) -> None:
    """events.actions: "defended his record" is about the record, not an action on himself."""
    facts = found(graph(nlp, "Tom Baker defended his record on schools."))
    targets = {f[2] for f in facts if f[1] == "target"}
    assert targets == {"his record on schools"}, sorted(facts)
    # a body that is someone's is no deed of theirs
    facts = found(
        graph(nlp, "Senator Ann Lee criticised Britain's financial watchdog, the Financial Services Authority.")
    )
    targets = {f[2] for f in facts if f[1] == "target"}
    assert "United Kingdom" not in targets and "Financial Services Authority" in targets, sorted(facts)


@pytest.mark.parametrize(("text", "expected"), ACTIONS)
def test_actions(nlp, text: str, expected: set[tuple[str, str, str, str]]) -> None:
    facts = found(graph(nlp, text))
    assert expected <= facts, sorted(facts)


@pytest.mark.parametrize(
    "text",
    [
        "Rutte did not resign.",  # negated
        "The company said it would sue the newspaper.",  # a modal
        "The minister plans to visit Kenya next year.",  # a plan
        "If the court convicts him, he will appeal.",  # a condition
        "Will the president sign the bill?",  # a question
        "The euro has shot up against the dollar.",  # figures move: no shooting
        "Jan Kowalski pleaded not guilty to fraud.",  # a denial, not a conviction
        "Microsoft had been winning the race until last week.",  # an outcome not yet reached
        "Austin Healey won 51 caps for England.",  # what was won is no contest
        "The telcos are keen to start shooting video down the line.",  # filming
        # in a report of sport (three words of sport) a pass and a recovery are play
        "In the cup final Tom Reid found Sam Cole, who released Ian Hart, and the striker scored.",
        "Anna Berg rallied in the second set of the tournament final, her coach said.",
        "Shooting on the sequel will begin in Prague in May.",  # filming, said of the film
        "The shooting of the remake took six weeks.",
        "Sella insisted the pressure had eased on the under-fire coach.",  # criticised, no blaze
        "The minister came under fire from his own party.",
        "Its record was later beaten by Asimov.",  # a record beaten is no victory over anyone
        "She told the paper that attacking Mr Mandelson had cost the party dearly.",  # words, not blows
    ],
)
def test_no_action_is_stated(nlp, text: str) -> None:
    """No event but what was said ("The company said ..." is a statement, not a lawsuit)."""
    events = [m for m in extraction(nlp, text).mentions if m.kind == "event" and m.type != "Statement"]
    assert not events, events


def test_an_attack_with_a_weapon_stays_an_attack(nlp) -> None:
    text = "Ann Lee attacked Tom Baker with a knife outside his home."
    assert [m.type for m in extraction(nlp, text).mentions if m.kind == "event"] == ["Attack"]
    text = "Attacking the patrol with grenades, the gunmen wounded six police officers."
    assert "Attack" in [m.type for m in extraction(nlp, text).mentions if m.kind == "event"]


def test_attacking_something_as_what_it_is_called_is_no_attack(nlp) -> None:
    called = "The party chairman attacked the official figures as misleading."
    assert not [m for m in extraction(nlp, called).mentions if m.kind == "event" and m.type == "Attack"]
    while_passing = "Rebels attacked the convoy as it passed through the town."  # "as" of a clause, not a name
    assert [m.type for m in extraction(nlp, while_passing).mentions if m.kind == "event"] == ["Attack"]


def test_attack_words_in_a_sport_report_are_play(nlp) -> None:
    play = "Chelsea striker Didier Drogba led a late attack in the league match, and his shot hit the post."
    assert not [m for m in extraction(nlp, play).mentions if m.kind == "event"]
    violence = "Gunmen attacked a football stadium in Kano, killing five fans before the league match."
    assert ("Attack in Kano", "deaths", "5", "casualties.deaths") in found(graph(nlp, violence))
