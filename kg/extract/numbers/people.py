"""Numbers stated of people: ages and prison terms.

Ages (``kg:age``): "the 22-year-old driver", "Smith is 40 years old", "a man aged 40",
"Rossi, 63, said", "Rossi (63)", "died at the age of 87". Penalties
(``kg:penaltyYears``): "sentenced to four years in prison", "jailed for six years",
"a ten-year sentence", "18 months in jail" (1.5): on the sentencing event when there is
one at the verb, else on the person sentenced; not a maximum ("faces up to ten years in
prison", "could be jailed for ten years").
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.extract.context import Context, Found
from kg.extract.data import number_words
from kg.extract.normalize import parse_quantity
from kg.extract.numbers.owner import event_at, thing_at
from kg.extract.steps import step
from kg.model import AGE_HEAD, Mention, Quantity

__all__ = ["ages", "penalties"]

AGE_AFTER = frozenset({",", ".", ";", ")", "and", "who", "of", "from", "was", "is", "has", "had", ":"})
"""What may follow "Name, 63": the age ends there."""
MODALS = frozenset({"could", "may", "might", "would", "should", "can"})
SENTENCING = frozenset({"sentence", "jail", "imprison"})
TERM_WORDS = frozenset({"year", "years", "month", "months"})
AGE_WORDS = frozenset({"old", "aged", "age", "died", "dies", "die", "dying"})


def _age_value(token: Token) -> Quantity | None:
    quantity = parse_quantity(token.text, kind="age", unit="year")
    if quantity is None or not isinstance(quantity.value, int) or not 0 < quantity.value < 125:
        return None
    return quantity


def _person(ctx: Context, token: Token) -> Mention:
    """The person at ``token``: its mention, the name it is in apposition to, else a nominal made for it."""
    mention = ctx.entity_at(token)
    if mention is not None and mention.kind != "event":
        return mention
    if token.dep_ == "appos":
        head = ctx.entity_at(token.head)
        if head is not None and ctx.resolved_type(head) == "Person":
            return head
    if token.lower_ == "old":  # "the 28-year-old fractured ...": the 28-year-old, the one named before
        start = token.left_edge.i
        definite = ctx.doc[start].lower_ == "the"
        mention_id = ctx.add_mention(start, token.i + 1, token, type="Person", kind="nominal",
                                     name=ctx.doc[start : token.i + 1].text, definite=definite,
                                     head_lemma=AGE_HEAD)  # fmt: skip
        return ctx.mentions[mention_id]
    return thing_at(ctx, token, type="Person")


def _year_old(ctx: Context, old: Token) -> tuple[Token, Token] | None:
    """ "22-year-old", "22 years old": the numeral and the word the age is of."""
    i = old.i - 1
    doc = ctx.doc
    while i >= 0 and doc[i].text in ("-", "–"):
        i -= 1
    if i < 0 or doc[i].lower_ not in ("year", "years"):
        return None
    i -= 1
    while i >= 0 and doc[i].text in ("-", "–"):
        i -= 1
    if i < 0 or not doc[i].like_num:
        return None
    number = doc[i]
    if old.dep_ == "amod" and old.head.pos_ in ("NOUN", "PROPN") and old.head.i > old.i:
        if old.head.tag_ in ("NNS", "NNPS") and not old.head.is_title:
            return None  # "two 16-year-old boys": a count of boys
        return number, old.head
    if old.dep_ == "amod" and old.head.i < old.i:
        return number, old.head  # "Smithers, 36 years old,"
    if old.dep_ == "acomp":
        subject = next((c for c in old.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        return (number, subject) if subject is not None else None
    if old.lower_ == "olds":
        return None
    return number, old


def _aged(ctx: Context, aged: Token) -> tuple[Token, Token] | None:
    """ "a man aged 40", "Smith, aged 40,": not "aged between 18 and 24"."""
    doc = ctx.doc
    if aged.i + 1 >= len(doc) or not doc[aged.i + 1].like_num:
        return None
    after = doc[aged.i + 2] if aged.i + 2 < len(doc) else None
    if after is not None and (after.lower_ in ("to", "and", "or") or after.text in ("-", "–")):
        return None  # a range of ages: no one's age
    if aged.dep_ in ("acl", "amod", "appos", "advcl") and aged.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return doc[aged.i + 1], aged.head
    subject = next((c for c in aged.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return (doc[aged.i + 1], subject) if subject is not None else None


def _after_name(ctx: Context, mention: Mention) -> Token | None:
    """ "Rossi, 63," and "Rossi (63)": the numeral right after a person's name."""
    doc = ctx.doc
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    end = max(ctx.head_token(mention.id).i + 1, span.end if span is not None else 0)
    if end + 2 >= len(doc) or doc[end].text not in (",", "("):
        return None
    number, after = doc[end + 1], doc[end + 2]
    if not number.like_num or after.lower_ not in AGE_AFTER:
        return None
    if after.lower_ == "of" and not number.is_digit:
        return None  # "Jason Parkinson, one of the developers": a part of a set, not an age
    if doc[end].text == "(" and after.text != ")":
        return None
    return number


def _listed(number: Token) -> list[Token]:
    """The numerals listed after one ("nine, ten, thirteen and 49")."""
    return [t for t in number.subtree if t.i > number.i and t.like_num and t.dep_ in ("conj", "appos")]


def _died_at(ctx: Context, verb: Token) -> tuple[Token, Token] | None:
    """ "died at 87": the numeral and who died."""
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ == "at":
            number = next((c for c in prep.children if c.dep_ == "pobj" and c.like_num), None)
            subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if number is not None and subject is not None and number.ent_type_ not in ("TIME", "CARDINAL_TIME"):
                return number, subject
    return None


def _age_of(ctx: Context, age: Token) -> tuple[Token, Token] | None:
    """ "at the age of 87", "at age 87": the numeral and the subject of the clause."""
    number = None
    for child in age.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            number = next((c for c in child.children if c.like_num), None)
        elif child.like_num and child.i > age.i:
            number = child
    if number is None:
        return None
    node = age
    while node.head.i != node.i and node.pos_ not in ("VERB", "AUX"):
        node = node.head
    subject = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return (number, subject) if subject is not None else None


def ages(ctx: Context) -> Iterator[tuple[Token, Token | Mention, Quantity]]:
    """Every age the article states: its numeral, the person (a mention, or the word that
    stands for them) and the value."""
    for token in ctx.tokens:
        lower = token.lower_
        if lower not in AGE_WORDS:
            continue
        hit = None
        if lower == "old":
            hit = _year_old(ctx, token)
        elif lower == "aged":
            hit = _aged(ctx, token)
        elif lower == "age" and token.pos_ == "NOUN":
            hit = _age_of(ctx, token)
        elif token.lemma_ == "die" and token.pos_ == "VERB":
            hit = _died_at(ctx, token)
        if hit is None:
            continue
        number, holder = hit
        for each in (number, *_listed(number)):  # "aged nine, ten and 49"
            value = _age_value(each)
            if value is not None:
                yield each, holder, value
    surnames = {m.name.split()[-1] for m in ctx.mentions if m.kind == "name" and m.type == "Person" and m.name}
    for mention in list(ctx.mentions):
        person = ctx.resolved_type(mention) == "Person" or (mention.kind == "name" and mention.name in surnames)
        if mention.kind in ("name", "nominal") and person:  # "Rossi" of "Giuseppe Rossi", whatever NER said
            after = _after_name(ctx, mention)
            value = _age_value(after) if after is not None else None
            if after is not None and value is not None:
                yield after, mention, value


@step("numbers.ages")
def find_ages(ctx: Context, found: Found) -> None:
    for number, holder, value in list(ages(ctx)):
        person = _person(ctx, holder) if isinstance(holder, Token) else holder
        found.relation(person.id, "age", value, anchor=number, extractor="numbers.age")


# ---------------------------------------------------------------------------- penalties


def _term(token: Token) -> Token | None:
    """The numeral of a term: "four years", "a ten-year sentence"."""
    for child in token.children:
        if child.dep_ in ("nummod", "quantmod") and child.like_num:
            return child
    doc = token.doc
    if token.i >= 2 and doc[token.i - 1].text in ("-", "–") and doc[token.i - 2].like_num:
        return doc[token.i - 2]
    return None


def _is_penalty(token: Token) -> bool:
    """Whether a term of years is a penalty: "sentenced to four years", "four years in
    prison", "a four-year sentence"."""
    words = number_words()
    head = token.head
    if token.dep_ == "pobj" and head.lower_ in ("to", "for") and head.head.lemma_.lower() in SENTENCING:
        return True
    for child in token.children:  # "four years in prison"
        if (
            child.dep_ == "prep"
            and child.lower_ in ("in", "of", "behind")
            and any(p.dep_ == "pobj" and p.lemma_.lower() in words.penalty_nouns for p in child.children)
        ):
            return True
    # "a four-year sentence"
    return head.lemma_.lower() in words.penalty_nouns and token.dep_ in ("compound", "amod", "nmod", "npadvmod", "poss")


def _verb_of(token: Token) -> Token | None:
    node = token
    for _ in range(5):
        if node.head.i == node.i:
            return None
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            return node
    return None


def _hypothetical(verb: Token) -> bool:
    words = number_words()
    return verb.lemma_.lower() in words.hypothetical_penalty_verbs or any(
        c.dep_ == "aux" and c.lower_ in MODALS for c in verb.children
    )


def _sentenced(ctx: Context, verb: Token) -> Mention | None:
    """The sentencing event at the verb, else the person sentenced."""
    event = event_at(ctx, verb)
    if event is not None:
        return event
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    order = ("nsubjpass", "dobj", "dative", "nsubj") if passive else ("dobj", "dative", "nsubj")
    receives = verb.lemma_.lower() in ("receive", "serve", "get", "be", "spend")
    for dep in order:
        if dep == "nsubj" and not (receives or passive):
            continue
        for child in verb.children:
            if child.dep_ == dep:
                mention = ctx.entity_at(child)
                if mention is not None and ctx.resolved_type(mention) == "Person":
                    return mention
    return None


def penalties(ctx: Context) -> Iterator[tuple[Token, Mention, Quantity]]:
    """Every prison term the article states as given: its numeral, what it is of, its years."""
    low = ctx.article.text.lower()
    if "year" not in low and "month" not in low:
        return
    for token in ctx.tokens:
        if token.lower_ not in TERM_WORDS or token.pos_ != "NOUN":
            continue
        lemma = token.lemma_.lower()
        number = _term(token)
        if number is None or not _is_penalty(token):
            continue
        verb = _verb_of(token)
        if verb is None or _hypothetical(verb):
            continue
        quantity = parse_quantity(number.text, kind="years", unit="year")
        owner = _sentenced(ctx, verb)
        if quantity is None or owner is None:
            continue
        years = quantity.value if lemma == "year" else round(quantity.value / 12, 2)
        yield number, owner, Quantity(years, number.text + " " + token.text, kind="years", unit="year")


@step("numbers.penalties")
def find_penalties(ctx: Context, found: Found) -> None:
    for number, owner, value in penalties(ctx):
        found.relation(owner.id, "penaltyYears", value, anchor=number, extractor="numbers.penalty")
