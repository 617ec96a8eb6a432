"""What was said: every reported speech act as a statement event.

A statement has a speaker, its content as a passage of the article, the addressee when
the text names one, and the entities its content names:

- a quotation introduced by a speech verb (``"...," she said``; ``He told reporters:
  "..."``; a quotation broken by "he said" is one passage, from its first quoted word
  to its last; a quotation going on in the next sentences of the paragraph is the same
  statement);
- reported speech: the clause of a speech verb ("said that the talks had failed" →
  "the talks had failed"), its object for some ("denied the charges") or its to-clause
  ("vowed to stay");
- "according to X, ...": the rest of the clause;
- a quoted characterisation ("called the ruling "a disgrace"").

One statement a speech verb: "X said A, saying B" is two. A statement noun reported by
its verb is that statement ("In a statement, the ministry said ..."; "the statement
said"), not a second one. Speech verbs and where their contents may be are data
(``attribution.json``: ``speech_verbs``, ``quote_verbs``, ``addressing_verbs``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from kg.extract.context import Context, Found
from kg.extract.data import AttributionWords, attribution_words, confidence, mention_words
from kg.extract.events.common import setting
from kg.extract.events.reported import reported_content, trim_span
from kg.extract.events.speakers import (
    addressee_of,
    author_of,
    is_document,
    speaker_mention,
    statement_mention,
    subject_of,
)
from kg.extract.quotes import Quote
from kg.extract.steps import step
from kg.model import Mention, Passage

__all__ = ["find_speech"]

REACH = 12
"""How many words may stand between a quotation and the verb introducing it."""
SENTENCE_ENDS = frozenset({".", "!", "?"})
SUBORDINATE = frozenset({"advcl", "relcl", "acl", "amod", "pcomp", "pobj", "csubj"})
"""A verb in one of these cannot introduce the quotation before it."""
RECENT = 3
"""How many sentences back "he said" looks for who speaks."""
MIN_CONTINUATION_WORDS = 3


@dataclass
class _Act:
    """A speech act being read: where it hangs, who speaks, what was said."""

    anchor: Token
    statement: int | None = None
    noun: Token | None = None
    speaker: Mention | None = None
    addressee: Mention | None = None
    quotes: list[Quote] = field(default_factory=list)
    clause: tuple[int, int] | None = None  # token span of reported content
    extractor: str = "speech.reported"

    @property
    def start(self) -> int:
        return self.quotes[0].start if self.quotes else self.anchor.idx


@step("events.speech")
def find_speech(ctx: Context, found: Found) -> None:
    words = attribution_words()
    quotes = ctx.quotes
    quoted = {i for q in quotes for i in range(q.first, q.last + 1)}
    owner = _introducers(ctx, quotes, quoted, words)
    acts: list[_Act] = []
    for token in ctx.tokens:
        if token.i in quoted:
            continue
        act = None
        if token.lemma_ in words.speech_verbs or token.lemma_ in words.quote_verbs:
            act = _verb_act(ctx, token, [q for q in quotes if owner.get(id(q)) == token.i], words)
            if act is not None and act.speaker is not None and act.speaker.kind == "pronoun":
                act.speaker = _pronoun_speaker(ctx, act.speaker, [*acts, act], quotes, act.addressee)
                act = act if act.speaker is not None or act.noun is not None else None
        elif token.lower_ == "according":
            act = _according_act(ctx, token, words)
        if act is not None:
            acts.append(act)
    _continuations(ctx, acts, quotes, set(owner))
    for act in acts:
        _emit(ctx, found, act)


# ---------------------------------------------------------------------------- quotations


def _introducers(ctx: Context, quotes: list[Quote], quoted: set[int], words: AttributionWords) -> dict[int, int]:
    """For each quotation (by ``id``), the token of the verb that introduces it: the speech
    verb right after it (``"...," he said``), else the speech or quoting verb right before
    it (``He said: "..."``, ``called it "a disgrace"``)."""
    doc = ctx.tokens
    out = {}
    for quote in quotes:
        verb = None
        if quote.closing is not None and _may_trail(ctx, quote):
            after = range(quote.closing + 1, min(len(doc), quote.closing + 1 + REACH))
            verb = next(
                (
                    doc[i]
                    for i in after
                    if doc[i].lemma_ in words.speech_verbs and doc[i].pos_ in ("VERB", "AUX") and i not in quoted
                ),
                None,
            )
            if verb is not None and (
                verb.dep_ in SUBORDINATE or not _bridged(ctx, verb, quote.closing + 1, verb.i, quoted)
            ):
                verb = None
        if verb is None:
            start = quote.opening if quote.opening is not None else quote.first
            before = range(start - 1, max(-1, start - 1 - REACH), -1)
            verb = next(
                (
                    doc[i]
                    for i in before
                    if (doc[i].lemma_ in words.speech_verbs or doc[i].lemma_ in words.quote_verbs)
                    and doc[i].pos_ in ("VERB", "AUX")
                    and i not in quoted
                ),
                None,
            )
            if verb is not None and not _bridged(ctx, verb, verb.i + 1, start, quoted):
                verb = None
        if verb is not None:
            out[id(quote)] = verb.i
    return out


def _may_trail(ctx: Context, quote: Quote) -> bool:
    """Whether a verb after the quotation may introduce it: not after a full stop
    (``"...." But he said``), after "?" or "!" only before a lower-case word or a name
    (``"Why?" he asked``)."""
    doc = ctx.tokens
    assert quote.closing is not None
    last = doc[quote.closing - 1] if quote.closing > 0 else None
    if last is None or last.text not in SENTENCE_ENDS:
        return True
    if last.text == "." or quote.closing + 1 >= len(doc):
        return False
    following = doc[quote.closing + 1]
    return following.is_lower or following.pos_ == "PROPN"


def _bridged(ctx: Context, verb: Token, start: int, end: int, quoted: set[int]) -> bool:
    """Whether the tokens in ``[start, end)`` only join a quotation to ``verb``: punctuation
    and words of the verb's own phrases (its subject, "told reporters", "in a statement"),
    no sentence end, no other quotation, no paragraph break, no clause of another verb."""
    for token in ctx.tokens[start:end]:
        if token.i in quoted or "\n" in token.text or token.text in SENTENCE_ENDS:
            return False
        if token.dep_ == "mark" and token.lower_ == "that":
            continue
        if token.dep_ in ("mark", "cc") or not (token.is_punct or token.is_space or _governed(token, verb)):
            return False  # "..." while X noted; "...". But X said
    return True


def _governed(token: Token, verb: Token) -> bool:
    """Whether ``token`` hangs from ``verb`` through phrases, not through another clause."""
    node = token
    while node.i != verb.i:
        if node.head.i == node.i or node.dep_ in ("ccomp", "parataxis", "conj", "advcl", "xcomp"):
            return False
        node = node.head
    return True


def _continuations(ctx: Context, acts: list[_Act], quotes: list[Quote], owned: set[int]) -> None:
    """Quotations no verb introduces (not in ``owned``) that open a sentence: they go on
    with the statement before them in their paragraph (a quotation that statement already
    has), or, after reported speech or a quotation left open at the end of the paragraph
    before, they are a new statement by the same speaker. A quotation whose verb made no
    statement (no speaker found) stops the run: what follows it is not the earlier speaker's."""
    kept = {id(q) for act in acts for q in act.quotes}
    unread = [q for q in quotes if id(q) in owned and id(q) not in kept]
    for quote in quotes:
        if id(quote) in owned or not _opens_sentence(ctx, quote) or _words(ctx, quote) < MIN_CONTINUATION_WORDS:
            continue
        if any(_inside(act, quote) for act in acts):
            continue
        previous = _previous_act(ctx, acts, quote, quotes)
        if previous is None or previous.speaker is None:
            continue
        if any(previous.start < q.start < quote.start for q in unread):
            continue
        if previous.quotes and previous.quotes[-1].paragraph == quote.paragraph:
            previous.quotes.append(quote)
            continue
        anchor = ctx.doc[quote.opening if quote.opening is not None else quote.first]
        acts.append(_Act(anchor=anchor, speaker=previous.speaker, quotes=[quote], extractor="speech.continued_quote"))
    acts.sort(key=lambda a: a.start)


def _previous_act(ctx: Context, acts: list[_Act], quote: Quote, quotes: list[Quote]) -> _Act | None:
    """The last statement before ``quote`` in its paragraph, or the one whose quotation the
    paragraph before left open."""
    before = [a for a in acts if a.start < quote.start]
    if not before:
        return None
    last = max(before, key=lambda a: a.start)
    paragraph = ctx.text.count("\n", 0, last.start)
    if paragraph == quote.paragraph:
        return last
    left_open = [q for q in quotes if q.paragraph < quote.paragraph and q.closing is None]
    if last.quotes and left_open and last.quotes[-1] is left_open[-1]:
        return last
    return None


def _opens_sentence(ctx: Context, quote: Quote) -> bool:
    """Whether a quotation starts its sentence (after a paragraph break or a full stop)."""
    first = ctx.doc[quote.opening if quote.opening is not None else quote.first]
    before = ctx.doc[first.i - 1] if first.i > 0 else None
    return bool(first.is_sent_start) or before is None or before.is_space or before.text in SENTENCE_ENDS


def _words(ctx: Context, quote: Quote) -> int:
    return sum(1 for t in ctx.doc[quote.first : quote.last + 1] if t.is_alpha)


def _inside(act: _Act, quote: Quote) -> bool:
    if act.clause is None:
        return False
    doc = act.anchor.doc
    start, end = doc[act.clause[0]].idx, doc[act.clause[1] - 1].idx + len(doc[act.clause[1] - 1])
    return start <= quote.start and quote.end <= end


# ---------------------------------------------------------------------------- acts


def _verb_act(ctx: Context, verb: Token, quotes: list[Quote], words: AttributionWords) -> _Act | None:
    """The statement a speech verb reports, or ``None`` when it has no content or no speaker."""
    if verb.pos_ not in ("VERB", "AUX") or (verb.tag_ == "VBN" and verb.dep_ in ("amod", "acl")):
        return None
    act = _Act(anchor=verb, quotes=quotes, extractor="speech.quote")
    subject, noun = subject_of(verb, words)
    if not quotes:
        if verb.lemma_ not in words.speech_verbs or any(c.dep_ == "neg" for c in verb.children):
            return None  # "has not said": no statement made
        act.clause = reported_content(ctx, verb, words)
        if act.clause is None and noun is None:
            return None  # a statement noun says who spoke even when the parse hides what was said
        act.extractor = "speech.reported"
    if subject is not None:
        act.speaker = speaker_mention(ctx, subject, words)
    if noun is not None:
        act.noun = noun
        if act.speaker is None:
            author = author_of(noun)
            act.speaker = speaker_mention(ctx, author, words) if author is not None else None
        if act.speaker is None and not _refers_back(ctx, noun):
            return None
    elif act.speaker is None:
        return None
    act.addressee = addressee_of(ctx, verb, noun, words)
    return act


def _pronoun_speaker(
    ctx: Context, pronoun: Mention, acts: list[_Act], quotes: list[Quote], addressee: Mention | None
) -> Mention | None:
    """Who "he said" is: the last speaker or clause subject of the few sentences before
    that agrees with the pronoun and is not inside what was said (a name a speaker spoke
    of is not who speaks next) nor whom it is said to; else the pronoun itself when the
    antecedent the pronoun step found is neither; ``None`` when there is none."""
    speakers = {a.speaker.id for a in acts if a.speaker is not None}
    best = None
    antecedent = ctx.mentions[pronoun.antecedent] if pronoun.antecedent is not None else None
    if antecedent is not None and addressee is not None and antecedent.id == addressee.id:
        antecedent = None
    for mention in ctx.mentions:
        if (
            mention.start >= pronoun.start
            or (addressee is not None and mention.id == addressee.id)
            or mention.sentence < pronoun.sentence - RECENT
            or mention.kind in ("event", "demonym", "pronoun")
            or (best is not None and mention.start < best.start)
        ):
            continue
        if mention.id not in speakers and not _main_subject(ctx.head_token(mention.id)):
            continue
        if _in_what_was_said(mention, acts, quotes):
            continue
        if _agrees(ctx, pronoun, mention):
            best = mention
    if best is None and antecedent is not None and not _in_what_was_said(antecedent, acts, quotes):
        return pronoun  # its antecedent, as the pronoun step found it
    return best


def _main_subject(token: Token) -> bool:
    """The subject of a main clause ("Mr Mulligan was not convinced"), not of a relative one."""
    verb = token.head
    return token.dep_ in ("nsubj", "nsubjpass") and (
        verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")
    )


def _in_what_was_said(mention: Mention, acts: list[_Act], quotes: list[Quote]) -> bool:
    return any(q.start <= mention.start < q.end for q in quotes) or any(_said(a, mention) for a in acts)


def _agrees(ctx: Context, pronoun: Mention, mention: Mention) -> bool:
    lower = pronoun.text.lower()
    pronouns = mention_words()
    kind = ctx.resolved_type(mention)
    if lower in pronouns.person_pronouns:
        return kind == "Person" and not mention.plural
    if lower in pronouns.plural_pronouns:
        return mention.plural or kind == "Organization"
    return kind != "Person" and not mention.plural


def _said(act: _Act, mention: Mention) -> bool:
    """Whether ``mention`` is inside what ``act`` says."""
    if act.quotes:
        return any(q.start <= mention.start < q.end for q in act.quotes)
    if act.clause is None:
        return False
    doc = act.anchor.doc
    return doc[act.clause[0]].idx <= mention.start < doc[act.clause[1] - 1].idx + len(doc[act.clause[1] - 1])


def _refers_back(ctx: Context, noun: Token) -> bool:
    """A definite statement noun after another one: the same statement ("the statement said")."""
    definite = any(c.lower_ in ("the", "this", "that") for c in noun.lefts)
    lemma = noun.lemma_.lower()
    return definite and any(
        m.kind == "event" and m.type == "Statement" and m.end <= noun.idx and m.head == lemma for m in ctx.mentions
    )


def _according_act(ctx: Context, token: Token, words: AttributionWords) -> _Act | None:
    """ "According to X, ...": X says the rest of the clause."""
    prep = next((c for c in token.children if c.lower_ == "to"), None)
    source = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if prep is None or source is None:
        return None
    act = _Act(anchor=token, extractor="speech.according_to")
    if is_document(source, words):
        act.noun = source
        author = author_of(source)
        act.speaker = speaker_mention(ctx, author, words, unnamed=False) if author is not None else None
    else:
        act.speaker = _surface_speaker(ctx, prep, words) or speaker_mention(ctx, source, words, unnamed=False)
    if act.speaker is None:
        return None
    clause = token.head if token.head.pos_ in ("VERB", "AUX") else token.sent.root
    phrase = [t.i for t in token.subtree]
    rest = [t.i for t in clause.subtree if t.i < phrase[0]] or [t.i for t in clause.subtree if t.i > phrase[-1]]
    act.clause = trim_span(ctx, rest)
    return act if act.clause is not None else None


_PHRASE_ENDS = frozenset({"VERB", "AUX", "ADP", "SCONJ"})


def _surface_speaker(ctx: Context, prep: Token, words: AttributionWords) -> Mention | None:
    """The person or organisation whose name ends "according to ..." at its comma or its
    first preposition (the head of the phrase is on its right, whatever the parse:
    "according to Connecticut Senator Richard Blumenthal,"; "according to the mayor of
    Yartsevo" and "according to US intelligence officials" have none)."""
    end = prep.i + 1
    while (
        end < prep.sent.end and ctx.doc[end].text not in (",", ";", ":", ".") and ctx.doc[end].pos_ not in _PHRASE_ENDS
    ):
        end += 1
    start, stop = ctx.doc[prep.i + 1].idx, ctx.doc[end - 1].idx + len(ctx.doc[end - 1]) if end > prep.i + 1 else 0
    named = [
        m
        for m in ctx.mentions
        if m.kind == "name" and start <= m.start and m.end == stop and ctx.resolved_type(m) in words.speaker_types
    ]
    return named[0] if named else None


# ---------------------------------------------------------------------------- facts


def _emit(ctx: Context, found: Found, act: _Act) -> None:
    """The facts of one statement: speaker, addressee, content, entities named, setting."""
    statement = statement_mention(ctx, act.noun) if act.noun is not None else act.statement
    if statement is None:
        statement = ctx.add_mention(
            act.anchor.i, act.anchor.i + 1, act.anchor, type="Statement", kind="event", name=act.anchor.text
        )
    anchor = act.anchor
    foretold = _foretold(anchor)
    if act.speaker is not None:
        found.relation(statement, "speaker", act.speaker.id, anchor=anchor, extractor="speech.speaker", hedged=foretold)
    if act.addressee is not None and (act.speaker is None or act.addressee.id != act.speaker.id):
        found.relation(statement, "addressee", act.addressee.id, anchor=anchor, extractor="speech.addressee",
                       hedged=foretold)  # fmt: skip
    if anchor.pos_ in ("VERB", "AUX"):
        setting(ctx, found, statement, anchor, confidence("speech.setting"))
    if not act.quotes and act.clause is None:
        return
    passages = _passages(ctx, act)
    for passage in passages:
        found.relation(statement, "content", passage, anchor=anchor, extractor=act.extractor, hedged=foretold)
    spans = [(q.start, q.end) for q in act.quotes] or [(p.start, p.end) for p in passages]
    named = [
        m
        for m in ctx.mentions
        if m.kind in ("name", "demonym") and any(start <= m.start and m.end <= end for start, end in spans)
    ]
    for mention in named:
        found.relation(
            statement, "mentionsEntity", mention.id, anchor=anchor, extractor="speech.mentions", hedged=foretold
        )


def _foretold(verb: Token) -> bool:
    """A speech act foretold, not made: "Mr Brown will claim ...", "she is expected to say"
    (``attribution.json`` ``foretelling_*``)."""
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    words = attribution_words()
    if any(c.dep_ == "aux" and c.lower_ in words.foretelling_auxiliaries for c in verb.children):
        return True
    head = verb.head
    return verb.dep_ == "xcomp" and head.lemma_.lower() in words.foretelling_heads


def _passages(ctx: Context, act: _Act) -> list[Passage]:
    """What was said: the reported clause, or the quotations, one passage for each run of
    them that no narrator's words divide ("A," Toshack said. "B." is two passages; a
    quotation opening while one is open runs on)."""
    text = ctx.text
    if not act.quotes:
        assert act.clause is not None
        first, last = ctx.doc[act.clause[0]], ctx.doc[act.clause[1] - 1]
        start, end = first.idx, last.idx + len(last)
        return [Passage(start, end, text[start:end], direct=False)]
    runs: list[tuple[int, int]] = []
    for quote in sorted(act.quotes, key=lambda q: q.start):
        if runs and not any(c.isalnum() for c in text[runs[-1][1] : quote.start]):
            runs[-1] = (runs[-1][0], max(runs[-1][1], quote.end))
        else:
            runs.append((quote.start, quote.end))
    return [Passage(start, end, text[start:end], direct=True) for start, end in runs]
