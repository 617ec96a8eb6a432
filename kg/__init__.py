"""kg: news articles in, a sourced, ontology-aligned, queryable knowledge graph out.

>>> import kg
>>> graph = kg.build(["examples/news"])                      # doctest: +SKIP
>>> graph.query("examples/queries/claims.rq")                # doctest: +SKIP

`build` (which needs spaCy) is imported on first use, so querying a store starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.errors import InputError, KGError, ModelError, QueryError, StoreError
from kg.graph import BuildReport, KnowledgeGraph, open_graph, remove
from kg.model import Article, Problem
from kg.settings import Settings

if TYPE_CHECKING:
    from kg.pipeline import build

__all__ = [
    "Article",
    "BuildReport",
    "InputError",
    "KGError",
    "KnowledgeGraph",
    "ModelError",
    "Problem",
    "QueryError",
    "Settings",
    "StoreError",
    "__version__",
    "build",
    "open_graph",
    "remove",
]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "build":
        from kg.pipeline import build

        return build
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
