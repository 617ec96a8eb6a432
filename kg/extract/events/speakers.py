"""Who speaks, to whom, and in which statement: the parse around a speech verb.

Shared by the speech step (`kg.extract.events.speech`): the subject of a speech verb
(or of the clause it hangs from: "released a statement, saying ..."), the statement
noun that a verb reports ("In a statement, the ministry said"; "the statement said"),
the author of a document ("a report by UpGuard"), and the addressee ("told reporters",
"in a letter to the mayor", "Speaking to reporters, she said").
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import Context
from kg.extract.data import AttributionWords, event_words, role_words
from kg.model import Mention

__all__ = [
    "addressee_of",
    "author_of",
    "dashed_name",
    "is_document",
    "names_people",
    "speaker_mention",
    "statement_mention",
    "subject_of",
]

RELATIVE = frozenset({"who", "which", "that"})
UP = frozenset({"advcl", "xcomp", "conj"})


def is_document(token: Token, words: AttributionWords) -> bool:
    """A statement or document noun ("the statement", "a report"): it says, it does not speak."""
    lemma = token.lemma_.lower()
    return token.pos_ in ("NOUN", "PROPN") and (lemma in words.document_nouns or lemma in words.statement_nouns)


def subject_of(verb: Token, words: AttributionWords) -> tuple[Token | None, Token | None]:
    """Who speaks through ``verb`` (a token), and the statement noun it reports, if any.

    The subject, or the passive agent ("was announced by"); for a verb with neither, the
    subject of the clause it continues ("..., saying", "and added"). A relative pronoun
    stands for the noun it hangs from ("Smith, who said ..."). A document as subject is
    the statement, not the speaker ("the statement said").
    """
    noun = _linked_noun(verb, words)
    subject = _own_subject(verb)
    node = verb
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
    for _ in range(3):
        if subject is not None or passive or node.dep_ not in UP or node.head.i == node.i:
            break
        parent = node.head
        if _misattached(node, parent, words):
            parent = parent.head  # "X said A and added B", "X said A, predicting B": hung from A
        # the clause's own subject, passive or not, before its agent: "Mido was axed by the
        # coach after failing to answer a call-up, claiming he had an injury": Mido claims
        passive_subject = next((c for c in parent.children if c.dep_ == "nsubjpass"), None)
        subject = next((c for c in parent.children if c.dep_ == "nsubj"), None) or passive_subject
        subject = subject or _own_subject(parent)
        noun = noun or _linked_noun(parent, words)
        node = parent
    if subject is None and verb.dep_ == "acl" and is_document(verb.head, words):
        noun = verb.head  # "a statement saying ..."
    if subject is not None and subject.lower_ in RELATIVE and node.dep_ == "relcl":
        subject = node.head
    if subject is not None and is_document(subject, words):
        return None, subject
    return subject, noun


def _misattached(node: Token, parent: Token, words: AttributionWords) -> bool:
    """A speech verb continuing another ("and added", ", saying") that the parse hung from
    the clause the other reports."""
    return (
        (node.dep_ == "conj" or (node.dep_ == "advcl" and node.tag_ == "VBG"))
        and parent.dep_ == "ccomp"
        and parent.head.lemma_ in words.speech_verbs
    )


def _own_subject(verb: Token) -> Token | None:
    """The subject of ``verb`` (the nearest, when the parse gives two), or its passive agent."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if subjects:
        return min(subjects, key=lambda c: abs(c.i - verb.i))
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _linked_noun(verb: Token, words: AttributionWords) -> Token | None:
    """The statement noun a verb reports or issues: "said in a statement", "issued a statement"."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "in":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.lemma_.lower() in words.statement_nouns:
                return pobj
        if (
            child.dep_ == "dobj"
            and child.lemma_.lower() in words.statement_nouns
            and verb.lemma_ in event_words().issue_verbs
        ):
            return child
    return None


def author_of(noun: Token) -> Token | None:
    """Who wrote or issued a document: "a report by UpGuard", "the group's statement",
    "a UN report"."""
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("by", "from"):
            found = next((c for c in child.children if c.dep_ == "pobj"), None)
            if found is not None:
                return found
    for child in noun.children:
        if child.dep_ == "poss" or (child.dep_ in ("compound", "nmod") and child.pos_ == "PROPN"):
            return child
    return None


def speaker_mention(ctx: Context, token: Token, words: AttributionWords, *, unnamed: bool = True) -> Mention | None:
    """The mention that speaks at ``token``, if it can speak.

    A name in apposition is preferred ("Aguilera's agent Meghan Prophet"). With
    ``unnamed``, a noun no earlier step made a mention of becomes an unnamed agent when
    it names people ("critics", "campaigners"; see `names_people`), never a document.
    """
    for child in token.children:
        if child.dep_ == "appos":
            named = ctx.entity_at(child)
            if named is not None and named.kind == "name" and _can_speak(ctx, named, words):
                return named
    named = dashed_name(ctx, token)
    if named is not None and _can_speak(ctx, named, words):
        return named
    mention = ctx.entity_at(token)
    if mention is not None:
        return mention if _can_speak(ctx, mention, words) else None
    if not unnamed or not names_people(token, words):
        return None
    start = min((c.left_edge.i for c in token.lefts if c.dep_ in ("amod", "compound", "nmod")), default=token.i)
    while start < token.i and (ctx.doc[start].ent_type_ in _NOT_AGENTS or _other_entity(ctx, ctx.doc[start])):
        if ctx.doc[start + 1].tag_ == "HYPH":
            break  # "one London-based broker": the name is part of the word
        start += 1  # "on [Tuesday] Mr Ebbers denied", "[Tory] Dominic Grieve said"
    name = ctx.doc[start : token.i + 1].text
    titled = start < token.i and ctx.doc[start].lower_.rstrip(".") in role_words().name_titles
    titled = titled or any(m.type == "Person" and m.kind == "name" for m in ctx.covering(ctx.doc[start]))
    mention_id = ctx.add_mention(
        start,
        token.i + 1,
        token,
        type="Person" if titled and token.pos_ == "PROPN" else "Agent",  # "Mr Ebbers" is a person
        kind="nominal",
        name=name,
        plural=token.tag_ in ("NNS", "NNPS"),
    )
    return ctx.mentions[mention_id]


def dashed_name(ctx: Context, token: Token) -> Mention | None:
    """The name that opens a subject and a dash sets apart from its description: "[EADS] -
    Airbus' majority owner - admitted" (the parse hangs the name inside the description)."""
    first = token.left_edge
    if first.i >= token.i:
        return None
    named = next((m for m in ctx.covering(first) if m.kind == "name"), None)
    if named is None or named.type not in ("Person", "Organization", "Country"):
        return None
    dash = next(
        (t for t in ctx.doc[first.i : token.i] if t.text in ("-", "–", "—", "--") and ctx.doc[t.i - 1].whitespace_),
        None,
    )  # a dash set apart by spaces, not the hyphen of "Sea-Eye"
    if dash is None or dash.i == first.i or named in ctx.covering(dash):
        return None
    return named if all(named in ctx.covering(t) for t in ctx.doc[first.i : dash.i]) else None


def _other_entity(ctx: Context, token: Token) -> bool:
    """A word of a name of something other than a person: the party of "Tory Dominic Grieve"."""
    return any(m.kind in ("name", "demonym") and m.type != "Person" for m in ctx.covering(token))


_NOT_AGENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})


def names_people(token: Token, words: AttributionWords) -> bool:
    """Whether a noun no lexicon knows names people who can speak: a name, a noun of
    ``speaker_nouns`` ("critics", "family"), or a noun of agent ("campaigner", "opponent")."""
    if token.ent_type_ in _NOT_AGENTS or is_document(token, words):
        return False
    if token.pos_ == "PROPN":
        return True
    lemma = token.lemma_.lower()
    return token.pos_ == "NOUN" and (
        lemma in words.speaker_nouns or any(lemma.endswith(s) and len(lemma) > len(s) + 2 for s in words.agent_suffixes)
    )


def _can_speak(ctx: Context, mention: Mention, words: AttributionWords) -> bool:
    """People, organisations and states speak, and a name whatever its type (a name that
    says something is a speaker the recogniser mistyped, or a capital for its government:
    "Moscow said"); events, demonyms ("the Scot") and documents, even named ones ("the
    Constitution"), do not."""
    if mention.kind in ("event", "demonym") or mention.head in words.document_nouns:
        return False
    return mention.kind == "name" or ctx.resolved_type(mention) in words.speaker_types


def statement_mention(ctx: Context, noun: Token) -> int:
    """The statement event of a statement noun: the trigger found earlier, else a new one."""
    for mention in ctx.covering(noun):
        if mention.kind == "event" and mention.type == "Statement" and ctx.index.head_of[mention.id] == noun.i:
            return mention.id
    definite = any(c.lower_ in ("the", "this", "that") or c.dep_ == "poss" for c in noun.lefts)
    return ctx.add_mention(noun.i, noun.i + 1, noun, type="Statement", kind="event", name=noun.text, definite=definite)


def addressee_of(ctx: Context, verb: Token, noun: Token | None, words: AttributionWords) -> Mention | None:
    """Whom a statement is made to, when the text says: the object of "tell" (and other
    addressing verbs), "to X" on the verb, "to" or "with" X on the statement noun ("in a
    letter to the mayor", "in an interview with the BBC"), "Speaking to reporters, ..."."""
    candidates: list[Token] = []
    if verb.lemma_ in words.addressing_verbs:
        candidates += [c for c in verb.children if c.dep_ in ("dobj", "dative")]
        if any(c.dep_ == "auxpass" for c in verb.children):
            candidates += [c for c in verb.children if c.dep_ == "nsubjpass"]
    candidates += _objects_of(verb, words.address_preps)
    if noun is not None:
        candidates += _objects_of(noun, words.statement_address_preps)
    for child in verb.children:
        if child.dep_ == "advcl" and child.lemma_ in words.address_clauses:
            candidates += _objects_of(child, words.address_preps)
    for token in candidates:
        mention = ctx.entity_at(token)
        if mention is not None and _can_speak(ctx, mention, words):
            return mention
        if mention is None and token.pos_ == "NOUN" and names_people(token, words):  # "told the public"
            return speaker_mention(ctx, token, words)
    return None


def _objects_of(head: Token, preps: frozenset[str]) -> list[Token]:
    return [
        pobj
        for prep in head.children
        if prep.dep_ in ("prep", "dative") and prep.lower_ in preps
        for pobj in prep.children
        if pobj.dep_ == "pobj"
    ]
