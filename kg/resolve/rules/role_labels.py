"""An unnamed person known by a role at one named organisation is labelled with it.

"A spokesman for the Information Commissioner's Office said ...": the speaker's node reads
"Information Commissioner's Office spokesman", as "a Vodafone spokeswoman" already does,
so a statement is not "by spokesman". Only a one-word or short role label is qualified,
and only when the person has exactly one tie (spokesperson, employer, leader, member) to
a named organisation. The node stays the article's own; only its label changes.
"""

from __future__ import annotations

from kg import ontology
from kg.model import Fact, Key
from kg.resolve.world import Outcome, World, rule

TIES = frozenset({"spokespersonOf", "employer", "leaderOf", "memberOf"})
MAX_WORDS = 2


@rule("role_labels")
def role_labels(facts: list[Fact], world: World) -> Outcome:
    by_key = {c.key: (root, c) for root, c in world.clusters.items()}
    ties: dict[Key, set[Key]] = {}
    for f in facts:
        if f.predicate in TIES and isinstance(f.object, Key):
            ties.setdefault(f.subject, set()).add(f.object)
    relabels: list[tuple[int, str]] = []
    for key, orgs in ties.items():
        found = by_key.get(key)
        if found is None or len(orgs) != 1:
            continue
        root, person = found
        org = by_key.get(next(iter(orgs)))
        if person.named or person.type not in ("Person", "Agent") or org is None or not org[1].named:
            continue
        if ontology.is_place(org[1].type):
            continue  # "officials in Chicago" are no organisation's
        label = person.label
        if len(label.split()) > MAX_WORDS or org[1].label.lower() in label.lower():
            continue
        relabels.append((root, f"{org[1].label} {label}"))
    return Outcome(facts, relabels=tuple(relabels))
