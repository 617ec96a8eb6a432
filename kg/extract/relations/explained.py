"""Which facts the dependency patterns explain: the surface and open-relation steps do
not add them again."""

from __future__ import annotations

from kg.extract.context import Context

__all__ = ["PATTERNS", "covered"]

PATTERNS = "relations.patterns"
"""The name of the pattern step."""


def covered(ctx: Context) -> set[tuple[int, int, int]]:
    """(sentence, subject, object) of every relation the pattern step found."""
    return {
        (p.relation.sentence, p.relation.subject, p.relation.object)
        for p in ctx.found
        if p.step == PATTERNS and isinstance(p.relation.object, int)
    }
