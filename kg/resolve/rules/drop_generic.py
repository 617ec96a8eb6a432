"""Loose facts about unnamed, generic things ("members member of Parliament") go.

An unnamed node stays when it matters elsewhere: a perpetrator, the source of an
attributed fact, the subject of a nationality ("one of the bombers was Tajik"). Speaking,
being spoken to or being named in a statement does not make a loose tie of an unnamed
node worth keeping: nearly everyone in a news article says something.
"""

from __future__ import annotations

from kg.model import Fact, Key
from kg.resolve.facts import LOOSE
from kg.resolve.world import Outcome, World, rule

STATEMENT_ROLES = frozenset({"speaker", "addressee", "mentionsEntity"})


@rule("drop_generic")
def drop_generic(facts: list[Fact], world: World) -> Outcome:
    unnamed = {c.key for c in world.clusters.values() if not c.named}
    anchored: set[Key] = set()
    for f in facts:
        if f.predicate not in LOOSE and f.predicate not in STATEMENT_ROLES:
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
