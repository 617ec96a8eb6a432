"""Facts about people that no dependency pattern states: positions from titles before a
name, nationality from a description or an office of a state, and identity from a
relative clause that names someone."""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import Context, Found
from kg.extract.data import confidence, role_words
from kg.extract.steps import step
from kg.model import Mention

TITLE_QUALIFIERS = frozenset({"current", "former", "late", "then", "acting", "interim", "new", "outgoing", "incoming"})
IDENTIFY_VERBS = frozenset({"name", "identify", "describe"})
DESCRIPTION_DEPS = frozenset({"amod", "compound", "nmod", "conj", "npadvmod"})


def _people(ctx: Context) -> list[Mention]:
    return [m for m in ctx.mentions if m.kind == "name" and m.type == "Person"]


@step("relations.titles")
def find_titles(ctx: Context, found: Found) -> None:
    """Titles before names: "President Vladimir Putin", "Iranian Foreign Minister Javad Zarif".

    The title becomes a position held, qualified by the country or place named with it
    ("Foreign Minister of Iran"). Titles naming an organisation ("Taliban spokesman") are
    left to the role patterns (spokesperson of, commander of).
    """
    title_heads = {w.split()[-1] for w in role_words().titles}
    for person in _people(ctx):
        head = ctx.head_token(person.id)
        words = _words_before(ctx, person, head)
        if not words:
            continue
        qualifier, title_words = _title_words(ctx, words)
        if not title_words or " ".join(t.lemma_.lower() for t in title_words[-2:]).split()[-1] not in title_heads:
            continue
        phrase = " ".join(t.text for t in title_words)
        label = f"{phrase} of {qualifier.name}" if qualifier is not None else phrase
        position = ctx.add_mention(
            title_words[0].i, title_words[-1].i + 1, title_words[-1], type="Position", kind="title", name=label
        )
        found.relation(person.id, "positionHeld", position, anchor=head, extractor="title.position")
        if qualifier is not None and qualifier.type == "Country":
            found.relation(position, "country", qualifier.id, anchor=head, extractor="title.country")


def _words_before(ctx: Context, person: Mention, head: Token) -> list[Token]:
    """The modifiers right before a person's name that hang on it: a candidate title."""
    span = ctx.doc.char_span(person.start, person.end, alignment_mode="expand")
    if span is None:
        return []
    titles = role_words().titles
    i = span.start - 1
    words: list[Token] = []
    while i >= 0:
        token = ctx.doc[i]
        if token.dep_ not in ("compound", "amod", "nmod") or token.is_punct or token.head.i < i:
            break
        if not (head.i >= token.head.i >= i):
            break
        words.insert(0, token)
        i -= 1
    while words and (words[0].is_lower or words[0].lower_ in TITLE_QUALIFIERS) and words[0].lemma_ not in titles:
        words = words[1:]  # "regional", "former", "Current"
    return words


def _title_words(ctx: Context, words: list[Token]) -> tuple[Mention | None, list[Token]]:
    """The words of a title and the country or place that qualifies it ("Iranian Foreign
    Minister"); no title when an organisation is named in it ("Taliban spokesman")."""
    qualifier = None
    title_words: list[Token] = []
    for token in words:
        mention = ctx.entity_at(token)
        if mention is not None and mention.kind in ("name", "demonym") and mention.type != "Person":
            if ctx.resolved_type(mention) == "Organization":
                return None, []
            qualifier = mention
        elif mention is None or mention.kind not in ("name", "demonym"):
            title_words.append(token)
    return qualifier, title_words


@step("relations.descriptions")
def find_descriptions(ctx: Context, found: Found) -> None:
    """Nationality or country from a description: "X is a German skeleton racer", "Y is a
    major Turkish weapons manufacturer and defense contractor".

    The demonym may sit anywhere in the noun phrase's modifiers (not in a prepositional
    phrase or clause: "a professor at a German university" says nothing of the person).
    """
    for verb in ctx.tokens:
        if verb.lemma_ != "be":
            continue
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        attr = next((c for c in verb.children if c.dep_ == "attr" and c.pos_ in ("NOUN", "PROPN")), None)
        if subject is None or attr is None:
            continue
        who = ctx.entity_at(subject)
        if who is None or who.kind not in ("name", "pronoun"):
            continue
        predicate = {"Person": "nationality", "Organization": "country"}.get(ctx.resolved_type(who))
        if predicate is None:
            continue
        stack, core = [attr], []
        while stack:
            token = stack.pop()
            core.append(token)
            stack += [c for c in token.children if c.dep_ in DESCRIPTION_DEPS]
        for token in core:
            mention = ctx.entity_at(token)
            if mention is not None and mention.kind == "demonym":
                found.relation(
                    who.id,
                    predicate,
                    mention.id,
                    anchor=subject,
                    confidence=confidence("description.copula"),
                    extractor=f"{predicate}.copula_description",
                )
                break


@step("relations.state_offices")
def find_state_offices(ctx: Context, found: Found) -> None:
    """Nationality from an office of a state: "Zhou Enlai, the Premier of China",
    "Australia's Minister for Trade, Simon Crean", "X was a U.S. Representative", "the
    prime minister of independent Ghana, Kwame Nkrumah".

    The office noun is joined to the person by apposition or a copula, and to the
    country by a possessive, a modifier or "of" ("ambassador to Iran" says nothing).
    """
    offices = role_words().state_titles
    for person in _people(ctx):
        head = ctx.head_token(person.id)
        titles: list[Token] = [c for c in head.children if c.dep_ == "appos"]
        if head.dep_ == "appos":
            titles.append(head.head)
        if head.dep_ == "nsubj" and head.head.lemma_ == "be":
            titles += [c for c in head.head.children if c.dep_ == "attr"]
        for title in titles:
            country = None
            if title.lemma_.lower() in offices:
                country = _office_country(ctx, title)
            elif title.dep_ == "pobj" and title.head.lower_ == "of" and title.head.head.lemma_.lower() in offices:
                mention = ctx.entity_at(title)  # "minister of Ghana, Kwame Nkrumah": the name hangs on the country
                if mention is not None and mention.type == "Country":
                    country = mention
            if country is not None:
                found.relation(person.id, "nationality", country.id, anchor=head, extractor="nationality.state_office")
                break


def _office_country(ctx: Context, title: Token) -> Mention | None:
    """The country an office noun is of: "Australia's", "U.S.", "Russian", "of China"."""
    for child in title.children:
        target = child
        if child.dep_ == "prep" and child.lower_ == "of":
            target = next((g for g in child.children if g.dep_ == "pobj"), child)
        elif child.dep_ not in ("poss", "compound", "amod", "nmod"):
            continue
        mention = ctx.entity_at(target)
        if mention is not None and mention.kind in ("name", "demonym") and mention.type == "Country":
            return mention
    return None


@step("relations.named_relative")
def find_named_relatives(ctx: Context, found: Found) -> None:
    """ "a citizen of Tajikistan, whom authorities named as X": the person is X.

    The relative clause often attaches to the nearest noun ("Tajikistan"); the person it
    describes is the nearest person mention on the way up.
    """
    for verb in ctx.tokens:
        if verb.dep_ != "relcl" or verb.lemma_ not in IDENTIFY_VERBS:
            continue
        if not any(c.tag_ == "WP" for c in verb.children):
            continue
        name = next(
            (
                p
                for prep in verb.children
                if prep.dep_ == "prep" and prep.lower_ == "as"
                for p in prep.children
                if p.dep_ == "pobj"
            ),
            None,
        )
        target = ctx.entity_at(name) if name is not None else None
        if target is None or target.kind != "name" or ctx.resolved_type(target) != "Person":
            continue
        node = verb.head
        for _ in range(4):
            mention = ctx.entity_at(node)
            if mention is not None and ctx.resolved_type(mention) == "Person" and mention.id != target.id:
                found.same(mention.id, target.id)
                break
            if node.head.i == node.i:
                break
            node = node.head
