"""An event at a site located in a place happened in that place: "an attack on a
mosque in Christchurch" is located in Christchurch."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from kg.extract.data import confidence
from kg.model import Fact, Key
from kg.resolve.world import Outcome, World, rule


@rule("sites")
def sites(facts: list[Fact], world: World) -> Outcome:
    located: dict[Key, set[Key]] = defaultdict(set)
    for f in facts:
        if f.predicate == "locatedIn" and isinstance(f.object, Key):
            located[f.subject].add(f.object)
    factor = confidence("derived.location_via_site.factor")
    added = [
        dataclasses.replace(
            f, object=place, extractor="derived.location_via_site", confidence=round(f.confidence * factor, 3)
        )
        for f in facts
        if f.predicate == "location" and isinstance(f.object, Key)
        for place in located.get(f.object, ())
    ]
    return Outcome(facts + added)
