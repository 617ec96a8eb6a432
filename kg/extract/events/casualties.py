"""Casualties: how many were killed and injured, and which event the count belongs to.

"About 90 people were killed and 284 injured", "the death toll rose to 42", "left 12
dead", "claimed the lives of 50": a casualty word (a verb, an adjective, a noun) and the
count it states. The count goes to the event the clause names ("the blast killed 12"),
else the nearest event in the parse, else the article's main incident, weakly. A count
of a part ("two of the victims died") is down-weighted; a sentence about the past
("... deaths since 2015") is left out.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from kg.extract.context import Context, Found
from kg.extract.data import EventWords, confidence, event_words
from kg.extract.events.common import count_of, number_at, setting
from kg.extract.normalize import parse_time
from kg.extract.steps import step
from kg.model import MAIN_EVENT, Quantity


@step("events.casualties")
def find_casualties(ctx: Context, found: Found) -> None:
    words = event_words()
    has_incident = any(m.kind == "event" and m.type in words.incident_family for m in ctx.mentions)
    for token in ctx.tokens:
        kind = casualty_kind(token, words)
        if kind is None:
            continue
        count = _casualty_count(ctx, token, token.lemma_.lower() if token.lower_ != "dead" else "dead")
        if count is None:
            _killed_in(ctx, found, token)
            continue
        event = _event_for(ctx, token, words)
        value_confidence = confidence("casualties")
        if event is None:
            if not has_incident or _about_the_past(ctx, token):
                continue
            event, value_confidence = MAIN_EVENT, confidence("casualties.main_event")
        if _partitive(token):
            value_confidence -= confidence("casualties.partitive_discount")  # "one of them died": a part of the toll
        found.relation(event, kind, count, anchor=token, confidence=value_confidence, extractor=f"casualties.{kind}")
        if token.pos_ == "VERB":
            setting(ctx, found, event, token, value_confidence)
            for conj in token.children:
                if conj.dep_ == "conj" and casualty_kind(conj, words):
                    setting(ctx, found, event, conj, value_confidence)
            if token.dep_ == "conj" and casualty_kind(token.head, words):
                setting(ctx, found, event, token.head, value_confidence)


def casualty_kind(token: Token, words: EventWords) -> str | None:
    """``deaths`` or ``injured`` for a casualty word, else ``None``."""
    lemma = token.lemma_.lower()
    lower = token.lower_
    if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
        if lemma in ("kill", "die", "murder", "slay"):
            return "deaths"
        if lemma == "claim" and any(c.dep_ == "dobj" and c.lemma_ == "life" for c in token.children):
            return "deaths"
        if lemma in words.injury_verbs:
            return "injured"
        return None
    if lower == "dead" or lemma in ("death", "fatality", "toll") or (lemma == "life" and token.dep_ != "dobj"):
        if lemma == "toll" and not any(c.lemma_ in ("death", "casualty") for c in token.lefts):
            return None
        return "deaths"
    if lower in ("injured", "wounded") or lemma == "injury":
        return "injured"
    return None


def _casualty_count(ctx: Context, token: Token, lemma: str) -> Quantity | None:
    """The number killed or injured that a casualty word states, if any."""
    if token.pos_ in ("VERB", "AUX") or token.tag_ in ("VBN", "VBD", "VBG"):
        return _verb_count(ctx, token, lemma)
    if lemma in ("dead", "injured", "wounded") and token.pos_ in ("ADJ", "NOUN"):
        return _adjective_count(ctx, token)
    if lemma in ("death", "fatality", "injury", "casualty", "life"):
        return _noun_count(ctx, token, lemma)
    if lemma == "toll":
        return _toll_count(ctx, token)
    return None


def _verb_count(ctx: Context, token: Token, lemma: str) -> Quantity | None:
    """ "12 people died", "claimed 50 lives", "90 were killed", "killed 12 people"."""
    children = list(token.children)
    if lemma == "die":
        return next((q for c in children if c.dep_ == "nsubj" and (q := count_of(ctx, c))), None)
    if lemma == "claim":
        for c in children:
            if c.dep_ == "dobj" and c.lemma_ == "life":
                return count_of(ctx, c) or next(
                    (q for g in c.children if g.dep_ == "prep" for p in g.children if (q := count_of(ctx, p))), None
                )
        return None
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in children) or (
        token.tag_ == "VBN" and not any(c.dep_ == "dobj" for c in children)
    )
    if passive:
        return _passive_count(ctx, token, children)
    for c in children:
        if c.dep_ == "dobj":
            return count_of(ctx, c)
    return None


def _passive_count(ctx: Context, token: Token, children: list[Token]) -> Quantity | None:
    for c in children:
        if c.dep_ in ("nsubjpass", "nsubj"):
            return count_of(ctx, c)
    if token.dep_ in ("amod", "acl") and token.head.like_num:
        return number_at(ctx, token.head)
    if token.dep_ in ("acl", "amod", "relcl") and token.head.pos_ == "NOUN":
        return count_of(ctx, token.head)
    return None


def _adjective_count(ctx: Context, token: Token) -> Quantity | None:
    """ "12 dead", "left 12 people dead"."""
    if token.head.like_num:
        return number_at(ctx, token.head)
    for c in token.children:
        if c.dep_ in ("nummod", "npadvmod") and c.like_num:
            return number_at(ctx, c)
    if token.dep_ in ("oprd", "ccomp", "xcomp", "acomp") and token.head.lemma_ == "leave":
        for c in token.head.children:
            if c.dep_ == "dobj":
                return count_of(ctx, c)
    return None


def _noun_count(ctx: Context, token: Token, lemma: str) -> Quantity | None:
    """ "12 deaths", "the death of 50 people"."""
    for c in token.children:
        if c.dep_ == "nummod" and c.like_num:
            return number_at(ctx, c)
        if c.dep_ == "prep" and c.lower_ == "of" and lemma in ("death", "life"):  # "the death of 50 people"
            for p in c.children:
                if p.dep_ == "pobj" and (q := count_of(ctx, p)) is not None:
                    return q
    return None


def _toll_count(ctx: Context, token: Token) -> Quantity | None:
    """ "a death toll of 42", "the toll rose to 42"."""
    for c in token.children:
        if c.dep_ == "prep" and c.lower_ in ("of", "at"):
            for p in c.children:
                if p.dep_ == "pobj" and p.like_num:
                    return number_at(ctx, p)
    head = token.head
    if token.dep_ == "nsubj" and head.pos_ in ("VERB", "AUX"):
        for c in head.children:
            if c.dep_ in ("dobj", "attr") and c.like_num:
                return number_at(ctx, c)
            if c.dep_ == "prep" and c.lower_ in ("to", "at"):
                for p in c.children:
                    if p.dep_ == "pobj" and (q := count_of(ctx, p)) is not None:
                        return q
    return None


def _event_for(ctx: Context, token: Token, words: EventWords) -> int | None:
    """The event mention a casualty clause is about, nearest in the parse first."""

    def event_at(t: Token) -> int | None:
        mention = ctx.mention_at(t)
        if mention is not None and mention.kind == "event" and mention.type in words.incident_family:
            return mention.id
        for m in ctx.covering(t):
            if m.kind == "event" and m.type in words.incident_family:
                return m.id
        return None

    for child in token.children:
        if child.dep_ in ("nsubj", "agent"):
            target = child if child.dep_ == "nsubj" else next((c for c in child.children if c.dep_ == "pobj"), child)
            found = event_at(target)
            if found is not None:
                return found
    found = event_at(token)
    if found is not None:
        return found
    found = _event_above(token, event_at)
    if found is not None:
        return found
    for t in token.subtree:
        found = event_at(t)
        if found is not None:
            return found
    best, distance = None, None
    for t in ctx.doc[token.i].sent:
        found = event_at(t)
        if found is not None and (distance is None or abs(t.i - token.i) < distance):
            best, distance = found, abs(t.i - token.i)
    return best


def _event_above(token: Token, event_at: Callable[[Token], int | None]) -> int | None:
    """The first event on the way up the parse from ``token`` to its root."""
    node = token
    while node.head.i != node.i:
        node = node.head
        found = event_at(node)
        if found is not None:
            return found
        if node.dep_ == "ROOT":
            break
    return None


def _partitive(token: Token) -> bool:
    """The count is of a part: "two of the victims died", "one of them was killed"."""
    for child in token.children:
        if child.dep_ in ("nsubj", "nsubjpass", "dobj") and any(
            g.dep_ == "prep" and g.lower_ == "of" for g in child.children
        ):
            return child.like_num or child.lower_ in ("one", "some", "several", "many", "most")
    return False


def _about_the_past(ctx: Context, token: Token) -> bool:
    """The sentence dates itself well before the article ("... deaths since 2015")."""
    anchor = ctx.article.date
    for t in token.sent:
        if t.lower_ == "since":
            return True
        if t.i in ctx.date_ents and t.ent_iob_ == "B":
            value = parse_time(ctx.date_ents[t.i].text, anchor)
            if anchor is None or value is None or value.precision == "text":
                continue
            year = int(value.value[:4])
            if year < anchor.year - (0 if anchor.month > 1 else 1):
                return True
    return False


def _killed_in(ctx: Context, found: Found, verb: Token) -> None:
    """ "X was killed in a drone strike near Baghdad on 3 January": the clause's time and
    place belong to the event it names."""
    if verb.pos_ != "VERB":
        return
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "by", "during"):
            for pobj in prep.children:
                mention = ctx.mention_at(pobj)
                if mention is not None and mention.kind == "event" and mention.type not in ("Arrest", "Statement"):
                    setting(ctx, found, mention.id, verb, confidence("event.setting.killed_in"))
                    return
