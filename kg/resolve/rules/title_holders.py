"""A definite description by title is the one person the article names with that title.

"Chancellor Gordon Brown unveiled the budget ... The chancellor said growth would
reach 3%": "the chancellor" is Gordon Brown, because the article gives the post to him and
to no one else. The description's words must all be words of the post ("the prime
minister" for "Prime Minister", "the minister" for "foreign minister"), the description
singular and definite, and exactly one named person must hold a post it fits; else
nothing is merged. One merge a run; the rule runs again until there is none.
"""

from __future__ import annotations

import re
from collections import defaultdict

from kg.model import Fact, Key
from kg.resolve.clusters import Cluster
from kg.resolve.facts import rename
from kg.resolve.world import Outcome, World, rule

_THE = re.compile(r"\bthe\s+$", re.IGNORECASE)


@rule("title_holders", repeat=True)
def title_holders(facts: list[Fact], world: World) -> Outcome:
    by_key: dict[Key, tuple[int, Cluster]] = {c.key: (root, c) for root, c in world.clusters.items()}
    posts: dict[Key, str] = {c.key: c.label.lower() for c in world.clusters.values() if c.type == "Position"}
    holders: dict[str, set[Key]] = defaultdict(set)  # a post's words → the named people holding it
    for f in facts:
        if f.predicate != "positionHeld" or not isinstance(f.object, Key) or f.object not in posts:
            continue
        holder = by_key.get(f.subject)
        if holder is not None and holder[1].named and holder[1].type == "Person":
            holders[posts[f.object]].add(f.subject)
    if not holders:
        return Outcome(facts)
    text = world.extraction.article.text
    for root, cluster in world.clusters.items():
        if not _description(cluster, text):
            continue
        words = cluster.label.lower().split()
        fitting = {p for title, people in holders.items() if _fits(words, title.split()) for p in people}
        if len(fitting) != 1:
            continue
        target = next(iter(fitting))
        target_root = by_key[target][0]
        if target == cluster.key or target_root == root:
            continue  # merged already
        return Outcome(rename(facts, cluster.key, target), merges=((root, target_root),))
    return Outcome(facts)


def _description(cluster: Cluster, text: str) -> bool:
    """An unnamed person (or a speaker the text describes) named by definite, singular
    nominals only ("the chancellor")."""
    nominals = [m for m in cluster.members if m.kind == "nominal"]
    definite = any(m.definite or _THE.search(text[max(0, m.start - 8) : m.start]) for m in nominals)
    return (
        not cluster.named
        and cluster.type in ("Person", "Agent")
        and bool(nominals)
        and all(m.kind in ("nominal", "pronoun") for m in cluster.members)
        and definite
        and not any(m.plural for m in nominals)
    )


def _fits(description: list[str], title: list[str]) -> bool:
    """Whether a description names the post: the same last word, and no word the post lacks."""
    return bool(description) and description[-1] == title[-1] and set(description) <= set(title)
