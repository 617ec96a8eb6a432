"""Resolution rules, registered by name, and what they see.

A rule is a function ``(facts, world) -> Outcome``: it reads the article's facts so far
and its `World` (the extraction, the entity clusters and incidents, the node of each
mention) and returns the facts after it (facts added, rewritten or dropped) and the
clusters it merges or re-keys. The runner (`kg.resolve.resolve`) applies those to the
world, runs a ``repeat`` rule again until it changes no identity, and runs the rules in
the order of `DEFAULT_RULES` (`Settings.resolve_rules`); `Settings.disabled_steps`
switches rules off by name, as ``make mutants`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kg.model import Extraction, Fact, Key
from kg.resolve.clusters import Cluster

__all__ = ["DEFAULT_RULES", "RULES", "Outcome", "Rule", "World", "rule"]


@dataclass
class World:
    """An article as the rules see it. Rules read it; the runner changes it (`merge`, `rekey`)."""

    extraction: Extraction
    clusters: dict[int, Cluster]
    events: list[Cluster]
    mention_key: dict[int, Key]

    def merge(self, source: int, target: int) -> None:
        """The cluster rooted at ``source`` is one with the cluster rooted at ``target``."""
        into, old = self.clusters[target], self.clusters[source]
        into.members.extend(old.members)
        self._remap(old.key, into.key)
        old.key = into.key

    def rekey(self, root: int, key: Key) -> None:
        """The cluster rooted at ``root`` (and every mention of its node) is now ``key``."""
        cluster = self.clusters[root]
        self._remap(cluster.key, key)
        cluster.key = key

    def _remap(self, old: Key, new: Key) -> None:
        for mid, key in list(self.mention_key.items()):
            if key == old:
                self.mention_key[mid] = new


@dataclass(frozen=True)
class Outcome:
    """The facts after a rule, and the changes to nodes it asks for: clusters merged
    (source root, target root), clusters given a new key (root, key) or a new label
    (root, label)."""

    facts: list[Fact]
    merges: tuple[tuple[int, int], ...] = field(default=())
    rekeys: tuple[tuple[int, Key], ...] = field(default=())
    relabels: tuple[tuple[int, str], ...] = field(default=())

    @property
    def changed(self) -> bool:
        return bool(self.merges or self.rekeys or self.relabels)


Rule = Callable[[list[Fact], World], Outcome]


@dataclass(frozen=True)
class _Registered:
    function: Rule
    repeat: bool


RULES: dict[str, _Registered] = {}

DEFAULT_RULES: tuple[str, ...] = (
    "statement_speakers",
    "role_merge",
    "qualify_generic",
    "self_claims",
    "sites",
    "gazetteer_places",
    "places_in_names",
    "geography",
    "dominant_country",
    "sentence_locations",
    "positions",
    "title_holders",
    "role_labels",
    "primary",
    "drop_generic",
)
"""The order of resolution: attribution to statements first, then merges that change
node identities, then inferences (each sees the facts of those before it), then which
facts are asserted, then the pruning of loose facts about unnamed things."""


def rule(name: str, *, repeat: bool = False) -> Callable[[Rule], Rule]:
    """Register a resolution rule under ``name``; with ``repeat``, it runs again while it renames."""

    def register(function: Rule) -> Rule:
        if name in RULES:
            raise ValueError(f"resolution rule {name!r} registered twice")
        RULES[name] = _Registered(function, repeat)
        return function

    return register


def run_rules(facts: list[Fact], world: World, names: tuple[str, ...], *, disabled: frozenset[str]) -> list[Fact]:
    """Apply the rules ``names`` in order."""
    unknown = sorted(set(names) - RULES.keys())
    if unknown:
        raise ValueError(f"unknown resolution rules {unknown} (known: {sorted(RULES)})")
    for name in names:
        if name in disabled:
            continue
        registered = RULES[name]
        while True:
            outcome = registered.function(facts, world)
            facts = outcome.facts
            for source, target in outcome.merges:
                world.merge(source, target)
            for root, key in outcome.rekeys:
                world.rekey(root, key)
            for root, label in outcome.relabels:
                world.clusters[root].label = label
            if not (registered.repeat and outcome.changed):
                break
    return facts
