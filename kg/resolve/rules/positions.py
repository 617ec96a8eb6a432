"""A post is named by its title and where it is: "chief executive" of Acme and
"chief executive" of Globex are two posts, each one node across the store.

Titles are kept apart by coreference (`kg.resolve.clusters`) and start with a key of
their article; here each gets its identity: the title and the organisation or state it
is at (``positionAt``) when that one is an entity of the store ("chief executive" at
Acme: ``Position:chief executive@acme``), the title alone when the text names no place
for it ("Judge Jackson"), and stays the article's own when it is at an unnamed one
("the company's chief executive"). Posts with one identity are one node.

A top office of a state named with no state ("President Donald Trump", "Prime Minister
Theresa May"; `RoleWords.national_offices`) is the office of the state the article is
about, when one state dominates it (`dominant_country_key`) and the text gives its
holder no other nationality (extractor ``position.article_state``).
"""

from __future__ import annotations

import dataclasses

from kg.extract.data import confidence, role_words
from kg.model import Fact, Key, Scope
from kg.resolve.facts import rename
from kg.resolve.rules.dominant_country import dominant_country_key
from kg.resolve.world import Outcome, World, rule
from kg.text import identity_name


@rule("positions")
def positions(facts: list[Fact], world: World) -> Outcome:
    labels = {c.key: c.label for c in world.clusters.values()}
    facts = facts + _article_state(facts, world, labels)
    at: dict[Key, Key] = {}
    for f in facts:
        if f.predicate == "positionAt" and isinstance(f.object, Key):
            at.setdefault(f.subject, f.object)
    rekeys: list[tuple[int, Key]] = []
    for root, cluster in world.clusters.items():
        if cluster.type != "Position" or cluster.key.scope is not Scope.LOCAL:
            continue
        where = at.get(cluster.key)
        if where is None:
            new = Key.named("Position", cluster.label)
        elif where.in_corpus and where in labels:
            qualified = identity_name(labels[where]) + (f"@{where.within}" if where.within else "")
            new = Key.named("Position", cluster.label, within=qualified)
        else:
            continue
        facts = rename(facts, cluster.key, new)
        rekeys.append((root, new))
    return Outcome(facts, rekeys=tuple(rekeys))


def _article_state(facts: list[Fact], world: World, labels: dict[Key, str]) -> list[Fact]:
    """``positionAt`` the article's state for its top offices named with no state."""
    state = dominant_country_key(world.clusters)
    if state is None:
        return []
    offices = role_words().national_offices
    placed = {f.subject for f in facts if f.predicate == "positionAt"}
    foreign = {
        f.subject
        for f in facts
        if f.predicate == "nationality" and f.object != state and not f.extractor.startswith("document.")
    }
    out = []
    for f in facts:
        if f.predicate != "positionHeld" or not isinstance(f.object, Key) or f.object in placed or f.subject in foreign:
            continue
        words = labels.get(f.object, "").lower().split()
        if not words or not (words[-1] in offices or " ".join(words[-2:]) in offices or " ".join(words) in offices):
            continue
        if role_words().party_posts & set(words):
            continue  # "shadow home secretary" is a post of the opposition, not of the state
        placed.add(f.object)
        out.append(
            dataclasses.replace(
                f,
                subject=f.object,
                predicate="positionAt",
                object=state,
                extractor="position.article_state",
                confidence=confidence("position.article_state"),
            )
        )
    return out
