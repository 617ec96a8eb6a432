"""What the event steps share: places, agents and times around a word, counts, and
nominal mentions made for argument phrases no lexicon covers."""

from __future__ import annotations

from spacy.tokens import Token

from kg import ontology
from kg.extract.context import Context, Found
from kg.extract.data import attribution_words, confidence, event_words
from kg.extract.normalize import parse_quantity, parse_time
from kg.model import Mention, Quantity

__all__ = [
    "ad_hoc",
    "agent_at",
    "count_of",
    "method_of",
    "number_at",
    "place_at",
    "reported_argument",
    "setting",
    "time_of",
]


def place_at(ctx: Context, token: Token) -> Mention | None:
    mention = ctx.entity_at(token)
    if mention is not None and ontology.is_place(ctx.resolved_type(mention)):
        return mention
    return None


def agent_at(ctx: Context, token: Token) -> Mention | None:
    mention = ctx.entity_at(token)
    if mention is not None and ctx.resolved_type(mention) in event_words().agent_types:
        return mention
    return None


def time_of(ctx: Context, found: Found, event: int, token: Token, value_confidence: float) -> bool:
    """A date of ``event`` from the DATE or TIME entity at ``token``; whether there was one."""
    ent = ctx.date_ents.get(token.i)
    if ent is None:
        return False
    value = parse_time(ent.text, ctx.article.date)
    if value is None:
        return False
    found.relation(event, "date", value, anchor=token, confidence=value_confidence, extractor="event.time")
    return True


def setting(ctx: Context, found: Found, event: int, verb: Token, value_confidence: float) -> None:
    """Location and time phrases attached to ``verb`` (a trigger or a clause about the event)."""
    words = event_words()
    for child in verb.children:
        if child.dep_ == "prep":
            lemma = child.lower_
            if time_of(ctx, found, event, child, value_confidence):  # "about a year ago": the prep is in the DATE
                continue
            for pobj in child.children:
                if pobj.dep_ != "pobj":
                    continue
                if lemma in words.time_preps and time_of(ctx, found, event, pobj, value_confidence):
                    continue
                place = place_at(ctx, pobj)
                if place is not None and lemma in words.location_preps:
                    found.relation(
                        event,
                        "location",
                        place.id,
                        anchor=pobj,
                        confidence=value_confidence,
                        extractor="event.location",
                    )
                    if place.kind == "nominal":
                        _named_within(ctx, found, event, pobj, value_confidence)
        elif child.dep_ in ("npadvmod", "tmod", "advmod", "nmod"):
            time_of(ctx, found, event, child, value_confidence)


def _named_within(ctx: Context, found: Found, event: int, noun: Token, value_confidence: float) -> None:
    """An unnamed site names its place: "at the headquarters of the Paris Police Prefecture in
    Paris", "into a military base in Maidan Shahr": the named places inside the phrase
    (through "of" and "in", two steps) are where it happened too."""
    discounted = round(value_confidence - confidence("event.location_within.discount"), 3)
    frontier = [(noun, 0)]
    while frontier:
        token, depth = frontier.pop()
        for prep in token.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("of", "in", "near", "at"):
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                place = place_at(ctx, pobj)
                if place is not None and place.kind == "name":
                    found.relation(
                        event,
                        "location",
                        place.id,
                        anchor=pobj,
                        confidence=discounted,
                        extractor="event.location_within",
                    )
                if depth < 2:
                    frontier.append((pobj, depth + 1))


def reported_argument(token: Token) -> bool:
    """An event noun inside "X claimed responsibility for the attack on Thursday": a date
    phrase after it may belong to the claim rather than to the attack."""
    verbs = attribution_words().reporting_verbs
    node = token
    for _ in range(4):
        if node.head.i == node.i:
            return False
        node = node.head
        if node.pos_ == "VERB":
            return node.lemma_ in verbs or node.lemma_ in ("accept", "take", "admit")
    return False


def method_of(token: Token) -> str | None:
    methods = event_words().methods
    for c in token.subtree:
        if c.i <= token.i and c.lemma_.lower() in methods:
            return str(methods[c.lemma_.lower()])
    return None


def ad_hoc(ctx: Context, token: Token) -> Mention | None:
    """A nominal mention for a target phrase no lexicon covers ("a commemorative event for X")."""
    words = event_words()
    if token.pos_ not in ("NOUN", "PROPN") or token.lemma_.lower() in words.not_counted | words.people:
        return None
    if ctx.mention_at(token) is not None or token.ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL"):
        return None
    indices = sorted(_compact(token, depth=2))
    start, end = indices[0], indices[-1] + 1
    while start < token.i and ctx.doc[start].lower_ in ("the", "a", "an"):
        start += 1
    name = ctx.doc[start:end].text
    mention_id = ctx.add_mention(start, end, token, type="Entity", kind="nominal", name=name)
    return ctx.mentions[mention_id]


def _compact(token: Token, depth: int) -> set[int]:
    """Token indices of a noun phrase with its modifiers and prepositional complements,
    without appositions or clauses ("commemorative event for Qasem Soleimani")."""
    out = {token.i}
    for child in token.lefts:
        if child.dep_ in ("det", "amod", "compound", "nummod", "poss", "nmod", "case"):
            out.update(t.i for t in child.subtree)
    if depth > 0:
        for child in token.rights:
            if child.dep_ == "prep":
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    out.add(child.i)
                    out |= _compact(pobj, depth - 1)
                    break
    # keep a contiguous run around the token
    run = {token.i}
    i = token.i - 1
    while i in out:
        run.add(i)
        i -= 1
    i = token.i + 1
    while i in out:
        run.add(i)
        i += 1
    return run


def count_of(ctx: Context, token: Token) -> Quantity | None:
    """The count a noun phrase states: "11 people", "at least 20", "dozens of people"."""
    if token.like_num:
        return number_at(ctx, token)
    if token.lemma_.lower() in event_words().not_counted:
        return None
    for child in token.children:
        if child.dep_ == "nummod" and child.like_num:
            return number_at(ctx, child)
    if token.lower_ in ("dozens", "hundreds", "thousands", "scores"):
        return parse_quantity(token.lower_)
    for child in token.children:  # "dozens of people"
        if child.dep_ == "prep" and child.lower_ == "of" and token.lower_ in ("dozens", "hundreds", "thousands"):
            return parse_quantity(token.lower_)
    return None


def number_at(ctx: Context, token: Token) -> Quantity | None:
    """The number a numeral token states, with its modifiers ("about 90"); not a year."""
    ent = ctx.cardinal_ents.get(token.i)
    if ent is not None:
        text = ent.text
    else:
        left = [c for c in token.lefts if c.dep_ in ("advmod", "quantmod", "compound", "nummod")]
        start = min((c.left_edge.i for c in left), default=token.i)
        text = ctx.doc[start : token.i + 1].text
    quantity = parse_quantity(text)
    if quantity is None:
        quantity = parse_quantity(token.text)
    if quantity is not None and 1900 <= quantity.value <= 2100 and token.i in ctx.date_ents:
        return None
    return quantity
