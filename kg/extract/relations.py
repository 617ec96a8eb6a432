"""Relations between mentions from declarative dependency patterns.

The patterns live in ``patterns/relations.json``: spaCy `DependencyMatcher` patterns,
each mapped to an ontology property, with the types the subject and object mentions
must have. A verb linking two entities that no pattern covers still yields a fact: the
open relation ``relatedTo`` keeps its lemma.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from spacy.tokens import Token

from kg.extract.context import Context
from kg.extract.depmatch import CompiledPattern, compile_pattern, match
from kg.extract.lexicon import attribution_lexicon, place_table, role_lexicon
from kg.model import PLACE_TYPES
from kg.text import place_key

__all__ = ["RelationPattern", "find_relations", "relation_patterns"]

OPEN_SKIP_VERBS = frozenset(
    {
        "be",
        "have",
        "do",
        "say",
        "tell",
        "claim",
        "confirm",
        "report",
        "add",
        "name",
        "identify",
        "describe",
        "call",
    }
)
TITLE_QUALIFIERS = frozenset({"current", "former", "late", "then", "acting", "interim", "new", "outgoing", "incoming"})
IDENTIFY_VERBS = frozenset({"name", "identify", "describe"})
ENTITY_KINDS = frozenset({"name", "nominal", "pronoun", "demonym"})


@dataclass(frozen=True, slots=True)
class RelationPattern:
    id: str
    predicate: str
    confidence: float
    subject: str
    object: str
    subject_types: frozenset[str]
    object_types: frozenset[str]
    subject_kinds: frozenset[str]
    object_kinds: frozenset[str]
    role: str | None
    pattern: list[dict[str, Any]]
    subject_ner: frozenset[str] = frozenset()
    object_ner: frozenset[str] = frozenset()
    comma_pair: bool = False


def _expand(value: Any, lists: dict[str, list[str]], key: str = "") -> Any:
    if isinstance(value, str) and value.startswith("$") and key != "REL_OP":
        if value not in lists:
            raise ValueError(f"relations.json: unknown list {value}")
        return lists[value]
    if isinstance(value, dict):
        return {k: _expand(v, lists, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, lists, key) for v in value]
    return value


@functools.cache
def relation_patterns() -> tuple[RelationPattern, ...]:
    """The relation patterns of ``patterns/relations.json``, placeholders expanded."""
    raw = json.loads(resources.files("kg.extract").joinpath("patterns", "relations.json").read_text(encoding="utf-8"))
    lists = dict(raw["lists"])
    lists["$roles"] = sorted(role_lexicon()["roles"])
    types = {k: frozenset(v) for k, v in raw["types"].items()}
    out = []
    for entry in raw["patterns"]:
        out.append(
            RelationPattern(
                id=entry["id"],
                predicate=entry["predicate"],
                confidence=float(entry["confidence"]),
                subject=entry["subject"],
                object=entry["object"],
                subject_types=types[entry["subject_types"]],
                object_types=types[entry["object_types"]],
                subject_kinds=frozenset(entry.get("subject_kinds", ENTITY_KINDS)),
                object_kinds=frozenset(entry.get("object_kinds", ENTITY_KINDS)),
                role=entry.get("role"),
                pattern=_expand(entry["pattern"], lists),
                subject_ner=frozenset(entry.get("subject_ner", ())),
                object_ner=frozenset(entry.get("object_ner", ())),
                comma_pair=bool(entry.get("comma_pair", False)),
            )
        )
    return tuple(out)


@functools.cache
def _compiled() -> tuple[CompiledPattern, ...]:
    return tuple(compile_pattern(p.pattern) for p in relation_patterns())


def find_relations(ctx: Context) -> None:
    """Add pattern relations, identity links and open relations to ``ctx``."""
    patterns = relation_patterns()
    covered: set[tuple[int, int, int]] = set()
    for index, token_ids in match(ctx.doc, _compiled()):
        pattern = patterns[index]
        nodes = {p["RIGHT_ID"]: ctx.doc[i] for p, i in zip(pattern.pattern, token_ids, strict=True)}
        subject = ctx.entity_at(nodes[pattern.subject])
        obj = ctx.entity_at(nodes[pattern.object])
        if subject is None or obj is None or subject.id == obj.id:
            continue
        if not (_fits(ctx, subject, pattern.subject_types, pattern.subject_kinds)
                and _fits(ctx, obj, pattern.object_types, pattern.object_kinds)):  # fmt: skip
            continue
        if (pattern.subject_ner and subject.ner not in pattern.subject_ner) or (
            pattern.object_ner and obj.ner not in pattern.object_ner
        ):
            continue
        if pattern.comma_pair and _comma_containment(ctx, subject, obj) is False:
            continue
        predicate = pattern.predicate
        if predicate == "$role":
            role = nodes[pattern.role or ""].lemma_.lower()
            predicate = role_lexicon()["roles"].get(role, "employer")
        if predicate == "sameAs":
            ctx.same_as.append((subject.id, obj.id))
            continue
        anchor = nodes[pattern.subject]
        ctx.add_relation(
            subject.id,
            predicate,
            obj.id,
            anchor=anchor,
            confidence=pattern.confidence,
            extractor=pattern.id,
        )
        covered.add((ctx.sent_of[anchor.i], subject.id, obj.id))
    _named_relative(ctx)
    _titles(ctx)
    _descriptions(ctx)
    _state_offices(ctx)
    _comma_places(ctx, covered)
    _in_places(ctx, covered)
    _open_relations(ctx, covered)


def _titles(ctx: Context) -> None:
    """Titles before names: "President Vladimir Putin", "Iranian Foreign Minister Javad Zarif".

    The title becomes a position held, qualified by the country or place named with it
    ("Foreign Minister of Iran"). Titles naming an organisation ("Taliban spokesman") are
    left to the role patterns (spokesperson of, commander of).
    """
    titles = role_lexicon()["titles"]
    for person in [m for m in ctx.mentions if m.kind == "name" and m.type == "Person"]:
        head = ctx.head_token(person.id)
        start = ctx.doc.char_span(person.start, person.end, alignment_mode="expand")
        if start is None:
            continue
        i = start.start - 1
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
        if not words:
            continue
        qualifier = None
        title_words: list[Token] = []
        for token in words:
            mention = ctx.entity_at(token)
            if mention is not None and mention.kind in ("name", "demonym") and mention.type != "Person":
                if ctx.resolved_type(mention) == "Organization":
                    qualifier = None
                    title_words = []
                    break
                qualifier = mention
            elif mention is None or mention.kind not in ("name", "demonym"):
                title_words.append(token)
        phrase = " ".join(t.text for t in title_words)
        if not title_words or " ".join(t.lemma_.lower() for t in title_words[-2:]).split()[-1] not in {
            w.split()[-1] for w in titles
        }:
            continue
        label = f"{phrase} of {qualifier.name}" if qualifier is not None else phrase
        position = ctx.add_mention(
            title_words[0].i, title_words[-1].i + 1, title_words[-1], type="Position", kind="title", name=label
        )
        ctx.add_relation(person.id, "positionHeld", position, anchor=head, confidence=0.75, extractor="title.position")
        if qualifier is not None and qualifier.type == "Country":
            ctx.add_relation(position, "country", qualifier.id, anchor=head, confidence=0.75, extractor="title.country")


DESCRIPTION_DEPS = frozenset({"amod", "compound", "nmod", "conj", "npadvmod"})


def _descriptions(ctx: Context) -> None:
    """Nationality or country from a description: "X is a German skeleton racer", "Y is a
    major Turkish weapons manufacturer and defense contractor".

    The demonym may sit anywhere in the noun phrase's modifiers (not in a prepositional
    phrase or clause: "a professor at a German university" says nothing of the person).
    """
    for verb in ctx.doc:
        if verb.lemma_ != "be":
            continue
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        attr = next((c for c in verb.children if c.dep_ == "attr" and c.pos_ in ("NOUN", "PROPN")), None)
        if subject is None or attr is None:
            continue
        who = ctx.entity_at(subject)
        if who is None or who.kind not in ("name", "pronoun"):
            continue
        kind = ctx.resolved_type(who)
        predicate = {"Person": "nationality", "Organization": "country"}.get(kind)
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
                ctx.add_relation(who.id, predicate, mention.id, anchor=subject, confidence=0.75,
                                 extractor=f"{predicate}.copula_description")  # fmt: skip
                break


def _state_offices(ctx: Context) -> None:
    """Nationality from an office of a state: "Zhou Enlai, the Premier of China",
    "Australia's Minister for Trade, Simon Crean", "X was a U.S. Representative", "the
    prime minister of independent Ghana, Kwame Nkrumah".

    The office noun is joined to the person by apposition or a copula, and to the
    country by a possessive, a modifier or "of" ("ambassador to Iran" says nothing).
    """
    offices = role_lexicon()["state_titles"]
    for person in [m for m in ctx.mentions if m.kind == "name" and m.type == "Person"]:
        head = ctx.head_token(person.id)
        titles: list[Token] = [c for c in head.children if c.dep_ == "appos"]
        if head.dep_ == "appos":
            titles.append(head.head)
        if head.dep_ == "nsubj" and head.head.lemma_ == "be":
            titles += [c for c in head.head.children if c.dep_ == "attr"]
        country = None
        for title in titles:
            if title.lemma_.lower() in offices:
                country = _office_country(ctx, title)
            elif title.dep_ == "pobj" and title.head.lower_ == "of" and title.head.head.lemma_.lower() in offices:
                mention = ctx.entity_at(title)  # "minister of Ghana, Kwame Nkrumah": the name hangs on the country
                if mention is not None and mention.type == "Country":
                    country = mention
            if country is not None:
                ctx.add_relation(person.id, "nationality", country.id, anchor=head, confidence=0.7,
                                 extractor="nationality.state_office")  # fmt: skip
                break


def _office_country(ctx: Context, title: Token) -> Any:
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


def _comma_places(ctx: Context, covered: set[tuple[int, int, int]]) -> None:
    """ "Reno, Nevada", "Guri, Bolívar, Venezuela": a place name, a comma, a larger place.

    Read from the surface, since the parse of such pairs varies (apposition, compound,
    modifier). Whether a pair is a containment or two items of a list ("Iran, Iraq and
    Syria") is told by the rank of the places (see `_comma_containment`); pairs of
    places of unknown rank are taken only when nothing suggests a list.
    """
    names = sorted((m for m in ctx.mentions if m.kind == "name"), key=lambda m: m.start)
    text = ctx.article.text
    for first, second in itertools.pairwise(names):
        verdict = _comma_containment(ctx, first, second)
        if verdict is False:
            continue
        head = ctx.head_token(second.id)
        if verdict is None:
            after = text[second.end : second.end + 6]
            if (
                second.ner != "GPE"
                or head.dep_ == "conj"
                or re.match(r",? (and|or) ", after)
                or (re.match(r", [A-Z]", after) and _next_is_place(names, second, text))
            ):
                continue
            before = text[max(0, first.start - 2) : first.start]
            if before == ", " and any(m.end == first.start - 2 and ctx.resolved_type(m) in PLACE_TYPES for m in names):
                continue
        sentence = ctx.sent_of[head.i]
        if (sentence, first.id, second.id) in covered:
            continue
        ctx.add_relation(first.id, "locatedIn", second.id, anchor=ctx.head_token(first.id),
                         confidence=0.75 if verdict else 0.7,
                         extractor="located.comma_rank" if verdict else "located.comma_surface")  # fmt: skip


RANK_OF_TYPE = {"Facility": 0.0, "City": 1.0, "AdminRegion": 2.0, "Country": 3.0}
SUFFIX_RANKS = {"county": 1.5, "district": 1.5, "municipality": 1.5, "borough": 1.5, "province": 2.0,
                "region": 2.0, "state": 2.0, "prefecture": 2.0, "governorate": 2.0, "oblast": 2.0,
                "canton": 2.0, "voivodeship": 2.0, "territory": 2.0}  # fmt: skip


def _ranks(ctx: Context, mention: Any) -> set[float]:
    """How large a place may be: 0 a facility, 1 a city, 1.5 a district or county, 2 a
    province or state, 3 a country; empty when unknown. From the mention's type, its
    last word ("Albany County") and the gazetteer (a subdivision with a parent is second-level)."""
    kind = ctx.resolved_type(mention)
    if kind in ("Country", "Facility"):
        return {RANK_OF_TYPE[kind]}
    ranks = {RANK_OF_TYPE[kind]} if kind in RANK_OF_TYPE else set()
    suffix = SUFFIX_RANKS.get(mention.name.split()[-1].lower())
    if suffix is not None:
        return {suffix}
    for place in place_table().get(place_key(mention.name), ()):
        ranks.add(1.0 if place.kind == "city" else 1.5 if place.within else 2.0)
    return ranks


def _comma_containment(ctx: Context, first: Any, second: Any) -> bool | None:
    """Whether "first, second" says that ``first`` lies in ``second``.

    True when ``second`` is of a larger rank than anything ``first`` may be ("Guri,
    Bolívar": a region; "Bolívar, Venezuela": a country); False when the two are not
    separated by a bare comma, are not both places, or ``second`` cannot be larger
    ("Iran, Iraq", "Kabul, Kandahar and Herat"); None when the ranks are unknown.
    """
    if ctx.article.text[first.end : second.start] != ", ":
        return False
    return _larger(ctx, first, second)


def _larger(ctx: Context, first: Any, second: Any) -> bool | None:
    """Whether place ``second`` is larger than place ``first`` (None: cannot tell)."""
    if ctx.resolved_type(first) not in PLACE_TYPES or ctx.resolved_type(second) not in PLACE_TYPES:
        return False
    low, high = _ranks(ctx, first), _ranks(ctx, second)
    if not high:
        return None
    if low and max(low) >= min(high):
        return False if low and high and max(low) >= max(high) else None
    return True


IN_PLACE = re.compile(
    r" in (?:the )?(?:(?:province|region|state|county|district|department|prefecture|governorate) of )?"
)


def _in_places(ctx: Context, covered: set[tuple[int, int, int]]) -> None:
    """ "born in Buttenhausen in Münsingen", "a river in Catalonia in the province of
    Barcelona": a place directly followed by "in" and a larger place. The parse often
    hangs the second "in" on the verb; the surface and the ranks of the places decide.
    """
    names = sorted((m for m in ctx.mentions if m.kind == "name"), key=lambda m: m.start)
    text = ctx.article.text
    for first, second in itertools.pairwise(names):
        between = text[first.end : second.start]
        if not IN_PLACE.fullmatch(between) or _larger(ctx, first, second) is False:
            continue
        if ctx.resolved_type(first) == "Country":
            continue
        anchor = ctx.head_token(first.id)
        if (ctx.sent_of[anchor.i], first.id, second.id) in covered:
            continue
        ctx.add_relation(first.id, "locatedIn", second.id, anchor=anchor, confidence=0.7,
                         extractor="located.in_surface")  # fmt: skip


def _next_is_place(names: list[Any], mention: Any, text: str) -> bool:
    end = getattr(mention, "end", 0)
    return any(m.start == end + 2 and m.type in PLACE_TYPES for m in names)


def _named_relative(ctx: Context) -> None:
    """ "a citizen of Tajikistan, whom authorities named as X": the person is X.

    The relative clause often attaches to the nearest noun ("Tajikistan"); the person it
    describes is the nearest person mention on the way up.
    """
    for verb in ctx.doc:
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
                ctx.same_as.append((mention.id, target.id))
                break
            if node.head.i == node.i:
                break
            node = node.head


def _fits(ctx: Context, mention: Any, types: frozenset[str], kinds: frozenset[str]) -> bool:
    return mention.kind in kinds and ctx.resolved_type(mention) in types


def _open_relations(ctx: Context, covered: set[tuple[int, int, int]]) -> None:
    """Subject–verb–object facts between entities that no pattern explains."""
    reporting = attribution_lexicon()["reporting_verbs"]
    for verb in ctx.doc:
        if verb.pos_ != "VERB" or verb.lemma_ in OPEN_SKIP_VERBS or verb.lemma_ in reporting:
            continue
        trigger = ctx.mention_at(verb)
        if trigger is not None and trigger.kind == "event":
            continue  # its arguments are event roles
        subject = _argument(ctx, verb, ("nsubj",))
        if subject is None:
            continue
        for child in verb.children:
            targets: list[tuple[Token, str]] = []
            if child.dep_ == "dobj":
                targets.append((child, verb.lemma_))
            elif child.dep_ == "prep":
                targets += [(p, f"{verb.lemma_} {child.lower_}") for p in child.children if p.dep_ == "pobj"]
            for token, label in targets:
                obj = ctx.entity_at(token)
                if obj is None or obj.kind not in ENTITY_KINDS or obj.id == subject.id:
                    continue
                if obj.kind == "nominal" and obj.type == "Entity":
                    continue
                sentence = ctx.sent_of[verb.i]
                if (sentence, subject.id, obj.id) in covered or (
                    sentence,
                    obj.id,
                    subject.id,
                ) in covered:
                    continue
                ctx.add_relation(
                    subject.id,
                    "relatedTo",
                    obj.id,
                    anchor=verb,
                    confidence=0.4,
                    extractor="open.svo",
                    verb=label,
                )


def _argument(ctx: Context, verb: Token, deps: tuple[str, ...]) -> Any:
    for child in verb.children:
        if child.dep_ in deps:
            mention = ctx.entity_at(child)
            if (mention is not None and mention.kind in ("name", "pronoun")) or (
                mention is not None and mention.kind == "nominal" and mention.type != "Entity"
            ):
                return mention
    return None
