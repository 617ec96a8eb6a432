"""Which facts are asserted as plain triples (`kg.resolve.facts.choose_primary`), after
dropping repeats (`kg.resolve.facts.dedupe`)."""

from __future__ import annotations

from kg.model import Fact
from kg.resolve.facts import choose_primary, dedupe
from kg.resolve.world import Outcome, World, rule


@rule("primary")
def primary(facts: list[Fact], world: World) -> Outcome:
    return Outcome(choose_primary(dedupe(facts)))
