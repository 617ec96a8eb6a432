"""Nominal mentions: "the bomber", "the ministry", "one of the alleged suicide bombers".

A noun whose lemma the nominal lexicon knows (``nominals.json``) is a mention of the
class it denotes, unless it is part of a name, a compound modifier or an event trigger.
A partitive ("one of the bombers") is headed by its quantifier: it is one bomber.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import Context, Found
from kg.extract.data import event_words, mention_words, nominal_words
from kg.extract.steps import step


@step("mentions.nominals")
def find_nominals(ctx: Context, found: Found) -> None:
    types = nominal_words().types
    triggers = event_words().noun_triggers
    partitive = mention_words().partitive_heads
    taken = set(ctx.index.covering) | set(ctx.index.by_head)  # names, and the heads naming them
    for token in ctx.tokens:
        if token.pos_ != "NOUN" or token.dep_ == "compound" or token.i in taken:
            continue
        lemma = token.lemma_.lower()
        etype = types.get(lemma)
        if etype is None or lemma in triggers:
            continue
        if etype == "Person" and not _names_a_person(ctx, token, lemma):
            continue
        start = min(
            (c.left_edge.i for c in token.lefts if c.dep_ in ("det", "amod", "compound", "poss", "nummod", "nmod")),
            default=token.i,
        )
        while start < token.i and ctx.doc[start].is_punct:
            start += 1
        head = token
        definite = any(
            c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those") for c in token.lefts
        ) or any(c.dep_ == "poss" for c in token.lefts)
        if etype == "Person" and any(c.dep_ == "poss" and c.tag_ == "PRP$" for c in token.lefts):
            definite = False  # "his lawyer" is someone new beside him, not a lawyer named before
        plural = token.tag_ in ("NNS", "NNPS")
        # partitive: "one of the alleged suicide bombers" -> headed by "one"
        prep = token.head
        if token.dep_ == "pobj" and prep.lower_ == "of" and prep.head.lower_ in partitive:
            quantifier = prep.head
            start = min(start, quantifier.i)
            head = quantifier
            plural = quantifier.lower_ != "one" and quantifier.lower_ != "each"
            definite = False
        name = _nominal_name(ctx, token, start, singular=head is not token and not plural)
        ctx.add_mention(
            start,
            token.i + 1,
            head,
            type=etype,
            kind="nominal",
            name=name,
            plural=plural,
            definite=definite,
            head_lemma=lemma,
        )


PERSONAL_POSSESSORS = frozenset({"my", "your", "his", "her", "our"})
COPULAS = frozenset({"be", "become", "remain"})


def _names_a_person(ctx: Context, token: Token, lemma: str) -> bool:
    """Whether a person noun names someone here: not the predicate of a copula whose
    subject is no person ("Acme has been a leader in ..."), and, for the nouns with another
    sense (``heads_of_something``), said to head something ("the head of the agency", not
    "came to a head")."""
    words = nominal_words()
    if token.dep_ == "attr" and token.head.lemma_ in COPULAS:
        for subject in (c for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass")):
            named = ctx.entity_at(subject)
            kind = named.type if named is not None else words.types.get(subject.lemma_.lower())
            if subject.ent_type_ in words.non_person_subjects or (kind is not None and kind != "Person"):
                return False
    if lemma not in words.heads_of_something:
        return True
    for child in token.children:
        if child.dep_ in ("compound", "amod", "appos") or (child.dep_ == "prep" and child.lower_ == "of"):
            return True
        if child.dep_ == "poss" and child.lower_ not in PERSONAL_POSSESSORS:
            return True
    return token.dep_ in ("nsubj", "nsubjpass") and token.head.pos_ in ("VERB", "AUX")


def _nominal_name(ctx: Context, head: Token, start: int, *, singular: bool) -> str:
    """A descriptive label: the noun phrase without determiners, counts or hedges.

    ``"one of the alleged suicide bombers"`` → ``"suicide bomber"``; a count stays whole
    (``"more than 6,000 companies"``, ``"at least 12 soldiers"``);
    ``"Islamic State's Afghanistan branch"`` stays as written.
    """
    drop = mention_words().drop_before_nominal
    counted = {t.i for c in head.children if c.dep_ == "nummod" for t in c.subtree}
    tokens = list(ctx.doc[start : head.i + 1])
    first = tokens[0]
    if first.i != head.i and first.head.i != head.i and first.dep_ != "compound" and first.i not in counted:
        # partitive "one of the ...": keep only the noun phrase after "of" (the words of a
        # count, "more than 6,000 companies", are not a partitive's)
        tokens = [t for t in tokens if t.i > tokens[0].i]
        while len(tokens) > 1 and (tokens[0].lower_ in drop or tokens[0].like_num):
            tokens = tokens[1:]
    while len(tokens) > 1 and (tokens[0].lower_ in drop or tokens[0].is_punct):
        tokens = tokens[1:]
    words = [t.text_with_ws for t in tokens[:-1]]
    words.append(head.lemma_ if singular else head.text)
    return "".join(words).strip()
