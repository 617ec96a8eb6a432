"""Relations between mentions from declarative dependency patterns.

The patterns live in ``patterns/relations.json``: spaCy `DependencyMatcher` patterns,
each mapped to an ontology property, with the types the subject and object mentions
must have. They are matched by `kg.extract.depmatch` (the same matches as spaCy's
matcher, faster on long articles).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from spacy.tokens import Token

from kg.extract.context import Context, Found
from kg.extract.data import DataError, class_set
from kg.extract.depmatch import CompiledPattern, compile_pattern, match
from kg.extract.relations.explained import PATTERNS
from kg.extract.relations.places import comma_containment
from kg.extract.relations.positions import hold, role_tokens, title_of
from kg.extract.steps import step
from kg.model import Mention

__all__ = ["RelationPattern", "relation_patterns"]

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
            raise DataError(f"relations.json: unknown list {value}")
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
    roles = role_tokens()
    forms = roles | {r.title() for r in roles} | {r.upper() for r in roles if len(r) <= 4}
    lists["$roles"] = sorted(forms | {f"{f}s" for f in forms})  # "Representatives" keeps its lemma
    types = {k: class_set(v, where=f"relations.json: types: {k}") for k, v in raw["types"].items()}
    out = []
    for entry in raw["patterns"]:
        try:
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
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"relations.json: pattern {entry.get('id', '?')!r}: {exc!r}") from exc
    return tuple(out)


@functools.cache
def _compiled() -> tuple[CompiledPattern, ...]:
    return tuple(compile_pattern(p.pattern) for p in relation_patterns())


@step(PATTERNS)
def find_pattern_relations(ctx: Context, found: Found) -> None:
    patterns = relation_patterns()
    for index, token_ids in match(ctx.doc, _compiled()):
        pattern = patterns[index]
        nodes = {p["RIGHT_ID"]: ctx.doc[i] for p, i in zip(pattern.pattern, token_ids, strict=True)}
        subject = _entity(ctx, nodes[pattern.subject])
        obj = _entity(ctx, nodes[pattern.object])
        if subject is None or obj is None or subject.id == obj.id or not _matches(ctx, pattern, subject, obj):
            continue
        if pattern.predicate == "sameAs":
            found.same(subject.id, obj.id)
            continue
        for who, anchor in _with_conjuncts(ctx, subject, nodes[pattern.subject]):
            _found(ctx, found, pattern, nodes, who, obj, anchor)


def _found(
    ctx: Context,
    found: Found,
    pattern: RelationPattern,
    nodes: dict[str, Token],
    subject: Mention,
    obj: Mention,
    anchor: Token,
) -> None:
    """What one match says of ``subject``: a fact, or for a role the tie, post and place."""
    if pattern.predicate == "$role":
        role = nodes[pattern.role or ""]
        if _in_a_unit(ctx, role, nodes.get("p")):
            return
        by = (pattern.id, f"{pattern.id}.position", f"{pattern.id}.position_at")
        hold(ctx, found, subject.id, title_of(ctx, role), obj, anchor=anchor, extractors=by,
             confidence=pattern.confidence)  # fmt: skip
        return
    found.relation(subject.id, pattern.predicate, obj.id, anchor=anchor, confidence=pattern.confidence,
                   extractor=pattern.id)  # fmt: skip


def _with_conjuncts(ctx: Context, subject: Mention, token: Token) -> list[tuple[Mention, Token]]:
    """A named person and the people named in coordination with it ("Two Democratic
    Representatives, Collin Peterson and Jeff Van Drew"): what is said of one is said of each."""
    out = [(subject, token)]
    if subject.kind != "name" or subject.type != "Person":
        return out
    for child in token.children:
        if child.dep_ == "conj":
            other = ctx.entity_at(child)
            if other is not None and other.kind == "name" and other.type == "Person" and other.id != subject.id:
                out.append((other, child))
    return out


def _in_a_unit(ctx: Context, role: Token, prep: Token | None) -> bool:
    """ "chairman of the committee in the Senate": the title is of the unit; what follows "in"
    is where the unit is ("a professor of law in the University of Leeds" is of the university)."""
    if prep is None or prep.lower_ != "in":
        return False
    units = [
        ctx.entity_at(o)
        for p in role.children
        if p.dep_ == "prep" and p.lower_ == "of" and p.i != prep.i
        for o in p.children
        if o.dep_ == "pobj"
    ]
    return any(u is not None and ctx.resolved_type(u) in ("Organization", "Facility") for u in units)


def _entity(ctx: Context, token: Token) -> Mention | None:
    """The entity a matched token stands for; a relative pronoun stands for what its clause
    describes ("Bill Gates, *who* founded Microsoft")."""
    mention = ctx.entity_at(token)
    if mention is None and token.tag_ in ("WP", "WDT") and token.head.dep_ == "relcl":
        return ctx.entity_at(token.head.head)
    return mention


def _matches(ctx: Context, pattern: RelationPattern, subject: Mention, obj: Mention) -> bool:
    """Whether the mentions a match found are of the kinds, types and NER labels it wants."""
    if not (_fits(ctx, subject, pattern.subject_types, pattern.subject_kinds)
            and _fits(ctx, obj, pattern.object_types, pattern.object_kinds)):  # fmt: skip
        return False
    if (pattern.subject_ner and subject.ner not in pattern.subject_ner) or (
        pattern.object_ner and obj.ner not in pattern.object_ner
    ):
        return False
    return not (pattern.comma_pair and comma_containment(ctx, subject, obj) is False)


def _fits(ctx: Context, mention: Mention, types: frozenset[str], kinds: frozenset[str]) -> bool:
    return mention.kind in kinds and ctx.resolved_type(mention) in types
