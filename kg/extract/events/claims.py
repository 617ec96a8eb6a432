"""Responsibility claims ("X claimed responsibility for the attack", "X claimed the
attack") and perpetrators named by their role ("the perpetrator of the attack", "one of
the suicide bombers")."""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import Context, Found
from kg.extract.data import confidence, event_words
from kg.extract.events.common import agent_at
from kg.extract.steps import step
from kg.model import MAIN_EVENT, Mention


@step("events.claims")
def find_claims(ctx: Context, found: Found) -> None:
    claim_verbs = event_words().claim_verbs
    for token in ctx.tokens:
        if token.lemma_ not in claim_verbs or token.pos_ != "VERB":
            continue
        obj = next((c for c in token.children if c.dep_ in ("dobj", "nsubjpass")), None)
        if obj is None:
            continue
        event = _claimed_event(ctx, token, obj)
        if event is None:
            continue
        claimant = _claimant(ctx, token, obj)
        if claimant is not None:
            found.relation(
                claimant.id, "claimedResponsibilityFor", event, anchor=token, extractor="claim.responsibility"
            )


def _claimed_event(ctx: Context, verb: Token, obj: Token) -> int | None:
    """The event claimed: "responsibility for the attack" (else the main incident), or the
    event object of "claim" ("claimed the bombing")."""
    if obj.lemma_ in ("responsibility", "credit"):
        event: int | None = None
        for holder in (obj, verb):
            for prep in holder.children:
                if prep.dep_ == "prep" and prep.lower_ in ("for", "of"):
                    for pobj in prep.children:
                        mention = ctx.mention_at(pobj)
                        if mention is not None and mention.kind == "event":
                            event = mention.id
        return MAIN_EVENT if event is None else event
    if verb.lemma_ == "claim":
        mention = ctx.mention_at(obj)
        if mention is not None and mention.kind == "event" and mention.type not in ("Arrest", "Statement"):
            return mention.id
    return None


def _claimant(ctx: Context, verb: Token, obj: Token) -> Mention | None:
    claimant = None
    for child in verb.children:
        if child.dep_ == "nsubj" and obj.dep_ == "dobj":
            claimant = agent_at(ctx, child)
        elif child.dep_ == "agent":
            by = next((c for c in child.children if c.dep_ == "pobj"), None)
            claimant = agent_at(ctx, by) if by is not None else None
    if claimant is None and verb.dep_ == "relcl":
        claimant = agent_at(ctx, verb.head)
    return claimant


@step("events.perpetrator_nouns")
def find_perpetrator_nouns(ctx: Context, found: Found) -> None:
    """ "The perpetrator of the attack", "one of the suicide bombers": perpetrators by role noun."""
    words = event_words()
    has_attack = any(m.kind == "event" and m.type in words.attack_family for m in ctx.mentions)
    for mention in list(ctx.mentions):
        if mention.kind != "nominal" or mention.head not in words.perpetrator_nouns:
            continue
        noun = _noun_of(ctx, mention)
        event: int | None = None
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ in ("of", "in", "behind"):
                for pobj in prep.children:
                    other = ctx.mention_at(pobj)
                    if other is not None and other.kind == "event" and other.type in words.attack_family:
                        event = other.id
        value_confidence = confidence("event.perpetrator_noun")
        if event is None:
            if not has_attack:
                continue
            event, value_confidence = MAIN_EVENT, confidence("event.perpetrator_noun.main_event")
        found.relation(
            event,
            "perpetrator",
            mention.id,
            anchor=noun,
            confidence=value_confidence,
            extractor="event.perpetrator_noun",
        )
        for child in noun.lefts:
            method = words.methods.get(child.lemma_.lower())
            if method:
                found.relation(
                    event,
                    "method",
                    method,
                    anchor=child,
                    confidence=value_confidence,
                    extractor="event.method_perpetrator",
                )


def _noun_of(ctx: Context, mention: Mention) -> Token:
    """The head noun of a nominal (for "one of the bombers", "bombers")."""
    head = ctx.head_token(mention.id)
    if head.lemma_.lower() == mention.head:
        return head
    for token in ctx.doc[head.i : head.i + 12]:
        if token.lemma_.lower() == mention.head and token.idx < mention.end:
            return token
    return head
