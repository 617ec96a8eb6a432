"""kg: news articles in, a sourced, ontology-aligned, queryable knowledge graph out.

>>> import kg
>>> graph = kg.build(["examples/news"])                      # doctest: +SKIP
>>> graph.query("examples/queries/claims.rq")                # doctest: +SKIP
"""

from kg.errors import InputError, KGError, ModelError, QueryError, StoreError
from kg.model import Article, Problem
from kg.pipeline import BuildReport, KnowledgeGraph, build, open_graph, remove
from kg.settings import Settings

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
