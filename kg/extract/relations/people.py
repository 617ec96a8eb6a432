"""Facts about people that no dependency pattern states: positions from titles before a
name, nationality from a description or an office of a state, and identity from a
relative clause that names someone."""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import Context, Found
from kg.extract.data import confidence, role_words
from kg.extract.relations.positions import base, hold, org_after, party_before, party_letter, title_before
from kg.extract.steps import step
from kg.model import Mention

IDENTIFY_VERBS = frozenset({"name", "identify", "describe"})
DESCRIPTION_DEPS = frozenset({"amod", "compound", "nmod", "conj", "npadvmod"})


def _people(ctx: Context) -> list[Mention]:
    return [m for m in ctx.mentions if m.kind == "name" and m.type == "Person"]


@step("relations.titles")
def find_titles(ctx: Context, found: Found) -> None:
    """Titles before names: "President Vladimir Putin", "Iranian Foreign Minister Javad
    Zarif", "Tory shadow education secretary Tim Collins", "BBC correspondent X"; a
    party alone before a name makes a member of it ("Republican Kevin McCarthy").

    The title as written becomes a position the person holds, at the organisation or
    state named before it (by name, demonym or possessive), and the role gives the tie
    to an organisation (`kg.extract.relations.positions`).
    """
    by = ("title.role", "title.position", "title.position_at")
    people = _people(ctx)
    heads = {ctx.head_token(p.id).i: p for p in people}
    for person in people:
        head = ctx.head_token(person.id)
        qualifier, title = title_before(ctx, person, head)
        if not title and head.dep_ == "conj" and head.head.i in heads:
            # "Labour MPs Diane Abbott and Bob Marshall-Andrews": a plural title is each one's
            first = heads[head.head.i]
            qualifier, title = title_before(ctx, first, head.head)
            if title and base(title[-1]) == title[-1].lower_:
                qualifier, title = None, []
        if title and qualifier is None:
            qualifier = org_after(ctx, head)  # "retail analyst Nick Bubb of Evolution Securities"
        if title:
            hold(ctx, found, person.id, title, qualifier, anchor=head, extractors=by)
        else:
            party = party_before(ctx, person, head)
            if party is not None:
                found.relation(person.id, "memberOf", party.id, anchor=head, extractor="title.party")
        lettered = party_letter(ctx, person)
        if lettered is not None:  # "Ocasio-Cortez (D-NY)"
            letter, name = lettered
            party_id = ctx.add_mention(letter.i, letter.i + 1, letter, type="Organization", kind="name", name=name)
            found.relation(person.id, "memberOf", party_id, anchor=head, extractor="title.party_letter")


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
