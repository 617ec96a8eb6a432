"""What the article's own "located in" facts imply: containment is transitive, and a
place or organisation in a country, or in a place in a country, has that country.

"Sacramento, California, in the United States": Sacramento is in the United States,
and both have the United States as country.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from kg.extract.data import confidence
from kg.model import Fact, Key
from kg.resolve.world import Outcome, World, rule


@rule("geography")
def geography(facts: list[Fact], world: World) -> Outcome:
    types = {c.key: c.type for c in world.clusters.values()}
    located: dict[Key, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.predicate == "locatedIn" and isinstance(f.object, Key) and f.primary:
            located[f.subject].append(f)
    out: list[Fact] = []
    for subject, direct in located.items():
        seen, found = _up(subject, direct, located, types)
        out += found
        factor = confidence("derived.country_of_container.factor")
        for f in facts:
            if f.predicate == "country" and f.subject in seen and f.subject != subject and isinstance(f.object, Key):
                out.append(
                    dataclasses.replace(
                        f,
                        subject=subject,
                        confidence=round(f.confidence * factor, 3),
                        extractor="derived.country_of_container",
                    )
                )
    return Outcome(facts + out)


def _up(
    subject: Key, direct: list[Fact], located: dict[Key, list[Fact]], types: dict[Key, str]
) -> tuple[set[Key], list[Fact]]:
    """Breadth-first up the containment chain of ``subject``, at most three steps: the
    places passed, and the transitive and country facts they give."""
    factor = confidence("derived.located_transitive.factor")
    out: list[Fact] = []
    seen = {subject}
    frontier = [(f, f.confidence, 1) for f in direct]
    while frontier:
        fact, value_confidence, depth = frontier.pop(0)
        place = fact.object
        assert isinstance(place, Key)
        if place in seen:
            continue
        seen.add(place)
        if depth > 1:
            out.append(
                dataclasses.replace(
                    fact, subject=subject, confidence=round(value_confidence, 3), extractor="derived.located_transitive"
                )
            )
        if types.get(place) == "Country":
            out.append(
                dataclasses.replace(
                    fact,
                    subject=subject,
                    predicate="country",
                    confidence=round(value_confidence, 3),
                    extractor="derived.country_of_place",
                )
            )
        if depth < 3:
            frontier += [(g, value_confidence * factor, depth + 1) for g in located.get(place, ())]
    return seen, out
