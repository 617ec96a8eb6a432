"""Facts: relations between mentions become facts between nodes; which of them are
asserted as plain triples.

A single-valued property (``FUNCTIONAL``: an event's date, deaths, injured, arrests)
asserts only its best-supported value (`better`); document-level guesses (extractors
``document.…``) are recorded but never asserted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from kg.model import Fact, Key, Passage, Quantity, Relation, TimeValue

__all__ = [
    "FUNCTIONAL",
    "GUESS_PREFIX",
    "LOOSE",
    "choose_primary",
    "dedupe",
    "fact_of",
    "rename",
    "used_keys",
    "value_key",
]

LOOSE = frozenset({"memberOf", "relatedTo", "partOf", "employer"})
"""Relations too vague to keep between unnamed, otherwise unconnected nodes."""

FUNCTIONAL = frozenset({"date", "deaths", "injured", "arrestedCount"})
"""Properties with one value per event: the best-supported fact is the plain triple."""

GUESS_PREFIX = "document."
"""Extractors of document-level guesses, which are recorded but not asserted as plain triples."""

PRECISION_RANK = {"day": 3, "month": 2, "year": 1, "text": 0}


def fact_of(r: Relation, key_of: Callable[[int], Key | None]) -> Fact | None:
    """The fact a relation states between the nodes of its mentions (``None`` when a
    mention has no node, or both are one)."""
    subject = key_of(r.subject)
    if subject is None:
        return None
    obj: object = r.object
    if isinstance(r.object, int) and not isinstance(r.object, bool):
        obj = key_of(r.object)
        if obj is None or obj == subject:
            return None
    elif isinstance(r.object, str):
        obj = Key.concept(r.object)
    attribution = r.attribution
    speaker = via = statement = None
    if attribution is not None:
        speaker = key_of(attribution.speaker) if attribution.speaker is not None else None
        via = key_of(attribution.via) if attribution.via is not None else None
        statement = key_of(attribution.statement) if attribution.statement is not None else None
    return Fact(
        subject=subject,
        predicate=r.predicate,
        object=obj,  # type: ignore[arg-type]
        sentence=r.sentence,
        confidence=round(r.confidence, 3),
        extractor=r.extractor,
        attribution=attribution,
        speaker=speaker,
        via=via,
        verb=r.verb,
        hedged=r.hedged,
        statement=statement,
    )


def rename(facts: Iterable[Fact], old: Key, new: Key) -> list[Fact]:
    """``facts`` with node ``old`` called ``new``; a fact between one node and itself goes."""
    out = []
    for f in facts:
        changes: dict[str, object] = {}
        if f.subject == old:
            changes["subject"] = new
        if f.object == old:
            changes["object"] = new
        if f.speaker == old:
            changes["speaker"] = new
        if f.via == old:
            changes["via"] = new
        out.append(dataclasses.replace(f, **changes) if changes else f)  # type: ignore[arg-type]
    return [f for f in out if f.subject != f.object]


def value_key(value: object) -> object:
    if isinstance(value, Quantity):
        if value.kind != "count" or value.unit:
            return ("q", value.value, value.approximate, value.bound, value.kind, value.unit)
        return ("q", value.value, value.approximate, value.bound)
    if isinstance(value, Passage):
        return ("p", value.start, value.end)
    if isinstance(value, TimeValue):
        return ("t", value.value, value.precision, value.text if value.precision == "text" else "")
    return value


def dedupe(facts: list[Fact]) -> list[Fact]:
    """One fact per subject, property, value, sentence and speaker: the most confident."""
    seen: dict[tuple[object, ...], Fact] = {}
    for f in facts:
        key = (f.subject, f.predicate, value_key(f.object), f.sentence, f.speaker)
        if key not in seen or f.confidence > seen[key].confidence:
            seen[key] = f
    return list(seen.values())


def better(a: Fact, b: Fact) -> bool:
    """Whether ``a`` is better supported than ``b`` as the value of a single-valued property."""

    def rank(f: Fact) -> tuple[object, ...]:
        value = f.object
        if isinstance(value, TimeValue):
            return (not value.approximate, PRECISION_RANK[value.precision], f.confidence, not f.hedged, -f.sentence)
        if isinstance(value, Quantity):  # stated numbers beat "dozens"; later tolls and totals are larger
            vague = value.approximate and value.bound == "min"
            return (f.confidence, not vague, value.value, not f.hedged, not value.approximate, f.sentence)
        return (f.confidence, -f.sentence)

    return rank(a) > rank(b)


def choose_primary(facts: list[Fact]) -> list[Fact]:
    """Which facts are asserted as plain triples: not document-level guesses, and of a
    single-valued property only the best-supported value."""
    facts = [dataclasses.replace(f, primary=False) if f.extractor.startswith(GUESS_PREFIX) else f for f in facts]
    best: dict[tuple[Key, str], Fact] = {}
    for f in facts:
        if f.predicate in FUNCTIONAL:
            key = (f.subject, f.predicate)
            if key not in best or better(f, best[key]):
                best[key] = f
    out = []
    for f in facts:
        if f.predicate in FUNCTIONAL:
            chosen = best[(f.subject, f.predicate)]
            primary = value_key(chosen.object) == value_key(f.object)
            out.append(f if primary else dataclasses.replace(f, primary=False))
        else:
            out.append(f)
    return out


def used_keys(facts: list[Fact]) -> set[Key]:
    """Every node a fact names: subject, object, speaker, outlet, statement."""
    used = set()
    for f in facts:
        used.add(f.subject)
        if isinstance(f.object, Key):
            used.add(f.object)
        for k in (f.speaker, f.via, f.statement):
            if k:
                used.add(k)
    return used
