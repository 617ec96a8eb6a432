"""Loose facts about unnamed, generic things ("members member of Parliament") go.

An unnamed node stays when it matters elsewhere: a perpetrator, a speaker, the subject
of a nationality ("one of the bombers was Tajik").
"""

from __future__ import annotations

from kg.model import Fact, Key
from kg.resolve.facts import LOOSE
from kg.resolve.world import Outcome, World, rule


@rule("drop_generic")
def drop_generic(facts: list[Fact], world: World) -> Outcome:
    unnamed = {c.key for c in world.clusters.values() if not c.named}
    anchored: set[Key] = set()
    for f in facts:
        if f.predicate not in LOOSE:
            anchored.add(f.subject)
            if isinstance(f.object, Key):
                anchored.add(f.object)
        for k in (f.speaker, f.via):
            if k:
                anchored.add(k)

    def loose_and_alone(key: object) -> bool:
        return key in unnamed and key not in anchored

    return Outcome(
        [f for f in facts if f.predicate not in LOOSE or not (loose_and_alone(f.subject) or loose_and_alone(f.object))]
    )
