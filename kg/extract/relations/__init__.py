"""Relation steps: dependency patterns, facts about people, place containment from
the surface, open relations (`kg.extract.steps`)."""

from kg.extract.relations import open_relations, patterns, people, places

__all__ = ["open_relations", "patterns", "people", "places"]
