"""Generic names ("Ministry of Intelligence", "the army") get the country in their key:
Iran's ministry and Pakistan's are two nodes."""

from __future__ import annotations

from kg.model import Fact, Key
from kg.resolve.clusters import generic_name
from kg.resolve.facts import rename
from kg.resolve.world import Outcome, World, rule


@rule("qualify_generic")
def qualify_generic(facts: list[Fact], world: World) -> Outcome:
    rekeys: list[tuple[int, Key]] = []
    for root, cluster in world.clusters.items():
        if not cluster.named or cluster.qid or cluster.type != "Organization":
            continue
        old = cluster.key
        country = next(
            (f.object for f in facts if f.subject == old and f.predicate == "country" and isinstance(f.object, Key)),
            None,
        )
        if not isinstance(country, Key) or not generic_name(cluster.label):
            continue
        new = Key.named("Organization", cluster.label, within=country.value)
        facts = rename(facts, old, new)
        rekeys.append((root, new))
    return Outcome(facts, rekeys=tuple(rekeys))
