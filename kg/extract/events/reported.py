"""The reported content of a speech verb ("said that the talks had failed" → "the talks
had failed"): its complement clause, its object for some verbs ("denied the charges"), or
its to-clause ("vowed to stay"), as a token span without edge punctuation."""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import Context
from kg.extract.data import AttributionWords

__all__ = ["reported_content", "trim_span"]


def reported_content(ctx: Context, verb: Token, words: AttributionWords) -> tuple[int, int] | None:
    """The reported content of a speech verb: its complement clause, object or to-clause."""
    kinds = words.speech_verbs[verb.lemma_]
    for child in verb.children:
        if "clause" in kinds and (child.dep_ == "ccomp" or _reported_advcl(child)):
            if _question(child):
                return None  # "explained why it failed", "did not say whether": the topic, not what was said
            return trim_span(ctx, _stray_subject(verb, child) + _clause_tokens(ctx, child, words))
    for child in verb.children:
        said = "object" in kinds or ("claim" in kinds and child.lemma_.lower() in words.claim_nouns)
        if said and child.dep_ == "dobj" and _is_content_object(ctx, child, words):
            return trim_span(ctx, [t.i for t in child.subtree])
        if "infinitive" in kinds and child.dep_ == "xcomp" and any(c.dep_ == "aux" for c in child.children):
            return trim_span(ctx, [t.i for t in child.subtree])
    return None


def _stray_subject(verb: Token, clause: Token) -> list[int]:
    """The subject of a reported clause that the parse hung on the speech verb as its
    object: "says 'card-not-present' fraud, where ..., has risen" (the fraud has risen)."""
    if clause.pos_ not in ("VERB", "AUX") or any(
        c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in clause.children
    ):
        return []
    for child in verb.children:
        if child.dep_ == "dobj" and verb.i < child.i < clause.i and clause.left_edge.i > child.right_edge.i:
            return [t.i for t in child.subtree]
    return []


def _question(clause: Token) -> bool:
    """An indirect question: a clause opened by "whether", "if" or a wh-word."""
    first = clause.left_edge
    return first.lower_ in ("whether", "if") or (first.tag_ in ("WRB", "WP", "WDT") and first.head.i == clause.i)


def _reported_advcl(child: Token) -> bool:
    """A reported clause the parse took for an adverbial one ("she said as a teenager she
    was forced ..."): a finite clause after the verb with its own subject and no
    subordinating word."""
    return (
        child.dep_ == "advcl"
        and child.i > child.head.i
        and child.tag_ in ("VBD", "VBZ", "VBP", "VBN", "MD")
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children)
        and not any(c.dep_ == "mark" for c in child.children)
        and child.left_edge.tag_ not in ("IN", "WDT", "WP", "WRB", "TO")
    )


def _clause_tokens(ctx: Context, clause: Token, words: AttributionWords) -> list[int]:
    """The tokens of a reported clause, less "that" and a speech verb wrongly hung from it
    with what it says ("said A and added that B": B is not part of A)."""
    cut = None
    for child in clause.children:
        if (
            child.dep_ == "conj"
            and child.lemma_ in words.speech_verbs
            and not any(c.dep_ == "nsubj" for c in child.children)
            and reported_content(ctx, child, words) is not None
        ):
            cut = min((c.i for c in clause.children if c.dep_ == "cc" and c.i < child.i), default=child.i)
            break
    out = []
    for token in clause.subtree:
        if cut is not None and token.i >= cut:
            break
        if token.dep_ == "mark" and token.lower_ == "that" and token.head.i == clause.i:
            continue
        out.append(token.i)
    return out


def _is_content_object(ctx: Context, token: Token, words: AttributionWords) -> bool:
    """An object that is what was said ("the charges"), not a pronoun, a speaker or a statement."""
    if token.pos_ not in ("NOUN", "PROPN") or token.lemma_.lower() in words.statement_nouns:
        return False
    mention = ctx.entity_at(token)
    return mention is None or (mention.kind == "nominal" and mention.type not in words.speaker_types)


def trim_span(ctx: Context, indices: list[int]) -> tuple[int, int] | None:
    """The token span ``[start, end)`` of ``indices`` without punctuation at its edges."""
    if not indices:
        return None
    doc = ctx.doc
    start, end = min(indices), max(indices) + 1
    first, last = start, end
    while start < end and (_punctuation(doc[start]) or doc[start].is_space or doc[start].lower_ == "that"):
        start += 1
    while end > start and (_punctuation(doc[end - 1]) or doc[end - 1].is_space or doc[end - 1].dep_ == "cc"):
        end -= 1
    if end <= start or not any(t.is_alpha for t in doc[start:end]):
        return None
    if sum(t.is_quote for t in doc[start:end]) % 2:  # keep a quotation mark its partner is in the span
        if start > first and doc[start - 1].is_quote:
            start -= 1
        elif end < last and doc[end].is_quote:
            end += 1
    return start, end


def _punctuation(token: Token) -> bool:
    """Punctuation, not a sign that is a word ("24%": the parse takes "%" for a noun)."""
    return token.is_punct and token.pos_ in ("PUNCT", "SYM", "X")
