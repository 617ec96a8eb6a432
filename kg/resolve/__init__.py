"""Resolution: an article's mentions become nodes, its relations facts between them.

1. `kg.resolve.clusters`: coreference of entity mentions (one cluster per entity);
2. `kg.resolve.incidents`: event mentions grouped into incidents;
3. node keys: the QID when linked, else type and name for named entities (one node
   across articles), an article-scoped number for unnamed entities and events;
4. `kg.resolve.facts`: each relation as a fact between nodes;
5. `kg.resolve.rules`: the resolution rules, registered by name, in the order of
   `Settings.resolve_rules` (default `DEFAULT_RULES`): merges, inferences, which facts
   are asserted, pruning;
6. `kg.resolve.nodes`: the nodes that facts use, with labels and aliases.
"""

from __future__ import annotations

from kg.extract.data import event_words
from kg.model import MAIN_EVENT, ArticleGraph, Extraction, Fact, Key, Node, Scope
from kg.resolve import rules
from kg.resolve.clusters import Cluster, entity_clusters
from kg.resolve.facts import FUNCTIONAL, fact_of, used_keys
from kg.resolve.incidents import event_clusters, event_type
from kg.resolve.nodes import entity_node, event_node
from kg.resolve.world import DEFAULT_RULES, World, run_rules
from kg.settings import Settings

__all__ = ["FUNCTIONAL", "resolve"]

_ = rules  # imported for their registrations


def resolve(ex: Extraction, *, settings: Settings | None = None) -> ArticleGraph:
    """Nodes and facts of one article."""
    settings = settings or Settings.from_env()
    clusters, entity_root = entity_clusters(ex)
    events = _incidents(ex, entity_root)
    for root, cluster in clusters.items():
        if cluster.named and cluster.type != "Position":
            cluster.key = Key.wikidata(cluster.qid) if cluster.qid else Key.named(cluster.type, cluster.label)
        else:  # a post is named by where it is (`kg.resolve.rules.positions`)
            cluster.key = Key.local(root)
    mention_key: dict[int, Key] = {mid: clusters[root].key for mid, root in entity_root.items()}
    mention_key.update({m.id: e.key for e in events for m in e.members})
    main_event = _main_event(events)

    def key_of(value: int) -> Key | None:
        if value == MAIN_EVENT:
            return main_event
        return mention_key.get(value)

    world = World(extraction=ex, clusters=clusters, events=events, mention_key=mention_key)
    facts = [f for r in ex.relations if (f := fact_of(r, key_of)) is not None]
    facts = run_rules(facts, world, settings.resolve_rules or DEFAULT_RULES, disabled=settings.disabled_steps)
    nodes = _nodes(facts, world)
    kept = {n.key for n in nodes}
    facts = [
        f
        for f in facts
        if f.subject in kept and (not isinstance(f.object, Key) or f.object in kept or f.object.scope is Scope.CONCEPT)
    ]
    return ArticleGraph(
        article=ex.article,
        sentences=ex.sentences,
        mentions=ex.mentions,
        nodes=tuple(nodes),
        facts=tuple(facts),
        mention_node={mid: key for mid, key in world.mention_key.items() if key in kept},
    )


def _incidents(ex: Extraction, entity_root: dict[int, int]) -> list[Cluster]:
    """Event clusters, keyed by where their first mention starts: a step that adds an
    event does not renumber the others."""
    return [
        Cluster(members=members, kind="event", type=event_type(members), key=Key.event(members[0].start))
        for members in event_clusters(ex, entity_root)
    ]


def _main_event(events: list[Cluster]) -> Key | None:
    """The article's main incident: its first attack not marked as another, else its first disaster or accident."""
    attacks = event_words().attack_family
    return next((c.key for c in events if c.type in attacks and not c.members[0].distinct), None) or next(
        (c.key for c in events if c.type in ("Disaster", "Accident")), None
    )


def _nodes(facts: list[Fact], world: World) -> list[Node]:
    """The nodes facts use (and every named entity), entities in order of first mention, then events."""
    used = used_keys(facts)
    nodes: list[Node] = []
    seen: set[Key] = set()
    for cluster in sorted(world.clusters.values(), key=lambda c: c.first):
        if cluster.key in seen or (not cluster.named and cluster.key not in used):
            continue
        seen.add(cluster.key)
        nodes.append(entity_node(cluster, world.clusters))
    labels = {n.key: n.label for n in nodes}
    types = {n.key: n.type for n in nodes}
    nodes += [event_node(e, facts, labels, types) for e in world.events if e.key in used]
    return nodes
