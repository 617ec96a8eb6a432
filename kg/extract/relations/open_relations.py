"""Open relations: a verb linking two entities that no pattern explains still yields a
fact, ``relatedTo`` with the verb's lemma ("X met Y" → relatedTo, verb "meet")."""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import Context, Found
from kg.extract.data import attribution_words
from kg.extract.relations.explained import covered
from kg.extract.steps import step
from kg.model import Mention

OPEN_SKIP_VERBS = frozenset(
    {"be", "have", "do", "say", "tell", "claim", "confirm", "report", "add", "name", "identify", "describe", "call"}
)
ENTITY_KINDS = frozenset({"name", "nominal", "pronoun", "demonym"})


@step("relations.open")
def find_open_relations(ctx: Context, found: Found) -> None:
    """Subject–verb–object facts between entities that no pattern explains."""
    reporting = attribution_words().reporting_verbs
    explained = covered(ctx)
    for verb in ctx.tokens:
        if verb.pos_ != "VERB" or verb.lemma_ in OPEN_SKIP_VERBS or verb.lemma_ in reporting:
            continue
        trigger = ctx.mention_at(verb)
        if trigger is not None and trigger.kind == "event":
            continue  # its arguments are event roles
        subject = _argument(ctx, verb)
        if subject is None:
            continue
        sentence = ctx.sent_of[verb.i]
        for token, label in _objects(verb):
            obj = ctx.entity_at(token)
            if obj is None or obj.kind not in ENTITY_KINDS or obj.id == subject.id:
                continue
            if obj.kind == "nominal" and obj.type == "Entity":
                continue
            if (sentence, subject.id, obj.id) in explained or (sentence, obj.id, subject.id) in explained:
                continue
            found.relation(subject.id, "relatedTo", obj.id, anchor=verb, extractor="open.svo", verb=label)


def _objects(verb: Token) -> list[tuple[Token, str]]:
    """The direct and prepositional objects of a verb, each with the label of the relation."""
    out: list[tuple[Token, str]] = []
    for child in verb.children:
        if child.dep_ == "dobj":
            out.append((child, verb.lemma_))
        elif child.dep_ == "prep":
            out += [(p, f"{verb.lemma_} {child.lower_}") for p in child.children if p.dep_ == "pobj"]
    return out


def _argument(ctx: Context, verb: Token) -> Mention | None:
    for child in verb.children:
        if child.dep_ == "nsubj":
            mention = ctx.entity_at(child)
            if (mention is not None and mention.kind in ("name", "pronoun")) or (
                mention is not None and mention.kind == "nominal" and mention.type != "Entity"
            ):
                return mention
    return None
