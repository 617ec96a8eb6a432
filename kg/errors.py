"""One root exception and a few meaningful subclasses.

Third-party errors are translated at the boundary and chained with ``from exc``; the CLI
prints ``str(error)`` as one line, never a traceback.
"""

from __future__ import annotations

__all__ = ["InputError", "KGError", "ModelError", "QueryError", "QueryLimitError", "StoreError", "UsageError"]


class KGError(Exception):
    """Base class of every error `kg` raises on purpose."""


class InputError(KGError):
    """An input could not be read: missing file, bad encoding, malformed record."""


class ModelError(KGError):
    """The spaCy model is missing or cannot be loaded."""


class StoreError(KGError):
    """The graph store could not be opened, read or written."""


class QueryError(KGError):
    """A SPARQL query is malformed or failed to run."""


class QueryLimitError(QueryError):
    """A query ran over its time or memory budget and was stopped."""


class UsageError(KGError):
    """A setting or option has a value `kg` cannot use."""
