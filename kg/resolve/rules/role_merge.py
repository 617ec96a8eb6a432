"""An unnamed organisation and a named one that fill the same perpetrator role are one.

"Islamic State's Afghanistan branch was behind the blasts" ... "ISIS-K carried out the
bombings": the nominal joins the name, keeping its description as an alias. One merge a
run; the rule runs again until there is none.
"""

from __future__ import annotations

from collections import defaultdict

from kg.model import Fact, Key
from kg.resolve.facts import rename
from kg.resolve.world import Outcome, World, rule


@rule("role_merge", repeat=True)
def role_merge(facts: list[Fact], world: World) -> Outcome:
    by_key = {c.key: (root, c) for root, c in world.clusters.items()}  # the last cluster of a key
    perpetrators: dict[Key, set[Key]] = defaultdict(set)
    for f in facts:
        if f.predicate == "perpetrator" and isinstance(f.object, Key):
            perpetrators[f.subject].add(f.object)
    for agents in perpetrators.values():
        named = [a for a in agents if a in by_key and by_key[a][1].named and by_key[a][1].type == "Organization"]
        unnamed = [
            a
            for a in agents
            if a in by_key
            and not by_key[a][1].named
            and by_key[a][1].type == "Organization"
            and not any(m.plural for m in by_key[a][1].members)
        ]
        if len(named) != 1 or len(unnamed) != 1:
            continue
        (target_root, target), (source_root, source) = by_key[named[0]], by_key[unnamed[0]]
        related = any(
            {f.subject, f.object} == {target.key, source.key} for f in facts if f.predicate in ("branchOf", "partOf")
        )
        if related:
            continue
        return Outcome(rename(facts, source.key, target.key), merges=((source_root, target_root),))
    return Outcome(facts)
