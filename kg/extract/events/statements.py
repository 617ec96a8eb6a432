"""Speaker and time of statement mentions: "The ministry released a statement Friday",
"a statement by the group", "In a statement, the ministry said ..."."""

from __future__ import annotations

import functools

from spacy.tokens import Token

from kg.extract.context import Context, Found
from kg.extract.data import attribution_words, confidence, event_words
from kg.extract.events.common import agent_at, setting, time_of
from kg.extract.steps import step


@step("events.statements")
def find_statements(ctx: Context, found: Found) -> None:
    for mention in [m for m in ctx.mentions if m.kind == "event" and m.type == "Statement"]:
        noun = ctx.head_token(mention.id)
        speaker_token = _speaker_token(ctx, found, mention.id, noun)
        if speaker_token is not None:
            speaker = agent_at(ctx, speaker_token)
            if speaker is not None:
                found.relation(mention.id, "speaker", speaker.id, anchor=speaker_token, extractor="statement.speaker")
        if noun.dep_ == "dobj":
            setting(ctx, found, mention.id, noun.head, confidence("statement.setting"))


def _speaker_token(ctx: Context, found: Found, statement: int, noun: Token) -> Token | None:
    """Who made the statement: the subject of the verb issuing or quoting it, or "by X",
    "from X", "X's statement". A time in a clause on the noun dates the statement."""
    head = noun.head
    speaker = None
    if noun.dep_ == "dobj" and head.lemma_ in event_words().issue_verbs:
        speaker = next((c for c in head.children if c.dep_ == "nsubj"), None)
    elif noun.dep_ == "pobj" and head.lower_ == "in" and head.head.lemma_ in _reporting_only():
        # "In a statement, the group claimed ...": events.speech reads speech verbs
        speaker = next((c for c in head.head.children if c.dep_ == "nsubj"), None)
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("by", "from"):
            speaker = next((c for c in child.children if c.dep_ == "pobj"), speaker)
        if child.dep_ == "poss":
            speaker = child
        if child.dep_ == "acl":
            for t in child.subtree:
                if time_of(ctx, found, statement, t, confidence("statement.time")):
                    break
    return speaker


@functools.cache
def _reporting_only() -> frozenset[str]:
    """Reporting verbs that report no speech act ("In a report, the UN found ...")."""
    words = attribution_words()
    return frozenset(words.reporting_verbs) - frozenset(words.speech_verbs)
