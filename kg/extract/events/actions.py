"""Actions between actors: who did what to whom ("Wilders criticised the appointment",
"Rutte met Macron in Paris", "Kaag resigned", "the court sentenced Rossi").

The verb and noun frames of ``lexicons/actions.json`` map a trigger to an action class of
the ontology (`kg:Action`: PLOVER's event types and the life events news reports) and
say which dependents name its target. The subject acts (``agent``); in the passive the
subject is the target and "by X" the agent. Only what the text states as done counts:
a negated verb ("did not resign"), a modal ("will visit"), a verb under a plan ("plans
to sue", "agreed to meet"), a condition ("if he resigns") or a question states no
action. An action needs an actor or a target that is an entity of the article.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg import ontology
from kg.extract.context import Context, Found
from kg.extract.data import (
    ActionWords,
    NounFrame,
    VerbFrame,
    action_words,
    attribution_words,
    confidence,
    event_words,
)
from kg.extract.events.common import ad_hoc, setting
from kg.extract.events.speakers import dashed_name, names_people
from kg.extract.events.triggers import sport_report
from kg.extract.steps import step
from kg.model import Mention

ACTORS = frozenset({"Person", "Organization", "Agent", "Country"})


@step("events.actions")
def find_actions(ctx: Context, found: Found) -> None:
    words = action_words()
    sport = sport_report(ctx, event_words())
    for token in ctx.tokens:
        if token.pos_ == "VERB":
            frame = _verb_frame(token, words)
            if frame is not None and frame.play_in_sport and sport:
                continue  # "Walder released Mayer", "Vaidisova rallied": play
            if frame is not None and _done(ctx, token, words):
                _verb_action(ctx, found, token, frame, words)
            elif token.lemma_.lower() in words.death_passives and _done(ctx, token, words):
                _killed(ctx, found, token)
        elif token.pos_ == "NOUN":
            noun = words.by_noun.get(token.lower_) or words.by_noun.get(token.lemma_.lower())
            if noun is not None and token.dep_ != "compound" and _done(ctx, token.head, words):
                _noun_action(ctx, found, token, noun)


def _verb_frame(token: Token, words: ActionWords) -> VerbFrame | None:
    """The frame of a verb, phrasal forms first: "step down", "call for", "plead guilty"."""
    lemma = token.lemma_.lower()
    for child in token.children:
        if child.dep_ in ("prt", "prep", "dobj", "acomp", "advmod", "oprd"):
            frame = words.by_verb.get(f"{lemma}_{child.lower_}")
            if frame is not None:
                return frame
    return words.by_verb.get(lemma)


def _done(ctx: Context, verb: Token, words: ActionWords) -> bool:
    """Whether the text states the action as done (see the module docstring)."""
    already = ctx.mention_at(verb)
    if verb.pos_ == "VERB" and already is not None and already.kind == "event" and already.type != "Statement":
        return False  # an attack, an arrest: the event steps have it (what was said is also done: "asked X to")
    children = list(verb.children)
    negated = [c for c in children if c.dep_ in ("acomp", "prt")]  # "pleaded [not] guilty"
    if any(c.dep_ == "neg" for c in (*children, *(g for c in negated for g in c.children))):
        return False
    if any(c.dep_ == "aux" and c.lower_ in words.modals for c in children):
        return False
    if any(c.dep_ == "mark" and c.lower_ in words.conditions for c in children):
        return False
    node = verb
    while node.dep_ in ("xcomp", "ccomp", "acl", "conj") and node.head.i != node.i:
        if node.dep_ != "conj" and node.head.lemma_.lower() in words.plans:
            return False
        node = node.head
    return not verb.sent.text.rstrip().endswith("?")


def _actor(ctx: Context, token: Token | None, words: ActionWords) -> Mention | None:
    if token is None or token.lemma_.lower() in words.not_agents:
        return None
    mention = dashed_name(ctx, token) or ctx.entity_at(token)
    if mention is None:  # "the director Paul Smith criticised ...": the name in apposition acts
        named = (ctx.entity_at(c) for c in token.children if c.dep_ == "appos")
        mention = next((m for m in named if m is not None and m.kind == "name"), None)
    if mention is None or ctx.resolved_type(mention) not in ACTORS:
        return None
    if mention.kind == "pronoun":  # only a pronoun whose antecedent is near: "they" far back is a guess
        antecedent = ctx.mentions[mention.antecedent] if mention.antecedent is not None else None
        if antecedent is None or antecedent.sentence < mention.sentence - 1:
            return None
    return mention


def _subject(verb: Token) -> Token | None:
    """The subject of a verb, or of the verb it is coordinated with ("X met Y and praised
    Z"); for a relative pronoun, the noun it stands for ("Hughes, who won the Cup")."""
    node = verb
    for _ in range(3):
        subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
        # "The economist Maria Lopez criticised ...", parsed with two subjects: the name's
        subject = next((c for c in subjects if c.pos_ == "PROPN"), subjects[0]) if subjects else None
        if subject is not None and subject.tag_ in ("WP", "WDT") and node.dep_ == "relcl":
            return node.head
        if subject is not None or node.dep_ != "conj":
            return subject
        node = node.head
    return None


def _dependents(token: Token, specs: tuple[str, ...]) -> list[Token]:
    """The tokens a frame's specs name (``dobj``, ``poss``, ``prep:with``), with their conjuncts
    and the names in apposition to them ("impeached two presidents, Clinton and Johnson")."""
    out: list[Token] = []
    for spec in specs:
        dep, _, prep = spec.partition(":")
        for child in token.children:
            if prep and child.dep_ in ("prep", "agent") and child.lower_ == prep:
                out += [p for p in child.children if p.dep_ == "pobj"]
            elif not prep and child.dep_ == dep:
                out.append(child)
    out += [a for t in out for a in t.children if _apposed_name(a) and a not in out]
    return out + [c for t in out for c in t.conjuncts if c not in out]


def _apposed_name(token: Token) -> bool:
    """A name in apposition, not the next item of a list ("allied with Singtel, Essar which is
    linked with Hutchison": Essar is no ally)."""
    return (
        token.dep_ == "appos" and token.pos_ == "PROPN" and not any(c.dep_ in ("relcl", "acl") for c in token.children)
    )


def _possessor(ctx: Context, token: Token, agent: Mention | None, words: ActionWords) -> Mention | None:
    """The actor whose deed or words a target is ("his" of "praised his handling"), when it
    is not the agent itself ("Blair defended his record")."""
    owner = next((c for c in token.children if c.dep_ == "poss"), None)
    mention = _actor(ctx, owner, words) if owner is not None else None
    if mention is None or agent is None:
        return mention
    return None if _standing_for(ctx, mention) == _standing_for(ctx, agent) else mention


def _standing_for(ctx: Context, mention: Mention) -> int:
    """The mention a pronoun stands for, or the mention itself."""
    seen = {mention.id}
    while mention.antecedent is not None and mention.antecedent not in seen:
        mention = ctx.mentions[mention.antecedent]
        seen.add(mention.id)
    return mention.id


def _partners(ctx: Context, subject: Token | None, agent: Mention | None, words: ActionWords) -> list[Mention]:
    """The actors named with the subject ("NTT DoCoMo and Vodafone joined forces": Vodafone)."""
    if subject is None or agent is None:
        return []
    found = (_actor(ctx, c, words) for c in subject.conjuncts)
    return [m for m in found if m is not None and m.id != agent.id]


def _target_ok(ctx: Context, mention: Mention, token: Token, frame: VerbFrame, words: ActionWords) -> bool:
    if frame.target_types is not None and ctx.resolved_type(mention) not in frame.target_types:
        people = mention.kind == "nominal" and names_people(token, attribution_words())  # "two people smugglers"
        if not (people and "Person" in frame.target_types):
            return False
    if frame.target_nouns is not None:
        allowed: frozenset[str] = getattr(words, frame.target_nouns)
        return token.lemma_.lower() in allowed or ctx.resolved_type(mention) in ("Person", "Organization")
    return True


def _verb_action(ctx: Context, found: Found, verb: Token, frame: VerbFrame, words: ActionWords) -> None:
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    if passive and verb.lemma_.lower() in words.active_only:
        return  # "was admitted to hospital", "is opposed to": no one conceded or rejected
    if frame.action in words.outcomes and verb.tag_ == "VBG" and any(c.dep_ == "aux" for c in verb.children):
        return  # "had been winning the race": not won yet
    subject = _subject(verb)
    if frame.action == "Death":  # "drowned", "was found dead": the subject died
        died = _actor(ctx, subject, words)
        if died is not None and ctx.resolved_type(died) == "Person" and (died.kind == "name" or not passive):
            _add(ctx, found, verb, frame.action, died, [])
        return
    if passive:
        agent = next((_actor(ctx, t, words) for t in _dependents(verb, ("prep:by",))), None)
        target_tokens = [subject] if subject is not None else []
    else:
        agent = _actor(ctx, subject, words)
        target_tokens = _dependents(verb, frame.targets)
    targets: list[Mention] = []
    for token in target_tokens:
        mention = ctx.entity_at(token) or ad_hoc(ctx, token)
        deed = frame.action in words.possessor_targets and not passive
        if deed and (
            (mention is not None and ctx.resolved_type(mention) in ACTORS) or any(map(_apposed_name, token.children))
        ):
            deed = False  # "criticised Britain's watchdog, the FSA": the watchdog, not Britain
        owner = _possessor(ctx, token, agent, words) if deed else None
        if owner is not None and owner not in targets:
            targets.append(owner)
        if (
            mention is not None
            and mention.id != (agent.id if agent else -1)
            and _target_ok(ctx, mention, token, frame, words)
        ):
            targets.append(mention)
    if frame.action in words.mutual and not passive:
        targets += [m for m in _partners(ctx, subject, agent, words) if m not in targets]
    if frame.target_nouns is not None and target_tokens and not targets:
        return  # "won 51 caps", "won praise": what was won is no contest
    needs_target = frame.needs_target or frame.target_types is not None
    if frame.action == "Agreement" and any(c.dep_ == "xcomp" for c in verb.children):
        needs_target = False  # "agreed to pay": agreeing to act is the action
    if needs_target and not targets:
        return
    if agent is None and not (passive and any(t.kind == "name" for t in targets)):
        return  # no actor: only a named target of a passive ("Todd is suspended") says enough
    _add(ctx, found, verb, frame.action, agent, targets)


def _killed(ctx: Context, found: Found, verb: Token) -> None:
    """ "Rossi was killed in the attack": a named person died (the attack is the attack's)."""
    if not any(c.dep_ == "auxpass" for c in verb.children):
        return
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    victim = ctx.entity_at(subject) if subject is not None else None
    if victim is not None and victim.kind == "name" and victim.type == "Person":
        _add(ctx, found, verb, "Death", victim, [])


def _noun_action(ctx: Context, found: Found, noun: Token, frame: NounFrame) -> None:
    words = action_words()
    agent = next((a for t in _dependents(noun, frame.agent) if (a := _actor(ctx, t, words)) is not None), None)
    if agent is None and noun.dep_ == "dobj" and noun.head.lemma_.lower() in words.support_verbs:
        agent = _actor(ctx, _subject(noun.head), words)  # "the US imposed sanctions on Iran"
    targets = [m for t in _dependents(noun, frame.targets) if (m := ctx.entity_at(t)) is not None and m != agent]
    if frame.action == "Death":
        agent = agent if agent is not None and ctx.resolved_type(agent) == "Person" else None
    if agent is None and not targets:
        return
    _add(ctx, found, noun, frame.action, agent, targets)


def _add(
    ctx: Context, found: Found, trigger: Token, action: str, agent: Mention | None, targets: list[Mention]
) -> None:
    assert ontology.is_event(action)
    event = ctx.add_mention(
        trigger.i,
        trigger.i + 1,
        trigger,
        type=action,
        kind="event",
        name=trigger.text,
        definite=any(c.lower_ in ("the", "this", "that") or c.dep_ == "poss" for c in trigger.lefts),
    )
    if agent is not None:
        found.relation(event, "agent", agent.id, anchor=trigger, extractor="action.agent")
    for target in targets:
        found.relation(event, "target", target.id, anchor=trigger, extractor="action.target")
    setting(ctx, found, event, trigger, confidence("action.setting"))
