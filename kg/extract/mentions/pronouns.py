"""Pronoun mentions and their antecedents, from the clause structure.

"The ministry claims that it has arrested 11 people": a pronoun in a reported clause
refers to the subject of the reporting verb; otherwise to the nearest compatible mention
before it in its sentence or the two before. Pleonastic "it" ("it is not possible to
verify") is no mention.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import Context, Found
from kg.extract.data import mention_words
from kg.extract.steps import step

CLAUSE_LINKS = frozenset({"ccomp", "xcomp", "advcl", "relcl", "pcomp", "pobj", "prep", "dobj", "conj"})


@step("mentions.pronouns")
def find_pronouns(ctx: Context, found: Found) -> None:
    words = mention_words()
    for token in ctx.tokens:
        lower = token.lower_
        if token.pos_ != "PRON" or not (lower in words.singular_pronouns or lower in words.plural_pronouns):
            continue
        if lower == "it" and _pleonastic(token):
            continue
        number = "plur" if lower in words.plural_pronouns else "sing"
        person = lower in words.person_pronouns
        antecedent = _antecedent(ctx, token, number, person)
        etype = ctx.mentions[antecedent].type if antecedent is not None else "Entity"
        ctx.add_mention(
            token.i,
            token.i + 1,
            token,
            type=etype,
            kind="pronoun",
            name=token.text,
            plural=number == "plur",
            antecedent=antecedent,
        )


def _compatible(ctx: Context, mention_id: int, number: str, person: bool) -> bool:
    mention = ctx.mentions[mention_id]
    if mention.kind in ("pronoun", "event", "demonym"):
        return False
    is_person = mention.type == "Person"
    if person:
        return is_person and not mention.plural
    if number == "sing":
        return not is_person and not mention.plural
    return mention.plural or mention.type == "Organization"


def _pleonastic(token: Token) -> bool:
    head = token.head
    return (
        head.lemma_ == "be"
        and any(c.dep_ in ("acomp", "xcomp", "ccomp", "attr") for c in head.children)
        and any(
            c.dep_ in ("xcomp", "ccomp")
            or (c.dep_ == "acomp" and any(g.dep_ in ("xcomp", "ccomp") for g in c.children))
            for c in head.children
        )
    )


def _antecedent(ctx: Context, token: Token, number: str, person: bool) -> int | None:
    """The mention a pronoun refers to: the subject of the clause it is reported in, else
    the nearest compatible mention before it in this or the previous two sentences."""
    found = _clause_subject(ctx, token, number, person)
    if found is not None:
        return found
    sentence = ctx.sent_of[token.i]
    best = None
    for mention in ctx.mentions:
        if mention.start >= token.idx or mention.sentence < sentence - 2:
            continue
        if _compatible(ctx, mention.id, number, person):
            best = mention.id
    return best


def _clause_subject(ctx: Context, token: Token, number: str, person: bool) -> int | None:
    """The compatible subject of a clause that ``token`` sits in, going up the parse."""
    node = token
    while node.head.i != node.i:
        parent = node.head
        if node.dep_ in CLAUSE_LINKS or node is token:
            for child in parent.children:
                if child.dep_ not in ("nsubj", "nsubjpass") or child.i >= token.i:
                    continue
                mention = ctx.mention_at(child)
                if mention is None:
                    continue
                if mention.kind != "pronoun" and _compatible(ctx, mention.id, number, person):
                    return mention.id
                if (
                    mention.kind == "pronoun"
                    and mention.antecedent is not None
                    and _compatible(ctx, mention.antecedent, number, person)
                ):
                    return mention.antecedent
        node = parent
    return None
