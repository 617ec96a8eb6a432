"""Roles of arrests: who arrested (agent), whom and how many, where, and the attack the
arrests are connected to ("... arrested 11 people who were involved in the attack")."""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import Context, Found
from kg.extract.data import confidence, event_words
from kg.extract.events.common import agent_at, count_of, place_at, setting
from kg.model import Mention

__all__ = ["arrest_roles"]


def arrest_roles(ctx: Context, found: Found, mention: Mention, token: Token) -> None:
    """The roles of one arrest mention, from its trigger ``token``."""
    event = mention.id
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children) or (
        token.tag_ == "VBN" and not any(c.dep_ == "dobj" for c in token.children)
    )
    setting(ctx, found, event, token, confidence("arrest.setting"))
    for child in token.children:
        dep = child.dep_
        if dep == "nsubj" and token.pos_ == "VERB" and not passive:
            _agent(ctx, found, event, child)
        elif dep == "agent" or (dep == "prep" and child.lower_ == "by"):
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                _agent(ctx, found, event, pobj)
        elif (
            (dep == "dobj" and not passive)
            or (dep in ("nsubjpass", "nsubj") and passive)
            or (dep == "prep" and child.lower_ == "of" and token.pos_ == "NOUN")
        ):
            arrested = child if dep != "prep" else next((c for c in child.children if c.dep_ == "pobj"), None)
            if arrested is not None:
                _arrested(ctx, found, event, arrested)
        elif dep == "nummod" and token.pos_ == "NOUN":
            count = count_of(ctx, child)
            if count is not None:
                found.relation(
                    event,
                    "arrestedCount",
                    count,
                    anchor=child,
                    confidence=confidence("arrest.count.nummod"),
                    extractor="arrest.count",
                )
    _related_attack(ctx, found, mention, token)


def _agent(ctx: Context, found: Found, event: int, token: Token) -> None:
    agent = agent_at(ctx, token)
    if agent is not None:
        found.relation(event, "agent", agent.id, anchor=token, extractor="arrest.agent")


def _arrested(ctx: Context, found: Found, event: int, arrested: Token) -> None:
    """Whom an arrest took: a count ("11 people"), a person, and where ("three suspects in Hamburg")."""
    count = count_of(ctx, arrested)
    if count is not None:
        found.relation(event, "arrestedCount", count, anchor=arrested, extractor="arrest.count")
    person = ctx.entity_at(arrested)
    if person is not None and ctx.resolved_type(person) == "Person":
        found.relation(event, "arrested", person.id, anchor=arrested, extractor="arrest.person")
    for prep in arrested.children:  # "three suspects in Hamburg"
        if prep.dep_ == "prep" and prep.lower_ in ("in", "at"):
            for pobj in prep.children:
                place = place_at(ctx, pobj) if pobj.dep_ == "pobj" else None
                if place is not None:
                    found.relation(event, "location", place.id, anchor=pobj, extractor="arrest.location")


def _related_attack(ctx: Context, found: Found, mention: Mention, token: Token) -> None:
    """ "... arrested 11 people who involved in the attack": the arrest is related to the
    first attack of its sentence."""
    attacks = event_words().attack_family
    for other in ctx.mentions:
        if (
            other.kind == "event"
            and other.sentence == mention.sentence
            and other.type in attacks
            and other.id != mention.id
        ):
            found.relation(mention.id, "relatedEvent", other.id, anchor=token, extractor="arrest.related")
            return
