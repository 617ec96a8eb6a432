"""Times of day (``kg:timeOfDay``): "at 10:30 am", "around 8pm", "at 2024 UTC", "shortly
after midnight", on the event of the clause (the verb's own, its subject's), else the
nearest event of the sentence, else the person or thing the clause is about ("Smith
arrived at 10am")."""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import Context, Found
from kg.extract.data import number_words
from kg.extract.numbers.common import amounts
from kg.extract.numbers.owner import event_at, thing_at
from kg.extract.steps import step
from kg.model import Mention

TIME_PREPS = frozenset(
    {"at", "around", "about", "before", "after", "by", "until", "till", "from", "to", "past", "near"}
)
"""A time of day named by a word ("noon") is one only after one of these."""


@step("numbers.times_of_day")
def find_times_of_day(ctx: Context, found: Found) -> None:
    day_times = number_words().day_times
    for amount in amounts(ctx, "time"):
        span = amount.span
        if amount.time is None:
            continue
        if span.text.lower() in day_times and (span.start == 0 or ctx.doc[span.start - 1].lower_ not in TIME_PREPS):
            continue  # "Midnight Express", "the noon deadline"
        root = span.root
        owner = _clause_event(ctx, root) or _nearest_event(ctx, root) or _clause_subject(ctx, root)
        if owner is not None:
            found.relation(owner.id, "timeOfDay", amount.time, anchor=root, extractor="numbers.time_of_day")


def _clause_event(ctx: Context, token: Token) -> Mention | None:
    """The event on the way up from the time to its verb, or the verb's subject or object."""
    node = token
    for _ in range(5):
        found = event_at(ctx, node)
        if found is not None:
            return found
        if node.pos_ in ("VERB", "AUX"):
            for child in node.children:
                if child.dep_ in ("nsubj", "nsubjpass", "dobj"):
                    found = event_at(ctx, child)
                    if found is not None:
                        return found
            if node.dep_ in ("relcl", "acl") and node.head.pos_ == "NOUN":  # "the disaster, which occurred at 6am"
                return event_at(ctx, node.head) or thing_at(ctx, node.head)
            return None
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _nearest_event(ctx: Context, token: Token) -> Mention | None:
    sentence = ctx.sent_of[token.i]
    events = [m for m in ctx.mentions if m.kind == "event" and m.sentence == sentence and m.type != "Statement"]
    return min(events, key=lambda m: abs(ctx.index.head_of[m.id] - token.i)) if events else None


def _clause_subject(ctx: Context, token: Token) -> Mention | None:
    node = token
    for _ in range(5):
        if node.head.i == node.i:
            break
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            for child in node.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    mention = ctx.entity_at(child)
                    if mention is not None:
                        return mention
            return None
    return None
