"""Dates of events that have none of their own, from their sentence.

"Early Saturday morning, police responded to reports of a shooting": the date hangs
from "responded", but the sentence is about the shooting. The day the sentence names is
taken, weakly, unless the date phrase belongs to another event or to a reporting verb.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extract.context import Context, Found
from kg.extract.data import attribution_words, event_words
from kg.extract.normalize import parse_time
from kg.extract.steps import step


@step("events.sentence_dates")
def find_sentence_dates(ctx: Context, found: Found) -> None:
    dated = {p.relation.subject for p in ctx.found if p.relation.predicate == "date"}
    by_sentence: dict[int, list[Span]] = {}
    for ent in ctx.doc.ents:
        if ent.label_ in ("DATE", "TIME"):
            by_sentence.setdefault(ctx.sent_of[ent.start], []).append(ent)
    for mention in ctx.mentions:
        if mention.kind != "event" or mention.id in dated or mention.type == "Statement":
            continue
        for ent in by_sentence.get(mention.sentence, []):
            if _belongs_to_other_event(ctx, ent.root, mention.id):
                continue
            value = parse_time(ent.text, ctx.article.date)
            if value is not None and value.precision == "day":
                found.relation(mention.id, "date", value, anchor=ent.root, extractor="event.time_sentence")
                break


def _belongs_to_other_event(ctx: Context, token: Token, event: int) -> bool:
    """The phrase hangs from another event mention ("the statement released Friday") or from
    a reporting verb ("on Friday, officials confirmed that ...")."""
    verbs = attribution_words().reporting_verbs
    tolls = event_words().toll_verbs
    node = token
    while node.head.i != node.i:
        node = node.head
        if node.pos_ == "VERB" and node.lemma_ in tolls:
            return True  # "the toll rose to 42 on Thursday": when it was counted
        if node.pos_ == "VERB" and node.lemma_ in verbs and not any(c.dep_ == "auxpass" for c in node.children):
            return True  # ... but "a bombing was yesterday reported to have killed" dates the bombing
        found = ctx.mention_at(node)
        if found is not None and found.kind == "event":
            return found.id != event
    return False
