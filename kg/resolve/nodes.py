"""Nodes: one per entity cluster and per incident, with label, aliases and mentions.

An event is labelled by its type, its most specific named place and its date ("Bombing
in Kerman (2024-01-03)"); a statement by its speaker.
"""

from __future__ import annotations

import re

from kg import ontology
from kg.model import Fact, Key, Node, Scope, TimeValue
from kg.resolve.clusters import Cluster

__all__ = ["PLACE_RANK", "entity_node", "event_node"]

PLACE_RANK = {"Facility": 0, "City": 1, "AdminRegion": 2, "Place": 3}
"""Most specific first, for choosing where an event happened among the places of its sentence."""


def _name_of(cluster: Cluster) -> Key | None:
    """The identity of a named cluster's name, whether or not it is linked."""
    if cluster.key.scope is Scope.NAME:
        return cluster.key
    return Key.named(cluster.type, cluster.label) if cluster.named else None


def entity_node(cluster: Cluster, clusters: dict[int, Cluster]) -> Node:
    """The node of an entity cluster and of every cluster that shares its key."""
    members = [c for c in clusters.values() if c.key == cluster.key]
    all_members = sorted({m.id: m for c in members for m in c.members}.values(), key=lambda m: m.id)
    aliases = []
    for m in all_members:
        if m.kind in ("name", "nominal") and m.text != cluster.label:
            text = re.sub(r"^(the|The|a|A|an|An) ", "", m.text)
            text = re.sub(r"('s|’s)$", "", text)
            if m.kind == "nominal" and cluster.named:
                continue
            if text != cluster.label and text not in aliases:
                aliases.append(text)
    if cluster.named:
        for c in members:
            if not c.named:
                described = [m.name for m in c.members if m.kind == "nominal"]
                aliases += [d for d in described[:1] if d not in aliases]
    return Node(
        key=cluster.key,
        kind="entity",
        type=cluster.type,
        label=cluster.label,
        aliases=tuple(aliases),
        mentions=tuple(m.id for m in all_members if m.kind != "pronoun"),
        qid=cluster.qid,
        link_score=1.0 if cluster.qid else None,
        link_source="country-table" if cluster.qid else None,
        name_key=_name_of(cluster),
    )


def event_node(cluster: Cluster, facts: list[Fact], labels: dict[Key, str], types: dict[Key, str]) -> Node:
    """The node of an incident, labelled by type, place and date (or speaker)."""
    return Node(
        key=cluster.key,
        kind="event",
        type=cluster.type,
        label=_event_label(cluster, facts, labels, types),
        aliases=tuple(dict.fromkeys(m.text for m in cluster.members)),
        mentions=tuple(m.id for m in cluster.members),
    )


def _event_label(cluster: Cluster, facts: list[Fact], labels: dict[Key, str], types: dict[Key, str]) -> str:
    mine = [f for f in facts if f.subject == cluster.key]
    places = [f.object for f in mine if f.predicate == "location" and isinstance(f.object, Key) and f.object in labels]
    # name it after the most specific named place, then any place: "Stabbing in Paris", not "in headquarters"
    named = [p for p in places if p.scope is not Scope.LOCAL]
    ranked = sorted(named, key=lambda p: PLACE_RANK.get(types.get(p, ""), 4 if types.get(p) == "Country" else 9))
    place = labels[ranked[0]] if ranked else (labels[places[0]] if places else None)
    date = next(
        (
            f.object.value
            for f in mine
            if f.predicate == "date" and f.primary and isinstance(f.object, TimeValue) and f.object.value
        ),
        None,
    )
    speaker = next(
        (labels.get(f.object) for f in mine if f.predicate == "speaker" and isinstance(f.object, Key)),
        None,
    )
    label = cluster.type
    actors = _actors(mine, labels) if ontology.is_a(cluster.type, "Action") or cluster.type == "Death" else ""
    if cluster.type == "Statement" and speaker:
        label = f"Statement by {speaker}"
    elif actors:
        label = f"{cluster.type}: {actors}"
    elif place:
        label = f"{cluster.type} in {place}"
    if date:
        label = f"{label} ({date})"
    return label


def _actors(facts: list[Fact], labels: dict[Key, str]) -> str:
    """ "Mark Rutte → Emmanuel Macron": who acted, and to whom, for an action's label."""

    def names(predicate: str) -> str:
        found = [labels[f.object] for f in facts if f.predicate == predicate and isinstance(f.object, Key)
                 and f.object in labels]  # fmt: skip
        return ", ".join(dict.fromkeys(found))

    return " → ".join(part for part in (names("agent"), names("target")) if part)
