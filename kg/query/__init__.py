"""SPARQL from the CLI and Python: query files, bound variables, result formats."""

from kg.query.sparql import format_result, load_query, run

__all__ = ["format_result", "load_query", "run"]
