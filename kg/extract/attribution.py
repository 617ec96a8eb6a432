"""Who says so, and whether it is hedged.

A fact inside the complement of a reporting verb ("the ministry claims that ...",
"US intelligence confirmed that ...") is attributed to that verb's subject; "according
to X" attributes to X; "... told Reuters" records the outlet. Where the speech step
(`kg.extract.events.speech`) made a statement of the verb, the fact is stated in it and
its speaker is the statement's. A fact inside a quotation is its speaker's, in whichever
sentence of the quotation it stands (`attribute_quotations`). Hedges come from the cue
("claim", "allege"), from words on the facts' arguments ("alleged suicide bombers"), and
from a following "it is not possible to verify the claim".
"""

from __future__ import annotations

import dataclasses

from spacy.tokens import Token

from kg.extract.context import Context, Pending
from kg.extract.data import AttributionWords, attribution_words
from kg.extract.events.speakers import is_document
from kg.extract.steps import finisher
from kg.model import Attribution, Passage, Relation

COMPLEMENT = frozenset({"ccomp", "xcomp", "parataxis", "advcl", "conj"})
LOOSE = frozenset({"prep", "pobj", "pcomp", "relcl", "acl", "dobj", "npadvmod"})
MODAL_HEDGES = frozenset({"may", "might", "could"})


@dataclasses.dataclass(frozen=True, slots=True)
class _Said:
    """A statement of the speech step: its event mention, speaker, and quoted spans."""

    statement: int
    speaker: int | None
    quotes: tuple[tuple[int, int], ...] = ()


@finisher("attribution.sources")
def attribute_sources(ctx: Context, pending: list[Pending]) -> list[Pending]:
    """Each relation with its attribution (who says so), hedged when the cue hedges."""
    words = attribution_words()
    said = _statements(ctx, pending)
    out = []
    for item in pending:
        attribution = _attribution(ctx, ctx.tokens[item.anchor], words, said)
        hedged = (attribution.hedged if attribution else False) or item.relation.hedged
        out.append(_with(item, attribution=attribution, hedged=hedged))
    return out


@finisher("attribution.quotations")
def attribute_quotations(ctx: Context, pending: list[Pending]) -> list[Pending]:
    """A fact stated inside a quotation is said by the quotation's speaker in its statement,
    unless a source inside the quotation says it ("..., police told us ...")."""
    said = [s for s in _statements(ctx, pending).values() if s.quotes]
    if not said:
        return pending
    words = attribution_words()
    out = []
    for item in pending:
        at = ctx.tokens[item.anchor].idx
        found = next((s for s in said if any(a <= at < b for a, b in s.quotes)), None)
        current = item.relation.attribution
        if found is None or item.step == SPEECH_STEP or (current is not None and current.statement is not None):
            out.append(item)
            continue
        if current is not None and current.speaker is not None and current.speaker != found.speaker:
            out.append(item)  # a source of its own inside the quotation
            continue
        cue = "say" if current is None else current.cue
        speaker = ctx.mentions[found.speaker].text if found.speaker is not None else ""
        hedged = bool(words.reporting_verbs.get(cue, False)) or item.relation.hedged
        attribution = Attribution(found.speaker, speaker, cue, hedged, None, found.statement)
        out.append(_with(item, attribution=attribution, hedged=hedged))
    return out


SPEECH_STEP = "events.speech"


def _statements(ctx: Context, pending: list[Pending]) -> dict[int, _Said]:
    """The speech step's statements, by the token they hang from (the speech verb)."""
    speakers = {
        p.relation.subject: p.relation.object
        for p in pending
        if p.step == SPEECH_STEP and p.relation.predicate == "speaker" and isinstance(p.relation.object, int)
    }
    out: dict[int, _Said] = {}
    spans = ctx.quotes
    for p in pending:
        content = p.relation.object
        if p.step != SPEECH_STEP or p.relation.predicate != "content" or not isinstance(content, Passage):
            continue
        quotes = tuple((q.start, q.end) for q in spans if content.direct and content.start <= q.start < content.end)
        speaker = speakers.get(p.relation.subject)
        out[p.anchor] = _Said(p.relation.subject, speaker if isinstance(speaker, int) else None, quotes)
    return out


@finisher("attribution.hedged_arguments")
def hedge_arguments(ctx: Context, pending: list[Pending]) -> list[Pending]:
    """Hedged when an argument is ("the alleged bombers") or a modal hedges the verb."""
    words = attribution_words()
    return [
        _with(item, hedged=True)
        if not item.relation.hedged and _hedged_arguments(ctx, item.relation, ctx.tokens[item.anchor], words)
        else item
        for item in pending
    ]


@finisher("attribution.unverifiable")
def hedge_unverifiable(ctx: Context, pending: list[Pending]) -> list[Pending]:
    """An attributed fact in or just before a sentence saying the claim cannot be verified is hedged."""
    unverifiable = _unverifiable_sentences(ctx, attribution_words())
    return [
        _with(item, hedged=True)
        if item.relation.attribution is not None
        and (item.relation.sentence in unverifiable or item.relation.sentence + 1 in unverifiable)
        else item
        for item in pending
    ]


def _with(item: Pending, **changes: object) -> Pending:
    return dataclasses.replace(item, relation=dataclasses.replace(item.relation, **changes))  # type: ignore[arg-type]


def _attribution(ctx: Context, anchor: Token, words: AttributionWords, said: dict[int, _Said]) -> Attribution | None:
    verbs = words.reporting_verbs
    according = _according_to(ctx, anchor, said)
    node = anchor
    while node.head.i != node.i:
        parent = node.head
        if parent.lemma_ in verbs and parent.pos_ in ("VERB", "AUX"):
            children = list(parent.children)
            has_complement = any(c.dep_ in ("ccomp", "xcomp") for c in children)
            if node.dep_ in COMPLEMENT or (not has_complement and node.dep_ in LOOSE and node.dep_ != "dobj"):
                return _in_statement(ctx, _from_verb(ctx, parent, words), said.get(parent.i))
        node = parent
    return according


def _in_statement(ctx: Context, attribution: Attribution, statement: _Said | None) -> Attribution:
    """The attribution of a reporting verb the speech step made a statement of: in it, by its speaker."""
    if statement is None:
        return attribution
    speaker = statement.speaker if statement.speaker is not None else attribution.speaker
    text = ctx.mentions[speaker].text if speaker is not None and not attribution.text else attribution.text
    return dataclasses.replace(attribution, speaker=speaker, text=text, statement=statement.statement)


def _according_to(ctx: Context, anchor: Token, said: dict[int, _Said]) -> Attribution | None:
    sentence = anchor.sent
    for token in sentence:
        if token.lower_ == "according":
            for prep in token.children:
                if prep.lower_ == "to":
                    for pobj in prep.children:
                        if pobj.dep_ == "pobj":
                            speaker = _speaker_mention(ctx, pobj)
                            found = Attribution(speaker, _phrase(pobj), "according to", hedged=False)
                            return _in_statement(ctx, found, said.get(token.i))
    return None


def _from_verb(ctx: Context, verb: Token, words: AttributionWords) -> Attribution:
    cue = verb.lemma_
    hedged = bool(words.reporting_verbs.get(cue, False))
    hedged = hedged or any(
        c.lower_ in MODAL_HEDGES or c.lemma_ in words.hedge_words for c in verb.children if c.dep_ in ("aux", "advmod")
    )
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is not None and subject.dep_ == "nsubjpass" and subject.lower_ == "it":
        subject = _passive_agent(verb)
        if subject is None:
            return Attribution(None, "", cue, hedged, None, None)
    if subject is None and verb.dep_ in ("advcl", "xcomp", "conj"):  # "..., claiming that"
        subject = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    via = None
    if cue == "tell":
        outlet = next((c for c in verb.children if c.dep_ in ("dobj", "dative")), None)
        if outlet is not None:
            found = ctx.entity_at(outlet)
            via = found.id if found is not None else None
    statement = _statement_of(ctx, verb)
    if subject is None:
        if statement is not None:
            return Attribution(None, ctx.mentions[statement].text, cue, hedged, via, statement)
        return Attribution(None, "", cue, hedged, via, statement)
    if statement is None:
        found = ctx.mention_at(subject)
        if found is not None and found.kind == "event" and found.type == "Statement":
            return Attribution(None, _phrase(subject), cue, hedged, via, found.id)
    if is_document(subject, words):  # "the statement said": its speaker is the statement's
        return Attribution(None, _phrase(subject), cue, hedged, via, statement)
    return Attribution(_speaker_mention(ctx, subject), _phrase(subject), cue, hedged, via, statement)


def _statement_of(ctx: Context, verb: Token) -> int | None:
    """The statement a reporting verb reads ("read the statement", "the statement said",
    "released a statement, claiming ...")."""
    statement = None
    for c in verb.children:
        found = ctx.mention_at(c)
        if found is not None and found.kind == "event" and found.type == "Statement":
            statement = found.id
    if statement is None and verb.dep_ in ("advcl", "conj"):
        for c in verb.head.children:
            found = ctx.mention_at(c)
            if found is not None and found.kind == "event" and found.type == "Statement":
                statement = found.id
    return statement


def _passive_agent(verb: Token) -> Token | None:
    """Who a passive reporting verb names with "by" ("it was estimated by the ministry");
    "it is estimated that ..." names nobody."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    return next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None


def _speaker_mention(ctx: Context, token: Token) -> int | None:
    mention = ctx.entity_at(token)
    if mention is not None:
        return mention.id
    if token.pos_ not in ("NOUN", "PROPN"):
        return None
    start = min((c.left_edge.i for c in token.lefts), default=token.i)
    while start < token.i and ctx.doc[start].lower_ in ("the", "a", "an"):
        start += 1
    name = ctx.doc[start : token.i + 1].text
    return ctx.add_mention(
        start,
        token.i + 1,
        token,
        type="Agent",
        kind="nominal",
        name=name,
        plural=token.tag_ == "NNS",
    )


def _phrase(token: Token) -> str:
    words = [t for t in token.subtree]
    start = 0
    while start < len(words) - 1 and words[start].lower_ in ("the", "a", "an"):
        start += 1
    text = "".join(t.text_with_ws for t in words[start:]).strip()
    return text if len(text) <= 80 else token.text


def _hedged_arguments(ctx: Context, relation: Relation, anchor: Token, words: AttributionWords) -> bool:
    hedges = words.hedge_words
    for mention_id in (relation.subject, relation.object):
        if isinstance(mention_id, int) and not isinstance(mention_id, bool) and 0 <= mention_id < len(ctx.mentions):
            mention = ctx.mentions[mention_id]
            if mention.kind in ("event",) and relation.predicate not in (
                "perpetrator",
                "claimedResponsibilityFor",
            ):
                continue
            start = ctx.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if start is not None and any(t.lower_ in ("alleged", "suspected", "purported", "reported") for t in start):
                return True
    verb = anchor if anchor.pos_ in ("VERB", "AUX") else anchor.head
    return any(
        (c.dep_ == "aux" and c.lower_ in MODAL_HEDGES) or (c.dep_ == "advmod" and c.lower_ in hedges)
        for c in verb.children
    )


def _unverifiable_sentences(ctx: Context, words: AttributionWords) -> set[int]:
    """Sentences saying a claim cannot be verified ("it is not possible to verify the claim")."""
    out = set()
    for token in ctx.tokens:
        if token.lemma_ not in words.verify_verbs:
            continue
        sentence = token.sent
        negated = any(
            t.dep_ == "neg" or t.lower_ in ("impossible", "unable", "cannot", "unverifiable") for t in sentence
        )
        if negated and any(
            t.lemma_ in ("claim", "report", "it", "this", "that") for t in token.subtree if t.i != token.i
        ):
            out.add(ctx.sent_of[token.i])
    return out
