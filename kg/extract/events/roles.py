"""Roles of incidents (attacks, explosions, disasters, accidents) from the parse around
their trigger: location ("in Kerman", "the Kerman blasts"), time, perpetrator ("by X",
"X's attack", "X carried out the bombings", "X was behind the blasts"), target ("an
attack on Shahcheragh"), method ("suicide bombers"). Arrests have roles of their own
(`kg.extract.events.arrests`); statements get theirs in `kg.extract.events.statements`.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg import ontology
from kg.extract.context import Context, Found
from kg.extract.data import EventWords, attribution_words, confidence, event_words
from kg.extract.events.arrests import arrest_roles
from kg.extract.events.common import ad_hoc, agent_at, method_of, place_at, reported_argument, setting
from kg.extract.steps import step
from kg.model import Mention


@step("events.roles")
def find_roles(ctx: Context, found: Found) -> None:
    for mention in [m for m in ctx.mentions if m.kind == "event"]:
        token = ctx.head_token(mention.id)
        if mention.type == "Arrest":
            arrest_roles(ctx, found, mention, token)
        elif mention.type != "Statement":
            _incident_roles(ctx, found, mention, token)


def _incident_roles(ctx: Context, found: Found, mention: Mention, token: Token) -> None:
    words = event_words()
    event = mention.id
    is_attack = mention.type in words.attack_family
    reported = token.pos_ == "NOUN" and reported_argument(token)
    setting(ctx, found, event, token, confidence("event.setting.reported" if reported else "event.setting"))
    for child in token.children:
        dep = child.dep_
        if dep == "prep":
            _prepositions(ctx, found, event, child, is_attack, words)
        elif dep in ("compound", "amod", "nmod"):
            _modifier(ctx, found, event, token, child, is_attack, words)
        elif dep == "poss":
            agent = agent_at(ctx, child)
            if agent is not None and is_attack and agent.type != "Country":
                found.relation(event, "perpetrator", agent.id, anchor=child, extractor="event.perpetrator_poss")
        elif dep in ("nsubj", "agent") and token.pos_ == "VERB" and is_attack:
            _verb_subject(ctx, found, event, token, child)
        elif (
            dep in ("dobj", "nsubjpass")
            and token.pos_ == "VERB"
            and is_attack
            and token.lemma_ not in ("detonate", "explode", "kill", "open")
            and not any(c.dep_ == "nummod" for c in child.children)
        ):
            target = ctx.entity_at(child) or ad_hoc(ctx, child)
            if target is not None:
                found.relation(event, "target", target.id, anchor=child, extractor="event.target_object")
    _trigger_methods(found, event, token, is_attack, words)
    if token.pos_ == "NOUN":
        _governing_clause(ctx, found, mention, token, words)


def _prepositions(ctx: Context, found: Found, event: int, prep: Token, is_attack: bool, words: EventWords) -> None:
    """ "an attack on Shahcheragh" (target, and location when a place), "by X" (perpetrator)."""
    for pobj in (c for c in prep.children if c.dep_ == "pobj"):
        target = ctx.entity_at(pobj) or ad_hoc(ctx, pobj)
        if prep.lower_ in words.target_preps and is_attack and target is not None:
            found.relation(event, "target", target.id, anchor=pobj, extractor="event.target_on")
            if ontology.is_place(ctx.resolved_type(target)):
                found.relation(event, "location", target.id, anchor=pobj, extractor="event.location_on")
        elif prep.lower_ == "by" and is_attack:
            agent = agent_at(ctx, pobj)
            if agent is not None:
                found.relation(event, "perpetrator", agent.id, anchor=pobj, extractor="event.perpetrator_by")


def _modifier(
    ctx: Context, found: Found, event: int, token: Token, child: Token, is_attack: bool, words: EventWords
) -> None:
    """ "the Kerman blasts" (location), "an Israeli airstrike" (perpetrator), "suicide bombing" (method)."""
    place = place_at(ctx, child)
    if place is not None and is_attack and (place.kind == "demonym" or (place.type == "Country" and _aerial(token))):
        # "a US drone strike", "an Israeli airstrike": the country acted
        found.relation(event, "perpetrator", place.id, anchor=child, extractor="event.perpetrator_country")
    elif place is not None and place.kind != "demonym":
        found.relation(event, "location", place.id, anchor=child, extractor="event.location_modifier")
    method = words.methods.get(child.lemma_.lower())
    if method and is_attack:
        found.relation(event, "method", method, anchor=child, extractor="event.method")


def _verb_subject(ctx: Context, found: Found, event: int, token: Token, child: Token) -> None:
    """The active subject or passive agent of a violent verb: "gunmen stormed", "shot by X"."""
    if child.dep_ == "agent":
        child = next((c for c in child.children if c.dep_ == "pobj"), child)
    elif any(c.dep_ == "auxpass" for c in token.children):
        return
    _acting(ctx, found, event, child, "event.perpetrator_subject")


def _acting(ctx: Context, found: Found, event: int, subject: Token, extractor: str) -> None:
    """Who acts in an event's clause, as its perpetrator, and the method its words name
    ("gunmen", "a suicide bomber")."""
    agent = agent_at(ctx, subject)
    if agent is not None:
        found.relation(event, "perpetrator", agent.id, anchor=subject, extractor=extractor)
    method = method_of(subject)
    if method:
        found.relation(event, "method", method, anchor=subject, confidence=confidence("event.method.subject"),
                       extractor="event.method")  # fmt: skip


def _trigger_methods(found: Found, event: int, token: Token, is_attack: bool, words: EventWords) -> None:
    """A method in the trigger itself ("shooting", "stabbed"), or in what exploded."""
    method = words.method_triggers.get(token.lemma_.lower())
    if method and is_attack:
        found.relation(event, "method", method, anchor=token, extractor="event.method_trigger")
    if token.lemma_ == "explode":
        for child in token.children:
            if child.dep_ == "nsubj":
                method = method_of(child)
                if method:
                    found.relation(
                        event,
                        "method",
                        method,
                        anchor=child,
                        confidence=confidence("event.method.exploded"),
                        extractor="event.method",
                    )


def _aerial(token: Token) -> bool:
    """An air, drone or missile strike (whose national modifier is the attacker)."""
    words = {c.lower_ for c in token.lefts} | {token.lower_}
    return bool(words & event_words().aerial_words)


def _governing_clause(ctx: Context, found: Found, mention: Mention, noun: Token, words: EventWords) -> None:
    """Roles from the verb an event noun hangs from.

    "ISIS-K carried out the bombings" (perpetrator), "X was behind the blasts"
    (perpetrator), "two explosions targeted a commemorative event" (target), "the blast
    occurred in Kabul on Monday" (location, time).
    """
    event = mention.id
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_ in words.site_nouns:
        _site_of(ctx, found, event, head.head)
    elif (noun.dep_ == "pobj" and head.lower_ in ("behind", "for") and head.head.lemma_ == "be") or (
        noun.dep_ == "pobj" and head.lower_ == "for" and head.head.lower_ == "responsible"
    ):
        verb = head.head if head.head.lemma_ == "be" else head.head.head
        for child in verb.children:
            if child.dep_ == "nsubj":
                agent = agent_at(ctx, child)
                if agent is not None:
                    found.relation(event, "perpetrator", agent.id, anchor=child, extractor="event.perpetrator_behind")
    elif noun.dep_ in ("dobj", "nsubjpass") and head.lemma_ in words.light_verbs:
        _carried_out(ctx, found, event, noun, head)
    elif noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ == "VERB":
        verb = head.head
        if verb.lemma_ not in attribution_words().reporting_verbs and head.lower_ in ("on", "in", "during"):
            # "... went on a stabbing spree at X on Thursday"
            setting(ctx, found, event, verb, confidence("event.setting.prep_clause"))
    elif noun.dep_ in ("nsubj", "nsubjpass") and head.pos_ == "VERB" and head.lemma_ in words.impact_verbs:
        if head.lemma_ in words.strike_verbs and mention.type in words.incident_family:
            _struck(ctx, found, mention, head, words)
        setting(ctx, found, event, head, confidence("event.setting.clause"))


def _site_of(ctx: Context, found: Found, event: int, site: Token) -> None:
    """ "X ... was the site of a similar attack": X is where it happened."""
    if site.dep_ != "attr" or site.head.lemma_ != "be":
        return
    for child in site.head.children:
        if child.dep_ == "nsubj":
            subject = child
            if subject.tag_ == "WDT" and site.head.dep_ == "relcl":
                subject = site.head.head
            place = place_at(ctx, subject)
            if place is not None:
                found.relation(event, "location", place.id, anchor=subject, extractor="event.location_site")


def _carried_out(ctx: Context, found: Found, event: int, noun: Token, verb: Token) -> None:
    """ "ISIS-K carried out the bombings", "the attack was launched by X"."""
    passive = noun.dep_ == "nsubjpass"
    for child in verb.children:
        if not ((child.dep_ == "nsubj" and not passive) or child.dep_ == "agent"):
            continue
        subject = next((c for c in child.children if c.dep_ == "pobj"), child) if child.dep_ == "agent" else child
        _acting(ctx, found, event, subject, "event.perpetrator_carried_out")
    setting(ctx, found, event, verb, confidence("event.setting.clause"))


def _struck(ctx: Context, found: Found, mention: Mention, verb: Token, words: EventWords) -> None:
    """ "the blasts struck Kerman" (where), "the bombings struck the Jolo Cathedral" (target, where)."""
    event = mention.id
    for child in verb.children:
        if child.dep_ != "dobj":
            continue
        place = place_at(ctx, child)
        if place is not None and place.type != "Facility" and verb.lemma_ in ("hit", "strike", "rock"):
            # "the blasts struck Kerman", "an earthquake struck Albania": where it happened
            found.relation(event, "location", place.id, anchor=child, extractor="event.location_struck")
            continue
        if mention.type not in words.attack_family:
            continue
        target = ctx.entity_at(child) or ad_hoc(ctx, child)
        if target is not None:
            found.relation(event, "target", target.id, anchor=child, extractor="event.target_verb")
            if ctx.resolved_type(target) == "Facility":  # "the bombings struck the Jolo Cathedral"
                found.relation(event, "location", target.id, anchor=child, extractor="event.location_target")
