"""What a number is stated of: the event or the entity it belongs to.

"The company will cut 2,000 jobs" → the company; "profits at TimeWarner jumped 76%" →
TimeWarner; "three bombs exploded" → the bombing; "120 people were in the hotel" → the
hotel. From the phrase the number is in, up the parse: an event mention there, the
phrase's holder ("TimeWarner's profits", "profits at TimeWarner", "the cost of the
scheme"), then at each verb the subject for a number in the object, the verb's own event
or its object for a number in the subject. A reporting verb ends the climb: "police said
35 people were rescued" is not of the police. Failing all that, the phrase itself is
what the number is of (`thing_at`): "sales rose to $11.1bn" → sales.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg import ontology
from kg.extract.context import Context
from kg.extract.data import attribution_words, number_words
from kg.model import Mention

__all__ = ["bracketed", "event_at", "holder_of", "owner_of", "thing_at"]

SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
OBJECTS = frozenset({"dobj", "attr", "oprd", "dative"})
HOLDER_PREPS = frozenset({"of", "at"})
CLIMB = frozenset({"prep", "pobj", "appos", "conj", "npadvmod", "nummod", "quantmod", "amod", "acomp", "advmod"})
"""Dependencies a number's phrase climbs through on its way to the verb it belongs to."""


def event_at(ctx: Context, token: Token) -> Mention | None:
    """An event mention (not a statement) at ``token``."""
    for mention in ctx.covering(token):
        if mention.kind == "event" and mention.type != "Statement":
            return mention
    return None


def entity_at(ctx: Context, token: Token) -> Mention | None:
    """An entity mention at ``token`` that a number can be of (not a bare place of "in")."""
    mention = ctx.entity_at(token)
    if mention is None or mention.kind == "event":
        return None
    return mention


def holder_of(ctx: Context, noun: Token) -> Mention | None:
    """Whose the phrase is: "TimeWarner's profits", "profits at TimeWarner", "the cost of the scheme"."""
    for child in noun.children:
        if child.dep_ == "poss":
            found = event_at(ctx, child) or entity_at(ctx, child)
            if found is not None:
                return found
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in HOLDER_PREPS:
            for pobj in child.children:
                if pobj.dep_ == "pobj" and not pobj.like_num:
                    found = event_at(ctx, pobj) or entity_at(ctx, pobj)
                    if found is not None:
                        return found
    return None


def _at_verb(ctx: Context, verb: Token, came: Token) -> Mention | None:
    """At the verb a number's phrase hangs from: the subject for an object, the verb's event
    or its object for a subject."""
    if came.dep_ in SUBJECTS or came.dep_ == "agent":  # "paid by two companies": who acts, not what is paid
        found = event_at(ctx, verb)
        if found is not None:
            return found
        for child in verb.children:
            if child.dep_ in OBJECTS:
                found = event_at(ctx, child) or entity_at(ctx, child)
                if found is not None and not ontology.is_place(ctx.resolved_type(found)):
                    return found
        return None
    found = event_at(ctx, verb)
    if found is not None:
        return found
    if came.dep_ == "prep":  # "raised prices by 5%", "implying GDP growth at 2.9%": the object's
        obj = _object_noun(verb)
        if obj is not None:
            return event_at(ctx, obj) or entity_at(ctx, obj) or thing_at(ctx, obj)  # the stake, not its holder
    for child in verb.children:
        if child.i == came.i:
            continue
        if child.dep_ in SUBJECTS or child.dep_ == "agent":
            target = next((c for c in child.children if c.dep_ == "pobj"), child) if child.dep_ == "agent" else child
            found = event_at(ctx, target) or entity_at(ctx, target)
            if found is None and target.pos_ == "NOUN":
                found = thing_at(ctx, target)  # "the trial will cost $4m": the trial's
            if found is not None:
                return found
    return None


def _object_noun(verb: Token) -> Token | None:
    """The noun object of a verb, or the noun a relative clause with an object "which" is on:
    "a bid from Carrow, which the company raised to $3.2bn" → the bid (not its maker)."""
    scales = number_words().scales  # "took $9.4m": the parse's "m" is no object
    obj = next(
        (c for c in verb.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN") and c.lower_ not in scales), None
    )
    if obj is None and verb.dep_ == "relcl" and any(c.dep_ == "dobj" and c.tag_ == "WDT" for c in verb.children):
        obj = verb.head
        if obj.dep_ == "pobj" and obj.head.head.pos_ == "NOUN":
            obj = obj.head.head
    return obj


def owner_of(ctx: Context, noun: Token, *, depth: int = 6) -> Mention | None:
    """The event or entity the number whose phrase is headed by ``noun`` is stated of, if the
    parse says (see the module docstring)."""
    reporting = attribution_words().reporting_verbs
    found = event_at(ctx, noun) or holder_of(ctx, noun)
    if found is not None:
        return found
    node = noun
    came = noun
    for _ in range(depth):
        head = node.head
        if head.i == node.i:
            return None
        if head.pos_ in ("VERB", "AUX"):
            if head.lemma_ in reporting and node.dep_ not in OBJECTS:
                return None
            found = _at_verb(ctx, head, node)
            if found is not None:
                return found
            if head.dep_ not in ("xcomp", "conj", "advcl", "relcl", "acl", "pcomp"):
                return None
            if head.dep_ in ("conj", "advcl") and node.dep_ in SUBJECTS and not node.like_num:
                return None  # "stations were fined after 31,000 complaints were filed": not the stations'
        else:
            found = event_at(ctx, head) or (holder_of(ctx, head) if node.dep_ in CLIMB else None)
            if found is None and _measured_by(node, came) and head.pos_ in ("NOUN", "PROPN"):
                found = entity_at(ctx, head) or thing_at(ctx, head)  # "the motion passed by 312 votes"
            if found is not None:
                return found
            if node.dep_ in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN"):
                return None  # "nine men linked to the gang in four cities": the cities are not the men's
        came = node
        node = head
    return None


def bracketed(ctx: Context, span: Span) -> Mention | None:
    """What a number in brackets right after a noun phrase is of: "the French government
    (15%)", "Germany's DaimlerChrysler (30%)"."""
    doc = ctx.doc
    if span.start < 2 or span.end >= len(doc) or doc[span.start - 1].text != "(" or doc[span.end].text != ")":
        return None
    before = doc[span.start - 2]
    if before.pos_ not in ("NOUN", "PROPN"):
        return None
    return event_at(ctx, before) or entity_at(ctx, before) or thing_at(ctx, before)


def _measured_by(verb: Token, came: Token) -> bool:
    """Whether a clause on a noun measures it by the number below ``came``: "the motion
    passed by 312 votes", "a fund worth 3 billion"; not where or with what it is ("suspects
    connected to the team in six provinces")."""
    if verb.dep_ not in ("acl", "relcl"):
        return False
    return came.dep_ in OBJECTS or came.dep_ in ("npadvmod", "agent") or (came.dep_ == "prep" and came.lower_ == "by")


def thing_at(ctx: Context, noun: Token, *, type: str = "Entity") -> Mention:
    """The mention at ``noun``, else a nominal mention of its phrase made for the number
    ("fourth quarter sales"), without the numbers and determiners."""
    found = ctx.entity_at(noun)
    if found is not None:
        return found
    words = [
        c
        for c in noun.lefts
        if (c.dep_ in ("compound", "amod", "nmod") or (c.dep_ == "poss" and c.pos_ == "PROPN"))
        and c.tag_ != "VBN"
        and not any(t.like_num or t.is_punct or t.lower_ == "dozen" or _has_digit(t.text) for t in c.subtree)
        and not (c.lower_ in number_words().scales and c.i > 0 and ctx.doc[c.i - 1].like_num)  # "300m blog entries"
    ]  # "the 22-year-old former Dublin milkman" → "former Dublin milkman"; "Singapore's economy"; not "estimated"
    kept = sorted({t.i for c in words for t in c.subtree} | {noun.i})
    start = kept[0]
    name = " ".join(ctx.doc[i].text for i in kept).replace(" 's", "'s")
    of = _of_phrase(noun)
    if of:
        name += " " + ctx.doc[of[0] : of[1]].text
    mention_id = ctx.add_mention(start, noun.i + 1, noun, type=type, kind="nominal", name=name)
    return ctx.mentions[mention_id]


LABEL_PREPOSITIONS = frozenset({"of", "at", "from", "in"})
"""Prepositions whose short phrase right after a counted noun says which it is ("pieces of
baggage", "sales at clothing stores", "applications from Wales")."""


def _of_phrase(noun: Token) -> tuple[int, int] | None:
    """Where a short phrase right after a noun says what it is of or which it is ("pieces of
    baggage", "shares of Delta", "sales at clothing stores"): for its label; none with a
    number in it or of more than five words."""
    prep = next(
        (c for c in noun.rights if c.dep_ == "prep" and c.lower_ in LABEL_PREPOSITIONS and c.i == noun.i + 1), None
    )
    if prep is None:
        return None
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if pobj is None or pobj.pos_ not in ("NOUN", "PROPN"):
        return None
    tokens = list(pobj.subtree)
    if len(tokens) > 5 or any(t.like_num or _has_digit(t.text) or t.is_punct for t in tokens):
        return None
    return prep.i, tokens[-1].i + 1


def _has_digit(text: str) -> bool:
    """ "2bn", "4G": a word with a figure in it, not a word of a name for the thing."""
    return any(ch.isdigit() for ch in text)
